"""Searchable PDF: restored text extractable (pdftotext, pypdf), words at their boxes,
original pages kept, image inputs embedded; geometry maps deskewed boxes back."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from ocr_pipeline.errors import InputFileError
from ocr_pipeline.export.geometry import PageGeometry, original_size
from ocr_pipeline.model import BBox, Document, Page, SourceInfo
from ocr_pipeline.pipeline import page_images

HAVE_TOOLS = shutil.which("tesseract") and shutil.which("pdftotext")
needs_tools = pytest.mark.skipif(not HAVE_TOOLS, reason="tesseract/poppler not installed")

TEXT = (
    "# BÁO CÁO\n"
    "Tổng kết phong trào thi đua và công tác khen thưởng của phường trong năm qua.\n"
    "Ủy ban nhân dân đề nghị xét khen thưởng cho các tập thể có thành tích xuất sắc."
)
WORD_RE = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(ref: str, hyp: str) -> float:
    return Levenshtein.distance(norm(ref), norm(hyp)) / max(1, len(norm(ref)))


def pdftotext(path: Path, *extra: str) -> str:
    return subprocess.run(
        ["pdftotext", *extra, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def bbox_words(path: Path) -> list[tuple[float, float, float, float, str]]:
    out = pdftotext(path, "-bbox")
    return [(*(float(v) for v in m.groups()[:4]), m.group(5)) for m in WORD_RE.finditer(out)]


def render(tmp: Path, angle: float = 0.0, kind: str = "pdf") -> Path:
    from ocr_pipeline.synth import render_pages, save_pdf

    pages = render_pages(
        TEXT, dpi=150, page_size_mm=(148, 80), margins_mm=(10, 10, 10, 10), font_size_pt=13
    )
    image = pages[0].image
    if angle:
        image = image.rotate(angle, expand=True, fillcolor=255)
    if kind == "png":
        path = tmp / "page.png"
        image.save(path, dpi=(150, 150))
    else:
        path = tmp / "page.pdf"
        save_pdf([image], path, dpi=150)
    return path


def process(path: Path, **kw):
    from ocr_pipeline.pipeline import PipelineOptions, process_document

    return process_document(path, PipelineOptions(dpi=150, jobs=1, **kw))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    from ocr_pipeline.export.pdf import write_searchable_pdf

    tmp = tmp_path_factory.mktemp("pdf")
    source = render(tmp)
    doc = process(source)
    out = write_searchable_pdf(doc, source, tmp / "out" / "page.ocr.pdf")
    return doc, source, out


# ------------------------------------------------------------------------------ geometry


def test_original_size_inverts_deskew_growth():
    rng = np.random.default_rng(1)
    for _ in range(200):
        w, h = int(rng.integers(300, 3000)), int(rng.integers(300, 4000))
        angle = float(rng.uniform(-10, 10))
        c, s = abs(np.cos(np.radians(angle))), abs(np.sin(np.radians(angle)))
        big_w, big_h = int(np.ceil(h * s + w * c)), int(np.ceil(h * c + w * s))
        got = original_size(big_w, big_h, angle)
        assert abs(got[0] - w) <= 1 and abs(got[1] - h) <= 1
    assert original_size(800, 600, 0.0) == (800, 600)


def test_geometry_undoes_preprocess_deskew():
    from ocr_pipeline.preprocess import deskew

    img = np.full((600, 900), 255, np.uint8)
    img[400:430, 600:700] = 0  # a "word" near the bottom right
    for angle in (2.5, -1.2):
        turned = deskew(img, angle)
        ys, xs = np.nonzero(turned < 128)
        box = BBox(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        page = Page(1, turned.shape[1], turned.shape[0], 150, skew_angle=angle)
        geo = PageGeometry.of(page)
        assert (geo.orig_width, geo.orig_height) == (900, 600)
        cx, cy = geo.to_original((box.left + box.right) / 2, (box.top + box.bottom) / 2)
        assert abs(cx - 650) < 1.5 and abs(cy - 415) < 1.5
        back = geo.box_to_original(box)
        assert back.left <= 601 and back.right >= 699 and back.top <= 401 and back.bottom >= 429


# ------------------------------------------------------------------------------ PDF


@needs_tools
def test_text_extracts_as_restored_text(made):
    doc, _, out = made
    text = pdftotext(out)
    assert cer(doc.text, text) < 0.01
    assert "khen thưởng" in norm(text)
    assert unicodedata.is_normalized("NFC", text)


@needs_tools
def test_words_sit_at_their_ocr_boxes(made):
    doc, _, out = made
    page = doc.pages[0]
    scale = 72 / page.dpi
    got = bbox_words(out)
    want = [w for w in page.words]
    assert [g[4] for g in got] == [unicodedata.normalize("NFC", w.text) for w in want]
    info = pdftotext(out, "-bbox")
    pw, ph = (
        float(v) for v in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', info).groups()
    )
    assert pw == pytest.approx(page.width * scale, abs=1) and ph == pytest.approx(
        page.height * scale, abs=1
    )
    for (x0, y0, x1, y1, _), w in zip(got, want, strict=True):
        assert 0 <= x0 < x1 <= pw and 0 <= y0 < y1 <= ph
        b = w.bbox
        assert abs(x0 - b.left * scale) < 1.5 and abs(x1 - b.right * scale) < 1.5
        assert abs((y0 + y1) / 2 - (b.top + b.bottom) / 2 * scale) < 0.3 * b.height * scale + 1


@needs_tools
def test_second_readers_open_it(made):
    import pikepdf

    pypdf = pytest.importorskip("pypdf")
    doc, source, out = made
    reader = pypdf.PdfReader(out, strict=True)
    assert len(reader.pages) == 1
    assert "khen thưởng" in norm(reader.pages[0].extract_text())
    with pikepdf.open(out) as pdf, pikepdf.open(source) as src:
        assert pdf.check_pdf_syntax() == []  # qpdf's structural check
        page = pdf.pages[0]
        fonts = [f for f in page.Resources.Font.values() if f.Subtype == "/Type0"]
        assert fonts and "/ToUnicode" in fonts[0]
        assert list(page.mediabox) == list(src.pages[0].mediabox)
        # the original scan image is still drawn
        assert len(page.get_images()) == len(src.pages[0].get_images()) == 1


@needs_tools
def test_skewed_scan_keeps_words_whole(tmp_path):
    from ocr_pipeline.export.pdf import write_searchable_pdf

    source = render(tmp_path, angle=2.0)
    doc = process(source)
    assert abs(doc.pages[0].skew_angle - 2.0) < 0.3
    out = write_searchable_pdf(doc, source, tmp_path / "skew.pdf")
    assert cer(doc.text, pdftotext(out)) < 0.01
    words = bbox_words(out)
    import pikepdf

    with pikepdf.open(out) as pdf:
        _, _, pw, ph = (float(v) for v in pdf.pages[0].mediabox)
    assert all(0 <= x0 and x1 <= pw and 0 <= y0 and y1 <= ph for x0, y0, x1, y1, _ in words)


@needs_tools
def test_png_input(tmp_path):
    import pikepdf
    from PIL import Image

    from ocr_pipeline.export.pdf import to_searchable_pdf

    source = render(tmp_path, kind="png")
    with Image.open(source) as im:
        size = im.size
    doc = process(source)
    data = to_searchable_pdf(doc, source, page_images(source))
    (tmp_path / "png.pdf").write_bytes(data)
    with pikepdf.open(tmp_path / "png.pdf") as pdf:
        w_pt, h_pt = (float(v) for v in pdf.pages[0].mediabox[2:])
        (image,) = pdf.pages[0].get_images().values()
        assert (int(image.Width), int(image.Height)) == size  # the original pixels
        assert int(image.BitsPerComponent) == 8  # grey scan kept grey, losslessly
    assert (w_pt, h_pt) == pytest.approx((size[0] * 72 / 150, size[1] * 72 / 150), abs=0.01)
    assert cer(doc.text, pdftotext(tmp_path / "png.pdf")) < 0.01


@needs_tools
def test_wrong_source_is_an_input_error(made, tmp_path):
    from ocr_pipeline.export.pdf import write_searchable_pdf

    doc, _, _ = made
    doc.pages[0].number, number = 5, doc.pages[0].number
    try:
        with pytest.raises(InputFileError, match="no page 5"):
            write_searchable_pdf(doc, made[1], tmp_path / "x.pdf")
    finally:
        doc.pages[0].number = number
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*tmp"))


@needs_tools
def test_page_selection_and_rotated_pdf_page(tmp_path):
    """--pages 2 gives a one-page PDF; a /Rotate 90 page gets its layer turned with it."""
    import pikepdf

    from ocr_pipeline.export.pdf import write_searchable_pdf
    from ocr_pipeline.synth import render_pages, save_pdf

    kw = dict(dpi=150, page_size_mm=(148, 40), margins_mm=(8, 8, 10, 10), font_size_pt=14)
    first = render_pages("Trang đầu không cần đọc.", **kw)[0].image
    second = render_pages("Quyết định khen thưởng tập thể.", **kw)[0].image
    source = tmp_path / "two.pdf"
    save_pdf([first, second.rotate(90, expand=True)], source, dpi=150)
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        pdf.pages[1].Rotate = 90  # stored sideways, shown upright
        pdf.save(source)
    doc = process(source, pages="2")
    assert len(doc.pages) == 1 and doc.pages[0].width > doc.pages[0].height
    out = write_searchable_pdf(doc, source, tmp_path / "two.ocr.pdf")
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 1 and int(pdf.pages[0].get("/Rotate", 0)) == 90
    assert cer(doc.text, pdftotext(out)) < 0.02
    scale = 72 / doc.pages[0].dpi
    for (x0, y0, x1, y1, text), w in zip(bbox_words(out), doc.pages[0].words, strict=True):
        assert text == w.text
        assert abs(x0 - w.bbox.left * scale) < 2 and abs(x1 - w.bbox.right * scale) < 2
        assert w.bbox.top * scale - 3 < (y0 + y1) / 2 < w.bbox.bottom * scale + 3


@needs_tools
def test_jpeg_input_is_embedded_byte_for_byte(tmp_path):
    import pikepdf

    from ocr_pipeline.export.pdf import to_searchable_pdf
    from ocr_pipeline.synth import render_pages

    kw = dict(dpi=150, page_size_mm=(148, 40), margins_mm=(8, 8, 10, 10), font_size_pt=14)
    source = tmp_path / "scan.jpg"
    render_pages("Biên bản họp xét khen thưởng.", **kw)[0].image.save(
        source, quality=80, dpi=(150, 150)
    )
    doc = process(source)
    (tmp_path / "scan.pdf").write_bytes(to_searchable_pdf(doc, source, page_images(source)))
    with pikepdf.open(tmp_path / "scan.pdf") as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert image.Filter == "/DCTDecode"
        assert image.read_raw_bytes() == source.read_bytes()
    assert "khen thưởng" in norm(pdftotext(tmp_path / "scan.pdf"))


def test_export_reads_no_scan_itself():
    """The exporters get what they need from the document and their caller: none imports
    a stage that reads or prepares the scan (the pixels of an image input are passed in)."""
    import ast

    import ocr_pipeline.export

    earlier = {"ocr_pipeline.raster", "ocr_pipeline.preprocess", "ocr_pipeline.ocr",
               "ocr_pipeline.pipeline", "ocr_pipeline.tesseract"}  # fmt: skip
    for path in Path(ocr_pipeline.export.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            assert not earlier & set(names), f"{path.name} imports {earlier & set(names)}"


def test_image_input_without_its_pixels_is_refused(tmp_path):
    from ocr_pipeline.export.pdf import write_searchable_pdf

    doc = Document(SourceInfo("scan.png", "0" * 64, 1, "image/png"), [Page(1, 100, 50, 150)])
    with pytest.raises(ValueError, match="page_image"):
        write_searchable_pdf(doc, tmp_path / "scan.png", tmp_path / "out.pdf")
    assert not list(tmp_path.iterdir())  # nothing left behind


def test_glyph_has_an_outline_so_one_letter_words_are_kept():
    # pdfium (Chromium's viewer and search) drops a one-character word drawn with a glyph
    # that has no outline: "9" of "tháng 9"; the layer is invisible whatever the glyph
    import io

    from fontTools.ttLib import TTFont

    from ocr_pipeline.export.pdf import glyphless_font

    glyph = TTFont(io.BytesIO(glyphless_font()))["glyf"]["glyph1"]
    assert glyph.numberOfContours == 1


def test_specks_stretching_a_line_do_not_swell_its_font():
    from ocr_pipeline.export.pdf import text_layer
    from ocr_pipeline.model import Line, Word

    words = [Word(t, BBox(100 + 80 * i, 200, 170 + 80 * i, 230), 90.0)
             for i, t in enumerate(["tháng", "9", "năm"])]  # fmt: skip
    line = Line(words, BBox(100, 160, 330, 230))  # a speck 40 px above the line
    page = Page(1, 1000, 1000, 300, lines=[line])
    ops = text_layer(page, 240.0, "F1").decode()
    sizes = [float(m) for m in re.findall(r"\n([\d.]+) 0 0 [\d.]+ [\d.]+ [\d.]+ Tm", ops)]
    assert sizes == [pytest.approx(1.3 * 30 * 72 / 300, abs=0.01)] * 3  # not the line's 70 px


def _with_typed_text(
    source: Path, target: Path, text: str, mode: int = 0, in_form: bool = False
) -> Path:
    """`source` with real (born-digital) text drawn on its page, one line per line; `mode`
    3: invisibly, as an earlier OCR lays its layer (`in_form`: inside a form XObject, as
    OCRmyPDF does)."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        page = pdf.pages[0]
        font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        ))  # fmt: skip
        rows = " ".join(f"({line}) Tj 0 -10 Td" for line in text.splitlines())
        ops = f"BT {mode} Tr /Ftyped 9 Tf 20 200 Td {rows} ET".encode()
        resources = page.obj.Resources
        if in_form:
            form = pdf.make_stream(ops)
            form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
            form.BBox = page.obj.MediaBox
            form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Ftyped=font))
            if "/XObject" not in resources:
                resources.XObject = pikepdf.Dictionary()
            resources.XObject.Layer = form
            page.contents_add(pdf.make_stream(b"q /Layer Do Q"))
        else:
            if "/Font" not in resources:
                resources.Font = pikepdf.Dictionary()
            resources.Font.Ftyped = font
            page.contents_add(pdf.make_stream(ops))
        pdf.save(target)
    return target


