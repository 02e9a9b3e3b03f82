"""Vietnamese syllable structure, tone marks and NFC.

A written Vietnamese syllable is ``onset + rhyme`` plus one tone mark placed on a vowel.
This module knows the onsets, the rhyme inventory and the spelling rules that tie them
together (c/k/q, g/gh, ng/ngh, gi, qu), the coda/tone rule (a rhyme ending in p, t, c or
ch only takes the sắc or nặng tone), and where the tone mark goes.

Tones are numbered in VNI order::

    0 ngang (none)   1 sắc (á)   2 huyền (à)   3 hỏi (ả)   4 ngã (ã)   5 nặng (ạ)

Every function takes and returns NFC text (NFD input is accepted and normalised). The
per-syllable functions are cached, so calling them once per OCR token is cheap.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ocr_pipeline.text import nfc, strip_marks

__all__ = [
    "TONE_NAMES",
    "all_syllables",
    "apply_case",
    "case_pattern",
    "compose",
    "decompose",
    "glued_splits",
    "is_valid_syllable",
    "is_vietnamese_letters",
    "nfc",
    "normalize_tone_placement",
    "place_tone",
    "same_letters",
    "split_syllable",
    "stacked_vowels",
    "spellings",
    "strip_marks",
    "strip_tone",
    "tone_of",
    "transfer_case",
]

TONE_NAMES = ("ngang", "sắc", "huyền", "hỏi", "ngã", "nặng")
# combining mark for tones 1..5 (sắc, huyền, hỏi, ngã, nặng)
_TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")

_BASE_VOWELS = "aăâeêioôơuưy"
_MODIFIED = frozenset("ăâêôơư")
_VOWELS = frozenset(_BASE_VOWELS)

# ---------------------------------------------------------------- character tables

_CHAR_TONE: dict[str, tuple[str, int]] = {}  # toned (or plain) vowel -> (plain vowel, tone)
_TONED: dict[tuple[str, int], str] = {}  # (plain vowel, tone) -> toned vowel
for _v in _BASE_VOWELS + _BASE_VOWELS.upper():
    for _t, _mark in enumerate(_TONE_MARKS):
        _c = unicodedata.normalize("NFC", _v + _mark)
        assert len(_c) == 1, (_v, _t)
        _CHAR_TONE[_c] = (_v, _t)
        _TONED[(_v, _t)] = _c

_STRIP_TONE_TABLE = str.maketrans({c: v for c, (v, t) in _CHAR_TONE.items() if t})

_VIET_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzđ" + "".join(c for c in _CHAR_TONE if c.islower())
)


# the marks that make a letter of another (â ă ê ô ơ ư): written on the letter before its tone
_SHAPE_MARKS = frozenset("\u0302\u0306\u031b")
_MARK = re.compile("[\u0300-\u036f]")
_MARK_RUN = re.compile("[\u0300-\u036f]{2,}")


def shape_marks_first(text: str) -> str:
    """`text` (NFC) with each run of marks NFC left uncomposed put in Vietnamese order:
    the letter's own mark (circumflex, breve, horn) before its tone mark. Some OCR engines
    write "é̂" (e, acute, circumflex), which Unicode treats as a different string from "ế"
    (both marks sit above, so normalisation keeps their order); it is that letter.
    Returned in NFC; unchanged (and fast) when no two marks stand uncomposed together."""
    if text.isascii() or _MARK.search(text) is None:
        return text
    decomposed = _MARK_RUN.sub(
        lambda m: "".join(sorted(m.group(), key=lambda c: c not in _SHAPE_MARKS)),
        unicodedata.normalize("NFD", text),
    )
    return unicodedata.normalize("NFC", decomposed)


_APOSTROPHE_AFTER = re.compile("([aeou])([\u0302\u031b]?)([\u0300\u0301\u0303\u0309\u0323]?)['’]")
_HORN, _HAT, _ACUTE = "\u031b", "\u0302", "\u0301"


def apostrophe_marks(low: str) -> str:
    """`low` (lowercase NFC) with an apostrophe after a marked vowel read as the mark an
    engine typed so: after a toned u or o, its horn ("sỏ’" is "sở", "tù’" "từ"); after ư
    or ơ, the horn typed twice ("sự’" is "sự"); after â, ê or ô without a tone, the acute
    ("lô’i" is "lối"). An apostrophe after a plain u or o is left to the channel, which
    learned it ("u’" for ư). Unchanged (and fast) without an apostrophe."""
    if "’" not in low and "'" not in low:
        return low

    def read(m: re.Match) -> str:
        base, shape, tone = m.groups()
        if shape == _HORN:
            return base + shape + tone
        if shape == _HAT:
            return m.group() if tone else base + shape + _ACUTE
        if tone and base in "uo":
            return base + _HORN + tone
        return m.group()

    return nfc(_APOSTROPHE_AFTER.sub(read, unicodedata.normalize("NFD", low)))


def strip_tone(text: str) -> str:
    """Remove tone marks only, keeping ă â ê ô ơ ư đ: ``"thuyền" -> "thuyên"``."""
    return nfc(text).translate(_STRIP_TONE_TABLE)


def is_vietnamese_letters(token: str) -> bool:
    """True when every character of `token` is a (lower- or uppercase) Vietnamese letter."""
    token = nfc(token)
    return bool(token) and all(c in _VIET_LETTERS for c in token.lower())


# ---------------------------------------------------------------- syllable structure

ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
    "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
_ONSETS_BY_LENGTH = sorted((o for o in ONSETS if o), key=len, reverse=True)

# Rhymes without a glide (u/o) before the nucleus.
_CORE_RHYMES = """
a ai ao au ay am an ang anh ap at ac ach
ăm ăn ăng ăp ăt ăc
âu ây âm ân âng âp ât âc
e eo em en eng ep et ec
ê êu êm ên ênh êp êt êch
i iu im in inh ip it ich
ia iêu iêm iên iêng iêp iêt iêc
y yêu yêm yên yêng yêt
o oi om on ong op ot oc oong ooc
ô ôi ôm ôn ông ôp ôt ôc
ơ ơi ơm ơn ơp ơt
u ui um un ung up ut uc
ua uôi uôm uôn uông uôt uôc
ư ưi ưu ưm ưn ưng ưt ưc
ưa ươi ươu ươm ươn ương ươp ươt ươc
""".split()

# Rhymes with the rounded glide written "o" (before a, ă, e).
_O_GLIDE_RHYMES = """
oa oai oay oao oam oan oang oanh oap oat oac oach
oăm oăn oăng oăp oăt oăc
oe oeo oen oet
""".split()

# Rhymes with the rounded glide written "u" (before â, ê, ơ, y).
_U_GLIDE_RHYMES = """
uân uâng uât uây
uê uênh uêch
uơ
uy uya uyu uyn uynh uyp uyt uych uyên uyêt
""".split()

# After "qu" the glide is part of the onset; these are what may follow "qu".
_QU_RHYMES = """
a ai ao ay am an ang anh ap at ac ach
ăm ăn ăng ăp ăt ăc
âm ân âng ât ây
e eo em en et
ê ên ênh êt êch
i in inh it ich
y yt ynh ych yên yêt
ơ ơi ôc
""".split()

# Syllables outside the native system that are written in official place names
# (Đắk Lắk, Bắc Kạn, Kon Tum, Mê Kông); accepted so they are not "corrected".
_EXTRA_SYLLABLES = frozenset("đắk đăk lắk lăk kạn kon kông".split())

_RHYME_KIND: dict[str, str] = {}
for _r in _CORE_RHYMES:
    _RHYME_KIND[_r] = "core"
for _r in _O_GLIDE_RHYMES:
    _RHYME_KIND[_r] = "o"
for _r in _U_GLIDE_RHYMES:
    _RHYME_KIND[_r] = "u"
_QU_RHYME_SET = frozenset(_QU_RHYMES)

_STOP_CODAS = ("p", "t", "c", "ch")
_FRONT = ("i", "y", "e", "ê")  # rhyme starts that need k / gh / ngh


def _onset_allows(onset: str, rhyme: str) -> bool:
    """Spelling rules linking the onset to the first letter(s) of the rhyme."""
    kind = _RHYME_KIND.get(rhyme)
    if kind is None:
        return False
    if onset == "":
        return not rhyme.startswith("iê")  # written "yê" without an onset: yên, yêu
    if rhyme.startswith("yê"):
        return False  # only without onset or after the u glide (uyê)
    front = rhyme.startswith(_FRONT)
    if onset in ("k", "gh", "ngh"):
        return front and (onset == "k" or not rhyme.startswith("y"))
    if onset == "ng":
        return not front
    if onset == "c":
        return not front and kind == "core"
    if onset == "g":
        return not front and kind != "u"  # gà, góa (goá bụa)
    return True


def _tone_allowed(rhyme: str, tone: int) -> bool:
    return tone in (1, 5) or not rhyme.endswith(_STOP_CODAS)


@lru_cache(maxsize=65536)
def split_syllable(base: str) -> tuple[str, str] | None:
    """Split a lowercase, toneless syllable into (onset, rhyme), or None if not Vietnamese.

    The rhyme keeps the letters as written, except after "gi" where the dropped "i" is
    restored (``"gìn" -> ("gi", "in")``, ``"giếng" -> ("gi", "iêng")``).
    """
    candidates = [o for o in _ONSETS_BY_LENGTH if base.startswith(o)] + [""]
    for onset in candidates:
        rest = base[len(onset) :]
        if not rest and onset != "gi":
            continue
        if onset == "qu":
            if rest in _QU_RHYME_SET:
                return onset, rest
            continue
        if onset == "gi":
            if not rest:
                return onset, "i"  # gì: the i is the nucleus
            if _RHYME_KIND.get(rest) == "core" and not rest.startswith(
                ("i", "y", "ê")
            ):  # gia, giữa, gieo, giẻ (not gii / giy / giê)
                return onset, rest
            merged = "i" + rest
            if merged in _RHYME_KIND:
                return onset, merged
            continue
        if onset == "g" and rest.startswith("i"):
            continue  # handled as "gi"
        if onset == "q":
            continue
        if _onset_allows(onset, rest):
            return onset, rest
    return None


@lru_cache(maxsize=65536)
def decompose(syllable: str) -> tuple[str, int]:
    """Split a word into (text without tone mark, tone 0-5). Case is kept.

    If more than one tone mark is present, the last one wins (the text is then not a
    well-formed syllable; `is_valid_syllable` says so).
    """
    syllable = nfc(syllable)
    tone = 0
    out = []
    for c in syllable:
        bt = _CHAR_TONE.get(c)
        if bt is None:
            out.append(c)
        else:
            out.append(bt[0])
            if bt[1]:
                tone = bt[1]
    return "".join(out), tone


def tone_of(syllable: str) -> int:
    """The tone (0-5) of `syllable`: 0 ngang, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng."""
    return decompose(syllable)[1]


def _count_tones(syllable: str) -> int:
    return sum(1 for c in syllable if c in _CHAR_TONE and _CHAR_TONE[c][1])


@lru_cache(maxsize=131072)
def iy_spelling_key(syllable: str) -> str:
    """`syllable` with an "i" for the "y" that stands alone after its onset ("quy" ->
    "qui", "kỹ" -> "kĩ", "lý" -> "lí"): both spellings are Vietnamese, the older ("qui
    định", "kĩ thuật") in archives and some schools' style, so one is never a slip of the
    other. Other syllables ("thụy", "tay", "y") come back as they are."""
    base, tone = decompose(syllable)
    parts = split_syllable(base)
    if parts is None or not parts[0] or parts[1] != "y":
        return syllable
    return place_tone(parts[0] + "i", tone)


def is_valid_syllable(syllable: str) -> bool:
    """True for a phonotactically valid Vietnamese syllable (any case, NFC or NFD).

    Checks onset, rhyme, the spelling rules between them, the coda/tone rule and that
    at most one tone mark is present (its position is not checked: "hoà" and "hòa" are
    both valid).
    """
    syllable = nfc(syllable).lower()
    if not syllable or _count_tones(syllable) > 1:
        return False
    if syllable in _EXTRA_SYLLABLES:
        return True
    base, tone = decompose(syllable)
    parts = split_syllable(base)
    if parts is None:
        return False
    return _tone_allowed(parts[1], tone)


# ---------------------------------------------------------------- tone placement


@lru_cache(maxsize=65536)
def _tone_index(base: str, style: str) -> int | None:
    """Index in lowercase toneless `base` of the vowel carrying the tone mark."""
    n = len(base)
    i = 0
    if base.startswith("qu") and n > 2 and base[2] in _VOWELS:
        i = 2
    elif base.startswith("gi") and n > 2 and base[2] in _VOWELS:
        i = 2
    else:
        while i < n and base[i] not in _VOWELS:
            i += 1
    start = i
    while i < n and base[i] in _VOWELS:
        i += 1
    end = i
    if start == end:
        return None
    if end - start == 1:
        return start
    cluster = base[start:end]
    modified = [k for k, c in enumerate(cluster) if c in _MODIFIED]
    if modified:
        return start + modified[-1]
    if end < n:  # consonant coda: hoàn, khoảng, huỳnh
        return end - 1
    if end - start >= 3:  # ngoài, xoáy, khuỷu
        return start + 1
    if style == "modern" and cluster in ("oa", "oe", "uy"):
        return start + 1
    return start  # hòa, khỏe, thủy, mái, múa, mía


def place_tone(base: str, tone: int, style: str = "traditional") -> str:
    """Put tone `tone` (0-5) on toneless `base`: ``place_tone("hoa", 2) == "hòa"``.

    style="traditional" (the project's output style) puts the mark of an open oa/oe/uy
    on the first vowel (hòa, khỏe, thủy); style="modern" on the second (hoà, khoẻ,
    thuỷ). Any tone mark already in `base` is removed first. Case is kept. Text with no
    vowel is returned unchanged (tone ignored).
    """
    if style not in ("traditional", "modern"):
        raise ValueError(f"unknown tone placement style {style!r}")
    base = strip_tone(base)
    if not tone:
        return base
    idx = _tone_index(base.lower(), style)
    if idx is None:
        return base
    ch = base[idx]
    toned = _TONED.get((ch, tone))
    if toned is None:
        return base
    return base[:idx] + toned + base[idx + 1 :]


compose = place_tone


@lru_cache(maxsize=65536)
def normalize_tone_placement(word: str, style: str = "traditional") -> str:
    """Re-place the tone mark of `word` in `style` (default traditional), keeping case.

    ``"hoà" -> "hòa"``, ``"THUỶ" -> "THỦY"``. Words that are not single Vietnamese
    syllables, or carry several tone marks, are returned unchanged (NFC).
    """
    word = nfc(word)
    if _count_tones(word) != 1:
        return word
    base, tone = decompose(word)
    if split_syllable(base.lower()) is None:
        return word
    return place_tone(base, tone, style)


# ---------------------------------------------------------------- inventory


@lru_cache(maxsize=1)
def _all_syllables() -> tuple[str, ...]:
    """The inventory, from the array cache (`restore.arraycache`, keyed by this file: the
    rules that make it are all here) when it can be had: enumerating and checking the
    ~17,000 syllables costs 0.1 s of every process that restores text."""
    from pathlib import Path

    import numpy as np

    from ocr_pipeline.restore.arraycache import cached_arrays

    arrays = cached_arrays(
        Path(__file__), "syllables", lambda: {"syllables": np.array(_enumerate_syllables())}
    )
    return tuple(arrays["syllables"].tolist())


def _enumerate_syllables() -> list[str]:
    out = set()
    bases = [o + r for o in ONSETS if o not in ("gi", "qu") for r in _RHYME_KIND]
    bases += ["gi" + (r[1:] if r.startswith("i") else r) for r in _RHYME_KIND]
    bases += ["qu" + r for r in _QU_RHYMES]
    for base in bases:
        parts = split_syllable(base)
        if parts is None:
            continue
        for tone in range(6):
            if _tone_allowed(parts[1], tone):
                out.add(place_tone(base, tone))
    out |= _EXTRA_SYLLABLES
    return sorted(s for s in out if is_valid_syllable(s))


def all_syllables() -> list[str]:
    """Every valid lowercase syllable (base x tone, coda/tone rule applied), sorted, NFC.

    Tone marks are in the traditional position; the few place-name syllables outside the
    native system (đắk, lắk, kạn, kon, kông) are included.
    """
    return list(_all_syllables())


@lru_cache(maxsize=1)
def syllable_skeletons() -> frozenset[str]:
    """Every valid syllable with all its marks removed ("nghiệp" -> "nghiep")."""
    return frozenset(_by_letters())


@lru_cache(maxsize=1)
def _by_letters() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for s in _all_syllables():
        out.setdefault(strip_marks(s), []).append(s)
    return {letters: tuple(found) for letters, found in out.items()}


def same_letters(letters: str) -> tuple[str, ...]:
    """Every valid syllable whose letters without their marks are `letters` ("dong" ->
    "dong", "đông", "đồng", "dông", ...), sorted; () when none is."""
    return _by_letters().get(letters, ())


def spellings(written: str) -> tuple[str, ...]:
    """Every valid syllable `written` (lowercase NFC) is with marks it may have lost: at
    each letter the same, or without its tone, or without any mark ("hoi" -> "hoi",
    "hói", "hội", "hơi", ...; "điem" -> "điếm", "điểm", ...; "d" stands for d and đ),
    sorted; only itself for a word that lost none it could. A word written with a mark
    keeps its d: the OCR that read the marks read the stroke of an đ too ("dược" is no
    lost "được")."""
    marked = not written.isascii()
    return tuple(
        s
        for s in same_letters(strip_marks(written))
        if len(s) == len(written)
        and all(map(_lost_from, written, s))
        and not (marked and "đ" in s and "đ" not in written)
    )


def stacked_vowels(low: str) -> list[int]:
    """Where `low` (lowercase NFC, no syllable) writes a vowel twice in a row with a mark on
    one copy: the OCR stacked one letter's marks ("hiệẹn", "nôồng"; "ưu" is two vowels):
    the index of each pair's first copy; [] for most words."""
    base = strip_marks(low)
    if len(base) != len(low):
        return []
    return [
        i
        for i in range(len(low) - 1)
        if base[i] == base[i + 1]
        and base[i] in "aeiouy"
        and low[i : i + 2] != base[i : i + 2]
        and not (low[i] in "ưứừửữự" and low[i + 1] == "u")
    ]


def _lost_from(seen: str, letter: str) -> bool:
    """`seen` is `letter` itself, or it without its tone, or without any mark."""
    return seen == letter or seen == strip_tone(letter) or seen == strip_marks(letter)


MAX_SYLLABLE_LETTERS = 7  # "nghiêng", "nghiệng"


def glued_splits(word: str) -> list[tuple[str, str]]:
    """The ways `word` reads as two syllables OCR wrote without the space between them
    ("DỊCHVÀ" -> ("DỊCH", "VÀ"), "mongmuôn" -> ("mong", "muôn"), "ThịHông" -> ("Thị",
    "Hông")). `word` is no syllable and no syllable's unmarked spelling either ("LIEN" is
    "LIÊN" that lost its mark, not "LI" + "EN"); each part is a syllable as written or one
    that lost its marks ("dâtbăng": "dât" is "đất"). The cut is where a small letter meets
    a capital that opens a word ("TikTok" has no syllable for a part, "YouTube" neither),
    or else before a consonant ("II" stays a numeral). These are only the ways to read
    it: the legacy OCR's garble of one syllable splits too ("ngudi" is "người", not
    "ngu di"), and the decoder weighs them against the word's own reading
    (`Decoder._glued`)."""
    word = nfc(word)
    low = word.lower()
    if not 4 <= len(low) <= 2 * MAX_SYLLABLE_LETTERS:
        return []  # no two syllables are longer
    if is_valid_syllable(low) or strip_marks(low) in syllable_skeletons():
        return []
    # a cut before a consonant: in small letters, or with a Vietnamese mark in the word
    # (capitals and a capitalised word without one are acronyms and brand names: "DATA",
    # "Tiki")
    cut_anywhere = word.islower() or (not word.isascii() and (word.isupper() or word[1:].islower()))
    out = []
    for k in range(2, len(low) - 1):
        first, second = low[:k], low[k:]
        at_capital = word[k - 1].islower() and word[k].isupper() and word[k + 1].islower()
        before_consonant = strip_marks(second[0]) not in _VOWELS
        if not (at_capital or (cut_anywhere and before_consonant)):
            continue
        if _spelled_syllable(first) and _spelled_syllable(second):
            out.append((word[:k], word[k:]))
    return out


def _spelled_syllable(low: str) -> bool:
    """`low` is a syllable as written, or one whose marks were lost."""
    return is_valid_syllable(low) or strip_marks(low) in syllable_skeletons()


# ---------------------------------------------------------------- casing


def case_pattern(token: str) -> str:
    """Classify the casing of `token`: "lower", "upper", "title" or "mixed".

    A single capital letter ("A", "Đ") counts as "title"; tokens without cased letters
    are "lower".
    """
    letters = [c for c in token if c.isalpha()]
    if not any(c.isupper() for c in letters):
        return "lower"
    if all(c.isupper() for c in letters if c.lower() != c.upper()):
        return "upper" if len(letters) > 1 else "title"
    first = letters[0]
    if first.isupper() and not any(c.isupper() for c in letters[1:]):
        return "title"
    return "mixed"


def apply_case(word: str, pattern: str) -> str:
    """Give `word` the casing `pattern` from `case_pattern` ("mixed" leaves it as is)."""
    if pattern == "lower":
        return word.lower()
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:].lower()
    if pattern == "mixed":
        return word
    raise ValueError(f"unknown case pattern {pattern!r}")


def transfer_case(source: str, word: str) -> str:
    """Give `word` the casing of `source` (e.g. the OCR token it replaces).

    Letter-by-letter when both have the same length (so "HoA" -> "HòA"), otherwise by
    `case_pattern`.
    """
    word = nfc(word)
    source = nfc(source)
    if len(source) == len(word):
        return "".join(
            w.upper() if s.isupper() else w.lower() if s.islower() else w
            for s, w in zip(source, word, strict=True)
        )
    return apply_case(word, case_pattern(source))
