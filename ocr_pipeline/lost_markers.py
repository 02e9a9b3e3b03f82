"""Lost footnote markers: put back, from word geometry, the superscripts OCR dropped.

A layout repair over a document's pages (`model.Page`), run on the pages the structure
stage reads: `place_lost_markers(pages, search)` returns the pages with `Word.marker` set
on the words that host a lost marker. What to look for comes from the structure's reading
of the footnotes (`MarkerSearch`: the footnotes whose bodies were found at a page bottom
but whose markers were not, and where each marker may sit: `structure.markers`); the
placement itself is geometry and lives here.

Tesseract often swallows a small raised footnote digit into the word before it: the text
reads "sơ;" or "đọng." (or "đọng”.", "định)") while the word box still spans the digit.
For the footnotes whose bodies were found at a page bottom but whose markers were not,
the candidates are the page's body words between the neighbouring found markers (marker
n follows marker n-1 and precedes n+1) and above the footnote block. A word ending in
letters is scored by how much wider its box is than its text needs (a per-page
least-squares width per character, relative to its line), low OCR confidence, a
lookalike tail ("”", ")", "'") and a clause end after it. A number or date whose last
digit is the footnote number may host it too: the marker was read as a flat digit
("25/02/2026¹." -> "25/02/20261."); that counts as strong evidence only when the value
with the digit is impossible and valid without it (a five-digit year after "năm" or a
range dash, a day over 31, a thousands group of four digits), and otherwise needs a box
too wide even for the extra digit and a low confidence. Such an impossible number may
carry another footnote's marker read as the wrong digit ("20263" for ²), as may a
letters word with a number already linked glued on ("đồng3;" for ⁸), a number followed
by a lookalike ("2026?"), a rare tail ("bản®"), a lone "?"/"!" ending a line or followed
by a lower-case word ("xã? và") or before punctuation ("lên?.": "?" is likeliest ², "!"
¹), or a closing quote never opened on its line or the two above (MISREAD score). A
percentage ("94%;") is scored like a word of letters. A box running into the next word's
box counts only up to it (a Tesseract box artefact, not a digit). Words holding found
markers are skipped; a glued marker of a footnote whose body OCR lost ("tích4.",
"93,1%3;" with no body 4 / 3; at most one past the found numbers) is an anchor: lower
footnotes go before it, higher after. A heading label hosts no marker
(`MarkerSearch.labels`).

The lost markers of one page are placed jointly: footnotes in number order go to
distinct candidates in reading order (an order-preserving assignment by dynamic
programming, maximising the summed score above MIN_SCORE). So with markers n and n+1
both lost, n cannot take the word that carries n+1. A placement is kept only if moving
that footnote to any other candidate (the others re-assigned) costs at least MARGIN.

The host word keeps its text without what OCR made of the marker (the lookalike "?" or
"”", the flat digit) and gets the marker as `Word.marker`; words are read as printed
(`Word.marked_text`, NFC), as the structure stage reads them.
"""

from __future__ import annotations

import logging
import re
import statistics
import unicodedata
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import numpy as np

from ocr_pipeline.footnote_markers import (
    DIGIT_SHAPES,
    MARKER_DIGITS,
    RARE_TAIL,
    SWALLOWED_TAIL,
    WILD_MARK,
    decode,
    encode,
    is_unit,
)
from ocr_pipeline.model import BBox, Page, Word
from ocr_pipeline.text import nfc

log = logging.getLogger(__name__)

_TAIL_PUNCT = ".,;:!?…"
MIN_SCORE = 0.3  # in units of the line's median word height (plus bonuses)
MAX_EXCESS = 0.5  # width one superscript digit can add, in line heights
MARGIN = 0.1  # a placement must beat the best alternative by this much
WEAK_EXCESS = 0.3  # a plausible number gives up its last digit only with a box this wide
WEAK_CONF = 90.0  # ... and read at lower confidence than this
_GLUED_DIGITS = re.compile(  # "đồng3;", "93,1%3;", or "đồng³;" as restore writes it
    rf"([^\W\d_{MARKER_DIGITS}]{{2,}}|[\d.,]*\d%)(\d{{1,2}}|[{MARKER_DIGITS}]{{1,2}})([.,;:!?…”\")]*)"
)
_NUMBERISH = re.compile(r"(?:[IVX]{1,4}/)?[0-9][0-9./,-]*")
_QUARTERS = {"I", "II", "III", "IV"}
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?%")
_YEAR_BEFORE = {"năm", "-", "–", "đến"}  # words a year follows
ANCHOR = 5.0  # a glued marker of a footnote whose body was lost: placed first
MISREAD = 0.6  # a marker read as another digit, or as a lookalike after a number
SHAPE = 0.2  # a "?" for ² / "!" for ¹ over the same mark for another number
_NUMBER_LOOKALIKE = re.compile(  # "2026G?.", "37,8%?)"
    r"(\d+(?:[./,-]\d+)*%?)([A-Za-z]?[?!*°])([.,;:)]?)"
)


