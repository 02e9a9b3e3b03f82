"""Tests for the run exporters: NAME.txt, NAME.words.tsv, NAME.json."""

from __future__ import annotations

import json

from ocr_pipeline.export import output_paths, to_metadata, to_text, to_words_tsv, write_run_outputs
from ocr_pipeline.export.words import BASE_COLUMNS, escape_field, unescape_field
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word


def make_document(restored: bool = False) -> Document:
    w1 = Word("Ủy", BBox(10, 20, 50, 45), 96.5)
    w2 = Word("ban", BBox(60, 20, 110, 45), 91.0)
    w3 = Word("a\tb\\c\nd", BBox(10, 60, 90, 85), 40.25)
    if restored:
        w2.ocr_text, w2.restore_confidence = "bàn", 0.875
    page1 = Page(1, 600, 800, 150, [Line([w1, w2], BBox(10, 20, 110, 45), 1, 1, 1),
                                    Line([w3], BBox(10, 60, 90, 85), 1, 1, 2)],
                 skew_angle=0.4567, seconds=1.23456)  # fmt: skip
    page2 = Page(2, 600, 800, 150, status="timeout", error="page 2: OCR took too long")
    page3 = Page(3, 600, 800, 150, [Line([Word("hết", BBox(1, 2, 30, 20), 88.0)],
                                         BBox(1, 2, 30, 20), 2, 1, 1)])  # fmt: skip
    source = SourceInfo("report.pdf", "ab" * 32, 5, "application/pdf")
    timings = {"raster": 0.5, "preprocess": 0.25, "ocr": 2.0, "total": 2.91234}
    return Document(source, [page1, page2, page3], timings)


def test_text_pages_separated_by_form_feed():
    text = to_text(make_document())
    assert text.endswith("\n")
    pages = text[:-1].split("\f")
    assert pages == ["Ủy ban\na\tb\\c\nd", "", "hết"]


def test_words_tsv_header_escaping_and_boxes():
    rows = to_words_tsv(make_document()).splitlines()
    assert rows[0].split("\t") == list(BASE_COLUMNS)
    assert len(rows) == 1 + 4
    cells = [r.split("\t") for r in rows[1:]]
    assert all(len(c) == len(BASE_COLUMNS) for c in cells)
    assert cells[0] == ["1", "1", "1", "1", "1", "10", "20", "40", "25", "96.5", "Ủy"]
    assert cells[1][4] == "2" and cells[1][9] == "91"
    assert cells[2][3] == "2" and cells[2][4] == "1"  # new line, word numbering restarts
    assert cells[2][10] == "a\\tb\\\\c\\nd"
    assert unescape_field(cells[2][10]) == "a\tb\\c\nd"
    assert cells[3][:2] == ["3", "2"]


def test_words_tsv_restore_columns_only_when_restored():
    assert "ocr_text" not in to_words_tsv(make_document()).splitlines()[0]
    rows = [r.split("\t") for r in to_words_tsv(make_document(restored=True)).splitlines()]
    assert rows[0][-2:] == ["ocr_text", "restore_conf"]
    assert rows[2][-3:] == ["ban", "bàn", "0.875"]
    assert rows[1][-2:] == ["Ủy", ""]  # not touched by restore: ocr_text = text


def test_escape_roundtrip():
    for s in ["", "plain", "\\t literal", "tab\there", "\r\n", "\\"]:
        assert unescape_field(escape_field(s)) == s
        assert "\t" not in escape_field(s) and "\n" not in escape_field(s)


def test_metadata_schema_and_pages():
    meta = to_metadata(make_document(), options={"dpi": 150}, versions={"tesseract": "5.3.0"})
    assert meta["schema"] == "ocr_pipeline/run@1"
    assert meta["source"] == {"file": "report.pdf", "sha256": "ab" * 32, "pages": 5,
                              "media_type": "application/pdf"}  # fmt: skip
    p1, p2, p3 = meta["pages"]
    assert p1 == {"number": 1, "width": 600, "height": 800, "dpi": 150, "status": "ok",
                  "error": None, "mean_confidence": 75.92, "orientation": 0, "skew_angle": 0.457,
                  "seconds": 1.235, "words": 3, "own_text": False}  # fmt: skip
    assert p2["status"] == "timeout" and p2["error"] and p2["words"] == 0
    assert p2["mean_confidence"] is None
    assert p3["number"] == 3
    assert meta["timings"] == {"raster": 0.5, "preprocess": 0.25, "ocr": 2.0, "total": 2.912}
    assert meta["options"] == {"dpi": 150} and meta["versions"] == {"tesseract": "5.3.0"}


def test_write_run_outputs(tmp_path):
    paths = write_run_outputs(make_document(), tmp_path / "out", "report", options={"a": 1})
    assert paths == output_paths(tmp_path / "out", "report")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "report.json", "report.txt", "report.words.tsv",
    ]  # fmt: skip
    meta = json.loads(paths["metadata"].read_text(encoding="utf-8"))
    assert meta["options"] == {"a": 1} and meta["versions"] == {}
    assert paths["text"].read_text(encoding="utf-8").startswith("Ủy ban")
