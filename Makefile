# closure-app: everything a fresh machine needs starts from these targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
APP    := $(VENV)/bin/closure-app

.PHONY: setup run test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

## Build the sample submission (forms/ + manuscript/) into out/.
run: setup
	$(APP) build

## Run the test suite.
test: setup
	$(PY) -m pytest -q

## Median wall time per stage on the sample.
bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf out .pytest_cache