Bound = tuple[int, float, float, list[list[int]]]  # (page, y_from, y_to, body boxes)


@dataclass(frozen=True)
class MarkerSearch:
    """What to look for, from the structure's reading of the footnotes.

    `wanted`: the footnotes whose markers are to be placed (bodies found, markers not;
    with those linked only from a lookalike mark when `soft`, placed again jointly);
    `bounds[n]` for every footnote whose body was found: marker n lies on page `page`
    between `y_from` and `y_to`, inside one of the boxes (the body text's lines);
    `labels[(page, i)]`: how many words open line i of that page as a heading label (they
    host no marker; i counts the page's lines that have words).
    """

    wanted: frozenset[int]
    bounds: Mapping[int, Bound]
    labels: Mapping[tuple[int, int], int]
    soft: bool = False


@dataclass(frozen=True)
class _Line:
    """A page line as the search reads it: words as printed, their boxes, confidences."""

    page: int
    words: list[tuple[str, BBox]]
    confidences: list[float]
    text: str


def _lines(page: Page) -> list[_Line]:
    """The page's lines that have words, their words as printed (marker included)."""
    out = []
    for line in page.lines:
        if line.words:
            words = [(nfc(w.marked_text), w.bbox) for w in line.words]
            text = " ".join(" ".join(t for t, _ in words).split())
            out.append(_Line(page.number, words, [w.confidence for w in line.words], text))
    return out


def _base(ch: str) -> str:
    d = unicodedata.normalize("NFD", ch)
    if "\u031b" in d:  # the horn widens ư, ơ
        return d[0] + "\u031b"
    return {"đ": "d", "Đ": "D"}.get(d[:1], d[:1])


def _line_height(ln: _Line) -> float:
    return statistics.median(b.height for _, b in ln.words) or 1.0


def _width_model(lines: list[_Line]) -> tuple[dict[str, int], np.ndarray] | None:
    rows: list[tuple[str, float]] = []
    for ln in lines:
        mh = _line_height(ln)
        for k, (t, b) in enumerate(ln.words):
            conf = ln.confidences[k] if k < len(ln.confidences) else 100.0
            if conf >= 80 and t:
                rows.append((t, b.width / mh))
    if len(rows) < 30:
        return None
    keys: dict[str, int] = {}
    for t, _ in rows:
        for ch in t:
            keys.setdefault(_base(ch), len(keys))
    a = np.zeros((len(rows), len(keys)))
    for i, (t, _) in enumerate(rows):
        for ch in t:
            a[i, keys[_base(ch)]] += 1
    x, *_ = np.linalg.lstsq(a, np.array([w for _, w in rows]), rcond=None)
    return keys, x


def _excess(model, ln: _Line) -> list[float]:
    keys, x = model
    mh = _line_height(ln)
    preds, widths = [], []
    for k, (t, b) in enumerate(ln.words):
        pred = sum(float(x[keys[_base(c)]]) if _base(c) in keys else 0.5 for c in t)
        preds.append(max(pred, 0.1))
        # a box running into the next word's is a box artefact, not a swallowed digit:
        # only the part up to the next word counts
        right = min(b.right, ln.words[k + 1][1].left) if k + 1 < len(ln.words) else b.right
        widths.append(max(right - b.left, 1) / mh)
    scale = statistics.median(w / p for w, p in zip(widths, preds, strict=True))  # bold type
    return [w - p * scale for w, p in zip(widths, preds, strict=True)]


def _core(word: str) -> tuple[str, str, str]:
    """ "đọng”." -> ("đọng", "”", "."): letters, lookalike tail, punctuation."""
    end = len(word)
    while end and word[end - 1] in _TAIL_PUNCT:
        end -= 1
    punct = word[end:]
    mid = end
    while mid and word[mid - 1] in SWALLOWED_TAIL:
        mid -= 1
    return word[:mid], word[mid:end], punct


