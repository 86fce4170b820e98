# Two commands a new user needs: `make run` (the product) and `make test` (the suite).
# Both install what they need into .venv from uv.lock; uv itself is bootstrapped with pip
# into .tools/ when it is not on PATH.
UV_VERSION := 0.13.9
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
SYNCED := .venv/.synced

.PHONY: run test install lint bench

run: $(SYNCED)
	.venv/bin/archive run

test: $(SYNCED)
	.venv/bin/python -m pytest $(PYTEST_ARGS)

install: $(SYNCED)

lint: $(SYNCED)
	.venv/bin/ruff check src flows tests benchmarks

bench: $(SYNCED)
	.venv/bin/python benchmarks/ingest.py
	.venv/bin/python benchmarks/search.py
	.venv/bin/python benchmarks/recall.py
	.venv/bin/python benchmarks/normalize.py
	.venv/bin/python benchmarks/directives.py
	.venv/bin/python benchmarks/latency.py
	.venv/bin/python benchmarks/backfill.py
	.venv/bin/python benchmarks/crash.py

$(SYNCED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	@touch $@

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)
