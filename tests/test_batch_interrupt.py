"""A batch interrupted by Ctrl-C ends: no document worker is left for multiprocessing's
exit to wait on, a second Ctrl-C does not cut the clean-up short, and no temporary file
of a killed worker stays in OUTDIR."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import pytest

from ocr_pipeline.batch import workers


def test_a_worker_no_scheduler_holds_is_killed_with_its_folder() -> None:
    stray = workers.Worker()  # as if an interrupt had come before the scheduler listed it
    proc, folder = stray.proc, Path(stray.tmpdir)
    assert proc.is_alive() and folder.is_dir()
    workers.kill_strays()
    assert not proc.is_alive()
    assert not folder.exists()
    assert not list(Path(tempfile.gettempdir()).glob(f"ocr-pipeline-worker-{os.getpid()}-*"))


def test_interrupts_are_held_while_the_batch_cleans_up() -> None:
    before = signal.getsignal(signal.SIGINT)
    with workers.interrupts_held():
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        os.kill(os.getpid(), signal.SIGINT)  # ignored: no KeyboardInterrupt here
    assert signal.getsignal(signal.SIGINT) is before


def test_an_interrupted_batch_leaves_no_temporary_file(monkeypatch, tmp_path) -> None:
    import ocr_pipeline.batch as batch
    from ocr_pipeline.batch.inputs import collect_inputs
    from ocr_pipeline.options import PipelineOptions

    page = tmp_path / "in" / "a.png"
    page.parent.mkdir()
    page.write_bytes(b"not read: the runner is replaced")
    out = tmp_path / "out"
    out.mkdir()

    def interrupted(tasks, config, manifest, progress, summary):
        (out / ".a.txt.x1y2.tmp").write_bytes(b"")  # a killed worker was writing this
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_local", interrupted)
    monkeypatch.setattr(batch, "plan_tasks", lambda items, *a: (list(items), {}))
    config = batch.BatchConfig(outdir=out, options=PipelineOptions(), settings={}, versions={})
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(collect_inputs([str(page)]), config)
    assert not list(out.rglob("*.tmp"))


def test_status_tells_a_running_batch_from_an_interrupted_one(tmp_path, capsys) -> None:
    from ocr_pipeline.batch import outdir_lock
    from ocr_pipeline.cli import main
    from ocr_pipeline.manifest import Manifest

    with Manifest.open(tmp_path) as manifest:
        manifest.plan("a", "a.png", "0" * 64, outdir=tmp_path, expected=[])
        manifest.mark_running("a")
    assert main(["status", str(tmp_path)]) == 0
    assert "interrupted (rerun to resume): a.png" in capsys.readouterr().out
    with outdir_lock(tmp_path):  # a batch writing to it
        assert main(["status", str(tmp_path)]) == 0
        assert "running: a.png" in capsys.readouterr().out
