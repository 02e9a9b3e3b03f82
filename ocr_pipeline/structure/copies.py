"""A copy's certification after the document: "SAO Y", "SAO LỤC", "TRÍCH SAO" (NĐ
30/2020, Phụ lục I, mẫu 3.x): the copying office's name, the copy's number, place and date,
its own "Nơi nhận:" and signer, typed (or stamped) under the original's signature.

Read as part of the original it made the original's signer's title run on through
"SAO Y BẢN CHÍNH" and the copying office, took the copy's signer for the document's, and
added the copy's recipients to the document's. Here the block is cut off the end of the
body lines (`split_copies`) and read on its own (`parse_copy`): the document's closing is
then read without it. The marker opens the block or stands after the copying office's
name on its line (two header columns merged: "UBND XÃ ĐỒNG TÂM SAO Y BẢN CHÍNH").
"""

from __future__ import annotations

import re

from ocr_pipeline.structure.closing import (
    find_closing,
    is_closing_cue,
    is_signer_title,
    opens_with_surname,
    parse_closing,
)
from ocr_pipeline.structure.document import SrcLine, prov
from ocr_pipeline.structure.header import number_and_end, place_and_date
from ocr_pipeline.structure.text import is_name_line, is_upper_line

_MARK = re.compile(r"(?:^|(?<=\s))(SAO\s+Y(?:\s+BẢN\s+CHÍNH)?|SAO\s+LỤC|TRÍCH\s+SAO|BẢN\s+SAO)\s*$")
_NOI_NHAN = re.compile(r"^\s*Nơi\s+nhận\s*:", re.IGNORECASE)
_FIELDS_WITHIN = 2  # a certification's own lines stand this close under its marker
# a certification's "Place, ngày ..." (or "Place, 15/3/2025") line: a place first
_PLACE_DATE = re.compile(r"^[^\W\d_][^\d(),;:]{0,40},\s*(?:ngày\b|\d{1,2}\s*[/.-]\s*\d)", re.I)
_SIGNED_NAME = re.compile(r"(?:đã|Đã)\s*ký|\(ký")
_NAME_AFTER_ITEM = re.compile(r"[.;]\s+(\S+(?:\s+\S+){1,4})$")
# a certification's own number code ("Số: 12/SY-VP", "30/SL-VP", "05/TS-UBND"): a copy,
# whatever the original's closing shows
_COPY_CODE = re.compile(r"^\s*Số\s*[:.]?\s*\d+\s*/\s*(?:SY|SL|TS)\b")
_OFFICE_LINES = 2  # a copying office's name wraps over two lines at most


def copy_start(lines: list[SrcLine]) -> int | None:
    """Where the last copy's certification begins in `lines` (the body and closing
    lines), or None. It is a capitals line ending with a copy's marker, under which the
    certification's own lines stand (its number "Số: 27/SY-...", its "Place, ngày ...",
    its "Nơi nhận:", or its signer's authority or title), after a closing the document
    signed (`names_signer`) or with a copy's own number code ("12/SY-VP"): a "BẢN SAO"
    line between the recipients and the signer, or a chapter "CẤP BẢN SAO" of an attached
    regulation, is none. The copying office's capitals lines
    right above the marker belong to the block."""
    for i in range(len(lines) - 1, 0, -1):
        text = lines[i].text.strip()
        if not is_upper_line(text) or not _MARK.search(text):
            continue
        if not _has_fields(lines[i + 1 : i + 1 + _FIELDS_WITHIN]):
            continue
        start = i
        while (start > 1 and i - start < _OFFICE_LINES and _office_line(lines[start - 1].text)
               and not _awaits_name(lines[start - 2].text)):  # fmt: skip
            start -= 1  # "ỦY BAN NHÂN DÂN" / "HUYỆN ĐỒNG TÂM" above "SAO Y BẢN CHÍNH"
        if _signed(lines[:start]) or any(
            _COPY_CODE.search(ln.text) for ln in lines[i + 1 : i + 1 + _FIELDS_WITHIN]
        ):
            return start
    return None


def _has_fields(below: list[SrcLine]) -> bool:
    """Whether a certification's own lines open `below` (the lines under its marker): a
    number ("Số: 27/SY-..."), a "Place, ngày ..." line, "Nơi nhận:", or its signer's
    authority or title; an attached paper's "(Kèm theo ... ngày ...)" or a chapter's
    "Điều 2. ..." is none of them."""
    return any(
        number_and_end(ln.text) is not None
        or _PLACE_DATE.match(ln.text.strip()) is not None
        or _NOI_NHAN.match(ln.text) is not None
        or is_closing_cue(ln.text)
        or is_signer_title(ln.text)
        for ln in below
    )


