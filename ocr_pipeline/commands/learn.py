"""`ocr-pipeline learn [CORRECTIONS...] [--ocr OLD.txt --truth CORRECTED.txt] -o PROFILE`.

Argument handling and I/O only; the work is `ocr_pipeline.restore.profile`. The evidence is
either a reviewer's corrections files (exported by the diff page: each decided line pair
gives the OCR line, from A or from B as `diff.ocr_side` finds or ``--ocr-side`` says, and
the line as it should be) or ``--ocr``/``--truth`` pairs, an OCR text and its
hand-corrected transcription line for line, blank lines aside (the form archives already
hold); everything given adds up. ``-i PROFILE`` extends an existing profile; evidence it
already holds (the same OCR lines and corrected lines, however given) is skipped, said on
stderr, so learning again does not count its pairs twice. The profile (JSON) is what
``restore --profile`` reads.
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


# the corrected text carries every mark; an OCR this many more words with marks than its
# correction is the correction (the two files given the other way round)
SWAPPED_MARGIN = 0.10
SWAPPED_MIN_WORDS = 20


def _check_not_swapped(ocr: str, ocr_text: str, truth: str, truth_text: str) -> None:
    from ocr_pipeline.restore.detect import marked_share

    if min(len(ocr_text.split()), len(truth_text.split())) < SWAPPED_MIN_WORDS:
        return  # too few words to tell (and nothing much to learn from either way)
    theirs, ours = marked_share(ocr_text), marked_share(truth_text)
    if theirs > ours + SWAPPED_MARGIN:
        raise BadArgumentsError(
            f"--truth {truth} carries fewer Vietnamese marks than --ocr {ocr} ({ours:.0%} of "
            f"words against {theirs:.0%}): are the two swapped? --ocr is the OCR text, "
            "--truth its correction"
        )


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.restore.profile import Profile

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
        ocr_text, truth_text = read_text(ocr), read_text(truth)
        _check_not_swapped(ocr, ocr_text, truth, truth_text)
        try:
            profile = _with_evidence(profile, ocr_text, truth_text, f"{ocr} / {truth}")
        except ValueError as err:
            raise InputFileError(f"{ocr} / {truth}: {err}") from None
    for name in args.corrections:
        ocr_lines, truth_lines = _corrected_lines(Path(name), args.ocr_side)
        profile = _with_evidence(profile, "\n".join(ocr_lines), "\n".join(truth_lines), name)
    if not profile.pairs:
        raise InputFileError(
            "nothing to learn: no OCR word lines up with a corrected word; "
            "check that the files are the OCR and its correction"
        )
    if args.output == "-":
        sys.stdout.write(profile.to_json())
        sys.stdout.flush()
    else:
        if Path(args.output).is_dir():
            raise BadArgumentsError(f"{args.output} is a folder; give a profile file name")
        write_atomic(Path(args.output), profile.to_json())
    print(f"ocr-pipeline: {_summary(profile)}", file=sys.stderr)
    return 0


def _with_evidence(profile, ocr_text: str, truth_text: str, name: str):
    """`profile` with what `learn` finds in an OCR text and its correction, unless the
    profile holds that evidence already (said on stderr: its pairs would count twice)."""
    from ocr_pipeline.restore.profile import Profile, evidence_digest, learn

    digest = evidence_digest(ocr_text, truth_text)
    if digest in profile.sources:
        print(f"ocr-pipeline: {name}: already learned into this profile; skipped", file=sys.stderr)
        return profile
    found = learn(ocr_text, truth_text)
    return profile.merge(Profile(found.pairs, found.lexicon, [digest]))


def _summary(profile) -> str:
    """What the profile holds, in one line: its word pairs, how many of them corrections,
    and its names (the first few)."""
    corrected = sum(n for (ocr, word), n in profile.pairs.items() if ocr != word)
    names = sorted(set(profile.lexicon))
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return (
        f"profile: {sum(profile.pairs.values())} OCR words paired with their correction"
        f" ({corrected} changed), {len(names)} name{'' if len(names) == 1 else 's'}"
        + (f": {shown}" if names else "")
    )


def _corrected_lines(path: Path, forced: str | None) -> tuple[list[str], list[str]]:
    """(the OCR's lines, the lines as they should be) of a corrections file's decisions,
    the OCR side found as `diff.ocr_side` says, and said on stderr."""
    from ocr_pipeline.diff.corrections import load_corrections
    from ocr_pipeline.diff.ocr_side import OCR_KINDS, corrected_lines, ocr_side

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
    recorded = data.get(found.side) or {}
    read = None
    if recorded.get("kind") in OCR_KINDS and recorded.get("path"):
        read = _side_file(path, str(recorded["path"]))
    return corrected_lines(data, found.side, read)


def _side_file(corrections: Path, recorded: str):
    """The reviewed side's file read again (its path as the corrections file records it,
    or beside the corrections file), for the engine's own reading of each word; None
    when it is gone or unreadable (the reviewed lines are learned as shown, and said)."""
    from ocr_pipeline.diff.readers import load_side

    for candidate in (Path(recorded), corrections.parent / Path(recorded).name):
        if candidate.is_file():
            try:
                return load_side(candidate)
            except (InputFileError, OSError, UnicodeDecodeError):
                break
    print(
        f"ocr-pipeline: {corrections}: {recorded} cannot be read; learning the reviewed"
        " lines as shown, not as the OCR engine read them",
        file=sys.stderr,
    )
    return None
