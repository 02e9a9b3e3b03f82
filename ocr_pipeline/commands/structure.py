"""`ocr-pipeline structure INPUT.txt -o OUT.json [--format json|md]`: text -> document tree.

INPUT is restored (or any UTF-8) text, form feeds separating pages; "-" reads stdin.
OUT is the JSON tree (schema ocr_pipeline/document@1) or its Markdown rendering; "-"
writes stdout. Argument handling and I/O only; the work is `ocr_pipeline.structure`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ocr_pipeline.errors import InputFileError
from ocr_pipeline.fileio import (
    open_regular,
    refuse_input_as_output,
    sha256_file,
    write_atomic,
)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "structure",
        help="turn restored text into the document tree (JSON) or Markdown",
        description=(
            "Read INPUT (UTF-8 text, pages separated by form feeds; '-' for stdin) and write "
            "its structure: header, section tree, footnotes, recipients and signature, as "
            "JSON (schema ocr_pipeline/document@1) or as Markdown."
        ),
    )
    parser.add_argument("input", metavar="INPUT", help="text file, or '-' for stdin")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="output file, or '-' for stdout")  # fmt: skip
    parser.add_argument("--format", choices=("json", "md"), default=None,
                        help="output format (default: from OUT's suffix, else json)")  # fmt: skip
    parser.set_defaults(func=handle)
    return parser


def _read(name: str) -> tuple[str, dict]:
    if name == "-":
        data = sys.stdin.buffer.read()
        source: dict = {"file": "-"}
    else:
        path = Path(name)
        if not path.exists():
            raise InputFileError(f"{name}: no such file; give a UTF-8 text file (or '-')")
        try:
            with open_regular(path) as fh:  # a FIFO or device: refused, never read
                data = fh.read()
        except OSError as err:
            msg = f"{name}: cannot read ({err.strerror}); check permissions"
            raise InputFileError(msg) from None
        source = {"file": path.name, "sha256": sha256_file(path)}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(f"{name}: not UTF-8 text; convert it to UTF-8 first") from None
    return text, source


def handle(args: argparse.Namespace) -> int:
    from ocr_pipeline.export.markdown import to_markdown
    from ocr_pipeline.structure import structure_text

    refuse_input_as_output([args.output], [args.input])
    text, source = _read(args.input)
    fmt = args.format or ("md" if str(args.output).lower().endswith(".md") else "json")
    doc = structure_text(text, source)
    if fmt == "md":
        out = to_markdown(doc)
    else:
        out = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(out)
        sys.stdout.flush()
    else:
        write_atomic(Path(args.output), out)
    return 0
