# Quick start: `make demo` (set up if needed, then run the pipeline on samples/)
#              `make test` (set up if needed, then the test suite)
# Set-up is idempotent: system packages are checked before apt-get is called,
# and the virtualenv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := $(VENV)/.system-deps

.PHONY: setup system-deps demo test bench lint clean

setup: $(STAMP) $(SYSSTAMP)

$(SYSSTAMP):
	bash scripts/install_system_deps.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: setup
	$(BIN)/ocr-pipeline run samples/*.pdf samples/*.tif -o out/
	$(BIN)/ocr-pipeline restore samples/legacy_ocr_excerpt.txt -o out/legacy_ocr_excerpt.restored.txt
	@echo "Results are in out/"

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python scripts/bench_ocr.py
	$(BIN)/python scripts/bench_restore.py

lint: setup
	$(BIN)/ruff check ocr_pipeline scripts tests

clean:
	rm -rf out/ .pytest_cache
