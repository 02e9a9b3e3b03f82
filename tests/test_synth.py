"""Tests for ocr_pipeline.synth: layout, ground truth, degradation, file writers, OCR sanity."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFont

from ocr_pipeline.errors import BadArgumentsError
from ocr_pipeline.synth import (
    FONT_DIRS,
    binarize,
    degrade,
    render_line,
    render_pages,
    save_pdf,
    save_tiff,
)

ROOT = Path(__file__).resolve().parents[1]
PARA = (
    "Ủy ban nhân dân phường đã triển khai kế hoạch thủy lợi, hòa giải ở cơ sở và "
    "hỗ trợ kỹ thuật cho 59.866 người dân trên diện tích 1.467,96 ha từ ngày 16/6/2025."
)


def _arr(img: Image.Image) -> np.ndarray:
    return np.asarray(img)


def test_render_is_deterministic() -> None:
    a = render_pages(PARA, seed=7)
    b = render_pages(PARA, seed=7)
    assert [p.text for p in a] == [p.text for p in b]
    assert np.array_equal(_arr(a[0].image), _arr(b[0].image))
    assert a[0].image.mode == "L"
    assert a[0].image.size == (2480, 3508)  # A4 at 300 dpi
    assert a[0].dpi == 300


def test_ground_truth_is_nfc_and_keeps_every_word() -> None:
    pages = render_pages(unicodedata.normalize("NFD", PARA))
    text = pages[0].text
    assert unicodedata.is_normalized("NFC", text)
    assert len(text.splitlines()) >= 2  # wrapped
    assert " ".join(text.split()) == PARA
    # each ground-truth line has a box on the page, top to bottom
    tops = [ln.box[1] for ln in pages[0].lines]
    assert tops == sorted(tops) and [ln.text for ln in pages[0].lines] == text.splitlines()


def test_vietnamese_glyphs_are_not_missing() -> None:
    font = ImageFont.truetype(str(FONT_DIRS["serif"]), 60)
    tofu = np.asarray(font.getmask("\ue000"))
    for ch in "ăâđêôơưĂÂĐÊÔƠƯểỹờựẫỦ":
        mask = np.asarray(font.getmask(ch))
        assert mask.size and mask.max() > 0, ch
        assert mask.shape != tofu.shape or not np.array_equal(mask, tofu), ch
    # a diacritic changes the drawing
    assert not np.array_equal(np.asarray(font.getmask("ể")), np.asarray(font.getmask("e")))


def _ink_columns(markup: str) -> int:
    page = render_pages(markup, dpi=150, page_numbers=False)[0]
    line = page.lines[0].box
    ink = np.asarray(page.image)[line[1] : line[3], :] < 128
    return int(ink.any(axis=0).sum())


def test_superscript_digits_the_font_lacks_are_still_drawn() -> None:
    """Liberation Serif has ¹ but no ⁰: "định¹⁰" must show both digits (drawn as a word
    processor's superscript), not "định¹"; ground truth keeps the characters."""
    one = _ink_columns("Theo quy định¹ này.")
    ten = _ink_columns("Theo quy định¹⁰ này.")
    eleven = _ink_columns("Theo quy định¹¹ này.")
    assert ten > one + 3 and eleven > one + 3
    page = render_pages("Theo quy định¹⁰ này.", dpi=150, page_numbers=False)[0]
    assert page.text == "Theo quy định¹⁰ này."


def test_form_feed_and_overflow_make_pages() -> None:
    pages = render_pages("Trang một.\fTrang hai.\f")
    assert [p.text for p in pages] == ["Trang một.", "Trang hai."]
    long = "\n".join([PARA] * 40)
    many = render_pages(long)
    assert len(many) >= 2
    assert sum(len(p.text.splitlines()) for p in many) == 40 * len(
        render_pages(PARA)[0].text.splitlines()
    )


def test_markup_is_removed_from_ground_truth() -> None:
    src = "\n".join(
        [
            "#+ BÁO CÁO",
            "* I. KHÁI QUÁT",
            "**Điều 1.** Phê duyệt kế hoạch.",
            "\\* không phải in đậm",
            "Dân số tăng¹.",
            "@ 1 Số liệu đến ngày 30/6/2025.",
            "- Nội dung gạch đầu dòng.",
        ]
    )
    lines = render_pages(src)[0].text.splitlines()
    assert lines == [
        "BÁO CÁO",
        "I. KHÁI QUÁT",
        "Điều 1. Phê duyệt kế hoạch.",
        "* không phải in đậm",
        "Dân số tăng¹.",
        "- Nội dung gạch đầu dòng.",
        "1 Số liệu đến ngày 30/6/2025.",
    ]  # footnote last, at the page bottom


def test_footnote_is_drawn_at_page_bottom() -> None:
    page = render_pages("Câu có chú thích¹.\n@ 1 Chú thích cuối trang.")[0]
    foot = page.lines[-1]
    assert foot.text.startswith("1 ")
    assert foot.box[3] > page.image.size[1] * 0.85
    assert page.lines[0].box[1] < page.image.size[1] * 0.2


def test_two_column_rows_left_cell_first() -> None:
    src = (
        "|ỦY BAN NHÂN DÂN|* CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|\n"
        "|*_ PHƯỜNG HÒA LẠC|*_ Độc lập - Tự do - Hạnh phúc|\n||\n"
        "|<~ - Lưu: VT.||"
    )
    page = render_pages(src)[0]
    assert page.text.splitlines() == [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHƯỜNG HÒA LẠC",
        "Độc lập - Tự do - Hạnh phúc",
        "- Lưu: VT.",
    ]
    left, right = page.lines[0], page.lines[1]
    assert left.box[1] == right.box[1]  # same row
    assert left.box[2] < right.box[0]  # side by side
    # a long left cell wraps inside its column; all its lines come before the right cell
    wrapped = render_pages("|" + "chữ " * 30 + "|BÊN PHẢI|")[0].text.splitlines()
    assert wrapped[-1] == "BÊN PHẢI" and len(wrapped) > 2


def test_bold_lines_callable_and_bad_arguments() -> None:
    plain = render_pages("Điều 1. Nội dung.")[0].image
    bold = render_pages("Điều 1. Nội dung.", bold_lines=lambda s: s.startswith("Điều"))[0].image
    assert np.asarray(bold).mean() < np.asarray(plain).mean()  # more ink
    with pytest.raises(BadArgumentsError):
        render_pages("x", font="/nonexistent/font.ttf")
    with pytest.raises(BadArgumentsError):
        render_pages("x", dpi=10)


def test_noto_font_and_small_dpi() -> None:
    page = render_pages("Thủy lợi ở Hòa Bình.", font="noto", dpi=150)[0]
    assert page.image.size == (1240, 1754)
    assert page.text == "Thủy lợi ở Hòa Bình."


def test_degrade_is_seeded_and_keeps_size() -> None:
    img = render_pages(PARA, dpi=100)[0].image
    a = degrade(img, skew_deg=1.5, blur=1.0, noise=0.03, jpeg_quality=50, seed=1)
    b = degrade(img, skew_deg=1.5, blur=1.0, noise=0.03, jpeg_quality=50, seed=1)
    c = degrade(img, skew_deg=1.5, blur=1.0, noise=0.03, jpeg_quality=50, seed=2)
    assert a.size == img.size and a.mode == "L"
    assert np.array_equal(_arr(a), _arr(b))
    assert not np.array_equal(_arr(a), _arr(c))
    # rotation fills with white, identity leaves the page alone
    assert _arr(degrade(img, skew_deg=3.0))[0, 0] == 255
    assert np.array_equal(_arr(degrade(img)), _arr(img))
    with pytest.raises(BadArgumentsError):
        degrade(img, jpeg_quality=0)


def test_save_tiff_and_pdf_multi_page(tmp_path: Path) -> None:
    pages = [p.image for p in render_pages("Một\fHai\fBa")]
    gray = tmp_path / "gray.tif"
    save_tiff(pages, gray, 300)
    with Image.open(gray) as im:
        assert im.n_frames == 3 and im.info["compression"] == "tiff_adobe_deflate"
        assert round(im.info["dpi"][0]) == 300
    bw = tmp_path / "bw.tif"
    save_tiff([binarize(p) for p in pages], bw, 300)
    with Image.open(bw) as im:
        assert im.n_frames == 3 and im.mode == "1" and im.info["compression"] == "group4"
    assert bw.stat().st_size < 60_000
    pdf = tmp_path / "pages.pdf"
    save_pdf(pages, pdf, 300)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) == 3
    save_pdf(pages, tmp_path / "again.pdf", 300)
    assert (tmp_path / "again.pdf").read_bytes() == data  # reproducible
    if shutil.which("pdftoppm"):
        from pdf2image import convert_from_path

        second = convert_from_path(str(pdf), dpi=100, first_page=2, last_page=2)[0]
        assert abs(second.size[0] - 827) <= 1 and abs(second.size[1] - 1169) <= 1
    with pytest.raises(BadArgumentsError):
        save_pdf([], tmp_path / "empty.pdf", 300)


