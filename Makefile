# Two commands: `make run` opens the app on the demo data, `make test` runs the tests (all but the slow ones).
# Both create and reuse .venv; re-install only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test test-slow test-fast test-browser bench fuzz lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

# The slow tests (a wheel installed into a fresh environment from the package index) run in CI (.ci/run).
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m slow

test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

test-browser: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "browser and not slow"

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run.py

# The long round of the importer's fuzzing harness (make test runs a short one): FUZZ_EXAMPLES hostile files.
FUZZ_EXAMPLES ?= 1000
fuzz: $(DEV_STAMP)
	CAREER_FIT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/engine/test_fuzz_files.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
