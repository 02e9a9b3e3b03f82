"""Tests for ocr_pipeline.manifest: states, resume decisions, WAL, read-only access."""

from __future__ import annotations

import sqlite3

import pytest

from ocr_pipeline.errors import OutputError
from ocr_pipeline.manifest import MANIFEST_NAME, Manifest


def test_lifecycle_and_resume_rules(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    with Manifest.open(tmp_path) as m:
        assert m.plan("a", "in/a.pdf", "h1", outdir=tmp_path) is True
        assert m.get("a").state == "queued" and m.get("a").attempts == 0
        m.mark_running("a")
        assert m.get("a").state == "running" and m.get("a").attempts == 1
        m.mark_done("a", pages=3, pages_failed=1, seconds=2.5, outputs=["a.txt"])
        rec = m.get("a")
        assert (rec.state, rec.pages, rec.pages_failed, rec.outputs) == ("done", 3, 1, ["a.txt"])
        assert rec.finished_at >= rec.started_at
        # same content, outputs present: skipped; changed content: redone
        assert m.plan("a", "in/a.pdf", "h1", outdir=tmp_path) is False
        assert m.get("a").state == "done"
        assert m.plan("a", "in/a.pdf", "h1", outdir=tmp_path, force=True) is True
        m.mark_running("a")
        m.mark_done("a", pages=3, pages_failed=1, seconds=2.5, outputs=["a.txt"])
        assert m.plan("a", "in/a.pdf", "h2", outdir=tmp_path) is True
        assert m.get("a").state == "queued" and m.get("a").sha256 == "h2"
        m.mark_running("a")
        m.mark_done("a", pages=1, pages_failed=0, seconds=1, outputs=["a.txt"])
        (tmp_path / "a.txt").unlink()  # an output went missing: redone
        assert m.plan("a", "in/a.pdf", "h2", outdir=tmp_path) is True

        # failures: kept unless retry_failed; a failure may be recorded before queueing
        m.mark_failed("b", error="in/b.pdf is empty", exit_code=2, source="in/b.pdf",
                      sha256="hb")  # fmt: skip
        rec = m.get("b")
        assert (rec.state, rec.exit_code, rec.source) == ("failed", 2, "in/b.pdf")
        assert m.plan("b", "in/b.pdf", "hb", outdir=tmp_path) is False
        assert m.plan("b", "in/b.pdf", "hb", outdir=tmp_path, retry_failed=True) is True
        assert m.get("b").error is None and m.get("b").state == "queued"
        # a document left running by a killed batch is redone
        m.mark_running("b")
        assert m.plan("b", "in/b.pdf", "hb", outdir=tmp_path) is True
        assert m.counts() == {"queued": 2, "running": 0, "done": 0, "failed": 0}
        m.set_meta("last_run", {"n": 1})
        assert m.get_meta("last_run") == {"n": 1}


def test_a_document_done_with_a_warning_is_redone_only_when_asked(tmp_path):
    # a turned page read as garbage: the same options would read it the same; the plan's
    # caller asks for it again once the options changed (`redo_warned`)
    (tmp_path / "a.txt").write_text("x")
    with Manifest.open(tmp_path) as m:
        m.plan("a", "in/a.png", "h1", outdir=tmp_path)
        m.mark_running("a")
        m.mark_done("a", pages=1, pages_failed=0, seconds=1, outputs=["a.txt"],
                    warnings=["page 1 reads as likely garbage: --rotate-pages?"])  # fmt: skip
        assert m.plan("a", "in/a.png", "h1", outdir=tmp_path) is False
        assert m.plan("a", "in/a.png", "h1", outdir=tmp_path, redo_empty_pages=True) is False
        assert m.plan("a", "in/a.png", "h1", outdir=tmp_path, redo_warned=True) is True


def test_wal_and_readonly_reader_while_writer_open(tmp_path):
    with Manifest.open(tmp_path) as writer:
        writer.plan("x", "x.png", "h", outdir=tmp_path)
        mode = writer.db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        with Manifest.open(tmp_path, readonly=True) as reader:
            assert [r.rel for r in reader.records()] == ["x"]
            with pytest.raises(sqlite3.OperationalError):
                reader.db.execute("DELETE FROM documents")
        writer.mark_running("x")
        writer.mark_failed("x", error="boom", exit_code=15)
        assert [r.rel for r in writer.records("failed")] == ["x"]


def test_corrupt_manifest_is_a_clear_error(tmp_path):
    (tmp_path / MANIFEST_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(OutputError, match="remove it"):
        Manifest.open(tmp_path)


def test_a_record_source_names_its_file_again_with_escapes_undone(tmp_path):
    import os

    from ocr_pipeline.manifest import refused_input_sha256, source_path

    assert os.fsencode(source_path("in/b\\xe1o\\x01.png")) == b"in/b\xe1o\x01.png"
    legacy = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"c\xe1.png"))
    with open(legacy, "wb") as fh:
        fh.write(b"x")
    escaped = str(tmp_path / "c\\xe1.png")
    assert refused_input_sha256(escaped) is not None
    os.mkfifo(tmp_path / "pipe")  # never read (it would wait for a writer)
    assert refused_input_sha256(str(tmp_path / "pipe")) is None
    assert refused_input_sha256(str(tmp_path / "missing.png")) is None
