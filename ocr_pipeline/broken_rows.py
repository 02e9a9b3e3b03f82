"""Text rows Tesseract's page layout broke into pieces: read again alone, as one line.

Now and then Tesseract's layout analysis (psm 3) cuts one printed line into two or more
"lines" stacked at the same height over the same columns, and reads each piece badly: on
scans_heldout14's 300-dpi fax of a báo cáo, "1. Đề nghị Trung tâm Y tế huyện hỗ trợ 01
tủ lạnh chuyên dụng và 02" came out as three lines, "1. ầ œh", "1#" and "n .... .# tâm Y
tế huryên ...", at a mean confidence of 66, where the same row cut out and read alone as
one line (`--psm 7`) reads every word right at 90 and over.

`broken_rows` finds such rows in a reading: lines that share more than half the lower
one's height and some columns (two lines of one row side by side, as in a two-column
header, share no columns; a raised footnote digit Tesseract read as a line of its own is
no piece: the layout pass puts it on its word later), whose words Tesseract read under
``ROW_CONFIDENCE`` on average.
`mend_broken_rows` reads each row's band alone (`lost_lines.read_band`: the words of
other lines painted out) and takes the new reading in the place of the pieces where its
mean confidence beats theirs by ``GAIN``; otherwise the pieces stand.

It costs nothing on a page without such a row (a pass over the line boxes), one small
Tesseract call per row otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import time
from collections.abc import Sequence

import numpy as np

from ocr_pipeline.footnote_markers import MARKER_DIGITS
from ocr_pipeline.lost_lines import covered_by, mean_confidence, read_band, shares_height
from ocr_pipeline.model import BBox, Line

log = logging.getLogger(__name__)

# a footnote number read flat or raised: one digit or two
_MARKER = re.compile(rf"[0-9{MARKER_DIGITS}]{{1,2}}")

#: A broken row is read again when its words' mean confidence is under this.
ROW_CONFIDENCE = 75.0
#: The row's new reading replaces the pieces when its mean confidence is this much higher.
GAIN = 10.0


def _one_row(a: BBox, b: BBox) -> bool:
    """Two line boxes of one printed row, one over the other: the height of one row
    (`lost_lines.shares_height`) and some columns shared."""
    return shares_height(a, b) and min(a.right, b.right) > max(a.left, b.left)


def _raised_digits(line: Line) -> bool:
    """A line that is one footnote digit or two ("1", "¹²"): a raised marker, not a piece."""
    return len(line.words) == 1 and _MARKER.fullmatch(line.words[0].text) is not None


def broken_rows(lines: Sequence[Line]) -> list[list[int]]:
    """The rows of `lines` (one page's reading) its layout broke into pieces (see the
    module): for each, the indices of its lines in reading order."""
    groups: list[list[int]] = []
    for i, line in enumerate(lines):
        if not line.words or _raised_digits(line):
            continue
        for group in groups:
            if any(_one_row(lines[j].bbox, line.bbox) for j in group):
                group.append(i)
                break
        else:
            groups.append([i])
    out = []
    for group in groups:
        if len(group) < 2:
            continue
        words = [w for j in group for w in lines[j].words]
        if 0 <= mean_confidence(words) < ROW_CONFIDENCE:
            out.append(sorted(group))
    return out


def mend_broken_rows(
    gray: np.ndarray,
    lines: list[Line],
    *,
    page_number: int,
    dpi: int,
    lang: str = "vie",
    timeout: float | None = None,
) -> list[Line]:
    """`lines` (Tesseract's reading of the grey page `gray`) with each broken row read
    again alone and put in its pieces' place when read more confidently (see the module);
    `lines` itself when nothing changed."""
    rows = broken_rows(lines)
    if not rows:
        return lines
    deadline = None if timeout is None else time.perf_counter() + timeout
    replace: dict[int, Line | None] = {}
    for group in rows:
        pieces = [lines[j] for j in group]
        box = functools.reduce(BBox.union, [p.bbox for p in pieces])
        others = [ln for j, ln in enumerate(lines) if j not in group]
        found = read_band(gray, covered_by(gray.shape, others), box, page_number=page_number,
                          dpi=dpi, lang=lang, deadline=deadline)  # fmt: skip
        before = mean_confidence([w for p in pieces for w in p.words])
        after = mean_confidence(found.words) if found else -1.0
        log.debug("page %d: a broken row at %s (%.0f) read alone as %r (%.0f)", page_number,
                  box, before, found.text if found else None, after)  # fmt: skip
        if found is None or after < before + GAIN:
            continue
        first = pieces[0]
        replace[group[0]] = dataclasses.replace(
            found, block=first.block, paragraph=first.paragraph, line=first.line
        )
        replace.update((j, None) for j in group[1:])
    if not replace:
        return lines
    out = []
    for j, line in enumerate(lines):
        mended = replace.get(j, line)
        if mended is not None:
            out.append(mended)
    return out
