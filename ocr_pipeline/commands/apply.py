"""`ocr-pipeline apply CORRECTIONS`: B with the reviewer's decisions applied.

CORRECTIONS is the JSON the diff page exports (key s): per changed line, accept B,
revert to A or a typed correction. B is the file named in it (or --b FILE): the path
recorded, or the file of that name beside CORRECTIONS when that path is gone; when both
exist and differ (a copied review folder), apply asks for --b. By default
the corrected text goes to -o FILE (written atomically) or stdout. With --output-dir DIR
every output of B's `run` document (NAME.txt, NAME.words.tsv, NAME.alto.xml, NAME.hocr,
NAME.json, NAME.table-N.csv / .md, NAME.ocr.pdf's text layer: those beside B) is written
corrected into DIR under the same names, the same words changed in each
(`diff.apply_outputs`); --in-place replaces those files themselves,
which is the only way apply changes an input. Either way all the files are computed
first and then each replaces its target atomically: an error leaves every file as it was.
A structure-tree B (`structure` JSON) is read as the diff read it, its paragraphs cut at
A's line breaks, so A is needed too: the path recorded in CORRECTIONS (as given to diff,
looked for from here, beside CORRECTIONS and beside B) or --a FILE.
B that already holds the decisions (applied before) is recognised: --in-place has nothing
to do (exit 0), the other modes write B as it is; B changed otherwise is refused.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ocr_pipeline.errors import BadArgumentsError, ExitCode, InputFileError, OutputError


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "apply",
        help="apply the corrections exported from a diff page to B (or all its run outputs)",
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
        "--a",
        type=Path,
        metavar="FILE",
        help="A, the file B was compared with (needed for a structure-JSON B only;"
        " default: the path recorded in CORRECTIONS)",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        default=Path("-"),
        help="corrected text of B (default - : stdout)",
    )
    where.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write every run output of B's document (txt, words.tsv, alto, hocr, json, "
        "tables, ocr.pdf) "
        "corrected into DIR, same names",
    )
    where.add_argument(
        "--in-place",
        action="store_true",
        help="replace B's document's run outputs with their corrected versions",
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.diff.corrections import (
        ChangedSinceReview,
        already_applied,
        apply_corrections,
        load_corrections,
    )
    from ocr_pipeline.fileio import refuse_input_as_output, write_atomic

    head, decisions = load_corrections(args.corrections)
    b_path = args.b or _recorded_b(head, args.corrections)
    if not str(b_path) or str(b_path) in ("-", "<stdin>", "."):
        raise BadArgumentsError("the corrections do not name a B file; give it with --b FILE")
    if not b_path.is_file():
        raise InputFileError(f"{b_path}: no such file; give B with --b FILE")
    a_path = args.a or _recorded_a(head, args.corrections, b_path)
    if args.output_dir is None and not args.in_place:
        refuse_input_as_output([args.output], [b_path, args.corrections])
    try:
        if args.output_dir is not None or args.in_place:
            return _all_outputs(args, decisions, b_path)
        text = apply_corrections(decisions, b_path, a_path)
    except ChangedSinceReview:
        if not already_applied(decisions, b_path, a_path):
            raise
        done = f"{b_path} already holds these {len(decisions)} decision(s) (applied before)"
        if args.in_place:
            print(f"{done}; nothing to do", file=sys.stderr)
            return int(ExitCode.ok)
        print(f"{done}; writing it as it is", file=sys.stderr)
        if args.output_dir is not None:
            return _all_outputs(args, [], b_path, quiet=True)
        text, decisions = apply_corrections([], b_path, a_path), []
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
    if decisions:  # what was written: B itself is never changed here
        where = "standard output" if str(args.output) == "-" else str(args.output)
        print(f"{len(decisions)} decision(s) applied: the corrected text of {b_path} written"
              f" to {where} ({b_path.name} itself unchanged)", file=sys.stderr)  # fmt: skip
    return int(ExitCode.ok)


def _recorded_b(head: dict, corrections: Path) -> Path:
    """B as CORRECTIONS names it: the path recorded (diff records it absolute), or the
    file of its name beside CORRECTIONS when that path is gone (a review folder moved
    with its outputs). When both exist and are different files (a copied review folder,
    or an older file of that name in the download folder), which one is meant cannot be
    told: BadArgumentsError, asking for --b."""
    recorded = Path(str((head.get("b") or {}).get("path") or ""))
    if str(recorded) in ("", ".", "-", "<stdin>"):
        return recorded
    beside = corrections.parent / recorded.name
    if not beside.is_file():
        return recorded
    if not recorded.is_file():
        return beside
    if not os.path.samefile(beside, recorded):
        raise BadArgumentsError(
            f"the corrections name B {recorded}, and {beside} beside them has its name:"
            " say which to apply them to with --b FILE"
        )
    return recorded


def _recorded_a(head: dict, corrections: Path, b_path: Path) -> Path | None:
    """A as CORRECTIONS names it (absolute since diff records it so), else a file of its
    name beside CORRECTIONS or beside B (moved with them); None when it is not found."""
    recorded = str((head.get("a") or {}).get("path") or "")
    if not recorded or recorded in ("-", "<stdin>"):
        return None
    path = Path(recorded)
    for candidate in (path, corrections.parent / path.name, b_path.parent / path.name):
        if candidate.is_file():
            return candidate
    return None


def _all_outputs(
    args: argparse.Namespace, decisions: list, b_path: Path, quiet: bool = False
) -> int:
    from ocr_pipeline.diff.apply_outputs import corrected_outputs

    if args.output_dir is not None:
        if args.output_dir.exists() and not args.output_dir.is_dir():
            raise BadArgumentsError(f"--output-dir {args.output_dir} is a file; give a folder")
        if args.output_dir.resolve() == b_path.parent.resolve():
            raise BadArgumentsError(
                "--output-dir is B's own folder: that would replace the originals;"
                " give another folder, or --in-place to replace them"
            )
    files = corrected_outputs(decisions, b_path)
    if not files:  # never report success with nothing written
        raise BadArgumentsError(
            f"{b_path} has no run output apply can rewrite; give -o FILE for its corrected text"
        )
    folder = b_path.parent if args.in_place else args.output_dir
    targets = {folder / path.name: text for path, text in files.items()}
    _write_all(targets)
    names = ", ".join(sorted(p.name for p in targets))
    if not quiet:
        print(f"{len(decisions)} decision(s) applied to {names} in {folder}", file=sys.stderr)
    return int(ExitCode.ok)


def _write_all(files: dict[Path, str | bytes]) -> None:
    """Every file to a temporary beside its target first, then each renamed into place:
    an error while writing leaves all the targets as they were."""
    from ocr_pipeline.fileio import publish

    temps: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8") if isinstance(text, str) else text)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            publish(tmp, path)
    except OSError as err:
        raise OutputError(
            f"cannot write {err.filename or 'the corrected outputs'}: {err.strerror};"
            " check space and permissions"
        ) from None
    finally:
        for tmp, _path in temps:
            Path(tmp).unlink(missing_ok=True)
