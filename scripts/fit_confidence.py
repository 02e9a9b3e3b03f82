"""Fit the word-confidence model (`restore.confidence.WEIGHTS`) and print its curves as JSON.

Every restored word of a set is labelled right or wrong against the set's truth (the
output's and the truth's syllables aligned line by line, case aside, as
scripts/bench_restore.py counts them) and described by the decoder's `Evidence`. A
logistic model (L2-regularised, Newton's method) is fitted on the synthetic restore eval
pages (build/restore_eval/pairs.tsv and caps_pairs.tsv, both splits: our own renderings OCR'd
with eng and vie, their text with every mark removed, and the same text read by a noisier
OCR sampled from the eng channel, `noisy`, at NOISE_WEIGHT: the clean pages have too few
wrong words to fit on, about 50 in 30,000) and checked on the real legacy dev set
(../shared/samples, never fitted on; only the noise weight was chosen on it). For each
set the precision / recall curve of the flag "confidence < threshold" is printed, for the
fitted model and for the decoder's confidence before it (posterior x "none of these"
share), and the fitted model's most precise flag catching 80% of the wrong words
(``fitted_at_recall_0.8``, `bench_restore.at_recall`). About 2 minutes on one core.

Usage: .venv/bin/python scripts/fit_confidence.py [--fit-on synthetic|all]

``legacy_dev_halves``: the honest figure of what real text adds: the model fitted on the
same sets plus one half of the dev set's words and scored on the other half, both ways
(`dev_halves`). ``--fit-on all`` also fits on the legacy dev set (for comparison only:
what the shipped weights would gain from real text; its figures on that set are then not
a check). The
weights to paste into ocr_pipeline/restore/confidence.py are printed as ``weights`` (and
by name as ``by_feature``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench_restore import _SYL, DEV_GT, DEV_OCR, at_recall, load_caps, load_pairs  # noqa: E402

from ocr_pipeline.restore import _prepare, _restore_piece  # noqa: E402
from ocr_pipeline.restore.confidence import FEATURES, Evidence, features  # noqa: E402
from ocr_pipeline.restore.orthography import normalize_tone_placement, strip_marks  # noqa: E402
from ocr_pipeline.restore.tokenize import tokenize  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
L2 = 10.0
# temperatures of the noisy synthetic OCR (`noisy`); the model is fitted on the first
# (about 5% of the words restored wrong, the legacy dev set's 3% nearest), the second is
# a harder check
NOISE = (1.5, 2.5)
FIT_NOISE = "noisy1.5"
# weight of each noisy word in the fit: at 1 the noisy words (about 350 wrong) drown the
# clean pages' own wrong words (about 50, mostly a wrong tone between two near readings);
# 0.3 gave the legacy dev set its best precision at the same recall (0.1: less recall)
NOISE_WEIGHT = 0.3


def restored_words(
    text: str, channel: str, adapt: bool = True
) -> tuple[str, list[tuple[int, int, Evidence]]]:
    """`restore(text, channel, adapt=adapt).text` and the (start, end, evidence) of each
    decoded word in it, in order."""
    pieces, _name, _adaptation = _prepare(text, channel, adapt, None, None, None)
    out: list[str] = []
    spans: list[tuple[int, int, Evidence]] = []
    pos = 0
    for offset, piece, dec in pieces:
        tokens = tokenize(piece, dec.dicts.abbreviations)
        choices = dec.decode_tokens(tokens, with_alternatives=True)
        evidence = iter(choices[i].evidence for i in sorted(choices))
        for t in _restore_piece(piece, offset, dec, True):
            if t.kind == "word":
                ev = next(evidence)
                spans.append((pos, pos + len(t.text), ev))
            out.append(t.text)
            pos += len(t.text)
    return "".join(out), spans


def labelled(text: str, truth: str, channel: str) -> list[tuple[Evidence, bool]]:
    """(evidence, wrong) of every syllable of the restored `text` that a decoded word
    holds (syllables of words kept without decoding, numbers and codes, are left out)."""
    restored, spans = restored_words(text, channel)
    return [(spans[k][2], wrong) for k, wrong in wrong_words(restored, spans, truth)]


def wrong_words(
    restored: str, spans: list[tuple[int, int, Evidence]], truth: str
) -> list[tuple[int, bool]]:
    """(index in `spans` of the decoded word that holds it, wrong) of every syllable of
    `restored` a decoded word holds, against the line-aligned `truth` (the syllables
    aligned line by line, case aside, as scripts/bench_restore.py counts them)."""
    at: dict[int, int] = {}
    for k, (s, e, _ev) in enumerate(spans):
        for c in range(s, e):
            at[c] = k
    rows = []
    pos = 0
    for line, gt in zip(restored.split("\n"), truth.split("\n"), strict=True):
        found = list(_SYL.finditer(line))
        o = [normalize_tone_placement(m.group()).casefold() for m in found]
        g = [normalize_tone_placement(x).casefold() for x in _SYL.findall(gt)]
        bad = set(range(len(o)))
        for tag, i1, i2, _j1, _j2 in Levenshtein.opcodes(o, g).as_list():
            if tag == "equal":
                bad -= set(range(i1, i2))
        for i, m in enumerate(found):
            k = at.get(pos + m.start())
            if k is not None:
                rows.append((k, i in bad))
        pos += len(line) + 1
    return rows


def noisy(text: str, temperature: float, rng: random.Random) -> str:
    """`text` as an OCR worse than ours might read it: each letter replaced by an OCR
    string sampled from the shipped eng channel's emission table flattened by
    `temperature` (1: the table's own rates; higher: more and rarer confusions)."""
    from ocr_pipeline.restore import get_decoder

    emit = get_decoder("eng").channel.emit
    out = []
    for ch in text:
        row = emit.get(ch.lower()) if ch.isalpha() else None
        if not row:
            out.append(ch)
            continue
        outs = sorted(row)  # the table's order follows string hashing
        weights = [math.exp(row[o] / temperature) for o in outs]
        o = rng.choices(outs, weights)[0]
        out.append(o.upper() if ch.isupper() and len(o) == 1 else o)
    return "".join(out)


def collect(label: Callable[[str, str, str], list] = labelled) -> dict[str, list]:
    """The labelled words of every set by name: `label(text, truth, channel)` (by default
    `labelled`) of each synthetic page, deaccented and noisy text, ALL-CAPS line and the
    legacy dev set."""
    sets: dict[str, list] = {}
    rng = random.Random(12)
    for split in ("dev", "test"):
        for lang, (ocr, src) in load_pairs(split).items():
            rows = sets.setdefault(f"{lang}_{split}", [])
            for page, truth in zip(ocr, src, strict=True):
                rows += label(page, truth, lang)
            if lang == "eng":  # the pages' own text with every mark removed
                rows = sets.setdefault(f"deaccented_{split}", [])
                for truth in src:
                    rows += label(strip_marks(truth), truth, "eng")
                for t in NOISE:  # and read by a noisier OCR
                    rows = sets.setdefault(f"noisy{t}_{split}", [])
                    for truth in src:
                        rows += label(noisy(truth, t, rng), truth, "eng")
        caps_ocr, caps_src = load_caps(split)
        rows = sets.setdefault(f"vie_caps_{split}", [])
        for line, truth in zip(caps_ocr, caps_src, strict=True):
            rows += label(line, truth, "vie")
    if DEV_OCR.exists():
        sets["legacy_dev"] = label(
            DEV_OCR.read_text(encoding="utf-8"), DEV_GT.read_text(encoding="utf-8"), "auto"
        )
    return sets


def fit(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray | None = None,
    l2: float = L2,
    iterations: int = 50,
) -> np.ndarray:
    """Logistic regression of y (1 = right) on x with an intercept, each row weighted by
    `sample_weight` (1 by default), L2 penalty on the weights (not the intercept), by
    Newton's method."""
    sw = np.ones(len(x)) if sample_weight is None else sample_weight
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (sw * (y - p)) - reg * w
        hess = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w += step
        if np.abs(step).max() < 1e-8:
            break
    return w


def curve(conf: np.ndarray, wrong: np.ndarray) -> list[dict]:
    out = []
    for t in THRESHOLDS:
        flag = conf < t
        hit = int((flag & wrong).sum())
        out.append(
            {
                "threshold": t,
                "flagged": int(flag.sum()),
                "recall": round(hit / max(int(wrong.sum()), 1), 3),
                "precision": round(hit / max(int(flag.sum()), 1), 3),
            }
        )
    return out


def dev_halves(
    x: np.ndarray, y: np.ndarray, sw: np.ndarray, dev_x: np.ndarray, dev_wrong: np.ndarray
) -> dict:
    """What real text would give the model, measured honestly: fitted on the fit sets
    (`x`, `y`, weights `sw`) plus one half of the legacy dev set's words (in reading order)
    and scored on the other half, both ways; the two halves' confidences pooled, then the
    flag at 0.8 and the most precise flag catching 80% of the wrong words."""
    half = len(dev_wrong) // 2
    parts = (np.arange(half), np.arange(half, len(dev_wrong)))
    conf = np.zeros(len(dev_wrong))
    for fit_part, score_part in (parts, parts[::-1]):
        w = fit(
            np.vstack([x, dev_x[fit_part]]),
            np.concatenate([y, (~dev_wrong[fit_part]).astype(float)]),
            np.concatenate([sw, np.ones(len(fit_part))]),
        )
        conf[score_part] = 1.0 / (1.0 + np.exp(-(w[0] + dev_x[score_part] @ w[1:])))
    flagged = conf < 0.8
    hit = int((flagged & dev_wrong).sum())
    return {
        "words": len(dev_wrong),
        "wrong": int(dev_wrong.sum()),
        "at_0.8": {
            "flagged": int(flagged.sum()),
            "recall": round(hit / max(int(dev_wrong.sum()), 1), 3),
            "precision": round(hit / max(int(flagged.sum()), 1), 3),
        },
        "at_recall_0.8": at_recall(list(zip(conf.tolist(), dev_wrong.tolist(), strict=True))),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit-on", choices=("synthetic", "all"), default="synthetic")
    args = ap.parse_args(argv)
    sets = collect()
    data = {
        name: (
            np.array([features(ev) for ev, _w in rows], dtype=float),
            np.array([w for _ev, w in rows], dtype=bool),
            np.array([ev.posterior * ev.none_share for ev, _w in rows], dtype=float),
        )
        for name, rows in sets.items()
    }
    fit_names = [
        n
        for n in data
        if (n != "legacy_dev" or args.fit_on == "all")
        and (not n.startswith("noisy") or n.startswith(FIT_NOISE + "_"))
    ]
    x = np.vstack([data[n][0] for n in fit_names])
    y = np.concatenate([~data[n][1] for n in fit_names]).astype(float)
    sw = [
        np.full(len(data[n][1]), NOISE_WEIGHT if n.startswith("noisy") else 1.0) for n in fit_names
    ]
    w = fit(x, y, np.concatenate(sw))
    report: dict = {"fitted_on": fit_names, "features": list(FEATURES), "sets": {}}
    for name, (xs, wrong, before) in data.items():
        conf = 1.0 / (1.0 + np.exp(-(w[0] + xs @ w[1:])))
        report["sets"][name] = {
            "words": len(wrong),
            "wrong": int(wrong.sum()),
            "fitted": curve(conf, wrong),
            "before": curve(before, wrong),
            "fitted_at_recall_0.8": at_recall(
                list(zip(conf.tolist(), wrong.tolist(), strict=True))
            ),
        }
    if "legacy_dev" in data and args.fit_on == "synthetic":
        report["legacy_dev_halves"] = dev_halves(x, y, np.concatenate(sw), *data["legacy_dev"][:2])
    report["weights"] = [round(float(v), 4) for v in w]
    report["by_feature"] = dict(zip(("intercept", *FEATURES), report["weights"], strict=True))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
