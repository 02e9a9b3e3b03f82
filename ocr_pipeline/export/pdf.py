"""Searchable PDF exporter: the original pages with an invisible layer of restored words.

Approach (the one Tesseract's PDF renderer and OCRmyPDF use, built with maintained
libraries: pikepdf for the PDF objects, fontTools for the font):

* Page image. A PDF input keeps its original page objects untouched (vector content,
  images, annotations, page size, /Rotate); only the text layer is added on top. An image
  input (PNG, TIFF, JPEG) becomes one page per frame, sized from its pixels and dpi; a
  plain JPEG is embedded byte for byte, other images losslessly (Flate, 1-bit when the
  page is black and white). Only the processed pages (`document.pages`) are written.
  The pixels of an image input's page come from the caller (`page_image`: the pipeline
  passes the raster stage's reader), as the pipeline keeps no page image in memory and
  the PDF must embed the original, not the preprocessed one: export reads no scan itself.
* Text layer. Each restored word is drawn in text render mode 3 (invisible) with a
  "glyphless" Type0/CIDFontType2 font: Identity-H encoding, character codes = UTF-16
  code units, every code mapped to one empty glyph of width 1/2 em, and a ToUnicode CMap
  mapping every code to itself. So extraction and search give exactly the restored NFC
  text, whatever the characters, and no real font has to cover Vietnamese. The font is a
  tiny TrueType built once with fontTools' FontBuilder.
* Placement. Word boxes are pixels of the deskewed OCR image; they are mapped back to
  the original page (`export.geometry`). Font size = line height (at most
  LINE_TO_WORD_HEIGHT times the words' median height), baseline on the line's bottom,
  and horizontal scaling (Tz) so each word spans exactly its box, followed by a space
  stretched over the gap to the next word on the line (as OCRmyPDF does): extractors
  see words separated by spaces and lines in reading order. Text stays horizontal even on
  a skewed page: poppler and pdfminer split rotated text (a 2-degree line came out of
  pdftotext as "côn" + "g"; OCRmyPDF's rotated layer on the 0.7-degree sample report
  extracts with 40% CER against 1.1% for ours, `scripts/bench_ocr.py --pdf`). Each
  line's baseline goes through the mapped centre of the line, so on a skewed page the
  invisible words sit off the visible ones by |x - centre| * sin(skew) at most (about
  4 pt at the ends of an A4 line for a 1-degree skew).

PDF/A is `export.pdfa`: this file converted by OCRmyPDF without OCR (`--output-type pdfa`).
`relayered_pdf` draws the text layer of a written file again from corrected words
(`ocr-pipeline apply`), leaving everything else in it as it was.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import logging
import math
import os
import re
import secrets
import statistics
import tempfile
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
from PIL import Image

from ocr_pipeline import __version__
from ocr_pipeline.errors import InputFileError, OutputError
from ocr_pipeline.export.geometry import PageGeometry
from ocr_pipeline.fileio import publish
from ocr_pipeline.model import Document, Line, Page
from ocr_pipeline.pdf_text_layer import remove_invisible_text

log = logging.getLogger(__name__)

FONT_NAME = "GlyphLessFont"
GLYPH_WIDTH = 500  # 1/1000 em: the one glyph's advance
#: Baseline at the line box's bottom minus this share of the line height (descenders).
DESCENT = 0.0
#: A line's font size is its height, at most this many times its words' median height.
LINE_TO_WORD_HEIGHT = 1.3


# ------------------------------------------------------------------------------ the font


@functools.cache
def glyphless_font() -> bytes:
    """A TrueType font with an empty .notdef and one glyph, a box of 1/2 em by 0.7 em (the
    advance), built once. The box is never painted (the layer is drawn invisible, render
    mode 3), but pdfium (Chromium's PDF viewer and search) drops a one-character word whose
    glyph has no outline: "9" and "ở" of "tháng 9", "ở xã" were not found."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    fb = FontBuilder(1000, isTTF=True)
    order = [".notdef", "glyph1"]
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({})
    box = TTGlyphPen(None)
    box.moveTo((0, 0))
    box.lineTo((0, 700))
    box.lineTo((GLYPH_WIDTH, 700))
    box.lineTo((GLYPH_WIDTH, 0))
    box.closePath()
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "glyph1": box.glyph()})
    fb.setupHorizontalMetrics({name: (GLYPH_WIDTH, 0) for name in order})
    fb.setupHorizontalHeader(ascent=1000, descent=0)
    fb.setupNameTable({"familyName": FONT_NAME, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=1000, sTypoDescender=0, usWinAscent=1000, usWinDescent=0)
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    return buf.getvalue()


def _to_unicode_cmap() -> bytes:
    """Every 2-byte code maps to the same UTF-16 code unit (256 ranges, one per high byte)."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)
              if not 0xD8 <= hi <= 0xDF]  # fmt: skip
    body = []
    for start in range(0, len(ranges), 100):  # at most 100 entries per block
        chunk = ranges[start : start + 100]
        body.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange")
    text = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(body)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    return text.encode("ascii")


def _font_object(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The Type0 font dictionary (made indirect in `pdf`)."""
    font_file = pikepdf.Stream(pdf, glyphless_font())
    font_file.Length1 = len(glyphless_font())
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + FONT_NAME),
        Flags=5, FontBBox=[0, 0, GLYPH_WIDTH, 1000], ItalicAngle=0, Ascent=1000,
        Descent=0, CapHeight=1000, StemV=80, FontFile2=font_file,
    ))  # fmt: skip
    # every CID -> glyph 1 (2 bytes per CID, big-endian)
    cid_to_gid = pikepdf.Stream(pdf, zlib.compress(b"\x00\x01" * 65536, 9))
    cid_to_gid.Filter = pikepdf.Name.FlateDecode
    cid_font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name("/" + FONT_NAME),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                         Ordering=pikepdf.String("Identity"), Supplement=0),
        FontDescriptor=descriptor, DW=GLYPH_WIDTH, CIDToGIDMap=cid_to_gid,
    ))  # fmt: skip
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
        BaseFont=pikepdf.Name("/" + FONT_NAME), Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=[cid_font], ToUnicode=pikepdf.Stream(pdf, _to_unicode_cmap()),
    ))  # fmt: skip


