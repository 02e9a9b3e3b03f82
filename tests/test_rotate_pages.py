"""Pages scanned sideways or upside down: `--rotate-pages` turns them upright before OCR.

Covers the quarter turn in preprocessing, the geometry that maps word boxes back onto the
turned original page (for hOCR, ALTO and the PDF text layer), and the pipeline end to end
with Tesseract's orientation detection.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from ocr_pipeline.errors import BadArgumentsError
from ocr_pipeline.export.geometry import PageGeometry, original_size
from ocr_pipeline.model import BBox, Page
from ocr_pipeline.pipeline import PipelineOptions, process_document
from ocr_pipeline.preprocess import PreprocessOptions, deskew, preprocess, turn_upright
from ocr_pipeline.synth import render_pages, save_tiff

REAL_TESSERACT = shutil.which("tesseract")

TEXT = "\n".join([
    "Ủy ban nhân dân xã báo cáo kết quả công tác thi đua, khen thưởng năm 2025",
    "như sau: các thôn đã tổ chức phong trào thi đua yêu nước sôi nổi, rộng khắp;",
    "nhiều tập thể và cá nhân được khen thưởng vì thành tích xuất sắc trong lao động,",
    "sản xuất và giữ gìn an ninh trật tự trên địa bàn xã trong năm vừa qua.",
    "Công tác tuyên truyền được thực hiện thường xuyên trên hệ thống loa truyền thanh",
    "và trang thông tin điện tử; hồ sơ đề nghị khen thưởng được xét đúng quy định.",
])  # fmt: skip


def _page_with_mark() -> np.ndarray:
    img = np.full((600, 900), 255, np.uint8)
    img[400:430, 600:700] = 0  # a "word" near the bottom right
    return img


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_turn_upright_undoes_a_counter_clockwise_turn(turn):
    upright = _page_with_mark()
    scanned = np.asarray(Image.fromarray(upright).rotate(turn, expand=True))
    assert np.array_equal(turn_upright(scanned, turn), upright)


def test_turn_upright_refuses_other_angles():
    with pytest.raises(ValueError):
        turn_upright(_page_with_mark(), 45)


def test_preprocess_asks_the_detector_and_reports_the_turn():
    upright = _page_with_mark()
    scanned = np.asarray(Image.fromarray(upright).rotate(90, expand=True))
    seen = []

    def orient(gray):
        seen.append(gray.shape)
        return 90

    out = preprocess(scanned, PreprocessOptions(deskew=False, denoise=False), orient=orient)
    assert seen == [(900, 600)]  # asked once, on the page as scanned
    assert out.orientation == 90 and out.image.shape == (600, 900)
    assert np.array_equal(out.image, upright)
    assert preprocess(scanned, PreprocessOptions(deskew=False, denoise=False)).orientation == 0


@pytest.mark.parametrize("turn,skew", [(90, 0.0), (180, 0.0), (270, 0.0), (90, 1.5),
                                       (180, -2.0), (270, 0.8)])  # fmt: skip
def test_geometry_maps_boxes_back_onto_the_turned_original(turn, skew):
    original = np.asarray(Image.fromarray(_page_with_mark()).rotate(turn, expand=True))
    ys, xs = np.nonzero(original < 128)
    ink_centre = ((xs.min() + xs.max() + 1) / 2, (ys.min() + ys.max() + 1) / 2)
    seen = deskew(turn_upright(original, turn), skew)  # what OCR reads
    ys, xs = np.nonzero(seen < 128)
    box = BBox(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    page = Page(1, seen.shape[1], seen.shape[0], 150, skew_angle=skew, orientation=turn)
    geo = PageGeometry.of(page)
    assert (geo.orig_height, geo.orig_width) == original.shape
    back = geo.box_to_original(box)
    centre = ((back.left + back.right) / 2, (back.top + back.bottom) / 2)
    assert abs(centre[0] - ink_centre[0]) < 2.5 and abs(centre[1] - ink_centre[1]) < 2.5


def test_geometry_uses_the_raster_size_the_page_carries():
    # deskew grew a 1000 x 1400 raster turned by 2.5 degrees to this canvas; the page
    # carries the raster size, so nothing is inferred from the canvas
    page = Page(1, 1060, 1443, 150, skew_angle=2.5, raster_width=1000, raster_height=1400)
    geo = PageGeometry.of(page)
    assert (geo.orig_width, geo.orig_height) == (1000, 1400)
    inferred = PageGeometry.of(Page(1, 1060, 1443, 150, skew_angle=2.5))
    assert (inferred.orig_width, inferred.orig_height) == original_size(1060, 1443, 2.5)


def test_original_size_of_exact_quarter_turns_is_exact():
    assert original_size(600, 900, 90.0) == (900, 600)
    assert original_size(901, 600, 180.0) == (901, 600)
    assert original_size(600, 901, 270.0) == (901, 600)


def test_threshold_must_not_be_negative():
    with pytest.raises(BadArgumentsError, match="--rotate-pages-threshold"):
        PipelineOptions(rotate_pages=True, rotate_pages_threshold=-1).validate()


@pytest.fixture(scope="module")
def turned_tiff(tmp_path_factory):
    """A three-page TIFF: page 1 upright, page 2 upside down, page 3 turned sideways."""
    (page,) = render_pages(TEXT, dpi=150, page_size_mm=(210, 110), margins_mm=(10, 10, 10, 10),
                           font_size_pt=12)  # fmt: skip
    images = [page.image, page.image.rotate(180, expand=True),
              page.image.rotate(90, expand=True)]  # fmt: skip
    path = tmp_path_factory.mktemp("rotate") / "turned.tif"
    save_tiff(images, path, dpi=150)
    return path, page.text


def _cer(ref: str, hyp: str) -> float:
    ref, hyp = " ".join(ref.split()), " ".join(hyp.split())
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


@pytest.mark.needs_tesseract
def test_rotate_pages_reads_turned_pages_like_upright_ones(turned_tiff):
    path, truth = turned_tiff
    opts = PipelineOptions(dpi=150, jobs=1, restore=False, rotate_pages=True)
    doc = process_document(path, opts)
    assert [p.orientation for p in doc.pages] == [0, 180, 90]
    for page in doc.pages:
        assert page.status == "ok"
        assert _cer(truth, page.text) < 0.05, page.text
    sideways = doc.pages[2]
    assert (sideways.width, sideways.height) == (doc.pages[0].width, doc.pages[0].height)
    # the pipeline records each page's raster as it was before the turn
    upright = doc.pages[0]
    assert (sideways.raster_width, sideways.raster_height) == (upright.raster_height,
                                                               upright.raster_width)  # fmt: skip
    assert sideways.raster_height > sideways.raster_width
    # every word box lands inside the original (sideways, portrait) page
    geo = PageGeometry.of(sideways)
    assert geo.orig_height > geo.orig_width
    for word in sideways.words:
        box = geo.box_to_original(word.bbox)
        assert box.right <= geo.orig_width and box.bottom <= geo.orig_height
        assert box.bottom - box.top > box.right - box.left or len(word.text) <= 2


@pytest.mark.needs_tesseract
def test_without_rotate_pages_a_turned_page_is_read_as_it_is(turned_tiff):
    path, truth = turned_tiff
    doc = process_document(path, PipelineOptions(dpi=150, jobs=1, restore=False, pages="2"))
    assert doc.pages[0].orientation == 0
    assert _cer(truth, doc.pages[0].text) > 0.5


@pytest.mark.needs_tesseract
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_the_searchable_pdf_shows_turned_pages_upright_with_their_text(turned_tiff, tmp_path):
    # OCRmyPDF's --rotate-pages turns the page in the PDF; a layer drawn across the
    # sideways text extracted as reversed, glued words ("TỊCHCHỦ")
    import subprocess

    import pikepdf

    from ocr_pipeline.export.pdf import to_searchable_pdf
    from ocr_pipeline.pipeline import page_images

    path, truth = turned_tiff
    doc = process_document(path, PipelineOptions(dpi=150, jobs=1, restore=False, rotate_pages=True))
    out = tmp_path / "turned.pdf"
    out.write_bytes(to_searchable_pdf(doc, path, page_images(path)))
    with pikepdf.open(out) as pdf:
        assert [int(p.obj.get("/Rotate", 0)) for p in pdf.pages] == [0, 180, 90]
    for number in (1, 2, 3):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(out), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert _cer(truth, text) < 0.05, (number, text)
