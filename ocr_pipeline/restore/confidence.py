"""The confidence a reviewer sees: the probability that a restored word is right.

The decoder's posterior over a position's candidates says how the candidates compare with
each other, not whether the right reading is among them: a garbled OCR token read as the
best of eight poor candidates gets a high posterior and is often wrong. So the confidence
is a small logistic model over what the decoder already knows of the word (`Evidence`):
the posterior and its margin to the runner-up, the chosen reading's channel score against
the OCR token and its score in context, whether the word was changed, whether the OCR
token is itself a valid syllable, how far the reading's letters are from the token's, its
length and case, the document memory. The weights (`WEIGHTS`) are fitted by
scripts/fit_confidence.py on the synthetic restore eval pages (and the same text read by a
noisier simulated OCR) and checked on the real legacy dev set; that script prints the
constants to paste here.

What it cannot see: a word the language model reads confidently wrong ("co" read "có"
where the text has "cơ") looks like a right one from inside the decoder; on the legacy dev
set a fifth of the wrong words keep a confidence above 0.9 (README).

Pure functions; the text restored never depends on them (only confidences and flags do).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ocr_pipeline.restore import orthography as ortho


@dataclass(slots=True)  # not frozen: made for every decoded word, and frozen init is slower
class Evidence:
    """What the decoder knows of one restored word (`Decoder._posterior`)."""

    ocr: str  # the OCR token as written (a footnote marker split off)
    form: str  # the chosen reading (lowercase syllable, or the token when kept)
    kept: bool  # the token was kept as written
    posterior: float  # of the chosen reading among the position's candidates
    runner_up: float  # posterior of the best other candidate (0 when there is none)
    none_share: float  # 1 - the share a "none of these" reading takes (decoder.NONE_CHANNEL)
    chan: float  # weighted channel score of the chosen reading (memory bonus included)
    chan_best: float  # the best channel score among the position's candidates
    context: float  # the chosen reading's local score less its channel score (LM, pairs)
    context_best: float  # the best such context score among the candidates
    candidates: int  # candidates at the position
    remembered: bool = False  # the chosen reading has a document-memory bonus
    caps_channel: bool = False  # decoded with the ALL-CAPS channel


def _skeleton(s: str) -> str:
    return ortho.strip_marks(s.lower())


@functools.lru_cache(maxsize=65_536)
def _token_features(ocr: str, form: str, kept: bool) -> tuple[float, ...]:
    """The features of the OCR token and the reading alone (a document repeats them)."""
    low = ortho.nfc(ocr.lower())
    changed = not kept and ortho.normalize_tone_placement(low) != form
    valid = ortho.is_valid_syllable(low)
    skeleton_edits = 0 if kept else Levenshtein.distance(_skeleton(low), _skeleton(form))
    return (
        float(kept),
        float(changed),
        float(valid),
        float(not low.isascii()),
        min(sum(ch.isalpha() for ch in low), 8) / 4.0,
        float(ocr[:1].isupper()),
        float(changed and not valid),
        float(min(skeleton_edits, 3)),
    )


def features(ev: Evidence) -> tuple[float, ...]:
    """The model's inputs, in the order of FEATURES."""
    eps = 1e-6
    kept, changed, valid, marked, letters, title, changed_invalid, edits = _token_features(
        ev.ocr, ev.form, ev.kept
    )
    return (
        math.log(max(ev.posterior, eps) / max(1.0 - ev.posterior, eps)),
        math.log(max(ev.posterior, eps) / max(ev.runner_up, eps)) if ev.runner_up else 10.0,
        math.log(max(ev.none_share, eps)),
        ev.chan,
        ev.chan - ev.chan_best,
        max(ev.context, -30.0) / 10.0,
        max(ev.context - ev.context_best, -20.0),
        min(ev.candidates, 16) / 8.0,
        kept,
        changed,
        valid,
        marked,
        letters,
        title,
        float(ev.remembered),
        float(ev.caps_channel),
        changed_invalid,
        edits,
        math.log(max(ev.posterior * ev.none_share, eps)),
        math.log(max(ev.posterior, eps)),
    )


FEATURES = (
    "logit_posterior",
    "log_margin",
    "log_none_share",
    "chan",
    "chan-chan_best",
    "context/10",
    "context-context_best",
    "candidates/8",
    "kept",
    "changed",
    "ocr_valid",
    "ocr_marked",
    "letters/4",
    "title",
    "remembered",
    "caps_channel",
    "changed_invalid",
    "skeleton_edits",
    "log_posterior_x_none_share",
    "log_posterior",
)

# fitted by scripts/fit_confidence.py (intercept, then one weight per FEATURES entry)
WEIGHTS: tuple[float, ...] = (
    1.4066,  # intercept
    0.3986,  # logit_posterior
    0.0963,  # log_margin
    -0.0418,  # log_none_share
    0.3684,  # chan
    -0.1012,  # chan-chan_best
    0.8953,  # context/10
    0.189,  # context-context_best
    -0.3499,  # candidates/8
    -0.5059,  # kept
    0.7264,  # changed
    0.3535,  # ocr_valid
    -0.1639,  # ocr_marked
    0.3892,  # letters/4
    0.2573,  # title
    0.0907,  # remembered
    0.3804,  # caps_channel
    0.1524,  # changed_invalid
    -0.3192,  # skeleton_edits
    -0.0588,  # log_posterior_x_none_share
    -0.017,  # log_posterior
)
assert len(WEIGHTS) == len(FEATURES) + 1


def probability(ev: Evidence, weights: tuple[float, ...] = WEIGHTS) -> float:
    """The model's probability that the word is right."""
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], features(ev), strict=True))
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


__all__ = ["FEATURES", "WEIGHTS", "Evidence", "features", "probability"]
