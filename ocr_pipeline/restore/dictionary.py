"""Editable dictionaries that bias restoration: abbreviations, administrative terms, places.

Plain UTF-8 TSV files with a header line, in ``dictionaries/`` at the repository root (or
the folder named by the environment variable ``OCR_PIPELINE_DICTIONARIES``). Lines that are
blank or start with ``#`` are skipped.

- ``abbreviations.tsv``: ``abbr  expansion  ocr_variants`` (variants comma-separated). A
  token equal to the abbreviation or one of its variants is an abbreviation and is written
  back in its canonical form (``HDND`` -> ``HĐND``).
- ``terms.tsv``: ``term  weight``: multi-syllable phrases (accented, any case). Each pair
  of neighbouring syllables of a term earns the decoder a bonus of ``weight`` (natural-log
  units) when both are chosen next to each other.
- ``places.tsv``: ``name  kind  province``: place names; their neighbouring-syllable pairs
  earn a bonus only where the input is capitalised (a place name in running text), a
  larger one in a document whose other places lie in the same province (`restore.adapt`).

Loaded once, lazily, on first use.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ocr_pipeline.restore.orthography import is_valid_syllable, normalize_tone_placement

log = logging.getLogger(__name__)

# ocr_pipeline/dictionaries links to the repository's dictionaries/ (a real folder in a wheel)
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "dictionaries"
ENV_DIR = "OCR_PIPELINE_DICTIONARIES"
PLACE_BONUS = 1.5


@dataclass(slots=True)
class Dictionaries:
    abbreviations: dict[str, str] = field(default_factory=dict)  # form/variant -> canonical
    expansions: dict[str, str] = field(default_factory=dict)  # canonical -> expansion
    term_pairs: dict[tuple[str, str], float] = field(default_factory=dict)
    place_pairs: dict[tuple[str, str], float] = field(default_factory=dict)
    # a place name's syllable pair -> the provinces that have a place of that name
    place_provinces: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    # the first syllable pair of each province's name -> the province
    province_names: dict[tuple[str, str], str] = field(default_factory=dict)
    # the words of place names written as one word of several syllables ("đakrông"),
    # lowercase: never two glued words (`Decoder._glued`)
    place_words: frozenset[str] = frozenset()


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a TSV file after its header line; [] when the file does not exist."""
    if not path.exists():
        log.warning("dictionary %s not found; restoring without it", path)
        return []
    rows = []
    with open(path, encoding="utf-8") as fh:
        next(fh, None)
        for raw in fh:
            if not raw.strip() or raw.startswith("#"):
                continue
            rows.append([_nfc(c) for c in raw.rstrip("\n").split("\t")])
    return rows


_SYL = re.compile(r"[^\W\d_]+")


def _pairs(phrase: str) -> list[tuple[str, str]]:
    """Neighbouring syllable pairs of a phrase (punctuation between them ignored)."""
    syl = [normalize_tone_placement(s) for s in _SYL.findall(phrase.lower())]
    return list(zip(syl, syl[1:], strict=False))


def build(folder: Path) -> Dictionaries:
    d = Dictionaries()
    for row in read_tsv(folder / "abbreviations.tsv"):
        abbr = row[0]
        if not abbr:
            continue
        d.abbreviations[abbr] = abbr
        if len(row) > 1 and row[1]:
            d.expansions[abbr] = row[1]
        if len(row) > 2:
            for v in row[2].split(","):
                v = v.strip()
                if v and v not in d.abbreviations:
                    d.abbreviations[v] = abbr
    for row in read_tsv(folder / "terms.tsv"):
        try:
            weight = float(row[1]) if len(row) > 1 and row[1] else 1.0
        except ValueError:
            log.warning("terms.tsv: bad weight %r for %r; using 1.0", row[1], row[0])
            weight = 1.0
        for p in _pairs(row[0]):
            d.term_pairs[p] = max(weight, d.term_pairs.get(p, 0.0))
    provinces: dict[tuple[str, str], set[str]] = {}
    place_words: set[str] = set()
    for row in read_tsv(folder / "places.tsv"):
        place_words.update(w for w in _SYL.findall(row[0].lower()) if not is_valid_syllable(w))
        for p in _pairs(row[0]):
            d.place_pairs[p] = PLACE_BONUS
            if len(row) > 2 and row[2]:
                provinces.setdefault(p, set()).add(row[2])
        if len(row) > 2 and row[1] == "province" and (name := _pairs(row[0])):
            d.province_names[name[0]] = row[2]
    d.place_provinces = {p: frozenset(v) for p, v in provinces.items()}
    d.place_words = frozenset(place_words)
    log.info(
        "dictionaries: %d abbreviation forms, %d term pairs, %d place pairs",
        len(d.abbreviations),
        len(d.term_pairs),
        len(d.place_pairs),
    )
    return d


@lru_cache(maxsize=4)
def load_dictionaries(folder: str | None = None) -> Dictionaries:
    """The dictionaries from `folder` (default: $OCR_PIPELINE_DICTIONARIES or dictionaries/)."""
    path = Path(folder or os.environ.get(ENV_DIR) or DEFAULT_DIR)
    return build(path)
