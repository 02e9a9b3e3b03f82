"""Build ocr_pipeline/data/person_names.tsv: how often each syllable is a surname, a middle
name or a given name in the personal names of the training corpus.

A personal name is a run of two to four title-case syllables that opens with a common
surname ("Nguyễn Văn Hùng") or follows a personal title (ông, bà, anh, chị, đồng chí), not
after a word that introduces a place (tỉnh, xã, đường...) and, for two words, not a place
pair of the project's dictionaries ("Hà Nội"). Its
first word is counted as a surname, its last as a given name, the others as middle names
(after a title, a single word is a given name). The occurrences of every syllable are
counted too, so the decoder can weigh a syllable's name rate against its overall rate
(restore/person_names.py). Only syllables seen at least ``--min-count`` times in a name
position are written; corpus sentences are never copied, only counts.

Usage: .venv/bin/python scripts/build_name_prior.py [--min-count 3]
"""

from __future__ import annotations

import argparse
from collections import Counter

import corpus
import regex

from ocr_pipeline.restore.dictionary import load_dictionaries
from ocr_pipeline.restore.orthography import is_valid_syllable, normalize_tone_placement
from ocr_pipeline.restore.person_names import PLACE_WORDS, SURNAMES, TITLES

OUT = corpus.REPO / "ocr_pipeline" / "data" / "person_names.tsv"
_TOKEN = regex.compile(r"[\p{L}\p{M}]+|[^\s\p{L}\p{M}]")
POSITIONS = ("surname", "middle", "given")


def _is_title(w: str) -> bool:
    return w[0].isupper() and (len(w) == 1 or w[1:].islower())


def _name_positions(run: list[str], after_title: bool) -> list[int] | None:
    """Position (index into POSITIONS) of each word of a title-case run, None if the run is
    not read as a personal name."""
    n = len(run)
    if not 1 <= n <= 4:
        return None
    if run[0] in SURNAMES and n >= 2:
        return [0] + [1] * (n - 2) + [2]
    if after_title:
        return [2] if n == 1 else [0] + [1] * (n - 2) + [2]
    return None


def count() -> tuple[Counter[str], list[Counter[str]]]:
    places = load_dictionaries().place_pairs
    total: Counter[str] = Counter()
    by_pos = [Counter[str]() for _ in POSITIONS]
    for _source, line in corpus.iter_training_lines():
        toks = _TOKEN.findall(line)
        words: list[str | None] = []  # syllables (original case) or None for other tokens
        for t in toks:
            low = t.lower()
            if t[0].isalpha() and len(low) <= 7 and is_valid_syllable(low):
                total[normalize_tone_placement(low)] += 1
                words.append(t)
            else:
                words.append(None)
        i = 0
        while i < len(words):
            w = words[i]
            if w is None or not _is_title(w) or i == 0:
                i += 1
                continue
            j = i
            while j < len(words) and words[j] is not None and _is_title(words[j]):
                j += 1
            run = [normalize_tone_placement(str(x).lower()) for x in words[i:j]]
            before = words[i - 1]
            before_low = before.lower() if before else ""
            before2 = (words[i - 2] or "").lower() if i >= 2 else ""
            # a title-case word after a title inside the run: "Ông Nguyễn..." at a line start
            if run and run[0] in TITLES and len(run) >= 2:
                run, before_low = run[1:], run[0]
            after_title = before_low in TITLES or (before_low == "chí" and before2 == "đồng")
            if before_low not in PLACE_WORDS and not (len(run) == 2 and tuple(run) in places):
                pos = _name_positions(run, after_title)
                if pos is not None:
                    for syl, p in zip(run, pos, strict=True):
                        by_pos[p][syl] += 1
            i = j
    return total, by_pos


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args(argv)
    total, by_pos = count()
    rows = sorted(s for s in total if sum(c[s] for c in by_pos) >= args.min_count)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("syllable\t" + "\t".join(POSITIONS) + "\ttotal\n")
        fh.write("*\t" + "\t".join(str(c.total()) for c in by_pos) + f"\t{total.total()}\n")
        for s in rows:
            fh.write(f"{s}\t" + "\t".join(str(c[s]) for c in by_pos) + f"\t{total[s]}\n")
    print(f"{OUT}: {len(rows)} syllables; names by position {[c.total() for c in by_pos]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
