"""hOCR 1.2 exporter: NAME.hocr, the restored words with their boxes as XHTML.

One `ocr_page` per processed page (`bbox`, `ppageno` 0-based, `image` = source file name,
`scan_res`), then `ocr_carea` (blocks: Tesseract's, or structure nodes when a structure
tree is given, see `export.blocks`), `ocr_par`, `ocr_line` and `ocrx_word` with `bbox`
and `x_wconf` (Tesseract's 0-100 confidence). Word text is the restored text (NFC);
what Tesseract read is kept in `data-ocr-text` when it differs, and the restore
confidence in `data-restore-conf` (4 decimals, the value words.tsv and ALTO's WC give).
`lang="vi"` on the document and on every paragraph.

Coordinates: by default (`coords="original"`) pixels of the original page image at
`page.dpi` (what a viewer shows), mapped back from the deskewed image the OCR ran on
(`export.geometry`); lines of a deskewed page carry `textangle`. `coords="processed"`
keeps the deskewed image's pixels unchanged.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ocr_pipeline import __version__
from ocr_pipeline.export.blocks import page_blocks
from ocr_pipeline.export.geometry import PageGeometry
from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.model import BBox, Document, Page
from ocr_pipeline.safetext import escape_controls
from ocr_pipeline.text import nfc

XHTML = "http://www.w3.org/1999/xhtml"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang"
COORDS = ("original", "processed")


def _bbox(box: BBox) -> str:
    return f"bbox {box.left} {box.top} {box.right} {box.bottom}"


def _quote(text: str) -> str:
    """A double-quoted hOCR property string (backslash-escaped quotes and backslashes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _nfc(text: str) -> str:
    """NFC, with any control character a broken OCR engine emitted escaped (XML 1.0 has
    no place for them)."""
    return escape_controls(nfc(text))


def _check_coords(coords: str) -> None:
    if coords not in COORDS:
        raise ValueError(f"coords must be one of {COORDS}, not {coords!r}")


def _page_element(
    page: Page, image: str, structure: Mapping[str, Any] | None, coords: str
) -> ET.Element:
    geo = PageGeometry.of(page)
    original = coords == "original"
    box = (lambda b: geo.box_to_original(b)) if original else (lambda b: b)
    width, height = (geo.orig_width, geo.orig_height) if original else (page.width, page.height)
    n = page.number
    title = (f"image {_quote(image)}; bbox 0 0 {width} {height}; ppageno {n - 1}; "
             f"scan_res {page.dpi} {page.dpi}")  # fmt: skip
    div = ET.Element("div", {"class": "ocr_page", "id": f"page_{n}", "title": title})
    if page.status != "ok":
        div.set("data-status", page.status)
        if page.error:
            div.set("data-error", escape_controls(page.error))
    angle = f"; textangle {geo.angle:g}" if original and geo.angle else ""
    line_no = word_no = 0  # running per page: Tesseract's line ids repeat across paragraphs
    for b, block in enumerate(page_blocks(page, structure), start=1):
        carea = ET.SubElement(div, "div", {"class": "ocr_carea", "id": f"block_{n}_{b}",
                                           "title": _bbox(box(block.bbox))})  # fmt: skip
        if block.kind:
            carea.set("data-kind", block.kind)
        for p, lines in enumerate(block.paragraphs(), start=1):
            par_box = lines[0].bbox
            for line in lines[1:]:
                par_box = par_box.union(line.bbox)
            par = ET.SubElement(carea, "p", {"class": "ocr_par", "id": f"par_{n}_{b}_{p}",
                                             "lang": "vi",
                                             "title": _bbox(box(par_box))})  # fmt: skip
            for line in lines:
                line_no += 1
                line_title = _bbox(box(line.bbox)) + angle
                span = ET.SubElement(par, "span", {"class": "ocr_line", "id": f"line_{n}_{line_no}",
                                                   "title": line_title})  # fmt: skip
                for word in line.words:
                    word_no += 1
                    attrs = {"class": "ocrx_word", "id": f"word_{n}_{word_no}",
                             "title": f"{_bbox(box(word.bbox))}; x_wconf "
                                      f"{max(0, min(100, round(word.confidence)))}"}  # fmt: skip
                    if word.ocr_text is not None and _nfc(word.ocr_text) != _nfc(word.marked_text):
                        attrs["data-ocr-text"] = _nfc(word.ocr_text)
                    if word.restore_confidence is not None:
                        attrs["data-restore-conf"] = f"{round(word.restore_confidence, 4):g}"
                    el = ET.SubElement(span, "span", attrs)
                    el.text = _nfc(word.marked_text)
                    el.tail = " "
                if len(span):
                    span[-1].tail = None
    return div


def to_hocr(
    document: Document,
    structure: Mapping[str, Any] | None = None,
    *,
    coords: str = "original",
) -> str:
    """The hOCR (XHTML, UTF-8) text of the whole document, one ocr_page per page."""
    _check_coords(coords)
    html = ET.Element("html", {"xmlns": XHTML, "xml:lang": "vi", "lang": "vi"})
    head = ET.SubElement(html, "head")
    name = escape_controls(document.source.file)  # a control character is not XML
    ET.SubElement(head, "title").text = name
    ET.SubElement(head, "meta", {"http-equiv": "Content-Type",
                                 "content": "text/html;charset=utf-8"})  # fmt: skip
    ET.SubElement(head, "meta", {"name": "ocr-system",
                                 "content": f"ocr_pipeline {__version__} (tesseract)"})  # fmt: skip
    ET.SubElement(head, "meta", {"name": "ocr-capabilities", "content": CAPABILITIES})
    ET.SubElement(head, "meta", {"name": "ocr-number-of-pages",
                                 "content": str(len(document.pages))})  # fmt: skip
    body = ET.SubElement(html, "body")
    for page in document.pages:
        body.append(_page_element(page, name, structure, coords))
    ET.indent(html, space=" ")
    text = ET.tostring(html, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + text + "\n"


def write_hocr(
    document: Document,
    path: Path,
    structure: Mapping[str, Any] | None = None,
    *,
    coords: str = "original",
) -> None:
    write_atomic(Path(path), to_hocr(document, structure, coords=coords))
