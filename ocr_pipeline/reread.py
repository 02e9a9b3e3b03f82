"""Read a page with Tesseract, and the weak words of a weak page a second time.

Every page is read once (`ocr.ocr_image`), with the text lines Tesseract's page layout
dropped read back alone (`lost_lines`), the rows it broke into stacked pieces read again
as one line (`broken_rows`) and the letters it read from specks of noise dropped
(`drop_specks`). With `second_opinion` (`run`'s default; off with
`--no-reread-weak-pages`), a page whose mean word confidence is low (photocopies, faxes:
broken strokes, jagged edges) has its weak words read again from a blurred view
(`second_view`, which rejoins broken strokes and smooths bilevel edges): each run of words
under WEAK_WORD_CONFIDENCE in a line is cut out (`weak_spans`), the cuts are stacked into
one block (`stack_spans`) and read in one recognition (`--psm 6`), and the words found are
put back on the page (`unstack`). `read_twice` hands back both readings; `run` pairs their
words by position (`word_alternatives`) and restoration decodes each pair as one lattice
position, the language model choosing between the two tokens' readings
(`restore.alternatives`).

A page read confidently has its doubtful words (under DOUBTFUL_WORD_CONFIDENCE: Tesseract
barely read them) read again the same way, and is not a weak page for the document's
adapted restoration (`is_weak_page`). On scans_heldout4 (tuning data) a clean 150-dpi
page's small italic "Nơi nhận:" was read "Q9 He," (confidence 0 and 12) and "Nơi nhận:" the
second time: its 150-dpi clean and bleed-through rows went from 0.28/0.53% CER to
0.15/0.47%; of the four tuning sets' grids one row read worse by one character (a
150-dpi soft scan's "ml)," read at 16 restored "mì" from its second reading).

Measured with scripts/bench_scans.py on the photocopies and faxes at 300/200/150 dpi of
scans_heldout2 and scans_heldout3 (tuning data): the words under 95 cover a sixth of a
photocopy's text width, the lines whose mean is under 95 two fifths. The spans cost
1.21-1.37x a weak page's CPU time (`bench_scans.py --cost`, the rows all of whose pages
were weak: photocopies, 200/150-dpi faxes); in one interleaved comparison on the
200/150-dpi photocopies and faxes, 1.20-1.35x, 1.40x at worst, where the earlier second
reading (the whole page again with its sure lines painted out, page layout included) cost
1.36-1.65x, 1.80x at worst. CER fell on every such row of both sets (200-dpi photocopy
1.05/0.76% -> 1.02/0.71%, 150-dpi fax 6.39/2.08% -> 6.26/1.71%), none rose. Tried beside
it: a sure word of context either side of each run (better on scans_heldout3, worse on
scans_heldout2: 200-dpi photocopy 0.92/0.78%), the block enlarged 1.5x (worse: 150-dpi
photocopy 1.56% on scans_heldout2), whole weak lines stacked (200-dpi photocopy
0.94/0.78%) or left in place on a painted-out page (0.89/0.74%). The earlier whole-page
reading gained more there (0.87/0.69%) but over the 1.5x the second reading may cost.
Before: whole lines taken by confidence instead of the words of both readings (16
photocopy pages: 323 character errors against 249 read once); enlarging small type to a
measured x-height of 22, 28 or 34 px before OCR (worse on photocopies: 150-dpi restored
CER 1.26% -> 1.71% at 28 px); reading only the blurred or ink-thickened view.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence

import cv2
import numpy as np

from ocr_pipeline.broken_rows import mend_broken_rows
from ocr_pipeline.errors import MissingDependencyError, PageTimeoutError, PipelineError
from ocr_pipeline.layout import repair_lines
from ocr_pipeline.lost_lines import recover_lost_lines
from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.ocr import ocr_image

log = logging.getLogger(__name__)

#: A page whose mean word confidence is under this gets a second reading. Confident pages
#: (good scans read at 96-97 on the bench) are read once, so they cost nothing more.
WEAK_PAGE_CONFIDENCE = 95.0
#: Gaussian sigma (px, at the page's own scale) of the second reading's view: it rejoins
#: the broken strokes and smooths the jagged edges of bilevel copies and faxes.
SECOND_VIEW_BLUR = 1.0


def second_view(gray: np.ndarray) -> np.ndarray:
    """The page as the second reading sees it: blurred by SECOND_VIEW_BLUR (same size, so
    boxes need no mapping)."""
    return cv2.GaussianBlur(gray, (0, 0), SECOND_VIEW_BLUR)


def is_weak_page(lines: Sequence[Line]) -> bool:
    """Whether a page's first reading (`lines`) is weak: its mean word confidence is under
    WEAK_PAGE_CONFIDENCE, so all its weak words are read twice (not only doubtful ones)."""
    return _mean_confidence([w for ln in lines for w in ln.words]) < WEAK_PAGE_CONFIDENCE


def _mean_confidence(words: list[Word]) -> float:
    confs = [w.confidence for w in words if w.confidence >= 0]
    return sum(confs) / len(confs) if confs else -1.0


#: On a page read confidently, a word under this confidence is still read again (with
#: such words next to it): Tesseract barely read it (a small italic "Nơi nhận:" read "Q9
#: He," at 0 and 12 on a clean 150-dpi page, "Nơi nhận:" the second time). One small
#: crop: 17-21 ms of CPU on a page of 4-5 s.
DOUBTFUL_WORD_CONFIDENCE = 50.0
#: A word of a weak page under this confidence is read again (with the weak words next to
#: it, `weak_spans`); the words Tesseract is sure of are not.
WEAK_WORD_CONFIDENCE = 95.0
#: The second reading may take this share of what is left of the page's --page-timeout.
SECOND_READING_SHARE = 0.5
#: Two runs of weak words of one line this many sure words apart are read as one span (the
#: sure word between gives the recogniser context, and one crop costs less than two).
JOIN_ACROSS = 1
#: Blank rows between two spans stacked into the second reading's block, in line heights.
STACK_GAP = 1.0
#: White border (px) round the stacked block.
STACK_BORDER = 12
#: A stacked block taller than this (px) is read in parts: Tesseract refuses a side over
#: 32767 px (the spans of the grid's 300-dpi photocopies and faxes stack to 3700-6700 px).
STACK_MAX_HEIGHT = 30000


@dataclasses.dataclass(frozen=True)
class Span:
    """A run of weak words of one line, read again: `crop`, the page rectangle cut out
    (from the middle of the gap to the sure word before it to the middle of the gap to the
    one after, a quarter of the line's height above and below), and `words`, the page
    rectangles of its words (kept in the cut; any other ink there is painted out)."""

    crop: BBox
    words: tuple[BBox, ...]


def weak_spans(
    lines: Sequence[Line], shape: tuple[int, ...], under: float = WEAK_WORD_CONFIDENCE
) -> list[Span]:
    """The spans of `lines` (one reading of a page of `shape`) to read again: in each line,
    the runs of words under `under` confidence, runs JOIN_ACROSS sure words apart joined."""
    height, width = shape[:2]
    out: list[Span] = []
    for line in lines:
        words = line.words
        weak = [i for i, w in enumerate(words) if 0 <= w.confidence < under]
        runs: list[list[int]] = []
        for i in weak:
            if runs and i - runs[-1][-1] <= JOIN_ACROSS + 1:
                runs[-1].extend(range(runs[-1][-1] + 1, i + 1))
            else:
                runs.append([i])
        pad = max(2, line.bbox.height // 4)
        for run in runs:
            first, last = words[run[0]].bbox, words[run[-1]].bbox
            left = (words[run[0] - 1].bbox.right + first.left) // 2 if run[0] else first.left - pad
            right = (
                (last.right + words[run[-1] + 1].bbox.left + 1) // 2
                if run[-1] + 1 < len(words)
                else last.right + pad
            )
            top = min(words[i].bbox.top for i in run)
            bottom = max(words[i].bbox.bottom for i in run)
            crop = BBox(max(0, left), max(0, top - pad), min(width, right),
                        min(height, bottom + pad))  # fmt: skip
            if crop.width > 0 and crop.height > 0:
                out.append(Span(crop, tuple(words[i].bbox for i in run)))
    return out


def _cut(view: np.ndarray, span: Span, others: Sequence[BBox], paper: int) -> np.ndarray:
    """The span's rectangle of `view`, with the ink of the words in `others` that reach into
    it (the line above's descenders, the line below's marks) painted `paper`, except where
    the span's own words are."""
    c = span.crop
    cut = view[c.top : c.bottom, c.left : c.right].copy()
    keep = np.zeros(cut.shape, bool)
    for b in span.words:
        keep[
            max(0, b.top - c.top) : b.bottom - c.top, max(0, b.left - c.left) : b.right - c.left
        ] = True
    for b in others:
        if b.right <= c.left or b.left >= c.right or b.bottom <= c.top or b.top >= c.bottom:
            continue
        rows = slice(max(0, b.top - c.top), max(0, b.bottom - c.top))
        cols = slice(max(0, b.left - c.left), max(0, b.right - c.left))
        cut[rows, cols] = np.where(keep[rows, cols], cut[rows, cols], paper)
    return cut


def stack_spans(
    view: np.ndarray, spans: Sequence[Span], lines: Sequence[Line]
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The spans cut out of `view` (`_cut`) stacked one under another on paper, STACK_GAP
    line heights apart: the block the second reading reads in one recognition. Returns
    the block and, per span, the row of the block its cut starts at and its height."""
    paper = int(np.percentile(view[::8, ::8], 90))
    boxes = [w.bbox for ln in lines for w in ln.words]
    cuts = []
    for span in spans:
        own = set(span.words)
        cuts.append(_cut(view, span, [b for b in boxes if b not in own], paper))
    gap = max(8, round(STACK_GAP * max(c.shape[0] for c in cuts)))
    width = max(c.shape[1] for c in cuts) + 2 * STACK_BORDER
    height = sum(c.shape[0] for c in cuts) + gap * (len(cuts) - 1) + 2 * STACK_BORDER
    block = np.full((height, width), paper, np.uint8)
    places, y = [], STACK_BORDER
    for cut in cuts:
        block[y : y + cut.shape[0], STACK_BORDER : STACK_BORDER + cut.shape[1]] = cut
        places.append((y, cut.shape[0]))
        y += cut.shape[0] + gap
    return block, places


def unstack(
    found: Sequence[Line], spans: Sequence[Span], places: Sequence[tuple[int, int]]
) -> list[Line]:
    """The words read from the stacked block (`found`) put back on the page: one Line per
    span, holding the words whose middle row falls in its cut, moved by the cut's offset."""
    per_span: list[list[Word]] = [[] for _ in spans]
    for word in (w for ln in found for w in ln.words):
        middle = (word.bbox.top + word.bbox.bottom) / 2
        k = next((k for k, (y, h) in enumerate(places) if y <= middle < y + h), None)
        if k is None:
            continue
        dx = spans[k].crop.left - STACK_BORDER
        dy = spans[k].crop.top - places[k][0]
        b = word.bbox
        per_span[k].append(
            dataclasses.replace(
                word, bbox=BBox(b.left + dx, b.top + dy, b.right + dx, b.bottom + dy)
            )
        )
    out = []
    for words in per_span:
        if words:
            words.sort(key=lambda w: w.bbox.left)
            box = words[0].bbox
            for w in words[1:]:
                box = box.union(w.bbox)
            out.append(Line(words=words, bbox=box))
    return out


#: Tesseract page segmentation modes that find the page's lines themselves (and may drop
#: one: `lost_lines`); the others are told the layout.
LAYOUT_PSMS = frozenset({1, 3})


def _mend_layout(
    gray: np.ndarray, lines: list[Line], page_number: int, dpi: int, lang: str,
    timeout: float | None,
) -> list[Line]:  # fmt: skip
    """The reading with what the page layout got wrong read again: the lines it dropped
    (`lost_lines`) and the rows it broke into pieces (`broken_rows`). When that fails or
    runs out of time the reading stands as it is (a missing language still stops the
    run)."""
    deadline = None if timeout is None else time.perf_counter() + timeout
    for step, what in ((recover_lost_lines, "a dropped line"), (mend_broken_rows, "a broken row")):
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left <= 0:
            break
        try:
            lines = step(gray, lines, page_number=page_number, dpi=dpi, lang=lang,
                         timeout=left)  # fmt: skip
        except PageTimeoutError as err:
            log.warning("page %d: reading %s again ran out of time (%s); left as read",
                        page_number, what, err)  # fmt: skip
            break
        except PipelineError as err:
            if isinstance(err, MissingDependencyError):
                raise
            log.warning("page %d: reading %s again failed (%s); left as read", page_number,
                        what, err)  # fmt: skip
    return lines


#: A word Tesseract barely read (confidence under SPECK_CONFIDENCE) from ink smaller than
#: SPECK_SIZE of the page's median word height, both ways, is a speck of noise read as a
#: letter: bleed-through read "š" (restored "tư") or "b", a photocopy's dust "l", a 150-dpi
#: soft scan's smudge "Ko" (restored "Kỳ"), 4-8 px tall where words are 23-31 px. Eight
#: such words in the whole grid of scans_heldout2-7 (tuning data), every one noise.
SPECK_CONFIDENCE = 40.0
SPECK_SIZE = (0.6, 0.35)  # (width, height) shares of the median word height


def drop_specks(lines: Sequence[Line]) -> list[Line]:
    """`lines` without the words read from specks of noise (see SPECK_CONFIDENCE), and
    without the lines nothing else is left of. A word with no letter (a dash, a comma, a
    raised digit) is never a speck here."""
    heights = sorted(w.bbox.height for ln in lines for w in ln.words)
    if not heights:
        return list(lines)
    median = heights[len(heights) // 2]

    def speck(w: Word) -> bool:
        return (
            0 <= w.confidence < SPECK_CONFIDENCE
            and w.bbox.width < SPECK_SIZE[0] * median
            and w.bbox.height < SPECK_SIZE[1] * median
            and any(c.isalpha() for c in w.text)
        )

    out = []
    for ln in lines:
        kept = [w for w in ln.words if not speck(w)]
        if len(kept) == len(ln.words):
            out.append(ln)
        elif kept:
            box = kept[0].bbox
            for w in kept[1:]:
                box = box.union(w.bbox)
            out.append(dataclasses.replace(ln, words=kept, bbox=box))
    return out


def read_twice(
    image: np.ndarray,
    *,
    page_number: int,
    dpi: int,
    lang: str = "vie",
    psm: int = 3,
    timeout: float | None = None,
    footnote_markers: bool = True,
    second_opinion: bool = True,
) -> tuple[list[Line], list[Line] | None]:
    """OCR one preprocessed page (`ocr.ocr_image`) with what its layout dropped or broke
    read again (`lost_lines`, `broken_rows`), and, when the page is weak, read it a second
    time.

    When the first reading's mean word confidence is under WEAK_PAGE_CONFIDENCE (and
    `second_opinion` is on), its weak words are read again (`read_spans`); on a page read
    confidently, only the words under DOUBTFUL_WORD_CONFIDENCE (`is_weak_page` tells the
    two apart). Both readings
    are repaired from their image (`layout.repair_lines`: footnote markers), so a raised
    digit is not read into a word of the second. The second reading gets what the first
    left of `timeout`. Returns the first reading (where the second read one word
    confidently over words the first barely read, that word: `join_misread_words`) and the
    second (None when the page was read once: confident, no weak word, nothing left of
    `timeout`, or the second reading failed or ran out of its SECOND_READING_SHARE of
    what was left).
    """
    start = time.perf_counter()
    lines = ocr_image(image, page_number=page_number, dpi=dpi, lang=lang, psm=psm,
                      timeout=timeout)  # fmt: skip
    rest = None if not timeout else timeout - (time.perf_counter() - start)
    if psm in LAYOUT_PSMS and image.ndim == 2 and (rest is None or rest > 0):
        lines = _mend_layout(image, lines, page_number, dpi, lang, rest)
    lines = repair_lines(image, lines, page_number=page_number, lang=lang, timeout=timeout,
                         footnote_markers=footnote_markers)  # fmt: skip
    lines = drop_specks(lines)
    if not second_opinion or image.ndim != 2:
        return lines, None
    weak = is_weak_page(lines)
    spans = weak_spans(
        lines, image.shape, WEAK_WORD_CONFIDENCE if weak else DOUBTFUL_WORD_CONFIDENCE
    )
    left = None if not timeout else timeout - (time.perf_counter() - start)
    if not spans or (left is not None and left <= 0):
        return lines, None
    log.debug("page %d: %s, %d spans of words read again", page_number,
              "weak" if weak else "confident", len(spans))  # fmt: skip
    # an optional reading: the steps after it (restoration, tables) keep the rest of the
    # page's time, so running out here never costs the page its first reading
    budget = None if left is None else left * SECOND_READING_SHARE
    try:
        second = read_spans(image, lines, spans, page_number=page_number, dpi=dpi, lang=lang,
                            timeout=budget, footnote_markers=footnote_markers)  # fmt: skip
    except PageTimeoutError:
        # the page's time ran out: what stands is the page's to say (read once, or timed
        # out in a later step), not a warning about an optional reading
        log.debug("page %d: no time left for the second reading; the first stands", page_number)
        return lines, None
    except PipelineError as err:
        if isinstance(err, MissingDependencyError):
            raise
        log.warning("page %d: second reading failed (%s); the first stands", page_number, err)
        return lines, None
    return join_misread_words(lines, second), second


def read_spans(
    image: np.ndarray, lines: Sequence[Line], spans: Sequence[Span], *, page_number: int,
    dpi: int, lang: str, timeout: float | None, footnote_markers: bool = True,
) -> list[Line]:  # fmt: skip
    """The second reading of `spans` (weak words of `lines`, the first reading of the grey
    page `image`): cut out of `second_view`, stacked, read in one recognition (psm 6: a
    block of lines; a block taller than STACK_MAX_HEIGHT is read in halves) and put back on
    the page, one Line per span (`unstack`). Raises PageTimeoutError past `timeout`."""
    view = second_view(image)
    deadline = None if not timeout else time.perf_counter() + timeout

    def read(part: Sequence[Span]) -> list[Line]:
        block, places = stack_spans(view, part, lines)
        if block.shape[0] > STACK_MAX_HEIGHT and len(part) > 1:
            return read(part[: len(part) // 2]) + read(part[len(part) // 2 :])
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left <= 0:
            raise PageTimeoutError(f"page {page_number}: the second reading ran out of time")
        found = ocr_image(block, page_number=page_number, dpi=dpi, lang=lang, psm=6,
                          timeout=left)  # fmt: skip
        return unstack(found, part, places)

    second = read(spans)
    left = None if deadline is None else max(0.001, deadline - time.perf_counter())
    return repair_lines(view, second, page_number=page_number, lang=lang, timeout=left,
                        footnote_markers=footnote_markers)  # fmt: skip


#: A word of the second reading is the same word as one of the first when it shares this
#: share of the wider one's width (and half the lower one's height).
SAME_WORD_OVERLAP = 0.6


def _same_word(a: BBox, b: BBox) -> bool:
    shared_x = min(a.right, b.right) - max(a.left, b.left)
    shared_y = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared_x >= SAME_WORD_OVERLAP * max(a.width, b.width, 1) and shared_y > 0.5 * min(
        a.height, b.height
    )


#: A word the second reading read with at least this confidence replaces the two or more
#: words of the first it covers when Tesseract barely read each of them (under
#: DOUBTFUL_WORD_CONFIDENCE): a 300-dpi soft scan's short line "2025;" was read "41V Ảnh"
#: (7 and 0) once and "2025;" (96) the second time, and such a join has no one-for-one
#: pair for restoration to choose from (`word_alternatives`).
JOIN_CONFIDENCE = 90.0


def join_misread_words(first: list[Line], second: Sequence[Line]) -> list[Line]:
    """`first` (a page's first reading) with each run of two or more consecutive words of
    a line that the first reading barely read replaced by the one word the second reading
    read confidently over them (see JOIN_CONFIDENCE)."""
    sure = [w for ln in second for w in ln.words
            if w.confidence >= JOIN_CONFIDENCE and any(c.isalnum() for c in w.text)]  # fmt: skip
    if not sure:
        return first
    out = []
    for line in first:
        words = list(line.words)
        for other in sure:
            under = [i for i, w in enumerate(words)
                     if other.bbox.left <= (w.bbox.left + w.bbox.right) / 2 <= other.bbox.right
                     and min(w.bbox.bottom, other.bbox.bottom) - max(w.bbox.top, other.bbox.top)
                     > 0.5 * min(w.bbox.height, other.bbox.height)]  # fmt: skip
            if (
                len(under) < 2
                or under != list(range(under[0], under[-1] + 1))
                or any(words[i].confidence >= DOUBTFUL_WORD_CONFIDENCE for i in under)
            ):
                continue
            box = words[under[0]].bbox
            for i in under[1:]:
                box = box.union(words[i].bbox)
            joined = Word(other.text, box, other.confidence)
            words[under[0] : under[-1] + 1] = [joined]
        out.append(
            line if len(words) == len(line.words) else dataclasses.replace(line, words=words)
        )
    return out


def word_alternatives(first: list[Line], second: list[Line]) -> dict[BBox, str]:
    """What the second reading read for words of the first: {first word's box: second
    word's text} for each pair of words that stand on the same spot, one for one (a word
    the other reading split or joined has none). Words read the same are left out."""
    others = [w for ln in second for w in ln.words]
    mine = [w for ln in first for w in ln.words]
    pairs: dict[int, list[int]] = {}
    claimed: dict[int, int] = {}
    for i, word in enumerate(mine):
        hits = [j for j, other in enumerate(others) if _same_word(word.bbox, other.bbox)]
        pairs[i] = hits
        for j in hits:
            claimed[j] = claimed.get(j, 0) + 1
    out: dict[BBox, str] = {}
    for i, hits in pairs.items():
        if len(hits) == 1 and claimed[hits[0]] == 1:
            text = others[hits[0]].text
            if text != mine[i].text:
                out[mine[i].bbox] = text
    return out
