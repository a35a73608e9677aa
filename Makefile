# closure-app: everything a fresh machine needs starts from these targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
APP    := $(VENV)/bin/closure-app

.PHONY: setup run test bench crosscheck clean

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

## Median wall time per stage on the sample; then before/after against BENCH_BASE, the code
## before the Identity-H fonts, build stamps and startup work (5cec5b0), with pandoc +
## LibreOffice as the outside baseline. `make bench BENCH_BASE=<rev>` compares with another.
BENCH_BASE ?= 5cec5b0
bench: setup
	$(PY) benchmarks/run.py
	$(PY) benchmarks/speed.py --base $(BENCH_BASE)

## LibreOffice prints our DOCX files (as Word sets them); compare with our PDFs page by page and
## line by line, check the TOC after a field update and the form's table rules. Needs soffice
## and python3-uno. The second report is written by scripts/make_second_report.py.
CROSS := out/crosscheck
crosscheck: setup
	rm -rf $(CROSS) && mkdir -p $(CROSS)
	$(APP) build --out $(CROSS)/sample --no-check
	$(PY) scripts/make_second_report.py $(CROSS)/second.md
	$(APP) build --manuscript $(CROSS)/second.md --out $(CROSS)/second --no-check
	$(PY) scripts/crosscheck.py --toc-update --json $(CROSS)/report.json --keep $(CROSS)/libreoffice \
	  $(CROSS)/sample/manuscript.docx $(CROSS)/sample/manuscript.pdf \
	  $(CROSS)/second/manuscript.docx $(CROSS)/second/manuscript.pdf; s1=$$?; \
	$(PY) scripts/crosscheck.py --page form --tables --json $(CROSS)/form.json \
	  $(CROSS)/sample/application.docx $(CROSS)/sample/application.pdf; s2=$$?; \
	exit $$(( s1 > s2 ? s1 : s2 ))

clean:
	rm -rf out .pytest_cache
