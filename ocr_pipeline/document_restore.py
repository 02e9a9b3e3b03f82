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
UNSURE_BELOW (0.8). On scripts/bench_scans.py's grid (both splits, photocopies
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
semicolon's tail goes too, and where the layout says a clause ended the colon is read as
the semicolon it was: the colon ending a recipients block's item
(`restore_recipient_semicolons`) and the one closing a preamble's clause before the next
"Căn cứ" / "Xét đề nghị" (`restore_clause_semicolons`). A colon inside a line is changed
only inside a recipients block, where two items share a line ("- Như Điều 3: Phòng GDĐT;"):
"Lớp 1: 35 học sinh" and "- Các phòng: Nội vụ, Tài chính;" are correct text.
The recipients block's small type is read as its codes (`restore_recipient_codes`:
"UBND" read "ƯBND", "(để b/c)" read "(đẻ hịc)", "Lưu: VT" read "Lau: VI"; `run` does
this on every restored page), a page's first Roman part heading read "1." is "I."
(`restore_roman_headings`), and the copy's noise read as marks goes (`restore_stray_marks`:
an unclosed quote glued to a word, a lone „; "87.4%" is "87,4%"). On the 200-dpi
photocopies of scans_heldout2-7 (tuning data) these took the character errors from 195 to
141; `tails` (the comma tails read from the ink of a light copy) to 128.

On a weak page the words Tesseract read under DOUBT_CONFIDENCE are doubted: each may be
the valid syllable its letters make with one letter's marks read otherwise
(`restore.alternatives`: "thiệt bị" -> "thiết bị", "đông chí" -> "đồng chí"); the
200-dpi photocopy of scans_heldout9 (tuning data) went from 0.83% to 0.71% CER.

A page with a table (its cells restored one by one in the worker) is not re-restored.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ocr_pipeline import filing_line
from ocr_pipeline.layout import repair_page
from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.text import strip_marks

if TYPE_CHECKING:
    from pathlib import Path

    from ocr_pipeline.restore.adapt import Adaptation

#: A document is re-restored with adaptation when at least this share of its restored
#: words have a restore confidence under UNSURE_BELOW (see the module): the signal was
#: measured with the reviewer's flag at 0.8 and keeps that value when the flag moves.
WEAK_SHARE = 0.03
UNSURE_BELOW = 0.8
#: On a weak page (`reread.is_weak_page`) the lower-case words Tesseract read under this
#: confidence are doubted: each may be the valid syllable its letters make with one
#: letter's marks read otherwise ("thiệt bị" for "thiết bị", "đông chí" for "đồng chí"),
#: a swap the `vie` channel scores too low for the context ever to win
#: (`restore.alternatives.DOUBTED_MARK_P`; see the module).
DOUBT_CONFIDENCE = 95.0


def unsure_share(pages: Sequence[Page]) -> float | None:
    """The share of the restored words of `pages` (read pages only) that restoration was
    unsure of (confidence under UNSURE_BELOW); None when none was restored.
    A word the restore stage passed without reading it (a number, a code: no restore
    confidence, `ocr_text` set) counts as a sure one."""

    confs = [1.0 if w.restore_confidence is None else w.restore_confidence
             for p in pages if p.status == "ok" for w in p.words
             if w.restore_confidence is not None or w.ocr_text is not None]  # fmt: skip
    return sum(c < UNSURE_BELOW for c in confs) / len(confs) if confs else None


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


def _with_words(lines: list[Line], fixed: Mapping[int, Word]) -> list[Line]:
    """`lines` with each word whose id is in `fixed` replaced by its fixed copy."""
    if not fixed:
        return lines
    return [dataclasses.replace(ln, words=[fixed.get(id(w), w) for w in ln.words])
            if any(id(w) in fixed for w in ln.words) else ln for ln in lines]  # fmt: skip


