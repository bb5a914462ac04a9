# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    creates .venv, installs the runtime from requirements.lock, runs corpus/ → output/
#   make test   adds the test tools from requirements-test.lock, runs lint + the test suite
# Both install exactly the pinned, hash-checked versions of the lock files (`make lock` rewrites
# them from pyproject.toml). The one system package a test needs has its own target:
#   make install-chromium   Debian's chromium for the report test (CI calls it explicitly)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
OUT ?= output
# One stamp per lock content. A changed requirements.lock rebuilds the venv from scratch, so
# nothing that an older lock installed lingers (pip has no "sync"); a changed source file or
# pyproject.toml only reinstalls the project itself. That install is a plain (not editable)
# one: setuptools prints a warning for every editable install of this flat layout.
RUNTIME := $(VENV)/.runtime-$(shell cat requirements.lock requirements-pip.lock | cksum | cut -d' ' -f1)
TESTS := $(VENV)/.test-$(shell cksum < requirements-test.lock | cut -d' ' -f1)
PROJECT := $(VENV)/.project
SOURCES := $(shell find extractors flows schemas -type f -not -path '*/__pycache__/*')

# The installer is pinned too: the pip the tests ran with (a venv's own pip varies with the
# Python patch release, and one older than 24 misreads an extra that jusText asks for).
PIP_VERSION := 26.3
UV_VERSION := 0.13.8
UV_VENV ?= .venv-lock
LOCK_FLAGS = --generate-hashes --universal --python-version 3.11 --quiet \
	--custom-compile-command "make lock" $(UPGRADE)

.PHONY: run test lint bench evaluate clean lock install-chromium geo-reference audit

$(RUNTIME): requirements.lock requirements-pip.lock
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-pip.lock
	$(PIP) install --quiet --require-hashes -r requirements.lock
	touch $@

$(PROJECT): pyproject.toml $(SOURCES) $(RUNTIME)
	$(PIP) install --quiet --no-deps .
	touch $@

$(TESTS): requirements-test.lock $(RUNTIME)
	$(PIP) install --quiet --require-hashes -r requirements-test.lock
	touch $@

run: $(PROJECT)
	$(BIN)/cpts-facts run corpus --out $(OUT)

evaluate: $(PROJECT)
	$(BIN)/cpts-facts evaluate --gold corpus/gold --out $(OUT)

lint: $(TESTS) $(PROJECT)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Two test processes, one per core of the machine the suite is sized for; a fixed number because
# `-n auto` would count a large host's cores and start one Prefect server and spaCy per core.
# loadscope keeps a module's tests (and its module-scoped fixtures) in one process.
TEST_WORKERS ?= 2

test: $(TESTS) lint
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope

# Start-up against spacy.load, then steady state and memory at 1,000 and 10,000 documents
# (about 20 minutes on two cores); the transcript goes to benchmarks/README.md by hand.
bench: $(TESTS) $(PROJECT)
	$(BIN)/python -m benchmarks.startup
	$(BIN)/python -m benchmarks.run_benchmark --sizes 100 1000 10000 --workdir benchmarks/out --profile

# Known vulnerabilities of every locked package; exit 2 when some could not be checked.
audit: $(TESTS) $(PROJECT)
	$(BIN)/python -m scripts.audit

# Rewrites both lock files from pyproject.toml, keeping every pin that still fits;
# `make lock UPGRADE=--upgrade` moves everything to the newest versions allowed.
lock: $(UV_VENV)/bin/uv
	echo "pip==$(PIP_VERSION)" | $(UV_VENV)/bin/uv pip compile - $(LOCK_FLAGS) -o requirements-pip.lock
	$(UV_VENV)/bin/uv pip compile pyproject.toml --extra test $(LOCK_FLAGS) -o requirements-test.lock
	$(UV_VENV)/bin/uv pip compile pyproject.toml $(LOCK_FLAGS) -c requirements-test.lock \
	  -o requirements.lock

$(UV_VENV)/bin/uv:
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install-chromium:
	bash scripts/install-chromium.sh

# Refreshes extractors/lexicon/geo/ (INSEE COG via npm's @etalab/decoupage-administratif, at
# the version pinned in the script); needs npm and the network, never run by `make test`.
geo-reference: $(RUNTIME)
	$(BIN)/python -m scripts.geo_reference

# Leaves $(OUT)/ as a fresh clone has it: only .gitkeep (snapshots, links, state and lock too).
clean:
	rm -rf $(VENV) $(UV_VENV)
	find $(OUT) -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf -- {} +
