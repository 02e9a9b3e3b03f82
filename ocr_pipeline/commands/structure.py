"""`ocr-pipeline structure INPUT.txt -o OUT.json [--format json|md]`: text -> document tree.

INPUT is restored (or any UTF-8) text, form feeds separating pages; "-" reads stdin.
OUT is the JSON tree (schema ocr_pipeline/document@1) or its Markdown rendering; "-"
writes stdout. Argument handling and I/O only; the work is `ocr_pipeline.structure`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from ocr_pipeline.commands.textargs import output_file, read_text
from ocr_pipeline.fileio import (
    refuse_input_as_output,
    sha256_file,
    write_atomic,
)

log = logging.getLogger(__name__)
# a text whose words spell Vietnamese syllables this often, once their marks are removed, is
# Vietnamese (the legacy sample: 77%; correct text 97%; English about 25%)
SYLLABLE_SHARE = 0.6


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


def _lost_its_marks(text: str) -> bool:
    """`text` is Vietnamese written without its marks (`restore.detect`): enough words
    spell Vietnamese syllables, and almost none carries a Vietnamese letter."""
    from ocr_pipeline.restore.detect import (
        VIETNAMESE_MIN_WORDS,
        detect_channel,
        vietnamese_share,
    )

    share, words = vietnamese_share(text)
    return (
        words >= VIETNAMESE_MIN_WORDS and share >= SYLLABLE_SHARE and detect_channel(text) == "eng"
    )


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
    if _lost_its_marks(text):
        name = "the input" if args.input == "-" else args.input
        log.warning(
            "%s reads as Vietnamese without its marks (typed without accents, or an old "
            "OCR): restore it first (ocr-pipeline restore %s -o RESTORED.txt, then "
            'structure RESTORED.txt); unrestored, labels such as "Dieu 1." and the '
            "header's fields may be missed",
            name,
            "-" if args.input == "-" else args.input,
        )
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
