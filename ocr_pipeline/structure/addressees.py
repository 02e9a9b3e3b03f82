"""The addressees of a document: the "Kính gửi:" block under its header (a công điện's "Điện:").

A công văn, a tờ trình or a báo cáo sent upward names whom it is sent to right under the
header (Nghị định 30/2020/NĐ-CP, Phụ lục I): "Kính gửi: Ủy ban nhân dân xã Yên Thạch." on
one line, or "Kính gửi:" over one dash item per addressee, each ending with ";" and the
last with ".". `split_addressees` takes the block off the body's first lines: the
addressees as written (without their dash), like the recipients of "Nơi nhận:"; an item's
wrapped line goes on until the item ends with ";" or "." (`_wrapped`: where the line above
stops mid-phrase or ran to the margin, or the line opens with a small letter).
"""

from __future__ import annotations

import re

from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.sections import is_form_field
from ocr_pipeline.structure.text import fold, is_upper_line, squash, starts_lower

# "Kính gửi:", a letter's "Thân gửi:", and a công điện's "Điện:" (its colon needed:
# "Điện lực ..." is text)
_KINH_GUI = re.compile(r"^(?:(?:KINH|THAN)\s+GUI\b\s*[:;.]?|DIEN\s*:)\s*")
_DASH = re.compile(r"^[-–—+•]\s*")
# the writer's own sentence opens the body ("Tôi tên là Nguyễn Văn An, sinh năm ...")
_WRITER_SPEAKS = re.compile(r"^(?:Tôi|Chúng\s+tôi|Tên\s+tôi)\b")
REACH = 3  # the block opens within this many lines of the body's start
HEAD_CHARS = 14  # "Kính gửi:" and a space or two: the colon stands within these
MAX_ITEMS = 30


def split_addressees(lines: list[SrcLine]) -> tuple[list[str], list[SrcLine]]:
    """(the addressees, `lines` without the "Kính gửi:" block); ([], `lines`) when the
    body opens with no such block."""
    start = next((k for k, ln in enumerate(lines[:REACH]) if _opens_block(ln.text)), None)
    if start is None:
        return [], lines
    head = lines[start].text.strip()
    if ":" in head[:HEAD_CHARS]:
        rest = head.split(":", 1)[1].strip()
    else:  # "Kính gửi Ủy ban ...": the colon left out or lost
        rest = " ".join(head.split()[2:])
    items: list[str] = []
    # "Kính gửi: - Ủy ban ..." over "- Ban ...": the first dash item on the label's line
    listed = not rest or bool(_DASH.match(rest))
    if rest:
        items.append(_DASH.sub("", rest))
    end = start + 1
    while end < len(lines) and len(items) < MAX_ITEMS:
        text = lines[end].text.strip()
        if rest and listed and lines[end].blank_before:
            break  # "Kính gửi: - A" / "- B", then a blank line: the body's own dashes
        if _DASH.match(text) and (not items or _closed(items[-1]) or listed):
            if items and items[-1].endswith("."):
                break  # the list ended: a dash item after it is the body's
            items.append(_DASH.sub("", text))
        elif items and not _closed(items[-1]) and _wrapped(lines[end - 1], lines[end]):
            items[-1] = squash(items[-1] + " " + text)  # a wrapped item
        else:
            break
        end += 1
    if not items:
        return [], lines
    return items, lines[:start] + lines[end:]


def _opens_block(text: str) -> bool:
    """`text` opens the addressees: "Kính gửi", "Điện:", or a letter's "Thân gửi:" (or
    "THÂN GỬI:") with its capital and colon ("... Ủy ban nhân dân huyện" / "thân gửi tới
    toàn thể ..." is a sentence)."""
    f = fold(text)
    if not _KINH_GUI.match(f):
        return False
    if f.lstrip().startswith("THAN"):
        return text.lstrip().startswith(("Thân", "THÂN")) and ":" in text[:HEAD_CHARS]
    return True


def _wrapped(prev: SrcLine, ln: SrcLine) -> bool:
    """`ln` goes on with the item on `prev`: no blank line between, and `prev` stops
    mid-phrase (a comma, a dash), or ran to the margin, or `ln` opens with a small letter
    ("Kính gửi: Ủy ban nhân dân xã Kỳ Lâm" over the body's first sentence, its period left
    out, ends the block). A line set in as a paragraph's first (on a scan) opens the body,
    unless it opens with a small letter or is a short line that ends the item; a form's
    field ("Tôi tên là: ...") opens it too, and so does the writer's own sentence ("Tôi tên
    là Nguyễn Văn An, ...")."""
    if ln.blank_before or is_form_field(ln.text) or _WRITER_SPEAKS.match(ln.text.strip()):
        return False
    if ln.indented and not (starts_lower(ln.text) or _hangs_under_dash(prev, ln)):
        # a paragraph's first line; a wrapped item's last words ("phố;", "Ninh.") hang
        # under the text after its dash, set in as far
        return False
    if is_upper_line(prev.text) and not is_upper_line(ln.text) and not starts_lower(ln.text):
        return False  # "THÂN GỬI: CÁN BỘ ... TOÀN HUYỆN" over "Nhân dịp ...": the body
    return prev.text.rstrip().endswith((",", "-", "–")) or not prev.short or starts_lower(ln.text)


def _hangs_under_dash(prev: SrcLine, ln: SrcLine) -> bool:
    """`ln` is a dash item's last words, set in under the text after its dash: a short
    line that ends the item, right of the dash (word boxes only)."""
    if prev.bbox is None or ln.bbox is None or not _DASH.match(prev.text.strip()):
        return False
    slack = 0.5 * (ln.bbox.bottom - ln.bbox.top)  # a letter's width: a scan's skew
    return ln.short and _closed(ln.text) and ln.bbox.left >= prev.bbox.left - slack


def _closed(item: str) -> bool:
    """The item ends as an addressee ends: with ";" or "."."""
    return item.rstrip().endswith((";", "."))


__all__ = ["split_addressees"]
