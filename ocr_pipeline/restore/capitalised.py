"""How often each syllable is written capitalised inside a sentence: a prior for names.

OCR often loses the marks of a name ("Pén Hùng" for "Đền Hùng"), and the language
model, which works on lowercase text, prefers the commoner word ("đến"), as it prefers
"thành" to the "Thanh" of a name. A title-case word inside a sentence is a name, and some
syllables are names far more often than others: the corpus writes "Đền" capitalised in 16%
of its uses, "Đến" in 0.06%. ``load_capitalised()`` gives, per syllable, the log of its
title-case rate over the corpus-wide rate (data/capitalised.tsv, built by
scripts/build_caps_prior.py); the decoder adds ``Weights.titled`` times it to the
candidates of a title-case word inside a sentence.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

_SMOOTH = 1.0


@cache
def load_capitalised() -> dict[str, float]:
    """{syllable: log(title-case rate / overall title-case rate)}; {} without the table."""
    path = resources.files("ocr_pipeline").joinpath("data", "capitalised.tsv")
    if not path.is_file():
        return {}
    counts: dict[str, tuple[int, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        syl, titled, total = line.split("\t")
        counts[syl] = (int(titled), int(total))
    all_titled = sum(t for t, _ in counts.values())
    all_total = sum(n for _, n in counts.values())
    base = all_titled / all_total
    return {
        s: math.log((t + _SMOOTH * base) / (n + _SMOOTH) / base) for s, (t, n) in counts.items()
    }


__all__ = ["load_capitalised"]
