"""`ocr-pipeline diff A B`: what changed between two texts, how sure the machine was.

A is the reference (e.g. the original OCR text or ground truth), B the candidate (e.g. the
restored text). Prints one summary line (CER, WER, diacritic-only count); `--json` and
`--html` write reports (`-`: to stdout, and the summary line then goes to stderr, as it
does when a report names the file stdout goes to, e.g. /dev/stdout). With two folders,
`--html-dir` writes one report per document (paired by path relative to the folders,
subfolders included) and an index page; `--summary DIR` makes that index (documents ranked worst
first, confusions over the batch) from the NAME.diff.json reports already in DIR.
A and B may be text, ALTO, PAGE-XML, hOCR, NAME.words.tsv, run/restore/structure JSON, or
`-` for stdin; the format is recognised from the content.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ocr_pipeline.errors import BadArgumentsError, ExitCode
from ocr_pipeline.fileio import refuse_input_as_output
from ocr_pipeline.review_flag import LOW_CONFIDENCE


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "diff",
        help="compare two texts (or folders): CER/WER, diacritic-only vs letter changes, HTML",
        description=__doc__.splitlines()[0],
    )
    p.add_argument(
        "a",
        type=Path,
        nargs="?",
        help="reference: text, ALTO, PAGE-XML, hOCR, NAME.words.tsv, run/restore/"
        "structure JSON, or - for stdin",
    )
    p.add_argument(
        "b", type=Path, nargs="?", help="candidate, same kinds as A (or folders for both)"
    )
    p.add_argument(
        "--json", type=Path, metavar="FILE", help="write the JSON report here (- for stdout)"
    )
    p.add_argument(
        "--html", type=Path, metavar="FILE", help="write the HTML report here (- for stdout)"
    )
    p.add_argument(
        "--html-dir",
        type=Path,
        metavar="DIR",
        help="directory mode: write NAME.diff.html/.json per pair and index.html",
    )
    p.add_argument(
        "--summary",
        type=Path,
        metavar="DIR",
        help="rank the NAME.diff.json reports in DIR and add up their confusions"
        " (writes DIR/index.html and index.json, or --html/--json)",
    )
    p.add_argument("--ignore-case", action="store_true", help="case differences do not count")
    p.add_argument("--ignore-punctuation", action="store_true", help="punctuation is not compared")
    p.add_argument(
        "--fold-tones", action="store_true", help="tone marks (sắc huyền hỏi ngã nặng) do not count"
    )
    p.add_argument(
        "--fold-diacritics", action="store_true", help="no mark counts, đ equals d (letters only)"
    )
    p.add_argument(
        "--low-confidence",
        type=float,
        default=LOW_CONFIDENCE,
        metavar="X",
        help=f"mark tokens with confidence below X (0-1, default {LOW_CONFIDENCE})",
    )
    p.add_argument(
        "--images",
        type=Path,
        metavar="DIR",
        help="page images NAME-p001.png (or NAME-1.png, as pdftoppm -png names them) at"
        " the dpi run read the pages (pdftoppm -r DPI for a PDF, DPI the pages[].dpi of"
        " NAME.json; an image input as it is),"
        " to show word crops of a side with word boxes (NAME.words.tsv)",
    )
    p.add_argument(
        "--max-crops",
        type=int,
        default=2000,
        metavar="N",
        help="embed at most N word crops per report (default 2000)",
    )
    p.set_defaults(func=run)
    return p


def _summary_stream(args: argparse.Namespace) -> TextIO:
    """Where the summary lines go: standard error when a report is written to standard
    output (``-`` or /dev/stdout), so that what stdout carries stays one parsable report."""
    from ocr_pipeline.diff.run import is_stdout

    if str(args.json) == "-" and str(args.html) == "-":
        raise BadArgumentsError("only one of --json and --html can be - (stdout)")
    return sys.stderr if is_stdout(args.json) or is_stdout(args.html) else sys.stdout


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.diff.normalize import Normalization
    from ocr_pipeline.diff.run import diff_directories, diff_files, summarize_folder

    say = _summary_stream(args)
    if args.summary is not None:
        if args.a is not None or args.b is not None or args.html_dir:
            raise BadArgumentsError("--summary DIR takes no A and B; give only the report folder")
        batch = summarize_folder(args.summary, html_path=args.html, json_path=args.json)
        for rank, entry in enumerate(batch.ranked(), start=1):
            line = entry.metrics.summary() if entry.metrics else f"error: {entry.error}"
            print(f"{rank}. {entry.name}: {line}", file=say)
        print(
            f"{len(batch.entries)} report(s), {len(batch.failed)} failed or unreadable; batch CER "
            f"{batch.totals().cer:.2%}",
            file=say,
        )
        return int(ExitCode.input_file) if batch.failed else int(ExitCode.ok)
    if args.a is None or args.b is None:
        raise BadArgumentsError(
            "give A and B (files, - for stdin, or two folders), or --summary DIR"
        )
    if str(args.a) == "-" and str(args.b) == "-":
        raise BadArgumentsError("only one of A and B can be - (stdin)")
    if not 0.0 <= args.low_confidence <= 1.0:
        raise BadArgumentsError("--low-confidence must be between 0 and 1, e.g. 0.8")
    if args.max_crops < 0:
        raise BadArgumentsError("--max-crops must be 0 or more")
    norm = Normalization(
        ignore_case=args.ignore_case,
        ignore_punctuation=args.ignore_punctuation,
        fold_tones=args.fold_tones,
        fold_diacritics=args.fold_diacritics,
    )
    refuse_input_as_output([args.json, args.html], [args.a, args.b])
    common = dict(
        norm=norm, low_confidence=args.low_confidence, images=args.images, max_crops=args.max_crops
    )
    a_dir, b_dir = args.a.is_dir(), args.b.is_dir()
    if a_dir or b_dir or args.html_dir:
        if not (a_dir and b_dir):
            raise BadArgumentsError(
                "directory mode needs two folders; give two files, or two folders with --html-dir"
            )
        if args.html_dir is None:
            raise BadArgumentsError("two folders given: add --html-dir REPORTS for the reports")
        if args.json or args.html:
            raise BadArgumentsError("with folders use --html-dir only (JSON is written there)")
        result = diff_directories(args.a, args.b, args.html_dir, **common)
        for entry in result.entries:
            line = entry.metrics.summary() if entry.metrics else f"error: {entry.error}"
            print(f"{entry.name}: {line}")
        print(
            f"{len(result.entries)} pair(s), {len(result.failed)} failed, "
            f"{len(result.only_a)} only in A, {len(result.only_b)} only in B; "
            f"index: {args.html_dir / 'index.html'}"
        )
        return int(ExitCode.input_file) if result.failed else int(ExitCode.ok)
    report = diff_files(args.a, args.b, json_path=args.json, html_path=args.html, **common)
    print(report.metrics.summary(), file=say)
    return int(ExitCode.ok)
