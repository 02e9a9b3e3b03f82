"""The local scheduler: a batch's documents on this machine's document workers.

`--jobs N` is spread across documents when there are at least N of them (pages then run
one after another inside each worker), and across the pages of each document otherwise
(`split_jobs`). The loop feeds idle workers, waits for a message, a death or the nearest
`--doc-timeout` deadline, and records each finished document; a failure that no other
document can escape (`errors.FATAL_CODES`: a missing program, an unwritable OUTDIR) stops
feeding new ones.
"""

from __future__ import annotations

import logging
import multiprocessing.connection
import time
from dataclasses import replace

from ocr_pipeline.batch.plan import BatchConfig, BatchSummary, record_result
from ocr_pipeline.batch.progress import BatchProgress
from ocr_pipeline.batch.task import DocTask, timeout_result
from ocr_pipeline.batch.workers import (
    DOCUMENTS_PER_WORKER,
    Worker,
    interrupts_held,
    started_workers,
    sweep_stale_worker_dirs,
)
from ocr_pipeline.errors import FATAL_CODES
from ocr_pipeline.manifest import Manifest

log = logging.getLogger(__name__)


def split_jobs(jobs: int, documents: int) -> tuple[int, int]:
    """(documents at once, pages at once per document) for `jobs` cores."""
    jobs = max(1, jobs)
    if documents <= 1:
        return 1, jobs
    doc_jobs = min(jobs, documents)
    return doc_jobs, max(1, jobs // doc_jobs)


def run_local(
    tasks: list[DocTask],
    config: BatchConfig,
    manifest: Manifest,
    progress: BatchProgress,
    summary: BatchSummary,
) -> None:
    """Run `tasks` in document workers, recording each result as it comes."""
    doc_jobs, page_jobs = split_jobs(config.jobs, len(tasks))
    log.info("%d document(s): %d at a time, %d page job(s) each", len(tasks), doc_jobs,
             page_jobs)  # fmt: skip
    pending = [replace(t, options=replace(t.options, jobs=page_jobs)) for t in tasks]
    pending.reverse()
    workers: list[Worker] = []
    sweep_stale_worker_dirs()
    with started_workers() as started:
        try:
            _schedule(pending, workers, doc_jobs, config, manifest, progress, summary)
        finally:
            with interrupts_held():
                for w in started:  # those in `workers`, and any whose start was cut short
                    w.kill()


def _schedule(
    pending: list[DocTask],
    workers: list[Worker],
    doc_jobs: int,
    config: BatchConfig,
    manifest: Manifest,
    progress: BatchProgress,
    summary: BatchSummary,
) -> None:
    """Feed idle workers from `pending` and record what they finish, until every task is
    done or a fatal failure stops the feeding."""
    stop = False
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
            current, deadline = w.task, w.deadline
            done = w.collect()
            late = deadline is not None and time.monotonic() >= deadline
            if done is None and current is not None and late:
                elapsed = w.elapsed()
                w.kill()
                workers.remove(w)
                limit = config.doc_timeout or 0
                done = (current, timeout_result(current.source, limit, elapsed))
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
