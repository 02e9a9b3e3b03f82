"""Tests for ocr_pipeline.raster: media types, page counts, ranges, rendering, errors."""

from __future__ import annotations

import inspect
import os
import subprocess
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import png_bomb, zero_page_pdf
from PIL import Image

from ocr_pipeline import raster
from ocr_pipeline.errors import (
    BadArgumentsError,
    EncryptedPdfError,
    InputFileError,
    MissingDependencyError,
    PageTimeoutError,
    PixelLimitError,
)

# ------------------------------------------------------------------------------ fixtures


def _page(size: tuple[int, int], shade: int) -> Image.Image:
    """A white page with a dark square in its top-left quarter (shade = square's grey)."""
    im = Image.new("L", size, 255)
    im.paste(shade, (0, 0, size[0] // 2, size[1] // 2))
    return im


@pytest.fixture
def pdf3(tmp_path: Path) -> Path:
    """A 3-page PDF, 144x216 pt pages (200x300 px at 100 dpi), squares of shade 0/80/160."""
    pages = [_page((200, 300), shade) for shade in (0, 80, 160)]
    path = tmp_path / "three.pdf"
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=100)
    return path


@pytest.fixture
def tiff3(tmp_path: Path) -> Path:
    """A 3-frame TIFF with frames of different sizes."""
    frames = [_page((100 + 10 * i, 50 + 10 * i), 40 * i) for i in range(3)]
    path = tmp_path / "multi.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    return path


# ---------------------------------------------------------------------------- media type


def test_detect_media_type_by_content_not_name(tmp_path: Path, pdf3: Path) -> None:
    im = Image.new("RGB", (4, 4), "white")
    im.save(tmp_path / "a.png")
    im.save(tmp_path / "a.jpg")
    im.save(tmp_path / "a.tif")
    (tmp_path / "png_named.pdf").write_bytes((tmp_path / "a.png").read_bytes())
    assert raster.detect_media_type(pdf3) == "application/pdf"
    assert raster.detect_media_type(tmp_path / "a.png") == "image/png"
    assert raster.detect_media_type(tmp_path / "a.jpg") == "image/jpeg"
    assert raster.detect_media_type(tmp_path / "a.tif") == "image/tiff"
    assert raster.detect_media_type(tmp_path / "png_named.pdf") == "image/png"
    assert raster.detect_media_type(str(pdf3)) == "application/pdf"


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.mkdir(), p)[1], "directory"),
        (lambda p: (p.write_bytes(b""), p)[1], "empty"),
        (lambda p: (p.write_text("just some text\n"), p)[1], "not PDF, TIFF, PNG or JPEG"),
    ],
    ids=["missing", "directory", "zero-byte", "text-named-pdf"],
)
def test_detect_media_type_rejects_bad_inputs(tmp_path: Path, make, fragment: str) -> None:
    path = make(tmp_path / "input.pdf")
    with pytest.raises(InputFileError) as exc:
        raster.detect_media_type(path)
    message = str(exc.value)
    assert fragment in message
    assert "\n" not in message
    # the same error surfaces from every public entry point
    with pytest.raises(InputFileError):
        raster.page_count(path)
    with pytest.raises(InputFileError):
        raster.iter_pages(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path, pdf3: Path) -> None:
    pdf3.chmod(0)
    try:
        with pytest.raises(InputFileError, match="permission denied"):
            raster.detect_media_type(pdf3)
    finally:
        pdf3.chmod(0o644)


# ---------------------------------------------------------------------------- page count


def test_page_count(tmp_path: Path, pdf3: Path, tiff3: Path) -> None:
    assert raster.page_count(pdf3) == 3
    assert raster.page_count(tiff3) == 3
    Image.new("L", (5, 5)).save(tmp_path / "one.png")
    Image.new("L", (5, 5)).save(tmp_path / "one.jpg")
    assert raster.page_count(tmp_path / "one.png") == 1
    assert raster.page_count(tmp_path / "one.jpg") == 1


def test_truncated_pdf(tmp_path: Path, pdf3: Path) -> None:
    data = pdf3.read_bytes()
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError, match="corrupt or truncated") as exc:
        raster.page_count(bad)
    assert "\n" not in str(exc.value)


