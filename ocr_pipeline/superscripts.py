"""Find footnote superscript digits next to words in the page image and set them on the words.

Tesseract mostly loses footnote markers (small raised digits after a word, "năm¹"): it drops
them, swallows them into the word, or reads them as ” ! ? ° $ or a flat digit. The evidence is
in the page image, so this stage looks there, right after OCR:

1. Binarise the grey page (Otsu) and take its connected components.
2. Per word, from the glyphs around it (a Tesseract line may join two columns on different
   baselines): the baseline (the bottom most glyphs share) and the letter height H (about
   the cap height: the median height of the glyphs clearly taller than x-height letters).
   A candidate is a component 0.45-0.8 H high (quotes ” and commas are 0.25-0.37 H), whose
   bottom is >= 0.3 H above the baseline and whose top is near the cap line, that comes
   right after a glyph at the right end of the word, and that has NO letter under it: a
   mark over a letter is a Vietnamese tone mark or circumflex (dấu sắc, huyền, hỏi, ngã,
   mũ, móc), not a marker, and no letter may follow it closely (a bracket or "./." may).
   Adjacent candidates form one group ("¹²" is two components).
3. All groups of a page are read together: each group's own ink (white around it) scaled
   to a fixed height and pasted on a strip with wide gaps, `--psm 7`, digits-only
   whitelist, `eng`. Tesseract's reading of a lone small digit depends erratically on its
   scale, so every group is pasted twice, at two heights, on the same strip (one
   Tesseract call a page, about 0.1 s); reads must agree (or only one height read a
   digit) with confidence >= 60.
4. The marker is set on the word (`Word.marker`; written out as "năm¹"), and what
   Tesseract produced for that blob when its word box covers it is taken out of the word's
   text: a lookalike (” ! ? ° ' $ ® *), a flat digit glued to letters ("trước3"), a fifth
   digit after a year ("20261"), or one letter more than the image shows ("địnhê").
   `Word.ocr_text` keeps what Tesseract read.
5. A raised number opening a line is a footnote body's number ("¹Theo ..."), which
   Tesseract reads as "!Theo", "?Số", "3Gồm" or "*Nghị" (issue 18, class 3), so the body
   is not found. The same geometry (a marker-sized raised group, no letter under or
   before it, the line's first letter right after it) finds it; it is read on the same
   strip, and written as the body's number in plain digits, a word of its own ("1",
   "Theo"), as a body opens in text.

Measured on the tuning documents (scripts/bench_structure.py scan condition, 148 markers):
143-147 inserted with the right digit, none where the page has no marker; footnote linking
0.916 -> 0.958 when the pass was added. The whole pass takes about 0.2 s a page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

import cv2
import numpy as np
from PIL import Image

from ocr_pipeline import tesseract
from ocr_pipeline.footnote_markers import MARKER_DIGITS, OCR_LOOKALIKES, TRAILING_PUNCT, attach
from ocr_pipeline.model import BBox, Line, Word

log = logging.getLogger(__name__)

# Geometry, in units of the line's letter height H (baseline to the median word top).
MIN_RAISE = 0.30  # candidate bottom at least this far above the baseline
MIN_HEIGHT, MAX_HEIGHT = 0.45, 0.80  # quotes ” and commas are about 0.25-0.37 H
MAX_WIDTH = 0.75  # one digit component
MAX_TOP_ABOVE_CAP = 0.25  # top may reach this far above the cap line
MAX_TOP_BELOW_CAP = 0.35  # ... and must start no lower than this below it
MAX_OVERLAP = 0.30  # share of its width a candidate may overlap a letter below it
MAX_GAP_AFTER_GLYPH = 0.45  # gap between the preceding glyph and the candidate
GROUP_GAP = 0.25  # gap between two digits of one marker
MIN_CONFIDENCE = 60.0  # Tesseract confidence for a digit read on the strip
READ_HEIGHTS = (24, 40)  # px a digit is scaled to for reading (see read_candidates)
#: Tesseract's arguments for the candidates' strip: one line, digits only
READ_ARGS = ("--psm", "7", "-c", "tessedit_char_whitelist=0123456789")


@dataclass(frozen=True)
class Candidate:
    """A raised blob group after word `word` of line `line` (indices into the OCR lines)."""

    line: int
    word: int
    box: BBox  # page pixels
    height: float  # the line's letter height H
    mask: np.ndarray = field(repr=False, compare=False)  # the group's ink within `box`
    glyphs: int = 0  # letters (baseline components) of the word before the group
    start: bool = False  # the group opens the line, before word `word` (a footnote body)


@dataclass(frozen=True)
class Marker:
    """A candidate read as digits with Tesseract's confidence."""

    candidate: Candidate
    digits: str
    confidence: float


