"""Restoration adapted to the document on the `run` path: a weak scan re-restored as a whole.

The page workers restore each page on its own (`restore.restore_page`, no adaptation: one
page is little evidence, and a good scan has nothing to adapt to) and hand back, beside
the page, its lines as OCR and the layout repair read them, before restoration. A bad
scan's misreadings are systematic within a document (the same lost or swapped marks on
every page), so when the restorer was unsure of many of a document's words (`is_weak`), the
document process restores those readings again with one decoder adapted to all of them
(`restore.restore_document`) and layout-repairs them as the worker does
(`layout.repair_page`).

The signal is the restorer's own: the share of words restored with a confidence under
`restore.LOW_CONFIDENCE`. On scripts/bench_scans.py's grid (both splits, photocopies
thickened by `preprocess.thicken_thin_strokes`) it is 0-0.024 on clean, soft, JPEG and
bleed-through scans, 0.021-0.056 on photocopies (the 300-dpi ones, which read best, lowest)
and 0.015-0.11 on faxes, where Tesseract's mean word confidence overlaps (94.8 on a good
150-dpi page, 95.2 on a bad fax). Before the thickening, adaptation took the photocopies'
restored page text from 1.60% to 1.38% CER on the test documents and from 0.77% to 0.72%
on the dev ones, and changed nothing on the good pages.

A document a page of which was read twice (`reread`: Tesseract was unsure of the page, a
photocopy or a fax) is adapted whatever its share: the second reading's words settle some
of restoration's doubts, so the share of such a scan fell under WEAK_SHARE
(samples/decision.tif: 3.1% -> 2.8%, left unadapted: restored CER 0.37% -> 0.43%).
Adapted, it reads 0.31%; the photocopies of scans_heldout3 / scans_heldout2 (tuning data)
went from 0.70/0.54% (300 dpi), 1.02/0.71% (200) and 1.55/1.34% (150) with the second
reading to 0.65/0.48%, 0.92/0.71% and 1.26/1.13% (their faxes were adapted already).

A bad copy also breaks the comma's tail off: "khó khăn. vươn lên" is read for "khó khăn,
vươn lên". In such a document a period between a word and a lower-case word is read as
the comma it was (`restore_comma_tails`): a sentence never opens in lower case. The
semicolon's tail goes too, and where the text says a clause ended the colon is read as
the semicolon it was: in a recipients block's items (`restore_recipient_semicolons`),
after a number before a lower-case word or a number, and closing a line before the next
"Căn cứ" or "Xét" clause (`restore_clause_semicolons`); a part heading read "1." on a page
numbering its other parts in Roman is the "I." it was (`restore_roman_headings`). On the
200-dpi photocopies of scans_heldout2/3/4 (tuning data) these took 105 character errors
to 90 (0.76% -> 0.65% CER pooled); no row of their grids read worse (the photocopies at
every resolution and two faxes read better).

A page with a table (its cells restored one by one in the worker) is not re-restored.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ocr_pipeline.layout import repair_page
from ocr_pipeline.model import BBox, Line, Page, Word

if TYPE_CHECKING:
    from pathlib import Path

    from ocr_pipeline.restore.adapt import Adaptation

#: A document is re-restored with adaptation when at least this share of its restored
#: words have a restore confidence under restore.LOW_CONFIDENCE (see the module).
WEAK_SHARE = 0.03


def unsure_share(pages: Sequence[Page]) -> float | None:
    """The share of the restored words of `pages` (read pages only) that restoration was
    unsure of (confidence under `restore.LOW_CONFIDENCE`); None when none was restored.
    A word the restore stage passed without reading it (a number, a code: no restore
    confidence, `ocr_text` set) counts as a sure one."""
    from ocr_pipeline.restore import LOW_CONFIDENCE

    confs = [1.0 if w.restore_confidence is None else w.restore_confidence
             for p in pages if p.status == "ok" for w in p.words
             if w.restore_confidence is not None or w.ocr_text is not None]  # fmt: skip
    return sum(c < LOW_CONFIDENCE for c in confs) / len(confs) if confs else None


def mean_ocr_confidence(pages: Sequence[Page]) -> float | None:
    """The mean Tesseract confidence of the read words of `pages` (None: no word)."""
    confs = [w.confidence for p in pages if p.status == "ok" for w in p.words if w.confidence >= 0]
    return sum(confs) / len(confs) if confs else None


def is_weak(pages: Sequence[Page], readings: Mapping[int, PageReading] | None = None) -> bool:
    """Whether a document read weakly enough for adapted restoration (see the module): its
    unsure share reaches WEAK_SHARE, or a weak page of it was read twice (`readings` with
    second-reading words: `reread`, a page Tesseract was unsure of)."""
    share = unsure_share(pages)
    if share is not None and share >= WEAK_SHARE:
        return True
    return any(r.alternatives and r.weak for r in (readings or {}).values())


# a word of two letters or more ending in one period ("khăn."; not "v.v.", "TP.HCM." or "5.")
_PERIOD_AFTER_WORD = re.compile(r"^[^\W\d_]*[^\W\d_]{2}\.$")
# a list label opening a new item after a period ("đúng hạn." then "g) Lĩnh vực ...")
_LABEL = re.compile(r"^[^\W\d_][).]$")


def restore_comma_tails(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with each period between a word and a word that
    opens in lower case read as a comma ("khăn." before "vươn" -> "khăn,"); not before a
    list label ("b)", "c."). Words with a footnote marker (whose text the marker's tail
    follows) are left alone."""
    words = [w for ln in lines for w in ln.words]
    fixed = {
        id(w): dataclasses.replace(w, text=w.text[:-1] + ",")
        for w, after in zip(words, words[1:], strict=False)
        if w.marker is None
        and _PERIOD_AFTER_WORD.match(w.text)
        and after.text[:1].islower()
        and not _LABEL.match(after.text)
    }
    if not fixed:
        return lines
    return [dataclasses.replace(ln, words=[fixed.get(id(w), w) for w in ln.words])
            if any(id(w) in fixed for w in ln.words) else ln for ln in lines]  # fmt: skip


