"""How the package's worker processes start: their context, environment and thread limits.

One owner for what both kinds of worker need: the page pool of `pipeline` and the
document workers of `batch.workers`. A batch is one process tree that starts once:

    ocr-pipeline (parent: no numpy, OpenCV or Pillow loaded, one thread)
      -> document workers (forked from it; each imports the pipeline once, then takes
         one document at a time, reading its pages on `jobs` threads)

- Document workers (`document_context`): "fork" from a parent that has loaded none of
  the libraries with thread pools (`UNFORKABLE`: numpy's OpenBLAS, OpenCV) and runs a
  single thread, as the CLI's parent does (it imports only `options`, `raster`'s checks
  and the batch bookkeeping): no forkserver process to start and keep (an interpreter
  start-up, and 68 MB RSS / 30 MB PSS for the whole batch). The worker sets `THREAD_LIMITS` before
  it imports `PRELOAD`, so numpy's OpenBLAS (and any OpenMP) runs one thread instead of
  one per core in every process: the workers already use the cores. Any other parent (a
  script or a Dask worker that loaded numpy or runs threads) gets `mp_context`.
- `mp_context`: "forkserver" where the platform has it (else "spawn"): OpenCV and OpenMP
  do not survive `fork` from an arbitrary threaded parent reliably. The forkserver
  preloads `PRELOAD` with `THREAD_LIMITS` in its environment.
- Pages (`pages_on_threads`): a document worker (`init_worker(..., page_threads=True)`)
  reads a document's pages on `jobs` threads of its own (`pipeline`): Tesseract, OpenCV
  and numpy's large operations release the GIL, which the rest of a page (a tenth of its
  time) takes in turn. One process holds the pipeline, the restore decoder and the
  libraries once: a page worker forked beside it held its own copy of everything it
  touched (issue 15: 245 MB RSS each), and Tesseract reads in-process there, so a thread
  costs one more model (`tesseract`: an API per page read at once) and a page's arrays.
  A hung Tesseract call kills the whole document worker (`hang_guard`), as a crash does.
  Any other process (a script calling `pipeline.process_document`) runs its pages in a
  process pool of `page_context`, the forkserver.
- Environment (`worker_env`): `THREAD_LIMITS`, `OMP_THREAD_LIMIT=1` for tesseract, and
  the tesseract binary chosen by the parent, since the forkserver may have started before
  a later `os.environ` change. `init_worker` applies it and limits OpenCV to one thread.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import signal
import sys
import threading
from collections.abc import Iterator

#: The module the forkserver imports once, before forking any worker.
PRELOAD = "ocr_pipeline.pipeline"
#: Thread pools of numerical libraries, fixed when they load: one thread in our workers.
THREAD_LIMITS = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
#: Libraries whose thread pools do not survive `fork`, and whose thread counts are fixed
#: when they load: a process that loaded one starts its document workers from the forkserver.
UNFORKABLE = frozenset({"numpy", "cv2"})

_page_threads = False  # set in a document worker: it reads pages on threads of its own
#: Restoration's caches belong to the process and are not thread-safe: pages read on
#: threads (`pages_on_threads`) restore one at a time, under this lock (restoring is pure
#: Python: the GIL would run one at a time anyway).
RESTORE_LOCK = threading.RLock()
_worker = False  # set in every worker process of ours (`init_worker`)
#: Seconds a call that cannot be interrupted may run past its time limit before its
#: worker is killed (`hang_guard`).
HANG_GRACE = 30.0


def worker_env() -> dict[str, str]:
    """The environment a worker process runs with (see the module docstring)."""
    from ocr_pipeline.tesseract import TESSERACT_ENV

    env = {**THREAD_LIMITS, "OMP_THREAD_LIMIT": "1"}
    if os.environ.get(TESSERACT_ENV):  # the forkserver may predate a later setenv
        env[TESSERACT_ENV] = os.environ[TESSERACT_ENV]
    return env


def init_worker(env: dict[str, str], *, page_threads: bool = False) -> None:
    """Run first in a worker: its environment, and one OpenCV thread. `page_threads`: this
    worker reads a document's pages on threads of its own (`pages_on_threads`)."""
    global _page_threads, _worker
    os.environ.update(env)
    _page_threads = page_threads
    _worker = True
    try:
        import cv2

        cv2.setNumThreads(1)
    except ImportError:  # pragma: no cover - opencv is a hard dependency
        pass


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """The forkserver starts with Ctrl-C ignored, as every worker of ours runs: a Ctrl-C
    while it imported its preload printed a KeyboardInterrupt traceback of its own."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, saved)


@functools.cache
def mp_context() -> (
    multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext
):
    """The context of document workers and of page pools outside them (one forkserver per
    process, started here with the thread limits; the caller's environment is left as
    it was)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([PRELOAD])  # workers fork with numpy/cv2 imported
        with _environ(THREAD_LIMITS), _ctrl_c_ignored():
            multiprocessing.forkserver.ensure_running()
        return ctx
    return multiprocessing.get_context("spawn")


def document_context() -> (
    multiprocessing.context.ForkContext
    | multiprocessing.context.ForkServerContext
    | multiprocessing.context.SpawnContext
):
    """The context of document workers: "fork" from a light, single-threaded parent, else
    `mp_context` (see the module docstring)."""
    light = not UNFORKABLE & sys.modules.keys() and threading.active_count() == 1
    if light and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return mp_context()


def preload() -> None:
    """Import what every page needs (`PRELOAD`), once, in a worker started by `fork`."""
    import importlib

    importlib.import_module(PRELOAD)


@contextlib.contextmanager
def hang_guard(seconds: float | None) -> Iterator[None]:
    """In a worker process of ours, kill the process (SIGALRM's default action) when the
    block runs `HANG_GRACE` seconds past `seconds`; elsewhere, and without a limit, nothing.

    For a call into a library that no Python code can interrupt (Tesseract read in-process
    checks its own deadline only between words): a hang there ends as a crashed worker
    does (the batch's error path, exit code 7) instead of never ending. Any thread of the
    worker may be the one that hangs (pages are read on several): a timer thread sends the
    signal. Only our workers are killed: a script's own process is never."""
    armed = _worker and bool(seconds) and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    if not armed:
        yield
        return
    timer = threading.Timer(float(seconds) + HANG_GRACE,  # type: ignore[arg-type]
                            os.kill, (os.getpid(), signal.SIGALRM))  # fmt: skip
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def page_context() -> multiprocessing.context.BaseContext:
    """The context of a page pool (outside a document worker, which reads its pages on
    threads): `mp_context`."""
    return mp_context()


def pages_on_threads() -> bool:
    """True in a document worker: its pages are read on threads of its own, not in a pool
    of page processes (see the module docstring)."""
    return _page_threads
