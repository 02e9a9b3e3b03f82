"""The confidence a reviewer sees on a scan: the probability that a word `run` wrote is right.

Restoration's confidence (`restore.confidence`) judges a word from inside the language
model: it cannot see the ink. On a bad scan most of what is still wrong after restoration
is a misread glyph the model finds plausible or leaves alone ("IIoàn", "Iựp", "làn:" kept;
"mũi" read "mùi"), and there Tesseract's own word confidence is low; numbers and codes
restoration does not read at all. So on the `run` path the two meet here: a small
logistic model over the restorer's probability (when it read the word), Tesseract's word
confidence, the mean confidence of the word's line and page (a bad page's words are more
often wrong), whether restoration changed the word, a marked letter or a glyph shape no
Vietnamese word has (`_MARKED_OR_ODD`), digits, whether the word is a valid syllable, its
length. Fitted by scripts/fit_page_confidence.py on the tuning scan sets' `run` outputs
(bench_scans' grid), which prints the constants to paste here.

A figure no calendar has in a date's shape ("ngày 237 tháng 9") is flagged whatever the
model says (`impossible_date`).

`reviewed` writes the probability into every restored word's `restore_confidence` (the
value words.tsv's restore_conf, hOCR's data-restore-conf and ALTO's WC carry); it runs
after the document's restoration is settled (`pipeline._restore_document`), so the text
never depends on it. Pure functions.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from collections.abc import Sequence

from ocr_pipeline.model import Line, Page, Word
from ocr_pipeline.restore import orthography as ortho

# Written as odd glyphs: an "I" or "l" against its neighbours' case ("Iựp", "lIội",
# "IIoàn"), a capital inside lower case ("NhY"), or a symbol no word holds ("€);"). What it
# measures is wider: the ranges à-ỹ and À-Ỹ hold marked letters of both cases, so a letter
# before any marked letter ("lệ", "Đồng") matches too, and most marked words fire it. The
# weights were fitted with it so; a refit with a true odd-glyph test (each letter's own
# case) caught fewer of the wrong words of scans_heldout9 (88 of 145 against 95) and stays
# out.
_MARKED_OR_ODD = re.compile(
    r"(?:^|[^\w])(?:I[a-zà-ỹđ]|l[A-ZÀ-ỸĐ]|[Il]{2})|[a-zà-ỹđ][A-ZÀ-ỸĐ]"
    r"|[^\w\s.,;:!?()/%\"'“”‘’\-–…]"
)
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")


def features(
    text: str,
    ocr_text: str | None,
    ocr_confidence: float,
    restore_confidence: float | None,
    line_mean: float,
    page_mean: float,
) -> tuple[float, ...]:
    """The model's inputs, in the order of FEATURES. `ocr_confidence`, `line_mean` and
    `page_mean` are Tesseract's 0-100 (a negative `ocr_confidence`: none given);
    `restore_confidence` None: restoration did not read the word (a number, a code)."""
    eps = 1e-4
    restored = restore_confidence is not None
    r = restore_confidence if restore_confidence is not None else 1.0
    t = ocr_confidence / 100.0 if ocr_confidence >= 0 else 1.0
    letters = sum(ch.isalpha() for ch in text)
    core = _EDGE_PUNCT.sub("", text).lower()
    changed = ocr_text is not None and ocr_text.lower() != text.lower()
    return (
        float(restored),
        math.log(max(r, eps) / max(1.0 - r, eps)) if restored else 0.0,
        t,
        float(t < 0.5),
        float(t < 0.7),
        float(t < 0.9),
        float(changed),
        float(bool(_MARKED_OR_ODD.search(text))),
        float(not any(ch.isalnum() for ch in text)),
        float(any(ch.isdigit() for ch in text)),
        float(letters > 0 and ortho.is_valid_syllable(core)),
        line_mean / 100.0,
        page_mean / 100.0,
        min(letters, 8) / 4.0,
    )


FEATURES = (
    "restored",
    "logit_restore",
    "ocr_conf",
    "ocr_conf<50",
    "ocr_conf<70",
    "ocr_conf<90",
    "changed",
    "marked_or_odd_glyph",
    "no_alnum",
    "digit",
    "valid_syllable",
    "line_mean",
    "page_mean",
    "letters/4",
)

# fitted by scripts/fit_page_confidence.py (intercept, then one weight per FEATURES entry)
WEIGHTS: tuple[float, ...] = (
    -6.6898,  # intercept
    -4.2725,  # restored
    0.6918,  # logit_restore
    2.3068,  # ocr_conf
    0.8006,  # ocr_conf<50
    -0.1561,  # ocr_conf<70
    -1.9748,  # ocr_conf<90
    1.2603,  # changed
    -0.7289,  # marked_or_odd_glyph
    1.3972,  # no_alnum
    -0.7551,  # digit
    0.1161,  # valid_syllable
    6.0425,  # line_mean
    4.9338,  # page_mean
    -0.106,  # letters/4
)
assert len(WEIGHTS) == len(FEATURES) + 1

# A word Tesseract all but rejected (confidence under REJECTED_BELOW) is right about as
# often as REJECTED_RIGHT (26 of 41 on the tuning sets' 200/150-dpi photocopies): it is
# never more sure than that. The model above weighs a good page's line and page means so
# much that a new user's speck read "mm" at Tesseract confidence 0 got 0.875, unflagged.
REJECTED_BELOW = 10.0
REJECTED_RIGHT = 0.63
# Specks read as print: a character no administrative document prints ("_", "~", "¬",
# "ˆ"), a hyphen joining two words in small letters ("tích-gieo": a speck between them),
# a full stop or comma glued before a word (".địa"). A new user's photocopies had ten
# such words, right in none, at 0.96-0.99 from the model (it saw few of them): they are
# no more sure than a rejected word.
_SPECK_READ = re.compile(r"[_~¬ˆ`|¦]|[a-zà-ỹđ]-[a-zà-ỹđ]|^[.,][^\W\d_]")


def probability(x: Sequence[float], weights: Sequence[float] = WEIGHTS) -> float:
    """The model's probability that the word is right, from its `features`."""
    z = weights[0] + sum(w * v for w, v in zip(weights[1:], x, strict=True))
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _mean_confidence(words: Sequence[Word]) -> float:
    confs = [w.confidence for w in words if w.confidence >= 0]
    return sum(confs) / len(confs) if confs else 100.0


