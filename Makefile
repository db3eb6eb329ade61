# Backprop: every target sets itself up first, so a fresh clone needs only `make run` or `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
DEBIAN_PACKAGES := bubblewrap redis-server fonts-wqy-microhei

.PHONY: setup run test bench lint fmt clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing \
	    || echo "warning: could not install$$missing; the tutor still runs, but demos need bubblewrap (see README)"; \
	fi
	@[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[all]'
	@touch $(STAMP)

run: setup
	$(BIN)/python -m bot console

test: lint
	$(BIN)/python -m pytest -n auto --timeout=900 tests

bench: setup
	$(BIN)/python -m bench

lint: setup
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check bot content executor tests bench
	$(BIN)/python -m content lint
	PYTHONPATH=. $(BIN)/lint-imports
	$(BIN)/python -m mypy

fmt: setup
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format bot content executor tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
