"""Tests for ocr_pipeline.restore.lm (uses the packaged artifact ocr_pipeline/data/)."""

import unicodedata

import numpy as np
import pytest

from ocr_pipeline.errors import MissingDependencyError
from ocr_pipeline.restore import lm as lmmod
from ocr_pipeline.restore.lm import BOS_ID, EOS_ID, NUM_ID, UNK_ID, load_lm


@pytest.fixture(scope="module")
def model():
    return load_lm()


def test_artifact_is_small():
    assert lmmod.DEFAULT_PATH.exists()
    assert lmmod.DEFAULT_PATH.stat().st_size < 40_000_000


def test_load_is_cached(model):
    assert load_lm() is model
    assert model.order >= 3


def test_missing_artifact_raises_pipeline_error(tmp_path):
    with pytest.raises(MissingDependencyError, match="build_lm.py"):
        load_lm(tmp_path / "nope.npz")


def test_corrupt_artifact_raises_pipeline_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(MissingDependencyError, match="unreadable"):
        load_lm(bad)


def test_tokenize_sentences():
    text = "Ủy ban nhân dân TP. Hà Nội, năm 2025: báo cáo!\nDòng hai (thử)"
    assert lmmod.tokenize_sentences(text) == [
        ["ủy", "ban", "nhân", "dân", "tp"],
        ["hà", "nội", "năm", "<num>"],
        ["báo", "cáo"],
        ["dòng", "hai", "thử"],
    ]
    assert lmmod.normalize_token("HOÀ") == "hòa"
    assert lmmod.normalize_token(unicodedata.normalize("NFD", "Thuỷ")) == "thủy"
    assert lmmod.normalize_token("2.1") == "<num>"
    assert lmmod.tokenize_sentences(unicodedata.normalize("NFD", "Hòa bình")) == [["hòa", "bình"]]


def test_vocab(model):
    for w in ["của", "và", "ủy", "ban", "nhân", "dân", "người", "quyết", "định", "thủy"]:
        assert w in model, w
        assert model.count(w) > 100
    assert model.vocab_id("Ủy") == model.vocab_id("ủy") == model.vocab_id("uỷ")
    assert model.vocab_id("zzzqqq") == UNK_ID
    assert model.vocab[:4] == ["<unk>", "<s>", "</s>", "<num>"]
    assert model.vocab_id("2025") == NUM_ID


def test_common_trigram_beats_scrambled(model):
    assert model.score_sequence(["ủy", "ban", "nhân"], bos=False, eos=False) > (
        model.score_sequence(["nhân", "ủy", "ban"], bos=False, eos=False) + 1.0
    )
    assert model.score_sequence("ủy ban nhân dân tỉnh".split()) > model.score_sequence(
        "ủy bàn nhân dần tình".split()
    )


def test_diacritics_matter(model):
    ids = model.ids(["cộng", "hòa", "xã", "hội"])
    good = model.logprob(ids[:3], ids[3])
    bad = model.logprob(ids[:3], model.vocab_id("hồi"))
    assert good > bad + 2


def test_backoff_for_unseen_context(model):
    unk_ctx = (UNK_ID, UNK_ID, UNK_ID)
    w = model.vocab_id("của")
    p = model.logprob(unk_ctx, w)
    assert np.isfinite(p) and -8 < p < 0
    # an unseen context backs off to (a scaled) unigram: ordering by frequency survives
    rare = model.vocab_id("thuyền")
    assert rare != UNK_ID and model.count("thuyền") < model.count("của")
    assert model.logprob(unk_ctx, w) > model.logprob(unk_ctx, rare)
    assert model.logprob((), w) == pytest.approx(model.unigram_logprob("của"))


def test_distribution_sums_to_one(model):
    words = np.array([i for i in range(len(model)) if i != BOS_ID])
    for ctx in [(), (BOS_ID,), tuple(model.ids(["ủy", "ban"])), (UNK_ID, 7, 9)]:
        c = np.full((len(words), model.order - 1), -1)
        if ctx:
            c[:, c.shape[1] - len(ctx) :] = ctx
        total = float((10.0 ** model.logprob_batch(c, words).astype(np.float64)).sum())
        assert total == pytest.approx(1.0, abs=0.01), ctx


def test_batch_matches_scalar(model):
    rng = np.random.default_rng(0)
    ids = model.ids("ủy ban nhân dân tỉnh quyết định về việc ban hành quy chế".split())
    ctxs, words, scal = [], [], []
    for _ in range(200):
        k = int(rng.integers(0, len(ids) - 1))
        h = tuple(ids[max(0, k - int(rng.integers(0, 4))) : k])
        w = ids[k] if rng.random() < 0.5 else int(rng.integers(4, len(model)))
        row = [-1] * (model.order - 1 - len(h)) + list(h[-(model.order - 1) :])
        ctxs.append(row[-(model.order - 1) :])
        words.append(w)
        scal.append(model.logprob(h, w))
    batch = model.logprob_batch(np.array(ctxs), np.array(words))
    assert np.allclose(batch, scal, atol=1e-4)