def testzero_page_pdf(tmp_path: Path) -> None:
    path = zero_page_pdf(tmp_path / "zero.pdf")
    with pytest.raises(InputFileError, match="no pages"):
        raster.page_count(path)


def test_a_pdf_cut_short_whose_pages_poppler_cannot_find_is_called_truncated(
    tmp_path: Path, pdf3: Path, monkeypatch
) -> None:
    """A new user's cut-short PDF: pdfinfo printed "Pages: 0" beside its syntax errors, and
    the file was called "a PDF with no pages"."""
    import subprocess

    def pdfinfo(stderr: bytes):
        def run(cmd, **kwargs):
            return subprocess.CompletedProcess(cmd, 0, b"Pages:           0\n", stderr)

        return run

    monkeypatch.setattr(raster.subprocess, "run", pdfinfo(b"Syntax Error: Invalid XRef entry 11\n"))
    with pytest.raises(InputFileError, match="corrupt or truncated"):
        raster._run_pdfinfo(pdf3)
    monkeypatch.setattr(raster.subprocess, "run", pdfinfo(b""))
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdf3.read_bytes().replace(b"%%EOF", b""))
    with pytest.raises(InputFileError, match="corrupt or truncated"):
        raster._run_pdfinfo(cut)  # no errors said, but no end of file either
    with pytest.raises(InputFileError, match="no pages"):
        raster._run_pdfinfo(pdf3)  # a whole file without pages


def test_encrypted_pdf(tmp_path: Path, pdf3: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pdf3)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(EncryptedPdfError, match="qpdf --decrypt"):
        raster.page_count(path)
    with pytest.raises(EncryptedPdfError):
        raster.load_page(path, 1, dpi=50)


def test_owner_password_only_pdf_still_renders(tmp_path: Path, pdf3: Path) -> None:
    """Encrypted with an empty user password: poppler opens it, so we do too."""
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pdf3)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert raster.page_count(path) == 3
    assert raster.load_page(path, 2, dpi=50).image.size == (100, 150)