def binarize(grey: np.ndarray) -> np.ndarray:
    """Ink = 255 on 0 background (Otsu)."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def line_metrics(
    tops: np.ndarray, bottoms: np.ndarray, line_height: int
) -> tuple[int, float, bool] | None:
    """(baseline, letter height H, H seen on tall glyphs) from components' tops and bottoms.

    The baseline is the bottom most glyphs share. H is about the cap height: the median
    height of the glyphs standing on it that are clearly taller than the median one
    (ascenders, capitals, digits among x-height letters), or of all of them when none is
    (a line in capitals or digits).
    """
    heights = bottoms - tops
    big = heights >= 0.2 * line_height
    if big.sum() < 2:
        return None
    b = np.sort(bottoms[big])
    tol = max(2, int(0.04 * line_height))
    counts = np.searchsorted(b, b + tol, side="right") - np.searchsorted(b, b - tol, side="left")
    base = int(_sorted_median(b[counts == counts.max()]))
    on = big & (np.abs(bottoms - base) <= tol)
    if not on.any():
        return None
    hs = np.sort(heights[on])
    med = _sorted_median(hs)
    tall = hs[np.searchsorted(hs, 1.2 * med) :]
    h = _sorted_median(tall) if len(tall) else med
    return (base, h, len(tall) > 0) if h >= 8 else None


def _sorted_median(values: np.ndarray) -> float:
    """np.median of an already sorted, non-empty array (called per word: np.median's
    overhead was a third of the candidate search)."""
    n = len(values)
    if n % 2:
        return float(values[n // 2])
    return (float(values[n // 2 - 1]) + float(values[n // 2])) / 2


def _components(ink: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats` of the page, its labels in 16 bits when they fit
    (a page's label image is its largest array: 35 MB in 32 bits at 300 dpi)."""
    try:  # OpenCV refuses, rather than wraps, more labels than 16 bits hold
        return cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_32S)


