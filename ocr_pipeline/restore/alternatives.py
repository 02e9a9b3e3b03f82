"""Restoration over two readings of a page: both readings' words in one lattice position.

The weak words of a weak page read twice (`ocr_pipeline.reread`: another view of the
page) give a second OCR token for some words ("đông" read once, "đồng" the second time).
Choosing a whole line by Tesseract's confidence throws away the good words of the line not
taken; here both tokens of a word go into the restoration lattice as one position
(`restore_with_alternatives`): its candidates are the union of what the channel proposes
for either token, each scored as a mixture of the two readings' channels (one of them
is right: `SECOND_READING_WEIGHT`), and the language model and the dictionaries choose
among them in context, as for any word.

What the second reading read is given per word by its box (`Alternatives`: the first
reading's word box -> the second reading's text of that word). A word is read twice only
when both tokens are one word each (the restore tokenizer's); a token the first reading
glued a footnote marker to, or one the decoder keeps as written, keeps its own reading.

A word Tesseract doubted on a weak page (`doubt_under`, `document_restore.DOUBT_CONFIDENCE`)
is widened the same way without a second token: a bad copy's tone marks are specks
Tesseract guesses at ("thiệt bị" for "thiết bị"), a swap the `vie` channel charges its
floor for an unseen confusion (about -11 nats weighted) where the language model prefers
the right syllable by about 6, so the context could never win. The syllables its letters
make with one letter's marks read otherwise (`mark_variants`) join its column at
DOUBTED_MARK_P. On the 200/150-dpi photocopies of scans_heldout2-9 (tuning data) this
took `run` from 0.51/1.15% to 0.47/1.07% CER (mean of the sets); names are not doubted.

The decoder is the shared one (or the document's adapted one) with its candidate columns
widened at those positions (`AlternativesDecoder`, a `Decoder` whose `decode_tokens`
marks the positions and whose `_column` merges the two tokens' columns); nothing in
`restore.decoder` changes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ocr_pipeline.restore import (
    _check_channel,
    _check_pages,
    _page_text,
    _resolve,
    _restored_page,
    _routed,
)
from ocr_pipeline.restore import orthography as ortho
from ocr_pipeline.restore.decoder import Cand, Choice, Decoder, _Column
from ocr_pipeline.restore.tokenize import WORD, Token, tokenize

if TYPE_CHECKING:
    from pathlib import Path

    from ocr_pipeline.model import BBox, Page
    from ocr_pipeline.restore.adapt import Adaptation
    from ocr_pipeline.restore.lexicon import Lexicon
    from ocr_pipeline.restore.profile import Profile

#: One page's second readings: a word box of the first reading -> the second's text there.
Alternatives = Mapping["BBox", str]


#: How much the second reading's token counts against the first's: each candidate's
#: channel score is log((1 - w) P(first token | it) + w P(second token | it)), a mixture
#: (one of the two readings is right), so a syllable either reading supports stays in
#: reach and the language model decides between them.
SECOND_READING_WEIGHT = 0.5


def _log_add(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    top = max(a, b)
    return top + math.log(math.exp(a - top) + math.exp(b - top))


#: A doubted word (`restore_with_alternatives`' `doubt_under`: Tesseract was unsure of it
#: on a weak page) may be the valid syllable its letters make with the marks of one letter
#: read otherwise, at this probability (its weighted log is the candidate's channel score,
#: when the channel's own is lower). See `DOUBT_CONFIDENCE` in `document_restore`.
DOUBTED_MARK_P = 0.05


class _Twice(str):
    """A word token of the first reading that carries the second reading's token (None:
    read once) and whether Tesseract doubted it (`doubted`)."""

    alternative: str | None
    doubted: bool

    def __new__(cls, text: str, alternative: str | None, doubted: bool = False) -> _Twice:
        new = super().__new__(cls, text)
        new.alternative = alternative
        new.doubted = doubted
        return new


@functools.lru_cache(maxsize=1 << 16)  # asked of OCR tokens: bounded
def mark_variants(syllable: str) -> tuple[str, ...]:
    """The valid syllables that differ from `syllable` (lower case, NFC, tone placed) in
    the marks of exactly one letter: "thiệt" -> "thiết"; "đông" -> "đồng", "đống", "dông",
    ...; none for a token that is no valid syllable."""
    if not ortho.is_valid_syllable(syllable):
        return ()
    out = []
    for other in ortho.same_letters(ortho.strip_marks(syllable)):
        if (
            len(other) == len(syllable)
            and sum(a != b for a, b in zip(other, syllable, strict=True)) == 1
        ):
            out.append(other)
    return tuple(out)


class AlternativesDecoder(Decoder):
    """A decoder whose word tokens at `alternatives` (token start in the decoded text ->
    the second reading's token) are read from both tokens (see the module). Built with
    `of`, sharing everything with the decoder it widens."""

    alternatives: dict[int, str]
    doubted: frozenset[int]

    @classmethod
    def of(
        cls, decoder: Decoder, alternatives: Mapping[int, str], doubted: Iterable[int] = ()
    ) -> AlternativesDecoder:
        new = cls.__new__(cls)
        new.__dict__.update(decoder.__dict__)  # the LM, channel, caches: shared
        new.alternatives = dict(alternatives)
        new.doubted = frozenset(doubted)
        return new

    def decode_tokens(
        self, tokens: list[Token], with_alternatives: bool = True, posteriors: bool = False
    ) -> dict[int, Choice]:
        if self.alternatives or self.doubted:
            alts, doubted = self.alternatives, self.doubted
            tokens = [
                Token(_Twice(t.text, other, t.start in doubted), t.kind, t.start)
                if t.kind == WORD and (other is not None or t.start in doubted)
                else t
                for t in tokens
                for other in [alts.get(t.start) if alts.get(t.start) != t.text else None]
            ]
        return super().decode_tokens(tokens, with_alternatives, posteriors)

    def _column(self, token: str, caps: bool = False, title: bool = False) -> _Column:
        if not isinstance(token, _Twice):
            return super()._column(token, caps, title)
        column = self._twice_column(token, caps, title)
        return self._doubted_column(token, column, caps) if token.doubted else column

    def _doubted_column(self, token: str, column: _Column, caps: bool) -> _Column:
        """`column` (a doubted token's) with the syllables its letters make with one
        letter's marks read otherwise at DOUBTED_MARK_P or better (`mark_variants`)."""
        low = ortho.normalize_tone_placement(ortho.nfc(token.lower()))
        variants = [v for v in mark_variants(low) if self._id(v) != self.unk]
        if not variants:
            return column
        w = self.caps_w if caps else self.w
        floor = w.channel * math.log(DOUBTED_MARK_P)
        cands = {c.form: c for c in column.cands if not c.kept and not c.marker}
        out = [c for c in column.cands if c.kept or c.marker or c.form not in variants]
        for form in variants:
            old = cands.get(form)
            score = floor + self.memory.get(form, 0.0)
            if old is None or old.chan < score:
                out.append(Cand(form, score, self._id(form)))
            else:
                out.append(old)
        out.sort(key=lambda c: -c.chan)
        return _Column.of(out)

    def _twice_column(self, token: _Twice, caps: bool, title: bool) -> _Column:
        """The column of a token read twice: both readings' candidates, each scored from
        both tokens (see the module); the first's own column when it was read once."""
        first = super()._column(token, caps, title)
        other = token.alternative
        if other is None:
            return first
        second = super()._column(other, caps, title)
        w = self.caps_w if caps else self.w
        channel = self.caps_channel if caps and self.caps_channel is not None else self.channel
        mine = {c.form: c for c in first.cands if not c.kept and not c.marker}
        theirs = {c.form: c for c in second.cands if not c.kept and not c.marker}

        def chan(c: Cand | None, ocr: str, form: str) -> float:
            if c is not None:
                return c.chan
            try:
                lp = channel.logprob(ocr.lower(), form)
            except (ValueError, KeyError):
                lp = -math.inf
            return w.channel * lp + self.memory.get(form, 0.0)

        merged = [c for c in first.cands if c.kept or c.marker]
        keep, take = math.log(1.0 - SECOND_READING_WEIGHT), math.log(SECOND_READING_WEIGHT)
        for form in dict.fromkeys([*mine, *theirs]):
            a, b = mine.get(form), theirs.get(form)
            score = _log_add(keep + chan(a, token, form), take + chan(b, other, form))
            if score > -math.inf:
                merged.append(Cand(form, score, (a or b).lm_id))  # type: ignore[union-attr]
        merged.sort(key=lambda c: -c.chan)
        return _Column.of(merged[: max(w.max_cands, len(first.cands))])


def _single_word(text: str, decoder: Decoder) -> str | None:
    """The one word token of `text` (punctuation round it aside), or None."""
    words = [t.text for t in tokenize(text, decoder.dicts.abbreviations) if t.kind == WORD]
    return words[0] if len(words) == 1 else None


def _token_alternatives(
    page: Page, spans: list[tuple[int, int]], alternatives: Alternatives, decoder: Decoder
) -> dict[int, str]:
    """{start of a first-reading word token in the page text: the second reading's token}
    for the words of `page` that have a one-word second reading (see the module)."""
    from ocr_pipeline.restore import _nfc

    out: dict[int, str] = {}
    words = [w for ln in page.lines for w in ln.words]
    for word, (start, end) in zip(words, spans, strict=True):
        other = alternatives.get(word.bbox)
        if other is None:
            continue
        mine = _single_word(_nfc(word.text), decoder)
        theirs = _single_word(_nfc(other), decoder)
        if mine is None or theirs is None:
            continue
        at = _nfc(word.text).find(mine)
        if at >= 0 and start + at < end:
            out[start + at] = theirs
    return out


def _doubted_tokens(
    page: Page, spans: list[tuple[int, int]], under: float, decoder: Decoder
) -> set[int]:
    """The starts (in the page text) of the one-word lower-case tokens of the words of
    `page` that Tesseract read with a confidence under `under`. A name's marks are not
    doubted: the context cannot tell "Hỡi" from "Hội", and the language model knows the
    common one."""
    from ocr_pipeline.restore import _nfc

    out: set[int] = set()
    words = [w for ln in page.lines for w in ln.words]
    for word, (start, end) in zip(words, spans, strict=True):
        if not 0 <= word.confidence < under:
            continue
        text = _nfc(word.text)
        mine = _single_word(text, decoder)
        if mine is None or not mine.islower():  # a capital: a name's, or a heading's
            continue
        at = text.find(mine)
        if at >= 0 and start + at < end:
            out.add(start + at)
    return out


def restore_with_alternatives(
    pages: Sequence[Page],
    alternatives: Sequence[Alternatives],
    channel: str = "vie",
    *,
    adapt: bool = False,
    profile: Profile | str | Path | None = None,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    doubt_under: Sequence[float | None] | None = None,
) -> tuple[list[Page], Adaptation | None]:
    """`restore.restore_document` for `pages` whose words may have been read twice:
    `alternatives[i]` gives page i's second readings (word box -> text); each such word
    is decoded from both readings (see the module). Without alternatives this is
    `restore_document` (with `adapt` off: `restore_page` for each page). Adaptation, when
    on, learns from the first readings only. `doubt_under[i]` (None: no doubt): the words
    of page i read with a lower Tesseract confidence are doubted, each also read as the
    syllables its letters make with one letter's marks read otherwise (`mark_variants`,
    at DOUBTED_MARK_P: a bad copy's tone marks are specks Tesseract guesses at). Returns
    the restored pages and what was adapted."""
    pages = list(pages)
    _check_pages(pages, "restore_with_alternatives")
    _check_channel(channel)
    if len(alternatives) != len(pages):
        raise ValueError("restore_with_alternatives() takes one Alternatives per page")
    doubts = list(doubt_under) if doubt_under is not None else [None] * len(pages)
    if len(doubts) != len(pages):
        raise ValueError("restore_with_alternatives() takes one doubt_under per page")
    texts = [_page_text(page) for page in pages]
    whole = "\n".join(text for text, _spans in texts)
    routed, _name, adaptation, _ = _routed(
        [text for text, _spans in texts], _resolve(whole, channel), adapt, lexicon, profile
    )
    restored = []
    for page, (_text, spans), runs, alts, under in zip(
        pages, texts, routed, alternatives, doubts, strict=True
    ):
        if (alts or under is not None) and runs:
            at = _token_alternatives(page, spans, alts, runs[0][2]) if alts else {}
            doubted = (
                _doubted_tokens(page, spans, under, runs[0][2]) if under is not None else set()
            )
            runs = [
                (s, run, AlternativesDecoder.of(dec, {o - s: a for o, a in at.items()
                                                      if s <= o < s + len(run)},
                                                [o - s for o in doubted
                                                 if s <= o < s + len(run)]))
                for s, run, dec in runs
            ]  # fmt: skip
        restored.append(_restored_page(page, spans, runs))
    return restored, adaptation
