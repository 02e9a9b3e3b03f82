"""Text units for comparison: NFC grapheme clusters and the keys they are compared by.

A grapheme cluster (regex ``\\X`` on NFC text) is one user-perceived character: a Vietnamese
letter with stacked marks ("ệ", "ở", even a non-precomposed "x̂́") is one unit. Each grapheme
gets a comparison *key*; normalisation options change the key, never the displayed text:

- ``ignore_case``: keys are case-folded;
- ``fold_tones``: the five tone marks (grave, acute, hook above, tilde, dot below) are
  removed, vowel-shape marks (â ă ê ô ơ ư) and đ kept;
- ``fold_diacritics``: every combining mark removed and đ/Đ -> d/D;
- ``ignore_punctuation``: punctuation graphemes (Unicode category P) are dropped.

Whitespace runs count as one space; leading/trailing space is not compared.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

import regex

from ocr_pipeline.text import nfc

_GRAPHEME = regex.compile(r"\X")
_PUNCT = regex.compile(r"^\p{P}+$")
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_STROKE = str.maketrans("đĐ", "dD")


@dataclass(frozen=True, slots=True)
class Normalization:
    """Which differences do not count (all False: every grapheme difference counts)."""

    ignore_case: bool = False
    ignore_punctuation: bool = False
    fold_tones: bool = False
    fold_diacritics: bool = False

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)

    def describe(self) -> str:
        on = [k.replace("_", " ") for k, v in self.to_dict().items() if v]
        return ", ".join(on) if on else "none"


def clean_line(text: str) -> str:
    """NFC with whitespace runs collapsed to one space and the ends stripped."""
    return " ".join(nfc(text).split())


def graphemes(text: str) -> list[str]:
    """Extended grapheme clusters of the NFC form of `text`."""
    return _GRAPHEME.findall(nfc(text))


@lru_cache(maxsize=8192)
def strip_marks(g: str) -> str:
    """`g` without any combining mark and with đ -> d: the base letter(s)."""
    decomposed = unicodedata.normalize("NFD", g)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", base.translate(_STROKE))


@lru_cache(maxsize=8192)
def strip_tones(g: str) -> str:
    decomposed = unicodedata.normalize("NFD", g)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


@lru_cache(maxsize=8192)
def is_punctuation(g: str) -> bool:
    return bool(_PUNCT.match(g))


@lru_cache(maxsize=65536)
def key_of(g: str, norm: Normalization) -> str:
    """The comparison key of one grapheme under `norm`."""
    if g.isspace():
        return " "
    if norm.fold_diacritics:
        g = strip_marks(g)
    elif norm.fold_tones:
        g = strip_tones(g)
    if norm.ignore_case:
        g = g.casefold()
    return g


def same_base(key_a: str, key_b: str) -> bool:
    """True when two different keys differ only in diacritics (same base letters)."""
    return key_a != key_b and not key_a.isspace() and strip_marks(key_a) == strip_marks(key_b)


def comparable(units: Sequence[str], norm: Normalization) -> tuple[Sequence[str], Sequence[int]]:
    """Keys of the graphemes that take part in the comparison, and their positions.

    Dropped: punctuation (with `ignore_punctuation`), and spaces at the ends or following
    another kept space (so "a , b" with punctuation ignored compares as "a b").
    """
    if not norm.ignore_punctuation and _clean(units):
        if norm == _DEFAULT:
            return units, range(len(units))  # no copies: kept per line in the report
        return [key_of(g, norm) for g in units], range(len(units))
    keys: list[str] = []
    pos: list[int] = []
    for i, g in enumerate(units):
        if norm.ignore_punctuation and is_punctuation(g):
            continue
        k = key_of(g, norm)
        if k == " " and (not keys or keys[-1] == " "):
            continue
        keys.append(k)
        pos.append(i)
    if keys and keys[-1] == " ":
        keys.pop()
        pos.pop()
    return keys, pos


_DEFAULT = Normalization()


def _clean(units: Sequence[str]) -> bool:
    """True when spaces are single ASCII spaces, none at the ends (as `clean_line` makes)."""
    if not units or units[0] == " " or units[-1] == " ":
        return not units
    prev = ""
    for g in units:
        if g.isspace() and (g != " " or prev == " "):
            return False
        prev = g
    return True


def fold_line(text: str) -> str:
    """A coarse key for pairing lines: no marks, no case, letters and digits only."""
    decomposed = unicodedata.normalize("NFD", text).translate(_STROKE)
    return "".join(c for c in decomposed.casefold() if c.isalnum())
