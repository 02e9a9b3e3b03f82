"""Lost footnote markers: what the structure's reading of the footnotes asks the
layout-side search (`ocr_pipeline.lost_markers`) to put back.

`with_lost_markers(pages)` runs before the tree is built (`structure_pages`): it reads
the pages' zones as the tree will (`builder.find_zones`), finds the footnotes whose bodies
sit at a page bottom but whose markers no body line carries, bounds where each marker may
sit (marker n follows the line citing n-1 and precedes the line citing n+1, above the
page's footnote block, on a body line: not the header or closing) and which words are
heading labels, and lets `lost_markers.place_lost_markers` place them from word
geometry. The placement is kept when it links more footnotes. Links guessed from
lookalike marks ("tỉnh°.", "lên?.") are weak: with markers lost around them they are
placed again, jointly with the lost ones. The tree is then built once, from the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr_pipeline.lost_markers import MarkerSearch, place_lost_markers
from ocr_pipeline.model import Page
from ocr_pipeline.structure.builder import Zones, find_zones
from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.footnotes import claimed_markers, extract_markers, passed_footnotes
from ocr_pipeline.structure.labels import parse_label
from ocr_pipeline.structure.lines import lines_from_pages


def with_lost_markers(pages: list[Page]) -> list[Page]:
    """`pages` with the lost markers of unlinked footnotes set on their host words
    (`Word.marker`), when that links more footnotes; else `pages` as they are."""
    lines = lines_from_pages(pages)
    zones = find_zones(lines, boxes=True)
    links = _line_links(zones)
    missing = {f["number"] for f in zones.footnotes if f["number"] not in links.linked}
    if not missing:
        return pages
    soft = {f["number"] for f in zones.footnotes
            if f["number"] in links.linked and f["number"] in links.guessed}  # fmt: skip
    search = MarkerSearch(frozenset(missing | soft), _marker_bounds(zones, links),
                          _label_words(lines), soft=bool(soft))  # fmt: skip
    repaired, placed = place_lost_markers(pages, search)
    if not placed:
        return pages
    if len(_line_links(find_zones(lines_from_pages(repaired), boxes=True)).linked) > len(
        links.linked
    ):
        return repaired
    return pages


@dataclass
class _Links:
    linked: set[int]
    guessed: set[int]  # linked only from a lookalike mark after letters
    lines: dict[int, SrcLine]  # footnote number -> the first body line citing it


def _line_links(zones: Zones) -> _Links:
    """Which footnotes the body lines cite, read line by line in reading order with the
    rules the tree's nodes are linked by (`extract_markers`)."""
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


def _marker_bounds(zones: Zones, links: _Links) -> dict[int, tuple]:
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


def _label_words(pages: list[list[SrcLine]]) -> dict[tuple[int, int], int]:
    """(page, line index) -> how many words open the line as a heading label ("II.",
    "Điều 5."): they host no marker."""
    out = {}
    for lines in pages:
        for i, ln in enumerate(lines):
            label = parse_label(ln.text)
            if label is not None:
                out[(ln.page, i)] = len(label.text.split())
    return out
