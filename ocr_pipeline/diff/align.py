"""Alignment in two levels so that cost grows with document length, not its square.

1. `pair_lines`: lines get a coarse key (letters and digits without marks or case).
   Lines whose key is unique (or repeated equally often) on both sides and in the same
   order are anchors (patience diff: counting plus a longest increasing subsequence,
   O(n log n)). Between anchors,
   equal keys at the ends are paired, and the rest (letters changed, lines inserted,
   deleted, split or merged) is paired by a small dynamic program minimising the edit
   distance, restricted to a band around the diagonal when the block is large. It may
   pair one line with up to `MAX_JOIN` (OCR split or joined lines; a ground truth typed
   a paragraph a line).
2. `align_units`: within a line pair, grapheme keys are aligned with rapidfuzz's
   Levenshtein opcodes; substitutions are classified as diacritic-only (same base letters,
   e.g. "o" -> "ô", "ế" -> "ể", "d" -> "đ") or letter changes.

`AlignStats.line_comparisons` counts string distances computed while pairing lines, so
tests can check the pairing stays linear.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ocr_pipeline.diff.normalize import fold_line, same_base

EQUAL, DIACRITIC, LETTER, INSERT, DELETE = "equal", "diacritic", "letter", "insert", "delete"

FULL_DP_CELLS = 400  # blocks up to 20 x 20 lines get the full dynamic program
BAND = 12  # otherwise cells further than this from the diagonal are not considered
MAX_REPEAT = 8  # lines repeated more often than this are never anchors
LONG_LINE = 3000  # graphemes; longer line pairs are aligned word by word first
MAX_JOIN = 8  # one line may pair with up to this many lines of the other side

LinePair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(slots=True)
class AlignStats:
    line_comparisons: int = 0
    replace_blocks: int = 0
    largest_block: int = 0


@dataclass(frozen=True, slots=True)
class Op:
    """One run of the within-line alignment over comparable units [a1, a2) and [b1, b2)."""

    tag: str
    a1: int
    a2: int
    b1: int
    b2: int


def pair_lines(
    a_texts: Sequence[str], b_texts: Sequence[str], stats: AlignStats | None = None
) -> list[LinePair]:
    """Monotone pairing of A's lines with B's: ((a indexes), (b indexes)) in order.

    Each pair has 0 to `MAX_JOIN` indexes on one side and at most one on the other (a
    paragraph a line against the same text wrapped); an empty side means the line exists
    on one side only.
    """
    stats = stats if stats is not None else AlignStats()
    keys_a = [fold_line(t) for t in a_texts]
    keys_b = [fold_line(t) for t in b_texts]
    pairs: list[LinePair] = []
    i = j = 0
    for ai, bj in [*_anchors(keys_a, keys_b), (len(keys_a), len(keys_b))]:
        pairs.extend(_pair_gap(a_texts, b_texts, keys_a, keys_b, i, ai, j, bj, stats))
        if ai < len(keys_a):
            pairs.append(((ai,), (bj,)))
        i, j = ai + 1, bj + 1
    return pairs


def _anchors(keys_a: Sequence[str], keys_b: Sequence[str]) -> list[tuple[int, int]]:
    """Patience-diff anchors, O(n log n): the longest same-order subset of candidate pairs.

    Candidates pair lines whose key occurs equally often on both sides (at most
    `MAX_REPEAT` times: repeated page headers, a document appended twice), the k-th
    occurrence in A with the k-th in B.
    """
    count_a = Counter(keys_a)
    count_b = Counter(keys_b)
    where_b: dict[str, list[int]] = {}
    for j, k in enumerate(keys_b):
        if k and count_b[k] == count_a.get(k) and count_b[k] <= MAX_REPEAT:
            where_b.setdefault(k, []).append(j)
    seen: Counter[str] = Counter()
    candidates = []
    for i, k in enumerate(keys_a):
        if k in where_b:
            candidates.append((i, where_b[k][seen[k]]))
            seen[k] += 1
    # longest increasing subsequence of the B positions (patience sorting)
    tails: list[int] = []  # tails[L] = index into candidates ending an LIS of length L+1
    prev: list[int] = [-1] * len(candidates)
    tail_js: list[int] = []
    for c, (_, j) in enumerate(candidates):
        pos = bisect.bisect_left(tail_js, j)
        if pos:
            prev[c] = tails[pos - 1]
        if pos == len(tails):
            tails.append(c)
            tail_js.append(j)
        else:
            tails[pos] = c
            tail_js[pos] = j
    out: list[tuple[int, int]] = []
    c = tails[-1] if tails else -1
    while c >= 0:
        out.append(candidates[c])
        c = prev[c]
    out.reverse()
    return out


def _pair_gap(
    a: Sequence[str],
    b: Sequence[str],
    keys_a: Sequence[str],
    keys_b: Sequence[str],
    i1: int,
    i2: int,
    j1: int,
    j2: int,
    stats: AlignStats,
) -> list[LinePair]:
    """Lines between two anchors: equal keys at both ends, the middle by `_pair_block`."""
    head: list[LinePair] = []
    while i1 < i2 and j1 < j2 and keys_a[i1] == keys_b[j1]:
        head.append(((i1,), (j1,)))
        i1, j1 = i1 + 1, j1 + 1
    tail: list[LinePair] = []
    while i1 < i2 and j1 < j2 and keys_a[i2 - 1] == keys_b[j2 - 1]:
        tail.append(((i2 - 1,), (j2 - 1,)))
        i2, j2 = i2 - 1, j2 - 1
    tail.reverse()
    if i1 == i2:
        middle: list[LinePair] = [((), (j,)) for j in range(j1, j2)]
    elif j1 == j2:
        middle = [((i,), ()) for i in range(i1, i2)]
    else:
        middle = _pair_block(a, b, i1, i2, j1, j2, stats)
    return head + middle + tail


def _pair_block(
    a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int, stats: AlignStats
) -> list[LinePair]:
    n, m = i2 - i1, j2 - j1
    stats.replace_blocks += 1
    stats.largest_block = max(stats.largest_block, n * m)
    if n == 1 and m == 1:
        return [((i1,), (j1,))]  # pairing never costs more than leaving both unpaired

    def dist(x: str, y: str) -> int:
        stats.line_comparisons += 1
        return Levenshtein.distance(x, y)

    banded = n * m > FULL_DP_CELLS
    width = BAND + abs(n - m) // max(1, min(n, m)) if banded else 0

    inf = float("inf")
    # cost[i][j]: best cost for a[i1:i1+i] vs b[j1:j1+j]; rows kept sparse via dicts
    cost: list[dict[int, float]] = [dict() for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [dict() for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        centre = i * m / n
        lo = 0 if not banded else max(0, int(centre - width - 1))
        hi = m if not banded else min(m, int(centre + width + 1))
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, step = inf, (0, 0)
            ai = a[i1 + i - 1] if i else ""
            bj = b[j1 + j - 1] if j else ""
            if i and (c := cost[i - 1].get(j, inf) + len(ai)) < best:
                best, step = c, (1, 0)
            if j and (c := cost[i].get(j - 1, inf) + len(bj)) < best:
                best, step = c, (0, 1)
            if i and j and (prev := cost[i - 1].get(j - 1, inf)) < best:
                if (c := prev + dist(ai, bj)) < best:
                    best, step = c, (1, 1)
            # one line against 2..MAX_JOIN lines of the other side (split or joined):
            # k lines are tried only while k - 1 of them are still shorter than the one
            if i and j >= 2:
                for k in range(2, min(j, MAX_JOIN) + 1):
                    joined = " ".join(b[j1 + j - k : j1 + j])
                    if k > 2 and len(joined) - len(bj) - 1 >= len(ai):
                        break
                    if (prev := cost[i - 1].get(j - k, inf)) < best:
                        if (c := prev + dist(ai, joined)) < best:
                            best, step = c, (1, k)
            if i >= 2 and j:
                for k in range(2, min(i, MAX_JOIN) + 1):
                    joined = " ".join(a[i1 + i - k : i1 + i])
                    if k > 2 and len(joined) - len(ai) - 1 >= len(bj):
                        break
                    if (prev := cost[i - k].get(j - 1, inf)) < best:
                        if (c := prev + dist(joined, bj)) < best:
                            best, step = c, (k, 1)
            if best < inf:
                cost[i][j] = best
                back[i][j] = step
    if m not in cost[n]:  # cannot happen with the band centred on the corner; be safe
        return [((i,), ()) for i in range(i1, i2)] + [((), (j,)) for j in range(j1, j2)]
    out: list[LinePair] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        out.append((tuple(range(i1 + i - di, i1 + i)), tuple(range(j1 + j - dj, j1 + j))))
        i, j = i - di, j - dj
    out.reverse()
    return out


def align_units(keys_a: Sequence[str], keys_b: Sequence[str]) -> list[Op]:
    """Grapheme-level alignment of two key sequences, substitutions split by kind.

    Adjacent runs of the same kind are merged; the result covers both sequences fully.
    Very long lines (over `LONG_LINE` graphemes, e.g. a text file without line breaks)
    are aligned word by word first and grapheme by grapheme only inside differing words,
    so the cost stays near-linear there too.
    """
    ops: list[Op] = []

    def emit(tag: str, a1: int, a2: int, b1: int, b2: int) -> None:
        if a1 == a2 and b1 == b2:
            return
        if ops and ops[-1].tag == tag and ops[-1].a2 == a1 and ops[-1].b2 == b1:
            last = ops.pop()
            a1, b1 = last.a1, last.b1
        ops.append(Op(tag, a1, a2, b1, b2))

    if type(keys_a) is not type(keys_b):  # a str (one code point per unit) and a list
        keys_a, keys_b = list(keys_a), list(keys_b)
    if keys_a == keys_b:
        return [Op(EQUAL, 0, len(keys_a), 0, len(keys_b))] if keys_a else []
    if len(keys_a) <= LONG_LINE and len(keys_b) <= LONG_LINE:
        _char_ops(keys_a, keys_b, 0, len(keys_a), 0, len(keys_b), emit)
        return ops
    starts_a, words_a = _word_runs(keys_a)
    starts_b, words_b = _word_runs(keys_b)
    for op in Levenshtein.opcodes(words_a, words_b):
        a1, a2 = starts_a[op.src_start], starts_a[op.src_end]
        b1, b2 = starts_b[op.dest_start], starts_b[op.dest_end]
        if op.tag == "equal":
            emit(EQUAL, a1, a2, b1, b2)
        elif (a2 - a1) * (b2 - b1) <= LONG_LINE * LONG_LINE:
            _char_ops(keys_a, keys_b, a1, a2, b1, b2, emit)
        else:  # a huge block with nothing in common: position by position
            _positional(keys_a, keys_b, a1, a2, b1, b2, emit)
    return ops


def _word_runs(keys: Sequence[str]) -> tuple[list[int], list[str]]:
    """Words and single spaces as tokens; starts has one extra entry (the end)."""
    starts: list[int] = []
    words: list[str] = []
    i = 0
    while i < len(keys):
        j = i + 1
        if keys[i] != " ":
            while j < len(keys) and keys[j] != " ":
                j += 1
        starts.append(i)
        words.append("".join(keys[i:j]))
        i = j
    starts.append(len(keys))
    return starts, words


def _positional(keys_a, keys_b, a1: int, a2: int, b1: int, b2: int, emit) -> None:
    k = min(a2 - a1, b2 - b1)
    for t in range(k):
        ka, kb = keys_a[a1 + t], keys_b[b1 + t]
        tag = EQUAL if ka == kb else DIACRITIC if same_base(ka, kb) else LETTER
        emit(tag, a1 + t, a1 + t + 1, b1 + t, b1 + t + 1)
    emit(DELETE, a1 + k, a2, b1 + k, b1 + k)
    emit(INSERT, a2, a2, b1 + k, b2)


def _char_ops(keys_a, keys_b, a0: int, a_end: int, b0: int, b_end: int, emit) -> None:
    sub_a, sub_b = keys_a[a0:a_end], keys_b[b0:b_end]
    for op in Levenshtein.opcodes(sub_a, sub_b):
        tag = op.tag
        a1, a2 = a0 + op.src_start, a0 + op.src_end
        b1, b2 = b0 + op.dest_start, b0 + op.dest_end
        if tag == "replace":
            _positional(keys_a, keys_b, a1, a2, b1, b2, emit)
        else:
            emit(tag, a1, a2, b1, b2)
