"""Tests for ocr_pipeline.processes: one process tree per batch, what its workers share."""

from __future__ import annotations

import concurrent.futures as cf
import os

import pytest

from ocr_pipeline import processes
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
