"""Restore Vietnamese diacritics and OCR slips in text: the public API of the restore stage.

``restore_text(text, channel="eng") -> str`` gives the corrected text; ``restore(text)``
the per-token view (`Restoration`); ``restore_page(page, channel="vie")`` a new
`model.Page` whose words carry the restored text, the OCR text and a confidence.

``channel`` names the Tesseract model that produced the text: ``"eng"`` for legacy archives
OCR'd with the English model (the default for text), ``"vie"`` for Tesseract's Vietnamese
model (the default for pages of the ``run`` pipeline).

Only whitespace-separated words are changed. Spacing and line breaks, numbers, dates,
amounts, punctuation and codes are kept; abbreviations from dictionaries/abbreviations.tsv
are written in their canonical form (HDND -> HĐND); Tesseract's Ð (eth) is read as Đ. Casing
follows the input. A footnote reference glued to a word ("quy dinh2", "doanh nghiép*") becomes
its own ``footnote_marker`` token; in the text, a digit marker is written as a superscript
digit (``quy định²``) so the structure stage can find it, other marker characters are kept
as they were.

Nothing heavy is loaded at import: the language model, channels and dictionaries are read
on first use and cached for the process.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ocr_pipeline.model import Page
    from ocr_pipeline.restore.decoder import Decoder

log = logging.getLogger(__name__)

CHANNELS = ("eng", "vie")
CHUNK_CHARS = 65_536  # restore_text works on pieces of about this size (linear time)
# Tesseract reads the capital Đ as Ð (eth, U+00D0), which Vietnamese never uses: the input
# is read with the right letter (list labels "Ð)" and kept words included)
_GLYPHS = str.maketrans("Ðð", "Đđ")


@dataclass(slots=True)
class RestoredToken:
    """One token of the input and what restoration made of it."""

    original: str
    text: str
    kind: str  # word, number, abbrev, punct, footnote_marker, space
    start: int  # offset of `original` in the (NFC) input
    confidence: float = 1.0  # 0-1; 1.0 for tokens that are not decoded
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # (form, prob)

    @property
    def changed(self) -> bool:
        return self.text != self.original


@dataclass(slots=True)
class Restoration:
    tokens: list[RestoredToken]
    channel: str

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)

    @property
    def original(self) -> str:
        return "".join(t.original for t in self.tokens)

    def to_dict(self) -> dict:
        return {
            "schema": "ocr_pipeline/restoration@1",
            "channel": self.channel,
            "text": self.text,
            "tokens": [
                {
                    "original": t.original,
                    "text": t.text,
                    "kind": t.kind,
                    "start": t.start,
                    "confidence": round(t.confidence, 4),
                    "alternatives": [[f, p] for f, p in t.alternatives],
                }
                for t in self.tokens
                if t.kind != "space"
            ],
        }


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        from ocr_pipeline.errors import BadArgumentsError

        raise BadArgumentsError(
            f"unknown OCR channel {channel!r}: use one of {', '.join(CHANNELS)}"
        )


@lru_cache(maxsize=4)
def get_decoder(channel: str = "eng") -> Decoder:
    """The decoder for `channel`, loading the LM, the channel and the dictionaries once."""
    _check_channel(channel)
    from ocr_pipeline.restore.channel import load_caps_channel, load_channel
    from ocr_pipeline.restore.decoder import build_decoder
    from ocr_pipeline.restore.dictionary import load_dictionaries
    from ocr_pipeline.restore.lm import load_lm

    return build_decoder(channel, load_channel, load_lm, load_dictionaries(),
                         load_caps_channel=load_caps_channel)


def _repair_abbrev(text: str, abbreviations: dict[str, str]) -> str:
    hit = abbreviations.get(text)
    if hit is not None:
        return hit
    parts = re.split(r"([/\-])", text)
    if len(parts) > 1:
        return "".join(abbreviations.get(p, p) for p in parts)
    return text


def _restore_piece(text: str, offset: int, decoder: Decoder, alternatives: bool):
    from ocr_pipeline.restore.tokenize import ABBREV, MARKER, TO_SUPERSCRIPT, tokenize

    abbr = decoder.dicts.abbreviations
    tokens = tokenize(text, abbr)
    choices = decoder.decode_tokens(tokens, with_alternatives=alternatives)
    out: list[RestoredToken] = []
    for i, t in enumerate(tokens):
        start = t.start + offset
        ch = choices.get(i)
        if ch is not None:
            if ch.marker_original:
                stem = t.text[: len(t.text) - len(ch.marker_original)]
                out.append(RestoredToken(stem, ch.form, "word", start, ch.confidence,
                                         ch.alternatives))
                out.append(RestoredToken(ch.marker_original, ch.marker, MARKER,
                                         start + len(stem)))
            else:
                out.append(RestoredToken(t.text, ch.form, "word", start, ch.confidence,
                                         ch.alternatives))
        elif t.kind == ABBREV:
            out.append(RestoredToken(t.text, _repair_abbrev(t.text, abbr), ABBREV, start))
        elif t.kind == MARKER:
            out.append(RestoredToken(t.text, t.text.translate(TO_SUPERSCRIPT), MARKER, start))
        else:
            out.append(RestoredToken(t.text, t.text, t.kind, start))
    return out


def _pieces(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut `text` into pieces of about `size` characters at line breaks or spaces."""
    n, pos = len(text), 0
    while pos < n:
        end = pos + size
        if end >= n:
            yield pos, text[pos:]
            return
        cut = text.rfind("\n", pos + size // 2, end)
        if cut < 0:
            cut = text.rfind(" ", pos + size // 2, end)
        if cut < 0:
            cut = end - 1
        yield pos, text[pos : cut + 1]
        pos = cut + 1


def _nfc(text: str) -> str:
    """The form restoration works on: NFC, Tesseract's Ð (eth) read as Đ (same length)."""
    from ocr_pipeline.restore.orthography import nfc

    return nfc(text).translate(_GLYPHS)


def restore(text: str, channel: str = "eng") -> Restoration:
    """Restore `text` token by token (alternatives and confidences included)."""
    _check_channel(channel)
    text = _nfc(text)
    decoder = get_decoder(channel)
    tokens: list[RestoredToken] = []
    for offset, piece in _pieces(text):
        tokens += _restore_piece(piece, offset, decoder, True)
    return Restoration(tokens, channel)


def restore_text(text: str, channel: str = "eng") -> str:
    """The restored text: accents and OCR slips corrected, everything else kept."""
    _check_channel(channel)
    text = _nfc(text)
    if not text:
        return text
    decoder = get_decoder(channel)
    return "".join(_restore_piece_text(piece, decoder) for _offset, piece in _pieces(text))


def _restore_piece_text(text: str, decoder: Decoder) -> str:
    """`_restore_piece` without the per-token records (the fast path of restore_text)."""
    from ocr_pipeline.restore.tokenize import ABBREV, MARKER, TO_SUPERSCRIPT, tokenize

    abbr = decoder.dicts.abbreviations
    tokens = tokenize(text, abbr)
    choices = decoder.decode_tokens(tokens, with_alternatives=False)
    out: list[str] = []
    for i, t in enumerate(tokens):
        ch = choices.get(i)
        if ch is not None:
            out.append(ch.form + ch.marker)
        elif t.kind == ABBREV:
            out.append(_repair_abbrev(t.text, abbr))
        elif t.kind == MARKER:
            out.append(t.text.translate(TO_SUPERSCRIPT))
        else:
            out.append(t.text)
    return "".join(out)


def restore_page(page: Page, channel: str = "vie") -> Page:
    """A new Page whose words hold the restored text (`ocr_text` = what OCR read).

    Boxes and OCR confidences are kept; `restore_confidence` is the lowest confidence of
    the word tokens inside the word (1.0 when it had none). The page is decoded as one
    text (words joined by spaces, lines by line breaks) so context crosses line ends.
    """
    _check_channel(channel)
    decoder = get_decoder(channel)
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    pos = 0
    for li, line in enumerate(page.lines):
        if li:
            parts.append("\n")
            pos += 1
        for wi, word in enumerate(line.words):
            if wi:
                parts.append(" ")
                pos += 1
            t = _nfc(word.text)
            spans.append((pos, pos + len(t)))
            parts.append(t)
            pos += len(t)
    toks = _restore_piece("".join(parts), 0, decoder, True)
    texts: list[list[str]] = [[] for _ in spans]
    confs: list[float] = [1.0] * len(spans)
    k = 0
    for t in toks:
        while k < len(spans) and t.start >= spans[k][1]:
            k += 1
        if k < len(spans) and t.start >= spans[k][0]:
            texts[k].append(t.text)
            if t.kind == "word":
                confs[k] = min(confs[k], t.confidence)
    new_lines = []
    k = 0
    for line in page.lines:
        words = []
        for word in line.words:
            words.append(dataclasses.replace(
                word,
                text="".join(texts[k]) or word.text,
                ocr_text=word.ocr_text if word.ocr_text is not None else word.text,
                restore_confidence=round(confs[k], 4),
            ))
            k += 1
        new_lines.append(dataclasses.replace(line, words=words))
    return dataclasses.replace(page, lines=new_lines)


__all__ = [
    "CHANNELS",
    "Restoration",
    "RestoredToken",
    "get_decoder",
    "restore",
    "restore_page",
    "restore_text",
]
