"""Many documents: collect inputs, mirror them under OUTDIR, resume, run, record each fate.

The batch only schedules: a document is one `pipeline.run_document` call (pages,
structure, outputs). `run_batch` holds OUTDIR (one batch per OUTDIR at a time, an flock
on OUTDIR/.ocr-pipeline.lock), removes the `.*.tmp` files an interrupted batch left
(`fileio.write_atomic`), plans, runs and sums up. Each job has its module:

- `inputs`: collecting files, folders and `--from-list` entries, mirroring folder trees
  under OUTDIR, refusing paths that leave their folder or OUTDIR;
- `plan`: the manifest's decisions (resume by content hash, `--retry-failed`, `--force`)
  and what it records of each document;
- `task`: one document as a unit of work (`process_task` -> `DocResult`, never raising);
- `workers`: the document worker processes (crash- and timeout-safe, killed as a group);
- `local` and `dask`: the two schedulers (this machine's workers; a Dask cluster);
- `progress`: the progress line.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import logging
import os
import re
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from ocr_pipeline.batch.dask import run_dask
from ocr_pipeline.batch.inputs import InputItem, collect_inputs, output_base
from ocr_pipeline.batch.local import run_local
from ocr_pipeline.batch.plan import (
    BatchConfig,
    BatchSummary,
    keep_recorded_names,
    own_outputs,
    plan_tasks,
)
from ocr_pipeline.batch.progress import BatchProgress
from ocr_pipeline.errors import FATAL_CODES, OutputError
from ocr_pipeline.manifest import Manifest

__all__ = [
    "LOCK_NAME",
    "BatchConfig",
    "BatchSummary",
    "InputItem",
    "batch_running",
    "collect_inputs",
    "run_batch",
]

log = logging.getLogger(__name__)

LOCK_NAME = ".ocr-pipeline.lock"
# the work folder of a PDF/A conversion (`export.pdfa`): ".NAME.ocr.pdf.XXXXXXXX.tmp"
_PDFA_WORK = re.compile(r"^\..+\.ocr\.pdf\.[a-z0-9_]{8}\.tmp$")
LOCK_TRIES, LOCK_PAUSE = 5, 0.05  # a `status` holds a shared lock only this briefly


def sweep_temp_files(outdir: Path, documents: Sequence[Path] | None = None) -> int:
    """Remove the `.NAME.*.tmp` files an interrupted `write_atomic` left under `outdir`, and
    the `.NAME.ocr.pdf.*.tmp` folders of an interrupted PDF/A conversion; with `documents`
    (their outputs' base paths) only those of these documents' outputs, not another
    command's writing into OUTDIR meanwhile."""
    found: list[Path] = []
    if documents is not None:
        for base in documents:
            found += base.parent.glob(f".{glob.escape(base.name)}.*.tmp")
    else:
        for root, dirs, files in os.walk(outdir, followlinks=False):
            found += [Path(root) / n for n in files if n.startswith(".") and n.endswith(".tmp")]
            found += [Path(root) / n for n in dirs if _PDFA_WORK.match(n)]
    removed = 0
    for path in found:
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                if not _PDFA_WORK.match(path.name):
                    continue  # a user's hidden folder whose name ends in ".tmp": theirs
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
    if removed:
        log.info("%s: removed %d leftover temporary file(s)", outdir, removed)
    return removed


@contextlib.contextmanager
def outdir_lock(outdir: Path):
    """Hold an exclusive lock on OUTDIR for one batch (released even on SIGKILL)."""
    path = Path(outdir) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        for attempt in range(LOCK_TRIES):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if attempt + 1 == LOCK_TRIES:
                    raise OutputError(
                        f"another ocr-pipeline batch is writing to {outdir}; wait for it to "
                        "finish or choose another -o"
                    ) from None
                time.sleep(LOCK_PAUSE)  # `status` looks with a shared lock for a moment
        yield
    finally:
        os.close(fd)


def batch_running(outdir: Path) -> bool:
    """A batch holds OUTDIR's lock now (`outdir_lock`): its documents marked running are
    being read, not left by an interrupted batch. Only looks (a shared lock, let go)."""
    try:
        fd = os.open(Path(outdir) / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def run_batch(items: list[InputItem], config: BatchConfig) -> BatchSummary:
    """Process `items` into `config.outdir`, resuming from its manifest; never raises for one
    document's problem. The summary's exit code is the first failure's, in input order."""
    summary = BatchSummary()
    with outdir_lock(config.outdir), Manifest.open(config.outdir) as manifest:
        sweep_temp_files(config.outdir)
        ours = own_outputs(items, config.outdir, manifest)
        if ours:
            log.info("%d of our own output file(s) in the inputs left out", len(ours))
            items = [it for i, it in enumerate(items) if i not in ours]
        items = keep_recorded_names(items, manifest)
        progress = BatchProgress(len(items), quiet=config.quiet)
        tasks: list = []
        try:
            tasks, prior = plan_tasks(items, config, manifest, progress)
            summary.skipped = len(items) - len(tasks) - len(prior)
            progress.done = summary.skipped
            progress.failed = len(prior)
            progress.already = summary.skipped + len(prior)
            summary.codes.update(prior)
            if tasks:
                runner = run_dask if config.scheduler else run_local
                runner(tasks, config, manifest, progress, summary)
        finally:
            progress.clear()
            if not config.scheduler:  # the local workers are dead: what they wrote is stale
                sweep_temp_files(config.outdir, [output_base(config.outdir, t.rel) for t in tasks])
        summary.failed = len(summary.codes)
        # the documents a stop at the installation's or OUTDIR's error never started
        summary.unstarted = max(0, len(items) - summary.skipped - summary.done - summary.failed)
        fatal = [c for c in summary.codes.values() if c in FATAL_CODES]
        if fatal:  # the installation or OUTDIR is broken: that, not a bad input, is the news
            summary.exit_code = fatal[0]
            return summary
        for item in items:
            if item.rel in summary.codes:
                summary.exit_code = summary.codes[item.rel]
                break
    return summary
