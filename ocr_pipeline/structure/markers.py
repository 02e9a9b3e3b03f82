"""Lost footnote markers: find, from word geometry, where OCR dropped a superscript.

Tesseract often swallows a small raised footnote digit into the word before it: the text
reads "sơ;" or "đọng." (or "đọng”.", "định)") while the word box still spans the digit.
For the footnotes whose bodies were found at a page bottom but whose markers were not,
the candidates are the page's body words between the neighbouring found markers (marker n
follows marker n-1 and precedes n+1) and above the footnote block. A word ending in
letters is scored by how much wider its box is than its text needs (a per-page
least-squares width per character, relative to its line), low OCR confidence, a lookalike
tail ("”", ")", "'") and a clause end after it. A number or date whose last digit is the
footnote number may host it too: the marker was read as a flat digit ("25/02/2026¹." ->
"25/02/20261."); that counts as strong evidence only when the value with the digit is
impossible and valid without it (a five-digit year, a day over 31, a thousands group of
four digits), and otherwise needs a box too wide even for the extra digit and a low
confidence.

The lost markers of one page are placed jointly: footnotes in number order go to distinct
candidates in reading order (an order-preserving assignment by dynamic programming,
maximising the summed score above MIN_SCORE). So with markers n and n+1 both lost, n
cannot take the word that carries n+1. A placement is kept only if moving that footnote
to any other candidate (the others re-assigned) costs at least MARGIN.
"""

from __future__ import annotations

import logging
import re
import statistics
import unicodedata

import numpy as np

from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.lines import fix_ocr_label
from ocr_pipeline.structure.text import SUPERSCRIPTS, squash

log = logging.getLogger(__name__)

_TAIL_PUNCT = ".,;:!?…"
_LOOKALIKE_TAIL = "”\"’')*°"
MIN_SCORE = 0.3  # in units of the line's median word height (plus bonuses)
MAX_EXCESS = 0.5  # width one superscript digit can add, in line heights
MARGIN = 0.1  # a placement must beat the best alternative by this much
WEAK_EXCESS = 0.3  # a plausible number gives up its last digit only with a box this wide
WEAK_CONF = 90.0  # ... and read at lower confidence than this
_NUMBERISH = re.compile(r"(?:[IVX]{1,4}/)?[0-9][0-9./,-]*")
_QUARTERS = {"I", "II", "III", "IV"}


def _base(ch: str) -> str:
    d = unicodedata.normalize("NFD", ch)
    if "\u031b" in d:  # the horn widens ư, ơ
        return d[0] + "\u031b"
    return {"đ": "d", "Đ": "D"}.get(d[:1], d[:1])


def _line_height(ln: SrcLine) -> float:
    return statistics.median(b[3] - b[1] for _, b in ln.words) or 1.0


def _width_model(lines: list[SrcLine]) -> tuple[dict[str, int], np.ndarray] | None:
    rows: list[tuple[str, float]] = []
    for ln in lines:
        mh = _line_height(ln)
        for k, (t, b) in enumerate(ln.words):
            conf = ln.confidences[k] if k < len(ln.confidences) else 100.0
            if conf >= 80 and t:
                rows.append((t, (b[2] - b[0]) / mh))
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


def _excess(model, ln: SrcLine) -> list[float]:
    keys, x = model
    mh = _line_height(ln)
    preds, widths = [], []
    for t, b in ln.words:
        pred = sum(float(x[keys[_base(c)]]) if _base(c) in keys else 0.5 for c in t)
        preds.append(max(pred, 0.1))
        widths.append((b[2] - b[0]) / mh)
    scale = statistics.median(w / p for w, p in zip(widths, preds, strict=True))  # bold type
    return [w - p * scale for w, p in zip(widths, preds, strict=True)]


def _core(word: str) -> tuple[str, str, str]:
    """ "đọng”." -> ("đọng", "”", "."): letters, lookalike tail, punctuation."""
    end = len(word)
    while end and word[end - 1] in _TAIL_PUNCT:
        end -= 1
    punct = word[end:]
    mid = end
    while mid and word[mid - 1] in _LOOKALIKE_TAIL:
        mid -= 1
    return word[:mid], word[mid:end], punct


def _letter_score(ln: SrcLine, k: int, excess: float, digits: int) -> float | None:
    """Score of a word ending in letters as the host of a swallowed superscript."""
    t = ln.words[k][0]
    core, tail, punct = _core(t)
    if len(core) < 2 or not core[-2:].isalpha() or any(c.isdigit() for c in t):
        return None
    score = min(excess, MAX_EXCESS * digits)
    if _conf(ln, k) < 60:
        score += 0.3
    if tail and not (tail == ")" and "(" in ln.text) and not (
            tail in "”\"" and ln.text.count("“") >= ln.text.count("”")):  # fmt: skip
        score += 0.3
    if punct or k == len(ln.words) - 1:
        score += 0.1
    return score


