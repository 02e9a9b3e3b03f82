"""Measure evidence the word confidence does not use yet, on the legacy dev set, as JSON.

The shipped model (`restore.confidence`) sees what the decoder knows of one word at one
position. Issue 12 asks the low-confidence flag to catch 80% of the wrong words at
precision 0.6; on the legacy dev set no threshold of it comes near. This script measures
three further kinds of evidence, each added to the shipped features with the model refitted
on the synthetic pages exactly as scripts/fit_confidence.py fits it (same sets, same weight
of the noisy OCR, same penalty) and then scored on the legacy dev set, never fitted on:

- ``first_pass``: how the decoder read the same position before adaptation (the pass
  `restore.adapt` makes anyway to find its confident readings): a different reading, that
  pass's posterior, and the share of the OCR token's occurrences it read this way;
- ``consistency``: the same OCR token read otherwise elsewhere in the document (the share
  of its occurrences read this way, how many there are), a reading with marks that the OCR
  never writes itself anywhere in the document, and how often the document reads it;
- ``marginals``: the word's marginal probability by forward-backward over its segment's
  lattice (`marginals`: the Viterbi's chain, each candidate's trigram history its best
  predecessor), its margin over the runner-up's marginal and the least sure neighbour's
  best marginal, instead of the posterior given the chosen neighbours only.

For each feature set and each set of words: the flag's recall / precision at thresholds
and ``at_recall_0.8`` (the most precise flag catching 80% of the wrong words,
`bench_restore.at_recall`). ``dev_ceiling``: every feature fitted on the dev set itself,
scored by 5-fold cross-validation (what real text of this kind could teach at most; not a
figure to ship: the held-out parts of the report are judged).

Nothing here changes the restorer: the marginals are computed by wrapping
`Decoder._posterior` for the duration of the measurement. About 2 minutes on one core.

Usage: .venv/bin/python scripts/confidence_evidence.py
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench_restore import at_recall  # noqa: E402
from fit_confidence import (  # noqa: E402
    FIT_NOISE,
    L2,
    NOISE_WEIGHT,
    THRESHOLDS,
    collect,
    curve,
    fit,
    restored_words,
    wrong_words,
)

from ocr_pipeline.restore import decoder as D  # noqa: E402
from ocr_pipeline.restore import orthography as ortho  # noqa: E402
from ocr_pipeline.restore.confidence import FEATURES, Evidence, features  # noqa: E402

EVIDENCE = {
    "first_pass": ("differs_before_adaptation", "logit_posterior_before", "token_share_before"),
    "consistency": ("token_share", "log_token_count", "never_written", "log_reading_count"),
    "marginals": ("logit_marginal", "log_marginal_margin", "log_least_sure_neighbour"),
}
FOLDS = 5
EPS = 1e-6


def _logsumexp(xs: Sequence[float]) -> float:
    top = max(xs)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(x - top) for x in xs))


def marginals(
    ids: Sequence[Sequence[int]],
    forms: Sequence[Sequence[str]],
    chans: Sequence[Sequence[float]],
    caps: Sequence[bool],
    bos: int,
    score: Callable[[int, int, int], float],
    term_next: dict[str, dict[str, float]],
    place_next: dict[str, dict[str, float]],
    beam: float,
) -> list[list[float]]:
    """The marginal probability of each candidate of each position of a segment's lattice
    (the arguments of `_lattice.viterbi`), by forward-backward over the Viterbi's chain: the
    weighted trigram of a candidate after a predecessor takes that predecessor's own best
    history, pair bonuses as the Viterbi adds them, predecessors more than `beam` below the
    best forward score left out."""

    def bonus(prev: str, form: str, both_caps: bool) -> float:
        term = term_next.get(prev)
        value = term.get(form, 0.0) if term else 0.0
        place = place_next.get(prev) if both_caps else None
        return max(value, place.get(form, 0.0)) if place else value

    n = len(ids)
    alpha = [[chans[0][j] + score(bos, bos, ids[0][j]) for j in range(len(ids[0]))]]
    history = [[bos] * len(ids[0])]
    steps: list[tuple[list[int], dict[tuple[int, int], float]]] = []
    for i in range(1, n):
        previous, both = alpha[-1], caps[i - 1] and caps[i]
        top = max(previous)
        active = [k for k, a in enumerate(previous) if a >= top - beam]
        row, rows_history, moves = [], [], {}
        for j in range(len(ids[i])):
            terms = []
            for k in active:
                move = score(history[-1][k], ids[i - 1][k], ids[i][j])
                move += bonus(forms[i - 1][k], forms[i][j], both) + chans[i][j]
                moves[(k, j)] = move
                terms.append(previous[k] + move)
            row.append(_logsumexp(terms))
            rows_history.append(ids[i - 1][active[int(np.argmax(terms))]])
        alpha.append(row)
        history.append(rows_history)
        steps.append((active, moves))
    beta = [[0.0] * len(ids[-1])]
    for i in range(n - 2, -1, -1):
        active, moves = steps[i]
        after = beta[0]
        row = [-math.inf] * len(ids[i])
        for k in active:
            row[k] = _logsumexp([moves[(k, j)] + after[j] for j in range(len(ids[i + 1]))])
        beta.insert(0, row)
    out = []
    for a, b in zip(alpha, beta, strict=True):
        joint = [x + y for x, y in zip(a, b, strict=True)]
        z = _logsumexp(joint)
        out.append([math.exp(x - z) if x > -math.inf else 0.0 for x in joint])
    return out


class _MarginalProbe:
    """While active, every `Evidence` the decoder makes is recorded with the marginals of
    its position (`marginals`), computed once per lattice."""

    def __init__(self) -> None:
        self.found: dict[int, tuple[Evidence, tuple[float, float, float]]] = {}
        self._lattice: object = None
        self._marginals: list[list[float]] = []

    def __call__(self, original):
        probe = self

        def _posterior(self, i, lattice, chosen, caps, local=None, words=()):
            result = original(self, i, lattice, chosen, caps, local, words)
            if lattice is not probe._lattice:
                probe._lattice = lattice
                probe._marginals = marginals(
                    [[c.lm_id for c in col] for col in lattice],
                    [[c.form for c in col] for col in lattice],
                    [[c.chan for c in col] for col in lattice],
                    caps,
                    self.bos,
                    self._scores.score,
                    self._term_next,
                    self._place_next,
                    self.w.beam,
                )
            m = probe._marginals
            j = next(k for k, c in enumerate(lattice[i]) if c is chosen[i])
            others = [p for k, p in enumerate(m[i]) if k != j]
            near = [max(m[q]) for q in (i - 1, i + 1) if 0 <= q < len(m)]
            ev = result[3]
            probe.found[id(ev)] = (ev, (m[i][j], max(others, default=0.0), min(near, default=1.0)))
            return result

        return _posterior

    def of(self, ev: Evidence) -> tuple[float, float, float]:
        held, values = self.found[id(ev)]
        assert held is ev
        return values


def _logit(p: float) -> float:
    return math.log(max(p, EPS) / max(1.0 - p, EPS))


def document_features(
    adapted: Sequence[Evidence], before: Sequence[Evidence], probe: _MarginalProbe
) -> list[tuple[float, ...]]:
    """The features of EVIDENCE (in its order) of every decoded word of one document:
    `adapted` the evidence of the restoration, `before` that of the same words decoded
    without adaptation."""
    tokens = [ortho.nfc(ev.ocr.lower()) for ev in adapted]
    count = Counter(tokens)
    read = Counter(zip(tokens, (ev.form for ev in adapted), strict=True))
    read_before = Counter(zip(tokens, (ev.form for ev in before), strict=True))
    written = Counter(ortho.normalize_tone_placement(t) for t in tokens)
    readings = Counter(ev.form for ev in adapted)
    out = []
    for token, ev, ev0 in zip(tokens, adapted, before, strict=True):
        n = count[token]
        own = ortho.normalize_tone_placement(token) == ev.form
        never_written = not ev.kept and not ev.form.isascii() and written[ev.form] - own == 0
        marginal, runner_up, neighbour = probe.of(ev)
        out.append(
            (
                float(ev0.form != ev.form),
                _logit(ev0.posterior),
                read_before[(token, ev.form)] / n,
                read[(token, ev.form)] / n,
                math.log(n),
                float(never_written),
                math.log(readings[ev.form]),
                _logit(marginal),
                math.log(max(marginal, EPS) / max(runner_up, EPS)) if runner_up else 10.0,
                math.log(max(neighbour, EPS)),
            )
        )
    return out


def _labeller(probe: _MarginalProbe):
    def label(text: str, truth: str, channel: str) -> list[tuple[tuple[float, ...], bool]]:
        restored, spans = restored_words(text, channel)
        _text, spans_before = restored_words(text, channel, adapt=False)
        adapted = [ev for _s, _e, ev in spans]
        before = [ev for _s, _e, ev in spans_before]
        if len(before) != len(adapted):  # the passes cut the text alike: never seen
            raise RuntimeError("the decoding passes disagree on the words of a text")
        extra = document_features(adapted, before, probe)
        return [
            ((*features(adapted[k]), *extra[k]), wrong)
            for k, wrong in wrong_words(restored, spans, truth)
        ]

    return label


def _columns(names: Sequence[str]) -> list[int]:
    every = list(FEATURES) + [f for group in EVIDENCE.values() for f in group]
    return [every.index(n) for n in names]


def _scores(conf: np.ndarray, wrong: np.ndarray) -> dict:
    return {
        "at_recall_0.8": at_recall(list(zip(conf.tolist(), wrong.tolist(), strict=True))),
        "sweep": curve(conf, wrong),
    }


def main() -> int:
    probe = _MarginalProbe()
    with mock.patch.object(D.Decoder, "_posterior", probe(D.Decoder._posterior)):
        sets = collect(_labeller(probe))
    data = {
        name: (
            np.array([x for x, _w in rows], dtype=float),
            np.array([w for _x, w in rows], dtype=bool),
        )
        for name, rows in sets.items()
    }
    fit_names = [
        n
        for n in data
        if n != "legacy_dev" and (not n.startswith("noisy") or n.startswith(FIT_NOISE + "_"))
    ]
    weight = np.concatenate(
        [
            np.full(len(data[n][1]), NOISE_WEIGHT if n.startswith("noisy") else 1.0)
            for n in fit_names
        ]
    )
    candidates = {"shipped_features": list(FEATURES)}
    for name, group in EVIDENCE.items():
        candidates[f"+{name}"] = [*FEATURES, *group]
    candidates["+all"] = [*FEATURES, *(f for g in EVIDENCE.values() for f in g)]
    report: dict = {"thresholds": list(THRESHOLDS), "fitted_on": fit_names, "models": {}}
    for label, names in candidates.items():
        cols = _columns(names)
        x = np.vstack([data[n][0][:, cols] for n in fit_names])
        y = np.concatenate([~data[n][1] for n in fit_names]).astype(float)
        w = fit(x, y, weight)
        report["models"][label] = {
            name: _scores(1.0 / (1.0 + np.exp(-(w[0] + data[name][0][:, cols] @ w[1:]))), wrong)
            for name, (_x, wrong) in data.items()
            if name == "legacy_dev" or name.endswith("_test")
        }
    if "legacy_dev" in data:
        x, wrong = data["legacy_dev"]
        x = (x - x.mean(0)) / (x.std(0) + EPS)
        folds = np.arange(len(wrong)) % FOLDS
        report["dev_ceiling"] = {}
        for label in ("shipped_features", "+all"):
            cols = _columns(candidates[label])
            conf = np.zeros(len(wrong))
            for f in range(FOLDS):
                train, held = folds != f, folds == f
                w = fit(x[train][:, cols], (~wrong[train]).astype(float), None, L2)
                conf[held] = 1.0 / (1.0 + np.exp(-(w[0] + x[held][:, cols] @ w[1:])))
            report["dev_ceiling"][label] = _scores(conf, wrong)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
