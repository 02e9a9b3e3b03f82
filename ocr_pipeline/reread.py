"""Read a page with Tesseract, and a weak page a second time from another view of it.

Every page is read once (`ocr.ocr_image`), with the text lines Tesseract's page layout
dropped read back alone (`lost_lines`). With `second_opinion` (`run
--reread-weak-pages`), a page whose mean word confidence is low (photocopies, faxes:
broken strokes, jagged edges) is read again from a blurred view (`second_view`, which
rejoins broken strokes and smooths bilevel edges; its sure lines painted out), and
`read_twice` hands back both readings. `run` pairs their words by position
(`word_alternatives`) and restoration decodes each pair as one lattice position, the
language model choosing between the two tokens' readings (`restore.alternatives`).
`merge_readings`, the earlier way, takes each line whole from the reading that is surer
of it (`read_page`).

Measured on scripts/bench_scans.py's photocopies at 150 and 200 dpi (16 pages of the
dev, test and scans_heldout2 documents; restored page text, adapted as `run` adapts weak
documents): 249 character errors read once, 237 with the words of both readings, 323
with whole lines taken by confidence (a line of the blurred view read worse as a whole
while Tesseract was surer of it). Tried and dropped before: enlarging small type to a
measured x-height of 22, 28 or 34 px before OCR (worse on photocopies: 150-dpi restored
CER 1.26% -> 1.71% at 28 px) and reading only the blurred or ink-thickened view.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import cv2
import numpy as np

from ocr_pipeline.errors import MissingDependencyError, PageTimeoutError, PipelineError
from ocr_pipeline.layout import repair_lines
from ocr_pipeline.lost_lines import recover_lost_lines
from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.ocr import ocr_image

log = logging.getLogger(__name__)

#: A page whose mean word confidence is under this gets a second reading. Confident pages
#: (good scans read at 96-97 on the bench) are read once, so they cost nothing more.
WEAK_PAGE_CONFIDENCE = 95.0
#: A line of the second reading replaces the first's only when its mean word confidence is
#: higher by this much (confidences of two readings of the same line wobble by a point).
BETTER_BY = 2.0
#: Gaussian sigma (px, at the page's own scale) of the second reading's view: it rejoins
#: the broken strokes and smooths the jagged edges of bilevel copies and faxes.
SECOND_VIEW_BLUR = 1.0


#: Lines of the first reading at or above this mean word confidence are painted out of the
#: second view: they would be kept anyway, and Tesseract's time grows with the text it reads.
SURE_LINE_CONFIDENCE = 95.0


def second_view(gray: np.ndarray, sure: Sequence[Line] = ()) -> np.ndarray:
    """The page as the second reading sees it: blurred by SECOND_VIEW_BLUR, the `sure`
    lines painted over with the paper's grey (same size, so boxes need no mapping)."""
    view = cv2.GaussianBlur(gray, (0, 0), SECOND_VIEW_BLUR)
    if sure:
        paper = int(np.percentile(gray[::8, ::8], 90))
        for line in sure:
            b = line.bbox
            view[max(0, b.top) : b.bottom, max(0, b.left) : b.right] = paper
    return view


def _mean_confidence(words: list[Word]) -> float:
    confs = [w.confidence for w in words if w.confidence >= 0]
    return sum(confs) / len(confs) if confs else -1.0


def _overlaps(a: BBox, b: BBox) -> bool:
    """Whether two line boxes are the same line: they share half the lower one's height and
    some width."""
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared > 0.5 * min(a.height, b.height) and min(a.right, b.right) > max(a.left, b.left)


def merge_readings(first: list[Line], second: list[Line]) -> list[Line]:
    """The first reading, line by line replaced by the second where that is surer.

    Lines are matched by their boxes (both readings refer to the same page). A first line
    is replaced by the second's lines over it when their mean word confidence is higher by
    BETTER_BY; a second line that overlaps no first line (a line the first reading lost)
    is added where it stands on the page. Not a vote: one reading per line, the surer one.
    """
    taken: set[int] = set()
    out: list[Line] = []
    for line in first:
        over = [i for i, other in enumerate(second) if _overlaps(line.bbox, other.bbox)]
        alternative = [w for i in over for w in second[i].words]
        if (
            over
            and _mean_confidence(alternative) > _mean_confidence(line.words) + BETTER_BY
            and not taken.intersection(over)
        ):
            out.extend(second[i] for i in over)
            taken.update(over)
        else:
            out.append(line)
    for i, other in enumerate(second):
        if i in taken or any(_overlaps(other.bbox, ln.bbox) for ln in first):
            continue
        at = next((k for k, ln in enumerate(out) if ln.bbox.top > other.bbox.bottom), len(out))
        out.insert(at, other)
    return out


