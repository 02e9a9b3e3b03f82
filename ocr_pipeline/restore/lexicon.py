"""A user lexicon: local names and terms that restoration keeps and prefers, per call.

An archive knows its own places, people and units ("Bảo Thanh", "Nà Hang", "Zalo"); the
shipped dictionaries cannot. A `Lexicon` is built from entries (one name or term each, in
its correct spelling) and given to one restore call (``restore_text(..., lexicon=...)``,
``ocr-pipeline restore --lexicon FILE``):

- an OCR word equal to a one-word entry (case-insensitively) is kept as written, even when
  it is not a Vietnamese syllable ("Zalo"), and is preferred wherever it is a candidate
  (``WORD_BONUS``);
- a word of a multi-word entry is kept as written only where the OCR capitalised it (a
  name: "Thanh" in "Bảo Thanh", not "thanh" in "hoàn thanh"), and neighbouring words of
  the entry are preferred together (``PAIR_BONUS``), so "Béo Thanh" is read "Bảo Thanh",
  not "Bảo Thành";
- every word of an entry is proposed from its skeleton even when the vocabulary does not
  have it ("Nam" can be read "Nậm").

File format: UTF-8 text, one entry a line; blank lines and lines starting with ``#`` are
skipped; a tab ends the entry (anything after it is a comment column).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ocr_pipeline.restore.orthography import nfc, normalize_tone_placement

WORD_BONUS = 1.0
# outweighs the LM's commoner pair, a namesake place's bonus and the names prior together:
# at 6.0, 4 of 24 "X Thanh" wards given as entries were still read as their namesakes
# "X Thạnh" / "X Thành" (places.tsv has both) from unmarked OCR; at 9.0 none was
PAIR_BONUS = 9.0


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Entries as lowercase NFC words (traditional tone placement) and pairs."""

    words: frozenset[str]  # every word of every entry
    pairs: tuple[tuple[str, str], ...]  # neighbouring words of multi-word entries
    single: frozenset[str] = frozenset()  # one-word entries

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> Lexicon:
        words: set[str] = set()
        single: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for entry in entries:
            if not isinstance(entry, str):
                raise TypeError(f"lexicon entries must be str, got {type(entry).__name__}")
            parts = [normalize_tone_placement(w) for w in nfc(entry).lower().split()]
            words.update(parts)
            if len(parts) == 1:
                single.update(parts)
            pairs.update(zip(parts, parts[1:], strict=False))
        return cls(frozenset(words), tuple(sorted(pairs)), frozenset(single))

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """Read a lexicon file (see the module docstring). OSError / UnicodeDecodeError
        propagate, and InputFileError for a FIFO, device or folder (it is never waited on);
        the CLI turns them into one line."""
        from ocr_pipeline.fileio import open_regular

        with open_regular(path) as fh:
            text = fh.read().decode("utf-8-sig")
        entries = []
        for line in text.splitlines():
            entry = line.split("\t", 1)[0].strip()
            if entry and not entry.startswith("#"):
                entries.append(entry)
        return cls.from_entries(entries)

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def keep(self) -> frozenset[str]:
        """Words kept as written wherever the OCR wrote them: the one-word entries."""
        return self.single

    @property
    def keep_titled(self) -> frozenset[str]:
        """Words kept as written where the OCR capitalised them: those of longer entries."""
        return self.words - self.single

    def bonuses(self) -> dict[str, float]:
        """Preference per word, for the decoder's memory: the one-word entries (a longer
        entry's words are preferred together, through `pair_bonuses`)."""
        return dict.fromkeys(self.single, WORD_BONUS)

    def pair_bonuses(self, bonus: float = PAIR_BONUS) -> dict[tuple[str, str], float]:
        return dict.fromkeys(self.pairs, bonus)


def as_lexicon(value: Lexicon | str | Path | Iterable[str] | None) -> Lexicon | None:
    """A Lexicon from what an API caller gives: None, a Lexicon, a file path (str or Path),
    or an iterable of entries (a list of names: a single name is a list of one)."""
    if value is None or isinstance(value, Lexicon):
        return value
    if isinstance(value, (bytes, bytearray)):
        raise TypeError("lexicon must be a Lexicon, a file path or a list of names, not bytes")
    if isinstance(value, (str, Path)):
        if not str(value):
            raise ValueError("lexicon file name is empty (give a path or a list of names)")
        if not Path(value).exists():  # a folder or FIFO: Lexicon.load says what it is
            raise FileNotFoundError(
                f"lexicon file {str(value)!r} not found (give entries as "
                "a list of strings, a file as its path)"
            )
        return Lexicon.load(value)
    if not isinstance(value, Iterable):
        raise TypeError(
            f"lexicon must be a Lexicon, a file path or a list of names, not {type(value).__name__}"
        )
    return Lexicon.from_entries(value)


__all__ = ["Lexicon", "as_lexicon", "PAIR_BONUS", "WORD_BONUS"]
