"""Build ocr_pipeline/data/capitalised.tsv: how often each syllable is written capitalised
inside a sentence (a name: "Đền Hùng", "Thanh Sơn") in the training corpus.

Counts, per lowercase syllable (traditional tone placement), its occurrences and those in
title case that do not open a sentence or a line. Restoration reads a title-case OCR word
inside a sentence as a name and prefers the readings that are names that often ("Đền"
over "Đến"): restore/decoder.py. Only syllables seen at least ``--min-count`` times are
written; corpus sentences are never copied, only counts.

Usage: .venv/bin/python scripts/build_caps_prior.py [--min-count 50]
"""

from __future__ import annotations

import argparse
from collections import Counter

import corpus
import regex

from ocr_pipeline.restore.orthography import is_valid_syllable, normalize_tone_placement

OUT = corpus.REPO / "ocr_pipeline" / "data" / "capitalised.tsv"
_WORD = regex.compile(r"[\p{L}\p{M}]+|[.!?:;…]")


def count() -> tuple[Counter[str], Counter[str]]:
    total: Counter[str] = Counter()
    titled: Counter[str] = Counter()
    for _source, line in corpus.iter_training_lines():
        start = True
        for m in _WORD.finditer(line):
            w = m.group()
            if len(w) == 1 and not w.isalpha():
                start = True
                continue
            low = w.lower()
            if len(low) > 7 or not is_valid_syllable(low):
                start = False
                continue
            syl = normalize_tone_placement(low)
            total[syl] += 1
            if not start and w[0].isupper() and (len(w) == 1 or w[1:].islower()):
                titled[syl] += 1
            start = False
    return total, titled


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-count", type=int, default=50)
    args = ap.parse_args(argv)
    total, titled = count()
    rows = sorted(s for s, n in total.items() if n >= args.min_count)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("syllable\ttitled\ttotal\n")
        for s in rows:
            fh.write(f"{s}\t{titled[s]}\t{total[s]}\n")
    print(f"{OUT}: {len(rows)} syllables")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