def page_features(page: Page) -> list[tuple[float, ...]]:
    """`features` of every word of `page`, in reading order."""
    page_mean = _mean_confidence(page.words)
    out = []
    for line in page.lines:
        line_mean = _mean_confidence(line.words)
        out += [features(w.text, w.ocr_text, w.confidence, w.restore_confidence,
                         line_mean, page_mean) for w in line.words]  # fmt: skip
    return out


# A date no calendar has, read from a date's figures: "ngày 237 tháng" (27), a month over
# 12 in "ngày D tháng M năm", a "30/02/2024" or a "24-02-1087" (1987). No language model
# judges figures, and Tesseract is sure of them (a new user's "ngày 237" stood at 0.94), so
# such a figure is flagged as surely wrong. Only in a date's shape: "mỗi ngày 120 lượt",
# "lương tháng 13 năm 2024", a birth date of 1890 are right.
IMPOSSIBLE_DATE_RIGHT = 0.05
_DATE_FIGURES = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEARS = range(1800, 2101)  # a dated event in an administrative text: no earlier, no later


def impossible_date(words: Sequence[str], k: int) -> bool:
    """Whether words[k] is a date's figure no calendar has: a day over 31 in "ngày N
    tháng", a month over 12 in "ngày D tháng N năm", a "dd/mm/yyyy" that is no date or
    lies outside 1800-2100."""

    def word(i: int) -> str:
        return words[i].strip(".,;:()").lower() if 0 <= i < len(words) else ""

    bare = words[k].strip(".,;:()")
    if m := _DATE_FIGURES.match(bare):
        day, month, year = (int(g) for g in m.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            return True
        return year not in _YEARS
    if not bare.isdigit():
        return False
    value = int(bare)
    if word(k - 1) == "ngày" and word(k + 1) == "tháng":
        return not 1 <= value <= 31
    full = word(k - 3) == "ngày" and word(k - 2).isdigit()  # "ngày 5 tháng 13 năm"
    return full and word(k - 1) == "tháng" and word(k + 1) == "năm" and not 1 <= value <= 12


def reviewed(page: Page) -> Page:
    """`page` (restored: its words carry `ocr_text`) with each restored word's
    `restore_confidence` replaced by the probability that the word is right, from the
    restorer's confidence and Tesseract's; a page the restore stage did not pass over is
    returned as it is. Apply once: the restorer's own value is an input."""
    if not any(w.ocr_text is not None for w in page.words):
        return page
    xs = iter(page_features(page))
    lines: list[Line] = []
    texts = [w.text for w in page.words]  # the page's words in order, for a date's shape
    k = 0
    for line in page.lines:
        words = []
        for w in line.words:
            x = next(xs)
            if w.ocr_text is not None:
                p = probability(x)
                if 0 <= w.confidence < REJECTED_BELOW or _SPECK_READ.search(w.text):
                    p = min(p, REJECTED_RIGHT)
                if impossible_date(texts, k):
                    p = min(p, IMPOSSIBLE_DATE_RIGHT)
                w = dataclasses.replace(w, restore_confidence=round(p, 4))
            k += 1
            words.append(w)
        lines.append(dataclasses.replace(line, words=words))
    return dataclasses.replace(page, lines=lines)


__all__ = [
    "FEATURES",
    "WEIGHTS",
    "features",
    "impossible_date",
    "page_features",
    "probability",
    "reviewed",
]
