"""Cutting a side whose lines are whole paragraphs at the other side's line breaks.

The structure tree (``document@1``) keeps a paragraph as one string, while the reference
text has it wrapped over several lines; compared line by line, one paragraph would pair
with one line and leave the rest unpaired. So the paragraph side's words are aligned with
the other side's words (word-level Levenshtein) and each paragraph is cut where the words
it is aligned with change line. Paragraph boundaries are kept; words with no counterpart
stay on the line of the word before them. The pieces are numbered 1, 2, ... in order
(a paragraph's pieces would otherwise share its number), so a decision made on the
review page names one piece; `as_compared` is the one way both `diff` and `apply` read
such a side, so they cut it alike.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from ocr_pipeline.diff.sides import DiffSide, SideLine

log = logging.getLogger(__name__)

MAX_CELLS = 4 * 10**9  # word pairs; beyond this the paragraph side is compared as it is


def as_compared(a: DiffSide, b: DiffSide) -> tuple[DiffSide, DiffSide]:
    """A and B as the comparison reads them: a paragraph side (the structure tree) cut at
    the other side's line breaks when only one of them is one."""
    if a.paragraphs == b.paragraphs:
        return a, b
    return (reflow(a, b), b) if a.paragraphs else (a, reflow(b, a))


def reflow(side: DiffSide, guide: DiffSide) -> DiffSide:
    """`side` with its lines cut at `guide`'s line breaks (a new DiffSide)."""
    words: list[str] = []
    owner: list[int] = []  # index of the paragraph line each word comes from
    for k, line in enumerate(side.lines):
        for w in line.text.split(" "):
            words.append(w)
            owner.append(k)
    guide_words: list[str] = []
    guide_line: list[int] = []
    for k, line in enumerate(guide.lines):
        for w in line.text.split(" "):
            guide_words.append(w)
            guide_line.append(k)
    if not words or not guide_words:
        return side
    if len(words) * len(guide_words) > MAX_CELLS:
        log.warning(
            "%s is too long to cut at %s's line breaks; compared paragraph by paragraph",
            side.path,
            guide.path,
        )
        return side
    target: list[int | None] = [None] * len(words)
    for op in Levenshtein.opcodes(words, guide_words):
        n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
        if op.tag == "delete" or not n:
            continue
        for t in range(n):
            target[op.src_start + t] = guide_line[op.dest_start + min(m - 1, t * m // n)]
    last = next((t for t in target if t is not None), 0)
    for i, slot in enumerate(target):
        if slot is None:
            target[i] = last
        else:
            last = slot
    lines: list[SideLine] = []
    start = 0
    for i in range(1, len(words) + 1):
        if i == len(words) or owner[i] != owner[start] or target[i] != target[start]:
            src = side.lines[owner[start]]
            lines.append(SideLine(" ".join(words[start:i]), len(lines) + 1, src.page))
            start = i
    return replace(side, lines=lines, paragraphs=False)
