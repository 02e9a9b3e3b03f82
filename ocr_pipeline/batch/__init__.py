"""Many documents: collect inputs, mirror them under OUTDIR, resume, run, record each fate.

No stage logic here: a document is one `pipeline.run_document` call (pages, structure,
outputs), wrapped in `process_task`, which never raises (a failure is a `DocResult` with
the one-line error and its exit code).

- Inputs (`collect_inputs`): files (output NAME = stem, disambiguated like before),
  folders (recursive, `include`/`exclude` globs matched against the path relative to the
  folder and against the file name, case-insensitive; default: the supported suffixes),
  and `--from-list` files (one path per line, relative to the list's folder, blank lines
  and `#` comments skipped). A folder's tree is mirrored under OUTDIR. Refused, each as a
  recorded failure: list entries that are absolute or contain `..`, paths that resolve
  (through a symlink anywhere on the way) outside the folder or list folder they were
  found in, symlink loops, anything but a regular file (FIFOs, devices: never opened),
  and any output path that would resolve outside OUTDIR (e.g. a symlinked sub-folder in
  OUTDIR) or onto an input. Our own outputs are never inputs (`own_outputs`), and a done
  document keeps its output name when a same-stem file appears (`keep_recorded_names`).
- Resume: the SQLite manifest (`manifest.Manifest`, in OUTDIR) decides what needs work by
  content hash; see its docstring. Leftover `.*.tmp` files of an interrupted batch (from
  `fileio.write_atomic`) are removed before a batch starts; one batch per OUTDIR at a time
  (an flock on OUTDIR/.ocr-pipeline.lock).
- Execution: documents run in worker processes (forkserver) that take one document at a
  time, so a worker that crashes (segfault, out-of-memory kill) fails only the document it
  had, and the optional per-document timeout kills only that worker; a fresh worker takes
  its place. Workers live on between documents (the restore decoder takes seconds to
  load) and are replaced after `DOCUMENTS_PER_WORKER` documents. `--jobs N` is spread
  across documents when there are at least N of them (pages then run one after another
  inside each worker), and across the pages of each document otherwise (`split_jobs`).
  Each worker leads a process group of its own, killed as a whole (tesseract included).
  With a Dask scheduler address, `run_isolated` (one document in a worker process of its
  own) runs on the cluster's workers, which must see the input and output paths; each
  document's pages run one after another there.
- Progress (`BatchProgress`): a redrawn line on a terminal (documents and pages done,
  pages/min, ETA), plain periodic lines otherwise, nothing with `quiet`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import multiprocessing
import multiprocessing.connection
import os
import time
import uuid
from dataclasses import replace
from pathlib import Path

from ocr_pipeline.batch.inputs import InputItem, collect_inputs
from ocr_pipeline.batch.plan import (
    FATAL_CODES,
    BatchConfig,
    BatchSummary,
    keep_recorded_names,
    own_outputs,
    plan_tasks,
    record_result,
)
from ocr_pipeline.batch.progress import BatchProgress
from ocr_pipeline.batch.task import DocResult, DocTask, timeout_result
from ocr_pipeline.batch.workers import (
    DOCUMENTS_PER_WORKER,
    Worker,
    run_isolated,
    sweep_stale_worker_dirs,
)
from ocr_pipeline.errors import (
    BadArgumentsError,
    ExitCode,
    MissingDependencyError,
    OutputError,
)
from ocr_pipeline.manifest import Manifest

__all__ = ["LOCK_NAME", "BatchConfig", "BatchSummary", "InputItem", "collect_inputs", "run_batch"]

log = logging.getLogger(__name__)

LOCK_NAME = ".ocr-pipeline.lock"


def sweep_temp_files(outdir: Path) -> int:
    """Remove the `.NAME.*.tmp` files an interrupted `write_atomic` left under `outdir`."""
    removed = 0
    for root, _dirs, files in os.walk(outdir, followlinks=False):
        for name in files:
            if name.startswith(".") and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    (Path(root) / name).unlink()
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
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"another ocr-pipeline batch is writing to {outdir}; wait for it to finish "
                "or choose another -o"
            ) from None
        yield
    finally:
        os.close(fd)


def split_jobs(jobs: int, documents: int) -> tuple[int, int]:
    """(documents at once, pages at once per document) for `jobs` cores."""
    jobs = max(1, jobs)
    if documents <= 1:
        return 1, jobs
    doc_jobs = min(jobs, documents)
    return doc_jobs, max(1, jobs // doc_jobs)


# ------------------------------------------------------------------------------ the batch


def _run_local(tasks: list[DocTask], config: BatchConfig, manifest: Manifest,
               progress: BatchProgress, summary: BatchSummary) -> None:  # fmt: skip
    doc_jobs, page_jobs = split_jobs(config.jobs, len(tasks))
    log.info("%d document(s): %d at a time, %d page job(s) each", len(tasks), doc_jobs,
             page_jobs)  # fmt: skip
    pending = [replace(t, options=replace(t.options, jobs=page_jobs)) for t in tasks]
    pending.reverse()
    workers: list[Worker] = []
    stop = False
    sweep_stale_worker_dirs()
    try:
        while pending and not stop or any(w.task is not None for w in workers):
            for w in [w for w in workers if w.task is None]:  # idle: recycle or feed
                if stop or not pending or w.documents >= DOCUMENTS_PER_WORKER or not w.alive:
                    w.stop()
                    workers.remove(w)
            while pending and not stop and len(workers) < doc_jobs:
                workers.append(Worker())
            for w in workers:
                if w.task is None and pending and not stop:
                    task = pending.pop()
                    manifest.mark_running(task.rel)
                    w.assign(task, config.doc_timeout)
            busy = [w for w in workers if w.task is not None]
            deadlines = [w.deadline for w in busy if w.deadline is not None]
            timeout = 1.0
            if deadlines:
                timeout = min(timeout, max(0.0, min(deadlines) - time.monotonic()))
            waits = [w.conn for w in busy] + [w.proc.sentinel for w in busy]
            multiprocessing.connection.wait(waits, timeout=timeout)
            for w in busy:
                progress.page_done(w.drain())
                done = w.collect()
                deadline = w.deadline
                if done is None and deadline is not None and time.monotonic() >= deadline:
                    source, elapsed = w.task.source, w.elapsed()
                    w.kill()
                    workers.remove(w)
                    done = (w.task, timeout_result(source, config.doc_timeout or 0, elapsed))
                    w.task = None
                if done is None:
                    continue
                if not w.alive and w in workers:
                    w.kill()  # reaps it and removes its temp folder
                    workers.remove(w)
                record_result(manifest, done[0], done[1], progress, summary)
                if not done[1].ok and done[1].exit_code in FATAL_CODES:
                    stop = True  # nothing else can succeed either
            progress.inflight = {
                w.task.rel: (w.pages_done, w.pages_total) for w in workers if w.task is not None
            }
            progress.tick()
    finally:
        for w in workers:
            w.kill()


def _run_dask(tasks: list[DocTask], config: BatchConfig, manifest: Manifest,
              progress: BatchProgress, summary: BatchSummary) -> None:  # fmt: skip
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise MissingDependencyError(
            "--scheduler needs Dask distributed; install it with "
            "pip install 'ocr_pipeline[distributed]'"
        ) from None
    try:
        client = Client(config.scheduler, timeout="30s")
    except ValueError as err:
        raise BadArgumentsError(
            f"--scheduler {config.scheduler}: {err}; use tcp://HOST:PORT"
        ) from None
    except OSError as err:
        raise MissingDependencyError(
            f"cannot reach the Dask scheduler {config.scheduler}: {err}; start it "
            "(dask scheduler) or fix --scheduler"
        ) from None
    run_id = uuid.uuid4().hex[:8]
    try:
        futures = {}
        for i, task in enumerate(tasks):
            task = replace(task, options=replace(task.options, jobs=1))
            manifest.mark_running(task.rel)
            fut = client.submit(run_isolated, task, config.doc_timeout, pure=False,
                                key=f"ocr-pipeline-{run_id}-{i}")  # fmt: skip
            futures[fut] = task
        for fut in as_completed(list(futures)):
            task = futures[fut]
            try:
                result = fut.result()
            except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: that document only
                result = DocResult(
                    ok=False,
                    exit_code=int(ExitCode.child_process_error),
                    error=f"{task.source}: failed on the Dask cluster "
                    f"({type(err).__name__}: {err}); retry with --retry-failed",
                )
            progress.page_done(result.pages)
            record_result(manifest, task, result, progress, summary)
    finally:
        client.close()


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
        try:
            tasks, prior = plan_tasks(items, config, manifest, progress)
            summary.skipped = len(items) - len(tasks) - len(prior)
            progress.done = summary.skipped
            progress.failed = len(prior)
            progress.already = summary.skipped + len(prior)
            summary.codes.update(prior)
            if tasks:
                runner = _run_dask if config.scheduler else _run_local
                runner(tasks, config, manifest, progress, summary)
        finally:
            progress.clear()
        summary.failed = len(summary.codes)
        fatal = [c for c in summary.codes.values() if c in FATAL_CODES]
        if fatal:  # the installation or OUTDIR is broken: that, not a bad input, is the news
            summary.exit_code = fatal[0]
            return summary
        for item in items:
            if item.rel in summary.codes:
                summary.exit_code = summary.codes[item.rel]
                break
    return summary
