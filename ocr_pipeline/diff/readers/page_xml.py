"""Reader for PAGE-XML (PRImA PcGts, any schema version): the text of every TextLine.

Regions are read in the ReadingOrder when the file has one (nested groups flattened;
regions it does not list follow in document order), else in document order; nested
regions are read inside their parent. A line's text is its own TextEquiv (the one with
the lowest @index); when its Word children spell the same text, they give the words and
their TextEquiv/@conf as confidences; a line without TextEquiv is its Words' text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ocr_pipeline.diff.normalize import clean_line
from ocr_pipeline.diff.readers.xml import local, parse
from ocr_pipeline.diff.sides import DiffSide, SideLine, Token

_REGION = "Region"


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name]


def _text_equiv(el: ET.Element) -> tuple[str, float | None] | None:
    """(Unicode text, conf) of the element's own first TextEquiv, or None."""
    equivs = _children(el, "TextEquiv")
    if not equivs:
        return None

    def index(e: ET.Element) -> int:
        try:
            return int(e.get("index") or 0)
        except ValueError:
            return 0

    best = min(equivs, key=index)
    unicode = next((c for c in best if local(c.tag) == "Unicode"), None)
    if unicode is None:
        return None
    try:
        raw = best.get("conf")
        conf = float(raw) if raw else None
    except ValueError:
        conf = None
    return "".join(unicode.itertext()), conf


def _reading_order(root: ET.Element) -> list[str]:
    order: list[str] = []

    def walk(group: ET.Element) -> None:
        items = [
            c
            for c in group
            if local(c.tag)
            in (
                "RegionRefIndexed",
                "OrderedGroupIndexed",
                "UnorderedGroupIndexed",
                "RegionRef",
                "OrderedGroup",
                "UnorderedGroup",
            )
        ]
        if all(c.get("index") is not None for c in items):
            items.sort(key=lambda c: int(c.get("index") or 0))
        for item in items:
            ref = item.get("regionRef")
            if ref:
                order.append(ref)
            walk(item)

    for ro in root.iter():
        if local(ro.tag) == "ReadingOrder":
            walk(ro)
            break
    return order


def _line_tokens(line: ET.Element, page: int) -> list[Token]:
    words = []
    for w in _children(line, "Word"):
        equiv = _text_equiv(w)
        if equiv and equiv[0].strip():
            words.append(Token(text=equiv[0], confidence=equiv[1], page=page))
    own = _text_equiv(line)
    if own is None:
        return words
    text, conf = own
    if words and clean_line(" ".join(t.text for t in words)) == clean_line(text):
        return words
    return [Token(text=w, confidence=conf, page=page) for w in text.split()]


def _region_lines(region: ET.Element) -> list[ET.Element]:
    """The TextLines of a region, those of nested regions in place."""
    out: list[ET.Element] = []
    for child in region:
        kind = local(child.tag)
        if kind == "TextLine":
            out.append(child)
        elif kind.endswith(_REGION):
            out.extend(_region_lines(child))
    return out


def side_from_page_xml(text: str, path: str = "<page>", name: str = "page") -> DiffSide:
    root = parse(text, path, "PAGE-XML")
    lines: list[SideLine] = []
    number = 0
    pages = [el for el in root.iter() if local(el.tag) == "Page"]
    for page_no, page_el in enumerate(pages, start=1):
        top = [el for el in page_el if local(el.tag).endswith(_REGION)]
        by_id = {el.get("id"): el for el in top if el.get("id")}
        ordered = [by_id[i] for i in _reading_order(page_el) if i in by_id]
        seen = {id(el) for el in ordered}
        ordered += [el for el in top if id(el) not in seen]

        for line_el in (el for region in ordered for el in _region_lines(region)):
            number += 1
            line = SideLine.from_tokens(_line_tokens(line_el, page_no), number, page_no)
            if line.text:
                lines.append(line)
    return DiffSide(path, "page-xml", lines, name)