def restore_comma_tails(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with each period between a word and a word that
    opens in lower case read as a comma ("khăn." before "vươn" -> "khăn,"); not before a
    list label ("b)", "c."). Words with a footnote marker (whose text the marker's tail
    follows) are left alone."""
    words = [w for ln in lines for w in ln.words]
    return _with_words(lines, {
        id(w): dataclasses.replace(w, text=w.text[:-1] + ",")
        for w, after in zip(words, words[1:], strict=False)
        if w.marker is None
        and _PERIOD_AFTER_WORD.match(w.text)
        and after.text[:1].islower()
        and not _LABEL.match(after.text)
    })  # fmt: skip


def _opens_item(line: Line) -> bool:
    """Whether `line` is a list item: its first word is a dash or opens with one ("-Lưu:"),
    or the file copy's item opens it as a bad copy reads it ("; Liu VL KTN,")."""
    return bool(line.words) and (
        line.words[0].text.startswith("-") or _filing_label_at(line.words) is not None
    )


def _filing_label_at(words: list[Word]) -> int | None:
    """The index of the file copy's label where a bad copy misread it at an item's start
    ("Liu VL", "lam: VI", "; Liu VL": `filing_line.LABEL_LOOKALIKE` before the registry's
    code, after the dash or a speck read for it), or None."""
    for k in (0, 1):
        if k and words[0].text not in filing_line.DASH_SPECKS and words[0].text != "-":
            return None
        if k + 1 >= len(words):
            return None
        word, after = words[k].text, words[k + 1].text
        if strip_marks(word.lstrip("-")).lower() == "luu":
            return None  # "Lưu VT": typed without its colon, as some documents do
        if filing_line.LABEL_LOOKALIKE.match(word.lstrip("-")) and filing_line.REGISTRY_WORD.match(
            after
        ):
            return k
    return None


#: Two words of a line this many line heights apart stand in two columns (a recipients
#: item, then the signature column's "(Đã ký)" or name read on the same row).
COLUMN_GAP = 2.0


#: A line carrying on a recipients item holds at most this many words of it ("Sơn:",
#: "phường;"): a longer line after the block is text of its own.
CARRIED_WORDS = 6


def _is_caps_or_speck(word: Word) -> bool:
    return word.text.isupper() or not any(c.isalpha() for c in word.text)


def _item_length(line: Line) -> int:
    """How many of `line`'s words come before a column gap (the rest, "(Đã ký)" or a
    signer's name read on the same row, are the signature column's)."""
    words = line.words
    gap = COLUMN_GAP * max(1, line.bbox.height)
    for i in range(1, len(words)):
        if words[i].bbox.left - words[i - 1].bbox.right > gap:
            return i
    return len(words)


def _item_end(words: Sequence[Word]) -> int:
    """The index of the item's last word among `words` (a line's words before any column
    gap): the last before a closing run of capitals and specks ("- Như Điều 2: CHỦ
    TỊCH"), read on the same row from the signature column."""
    n = len(words)
    while n > 1 and _is_caps_or_speck(words[n - 1]):
        n -= 1
    return n - 1


def _recipient_lines(lines: list[Line]) -> list[tuple[int, bool]]:
    """(index, opens an item) of the lines of `lines` in a recipients block: the items ("-"
    lines, and the file copy's item whose dash a bad copy misread, `_opens_item`) after the
    line that opens the block (`closing.opens_recipients`), and a line
    that carries on an item left open (its last word closes with neither ";" nor ".":
    "- Liên minh HTX tỉnh, UBND xã Quảng" then "Sơn:"; at most CARRIED_WORDS words before
    any column gap). The file copy's item ("Lưu: ...") is the block's last: nothing after
    its line carries it on."""
    from ocr_pipeline.structure.closing import opens_recipients

    out: list[tuple[int, bool]] = []
    in_block = open_item = False
    for k, line in enumerate(lines):
        if line.words and opens_recipients(" ".join(w.text for w in line.words)):
            in_block, open_item = True, False
            continue
        words = line.words[: _item_length(line)]
        item = in_block and _opens_item(line)
        carried = in_block and open_item and 0 < len(words) <= CARRIED_WORDS
        if not (item or carried):
            in_block = open_item = False
            continue
        out.append((k, item))
        open_item = (
            not words[_item_end(words)].text.endswith((";", ".", ":"))
            and not any(filing_line.LABEL_WORD.match(w.text.lstrip("-")) for w in words)
            and _filing_label_at(words) is None  # the file copy's item closes the block
        )
    return out


# "b/c" (báo cáo) in a recipient's parenthesis as the copy reads it: "hịc", "b.c", "be", "/C"
_REPORT_GLYPHS = str.maketrans({**dict.fromkeys("bhkđ", "b"), **dict.fromkeys("/.'’¿íìịil|(", "/"),
                                **dict.fromkeys("cCeé©€", "c")})  # fmt: skip
_PAREN_CODE = re.compile(r"^(\(?)([^()\s]{1,3})(\)[;:.,]?)$")


def _is_report_code(text: str) -> bool:
    """Whether `text` (inside a recipient's parenthesis) is "b/c" as a bad copy read it: at
    most one glyph off once each glyph is mapped to the b, / or c it is read for."""
    from rapidfuzz.distance import Levenshtein

    return (
        text != "b/c"
        and len(text) >= 2
        and Levenshtein.distance(text.translate(_REPORT_GLYPHS), "b/c") <= 1
    )


def _is_ubnd(text: str) -> bool:
    """Whether `text` is "UBND" with one letter misread ("ƯBND", "IBND", "BND")."""
    from rapidfuzz.distance import Levenshtein

    from ocr_pipeline.structure.text import fold

    core = text.rstrip(",;:.")
    return (
        core != "UBND"
        and 3 <= len(core) <= 5
        and core.isupper()
        and core.isalpha()
        and Levenshtein.distance(fold(core), "UBND") <= 1
    )


def _is_de(text: str) -> bool:
    """Whether `text` is "(để" with any marks, or none ("(đẻ", "(de": a doubted word's marks
    read otherwise, `restore.alternatives`)."""
    return strip_marks(text).lower() == "(de"


def restore_recipient_codes(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with the fixed words of a recipients block as a bad
    copy's small type misreads them: the file copy's label "Lưu:" ("Lau:", "I.ưu:"), the
    registry's code "VT" after it ("VI", "VF"; "VT," before another office's code),
    "UBND" ("ƯBND", "IBND"), and "b/c" (báo cáo) in a recipient's parenthesis ("(đẻ hịc)",
    "(de hịc)", "(b'©)", "(be)" -> "(để b/c)", "(b/c)"). Only inside the block (`_recipient_lines`),
    and only in the items' part of each line."""
    fixed: dict[int, Word] = {}

    def put(word: Word, text: str) -> None:
        if text != word.text:
            fixed[id(word)] = dataclasses.replace(word, text=text)

    for k, _item in _recipient_lines(lines):
        words = lines[k].words[: _item_length(lines[k])]
        if (at := _filing_label_at(words)) is not None:
            if at:
                put(words[0], "-")  # the dash read as a speck
            dash = "-" if words[at].text.startswith("-") else ""
            put(words[at], dash + filing_line.LABEL)
        for i, w in enumerate(words):
            before = fixed.get(id(words[i - 1]), words[i - 1]).text if i else ""
            after = words[i + 1] if i + 1 < len(words) else None
            if m := filing_line.LABEL_WORD.match(w.text):
                put(w, m.group(1) + filing_line.LABEL)
            elif (m := filing_line.REGISTRY_WORD.match(w.text)) and filing_line.LABEL_WORD.match(
                before.lstrip("-") or "x"
            ):
                more = after is not None and after.text.isupper() and after.text[:1].isalpha()
                put(w, "VT," if more else "VT" + m.group(1))
            elif _is_ubnd(w.text):
                put(w, "UBND" + w.text[len(w.text.rstrip(",;:.")) :])
            elif (m := _PAREN_CODE.match(w.text)) and (m.group(1) or _is_de(before)):
                if _is_report_code(m.group(2)):
                    put(w, f"{m.group(1)}b/c{m.group(3)}")
                    if _is_de(before):
                        put(words[i - 1], "(để")
    return _with_words(lines, fixed)


