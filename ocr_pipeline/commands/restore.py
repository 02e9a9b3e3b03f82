"""`ocr-pipeline restore INPUT -o OUTPUT`: restore Vietnamese diacritics in OCR'd text.

Argument handling and I/O only; the work is `ocr_pipeline.restore`. INPUT and OUTPUT may be
``-`` (standard input / output). Files are written atomically. ``--format json`` writes the
per-token view (original, restored text, kind, confidence, alternatives).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ocr_pipeline.errors import InputFileError, OutputError
from ocr_pipeline.fileio import refuse_input_as_output, write_atomic


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "restore",
        help="restore Vietnamese diacritics in already OCR'd text (legacy archives)",
        description=(
            "Read UTF-8 text OCR'd by Tesseract (English model by default, as in legacy "
            "archives), restore Vietnamese tone and vowel marks and OCR slips, and write the "
            "corrected text (or, with --format json, the per-token view). Line breaks, "
            "numbers, punctuation and abbreviations are kept."
        ),
    )
    parser.add_argument("input", metavar="INPUT", help="UTF-8 text file, or - for stdin")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUTPUT", help="output file, or - for stdout"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text",
        help="text (default) or json: one entry per token with confidence and alternatives",
    )
    parser.add_argument(
        "--channel", choices=("eng", "vie"), default="eng",
        help="Tesseract model the text came from: eng (legacy archives, default) or vie",
    )
    parser.set_defaults(func=run)
    return parser


def _read(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputFileError(f"{name}: is a folder; give a text file") from None
    except OSError as err:
        raise InputFileError(f"{name}: cannot read ({err.strerror}); check permissions") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFileError(
            f"{name}: not UTF-8 text (bad byte at offset {err.start}); convert it to UTF-8 first"
        ) from None


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.restore import restore, restore_text

    refuse_input_as_output([args.output], [args.input])
    text = _read(args.input)
    if args.format == "json":
        out = json.dumps(restore(text, args.channel).to_dict(), ensure_ascii=False, indent=1)
        out += "\n"
    else:
        out = restore_text(text, args.channel)
    if args.output == "-":
        sys.stdout.write(out)
        sys.stdout.flush()
    else:
        path = Path(args.output)
        if path.is_dir():
            raise OutputError(f"{path} is a folder; give an output file name")
        write_atomic(path, out)
    return 0
