"""Tests for the compiled channel loops (ocr_pipeline/restore/_channel_search.c) on invented
tables small enough to check by hand."""

from __future__ import annotations

import math

import pytest

from ocr_pipeline.restore import _channel_search as compiled
from ocr_pipeline.restore.channel import Channel, _ocr_parts, _SkeletonTrie

UNKNOWN = (math.log(0.8), math.log(1e-5), math.log(1e-8))
EMIT = {
    "a": {"a": math.log(0.9), "4": math.log(0.05), "": math.log(0.01)},
    "m": {"m": math.log(0.8), "rn": math.log(0.1)},
}
OTHER = {"a": math.log(0.001), "m": math.log(0.002)}


def score(ocr: str, syllable: str, ins: float = math.log(0.01), no_insert: float = 0.0):
    chars, pairs, _ = _ocr_parts(ocr)
    return compiled.dp_score(
        chars, pairs, (ins,) * len(ocr), EMIT, OTHER, UNKNOWN, no_insert, syllable
    )


def test_alignment_takes_the_best_path_by_hand():
    assert score("am", "am") == pytest.approx(math.log(0.9) + math.log(0.8))
    # "m" read as two characters "rn"
    assert score("arn", "am") == pytest.approx(math.log(0.9) + math.log(0.1))
    # a listed glyph, a deleted letter, an inserted character
    assert score("4m", "am") == pytest.approx(math.log(0.05) + math.log(0.8))
    assert score("m", "am") == pytest.approx(math.log(0.01) + math.log(0.8))
    assert score("axm", "am") == pytest.approx(math.log(0.9) + math.log(0.01) + math.log(0.8))
    # an unlisted character: the row's <other>; a letter without a row: the unknown costs
    assert score("em", "am") == pytest.approx(math.log(0.001) + math.log(0.8))
    assert score("q", "q") == pytest.approx(math.log(0.8))
    # "no insertion" is paid at each of the len(syllable) + 1 gaps
    assert score("am", "am", no_insert=-0.5) == pytest.approx(math.log(0.9) + math.log(0.8) - 1.5)


def test_alignment_rejects_misshaped_input():
    with pytest.raises(ValueError):
        compiled.dp_score(("a",), ("ab",), (0.0,), EMIT, OTHER, UNKNOWN, 0.0, "a")
    with pytest.raises(TypeError):
        compiled.dp_score(("ab",), (), (0.0,), EMIT, OTHER, UNKNOWN, 0.0, "a")


def search(trie: _SkeletonTrie, steps, dels=(), max_wild=0, wild=-9.0, reach_dels=()):
    limits = (max_wild, 1, 2, 1, 10.0, 10, 3000)
    found = compiled.search(
        trie.children, len(trie.letters), trie.is_word, steps, list(dels), list(reach_dels),
        trie.wild_mask, wild, limits,
    )  # fmt: skip
    return [(trie.nodes[n], c) for n, c in found]


def step(trie: _SkeletonTrie, reads: dict[str, float], ins: float = -20.0):
    opts = tuple((trie.letter[b], lp) for b, lp in reads.items())
    mask = sum(1 << trie.letter[b] for b in reads)
    return (opts, (), mask, (), ins)


def test_a_dropped_vowel_is_one_reach_step():
    trie = _SkeletonTrie.of({"ma": [], "m": []})
    steps = [step(trie, {"m": -0.1})]
    assert [s for s, _ in search(trie, steps)] == ["m"]
    found = search(trie, steps, reach_dels=[(trie.letter["a"], -9.0)])
    assert sorted(s for s, _ in found) == ["m", "ma"]


def test_search_finds_skeletons_best_first_and_only_vocabulary_ones():
    trie = _SkeletonTrie.of({"ma": [], "mo": [], "na": []})
    assert trie.nodes == ("", "m", "ma", "mo", "n", "na")
    steps = [step(trie, {"m": -0.1, "n": -1.0}), step(trie, {"a": -0.2, "o": -3.0})]
    found = search(trie, steps)
    assert [s for s, _ in found] == ["ma", "na", "mo"]
    assert found[0][1] == pytest.approx(-0.3)
    assert found[2][1] == pytest.approx(-3.1)


