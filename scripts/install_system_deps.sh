#!/usr/bin/env bash
# Installs the Debian packages the pipeline needs, only those that are missing.
# Tesseract with the Vietnamese model, poppler (pdftoppm for pdf2image), fonts with
# full Vietnamese coverage (for scripts/make_samples.py), chromium (browser tests) and qpdf
# (checks the PDFs we write).
set -euo pipefail

missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx vie; then missing+=(tesseract-ocr-vie); fi
if ! tesseract --list-langs 2>/dev/null | grep -qx eng; then missing+=(tesseract-ocr-eng); fi
# orientation detection for `run --rotate-pages`
if ! tesseract --list-langs 2>/dev/null | grep -qx osd; then missing+=(tesseract-ocr-osd); fi
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation2)
[ -e /usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf ] || missing+=(fonts-noto-core)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# a second PDF reader for the searchable-PDF tests (qpdf --check)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
# a C compiler and the Python headers: `pip install -e .` compiles restoration's inner loops
# (ocr_pipeline/restore/*.c)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
"${PYTHON:-python3}" -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null || missing+=(python3-dev)

if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present"
    exit 0
fi
echo "system packages missing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "error: run as root or install: apt-get install ${missing[*]}" >&2; exit 3
    fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
