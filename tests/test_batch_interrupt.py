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
        (out / ".notes.tmp").mkdir()  # a user's hidden folder: theirs, kept
        work = out / ".a.ocr.pdf.k1ll3d00.tmp"  # ... and converting to PDF/A in here
        work.mkdir()
        (work / "searchable.pdf").write_bytes(b"%PDF-")
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_local", interrupted)
    monkeypatch.setattr(batch, "plan_tasks", lambda items, *a: (list(items), {}))
    config = batch.BatchConfig(outdir=out, options=PipelineOptions(), settings={}, versions={})
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(collect_inputs([str(page)]), config)
    assert [p.name for p in out.rglob("*.tmp")] == [".notes.tmp"]
    assert not list(out.rglob("*.pdf"))


def test_status_tells_a_running_batch_from_an_interrupted_one(tmp_path, capsys) -> None:
    from ocr_pipeline.batch import outdir_lock
    from ocr_pipeline.cli import main
    from ocr_pipeline.manifest import Manifest

    with Manifest.open(tmp_path) as manifest:
        manifest.plan("a", "a.png", "0" * 64, outdir=tmp_path, expected=[])
        manifest.mark_running("a")
    assert main(["status", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "interrupted (rerun to resume): a.png" in printed
    # the counts agree (a new user read "1 running" above the "interrupted" line)
    assert "0 queued, 1 interrupted, 0 done" in printed and " running" not in printed
    with outdir_lock(tmp_path):  # a batch writing to it
        assert main(["status", str(tmp_path)]) == 0
        printed = capsys.readouterr().out
        assert "running: a.png" in printed and "0 queued, 1 running, 0 done" in printed


def test_an_edit_that_cannot_be_copied_aside_stops_the_redo(monkeypatch, tmp_path) -> None:
    import time

    from ocr_pipeline.batch import plan
    from ocr_pipeline.errors import OutputError
    from ocr_pipeline.manifest import Record

    (tmp_path / "a.txt").write_text("corrected\n", encoding="utf-8")
    record = Record("a", "a.png", None, "done", finished_at=time.time() - 60, outputs=["a.txt"])

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    import shutil

    monkeypatch.setattr(shutil, "copy2", full)  # where fileio.copy_aside copies
    with pytest.raises(OutputError, match="cannot be copied aside .* not done again"):
        plan.keep_edited_outputs(tmp_path, record)
    monkeypatch.undo()
    assert plan.keep_edited_outputs(tmp_path, record) == [("a.txt", "a.txt.edited")]


def test_an_output_is_judged_edited_by_its_recorded_digest_not_its_time(tmp_path) -> None:
    """A folder copied with `cp -r` has new file times and the same content: nothing of it
    was edited. An edit whose time is old (restored by a tool, or made within the run's
    second) is one. A manifest without digests (an older version's) still goes by time."""
    import os
    import time

    from ocr_pipeline.batch import plan
    from ocr_pipeline.manifest import Record

    (tmp_path / "a.txt").write_text("as written\n", encoding="utf-8")
    (tmp_path / "a.json").write_text("{}\n", encoding="utf-8")
    finished = time.time() - 3600
    digests = plan.output_digests(tmp_path, ["a.txt", "a.json", "gone.tsv"])
    assert set(digests) == {"a.txt", "a.json"}  # what cannot be read is left out
    record = Record("a", "a.png", None, "done", finished_at=finished,
                    outputs=["a.txt", "a.json"], output_digests=digests)  # fmt: skip
    assert plan.keep_edited_outputs(tmp_path, record) == []  # copied: new times only
    (tmp_path / "a.json").write_text('{"corrected": true}\n', encoding="utf-8")
    os.utime(tmp_path / "a.json", (finished - 10, finished - 10))
    assert plan.keep_edited_outputs(tmp_path, record) == [("a.json", "a.json.edited")]
    older = Record("a", "a.png", None, "done", finished_at=finished, outputs=["a.txt"])
    assert plan.keep_edited_outputs(tmp_path, older) == [("a.txt", "a.txt.edited")]


def test_a_manifest_keeps_each_outputs_digest_and_reads_a_damaged_one_as_none(tmp_path):
    from ocr_pipeline.manifest import Manifest

    with Manifest.open(tmp_path) as m:
        m.plan("a", "a.png", "0" * 64, outdir=tmp_path, expected=[])
        m.mark_done("a", pages=1, pages_failed=0, seconds=1.0, outputs=["a.txt"],
                    output_digests={"a.txt": "f" * 64})  # fmt: skip
        assert m.get("a").output_digests == {"a.txt": "f" * 64}
        m.db.execute("UPDATE documents SET output_digests = '[1, 2]' WHERE rel = 'a'")
        assert m.get("a").output_digests is None


def test_status_lists_at_most_limit_of_each_kind_and_says_how_many_more(tmp_path, capsys):
    from ocr_pipeline.cli import main
    from ocr_pipeline.manifest import Manifest

    with Manifest.open(tmp_path) as m:
        for i in range(3):
            m.plan(f"f{i}", f"f{i}.png", str(i) * 64, outdir=tmp_path, expected=[])
            m.mark_failed(f"f{i}", error=f"f{i}.png: broken", exit_code=2)
            m.plan(f"e{i}", f"e{i}.png", "e" * 63 + str(i), outdir=tmp_path, expected=[])
            m.mark_done(f"e{i}", pages=2, pages_failed=1, seconds=1.0, outputs=[],
                        empty_pages_error=f"e{i}.png: page 2 timed out",
                        warnings=[f"e{i}.png: page 1: no text found"])  # fmt: skip
    assert main(["status", str(tmp_path), "--limit", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(ln.startswith("failed [2]: ") for ln in lines) == 1
    assert sum(ln.startswith("to check: ") for ln in lines) == 1
    for more in ("2 more failed", "2 more with empty pages", "2 more documents to check"):
        assert f"... and {more} (--limit 0 lists all)" in lines


def test_status_says_a_plain_rerun_retries_what_the_setup_failed(tmp_path, capsys):
    # a new user's full disk stopped a batch: status told them to use --retry-failed, where
    # a plain rerun (as the README says) tries those documents again
    from ocr_pipeline.cli import main
    from ocr_pipeline.manifest import Manifest

    with Manifest.open(tmp_path) as m:
        m.plan("a", "a.png", "a" * 64, outdir=tmp_path, expected=[])
        m.mark_failed("a", error="a.txt: No space left on device", exit_code=5)
        m.plan("b", "b.png", "b" * 64, outdir=tmp_path, expected=[])
        m.mark_failed("b", error="b.png: page 1: tesseract failed", exit_code=7)
    assert main(["status", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "1 failed for the installation or the output folder [3, 5]: once fixed, a plain" \
           " rerun tries them again" in lines  # fmt: skip
    assert "rerun with --retry-failed to try the other failed documents again" in lines


def test_a_batch_stopped_by_a_full_disk_counts_the_documents_it_never_started(
    monkeypatch, tmp_path, capsys
) -> None:
    # a new user's 1 MB disk: "1 of 3 documents done, 2 failed", with 9 more never started
    import ocr_pipeline.batch as batch
    from ocr_pipeline.batch.inputs import collect_inputs
    from ocr_pipeline.cli import main
    from ocr_pipeline.commands import run as run_command
    from ocr_pipeline.options import PipelineOptions

    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"d{i}.png").write_bytes(b"not read: the runner is replaced")

    def full_disk(tasks, config, manifest, progress, summary):
        summary.done = 1
        summary.codes[tasks[1].rel] = 5  # the disk filled: no later document started

    monkeypatch.setattr(batch, "run_local", full_disk)
    monkeypatch.setattr(batch, "plan_tasks", lambda items, *a: (list(items), {}))
    out = tmp_path / "out"
    out.mkdir()
    config = batch.BatchConfig(outdir=out, options=PipelineOptions(), settings={}, versions={})
    summary = batch.run_batch(collect_inputs([src]), config)
    assert (summary.done, summary.failed, summary.unstarted, summary.exit_code) == (1, 1, 3, 5)

    monkeypatch.setattr(run_command, "tool_versions", lambda lang: {})
    monkeypatch.setattr(run_command, "run_batch", lambda items, config: summary)
    assert main(["run", str(src), "-o", str(tmp_path / "out2")]) == 5
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("ocr-pipeline: 1 of 5 documents done, 1 failed, 3 not started (a"
                           " plain rerun does them); ocr-pipeline status")  # fmt: skip


def test_status_says_a_plain_rerun_does_the_documents_never_started(tmp_path, capsys):
    from ocr_pipeline.cli import main
    from ocr_pipeline.manifest import Manifest

    with Manifest.open(tmp_path) as m:
        m.plan("a", "a.png", "a" * 64, outdir=tmp_path, expected=[])  # queued, then a stop
    assert main(["status", str(tmp_path)]) == 0
    assert "1 queued, never started: a plain rerun does them" in capsys.readouterr().out
