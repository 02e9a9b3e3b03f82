"""Split OCR text into typed tokens, losslessly: ``"".join(t.text for t in tokens) == text``.

Kinds:

- ``space``: a run of whitespace (line breaks included; kept verbatim).
- ``word``: letters, possibly with digits or OCR junk glued inside ("x4", "d6i", "s&", "B§",
  "phu'orng"): a candidate for diacritic restoration. An apostrophe after a word's final
  u or o (toned or horned) or â, ê, ô is the word's ("tu'", "co’": an English-model OCR's
  ư and ơ; "sỏ'": another engine's ở, `orthography.apostrophe_marks`), unless another
  apostrophe follows or a single quote opened on the line before it (a closing quote:
  "sở''", "'kiểu mẫu'").
- ``number``: digits with inner separators (``1.467,96``, ``2020-2025``, ``16/6/2025``) and
  roman numerals used as labels (``II``, ``XX``, ``IV.``) and list letters (``a)``, ``d)``).
- ``abbrev``: codes and abbreviations (``UBND``, ``NĐ-CP``, ``34-CT/TW``, ``68/BC-UBND``):
  an all-capitals chunk of two or more letters with digits, capitals without a vowel
  (``VT``, ``TM``), hyphen/slash-joined parts of which one is all capitals, short
  slash-joined parts (``b/c``, ``v/v``); also anything listed in the abbreviation dictionary.
- ``footnote_marker``: a superscript digit or ``*`` glued to the end of a word. Markers
  that OCR turned into plain characters ("tdm2", "dinh?.", "tAmS") are found later by the
  decoder, which can split a word token into a word and a marker.
- ``code``: web addresses and e-mail addresses (``www.hanoi.gov.vn``,
  ``vanthu@ubnd.gov.vn``) and a unit power (``m2``, ``km2``): kept as written.
- ``punct``: any other single character.

Nothing here knows about models; it is pure and linear in the input length.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import regex

from ocr_pipeline.footnote_markers import MARKER_DIGITS as SUPERSCRIPTS
from ocr_pipeline.footnote_markers import TO_SUPERSCRIPT  # noqa: F401  (decoder, restore)

SPACE, WORD, NUMBER, ABBREV, PUNCT, MARKER, CODE = (
    "space",
    "word",
    "number",
    "abbrev",
    "punct",
    "footnote_marker",
    "code",
)


# Characters OCR produces inside Vietnamese words (ơ -> &, ộ -> §, ỹ -> ¥, ệ -> ¢ ...).
# OCR glyphs that stand for marked letters inside Vietnamese words ("&" for "ơ", "¢" for
# "ệ"): the one list, used by the decoder and the channel too
GLYPHS = "§¥¢€&@$"
_INNER = GLYPHS
_ALNUM = rf"[\p{{L}}\p{{M}}\d{_INNER}]"
# letters an apostrophe after which is a mark other engines type so (`apostrophe_marks`):
# u and o (the horn), toned or not, ư and ơ, and â ê ô (the acute)
_BEFORE_HORN = "uúùủũụưứừửữựoóòỏõọơớờởỡợâêô"
_BEFORE_HORN += _BEFORE_HORN.upper()
_TOKEN_RE = regex.compile(
    rf"""
    (?P<space>\s+)
  | (?P<url>(?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<numsep>\d+(?:[.,/:\-]\d+)+(?![\p{{L}}\d{_INNER}]))  # 1.467,96 2020-2025 16/6/2025
  | (?P<code>(?:[\p{{L}}\d]+[/\-])+[\p{{L}}\d]+)            # 34-CT/TW, NĐ-CP, Covid-19
  | (?P<number>\d+(?![\p{{L}}\d{_INNER}]))
  | (?P<word>(?:{_ALNUM}|(?<=\p{{L}})['’](?=\p{{L}}))+(?:(?<=[{_BEFORE_HORN}])['’](?!['’\p{{L}}]))?)
  | (?P<marker>[{SUPERSCRIPTS}]+)
  | (?P<punct>.)
    """,
    regex.VERBOSE | regex.DOTALL,
)
_UPPER_PART = regex.compile(r"^[\p{Lu}\d]*\p{Lu}[\p{Lu}\d]*\p{Lu}[\p{Lu}\d]*$")
_ALLCAPS_WITH_DIGIT = regex.compile(r"^(?=.*\d)(?=.*\p{Lu}.*\p{Lu})[\p{Lu}\d]+$")
_ROMAN = regex.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_LETTER = regex.compile(r"\p{L}")
_BASE_LETTER = regex.compile(r"(?!\p{Lm})\p{L}")  # a letter that is not a modifier ("ˆ")
# VT, VP, TM, KT, TTr: capitals without any vowel are abbreviations, never syllables
_CAPS_NO_VOWEL = regex.compile(r"^(?=\p{Lu}\p{L}*\p{Lu})[B-DF-HJ-NP-TV-XZĐ][B-DF-HJ-NP-TV-XZĐr]*$")
_AFTER_MARK = frozenset(".,;:)")
_NOT_ROMAN = frozenset({"VI", "XI"})  # also Vietnamese syllables (VỊ, XỈ...)
# m2, km2, m³: a unit power (a digit before letters is not a code: old OCR writes "4n"
# for "án", "6n" for "ổn", "1a" for "là")
_CODE_WORD = regex.compile(r"^[kcdm]?m[23²³]$")
# 18A, 9B, 10A1: a class, a house or a room (legacy OCR's syllables in digits are written
# "1a" for "là", "6N" for "ỔN": a 1 or a capital beyond K there)
_NUMBER_CAPITAL = regex.compile(r"^(?:\d{2,}\p{Lu}\d?|[02-9][A-K]|\d+\p{Lu}\d+)$")
# A1-B2, 3A-4C: parts that are a capital and digits make a code
_CAP_DIGITS = regex.compile(r"^(?:\p{Lu}{1,3}\d+|\d+\p{Lu}{1,3})$")
# a lower-case word of three letters or more inside a slash/hyphen chunk makes it text
# ("USD/người/năm", "đồng/tháng"), not a code, even beside a capitalised part
_LOWER_WORD = regex.compile(r"^\p{Ll}{3,}$")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    kind: str
    start: int  # offset in the tokenized text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_APOSTROPHES = "'’"
_BEFORE_QUOTE = frozenset('([{"“')  # an apostrophe after these opens a quote


def _is_roman(text: str) -> bool:
    return bool(text) and text.isupper() and bool(_ROMAN.match(text))


def iter_tokens(
    text: str, abbreviations: Mapping[str, str] | None = None, offset: int = 0
) -> Iterator[Token]:
    """Yield the tokens of `text` in order. `abbreviations` maps known forms (and their OCR
    variants) to the canonical abbreviation; a word or code equal to a key is an ``abbrev``."""
    abbr = abbreviations or {}
    prev: Token | None = None
    quoted = False  # a single quote opened on this line and not closed yet
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        s = m.group()
        start = m.start() + offset
        if kind == "word" and quoted and len(s) > 1 and s[-1] in _APOSTROPHES:
            # "'kiểu mẫu'": the apostrophe after the final u or o closes the quote
            yield from iter_tokens(s[:-1], abbr, start)
            prev = Token(s[-1], PUNCT, start + len(s) - 1)
            quoted = False
            yield prev
            continue
        if kind == "space" and "\n" in s:
            quoted = False
        elif kind == "punct" and s in _APOSTROPHES + "‘":
            opens = prev is None or prev.kind == SPACE or prev.text in _BEFORE_QUOTE
            quoted = opens and not quoted
        if kind == "url":
            kind = CODE
        elif kind == "numsep":
            kind = NUMBER
        elif kind == "code":
            parts = regex.split(r"[/\-]", s)
            if s in abbr or (
                not any(_LOWER_WORD.match(p) for p in parts)  # USD/người/năm: a unit rate
                and (
                    any(_UPPER_PART.match(p) or _CAP_DIGITS.match(p) for p in parts)
                    or ("/" in s and all(len(p) <= 2 for p in parts))  # b/c, v/v, đ/c
                )
            ):
                kind = ABBREV
            else:
                # e.g. "Covid-19", "kinh-tế": re-tokenize the parts one by one.
                for sub in iter_tokens_plain(s, abbr, start):
                    prev = sub
                    yield sub
                continue
        elif kind == "word":
            if s.islower() and s.isalpha():  # the common case, decided cheaply
                if s in abbr:
                    kind = ABBREV
                elif len(s) == 1 and text[m.end() : m.end() + 1] == ")":
                    kind = NUMBER
                else:
                    kind = WORD
            elif _CODE_WORD.match(s) or _NUMBER_CAPITAL.match(s):  # "m2", "18A": digits
                kind = CODE
            elif not _LETTER.search(s):
                kind = NUMBER
            elif not _BASE_LETTER.search(s):
                kind = PUNCT  # "ˆ", "ˇ": a speck OCR read as a modifier letter, no word
            elif len(s) >= 2 and s.isupper() and _is_roman(s) and s not in _NOT_ROMAN:
                kind = NUMBER
            elif s in abbr or _ALLCAPS_WITH_DIGIT.match(s) or _CAPS_NO_VOWEL.match(s):
                kind = ABBREV
            elif len(s) == 1 and text[m.end() : m.end() + 1] == ")":
                kind = NUMBER  # list label "a)", "d)", "đ)": never restored
            elif s == "I" and (prev is None or prev.kind == SPACE):
                kind = NUMBER if _roman_context(text, m.end()) else WORD
            else:
                kind = WORD
        elif kind == "marker":
            kind = MARKER
        elif kind == "punct" and prev is not None and prev.kind == WORD and prev.end == start:
            # "nghiép*" and "quy dinh?." : a star, or a question mark before more
            # punctuation, glued to a word is a footnote reference.
            if s == "*" or (s == "?" and text[m.end() : m.end() + 1] in _AFTER_MARK):
                kind = MARKER
        tok = Token(s, kind, start)
        prev = tok
        yield tok


def iter_tokens_plain(text: str, abbr: Mapping[str, str], offset: int) -> Iterator[Token]:
    """Tokenize a hyphen/slash-joined chunk that is not a code, part by part."""
    pos = 0
    for m in regex.finditer(r"[/\-]", text):
        if m.start() > pos:
            yield from _single(text[pos : m.start()], abbr, offset + pos)
        yield Token(m.group(), PUNCT, offset + m.start())
        pos = m.end()
    if pos < len(text):
        yield from _single(text[pos:], abbr, offset + pos)


def _single(part: str, abbr: Mapping[str, str], offset: int) -> Iterator[Token]:
    # A part has no separators, so the main regex sees it as number/word runs.
    yield from iter_tokens(part, abbr, offset)


def _roman_context(text: str, end: int) -> bool:
    """A lone "I" is a roman numeral when a dot or line end follows."""
    nxt = text[end : end + 1]
    return nxt in (".", "", "\n", ")", ":")


def tokenize(text: str, abbreviations: Mapping[str, str] | None = None) -> list[Token]:
    return list(iter_tokens(text, abbreviations))


def detokenize(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens)
