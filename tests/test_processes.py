"""Tests for ocr_pipeline.processes: one process tree per batch, what its workers share."""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import subprocess
import sys

import pytest

from ocr_pipeline import processes
from ocr_pipeline.batch.task import crash_result
from ocr_pipeline.pipeline import PipelineOptions


def _document_worker(env: dict[str, str]) -> dict:
    """What a document worker sees: its libraries' thread limits, and its pages read on
    threads of its own after the pipeline loaded what pages share."""
    from ocr_pipeline import pipeline
    from ocr_pipeline.restore import _build_decoder

    processes.init_worker(env, page_threads=True)
    pipeline._load_shared(PipelineOptions(restore=True, footnote_markers=False))
    return {
        "threads": processes.pages_on_threads(),
        "limits": {k: os.environ.get(k) for k in processes.THREAD_LIMITS},
        "decoders": _build_decoder.cache_info().currsize,
    }


def test_document_workers_read_pages_on_threads_after_loading_the_decoder(monkeypatch):
    for name in processes.THREAD_LIMITS:
        monkeypatch.delenv(name, raising=False)
    ctx = processes.mp_context()
    assert all(name not in os.environ for name in processes.THREAD_LIMITS)  # caller untouched
    with cf.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        seen = pool.submit(_document_worker, processes.worker_env()).result()
    assert seen["limits"] == processes.THREAD_LIMITS  # OpenBLAS/OpenMP: one thread
    assert seen["threads"] and seen["decoders"] == 1  # loaded once, for every page thread


@pytest.mark.skipif(processes.mp_context().get_start_method() != "forkserver",
                    reason="no forkserver on this platform")  # fmt: skip
def test_other_processes_start_page_pools_from_the_forkserver():
    assert not processes.pages_on_threads()  # a script's process: page processes
    assert processes.page_context() is processes.mp_context()


def _in_fresh_python(code: str) -> str:
    """What `code` prints when run by a new interpreter (this one has numpy loaded)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120).stdout.strip()  # fmt: skip


def test_the_batch_parent_loads_no_image_library():
    code = """if True:
        import sys
        from ocr_pipeline.cli import build_parser
        from ocr_pipeline.commands.run import options_from_args
        from ocr_pipeline.batch.plan import options_key
        from ocr_pipeline.versions import tool_versions
        args = build_parser().parse_args(["run", "x.pdf", "-o", "out", "--pages", "1-2"])
        options = options_from_args(args)
        options.validate()
        options_key(options.to_dict(), True)
        print(sorted({m.split(".")[0] for m in sys.modules} & {"numpy", "cv2", "PIL",
                                                               "pytesseract"}))
    """
    assert _in_fresh_python(code) == "[]"


def test_a_light_parent_forks_its_document_workers_without_a_forkserver():
    code = """if True:
        import multiprocessing.forkserver as fs, sys
        from ocr_pipeline.batch.workers import Worker
        w = Worker()
        method = w.proc._popen.method
        w.stop()
        print(method, fs._forkserver._forkserver_pid, "numpy" in sys.modules)
    """
    assert _in_fresh_python(code) == "fork None False"


def test_a_parent_with_numpy_loaded_starts_document_workers_from_the_forkserver():
    import numpy  # noqa: F401  (loaded here anyway; said for the reader)

    assert processes.document_context() is processes.mp_context()


def _fake_page(path, number, options):
    """A page 'read' by whichever process and thread ran it (in `error`), after a short
    wait so that every thread gets some of the pages."""
    import threading
    import time

    from ocr_pipeline.model import Page

    time.sleep(0.2)
    reader = f"{os.getpid()} {threading.current_thread().name}"
    return Page(number, 10, 10, 300, error=reader), {"raster": 0.0}


def _document_worker_pages(env: dict[str, str], jobs: int) -> dict:
    import threading
    from pathlib import Path

    from ocr_pipeline import pipeline

    processes.init_worker(env, page_threads=True)
    pipeline._run_page = _fake_page
    options = PipelineOptions(jobs=jobs, restore=False, footnote_markers=False)
    seen: list[int] = []
    results = pipeline._run_pages(Path("x.pdf"), list(range(1, 9)), options,
                                  lambda page: seen.append(page.number))  # fmt: skip
    return {
        "me": f"{os.getpid()} {threading.current_thread().name}",
        "numbers": [r[0].number for r in results],
        "seen": sorted(seen),
        "readers": {r[0].error for r in results},
        "threads_left": threading.active_count(),
    }


def test_a_document_worker_reads_pages_on_jobs_threads_of_its_own():
    with cf.ProcessPoolExecutor(1, mp_context=processes.mp_context()) as pool:
        seen = pool.submit(_document_worker_pages, processes.worker_env(), 3).result()
    assert seen["numbers"] == list(range(1, 9)) and seen["seen"] == list(range(1, 9))
    assert seen["me"] in seen["readers"]  # the calling thread took pages too
    assert 1 < len(seen["readers"]) <= 3  # beside at most 2 more: 3 jobs
    pid = seen["me"].split()[0]
    assert all(r.split()[0] == pid for r in seen["readers"])  # no page process
    assert seen["threads_left"] == 1  # the page threads ended with the document


def _fatal_page(path, number, options):
    from ocr_pipeline.errors import MissingDependencyError

    if number == 3:
        raise MissingDependencyError("tesseract not found; install it")
    return _fake_page(path, number, options)


def _document_worker_fatal(env: dict[str, str]) -> str:
    from pathlib import Path

    from ocr_pipeline import pipeline
    from ocr_pipeline.errors import MissingDependencyError

    processes.init_worker(env, page_threads=True)
    pipeline._run_page = _fatal_page
    options = PipelineOptions(jobs=2, restore=False, footnote_markers=False)
    try:
        pipeline._run_pages(Path("x.pdf"), list(range(1, 9)), options, lambda page: None)
    except MissingDependencyError as err:
        return f"raised: {err}"
    return "not raised"


def test_a_whole_document_error_on_a_page_thread_is_raised_by_the_document():
    with cf.ProcessPoolExecutor(1, mp_context=processes.mp_context()) as pool:
        said = pool.submit(_document_worker_fatal, processes.worker_env()).result()
    assert said == "raised: tesseract not found; install it"


_GUARDED = """
import sys, time
from ocr_pipeline import processes
processes.HANG_GRACE = 0.2
if sys.argv[1] == "worker":
    processes.init_worker({})