def restore_recipient_semicolons(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with the colon that closes a recipients block's
    item read as the semicolon it was ("- UBND huyện:" -> "- UBND huyện;"): under "Nơi
    nhận:" every item but the last ends in a semicolon, while a bad copy's small type loses
    the semicolon's tail. The word that ends an item: the line's last, or the last before
    the signature column read on the same line (its capitals and specks, or words past a
    column gap: "- Như Điều 2: CHỦ TỊCH", "- Các hộ: (Đã ký)"), the last of a line carrying
    on an item ("Sơn:"), or one before the next item's label on the same line ("- Ban Kiểm
    soát HTX: Lưu: VP.") or after the note that closes one ("(để b/c): các hộ"). Two
    items share a line too ("- Như Điều 3: Phòng GDĐT;"): a
    colon before a capital is the first item's end when no comma follows before the item's
    end, and the item does not open with "Các" (a list's own colon: "- Các phòng: Nội vụ,
    Tài chính;"). Never the item's first word nor the label "Lưu:"."""
    fixed: dict[int, Word] = {}
    for k, item in _recipient_lines(lines):
        line = lines[k]
        n = _item_length(line)
        words = line.words[:n]
        first = 1 if item and words[0].text == "-" else 0  # the item's own first word
        start = first + 1 if item else 0
        plural = item and len(words) > first and words[first].text.lstrip("-") in ("Các", "các")
        for i in range(start, n):
            w = words[i]
            if w.marker is not None or len(w.text) < 2 or not w.text.endswith(":"):
                continue
            if filing_line.LABEL_WORD.match(w.text.lstrip("-")):
                continue  # the file copy's label ("Ban Kiểm soát; Lưu: VP.")
            if i >= _item_end(words):
                closes = True  # the line's last word, or the last before the signer's capitals
            else:
                nxt = words[i + 1]
                tail = []
                for x in words[i + 1 :]:
                    tail.append(x)
                    if x.text.endswith(";"):
                        break
                closes = (
                    bool(
                        w.text.endswith("):")  # a recipient's note closes the item: "(để b/c):"
                        or filing_line.LABEL_WORD.match(nxt.text.lstrip("-"))
                        or nxt.text.startswith("-")
                    )
                    or (
                        not plural
                        and nxt.text[:1].isupper()
                        and not any("," in x.text for x in tail)
                    )
                )
            if closes:
                fixed[id(w)] = dataclasses.replace(w, text=w.text[:-1] + ";")
    return _with_words(lines, fixed)


def restore_clause_semicolons(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with the colon a bad copy made of the semicolon
    that closes a preamble's clause: at the end of a line before the next clause ("... năm
    2017:" then "Căn cứ ..." -> "2017;", `sections.opens_legal_basis`)."""
    from ocr_pipeline.structure.sections import opens_legal_basis

    fixed: dict[int, Word] = {}
    for line, nxt in zip(lines, lines[1:], strict=False):
        if not (line.words and nxt.words):
            continue
        last = line.words[-1]
        if (last.marker is None and last.text.endswith(":") and len(last.text) > 1
                and opens_legal_basis(" ".join(w.text for w in nxt.words))):  # fmt: skip
            fixed[id(last)] = dataclasses.replace(last, text=last.text[:-1] + ";")
    return _with_words(lines, fixed)


# a percentage written with a decimal point: Vietnamese writes "106,7%" ("." groups thousands)
_POINT_PERCENT = re.compile(r"^(\(?\d+)\.(\d{1,2}%\W*)$")
_OPENING_QUOTES = "“\"'‘„"
_CLOSING_QUOTES = "”\"'’"
#: An opening quote with no closing one within this many words after it is a speck.
QUOTE_REACH = 20


def restore_stray_marks(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) without the specks a bad copy's noise made into
    marks: an opening quote glued to a word that no closing quote follows within
    QUOTE_REACH words ("Nhà văn “hóa" -> "hóa"), and a lone „ (a mark Vietnamese does not
    use); and with a percentage's decimal comma read as a point restored ("87.4%" ->
    "87,4%": a point groups thousands, three digits at a time)."""
    words = [w for ln in lines for w in ln.words]
    fixed: dict[int, Word] = {}
    for k, w in enumerate(words):
        text = w.text
        if m := _POINT_PERCENT.match(text):
            fixed[id(w)] = dataclasses.replace(w, text=f"{m.group(1)},{m.group(2)}")
        elif len(text) > 1 and text[0] in _OPENING_QUOTES and text[1].isalpha():
            reach = [text] + [x.text for x in words[k + 1 : k + 1 + QUOTE_REACH]]
            if not any(q in t[1:] for t in reach for q in _CLOSING_QUOTES):
                fixed[id(w)] = dataclasses.replace(w, text=text[1:])
    out = _with_words(lines, fixed)
    if not any(w.text == "„" for w in words):
        return out
    return [dataclasses.replace(ln, words=[w for w in ln.words if w.text != "„"])
            if any(w.text == "„" for w in ln.words) else ln for ln in out]  # fmt: skip


def _caps_heading_number(line: Line) -> str | None:
    """The number opening `line` when the rest of it is an ALL-CAPS heading of two words
    or more ("II. KẾT QUẢ THỰC HIỆN" -> "II."), else None."""
    words = [w.text for w in line.words]
    rest = [t for t in words[1:] if any(c.isalpha() for c in t)]
    if len(rest) < 2 or not all(t.isupper() for t in rest):
        return None
    return words[0]


def restore_roman_headings(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with the first part heading's "I." that a bad
    copy read "1." ("1. KẾT QUẢ ĐẠT ĐƯỢC"): a page whose other ALL-CAPS headings are "II."
    and "III." numbers its first one "I."; a page with an ALL-CAPS "2." heading numbers
    in digits, and a "1." before lower-case words ("1. UBND các xã") is a list item."""
    numbers = [_caps_heading_number(ln) for ln in lines]
    if "II." not in numbers or "I." in numbers or "2." in numbers or numbers.count("1.") != 1:
        return lines
    fixed = {id(ln.words[0]): dataclasses.replace(ln.words[0], text="I.")
             for ln, n in zip(lines, numbers, strict=True) if n == "1."}  # fmt: skip
    return _with_words(lines, fixed)


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


def _restore_punctuation(lines: list[Line]) -> list[Line]:
    """The commas, semicolons, recipients' codes, first Roman heading and marks of a weak
    scan's page that the text says a bad copy broke or made up."""
    lines = restore_recipient_semicolons(restore_recipient_codes(restore_comma_tails(lines)))
    return restore_stray_marks(restore_roman_headings(restore_clause_semicolons(lines)))


def restore_adapted(
    pages: Sequence[Page],
    readings: Mapping[int, PageReading],
    channel: str,
    profile: str | Path | None = None,
    lexicon: str | Path | None = None,
) -> tuple[list[Page], Adaptation | None]:
    """`pages` with each page in `readings` (page number -> what was read of it before
    restoration) restored again by one decoder adapted to all those readings (words read
    twice from both readings: `restore.alternatives`), then layout-repaired and their lost
    comma tails restored.
    Other pages come back as they are. `profile` and `lexicon`: the files of `run
    --profile` and `--lexicon`. Returns the pages and what was adapted."""
    from ocr_pipeline.restore.alternatives import restore_with_alternatives

    redo = [p for p in pages if p.number in readings and p.status == "ok" and not p.tables]
    if not redo:
        return list(pages), None
    read = [dataclasses.replace(p, lines=readings[p.number].lines) for p in redo]
    restored, adaptation = restore_with_alternatives(
        read, [readings[p.number].alternatives for p in redo], channel, adapt=True,
        profile=profile, lexicon=lexicon,
        doubt_under=[DOUBT_CONFIDENCE if readings[p.number].weak else None for p in redo],
    )  # fmt: skip
    again = {p.number: _restore_punctuation(repair_page(r).lines)
             for p, r in zip(redo, restored, strict=True)}  # fmt: skip
    out = [dataclasses.replace(p, lines=again[p.number]) if p.number in again else p
           for p in pages]  # fmt: skip
    return out, adaptation