def test_missing_poppler(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pdf3: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(MissingDependencyError, match="poppler-utils"):
        raster.page_count(pdf3)


# --------------------------------------------------------------------------- page ranges


@pytest.mark.parametrize(
    "spec, count, expected",
    [
        ("1-3,5,7-", 9, [1, 2, 3, 5, 7, 8, 9]),
        ("5,1-2,2,1", 5, [1, 2, 5]),
        (" 2 - 3 , 4 ", 4, [2, 3, 4]),
        ("-2", 4, [1, 2]),
        ("3-", 3, [3]),
        ("1", 1, [1]),
    ],
)
def test_parse_page_ranges(spec: str, count: int, expected: list[int]) -> None:
    assert raster.parse_page_ranges(spec, count) == expected


@pytest.mark.parametrize(
    "spec", ["", " ", "0", "3-1", "1-4", "5", "7-", "a", "1,,2", "1-2-3", "-", "1.5", "+2"]
)
def test_parse_page_ranges_rejects(spec: str) -> None:
    with pytest.raises(BadArgumentsError) as exc:
        raster.parse_page_ranges(spec, 3)
    assert "1-3,5,7-" in str(exc.value)  # tells the user the expected form


# ------------------------------------------------------------------------------ PDF pages


def test_load_pdf_page_renders_that_page(pdf3: Path) -> None:
    page = raster.load_page(pdf3, 2, dpi=50)
    assert page.number == 2 and page.dpi == 50
    assert page.image.size == (100, 150)  # 144x216 pt at 50 dpi
    assert page.image.mode in ("L", "RGB")
    gray = np.asarray(page.image.convert("L"), dtype=np.int16)
    assert abs(int(gray[10:60, 10:40].mean()) - 80) < 12  # page 2's square has shade 80
    assert gray[-20:, -20:].min() > 240  # the rest is white


def test_load_page_gray_renders_grey_with_the_same_pixels(tmp_path: Path, pdf3: Path) -> None:
    """gray=True renders "L" directly (pdftoppm -gray); same pixels as RGB converted."""
    colour = Image.new("RGB", (200, 300), "white")
    colour.paste((200, 30, 60), (20, 20, 120, 120))
    colour_pdf = tmp_path / "colour.pdf"
    colour.save(colour_pdf, "PDF", resolution=100)
    rgb = raster.load_page(colour_pdf, 1, dpi=50)
    grey = raster.load_page(colour_pdf, 1, dpi=50, gray=True)
    assert rgb.image.mode == "RGB" and grey.image.mode == "L"
    assert grey.image.size == rgb.image.size and grey.dpi == 50
    diff = np.abs(np.asarray(grey.image, np.int16) - np.asarray(rgb.image.convert("L"), np.int16))
    assert diff.max() <= 1
    png = tmp_path / "colour.png"
    colour.save(png)
    assert raster.load_page(png, 1, gray=True).image.mode == "L"  # images are converted
    assert raster.load_page(pdf3, 2, dpi=50, gray=True).image.size == (100, 150)


def test_pdf_dpi_scales_output(pdf3: Path) -> None:
    assert raster.load_page(pdf3, 1, dpi=72).image.size == (144, 216)
    assert raster.load_page(pdf3, 1, dpi=144).image.size == (288, 432)


def test_pdf_pixel_limit_checked_before_rendering(
    monkeypatch: pytest.MonkeyPatch, pdf3: Path
) -> None:
    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered a page over the pixel limit")

    monkeypatch.setattr(raster, "_run_pdftoppm", must_not_render)
    with pytest.raises(PixelLimitError, match="lower --dpi or raise --max-pixels"):
        raster.load_page(pdf3, 1, dpi=300, max_pixels=100_000)  # 600x900 = 540k pixels


def test_pdf_render_timeout_maps_to_page_timeout(
    monkeypatch: pytest.MonkeyPatch, pdf3: Path
) -> None:
    real_run = subprocess.run

    def slow(cmd, *args, **kwargs):
        if cmd[0] == "pdftoppm":
            assert kwargs["timeout"] == raster.RENDER_TIMEOUT
            raise subprocess.TimeoutExpired(cmd, kwargs["timeout"])
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(raster.subprocess, "run", slow)
    with pytest.raises(PageTimeoutError, match="--dpi"):
        raster.load_page(pdf3, 1, dpi=50)


def test_one_pdfinfo_per_document(monkeypatch: pytest.MonkeyPatch, pdf3: Path) -> None:
    """Page count and every page's size come from one pdfinfo run, not three per page."""
    real_run = subprocess.run
    programs: list[str] = []

    def counting(cmd, *args, **kwargs):
        programs.append(cmd[0])
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(raster.subprocess, "run", counting)
    assert raster.page_count(pdf3) == 3
    sizes = [raster.load_page(pdf3, n, dpi=36).image.size for n in (1, 2, 3)]
    assert sizes == [(72, 108)] * 3
    assert programs.count("pdfinfo") == 1 and programs.count("pdftoppm") == 3


def test_pdfinfo_is_run_again_for_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    page = Image.new("L", (20, 30), 255)
    page.save(path, "PDF", resolution=72)
    assert raster.page_count(path) == 1
    page.save(path, "PDF", save_all=True, append_images=[page], resolution=72)
    assert raster.page_count(path) == 2


def test_pdf_page_is_rendered_without_a_temp_file(
    monkeypatch: pytest.MonkeyPatch, pdf3: Path
) -> None:
    """pdftoppm writes to our pipe and its bytes are the image: no temp file on the way."""

    def no_temp(*args, **kwargs):
        raise AssertionError("a temp file or folder was made to render a page")

    monkeypatch.setattr(tempfile, "mkdtemp", no_temp)
    monkeypatch.setattr(tempfile, "mkstemp", no_temp)
    page = raster.load_page(pdf3, 2, dpi=50, gray=True)
    assert page.image.mode == "L" and page.image.size == (100, 150)
    pixels = np.asarray(page.image)
    assert pixels[10, 10] == 80 and pixels[-10, -10] == 255  # the page's grey square


def test_page_number_out_of_range(pdf3: Path, tiff3: Path) -> None:
    for path in (pdf3, tiff3):
        with pytest.raises(BadArgumentsError, match="no page 4"):
            raster.load_page(path, 4)
        with pytest.raises(BadArgumentsError, match="no page 0"):
            raster.load_page(path, 0)
        with pytest.raises(BadArgumentsError):
            raster.iter_pages(path, pages=[1, 9])


def test_bad_dpi(pdf3: Path) -> None:
    with pytest.raises(BadArgumentsError, match="--dpi"):
        raster.load_page(pdf3, 1, dpi=0)


# ---------------------------------------------------------------------------- iter_pages


def test_iter_pages_pdf(pdf3: Path) -> None:
    pages = list(raster.iter_pages(pdf3, dpi=36))
    assert [p.number for p in pages] == [1, 2, 3]
    assert all(p.image.size == (72, 108) and p.dpi == 36 for p in pages)
    chosen = list(raster.iter_pages(pdf3, dpi=36, pages=raster.parse_page_ranges("2-", 3)))
    assert [p.number for p in chosen] == [2, 3]


def test_iter_pages_is_lazy(monkeypatch: pytest.MonkeyPatch, pdf3: Path) -> None:
    rendered: list[int] = []
    real = raster._render_pdf_page

    def spy(path, number, dpi, max_pixels):
        rendered.append(number)
        return real(path, number, dpi, max_pixels)

    monkeypatch.setattr(raster, "_render_pdf_page", spy)
    it = raster.iter_pages(pdf3, dpi=36)
    assert inspect.isgenerator(it)
    assert rendered == []  # nothing rendered before the first page is asked for
    first = next(it)
    assert first.number == 1 and rendered == [1]  # page 2 not rendered yet
    assert next(it).number == 2 and rendered == [1, 2]
    it.close()
    assert rendered == [1, 2]


def test_iter_pages_tiff_is_lazy(monkeypatch: pytest.MonkeyPatch, tiff3: Path) -> None:
    decoded: list[int] = []
    real = raster._load_frame

    def spy(im, path, number, dpi, max_pixels):
        decoded.append(number)
        return real(im, path, number, dpi, max_pixels)

    monkeypatch.setattr(raster, "_load_frame", spy)
    it = raster.iter_pages(tiff3, pages=[3, 1])
    assert decoded == []
    assert next(it).image.size == (120, 70)
    assert decoded == [3]
    assert next(it).image.size == (100, 50)
    assert list(it) == []


# --------------------------------------------------------------------------------- images


def test_multipage_tiff(tiff3: Path) -> None:
    page = raster.load_page(tiff3, 2, dpi=123)
    assert page.number == 2
    assert page.image.size == (110, 60)
    assert page.dpi == 300  # from the file, not the argument
    assert np.asarray(page.image)[0, 0] == 40
    assert [p.image.size for p in raster.iter_pages(tiff3)] == [(100, 50), (110, 60), (120, 70)]


def test_image_dpi_from_file_or_argument(tmp_path: Path) -> None:
    im = Image.new("L", (20, 10), 255)
    im.save(tmp_path / "with.png", dpi=(200, 200))
    im.save(tmp_path / "without.png")
    im.save(tmp_path / "silly.png", dpi=(1, 1))  # implausible: ignored
    assert raster.load_page(tmp_path / "with.png", 1, dpi=300).dpi == 200
    assert raster.load_page(tmp_path / "without.png", 1, dpi=300).dpi == 300
    assert raster.load_page(tmp_path / "silly.png", 1, dpi=150).dpi == 150


def test_a_screen_default_dpi_on_a_photo_is_no_scan_resolution(tmp_path: Path) -> None:
    # a phone photo of a page, 2355 x 3141 px, tagged 72 dpi: a 44-inch sheet as tagged
    Image.new("L", (2355, 3141), 255).save(tmp_path / "photo.jpg", dpi=(72, 72))
    assert raster.load_page(tmp_path / "photo.jpg", 1).dpi == raster.DEFAULT_DPI
    # a small page really scanned at 72 dpi (an A4 sheet's size) keeps its tag, as does a
    # large image tagged with a resolution a scanner writes
    Image.new("L", (595, 842), 255).save(tmp_path / "small.png", dpi=(72, 72))
    assert raster.load_page(tmp_path / "small.png", 1).dpi == 72
    Image.new("L", (2355, 3141), 255).save(tmp_path / "scan.png", dpi=(150, 150))
    assert raster.load_page(tmp_path / "scan.png", 1).dpi == 150


@pytest.mark.parametrize(
    "make, mode, corner",
    [
        (lambda: Image.new("1", (8, 8), 1), "L", 255),
        (lambda: Image.new("L", (8, 8), 77).convert("P"), "L", 77),
        (
            lambda: Image.new("RGB", (8, 8), (200, 10, 10)).convert(
                "P", palette=Image.Palette.ADAPTIVE
            ),
            "RGB",
            (200, 10, 10),
        ),
        (lambda: Image.new("RGBA", (8, 8), (0, 0, 0, 0)), "RGB", (255, 255, 255)),
        (lambda: Image.new("LA", (8, 8), (0, 0)), "L", 255),
        (lambda: Image.fromarray(np.full((8, 8), 65535, np.uint16)), "L", 255),
        (lambda: Image.fromarray(np.full((8, 8), 32768, np.uint16)), "L", 128),
        (lambda: Image.new("CMYK", (8, 8), (0, 0, 0, 0)), "RGB", (255, 255, 255)),
    ],
    ids=["1bit", "palette-gray", "palette-color", "rgba", "la", "16bit-white", "16bit", "cmyk"],
)
def test_modes_normalised(tmp_path: Path, make, mode: str, corner) -> None:
    im = make()
    path = tmp_path / ("x.tif" if im.mode == "CMYK" else "x.png")
    im.save(path)
    page = raster.load_page(path, 1)
    assert page.image.mode == mode
    assert page.image.getpixel((0, 0)) == corner


def test_16bit_keeps_contrast(tmp_path: Path) -> None:
    arr = np.zeros((4, 8), np.uint16)
    arr[:, 4:] = 60000
    Image.fromarray(arr).save(tmp_path / "deep.png")
    out = np.asarray(raster.load_page(tmp_path / "deep.png", 1).image)
    assert out[0, 0] == 0 and out[0, 7] > 200


def test_jpeg_and_exif_orientation(tmp_path: Path) -> None:
    im = Image.new("RGB", (40, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: viewer rotates 90 degrees clockwise
    im.save(tmp_path / "side.jpg", exif=exif)
    page = raster.load_page(tmp_path / "side.jpg", 1)
    assert page.image.size == (20, 40)
    assert page.image.mode == "RGB"


def test_png_bomb_is_refused_fast_and_quietly(tmp_path: Path) -> None:
    path = png_bomb(tmp_path / "bomb.png")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a Pillow DecompressionBombWarning would fail here
        assert raster.page_count(path) == 1
        with pytest.raises(PixelLimitError, match="raise --max-pixels") as exc:
            raster.load_page(path, 1)
        with pytest.raises(PixelLimitError):
            next(raster.iter_pages(path))
    assert "900,000,000" in str(exc.value)
    assert Image.MAX_IMAGE_PIXELS is not None  # Pillow's own guard is restored


def test_big_image_under_our_limit_is_not_refused_by_pillow(tmp_path: Path) -> None:
    """Our max_pixels governs, not Pillow's lower built-in limit (checked at open)."""
    path = png_bomb(
        tmp_path / "wide.png", width=9500, height=9500
    )  # 90 Mpx: over Pillow's warning limit
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(PixelLimitError):
            raster.load_page(path, 1, max_pixels=10_000_000)
        # allowed by our limit: Pillow opens it, then decoding the fake data fails cleanly
        with pytest.raises(InputFileError) as exc:
            raster.load_page(path, 1, max_pixels=100_000_000)
    assert not isinstance(exc.value, PixelLimitError)


def test_truncated_png(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (200, 200), dtype=np.uint8)).save(tmp_path / "n.png")
    data = (tmp_path / "n.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError, match="cannot be decoded"):
        raster.load_page(tmp_path / "cut.png", 1)


def test_a_multipage_tiff_cut_short_never_gives_page_one_for_page_two(tmp_path: Path) -> None:
    # as a new user's 2-page TIFF read while still being copied (75% of it written): its
    # second page came out as the first one's pixels, recorded "ok", with no warning
    rng = np.random.default_rng(1)
    first, second = (Image.fromarray(rng.integers(0, 255, (300, 200), dtype=np.uint8))
                     for _ in range(2))  # fmt: skip
    first.save(tmp_path / "two.tif", save_all=True, append_images=[second],
               compression="tiff_lzw")  # fmt: skip
    data = (tmp_path / "two.tif").read_bytes()
    (tmp_path / "cut.tif").write_bytes(data[: len(data) * 3 // 4])
    page1 = raster.load_page(tmp_path / "cut.tif", 1)
    assert np.array_equal(np.asarray(page1.image), np.asarray(first))
    with pytest.raises(InputFileError, match="page 2 cannot be decoded.*still being copied"):
        raster.load_page(tmp_path / "cut.tif", 2)


def test_unreadable_file_message(monkeypatch: pytest.MonkeyPatch, pdf3: Path) -> None:
    """Same as above but works as root: simulate the permission error."""

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(raster, "open_regular", denied)
    with pytest.raises(InputFileError, match="permission denied; make the file readable"):
        raster.detect_media_type(pdf3)


def test_long_pdf_renders_only_requested_pages(tmp_path: Path) -> None:
    page = Image.new("L", (20, 30), 255)
    path = tmp_path / "long.pdf"
    page.save(path, "PDF", save_all=True, append_images=[page] * 499, resolution=72)
    assert raster.page_count(path) == 500
    it = raster.iter_pages(path, dpi=72, pages=raster.parse_page_ranges("499-", 500))
    assert [(p.number, p.image.size) for p in it] == [(499, (20, 30)), (500, (20, 30))]


def test_pdf_crop_box_and_rotation(tmp_path: Path, pdf3: Path) -> None:
    """pdfinfo reports the crop box, so we render the crop box: the guard sees true sizes."""
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pdf3)
    writer.pages[0].cropbox = pypdf.generic.RectangleObject([0, 0, 72, 108])
    writer.pages[1].rotate(90)
    path = tmp_path / "boxes.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert raster.load_page(path, 1, dpi=72).image.size == (72, 108)
    assert raster.load_page(path, 2, dpi=72).image.size == (216, 144)  # turned sideways
    with pytest.raises(PixelLimitError):
        raster.load_page(path, 2, dpi=72, max_pixels=216 * 144 - 1)
    assert raster.load_page(path, 2, dpi=72, max_pixels=216 * 144).number == 2


def test_scanned_pdf_page_renders_at_its_own_resolution(tmp_path: Path) -> None:
    # a 250-dpi scan renders at 250: at 300 its specks would be interpolated into blots
    scan = tmp_path / "scan250.pdf"
    _page((500, 700), 0).save(scan, "PDF", resolution=250)
    page = raster.load_page(scan, 1)
    assert (page.dpi, page.image.size) == (250, (500, 700))
    assert [p.dpi for p in raster.iter_pages(scan)] == [250]
    assert raster.load_page(scan, 1, dpi=300).image.size == (600, 840)  # asked for: kept
    coarse = tmp_path / "scan150.pdf"  # too few pixels for Tesseract: the floor
    _page((300, 420), 0).save(coarse, "PDF", resolution=150)
    assert raster.load_page(coarse, 1).dpi == raster.SCAN_MIN_DPI
    fine = tmp_path / "scan600.pdf"  # more than Tesseract needs: the default at most
    _page((1240, 1752), 0).save(fine, "PDF", resolution=600)
    page = raster.load_page(fine, 1)
    assert (page.dpi, page.image.size) == (300, (620, 876))


def test_a_page_with_text_of_its_own_is_no_scan(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # typed text over a coarse background, or a scan already given a text layer
    scan = tmp_path / "scan250.pdf"
    _page((500, 700), 0).save(scan, "PDF", resolution=250)
    monkeypatch.setattr(raster, "_run_pdftotext", lambda path: {1: True})
    assert raster.load_page(scan, 1).dpi == raster.DEFAULT_DPI


def test_only_a_page_its_images_cover_is_a_scan() -> None:
    info = raster.PdfInfo(pages=5, sizes=((612.0, 792.0),) * 5)
    table = "\n".join([
        "page num type  width height color comp bpc enc  interp object ID x-ppi y-ppi size ratio",
        "-------------------------------------------------------------------------------------",
        "   1   0 image   300   100  rgb     3   8  jpeg  no      7  0    72    72  20K  5%",
        "   2   1 image  1275  1650  gray    1   8  jpeg  no      8  0   150   150 661K 31%",
        "   2   2 smask  1275  1650  gray    1   8  image no      8  0   600   600  1K  1%",
        "   3   3 image   638   825  rgb     3   8  jpeg  no      9  0    75    75  90K 10%",
        "   3   4 stencil 2550 3300  -       1   1  jbig2 no     10  0   300   300  60K  1%",
        "   4   5 image  1275  1650  gray    1   8  jpeg  no     11  0   150   150 661K 31%",
        "   4   6 image    50    50  gray    1   8  jpeg  no     12  0   inf   inf  1K  1%",
        "   5   7 image  1275  1650  gray    1   1  ccitt no     13  0   150   150  40K  2%",
    ])  # fmt: skip
    # 1: a 72-dpi logo on a page of text; 2: a 150-dpi scan (its soft mask no image);
    # 3: a copier's compressed scan, its text a 300-dpi stencil over a 75-dpi background;
    # 4: a scan with an image drawn at no size; 5: an office scanner's black-and-white page
    assert raster._parse_pdfimages(table, info) == {
        2: (150, False),
        3: (300, False),
        4: (150, False),
        5: (150, True),
    }
    assert raster._parse_pdfimages("", info) == {}  # pdfimages missing or failed


def test_pdf_without_pdfimages_renders_at_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    scan = tmp_path / "scan150.pdf"
    _page((310, 438), 0).save(scan, "PDF", resolution=150)
    monkeypatch.setattr(raster, "_run_pdfimages", lambda path: "")
    assert raster.load_page(scan, 1).dpi == raster.DEFAULT_DPI


def test_a_fax_of_non_square_pixels_is_stretched_to_square_ones(tmp_path: Path) -> None:
    # a "normal"-mode fax: 204 x 98 dpi, its letters half as tall in pixels as wide
    path = tmp_path / "fax.tif"
    Image.new("1", (408, 196), 1).save(path, dpi=(204, 98), compression="group4")
    page = raster.load_page(path, 1)
    assert page.image.size == (408, 408)
    assert page.dpi == 204


def test_square_pixels_are_left_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    Image.new("L", (300, 400), 255).save(path, dpi=(300, 300))
    page = raster.load_page(path, 1)
    assert page.image.size == (300, 400)
    assert page.dpi == 300


def test_a_fax_turned_by_its_orientation_tag_is_stretched_along_its_own_axis(
    tmp_path: Path,
) -> None:
    # stored sideways (98 dpi across, 204 down) with orientation 6: upright, it is a
    # normal-mode fax whose rows are the short axis
    path = tmp_path / "side.tif"
    Image.new("1", (196, 408), 1).save(path, dpi=(98, 204), tiffinfo={274: 6})
    page = raster.load_page(path, 1)
    assert page.image.size == (408, 408)
    assert page.dpi == 204


def test_a_stretched_page_is_held_to_the_pixel_limit_and_odd_ratios_are_left(
    tmp_path: Path,
) -> None:
    fax = tmp_path / "fax.tif"
    Image.new("1", (400, 200), 1).save(fax, dpi=(204, 98))
    with pytest.raises(PixelLimitError):
        raster.load_page(fax, 1, max_pixels=100_000)  # 80,000 stored, 166,400 stretched
    odd = tmp_path / "odd.tif"
    Image.new("L", (100, 100), 255).save(odd, dpi=(4800, 50))
    assert raster.load_page(odd, 1).image.size == (100, 100)
