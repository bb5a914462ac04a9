#!/usr/bin/env bash
# `make install-chromium`: the report test opens output/report.html in a real headless Chromium,
# Debian's package (Playwright's own browser download is not used). Needs root and apt-get;
# without them it says how to install it and fails. `make test` never calls this: without
# Chromium that one test is skipped with a reason.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium) (already installed)"
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: needs root and apt-get; as root run: apt-get install chromium" >&2
  exit 1
fi
echo "installing Debian's chromium for the report test..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
echo "chromium: $(command -v chromium)"
