"""ALTO v4 exporter: schema-valid, restored words, boxes, confidences, structure blocks.

Every output is validated against the official ALTO 4.3 schema shipped in
tests/data/alto/ (see the README there for where it comes from); its import of the XLink
schema is read from the xlink.xsd beside it, never from the network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr_pipeline.export.alto import ALTO_NS, SCHEMA_LOCATION, to_alto, write_alto
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word

etree = pytest.importorskip("lxml.etree")
ALTO_XSD = Path(__file__).parent / "data" / "alto" / "alto-4-3.xsd"
NS = {"a": ALTO_NS}


def load_schema(path: Path):
    """An lxml XMLSchema that may not touch the network (imports resolve beside `path`)."""
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def word(text, box, conf=90.0, ocr=None, rconf=None):
    return Word(text, BBox(*box), conf, ocr_text=ocr, restore_confidence=rconf)


def make_doc(skew: float = 0.0) -> Document:
    l1 = Line(
        [
            word("Ủy", (100, 100, 140, 130), 91, "Uy", 0.8),
            word("ban", (150, 100, 200, 130), 95, "ban", 0.99),
            word("khen", (210, 102, 270, 130), 88),
            word("thưởng", (280, 100, 380, 132), 60, "thuong", 0.7),
        ],
        BBox(100, 100, 380, 132),
        block=1,
        paragraph=1,
        line=1,
    )
    l2 = Line(
        [word("Báo", (100, 200, 160, 230), 97), word("cáo", (170, 200, 220, 230), 97)],
        BBox(100, 200, 220, 230),
        block=2,
        paragraph=1,
        line=1,
    )
    page = Page(number=1, width=1000, height=800, dpi=150, lines=[l1, l2], skew_angle=skew)
    bad = Page(number=2, width=1000, height=800, dpi=150, status="error", error="page 2: boom")
    return Document(SourceInfo("report.pdf", "0" * 64, 2, "application/pdf"), [page, bad])


@pytest.fixture(scope="module")
def schema():
    return load_schema(ALTO_XSD)


def test_declares_the_schema_it_is_tested_against():
    assert SCHEMA_LOCATION.split()[1].rsplit("/", 1)[1] == ALTO_XSD.name


def parse(xml: str):
    return etree.fromstring(xml.encode("utf-8"))


def test_valid_and_content(schema):
    xml = to_alto(make_doc(), versions={"tesseract": "5.3.0", "ocr_pipeline": "0.1.0"})
    root = parse(xml)
    schema.assertValid(root)
    assert root.tag == f"{{{ALTO_NS}}}alto"
    assert root.findtext("a:Description/a:MeasurementUnit", namespaces=NS) == "pixel"
    assert (
        root.findtext("a:Description/a:sourceImageInformation/a:fileName", namespaces=NS)
        == "report.pdf"
    )
    names = root.xpath("//a:processingSoftware/a:softwareName/text()", namespaces=NS)
    assert names == ["Tesseract", "ocr_pipeline"]
    assert "5.3.0" in root.xpath("//a:softwareVersion/text()", namespaces=NS)
    pages = root.findall("a:Layout/a:Page", NS)
    assert [p.get("PHYSICAL_IMG_NR") for p in pages] == ["1", "2"]
    assert pages[0].get("WIDTH") == "1000" and pages[0].get("HEIGHT") == "800"
    assert pages[1].get("QUALITY_DETAIL").startswith("error")
    words = [s.get("CONTENT") for s in pages[0].iter(f"{{{ALTO_NS}}}String")]
    assert words == ["Ủy", "ban", "khen", "thưởng", "Báo", "cáo"]
    assert len(pages[0].findall(".//a:TextBlock", NS)) == 2  # Tesseract's two blocks
    lines = pages[0].findall(".//a:TextLine", NS)
    assert [len(tl.findall("a:SP", NS)) for tl in lines] == [3, 1]


def test_confidence_and_alternative(schema):
    root = parse(to_alto(make_doc()))
    strings = {s.get("CONTENT"): s for s in root.iter(f"{{{ALTO_NS}}}String")}
    assert float(strings["Ủy"].get("WC")) == pytest.approx(0.8)  # changed: restore conf
    # kept by restoration: its restore confidence too, as words.tsv and hOCR give it
    assert float(strings["ban"].get("WC")) == pytest.approx(0.99)
    assert float(strings["khen"].get("WC")) == pytest.approx(0.88)  # not restored: tesseract
    assert strings["thưởng"].findtext("a:ALTERNATIVE", namespaces=NS) == "thuong"
    assert strings["thưởng"].find("a:ALTERNATIVE", NS).get("PURPOSE") == "ocr"
    assert strings["ban"].find("a:ALTERNATIVE", NS) is None
    s = strings["khen"]
    assert (s.get("HPOS"), s.get("VPOS"), s.get("WIDTH"), s.get("HEIGHT")) == (
        "210",
        "102",
        "60",
        "28",
    )


def test_structure_blocks_and_tags(schema):
    structure = {
        "body": [
            {"kind": "paragraph", "text": "x", "prov": [{"page": 1, "bbox": [90, 90, 400, 240]}]},
            {"kind": "heading", "text": "y", "prov": [{"page": 1, "bbox": [95, 195, 225, 235]}]},
        ]
    }
    root = parse(to_alto(make_doc(), structure))
    schema.assertValid(root)
    blocks = root.findall(".//a:Page[@ID='page_1']//a:TextBlock", NS)
    assert [b.get("TAGREFS") for b in blocks] == ["tag_paragraph", "tag_heading"]
    assert {t.get("LABEL") for t in root.findall("a:Tags/a:StructureTag", NS)} == {
        "paragraph",
        "heading",
    }


def test_skewed_page_maps_to_original(schema):
    root = parse(to_alto(make_doc(skew=2.0)))
    schema.assertValid(root)
    page = root.find("a:Layout/a:Page", NS)
    width, height = int(page.get("WIDTH")), int(page.get("HEIGHT"))
    assert width < 1000 and height < 800  # the deskew canvas growth is undone
    assert {b.get("ROTATION") for b in page.iter(f"{{{ALTO_NS}}}TextBlock")} == {"2"}
    for s in page.iter(f"{{{ALTO_NS}}}String"):
        x, y, w, h = (int(s.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
        assert 0 <= x and 0 <= y and x + w <= width and y + h <= height
    processed = parse(to_alto(make_doc(skew=2.0), coords="processed"))
    assert processed.find("a:Layout/a:Page", NS).get("WIDTH") == "1000"


def test_write_alto_atomic(tmp_path):
    out = tmp_path / "sub" / "report.alto.xml"
    write_alto(make_doc(), out)
    assert out.read_text("utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert [p.name for p in out.parent.iterdir()] == ["report.alto.xml"]


@pytest.mark.needs_tesseract
def test_real_page_valid(schema, tmp_path):
    from ocr_pipeline.pipeline import PipelineOptions, process_document
    from ocr_pipeline.structure import structure_pages
    from ocr_pipeline.synth import render_pages, save_pdf

    pages = render_pages(
        "Hội nghị tổng kết công tác khen thưởng năm nay.",
        dpi=150,
        page_size_mm=(148, 40),
        margins_mm=(8, 8, 10, 10),
        font_size_pt=14,
    )
    save_pdf([p.image for p in pages], tmp_path / "p.pdf", dpi=150)
    doc = process_document(tmp_path / "p.pdf", PipelineOptions(dpi=150, jobs=1))
    root = parse(to_alto(doc, structure_pages(doc.pages)))
    schema.assertValid(root)
    got = " ".join(s.get("CONTENT") for s in root.iter(f"{{{ALTO_NS}}}String"))
    assert got == " ".join(doc.text.split())
    assert "khen thưởng" in got


def test_schema_rejects_broken_alto(schema):
    """The shipped schema really checks what we emit: each broken variant is refused."""
    good = to_alto(
        make_doc(),
        {
            "body": [
                {"kind": "heading", "text": "x", "prov": [{"page": 1, "bbox": [90, 90, 400, 240]}]}
            ]
        },
    )
    assert schema.validate(parse(good))
    for bad in (
        good.replace('WC="0.88"', 'WC="88"'),  # WC is 0-1
        good.replace("<MeasurementUnit>pixel", "<MeasurementUnit>px"),
        good.replace('PHYSICAL_IMG_NR="1" ', ""),  # required
        good.replace('<Page ID="page_1" ', "<Page "),  # Page@ID required
        good.replace('<TextBlock ID="block_1_1" ', "<TextBlock "),  # block ID required
        good.replace('CONTENT="ban" ', ""),  # String@CONTENT required
        good.replace('LABEL="heading" ', ""),  # StructureTag@LABEL required
        good.replace('<Processing ID="proc_ocr">', "<Processing>"),  # Processing@ID required
        good.replace("contentGeneration", "generation"),  # closed vocabulary
        good.replace('LANG="vi"', 'LANG="vi vn"', 1),  # xsd:language
        good.replace('PC="', 'PC="1', 1),  # PC is 0-1
        good.replace('ID="string_1_2"', 'ID="string_1_1"', 1),  # IDs unique
        good.replace("<Description>", "<Description><Foo/>", 1),  # unknown element
    ):
        assert bad != good
        assert not schema.validate(parse(bad))


def test_one_confidence_per_word_across_outputs(tmp_path):
    """ALTO, hOCR and the words table give each word the same confidence, as the diff
    reads them back (a word restoration kept included; it had Tesseract's in ALTO)."""
    from ocr_pipeline.diff.readers import load_side
    from ocr_pipeline.export.hocr import to_hocr
    from ocr_pipeline.export.words import to_words_tsv

    doc = make_doc()
    doc.pages[0].lines[0].words[1].restore_confidence = 0.61234  # kept word, low conf
    (tmp_path / "d.alto.xml").write_text(to_alto(doc), encoding="utf-8")
    (tmp_path / "d.hocr").write_text(to_hocr(doc), encoding="utf-8")
    (tmp_path / "d.words.tsv").write_text(to_words_tsv(doc), encoding="utf-8")
    confidences = {}
    for name in ("d.alto.xml", "d.hocr", "d.words.tsv"):
        side = load_side(tmp_path / name)
        confidences[name] = [(t.text, t.confidence) for ln in side.lines for t in (ln.tokens or ())]
    assert confidences["d.alto.xml"] == confidences["d.words.tsv"]
    assert confidences["d.hocr"] == confidences["d.words.tsv"]
    assert ("ban", 0.6123) in confidences["d.alto.xml"]
