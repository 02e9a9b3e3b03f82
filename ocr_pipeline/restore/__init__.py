"""Restore Vietnamese diacritics and OCR slips in text: the public API of the restore stage.

``restore_text(text) -> str`` gives the corrected text; ``restore(text)`` the per-token view
(`Restoration`); ``restore_lines(lines)`` restores a stream of lines, yielding each restored
line as input arrives (after a warm-up window used to adapt); ``restore_page(page)`` a new
`model.Page` whose words carry the restored text, the OCR text and a confidence.

``channel`` names the OCR that produced the text: ``"auto"`` (the default for text) reads
the text itself: text that already carries Vietnamese marks (ư, ơ, ă, đ, ả, ạ ...) is read as
Tesseract ``vie`` output, which leaves correct text alone; text without them as the legacy
archives' English-model OCR (``"eng"``). ``"eng"`` and ``"vie"`` force one.

``adapt`` (default on for text): the channel is re-estimated from the document's own
confident readings and the document's confident words count for their uncertain
occurrences (`restore.adapt`); what was adapted is in ``Restoration.adaptation``.
``lexicon``: local names and terms to keep and to prefer (`restore.lexicon`): a path to a
UTF-8 file with one entry a line, an iterable of entries, or a `Lexicon`.

Only whitespace-separated words are changed. Spacing and line breaks, numbers, dates,
amounts, punctuation and codes are kept (a short run of OCR glyphs standing for a syllable,
"1¢" for "lệ", may be read); abbreviations from dictionaries/abbreviations.tsv are written
in their canonical form (HDND -> HĐND); Tesseract's Ð (eth) is read as Đ; text in the
pre-Unicode TCVN3 or VNI encoding is read as Unicode first (`ocr_pipeline.legacy_encodings`,
with a warning).
Casing follows the input. A footnote reference glued to a word ("quy dinh2", "doanh
nghiép*") becomes its own ``footnote_marker`` token; in the text, a digit marker is
written as a superscript digit (``quy định²``) so the structure stage can find it, other
marker characters are kept.

Nothing heavy is loaded at import: the language model, channels and dictionaries are read
on first use (once per process, thread-safe) and shared.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ocr_pipeline.restore.detect import (
    AUTO_SAMPLE_CHARS,
    MARKS_LOST_CHANNEL,
    channel_runs,
    detect_channel,
    line_is_unmarked,
    looks_vietnamese,
    vietnamese_share,
)
from ocr_pipeline.restore.reading_order import reading_lines
from ocr_pipeline.review_flag import LOW_CONFIDENCE  # the reviewer's flag, exported here

if TYPE_CHECKING:
    from pathlib import Path

    from ocr_pipeline.model import Page, Word
    from ocr_pipeline.restore.adapt import Adaptation
    from ocr_pipeline.restore.decoder import Decoder
    from ocr_pipeline.restore.lexicon import Lexicon
    from ocr_pipeline.restore.profile import Profile

log = logging.getLogger(__name__)

CHANNELS = ("eng", "vie")  # the OCR models a confusion table exists for
CHANNEL_CHOICES = ("auto", *CHANNELS)
CHUNK_CHARS = 65_536  # restore_text works on pieces of about this size (linear time)
ADAPT_WORDS = 10_000  # adaptation reads at most this many words of a document
STREAM_WINDOW_LINES = 400  # restore_lines adapts on this many lines before it yields
# Tesseract reads the capital Đ as Ð (eth, U+00D0), which Vietnamese never uses: the input
# is read with the right letter (list labels "Ð)" and kept words included)
_ETH_TO_D = str.maketrans("Ðð", "Đđ")
# ... and often reads one Đ twice, an eth beside it: "QĐÐ", "ĐÐU", "GD&ĐÐT" (20 of the
# bench scans' codes, 2026-12) and "ÐĐTN"; a real "ĐĐ" is rare (8 in the corpus's 37 M
# tokens: "ĐĐKD"), so an eth beside a Đ is that Đ read twice, but in the one common code
# that doubles it, "ĐĐBQH" (Đoàn đại biểu Quốc hội: "Văn phòng ĐĐBQH", "/ĐĐBQH-VP"), unless
# "Đoàn" stands before it ("Đoàn ĐBQH tỉnh": the doubled letter is the word before)
_ETH_BESIDE_D = re.compile("ÐĐ|ĐÐ|ðđ|đð")
_DELEGATION_BEFORE = re.compile(r"Đoàn\s+$", re.IGNORECASE)


def _one_d(pair: re.Match[str]) -> str:
    """The letter an eth beside a Đ was read from (`_ETH_BESIDE_D`): one Đ, or both in
    "ĐĐBQH" where no "Đoàn" stands before it."""
    text, start = pair.string, pair.start()
    if text.startswith("BQH", pair.end()) and not _DELEGATION_BEFORE.search(text, 0, start):
        return "ĐĐ"
    return "Đ" if pair.group().isupper() else "đ"


@dataclass(slots=True)
class RestoredToken:
    """One token of the input and what restoration made of it."""

    original: str
    text: str
    kind: str  # word, number, abbrev, code, punct, footnote_marker, space
    start: int  # offset of `original` in the (NFC) input
    confidence: float = 1.0  # 0-1; 1.0 for tokens that are not decoded
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # (form, prob)

    @property
    def changed(self) -> bool:
        return self.text != self.original


@dataclass(slots=True)
class Restoration:
    tokens: list[RestoredToken]
    channel: str  # the channel used ("eng" or "vie"; "auto" is resolved)
    # what per-document adaptation changed: None when it was off or a decoder was given
    # (an `Adaptation` with iterations=0 when the text was too short to adapt to)
    adaptation: Adaptation | None = None

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
            "adaptation": self.adaptation.to_dict() if self.adaptation is not None else None,
            "text": self.text,
            "tokens": [token_dict(t) for t in self.tokens if t.kind != "space"],
        }


def token_dict(t: RestoredToken) -> dict:
    """The JSON form of one token (``Restoration.to_dict``'s entries)."""
    return {
        "original": t.original,
        "text": t.text,
        "kind": t.kind,
        "start": t.start,
        "confidence": round(t.confidence, 4),
        "alternatives": [[f, p] for f, p in t.alternatives],
    }


def _check_text(text: object, func: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{func}() takes text as str, not {type(text).__name__}")


def _check_pages(pages: Sequence[object], func: str) -> None:
    from ocr_pipeline.model import Page

    for page in pages:
        if not isinstance(page, Page):
            raise TypeError(
                f"{func}() takes ocr_pipeline.model.Page objects, not {type(page).__name__}"
                " (restore_text takes text)"
            )


def _check_channel(channel: str, allowed: tuple[str, ...] = CHANNEL_CHOICES) -> None:
    """A channel name the API accepts: TypeError for no string, ValueError for another one
    (the CLI's choices never let either through)."""
    if not isinstance(channel, str):
        raise TypeError(f"channel must be one of {', '.join(allowed)}, not {channel!r}")
    if channel not in allowed:
        raise ValueError(f"unknown OCR channel {channel!r}: use one of {', '.join(allowed)}")


def _check_iterable(value: object, func: str, what: str) -> None:
    if value is None or not isinstance(value, Iterable):
        raise TypeError(f"{func}() takes an iterable of {what}, not {type(value).__name__}")


_DECODER_LOCK = threading.Lock()


def get_decoder(channel: str = "eng") -> Decoder:
    """The shared decoder for `channel` ("eng" or "vie"), loading the LM, the channel and the
    dictionaries once per process (thread-safe: concurrent first calls build it once)."""
    _check_channel(channel, CHANNELS)
    with _DECODER_LOCK:
        return _build_decoder(channel)


@lru_cache(maxsize=4)
def _build_decoder(channel: str) -> Decoder:
    from ocr_pipeline.restore.channel import load_caps_channel, load_channel
    from ocr_pipeline.restore.decoder import build_decoder
    from ocr_pipeline.restore.dictionary import load_dictionaries
    from ocr_pipeline.restore.lm import load_lm

    return build_decoder(
        channel, load_channel, load_lm, load_dictionaries(), load_caps_channel=load_caps_channel
    )


get_decoder.cache_clear = _build_decoder.cache_clear  # type: ignore[attr-defined]


def _repair_abbrev(text: str, abbreviations: dict[str, str]) -> str:
    hit = abbreviations.get(text)
    if hit is not None:
        return hit
    parts = re.split(r"([/\-])", text)
    if len(parts) > 1:
        return "".join(abbreviations.get(p, p) for p in parts)
    return text


def _restore_piece(text: str, offset: int, decoder: Decoder | None, alternatives: bool):
    """The restored tokens of `text` (at `offset` in the whole); with no decoder (a text
    that is not Vietnamese, `restore.detect.looks_vietnamese`) every token as it was."""
    from ocr_pipeline.restore.tokenize import ABBREV, MARKER, TO_SUPERSCRIPT, tokenize

    if decoder is None:
        return [RestoredToken(t.text, t.text, t.kind, t.start + offset) for t in tokenize(text)]
    abbr = decoder.dicts.abbreviations
    tokens = decoder.tokens(text)
    choices = decoder.decode_tokens(tokens, with_alternatives=alternatives)
    out: list[RestoredToken] = []
    for i, t in enumerate(tokens):
        start = t.start + offset
        ch = choices.get(i)
        if ch is not None:
            if ch.marker_original:
                stem = t.text[: len(t.text) - len(ch.marker_original)]
                out.append(
                    RestoredToken(stem, ch.form, "word", start, ch.confidence, ch.alternatives)
                )
                out.append(RestoredToken(ch.marker_original, ch.marker, MARKER, start + len(stem)))
            else:
                out.append(
                    RestoredToken(t.text, ch.form, "word", start, ch.confidence, ch.alternatives)
                )
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
    """The form restoration works on: NFC, Tesseract's Ð (eth) read as Đ (and an eth before
    a Đ, one letter read twice, dropped), a letter's marks typed in the wrong order put
    right (`orthography.shape_marks_first`)."""
    from ocr_pipeline.restore.orthography import nfc, shape_marks_first

    return _ETH_BESIDE_D.sub(_one_d, shape_marks_first(nfc(text))).translate(_ETH_TO_D)


def _read_legacy_encoding(text: str) -> str:
    """`text`, or its Unicode reading when it was typed in a pre-Unicode encoding and taken
    for Latin-1 (`ocr_pipeline.legacy_encodings`: TCVN3, one character for one, so offsets
    hold; VNI, shorter: offsets are then the Unicode reading's), with a warning."""
    from ocr_pipeline.legacy_encodings import legacy_reading

    reading = legacy_reading(text)
    if reading is None:
        return text
    _warn_legacy(reading.name)
    return _nfc(reading.to_unicode(text))


def _warn_not_vietnamese(text: str) -> None:
    share, words = vietnamese_share(text)
    log.warning(
        "the text does not look like Vietnamese (%d%% of its %d words could be Vietnamese "
        "syllables): kept as written",
        round(100 * share),
        words,
    )


def _warn_legacy(name: str) -> None:
    log.warning(
        "the text looks like %s typed before Unicode: read as Unicode before restoring "
        "(convert it from that encoding to Unicode to avoid this guess)",
        name,
    )


def _decoder_for(
    texts: Iterable[str],
    channel: str,
    adapt: bool,
    lexicon: Lexicon | str | Path | Iterable[str] | None,
    profile: Profile | str | Path | None = None,
) -> tuple[Decoder, Adaptation | None]:
    """The decoder one call uses: the shared one for `channel`, with the archive profile
    and the user lexicon and, when `adapt`, adapted to `texts` (NFC pieces of the
    document, in order)."""
    from ocr_pipeline.restore.lexicon import as_lexicon
    from ocr_pipeline.restore.profile import as_profile

    if not isinstance(adapt, bool):
        raise TypeError(f"adapt must be True or False, not {adapt!r}")
    decoder = get_decoder(channel)
    if profile is not None and not isinstance(profile, (str, os.PathLike)):
        profile = as_profile(profile)  # a Profile, or a TypeError
    if profile is not None:
        cached = _with_profile_file(channel, profile)
        decoder = cached if cached is not None else _with_profile(decoder, profile)
    lex = as_lexicon(lexicon)
    if lex:
        memory = dict(decoder.memory)  # a profile's names stay preferred
        for word, bonus in lex.bonuses().items():
            memory[word] = memory.get(word, 0.0) + bonus
        decoder = decoder.adapted(
            memory=memory,
            keep=lex.keep,
            keep_titled=lex.keep_titled,
            pairs=lex.pair_bonuses(),
            named=lex.words,
        )
    if not adapt:
        return decoder, None
    from ocr_pipeline.restore.adapt import adapt as adapt_to
    from ocr_pipeline.restore.tokenize import WORD

    docs, words = [], 0
    for piece in texts:
        tokens = decoder.tokens(piece)  # the same list the final pass reads
        for i, t in enumerate(tokens):
            words += t.kind == WORD
            if words >= ADAPT_WORDS:
                tokens = tokens[: i + 1]
                break
        docs.append(tokens)
        if words >= ADAPT_WORDS:
            break
    return adapt_to(decoder, docs)


def _with_profile_file(channel: str, profile: Profile | str | Path) -> Decoder | None:
    """The profiled decoder for a profile *file*, kept while the file is unchanged: `run`
    restores page by page, and each page must not re-read the profile and start with cold
    candidate caches. None for a `Profile` object (not hashable; built each call)."""
    if not isinstance(profile, (str, os.PathLike)):
        return None
    path = os.path.realpath(profile)
    try:
        st = os.stat(path)
    except OSError:
        return None  # _with_profile reports it
    return _cached_profile_decoder(channel, path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _cached_profile_decoder(channel: str, path: str, _mtime_ns: int, _size: int) -> Decoder:
    return _with_profile(get_decoder(channel), path)


def _with_profile(decoder: Decoder, profile: Profile | str | Path) -> Decoder:
    """`decoder` with an archive profile: its channel re-estimated from the profile's
    corrected pairs, the profile's names preferred (their words that are no Vietnamese
    syllable kept as written where capitalised), its readings of garbled tokens."""
    from ocr_pipeline.restore.lexicon import Lexicon
    from ocr_pipeline.restore.orthography import is_valid_syllable
    from ocr_pipeline.restore.profile import PROFILE_STRENGTH, as_profile
    from ocr_pipeline.restore.profile import Profile as ProfileType

    prof = profile if isinstance(profile, ProfileType) else as_profile(profile)
    assert prof is not None
    channel = decoder.channel
    if prof.pairs and hasattr(channel, "adapted"):
        channel = channel.adapted(
            prof.pairs, PROFILE_STRENGTH, name=f"{decoder.channel_name}+profile"
        )
    names = Lexicon.from_entries(prof.lexicon)
    memory = dict(decoder.memory)
    for word, bonus in names.bonuses().items():
        memory[word] = memory.get(word, 0.0) + bonus
    # a name's word that is no Vietnamese syllable ("Ea Kly", "Krông") has no reading to
    # prefer: where the OCR capitalised it, it is kept as the reviewer wrote it
    foreign = frozenset(w for w in names.words if not is_valid_syllable(w))
    return decoder.adapted(
        channel,
        memory,
        keep_titled=decoder.keep_titled | foreign,
        pairs=names.pair_bonuses(),
        named=names.words,
        readings=prof.readings(),
    )


def _resolve(text: str, channel: str) -> str:
    return detect_channel(text) if channel == "auto" else channel


def adapt_decoder(
    texts: Iterable[str],
    channel: str = "auto",
    *,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    profile: Profile | str | Path | None = None,
) -> tuple[Decoder, Adaptation | None]:
    """One decoder adapted to several texts of one collection (one archive, one OCR
    engine), to pass as ``decoder=`` to restore / restore_text for each of them. The
    evidence is spread over the texts (ADAPT_WORDS in all, the same share from each); the
    channel ("auto") is detected on all of them together."""
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"adapt_decoder() takes an iterable of texts, not one {type(texts).__name__}"
        )
    _check_channel(channel)
    texts = list(texts)
    for t in texts:
        _check_text(t, "adapt_decoder")
    texts = [_nfc(t) for t in texts]
    channel = _resolve(
        "".join(t[: AUTO_SAMPLE_CHARS // max(len(texts), 1)] for t in texts), channel
    )
    share = ADAPT_WORDS // max(len(texts), 1)
    heads = [_head_words(t, share) for t in texts]
    _runs, _name, adaptation, decoders = _routed(heads, channel, True, lexicon, profile)
    # each text of the batch remembers its own names (`decoder.case_memory`)
    decoders = {ch: dec.remembering(None) for ch, dec in decoders.items()}
    decoder = decoders.get(channel) or get_decoder(channel)
    marks_lost = decoders.get(MARKS_LOST_CHANNEL)
    if channel == "vie" and marks_lost is not None:
        decoder = copy.copy(decoder)  # the batch's own: the shared one stays unrouted
        decoder.marks_lost = marks_lost
    return decoder, adaptation


def _head_words(text: str, n: int) -> str:
    """`text` up to its n-th whitespace-separated word (all of it if shorter)."""
    for i, m in enumerate(re.finditer(r"\S+", text)):
        if i + 1 >= n:
            return text[: m.end()]
    return text


def _prepare(
    text: str,
    channel: str,
    adapt: bool,
    lexicon: Lexicon | str | Path | Iterable[str] | None,
    profile: Profile | str | Path | None,
    decoder: Decoder | None,
) -> tuple[list[tuple[int, str, Decoder | None]], str, Adaptation | None]:
    """What restore_stream and restore_text start from: the NFC text's pieces, each with
    its decoder (the given one, or the shared one with profile, lexicon and adaptation;
    lines that lost their marks in `vie` text get the marks-lost one, `restore.detect`),
    the channel read ("auto" resolved; "vie+eng" when both) and what was adapted (None
    with a given decoder)."""
    _check_channel(channel)
    from ocr_pipeline.restore.decoder import Decoder

    if decoder is not None and not isinstance(decoder, Decoder):
        raise TypeError(
            f"decoder must be a Decoder (from get_decoder or adapt_decoder), not "
            f"{type(decoder).__name__}"
        )
    text = _read_legacy_encoding(_nfc(text))
    if not looks_vietnamese(text):
        _warn_not_vietnamese(text)
        name = decoder.channel_name if decoder is not None else _resolve(text, channel)
        return [(o, p, None) for o, p in _pieces(text)], name, None
    if decoder is not None:
        by_channel = _given_decoders(decoder)
        spans = (
            channel_runs(text, decoder.channel_name)
            if len(by_channel) > 1
            else [(0, len(text), decoder.channel_name)]
        )
        runs = [(s, text[s:e], by_channel[c]) for s, e, c in spans]
        name, adaptation = "+".join(dict.fromkeys(c for _s, _e, c in spans)), None
    else:
        routed, name, adaptation, _ = _routed(
            [text], _resolve(text, channel), adapt, lexicon, profile
        )
        runs = routed[0]
    pieces: list[tuple[int, str, Decoder | None]] = [
        (s + o, p, dec) for s, run, dec in runs for o, p in _pieces(run)
    ]
    return pieces, name, adaptation


def _given_decoders(decoder: Decoder) -> dict[str, Decoder]:
    """The decoders a given decoder reads with, by channel: itself, and the marks-lost one
    of a batch (`adapt_decoder`) for the lines that lost their marks."""
    if decoder.marks_lost is None:
        return {decoder.channel_name: decoder}
    return {decoder.channel_name: decoder, MARKS_LOST_CHANNEL: decoder.marks_lost}


def _routed(
    texts: Sequence[str],
    channel: str,
    adapt: bool,
    lexicon: Lexicon | str | Path | Iterable[str] | None,
    profile: Profile | str | Path | None,
) -> tuple[list[list[tuple[int, str, Decoder]]], str, Adaptation | None, dict[str, Decoder]]:
    """For each text of one document, its runs (`restore.detect.channel_runs`) as
    (start, run text, decoder); one decoder per channel the document uses, adapted to that
    channel's runs of all the texts. Also the channel name ("vie+eng" when both are used)
    and the adaptation of the document's own channel (or of the only one used), and the
    decoders by channel."""
    runs = [channel_runs(text, channel) for text in texts]
    used = list(dict.fromkeys(c for text_runs in runs for _s, _e, c in text_runs))
    decoders: dict[str, Decoder] = {}
    adaptation: Adaptation | None = None
    for ch in used:
        parts = (
            text[s:e] for text, rs in zip(texts, runs, strict=True) for s, e, c in rs if c == ch
        )
        decoders[ch], adapted = _decoder_for(parts, ch, adapt, lexicon, profile)
        if ch == channel or len(used) == 1:
            adaptation = adapted
    if channel == "vie" and decoders:
        # the names the document spells with their marks, for their capitals elsewhere
        # in it, whichever run or page they are on (`decoder.case_memory`)
        from ocr_pipeline.restore.decoder import case_memory

        tokenized = next(iter(decoders.values())).tokens
        memory = case_memory(tokenized(text) for text in texts)
        decoders = {ch: dec.remembering(memory, marked=True) for ch, dec in decoders.items()}
    routed = [
        [(s, text[s:e], decoders[c]) for s, e, c in rs]
        for text, rs in zip(texts, runs, strict=True)
    ]
    return routed, "+".join(used), adaptation, decoders


@dataclass(slots=True)
class RestorationStream:
    """`restore_stream`'s result: the channel and adaptation are known at once, the tokens
    come piece by piece (about CHUNK_CHARS of input at a time)."""

    channel: str
    adaptation: Adaptation | None
    tokens: Iterator[RestoredToken]


def restore_stream(
    text: str,
    channel: str = "auto",
    *,
    adapt: bool = True,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    profile: Profile | str | Path | None = None,
    decoder: Decoder | None = None,
) -> RestorationStream:
    """`restore` without holding every token: the tokens are made piece by piece as the
    stream's iterator is read (writing a large document's JSON in bounded memory)."""
    _check_text(text, "restore_stream")
    pieces, channel, adaptation = _prepare(text, channel, adapt, lexicon, profile, decoder)
    tokens = (t for offset, piece, dec in pieces for t in _restore_piece(piece, offset, dec, True))
    return RestorationStream(channel, adaptation, tokens)


def restore(
    text: str,
    channel: str = "auto",
    *,
    adapt: bool = True,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    profile: Profile | str | Path | None = None,
    decoder: Decoder | None = None,
) -> Restoration:
    """Restore `text` token by token (alternatives, confidences and the adaptation).
    `profile`: an archive profile (`restore.profile`, a path or a Profile). `decoder`
    (from adapt_decoder) replaces channel, adapt, lexicon and profile."""
    _check_text(text, "restore")
    stream = restore_stream(
        text, channel, adapt=adapt, lexicon=lexicon, profile=profile, decoder=decoder
    )
    return Restoration(list(stream.tokens), stream.channel, stream.adaptation)


def restore_text(
    text: str,
    channel: str = "auto",
    *,
    adapt: bool = True,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    profile: Profile | str | Path | None = None,
    decoder: Decoder | None = None,
) -> str:
    """The restored text: accents and OCR slips corrected, everything else kept.
    `profile`: an archive profile (`restore.profile`, a path or a Profile). `decoder`
    (from adapt_decoder) replaces channel, adapt, lexicon and profile."""
    _check_text(text, "restore_text")
    if not text:
        _check_channel(channel)
        return text
    pieces, _channel, _ = _prepare(text, channel, adapt, lexicon, profile, decoder)
    return "".join(_restore_piece_text(piece, dec) for _offset, piece, dec in pieces)


def restore_lines(
    lines: Iterable[str],
    channel: str = "auto",
    *,
    adapt: bool = True,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    profile: Profile | str | Path | None = None,
    decoder: Decoder | None = None,
    window: int = STREAM_WINDOW_LINES,
) -> Iterator[str]:
    """Restore a stream of lines (each with or without its line break), yielding each
    restored line in order, with its line break as given.

    The first `window` lines are read before anything is yielded: the channel ("auto") is
    detected and the decoder adapted on them; later lines are restored as they arrive with
    that decoder (or with `decoder`, from adapt_decoder). Each line is decoded with the end
    of the line before it as left context, as in restore_text (lines of a paragraph wrap
    mid-sentence). Memory stays bounded by the window, whatever the stream's length.
    Arguments are checked when this is called, not when the first line is asked for.
    """
    if isinstance(lines, (str, bytes)):
        raise TypeError(
            "restore_lines() takes an iterable of lines, not one "
            f"{type(lines).__name__}; use restore_text for one text"
        )
    _check_iterable(lines, "restore_lines", "lines")
    _check_channel(channel)
    return _stream(iter(lines), channel, adapt, lexicon, profile, decoder, window)


def _stream(
    it: Iterator[str],
    channel: str,
    adapt: bool,
    lexicon,
    profile,
    decoder: Decoder | None,
    window: int,
) -> Iterator[str]:
    head = [_nfc(_checked_line(x)) for x in itertools.islice(it, max(window, 1))]
    if not head:
        return
    from ocr_pipeline.legacy_encodings import legacy_reading

    reading = legacy_reading("\n".join(head))
    if reading is not None:
        _warn_legacy(reading.name)
        head = [_nfc(reading.to_unicode(x)) for x in head]
        it = (_nfc(reading.to_unicode(_checked_line(x))) for x in it)
    if not looks_vietnamese("\n".join(head)):
        _warn_not_vietnamese("\n".join(head))
        yield from head
        yield from (_nfc(_checked_line(x)) for x in it)
        return
    resolved = decoder.channel_name if decoder is not None else ""
    decoders: dict[str, Decoder] = {}
    if decoder is None:
        text = "".join(head)
        resolved = _resolve(text, channel)
        routed, _name, _, decoders = _routed([text], resolved, adapt, lexicon, profile)
        decoder = routed[0][0][2]  # the reading of the first lines (restore.detect)
    elif decoder.marks_lost is not None:  # a batch's (adapt_decoder)
        decoders = _given_decoders(decoder)
    previous = ""
    for line in itertools.chain(head, (_nfc(_checked_line(x)) for x in it)):
        unmarked = line_is_unmarked(line) if decoders and resolved == "vie" else None
        if unmarked is not None:  # a line that tells: its own reading (restore.detect)
            ch = MARKS_LOST_CHANNEL if unmarked else resolved
            if ch not in decoders:  # the marks-lost one of a marked document
                new, _ = _decoder_for([], ch, False, lexicon, profile)
                decoders[ch] = new.remembering(None, marked=True)
            decoder = decoders[ch]
        yield _restore_in_context(previous, line, decoder)
        previous = line


def _checked_line(line: object) -> str:
    _check_text(line, "restore_lines")
    return line  # type: ignore[return-value]


CONTEXT_CHARS = 400  # restore_lines: how much of the previous line is left context


def _restore_in_context(previous: str, line: str, decoder: Decoder) -> str:
    """`line` restored with the end of the previous line as left context: the two are
    decoded together and the tokens that start inside `line` are kept (restoration may
    change lengths, so the output is cut by token, not by character count)."""
    if not previous or previous.endswith("\n\n") or not previous.strip():
        return _restore_piece_text(line, decoder)
    context = previous if previous.endswith("\n") else previous + "\n"
    tail = context[-CONTEXT_CHARS:]
    if len(context) > CONTEXT_CHARS:
        tail = tail[tail.find(" ") + 1 :]
    out = []
    for tok in _restore_piece(tail + line, 0, decoder, False):
        end = tok.start + len(tok.original)
        if end <= len(tail):
            continue
        if tok.start < len(tail):  # whitespace running from the context into the line
            out.append(tok.original[len(tail) - tok.start :])
        else:
            out.append(tok.text)
    return "".join(out)


def _restore_piece_text(text: str, decoder: Decoder | None) -> str:
    """`_restore_piece` without the per-token records (the fast path of restore_text)."""
    from ocr_pipeline.restore.tokenize import ABBREV, MARKER, TO_SUPERSCRIPT

    if decoder is None:
        return text
    abbr = decoder.dicts.abbreviations
    tokens = decoder.tokens(text)
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


def restore_page(
    page: Page,
    channel: str = "vie",
    *,
    adapt: bool = False,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    profile: Profile | str | Path | None = None,
) -> Page:
    """A new Page whose words hold the restored text (`ocr_text` = what OCR read).

    Boxes and OCR confidences are kept; `restore_confidence` is the lowest confidence of
    the word tokens inside the word, None when it had none (a number, a code, a roman
    numeral: restoration did not read it, so only Tesseract's confidence speaks for it).
    The page is decoded as one text (words joined by spaces, lines by line breaks) so
    context crosses line ends.
    `adapt` is off by default here: one page is little evidence (`restore_document`
    adapts to all the pages of a document). `profile`: an archive profile
    (`restore.profile`, a path or a Profile; `run --profile`), as for `restore_text`.
    """
    _check_pages([page], "restore_page")
    pages, _ = restore_document([page], channel, adapt=adapt, lexicon=lexicon, profile=profile)
    return pages[0]


def restore_document(
    pages: Sequence[Page],
    channel: str = "vie",
    *,
    adapt: bool = True,
    lexicon: Lexicon | str | Path | Iterable[str] | None = None,
    profile: Profile | str | Path | None = None,
) -> tuple[list[Page], Adaptation | None]:
    """`restore_page` for every page of one document with one decoder, adapted (when
    `adapt`) to the text of all its pages: a scan's misreadings are systematic within a
    document (the same lost or swapped marks on every page), so the channel is estimated
    from the document's own confident words, and its names and terms count as its memory.
    Returns the restored pages and what was adapted."""
    if isinstance(pages, (str, bytes)):
        raise TypeError(f"restore_document() takes a sequence of Page, not {type(pages).__name__}")
    _check_iterable(pages, "restore_document", "Page")
    pages = list(pages)
    _check_pages(pages, "restore_document")
    _check_channel(channel)
    texts = [_page_text(page) for page in pages]
    whole = "\n".join(text for text, _spans in texts)
    routed, _name, adaptation, _ = _routed(
        [text for text, _spans in texts], _resolve(whole, channel), adapt, lexicon, profile
    )
    restored = [
        _restored_page(page, spans, runs)
        for page, (_text, spans), runs in zip(pages, texts, routed, strict=True)
    ]
    return restored, adaptation


def _page_text(page: Page) -> tuple[str, list[tuple[int, int]]]:
    """The page as one NFC text (words joined by spaces, lines by line breaks, in
    restoration's reading order: two columns read side by side come one after the other,
    `reading_order`) and the span of each word in it, in the page's word order."""
    first_word = [0]
    for line in page.lines:
        first_word.append(first_word[-1] + len(line.words))
    spans: list[tuple[int, int]] = [(0, 0)] * first_word[-1]
    parts: list[str] = []
    pos = 0
    for li, pieces in enumerate(reading_lines(page)):
        if li:
            parts.append("\n")
            pos += 1
        at_start = True
        for line_index, start, end in pieces:
            for wi in range(start, end):
                if not at_start:
                    parts.append(" ")
                    pos += 1
                at_start = False
                t = _nfc(page.lines[line_index].words[wi].text)
                spans[first_word[line_index] + wi] = (pos, pos + len(t))
                parts.append(t)
                pos += len(t)
    return "".join(parts), spans


def _restored_page(
    page: Page, spans: list[tuple[int, int]], runs: list[tuple[int, str, Decoder]]
) -> Page:
    """`page` with the restoration of its text (`_page_text`, cut into `runs`, each with
    its decoder) in its words."""
    toks = (t for start, run, dec in runs for t in _restore_piece(run, start, dec, True))
    texts: list[list[str]] = [[] for _ in spans]
    confs: list[float | None] = [None] * len(spans)  # None: no word token read
    by_start = sorted(range(len(spans)), key=lambda w: spans[w][0])  # the text's order
    n = 0
    for t in toks:
        while n < len(by_start) and t.start >= spans[by_start[n]][1]:
            n += 1
        if n < len(by_start) and t.start >= spans[k := by_start[n]][0]:
            texts[k].append(t.text)
            if t.kind == "word":
                conf = confs[k]
                confs[k] = t.confidence if conf is None else min(conf, t.confidence)
    new_lines = []
    k = 0
    for line in page.lines:
        words = []
        for word in line.words:
            conf = confs[k]
            restored = dataclasses.replace(
                word,
                text="".join(texts[k]) or word.text,
                ocr_text=word.ocr_text if word.ocr_text is not None else word.marked_text,
                restore_confidence=None if conf is None else round(conf, 4),
            )
            words.extend(_unglued(restored))
            k += 1
        new_lines.append(dataclasses.replace(line, words=words))
    return dataclasses.replace(page, lines=new_lines)


def _unglued(word: Word) -> list[Word]:
    """`word` as the words its restoration reads: one, or two when OCR glued two syllables
    without the space between them ("DỊCHVÀ" read "DỊCH VÀ", `Decoder._glued`), each with its
    share of the box (by letters) and of the OCR text; a footnote marker stays on the
    last."""
    from ocr_pipeline.model import BBox

    parts = word.text.split(" ")
    ocr = word.ocr_text or ""
    if len(parts) != 2 or " " in ocr or len(ocr) < len(word.text) - 1:
        return [word]
    first, second = parts
    cut = word.bbox.left + round(word.bbox.width * len(first) / (len(first) + len(second)))
    box1 = BBox(word.bbox.left, word.bbox.top, cut, word.bbox.bottom)
    box2 = BBox(cut, word.bbox.top, word.bbox.right, word.bbox.bottom)
    return [
        dataclasses.replace(word, text=first, bbox=box1, ocr_text=ocr[: len(first)],
                            marker=None, marker_tail=None),
        dataclasses.replace(word, text=second, bbox=box2, ocr_text=ocr[len(first) :]),
    ]  # fmt: skip


__all__ = [
    "CHANNELS",
    "CHANNEL_CHOICES",
    "LOW_CONFIDENCE",
    "adapt_decoder",
    "detect_channel",
    "restore_lines",
    "Restoration",
    "RestorationStream",
    "RestoredToken",
    "get_decoder",
    "restore_stream",
    "restore",
    "restore_document",
    "restore_page",
    "restore_text",
]