# ------------------------------------------------------------------------------ text layer


def _hex(text: str) -> str:
    """UTF-16BE hex string; characters outside the BMP become U+FFFD (one code each)."""
    text = "".join(ch if ord(ch) < 0x10000 else "\ufffd" for ch in text)
    return text.encode("utf-16-be").hex().upper()


def _num(value: float) -> str:
    out = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if out in ("", "-0") else out


def text_layer(page: Page, height_pt: float, font: str) -> bytes:
    """Content-stream operators drawing the page's words invisibly.

    Coordinates: PDF points of the page as displayed, origin bottom-left, the original
    raster at `page.dpi` covering `height_pt` points of height.
    """
    geo = PageGeometry.of(upright(page))
    scale = 72.0 / page.dpi
    ops = [f"BT\n3 Tr\n/{font} 1 Tf"]
    for line in page.lines:
        ops.extend(_line_ops(line, geo, scale, height_pt))
    ops.append("ET")
    return ("\n".join(ops) + "\n").encode("ascii")


def upright(page: Page) -> Page:
    """`page` as the PDF shows it: a page OCR read after a quarter turn is written with
    that turn in its /Rotate (`_fill`), so its text layer is drawn on the upright page
    and only the skew is undone (a layer drawn across sideways text extracted as
    reversed, glued words)."""
    if not page.orientation:
        return page
    sideways = page.orientation % 180 != 0
    width, height = page.raster_width, page.raster_height
    return dataclasses.replace(
        page,
        orientation=0,
        raster_width=height if sideways else width,
        raster_height=width if sideways else height,
    )