def find_candidates(ink: np.ndarray, lines: list[Line]) -> list[Candidate]:
    """Raised small blob groups at the right end of words (see the module docstring)."""
    n, labels, stats, _ = _components(ink)
    if n <= 1:
        return []
    st = stats[1:]
    left, top, width, height, area = (st[:, k] for k in range(5))
    right, bottom = left + width, top + height
    out: list[Candidate] = []
    cx = (left + right) / 2
    for li, line in enumerate(lines):
        lb = line.bbox
        lh = lb.bottom - lb.top
        sel = np.nonzero(
            (right > lb.left - 1) & (left < lb.right + 0.5 * lh) & (bottom > lb.top - 0.3 * lh)
            & (top < lb.bottom + 0.2 * lh)
        )[0]  # fmt: skip
        mid = (top[sel] + bottom[sel]) / 2
        inside = sel[(mid >= lb.top) & (mid <= lb.bottom)]
        whole = line_metrics(top[inside], bottom[inside], lh)
        for wi, word in enumerate(line.words):
            wb = word.bbox
            # Metrics from the glyphs around the word: a Tesseract line may join two columns
            # set in different sizes on different baselines.
            near = inside[(cx[inside] >= wb.left - 6 * lh) & (cx[inside] <= wb.right + 6 * lh)]
            metrics = line_metrics(top[near], bottom[near], lh)
            if metrics is None:
                continue
            base, h, tall = metrics
            if not tall and whole is not None and whole[2] and abs(whole[0] - base) <= 0.1 * lh:
                h = max(h, whole[1])  # no ascender nearby ("mã số vùng"): the line's H
            if wi == 0:  # a footnote body's raised number opening the line
                zone = sel[(cx[sel] > wb.left - 0.6 * h) & (cx[sel] < wb.right)]
                first = _start_group(zone, near, base, h, st)
                if first is not None:
                    gl, gr = int(left[first].min()), int(right[first].max())
                    gt, gb = int(top[first].min()), int(bottom[first].max())
                    mask = np.isin(labels[gt:gb, gl:gr], first + 1)
                    out.append(Candidate(li, 0, BBox(gl, gt, gr, gb), h, mask, start=True))
            end = wb.right + 0.6 * h
            if wi + 1 < len(line.words):
                end = min(end, line.words[wi + 1].bbox.left)
            zone = sel[(cx[sel] > wb.left) & (cx[sel] < end)]
            group = _end_group(zone, near, base, h, st, wb)
            if group is None:
                continue
            gl, gr = int(left[group].min()), int(right[group].max())
            gt, gb = int(top[group].min()), int(bottom[group].max())
            mask = np.isin(labels[gt:gb, gl:gr], group + 1)  # stats dropped the background
            on_base = near[(bottom[near] >= base - 0.15 * h) & (height[near] >= 0.55 * h)]
            glyphs = int(((cx[on_base] >= wb.left) & (cx[on_base] < gl)).sum())
            out.append(Candidate(li, wi, BBox(gl, gt, gr, gb), h, mask, glyphs))
    return out


def _raised(zone: np.ndarray, base: int, h: float, st: np.ndarray) -> np.ndarray:
    """The components of `zone` raised and sized as a footnote marker on a line of x-height
    `h` whose baseline is `base` (rows of the component stats `st`)."""
    left, top, width, height, area = (st[:, k] for k in range(5))
    bottom = top + height
    cap = base - h
    return zone[
        (bottom[zone] <= base - MIN_RAISE * h)
        & (height[zone] >= MIN_HEIGHT * h) & (height[zone] <= MAX_HEIGHT * h)
        & (width[zone] <= MAX_WIDTH * h)
        & (top[zone] >= cap - MAX_TOP_ABOVE_CAP * h) & (top[zone] <= cap + MAX_TOP_BELOW_CAP * h)
        & (area[zone] >= 0.03 * h * h)
    ]  # fmt: skip


def _end_group(
    zone: np.ndarray, near: np.ndarray, base: int, h: float, st: np.ndarray, wb: BBox
) -> np.ndarray | None:
    """Component ids (rows of `st`) of the raised group ending word `wb`, or None."""
    left, top, width, height = (st[:, k] for k in range(4))
    right, bottom = left + width, top + height
    # Letters stand on the baseline (or descend) and are most of an x-height high (not , .)
    body = near[(bottom[near] >= base - 0.15 * h) & (height[near] >= 0.55 * h)]
    raised = _raised(zone, base, h, st)
    keep = []
    for c in raised:
        ov = np.minimum(right[body], right[c]) - np.maximum(left[body], left[c])
        if not (ov > MAX_OVERLAP * width[c]).any():  # else a mark over a letter: a diacritic
            keep.append(int(c))
    if not keep:
        return None
    keep.sort(key=lambda c: left[c])
    group = [keep[-1]]  # the word's last raised group
    for c in reversed(keep[:-1]):
        if left[group[0]] - right[c] > GROUP_GAP * h:
            break
        group.insert(0, c)
    g = np.array(group)
    gl, gr = left[g].min(), right[g].max()
    # right after a glyph ...
    if not ((right[body] <= gl + 0.2 * h) & (right[body] >= gl - MAX_GAP_AFTER_GLYPH * h)).any():
        return None
    # ... and no letter right after it inside the word (a bracket, taller than letters, may
    # follow; a glyph further on, such as the "/" of "theo⁷)./.", is no letter of it)
    after = body[(left[body] >= gr - 0.1 * h) & (left[body] < max(wb.right, gr) - 0.1 * h)
                 & (left[body] <= gr + MAX_GAP_AFTER_GLYPH * h)
                 & (height[body] <= 1.15 * h)]  # fmt: skip
    return None if len(after) else g


