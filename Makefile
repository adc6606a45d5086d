# Two commands on a fresh machine with Python 3.11 and make:
#   make book   — create .venv, install requirements.txt, build the HTML book into _build/html
#   make test   — everything: helper tests, data validation, nbval, strict build, browser tests
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VENDOR := tests/browser/vendor
# Notebooks that nbval checks: every chapter and every exercise notebook in the book.
NOTEBOOKS := $(shell find chapters exercises -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -path '*/autograder/*' 2>/dev/null | sort)
JOBS ?= 2

.PHONY: assign grade execute help book test test-helpers validate nbval build-strict test-browser check-browser lab bench clean setup-cells assign

help:
	@echo "make book   build the HTML book into _build/html (creates .venv on first run)"
	@echo "make test   run every test: helpers, data, nbval, strict build, browser"
	@echo "make lab    open the notebooks in JupyterLab"
	@echo "make bench  print the benchmark table"
	@echo "make execute  re-run the chapter notebooks in place after a data change"
	@echo "make assign  build the exercise sets (student versions, autograders)"
	@echo "make grade SET=intro SUBMISSIONS=dir  grade submitted notebooks"
	@echo "make clean  remove build outputs (keeps .venv)"

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: install it, or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Local copies of the scripts the built pages load from CDNs, so browser tests need no network.
$(VENDOR)/.fetched: tools/fetch_vendor_js.sh
	bash tools/fetch_vendor_js.sh $(VENDOR)
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html
	@echo
	@echo "The book is built. Open it in a browser: file://$(CURDIR)/_build/html/index.html"

test: $(STAMP) $(VENDOR)/.fetched check-browser
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory test-helpers; \
	$(MAKE) --no-print-directory validate; \
	$(MAKE) --no-print-directory nbval; \
	$(MAKE) --no-print-directory build-strict; \
	$(MAKE) --no-print-directory test-browser; \
	mkdir -p _build; echo "$$(( $$(date +%s) - start )) $$(date -u +%Y-%m-%dT%H:%MZ)" > _build/make-test-seconds.txt; \
	echo "make test: all checks passed in $$(( $$(date +%s) - start )) s"

test-helpers: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests --ignore=tests/browser

validate: $(STAMP)
	$(BIN)/python -m japan_central_asia.checks --repo .

nbval: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(JOBS) --dist loadfile --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

# --all re-reads every page so that warnings from unchanged pages are reported again;
# notebook execution is still cached in _build/.jupyter_cache.
build-strict: $(STAMP)
	$(BIN)/jupyter-book build . --builder html --all -n -W --keep-going

check-browser:
	@command -v chromium >/dev/null || { echo "make test needs Debian's 'chromium' package for the browser tests: apt-get install chromium"; exit 1; }

test-browser: $(STAMP) $(VENDOR)/.fetched check-browser
	@test -f _build/html/index.html || { echo "no built book in _build/html: run make book (or make build-strict) first"; exit 1; }
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/browser

lab: $(STAMP)
	$(BIN)/jupyter lab

bench: $(STAMP)
	$(BIN)/python tools/bench.py

# Re-run every chapter notebook in place (after a data change), so stored outputs match a fresh run.
execute: $(STAMP)
	$(BIN)/python tools/notebooks.py execute $(filter chapters/%,$(NOTEBOOKS))

# Graded exercises (exercises/<set>/): student versions and autograders from the master notebooks.
# make assign             every set;  make assign SET=intro   one set
assign: $(STAMP)
	$(BIN)/python tools/assign.py $(SET)
	$(BIN)/python tests/grading_corpus/make_corpus.py

# Grade a folder of submitted notebooks (no Docker): gradebook.csv and feedback/ are written into it.
# make grade SET=intro SUBMISSIONS=path/to/folder [TIMEOUT=120] [MEMORY=2048] [GRADE_JOBS=<cores>]
grade: $(STAMP)
	@test -n "$(SET)" && test -d "$(SUBMISSIONS)" || { echo "usage: make grade SET=<set, e.g. intro> SUBMISSIONS=<folder of .ipynb files>"; exit 1; }
	@test -f exercises/$(SET)/autograder/$(SET)-autograder.zip || $(BIN)/python tools/assign.py $(SET)
	$(BIN)/python tools/grading.py $(SET) "$(SUBMISSIONS)" $(if $(TIMEOUT),--timeout $(TIMEOUT)) \
		$(if $(MEMORY),--memory $(MEMORY)) $(if $(GRADE_JOBS),--jobs $(GRADE_JOBS))

setup-cells: $(STAMP)
	$(BIN)/python tools/notebooks.py sync-setup $(NOTEBOOKS)

clean:
	rm -rf _build
