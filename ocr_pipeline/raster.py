"""Rasterise input documents (PDF, TIFF, PNG, JPEG) one page at a time.

PDF pages are rendered by poppler's pdftoppm, read from its output straight into the
page image (no temp file, no decoder); one `pdfinfo` run per document and process gives
the page count and every page's size (`pdf_info`). Images are decoded by Pillow.

A PDF page that is a scan (images covering most of the page, no text of its own) is
rendered at the resolution it was scanned at, within SCAN_MIN_DPI and DEFAULT_DPI, unless a
dpi is asked for (`render_dpi`; one `pdfimages -list` run per document, and one
`pdftotext` where it found scans, `scan_resolutions`): rendering a 150-dpi photocopy at
300 dpi interpolates its specks into blots and tells the page cleaning the type is twice
its size. A new user's 150-dpi photocopy PDFs read at 4.13% and 4.05% CER rendered at 300
dpi, 0.39% and 0.42% at their own 150, 0.13% and 0.30% at 200; the bench's 150- and 100-dpi
scans as PDFs read best at 200 or near it too (below it, Tesseract gets too few pixels).

Nothing here holds more than one page image in memory: `iter_pages` is lazy and every
page is rendered only when the caller asks for it, so a 500-page PDF costs one page of
memory at a time.

Decompression-bomb guard: before any pixel is decoded, the page's size in pixels is
computed (PDF: page size in points from `pdfinfo` * dpi / 72; images: the header's size)
and compared with `max_pixels`. `DEFAULT_MAX_PIXELS` is 200 million pixels: enough for
an A0 sheet at 360 dpi or an A4 page at 1200 dpi, while capping one RGB page at about
600 MB of memory. Pillow's own global bomb check is bypassed only while we open a file
whose size we check ourselves, so a bomb surfaces as `PixelLimitError` and never as a
Pillow warning or exception.

Every user-caused problem (missing, empty, unreadable, corrupt or encrypted input, a
missing poppler) raises an `ocr_pipeline.errors` exception whose message is one line
saying what is wrong and what to do.

numpy and Pillow are imported where pixels are handled, not with the module: the batch
parent checks media types and page ranges without paying for them.
"""

from __future__ import annotations

import logging
import math
import os
import re
import struct
import subprocess
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ocr_pipeline.errors import (
    BadArgumentsError,
    EncryptedPdfError,
    InputFileError,
    MissingDependencyError,
    PageTimeoutError,
    PixelLimitError,
)
from ocr_pipeline.fileio import open_regular

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

PDF = "application/pdf"
TIFF = "image/tiff"
PNG = "image/png"
JPEG = "image/jpeg"
MEDIA_TYPES = (PDF, TIFF, PNG, JPEG)
# what each is called and the file name endings that say so
_KINDS = {
    PDF: ("a PDF", (".pdf",)),
    TIFF: ("a TIFF image", (".tif", ".tiff")),
    PNG: ("a PNG image", (".png",)),
    JPEG: ("a JPEG image", (".jpg", ".jpeg", ".jpe", ".jfif")),
}


def misnamed(path: str | os.PathLike[str], media_type: str) -> str | None:
    """One line saying that `path` is named as another of the formats read than the one
    its content is (`detect_media_type`: "scan.pdf" holding a PNG image): it is read by its
    content, but other tools go by the name. None when the name agrees or names none of
    them."""
    suffix = Path(path).suffix.lower()
    said = next((kind for kind, (_, ends) in _KINDS.items() if suffix in ends), None)
    if said is None or said == media_type or media_type not in _KINDS:
        return None
    what, ends = _KINDS[media_type]
    return (
        f"its name ends in {suffix} but it is {what}, not {_KINDS[said][0]}; it was read as "
        f"{what} (rename it to {ends[0]} for other tools)"
    )


#: Largest page (in pixels, width * height) decoded without an explicit --max-pixels.
DEFAULT_MAX_PIXELS = 200_000_000
#: Default rendering resolution for PDF pages (and for images without dpi metadata).
DEFAULT_DPI = 300
#: Seconds allowed for one `pdfinfo`, `pdfimages -list` or `pdftotext` call (each reads
#: the PDF's structure or its text, no pixels).
PDFINFO_TIMEOUT = 60
#: A PDF page is a scan when its images cover at least this share of it (`render_dpi`).
SCAN_COVER = 0.5
#: A scan page is never rendered below this (its own resolution is, between this and
#: DEFAULT_DPI).
SCAN_MIN_DPI = 200
#: Seconds allowed for poppler to render one page.
RENDER_TIMEOUT = 180
#: dpi values stored in image files outside this range are treated as absent.
PLAUSIBLE_DPI = (50, 4800)
#: A stored dpi of a screen's (what cameras, phones and image software write when they
#: know no resolution) ...
SCREEN_DPIS = (72, 96)
#: ... and treated as absent when the page it implies is longer than this (inches; A3 is
#: 16.5): a new user's phone photo of a notice (2355x3141 px) tagged 72 dpi was taken for a
#: 44-inch sheet, its type for headlines and its text lines for table rules (CER 60%; 0.00%
#: read at the default).
MAX_PAGE_INCHES = 17.0