def _letter_score(
    ln: _Line, k: int, excess: float, digits: int, before: str = "", number: int = 0
) -> float | None:
    """Score of a word ending in letters as the host of a swallowed superscript.

    `before` is the text of the lines just above on the page: a closing quote with no
    opening quote in them nor earlier on its line is a superscript read as "”" (MISREAD),
    and so is a ")" with no "(" there.
    """
    t = ln.words[k][0]
    core, tail, punct = _core(t)
    if _PERCENT.fullmatch(core) and not tail:  # "94%;" with ⁴ swallowed: width, confidence
        return min(excess, MAX_EXCESS * digits) + (0.3 if _conf(ln, k) < 60 else 0.0)
    if len(core) < 2 or not core[-2:].isalpha() or any(c.isdigit() for c in t):
        return None
    score = min(excess, MAX_EXCESS * digits)
    if _conf(ln, k) < 60:
        score += 0.3
    if tail:  # the tail's own width is no sign of a lost digit either way
        score = max(score, 0.0)
    if tail and tail[-1] in RARE_TAIL:
        score += MISREAD  # "bản®": no Vietnamese word ends in these
    elif tail and not (tail == ")" and "(" in ln.text) and not (
            tail in "”\"" and ln.text.count("“") >= ln.text.count("”")):  # fmt: skip
        opened = "“" in before or '"' in before or any(
            q in w for w, _ in ln.words[:k] for q in "“\"")  # fmt: skip
        unmatched = tail == ")" and "(" not in before  # "ngày)," with no "(" open
        score += MISREAD if (tail in '”"' and not opened) or unmatched else 0.3
    elif not tail and punct[:1] in ("?", "!") and (
            len(punct) > 1 or k == len(ln.words) - 1
            or ln.words[k + 1][0][:1].islower()):  # fmt: skip
        # "chiến dịch?" ending a line, "xã? và", "lên?.": ⁵ read as "?" (no question goes
        # on in lower case, none ends "?."); "?" looks most like ², "!" like ¹ (SHAPE)
        score = max(score, 0.0) + 0.5 + (SHAPE if DIGIT_SHAPES.get(punct[0]) == number else 0.0)
    if punct or k == len(ln.words) - 1:
        score += 0.1
    return score


def _conf(ln: _Line, k: int) -> float:
    return ln.confidences[k] if k < len(ln.confidences) else 100.0


def _valid_date(parts: list[str]) -> bool:
    """d/m/yyyy, d/m/yy or m/yyyy (a roman quarter counts as the first part of m/yyyy)."""

    def year(s: str) -> bool:
        return (len(s) == 4 and 1900 <= int(s) <= 2100) or len(s) == 2

    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return 1 <= int(parts[0]) <= 31 and 1 <= int(parts[1]) <= 12 and year(parts[2])
    if len(parts) == 2 and parts[1].isdigit() and len(parts[1]) == 4:
        first = parts[0]
        month = first.isdigit() and 1 <= int(first) <= 12
        return (month or first in _QUARTERS) and year(parts[1])
    return False


def glued_number_evidence(prev: str, word: str, number: int) -> str | None:
    """Does `word` read as a number or date with marker `number` glued on as a digit?

    "strong": the value with the tail digit is impossible and without it valid: a date
    whose year has five digits ("25/02/20261." for 25/02/2026¹), "năm 20261", "ngày 251",
    a thousands group of four digits ("38.6001"). "weak": a plain number ending in the
    digit (only width and confidence can tell). None: not a candidate (no number, other
    last digits, or the tail is the whole number).
    """
    core = word.rstrip(_TAIL_PUNCT)
    tail = str(number)
    m = _NUMBERISH.fullmatch(core)
    if not m or not core.endswith(tail) or len(core) <= len(tail):
        return None
    head = core[: -len(tail)]
    if not head[-1:].isdigit():
        return None
    parts, head_parts = re.split(r"[/.-]", core), re.split(r"[/.-]", head)
    if "/" in core or core.count("-") >= 2:
        if _valid_date(head_parts) and not _valid_date(parts):
            return "strong"
        return None  # a ratio ("15/61") or a code: leave it
    prev = prev.lower()
    if head.isdigit() and prev in _YEAR_BEFORE and len(core) == 5 and _valid_date(["1", head]):
        return "strong"  # "năm 20261", "2026 - 20301": a year with a fifth digit
    if head.isdigit() and prev == "ngày" and 1 <= int(head) <= 31 < int(core):
        return "strong"
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", head) and re.fullmatch(r"\d{1,3}(\.\d{3})+\d+", core):
        return "strong"  # "38.600" + "1": a last group of four digits is no number
    if re.fullmatch(r"\d+([.,]\d+)*", core):
        return "weak"
    return None


