"""The shared core: pages of `SrcLine`s -> the document tree dict (schema document@1).

Order of work: furniture off the page edges, footnote blocks off the page bottoms, the
header off the top of page 1, the closing off the end, the rest into the section tree;
then provenance is computed and footnote markers are moved from text to `footnote_refs`.
With word boxes, footnotes left unlinked get their lost markers placed from geometry
(markers.py) and the tree is built again; links guessed from lookalike marks ("tỉnh°.",
"lên?.") are placed again with them, not taken as fixed bounds.
"""

from __future__ import annotations

import logging
from collections.abc import Set as AbstractSet
from dataclasses import replace

from ocr_pipeline.footnote_markers import SUP_MARK, decode
from ocr_pipeline.structure.closing import END_MARK_RE, find_closing, parse_closing
from ocr_pipeline.structure.document import SCHEMA_ID, SrcLine, prov
from ocr_pipeline.structure.footnotes import extract_markers, infer_pages, split_footnotes
from ocr_pipeline.structure.furniture import split_furniture
from ocr_pipeline.structure.header import parse_header
from ocr_pipeline.structure.markers import restore_lost_markers
from ocr_pipeline.structure.sections import BodyBuilder

log = logging.getLogger(__name__)


def build(pages: list[list[SrcLine]], source: dict | None, boxes: bool) -> dict:
    """Build the tree; with word boxes, retry once with lost footnote markers put back.

    `pages` are not changed: every step returns new lines where it changes one.
    """
    doc, guessed = _build(pages, source, boxes)
    missing = [f for f in doc["footnotes"] if not f["linked"]]
    if not boxes or not missing:
        return doc
    # links guessed from lookalike marks ("tỉnh°.", "lên?.") are weak: with markers lost
    # around them they are placed again, jointly with the lost ones
    soft = [dict(f, soft=True) for f in doc["footnotes"] if f["linked"] and f["number"] in guessed]
    repaired, placed = restore_lost_markers(pages, missing + soft, _marker_bounds(doc, guessed))
    if not placed:
        return doc
    retry, _ = _build(repaired, source, boxes)
    if sum(f["linked"] for f in retry["footnotes"]) > sum(f["linked"] for f in doc["footnotes"]):
        return retry
    return doc


def _marker_bounds(doc: dict, weak: AbstractSet[int] = frozenset()) -> dict[int, tuple]:
    """For each footnote: (its page, y range, body boxes) where its marker may sit.

    Marker n follows the node that cites n-1 and precedes the node citing n+1, and sits
    above the page's footnote block, inside a body node (not the header or closing).
    `weak` links (guessed from lookalike marks) bound nothing.
    """
    where: dict[int, list[dict]] = {}
    regions: dict[int, list[list[int]]] = {}  # body node boxes (not header, closing)

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            for r in node.get("footnote_refs", []):
                if r not in weak:
                    where.setdefault(r, node["prov"])
            for p in node["prov"]:
                if p.get("bbox"):
                    regions.setdefault(p["page"], []).append(p["bbox"])
            if node["kind"] == "section":
                walk(node["children"])

    walk(doc["body"])
    notes = sorted(doc["footnotes"], key=lambda f: f["number"])
    bounds = {}
    for fn in notes:
        page = fn["page"]
        boxes = [p.get("bbox") for p in fn["prov"] if p["page"] == page and p.get("bbox")]
        y_to = min((b[1] for b in boxes), default=float("inf"))
        y_from = float("-inf")
        for other in notes:
            for p in where.get(other["number"], []):
                if p["page"] != page or not p.get("bbox"):
                    continue
                if other["number"] < fn["number"]:
                    y_from = max(y_from, p["bbox"][1])
                elif other["number"] > fn["number"]:
                    y_to = min(y_to, p["bbox"][3])
        bounds[fn["number"]] = (page, y_from, y_to, regions.get(page, []))
    return bounds


def _build(pages: list[list[SrcLine]], source: dict | None, boxes: bool) -> tuple[dict, set[int]]:
    """The tree, and the footnotes linked only from lookalike marks (guessed)."""
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
    lines, closing, end_mark = _strip_end_mark(lines, closing)
    recipients, signature = parse_closing(closing)
    blank_mode = not boxes and any(ln.blank_before for ln in lines)
    body = BodyBuilder(blank_mode).feed(lines)
    known = {f["number"] for f in footnotes}
    by_page: dict[int, set[int]] = {}  # OCR'd superscripts may come out as "!", "?", "*"
    for f in footnotes:
        by_page.setdefault(f["page"], set()).add(f["number"])
    linked: set[int] = set()
    claimed = {decode(m.group(1)) for ln in lines for m in SUP_MARK.finditer(ln.text)}
    guessed: set[int] = set()
    _finish(body, known, linked, by_page, (claimed & known, guessed))
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
    return doc, guessed


def _strip_end_mark(
    body: list[SrcLine], closing: list[SrcLine]
) -> tuple[list[SrcLine], list[SrcLine], dict | None]:
    """Find the "./." end mark (OCR variants "./,", ". /.") near the end and remove it:
    (body, closing) with that line's text cut, and the end mark ({"page"}) or None."""
    groups = [closing, body]
    for g, start in ((0, 0), (1, max(0, len(body) - 12))):
        group = groups[g]
        for pos in range(len(group) - 1, start - 1, -1):
            ln = group[pos]
            found = list(END_MARK_RE.finditer(ln.text))
            if found:
                m = found[-1]
                text = (ln.text[: m.start()] + "." + ln.text[m.end() :]).strip()
                cut = replace(ln, text="" if text == "." else " ".join(text.split()))
                groups[g] = [*group[:pos], cut, *group[pos + 1 :]]
                return groups[1], groups[0], {"page": ln.page}
    return body, closing, None


def _finish(
    nodes: list[dict],
    known: set[int],
    linked: set[int],
    by_page: dict[int, set[int]],
    guesses: tuple[set[int], set[int]] = (set(), set()),
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
                text, found = extract_markers(node[key], known, linked, nearby, *guesses)
                node[key] = " ".join(text.split())
                refs += found
                linked.update(found)
        if refs:
            node["footnote_refs"] = refs
        if node["kind"] == "section":
            _finish(node["children"], known, linked, by_page, guesses)
            keep.append(node)
        elif node.get("text"):
            keep.append(node)
    nodes[:] = keep
