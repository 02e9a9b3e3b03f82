"""The reviewer's word confidence (restore.confidence): a probability from the decoder's
evidence, which never changes the restored text."""

from __future__ import annotations

import dataclasses
import math

import pytest
from test_decoder import FakeChannel, FakeLM

from ocr_pipeline.restore import confidence as C
from ocr_pipeline.restore import decoder as D
from ocr_pipeline.restore.dictionary import Dictionaries
from ocr_pipeline.restore.tokenize import tokenize


def _evidence(**kw) -> C.Evidence:
    base = dict(
        ocr="tam",
        form="tâm",
        kept=False,
        posterior=0.9,
        runner_up=0.08,
        none_share=0.99,
        chan=-0.5,
        chan_best=-0.5,
        context=-12.0,
        context_best=-12.0,
        candidates=6,
    )
    return C.Evidence(**{**base, **kw})


def test_the_features_are_the_named_ones() -> None:
    # (the weights' count is checked where they are defined)
    assert len(C.features(_evidence())) == len(C.FEATURES)


def test_probability_is_a_probability_and_rises_with_the_posterior() -> None:
    confs = [C.probability(_evidence(posterior=p, runner_up=1 - p)) for p in (0.3, 0.6, 0.9, 0.99)]
    assert all(0.0 < c < 1.0 for c in confs)
    assert confs == sorted(confs) and confs[0] < confs[-1]


def test_a_reading_far_from_its_ocr_token_is_less_sure() -> None:
    # the same reading, once of its own unmarked letters, once of a garbled token
    plain = C.probability(_evidence(ocr="tam"))
    garbled = C.probability(_evidence(ocr="tdm", chan=-3.0))
    assert garbled < plain


def test_a_token_kept_as_unreadable_junk_is_unsure() -> None:
    junk = _evidence(ocr="xq#z", form="xq#z", kept=True, chan=-9.0, chan_best=-9.0)
    assert C.probability(junk) < C.probability(_evidence())


def _decoder() -> D.Decoder:
    return D.Decoder(FakeChannel(), FakeLM(), Dictionaries(), D.Weights())


def test_decoder_confidence_is_the_model_of_its_evidence() -> None:
    toks = tokenize("kiem tra trong tdm2 quy")
    choices = _decoder().decode_tokens(toks)
    for ch in choices.values():
        ev = ch.evidence
        assert ev is not None
        assert math.isclose(ch.confidence, C.probability(ev))
        assert ev.posterior == ch.posterior
        assert ev.form == (ch.syllable or ch.form)
    tam = next(ch for ch in choices.values() if ch.marker_original == "2")
    assert tam.evidence.ocr == "tdm"  # the marker split off the OCR token


def test_confidence_never_changes_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    toks = tokenize("Pang uy cac phuong kiem tra trong tam")
    before = {i: dataclasses.astuple(c)[:3] for i, c in _decoder().decode_tokens(toks).items()}
    monkeypatch.setattr(D, "probability", lambda ev: 0.01)
    after = _decoder().decode_tokens(toks)
    assert {i: dataclasses.astuple(c)[:3] for i, c in after.items()} == before
    assert all(c.confidence == 0.01 for c in after.values())


def _fit_script():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import fit_confidence

    return fit_confidence


def test_fit_recovers_a_known_logistic_model() -> None:
    np = pytest.importorskip("numpy")
    fc = _fit_script()
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 2))
    true = np.array([0.5, 2.0, -1.0])
    p = 1.0 / (1.0 + np.exp(-(true[0] + x @ true[1:])))
    y = (rng.random(4000) < p).astype(float)
    w = fc.fit(x, y, l2=0.0)
    assert np.allclose(w, true, atol=0.2)
    # a row of weight 0 is not fitted on: a contradicting copy of the data changes nothing
    xx, yy = np.vstack([x, x]), np.concatenate([y, 1.0 - y])
    ww = fc.fit(xx, yy, np.concatenate([np.ones(4000), np.zeros(4000)]), l2=0.0)
    assert np.allclose(ww, w, atol=1e-6)


