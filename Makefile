# Two commands from a fresh clone:  `make book`  and  `make test`.
# Everything else is optional. Run `make help` for the list.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html
NOTEBOOKS := $(wildcard chapters/*.ipynb appendix/*.ipynb teaching/*.ipynb)
PORT   ?= 8000

.PHONY: help setup wheelhouse system-deps book book-instructor handouts audit lint test test-unit test-notebooks test-build test-site execute serve clean bench lock

help:
	@echo "make book     set up .venv (if needed) and build the site into $(HTML)"
	@echo "make test     set up, then run every test (lint, helpers, data, notebooks, strict build, browser)"
	@echo "make lint     ruff check and ruff format --check on src/, scripts/ and tests/ (pyproject.toml)"
	@echo "make book-instructor  build the instructor edition (solutions open) into _build/instructor"
	@echo "make handouts print every chapter to a PDF handout in _build/handouts (headless Chromium)"
	@echo "make audit    recompute the sources-audit verdicts (make audit ARGS=--write stores them)"
	@echo "make execute  re-run every notebook in place, storing outputs and widget state"
	@echo "make serve    serve the built site on http://localhost:$(PORT)/"
	@echo "make bench    time set-up, build, rebuild, execution and tests; weigh every page; Lighthouse"
	@echo "              on every page (make bench ARGS=--lighthouse: only Lighthouse, on _build/html)"
	@echo "make clean    remove _build and caches (keeps .venv; rm -rf .venv to start over)"
	@echo "make lock     re-resolve requirements.txt into requirements-lock.txt (with hashes)"

# ---- set-up -----------------------------------------------------------------
$(STAMP): requirements-lock.txt pyproject.toml
	@echo "==> [setup] creating $(VENV) with $(PYTHON) (first time only)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> [setup] installing the pinned dependencies from requirements-lock.txt (hashes checked)"
	@$(BIN)/pip install --disable-pip-version-check --progress-bar on -q --require-hashes -r requirements-lock.txt
	@echo "==> [setup] installing the helpers package (editable)"
	@$(BIN)/pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium and CJK fonts: needed by the browser test (and for 汉字 in screenshots).
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null; then \
	  echo "==> [setup] chromium and CJK fonts present: $$(chromium --version 2>/dev/null)"; \
	else \
	  echo "==> [setup] installing Debian packages chromium and fonts-noto-cjk (needs root or sudo)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# ---- the book ---------------------------------------------------------------
# Built in _build/work and moved to $(HTML) only if the build succeeds (scripts/build.py): a failed or
# interrupted build never leaves a half-built site that looks complete.
book: setup
	@echo "==> [book] building the HTML site (renders the stored notebook outputs)"
	@$(BIN)/python scripts/build.py --site $(HTML) --work _build/work
	@echo "==> [book] done. Open $(CURDIR)/$(HTML)/index.html  (or run: make serve)"

# The site, when a target needs one and none is built yet (test-site, serve).
$(HTML)/index.html: | setup
	@$(MAKE) --no-print-directory book

# The instructor edition: same pages, exercise solutions shown open, a banner on every page.
book-instructor: setup
	@echo "==> [book] building the instructor edition (solutions shown)"
	@DONGBEI_INSTRUCTOR=1 $(BIN)/python scripts/build.py --site _build/instructor/_build/html --work _build/instructor-work
	@echo "==> [book] done. Open $(CURDIR)/_build/instructor/_build/html/index.html"

# One PDF per chapter, printed from the built student site by the real headless Chromium.
handouts: book system-deps
	@echo "==> [handouts] printing every chapter to _build/handouts/"
	@$(BIN)/python scripts/handouts.py $(HTML) _build/handouts

# The sources audit: which stored verdicts no longer match their checks.
audit: setup
	@$(BIN)/python scripts/audit.py $(ARGS)

# ---- tests ------------------------------------------------------------------
# Every target sets up what it needs, so each works on a fresh clone.
test: setup system-deps wheelhouse
	@$(MAKE) --no-print-directory lint test-unit test-notebooks test-build test-site
	@echo "==> [test] all tests passed"

lint: setup
	@echo "==> [lint] ruff check and ruff format --check (src, scripts, tests)"
	@$(BIN)/ruff check src scripts tests
	@$(BIN)/ruff format --check src scripts tests

test-unit: setup
	@echo "==> [test 1/4] helpers and data: unit, schema, cross-check and bad-input tests"
	@$(BIN)/python -m pytest -q tests -m "not site" -p no:cacheprovider --durations=6

test-notebooks: setup
	@echo "==> [test 2/4] nbval: re-run every notebook and compare with its stored outputs"
	@$(BIN)/python -m pytest -q --nbval -p no:cacheprovider --nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS) tests/fixtures/*.ipynb

# Every page re-read from a fresh environment (--all), so a warning an earlier `make book` printed is
# raised again; $(HTML) is removed first and published only if the strict build passes.
test-build: setup
	@echo "==> [test 3/4] jb build with warnings as errors (-W -n --keep-going --all)"
	@rm -rf $(HTML)
	@$(BIN)/python scripts/build.py --strict --site $(HTML) --work _build/work

# On a fresh clone (no site yet) the site is built first; `make test` has just built it strictly.
test-site: setup system-deps $(HTML)/index.html
	@echo "==> [test 4/4] the built site (and a fixture book) in headless Chromium"
	@$(BIN)/python -m pytest -q tests/test_site.py tests/test_readable.py tests/test_handouts.py -m site -p no:cacheprovider

# The runtime's wheels at the locked versions, for the offline Colab-path test (tests/test_colab_path.py).
WHEELHOUSE := _build/wheelhouse
$(WHEELHOUSE)/.done: requirements-lock.txt pyproject.toml tests/cffconvert-requirements.txt $(STAMP)
	@echo "==> [setup] downloading the reader's runtime wheels into $(WHEELHOUSE) (pip cache helps)"
	@$(BIN)/python scripts/wheelhouse.py $(WHEELHOUSE)
	@touch $@

wheelhouse: $(WHEELHOUSE)/.done

# ---- notebooks --------------------------------------------------------------
execute: setup
	@echo "==> [execute] re-running $(words $(NOTEBOOKS)) book notebook(s) and the fixture in place"
	@$(BIN)/python scripts/execute.py $(NOTEBOOKS) tests/fixtures/*.ipynb

serve: $(HTML)/index.html
	@echo "==> [serve] http://localhost:$(PORT)/  (Ctrl-C to stop)"
	@cd $(HTML) && python3 -m http.server --bind 127.0.0.1 $(PORT)

bench: setup system-deps
	@command -v npm >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	@test tools/bench/node_modules/.package-lock.json -nt tools/bench/package-lock.json || \
	  { echo "==> [bench] installing the pinned Lighthouse (npm ci in tools/bench)"; \
	    cd tools/bench && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error; }
	@echo "==> [bench] measuring (takes a few minutes; prints a table at the end)"
	@$(BIN)/python scripts/bench.py $(ARGS)

# uv (pinned in requirements.txt) resolves for this Python on x86-64 Linux and records the sha256 of
# every file of every pinned release; `make setup` installs with --require-hashes. Versions already in
# the lock are kept unless requirements.txt asks otherwise.
lock: setup
	@echo "==> [lock] resolving requirements.txt with uv pip compile --generate-hashes"
	@$(BIN)/uv pip compile requirements.txt --quiet --generate-hashes --python $(PYTHON) \
	  --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" --output-file requirements-lock.txt
	@echo "==> [lock] wrote requirements-lock.txt ($$(grep -c '^[A-Za-z0-9]' requirements-lock.txt) packages, with hashes)"

clean:
	@echo "==> [clean] removing _build, caches and the fixture build"
	@rm -rf _build .pytest_cache .jupyter_cache tests/fixtures/_build
	@find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