_MAGIC_HEAD = 1024  # the PDF header may legally sit anywhere in the first 1024 bytes
_PILLOW_LIMIT_LOCK = threading.Lock()
_PAGE_SIZE_RE = re.compile(r"^Page\s+(\d+)\s+size$")
_POINTS_RE = re.compile(r"([0-9.]+)\s*x\s*([0-9.]+)\s*pts")


@dataclass(frozen=True)
class RasterPage:
    """One rendered page: `number` is 1-based, `dpi` the resolution of `image`."""

    number: int
    image: Image.Image
    dpi: int
    # a PDF page whose scan images are all black and white (1 bit a pixel: CCITT, JBIG2):
    # pdftoppm's render of it is grey only where it resamples the edges
    bilevel: bool = False


# --------------------------------------------------------------------------- media type


def detect_media_type(path: str | os.PathLike[str]) -> str:
    """Return the media type of `path` from its first bytes (not its name).

    One of "application/pdf", "image/tiff", "image/png", "image/jpeg"; anything else,
    or a file that is missing, empty or unreadable, raises InputFileError.
    """
    p = Path(path)
    if not p.exists():
        if p.is_symlink():
            raise InputFileError(
                f"{p} is a broken symlink or a symlink loop; fix the link or give the file"
            )
        raise InputFileError(f"{p}: no such file; check the path and retry")
    if p.is_dir():
        raise InputFileError(f"{p} is a directory; give a PDF, TIFF, PNG or JPEG file")
    try:
        with open_regular(p) as f:  # a FIFO or device would block or never end
            head = f.read(_MAGIC_HEAD)
    except FileNotFoundError:
        raise InputFileError(f"{p}: no such file; check the path and retry") from None
    except PermissionError:
        raise InputFileError(
            f"{p}: permission denied; make the file readable (chmod +r) and retry"
        ) from None
    except OSError as err:
        raise InputFileError(f"{p} cannot be read ({err.strerror}); check the file") from None
    if not head:
        raise InputFileError(f"{p} is empty (0 bytes); re-export or re-scan the document")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    if b"%PDF-" in head:
        return PDF
    suffix = p.suffix.lower()
    hint = f"its name ends in {suffix} but " if suffix else ""
    raise InputFileError(
        f"{p}: {hint}its content is not PDF, TIFF, PNG or JPEG; "
        "convert it to one of those formats and retry"
    )


# ------------------------------------------------------------------------------ poppler


def _arg(path: Path) -> str:
    """`path` as a program argument: a name starting with "-" must not read as an option."""
    text = str(path)
    return os.path.join(".", text) if text.startswith("-") else text


@dataclass(frozen=True)
class PdfInfo:
    """What one `pdfinfo` run says of a PDF: its page count and every page's crop-box size
    in points (`sizes[0]` is page 1; None when pdfinfo printed no size for a page)."""

    pages: int
    sizes: tuple[tuple[float, float] | None, ...]


#: pdfinfo's answers for the last few files, keyed by the file's identity and version, so
#: a document's pages share one pdfinfo run (one per process) instead of three each.
_PDF_INFO_CACHE: dict[tuple[str, int, int, int, int], PdfInfo] = {}
_PDF_INFO_CACHE_SIZE = 8
_LAST_PAGE = 2**31 - 1  # pdfinfo -l: clamped to the document's last page


