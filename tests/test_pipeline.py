"""Tests for ocr_pipeline.pipeline: page workers, parallel documents, per-page failures."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from ocr_pipeline import pipeline, tesseract
from ocr_pipeline.errors import (
    BadArgumentsError,
    EncryptedPdfError,
    ExitCode,
    InputFileError,
    MissingDependencyError,
    OcrFailedError,
    PageTimeoutError,
)
from ocr_pipeline.fileio import sha256_file
from ocr_pipeline.model import Document, Page, SourceInfo
from ocr_pipeline.pipeline import PipelineOptions, process_document, process_page
from ocr_pipeline.synth import render_pages, save_pdf, save_tiff

REAL_TESSERACT = shutil.which("tesseract")
pytestmark = pytest.mark.needs_tesseract

PAGE_TEXTS = [
    "Trang một: báo cáo kết quả công tác.",
    "Trang hai: thi đua khen thưởng.",
    "Trang ba: nơi nhận và chữ ký.",
]


def small_pages(texts: list[str]):
    """One short line per page on a 148 x 60 mm page at 150 dpi: fast to OCR."""
    return render_pages("\f".join(texts), dpi=150, page_size_mm=(148, 60),
                        margins_mm=(10, 10, 10, 10), font_size_pt=14)  # fmt: skip


@pytest.fixture(scope="module")
def pdf3(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "three.pdf"
    pages = small_pages(PAGE_TEXTS)
    assert len(pages) == 3
    save_pdf([p.image for p in pages], path, dpi=150)
    return path


def fake_tesseract(tmp_path: Path, ocr_body: str) -> Path:
    """A tesseract stand-in: real tesseract for --version/--list-langs, `ocr_body` for OCR."""
    script = tmp_path / "fake-tesseract"
    script.write_text(
        f'#!/bin/sh\ncase "$1" in --*) exec "{REAL_TESSERACT}" "$@";; esac\n' + ocr_body + "\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def opts(**kw) -> PipelineOptions:
    kw.setdefault("dpi", 150)
    kw.setdefault("jobs", 2)
    return PipelineOptions(**kw)


def close(got: str, want: str) -> bool:
    return Levenshtein.normalized_distance(got, want) < 0.15


def test_document_pages_in_order_with_two_jobs(pdf3):
    calls = []
    doc = process_document(pdf3, opts(jobs=2), progress=lambda *a: calls.append(a))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [p.status for p in doc.pages] == ["ok"] * 3
    assert [(done, total) for done, total, _ in calls] == [(1, 3), (2, 3), (3, 3)]
    assert sorted(page.number for _, _, page in calls) == [1, 2, 3]
    for page, want in zip(doc.pages, PAGE_TEXTS, strict=True):
        assert close(page.text, want), page.text
        assert page.dpi == 150 and page.width > 800 and page.height > 300
        assert page.seconds > 0 and page.mean_confidence and page.mean_confidence > 70
        for w in page.words:
            assert 0 <= w.bbox.left < w.bbox.right <= page.width
            assert 0 <= w.bbox.top < w.bbox.bottom <= page.height
    assert doc.source.file == "three.pdf" and doc.source.pages == 3
    assert doc.source.media_type == "application/pdf"
    assert doc.source.sha256 == sha256_file(pdf3)
    assert set(doc.timings) == {"raster", "preprocess", "ocr", "restore", "total"}
    assert doc.timings["ocr"] > 0 and doc.timings["total"] >= max(p.seconds for p in doc.pages)
    assert doc.text.count("\f") == 2


def test_in_process_and_page_selection(pdf3):
    doc = process_document(pdf3, opts(jobs=1, pages="3,1"))
    assert [p.number for p in doc.pages] == [1, 3]
    assert close(doc.pages[1].text, PAGE_TEXTS[2])
    assert doc.source.pages == 3


def test_bad_page_range_is_bad_arguments(pdf3):
    with pytest.raises(BadArgumentsError, match="page"):
        process_document(pdf3, opts(pages="2-9"))


def test_tiff_and_png_inputs(tmp_path):
    pages = small_pages(PAGE_TEXTS[:2])
    tif = tmp_path / "two.tif"
    save_tiff([p.image for p in pages], tif, dpi=150)
    doc = process_document(tif, opts(jobs=2))
    assert doc.source.media_type == "image/tiff"
    assert [close(p.text, t) for p, t in zip(doc.pages, PAGE_TEXTS, strict=False)] == [True] * 2
    png = tmp_path / "one.png"
    pages[0].image.save(png, dpi=(150, 150))
    doc = process_document(png, opts(jobs=4))
    assert len(doc.pages) == 1 and close(doc.pages[0].text, PAGE_TEXTS[0])


def test_workers_run_tesseract_with_omp_thread_limit_1(pdf3, tmp_path, monkeypatch):
    record = tmp_path / "env.log"
    script = fake_tesseract(
        tmp_path, f'echo "$$ OMP=$OMP_THREAD_LIMIT" >> "{record}"\nexec "{REAL_TESSERACT}" "$@"'
    )
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")
    # read once (a weak page's second reading would be a fourth run, as the page may be)
    doc = process_document(pdf3, opts(jobs=2, reread_weak_pages=False))
    assert [p.status for p in doc.pages] == ["ok"] * 3
    entries = record.read_text().split("\n")[:-1]
    assert len(entries) == 3  # every OCR run goes through the wrapper
    assert all(e.endswith("OMP=1") for e in entries), entries


def test_tesseract_timeout_marks_page_not_fatal(pdf3, tmp_path, monkeypatch):
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(fake_tesseract(tmp_path, "exec sleep 30")))
    doc = process_document(pdf3, opts(jobs=2, pages="1-2", page_timeout=1.0))
    assert [p.number for p in doc.pages] == [1, 2]
    assert [p.status for p in doc.pages] == ["timeout", "timeout"]
    assert all("page-timeout" in p.error for p in doc.pages)
    # the limit is named, not what was left of it when Tesseract started ("0.172029 s")
    assert not any(" s;" in p.error for p in doc.pages)
    assert all(p.lines == [] and p.width > 0 for p in doc.pages)


def test_a_page_worker_that_dies_fails_the_document_with_exit_7(pdf3, tmp_path, monkeypatch):
    """A crash in the process reading a page (Tesseract reads pages in-process: a crash
    inside it takes the worker along) fails the document as a crashed worker does."""
    killer = fake_tesseract(tmp_path, 'kill -KILL "$PPID"; sleep 30')
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(killer))
    with pytest.raises(pipeline.PageWorkerDied) as info:
        process_document(pdf3, opts(jobs=2))
    assert info.value.exit_code == ExitCode.child_process_error == 7
    assert "page worker process died" in str(info.value) and "--retry-failed" in str(info.value)


def test_budget_exhausted_before_ocr_is_a_timeout(pdf3):
    page = process_page(pdf3, 2, opts(page_timeout=1e-9))
    assert page.number == 2 and page.status == "timeout" and "page 2" in page.error
    assert page.width > 0 and page.lines == []  # the raster size is known


def test_page_failure_is_reported_per_page(pdf3):
    doc = process_document(pdf3, opts(jobs=2, max_pixels=1000))
    assert [p.status for p in doc.pages] == ["error"] * 3
    assert all("pixels" in p.error for p in doc.pages)


def test_unexpected_exception_becomes_page_error(pdf3, monkeypatch):
    def boom(*args, **kwargs):
        raise ValueError("synthetic failure")

    monkeypatch.setattr(pipeline, "preprocess", boom)
    page = process_page(pdf3, 1, opts(jobs=1))
    assert page.status == "error" and "ValueError: synthetic failure" in page.error


def test_whole_document_errors_raise(tmp_path, pdf3, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pdf3)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    with pytest.raises(EncryptedPdfError):
        process_document(locked, opts())
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError):
        process_document(empty, opts())
    monkeypatch.setenv(tesseract.TESSERACT_ENV, "/nonexistent/tesseract")
    with pytest.raises(MissingDependencyError, match="tesseract-ocr"):
        process_document(pdf3, opts())


def test_restore_hook_runs_after_ocr_when_enabled(pdf3, monkeypatch):
    seen: list[Page] = []

    def fake_restore(page: Page, lang: str, profile: str | None = None,
                     lexicon: str | None = None) -> Page:  # fmt: skip
        assert lang == "vie"
        seen.append(page)
        for w in page.words:
            w.ocr_text, w.restore_confidence = w.text, 1.0
        return page

    monkeypatch.setattr(pipeline, "_restore", fake_restore)
    page = process_page(pdf3, 1, opts(jobs=1, restore=True))
    assert seen and seen[0] is page and page.words[0].restore_confidence == 1.0
    assert process_page(pdf3, 1, opts(jobs=1, restore=False)).words[0].restore_confidence is None


def test_layout_repair_runs_on_every_page_restored_or_not(pdf3, monkeypatch):
    repaired: list[int] = []

    def fake_repair(page: Page) -> Page:
        repaired.append(page.number)
        return page

    monkeypatch.setattr(pipeline, "repair_page", fake_repair)
    process_page(pdf3, 1, opts(jobs=1, restore=False))
    process_page(pdf3, 2, opts(jobs=1, restore=True))
    assert repaired == [1, 2]


def test_option_validation():
    for bad in (dict(jobs=0), dict(psm=14), dict(page_timeout=0), dict(dpi=5)):
        with pytest.raises(BadArgumentsError):
            PipelineOptions(**bad).validate()
    for reads_nothing in (0, 2):  # Tesseract's orientation-only and unimplemented modes
        with pytest.raises(BadArgumentsError, match="reads no text"):
            PipelineOptions(psm=reads_nothing).validate()
    PipelineOptions(psm=1).validate()
    d = PipelineOptions(jobs=3).to_dict()
    assert d["jobs"] == 3 and d["preprocess"]["deskew"] is True and d["restore"] is True


def test_run_document_writes_pages_structure_and_outputs(pdf3, tmp_path):
    run = pipeline.run_document(pdf3, opts(restore=False, pages="1-2"), tmp_path / "out", "doc",
                                settings={"dpi": 150}, output_types=("hocr",))  # fmt: skip
    assert [p.number for p in run.document.pages] == [1, 2]
    assert sorted(run.outputs) == ["hocr", "metadata", "text", "words"]
    assert all(p.parent == tmp_path / "out" and p.is_file() for p in run.outputs.values())
    assert close((tmp_path / "out" / "doc.txt").read_text("utf-8"), "\f".join(PAGE_TEXTS[:2]))
    meta = json.loads(run.outputs["metadata"].read_text("utf-8"))
    assert meta["options"] == {"dpi": 150} and meta["structure"]["source"]["pages"] == 2
    bare = pipeline.run_document(pdf3, opts(restore=False, pages="3"), tmp_path / "bare", "doc",
                                 structure=False)  # fmt: skip
    assert "structure" not in json.loads(bare.outputs["metadata"].read_text("utf-8"))


@pytest.mark.parametrize(
    ("sizes", "error"),
    [
        ([(0, 0)], InputFileError),  # never rendered (e.g. over --max-pixels)
        ([(100, 80), (0, 0)], InputFileError),
        ([(100, 80), (100, 80)], OcrFailedError),  # rendered, then OCR failed on each
    ],
)
def test_a_document_without_one_readable_page_is_refused_before_any_output(
    tmp_path, monkeypatch, sizes, error
):
    pages = [Page(n, w, h, 150, status="error", error=f"page {n}: broken")
             for n, (w, h) in enumerate(sizes, start=1)]  # fmt: skip
    source = SourceInfo(file="x.pdf", sha256="0" * 64, pages=len(pages), media_type="x")
    monkeypatch.setattr(pipeline, "process_document",
                        lambda *a, **k: Document(source=source, pages=pages))  # fmt: skip
    with pytest.raises(error, match="page 1: broken"):
        pipeline.run_document(tmp_path / "x.pdf", opts(), tmp_path / "out", "x")
    assert not (tmp_path / "out").exists()
    pages[0].status = "ok"  # one readable page: a document with a warning, not a failure
    pipeline.check_readable(Document(source=source, pages=pages))


def test_a_page_that_cannot_be_read_outranks_one_that_ran_out_of_time():
    source = SourceInfo(file="x.pdf", sha256="0" * 64, pages=2, media_type="x")
    pages = [
        Page(1, 0, 0, 150, status="error", error="page 1: over --max-pixels"),
        Page(2, 100, 80, 150, status="timeout", error="page 2: ran out of its time"),
    ]
    with pytest.raises(InputFileError, match="page 1: over --max-pixels"):
        pipeline.check_readable(Document(source=source, pages=pages))
    pages[0] = Page(1, 100, 80, 150, status="timeout", error="page 1: ran out of its time")
    with pytest.raises(PageTimeoutError, match="no page was read in time"):
        pipeline.check_readable(Document(source=source, pages=pages))


def test_options_of_the_wrong_type_are_a_clear_type_error(pdf3):
    """PipelineOptions(jobs="2") failed deep inside with "'<' not supported between
    instances of 'str' and 'int'"."""
    from ocr_pipeline.options import PipelineOptions

    with pytest.raises(TypeError, match=r"PipelineOptions\.jobs must be int, not str \('2'\)"):
        process_document(pdf3, PipelineOptions(jobs="2"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"page_timeout must be int or float or None"):
        PipelineOptions(page_timeout="5").validate()  # type: ignore[arg-type]
    PipelineOptions(page_timeout=5, rotate_pages_threshold=1).validate()  # ints for floats
