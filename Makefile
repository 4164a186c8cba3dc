# Quick start: `make demo` and `make test` both create .venv when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kfm-installed

.PHONY: test demo lint typecheck imports pytest bench install clean

$(STAMP): pyproject.toml kfm_bot/__init__.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,emulator]'
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check kfm_bot tests benchmarks
	$(BIN)/ruff format --check kfm_bot tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# The layers and the no-cycle rule of DESIGN.md section 11 ([tool.importlinter] in pyproject.toml).
imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck imports pytest
	$(BIN)/python benchmarks/run.py --smoke

demo: $(STAMP)
	$(BIN)/kfm-bot demo

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