def test_noisy_reading_is_seeded_and_changes_letters_only() -> None:
    import random

    fc = _fit_script()
    text = "Kiểm tra 12 đơn vị, ngày 3/4."
    a = fc.noisy(text, 2.5, random.Random(1))
    assert a == fc.noisy(text, 2.5, random.Random(1))
    assert fc.noisy("12 / 3, 4.", 2.5, random.Random(1)) == "12 / 3, 4."  # letters only


def _script(name: str):
    _fit_script()  # puts scripts/ on the path
    import importlib

    return importlib.import_module(name)


def test_at_recall_takes_the_most_precise_flag_that_catches_enough() -> None:
    at_recall = _script("bench_restore").at_recall
    scored = [
        (0.95, True),
        (0.1, True),
        (0.3, False),
        (0.2, False),
        (0.3, True),
        (0.5, True),
        (0.9, False),
    ]
    # half the wrong words: "<= 0.3" catches 2 of 4 flagged, "<= 0.5" 3 of 5, the best
    assert at_recall(scored, 0.5) == {"at_most": 0.5, "flagged": 5, "precision": 0.6}
    # words of one confidence are flagged together: "<= 0.3" flags both of 0.3
    tied = [(0.1, True), (0.3, True), (0.3, False), (0.2, False)]
    assert at_recall(tied, 1.0) == {"at_most": 0.3, "flagged": 4, "precision": 0.5}
    # every wrong word: all 7 flagged
    assert at_recall(scored, 0.8) == {"at_most": 0.95, "flagged": 7, "precision": 0.571}
    assert at_recall([(0.2, False)], 0.8)["precision"] is None


def test_wrong_words_aligns_each_syllable_with_the_truth() -> None:
    fc = _fit_script()
    restored = "Ánh sáng mới\nhai ba"
    spans = [(0, 3, "a"), (4, 8, "b"), (9, 12, "c"), (13, 16, "d"), (17, 19, "e")]
    truth = "ánh sang mới\nhai bốn"
    # case aside "Ánh" is right; "sáng" and "ba" are not
    assert fc.wrong_words(restored, spans, truth) == [
        (0, False),
        (1, True),
        (2, False),
        (3, False),
        (4, True),
    ]


def test_marginals_are_the_path_probabilities_summed() -> None:
    import itertools

    marginals = _script("confidence_evidence").marginals
    ids = [(1, 2), (3, 4, 5), (6, 7)]
    forms = [("a", "b"), ("c", "d", "e"), ("f", "g")]
    chans = [(-0.1, -1.0), (-0.5, -0.2, -2.0), (-0.3, -0.4)]
    table = {(b, c): -0.1 * ((b * 7 + c * 3) % 11) for b in range(9) for c in range(9)}

    def score(a: int, b: int, c: int) -> float:  # a bigram: the chain is then exact
        return table[(b, c)]

    term = {"b": {"d": 1.5}}
    place = {"d": {"g": 0.7}}
    caps = [False, True, True]
    got = marginals(ids, forms, chans, caps, 0, score, term, place, 1e9)
    paths = {}
    for path in itertools.product(*(range(len(c)) for c in ids)):
        s, prev = 0.0, 0
        for i, j in enumerate(path):
            s += chans[i][j] + score(0, prev, ids[i][j])
            if i:
                f0, f1 = forms[i - 1][path[i - 1]], forms[i][j]
                bonus = term.get(f0, {}).get(f1, 0.0)
                if caps[i - 1] and caps[i]:
                    bonus = max(bonus, place.get(f0, {}).get(f1, 0.0))
                s += bonus
            prev = ids[i][j]
        paths[path] = math.exp(s)
    z = sum(paths.values())
    for i, col in enumerate(ids):
        for j in range(len(col)):
            want = sum(p for path, p in paths.items() if path[i] == j) / z
            assert math.isclose(got[i][j], want, rel_tol=1e-9)
