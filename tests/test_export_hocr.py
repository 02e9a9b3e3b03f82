"""hOCR exporter: well-formed XHTML, hOCR classes and properties, boxes within the page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from ocr_pipeline.export.hocr import XHTML, to_hocr, write_hocr
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word

H = f"{{{XHTML}}}"


def word(text, box, conf=90.0, ocr=None, rconf=None):
    return Word(text, BBox(*box), conf, ocr_text=ocr, restore_confidence=rconf)


def make_doc(skew: float = 0.0) -> Document:
    l1 = Line(
        [
            word("Ủy", (100, 100, 140, 130), 91.4, "Uy", 0.8),
            word("ban", (150, 100, 200, 130), 95),
            word("khen", (210, 102, 270, 130), 88),
            word("thưởng", (280, 100, 380, 132), 60, "thuong", 0.7),
        ],
        BBox(100, 100, 380, 132),
        block=1,
        paragraph=1,
        line=1,
    )
    l2 = Line(
        [word('a<b&"c"', (100, 150, 160, 180), 97)],
        BBox(100, 150, 160, 180),
        block=1,
        paragraph=2,
        line=1,
    )  # same line id, other paragraph
    page = Page(number=3, width=1000, height=800, dpi=200, lines=[l1, l2], skew_angle=skew)
    return Document(SourceInfo("scan.tif", "0" * 64, 3, "image/tiff"), [page])


def boxes(el) -> tuple[int, ...]:
    m = re.search(r"bbox (\d+) (\d+) (\d+) (\d+)", el.get("title"))
    return tuple(int(v) for v in m.groups())


def classes(root, name):
    return [el for el in root.iter() if el.get("class") == name]


def test_parses_as_xhtml_with_hocr_structure():
    text = to_hocr(make_doc())
    root = ET.fromstring(text.encode("utf-8"))  # well-formed XML
    assert root.tag == H + "html" and root.get("lang") == "vi"
    metas = {m.get("name"): m.get("content") for m in root.iter(H + "meta")}
    assert "ocrx_word" in metas["ocr-capabilities"] and metas["ocr-system"]
    (page,) = classes(root, "ocr_page")
    title = page.get("title")
    assert 'image "scan.tif"' in title and "ppageno 2" in title
    assert "bbox 0 0 1000 800" in title and "scan_res 200 200" in title
    assert len(classes(root, "ocr_carea")) == 1
    pars = classes(root, "ocr_par")
    assert len(pars) == 2 and all(p.get("lang") == "vi" for p in pars)
    assert len(classes(root, "ocr_line")) == 2
    words = classes(root, "ocrx_word")
    assert [w.text for w in words] == ["Ủy", "ban", "khen", "thưởng", 'a<b&"c"']
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))  # unique even though Tesseract line ids repeat


def test_word_properties():
    root = ET.fromstring(to_hocr(make_doc()).encode("utf-8"))
    words = {w.text: w for w in classes(root, "ocrx_word")}
    assert "x_wconf 91" in words["Ủy"].get("title")
    assert words["Ủy"].get("data-ocr-text") == "Uy"
    assert words["thưởng"].get("data-ocr-text") == "thuong"
    assert words["ban"].get("data-ocr-text") is None  # unchanged: no copy
    assert words["thưởng"].get("data-restore-conf") == "0.7"
    assert boxes(words["khen"]) == (210, 102, 270, 130)


def test_boxes_inside_page_and_parents():
    for skew in (0.0, 1.5):
        root = ET.fromstring(to_hocr(make_doc(skew)).encode("utf-8"))
        (page,) = classes(root, "ocr_page")
        _, _, pw, ph = boxes(page)
        if skew:
            assert (pw, ph) != (1000, 800)  # original page size, not the grown canvas
            assert all("textangle 1.5" in ln.get("title") for ln in classes(root, "ocr_line"))
        for line in classes(root, "ocr_line"):
            lb = boxes(line)
            for w in line:
                wb = boxes(w)
                assert 0 <= wb[0] < wb[2] <= pw and 0 <= wb[1] < wb[3] <= ph
                assert lb[0] <= wb[0] and wb[2] <= lb[2] + 1


def test_write_hocr(tmp_path):
    out = tmp_path / "x.hocr"
    write_hocr(make_doc(), out)
    ET.parse(out)


@pytest.mark.needs_tesseract
def test_real_page_with_structure(tmp_path):
    from ocr_pipeline.pipeline import PipelineOptions, process_document
    from ocr_pipeline.structure import structure_pages
    from ocr_pipeline.synth import render_pages, save_pdf

    pages = render_pages(
        "# BÁO CÁO\nCông tác thi đua khen thưởng của phường.",
        dpi=150,
        page_size_mm=(148, 50),
        margins_mm=(8, 8, 10, 10),
        font_size_pt=14,
    )
    save_pdf([p.image for p in pages], tmp_path / "p.pdf", dpi=150)
    doc = process_document(tmp_path / "p.pdf", PipelineOptions(dpi=150, jobs=1))
    root = ET.fromstring(to_hocr(doc, structure_pages(doc.pages)).encode("utf-8"))
    got = " ".join(w.text for w in classes(root, "ocrx_word"))
    assert got == " ".join(doc.text.split()) and "khen thưởng" in got
    assert any(c.get("data-kind") for c in classes(root, "ocr_carea"))
