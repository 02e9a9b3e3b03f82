"""Label repair: the OCR of a line's specks and label glyphs, corrected from the word boxes.

Part of the layout-repair pass (`layout.repair_page` applies `repair_labels` to every line
of a finished page), so every output (txt, words.tsv, hOCR, ALTO, the structure tree) sees
the same repaired words. Each repair looks at one line's words and their boxes only:

- specks (`drop_specks`): low-confidence ":" / "-" / stray letters inside or at the edges
  of a line, and punctuation-only edge words far from the text or far smaller than its
  letters (": : Phần I"), are dropped;
- a speck read as "_", "~", "^" or "`" glued to the line's first word ("_Phần I") is cut
  off (`strip_glued_speck`);
- a bold roman label of I's read with the wrong count ("II." for "III.", "HH.") gets the
  count its box width holds (`roman_from_width`, `i_count`; on a typewritten page in
  letter cells, `typed_pitch`);
- "1," whose box does not reach below the baseline is "1." (`period_label_from_box`).

The repairs that need the document's numbering (a misread roman label that is the next
in the sequence, "g)" before "b)") are text-level and stay in `structure.lines`.
"""

from __future__ import annotations

import functools
import logging
import re
import statistics
from dataclasses import replace

from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.text import is_upper_line

log = logging.getLogger(__name__)

POINT_LABEL = re.compile(r"[a-eg-iklmnđq]\)")  # Vietnamese point labels (no f, j); q for a
# an older typist's mark closing a label with a period and a dash ("I.-", "1.-"; OCR's "I. -")
DASHED_MARK = r"\.\s?-"


def repair_labels(lines: list[Line]) -> list[Line]:
    """`lines` with their words repaired (`repair_words`); a line left without words is
    dropped, a line that lost words gets the box of the words it keeps. Lines nothing
    changed in are kept as they are."""
    out = []
    pitch = typed_pitch([w for line in lines for w in line.words])
    for line in lines:
        words = repair_words(line.words, pitch)
        if not words:
            continue
        if len(words) == len(line.words) and all(
            a is b for a, b in zip(words, line.words, strict=False)
        ):
            out.append(line)
            continue
        box = line.bbox
        if len(words) < len(line.words):
            box = functools.reduce(BBox.union, [w.bbox for w in words])
        out.append(replace(line, words=words, bbox=box))
    return out


def repair_words(words: list[Word], pitch: float | None = None) -> list[Word]:
    """One line's words with its specks dropped and its label glyphs read from their boxes
    (`pitch`: a typewritten page's letter cell, `typed_pitch`)."""
    kept = drop_specks(words)
    if not kept:
        return []
    return period_label_from_box(roman_from_width(strip_glued_speck(kept), pitch))


#: a page whose words' widths per letter spread less than this (median absolute deviation
#: over the median) is typed in a fixed pitch: every letter, an I too, fills one cell
MONOSPACE_SPREAD = 0.04
MONOSPACE_WORDS = 20  # words of three letters or more it takes to tell
TYPED_FIT = 0.35  # cells a typed label's width may miss its count by


def typed_pitch(words: list[Word]) -> float | None:
    """The letter cell (pixels) of a page typed in a fixed pitch (a typewriter's, a
    monospace font), where the ink width of a word of n letters is about (n - 0.4) cells
    for all its words alike; None for a page in a proportional font. There a roman label's
    I's each fill a cell, and counting them as bold proportional I's (`i_count`) made a
    new user's 1994 typed report's "I." "II." (spread 0.016; proportional pages
    0.07-0.13)."""
    pitches = []
    for w in words:
        letters = w.text.strip('.,;:()"“”')
        if len(letters) >= 3 and letters.isalpha():
            pitches.append(w.bbox.width / (len(letters) - 0.4))
    if len(pitches) < MONOSPACE_WORDS:
        return None
    middle = statistics.median(pitches)
    spread = statistics.median(abs(p - middle) for p in pitches)
    return middle if middle > 0 and spread / middle < MONOSPACE_SPREAD else None


def typed_i_count(box: BBox, dot: str, pitch: float) -> int | None:
    """How many I's (1-3, followed by `dot`) a typed label box of this width holds at
    this letter cell (its ink spans its letters' cells but 0.4 of one), or None when its
    width fits no count."""
    est = box.width / pitch + 0.4 - len(dot)
    n = round(est)
    return n if 1 <= n <= 3 and abs(est - n) <= TYPED_FIT else None