def _line_ops(line: Line, geo: PageGeometry, scale: float, height_pt: float) -> list[str]:
    """One horizontal run per line: rotated text (even by 1 degree) makes poppler and
    pdfminer split words and lines, so the line's baseline goes through the mapped centre
    of the line and each word starts at its mapped left edge."""
    words = [w for w in line.words if w.marked_text.strip()]
    if not words:
        return []
    # the line's height, at most LINE_TO_WORD_HEIGHT times its words' median: specks of a
    # bad copy stretch a line's box, and a font twice the type's size squeezed into the
    # word boxes made poppler glue the words
    typical = LINE_TO_WORD_HEIGHT * statistics.median(w.bbox.height for w in words)
    size = max(1.0, min(line.bbox.height, typical) * scale)
    baseline = line.bbox.bottom - DESCENT * line.bbox.height
    centre = (line.bbox.left + line.bbox.right) / 2.0
    y_pt = height_pt - geo.to_original(centre, baseline)[1] * scale
    em = GLYPH_WIDTH / 1000 * size  # natural advance of one character
    ops = []
    for i, word in enumerate(words):
        text = unicodedata.normalize("NFC", " ".join(word.marked_text.split()))
        x_pt = geo.to_original(word.bbox.left, baseline)[0] * scale
        width_pt = max(1, word.bbox.width) * scale
        ops.append(f"{_num(size)} 0 0 {_num(size)} {_num(x_pt)} {_num(y_pt)} Tm "
                   f"{_num(100.0 * width_pt / (len(text) * em))} Tz <{_hex(text)}> Tj")  # fmt: skip
        if i + 1 < len(words):  # a space stretched over the gap to the next word
            gap_pt = max(0.1 * size, (words[i + 1].bbox.left - word.bbox.right) * scale)
            ops.append(f"{_num(100.0 * gap_pt / em)} Tz <0020> Tj")
    return ops


# ------------------------------------------------------------------------------ pages


def _display_matrix(page: pikepdf.Page) -> tuple[list[float], float]:
    """`cm` operands mapping displayed-page points (origin bottom-left of the crop box as
    shown, after /Rotate) to the page's user space, and the displayed height."""
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    w, h = x1 - x0, y1 - y0
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    matrix = {
        0: [1, 0, 0, 1, x0, y0],
        90: [0, 1, -1, 0, w + x0, y0],
        180: [-1, 0, 0, -1, w + x0, h + y0],
        270: [0, -1, 1, 0, x0, h + y0],
    }.get(rotate, [1, 0, 0, 1, x0, y0])
    return matrix, (w if rotate in (90, 270) else h)


def _add_layer(pdf: pikepdf.Pdf, pdf_page: pikepdf.Page, page: Page, font: pikepdf.Object,
               scale: float = 1.0) -> None:  # fmt: skip
    """`scale`: page units per point of the scan (an image page resized to PDF limits)."""
    if not any(line.words for line in page.lines):
        return
    matrix, height_pt = _display_matrix(pdf_page)
    matrix = [v * scale for v in matrix[:4]] + matrix[4:]
    height_pt /= scale
    name = pdf_page.add_resource(font, pikepdf.Name.Font, prefix="OcrText")
    layer = text_layer(page, height_pt, str(name)[1:])
    cm = " ".join(_num(v) for v in matrix)
    pdf_page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    pdf_page.contents_add(pikepdf.Stream(pdf, b"\nQ\nq\n" + cm.encode() + b" cm\n" + layer
                                         + b"Q\n"))  # fmt: skip


#: The original pixels of one page of an image input ("L" or "RGB", as the raster stage
#: decoded them for OCR), given by whoever read the source.
PageImage = Callable[[Page], Image.Image]


def _image_xobject(pdf: pikepdf.Pdf, source: Path, im: Image.Image, media_type: str,
                   ) -> tuple[pikepdf.Stream, int, int]:  # fmt: skip
    """The page's original image `im` as an image XObject, and its pixel size (a plain
    JPEG source is embedded as its own bytes)."""
    width, height = im.size
    if media_type == "image/jpeg":
        with Image.open(source) as orig:
            plain = (orig.size == im.size and orig.mode in ("L", "RGB")
                     and orig.getexif().get(0x0112, 1) == 1)  # fmt: skip
            mode = orig.mode
        if plain:
            stream = pikepdf.Stream(pdf, Path(source).read_bytes())
            stream.Filter = pikepdf.Name.DCTDecode
            stream.ColorSpace = pikepdf.Name.DeviceGray if mode == "L" else pikepdf.Name.DeviceRGB
            stream.BitsPerComponent = 8
            stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            stream.Width, stream.Height = width, height
            return stream, width, height
    if im.mode == "L" and set(c for _, c in (im.getcolors(2) or [(0, -1)])) <= {0, 255}:
        im = im.convert("1")  # black-and-white page: 1 bit per pixel, still lossless
    bits = 1 if im.mode == "1" else 8
    space = pikepdf.Name.DeviceRGB if im.mode == "RGB" else pikepdf.Name.DeviceGray
    stream = pikepdf.Stream(pdf, zlib.compress(im.tobytes(), 6))
    stream.Filter = pikepdf.Name.FlateDecode
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height = width, height
    stream.ColorSpace, stream.BitsPerComponent = space, bits
    return stream, width, height


