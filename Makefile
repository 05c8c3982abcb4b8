# Two commands on a fresh clone with only python3 and make: `make demo` and `make test`.
# Both create .venv, put uv into it, and install the core and every plugin editable from uv.lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
SYNCED := $(VENV)/.synced

.PHONY: setup test soak demo docs bench lint format unasync clean

setup: $(SYNCED)

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

# Re-sync whenever a package is added or its metadata changes.
$(SYNCED): $(UV) pyproject.toml core/pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(UV) sync --all-packages --python $(BIN)/python
	@touch $@

test: setup
	$(BIN)/pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The long soak (minutes; not part of `make test`, which runs 2,000 calls of it): 50,000 calls
# through the fault server, each with seeded random faults (docs/testing.md). The seed is printed
# first; HOTSWAP_SOAK_SEED=N replays a run, HOTSWAP_SOAK_CALLS=N sets its size.
soak: setup
	HOTSWAP_SOAK_CALLS=$${HOTSWAP_SOAK_CALLS:-50000} $(BIN)/pytest tests/failover/test_soak.py \
		-p no:cacheprovider -q -s

demo: setup
	$(BIN)/hotswap demo

# The documentation site, served at http://127.0.0.1:8000 and rebuilt on every change.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

# hotswap's own cost against bare HTTP clients (minutes; not part of `make test`): prints the
# tables, writes benchmarks/results/latest.json and the page docs/benchmarks.md.
bench: setup
	$(BIN)/python benchmarks/run.py --markdown docs/benchmarks.md

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The sync packages are generated from their async sources (every `_async` directory gets a
# `_sync` sibling); `make test` fails when a generated file differs from what this would write.
unasync: setup
	$(BIN)/python scripts/unasync.py

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache site
