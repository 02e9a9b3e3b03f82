"""The shared core: pages of `SrcLine`s -> the document tree dict (schema document@1).

Order of work: footnote markers typed in parentheses read as raised ones
(`structure.paren_markers`), furniture off the page edges, stamps read into the text (an
e-signature's box, a "received" stamp: `structure.stamps`) off the pages, footnote blocks
off the page bottoms, the header off the top of page 1, a copy's certification (SAO Y)
off the end (`structure.copies`), the closing off the end (a regulation typed after it
taken off first and put back after the body: `structure.attachments`; the zones,
`find_zones`), the rest into the section tree; then provenance is computed and footnote
markers are moved from the node texts to `footnote_refs`. One pass over immutable lines;
the tree is built once. Markers OCR lost are put back on the pages before
(`structure.markers`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from ocr_pipeline.structure.addressees import split_addressees
from ocr_pipeline.structure.attachments import split_attachment
from ocr_pipeline.structure.closing import (
    END_MARK_RE,
    find_closing,
    mend_authority,
    parse_closing,
    split_notes,
    unkept_lines,
)
from ocr_pipeline.structure.copies import parse_copy, split_copies
from ocr_pipeline.structure.document import SCHEMA_ID, SrcLine, prov
from ocr_pipeline.structure.footnotes import (
    claimed_markers,
    infer_pages,
    link_by_order,
    link_by_wording,
    markers_by_page,
    split_footnotes,
)
from ocr_pipeline.structure.furniture import split_furniture
from ocr_pipeline.structure.header import dateline, parse_header
from ocr_pipeline.structure.paren_markers import from_parentheses
from ocr_pipeline.structure.sections import BodyBuilder
from ocr_pipeline.structure.stamps import split_stamps
from ocr_pipeline.structure.text import ends_terminal, pair_quotes, starts_lower, wants_more

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Zones:
    """The page zones found before the body tree: what `_build` and the lost-marker
    search (`structure.markers`) both start from."""

    n_pages: int
    furniture: list[dict]
    footnotes: list[dict]
    header: dict | None
    addressees: list[str]  # the "Kính gửi:" block under the header (`structure.addressees`)
    body: list[SrcLine]  # the body lines, in reading order (end mark cut)
    closing: list[SrcLine]
    end_mark: dict | None
    # where in `body` a paper attached after the signature begins (`structure.attachments`):
    # its lines make top-level nodes of their own, after the document's
    attached_from: int | None = None
    # the certifications of copies under the document (`structure.copies`), in order
    copies: list[list[SrcLine]] = field(default_factory=list)


def build(pages: list[list[SrcLine]], source: dict | None, boxes: bool) -> dict:
    """Build the tree once. `pages` are not changed: every step returns new lines where
    it changes one."""
    return _build(find_zones(pages, boxes), source, boxes)


def find_zones(pages: list[list[SrcLine]], boxes: bool) -> Zones:
    """The zones of `pages`: furniture, footnote bodies, header, body lines, closing."""
    n_pages = len(pages)
    pages = from_parentheses(pages)
    pages, furniture = split_furniture(pages)
    pages, stamps = split_stamps(pages)
    furniture = sorted(furniture + stamps, key=lambda f: f["page"])
    if not boxes:
        pages = infer_pages(pages)
        n_pages = max(n_pages, len(pages))
    pages, footnotes = split_footnotes(pages)
    first = pages[0] if pages else []
    header, rest = parse_header(first) if first else (None, [])
    addressees, rest = split_addressees(rest)
    lines = [mend_authority(ln) for ln in rest + [ln for page in pages[1:] for ln in page]]
    lines, copied = split_copies(lines)  # a copy's certification after the signature
    cut = find_closing(lines)
    lines, attached = split_attachment(lines, cut)  # a paper typed after the signature
    if attached:
        cut = find_closing(lines)  # the document's own, read without the paper
    closing = lines[cut:] if cut is not None else []
    lines = lines[:cut] if cut is not None else lines
    lines, closing, end_mark = _strip_end_mark(lines, closing)
    header, lines = _date_above_closing(header, lines)
    closing, notes = split_notes(closing)  # "Ghi chú: ..." under a signature: text
    attached_from = len(lines) if attached or notes else None
    return Zones(n_pages, furniture, footnotes, header, addressees, lines + notes + attached,
                 closing, end_mark, attached_from, copied)  # fmt: skip


def _build(zones: Zones, source: dict | None, boxes: bool) -> dict:
    """The tree from the page zones: the body lines into sections, markers linked."""
    recipients, signature, other_signatures = parse_closing(zones.closing)
    lines = zones.body
    blank_mode = not boxes and any(ln.blank_before for ln in lines)
    cut = len(lines) if zones.attached_from is None else zones.attached_from
    body = BodyBuilder(blank_mode).feed(lines[:cut])
    # what the closing holds that no field of it took (an annex with no note, a form
    # under the signature): the paper's text, after the document's own
    if unkept := unkept_lines(zones.closing, recipients, signature, other_signatures):
        body += BodyBuilder(blank_mode, after_closing=True).feed(unkept)
    if cut < len(lines):  # the attached paper: its own sections, the document's closed
        body += BodyBuilder(blank_mode, after_closing=True).feed(lines[cut:])
    footnotes = [dict(f) for f in zones.footnotes]
    known = {f["number"] for f in footnotes}
    by_page: dict[int, set[int]] = {}  # OCR'd superscripts may come out as "!", "?", "*"
    for f in footnotes:
        by_page.setdefault(f["page"], set()).add(f["number"])
    linked: set[int] = set()
    claimed = claimed_markers(lines, {f["number"]: f["page"] for f in footnotes})
    _finish(body, known, linked, by_page, (claimed, set()))
    link_by_wording(body, footnotes, linked)
    link_by_order(body, footnotes, linked)
    for fn in footnotes:
        fn["linked"] = fn["number"] in linked
    src = {"pages": zones.n_pages}
    src.update(source or {})
    doc = {
        "schema": SCHEMA_ID,
        "source": src,
        "header": zones.header,
        "addressees": zones.addressees,
        "body": body,
        "furniture": zones.furniture,
        "footnotes": footnotes,
        "recipients": recipients,
        "signature": signature,
        "other_signatures": other_signatures,
        "copies": [parse_copy(block) for block in zones.copies],
        "end_mark": zones.end_mark,
    }
    log.info("structure: %d top-level nodes, %d footnotes (%d linked)",
             len(body), len(footnotes), len(linked))  # fmt: skip
    return doc


def _date_above_closing(
    header: dict | None, body: list[SrcLine]
) -> tuple[dict | None, list[SrcLine]]:
    """A header that printed no date takes the place and date typed above the signature
    (a person's application, an older report: "Ea Kơ Ning, ngày 05 tháng 3 năm 2018"):
    the body's last line, when it is that line and nothing more and the line above does
    not lead into it (a colon; a date with no place under a sentence not finished that
    goes on in small letters or after a word that wants more, `text.wants_more`)."""
    if header is None or header["date"] is not None or not body:
        return header, body
    found = dateline(body[-1].text)
    if found is None:
        return header, body
    place, date = found
    above = body[-2].text.rstrip() if len(body) >= 2 else ""
    if above.endswith(":") or (
        place is None and above and not ends_terminal(above)
        and (starts_lower(body[-1].text) or wants_more(above))
    ):  # fmt: skip
        # "... vào ngày:" / "Ngày 12/8/1998", "... kể từ" / "Ngày 09 tháng 3 năm 2026",
        # "... cảm ơn" / "ngày 15 tháng 8 năm 2023": the sentence's own date; a place and
        # its date stand on their own
        return header, body
    # its own region of the page: a provenance entry of its own
    dated = {**header, "place": header["place"] or place, "date": date,
             "prov": [*header["prov"], *prov(body[-1:])]}  # fmt: skip
    return dated, body[:-1]


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
                cut = replace(
                    ln, text="" if text == "." else " ".join(text.split()), ends_text=True
                )
                groups[g] = [*group[:pos], cut, *group[pos + 1 :]]
                return groups[1], groups[0], {"page": ln.page}
    return body, closing, None


def _closes_with_marker(raw: str, text: str) -> bool:
    """Whether the last marker taken out of `raw` (leaving `text`) was on its last word,
    before its closing punctuation ("... đạt 9,5 tỷ đồng³.")."""
    raw_words, text_words = raw.rstrip(" .,;:").split(), text.rstrip(" .,;:").split()
    return bool(raw_words and text_words) and raw_words[-1] != text_words[-1]


def _finish(
    nodes: list[dict],
    known: set[int],
    linked: set[int],
    by_page: dict[int, set[int]],
    guesses: tuple[set[int], set[int]] = (set(), set()),
) -> None:
    """Provenance from `_lines`, footnote markers out of text, drop empty blocks. The
    marker closing an inline title's text ("2. Địa điểm: sân trường ... nhà đa năng³.")
    is the numbered item's: its section carries it (a marker inside the text, "năm 2026²,
    trong đó ...", stays the text's)."""
    keep = []
    for node in nodes:
        lines = node.pop("_lines", [])
        inline = node.pop("_inline", False)
        node["prov"] = prov(lines)
        refs: list[int] = []
        for key in ("title", "text"):
            if node.get(key):
                if lines and lines[0].bbox is not None:
                    node[key] = pair_quotes(node[key])  # '"Dạy tốt”' on a scan: one pair
                raw = node[key]
                text, found = markers_by_page(raw, lines, known, linked, by_page, *guesses)
                node[key] = " ".join(text.split())
                if inline and found and _closes_with_marker(raw, node[key]):
                    node["_heading_refs"] = found[-1:]  # the item's; the others the text's
                    found = found[:-1]
                refs += found
                linked.update(found)
                linked.update(node.get("_heading_refs", ()))
        if refs:
            node["footnote_refs"] = refs
        if node["kind"] == "section":
            _finish(node["children"], known, linked, by_page, guesses)
            children = node["children"]
            if children and (heading_refs := children[0].pop("_heading_refs", None)):
                node["footnote_refs"] = sorted([*node.get("footnote_refs", []), *heading_refs])
            keep.append(node)
        elif node.get("text"):
            keep.append(node)
    nodes[:] = keep