def _number_score(
    ln: _Line, k: int, excess: float, number: int, linked: AbstractSet[int] = frozenset()
) -> float | None:
    """Score of a number/date word whose last digit may be marker `number` read flat.

    A number that is impossible with its last digit and valid without it carries a marker
    even when that digit is not `number` (Tesseract reads ² as 3): MISREAD, for a one-digit
    footnote, and a sure one (1.0) when that digit's own footnote is `linked` elsewhere
    ("năm 20275" with ⁵ found: ⁶ read as 5); so does a number followed by a lookalike
    ("15/12/2026?", "mức độ 2°.").
    """
    prev = ln.words[k - 1][0] if k else ""
    word = ln.words[k][0]
    kind = glued_number_evidence(prev, word, number)
    if kind == "strong":
        return 1.0
    if kind == "weak" and excess >= WEAK_EXCESS and _conf(ln, k) < WEAK_CONF:
        return min(excess, MAX_EXCESS)  # a box too wide even for the extra digit
    core = word.rstrip(_TAIL_PUNCT)
    if number < 10 and core[-1:].isdigit() and core[-1] != str(number):
        if glued_number_evidence(prev, word, int(core[-1])) == "strong":
            return 1.0 if int(core[-1]) in linked else MISREAD
    if _NUMBER_LOOKALIKE.fullmatch(word):
        return MISREAD
    return None


def _hosted(word: Word, number: int) -> Word:
    """`word` (read as printed) hosting marker `number`: its text without what OCR made of
    the marker, the marker in `Word.marker`, the punctuation after it in `marker_tail`."""
    printed = _split_host(nfc(word.marked_text), number)
    at = printed.rfind(encode(number))
    end = at + len(encode(number))
    text, tail = printed[:at] + printed[end:], printed[end:]
    return replace(word, text=text, marker=number, marker_tail=tail)


def _split_host(word: str, number: int) -> str:
    """The host word (as printed) with marker `number` written as a superscript."""
    sup = encode(number)
    m = _NUMBER_LOOKALIKE.fullmatch(word)
    if m:  # "15/12/2026?" -> "15/12/2026²"
        return m.group(1) + sup + m.group(3)
    m = _GLUED_DIGITS.fullmatch(word)
    if m:  # "đồng3;" (marker 8 read as 3) -> "đồng⁸;"
        return m.group(1) + sup + m.group(3)
    core = word.rstrip(_TAIL_PUNCT)
    punct = word[len(core) :]
    if core[-1:].isdigit():  # "25/02/20261." -> "25/02/2026¹."; "20263," read for ²
        return core[: -1 if number < 10 else -len(str(number))] + sup + punct
    letters, _tail, punct = _core(word)
    if punct[:1] in ("?", "!"):  # the lookalike itself: "dịch?" -> "dịch⁵", "lên?." -> "lên⁵."
        punct = punct[1:]
    return letters + sup + punct


def _flat_digit(prev: str, word: str) -> int | None:
    """ "năm 20253" -> 3: a number impossible with its last digit, valid without it."""
    core = word.rstrip(_TAIL_PUNCT)
    if not core[-1:].isdigit() or glued_number_evidence(prev, word, int(core[-1])) != "strong":
        return None
    return int(core[-1])


def _glued_digits(word: str) -> int | None:
    """ "đồng3;" -> 3: a word of letters with digits glued on (a marker read flat); not a
    unit with its exponent ("km2")."""
    m = _GLUED_DIGITS.fullmatch(word)
    if not m:
        return None
    digits = m.group(2)
    n = int(digits) if digits.isdigit() and digits.isascii() else decode(digits)
    return None if is_unit(word, m.start(2), n) else n


def _assign(gains: list[dict[int, float]], n_cands: int) -> tuple[float, list]:
    """Order-preserving assignment: footnote j (in number order) to candidate c (in reading
    order), distinct and increasing, maximising the summed gain `gains[j][c]`; a footnote
    may stay unassigned. Returns (total, [candidate or None per footnote]).
    """
    k = len(gains)
    # f[j][c]: best total for the first j footnotes on the first c candidates
    f = [[0.0] * (n_cands + 1) for _ in range(k + 1)]
    for j in range(1, k + 1):
        g = gains[j - 1]
        for c in range(1, n_cands + 1):
            take = f[j - 1][c - 1] + g[c - 1] if (c - 1) in g else float("-inf")
            f[j][c] = max(f[j][c - 1], f[j - 1][c], take)
    out: list = [None] * k
    j, c = k, n_cands
    while j > 0 and c > 0:
        if f[j][c] == f[j][c - 1]:
            c -= 1
        elif f[j][c] == f[j - 1][c]:
            j -= 1
        else:
            out[j - 1] = c - 1
            j, c = j - 1, c - 1
    return f[k][n_cands], out


