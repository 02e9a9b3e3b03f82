"""scripts/build_lm.py --source-weights: a source's lines counted N times in the LM build."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import build_lm  # noqa: E402

LINES = [
    ("phapdien", "Điều một. Quy định chung về sổ tay."),
    ("congbao", "Hằng năm xã lập kế hoạch"),
    ("viwiki", "Hàng năm có lễ hội ven sông"),
]


@pytest.fixture
def corpus(monkeypatch):
    monkeypatch.setattr(build_lm, "iter_training_lines", lambda: iter(LINES))


def bigram_count(seq: np.ndarray, types: list[str], a: str, b: str) -> int:
    ia, ib = types.index(a), types.index(b)
    return int(((seq[:-1] == ia) & (seq[1:] == ib)).sum())


def test_parse_source_weights():
    assert build_lm.parse_source_weights("") == dict.fromkeys(build_lm.SOURCES, 1)
    got = build_lm.parse_source_weights("congbao=3, viwiki=2")
    assert got["congbao"] == 3 and got["viwiki"] == 2 and got["phapdien"] == 1
    for bad in ("congbao", "congbao=0", "congbao=1.5", "blogs=2", "congbao=-1"):
        with pytest.raises(SystemExit, match="--source-weights"):
            build_lm.parse_source_weights(bad)


def test_weighted_source_counted_n_times(corpus):
    plain, plain_types = build_lm.read_corpus(None)
    ones, ones_types = build_lm.read_corpus(None, build_lm.parse_source_weights(""))
    assert ones_types == plain_types and np.array_equal(ones, plain)  # default: unchanged

    seq, types = build_lm.read_corpus(None, build_lm.parse_source_weights("congbao=3"))
    assert bigram_count(seq, types, "hằng", "năm") == 3
    assert bigram_count(seq, types, "hàng", "năm") == 1
    assert bigram_count(seq, types, "quy", "định") == 1
    assert len(seq) == len(plain) + 2 * (6 + 2)  # two more copies of 6 words + </s> <s>
    # every copy is a sentence of its own: <s> before each, </s> after each
    bos, eos = build_lm.BOS_ID, build_lm.EOS_ID
    assert seq[0] == bos and seq[-1] == eos
    assert int((seq == bos).sum()) == int((seq == eos).sum()) == int((plain == bos).sum()) + 2


def test_weighted_counts_reach_the_ngram_tables(corpus):
    seq, types = build_lm.read_corpus(None, build_lm.parse_source_weights("viwiki=2"))
    seq, vocab, _counts, _unk = build_lm.build_vocab(seq, types, 1, 1)
    grams = build_lm.count_ngrams(seq, 3, len(vocab))
    keys, raw = grams[3]
    ids = [vocab.index(w) for w in ("lễ", "hội", "ven")]
    key = np.uint64((ids[0] << (2 * build_lm.BITS)) | (ids[1] << build_lm.BITS) | ids[2])
    assert raw[np.searchsorted(keys, key)] == 2
