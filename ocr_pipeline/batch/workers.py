"""Document worker processes: one document at a time each, killed as a whole when needed.

A worker (`Worker`) is a process of the `processes` context that takes one document at a
time over a pipe, so a worker that crashes (segfault, out-of-memory kill) fails only the
document it had, and a per-document timeout kills only that worker; the scheduler puts a
fresh one in its place. Workers live on between documents (the restore decoder takes
seconds to load) and are replaced after `DOCUMENTS_PER_WORKER` documents. Each worker
leads a process group of its own (tesseract, poppler and its page pool included), killed
as a whole, and has a temp folder of its own, removed with it; when the batch dies, even
by SIGKILL, its workers end too, and the next batch sweeps their folders
(`sweep_stale_worker_dirs`).

`run_isolated` runs one document in such a worker and waits for it: the Dask task.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from ocr_pipeline import processes
from ocr_pipeline.batch.task import (
    DocResult,
    DocTask,
    crash_result,
    process_task,
    timeout_result,
)

log = logging.getLogger(__name__)


KILL_WAIT = 10.0  # seconds to reap a killed worker (one stuck in the kernel is left)
DOCUMENTS_PER_WORKER = 100  # then a fresh process: bounds any slow leak over a long batch
#: Seconds a new worker may take to load the pipeline (`processes.preload`) before its first
#: document's --doc-timeout starts counting; a worker that never gets ready is killed then.
START_ALLOWANCE = 60.0


def _end_group(tmpdir: str | None) -> None:
    """Remove the worker's temp folder, then kill its process group (itself included)."""
    if tmpdir:
        shutil.rmtree(tmpdir, ignore_errors=True)
    if os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os._exit(1)


def _die_with_the_batch(batch_pid: int, tmpdir: str | None) -> None:
    """When the batch dies, even by SIGKILL, end this worker's whole group (tesseract
    mid-page included) and remove its temp folder instead of finishing the document:
    a daemon thread waits on a pidfd of the batch (Linux 5.3+; elsewhere the worker ends
    after its document, when it finds the pipe closed)."""
    try:
        pidfd = os.pidfd_open(batch_pid)
    except ProcessLookupError:
        _end_group(tmpdir)
    except (OSError, AttributeError):
        return

    def watch() -> None:
        select.select([pidfd], [], [])
        _end_group(tmpdir)

    threading.Thread(target=watch, name="batch-watch", daemon=True).start()


def _worker_main(conn: multiprocessing.connection.Connection, env: dict[str, str],
                 batch_pid: int | None = None) -> None:  # fmt: skip
    """A document worker: runs the tasks it is sent, one at a time, until told to stop.

    Staying alive between documents keeps per-process caches (the restore decoder takes
    seconds to load) warm; the parent replaces a worker that died or timed out.
    """
    # A process group of its own: tesseract, poppler and the page pool it starts are in it,
    # so the batch kills them all together (`Worker.kill`) and none runs on orphaned.
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    if batch_pid is not None:
        _die_with_the_batch(batch_pid, env.get("TMPDIR"))
    processes.init_worker(env, page_threads=True)  # it reads pages on threads of its own
    processes.preload()  # after init_worker: numpy loads with THREAD_LIMITS set
    tempfile.tempdir = None  # re-read TMPDIR: the worker's own folder
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    for sig in (signal.SIGTERM, signal.SIGHUP):  # forked from the CLI: not its handlers
        signal.signal(sig, signal.SIG_DFL)

    def send(msg: tuple) -> None:
        try:
            conn.send(msg)
        except OSError:  # the batch is gone (BrokenPipeError): end the group, no traceback
            _end_group(env.get("TMPDIR"))

    def progress(done: int, total: int, _page: object = None) -> None:
        send(("page", done, total))

    send(("ready",))  # the pipeline is loaded: --doc-timeout counts from here

    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):  # the batch is gone
            return
        if msg[0] != "task":
            return
        send(("result", process_task(msg[1], progress)))


WORKER_DIR_PREFIX = "ocr-pipeline-worker-"


def sweep_stale_worker_dirs(tmp: str | None = None) -> int:
    """Remove worker temp folders left by batches that were killed outright (SIGKILL).

    A folder is named after the batch process that made it (`ocr-pipeline-worker-PID-...`);
    it is removed when that process no longer exists and the folder is ours. Returns the
    number removed.
    """
    root = Path(tmp or tempfile.gettempdir())
    removed = 0
    for folder in root.glob(f"{WORKER_DIR_PREFIX}*-*"):
        pid_text = folder.name[len(WORKER_DIR_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            if folder.is_symlink() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid_text), 0)
            continue  # that batch is still running
        except ProcessLookupError:
            pass
        except OSError:  # not ours to judge (permission) or gone meanwhile
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    if removed:
        log.info("removed %d temp folder(s) of killed batches from %s", removed, root)
    return removed


WORKER_NAME = "ocr-pipeline-worker"
_STARTED = threading.local()  # `started_workers`: the workers this thread's batch started


@contextlib.contextmanager
def started_workers():
    """Every `Worker` this thread makes while inside, listed before its process starts, so
    a batch can kill them all after an interrupt: one whose start the interrupt cut short
    is in no scheduler's list, and multiprocessing's exit would wait for it forever (it
    ignores Ctrl-C and waits for a task)."""
    outer = getattr(_STARTED, "workers", None)
    workers: list[Worker] = []
    _STARTED.workers = workers
    try:
        yield workers
    finally:
        _STARTED.workers = outer


