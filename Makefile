# Quick start: `make demo` and `make test` both create .venv when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kfm-installed

.PHONY: test test-fast demo demo-s3 lint typecheck imports pytest bench install clean lock

# A .venv made by another Python (another version or install, or one since removed) is made
# again: the interpreter's version and base prefix, as the venv's python and $(PYTHON) see them.
PY_ID := import hashlib, sys; print(hashlib.sha256((sys.version + sys.base_prefix).encode()).hexdigest())
VENV_PY := $(shell test -x $(BIN)/python && $(BIN)/python -c '$(PY_ID)' 2>/dev/null)
WANT_PY := $(shell $(PYTHON) -c '$(PY_ID)')
ifneq ($(VENV_PY),$(WANT_PY))
.PHONY: $(STAMP)
endif

$(STAMP): pyproject.toml kfm_bot/__init__.py
	@if [ "$(VENV_PY)" != "$(WANT_PY)" ] && [ -e $(VENV) ]; then \
		echo "$(VENV) was built by another Python than $(PYTHON): making it again"; rm -rf $(VENV); fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,emulator]'
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check kfm_bot tests benchmarks .ci/kfm_build.py
	$(BIN)/ruff format --check kfm_bot tests benchmarks .ci/kfm_build.py

typecheck: $(STAMP)
	$(BIN)/mypy

# The layers and the no-cycle rule of DESIGN.md section 11 ([tool.importlinter] in pyproject.toml).
imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

# Tests spread over the CPUs (pytest-xdist); PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto

# Branch coverage of kfm_bot, printed after the run: per file below 100%, then the totals
# with and without the GitHub emulator (a test tool shipped for `kfm-bot demo`).
# `coverage run` measures pytest; `patch = subprocess` ([tool.coverage.run]) hands its config to
# every Python child through the environment, so the xdist workers and the `kfm-bot`
# subprocesses the tests start are measured too. Each writes its own .coverage.* file
# (`parallel`), joined by `coverage combine` before the report.
pytest: $(STAMP)
	@$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest -n $(PYTEST_WORKERS)
	@$(BIN)/coverage combine -q
	@$(BIN)/coverage report
	@echo "branch coverage: $$($(BIN)/coverage report --format=total)% overall," \
		"$$($(BIN)/coverage report --format=total --omit='kfm_bot/emulator/*')% without the emulator"

# The inner loop: everything but the tests marked slow, no coverage.
test-fast: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not slow"

test: lint typecheck imports pytest
	$(BIN)/python benchmarks/run.py --smoke

demo: $(STAMP)
	$(BIN)/kfm-bot demo

# The same life with the zones on SeaweedFS (`weed` from the dev extra), started on loopback.
demo-s3: $(STAMP)
	$(BIN)/kfm-bot demo --s3

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The hash-pinned installs of the composite action (action.yml): the runtime dependencies of
# pyproject.toml and the wheel build's setuptools. tests/test_packaging.py fails when they drift.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" -q -o .ci/requirements-runtime.lock
	$(BIN)/uv pip compile .ci/requirements-build.in --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" -q -o .ci/requirements-build.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage .coverage.* build *.egg-info
