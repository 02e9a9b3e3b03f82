"""One side of a comparison (`DiffSide`): its lines and the words' confidences.

The readers in `ocr_pipeline.diff.readers` (one per input format) build it. Blank lines
are not compared. Line text is NFC with whitespace runs collapsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ocr_pipeline.diff.normalize import clean_line, graphemes
from ocr_pipeline.model import BBox


@dataclass(frozen=True, slots=True)
class Token:
    """A word with what the pipeline knew about it.

    `confidence` is 0-1: the restore confidence when there is one, else Tesseract's
    word confidence / 100. `original` is the text before restoration (OCR output).
    """

    text: str
    confidence: float | None = None
    original: str | None = None
    alternatives: tuple[str, ...] = ()
    page: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # Tesseract 0-100, when known
    glue: bool = False  # written right after the previous token, without a space


@dataclass(slots=True)
class SideLine:
    """One non-blank line: cleaned text, its 1-based number in the source, its page."""

    text: str
    number: int
    page: int | None = None
    tokens: tuple[Token, ...] | None = None
    numbers: tuple[int, ...] = ()  # all source line numbers when this joins several lines
    _units: str | list[str] | None = field(default=None, repr=False)

    @classmethod
    def from_tokens(cls, tokens: list[Token], number: int, page: int | None) -> SideLine:
        kept = tuple(
            replace(t, text=clean_line(t.text), glue=t.glue and i > 0)
            for i, t in enumerate(tok for tok in tokens if tok.text.strip())
        )
        text = "".join(("" if t.glue or not i else " ") + t.text for i, t in enumerate(kept))
        return cls(text, number, page, kept)

    @property
    def units(self) -> str | list[str]:
        """The line's grapheme clusters (token graphemes joined by single spaces).

        When every cluster is one code point (most lines) this is the text itself, a
        sequence of one-character strings: a list of clusters costs some 60 bytes per
        character, the string one or two (bounded memory on large inputs)."""
        if self._units is None:
            if self.tokens is None:
                units = graphemes(self.text)
            else:
                units = []
                for i, tok in enumerate(self.tokens):
                    if i and not tok.glue:
                        units.append(" ")
                    units.extend(graphemes(tok.text))
            self._units = self.text if len(units) == len(self.text) else units
        return self._units

    def word_spans(self) -> list[tuple[int, int, Token | None]]:
        """(start, end, token) grapheme ranges of the words; token None for plain text."""
        spans: list[tuple[int, int, Token | None]] = []
        if self.tokens is not None:
            pos = 0
            for i, tok in enumerate(self.tokens):
                if i and not tok.glue:
                    pos += 1
                n = len(graphemes(tok.text))
                spans.append((pos, pos + n, tok))
                pos += n
            return spans
        start = None
        for i, g in enumerate(self.units):
            if g.isspace():
                if start is not None:
                    spans.append((start, i, None))
                    start = None
            elif start is None:
                start = i
        if start is not None:
            spans.append((start, len(self.units), None))
        return spans


def join_lines(lines: list[SideLine]) -> SideLine:
    """Several lines as one (a line OCR split in two is compared with the joined text)."""
    if len(lines) == 1:
        return lines[0]
    numbers = tuple(n for ln in lines for n in (ln.numbers or (ln.number,)))
    if all(ln.tokens is not None for ln in lines):
        joined = SideLine.from_tokens(
            [t for ln in lines for t in ln.tokens or ()], lines[0].number, lines[0].page
        )
        joined.numbers = numbers
        return joined
    return SideLine(
        " ".join(ln.text for ln in lines), lines[0].number, lines[0].page, numbers=numbers
    )


@dataclass(slots=True)
class DiffSide:
    """Everything compared and shown for one side: its lines and where they came from."""

    path: str
    kind: str  # the reader's format name: "text", "alto", "hocr", "words-tsv", ...
    lines: list[SideLine]
    name: str  # file stem used to find page images (NAME-p001.png)
    page_sizes: dict[int, tuple[int, int]] = field(default_factory=dict)  # from run metadata
    page_skew: dict[int, float] = field(default_factory=dict)  # degrees turned (orientation + skew)
    paragraphs: bool = False  # lines are whole paragraphs (cut at the other side's breaks)

    @property
    def has_boxes(self) -> bool:
        return any(t.bbox is not None for ln in self.lines for t in (ln.tokens or ()))

    @property
    def has_confidence(self) -> bool:
        return any(t.confidence is not None for ln in self.lines for t in (ln.tokens or ()))