#: PDF page sides, in units (ISO 32000: 3 to 14400; /UserUnit makes a unit larger)
MIN_SIDE, MAX_SIDE = 3.0, 14400.0


def page_units(w_pt: float, h_pt: float) -> tuple[float, float]:
    """(scale, user unit) for an image page of `w_pt` x `h_pt` points: the page is drawn
    `scale` times its size in units of `user unit` points, so that both sides lie within
    MIN_SIDE..MAX_SIDE. A scan over 200 inches gets a /UserUnit (its size in the PDF stays
    true); one under 3 pt (a few pixels at high dpi) is enlarged. Raises InputFileError
    for a shape no PDF page can hold (one side over 4800 times the other)."""
    unit = max(1.0, max(w_pt, h_pt) / MAX_SIDE)
    scale = 1.0 / unit
    small = min(w_pt, h_pt) * scale
    if small < MIN_SIDE:
        scale *= MIN_SIDE / small
    if max(w_pt, h_pt) * scale > MAX_SIDE * 1.0001:
        raise InputFileError(
            f"a {w_pt:.0f} x {h_pt:.0f} pt page is too long and thin for a PDF page; "
            "leave pdf out of --output-type for this file"
        )
    return scale, unit


def _image_page(
    pdf: pikepdf.Pdf, source: Path, page: Page, pixels: Image.Image, media_type: str
) -> tuple[pikepdf.Page, float]:
    """The page drawn from its image, and its scale (page units per point of the scan)."""
    image, width, height = _image_xobject(pdf, source, pixels, media_type)
    w_pt, h_pt = width * 72.0 / page.dpi, height * 72.0 / page.dpi
    scale, unit = page_units(w_pt, h_pt)
    w_pt, h_pt = min(w_pt * scale, MAX_SIDE), min(h_pt * scale, MAX_SIDE)
    pdf_page = pdf.add_blank_page(page_size=(max(w_pt, MIN_SIDE), max(h_pt, MIN_SIDE)))
    if unit > 1.0:
        pdf_page.obj.UserUnit = round(unit, 4)
    name = pdf_page.add_resource(image, pikepdf.Name.XObject, prefix="Im")
    pdf_page.contents_add(
        pikepdf.Stream(pdf, f"q {_num(w_pt)} 0 0 {_num(h_pt)} 0 0 cm {name} Do Q\n".encode())
    )
    return pdf_page, scale


#: Actions that run something or send data when a page or annotation is used
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm",
                   "/Rendition", "/Movie", "/Sound", "/RichMediaExecute", "/GoToE"}  # fmt: skip


def _is_active(action: object) -> bool:
    if not isinstance(action, pikepdf.Dictionary):
        return False
    if str(action.get("/S", "")) in _ACTIVE_ACTIONS:
        return True
    nxt = action.get("/Next")
    chained = nxt if isinstance(nxt, pikepdf.Array) else [nxt] if nxt is not None else []
    return any(_is_active(a) for a in chained)


def drop_active_content(pdf_page: pikepdf.Page) -> int:
    """Remove what a copied page could run: its /AA (open/close actions), the /AA of its
    annotations and their JavaScript, launch or submit actions (links to places stay).
    Returns the number of actions removed."""
    removed = 0
    if "/AA" in pdf_page.obj:
        del pdf_page.obj["/AA"]
        removed += 1
    annots = pdf_page.obj.get("/Annots")
    for annot in annots if isinstance(annots, pikepdf.Array) else []:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        if "/AA" in annot:
            del annot["/AA"]
            removed += 1
        if "/A" in annot and _is_active(annot.get("/A")):
            del annot["/A"]
            removed += 1
    return removed


