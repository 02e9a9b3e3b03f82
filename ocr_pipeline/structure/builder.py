"""The shared core: pages of `SrcLine`s -> the document tree dict (schema document@1).

Order of work: furniture off the page edges, footnote blocks off the page bottoms, the
header off the top of page 1, the closing off the end, the rest into the section tree;
then provenance is computed and footnote markers are moved from text to `footnote_refs`.
"""

from __future__ import annotations

import logging

from ocr_pipeline.structure.closing import END_MARK_RE, find_closing, parse_closing
from ocr_pipeline.structure.document import SCHEMA_ID, SrcLine, prov
from ocr_pipeline.structure.footnotes import extract_markers, infer_pages, split_footnotes
from ocr_pipeline.structure.furniture import split_furniture
from ocr_pipeline.structure.header import parse_header
from ocr_pipeline.structure.sections import BodyBuilder

log = logging.getLogger(__name__)


def build(pages: list[list[SrcLine]], source: dict | None, boxes: bool) -> dict:
    n_pages = len(pages)
    pages, furniture = split_furniture(pages)
    if not boxes:
        pages = infer_pages(pages)
        n_pages = max(n_pages, len(pages))
    pages, footnotes = split_footnotes(pages)
    first = pages[0] if pages else []
    header, rest = parse_header(first) if first else (None, [])
    lines = rest + [ln for page in pages[1:] for ln in page]
    cut = find_closing(lines)
    closing = lines[cut:] if cut is not None else []
    lines = lines[:cut] if cut is not None else lines
    end_mark = _strip_end_mark(lines, closing)
    recipients, signature = parse_closing(closing)
    blank_mode = not boxes and any(ln.blank_before for ln in lines)
    body = BodyBuilder(blank_mode).feed(lines)
    known = {f["number"] for f in footnotes}
    by_page: dict[int, set[int]] = {}  # OCR'd superscripts may come out as "!", "?", "*"
    for f in footnotes:
        by_page.setdefault(f["page"], set()).add(f["number"])
    linked: set[int] = set()
    _finish(body, known, linked, by_page)
    for fn in footnotes:
        fn["linked"] = fn["number"] in linked
    src = {"pages": n_pages}
    src.update(source or {})
    doc = {
        "schema": SCHEMA_ID,
        "source": src,
        "header": header,
        "body": body,
        "furniture": furniture,
        "footnotes": footnotes,
        "recipients": recipients,
        "signature": signature,
        "end_mark": end_mark,
    }
    log.info("structure: %d top-level nodes, %d footnotes (%d linked)",
             len(body), len(footnotes), len(linked))  # fmt: skip
    return doc


def _strip_end_mark(body: list[SrcLine], closing: list[SrcLine]) -> dict | None:
    """Find the "./." end mark (OCR variants "./,", ". /.") near the end and remove it."""
    for group in (closing, body[-12:]):
        for ln in reversed(group):
            found = list(END_MARK_RE.finditer(ln.text))
            if found:
                m = found[-1]
                text = (ln.text[: m.start()] + "." + ln.text[m.end():]).strip()
                ln.text = "" if text == "." else " ".join(text.split())
                return {"page": ln.page}
    return None


def _finish(
    nodes: list[dict], known: set[int], linked: set[int], by_page: dict[int, set[int]]
) -> None:
    """Provenance from `_lines`, footnote markers out of text, drop empty blocks."""
    keep = []
    for node in nodes:
        lines = node.pop("_lines", [])
        node["prov"] = prov(lines)
        refs: list[int] = []
        nearby = set().union(*(by_page.get(p["page"], set()) for p in node["prov"]))
        for key in ("title", "text"):
            if node.get(key):
                text, found = extract_markers(node[key], known, linked, nearby)
                node[key] = " ".join(text.split())
                refs += found
                linked.update(found)
        if refs:
            node["footnote_refs"] = refs
        if node["kind"] == "section":
            _finish(node["children"], known, linked, by_page)
            keep.append(node)
        elif node.get("text"):
            keep.append(node)
    nodes[:] = keep