def _opens_item(line: Line) -> bool:
    """Whether `line` is a list item: its first word is a dash or opens with one ("-Lưu:")."""
    return bool(line.words) and line.words[0].text.startswith("-")


def _opens_recipients(line: Line) -> bool:
    """Whether `line` opens a recipients block ("Nơi nhận:", its first two words)."""
    head = " ".join(w.text for w in line.words[:2]).lower()
    return head.rstrip(":;.") == "nơi nhận"


def restore_recipient_semicolons(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with each colon that closes a word of a recipients
    block's item read as the semicolon it was ("- UBND huyện:" -> "- UBND huyện;"): under
    "Nơi nhận:", every item but the last ends in a semicolon and the only colon is the
    one after the item's first word ("- Lưu: VT, ..."), while a bad copy's small type
    loses the semicolon's tail. The block is the run of items ("-" lines) after the line
    that opens it; the signature column read on the same lines has no colon to change."""
    fixed: dict[int, Word] = {}
    in_block = False
    for line in lines:
        if _opens_recipients(line):
            in_block = True
            continue
        if not (in_block and _opens_item(line)):
            in_block = False
            continue
        first = 1 if line.words[0].text == "-" else 0  # the item's own first word
        for w in line.words[first + 1 :]:
            if w.marker is None and len(w.text) > 1 and w.text.endswith(":"):
                fixed[id(w)] = dataclasses.replace(w, text=w.text[:-1] + ";")
    if not fixed:
        return lines
    return [dataclasses.replace(ln, words=[fixed.get(id(w), w) for w in ln.words])
            if any(id(w) in fixed for w in ln.words) else ln for ln in lines]  # fmt: skip


# a number closed by a colon ("223:", "2024:"; not "Số:")
_NUMBER_COLON = re.compile(r"^\d[\d.,/]*:$")
# the lines of a decision's preamble open with these ("Căn cứ Luật ...;", "Xét đề nghị ...;")
_PREAMBLE = ("căn cứ", "xét")


def restore_clause_semicolons(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with the colons a bad copy made of semicolons where
    the text says a clause ended: after a number before a word in lower case or a number
    ("các tiểu khu 214 và 223: trực chốt" -> "223;": a colon introduces what follows a
    word, not a count), and at the end of a line before a preamble's next clause ("... năm
    2017:" then "Căn cứ ..." -> "2017;": each clause of a preamble closes with a semicolon)."""
    words = [w for ln in lines for w in ln.words]
    last_of_line = {id(ln.words[-1]) for ln in lines if ln.words}
    opens_clause = {
        id(ln.words[0])
        for ln in lines
        if ln.words and " ".join(w.text for w in ln.words[:2]).lower().startswith(_PREAMBLE)
    }
    fixed = {}
    for w, after in zip(words, words[1:], strict=False):
        if w.marker is not None or not w.text.endswith(":"):
            continue
        counted = _NUMBER_COLON.match(w.text) and (
            after.text[:1].islower() or after.text[:1].isdigit()
        )
        preamble = id(w) in last_of_line and id(after) in opens_clause
        if counted or preamble:
            fixed[id(w)] = dataclasses.replace(w, text=w.text[:-1] + ";")
    if not fixed:
        return lines
    return [dataclasses.replace(ln, words=[fixed.get(id(w), w) for w in ln.words])
            if any(id(w) in fixed for w in ln.words) else ln for ln in lines]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class PageReading:
    """What a page worker read of a page before restoration: its lines (OCR and layout
    repair) and, where the page was read twice, the second reading's words
    (`reread.word_alternatives`: first reading's word box -> second reading's text)."""

    lines: list[Line]
    alternatives: Mapping[BBox, str] = dataclasses.field(default_factory=dict)
    #: whether the page was read weakly (`reread.is_weak_page`: all its weak words read
    #: twice); a confident page whose few doubtful words were read twice is not a weak scan
    weak: bool = True


# a Roman heading number ("II.", "IV.") and what Tesseract reads for I, II, III ("1.", "11.")
_ROMAN = re.compile(r"^[IVX]+\.$")
_ROMAN_AS_DIGITS = re.compile(r"^[1l|I]{1,3}\.$")


def _heading_number(line: Line) -> str | None:
    """The number opening `line` when an ALL-CAPS heading follows it ("II. KẾT QUẢ")."""
    if len(line.words) < 2:
        return None
    title = line.words[1].text.rstrip(",.:;")
    return line.words[0].text if len(title) >= 2 and title.isupper() else None


def restore_roman_headings(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with a heading numbered "1." or "11." read as the
    "I." or "II." it was when the page numbers other ALL-CAPS headings in Roman ("II. KẾT
    QUẢ"): a bad copy's I is read as a 1 or an l, and a report numbers its parts one way."""
    numbers = [_heading_number(ln) for ln in lines]
    romans = {n for n in numbers if n is not None and _ROMAN.match(n)}
    if not romans - {"I."}:
        return lines
    out = list(lines)
    for i, (line, number) in enumerate(zip(lines, numbers, strict=True)):
        if number is None or _ROMAN.match(number) or not _ROMAN_AS_DIGITS.match(number):
            continue
        roman = "I" * (len(number) - 1) + "."
        if roman not in romans:  # a page with its "I." heading numbers sub-headings "1."
            word = dataclasses.replace(line.words[0], text=roman)
            out[i] = dataclasses.replace(line, words=[word, *line.words[1:]])
    return out


def _restore_punctuation(lines: list[Line]) -> list[Line]:
    """The commas and semicolons of a weak scan's page the text says a bad copy broke."""
    lines = restore_recipient_semicolons(restore_comma_tails(lines))
    return restore_roman_headings(restore_clause_semicolons(lines))


def restore_adapted(
    pages: Sequence[Page],
    readings: Mapping[int, PageReading],
    channel: str,
    profile: str | Path | None = None,
) -> tuple[list[Page], Adaptation | None]:
    """`pages` with each page in `readings` (page number -> what was read of it before
    restoration) restored again by one decoder adapted to all those readings (words read
    twice from both readings: `restore.alternatives`), then layout-repaired and their lost
    comma tails restored.
    Other pages come back as they are. Returns the pages and what was adapted."""
    from ocr_pipeline.restore.alternatives import restore_with_alternatives

    redo = [p for p in pages if p.number in readings and p.status == "ok" and not p.tables]
    if not redo:
        return list(pages), None
    read = [dataclasses.replace(p, lines=readings[p.number].lines) for p in redo]
    restored, adaptation = restore_with_alternatives(
        read, [readings[p.number].alternatives for p in redo], channel, adapt=True,
        profile=profile,
    )  # fmt: skip
    again = {p.number: _restore_punctuation(repair_page(r).lines)
             for p, r in zip(redo, restored, strict=True)}  # fmt: skip
    out = [dataclasses.replace(p, lines=again[p.number]) if p.number in again else p
           for p in pages]  # fmt: skip
    return out, adaptation