def _fill(out: pikepdf.Pdf, document: Document, source_path: Path,
          src: pikepdf.Pdf | None, page_image: PageImage | None) -> None:  # fmt: skip
    font = _font_object(out)
    for page in document.pages:
        if src is not None:
            if not 1 <= page.number <= len(src.pages):
                raise InputFileError(
                    f"{source_path} has no page {page.number}; pass the file that was OCR'd"
                )
            out.pages.append(src.pages[page.number - 1])
            pdf_page = out.pages[-1]
            if drop_active_content(pdf_page):
                log.info("%s page %d: active content (actions, scripts) left out",
                         source_path, page.number)  # fmt: skip
            scale = 1.0
        else:
            if page_image is None:
                raise ValueError("an image input's searchable PDF needs its pixels (page_image)")
            pdf_page, scale = _image_page(out, source_path, page, page_image(page),
                                          document.source.media_type)  # fmt: skip
        if page.orientation % 360:  # shown upright, as OCRmyPDF's --rotate-pages does
            turned = int(pdf_page.obj.get("/Rotate", 0)) + page.orientation
            pdf_page.obj[pikepdf.Name.Rotate] = turned % 360
        if page.own_text and src is not None:
            # typed text, or an earlier OCR's layer: a second layer would have searches
            # find every word twice (the run warns, `batch.task.own_text_hints`)
            log.info("%s page %d: text of its own kept, no layer added", source_path,
                     page.number)  # fmt: skip
            continue
        if src is not None and (removed := remove_invisible_text(pdf_page)):
            log.info("%s page %d: an earlier OCR's invisible layer (%d text runs) replaced",
                     source_path, page.number, removed)  # fmt: skip
        _add_layer(out, pdf_page, page, font, scale)
    out.docinfo[pikepdf.Name.Producer] = f"ocr_pipeline {__version__} (pikepdf)"
    out.docinfo[pikepdf.Name.Title] = document.source.file


def to_searchable_pdf(document: Document, source_path: Path,
                      page_image: PageImage | None = None) -> bytes:  # fmt: skip
    """The searchable PDF of `document` (OCR'd from `source_path`) as bytes; an image
    input needs `page_image`, the original pixels of each page."""
    buf = io.BytesIO()
    _build_and_save(document, Path(source_path), buf, page_image)
    return buf.getvalue()


def _build_and_save(document: Document, source_path: Path, target: Path | io.BytesIO,
                    page_image: PageImage | None) -> None:  # fmt: skip
    is_pdf = document.source.media_type == "application/pdf"
    try:
        with pikepdf.new() as out:
            if is_pdf:
                with pikepdf.open(source_path) as src:
                    _fill(out, document, source_path, src, None)
                    _save(out, target, kept_restrictions(src))
            else:
                _fill(out, document, source_path, None, page_image)
                _save(out, target)
    except pikepdf.PdfError as err:
        raise InputFileError(f"{source_path}: cannot read the PDF ({err}); re-export it") from None


def kept_restrictions(src: pikepdf.Pdf) -> pikepdf.Encryption | None:
    """The source's permissions (print, copy, modify forbidden by an owner password) for the
    output, under a random owner password: our copy restricts what the original did.
    None when the source is not encrypted. (A PDF that needs a user password never gets
    here: it is refused as encrypted, exit 8.)"""
    if not src.is_encrypted:
        return None
    return pikepdf.Encryption(owner=secrets.token_hex(16), user="", allow=src.allow)


def _save(pdf: pikepdf.Pdf, target: Path | io.BytesIO,
          encryption: pikepdf.Encryption | None = None) -> None:  # fmt: skip
    pdf.save(target, compress_streams=True, deterministic_id=encryption is None,
             object_stream_mode=pikepdf.ObjectStreamMode.generate,
             encryption=encryption or False)  # fmt: skip


def write_searchable_pdf(document: Document, source_path: Path, out_path: Path,
                         page_image: PageImage | None = None) -> Path:  # fmt: skip
    """Write the searchable PDF of `document` (OCR'd from `source_path`) atomically; an
    image input needs `page_image`, the original pixels of each page.

    Written to a temporary file in the output folder, then renamed over `out_path`.
    Raises InputFileError when `source_path` is unreadable or lacks a page, OutputError
    when the output cannot be written.
    """
    out_path = Path(out_path)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp",
                                   dir=out_path.parent)  # fmt: skip
        os.close(fd)
    except OSError as err:
        raise OutputError(
            f"cannot write to {out_path.parent}: {err.strerror}; choose a writable output folder"
        ) from None
    try:
        _build_and_save(document, Path(source_path), Path(tmp), page_image)
        publish(tmp, out_path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {out_path}: {err.strerror}; check space and permissions"
                          ) from None  # fmt: skip
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path


