# Two commands do all the set-up on a fresh machine with Python 3.11 and pip:
#   make site   — create .venv, install, generate docs_src/ and build site/ from seeds/
#   make test   — install the test dependencies and run the whole suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: site test generate serve clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

site: $(VENV)/.installed
	$(PY) -m generator build

generate: $(VENV)/.installed
	$(PY) -m generator generate

serve: generate
	$(VENV)/bin/mkdocs serve

test: $(VENV)/.installed-test
	$(PY) -m pytest

clean:
	rm -rf site docs_src .site-* .docs_src-* .docs-staging-* .docs_src.cache

bench: $(VENV)/.installed-test  # playwright drives Chromium for the search columns
	$(PY) -m pip install --quiet -e '.[bench]'  # lunr, for benchmarks/lunr_compare.py only
	npm install --prefix benchmarks --no-audit --no-fund --silent || echo "npm failed: no Pagefind column"  # Pagefind, benchmark only
	$(PY) benchmarks/run.py
