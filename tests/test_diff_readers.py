"""Tests for the diff readers: every format `diff` accepts, sniffed from content.

Hand-made files of other tools (tests/data/diff, see its README) and the ALTO, hOCR and
words table our own exporters write must all read as the same lines; anything else is
refused with one line and exit code 2.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_pipeline.diff import compare_sides, load_side
from ocr_pipeline.diff.readers import sniff
from ocr_pipeline.errors import InputFileError
from ocr_pipeline.export.alto import to_alto
from ocr_pipeline.export.hocr import to_hocr
from ocr_pipeline.export.words import to_words_tsv
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word
from ocr_pipeline.structure import structure_text

DATA = Path(__file__).parent / "data" / "diff"
OTHER_TOOLS = ["abbyy.alto2.xml", "kraken.alto3.xml", "ocrd.page.xml", "tesseract.hocr"]
EXPECTED_LINES = (
    DATA.joinpath("expected.txt").read_text(encoding="utf-8").replace("\f", "").splitlines()
)


def texts(side) -> list[str]:
    return [ln.text for ln in side.lines]


def tokens(side) -> dict[str, object]:
    return {t.text: t for ln in side.lines for t in ln.tokens or ()}


@pytest.mark.parametrize("name", OTHER_TOOLS)
def test_other_tools_files_read_as_their_text(name):
    side = load_side(DATA / name)
    assert texts(side) == EXPECTED_LINES
    report = compare_sides(load_side(DATA / "expected.txt"), side)
    assert report.metrics.char_distance == 0 and report.metrics.ref_chars == 180


def test_sniffed_from_content_not_name(tmp_path):
    for name, kind in zip(OTHER_TOOLS, ["alto", "alto", "page-xml", "hocr"], strict=True):
        renamed = tmp_path / f"{name}.txt"
        renamed.write_bytes((DATA / name).read_bytes())
        assert load_side(renamed).kind == kind
    assert sniff("Ghi chú <b> không phải XML\n") == "text"
    assert sniff("page\tline\ttext\n1\t1\tx\n") == "words-tsv"


def test_alto2_hyphen_and_confidence():
    side = load_side(DATA / "abbyy.alto2.xml")
    assert side.kind == "alto"
    assert side.lines[2].text.endswith("tuyến liên-")  # HYP glued to its word, as printed
    assert tokens(side)["liên-"].confidence == pytest.approx(0.95)


def test_alto3_pages_and_alternatives():
    side = load_side(DATA / "kraken.alto3.xml")
    assert [ln.page for ln in side.lines] == [1, 1, 1, 2, 2]
    pho = tokens(side)["phố"]
    assert pho.alternatives == ("pho", "phó") and pho.confidence == pytest.approx(0.6)


def test_page_xml_reading_order_textequiv_index_and_word_conf():
    side = load_side(DATA / "ocrd.page.xml")
    assert side.kind == "page-xml"
    assert side.lines[0].text == "THÔNG BÁO KẾT QUẢ"  # the reading order, not the file order
    assert "Bến Mây" in side.lines[1].text  # TextEquiv index 1, not the index 2 variant
    assert tokens(side)["chổi,"].confidence == pytest.approx(0.5)  # from its Word
    assert side.has_confidence


def test_hocr_words_confidence_caption_and_markup():
    side = load_side(DATA / "tesseract.hocr")
    assert side.kind == "hocr"
    assert tokens(side)["rác;"].confidence == pytest.approx(0.45)
    assert tokens(side)["rác;"].ocr_confidence == 45
    assert "Bến" in tokens(side)  # a word wrapped in <strong>
    assert tokens(side)["&"].text == "&"


def _document() -> Document:
    def word(text, x, conf, ocr=None, rconf=None):
        return Word(text, BBox(x, 100, x + 50, 130), conf, ocr_text=ocr, restore_confidence=rconf)

    l1 = Line(
        [word("Ủy", 100, 91, "Uy", 0.55), word("ban", 160, 95), word("xã", 220, 88)],
        BBox(100, 100, 270, 130),
        block=1,
        paragraph=1,
        line=1,
    )
    l2 = Line(
        [word("Hà-", 100, 97), word("Nội", 160, 40)],
        BBox(100, 200, 210, 230),
        block=2,
        paragraph=1,
        line=1,
    )
    page = Page(number=1, width=1000, height=800, dpi=150, lines=[l1, l2])
    return Document(SourceInfo("x.pdf", "0" * 64, 1, "application/pdf"), [page])


@pytest.mark.parametrize("kind", ["alto", "hocr", "words-tsv"])
def test_our_own_outputs_read_back(tmp_path, kind):
    doc = _document()
    text = {"alto": to_alto, "hocr": to_hocr, "words-tsv": to_words_tsv}[kind](doc)
    path = tmp_path / "x.out"
    path.write_text(text, encoding="utf-8")
    side = load_side(path)
    assert side.kind == kind
    assert texts(side) == ["Ủy ban xã", "Hà- Nội"]
    uy = tokens(side)["Ủy"]
    assert uy.original == "Uy" and uy.confidence == pytest.approx(0.55)
    assert tokens(side)["Nội"].confidence == pytest.approx(0.40)


def test_structure_json_reads_back_and_is_cut_at_the_reference_lines(tmp_path):
    text = (
        "ỦY BAN NHÂN DÂN\nXÃ BẾN MÂY\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 12/TB-UBND\nBến Mây, ngày 05 tháng 02 năm 2026\n"
        "THÔNG BÁO\nVề việc dọn vệ sinh đường làng\n"
        "Ủy ban nhân dân xã thông báo các hộ gia đình tham gia dọn vệ sinh\n"
        "đường làng vào sáng thứ bảy tuần này, mang theo chổi và bao rác.\n"
        "Nơi nhận:\n- Các thôn;\n- Lưu: VT.\n"
    )
    ref = tmp_path / "tb.txt"
    ref.write_text(text, encoding="utf-8")
    tree = tmp_path / "tb.json"
    tree.write_text(json.dumps(structure_text(text), ensure_ascii=False), encoding="utf-8")
    side = load_side(tree)
    assert side.kind == "structure-json" and side.paragraphs
    report = compare_sides(load_side(ref), side)
    m = report.metrics
    assert m.lines_only_a == 0 and m.lines_only_b == 0  # the paragraph was cut in two
    assert m.char_distance == 0, [ln.b.text for ln in report.lines if ln.changed]


def test_unknown_markup_json_and_binary_are_refused(tmp_path):
    svg = tmp_path / "x.xml"
    svg.write_text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')
    with pytest.raises(InputFileError, match="not ALTO, PAGE-XML or hOCR"):
        load_side(svg)
    broken = tmp_path / "b.alto.xml"
    broken.write_text('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout>')
    with pytest.raises(InputFileError, match="malformed ALTO"):
        load_side(broken)
    pdf = tmp_path / "scan.txt"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(InputFileError, match="is a PDF; run ocr-pipeline run"):
        load_side(pdf)
    other = tmp_path / "o.json"
    other.write_text('{"schema": "someone/else@2"}')
    with pytest.raises(InputFileError, match="unknown JSON .* give text, ALTO"):
        load_side(other)


def _cli(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "diff", *argv],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_cli_stdin_and_exit_code_2(tmp_path):
    ok = _cli(str(DATA / "expected.txt"), "-", stdin=(DATA / "kraken.alto3.xml").read_bytes())
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.decode().startswith("CER 0.00% (0/180)")
    svg = tmp_path / "x.svg"
    svg.write_text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')
    bad = _cli(str(DATA / "expected.txt"), str(svg))
    assert bad.returncode == 2
    err = bad.stderr.decode().strip()
    assert "\n" not in err and "Traceback" not in err and "not ALTO" in err


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_own_hocr_and_alto_read_as_its_text(tmp_path):
    """hOCR and ALTO as Tesseract itself writes them (not through our exporters)."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
    font = ImageFont.truetype(str(font_path), 40) if font_path.exists() else None
    if font is None:
        pytest.skip("Noto Serif font not installed")
    image = Image.new("L", (1400, 330), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(EXPECTED_LINES[:3]):
        draw.text((40, 40 + n * 90), line, font=font, fill=0)
    png = tmp_path / "page.png"
    image.save(png, dpi=(300, 300))
    proc = subprocess.run(
        ["tesseract", str(png), str(tmp_path / "out"), "hocr", "alto", "txt"],
        capture_output=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.skip(f"tesseract failed: {proc.stderr.decode(errors='replace')[-200:]}")
    text = load_side(tmp_path / "out.txt")
    hocr, alto = load_side(tmp_path / "out.hocr"), load_side(tmp_path / "out.xml")
    assert (hocr.kind, alto.kind) == ("hocr", "alto")
    assert texts(text) and texts(hocr) == texts(text) == texts(alto)
    assert hocr.has_confidence and alto.has_confidence


def test_a_confirmations_lines_come_in_the_pages_order(tmp_path):
    from ocr_pipeline.export.markdown import to_markdown

    doc = {"schema": "ocr_pipeline/document@1", "header": None, "body": [], "recipients": [],
           "signature": {"authority": None, "title": "NGƯỜI LÀM ĐƠN", "name": "H' Ngăm Êban"},
           "other_signatures": [{"authority": None, "title": "XÁC NHẬN CỦA TRƯỞNG BUÔN EA SAR",
                                 "name": "Y Khoa Niê",
                                 "text": ["Bà H' Ngăm Êban cư trú tại buôn từ năm 2005."],
                                 "place": "Ea Sar", "date": "2022-05-11"}]}  # fmt: skip
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    lines = [ln.text for ln in load_side(path).lines]
    assert lines[-4:] == ["XÁC NHẬN CỦA TRƯỞNG BUÔN EA SAR",
                          "Bà H' Ngăm Êban cư trú tại buôn từ năm 2005.",
                          "Ea Sar, ngày 11 tháng 5 năm 2022", "Y Khoa Niê"]  # fmt: skip
    md = to_markdown(doc)
    assert "Ea Sar, ngày 11 tháng 5 năm 2022  \nY Khoa Niê" in md