# ------------------------------------------------------------------------------ correction

#: the content stream `_add_layer` appends: the page's matrix, then the layer's operators
#: (its font's name is pikepdf's random one: letters, digits, "_" and "-")
_LAYER = re.compile(rb"\A\nQ\nq\n(?P<cm>[-0-9. ]+) cm\nBT\n3 Tr\n/(?P<font>OcrText[\w-]*) 1 Tf\n")
_WORD_HEX = re.compile(rb"Tz <([0-9A-F]+)> Tj")
_SPACE_HEX = b"0020"


def _layer_words(page: Page) -> list[str]:
    """The words `text_layer` draws for `page`, as the hex strings it writes."""
    return [
        _hex(unicodedata.normalize("NFC", " ".join(w.marked_text.split())))
        for line in page.lines
        for w in line.words
        if w.marked_text.strip()
    ]


def _our_layer(pdf_page: pikepdf.Page) -> tuple[pikepdf.Stream, re.Match[bytes]] | None:
    contents = pdf_page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    for stream in reversed([s for s in streams if isinstance(s, pikepdf.Stream)]):
        found = _LAYER.match(stream.read_bytes())
        if found:
            return stream, found
    return None


def _layer_scale(pdf_page: pikepdf.Page, cm: list[float]) -> float:
    """The `scale` `_add_layer` drew the layer with, from its `cm` operands (1 but for
    image pages resized to the PDF size limits, where it comes back to 3 decimals)."""
    matrix, _height = _display_matrix(pdf_page)
    if all(abs(a - b) < 1e-6 for a, b in zip(cm[:4], matrix[:4], strict=True)):
        return 1.0
    return math.hypot(*cm[:4]) / math.hypot(*matrix[:4])


def relayered_pdf(data: bytes, written: list[Page], corrected: list[Page], where: str) -> bytes:
    """The searchable PDF `data` (written by this module for the pages `written`) with
    the text layer of every page whose words differ in `corrected` drawn again from
    them; image, page content and every other page as they were. InputFileError when
    the file's pages or its text layer are not those of `written`."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as err:
        raise InputFileError(f"{where}: cannot read the PDF ({err})") from None
    with pdf:
        if len(pdf.pages) != len(written) or len(written) != len(corrected):
            raise InputFileError(
                f"{where} has {len(pdf.pages)} pages, the words table {len(written)};"
                " outputs of one run must agree before they are corrected together"
            )
        font = None
        for pdf_page, old, new in zip(pdf.pages, written, corrected, strict=True):
            before, after = _layer_words(old), _layer_words(new)
            layer = _our_layer(pdf_page)
            if old.own_text and layer is None:
                continue  # a page with text of its own got no layer (`_fill`): none to redraw
            drawn = [] if layer is None else [
                h.decode() for h in _WORD_HEX.findall(layer[1].string) if h != _SPACE_HEX
            ]  # fmt: skip
            if drawn != before:
                raise InputFileError(
                    f"{where}: the text layer of page {old.number} is not the words of the "
                    "words table; outputs of one run must agree before they are corrected together"
                )
            if before == after:
                continue
            if layer is None:  # the page had no word: a layer of its own now
                font = font if font is not None else _font_object(pdf)
                _add_layer(pdf, pdf_page, new, font)
                continue
            stream, found = layer
            cm = [float(v) for v in found["cm"].split()]
            scale = _layer_scale(pdf_page, cm)
            height_pt = _display_matrix(pdf_page)[1] / scale
            ops = text_layer(new, height_pt, found["font"].decode())
            stream.write(b"\nQ\nq\n" + found["cm"] + b" cm\n" + ops + b"Q\n")
        buf = io.BytesIO()
        _save(pdf, buf, kept_restrictions(pdf))
        return buf.getvalue()