@needs_tools
@pytest.mark.parametrize("in_form", [False, True])
def test_an_earlier_ocrs_invisible_layer_is_replaced_by_ours(made, tmp_path, in_form):
    # a new user's PDF from an older OCR program kept its English-model layer (0% of its
    # words right) under NAME.ocr.pdf, the good text only in NAME.txt
    from ocr_pipeline import pdf_text_layer
    from ocr_pipeline.export.pdf import write_searchable_pdf

    _, source, _ = made
    old = "Tdng két phong trao thi dua\nCéng tac khen thuéng nam"
    layered = _with_typed_text(source, tmp_path / "old.pdf", old, mode=3, in_form=in_form)
    assert pdf_text_layer.invisible_layer_pages(layered, [1]) == {1}
    doc = process(layered)
    assert [p.own_text for p in doc.pages] == [False]
    text = pdftotext(write_searchable_pdf(doc, layered, tmp_path / "old.ocr.pdf"))
    assert "Tổng kết phong trào" in text and "Tdng" not in text and "thuéng" not in text


def test_a_page_with_visible_text_keeps_every_text_run(tmp_path, monkeypatch) -> None:
    # taking out an invisible run beside visible text would move the visible text after it
    # (its advance, a "'" line move): a page with typed text is left whole
    import pikepdf

    from ocr_pipeline import pdf_text_layer

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    ))  # fmt: skip
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F=font))
    page.contents_add(pdf.make_stream(
        b"BT /F 9 Tf 10 150 Td 3 Tr (Hidden ) Tj 0 Tr (Typed) Tj ET BT /Foo Tr (Again) Tj ET"
    ))  # fmt: skip
    assert not pdf_text_layer.holds_invisible_layer_only(page)  # a malformed Tr is no error
    assert pdf_text_layer.remove_invisible_text(page) == 0
    # a form that draws itself is read once
    form = pdf.make_stream(b"BT 3 Tr /F 9 Tf (x) Tj ET /Me Do /Me Do /Me Do")
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 9, 9]
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Me=form),
                                        Font=pikepdf.Dictionary(F=font))  # fmt: skip
    pdf.add_blank_page(page_size=(200, 200))
    second = pdf.pages[1]
    second.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Me=form))
    second.contents_add(pdf.make_stream(b"/Me Do /Me Do"))
    parsed = []
    real_parse = pikepdf.parse_content_stream
    monkeypatch.setattr(
        pikepdf, "parse_content_stream", lambda o: parsed.append(1) or real_parse(o)
    )
    assert pdf_text_layer.holds_invisible_layer_only(second)
    assert len(parsed) == 2  # the page, then its form once


