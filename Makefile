# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    creates .venv, installs the project, runs the pipeline on corpus/ → output/
#   make test   creates .venv, installs the project and test tools, runs lint + the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint bench evaluate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)
	$(BIN)/cpts-facts run corpus --out output

evaluate: $(STAMP)
	$(BIN)/cpts-facts evaluate --gold corpus/gold --out output

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(STAMP) lint
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_benchmark --sizes 100 1000 --workdir benchmarks/out --profile

clean:
	rm -rf $(VENV) output/*.parquet output/*.csv output/run.json output/text
