"""`ocr-pipeline learn [CORRECTIONS...] [--ocr OLD.txt --truth CORRECTED.txt] -o PROFILE`.

Argument handling and I/O only; the work is `ocr_pipeline.restore.profile`. The evidence is
either a reviewer's corrections files (exported by the diff page: each decided line pair
gives the OCR line, from A or from B as `diff.ocr_side` finds or ``--ocr-side`` says, and
the line as it should be) or ``--ocr``/``--truth`` pairs, an OCR text and its
hand-corrected transcription line for line, blank lines aside (the form archives already
hold); everything given adds up. ``-i PROFILE`` extends an existing profile. The profile
(JSON) is what ``restore --profile`` reads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ocr_pipeline.commands.textargs import load_profile, read_text
from ocr_pipeline.errors import BadArgumentsError, InputFileError
from ocr_pipeline.fileio import refuse_input_as_output, write_atomic


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "learn",
        help="learn an archive profile from corrected text (for restore --profile)",
        description=(
            "Learn what a collection's OCR gets wrong, and its names, from OCR text and its "
            "correction (line for line), and write an archive profile that restore "
            "--profile uses for the collection's other documents."
        ),
    )
    parser.add_argument(
        "corrections",
        nargs="*",
        metavar="CORRECTIONS",
        help="corrections files exported from the diff page (A or B the OCR: found from"
        " the file, see --ocr-side)",
    )
    parser.add_argument(
        "--ocr-side",
        choices=("a", "b"),
        help="which side of the reviewed diff is the OCR, for every CORRECTIONS file"
        " (default: found from each file: B restored from A, an ALTO/hOCR/PAGE/words side,"
        " the side without the marks, the side farther from the reviewer's lines)",
    )
    parser.add_argument(
        "--ocr",
        action="append",
        default=[],
        metavar="OCR.txt",
        help="OCR text (UTF-8); repeat with --truth for several pairs",
    )
    parser.add_argument(
        "--truth",
        action="append",
        default=[],
        metavar="CORRECTED.txt",
        help="its corrected text, line for line with --ocr",
    )
    parser.add_argument(
        "-i",
        "--input-profile",
        metavar="PROFILE",
        help="an existing profile to extend (may be the -o file: it is updated atomically)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PROFILE",
        help="the profile to write (JSON), or - for stdout",
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.restore.profile import Profile, learn

    if len(args.ocr) != len(args.truth):
        raise BadArgumentsError("give one --truth for each --ocr")
    if not args.ocr and not args.corrections:
        raise BadArgumentsError("give corrections files or --ocr/--truth pairs to learn from")
    # the profile to extend may be the output: it is read whole before the atomic write
    refuse_input_as_output([args.output], [*args.ocr, *args.truth, *args.corrections])
    profile = Profile()
    if args.input_profile:
        profile = load_profile(args.input_profile)
    for ocr, truth in zip(args.ocr, args.truth, strict=True):
        try:
            profile = profile.merge(learn(read_text(ocr), read_text(truth)))
        except ValueError as err:
            raise InputFileError(f"{ocr} / {truth}: {err}") from None
    for name in args.corrections:
        ocr_lines, truth_lines = _corrected_lines(Path(name), args.ocr_side)
        profile = profile.merge(learn("\n".join(ocr_lines), "\n".join(truth_lines)))
    if not profile.pairs:
        raise InputFileError(
            "nothing to learn: no OCR word lines up with a corrected word; "
            "check that the files are the OCR and its correction"
        )
    if args.output == "-":
        sys.stdout.write(profile.to_json())
        sys.stdout.flush()
        return 0
    if Path(args.output).is_dir():
        raise BadArgumentsError(f"{args.output} is a folder; give a profile file name")
    write_atomic(Path(args.output), profile.to_json())
    return 0


def _corrected_lines(path: Path, forced: str | None) -> tuple[list[str], list[str]]:
    """(the OCR's lines, the lines as they should be) of a corrections file's decisions,
    the OCR side found as `diff.ocr_side` says, and said on stderr."""
    from ocr_pipeline.diff.corrections import load_corrections
    from ocr_pipeline.diff.ocr_side import corrected_lines, ocr_side

    data, _decisions = load_corrections(path)
    found = ocr_side(data, forced)
    if found is None:
        raise BadArgumentsError(
            f"{path}: cannot tell whether A or B is the OCR (same marks, the reviewer's"
            " lines as near to both); say which with --ocr-side a or --ocr-side b"
        )
    role = (data.get(found.side) or {}).get("path") or found.side.upper()
    print(
        f"ocr-pipeline: {path}: the OCR is {found.side.upper()} ({role}): {found.reason}",
        file=sys.stderr,
    )
    return corrected_lines(data, found.side)
