"""Per-document adaptation of restoration: the OCR channel and a document memory.

The shipped confusion tables were learned from our own renderings; an archive's OCR makes
confusions of its own ("nhén" for "nhân", "cic" for "các") and a document repeats its own
names and terms. Hard EM over the document itself:

1. decode the document with the current decoder (posteriors included);
2. take the readings it is confident of (posterior >= ``CONFIDENT``, read as a syllable, at
   least ``MIN_PAIRS`` of them): each (OCR token, syllable) pair is aligned character by
   character and the confusions are counted (``Channel.adapted``: the shipped table is the
   Dirichlet prior, ``STRENGTH`` pseudo-counts per source character);
3. the syllables read confidently form the document memory (a cache model): a syllable
   the document uses more often than the language model expects gets a bonus wherever it
   is a candidate (`memory_bonus`), so an uncertain "phuong" leans to the ward report's
   own "phường"; so does a pair of syllables read confidently side by side more often
   than the LM expects (`pair_memory`);
4. the names the document writes twice or more (`Decoder.name_counts`) count each
   occurrence's OCR as evidence for the one name, and the province it names after "tỉnh"
   or "thành phố" (`document_province`) has its places preferred (`local_places`);
5. decode with the adapted channel and memory. ``MAX_ITERATIONS`` rounds of 1-3 (1 by
   default: a second round moved the real legacy dev set by 0.04 points for 40% more
   time), stopping early when the confident pairs no longer change.

`Adaptation` records what was adapted (iterations, pairs used, the confusions that gained
most, how many syllables, word pairs and names were remembered, the province) for the
output JSON. Everything here is a pure function of the decoder and text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ocr_pipeline.restore.decoder import Decoder
from ocr_pipeline.restore.dictionary import PLACE_BONUS
from ocr_pipeline.restore.tokenize import MARKER, SPACE, Token

CONFIDENT = 0.9
MIN_PAIRS = 30  # fewer confident readings than this: too little evidence, nothing adapted
STRENGTH = 20.0
MEMORY_WEIGHT = 0.7
PAIR_WEIGHT = 0.5
MAX_ITERATIONS = 1
TOP_GAINS = 10
PROVINCE_EVIDENCE = 2
PROVINCE_WORDS = frozenset({"tỉnh", "phố"})  # "tỉnh Quảng Ninh", "thành phố Hải Phòng"
LOCAL_PLACE_BONUS = 6.0


@dataclass(frozen=True, slots=True)
class Adaptation:
    """What per-document adaptation changed."""

    iterations: int = 0
    pairs: int = 0  # confident (OCR token, syllable) readings used in the last estimate
    memory: int = 0  # syllables with a memory bonus (a user lexicon's words included)
    gains: tuple[tuple[str, str, float, float], ...] = field(default=())
    # (source, OCR string, prior probability, adapted probability), largest gains first
    word_pairs: int = 0  # pairs of syllables with a memory bonus (`pair_memory`)
    names: int = 0  # names written twice or more (`Decoder.name_counts`)
    province: str | None = None  # whose places are preferred (`document_province`)

    def to_dict(self) -> dict:
        return {
            "iterations": self.iterations,
            "pairs": self.pairs,
            "memory": self.memory,
            "word_pairs": self.word_pairs,
            "names": self.names,
            "province": self.province,
            "gains": [
                {"source": c, "ocr": o, "prior": round(p0, 5), "adapted": round(p1, 5)}
                for c, o, p0, p1 in self.gains
            ],
        }


@dataclass(slots=True)
class ConfidentReadings:
    """What one decoding pass read confidently (posterior >= ``CONFIDENT``)."""

    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)  # (OCR token, syllable)
    syllables: Counter[str] = field(default_factory=Counter)
    bigrams: Counter[tuple[str, str]] = field(default_factory=Counter)  # side by side
    # capitalised pairs right after "tỉnh" or "thành phố": the provinces the text names
    provinces: Counter[tuple[str, str]] = field(default_factory=Counter)


def confident_pairs(decoder: Decoder, documents: Sequence[list[Token]]) -> ConfidentReadings:
    """Decode `documents` (token lists) and count the confident readings. The marker split
    off a token is not part of its OCR text."""
    found = ConfidentReadings()
    for tokens in documents:
        choices = decoder.decode_tokens(tokens, with_alternatives=False, posteriors=True)
        previous = ""  # the confident syllable just before, "" after anything else
        previous_titled = False
        before = ""  # the confident syllable before `previous`
        for i, t in enumerate(tokens):
            if t.kind == SPACE and t.text.count("\n") >= 2:
                previous = before = ""  # a blank line ends a sentence, as the decoder cuts it
                continue
            if t.kind in (SPACE, MARKER):
                continue
            ch = choices.get(i)
            if ch is None or ch.kept or ch.posterior < CONFIDENT or " " in ch.syllable:
                previous = before = ""
                continue
            text = t.text
            if ch.marker_original:
                text = text[: len(text) - len(ch.marker_original)]
            found.pairs[(text.lower(), ch.syllable)] += 1
            found.syllables[ch.syllable] += 1
            titled = text[:1].isupper()
            if previous:
                found.bigrams[(previous, ch.syllable)] += 1
                if titled and previous_titled and before in PROVINCE_WORDS:
                    found.provinces[(previous, ch.syllable)] += 1
            before, previous, previous_titled = previous, ch.syllable, titled
    return found


def pair_memory(
    bigrams: Counter[tuple[str, str]], syllables: Counter[str], decoder: Decoder
) -> dict[tuple[str, str], float]:
    """Document memory of word pairs: each pair of syllables read confidently side by
    side twice or more gets ``PAIR_WEIGHT * log(p_doc(b | a) / p_lm(b | a))`` where the
    document follows `a` with `b` more often than the language model expects, so a garbled
    "vén dau tu" leans to the "vốn đầu tư" the document writes plainly elsewhere."""
    out: dict[tuple[str, str], float] = {}
    # an NgramLM answers one bigram without building the follower table of `a`
    bigram = getattr(decoder.lm, "bigram_logprob", None)
    for (a, b), n in bigrams.items():
        if n < 2:
            continue
        ia, ib = decoder._id(a), decoder._id(b)
        p_lm = 10 ** (bigram(ia, ib) if bigram is not None else decoder.lm.logprob((ia,), ib))
        ratio = (n / syllables[a]) / max(p_lm, 1e-9)
        if ratio > 1.0:
            out[(a, b)] = PAIR_WEIGHT * math.log(ratio)
    return out


def memory_bonus(syllables: Counter[str], decoder: Decoder) -> dict[str, float]:
    """Document memory (a cache model): each syllable read confidently twice or more gets
    ``MEMORY_WEIGHT * log(p_doc / p_lm)``, how much more often the document uses it than
    the language model expects (never negative): a ward's report says "phường" far more
    often than text in general, "phương" about as often."""
    total = sum(syllables.values())
    out: dict[str, float] = {}
    for s, n in syllables.items():
        if n < 2:
            continue
        p_lm = 10 ** decoder.lm.logprob((), decoder._id(s))
        ratio = (n / total) / max(p_lm, 1e-9)
        if ratio > 1.0:
            out[s] = MEMORY_WEIGHT * math.log(ratio)
    return out


def document_province(named: Counter[tuple[str, str]], decoder: Decoder) -> str | None:
    """The province the document is from: the one it names most often after "tỉnh" or
    "thành phố" (`ConfidentReadings.provinces`), ``PROVINCE_EVIDENCE`` times at least
    and twice as often as any other; None when no province stands out. A name alone is no
    evidence: many provinces have a "Quang Trung", and "Hồ Chí Minh" is most often the
    man."""
    votes: Counter[str] = Counter()
    for pair, n in named.items():
        province = decoder.dicts.province_names.get(pair)
        if province is not None:
            votes[province] += n
    if not votes:
        return None
    (province, n), *others = votes.most_common(2)
    if n < PROVINCE_EVIDENCE or (others and n < 2 * others[0][1]):
        return None
    return province


def local_places(province: str | None, decoder: Decoder) -> dict[tuple[str, str], float]:
    """The place names of the document's own province, preferred: a report from one
    commune names the places around it. Each syllable pair of that province's places gets
    ``PLACE_BONUS + LOCAL_PLACE_BONUS`` where the input is capitalised, so "Bảo Thanh" in
    a Phú Thọ report is not read as the "Bảo Thành" of Nghệ An."""
    if province is None:
        return {}
    bonus = PLACE_BONUS + LOCAL_PLACE_BONUS
    return {p: bonus for p, where in decoder.dicts.place_provinces.items() if province in where}


def _gains(base, adapted, top: int = TOP_GAINS) -> tuple[tuple[str, str, float, float], ...]:
    """The confusions whose probability adaptation raised most, with both probabilities
    as the channels score them (`Channel.emission`)."""
    out = []
    for c, row in adapted.emit.items():
        for o in row:
            if o == c:
                continue
            p0 = math.exp(base.emission(c, o))
            p1 = math.exp(adapted.emission(c, o))
            if p1 > p0:
                out.append((p1 - p0, c, o, p0, p1))
    out.sort(reverse=True)
    return tuple((c, o, p0, p1) for _g, c, o, p0, p1 in out[:top])


def adapt(
    decoder: Decoder, documents: Iterable[list[Token]], max_iterations: int | None = None
) -> tuple[Decoder, Adaptation]:
    """A decoder adapted to `documents` (lists of tokens of one document or one batch), and
    what was adapted. With too little confident text the decoder is returned unchanged."""
    docs = list(documents)
    base = decoder.channel
    current, result = decoder, Adaptation()
    previous: Counter[tuple[str, str]] | None = None
    for it in range(1, (max_iterations or MAX_ITERATIONS) + 1):
        found = confident_pairs(current, docs)
        pairs = found.pairs
        if sum(pairs.values()) < MIN_PAIRS or pairs == previous:
            break
        channel = base.adapted(pairs, STRENGTH) if hasattr(base, "adapted") else base
        memory = dict(decoder.memory)  # a user lexicon's preferences stay
        for syl, bonus in memory_bonus(found.syllables, decoder).items():
            memory[syl] = memory.get(syl, 0.0) + bonus
        word_pairs = pair_memory(found.bigrams, found.syllables, decoder)
        names = decoder.name_counts(docs)
        province = document_province(found.provinces, decoder)
        current = decoder.adapted(
            channel,
            memory,
            pairs=word_pairs,
            names=names,
            places=local_places(province, decoder),
        )
        result = Adaptation(
            it,
            sum(pairs.values()),
            len(memory),
            _gains(base, channel) if channel is not base else (),
            len(word_pairs),
            len(names),
            province,
        )
        previous = pairs
    return current, result


__all__ = [
    "Adaptation",
    "ConfidentReadings",
    "adapt",
    "confident_pairs",
    "document_province",
    "local_places",
    "memory_bonus",
    "pair_memory",
]