class Worker:
    """A document worker process and the document it is busy with (if any)."""

    def __init__(self, *, daemon: bool = False) -> None:
        """`daemon` workers end with this process but cannot run a page pool (jobs 1)."""
        ctx = processes.document_context()
        self.conn, child_conn = ctx.Pipe(duplex=True)
        # Tesseract's input copies go to a temp folder of the worker's own: a worker killed
        # mid-page (crash, --doc-timeout) cannot clean up, so kill() removes the folder.
        # It stays in the system temp folder: forkserver's socket path must be short. Its
        # name carries this process's id, so a later batch can sweep it if we are SIGKILLed.
        self.tmpdir = tempfile.mkdtemp(prefix=f"{WORKER_DIR_PREFIX}{os.getpid()}-")
        env = {**processes.worker_env(), "TMPDIR": self.tmpdir}
        self.proc = ctx.Process(target=_worker_main, args=(child_conn, env, os.getpid()),
                                name=WORKER_NAME, daemon=daemon)  # fmt: skip
        started = getattr(_STARTED, "workers", None)
        if started is not None:
            started.append(self)
        self.proc.start()
        child_conn.close()
        self.task: DocTask | None = None
        self.timeout: float | None = None
        self.result: DocResult | None = None
        self.started = time.monotonic()
        self.ready = False  # the worker said it has loaded the pipeline
        self.pages_done = self.pages_total = 0
        self.documents = 0

    def assign(self, task: DocTask, timeout: float | None) -> None:
        self.task, self.timeout, self.result = task, timeout, None
        self.started, self.pages_done, self.pages_total = time.monotonic(), 0, 0
        self.documents += 1
        self.conn.send(("task", task))

    @property
    def deadline(self) -> float | None:
        if self.task is None or not self.timeout:
            return None
        return self.started + self.timeout + (0.0 if self.ready else START_ALLOWANCE)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def drain(self) -> int:
        """Read every pending message; return the number of pages newly done."""
        new = 0
        while self.result is None:
            try:
                if not self.conn.poll():
                    break
                msg = self.conn.recv()
            except (EOFError, OSError):
                break
            if msg[0] == "ready":
                self.ready = True
                if self.task is not None:  # its document starts now, not while it loaded
                    self.started = time.monotonic()
            elif msg[0] == "page":
                new += msg[1] - self.pages_done
                self.pages_done, self.pages_total = msg[1], msg[2]
            elif msg[0] == "result":
                self.result = msg[1]
        return new

    def collect(self) -> tuple[DocTask, DocResult] | None:
        """(task, result) when the current document is finished; a dead worker's document
        gets a crash result. Call `drain` first."""
        if self.task is None:
            return None
        if self.result is None and not self.proc.is_alive():
            self.drain()
            if self.result is None:
                self.proc.join()
                self.result = crash_result(self.task.source, self.proc.exitcode, self.elapsed())
        if self.result is None:
            return None
        done = (self.task, self.result)
        self.task, self.result = None, None
        return done

    @property
    def alive(self) -> bool:
        return self.proc.is_alive()

    def stop(self) -> None:
        """Ask an idle worker to exit (it also exits on its own when the batch dies)."""
        with contextlib.suppress(OSError):
            self.conn.send(("stop",))
        self.proc.join(timeout=10)
        self.kill()

    def kill(self) -> None:
        """Kill the worker with its whole process group (tesseract, poppler, page pool),
        reap it and remove its temp folder (also for one whose start was cut short)."""
        pid = self.proc.pid  # None: start() never ran (an interrupt in __init__)
        if pid is not None:
            with contextlib.suppress(OSError):  # ESRCH: the group is empty or was never made
                os.killpg(pid, signal.SIGKILL)
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(timeout=KILL_WAIT)
        self.conn.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


@contextlib.contextmanager
def interrupts_held():
    """Ctrl-C, SIGTERM and SIGHUP ignored while the batch cleans up after one: a second
    Ctrl-C must not cut the workers' killing short (main thread only; a no-op elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in saved.items():  # None: a handler set from C; the default then
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


_THREAD = threading.local()  # one reusable document worker per calling thread (Dask)


def run_isolated(task: DocTask, timeout: float | None = None) -> DocResult:
    """`process_task` in a document worker process (the Dask task): crash- and time-safe.

    The worker is kept for the calling thread's next document (daemonic: it ends with
    this process) and replaced when it crashed, timed out or reached
    `DOCUMENTS_PER_WORKER`. Pages run one after another in it. Inside a daemonic process
    (which may not have children) the document runs in-process instead.
    """
    task = replace(task, options=replace(task.options, jobs=1))
    if multiprocessing.current_process().daemon:
        return process_task(task)
    worker: Worker | None = getattr(_THREAD, "worker", None)
    if worker is None or not worker.alive or worker.documents >= DOCUMENTS_PER_WORKER:
        if worker is not None:
            worker.stop()
        worker = _THREAD.worker = Worker(daemon=True)
    worker.assign(task, timeout)
    try:
        while True:
            deadline = worker.deadline
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            multiprocessing.connection.wait([worker.conn, worker.proc.sentinel], timeout=wait)
            worker.drain()
            done = worker.collect()
            if done is not None:
                return done[1]
            if deadline is not None and time.monotonic() >= deadline:
                worker.kill()
                return timeout_result(task.source, timeout or 0, worker.elapsed())
    except BaseException:
        worker.kill()  # interrupted mid-document: its state is unknown
        raise
    finally:
        if not worker.alive or worker.task is not None:
            _THREAD.worker = None
