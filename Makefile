# CareGap — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= var/caregap.duckdb
HOST   ?= 127.0.0.1
PORT   ?= 8050
TIERS  ?= S,M
BENCH_ARGS ?=

.PHONY: run test demo bench lint format clean

$(BIN)/caregap: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(DB): | $(BIN)/caregap
	$(BIN)/caregap demo --db $(DB)

## run: set up, build the demo database if absent, serve at http://127.0.0.1:8050
run: $(BIN)/caregap $(DB)
	$(BIN)/caregap serve --db $(DB) --host $(HOST) --port $(PORT)

## test: set up with the test extras and run the whole suite on both cores (one test file per worker)
test: $(BIN)/caregap
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

## demo: rebuild the demo database
demo: $(BIN)/caregap
	$(BIN)/caregap demo --db $(DB)

## bench: time the scale tiers (TIERS=S,M; TIERS=S,M,L for the issue's budgets) into BENCHMARKS.md
bench: $(BIN)/caregap
	$(BIN)/python -m benchmarks --tiers $(TIERS) $(BENCH_ARGS)

lint: $(BIN)/caregap
	$(BIN)/ruff format --check . && $(BIN)/ruff check . && $(BIN)/lint-imports

format: $(BIN)/caregap
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
