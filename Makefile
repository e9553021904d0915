# Økosystemportefølje — one command to serve, one to test. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck unit bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	@echo "Installing the service and its dependencies into $(VENV) (the first time takes a few minutes; pip shows its progress)"
	$(BIN)/python -m pip install --progress-bar on -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	@echo "Installing the service with its test tools into $(VENV) (the first time takes a few minutes)"
	$(BIN)/python -m pip install --progress-bar on -e '.[test]'
	@touch $(VENV)/.installed $@

run: $(VENV)/.installed ## Install, migrate, seed (once) and serve at http://127.0.0.1:$(PORT)
	$(BIN)/ecosystem db upgrade
	$(BIN)/ecosystem seed --demo --if-empty
	PORT=$(PORT) $(BIN)/ecosystem serve

test: $(VENV)/.installed-test ## Lint, type-check and run the whole suite (SQLite + PostgreSQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest --doctest-modules ecosystem tests --ignore=ecosystem/migrations --durations=25

unit: $(VENV)/.installed-test ## Only the fast unit tests (no database)
	$(BIN)/python -m pytest tests/unit --doctest-modules ecosystem --ignore=ecosystem/migrations

bench: $(VENV)/.installed-test ## Run the benchmark scripts (see README for the results)
	$(BIN)/python benchmarks/bench_publish.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/eval_overlap.py
	$(BIN)/python benchmarks/bench_embedding.py
	$(BIN)/python benchmarks/bench_overlap.py

clean: ## Remove the virtualenv and caches (keeps instance/ data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
