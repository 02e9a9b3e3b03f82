"""A batch interrupted by Ctrl-C ends: no document worker is left for multiprocessing's
exit to wait on, a second Ctrl-C does not cut the clean-up short, and no temporary file
of a killed worker stays in OUTDIR."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from ocr_pipeline.batch import workers


def test_every_worker_a_batch_started_is_listed_before_its_process_starts() -> None:
    with workers.started_workers() as started:
        stray = workers.Worker()  # as if an interrupt came before the scheduler listed it
    assert started == [stray] and stray.proc.is_alive()
    other = workers.Worker()  # outside: another batch's, not listed
    try:
        folder = Path(stray.tmpdir)
        for w in started:
            w.kill()
        assert not stray.proc.is_alive() and not folder.exists()
        assert other.proc.is_alive()
    finally:
        other.kill()


def test_a_worker_whose_start_was_cut_short_is_killed_without_error(monkeypatch) -> None:
    import multiprocessing.process

    def interrupted(self):
        raise KeyboardInterrupt

    with workers.started_workers() as started:
        monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", interrupted)
        with pytest.raises(KeyboardInterrupt):
            workers.Worker()
        monkeypatch.undo()
    (cut,) = started
    cut.kill()  # never started: nothing to reap, its folder removed
    assert not Path(cut.tmpdir).exists()


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


def test_an_edit_that_cannot_be_copied_aside_stops_the_redo(monkeypatch, tmp_path) -> None:
    import time

    from ocr_pipeline.batch import plan
    from ocr_pipeline.errors import OutputError
    from ocr_pipeline.manifest import Record

    (tmp_path / "a.txt").write_text("corrected\n", encoding="utf-8")
    record = Record("a", "a.png", None, "done", finished_at=time.time() - 60, outputs=["a.txt"])

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plan.shutil, "copy2", full)
    with pytest.raises(OutputError, match="cannot be copied aside .* not done again"):
        plan.keep_edited_outputs(tmp_path, record)
    monkeypatch.undo()
    assert plan.keep_edited_outputs(tmp_path, record) == [("a.txt", "a.txt.edited")]