def _is_noise(word: Word, edge: bool) -> bool:
    """Low-confidence specks Tesseract reads as ':' or '-' or a stray letter."""
    text = word.text.strip()
    if not text:
        return True
    conf = word.confidence if word.confidence >= 0 else 100
    alnum = sum(c.isalnum() for c in text)
    if not edge:
        return conf < 35 and alnum == 0 and text not in "-–"
    if alnum == 0:
        return conf < 60 and text != "./."
    return conf < 35 and alnum == 1 and not text.isdigit()


def _list_label(words: list[Word]) -> bool:
    """ "g) Lĩnh vực ...", "I- SƠ LƯỢC ...": a point label opening a list item, or a roman
    label before a title in capitals, however low its confidence.

    Tesseract reads a blurred "a)" as "g)" or "q)" at confidence 20-30, and a typewriter's
    "I.-" as "I-" at 28; dropped as a speck, the item would lose its label and merge into
    the line before.
    """
    first = words[0].text.strip() if words else ""
    if len(words) > 1 and _ROMAN_LABEL_WORD.fullmatch(first):
        return words[1].text.isupper() and words[1].text[:1].isalpha()
    return (len(words) > 2 and bool(POINT_LABEL.fullmatch(first))
            and words[1].text[:1].isupper() and words[1].text[:1].isalpha())  # fmt: skip


_ROMAN_LABEL_WORD = re.compile(rf"[IVX]{{1,4}}(?:{DASHED_MARK}|[.\-/])")


_SPECK_CHARS = set(":;,.·'`´_~")


def _stray_punct(word: Word, neighbour: Word, height: float) -> bool:
    """A punctuation-only edge word that is a speck, whatever its confidence: ":" or ","
    far from the text (a gap over 0.6 line heights) or far smaller than the letters.

    Tesseract reads dirt beside a centred bold heading as ": : Phần I" or "Phần II :" at
    confidences up to ~75; no Vietnamese line opens with ":", ";" or ",", and a real
    trailing colon sits against its word. "./." and an ellipsis are left alone.
    """
    text = word.text.strip()
    if not text or not set(text) <= _SPECK_CHARS or text == "./." or ".." in text:
        return False
    b, n = word.bbox, neighbour.bbox
    gap = n.left - b.right if n.left >= b.right else b.left - n.right
    return gap > 0.6 * height or b.height < 0.3 * height


def _flat_speck(word: Word, height: float) -> bool:
    """A word Tesseract was unsure of (confidence under 35) whose box is under 0.3 of the
    line's letters high: dirt read as letters ("my" before a bold "Mục 2"), however many
    letters it was read as; a real word is as high as its line's."""
    return 0 <= word.confidence < 35 and height > 0 and word.bbox.height < 0.3 * height


def _text_height(words: list[Word]) -> float:
    hs = [w.bbox.bottom - w.bbox.top for w in words if any(c.isalnum() for c in w.text)]
    return statistics.median(hs) if hs else 0.0


_TILDE_SPECK = set("~^`´")  # no text is made of these alone; "_" and "-" draw rules


def drop_specks(words: list[Word]) -> list[Word]:
    """One line's words without the specks Tesseract read as words (see `_is_noise`,
    `_stray_punct`, and at the line's start `_flat_speck`); a list item's blurred label and
    a leading dash are kept. A line of nothing but "~", "^" or "`" marks is a speck however
    sure OCR was of it."""
    if all(w.text.strip() and set(w.text.strip()) <= _TILDE_SPECK for w in words):
        return []
    words = [w for i, w in enumerate(words)
             if not (0 < i < len(words) - 1 and _is_noise(w, False))]  # fmt: skip
    height = _text_height(words)
    while words and (_is_noise(words[0], True) or len(words) > 1 and height and (_stray_punct(
            words[0], words[1], height) or _flat_speck(words[0], height))
            and words[0].text.strip() not in ("-", "–", "+")
    ) and not _list_label(words) and not (
            words[0].text.strip() in ("-", "–", "+") and len(words) > 1
            and words[1].text[:1].isalpha() and not 0 <= words[0].confidence < 30):  # fmt: skip
        words = words[1:]
    while words and (_is_noise(words[-1], True) or len(words) > 1 and height and _stray_punct(
            words[-1], words[-2], height)):  # fmt: skip
        words = words[:-1]
    return words


