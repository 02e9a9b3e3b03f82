"""Tests for the compiled Viterbi (ocr_pipeline/restore/_lattice.c) on lattices small enough
to check by hand: invented ids, forms and scores, an LM cache of plain contexts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ocr_pipeline.restore import _lattice
from ocr_pipeline.restore.decoder import Cand


@dataclass
class Ctx:
    a: int
    b: int
    vals: dict[int, float] = field(default_factory=dict)


class LM:
    """A cache like the decoder's: contexts created on demand, filled from `scores`
    ({(a, b, c): score}, default -5)."""

    def __init__(self, scores: dict[tuple[int, int, int], float]) -> None:
        self.scores = scores
        self.cache: dict[tuple[int, int], Ctx] = {}
        self.filled: list[tuple[int, int, int]] = []

    def context(self, a: int, b: int) -> Ctx:
        return self.cache.setdefault((a, b), Ctx(a, b))

    def fill(self, misses: list[tuple[Ctx, int]]) -> None:
        for ctx, c in misses:
            ctx.vals[c] = self.scores.get((ctx.a, ctx.b, c), -5.0)
            self.filled.append((ctx.a, ctx.b, c))


def decode(lm, cols, caps=None, term=None, place=None, beam=10.0, start=1):
    ids = [tuple(i for i, _f, _c in col) for col in cols]
    forms = [tuple(f for _i, f, _c in col) for col in cols]
    chans = [tuple(c for _i, _f, c in col) for col in cols]
    delta0 = [c for _i, _f, c in cols[0]]
    return _lattice.viterbi(
        ids, forms, chans, caps or [False] * len(cols), delta0, [start] * len(cols[0]),
        lm.cache, lm.context, lm.fill, term or {}, place or {}, beam,
    )  # fmt: skip


def test_the_lm_overrules_the_channel_along_the_best_history():
    # position 0: 10 "an" (channel -1) or 11 "en" (-0.5); position 1: 20 "toan" only
    cols = [[(10, "an", -1.0), (11, "en", -0.5)], [(20, "toan", 0.0)]]
    lm = LM({(1, 10, 20): -0.1, (1, 11, 20): -3.0})
    assert decode(lm, cols) == [0, 0]
    # each (history, previous) context is scored once, for every candidate it precedes
    assert sorted(lm.filled) == [(1, 10, 20), (1, 11, 20)]
    lm = LM({(1, 10, 20): -3.0, (1, 11, 20): -0.1})
    assert decode(lm, cols) == [1, 0]


def test_the_trigram_uses_each_predecessors_own_best_history():
    cols = [[(10, "x", 0.0), (11, "y", -0.2)], [(20, "p", 0.0)], [(30, "q", 0.0), (31, "r", 0.0)]]
    lm = LM({(1, 10, 20): -1.0, (1, 11, 20): -2.0, (10, 20, 31): -0.5, (10, 20, 30): -2.0})
    assert decode(lm, cols) == [0, 0, 1]


def test_beam_drops_predecessors_and_the_larger_of_term_and_place_bonuses_counts():
    cols = [[(10, "a", 0.0), (11, "b", -4.0)], [(20, "c", 0.0)]]
    lm = LM({(1, 10, 20): -6.0, (1, 11, 20): 0.0})
    assert decode(lm, cols, beam=5.0) == [1, 0]  # within the beam: "b" wins on the LM
    assert decode(LM(lm.scores), cols, beam=3.0) == [0, 0]  # "b" pruned
    # a term bonus after "a" brings it back; between capitalised words the place bonus
    # applies too, and the larger of the two where both tables name the pair (as the
    # local pass takes it)
    assert decode(LM(lm.scores), cols, term={"a": {"c": 3.0}}) == [0, 0]
    place = {"a": {"c": 3.0}}
    assert decode(LM(lm.scores), cols, place=place) == [1, 0]  # lowercase: no place bonus
    assert decode(LM(lm.scores), cols, caps=[True, True], place=place) == [0, 0]
    term = {"a": {"c": 0.0}}
    assert decode(LM(lm.scores), cols, caps=[True, True], place=place, term=term) == [0, 0]
    assert decode(LM(lm.scores), cols, caps=[True, True], place={"a": {"c": 0.0}}, term=term) == [
        1,
        0,
    ]


def test_misshaped_lattices_are_errors():
    lm = LM({})
    with pytest.raises(ValueError):
        _lattice.viterbi([], [], [], [], [], [], {}, lm.context, lm.fill, {}, {}, 5.0)
    with pytest.raises(ValueError):
        _lattice.viterbi(
            [(1,)], [("a", "b")], [(0.0,)], [False], [0.0], [1], {}, lm.context, lm.fill,
            {}, {}, 5.0,
        )  # fmt: skip


def test_local_scores_add_every_term_that_touches_the_position():
    # candidates (form, chan, lm id) at position i between chosen words 5 ("x") and 7
    lm = LM({(4, 5, 10): -1.0, (4, 5, 11): -2.0, (5, 10, 7): -0.5, (10, 7, 8): -0.25})
    here = lm.context(4, 5)
    col = (Cand("a", -1.0, 10), Cand("b", -0.5, 11))
    term = {"x": {"a": 2.0}, "a": {"y": 1.0}}
    place = {"x": {"b": 3.0}, "b": {"y": 0.5}}
    scores = _lattice.local_scores(
        col, here, 5, 7, 8, "y", term["x"], None, False, term, place, lm.cache, lm.context,
        lambda ctx, w: lm.fill([(ctx, w)]) or ctx.vals[w],
    )  # fmt: skip
    # a: chan + LM after (4, 5) + bonus after "x" + LM of 7 after (5, a) + bonus a->y + LM of 8
    assert scores == [-1.0 + -1.0 + 2.0 + -0.5 + 1.0 + -0.25, -0.5 + -2.0 + 0.0 - 5.0 + 0.0 - 5.0]
    # capitalised on both sides: the larger of the term and place bonuses
    scores = _lattice.local_scores(
        col, here, 5, 7, -1, "y", term["x"], place["x"], True, term, place, lm.cache,
        lm.context, lambda ctx, w: lm.fill([(ctx, w)]) or ctx.vals[w],
    )  # fmt: skip
    assert scores == [-1.0 + -1.0 + 2.0 + -0.5 + 1.0, -0.5 + -2.0 + 3.0 - 5.0 + 0.5]


def test_prefill_asks_only_for_what_the_cache_lacks():
    lm = LM({})
    lattice = [
        (Cand("a", 0.0, 10),),
        (Cand("b", 0.0, 20), Cand("c", 0.0, 21)),
        (Cand("d", 0.0, 30),),
    ]
    misses = _lattice.prefill(lattice, [10, 20, 30], [False, True, False], 1, lm.cache, lm.context)
    pairs = [(ctx.a, ctx.b, w) for ctx, w in misses]
    assert pairs == [(1, 10, 20), (10, 20, 30), (1, 10, 21), (10, 21, 30)]
    lm.fill(misses)
    again = _lattice.prefill(lattice, [10, 20, 30], [True] * 3, 1, lm.cache, lm.context)
    assert [(ctx.a, ctx.b, w) for ctx, w in again] == [(1, 1, 10)]  # the first word's own