def test_search_wildcard_only_when_allowed_and_within_margin():
    trie = _SkeletonTrie.of({"ma": [], "me": []})
    steps = [step(trie, {"m": 0.0}), step(trie, {"a": 0.0})]
    assert [s for s, _ in search(trie, steps)] == ["ma"]
    found = search(trie, steps, max_wild=1, wild=-4.0)
    assert found == [("ma", 0.0), ("me", -4.0)]
    # a wildcard more than the margin (10 nats) below the best skeleton is not explored
    assert [s for s, _ in search(trie, steps, max_wild=1, wild=-11.0)] == ["ma"]


def test_channel_candidates_through_the_compiled_search():
    ch = Channel("tiny", EMIT, OTHER, {}, math.log(1e-6), 0.0, reach=False)
    ch.set_vocabulary({"am": 10, "ma": 5})
    assert [s for s, _ in ch.candidates("arn")] == ["am"]
    assert ch.candidates("arn")[0][1] == pytest.approx(ch.logprob("arn", "am"))


UNKNOWN = (math.log(0.8), math.log(1e-5), math.log(1e-8))


def test_align_returns_the_operations_of_the_best_path_ties_to_an_insertion():
    half = math.log(0.5)
    emit = {"a": {"a": half, "": 0.0}, "b": {"b": half, "bb": math.log(0.4)}}
    # "a" read as "a" (0.5) or deleted (1.0) with "a" inserted (0.5): a tie, which the
    # insertion wins, as the Python programme this replaces decided
    ops = compiled.align("a", "a", emit, {}, {"a": half}, math.log(1e-6), UNKNOWN)
    assert ops == [("a", ""), ("", "a")]
    # two OCR characters from one source character; a character without a row
    ops = compiled.align("bbz", "bz", emit, {}, {}, math.log(1e-6), UNKNOWN)
    assert ops == [("b", "bb"), ("z", "z")]
    assert compiled.align("", "", emit, {}, {}, 0.0, UNKNOWN) == []


def test_align_by_the_channel_rescores_to_its_logprob():
    ch = Channel(
        "t",
        {"ư": {"u'": math.log(0.3), "u": math.log(0.6)}, "n": {"n": 0.0}},
        {},
        {"'": math.log(0.01)},
        math.log(1e-6),
        0.0,
    )
    ops = ch.align("u'n", "ưn")
    assert ops == [("ư", "u’"), ("n", "n")]  # the apostrophe as the channel reads it
    assert math.isclose(sum(ch.emission(c, o) for c, o in ops), ch.logprob("u'n", "ưn"))


def rank(ocr: str, skeletons, index, k: int, weight: float = 0.0, own: str | None = None):
    chars, pairs, _ = _ocr_parts(ocr)
    ins = (math.log(0.01),) * len(ocr)
    return compiled.rank(
        chars, pairs, ins, EMIT, OTHER, UNKNOWN, 0.0, skeletons, index, k, weight, own
    )


def test_rank_returns_the_k_best_by_rank_then_syllable_and_the_own_score():
    # four syllables of one skeleton with equal priors: "am" scores best, "an" and "ap"
    # tie (one unknown letter each) and go in syllable order; "aq" ties too but is cut at k
    index = {"am": [("ap", -1.0), ("am", -1.0), ("aq", -1.0), ("an", -1.0)]}
    top, own = rank("am", [("am", 0.0)], index, 3, own="aq")
    assert [s for s, _v in top] == ["am", "an", "ap"]
    assert top[0][1] == pytest.approx(score("am", "am"))
    assert top[1][1] == top[2][1]
    assert own == pytest.approx(score("am", "aq"))  # scored though not in the top k
    # the prior weight reorders; a syllable never scored has no own score
    index = {"am": [("an", math.log(0.9)), ("am", math.log(1e-9))]}
    top, own = rank("am", [("am", 0.0)], index, 1, weight=1.0, own="zz")
    assert [s for s, _v in top] == ["an"] and own is None