_GLUED_SPECK = re.compile(r"^[_~^`]+(?=[^\W_])")


def strip_glued_speck(words: list[Word]) -> list[Word]:
    """A speck read as "_", "~", "^" or "`" glued to the line's first word ("_Phần I",
    "_2)"): no Vietnamese line starts so, and it hides the label. The text is cut, the box
    kept."""
    if words and (m := _GLUED_SPECK.match(words[0].text)):
        return [replace(words[0], text=words[0].text[m.end() :]), *words[1:]]
    return words


_ROMAN_I = re.compile(r"^([IlL|1H]{1,4})([.,/-]?)$")
_PART_WORDS = ("Phần", "PHẦN", "Chương", "CHƯƠNG")
# Bold Times New Roman (Nghị định 30/2020 type): an "I" advances ~0.58 of its own height;
# the box of n I's is ~(0.56 n - 0.13) h wide, of "n I's + period" ~(0.58 n + 0.25) h; an
# older document's "I-", "II/" (measured on set 23's renders: 1.0, 1.6, 2.2 h for I- to
# III-; 0.92, 1.49 h for I/, II/, which Tesseract read "I-", "I-", "II-" and "U", "H/").
I_PITCH = {"": (0.56, -0.13), ".": (0.58, 0.25), "-": (0.6, 0.4), "/": (0.57, 0.35)}


def i_count(box: BBox, dot: str) -> int | None:
    """How many bold I's (1-3, followed by `dot`: "", ".", "-" or "/") a label box of this
    width/height holds (see I_PITCH), or None when its width fits no count."""
    h = box.height
    if h <= 0:
        return None
    pitch, offset = I_PITCH[dot]
    est = (box.width / h - offset) / pitch
    n = round(est)
    return n if 1 <= n <= 3 and abs(est - n) <= 0.25 else None


def roman_from_width(words: list[Word], pitch: float | None = None) -> list[Word]:
    """A bold roman label of I's read with the wrong count ("II." for "III.", "HH."): the
    count comes from the label box's width/height, or on a typewritten page from its width
    in letter cells (`pitch`, `typed_i_count`). Only for heading-like lines (an upper case
    title after "I.", or "Phần II" alone); a clear misfit leaves the text as read. A word
    carrying a footnote marker is never a label."""
    if len(words) == 2 and words[0].marked_text in _PART_WORDS:
        k = 1
    elif len(words) >= 2 and (
        is_upper_line(" ".join(w.marked_text for w in words[1:]))
        or (words[0].text.endswith((".", "-", "/")) and words[1].text[:1].isupper())
    ):
        k = 0  # "II. KẾT QUẢ", or a closed label over a mixed-case title ("II- Về kinh tế")
    else:
        return words
    word = words[k]
    text = word.text
    m = _ROMAN_I.match(text)
    if word.marker is not None or not m or text[:1].isdigit() and m.group(1).isdigit():
        return words
    dot = {"": "", ",": ".", ".": ".", "-": "-", "/": "/"}[m.group(2)]
    if k == 0 and not dot:
        return words
    n = i_count(word.bbox, dot) if pitch is None else typed_i_count(word.bbox, dot, pitch)
    if n is None:
        return words
    fixed = "I" * n + dot
    if fixed == text:
        return words
    log.debug("roman label %r read as %r from its width", text, fixed)
    return [*words[:k], replace(word, text=fixed), *words[k + 1 :]]


def period_label_from_box(words: list[Word]) -> list[Word]:
    """ "1, Công tác" -> "1. Công tác": a label read with a comma whose box does not reach
    below the line's baseline (a comma's tail would) is a period. Capitalised next word."""
    if len(words) < 4 or words[0].marker is not None:
        return words
    if not re.fullmatch(r"\d{1,2},", words[0].text) or not words[1].marked_text[:1].isupper():
        return words
    box = words[0].bbox
    baseline = statistics.median(w.bbox.bottom for w in words[1:])
    height = statistics.median(w.bbox.height for w in words[1:])
    if box.bottom > baseline + 0.08 * height:
        return words
    log.debug("label %r read as a period label from its box", words[0].text)
    return [replace(words[0], text=words[0].text[:-1] + "."), *words[1:]]
