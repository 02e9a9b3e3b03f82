"""Tests for the compiled Viterbi (ocr_pipeline/restore/_lattice.c) on lattices small enough
to check by hand: invented ids, forms and scores, an LM cache of plain contexts."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_pipeline.restore import _lattice
from ocr_pipeline.restore.decoder import Cand


class LM:
    """A language model of invented scores ({(a, b, c): log10 P}, default -5) behind a
    ScoreCache of weight 1, recording which trigrams the cache asked it for."""

    def __init__(self, scores: dict[tuple[int, int, int], float]) -> None:
        self.scores = scores
        self.filled: list[tuple[int, int, int]] = []
        self.cache = _lattice.ScoreCache(1.0, 1000, self.logprob)

    def logprob(self, a: int, b: int, c: int) -> float:
        self.filled.append((a, b, c))
        return self.scores.get((a, b, c), -5.0)


def decode(lm, cols, caps=None, term=None, place=None, beam=10.0, start=1):
    ids = [tuple(i for i, _f, _c in col) for col in cols]
    forms = [tuple(f for _i, f, _c in col) for col in cols]
    chans = [tuple(c for _i, _f, c in col) for col in cols]
    return _lattice.viterbi(
        ids, forms, chans, caps or [False] * len(cols), start, lm.cache, term or {},
        place or {}, beam,
    )  # fmt: skip


def test_the_lm_overrules_the_channel_along_the_best_history():
    # position 0: 10 "an" (channel -1) or 11 "en" (-0.5); position 1: 20 "toan" only
    cols = [[(10, "an", -1.0), (11, "en", -0.5)], [(20, "toan", 0.0)]]
    lm = LM({(1, 10, 20): -0.1, (1, 11, 20): -3.0})
    assert decode(lm, cols) == [0, 0]
    # each trigram is scored once: the first position's after <s> <s>, then every
    # candidate after each predecessor with that predecessor's best history
    assert sorted(lm.filled) == [(1, 1, 10), (1, 1, 11), (1, 10, 20), (1, 11, 20)]
    decode(lm, cols)
    assert len(lm.filled) == 4  # a second decoding reads the cache
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
        _lattice.viterbi([], [], [], [], 1, lm.cache, {}, {}, 5.0)
    with pytest.raises(ValueError):
        _lattice.viterbi([(1,)], [("a", "b")], [(0.0,)], [False], 1, lm.cache, {}, {}, 5.0)
    with pytest.raises(TypeError):  # the scores must be a ScoreCache
        _lattice.viterbi([(1,)], [("a",)], [(0.0,)], [False], 1, {}, {}, {}, 5.0)


def test_local_scores_add_every_term_that_touches_the_position():
    # candidates (form, chan, lm id) at position 2 between chosen words 4, 5 ("x") and
    # 7 ("y"), 8
    lm = LM({(4, 5, 10): -1.0, (4, 5, 11): -2.0, (5, 10, 7): -0.5, (10, 7, 8): -0.25})
    col = (Cand("a", -1.0, 10), Cand("b", -0.5, 11))
    chosen = [Cand("w", 0.0, 4), Cand("x", 0.0, 5), col[0], Cand("y", 0.0, 7), Cand("z", 0.0, 8)]
    term = {"x": {"a": 2.0}, "a": {"y": 1.0}}
    place = {"x": {"b": 3.0}, "b": {"y": 0.5}}

    def scores(caps, path=chosen):
        return _lattice.local_scores(2, col, path, caps, 1, term, place, {}, lm.cache)

    # a: chan + LM after (4, 5) + bonus after "x" + LM of 7 after (5, a) + bonus a->y + LM of 8
    assert scores([False] * 5) == [
        -1.0 + -1.0 + 2.0 + -0.5 + 1.0 + -0.25,
        -0.5 + -2.0 + 0.0 - 5.0 + 0.0 - 5.0,
    ]
    # capitalised on both sides: the larger of the term and place bonuses; no word after 7
    caps = [False, True, True, True]
    assert scores(caps, chosen[:4]) == [
        -1.0 + -1.0 + 2.0 + -0.5 + 1.0,
        -0.5 + -2.0 + 3.0 - 5.0 + 0.5,
    ]
    # at the start: after <s> <s>, no bonus before
    first = _lattice.local_scores(0, col, chosen[2:3], [False], 1, term, place, {}, lm.cache)
    assert first == [-1.0 - 5.0, -0.5 - 5.0]


def test_the_local_pass_takes_an_alternative_only_past_the_margin():
    # position 1 chose "b" (Viterbi index 1); local scores after <s> "s": a -1.0, b -1.5
    lm = LM({(1, 3, 10): -1.0, (1, 3, 11): -1.5})
    lattice = [(Cand("s", 0.0, 3),), (Cand("a", 0.0, 10), Cand("b", 0.0, 11))]

    def run(margin, keep=True):
        chosen = [lattice[0][0], lattice[1][1]]
        todo = [False, True]
        local = _lattice.local_pass(
            lattice, chosen, [0, 1], todo, [False, False], 1, {}, {}, {}, lm.cache, margin, keep
        )
        return chosen[1].form, local

    form, local = run(0.4)
    assert form == "a" and local == {1: [-1.0, -1.5]}
    form, _ = run(0.5)  # a rise of exactly the margin is not enough
    assert form == "b"
    # the scores are kept only when asked for (posteriors); the choice is the same
    assert run(0.4, keep=False) == ("a", {})


def test_the_score_cache_weights_remembers_and_starts_afresh_at_its_limit():
    calls = []

    def logprob(a: int, b: int, c: int) -> float:
        calls.append((a, b, c))
        return -0.5 * c

    cache = _lattice.ScoreCache(2.0, 3, logprob)
    assert cache.score(1, 2, 3) == -3.0 and cache.score(1, 2, 3) == -3.0
    assert calls == [(1, 2, 3)] and len(cache) == 1
    for c in range(4, 7):  # the third new entry fills it; the fourth empties it first
        cache.score(1, 2, c)
    assert len(cache) == 1
    assert cache.score(1, 2, 3) == -3.0 and calls[-1] == (1, 2, 3)  # scored again
    cache.clear()
    assert len(cache) == 0
    with pytest.raises(IndexError):
        cache.score(-1, 2, 3)
    with pytest.raises(ZeroDivisionError):  # the model's error reaches the caller
        _lattice.ScoreCache(1.0, 10, lambda a, b, c: 1 / 0).score(1, 2, 3)
    with pytest.raises(TypeError):
        _lattice.ScoreCache(1.0, 10, "not a model")


def test_the_score_cache_grows_past_its_first_table():
    cache = _lattice.ScoreCache(1.0, 100_000, lambda a, b, c: float(a + b + c))
    for c in range(5000):
        assert cache.score(c % 7, c % 11, c) == float(c % 7 + c % 11 + c)
    assert len(cache) == 5000
    assert all(cache.score(c % 7, c % 11, c) == float(c % 7 + c % 11 + c) for c in range(5000))


def test_the_score_cache_reads_the_model_tables_as_the_model_scores_bit_for_bit():
    # stored trigrams, a context's other followers, backed-off and unseen words, sentence
    # starts: each context asked again and again (what the Viterbi does), through a cache
    # small enough to start afresh several times (its contexts with it)
    from ocr_pipeline.restore.lm import BOS_ID, NUM_ID, UNK_ID, load_lm

    model = load_lm()
    ids = model.ids("ủy ban nhân dân tỉnh quyết định về việc ban hành quy chế".split())
    rng = np.random.default_rng(2)
    triples = []
    for k in range(2, len(ids)):
        for c in [ids[k], *ids[:k], int(rng.integers(4, len(model))), NUM_ID, UNK_ID]:
            triples += [(ids[k - 2], ids[k - 1], c), (BOS_ID, ids[k - 1], c), (BOS_ID, BOS_ID, c)]
            triples.append((int(rng.integers(4, len(model))), ids[k - 1], c))
    for limit in (7, 100_000):
        cache = _lattice.ScoreCache(2.5, limit, model.trigram_tables())
        for a, b, c in triples + triples[::-1]:
            assert cache.score(a, b, c) == 2.5 * model.logprob((a, b), c), (a, b, c)
    # more contexts than the cache remembers (2**17): they start afresh, scores unchanged
    cache = _lattice.ScoreCache(1.0, 1_000_000, model.trigram_tables())
    for n, (a, b) in enumerate((a, b) for a in range(4, 404) for b in range(4, 344)):
        c = ids[n % len(ids)]
        got = cache.score(a, b, c)
        if n % 97 == 0:
            assert got == model.logprob((a, b), c), (a, b, c)
    assert all(cache.score(a, b, c) == model.logprob((a, b), c) for a, b, c in triples)