def _start_group(
    zone: np.ndarray, near: np.ndarray, base: int, h: float, st: np.ndarray
) -> np.ndarray | None:
    """Component ids of a raised group opening a line ("¹Theo ..."), or None: raised and
    sized as a marker (as in `_end_group`), with no letter under or before it, and the
    line's first letter right after it."""
    left, top, width, height = (st[:, k] for k in range(4))
    right, bottom = left + width, top + height
    body = near[(bottom[near] >= base - 0.15 * h) & (height[near] >= 0.55 * h)]
    if not len(body):
        return None
    raised = _raised(zone, base, h, st)
    first_letter = int(left[body].min())
    keep = sorted((int(c) for c in raised if right[c] <= first_letter + 0.1 * h),
                  key=lambda c: left[c])  # fmt: skip
    if not keep:
        return None
    group = [keep[0]]  # the line's first raised group
    for c in keep[1:]:
        if left[c] - right[group[-1]] > GROUP_GAP * h:
            break
        group.append(c)
    g = np.array(group)
    gr = right[g].max()
    if first_letter - gr > MAX_GAP_AFTER_GLYPH * h or first_letter < left[g].min():
        return None
    return g


def read_candidates(
    grey: np.ndarray, candidates: list[Candidate], *, lang: str = "eng",
    timeout: float | None = None, page_number: int = 0,
) -> list[tuple[str, float]]:  # fmt: skip
    """Read every candidate crop as digits: (digits, confidence) each, "" if unread.

    Tesseract's reading of a lone small digit depends erratically on its scale (a 5 or a
    blurred 3 may vanish at one size and read fine at another), so each crop is read at
    each of READ_HEIGHTS, all on one strip: one Tesseract call a page. Reads that agree
    count with their best confidence; a digit only one height saw keeps its confidence;
    disagreeing reads are dropped.
    """
    if not candidates:
        return []
    crops = [_scaled_crop(grey, c, t) for t in READ_HEIGHTS for c in candidates]
    reads = _read_strip(crops, lang, timeout, page_number)
    n = len(candidates)
    found = []
    for k in range(n):
        per_height = reads[k::n]
        seen = {d for d, _ in per_height if d}
        if len(seen) == 1:
            d = seen.pop()
            found.append((d, max(c for r, c in per_height if r == d)))
        else:
            found.append(("", -1.0))
    return found


