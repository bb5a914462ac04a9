#!/usr/bin/env bash
# The report test opens output/report.html in a real headless Chromium (Debian's package).
# Installs it when missing; the test skips with a reason if this was impossible.
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium for the report test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; the browser test will be skipped"
else
  echo "warning: chromium not found and cannot be installed; the browser test will be skipped"
fi
exit 0
