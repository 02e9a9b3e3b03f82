"""`ocr-pipeline apply CORRECTIONS`: B with the reviewer's decisions applied.

CORRECTIONS is the JSON the diff page exports (key s): per changed line, accept B,
revert to A or a typed correction. B is the file named in it (or --b FILE); it is never
modified. The corrected text goes to -o FILE (written atomically) or stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ocr_pipeline.errors import BadArgumentsError, ExitCode, InputFileError


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "apply",
        help="apply the corrections exported from a diff page to B's text",
        description=__doc__.splitlines()[0],
    )
    p.add_argument("corrections", type=Path, help="NAME.corrections.json from the diff page")
    p.add_argument(
        "--b",
        type=Path,
        metavar="FILE",
        help="the B file to correct (default: the path recorded in CORRECTIONS)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        default=Path("-"),
        help="corrected text (default - : stdout)",
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.diff.corrections import apply_corrections, load_corrections
    from ocr_pipeline.fileio import refuse_input_as_output, write_atomic

    head, decisions = load_corrections(args.corrections)
    b_path = args.b or Path(str((head.get("b") or {}).get("path") or ""))
    if not str(b_path) or str(b_path) in ("-", "<stdin>", "."):
        raise BadArgumentsError("the corrections do not name a B file; give it with --b FILE")
    if not b_path.is_file():
        raise InputFileError(f"{b_path}: no such file; give B with --b FILE")
    refuse_input_as_output([args.output], [b_path, args.corrections])
    text = apply_corrections(decisions, b_path)
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
    print(f"{len(decisions)} decision(s) applied to {b_path}", file=sys.stderr)
    return int(ExitCode.ok)