def _scaled_crop(grey: np.ndarray, c: Candidate, target: int) -> np.ndarray:
    """The group's own ink (slightly grown for the anti-aliased rim), white around it,
    padded and scaled to `target` px high."""
    pad = max(2, int(0.2 * c.height))
    b = c.box
    grown = cv2.dilate(c.mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    own = np.where(grown, grey[b.top : b.bottom, b.left : b.right], 255).astype(np.uint8)
    crop = cv2.copyMakeBorder(own, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    scale = target / max(1, b.bottom - b.top)
    return cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def _read_strip(
    crops: list[np.ndarray], lang: str, timeout: float | None, page_number: int = 0
) -> list[tuple[str, float]]:
    """One Tesseract call (`--psm 7`, digits only) on all crops in a row with wide gaps.

    (A strip per height, or one row per height read as a block, found the same markers at
    twice the cost, or fewer markers: 143 vs 118-135 of 148 on the tuning pages.)"""
    hmax = max(cr.shape[0] for cr in crops)
    gap = 2 * hmax
    width = gap + sum(cr.shape[1] + gap for cr in crops)
    strip = np.full((hmax + gap, width), 255, np.uint8)
    spans = []
    x = gap
    for cr in crops:
        y = gap // 2 + (hmax - cr.shape[0]) // 2
        strip[y : y + cr.shape[0], x : x + cr.shape[1]] = cr
        spans.append((x, x + cr.shape[1]))
        x += cr.shape[1] + gap
    data = tesseract.image_to_data(
        Image.fromarray(strip), lang=lang, config=" ".join(READ_ARGS), timeout=timeout,
        page_number=page_number, step="footnote marker reading", as_dict=True,
    )  # fmt: skip
    found: list[tuple[str, float]] = [("", -1.0)] * len(crops)
    for k, text in enumerate(data["text"]):
        text = (text or "").strip()
        if data["level"][k] != 5 or not text:
            continue
        cx = int(data["left"][k]) + int(data["width"][k]) / 2
        for i, (a, b) in enumerate(spans):
            if a - gap / 2 <= cx <= b + gap / 2:
                prev, conf = found[i], float(data["conf"][k])
                found[i] = (prev[0] + text, conf if prev[1] < 0 else min(prev[1], conf))
                break
    return found


def apply_markers(lines: list[Line], markers: list[Marker]) -> list[Line]:
    """New lines with each marker set on its word (`Word.marker`), what Tesseract read for
    its blob taken out of the word's text (see `host_text`)."""
    by_word: dict[tuple[int, int], Marker] = {}
    starts: dict[int, Marker] = {}
    for m in markers:
        if m.candidate.start:
            starts.setdefault(m.candidate.line, m)
        else:
            by_word.setdefault((m.candidate.line, m.candidate.word), m)
    out = []
    for li, line in enumerate(lines):
        words: list[Word] = []
        for wi, w in enumerate(line.words):
            found = by_word.get((li, wi))
            if found is None or w.marker is not None:
                words.append(w)
                continue
            m = found
            inside = m.candidate.box.right <= w.bbox.right + 0.15 * m.candidate.height
            host = host_text(w.text, m.digits, read_by_ocr=inside, glyphs=m.candidate.glyphs)
            if host is None:
                words.append(w)
                continue
            text, tail = host
            box = (
                w.bbox
                if m.candidate.box.right <= w.bbox.right
                else BBox(w.bbox.left, w.bbox.top, m.candidate.box.right, w.bbox.bottom)
            )
            words.append(
                replace(
                    w,
                    text=text,
                    bbox=box,
                    ocr_text=w.ocr_text if w.ocr_text is not None else w.text,
                    marker=int(m.digits),
                    marker_tail=tail,
                )
            )
        if li in starts and words:
            words[:1] = _body_number(words[0], starts[li])
        out.append(replace(line, words=words))
    return out


# what Tesseract makes of a raised number opening a line: a lookalike (opening quotes are
# left alone: the body's text may open with one), superscript or flat digits
_OPENING_LOOKALIKES = "".join(ch for ch in OCR_LOOKALIKES if ch not in '“‘"')
_LEADING_READ = re.compile(rf"^(?:[{re.escape(_OPENING_LOOKALIKES)}{MARKER_DIGITS}]+|\d{{1,2}})")


def _body_number(word: Word, marker: Marker) -> list[Word]:
    """The first word of a line opened by a footnote body's raised number, as two words:
    the number in plain digits ("1", as a body opens in text) and the word without what
    Tesseract read for the raised blob ("!Theo", "?Số", "3Gồm", "*Nghị", "¹Theo" ->
    "1", "Theo"). [word] unchanged when the rest does not start with a letter."""
    read = _LEADING_READ.match(word.text)
    rest = word.text[read.end() :] if read else word.text
    box = marker.candidate.box
    number = Word(marker.digits, BBox(box.left, word.bbox.top, box.right, word.bbox.bottom),
                  marker.confidence, ocr_text=read.group() if read else "")  # fmt: skip
    if not rest:  # Tesseract read the number as a word of its own
        return [replace(number, bbox=word.bbox, confidence=word.confidence)]
    if not rest[:1].isalpha() and rest[:1] not in '(“"':
        return [word]
    left = min(max(word.bbox.left, box.right + 1), word.bbox.right - 1)
    text = replace(word, text=rest, bbox=BBox(left, word.bbox.top, word.bbox.right,
                                              word.bbox.bottom),
                   ocr_text=word.ocr_text if word.ocr_text is not None else word.text)  # fmt: skip
    return [number, text]


def host_text(
    text: str, digits: str, *, read_by_ocr: bool = True, glyphs: int = 0
) -> tuple[str, str] | None:
    """(the text of the word that marker `digits` follows, without what Tesseract read for
    the marker's blob; the punctuation that goes after the marker), or None when no marker
    goes there (no word, or one ending in a marker).

    When Tesseract's word box covers the raised blob (`read_by_ocr`), what it read for the
    blob is removed: a lookalike (” ! ? ° ' ...), a flat digit glued to letters, the fifth
    digit after a year, or one letter too many for the `glyphs` letters the image shows
    before the blob ("minh!." -> "minh.", "trước3." -> "trước.", "20261" -> "2026",
    "địnhê" -> "định"). A 4-digit year keeps its digits ("2026" + raised 6 -> "2026").
    Trailing punctuation stays, after the marker ("theo”)./." -> "theo)./.", ")./."); a
    bracket Tesseract read before the blob stays before it ("phạt)”." -> "phạt).", ".").
    """
    m = re.match(rf"^(.*?)([{re.escape(TRAILING_PUNCT)}]*)$", text)
    core, tail = (m.group(1), m.group(2)) if m else (text, "")
    if not core or core[-1] in MARKER_DIGITS:
        return None
    if read_by_ocr:
        stripped = core.rstrip(OCR_LOOKALIKES)
        run = re.search(r"\d+$", stripped)
        if stripped != core and stripped:
            core = stripped
        elif run:
            if re.fullmatch(r"(19|20)\d\d\d{1,2}", run.group()):
                core = core[: run.start() + 4]  # "20265": a year and the blob read flat
            elif run.start() > 0 and len(run.group()) <= len(digits):
                core = core[: run.start()]  # "trước3", "85%4"
        elif (run is None and core[-1].isalpha() and glyphs
              and sum(ch.isalnum() for ch in core) == glyphs + 1):  # fmt: skip
            core = core[:-1]
    return core + tail, tail


def insert_marker(text: str, digits: str, *, read_by_ocr: bool = True, glyphs: int = 0) -> str:
    """`text` as written with marker `digits` after it (`host_text` + `attach`):
    "minh!." -> "minh¹.", "trước3." -> "trước³."; `text` itself when no marker goes there."""
    host = host_text(text, digits, read_by_ocr=read_by_ocr, glyphs=glyphs)
    return text if host is None else attach(host[0], int(digits), host[1])


def add_superscripts(
    image: np.ndarray, lines: list[Line], *, min_confidence: float = MIN_CONFIDENCE,
    lang: str = "eng", timeout: float | None = None, page_number: int = 0,
) -> list[Line]:  # fmt: skip
    """Find footnote superscript digits in `image` (grey uint8) and write them into `lines`.

    Raises what `ocr_pipeline.tesseract.image_to_data` raises."""
    if not lines:
        return lines
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    candidates = find_candidates(binarize(grey), lines)
    reads = read_candidates(grey, candidates, lang=lang, timeout=timeout,
                            page_number=page_number)  # fmt: skip
    markers = [
        Marker(c, d, conf) for c, (d, conf) in zip(candidates, reads, strict=True)
        if d and len(d) <= 3 and conf >= min_confidence and d[0] != "0"
    ]  # fmt: skip
    log.debug("superscripts: %d candidates, %d markers", len(candidates), len(markers))
    return apply_markers(lines, markers)
