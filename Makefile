# Quick start: `make demo` (set up if needed, then run the pipeline on samples/)
#              `make test` (set up if needed, then the test suite)
# Set-up is idempotent: system packages are checked before apt-get is called,
# and the virtualenv is rebuilt only when pyproject.toml changes (or the compiled modules' C
# source and headers: `pip install -e .` compiles ocr_pipeline/restore/*.c in place).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := $(VENV)/.system-deps

.PHONY: setup system-deps demo test bench lint typecheck clean

setup: $(STAMP) $(SYSSTAMP)

$(SYSSTAMP):
	PYTHON=$(PYTHON) bash scripts/install_system_deps.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml $(wildcard ocr_pipeline/restore/*.c ocr_pipeline/restore/*.h) | $(SYSSTAMP)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,distributed,pdfa]'
	touch $@

# The legacy OCR report from ../shared when present, else the excerpt kept for evaluation.
LEGACY := $(firstword $(wildcard ../shared/samples/legacy_ocr_report_part1.txt) \
                      tests/data/restore_eval/legacy_part1.ocr.txt)

demo: setup
	$(BIN)/ocr-pipeline run samples/report.pdf samples/decision.tif samples/report_page1.png -o out/ \
	    --output-type pdfa,hocr,alto
	$(BIN)/ocr-pipeline diff samples/report.gt.txt out/report.txt --html out/report.diff.html
	$(BIN)/ocr-pipeline restore $(LEGACY) -o out/legacy.restored.txt
	$(BIN)/ocr-pipeline restore $(LEGACY) --format json -o out/legacy.restored.json
	$(BIN)/ocr-pipeline structure out/legacy.restored.txt -o out/legacy.structure.json
	$(BIN)/ocr-pipeline structure out/legacy.restored.txt --format md -o out/legacy.structure.md
	$(BIN)/ocr-pipeline diff $(LEGACY) out/legacy.restored.json --html out/legacy.diff.html
	@echo "Results are in out/: open out/legacy.diff.html and out/report.diff.html in a browser;"
	@echo "out/report.ocr.pdf is the searchable PDF/A (search it for \"cải cách hành chính\")"

test: setup lint typecheck
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,distributed,pdfa,bench]'
	$(BIN)/python scripts/bench_ocr.py
	$(BIN)/python scripts/bench_restore.py

lint: setup
	$(BIN)/ruff check ocr_pipeline scripts tests
	$(BIN)/ruff format --check ocr_pipeline scripts tests

# mypy over the package ([tool.mypy] in pyproject.toml), part of `make test`
typecheck: setup
	$(BIN)/mypy

clean:
	rm -rf out/ .pytest_cache
