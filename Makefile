# bench — two commands on a fresh machine: `make bench` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Stamps make the set-up idempotent: pip runs again only when pyproject.toml changes.
STAMP      := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: bench test lint format clean setup assets

bench: $(STAMP)
	$(BIN)/bench run --quick

test: $(TEST_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: $(STAMP)

# Pinned files from the npm registry, cached outside the tree: asv's page scripts (offline
# site), GitHub's OpenAPI description (the tests validate the mock against it) and GraphQL
# schema (the mock serves it).
assets: $(STAMP)
	$(BIN)/python -m harness.asv.assets
	$(BIN)/python -c 'from mockgithub.published import fetch; print(fetch())'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
