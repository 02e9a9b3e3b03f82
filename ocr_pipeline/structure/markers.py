"""Lost footnote markers: find, from word geometry, where OCR dropped a superscript.

Tesseract often swallows a small raised footnote digit into the word before it: the text
reads "sơ;" or "đọng." (or "đọng”.", "định)") while the word box still spans the digit.
For a footnote whose body was found at a page bottom but whose marker was not, the
candidates are the page's body words between the neighbouring footnotes' markers (marker
n follows marker n-1 and precedes n+1). Each is scored by how much wider its box is than
its text needs (a per-page least-squares width per character, relative to its line),
low OCR confidence, a lookalike tail ("”", ")", "'") and a clause end after it; the best
word, if its score is clear, gets the superscript digit put back into its text.
"""

from __future__ import annotations

import logging
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


def _candidates(lines: list[SrcLine], model, digits: int) -> list[tuple[float, int, int]]:
    """(score, line index, word index) for every plausible marker host.

    The width excess counts up to what `digits` superscript digits can add (about half
    the line height each); more is bold type or a poor width estimate, not more evidence.
    """
    out = []
    for i, ln in enumerate(lines):
        if not ln.words:
            continue
        excess = _excess(model, ln)
        for k, (t, _b) in enumerate(ln.words):
            core, tail, punct = _core(t)
            if len(core) < 2 or not core[-2:].isalpha() or any(c.isdigit() for c in t):
                continue
            score = min(excess[k], MAX_EXCESS * digits)
            conf = ln.confidences[k] if k < len(ln.confidences) else 100.0
            if conf < 60:
                score += 0.3
            if tail and not (tail == ")" and "(" in ln.text) and not (
                    tail in "”\"" and ln.text.count("“") >= ln.text.count("”")):  # fmt: skip
                score += 0.3
            if punct or k == len(ln.words) - 1:
                score += 0.1
            out.append((score, i, k))
    return out


def restore_lost_markers(
    pages: list[list[SrcLine]], missing: list[dict], bounds: dict[int, tuple]
) -> int:
    """Put superscripts back for `missing` footnotes ({"number", ...}).

    `bounds[n]` = (page, y_from, y_to, regions): marker n lies on that page between these
    y values (from the neighbouring markers' nodes), inside one of the `regions` boxes
    (the body nodes). Returns how many markers were placed.
    """
    placed = 0
    by_number = {p[0].page: p for p in pages if p}
    for fn in sorted(missing, key=lambda f: f["number"]):
        n = fn["number"]
        page, y_from, y_to, regions = bounds[n]
        lines = by_number.get(page)
        if not lines or not any(ln.words for ln in lines):
            continue
        model = _width_model(lines)
        if model is None:
            continue
        cands = []
        for score, i, k in _candidates(lines, model, len(str(n))):
            b = lines[i].words[k][1]
            cy = (b[1] + b[3]) / 2
            cx = (b[0] + b[2]) / 2
            inside = any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in regions)
            if y_from < cy < y_to and inside:
                cands.append((score, i, k))
        if not cands:
            continue
        cands.sort(reverse=True)
        score, i, k = cands[0]
        if score < MIN_SCORE or (len(cands) > 1 and score - cands[1][0] < 0.1):
            best = [(round(s, 2), lines[a].words[b][0]) for s, a, b in cands[:4]]
            log.debug("footnote %d: no clear lost marker (best %s)", n, best)
            continue
        ln = lines[i]
        word, box = ln.words[k]
        core, _tail, punct = _core(word)
        sup = "".join(SUPERSCRIPTS[int(d)] for d in str(n))
        ln.words[k] = (core + sup + punct, box)
        ln.text = fix_ocr_label(squash(" ".join(t for t, _ in ln.words)))
        log.info("footnote %d: lost marker put back after %r (score %.2f)", n, core, score)
        placed += 1
        for m in range(n + 1, n + 50):  # later markers come after this one
            if m in bounds and bounds[m][0] == page:
                y_m = max(bounds[m][1], (box[1] + box[3]) / 2 - 1)
                bounds[m] = (page, y_m, *bounds[m][2:])
    return placed
