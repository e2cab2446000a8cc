# Every target creates .venv itself: a fresh clone needs only `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: all venv data site serve test lint bench chromium clean

all: site

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## parse data/raw/ into data/processed/ (Parquet + CSV for every contract table)
data: $(STAMP)
	$(PY) -m generator data

## parse, generate pages into site_src/generated/, build site/ with mkdocs --strict
site: $(STAMP)
	$(PY) -m generator site

## preview the site locally on http://127.0.0.1:8000
serve: site
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

## Debian's headless Chromium for the browser tests (installed when missing)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "WARNING: could not install chromium; browser tests will be skipped"; }

test: $(STAMP) chromium
	$(PY) -m pytest -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/mypy

## time cold/no-change/one-changed builds at BENCH_SIZES documents (results in bench/results/)
BENCH_SIZES ?= 100,1000
bench: $(STAMP)
	$(PY) bench/run.py --sizes $(BENCH_SIZES)

clean:
	rm -rf site site_src/generated site_src/downloads data/processed