def _solve_page(
    lines: list[_Line],
    notes: list[int],
    bounds: Mapping[int, Bound],
    context: _Context | None = None,
    labels: Mapping[tuple[int, int], int] | None = None,
) -> dict:
    """{footnote number: (line index, word index, score)} for the page's lost markers.

    `context` tells which words already carry a found marker (they host nothing else) and
    which glued digits belong to footnotes whose bodies were lost: such a word ("tích4."
    with body 4 lost) is an anchor, footnotes below 4 go before it and above 4 after it.
    """
    model = _width_model(lines)
    if model is None:
        return {}
    ctx = context or _Context(set(notes), set(), set())
    body = bounds[notes[0]][3]  # the page's body node boxes
    anchors: dict[int, list[int]] = {}  # lost-body number -> candidate indices
    cands: list[tuple[int, int]] = []  # words in reading order
    scores: list[dict[int, float]] = [{} for _ in notes]  # per note: candidate -> score
    for i, ln in enumerate(lines):
        if not ln.words:
            continue
        excess = _excess(model, ln)
        n_label = (labels or {}).get((ln.page, i), 0)
        for k, (t, b) in enumerate(ln.words):
            if (ln.page, i, k) in ctx.carriers or k < n_label:
                continue  # a heading label ("II.", "Điều 5.") hosts no marker
            glued = _glued_digits(t)
            cy, cx = (b.top + b.bottom) / 2, (b.left + b.right) / 2
            lost = glued if glued is not None else _flat_digit(ln.words[k - 1][0] if k else "", t)
            # an anchor only for a number the footnotes could reach ("20249" with bodies
            # 1-6 is ⁶ misread as 9, not body 9 lost with 7 and 8)
            if lost is not None and lost not in ctx.known and lost <= max(ctx.known) + 1:
                if any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in body):
                    anchors.setdefault(lost, []).append(len(cands))
                    cands.append((i, k))
                continue
            row = {}
            for j, n in enumerate(notes):
                _page, y_from, y_to, regions = bounds[n]
                if not (y_from < cy < y_to and any(
                        r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in regions)):  # fmt: skip
                    continue
                if glued is not None:  # a marker read as a used number ("đồng3;" for ⁸)
                    s = MISREAD if n != glued and n < 10 else None
                else:
                    above = " ".join(m.text for m in lines[max(0, i - 2) : i])
                    s = _letter_score(ln, k, excess[k], len(str(n)), above, n)
                if s is None:
                    s = _number_score(ln, k, excess[k], n, ctx.linked)
                if s is not None:
                    row[j] = s
            if row:
                for j, s in row.items():
                    scores[j][len(cands)] = s
                cands.append((i, k))
    gains = [{c: s for c, s in sc.items() if s >= MIN_SCORE} for sc in scores]
    # anchors join the assignment as notes that can only take their own glued words
    order = sorted([(n, j) for j, n in enumerate(notes)] + [(g, -1) for g in anchors])
    all_gains = [gains[j] if j >= 0 else {c: ANCHOR for c in anchors[n]} for n, j in order]
    total, chosen_all = _assign(all_gains, len(cands))
    pos = {j: p for p, (_n, j) in enumerate(order) if j >= 0}
    chosen = [chosen_all[pos[j]] for j in range(len(notes))]
    out = {}
    for j, c in enumerate(chosen):
        n = notes[j]
        if c is None:
            best = sorted(((s, c2) for c2, s in scores[j].items()), reverse=True)[:4]
            log.debug("footnote %d: no clear lost marker (best %s)", n,
                      [(round(s, 2), lines[cands[c2][0]].words[cands[c2][1]][0])
                       for s, c2 in best])  # fmt: skip
            continue
        # clear only if (a) the best assignment without this placement (the note moved to
        # another candidate above MIN_SCORE, or left out) totals at least MARGIN less, and
        # (b) no candidate the other notes left free scores within MARGIN of it
        other = [{c2: s for c2, s in g.items() if c2 != c} if p == pos[j] else g
                 for p, g in enumerate(all_gains)]  # fmt: skip
        alt, _ = _assign(other, len(cands))
        # free candidates the order allows: between the neighbouring placed notes / anchors
        lo = max((chosen_all[q] for q in range(pos[j]) if chosen_all[q] is not None),
                 default=-1)  # fmt: skip
        hi = min((chosen_all[q] for q in range(pos[j] + 1, len(order))
                  if chosen_all[q] is not None), default=len(cands))  # fmt: skip
        free = [s for c2, s in scores[j].items()
                if c2 != c and c2 not in chosen_all and lo < c2 < hi]  # fmt: skip
        margin = min(total - alt, scores[j][c] - max(free, default=float("-inf")))
        if margin < MARGIN:
            log.debug(
                "footnote %d: lost marker not clear (%r, margin %.2f; %s)",
                n,
                lines[cands[c][0]].words[cands[c][1]][0],
                margin,
                sorted(
                    (
                        (round(s, 2), lines[cands[c2][0]].words[cands[c2][1]][0])
                        for c2, s in scores[j].items()
                    ),
                    reverse=True,
                )[:4],
            )
            continue
        out[n] = (*cands[c], scores[j][c])
    return out


