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

from ocr_pipeline.commands.textargs import output_file, read_text
from ocr_pipeline.fileio import (
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
    """The input text and the tree's `source` record (file name and sha256)."""
    text = read_text(name)
    if name == "-":
        return text, {"file": "-"}
    return text, {"file": Path(name).name, "sha256": sha256_file(Path(name))}


def handle(args: argparse.Namespace) -> int:
    from ocr_pipeline.export.markdown import to_markdown
    from ocr_pipeline.structure import structure_text

    output_file(args.output)
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
