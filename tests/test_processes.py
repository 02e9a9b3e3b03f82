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


def _page_worker_state() -> dict:
    from ocr_pipeline.restore import _build_decoder

    return {"ppid": os.getppid(), "decoders": _build_decoder.cache_info().currsize}


def _document_worker(env: dict[str, str]) -> dict:
    """What a document worker sees: its libraries' thread limits, and a page pool forked
    from it after the pipeline loaded what pages share."""
    from ocr_pipeline import pipeline

    processes.init_worker(env, may_fork=True)
    pipeline._load_shared(PipelineOptions(restore=True, footnote_markers=False))
    ctx = processes.page_context()
    with cf.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        page = pool.submit(_page_worker_state).result()
    return {
        "pid": os.getpid(),
        "method": ctx.get_start_method(),
        "limits": {k: os.environ.get(k) for k in processes.THREAD_LIMITS},
        "page": page,
    }


def test_document_workers_fork_their_pages_after_loading_the_decoder(monkeypatch):
    for name in processes.THREAD_LIMITS:
        monkeypatch.delenv(name, raising=False)
    ctx = processes.mp_context()
    assert all(name not in os.environ for name in processes.THREAD_LIMITS)  # caller untouched
    with cf.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        seen = pool.submit(_document_worker, processes.worker_env()).result()
    assert seen["limits"] == processes.THREAD_LIMITS  # OpenBLAS/OpenMP: one thread
    assert seen["method"] == "fork" and seen["page"]["ppid"] == seen["pid"]  # no forkserver
    assert seen["page"]["decoders"] == 1  # loaded once, before the fork: shared


@pytest.mark.skipif(processes.mp_context().get_start_method() != "forkserver",
                    reason="no forkserver on this platform")  # fmt: skip
def test_other_processes_start_page_pools_from_the_forkserver():
    assert not processes.forks_pages()  # a script's process may hold threads: never forked
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
    """A page 'read' by whichever process ran it (its pid in `error`), after a short wait
    so that every process gets some of the pages."""
    import time

    from ocr_pipeline.model import Page

    time.sleep(0.2)
    return Page(number, 10, 10, 300, error=str(os.getpid())), {"raster": 0.0}


def _document_worker_pages(env: dict[str, str], jobs: int) -> dict:
    from pathlib import Path

    from ocr_pipeline import pipeline

    processes.init_worker(env, may_fork=True)
    pipeline._run_page = _fake_page  # the page workers fork from here: they run it too
    options = PipelineOptions(jobs=jobs, restore=False, footnote_markers=False)
    seen: list[int] = []
    results = pipeline._run_pages(Path("x.pdf"), list(range(1, 9)), options,
                                  lambda page: seen.append(page.number))  # fmt: skip
    return {
        "pid": os.getpid(),
        "numbers": [r[0].number for r in results],
        "seen": sorted(seen),
        "readers": {r[0].error for r in results},
    }


def test_a_document_worker_reads_pages_itself_beside_jobs_minus_one_page_workers():
    with cf.ProcessPoolExecutor(1, mp_context=processes.mp_context()) as pool:
        seen = pool.submit(_document_worker_pages, processes.worker_env(), 3).result()
    assert seen["numbers"] == list(range(1, 9)) and seen["seen"] == list(range(1, 9))
    assert str(seen["pid"]) in seen["readers"]  # the document worker took pages too
    assert len(seen["readers"]) <= 3  # and 2 page workers: 3 jobs, no process idle


_GUARDED = """
import sys, time
from ocr_pipeline import processes
processes.HANG_GRACE = 0.2
if sys.argv[1] == "worker":
    processes.init_worker({})
with processes.hang_guard(0.1):
    if sys.argv[2] == "hang":
        time.sleep(30)
time.sleep(0.6)  # past the guard's limit: it must be disarmed by now
print("alive")
"""


@pytest.mark.parametrize(
    ("where", "what", "killed"),
    [("worker", "hang", True), ("worker", "return", False), ("script", "hang", False)],
)
def test_hang_guard_kills_only_a_hung_worker(where, what, killed):
    """A call Python cannot interrupt (Tesseract in-process) that runs past its limit and
    the grace kills its worker (SIGALRM), as a crash would; a call that returned leaves the
    worker alive, and a script's own process is never killed."""
    argv = [sys.executable, "-c", _GUARDED, where, "hang" if what == "hang" else "-"]
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