def _conf(ln: SrcLine, k: int) -> float:
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
    if head.isdigit() and prev == "năm" and len(core) == 5 and _valid_date(["1", head]):
        return "strong"
    if head.isdigit() and prev == "ngày" and 1 <= int(head) <= 31 < int(core):
        return "strong"
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", head) and re.fullmatch(r"\d{1,3}(\.\d{3})+\d+", core):
        return "strong"  # "38.600" + "1": a last group of four digits is no number
    if re.fullmatch(r"\d+([.,]\d+)*", core):
        return "weak"
    return None


def _number_score(ln: SrcLine, k: int, excess: float, number: int) -> float | None:
    """Score of a number/date word whose last digit may be marker `number` read flat."""
    prev = ln.words[k - 1][0] if k else ""
    kind = glued_number_evidence(prev, ln.words[k][0], number)
    if kind == "strong":
        return 1.0
    if kind == "weak" and excess >= WEAK_EXCESS and _conf(ln, k) < WEAK_CONF:
        return min(excess, MAX_EXCESS)  # a box too wide even for the extra digit
    return None


def _split_host(word: str, number: int) -> str:
    """The host word with marker `number` written as a superscript."""
    sup = "".join(SUPERSCRIPTS[int(d)] for d in str(number))
    core = word.rstrip(_TAIL_PUNCT)
    punct = word[len(core):]
    if core[-1:].isdigit():  # "25/02/20261." -> "25/02/2026¹."
        return core[: -len(str(number))] + sup + punct
    letters, _tail, punct = _core(word)
    return letters + sup + punct


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


def _solve_page(lines: list[SrcLine], notes: list[int], bounds: dict[int, tuple]) -> dict:
    """{footnote number: (line index, word index, score)} for the page's lost markers."""
    model = _width_model(lines)
    if model is None:
        return {}
    cands: list[tuple[int, int]] = []  # words in reading order
    scores: list[dict[int, float]] = [{} for _ in notes]  # per note: candidate -> score
    for i, ln in enumerate(lines):
        if not ln.words:
            continue
        excess = _excess(model, ln)
        for k, (_t, b) in enumerate(ln.words):
            cy, cx = (b[1] + b[3]) / 2, (b[0] + b[2]) / 2
            row = {}
            for j, n in enumerate(notes):
                _page, y_from, y_to, regions = bounds[n]
                if not (y_from < cy < y_to and any(
                        r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in regions)):  # fmt: skip
                    continue
                s = _letter_score(ln, k, excess[k], len(str(n)))
                if s is None:
                    s = _number_score(ln, k, excess[k], n)
                if s is not None:
                    row[j] = s
            if row:
                for j, s in row.items():
                    scores[j][len(cands)] = s
                cands.append((i, k))
    gains = [{c: s for c, s in sc.items() if s >= MIN_SCORE} for sc in scores]
    total, chosen = _assign(gains, len(cands))
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
        other = [{c2: s for c2, s in g.items() if c2 != c} if jj == j else g
                 for jj, g in enumerate(gains)]  # fmt: skip
        alt, _ = _assign(other, len(cands))
        free = [s for c2, s in scores[j].items() if c2 != c and c2 not in chosen]
        margin = min(total - alt, scores[j][c] - max(free, default=float("-inf")))
        if margin < MARGIN:
            log.debug("footnote %d: lost marker not clear (%r, margin %.2f)", n,
                      lines[cands[c][0]].words[cands[c][1]][0], margin)
            continue
        out[n] = (*cands[c], scores[j][c])
    return out


def restore_lost_markers(
    pages: list[list[SrcLine]], missing: list[dict], bounds: dict[int, tuple]
) -> int:
    """Put superscripts back for `missing` footnotes ({"number", ...}).

    `bounds[n]` = (page, y_from, y_to, regions): marker n lies on that page between these
    y values (from the neighbouring markers' nodes), inside one of the `regions` boxes
    (the body nodes). The lost markers of one page are placed jointly, in number order
    along the reading order. Returns how many markers were placed.
    """
    placed = 0
    by_number = {p[0].page: p for p in pages if p}
    per_page: dict[int, list[int]] = {}
    for fn in missing:
        if fn["number"] in bounds:
            per_page.setdefault(bounds[fn["number"]][0], []).append(fn["number"])
    for page, notes in sorted(per_page.items()):
        lines = by_number.get(page)
        if not lines or not any(ln.words for ln in lines):
            continue
        for n, (i, k, score) in sorted(_solve_page(lines, sorted(notes), bounds).items()):
            ln = lines[i]
            word, box = ln.words[k]
            ln.words[k] = (_split_host(word, n), box)
            ln.text = fix_ocr_label(squash(" ".join(t for t, _ in ln.words)))
            log.info("footnote %d: lost marker put back after %r (score %.2f)", n, word, score)
            placed += 1
    return placed
