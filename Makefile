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

## The package byte-compiled (kept fresh on every make): with PYTHONDONTWRITEBYTECODE set, as
## on many CI machines, Python would otherwise compile every module on every run.
setup: $(VENV)/.installed
	@$(PY) -m compileall -q src

## Build the sample submission (forms/ + manuscript/) into out/.
run: setup
	$(APP) build

## Run the test suite.
test: setup
	$(PY) -m pytest -q

## Median wall time per stage on the sample; then before/after against the base commit
## (git merge-base HEAD main), with pandoc + LibreOffice as the outside baseline.
bench: setup
	$(PY) benchmarks/run.py
	$(PY) benchmarks/speed.py

clean:
	rm -rf out .pytest_cache
