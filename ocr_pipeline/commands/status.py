"""`ocr-pipeline status OUTDIR`: summarise a batch from its manifest (read-only).

Prints documents per state, pages, processing time, the failed documents with their
error lines and the done documents with pages left empty (a page that timed out or
failed) with what emptied them, each with what to do (`--json` for the same as one JSON
object). Safe to run while the batch runs.
Exit code 0, or 1 when OUTDIR has no manifest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ocr_pipeline.errors import FATAL_CODES, BadArgumentsError, ExitCode
from ocr_pipeline.manifest import STATES, Manifest, manifest_path
from ocr_pipeline.safetext import escape_controls


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "status",
        help="summarise a batch: documents done, failed, waiting",
        description="Read OUTDIR's batch manifest and summarise it: documents per state, "
        "pages, time, and the failed documents with their errors.",
    )
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="a `run` output folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument(
        "--limit",
        type=int,
        default=20,
        metavar="N",
        help="list at most N failed documents (default: %(default)s; 0 = all)",
    )
    parser.set_defaults(func=status)
    return parser


def summarise(outdir: Path) -> dict:
    """The manifest of `outdir` as a JSON-ready summary."""
    path = manifest_path(outdir)
    if not outdir.exists():
        raise BadArgumentsError(
            f"{outdir}: no such folder; give the -o folder of an `ocr-pipeline run`"
        )
    if not path.is_file():
        raise BadArgumentsError(
            f"{outdir} has no batch manifest ({path.name}); give the -o folder of an "
            "`ocr-pipeline run`"
        )
    from ocr_pipeline.batch import batch_running

    with Manifest(path, readonly=True) as manifest:
        counts = manifest.counts()
        records = list(manifest.records())
    done = [r for r in records if r.state == "done"]
    return {
        "outdir": str(outdir),
        "documents": len(records),
        "states": counts,
        "pages": sum(r.pages or 0 for r in done),
        "pages_failed": sum(r.pages_failed or 0 for r in done),
        "seconds": round(sum(r.seconds or 0 for r in records), 1),
        "running": [r.source for r in records if r.state == "running"],
        "batch_running": batch_running(outdir),  # else the running ones were interrupted
        "failed": [
            {"source": r.source, "output": r.rel, "exit_code": r.exit_code, "error": r.error}
            for r in records
            if r.state == "failed"
        ],  # fmt: skip
        "to_check": [
            {"source": r.source, "output": r.rel, "warnings": r.warnings}
            for r in done
            if r.warnings
        ],
        "empty_pages": [
            {
                "source": r.source,
                "output": r.rel,
                "pages": r.pages,
                "pages_empty": r.pages_failed,
                "error": r.error,
            }
            for r in done
            if r.pages_failed
        ],  # fmt: skip
    }


def status(args: argparse.Namespace) -> int:
    summary = summarise(args.outdir)
    out = sys.stdout
    if args.json:
        out.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        return 0
    states = summary["states"]
    # documents left "running" by a batch no longer running were interrupted (Ctrl-C, kill)
    interrupted = states.get("running") and not summary["batch_running"]
    named = {s: "interrupted" if s == "running" and interrupted else s for s in STATES}
    out.write(f"{escape_controls(summary['outdir'])}: {summary['documents']} document(s): "
              + ", ".join(f"{states[s]} {named[s]}" for s in STATES) + "\n")  # fmt: skip
    out.write(f"pages: {summary['pages']} done ({summary['pages_failed']} empty after a page "
              f"error or timeout); processing time {summary['seconds']:.1f} s\n")  # fmt: skip
    if states.get("queued") and not summary["batch_running"]:
        # documents a stopped batch never started (a full disk, Ctrl-C before their turn)
        out.write(f"{states['queued']} queued, never started: a plain rerun does them\n")
    state = "running" if summary["batch_running"] else "interrupted (rerun to resume)"
    for source in summary["running"]:
        out.write(f"{state}: {escape_controls(source)}\n")
    failed = summary["failed"]
    for f in _listed(out, failed, args.limit, "failed"):
        out.write(f"failed [{f['exit_code']}]: {escape_controls(f['error'] or '')}\n")
    refused = sum(1 for f in failed if f["exit_code"] == int(ExitCode.bad_args))
    unreadable = sum(1 for f in failed if f["exit_code"] == int(ExitCode.input_file))
    if refused:  # the input as named cannot be used: trying again changes nothing
        out.write(f"{refused} refused [1] (the input as named or listed cannot be used):"
                  " --retry-failed cannot help; do what its line says (move the list or"
                  " the files, rename), then rerun\n")  # fmt: skip
    if unreadable:  # the file itself is damaged or no scan: only a new copy helps
        out.write(f"{unreadable} unreadable [2] (the file is damaged, empty or not a scan):"
                  " replace it with a good copy, then rerun with --retry-failed\n")  # fmt: skip
    # a missing program or an unwritable or full OUTDIR was no fault of the input: a plain
    # rerun tries those again (`errors.FATAL_CODES`)
    setup = sum(1 for f in failed if f["exit_code"] in FATAL_CODES)
    if setup:
        out.write(f"{setup} failed for the installation or the output folder [3, 5]: once"
                  " fixed, a plain rerun tries them again\n")  # fmt: skip
    if len(failed) > refused + unreadable + setup:
        other = " other" if refused or unreadable or setup else ""
        out.write(f"rerun with --retry-failed to try the{other} failed documents again\n")
    empty = summary["empty_pages"]
    for e in _listed(out, empty, args.limit, "with empty pages"):
        why = e["error"] or f"{e['source']}: a page timed out or failed"
        out.write(f"{e['pages_empty']} of {e['pages']} page(s) empty: {escape_controls(why)}\n")
    if empty:
        out.write("rerun with the limits each message suggests (e.g. a higher "
                  "--page-timeout or a lower --dpi), or with --retry-failed, to read the "
                  "empty pages again\n")  # fmt: skip
    for c in _listed(out, summary["to_check"], args.limit, "documents to check"):
        for warning in c["warnings"]:
            out.write(f"to check: {escape_controls(warning)}\n")
    return 0


def _listed(out, items: list, limit: int, what: str):
    """Yield the first `limit` of `items` (all: `limit` <= 0) for the caller to write, then
    write how many more there are ("... and 3 more failed (--limit 0 lists all)")."""
    shown = items if limit <= 0 else items[:limit]
    yield from shown
    if len(shown) < len(items):
        out.write(f"... and {len(items) - len(shown)} more {what} (--limit 0 lists all)\n")