def test_samples_ground_truth_matches_renderer() -> None:
    manifest_path = ROOT / "samples" / "manifest.json"
    if not manifest_path.is_file():
        pytest.skip("samples not generated")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        src = (ROOT / "samples" / "ground_truth" / entry["source"]).read_text(encoding="utf-8")
        pages = render_pages(src, dpi=manifest["dpi"], seed=manifest["seed"], **entry["render"])
        pages = pages[: entry["pages"]]
        gt = (ROOT / "samples" / entry["ground_truth"]).read_text(encoding="utf-8")
        assert gt == "\f".join(p.text for p in pages) + "\n", entry["file"]
        assert unicodedata.is_normalized("NFC", gt)


def _has_vie() -> bool:
    if shutil.which("tesseract") is None:
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "vie" in out.stdout.split()


@pytest.mark.skipif(not _has_vie(), reason="tesseract with the vie model is not installed")
def test_tesseract_reads_a_rendered_line(tmp_path: Path) -> None:
    from rapidfuzz.distance import Levenshtein

    text = "Ủy ban nhân dân phường Hòa Lâm triển khai kế hoạch thủy lợi năm 2025"
    line = render_line(text)
    img = degrade(line.image, blur=0.8, noise=0.01, jpeg_quality=60, seed=3)
    path = tmp_path / "line.png"
    img.save(path, dpi=(300, 300))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(
        ["tesseract", str(path), "-", "-l", "vie", "--psm", "7"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    ).stdout
    hyp = unicodedata.normalize("NFC", " ".join(out.split()))
    assert Levenshtein.normalized_distance(line.text, hyp) < 0.05, hyp


# --------------------------------------------------------------- scan conditions


def test_scan_kinds_sample_at_the_scan_dpi_and_are_deterministic() -> None:
    from ocr_pipeline.synth import SCAN_KINDS, scan

    page = render_pages(PARA, dpi=300)[0].image
    for kind in SCAN_KINDS:
        a = scan(page, kind, dpi=150, source_dpi=300, seed=3)
        b = scan(page, kind, dpi=150, source_dpi=300, seed=3)
        assert a.size == (1240, 1754), kind  # A4 at 150 dpi
        assert np.array_equal(_arr(a), _arr(b)), kind
        assert (a.mode == "1") == (kind in ("photocopy", "fax")), kind
        ink = _arr(a.convert("L")) < 128
        assert 0.001 < ink.mean() < 0.2, kind  # text survives, the page is not flooded


def test_scan_kinds_spoil_the_page_as_described() -> None:
    from ocr_pipeline.synth import scan

    page = render_pages(PARA, dpi=300)[0].image
    soft = _arr(scan(page, "soft", dpi=300))
    assert 180 < np.median(soft) < 230 and soft.min() > 30  # grey paper, grey ink
    fax = _arr(scan(page, "fax", dpi=300).convert("L"))
    assert np.array_equal(fax[0:-1:2], fax[1::2])  # half the vertical resolution
    bleed = _arr(scan(page, "bleed", dpi=300)).astype(int)
    clean = _arr(scan(page, "clean", dpi=300)).astype(int)
    blank_rows = (_arr(page) == 255).all(axis=1)  # rows with no ink on the front
    assert (bleed[blank_rows].min(axis=1) < clean[blank_rows].min(axis=1) - 20).any()


def test_scan_rejects_an_unknown_kind() -> None:
    from ocr_pipeline.synth import scan

    with pytest.raises(BadArgumentsError, match="unknown scan kind"):
        scan(Image.new("L", (50, 50), 255), "polaroid", dpi=150)