@needs_tools
def test_a_page_with_text_of_its_own_gets_no_second_layer(made, tmp_path):
    # a new user's born-digital PDF came out with its own text and ours, a search finding
    # every word twice ("ĐÔNG" and "ĐỒNG"); a scan with a footer or a stamp keeps ours
    import dataclasses

    from ocr_pipeline import raster
    from ocr_pipeline.batch.task import own_text_hints
    from ocr_pipeline.export.pdf import relayered_pdf, write_searchable_pdf
    from ocr_pipeline.text import strip_marks

    _, source, _ = made
    typed_text = strip_marks(TEXT.replace("# ", ""))  # the page's words, typed (Helvetica)
    typed = _with_typed_text(source, tmp_path / "typed.pdf", typed_text)
    footer = _with_typed_text(source, tmp_path / "footer.pdf", "Trang 1/2")
    assert raster.text_words(typed) == {1: len(typed_text.split())}
    assert raster.text_words(footer) == {1: 2} and raster.text_words(source) == {}
    doc, with_footer = process(typed), process(footer)
    assert [p.own_text for p in doc.pages] == [True]
    assert [p.own_text for p in with_footer.pages] == [False]  # a few words: ours goes on
    out = write_searchable_pdf(doc, typed, tmp_path / "typed.ocr.pdf")
    assert norm(pdftotext(out)) == norm(typed_text)  # its own text, once; none of ours
    kept = write_searchable_pdf(with_footer, footer, tmp_path / "footer.ocr.pdf")
    assert "Tổng kết phong trào" in pdftotext(kept) and "Trang 1/2" in pdftotext(kept)
    (hint,) = own_text_hints(str(typed), doc, "typed.ocr.pdf", "typed.txt")
    assert "page(s) 1 hold text of their own" in hint and "typed.ocr.pdf keeps it" in hint
    assert own_text_hints(str(footer), with_footer, "footer.ocr.pdf", "footer.txt") == []
    # apply redraws layers only where we drew one: this page keeps its own text
    page = doc.pages[0]
    line = page.lines[0]
    changed = dataclasses.replace(
        page, lines=[dataclasses.replace(line, words=[dataclasses.replace(line.words[0],
                                                                          text="SỬA")]
                                         + line.words[1:])] + page.lines[1:]
    )  # fmt: skip
    again = relayered_pdf(out.read_bytes(), [page], [changed], str(out))
    (tmp_path / "again.pdf").write_bytes(again)
    assert norm(pdftotext(tmp_path / "again.pdf")) == norm(typed_text)


def test_apply_reads_which_pages_kept_their_own_text_from_the_runs_record() -> None:
    from ocr_pipeline.diff.apply_outputs import pages_from_words_table

    header = "page\tblock\tpar\tline\tword\tleft\ttop\twidth\theight\tconf\ttext\n"
    entries = [{"number": 1, "width": 10, "height": 10, "dpi": 300, "own_text": True},
               {"number": 2, "width": 10, "height": 10, "dpi": 300}]  # fmt: skip
    pages = pages_from_words_table(header, entries)
    assert [(p.number, p.own_text) for p in pages] == [(1, True), (2, False)]
