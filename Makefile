# Set-up and everyday commands. Every target installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR := build/demo

.PHONY: install test lint format demo bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The suite with coverage (line and branch), then the coverage floors (scripts/coverage_floors.py).
test: install
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered
	$(BIN)/python scripts/coverage_floors.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy tests
	$(BIN)/actionlint

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole loop on the example contracts, against a copy of the embedded snapshot registry:
# validate -> plan -> apply -> plan again (no changes). The copy keeps the repository untouched.
demo: install
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	cp registry/snapshot.json $(DEMO_DIR)/snapshot.json
	$(BIN)/aurum-sr validate
	$(BIN)/aurum-sr plan --registry file:$(DEMO_DIR)/snapshot.json --out $(DEMO_DIR)/plan.json
	$(BIN)/aurum-sr apply $(DEMO_DIR)/plan.json --allow-delete --registry file:$(DEMO_DIR)/snapshot.json --report $(DEMO_DIR)/report.md
	$(BIN)/aurum-sr plan --registry file:$(DEMO_DIR)/snapshot.json --detailed-exitcode

bench: install
	$(BIN)/python benchmarks/run_quick.py

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache .hypothesis
