"""The shared core: pages of `SrcLine`s -> the document tree dict (schema document@1).

Order of work: furniture off the page edges, footnote blocks off the page bottoms, the
header off the top of page 1, the closing off the end (the zones), the rest into the
section tree; then provenance is computed and footnote markers are moved from text to
`footnote_refs`. With word boxes, before the tree: the body lines are read for markers
line by line, and footnotes left unlinked get their lost markers placed from geometry
(markers.py), kept when that links more; links guessed from lookalike marks ("tỉnh°.",
"lên?.") are placed again with them, not taken as fixed bounds. The tree is built once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from ocr_pipeline.structure.closing import END_MARK_RE, find_closing, parse_closing
from ocr_pipeline.structure.document import SCHEMA_ID, SrcLine, prov
from ocr_pipeline.structure.footnotes import (
    claimed_markers,
    extract_markers,
    infer_pages,
    markers_by_page,
    passed_footnotes,
    split_footnotes,
)
from ocr_pipeline.structure.furniture import split_furniture
from ocr_pipeline.structure.header import parse_header
from ocr_pipeline.structure.markers import restore_lost_markers
from ocr_pipeline.structure.sections import BodyBuilder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Zones:
    """The page zones found before the body tree: what `_build` and the lost-marker
    decision both start from."""

    n_pages: int
    furniture: list[dict]
    footnotes: list[dict]
    header: dict | None
    body: list[SrcLine]  # the body lines, in reading order (end mark cut)
    closing: list[SrcLine]
    end_mark: dict | None


def build(pages: list[list[SrcLine]], source: dict | None, boxes: bool) -> dict:
    """Build the tree once; with word boxes, lost footnote markers are put back first.

    `pages` are not changed: every step returns new lines where it changes one.
    """
    if boxes:
        pages = _with_lost_markers(pages)
    return _build(_zones(pages, boxes), source, boxes)


def _zones(pages: list[list[SrcLine]], boxes: bool) -> _Zones:
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
    return _Zones(n_pages, furniture, footnotes, header, lines, closing, end_mark)


def _with_lost_markers(pages: list[list[SrcLine]]) -> list[list[SrcLine]]:
    """`pages` with the lost markers of unlinked footnotes put back from word geometry
    (markers.py), when that links more footnotes; decided on the body lines, before any
    tree is built. Links guessed from lookalike marks ("tỉnh°.", "lên?.") are weak: with
    markers lost around them they are placed again, jointly with the lost ones.
    """
    zones = _zones(pages, boxes=True)
    links = _line_links(zones)
    missing = [f for f in zones.footnotes if f["number"] not in links.linked]
    if not missing:
        return pages
    soft = [dict(f, soft=True) for f in zones.footnotes
            if f["number"] in links.linked and f["number"] in links.guessed]  # fmt: skip
    bounds = _marker_bounds(zones, links)
    repaired, placed = restore_lost_markers(pages, missing + soft, bounds)
    if not placed:
        return pages
    if len(_line_links(_zones(repaired, boxes=True)).linked) > len(links.linked):
        return repaired
    return pages


@dataclass
class _Links:
    linked: set[int]
    guessed: set[int]  # linked only from a lookalike mark after letters
    lines: dict[int, SrcLine]  # footnote number -> the first body line citing it


def _line_links(zones: _Zones) -> _Links:
    """Which footnotes the body lines cite, read line by line in reading order with the
    rules `_finish` applies to the tree's nodes (`extract_markers`)."""
    known = {f["number"] for f in zones.footnotes}
    by_page: dict[int, set[int]] = {}
    for f in zones.footnotes:
        by_page.setdefault(f["page"], set()).add(f["number"])
    claimed = claimed_markers(zones.body, {f["number"]: f["page"] for f in zones.footnotes})
    links = _Links(set(), set(), {})
    for ln in zones.body:
        _text, found = extract_markers(ln.text, known, links.linked, by_page.get(ln.page),
                                       claimed, links.guessed,
                                       passed_footnotes(by_page, ln.page))  # fmt: skip
        links.linked.update(found)
        for n in found:
            links.lines.setdefault(n, ln)
    return links


def _marker_bounds(zones: _Zones, links: _Links) -> dict[int, tuple]:
    """For each footnote: (its page, y range, body boxes) where its marker may sit.

    Marker n follows the line that cites n-1 and precedes the line citing n+1, and sits
    above the page's footnote block, on a body line (not the header or closing). Weak
    links (guessed from lookalike marks) bound nothing.
    """
    regions: dict[int, list[list[int]]] = {}  # body line boxes (not header, closing)
    for body_line in zones.body:
        if (b := body_line.bbox) is not None:
            regions.setdefault(body_line.page, []).append([b.left, b.top, b.right, b.bottom])
    where = {n: ln for n, ln in links.lines.items() if n not in links.guessed}
    notes = sorted(zones.footnotes, key=lambda f: f["number"])
    bounds = {}
    for fn in notes:
        page = fn["page"]
        boxes = [p.get("bbox") for p in fn["prov"] if p["page"] == page and p.get("bbox")]
        y_to = min((b[1] for b in boxes), default=float("inf"))
        y_from = float("-inf")
        for other in notes:
            citing = where.get(other["number"])
            if citing is None or citing.page != page or citing.bbox is None:
                continue
            if other["number"] < fn["number"]:
                y_from = max(y_from, citing.bbox.top)
            elif other["number"] > fn["number"]:
                y_to = min(y_to, citing.bbox.bottom)
        bounds[fn["number"]] = (page, y_from, y_to, regions.get(page, []))
    return bounds


def _build(zones: _Zones, source: dict | None, boxes: bool) -> dict:
    """The tree from the page zones: the body lines into sections, markers linked."""
    recipients, signature = parse_closing(zones.closing)
    lines = zones.body
    blank_mode = not boxes and any(ln.blank_before for ln in lines)
    body = BodyBuilder(blank_mode).feed(lines)
    footnotes = [dict(f) for f in zones.footnotes]
    known = {f["number"] for f in footnotes}
    by_page: dict[int, set[int]] = {}  # OCR'd superscripts may come out as "!", "?", "*"
    for f in footnotes:
        by_page.setdefault(f["page"], set()).add(f["number"])
    linked: set[int] = set()
    claimed = claimed_markers(lines, {f["number"]: f["page"] for f in footnotes})
    _finish(body, known, linked, by_page, (claimed, set()))
    for fn in footnotes:
        fn["linked"] = fn["number"] in linked
    src = {"pages": zones.n_pages}
    src.update(source or {})
    doc = {
        "schema": SCHEMA_ID,
        "source": src,
        "header": zones.header,
        "body": body,
        "furniture": zones.furniture,
        "footnotes": footnotes,
        "recipients": recipients,
        "signature": signature,
        "end_mark": zones.end_mark,
    }
    log.info("structure: %d top-level nodes, %d footnotes (%d linked)",
             len(body), len(footnotes), len(linked))  # fmt: skip
    return doc


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
        for key in ("title", "text"):
            if node.get(key):
                text, found = markers_by_page(node[key], lines, known, linked, by_page, *guesses)
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