def pdf_info(path: str | os.PathLike[str]) -> PdfInfo:
    """Page count and page sizes of a PDF from one `pdfinfo` run (cached per file version).

    Raises MissingDependencyError (no poppler), EncryptedPdfError, or InputFileError (a
    corrupt, truncated or page-less PDF).
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        st = None
    key = (os.fspath(p), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) if st else None
    if key is not None and key in _PDF_INFO_CACHE:
        return _PDF_INFO_CACHE[key]
    info = _parse_pdfinfo(p, _run_pdfinfo(p))
    if key is not None:
        if len(_PDF_INFO_CACHE) >= _PDF_INFO_CACHE_SIZE:
            _PDF_INFO_CACHE.pop(next(iter(_PDF_INFO_CACHE)))
        _PDF_INFO_CACHE[key] = info
    return info


def _run_pdfinfo(path: Path) -> str:
    """pdfinfo's output for every page of `path`; its failures as our errors."""
    cmd = ["pdfinfo", "-f", "1", "-l", str(_LAST_PAGE), _arg(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=PDFINFO_TIMEOUT, check=False)
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        raise MissingDependencyError(
            "poppler's pdfinfo was not found; install poppler-utils "
            "(apt-get install poppler-utils) and retry"
        ) from None
    except subprocess.TimeoutExpired:
        raise InputFileError(
            f"{path}: pdfinfo gave up after {PDFINFO_TIMEOUT} s; "
            "the PDF is probably damaged, repair it (e.g. qpdf) or re-export it"
        ) from None
    out = proc.stdout.decode("utf-8", "replace")
    if re.search(r"^Pages:\s*[1-9]", out, re.MULTILINE):
        return out
    detail = proc.stderr.decode("utf-8", "replace")
    lower = detail.lower()
    if "password" in lower or "encrypt" in lower:
        raise EncryptedPdfError(
            f"{path} is encrypted; remove the password (e.g. qpdf --decrypt) and retry"
        )
    no_pages = re.search(r"^Pages:\s*0\s*$", out, re.MULTILINE) or "wrong page range" in lower
    # a file with no pages makes poppler say "Invalid page count 0" and refuse our page
    # range; other errors beside these, or a file without its end, are a damaged or
    # cut-short file
    damaged = any(
        "error" in ln and "page count" not in ln and "page range" not in ln
        for ln in lower.splitlines()
    )
    if no_pages and not damaged and not _truncated(path):
        raise InputFileError(f"{path} is a PDF with no pages; give a PDF that has pages")
    raise InputFileError(
        f"{path} is a corrupt or truncated PDF ({_first_poppler_message(detail)}); "
        "repair it (e.g. qpdf) or re-export it"
    )


def _truncated(path: Path) -> bool:
    """Whether the PDF `path` lacks the "%%EOF" a complete file ends with (a download or
    copy cut short: poppler then finds no pages rather than a damaged file)."""
    try:
        with open_regular(path) as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - 1024))
            return b"%%EOF" not in fh.read()
    except OSError:
        return False


def _parse_pdfinfo(path: Path, out: str) -> PdfInfo:
    pages = 0
    sizes: dict[int, tuple[float, float]] = {}
    fallback = None  # "Page size:" (printed without -f/-l, or by other poppler versions)
    for line in out.splitlines():
        key, _, value = line.partition(":")
        if key == "Pages":
            pages = int(value.strip())
            continue
        size = _POINTS_RE.search(value)
        if size is None:
            continue
        m = _PAGE_SIZE_RE.match(key.strip())
        if m:
            sizes[int(m.group(1))] = float(size.group(1)), float(size.group(2))
        elif key == "Page size":
            fallback = float(size.group(1)), float(size.group(2))
    if pages < 1:
        raise InputFileError(f"{path} is a PDF with no pages; give a PDF that has pages")
    return PdfInfo(pages, tuple(sizes.get(n, fallback) for n in range(1, pages + 1)))


#: `_scan_pages`' answers for the last few files, keyed as `_PDF_INFO_CACHE`.
_SCAN_DPI_CACHE: dict[tuple[str, int, int, int, int], dict[int, tuple[int, bool]]] = {}
#: `text_words`' answers, keyed alike.
_TEXT_WORDS_CACHE: dict[tuple[str, int, int, int, int], dict[int, int]] = {}