def call():
    with processes.hang_guard(0.1):
        if sys.argv[2] == "hang":
            time.sleep(30)
if sys.argv[3] == "thread":  # a page thread of a document worker
    import threading
    reader = threading.Thread(target=call)
    reader.start()
    reader.join()
else:
    call()
time.sleep(0.6)  # past the guard's limit: it must be disarmed by now
print("alive")
"""


@pytest.mark.parametrize("thread", ["main", "thread"])
@pytest.mark.parametrize(
    ("where", "what", "killed"),
    [("worker", "hang", True), ("worker", "return", False), ("script", "hang", False)],
)
def test_hang_guard_kills_only_a_hung_worker(where, what, killed, thread):
    """A call Python cannot interrupt (Tesseract in-process) that runs past its limit and
    the grace kills its worker (SIGALRM), as a crash would, whichever thread hung; a call
    that returned leaves the worker alive, and a script's own process is never killed."""
    argv = [sys.executable, "-c", _GUARDED, where, "hang" if what == "hang" else "-", thread]
    if where == "script":  # no worker: the hang runs its course (shortened here)
        argv[2] = _GUARDED.replace("time.sleep(30)", "time.sleep(0.6)")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if killed:
        assert proc.returncode == -signal.SIGALRM and "alive" not in proc.stdout
    else:
        assert proc.returncode == 0 and proc.stdout.strip() == "alive", proc.stderr


def test_a_worker_stopped_for_hanging_is_reported_as_such():
    result = crash_result("a.pdf", -signal.SIGALRM, 1.0)
    assert result.exit_code == 7 and "hung" in result.error and "--page-timeout" in result.error
    assert "out of memory" in crash_result("a.pdf", -signal.SIGKILL, 1.0).error
    # pages are read on the document worker's threads: a crash in Tesseract takes it along
    assert "crash in Tesseract" in crash_result("a.pdf", -signal.SIGSEGV, 1.0).error