@dataclass
class _Context:
    known: set[int]  # footnotes whose bodies were found
    linked: set[int]  # ... and whose markers were found
    carriers: set[tuple[int, int, int]]  # (page, line, word) holding a found marker


def _context(
    pages: list[list[_Line]], known: set[int], linked: set[int], wild: bool = True
) -> _Context:
    """Which words hold the found markers: a superscript, a lookalike mark (unless `wild`
    is off: their guessed links are being placed again), or the first word (in reading
    order) with the footnote's number glued on, as extract_markers took."""
    carriers: set[tuple[int, int, int]] = set()
    taken: set[int] = set()
    for lines in pages:
        for i, ln in enumerate(lines):
            for k, (t, _b) in enumerate(ln.words):
                glued = _glued_digits(t)
                if glued in linked:  # the first such word took the marker, not later ones
                    if glued not in taken:
                        taken.add(glued)
                        carriers.add((ln.page, i, k))
                elif glued is None and (any(ch in MARKER_DIGITS for ch in t) or (
                        wild and linked and WILD_MARK.search(t))):  # fmt: skip
                    carriers.add((ln.page, i, k))
    return _Context(known, linked, carriers)


def place_lost_markers(pages: list[Page], search: MarkerSearch) -> tuple[list[Page], int]:
    """`pages` with the lost markers of `search.wanted` put back (`Word.marker` on their
    host words), and how many were placed. The lost markers of one page are placed
    jointly, in number order along the reading order; pages and lines nothing is placed
    on are kept as they are (the input is not changed)."""
    placed = 0
    views = {p.number: _lines(p) for p in pages}
    known = set(search.bounds)
    ctx = _context(list(views.values()), known, known - search.wanted, wild=not search.soft)
    per_page: dict[int, list[int]] = {}
    for n in sorted(search.wanted):
        if n in search.bounds:
            per_page.setdefault(search.bounds[n][0], []).append(n)
    hosts: dict[int, dict[tuple[int, int], int]] = {}  # page -> (view line, word) -> number
    for page, notes in sorted(per_page.items()):
        lines = views.get(page)
        if not lines:
            continue
        found = _solve_page(lines, notes, search.bounds, ctx, search.labels)
        for n, (i, k, score) in sorted(found.items()):
            hosts.setdefault(page, {})[(i, k)] = n
            log.info("footnote %d: lost marker put back after %r (score %.2f)",
                     n, lines[i].words[k][0], score)  # fmt: skip
            placed += 1
    return [_with_hosts(p, hosts[p.number]) if p.number in hosts else p for p in pages], placed


def _with_hosts(page: Page, hosts: dict[tuple[int, int], int]) -> Page:
    """`page` with marker n set on the word at (line, word) for each entry of `hosts`
    (lines counted among those that have words, as `_lines` reads them)."""
    lines, i = [], -1
    for line in page.lines:
        if line.words:
            i += 1
        mine = {k: n for (li, k), n in hosts.items() if li == i} if line.words else {}
        if not mine:
            lines.append(line)
            continue
        words = [_hosted(w, mine[k]) if k in mine else w for k, w in enumerate(line.words)]
        lines.append(replace(line, words=words))
    return replace(page, lines=lines)