def names_signer(text: str) -> bool:
    """Whether `text` is, or ends with, a signer's name: "Nguyễn Văn Bình", "NGUYỄN VĂN
    BÌNH", "(Đã ký)", or a name after a recipient's item on its line ("- Lưu: VT.
    Nguyễn Văn Bình": two columns merged)."""
    t = text.strip()
    if is_name_line(t) or _SIGNED_NAME.search(t):
        return True
    if (
        is_upper_line(t)
        and opens_with_surname(t)
        and is_name_line(t.title())
        and not is_signer_title(t)
    ):  # "CHỦ TỊCH" opens like "Chu", the surname
        return True
    m = _NAME_AFTER_ITEM.search(t)
    return m is not None and opens_with_surname(m.group(1)) and is_name_line(m.group(1))


def _awaits_name(text: str) -> bool:
    """A line under which a signer's name comes: a title, an authority, "(Đã ký)"; the
    capitals line under it is that name ("LẠI VĂN HÙNG"), not a copying office."""
    return is_signer_title(text) or is_closing_cue(text) or _SIGNED_NAME.search(text) is not None


def _signed(lines: list[SrcLine]) -> bool:
    """Whether `lines` end with a closing that carries a signer's name (`names_signer`)."""
    cut = find_closing(lines)
    return cut is not None and any(names_signer(ln.text) for ln in lines[cut:])


def _office_line(text: str) -> bool:
    """An office's name in capitals, not a signer's title or a note in brackets."""
    t = text.strip()
    return (is_upper_line(t) and not re.search(r"\d|[()]", t) and not is_signer_title(t)
            and not (opens_with_surname(t) and is_name_line(t.title()))  # the signer's name
            and not re.match(r"(?:KT|TM|TL|TUQ|Q)\s*[./]", t))  # fmt: skip


def split_copies(lines: list[SrcLine]) -> tuple[list[SrcLine], list[list[SrcLine]]]:
    """(the lines before and after the copies' certifications, each certification's lines
    in order): a copy of a copy (SAO LỤC, then SAO Y) has two. A certification ends at
    its signer's name: a paper attached after it (a regulation, an appendix) goes back to
    the document's lines, read as attached to the document."""
    blocks: list[list[SrcLine]] = []
    after: list[SrcLine] = []
    while (start := copy_start(lines)) is not None:
        block = lines[start:]
        end = _block_end(block)
        blocks.insert(0, block[:end])
        after = block[end:] + after
        lines = lines[:start]
    return lines + after, blocks


def _block_end(block: list[SrcLine]) -> int:
    """Where a certification's lines end: after its signer's name (the first under its
    closing) and the "Nơi nhận:" list typed under that name, if any (all of it when no
    name is found)."""
    cut = find_closing(block[1:])
    if cut is None:
        return len(block)
    for k in range(cut + 1, len(block)):
        if names_signer(block[k].text):
            end = k + 1
            if end < len(block) and _NOI_NHAN.match(block[end].text):
                end += 1
                while end < len(block) and block[end].text.lstrip().startswith(("-", "+", "–")):
                    end += 1
            return end
    return len(block)


def parse_copy(block: list[SrcLine]) -> dict:
    """The copy's certification as {kind, issuer, number, place, date, recipients,
    signature, text, page, prov}; `text` holds its lines read as none of those ("Sao gửi
    các phòng để biết ...")."""
    issuer: list[str] = []
    kind = None
    number = place = date = None
    rest = list(block)
    while rest and not _NOI_NHAN.match(rest[0].text):
        ln = rest.pop(0)
        text = ln.text.strip()
        if kind is not None and (is_closing_cue(text) or is_signer_title(text)):
            rest.insert(0, ln)  # its signer's authority or title: the closing begins
            break
        if kind is None and (m := _MARK.search(text)):
            kind = re.sub(r"\s+", " ", m.group(1))
            if text[: m.start()].strip():
                issuer.append(text[: m.start()].strip())
            continue
        if number is None and (num := number_and_end(text)) is not None:
            number = num[0]
            if (found := place_and_date(text[num[1] :].strip())) is not None:
                place, date = found
            continue
        if date is None and (found := place_and_date(text)) is not None:
            place, date = found
            continue
        if number is None and date is None and is_upper_line(text):
            issuer.append(text)  # "PHƯỜNG 3": the office's second line
            continue
        rest.insert(0, ln)
        break
    cut = find_closing(rest)
    if cut is None:
        cut = len(rest)
    notes = [ln.text.strip() for ln in rest[:cut] if ln.text.strip()]
    recipients, signature, _others = parse_closing(rest[cut:])
    return {
        "kind": kind,
        "issuer": issuer,
        "number": number,
        "place": place,
        "date": date,
        "recipients": recipients,
        "signature": signature,
        "text": notes,
        "page": block[0].page,
        "prov": prov(block),
    }


__all__ = ["parse_copy", "split_copies"]