def test_bigram_logprob_equals_logprob_bit_for_bit(model):
    # stored bigrams, unseen pairs (backoff to the unigram), sentence starts, unknown words
    ids = model.ids("ủy ban nhân dân tỉnh quyết định về việc ban hành quy chế".split())
    rng = np.random.default_rng(2)
    pairs = [(ids[k - 1], ids[k]) for k in range(1, len(ids))]
    pairs += [(ids[k], int(rng.integers(4, len(model)))) for k in range(len(ids))]
    pairs += [(BOS_ID, ids[0]), (UNK_ID, ids[1]), (ids[2], UNK_ID), (ids[3], NUM_ID)]
    for a, b in pairs:
        assert model.bigram_logprob(a, b) == model.logprob((a,), b)


def test_trigram_logprobs_equal_logprob_bit_for_bit(model):
    # stored trigrams, stored bigrams after an unseen pair, unseen words, sentence starts
    ids = model.ids("ủy ban nhân dân tỉnh quyết định về việc ban hành quy chế".split())
    rng = np.random.default_rng(1)
    a, b, c = [], [], []
    for k in [*range(2, len(ids)), *range(2, len(ids)), *range(2, len(ids))]:
        a += [ids[k - 2], int(rng.integers(4, len(model))), BOS_ID, BOS_ID, UNK_ID]
        b += [ids[k - 1], ids[k - 1], BOS_ID, ids[k - 1], ids[k - 1]]
        c += [ids[k], ids[k], ids[k], int(rng.integers(4, len(model))), NUM_ID]
    want = [model.logprob((x, y), z) for x, y, z in zip(a, b, c, strict=True)]
    # exact: the decoder's output must not depend on which path scored
    assert model.trigram_logprobs(a, b, c) == want
    assert model.trigram_logprobs(a[:3], b[:3], c[:3]) == want[:3]
    assert model.trigram_logprobs([], [], []) == []
    with pytest.raises(IndexError):  # an id outside the model is an error, not a read
        model.trigram_logprobs([1], [1], [len(model)])


def test_oov_word_is_less_likely_than_the_unk_class(model):
    assert model.unk_id == UNK_ID and model.bos_id == BOS_ID and model.eos_id == EOS_ID
    assert model.unk_types > 1000
    ctx = model.ids(["ủy", "ban"])
    assert model.oov_logprob(ctx) < model.logprob(ctx, UNK_ID) - 3
    # a specific unknown word is less likely than a rare known syllable after "ủy ban"
    assert model.oov_logprob(ctx) < model.logprob(ctx, model.vocab_id("thuyền"))


def test_sentence_end_and_perplexity(model):
    ids = model.ids(["ban", "hành"])
    assert model.logprob([BOS_ID] + ids, EOS_ID) < 0
    ppl = model.perplexity(["Ủy ban nhân dân tỉnh ban hành quyết định này."])
    assert 1 < ppl < 1000
    assert model.perplexity(["ủy ban nhân dân"]) < model.perplexity(["dân nhân ban ủy"])


def test_top_followers_are_the_likeliest_stored_bigrams(model):
    a = model.vocab_id("hấp")
    top = model.top_followers(a, 5, -3.0, 0.5)
    assert 0 < len(top) <= 5
    probs = [p for _i, p in top]
    assert probs == sorted(probs, reverse=True)
    for i, p in top:  # the values `logprob` finds, no special tokens, at least 10**0.5 lift
        assert i >= 4 and model.logprob((a,), i) == pytest.approx(p)
        assert p >= -3.0 and p - model.unigram_logprobs[i] >= 0.5
    assert model.vocab[top[0][0]] == "dẫn"
    assert model.top_followers(a, 50, 0.0, 0.5) == ()
    assert model.top_followers(a, 0, -3.0, 0.5) == ()
    # a word that follows everything is no partner of this one ("của" after "hấp")
    assert model.vocab_id("của") not in [i for i, _p in model.top_followers(a, 50, -9.0, 0.5)]


def test_top_predecessors_are_the_likeliest_pairs_ending_in_a_word(model):
    b = model.vocab_id("dẫn")
    top = model.top_predecessors(b, 8, 0.5)
    assert 0 < len(top) <= 8
    joint = [model.unigram_logprobs[a] + p for a, p in top]
    assert joint == sorted(joint, reverse=True)  # the likeliest pair first
    for a, p in top:  # p is log10 p(b | a), b at least 10**0.5 times likelier after a
        assert a >= 4 and model.logprob((a,), b) == pytest.approx(p)
        assert p >= model.unigram_logprobs[b] + 0.5
    assert "hướng" in [model.vocab[a] for a, _p in top]
    assert model.top_predecessors(b, 0, 0.5) == ()


def test_partners_of_a_model_whose_file_went_away_are_built_in_memory(tmp_path, monkeypatch):
    import shutil

    from ocr_pipeline.restore.arraycache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))  # the copy's entries stay here
    copy = tmp_path / "lm.npz"
    shutil.copy(lmmod.DEFAULT_PATH, copy)
    model = lmmod.NgramLM(copy)
    copy.unlink()  # removed after it was read: no traceback, no cache entry of it
    a = model.vocab_id("hấp")
    assert model.vocab[model.top_followers(a, 3, -3.0, 0.5)[0][0]] == "dẫn"
