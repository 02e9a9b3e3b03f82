"""ALTO v4 exporter: NAME.alto.xml, the restored words with boxes for digital libraries.

Namespace http://www.loc.gov/standards/alto/ns-v4#, SCHEMAVERSION 4.3 (the official schema
the tests validate against, tests/data/alto). Description: MeasurementUnit `pixel`,
sourceImageInformation/fileName, and one `Processing` step per program (Tesseract:
contentGeneration; ocr_pipeline's restoration: contentModification) with software names
and versions. `Processing` is ALTO 4's replacement of the deprecated
`OCRProcessing`. Layout: one Page (ID, PHYSICAL_IMG_NR = page number, WIDTH, HEIGHT, PC)
per processed page, a PrintSpace, TextBlocks (Tesseract's blocks, or structure nodes
when a structure tree is given, see `export.blocks`), TextLines, and String elements
(CONTENT = restored word, NFC) separated by SP. WC (0-1) is the word's one confidence,
the same every output gives it: the restore confidence whenever the word went through
restoration (changed or not; words.tsv's restore_conf, hOCR's data-restore-conf), else
Tesseract's confidence / 100. When restoration changed a word, what Tesseract read is
kept as `<ALTERNATIVE PURPOSE="ocr">`.

Coordinates are pixels of the original page image at `page.dpi` by default (mapped back
from the deskewed OCR image, `export.geometry`; blocks of a deskewed page carry ROTATION,
degrees counter-clockwise), or of the deskewed image with `coords="processed"`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ocr_pipeline import __version__
from ocr_pipeline.export.blocks import page_blocks
from ocr_pipeline.export.geometry import PageGeometry
from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.model import BBox, Document, Page, Word
from ocr_pipeline.safetext import escape_controls
from ocr_pipeline.text import nfc

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_VERSION = "4.3"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/alto/v4/alto-4-3.xsd"
COORDS = ("original", "processed")


def _nfc(text: str) -> str:
    """NFC, with any control character a broken OCR engine emitted escaped (XML 1.0 has
    no place for them)."""
    return escape_controls(nfc(text))


def _pos(el: ET.Element, box: BBox) -> ET.Element:
    el.set("HPOS", str(box.left))
    el.set("VPOS", str(box.top))
    el.set("WIDTH", str(box.width))
    el.set("HEIGHT", str(box.height))
    return el


def _word_confidence(word: Word) -> float:
    # the restore confidence also for a word restoration kept: a diff or a reader of ALTO
    # must see the confidence words.tsv and hOCR give the same word (4 decimals, as there)
    if word.restore_confidence is not None:
        value = word.restore_confidence
    else:
        value = word.confidence / 100.0
    return round(min(1.0, max(0.0, value)), 4)


def _description(root: ET.Element, document: Document, versions: Mapping[str, Any]) -> None:
    desc = ET.SubElement(root, "Description")
    ET.SubElement(desc, "MeasurementUnit").text = "pixel"
    info = ET.SubElement(desc, "sourceImageInformation")
    ET.SubElement(info, "fileName").text = escape_controls(document.source.file)
    steps = [
        ("proc_ocr", "contentGeneration", "OCR (Tesseract LSTM, page deskewed first)",
         "Tesseract", versions.get("tesseract")),
        ("proc_restore", "contentModification",
         "Vietnamese tone-mark and orthography restoration of the OCR words",
         "ocr_pipeline", versions.get("ocr_pipeline") or __version__),
    ]  # fmt: skip
    for ident, category, what, name, version in steps:
        proc = ET.SubElement(desc, "Processing", {"ID": ident})
        ET.SubElement(proc, "processingCategory").text = category
        ET.SubElement(proc, "processingStepDescription").text = what
        soft = ET.SubElement(proc, "processingSoftware")
        ET.SubElement(soft, "softwareName").text = name
        if version:
            ET.SubElement(soft, "softwareVersion").text = str(version)


def _page(layout: ET.Element, page: Page, structure: Mapping[str, Any] | None, coords: str) -> None:
    geo = PageGeometry.of(page)
    original = coords == "original"
    box = (lambda b: geo.box_to_original(b)) if original else (lambda b: b)
    width, height = (geo.orig_width, geo.orig_height) if original else (page.width, page.height)
    n = page.number
    el = ET.SubElement(layout, "Page", {
        "ID": f"page_{n}", "PHYSICAL_IMG_NR": str(n), "WIDTH": str(width),
        "HEIGHT": str(height), "PROCESSINGREFS": "proc_ocr proc_restore",
    })  # fmt: skip
    if page.mean_confidence is not None:
        el.set("PC", f"{page.mean_confidence / 100:.4f}")
    if page.status != "ok":
        el.set("QUALITY_DETAIL", escape_controls(f"{page.status}: {page.error or ''}".strip()))
    blocks = page_blocks(page, structure)
    space = ET.SubElement(el, "PrintSpace", {"ID": f"space_{n}"})
    if blocks:
        whole = blocks[0].bbox
        for block in blocks[1:]:
            whole = whole.union(block.bbox)
        _pos(space, box(whole))
    else:
        _pos(space, BBox(0, 0, width, height))
    line_no = word_no = 0
    for b, block in enumerate(blocks, start=1):
        tb = _pos(ET.SubElement(space, "TextBlock", {"ID": f"block_{n}_{b}"}), box(block.bbox))
        if original and geo.angle:
            tb.set("ROTATION", f"{geo.angle:g}")
        tb.set("LANG", "vi")
        if block.kind:
            tb.set("TAGREFS", _tag_id(block.kind))
            tb.set("data-kind", block.kind)
        for line in block.lines:
            line_no += 1
            tl = _pos(ET.SubElement(tb, "TextLine", {"ID": f"line_{n}_{line_no}"}),
                      box(line.bbox))  # fmt: skip
            for i, word in enumerate(line.words):
                word_no += 1
                wbox = box(word.bbox)
                string = _pos(ET.SubElement(tl, "String", {"ID": f"string_{n}_{word_no}"}),
                              wbox)  # fmt: skip
                string.set("CONTENT", _nfc(word.marked_text))
                string.set("WC", f"{_word_confidence(word):g}")
                if word.ocr_text is not None and _nfc(word.ocr_text) != _nfc(word.marked_text):
                    alt = ET.SubElement(string, "ALTERNATIVE", {"PURPOSE": "ocr"})
                    alt.text = _nfc(word.ocr_text)
                if i + 1 < len(line.words):
                    nxt = box(line.words[i + 1].bbox)
                    gap = str(max(0, nxt.left - wbox.right))
                    ET.SubElement(tl, "SP", {"HPOS": str(wbox.right), "VPOS": str(wbox.top),
                                             "WIDTH": gap})  # fmt: skip


def _tag_id(kind: str) -> str:
    return "tag_" + re.sub(r"[^A-Za-z0-9_.-]", "_", kind)


def to_alto(
    document: Document,
    structure: Mapping[str, Any] | None = None,
    *,
    versions: Mapping[str, Any] | None = None,
    coords: str = "original",
) -> str:
    """The ALTO v4 XML text of the whole document (one Page per processed page).

    `versions` is `pipeline.tool_versions()` (or any mapping with "tesseract" and
    "ocr_pipeline"); without it only ocr_pipeline's own version is recorded.
    """
    if coords not in COORDS:
        raise ValueError(f"coords must be one of {COORDS}, not {coords!r}")
    root = ET.Element("alto", {"xmlns": ALTO_NS, "xmlns:xsi": XSI_NS,
                               "xsi:schemaLocation": SCHEMA_LOCATION,
                               "SCHEMAVERSION": SCHEMA_VERSION})  # fmt: skip
    _description(root, document, versions or {})
    layout = ET.SubElement(root, "Layout")
    for page in document.pages:
        _page(layout, page, structure, coords)
    kinds = list(dict.fromkeys(el.attrib.pop("data-kind") for el in layout.iter("TextBlock")
                               if "data-kind" in el.attrib))  # fmt: skip
    if kinds:  # ALTO order: Description, Styles, Tags, ReadingOrder, Layout
        tags = ET.Element("Tags")
        for kind in kinds:
            ET.SubElement(tags, "StructureTag", {"ID": _tag_id(kind), "LABEL": kind})
        root.insert(1, tags)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def write_alto(
    document: Document,
    path: Path,
    structure: Mapping[str, Any] | None = None,
    *,
    versions: Mapping[str, Any] | None = None,
    coords: str = "original",
) -> None:
    write_atomic(Path(path), to_alto(document, structure, versions=versions, coords=coords))