#: Tesseract page segmentation modes that find the page's lines themselves (and may drop
#: one: `lost_lines`); the others are told the layout.
LAYOUT_PSMS = frozenset({1, 3})


def _with_lost_lines(
    gray: np.ndarray, lines: list[Line], page_number: int, dpi: int, lang: str,
    timeout: float | None,
) -> list[Line]:  # fmt: skip
    """`lost_lines.recover_lost_lines`; when that fails or runs out of time the reading
    stands as it is (a missing language still stops the run)."""
    try:
        return recover_lost_lines(gray, lines, page_number=page_number, dpi=dpi, lang=lang,
                                  timeout=timeout)  # fmt: skip
    except (PageTimeoutError, PipelineError) as err:
        if isinstance(err, MissingDependencyError):
            raise
        log.warning("page %d: reading a dropped line failed (%s); left out", page_number, err)
        return lines


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
    """OCR one preprocessed page (`ocr.ocr_image`) with the lines its layout dropped
    (`lost_lines`), and, when the page is weak, read it a second time.

    When the first reading's mean word confidence is under WEAK_PAGE_CONFIDENCE (and
    `second_opinion` is on), the page is read again from `second_view` (its sure lines
    painted out). Both readings are repaired from their image (`layout.repair_lines`:
    footnote markers), so a line taken from the second keeps its "năm¹". The second
    reading gets what the first left of `timeout`. Returns the first reading and the
    second (None when the page was read once: confident, or nothing left of `timeout`, or
    the second reading failed or timed out).
    """
    start = time.perf_counter()

    def read(view: np.ndarray, budget: float | None, lost_lines: bool) -> list[Line]:
        began = time.perf_counter()
        found = ocr_image(view, page_number=page_number, dpi=dpi, lang=lang, psm=psm,
                          timeout=budget)  # fmt: skip
        rest = None if not budget else budget - (time.perf_counter() - began)
        if lost_lines and psm in LAYOUT_PSMS and view.ndim == 2 and (rest is None or rest > 0):
            found = _with_lost_lines(view, found, page_number, dpi, lang, rest)
        return repair_lines(view, found, page_number=page_number, lang=lang, timeout=budget,
                            footnote_markers=footnote_markers)  # fmt: skip

    lines = read(image, timeout, True)
    if not second_opinion or image.ndim != 2:
        return lines, None
    confidence = _mean_confidence([w for ln in lines for w in ln.words])
    if confidence >= WEAK_PAGE_CONFIDENCE:
        return lines, None
    log.debug("page %d: mean confidence %.1f, reading it a second time", page_number,
              confidence)  # fmt: skip
    sure = [ln for ln in lines if _mean_confidence(ln.words) >= SURE_LINE_CONFIDENCE]
    left = None if not timeout else timeout - (time.perf_counter() - start)
    if left is not None and left <= 0:
        return lines, None
    try:
        return lines, read(second_view(image, sure), left, False)
    except (PageTimeoutError, PipelineError) as err:
        if isinstance(err, MissingDependencyError):
            raise
        log.warning("page %d: second reading failed (%s); the first stands", page_number, err)
        return lines, None


def read_page(
    image: np.ndarray,
    *,
    page_number: int,
    dpi: int,
    lang: str = "vie",
    psm: int = 3,
    timeout: float | None = None,
    footnote_markers: bool = True,
    second_opinion: bool = True,
) -> list[Line]:
    """`read_twice`, the two readings merged line by line (`merge_readings`)."""
    first, second = read_twice(image, page_number=page_number, dpi=dpi, lang=lang, psm=psm,
                               timeout=timeout, footnote_markers=footnote_markers,
                               second_opinion=second_opinion)  # fmt: skip
    return first if second is None else merge_readings(first, second)


#: A word of the second reading is the same word as one of the first when it shares this
#: share of the wider one's width (and half the lower one's height).
SAME_WORD_OVERLAP = 0.6


def _same_word(a: BBox, b: BBox) -> bool:
    shared_x = min(a.right, b.right) - max(a.left, b.left)
    shared_y = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared_x >= SAME_WORD_OVERLAP * max(a.width, b.width, 1) and shared_y > 0.5 * min(
        a.height, b.height
    )


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