def _file_key(p: Path) -> tuple[str, int, int, int, int] | None:
    try:
        st = p.stat()
    except OSError:
        return None
    return (os.fspath(p), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def text_words(path: str | os.PathLike[str]) -> dict[int, int]:
    """Page number -> how many words of text of its own each page of the PDF `path` holds
    (`pdftotext`: typed text, an earlier OCR's layer, an annotation's or a stamp's text),
    for the pages that hold some; from one `pdftotext` run, cached per file version in
    this process; {} when pdftotext cannot read it."""
    p = Path(path)
    key = _file_key(p)
    if key is None:
        return {}
    if key not in _TEXT_WORDS_CACHE:
        if len(_TEXT_WORDS_CACHE) >= _PDF_INFO_CACHE_SIZE:
            _TEXT_WORDS_CACHE.pop(next(iter(_TEXT_WORDS_CACHE)))
        _TEXT_WORDS_CACHE[key] = {n: k for n, k in _run_pdftotext(p).items() if k}
    return _TEXT_WORDS_CACHE[key]


def scan_resolutions(path: str | os.PathLike[str]) -> dict[int, int]:
    """Page number -> the resolution its scan was made at, for the pages of a PDF that are
    scans (their images, a copier's text stencils included, cover SCAN_COVER of the page at
    least; the highest resolution of those images, rounded), from one `pdfimages -list` run
    (cached per file version). A page with text of its own (`pdftotext`: typed text over a
    background, or a scan already given a text layer) is not a scan, nor are pages of
    drawings; nor is any page when pdfimages is missing or fails: they render at the
    default, as before."""
    return {n: dpi for n, (dpi, _bilevel) in _scan_pages(Path(path)).items()}


def bilevel_scans(path: str | os.PathLike[str]) -> frozenset[int]:
    """The scan pages of a PDF (`scan_resolutions`) whose images are all black and white,
    1 bit a pixel: a copier's or an office scanner's CCITT or JBIG2 page."""
    return frozenset(n for n, (_dpi, bilevel) in _scan_pages(Path(path)).items() if bilevel)


def _scan_pages(p: Path) -> dict[int, tuple[int, bool]]:
    """Page number -> (scan resolution, all its images 1 bit a pixel) for the scan pages
    of `p` (see `scan_resolutions`), from one `pdfimages -list` run cached per file
    version."""
    key = _file_key(p)
    if key is None:
        return {}
    if key in _SCAN_DPI_CACHE:
        return _SCAN_DPI_CACHE[key]
    found = _parse_pdfimages(_run_pdfimages(p), pdf_info(p))
    if found:
        texts = text_words(p)
        found = {n: page for n, page in found.items() if n not in texts}
    if len(_SCAN_DPI_CACHE) >= _PDF_INFO_CACHE_SIZE:
        _SCAN_DPI_CACHE.pop(next(iter(_SCAN_DPI_CACHE)))
    _SCAN_DPI_CACHE[key] = found
    return found


def _run_pdfimages(path: Path) -> str:
    """`pdfimages -list` for every page of `path` ("" when it cannot be run)."""
    cmd = ["pdfimages", "-list", _arg(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=PDFINFO_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else ""


def _run_pdftotext(path: Path) -> dict[int, int]:
    """Page number -> the number of words of text the page holds of its own, from one
    `pdftotext` run ({} when it cannot be run: every scan candidate is then taken as a
    scan)."""
    cmd = ["pdftotext", "-q", _arg(path), "-"]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=PDFINFO_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if proc.returncode != 0:
        return {}
    pages = proc.stdout.decode("utf-8", "replace").split("\f")
    return {n: len(text.split()) for n, text in enumerate(pages, start=1)}


def _parse_pdfimages(out: str, info: PdfInfo) -> dict[int, tuple[int, bool]]:
    """`_scan_pages` from pdfimages' table: page, num, type, width, height, color, comp,
    bpc, enc, interp, object, ID, x-ppi, y-ppi, size, ratio. Images and stencils (the
    sharp text layer of a copier's compressed scan over its coarse background) count;
    soft masks do not, nor an image drawn at no size (its ppi "inf")."""
    cover: dict[int, float] = {}
    best: dict[int, float] = {}
    bilevel: dict[int, bool] = {}
    for line in out.splitlines():
        cells = line.split()
        if len(cells) < 14 or not cells[0].isdigit() or cells[2] not in ("image", "stencil"):
            continue
        try:
            page, width, height = int(cells[0]), int(cells[3]), int(cells[4])
            x_ppi, y_ppi = float(cells[12]), float(cells[13])
        except ValueError:
            continue
        if not (0 < x_ppi < math.inf and 0 < y_ppi < math.inf):
            continue
        cover[page] = cover.get(page, 0.0) + (width / x_ppi) * (height / y_ppi)  # in²
        best[page] = max(best.get(page, 0.0), x_ppi, y_ppi)
        bilevel[page] = bilevel.get(page, True) and cells[7] == "1"
    found = {}
    for page, inches in cover.items():
        size = info.sizes[page - 1] if 0 < page <= len(info.sizes) else None
        if size and inches >= SCAN_COVER * (size[0] / 72) * (size[1] / 72):
            found[page] = (round(best[page]), bilevel[page])
    return found


def render_dpi(path: str | os.PathLike[str], number: int, dpi: int | None = None) -> int:
    """The resolution page `number` of the PDF `path` is rendered at: `dpi` when given;
    else a scan's own (`scan_resolutions`) within SCAN_MIN_DPI and DEFAULT_DPI (a 600-dpi
    scan has more than Tesseract needs, a 100-dpi one too few pixels), or DEFAULT_DPI."""
    if dpi is not None:
        return dpi
    native = scan_resolutions(path).get(number)
    if native is None:
        return DEFAULT_DPI
    return max(SCAN_MIN_DPI, min(native, DEFAULT_DPI))


def _first_poppler_message(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("Unable to get page count"):
            return line
    return "poppler could not read it"


def _pdf_page_points(path: Path, number: int) -> tuple[float, float]:
    """Page `number`'s crop-box size in points, as reported by pdfinfo."""
    size = pdf_info(path).sizes[number - 1]
    if size is None:
        raise InputFileError(
            f"{path}: page {number} has no readable size; repair the PDF (e.g. qpdf) or "
            "re-export it"
        )
    return size


_NETPBM_HEADER = re.compile(rb"P([56])\s+(\d+)\s+(\d+)\s+(\d+)\s")


def _run_pdftoppm(path: Path, number: int, dpi: int, gray: bool) -> bytes:
    """pdftoppm's PGM ("L") or PPM ("RGB") of page `number`, read from its stdout."""
    cmd = ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile",
           "-cropbox", *(["-gray"] if gray else []), _arg(path)]  # fmt: skip
    # -gray: a third of the bytes, no RGB->grey later; -cropbox: pdfinfo reports the crop
    # box, so the pixel guard sees the area that is rendered
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=RENDER_TIMEOUT, check=False)
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        raise MissingDependencyError(
            "poppler (pdftoppm) was not found; install poppler-utils and retry"
        ) from None
    except subprocess.TimeoutExpired:
        raise PageTimeoutError(
            f"{path}: page {number} took longer than {RENDER_TIMEOUT} s to render; "
            "lower --dpi or skip the page with --pages"
        ) from None
    if proc.returncode != 0 or not proc.stdout:
        reason = _first_poppler_message(proc.stderr.decode("utf-8", "replace"))
        raise InputFileError(
            f"{path}: poppler could not render page {number} ({reason}); repair the PDF "
            "(e.g. qpdf) or re-export it"
        )
    return proc.stdout


def _render_pdf_page(
    path: Path, number: int, dpi: int, max_pixels: int, gray: bool = False
) -> RasterPage:
    """Render one PDF page straight from pdftoppm's output into an image (no temp file;
    the image's pixels are the bytes pdftoppm wrote, not a copy)."""
    w_pt, h_pt = _pdf_page_points(path, number)
    width, height = math.ceil(w_pt * dpi / 72), math.ceil(h_pt * dpi / 72)
    _check_pixels(path, number, width, height, max_pixels, pdf=True)
    data = _run_pdftoppm(path, number, dpi, gray)
    header = _NETPBM_HEADER.match(data)
    if header is None or int(header.group(4)) != 255:
        raise InputFileError(
            f"{path}: poppler produced no image for page {number}; the PDF is damaged, "
            "repair it (e.g. qpdf) or re-export it"
        )
    mode = "L" if header.group(1) == b"5" else "RGB"
    width, height = int(header.group(2)), int(header.group(3))
    _check_pixels(path, number, width, height, max_pixels, pdf=True)
    start = header.end()
    if len(data) - start < width * height * len(mode):
        raise InputFileError(
            f"{path}: page {number} could not be rendered (poppler's image was cut short); "
            "repair the PDF (e.g. qpdf) or re-export it"
        )
    shape = (height, width) if mode == "L" else (height, width, 3)
    import numpy as np
    from PIL import Image

    pixels = np.frombuffer(data, np.uint8, count=math.prod(shape), offset=start).reshape(shape)
    image = Image.fromarray(pixels)  # "L" or "RGB", sharing pdftoppm's bytes: no copy
    log.debug("rendered %s page %d at %d dpi: %dx%d", path, number, dpi, width, height)
    return RasterPage(number=number, image=image, dpi=dpi)


# ------------------------------------------------------------------------------- images


@contextmanager
def _pillow_limit_off() -> Iterator[None]:
    """Switch off Pillow's global bomb check while we apply our own `max_pixels`.

    Pillow's check runs inside `Image.open` (before any pixel is decoded) and would
    otherwise warn or raise with its own, lower limit. Opening only parses the header,
    and every caller compares the header's size with `max_pixels` before `load()`.
    """
    with _PILLOW_LIMIT_LOCK, warnings.catch_warnings():
        from PIL import Image

        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _check_pixels(
    path: Path, number: int, width: int, height: int, max_pixels: int, *, pdf: bool
) -> None:
    if width * height > max_pixels:
        fix = "lower --dpi or raise --max-pixels" if pdf else "raise --max-pixels"
        raise PixelLimitError(
            f"{path}: page {number} would be {width}x{height} = {width * height:,} pixels, "
            f"over the limit of {max_pixels:,} (decompression-bomb guard); "
            f"{fix} if you trust the file"
        )


def _open_image(path: Path) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        with _pillow_limit_off():
            return Image.open(path)
    except (UnidentifiedImageError, *_DECODE_ERRORS) as err:
        raise InputFileError(
            f"{path} is a damaged image ({err}); re-export or re-scan it"
        ) from None


# Pillow's own complaints about damaged files ("Corrupt EXIF data") would be extra lines on
# stderr; what matters reaches the user as our one-line errors.
warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
#: What Pillow raises on a damaged frame (TypeError: "Missing dimensions" of a cut TIFF IFD)
_DECODE_ERRORS = (EOFError, OSError, ValueError, SyntaxError, TypeError, KeyError,
                  struct.error)  # fmt: skip


def _image_frames(im: Image.Image) -> int:
    """The number of frames; for a file cut short, the frames whose headers can be read
    (a frame whose pixels are cut then fails on its own as a page; the others are OCR'd)."""
    try:
        return max(1, int(getattr(im, "n_frames", 1)))
    except _DECODE_ERRORS:
        pass
    good = 1
    while True:
        try:
            im.seek(good)
        except _DECODE_ERRORS:  # EOFError: the end; others: a damaged frame header
            return good
        good += 1


def _file_dpi(im: Image.Image, default: int) -> int:
    """The resolution stored in the image, or `default` where none is, or none that a
    scan's could be (outside PLAUSIBLE_DPI, or a screen default on a page too large for
    it: SCREEN_DPIS, MAX_PAGE_INCHES)."""
    dpi = im.info.get("dpi")
    try:
        x = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x = 0.0
    if not PLAUSIBLE_DPI[0] <= x <= PLAUSIBLE_DPI[1]:
        return default
    if round(x) in SCREEN_DPIS and max(im.width, im.height) / x > MAX_PAGE_INCHES:
        log.info("a %d-dpi tag on a %dx%d image is no scan's: read at %d dpi",
                 round(x), im.width, im.height, default)  # fmt: skip
        return default
    return int(round(x))


#: Stored resolutions this far apart (relative) are a page of non-square pixels.
NON_SQUARE = 0.05


#: ... and at most this far: a fax's 204 x 98 (2.08); anything further is no page's.
MAX_STRETCH = 2.5


def _stored_resolutions(im: Image.Image) -> tuple[float, float] | None:
    """The file's (horizontal, vertical) dpi in the image's present orientation: a TIFF
    that Pillow turned upright by its orientation tag keeps them in the stored order."""
    try:
        x, y = (float(v) for v in im.info.get("dpi"))  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    tags = getattr(im, "tag_v2", None)
    stored = (tags.get(256), tags.get(257)) if tags is not None else (None, None)
    if stored[0] != stored[1] and stored == (im.height, im.width):  # turned a quarter
        x, y = y, x
    return x, y


def _square_pixels(
    image: Image.Image, stored: tuple[float, float] | None, dpi: int
) -> tuple[Image.Image, int]:
    """`image` and its dpi, stretched to square pixels where the file stores two
    resolutions (`stored`; `dpi` is what `_file_dpi` made of them, one of the two when
    it accepted them): a fax sent in "normal" mode is 204 x 98 dpi (200 x 100 from some
    machines), its letters half as tall in pixels as they are wide; read as they are, a
    new user's five standard-resolution faxes came out at 25.7-61.9% CER, 1.8-3.6% once
    stretched. The
    shorter axis is stretched to the longer one's resolution, which the page then has;
    a ratio over MAX_STRETCH, or a resolution `_file_dpi` did not accept, is left alone."""
    if stored is None:
        return image, dpi
    x, y = stored
    low, high = sorted((x, y))
    if (low < PLAUSIBLE_DPI[0] or dpi not in (round(x), round(y)) or high / low > MAX_STRETCH
            or (high - low) / high < NON_SQUARE):  # fmt: skip
        return image, dpi
    width, height = image.size
    size = (width, round(height * x / y)) if x > y else (round(width * y / x), height)
    log.info("non-square pixels (%g x %g dpi): page stretched to %dx%d at %d dpi",
             x, y, size[0], size[1], round(high))  # fmt: skip
    from PIL import Image

    return image.resize(size, Image.Resampling.BICUBIC), int(round(high))


def _load_frame(im: Image.Image, path: Path, number: int, dpi: int, max_pixels: int) -> RasterPage:
    """Decode frame `number` (1-based) of an open image into a RasterPage."""
    from PIL import ExifTags

    try:
        if im.tell() != number - 1:
            im.seek(number - 1)
        _check_pixels(path, number, im.width, im.height, max_pixels, pdf=False)
        im.load()
        page_dpi = _file_dpi(im, dpi)
        tag = im.getexif().get(ExifTags.Base.Orientation, 1)
        transpose = _orientation_transposes().get(tag)
        image, page_dpi = _square_pixels(_normalise_mode(im), _stored_resolutions(im), page_dpi)
        _check_pixels(path, number, image.width, image.height, max_pixels, pdf=False)
        if transpose is not None:  # EXIF/TIFF orientation tag: show the page upright
            image = image.transpose(transpose)
    except _DECODE_ERRORS as err:
        raise InputFileError(
            f"{path}: page {number} cannot be decoded ({err}); if the file is still being"
            " copied, run again once it is whole; else re-export or re-scan it"
        ) from None
    return RasterPage(number=number, image=image, dpi=page_dpi)


def _orientation_transposes() -> dict[int, Image.Transpose]:
    """EXIF/TIFF orientation tag -> the transpose that shows the page upright."""
    from PIL import Image

    t = Image.Transpose
    return {
        2: t.FLIP_LEFT_RIGHT,
        3: t.ROTATE_180,
        4: t.FLIP_TOP_BOTTOM,
        5: t.TRANSPOSE,
        6: t.ROTATE_270,
        7: t.TRANSVERSE,
        8: t.ROTATE_90,
    }


def _normalise_mode(im: Image.Image) -> Image.Image:
    """Return a new "L" or "RGB" image: transparency on white, 16-bit scaled to 8-bit."""
    import numpy as np
    from PIL import Image

    mode = im.mode
    if mode in ("L", "RGB"):
        return im.copy()
    if mode == "1":
        return im.convert("L")
    if mode == "P":
        has_alpha = "transparency" in im.info or (
            im.palette is not None and im.palette.mode == "RGBA"
        )
        im = im.convert("RGBA" if has_alpha else "RGB")
        if not has_alpha:
            return _gray_if_neutral(im)
        mode = "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, rgba)
        return flat.convert("L" if mode in ("LA", "La") else "RGB")
    if mode.startswith("I") or mode == "F":
        arr = np.asarray(im)
        if mode == "F":
            lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
            scaled = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
            return Image.fromarray(np.nan_to_num(scaled).astype(np.uint8), "L")
        arr = arr.astype(np.int64)
        peak = int(arr.max()) if arr.size else 0
        if peak > 255:  # 16-bit (or wider) samples: keep the top 8 bits of the used range
            shift = max(0, peak.bit_length() - 8)
            arr = arr >> shift
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return im.convert("RGB")  # CMYK, YCbCr, LAB, HSV, RGBX, ...


def _gray_if_neutral(rgb: Image.Image) -> Image.Image:
    """A palette image whose colours are all grey becomes "L", else stays "RGB"."""
    colors = rgb.getcolors(maxcolors=256)
    if colors and all(isinstance(c, tuple) and c[0] == c[1] == c[2] for _, c in colors):
        return rgb.convert("L")
    return rgb


# ---------------------------------------------------------------------------- public API


def page_count(path: str | os.PathLike[str]) -> int:
    """Number of pages of a PDF or TIFF (1 for PNG and JPEG)."""
    p = Path(path)
    kind = detect_media_type(p)
    if kind == PDF:
        return pdf_info(p).pages
    with _open_image(p) as im:
        return _image_frames(im) if kind == TIFF else 1


def parse_page_ranges(spec: str, page_count: int) -> list[int]:
    """Parse "1-3,5,7-" (1-based, inclusive; "7-" = to the end, "-3" = from 1).

    Returns the sorted, unique page numbers. A malformed spec or a page outside
    1..page_count raises BadArgumentsError.
    """
    pages: set[int] = set()
    for first, last in _page_spans(spec, page_count):
        if last > page_count or first > page_count:
            raise _bad_pages(spec, f"the document has only {page_count} page(s)", page_count)
        pages.update(range(first, last + 1))
    return sorted(pages)


def check_page_spec(spec: str) -> None:
    """BadArgumentsError when `spec` is malformed whatever the document (syntax, page 0, a
    range running backwards), so `run` refuses it before it sets anything up."""
    for _ in _page_spans(spec, None):
        pass


def _bad_pages(spec: str, why: str, page_count: int | None) -> BadArgumentsError:
    known = f" (pages 1..{page_count})" if page_count is not None else ""
    return BadArgumentsError(f"bad page range {spec!r}: {why}; use e.g. 1-3,5,7-{known}")


def _page_spans(spec: str, page_count: int | None) -> Iterator[tuple[int, int]]:
    """(first, last) of each part of `spec`; an open end is `page_count` (the first page
    when the count is unknown, to check the syntax only)."""
    if not spec or not spec.strip():
        raise _bad_pages(spec, "it is empty", page_count)
    for part in spec.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d*)\s*-\s*(\d*)|(\d+)", part)
        if not part or not m or part == "-":
            raise _bad_pages(spec, f"{part!r} is not a page or a range", page_count)
        if m.group(3) is not None:
            first = last = int(m.group(3))
        else:
            first = int(m.group(1)) if m.group(1) else 1
            end = page_count if page_count is not None else first
            last = int(m.group(2)) if m.group(2) else end
        if first < 1 or last < 1:
            raise _bad_pages(spec, "pages are numbered from 1", page_count)
        if page_count is not None and first > page_count:
            raise _bad_pages(spec, f"the document has only {page_count} page(s)", page_count)
        if first > last and (m.group(2) or page_count is not None):
            raise _bad_pages(spec, f"{part!r} runs backwards", page_count)
        yield first, last


def load_page(
    path: str | os.PathLike[str],
    number: int,
    dpi: int | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    gray: bool = False,
) -> RasterPage:
    """Render or decode page `number` (1-based) of `path` as an "L" or "RGB" image.

    PDF pages are rendered at `dpi` (None: `render_dpi`, a scan's own resolution); images
    keep their own pixels and report the dpi stored in the file (when plausible) or else
    `dpi` (None: DEFAULT_DPI). `gray=True` asks for an "L" page
    when the caller will only use grey: poppler then renders grey directly (`pdftoppm
    -gray`, ~0.14 s a page less at 300 dpi than RGB plus a conversion); images are
    decoded as usual and converted.
    """
    p = Path(path)
    if dpi is not None:
        _check_dpi(dpi)
    kind = detect_media_type(p)
    if kind == PDF:
        total = page_count(p)
        _check_page_number(p, number, total)
        page = _render_pdf_page(p, number, render_dpi(p, number, dpi), max_pixels, gray)
        return replace(page, bilevel=number in bilevel_scans(p))
    with _open_image(p) as im:
        # Counting a TIFF's frames walks every IFD; only do it when the page is not there,
        # so loading page n of a long TIFF costs n frame reads, not the whole file each time
        if number < 1 or (number > 1 and not _has_frame(im, number)):
            # a failed seek leaves `im` at the frame it could not read, holding the pixels
            # of the one before (a new user's 2-page TIFF read while still being copied
            # came out as page 1 twice): count, then load, each from the file afresh
            with _open_image(p) as fresh:
                _check_page_number(p, number, _image_frames(fresh) if kind == TIFF else 1)
            with _open_image(p) as fresh:
                page = _load_frame(fresh, p, number, dpi or DEFAULT_DPI, max_pixels)
        else:
            page = _load_frame(im, p, number, dpi or DEFAULT_DPI, max_pixels)
    return _as_gray(page) if gray else page


def _as_gray(page: RasterPage) -> RasterPage:
    """`page` in grey as OCR reads it (`preprocess.to_gray`: a red seal reads as paper)."""
    if page.image.mode == "L":
        return page
    from PIL import Image

    from ocr_pipeline.preprocess import to_gray

    gray = Image.fromarray(to_gray(page.image), "L")
    return RasterPage(number=page.number, image=gray, dpi=page.dpi)


def _has_frame(im: Image.Image, number: int) -> bool:
    try:
        im.seek(number - 1)
    except _DECODE_ERRORS:
        return False
    return True


def iter_pages(
    path: str | os.PathLike[str],
    dpi: int | None = None,
    pages: Sequence[int] | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Iterator[RasterPage]:
    """Yield the pages of `path` one at a time, in the order of `pages` (default: all),
    each at the resolution `load_page` gives it.

    The file's type, page count and the requested page numbers are checked when this is
    called (errors surface immediately); each page is rendered only when the returned
    generator is advanced to it.
    """
    p = Path(path)
    if dpi is not None:
        _check_dpi(dpi)
    kind = detect_media_type(p)
    total = page_count(p)
    wanted = list(range(1, total + 1)) if pages is None else [int(n) for n in pages]
    for n in wanted:
        _check_page_number(p, n, total)
    if kind == PDF:
        return _iter_pdf(p, wanted, dpi, max_pixels)
    return _iter_image(p, wanted, dpi or DEFAULT_DPI, max_pixels)


def _iter_pdf(
    path: Path, wanted: list[int], dpi: int | None, max_pixels: int
) -> Iterator[RasterPage]:
    for n in wanted:
        yield _render_pdf_page(path, n, render_dpi(path, n, dpi), max_pixels)


def _iter_image(path: Path, wanted: list[int], dpi: int, max_pixels: int) -> Iterator[RasterPage]:
    im = _open_image(path)  # one open file for all frames of a multi-page TIFF
    try:
        for n in wanted:
            yield _load_frame(im, path, n, dpi, max_pixels)
    finally:
        im.close()


def _check_page_number(path: Path, number: int, total: int) -> None:
    if not 1 <= number <= total:
        raise BadArgumentsError(
            f"{path} has {total} page(s), there is no page {number}; "
            f"choose pages between 1 and {total}"
        )


def _check_dpi(dpi: int) -> None:
    if not 10 <= dpi <= 2400:
        raise BadArgumentsError(f"--dpi {dpi} is out of range; use a value from 10 to 2400")
