"""Choose the most likely accented reading of each OCR token: Viterbi over a candidate lattice.

For every ``word`` token the channel proposes syllables it could be an OCR rendering of
(``Channel.candidates``), each with log P(ocr | syllable); the token kept verbatim is
always a candidate too (non-Vietnamese words, names, codes). A token ending in a
character that may be a footnote reference glued on by OCR ("tdm2", "tAmS", "nghiép*")
also gets the readings of its stem followed by a marker, at a penalty. A short run of
digits and OCR glyphs ("13", "1¢") and a lone consonant are decoded too, with the number
or letter as written the likely reading. A token that is two syllables OCR glued
together ("DỊCHVÀ", "mongmuôn", "ThịHông") is decoded as both (`Decoder._glued`).

Score of a path = sum of ``weights.channel * channel logprob`` + ``weights.lm * LM
logprob`` (trigram context within a segment) + dictionary bonuses for neighbouring
syllables of administrative terms and (capitalised) place names + per-call bonuses: a
document memory (`restore.adapt`: syllables, word pairs, the names a document repeats,
its province's places), a user lexicon's or profile's names, for title-case words inside
a sentence a names prior (`restore.capitalised`), and in `vie` text, for capitalised
pairs, the spelling the text gives them in small letters (`document_spellings`).
Segments are runs of words separated only by whitespace (line breaks included, since OCR
lines wrap inside sentences); punctuation, numbers and codes end a segment, and segments are cut at
``MAX_SEGMENT`` words so work and memory stay linear in the input.

The search is a first-order Viterbi whose transitions use the trigram with the best
predecessor's history (the usual approximation of a second-order search, ~K² LM look-ups
per word for K candidates). Confidence per token comes from re-scoring each alternative in
place on the best path (all LM terms that touch it) and normalising: a posterior over
the alternatives given the chosen neighbours (`Choice.posterior`, which adaptation uses),
and the reviewer's confidence: the probability that the word is right (`restore.confidence`)
from that posterior, a room for "none of these" and what else is known of the word.

`Decoder.adapted` derives a decoder for one document or call (another channel, memory,
lexicon, pair bonuses, names, places) that shares the LM, the dictionaries and the LM
score cache.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import regex

from ocr_pipeline import filing_line
from ocr_pipeline.doc_types import MAX_TYPE_WORDS, opens_with_type
from ocr_pipeline.footnote_markers import GLUED_MARKER_ENDS
from ocr_pipeline.restore import _lattice
from ocr_pipeline.restore import orthography as ortho
from ocr_pipeline.restore.channel import consonant_skeleton
from ocr_pipeline.restore.confidence import Evidence, probability
from ocr_pipeline.restore.dictionary import Dictionaries
from ocr_pipeline.restore.lm import NUM, lm_tokens
from ocr_pipeline.restore.minority_names import minority_name_word, with_breves
from ocr_pipeline.restore.person_names import GIVEN as GIVEN_NAME
from ocr_pipeline.restore.person_names import LOWEST as LOWEST_NAME_PRIOR
from ocr_pipeline.restore.person_names import MIDDLE as MIDDLE_NAME
from ocr_pipeline.restore.person_names import (
    SURNAMES,  # an ALL-CAPS run opening with one
    name_skeleton,
    person_name_words,
)
from ocr_pipeline.restore.tokenize import (
    ABBREV,
    GLYPHS,
    MARKER,
    NUMBER,
    PUNCT,
    SPACE,
    TO_SUPERSCRIPT,
    WORD,
    Token,
    tokenize,
)

MAX_SEGMENT = 120  # words per decoded segment
SPLIT_PART_CHARS = 2  # the parts of "b/c", "t/h", "đ/c": read by the LM one by one
NAME_REPEATS = 3  # a name written more often than this adds no more evidence
# bonus (x Weights.place) of a capitalised pair the text spells in small letters
SPELLING_BONUS = 6.0
# a syllable at least this much likelier as a middle name than overall is a common one
COMMON_MIDDLE = 1.0
# a syllable the LM gives at least this log10 unigram probability, never seen in a position
# of the names prior, is no name there (`_misread_name_marks`)
COMMON_WORD_LOGP = -3.7
# the commonest middle names, read back where a scan misread their marks
# (`_misread_name_marks`)
NAME_MIDDLES = ("thị", "văn")
NAME_AS_READ = 3.0  # a personal name's word without a tone, as read, where its name shows marks
# a capitalised occurrence of a name the document spells in title case with its marks
# (`case_memory`): the remembered spelling scores this much above the column's best
CASE_MEMORY_MARGIN = 3.0
CASE_MEMORY_WORDS = (2, 4)  # a remembered name has this many words (a place, a person)
_NO_BONUS: dict[str, float] = {}  # read-only: a syllable no pair bonus follows
# A run of at least FOREIGN_RUN plain-ASCII words is a foreign phrase, kept as written,
# when half or more of its words cannot be unaccented Vietnamese but are known (corpus
# tokens: "plan", "time"; English function words: "of") and one is a function word.
# Legacy OCR junk does not qualify: its tokens ("dugc", "thuéng") are unknown, and the
# corpus's own OCR junk ("cia", "sd") comes without English function words.
FOREIGN_RUN = 3
ENGLISH_FUNCTION_WORDS = frozenset(
    "of and is are was were for with by from as or this which its".split()
)

# Context words (`Decoder._with_context_words`): the channel's own search keeps a token's best
# few readings, and a vowel the archive's OCR read far from itself ("dén" for "dẫn", "du"
# for "đầu") ranks below them. The words the language model pairs with a neighbour's likely
# readings (after the left one: "hấp" -> "dẫn"; before the right one: "nhân" <- "dân"),
# whose consonants fit the token, join its column at their channel cost.
CONTEXT_NEIGHBOUR = 2  # readings of each neighbour (best channel scores) whose pairs count
CONTEXT_WORDS = 20  # the likeliest partners of each looked at
CONTEXT_MIN_LOGP = -2.0  # log10 P(word | left) below which a follower is not proposed
# log10 P(pair) - log10 P(word) - log10 P(neighbour) below which a partner is not proposed:
# a word that stands beside anything is no evidence from this neighbour
CONTEXT_MIN_LIFT = 0.5
CONTEXT_FLOOR = -6.0  # weighted channel score (+ memory) below which it is not added

MAX_WORD_LEN = 9  # longer tokens are not OCR'd syllables ("nghiêng" + 2 noise): kept
MAX_DIGITS = 2  # tokens with more digits than this are codes or junk: kept
CACHE_LIMIT = 200_000
# channel score (at least) of a reading with one of a stacked vowel's two copies removed
STACKED_FLOOR = -3.0
MEMO_TEXTS = 4  # texts whose tokens and segments a decoder remembers (`Decoder.tokens`)
SENTENCE_END = frozenset(".!?;:…")
# capitals OCR reads for small letters of the same shape ("V" for "v"), without marks
SAME_SHAPE_CAPITALS = frozenset("COSUVWXZ")
# the names prior (`restore.capitalised`) under which a word is almost never written
# capitalised inside a sentence: "với" -5.8, "lên" -4.5, "cùng" -3.2; given names are above
# it ("Soạn" -2.1, "Chuyên" -1.8, "Văn" 1.0), and so is "Ông" (-1.7), a writer's respect
RARELY_TITLED = -3.0
# log10 P(word | the small word before it) from which a word read as itself with an L
# (a typewriter's l) less often capitalised than the average word is the second half of
# one word with it: "quản Lý" -0.46, "Độc Lập" -0.55, "thủy Lợi" -1.56; not "ông Lý" -2.8,
# "huyện Lập" -2.6 (names). Other capitals read as themselves are the writer's ("trong Cơ
# sở dữ liệu").
COLLOCATED = -1.6
# a text reads a typewriter's l as L where it writes this many L words the corpus writes
# capitalised less often than the average word (names prior under L_HABIT_PRIOR: "lên"
# -4.5, "lập" -1.1, "lốp" -0.6; not "Lê" 2.4, "Lăng" 1.8) right after a small word
# (`reads_l_as_capital`): a new user's monospace pages had 3-9 a page; every structure
# set's correct text (208,067 words) none that changed
L_HABIT_WORDS = 3
L_HABIT_PRIOR = -0.5
_CONSONANTS = frozenset("bcdđfghjklmnpqrstvwxz")
LN10 = math.log(10.0)
LOCAL_SWEEP = True
SWEEP_MARGIN = 0.5  # nats: a word changes in the local pass only when its score rises more
NONE_CHANNEL = -6.0  # weighted channel score of the "none of these" reading (_posterior)
# "p" without "h" starts only loanwords and minority names ("pin", "Nà Pục"); in the
# marks-lost (English-model) OCR it is far more often the reading of "Đ" ("Pén" for
# "Đền"), so there its identity gets no keep floor
_P_ONSET = regex.compile(r"^p(?!h)")
# digits and glyphs that may stand for a syllable: two digits ("13" for "là"), or up to three
# characters with an OCR glyph among them ("1¢" for "lệ", "¢6" for "có", "&" for "ở"). A
# lone "6" stays a number: read as "ở" where the sentence wanted a syllable, it also took
# counts ("triển khai 6 xã" -> "ở xã", "ban hành 6 văn bản" -> "có văn bản")
_GLYPH_WORD = regex.compile(rf"^(?:\d\d|(?=.*[{GLYPHS}])[\d{GLYPHS}]{{1,3}})$")


class ChannelLike(Protocol):
    def candidates(self, token: str, k: int = 8) -> list[tuple[str, float]]: ...

    def logprob(self, ocr: str, syllable: str) -> float: ...


class LMLike(Protocol):
    def vocab_id(self, s: str) -> int | None: ...

    def logprob(self, context_ids: Sequence[int], word_id: int) -> float: ...


class ContextLM(Protocol):
    """What the context words read of a language model (`restore.lm.NgramLM` has it)."""

    vocab: Sequence[str]

    def top_followers(
        self, a: int, n: int, min_logp: float, min_lift: float
    ) -> tuple[tuple[int, float], ...]: ...

    def top_predecessors(
        self, b: int, n: int, min_lift: float
    ) -> tuple[tuple[int, float], ...]: ...


@dataclass(frozen=True, slots=True)
class Weights:
    channel: float = 1.0  # multiplier on log P(ocr | syllable)
    lm: float = LN10  # multiplier on the LM log10 probability (ln 10: natural-log units)
    keep: float = -9.0  # channel score of keeping a non-syllable token verbatim
    keep_valid_floor: float = -2.5  # identity of an accented valid syllable scores >= this
    keep_ascii_floor: float | None = None  # same for unaccented valid syllables (vie OCR)
    marker: float = -5.0  # penalty for reading a trailing character as a footnote marker
    term: float = 1.0  # multiplier on terms.tsv weights
    place: float = 1.0  # multiplier on the place-name bonus
    prune: float = 10.0  # drop candidates this far below the token's best channel score
    max_cands: int = 6
    beam: float = 5.0  # predecessors this far below the best are not extended
    uprune: float | None = None  # drop candidates this far below the best channel+unigram
    keep_short: float = 0.0  # keeping a lone consonant or a two-digit number as written
    titled: float = 0.0  # multiplier on the name prior of title-case words in a sentence
    person: float = 0.0  # multiplier on the by-position prior of personal names' words
    person_given: bool = True  # the prior also for the given name (not only surname, middle)
    keep_glyph: float = -2.0  # keeping a short run of OCR glyphs ("1¢", "&") as written
    oov_identity: float = 0.0  # added to the keep floor of a syllable the LM does not know
    # channel score of a syllable whose marks a lowercase or ALL-CAPS token lost altogether
    # ("hoi nghi", "TO CHUC" in a text that writes its other words with marks), or whose
    # tone it lost ("ĐIEM"), at least (None: the channel's own; a title-case word may be a
    # name written so: "Hoa", "Nam")
    lost_marks: float | None = None
    # channel score of keeping a capitalised word shaped as a minority's name ("Mah",
    # "Êban", `restore.minority_names`) inside a sentence as written
    keep_minority: float = 0.0


DEFAULT_WEIGHTS = {
    # tuned on the DEV split (scripts/bench_restore.py --tune); eng's `titled` on the real
    # legacy dev set (names lose their marks in archives' English-model OCR), `person` on
    # invented names (scripts/probe_person_names.py, its tuning set)
    "eng": Weights(
        channel=0.5,
        keep=-12.0,
        keep_valid_floor=-1.0,
        max_cands=16,
        uprune=6.0,
        titled=1.0,
        person=1.0,
        # an accented syllable the LM does not know ("nhén", "luén") would otherwise take
        # the whole <unk> class's probability as its own: 1/unk_types of it is about -11.9
        # in these score units (natural log, like the channel scores); -6 is about half,
        # and -3 to -12 gave the same: chosen on a new user's invented legacy texts (CER
        # 1.63 -> 1.45%, 2.01 -> 1.75%, a third unchanged; tuning data since), eng TEST
        # 99.37 -> 99.39%, the legacy dev set one word worse (97.36 -> 97.34%)
        oov_identity=-6.0,
    ),
    # `vie`'s `oov_identity` as `eng`'s: a valid syllable the LM does not know ("mêm", a
    # photocopy's "mềm" that lost its tone) took the whole <unk> class's probability, above
    # the real word's ("phân mêm" stayed, for "phần mềm"); on scans_heldout12-14's
    # photocopies and faxes (scans_heldout14 held out until then) 200-dpi photocopy
    # 0.85 -> 0.73% CER on set 13, no row worse by more than a character; vie TEST 99.83
    # -> 99.85%; correct text (171,037 words) unchanged.
    # `vie`'s `person` on structure set 14's scans (a signer "Pham Thi Ngọc Ấn" whose
    # marks the scan lost: signer 0.818 -> 0.864; every bench row and 95,359 words of
    # correct text unchanged; an accented name is never outscored, `_as_person_name`),
    # for surnames and middle names only, a closed set whose unmarked forms are no names:
    # a given name read without a tone in marked text may be one ("Nguyễn Văn Toan")
    "vie": Weights(
        channel=1.3,
        keep_valid_floor=-1.0,
        keep_ascii_floor=-1.5,
        beam=10.0,
        person=1.0,
        person_given=False,
        lost_marks=-6.0,
        oov_identity=-6.0,
    ),
}
# ALL-CAPS tokens of a channel that has a caps table (channel.load_caps_channel): candidates
# come from that table, and a valid syllable as read is trusted less, since Tesseract swaps
# and drops the marks of capitals (tuned on the caps DEV sets, scripts/bench_restore.py
# --tune-caps; keep stays -9, not the tuned -12, which read the acronym CPI as CHI;
# `person` on the signature names of scripts/probe_person_names.py's tuning set)
DEFAULT_CAPS_WEIGHTS = {
    "vie": Weights(
        channel=1.3,
        keep=-9.0,
        keep_valid_floor=-1.0,
        keep_ascii_floor=None,
        max_cands=12,
        beam=10.0,
        person=2.0,
        lost_marks=-6.0,
    ),
}


# a date's part whose number OCR glued to it ("ngày 17 tháng6 năm 2020"), and the part that
# follows the number: the digit is that number, no footnote marker
_DATE_NEXT = {"ngày": "tháng", "tháng": "năm"}


def _dated(form: str, words: Sequence[str | Cand], i: int) -> bool:
    """Word i, read as `form` and a marker, is a date's "tháng6" before "năm" (or "ngày17"
    before "tháng")."""
    after = _DATE_NEXT.get(form)
    nxt = words[i + 1] if i + 1 < len(words) else None
    return (after is not None and isinstance(nxt, str)
            and ortho.strip_marks(ortho.nfc(nxt)).lower() == ortho.strip_marks(after))  # fmt: skip


@dataclass(slots=True, eq=False)
class Cand:
    """One reading of a lattice position; never changed once made (not `frozen`: tens of
    thousands are made per document, and a frozen dataclass is built 4 times slower)."""

    form: str  # lowercase syllable, or the verbatim token when kept
    chan: float  # weighted channel score (+ penalties)
    lm_id: int  # LM id (unknown id when not in the vocabulary)
    marker: str = ""  # footnote marker split off the end of the token
    kept: bool = False  # the token is kept as it was (not a restored syllable)


def _with_chan(c: Cand, chan: float) -> Cand:
    """`c` with another channel score (`dataclasses.replace` without its introspection)."""
    return Cand(c.form, chan, c.lm_id, c.marker, c.kept)


@dataclass(frozen=True, slots=True)
class _Column:
    """The candidates of one lattice position, with their fields as parallel tuples: the
    Viterbi inner loop reads these instead of attributes of each `Cand`."""

    cands: tuple[Cand, ...]
    ids: tuple[int, ...]
    forms: tuple[str, ...]
    chans: tuple[float, ...]

    @classmethod
    def of(cls, cands: Sequence[Cand]) -> _Column:
        cands = tuple(cands)
        return cls(
            cands,
            tuple([c.lm_id for c in cands]),
            tuple([c.form for c in cands]),
            tuple([c.chan for c in cands]),
        )


# `case_memory`: a name's skeleton (each word's) -> (its spelling, how often written so)
_CaseMemory = dict[tuple[str, ...], tuple[tuple[str, ...], int]]

# the words one word proposes beside it (`Decoder._context_partners`): (form, LM id,
# consonant skeleton)
_ContextPartners = tuple[tuple[str, int, str], ...]

# a segment to decode: its items (word tokens as written, fixed items as `Cand`), the token
# index of each (-1 for a fixed item), the positions of the items that open a line or item,
# and of those that go on the sentence of the item before them on their line (only spaces
# or a comma between them: no quote or bracket)
_Segment = tuple[list["str | Cand"], list[int], frozenset[int], frozenset[int]]


@dataclass(slots=True)
class Choice:
    """The decoder's reading of one word token."""

    form: str  # chosen text with the input's casing applied
    marker: str  # footnote marker text ("" if none) as written in the output
    marker_original: str  # the marker characters as they were in the input
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # (form, prob)
    kept: bool = False  # the token was kept as written (not read as a syllable)
    syllable: str = ""  # the chosen syllable, lowercase ("" when kept)
    posterior: float = 1.0  # among the alternatives only (confidence also doubts them all)
    evidence: Evidence | None = None  # what the confidence was computed from


def _case_like(
    original: str,
    form: str,
    neighbours: str | None = None,
    after_lowercase: bool = False,
    small: bool = False,
) -> str:
    """`form` in the casing of the OCR token: ALL CAPS, Title or lower.

    OCR noise inside a word ("tAm", "1An", "DPai") is not casing: a mixed-case token is
    title case only when its first character is a capital letter, else lowercase. OCR
    also reads a marked vowel as a capital ("BO" for "Bộ", "S6" for "SỐ"): a short word
    read as another syllable takes the case its neighbours agree on (`neighbours`:
    "upper", "other" or None; "small": "other", and the next word is in small letters),
    and so does one with a vowel mark followed by small letters ("VỊ trí": no acronym has
    one); one read as itself without a mark is an acronym ("(BI)") and keeps its own.
    A capital I read as a small l between lowercase words inside a sentence
    (`after_lowercase`) is OCR's I for l ("quan Iy nha" for "quản lý nhà"): lowercase.
    So is a capital OCR read for a small letter (`small`: `Decoder._small_capital`).
    """
    if original.islower():
        return form
    pat = ortho.case_pattern(original)
    if pat == "mixed" or (pat == "title" and not original[:1].isupper()):
        pat = "title" if original[:1].isupper() else "lower"
    if after_lowercase and pat == "title" and original[:1] == "I" and form[:1] == "l":
        pat = "lower"
    if small and pat == "title":
        pat = "lower"
    if neighbours is not None:
        letters = sum(ch.isalpha() for ch in original)
        if (
            pat == "upper"
            and letters <= 2
            and neighbours in ("other", "small")
            and (form != original.lower() or (neighbours == "small" and _has_vowel_mark(original)))
        ):
            pat = "title"
        elif pat == "title" and letters == 1 and len(original) > 1 and neighbours == "upper":
            pat = "upper"
    return ortho.apply_case(form, pat)


def _neighbour_case(words: Sequence[str | Cand], i: int) -> str | None:
    """ "upper" if the nearest words of two or more letters on each side of i are ALL CAPS,
    "other" if none is, None if they disagree or there are none."""
    pats = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(words):
            w = words[j]
            if not isinstance(w, str):  # a fixed item (number, foreign word) ends the look
                break
            if sum(ch.isalpha() for ch in w) >= 2:
                pats.append(w.isupper())
                break
            j += step
    if not pats:
        return None
    if all(pats):
        return "upper"
    return "other" if not any(pats) else None


def _split_name(
    words: Sequence[str | Cand],
    skeletons: Sequence[str],
    line_starts: frozenset[int],
    i: int,
    skeleton: tuple[str, ...],
) -> list[int]:
    """The positions of a capitals name (`skeleton`) that a two-column header line cut:
    its first words end the left column's part of the line at i (the right column follows
    on the line: "... HUYỆN PHÚ  CỘNG HÒA XÃ HỘI ..."), the rest stands alone on the next
    line ("KHE"), without a mark (the capitals lost them all: a differently marked word
    is the scan's reading against the document's, and no evidence which is right); []
    when there is no such name at i."""
    n = len(words)
    for a in range(1, len(skeleton)):
        head = range(i, i + a)
        if i + a >= n or i + a in line_starts or tuple(skeletons[i : i + a]) != skeleton[:a]:
            continue
        tail_start = next((k for k in sorted(line_starts) if k > i + a), None)
        if tail_start is None:
            continue
        tail = range(tail_start, tail_start + len(skeleton) - a)
        end = tail.stop
        if end > n or (end < n and end not in line_starts):
            continue
        if tuple(skeletons[tail_start:end]) != skeleton[a:]:
            continue
        found = [*head, *tail]
        if not all(isinstance(words[k], str) and str(words[k]).isupper() for k in found):
            continue
        if any(_has_vowel_mark(str(words[k])) for k in tail):
            continue
        return found
    return []


def _with_d_stroke(channel: ChannelLike, low: str, k: int) -> list[tuple[str, float]]:
    """The candidates of a token with a đ under an English-model channel, which never
    saw one (its OCR writes "D"): a marks-lost line of a `vie` page has the đ Tesseract
    read, so the channel reads the token with "d" and only the syllables with the token's
    đ are kept ("ĐIEU" is "điều", not the "tiêu" the channel's reach finds for an unknown
    letter)."""
    opens = low.startswith("đ")
    found = channel.candidates(low.replace("đ", "d"), k=2 * k)
    return [(syl, lp) for syl, lp in found if syl.startswith("đ") == opens][:k]


def _followed_by_small_letters(words: Sequence[str | Cand], i: int) -> bool:
    """The next word of two letters or more after i is in small letters."""
    for w in words[i + 1 :]:
        if not isinstance(w, str):
            return False
        if sum(ch.isalpha() for ch in w) >= 2:
            return w.islower()
    return False


class Decoder:
    """Restoration decoder bound to one channel, one LM and the dictionaries."""

    def __init__(
        self,
        channel: ChannelLike,
        lm: LMLike,
        dictionaries: Dictionaries,
        weights: Weights | None = None,
        caps_channel: ChannelLike | None = None,
        caps_weights: Weights | None = None,
        channel_name: str = "",
        titled: dict[str, float] | None = None,
        person_prior: Sequence[dict[str, float]] = (),
    ) -> None:
        self.channel = channel
        self.channel_name = channel_name  # "eng" or "vie": the OCR this decoder reads
        self.titled = titled or {}  # syllable -> log title-case rate ratio (names prior)
        # per name position (surname, middle, given): syllable -> log rate ratio
        self.person_prior = tuple(person_prior)  # (`restore.person_names`)
        self.lm = lm
        self.dicts = dictionaries
        self.w = weights or Weights()
        # ALL-CAPS word tokens use their own channel and weights when one is given
        self.caps_channel = caps_channel
        self.caps_w = caps_weights or self.w
        self.unk = _special_id(lm, "<unk>", 0, ("unk_id", "unk"))
        self.bos = _special_id(lm, "<s>", 1, ("bos_id", "bos"))
        self.num = _special_id(lm, "<num>", 3)
        self._cand_cache: dict[str, _Column] = {}
        # `_spellings_known`: a written form -> the known syllables it may have lost marks of
        self._spellings_cache: dict[str, tuple[tuple[str, int], ...]] = {}
        self._context_cache: dict[tuple[int, bool], _ContextPartners] = {}  # `_context_partners`
        # the model's pairs, when it can list them (`ContextLM`)
        self._context_lm: ContextLM | None = (
            lm  # type: ignore[assignment]
            if all(hasattr(lm, a) for a in ("vocab", "top_followers", "top_predecessors"))
            else None
        )
        # weighted LM scores, weights.lm * log10 P(c | a b), cached by (a, b, c) in a
        # compiled hash table that the lattice loops read and fill (`_score_cache`)
        self._scores = _score_cache(lm, self.w.lm)
        # log10 P(word) by id, read directly when the LM has the table (an NgramLM): the
        # same values as ``lm.logprob((), id)`` without a context lookup per candidate
        self._unigram: Sequence[float] | None = getattr(lm, "unigram_logprobs", None)
        self._vocab_cache: dict[str, int] = {}
        self._term_next = _successors(dictionaries.term_pairs, self.w.term)
        self._place_next = _successors(dictionaries.place_pairs, self.w.place)
        # document memory: bonus of a syllable the document gives confidently elsewhere
        self.memory: dict[str, float] = {}
        self.keep: frozenset[str] = frozenset()  # words kept as written (a user lexicon)
        self.keep_titled: frozenset[str] = frozenset()  # kept where the OCR capitalised them
        # words a lexicon or profile names, by skeleton: candidates even when the channel's
        # search or the vocabulary would not propose them ("Nam" -> "Nậm")
        self.named: dict[str, tuple[str, ...]] = {}
        # OCR token (lowercase) -> {syllable: bonus}: what reviewers corrected this very
        # token to in the archive (an archive profile's readings)
        self.readings: dict[str, dict[str, float]] = {}
        # the decoder for this one's lines that lost their marks (`restore.detect`), when
        # it was adapted to a batch together with them (`restore.adapt_decoder`)
        self.marks_lost: Decoder | None = None
        # names of the document (runs of title-case words inside sentences, lowercase) ->
        # how often the document writes them (`name_counts`): each occurrence's OCR is
        # evidence for the one name they all spell
        self.names: dict[tuple[str, ...], int] = {}
        # names the document spells in title case with their marks (`case_memory`): the
        # skeleton of the words (lowercase, no marks, đ as d) -> the syllables; None: read
        # from each token list decoded (`decode_tokens`), as no document-wide one was given
        self.case_memory: _CaseMemory | None = None
        # the document is marked (`vie`) text: a đ in it is Tesseract's, even on the lines
        # that lost their marks and go to the English-model channel (`_with_d_stroke`)
        self.marked_document = False
        self._twin: Decoder | None = None  # this one with the other `marked_document`
        # `case_memory` by the skeleton of a name's first word (`remembering`)
        self._memory_by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], int]]] = {}
        # the last few texts' tokens (`tokens`) and the segments of token lists
        # (`_segments`, by the list's id, the list kept with them), shared with the
        # adapted copies, which cut them alike (the same LM and dictionaries): adaptation
        # and the final pass read one text
        self._tokens_memo: dict[str, list[Token]] = {}
        self._segments_memo: dict[int, tuple[list[Token], list[_Segment]]] = {}

    def adapted(
        self,
        channel: ChannelLike | None = None,
        memory: dict[str, float] | None = None,
        keep: frozenset[str] | None = None,
        keep_titled: frozenset[str] | None = None,
        pairs: dict[tuple[str, str], float] | None = None,
        named: Iterable[str] = (),
        readings: dict[str, dict[str, float]] | None = None,
        names: dict[tuple[str, ...], int] | None = None,
        places: dict[tuple[str, str], float] | None = None,
    ) -> Decoder:
        """A decoder for one document or call: another channel (adapted to the document), a
        document memory (syllable -> bonus), words to keep as written (lowercase; the
        `keep_titled` ones only where the OCR capitalised them), extra pair bonuses and
        named words proposed from their skeleton (a user lexicon), readings of garbled OCR
        tokens (an archive profile's: token -> {syllable: bonus}), the names the document
        repeats (`name_counts`) and extra place-pair bonuses (`adapt.local_places`),
        sharing this one's LM, dictionaries, weights and LM score cache. What is not given
        is kept from this decoder."""
        new = copy.copy(self)  # shares the LM, dictionaries and the LM score cache
        if channel is not None:
            new.channel = channel
        if memory is not None:
            new.memory = dict(memory)
        if keep is not None:
            new.keep = keep
        if readings is not None:
            new.readings = readings
        if names is not None:
            new.names = names
        if keep_titled is not None:
            new.keep_titled = keep_titled
        if keep is not None or keep_titled is not None:
            new._segments_memo = {}  # a kept word is never cut in two (`_glued`)
        named = [w for w in named if ortho.is_valid_syllable(w)]
        if named:
            by_skeleton = {k: list(v) for k, v in self.named.items()}
            for word in named:
                group = by_skeleton.setdefault(ortho.strip_marks(word), [])
                if word not in group:
                    group.append(word)
            new.named = {k: tuple(v) for k, v in by_skeleton.items()}
        if pairs:
            new._term_next = _with_bonuses(self._term_next, pairs)
        if places:
            scale = self.w.place
            new._place_next = _with_bonuses(
                self._place_next, {p: b * scale for p, b in places.items()}
            )
        new._cand_cache = {}
        new._twin = None  # another decoder: its twin is its own (`remembering`)
        return new

    # ------------------------------------------------------------------ candidates
    def _id(self, form: str) -> int:
        i = self._vocab_cache.get(form)
        if i is None:
            v = self.lm.vocab_id(form)
            i = self.unk if v is None else v
            if len(self._vocab_cache) < CACHE_LIMIT:
                self._vocab_cache[form] = i
        return i

    def _syllable_cands(
        self, tok: str, penalty: float, marker: str, caps: bool = False
    ) -> list[Cand]:
        w = self.caps_w if caps else self.w
        channel = self.caps_channel if caps and self.caps_channel is not None else self.channel
        low = ortho.apostrophe_marks(ortho.nfc(tok).lower())  # "sỏ’" is "sở"
        if len(low) > MAX_WORD_LEN or sum(c.isdigit() for c in low) > MAX_DIGITS:
            return []
        out: dict[str, Cand] = {}
        try:
            if "đ" in low and self.marked_document and self.channel_name != "vie":
                found = _with_d_stroke(channel, low, w.max_cands)
            else:
                found = channel.candidates(low, k=w.max_cands)
        except (ValueError, KeyError):
            found = []
        lowest = max([lp for _, lp in found], default=-math.inf) - w.prune
        placed, weight, ids = ortho.normalize_tone_placement, w.channel, self._vocab_cache
        for syl, lp in found:
            if lp < lowest:
                continue
            syl = placed(syl)  # "đựơc" -> "được"
            score = weight * lp + penalty
            old = out.get(syl)
            if old is None or old.chan < score:
                i = ids.get(syl)  # `_id` without a call per candidate when it is known
                out[syl] = Cand(syl, score, self._id(syl) if i is None else i, marker)
        if not low.isascii():
            # a vowel written twice, with a mark on one: the OCR stacked the marks of one
            # letter ("KHÊẾ", "NÔỒNG"); either of the two may be the letter
            for syl in _unstacked(low):
                score = STACKED_FLOOR + penalty
                old = out.get(syl)
                if old is None or old.chan < score:
                    out[syl] = Cand(syl, score, self._id(syl), marker)
        if w.lost_marks is not None and tok.isalpha() and (caps or tok.islower()):
            unmarked = w.lost_marks + penalty
            for syl, lm_id in self._spellings_known(low):
                old = out.get(syl)
                if old is None or old.chan < unmarked:
                    out[syl] = Cand(syl, unmarked, lm_id, marker)
        if ortho.is_valid_syllable(low) and not (
            self.channel_name != "vie" and _P_ONSET.match(low)
        ):
            ident = ortho.normalize_tone_placement(low)
            floor = w.keep_valid_floor if not low.isascii() else w.keep_ascii_floor
            if floor is not None:
                # A valid syllable with marks (or any, for vie OCR) is likely already right.
                old = out.get(ident)
                lm_id = self._id(ident)
                oov = w.oov_identity if lm_id == self.unk else 0.0
                score = max(old.chan if old else -math.inf, floor + penalty + oov)
                out[ident] = Cand(ident, score, lm_id, marker)
                if self.channel_name == "vie":
                    # a marked text's "qui định", "kĩ thuật": the spelling as printed, no
                    # slip of "quy", "kỹ" (`orthography.iy_spelling_key`)
                    key = ortho.iy_spelling_key(ident)
                    for syl in [s for s in out if s != ident]:
                        if ortho.iy_spelling_key(syl) == key:
                            del out[syl]
        return list(out.values())

    def _spellings_known(self, letters: str) -> tuple[tuple[str, int], ...]:
        """The syllables written with these letters and the marks they lack
        (`orthography.spellings`) that the language model knows, as (syllable, LM id),
        commonest first: the readings of a token that lost its marks or its tone
        (`Weights.lost_marks`)."""
        hit = self._spellings_cache.get(letters)
        if hit is None:
            spelled = ortho.spellings(letters)
            if not spelled:
                return ()  # not cached: only forms some syllable can be written as are
            found = [(syl, self._id(syl)) for syl in spelled if syl != letters]
            known = [(syl, i) for syl, i in found if i != self.unk]
            known.sort(key=lambda t: -self.lm.logprob((), t[1]))
            hit = self._spellings_cache[letters] = tuple(known)
        return hit

    def candidates(self, token: str, caps: bool = False) -> tuple[Cand, ...]:
        """Candidate readings of one word token (cached on the casefolded token); `caps`:
        as a word of an ALL-CAPS line (the caps channel, when the decoder has one)."""
        return self._column(token, caps and self.caps_channel is not None).cands

    def _is_caps(self, words: Sequence[str | Cand], i: int) -> bool:
        """Word i is ALL CAPS (two or more letters) in capitals context, so it is decoded
        with the caps channel. "BO" between lowercase words is a lowercase word whose
        marked vowel OCR read as a capital ("Giao BO Y té"), not a heading."""
        t = words[i]
        return (
            self.caps_channel is not None
            and isinstance(t, str)
            and t.isupper()
            and sum(ch.isalpha() for ch in t) >= 2
            and _neighbour_case(words, i) != "other"
        )

    def _kept_word(self, token: str) -> bool:
        """The user's lexicon keeps this token as written."""
        ident = ortho.normalize_tone_placement(ortho.nfc(token.lower()))
        return ident in self.keep or (token[:1].isupper() and ident in self.keep_titled)

    def _is_title(self, words: Sequence[str | Cand], i: int) -> bool:
        """Word i is a title-case word inside a sentence (not the segment's first word), in
        lowercase context: the way names are written."""
        t = words[i]
        return (
            i > 0
            and isinstance(t, str)
            and len(t) >= 2
            and t[0].isupper()
            and t[1:].islower()
            and _neighbour_case(words, i) != "upper"
        )

    def _column(self, token: str, caps: bool = False, title: bool = False) -> _Column:
        low = token.lower()
        kept_word = bool(self.keep or self.keep_titled) and self._kept_word(token)
        # the case matters where the lost-marks readings are asked for (`_syllable_cands`:
        # a lowercase or ALL-CAPS token's, not a capitalised one's)
        cased = "" if caps or token.islower() else "\x05"
        key = ("\x00" if caps else "\x01" if title else "") + ("\x02" if kept_word else "")
        key += cased + low
        hit = self._cand_cache.get(key)
        if hit is not None:
            return hit
        w = self.caps_w if caps else self.w
        cands = self._syllable_cands(token, 0.0, "", caps)
        # a trailing footnote marker glued on by OCR: "tdm2", "tams", "nghiép*"
        if len(token) >= 3 and token[-1] in GLUED_MARKER_ENDS:
            stem = token[:-1]
            if any(c.isalpha() for c in stem):
                cands += self._syllable_cands(stem, w.marker, token[-1], caps)
        if self.memory:
            mem = self.memory
            cands = [_with_chan(c, c.chan + mem[c.form]) if c.form in mem else c for c in cands]
        seen = self.readings.get(low)
        if seen:  # readings a reviewer gave this token in the archive, proposed and preferred
            cands = [_with_chan(c, c.chan + seen[c.form]) if c.form in seen else c for c in cands]
            found = {c.form for c in cands}
            source = self.caps_channel if caps and self.caps_channel else self.channel
            cands += [Cand(word, w.channel * source.logprob(low, word) + bonus, self._id(word))
                      for word, bonus in seen.items() if word not in found]  # fmt: skip
        if title and w.titled and self.titled:
            # a title-case word inside a sentence is a name: prefer syllables often names
            names, weight = self.titled, w.titled
            cands = [_with_chan(c, c.chan + weight * names.get(c.form, 0.0)) for c in cands]
        cands.sort(key=lambda c: -c.chan)
        cands = cands[: w.max_cands]
        if w.uprune is not None and len(cands) > 2:
            # drop readings hopeless even with a unigram prior (keeps the lattice small)
            uni = self._unigram
            if uni is not None:
                scores = [c.chan + w.lm * uni[c.lm_id] for c in cands]
            else:
                scores = [c.chan + w.lm * self.lm.logprob((), c.lm_id) for c in cands]
            top = max(scores)
            cands = [c for c, sc in zip(cands, scores, strict=True) if sc >= top - w.uprune]
        if self.named:  # after pruning: a name the user gave is always a candidate
            found = {c.form for c in cands}
            for word in self.named.get(ortho.strip_marks(ortho.nfc(low)), ()):
                if word not in found:
                    source = self.caps_channel if caps and self.caps_channel else self.channel
                    lp = source.logprob(low, word)
                    cands.append(
                        Cand(word, w.channel * lp + self.memory.get(word, 0.0), self._id(word))
                    )
        if kept_word:
            # a word of the user's lexicon is kept as written (a marker may still split off)
            cands = [c for c in cands if c.marker]
            ident = ortho.normalize_tone_placement(ortho.nfc(low))
            if ortho.is_valid_syllable(ident):
                cands.append(Cand(ident, 0.0, self._id(ident)))
            else:
                cands.append(Cand(token, 0.0, self._id(low), "", kept=True))
        elif not any(ch.isalpha() for ch in low):
            # "18" for "lệ", "1¢" for "lệ", "&" for "ở": a number stays the likely reading
            glyphs = not low.isdigit()
            cands.append(
                Cand(token, w.keep_glyph if glyphs else w.keep_short, self.num, "", kept=True)
            )
        elif len(low) == 1 and low in _CONSONANTS:
            # "điểm c", "khoản b" are labels; "dân s" is "dân số" whose vowel OCR lost
            cands.append(Cand(token, w.keep_short, self._id(low), "", kept=True))
        elif title and minority_name_word(breved := with_breves(token)):
            # "Mah", "Êban", "Hläk" (its breve read as two dots): a minority's name
            cands.append(Cand(breved, w.keep_minority, self._id(breved.lower()), "", kept=True))
        elif (
            not cands or all(c.marker for c in cands) or not ortho.is_valid_syllable(low)
        ) and not _unstacked(low):
            # keeping the token as it is stays possible (foreign words, names, codes); not a
            # vowel written twice with a mark on one ("Luụa"): no spelling writes that,
            # OCR stacked one letter's marks (`_unstacked`), even in a name
            kept = Cand(token, w.keep, self._id(low), "", kept=True)
            cands.append(kept)
        res = _Column.of(cands)
        if len(self._cand_cache) >= CACHE_LIMIT:
            self._cand_cache.clear()
        self._cand_cache[key] = res
        return res

    @staticmethod
    def _read_caps_name_words(words: Sequence[str | Cand], caps: Sequence[bool]) -> list[int]:
        """Positions of the words of ALL-CAPS personal names whose marks OCR evidently
        read: a run of two to four capitals words (`caps`: `_is_caps` of each position)
        opening with a surname ("NGUYỄN VĂN TOAN"), another word of which carries a mark.
        There a word without marks is most likely written so ("TOAN", "KHANH" are names as
        much as "TOÀN", "KHÁNH")."""
        out: list[int] = []
        for i, j in _runs(caps):
            run = [str(w) for w in words[i:j]]
            if 2 <= len(run) <= 4 and ortho.nfc(run[0]).lower() in SURNAMES:
                marked = [_has_vowel_mark(w) for w in run]
                for k, w in enumerate(run):
                    toneless = ortho.tone_of(ortho.nfc(w).lower()) == 0
                    if toneless and any(marked[:k] + marked[k + 1 :]):
                        out.append(i + k)
        return out

    def _person_names(
        self,
        words: Sequence[str | Cand],
        cols: list[_Column],
        capitalised: Sequence[bool],
        caps_at: Sequence[bool],
        title_at: Sequence[bool],
        line_starts: frozenset[int] = frozenset(),
    ) -> None:
        """Re-score in place the columns of the words that look like a personal name
        (`person_names.person_name_words`) with the prior of their position in the name
        (surname, middle, given) in place of the generic names prior, except in a run
        whose first two words can read as a known place ("Hà Nội"), unless the run is
        longer and its second word can be a common middle name ("Nguyễn Văn" is a place
        pair too, and "Hà Nội Quảng", where OCR lost a dash, is no name)."""
        places, middle = self.dicts.place_pairs, self.person_prior[MIDDLE_NAME]
        is_place: dict[int, bool] = {}
        for i, pos, start, end in person_name_words(words, caps_at, capitalised, line_starts):
            place = is_place.get(start)
            if place is None:
                place = is_place[start] = end - start >= 2 and any(
                    (a, b) in places
                    and (end - start == 2 or middle.get(b, LOWEST_NAME_PRIOR) < COMMON_MIDDLE)
                    for a in cols[start].forms
                    for b in cols[start + 1].forms
                )
            # a capitals given name without a tone where the OCR read the name's other
            # marks may be one ("TRẦN THỊ TOAN", as `_read_caps_name_words` keeps it)
            marked = (pos == GIVEN_NAME and caps_at[i] and any(
                _has_vowel_mark(ortho.nfc(str(words[k])).lower())
                for k in range(start, end) if k != i
            ))  # fmt: skip
            if place or marked:
                continue
            token = str(words[i])
            if (
                pos != GIVEN_NAME
                and title_at[i]
                and self._lost_name_marks(words, i, start, end, pos)
            ):
                cols[i] = _as_marks_lost(token, cols[i])
            usual = self._misread_name_marks(words, i, start, end, pos)
            if usual:
                cols[i] = self._with_readings(cols[i], usual, caps_at[i])
            cols[i] = self._as_person_name(
                token, cols[i], pos, caps_at[i], title_at[i], as_written=not usual
            )

    def _misread_name_marks(
        self, words: Sequence[str | Cand], i: int, start: int, end: int, position: int
    ) -> tuple[str, ...]:
        """The middle name "Văn" or "Thị" (`NAME_MIDDLES`) that the marks of word i of a
        personal name (words start to end, i at `position`) spell when read otherwise,
        where OCR evidently misread them ("Hoàng Vẫn Quyết" is "Hoàng Văn Quyết"): the word
        stands between a surname written as such and another word, and as written it is a
        common word never seen as a middle name; () otherwise. Surnames are left alone:
        "TRƯỞNG VĂN PHÒNG" is a title, and "Vì", "Trình", "Hạ" are surnames the names prior
        does not know. A rare syllable missing from the prior may be a rare middle name:
        only a word the language model knows well counts as never one."""
        if end - start < 3 or position != MIDDLE_NAME or i == start:
            return ()
        if ortho.nfc(str(words[i - 1])).lower() not in SURNAMES:
            return ()
        written = ortho.normalize_tone_placement(ortho.nfc(str(words[i])).lower())
        if not _has_vowel_mark(written) or not ortho.is_valid_syllable(written):
            return ()
        seen = self.person_prior[position].get(written)
        if seen is None:
            never = self.lm.logprob((), self._id(written)) >= COMMON_WORD_LOGP
        else:
            never = seen <= LOWEST_NAME_PRIOR
        if not never:
            return ()
        letters = ortho.strip_marks(written)
        return tuple(v for v in NAME_MIDDLES if ortho.strip_marks(v) == letters and v != written)

    def _with_readings(self, col: _Column, forms: Sequence[str], caps: bool) -> _Column:
        """`col` with each of `forms` scoring at least the channel floor of a word that lost
        its marks (`Weights.lost_marks`; unchanged when the weights have none)."""
        floor = (self.caps_w if caps else self.w).lost_marks
        if floor is None:
            return col
        have = {c.form: c for c in col.cands if not c.kept}
        cands = [c for c in col.cands if c.kept or c.form not in forms]
        for form in forms:
            old = have.get(form)
            if old is not None and old.chan >= floor:
                cands.append(old)
            else:
                cands.append(Cand(form, floor, self._id(form), old.marker if old else ""))
        return _Column.of(cands)

    def _lost_name_marks(
        self, words: Sequence[str | Cand], i: int, start: int, end: int, position: int
    ) -> bool:
        """Word i of a title-case personal name (words start to end, i at `position`) is
        written without marks while another word of the name carries some ("Mac Thi Lan
        Hương"), and so written it is no likelier at its position in names than in text
        (a "Thu" or a "Thanh" is): in marked (`vie`) text the scan lost its marks, and
        its unmarked spelling is no evidence for itself."""
        word = str(words[i])
        if self.channel_name != "vie" or not word.isascii():
            return False
        prior = self.person_prior[position].get(word.lower(), LOWEST_NAME_PRIOR)
        return prior < 0 and any(
            _has_vowel_mark(str(words[k])) for k in range(start, end) if k != i
        )

    def _as_person_name(
        self,
        token: str,
        col: _Column,
        position: int,
        caps: bool,
        title: bool,
        as_written: bool = True,
    ) -> _Column:
        """`col` re-scored as the word at `position` of a personal name. A correctly
        accented word is never outscored by the prior: it gains as much as the best
        (`as_written`; not where its marks were evidently misread, `_misread_name_marks`)."""
        w = self.caps_w if caps else self.w
        if not w.person or len(col.cands) < 2 or (position == GIVEN_NAME and not w.person_given):
            return col
        prior, generic = self.person_prior[position], self.titled if title else _NO_BONUS
        bonus = {
            c.form: w.person * prior.get(c.form, LOWEST_NAME_PRIOR)
            - w.titled * generic.get(c.form, 0.0)
            for c in col.cands
            if not c.kept
        }
        low = ortho.nfc(token).lower()
        if as_written and _has_vowel_mark(low) and ortho.is_valid_syllable(low):
            ident = ortho.normalize_tone_placement(low)
            if ident in bonus:
                bonus[ident] = max(bonus.values())
        return _Column.of(
            [c if c.kept else _with_chan(c, c.chan + bonus[c.form]) for c in col.cands]
        )

    def _remembered_names(
        self,
        words: Sequence[str | Cand],
        cols: list[_Column],
        line_starts: frozenset[int] = frozenset(),
    ) -> None:
        """Re-score in place the columns of each capitalised run (ALL CAPS or title case)
        whose words have the skeletons of a name the document spells with its marks
        elsewhere (`case_memory`) but is not written so here ("ĐÓNG KHẾ VINH" in a
        header whose body writes "Đông Khê Vĩnh"): the remembered spelling of each word
        scores ``CASE_MEMORY_MARGIN`` above the column's best, except, against a spelling
        written once, a word written with a tone of its own on the same letters
        (`_tone_only_apart`: "LÊ THỊ HÒA" beside one "Lê Thị Hoa" is another person; twice
        "Mỹ Khê" beside "MỸ KHẾ", a misread). So does a capitals name that a two-column
        header line cut (`_split_name`)."""
        by_first = self._memory_by_first
        skeletons = [
            name_skeleton(w) if isinstance(w, str) and w[:1].isupper() else "" for w in words
        ]
        n = len(words)
        for i, first in enumerate(skeletons):
            for skeleton, spelling, times in by_first.get(first, ()):
                end = i + len(skeleton)
                if end > n or tuple(skeletons[i:end]) != skeleton:
                    continue
                if len({str(w).isupper() for w in words[i:end]}) > 1:
                    continue  # "BIÊN BẢN" over a line opening "Kiểm ...": no one name
                written = tuple(
                    ortho.normalize_tone_placement(ortho.nfc(str(w)).lower()) for w in words[i:end]
                )
                if written == spelling:
                    continue
                for k, form in enumerate(spelling):
                    if times > 1 or not _tone_only_apart(written[k], form):
                        cols[i + k] = self._with_remembered(cols[i + k], form)
            for skeleton, spelling, times in by_first.get(first, ()):
                where = _split_name(words, skeletons, line_starts, i, skeleton)
                written = tuple(
                    ortho.normalize_tone_placement(ortho.nfc(str(words[k])).lower()) for k in where
                )
                if where and written != spelling:
                    for k, w, form in zip(where, written, spelling, strict=True):
                        if times > 1 or not _tone_only_apart(w, form):
                            cols[k] = self._with_remembered(cols[k], form)

    def _with_remembered(self, col: _Column, form: str) -> _Column:
        """`col` with `form` (added when the channel did not propose it) scoring
        ``CASE_MEMORY_MARGIN`` above the best of the others."""
        best = max((c.chan for c in col.cands if c.form != form), default=0.0)
        score = best + CASE_MEMORY_MARGIN
        cands = [c for c in col.cands if c.form != form or c.marker]
        cands.append(Cand(form, score, self._id(form)))
        return _Column.of(cands)

    def _as_read_preferred(self, token: str, col: _Column) -> _Column:
        """`col` with the token's own spelling (a valid syllable) preferred by
        ``NAME_AS_READ``."""
        ident = ortho.normalize_tone_placement(ortho.nfc(token).lower())
        if not any(c.form == ident and not c.kept for c in col.cands):
            return col
        return _Column.of(
            [_with_chan(c, c.chan + NAME_AS_READ) if c.form == ident else c for c in col.cands]
        )

    def _repeated(self, token: str, col: _Column, times: int) -> _Column:
        """The column of a word of a name the document writes `times` times: every
        occurrence's OCR is evidence for the one name they all spell, while the language
        model's preference counts once, so each candidate's channel score counts
        min(times, NAME_REPEATS) times (the candidates' other bonuses once)."""
        times = min(times, NAME_REPEATS)
        if times < 2 or len(col.cands) < 2:
            return col
        key = f"\x03{times}\x00{token.lower()}"
        hit = self._cand_cache.get(key)
        if hit is not None:
            return hit
        low = token.lower()
        extra = (times - 1) * self.w.channel
        res = _Column.of(
            [
                c if c.kept else _with_chan(c, c.chan + extra * self.channel.logprob(low, c.form))
                for c in col.cands
            ]
        )
        self._cand_cache[key] = res
        return res

    def _with_context_words(
        self, token: str, col: _Column, left_ids: tuple[int, ...], right_ids: tuple[int, ...]
    ) -> _Column:
        """`col` with the words the language model pairs with the left neighbour's likeliest
        readings (`left_ids`, `_context_ids`) and with the right one's, where their
        consonants fit the token and their channel score reaches CONTEXT_FLOOR."""
        low = ortho.nfc(token).lower()
        seen = set(col.forms)
        added: list[Cand] = []
        sides = [(i, True) for i in left_ids] + [(i, False) for i in right_ids]
        for word_id, after in sides:
            for cand in self._context_proposals(low, word_id, after):
                if cand.form not in seen:
                    seen.add(cand.form)
                    added.append(cand)
        return _Column.of(col.cands + tuple(added)) if added else col

    def _context_proposals(self, low: str, word_id: int, after: bool) -> tuple[Cand, ...]:
        """The candidates the word `word_id` proposes for the token `low` beside it (`after`
        it, or before it): its partners whose consonants are the token's (about one letter
        apart when the token is no syllable: a skeleton or one of its one-letter deletions
        in common), scored by the channel (+ the document memory); cached with the
        columns."""
        key = f"\x04{int(after)}\x00{low}\x00{word_id}"
        hit = self._cand_cache.get(key)
        if hit is None:
            skeleton = consonant_skeleton(low)
            loose = None if ortho.is_valid_syllable(low) else set(_one_deletion(skeleton))
            found: list[Cand] = []
            for form, form_id, other in self._context_partners(word_id, after):
                if other != skeleton if loose is None else loose.isdisjoint(_one_deletion(other)):
                    continue
                lp = self.channel.logprob(low, form)
                score = self.w.channel * lp + self.memory.get(form, 0.0)
                if score >= CONTEXT_FLOOR:
                    found.append(Cand(form, score, form_id))
            hit = _Column.of(found)
            if len(self._cand_cache) >= CACHE_LIMIT:
                self._cand_cache.clear()
            self._cand_cache[key] = hit
        return hit.cands

    def _context_ids(self, col: _Column) -> tuple[int, ...]:
        """LM ids of a neighbour's CONTEXT_NEIGHBOUR readings with the best channel scores
        (its kept tokens and unknown words left out)."""
        best = sorted((c for c in col.cands if not c.kept), key=lambda c: -c.chan)
        return tuple(c.lm_id for c in best[:CONTEXT_NEIGHBOUR] if c.lm_id != self.unk)

    def _context_partners(self, word_id: int, after: bool) -> _ContextPartners:
        """The words `word_id` proposes after it (`after`) or before it: its CONTEXT_WORDS
        likeliest partners at least CONTEXT_MIN_LIFT likelier beside it than anywhere, as
        (form, LM id, consonant skeleton). Cached per word and side."""
        key = (word_id, after)
        hit = self._context_cache.get(key)
        if hit is None:
            lm = self._context_lm
            assert lm is not None
            if after:
                pairs = lm.top_followers(word_id, CONTEXT_WORDS, CONTEXT_MIN_LOGP, CONTEXT_MIN_LIFT)
            else:
                pairs = lm.top_predecessors(word_id, CONTEXT_WORDS, CONTEXT_MIN_LIFT)
            vocab = lm.vocab
            hit = tuple((vocab[i], i, consonant_skeleton(vocab[i])) for i, _lp in pairs)
            if len(self._context_cache) >= CACHE_LIMIT:
                self._context_cache.clear()
            self._context_cache[key] = hit
        return hit

    # ------------------------------------------------------------------ search
    def decode_segment(
        self,
        words: Sequence[str | Cand],
        with_alternatives: bool,
        line_starts: frozenset[int] = frozenset(),
        posteriors: bool = False,
        continuing: frozenset[int] = frozenset(),
        l_habit: bool = False,
    ) -> list[Choice | None]:
        """Best reading of a segment: word tokens (strings as in the input) to decode and
        fixed context items (`Cand`). Returns a Choice per word, None per fixed item.
        `line_starts`: positions of words that open a line or a list item (capitalised
        there, they are not names); `continuing`: positions of words that go on the sentence
        of the word before (`_cut_segments`); `l_habit`: the text reads a typewriter's l as L
        (`reads_l_as_capital`). `posteriors` without `with_alternatives`: each Choice
        has its posterior (`_chosen_posterior`) but no confidence or alternatives, which
        is all adaptation reads."""
        n = len(words)
        if n == 0:
            return []
        caps_at = [self._is_caps(words, i) for i in range(n)]
        title_at = self._title_flags(words, line_starts)
        cols = [
            _Column.of((t,)) if isinstance(t, Cand) else self._column(t, caps_at[i], title_at[i])
            for i, t in enumerate(words)
        ]
        if self.names:
            for a, b in _runs(title_at, 2):
                times = self.names.get(tuple(str(w).lower() for w in words[a:b]), 1)
                for i in range(a, b):
                    cols[i] = self._repeated(str(words[i]), cols[i], times)
        caps = [isinstance(t, str) and bool(t[:1].isupper()) for t in words]
        if self.person_prior and any(caps):
            self._person_names(words, cols, caps, caps_at, title_at, line_starts)
        for i in self._read_caps_name_words(words, caps_at):
            cols[i] = self._as_read_preferred(str(words[i]), cols[i])
        if self.case_memory:
            self._remembered_names(words, cols, line_starts)
        if self._context_lm is not None:
            # each word's neighbours as their own candidates read them
            context_ids = [self._context_ids(c) for c in cols]
            for i, w in enumerate(words):
                # lowercase words only: a name's syllables are not what the context expects
                if not (isinstance(w, str) and w[:1].islower()) or self._kept_word(w):
                    continue
                left = context_ids[i - 1] if i > 0 else ()
                right = context_ids[i + 1] if i + 1 < n else ()
                if left or right:
                    cols[i] = self._with_context_words(w, cols[i], left, right)
        # the Viterbi (compiled, `_lattice.viterbi`): each candidate's best predecessor by
        # its score + the weighted trigram with that predecessor's own best history + the
        # pair bonuses, among predecessors within `beam` of the best
        path = _lattice.viterbi(
            [c.ids for c in cols],
            [c.forms for c in cols],
            [c.chans for c in cols],
            caps,
            self.bos,
            self._scores,
            self._term_next,
            self._place_next,
            self.w.beam,
        )
        lattice = [c.cands for c in cols]
        chosen = [lattice[i][path[i]] for i in range(n)]
        # local scores of each position's candidates (see _local_scores), kept for the posteriors
        # while no word to the right that they involve has changed since
        local: dict[int, list[float]] = {}
        if LOCAL_SWEEP:
            # one left-to-right pass of local re-scoring (all LM terms touching a position,
            # exact trigrams; compiled, `_lattice.local_pass`): the Viterbi's
            # best-predecessor approximation can leave a word its own alternatives rank
            # second by a clear margin; it takes the first instead (a margin of 0 cost 0.13
            # points on the synthetic eng pages). `chosen` changes in place; `local` keeps
            # the scores of the positions whose neighbours have not changed since
            todo = [
                len(col) > 1 and isinstance(w, str) for col, w in zip(lattice, words, strict=True)
            ]
            local = _lattice.local_pass(
                lattice,
                chosen,
                path,
                todo,
                caps,
                self.bos,
                self._term_next,
                self._place_next,
                _NO_BONUS,
                self._scores,
                SWEEP_MARGIN,
                with_alternatives or posteriors,  # the scores kept for the posteriors
            )
        out: list[Choice | None] = []
        for i, c in enumerate(chosen):
            w = words[i]
            if not isinstance(w, str):
                out.append(None)
                continue
            if with_alternatives:
                conf, post, alts, ev = self._posterior(
                    i, lattice, chosen, caps, local.get(i), words
                )
            elif posteriors and len(lattice[i]) > 1:
                scores = local.get(i)
                if scores is None:
                    scores = self._local_scores(i, lattice[i], chosen, caps)
                conf, post, alts, ev = 1.0, _chosen_posterior(scores, lattice[i], c), [], None
            else:
                conf, post, alts, ev = 1.0, 1.0, [], None
            neighbours = None if w.islower() else _neighbour_case(words, i)
            if neighbours == "other" and _followed_by_small_letters(words, i):
                neighbours = "small"
            # between lowercase words (a name's next word is capitalised: "tỉnh Iai Châu")
            after_lowercase = (
                i > 0 and i not in line_starts and str(words[i - 1]).islower()
                and (i + 1 == n or not str(words[i + 1])[:1].isupper())
            )  # fmt: skip
            small = i in continuing and self._small_capital(words, chosen, i, l_habit)
            if c.marker.isdigit() and _dated(c.form, words, i):
                c = Cand(c.form + c.marker, c.chan, c.lm_id)  # "tháng6 năm 2020": the month
            choice = self._choice(w, c, conf, post, alts, neighbours, after_lowercase, small)
            choice.evidence = ev
            out.append(choice)
        return out

    def _local_scores(
        self, i: int, col: Sequence[Cand], chosen: list[Cand], caps: list[bool]
    ) -> list[float]:
        """The local score of each candidate of `col` at position i: the channel score, the LM
        terms of the three trigrams that hold position i and the pair bonuses with both
        neighbours, added in that order (compiled, `_lattice.local_scores`: what is the
        same for every candidate, the contexts and the neighbours' bonus tables, is looked
        up once)."""
        return _lattice.local_scores(
            i,
            col,
            chosen,
            caps,
            self.bos,
            self._term_next,
            self._place_next,
            _NO_BONUS,
            self._scores,
        )

    def _posterior(
        self,
        i: int,
        lattice: list[tuple[Cand, ...]],
        chosen: list[Cand],
        caps: list[bool],
        local: list[float] | None = None,
        words: Sequence[str | Cand] = (),
    ) -> tuple[float, float, list[tuple[str, float]], Evidence]:
        """(confidence, posterior, alternatives, evidence) of position i: the posterior of
        the chosen reading among the alternatives given the chosen neighbours, and the
        confidence reported to the reviewer: the probability that the word is right
        (`restore.confidence`) from what is known of it here (`Evidence`), among which
        the share left by a reading the lattice does not hold ("none of these": as likely
        in context as the best candidate, with a channel score of NONE_CHANNEL). `local`:
        the candidates' local scores, when still valid from the local pass; `words`: the
        segment's words (word i is the OCR token)."""
        if local is None:
            local = self._local_scores(i, lattice[i], chosen, caps)
        scores = list(zip(local, lattice[i], strict=True))
        top = max(s for s, _ in scores)
        z = sum(math.exp(s - top) for s, _ in scores)
        probs = sorted(((math.exp(s - top) / z, c) for s, c in scores), key=lambda t: -t[0])
        me = chosen[i]
        mine = next(p for p, c in probs if c is me)
        context = max(sc - c.chan for sc, c in scores)
        none = math.exp(context + NONE_CHANNEL - top)
        alts = [(c.form + (c.marker and f"+{c.marker}"), round(p, 4)) for p, c in probs[:5]]
        given = words[i] if i < len(words) else None
        word = given if isinstance(given, str) else me.form
        ev = Evidence(
            ocr=word[: len(word) - len(me.marker)] if me.marker else word,
            form=me.form,
            kept=me.kept,
            posterior=mine,
            runner_up=(probs[1][0] if len(probs) > 1 else 0.0)
            if probs[0][1] is me
            else probs[0][0],
            none_share=z / (z + none),
            chan=me.chan,
            chan_best=max(c.chan for c in lattice[i]),
            context=next(sc for sc, c in scores if c is me) - me.chan,
            context_best=context,
            candidates=len(scores),
            remembered=me.form in self.memory,
            caps_channel=bool(words) and self._is_caps(words, i),
        )
        return probability(ev), mine, alts, ev

    def _choice(
        self,
        original: str,
        c: Cand,
        conf: float,
        posterior: float,
        alts,
        neighbours: str | None = None,
        after_lowercase: bool = False,
        small: bool = False,
    ) -> Choice:
        if c.kept:  # as written, or with its diaereses read as breves ("Hläk" -> "Hlăk")
            form = c.form if c.form == with_breves(original) else original
        elif not any(ch.isalpha() for ch in original):
            form = c.form
        else:
            stem = original[: len(original) - len(c.marker)] if c.marker else original
            form = _case_like(stem, c.form, neighbours, after_lowercase, small)
        marker = c.marker.translate(TO_SUPERSCRIPT) if c.marker else ""
        return Choice(
            form, marker, c.marker, conf, alts, c.kept, "" if c.kept else c.form, posterior
        )

    def _small_capital(
        self, words: Sequence[str | Cand], chosen: Sequence[Cand], i: int, l_habit: bool = False
    ) -> bool:
        """Word i, going on the sentence of a word in small letters (the next word not
        capitalised: no name of two words), is capitalised only because OCR read a capital
        for a small letter: one of the same shape on a word restoration changed ("V61" for
        "với", "Cung" for "cùng") that the corpus almost never capitalises, or a
        typewriter's l read as L on a word read as itself that makes one word with the word
        before ("quản Lý"), or any such L word less often capitalised than the average word
        where the text reads l so (`l_habit`: "từ đủ, Lên cơn sốt")."""
        w, c = str(words[i]), chosen[i]
        if c.kept or not w[:1].isupper() or not str(words[i - 1]).islower():
            return False
        if i + 1 < len(words) and str(words[i + 1])[:1].isupper():
            return False
        titled = self.titled.get(c.form, 0.0)
        if c.form != w.lower():
            return ortho.strip_marks(w[:1]) in SAME_SHAPE_CAPITALS and titled < RARELY_TITLED
        if w[:1] != "L" or titled >= 0:
            return False
        return l_habit or self.lm.logprob((chosen[i - 1].lm_id,), c.lm_id) >= COLLOCATED

    # ------------------------------------------------------------------ tokens
    def _is_foreign(self, word: str) -> bool:
        w = word.lower()
        if w in ortho.syllable_skeletons():  # could be unaccented Vietnamese: no evidence
            return False
        return w in ENGLISH_FUNCTION_WORDS or (len(w) > 1 and self._id(w) != self.unk)

    def _foreign_words(self, tokens: list[Token]) -> set[int]:
        """Indices of word tokens inside foreign phrases (see FOREIGN_RUN)."""
        found: set[int] = set()
        run: list[int] = []

        def close() -> None:
            if len(run) >= FOREIGN_RUN:
                words = [tokens[i].text.lower() for i in run]
                hits = sum(self._is_foreign(w) for w in words)
                # a function word too: OCR junk of the corpus ("cia", "sd") is not enough
                if 2 * hits >= len(run) and not ENGLISH_FUNCTION_WORDS.isdisjoint(words):
                    found.update(run)
            run.clear()

        for i, t in enumerate(tokens):
            if t.kind == WORD and t.text.isascii() and t.text.isalpha():
                run.append(i)
            elif t.kind != SPACE or "\n" in t.text:
                close()
        close()
        return found

    def _fixed(self, t: Token) -> Cand:
        """A token that is kept but is LM context: numbers and codes -> <num> etc."""
        if any(c.isdigit() for c in t.text):
            return Cand(t.text, 0.0, self.num, kept=True)
        return Cand(t.text, 0.0, self._id(t.text.lower()), kept=True)

    def _fixed_items(self, t: Token) -> list[Cand]:
        """A short abbreviation of slashed small letters as the LM's context reads it in
        the corpus, one item per part ("b/c" -> "b", "c", "t/h", "p/h", "đ/c": "(để b/c)" is
        common there, "b/c" one unknown word is not); any other kept token as one item
        (`_fixed`): a document's number or code ("07/BC-UBND") read as its parts made
        the place name after it worse."""
        parts = lm_tokens(t.text)
        if (t.kind != ABBREV or "/" not in t.text or len(parts) < 2 or not t.text.islower()
                or any(len(p) > SPLIT_PART_CHARS or p == NUM for p in parts)):  # fmt: skip
            return [self._fixed(t)]
        return [Cand(t.text, 0.0, self.num if p == NUM else self._id(p), kept=True)
                for p in parts]  # fmt: skip

    def tokens(self, text: str) -> list[Token]:
        """`text` tokenized with this decoder's abbreviations (`restore.tokenize`), the
        same list for the same text while it is among the last MEMO_TEXTS this decoder or
        its adapted copies read (not to be changed)."""
        memo = self._tokens_memo
        hit = memo.get(text)
        if hit is None:
            hit = tokenize(text, self.dicts.abbreviations)
            if len(memo) >= MEMO_TEXTS:
                memo.clear()
            memo[text] = hit
        return hit

    def _segments(self, tokens: list[Token]) -> list[_Segment]:
        """`_cut_segments` of `tokens`, remembered for the last MEMO_TEXTS token lists (by
        identity): adaptation cuts the text for the names and for its decoding pass, and
        the final pass cuts it again (the segments are not to be changed)."""
        memo = self._segments_memo
        hit = memo.get(id(tokens))
        if hit is not None and hit[0] is tokens:
            return hit[1]
        segments = list(self._cut_segments(tokens))
        if len(memo) >= MEMO_TEXTS:
            memo.clear()
        memo[id(tokens)] = (tokens, segments)
        return segments

    def _cut_segments(self, tokens: list[Token]) -> Iterator[_Segment]:
        """The segments `tokens` are decoded in: (items, token index of each item (-1 for a
        fixed item), positions of the items that open a line or a list item).

        Context follows the LM's tokenization: sentences end at ``. ! ? ; : …`` and at a
        blank line; other punctuation and footnote markers are transparent; numbers and
        codes are context (``<num>``) but are never changed. A line of capitals ends its
        segment where a document's type line follows it (`doc_types.opens_with_type`): the
        header and the type are each a unit ("PHƯỜNG TÂN HIỆP ĐÔNG" over "THÔNG BÁO" was
        read "hiệp đồng thông"); a name or title wrapped over two lines keeps its context.
        """
        seg: list[str | Cand] = []
        where: list[int] = []
        starts: set[int] = set()
        continuing: set[int] = set()  # `_Segment`'s fourth member
        marked = False  # a mark other than a comma (a quote, a bracket) since the last item
        foreign = self._foreign_words(tokens) | _archive_codes(tokens)
        at_line_start = True
        line_upper: bool | None = None  # the line's words so far are capitals (None: none yet)
        above_upper = False  # the line above was a line of capitals

        def cut() -> _Segment | None:
            done = (
                (list(seg), list(where), frozenset(starts), frozenset(continuing))
                if any(w >= 0 for w in where)
                else None
            )
            seg.clear()
            where.clear()
            starts.clear()
            continuing.clear()
            return done

        def push(item: str | Cand, index: int) -> None:
            nonlocal marked, at_line_start
            if at_line_start:
                starts.add(len(seg))
            elif seg and not marked:
                continuing.add(len(seg))
            marked = at_line_start = False
            seg.append(item)
            where.append(index)

        for i, t in enumerate(tokens):
            kind = t.kind
            item: str | Cand | None = None
            index = -1
            if kind == WORD:
                upper = t.text.isupper()
                if (line_upper is None and above_upper and upper
                        and opens_with_type(_line_words(tokens, i))
                        and (done := cut()) is not None):  # fmt: skip
                    yield done
                line_upper = upper if line_upper is None else line_upper and upper
            if kind == WORD and i in foreign:
                item = self._fixed(t)  # kept as written, still LM context
            elif kind == WORD:
                item, index = t.text, i
                glued = self._glued(t.text)
                if glued is not None:  # two items for one token: the first added here
                    push(glued[0], i)
                    item = glued[1]
            elif kind == SPACE:
                if "\n" in t.text:
                    at_line_start = True
                    above_upper, line_upper = bool(line_upper), None
                if t.text.count("\n") >= 2 and (done := cut()) is not None:
                    yield done
                continue
            elif kind == MARKER:
                continue
            elif kind == PUNCT:
                marked = marked or t.text != ","  # a comma goes on the sentence
                if t.text in SENTENCE_END and (done := cut()) is not None:
                    yield done
                continue  # a bullet ("-", "+") keeps a line's start
            elif kind == NUMBER and _GLYPH_WORD.match(t.text):
                item, index = t.text, i  # may be a syllable OCR turned into digits or glyphs
            else:  # number, abbrev
                *before, item = self._fixed_items(t)
                for part in before:
                    push(part, -1)
            push(item, index)
            if len(seg) >= MAX_SEGMENT and (done := cut()) is not None:
                yield done
        if (done := cut()) is not None:
            yield done

    def decode_tokens(
        self, tokens: list[Token], with_alternatives: bool = True, posteriors: bool = False
    ) -> dict[int, Choice]:
        """Choices for the word tokens of `tokens`, keyed by token index (segments as
        `_segments` cuts them; `posteriors`: as `decode_segment`)."""
        out: dict[int, Choice] = {}
        decoder = self._with_spellings(tokens)
        if decoder.case_memory is None and self.channel_name == "vie":
            decoder = decoder.remembering(case_memory([tokens]))
        l_habit = reads_l_as_capital(tokens, self.titled)
        for seg, where, starts, continuing in self._segments(tokens):
            res = decoder.decode_segment(
                seg, with_alternatives, starts, posteriors, continuing, l_habit
            )
            for idx, ch in zip(where, res, strict=True):
                if idx >= 0 and ch is not None:
                    out[idx] = _joined(out[idx], ch) if idx in out else ch
        return out

    def remembering(self, memory: _CaseMemory | None, marked: bool | None = None) -> Decoder:
        """A copy of this decoder with the document's `case_memory` (None: read from each
        token list) and, when given, `marked`: whether the document is marked (`vie`) text
        (`marked_document`). The copy shares the LM and candidate caches (the memory
        re-scores columns after they are made), but an English-model decoder whose
        `marked` changes reads đ otherwise (`_with_d_stroke`): it shares those of its
        twin with the other flag, made once (`run` restores page by page)."""
        base = self
        if marked is not None and marked != self.marked_document:
            twin = self._twin
            if twin is None:
                twin = copy.copy(self)
                twin.marked_document = marked
                if self.channel_name != "vie":
                    twin._cand_cache = {}
                twin._twin = self
                self._twin = twin
            base = twin
        new = copy.copy(base)
        new.case_memory = memory
        new._memory_by_first = {}
        for skeleton, (spelling, times) in (memory or {}).items():
            new._memory_by_first.setdefault(skeleton[0], []).append((skeleton, spelling, times))
        return new

    def _with_spellings(self, tokens: list[Token]) -> Decoder:
        """This decoder, or a copy of it whose capitalised pairs also prefer the way the
        text itself spells them in lowercase: Tesseract's `vie` model reads the marks of
        small letters far better than those of capitals, so a header's "XA THUY" is the
        "xã Thủy" of the text below it (`document_spellings`). The copy shares the
        candidate and LM caches; only its place-pair table differs."""
        if self.channel_name != "vie":
            return self
        spellings = document_spellings(tokens)
        if not spellings:
            return self
        new = copy.copy(self)
        new._place_next = _with_bonuses(
            self._place_next, dict.fromkeys(spellings, SPELLING_BONUS * self.w.place)
        )
        return new

    def _glued(self, word: str) -> tuple[str, str] | None:
        """A token that is two syllables OCR wrote without the space between them
        (`orthography.glued_splits`: "PHÒNG CHỐNG DỊCHVÀ THIÊN TAI", "mongmuôn", "ThịHông"),
        as the two words whose best readings the language model likes best; None for any
        other token. Never a word that is one: one the language model knows ("Lênin",
        "video"), a place's ("Đakrông"), the user's lexicon's; nor, in marked text (the
        `vie` channel), a word without a mark ("taxi", "MoMo", "BaoViet": loanwords and
        brands). Capitals and a capital inside a word, with a mark, are split whenever
        they spell two syllables; other words only where the two readings score above
        the word's own best reading: an English-model OCR writes one syllable in
        two-vowel garble ("trudéng" is "trường", not "trụ đồng")."""
        if self.channel_name == "vie" and word.isascii():
            return None
        splits = ortho.glued_splits(word)
        if not splits:
            return None
        low = ortho.nfc(word).lower()
        if self._id(low) != self.unk or low in self.dicts.place_words or self._kept_word(word):
            return None
        bos = self.bos
        scored = []
        for pair in splits:
            first = self._best_reading(pair[0], (bos,))
            second = self._best_reading(pair[1], (bos, first[1]))
            scored.append((first[0] + second[0], pair))
        score, pair = max(scored)
        camel = pair[0][-1:].islower() and pair[1][:1].isupper()
        if not word.isascii() and (word.isupper() or camel):
            return pair
        return pair if score > self._best_reading(word, (bos,))[0] else None

    def _best_reading(self, token: str, context: tuple[int, ...]) -> tuple[float, int]:
        """The score of `token`'s best reading after `context` on its own (channel + LM), and
        its LM id; (-inf, unknown id) when it has none. The token as written is a reading
        when the language model knows it ("video", "taxi")."""
        lm, weight = self.lm, self.w.lm
        best = (-math.inf, self.unk)
        for c in self.candidates(token):
            if not c.kept or c.lm_id != self.unk:
                best = max(best, (c.chan + weight * lm.logprob(context, c.lm_id), c.lm_id))
        return best

    def _title_flags(self, words: Sequence[str | Cand], line_starts: frozenset[int]) -> list[bool]:
        """Whether each word is a title-case word inside a sentence (`_is_title`), not one
        that opens a line or an item: how a document writes a name ("Mỹ Khê", "Hồ Tây")."""
        return [i not in line_starts and self._is_title(words, i) for i in range(len(words))]

    def name_counts(self, documents: Iterable[list[Token]]) -> dict[tuple[str, ...], int]:
        """How often each name (a run of `_title_flags`, as lowercase OCR words) is written in
        `documents`, for names written twice or more."""
        counts: Counter[tuple[str, ...]] = Counter()
        for tokens in documents:
            for seg, _where, starts, _continuing in self._segments(tokens):
                for a, b in _runs(self._title_flags(seg, starts), 2):
                    counts[tuple(str(w).lower() for w in seg[a:b])] += 1
        return {k: n for k, n in counts.items() if n >= 2}


def reads_l_as_capital(tokens: Sequence[Token], titled: Mapping[str, float]) -> bool:
    """The text reads a typewriter's l as a capital L: L_HABIT_WORDS words at least, inside
    a line, written "Lên", "Lần", "Lịch" right after a word in small letters (or its comma)
    and before one, that the corpus writes capitalised less often than the average word
    (names prior under L_HABIT_PRIOR: no "Lê", "Lâm", "Long"). Correct text has hardly one."""
    seen = 0
    words = [t for t in tokens if t.kind != SPACE or "\n" in t.text]
    if not words:
        return False
    prior = words[0]  # the last word token before the current one
    for before, t, after in zip(words, words[1:], words[2:], strict=False):
        w = t.text
        if before.kind == PUNCT and before.text == ",":
            before = prior  # "mệt mỏi, Lên cơn": the word before the comma
        prior = t if t.kind == WORD else prior
        if (t.kind == WORD and w[:1] == "L" and w[1:].islower() and before.kind == WORD
                and before.text.islower() and after.kind == WORD
                and not after.text[:1].isupper()
                and titled.get(ortho.nfc(w.lower()), 0.0) < L_HABIT_PRIOR):  # fmt: skip
            seen += 1
            if seen >= L_HABIT_WORDS:
                return True
    return False


def document_spellings(tokens: Sequence[Token]) -> set[tuple[str, str]]:
    """The syllable pairs a text writes twice or more in small letters with their marks
    (two word tokens side by side, neither ALL CAPS, both valid syllables, one with a mark
    at least), lowercase: how the document spells its names and terms where the OCR sees
    the marks best. Once is not enough: a name in the signature, read with a wrong mark,
    would otherwise vouch for itself."""
    seen: Counter[tuple[str, str]] = Counter()
    previous = ""
    for t in tokens:
        if t.kind == SPACE and "\n" not in t.text:
            continue
        text = t.text
        word = (
            ortho.normalize_tone_placement(text.lower())
            if t.kind == WORD and not text.isupper() and ortho.is_valid_syllable(text)
            else ""
        )
        if previous and word and not (previous.isascii() and word.isascii()):
            seen[(previous, word)] += 1
        previous = word
    return {pair for pair, n in seen.items() if n >= 2}


def _is_title_word(text: str) -> bool:
    return len(text) >= 2 and text[0].isupper() and text[1:].islower()


def case_memory(token_lists: Iterable[Sequence[Token]]) -> _CaseMemory:
    """The names a document spells with their marks, by skeleton (`name_skeleton` of each
    word -> the syllables): runs of CASE_MEMORY_WORDS title-case words (a line break may
    fall inside a run; anything but a space ends it), each a valid syllable, all but one
    at most with a mark ("Đông Khê Vĩnh", "Phú Lâm", not a "Mac Thi Lan Hương" whose
    marks were lost). Tesseract reads the marks of small letters far better than those of
    capitals, so the document's capitals occurrences of the name take this spelling
    (`Decoder._remembered_names`), as do its title-case ones written otherwise. Where the
    document spells one skeleton several ways, the spelling written most often is
    remembered (with how often), and none on a tie."""
    votes: dict[tuple[str, ...], Counter[tuple[str, ...]]] = {}
    low, high = CASE_MEMORY_WORDS

    def close(run: list[str]) -> None:
        if low <= len(run) <= high:
            spelling = tuple(ortho.normalize_tone_placement(w.lower()) for w in run)
            marked = sum(_has_vowel_mark(w) for w in spelling)
            if marked >= max(1, len(spelling) - 1):
                skeleton = tuple(name_skeleton(w) for w in run)
                votes.setdefault(skeleton, Counter())[spelling] += 1
        run.clear()

    for tokens in token_lists:
        run: list[str] = []
        for t in tokens:
            if t.kind == SPACE and t.text.count("\n") < 2:
                continue
            text = ortho.nfc(t.text)
            if t.kind == WORD and _is_title_word(text) and ortho.is_valid_syllable(text):
                run.append(text)
            else:
                close(run)
        close(run)
    out: _CaseMemory = {}
    for skeleton, counts in votes.items():
        ranked = counts.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            out[skeleton] = ranked[0]
    return out


def _runs(flags: Sequence[bool], shortest: int = 1) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive true `flags`, `shortest` long at least."""
    out: list[tuple[int, int]] = []
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= shortest:
                out.append((start, i))
            start = None
    return out


def _as_marks_lost(token: str, col: _Column) -> _Column:
    """`col` read as a word whose marks were lost: every syllable spelled with the token's
    letters (any marks) scores as well as the best of them, so the name prior and the
    context choose among them."""
    skeleton = name_skeleton(token)
    same = [c.chan for c in col.cands if not c.kept and name_skeleton(c.form) == skeleton]
    if not same:
        return col
    best = max([*same, *(c.chan for c in col.cands if c.kept)])
    return _Column.of(
        [
            _with_chan(c, best) if not c.kept and name_skeleton(c.form) == skeleton else c
            for c in col.cands
        ]
    )


def _unstacked(low: str) -> list[str]:
    """The valid syllables `low` reads as with one of two neighbouring copies of a vowel
    removed, where one of them carries a mark ("khêế" -> "khế", "khê"); [] for most
    (`orthography.stacked_vowels`)."""
    if ortho.is_valid_syllable(low):
        return []
    out: list[str] = []
    for i in ortho.stacked_vowels(low):
        for cut in (low[:i] + low[i + 1 :], low[: i + 1] + low[i + 2 :]):
            placed = ortho.normalize_tone_placement(cut)
            if ortho.is_valid_syllable(cut) and placed not in out:
                out.append(placed)
    return out


def _archive_codes(tokens: list[Token]) -> set[int]:
    """Indices of the ALL-CAPS words on the recipients' filing line, opened by "Lưu" after
    a dash or before a colon ("- Lưu: VT, CAP, BQLC.", "- Lưu VP."): the codes of the
    offices that file the document, none a word to restore ("CAP" read as "CẤP"). A line
    "LƯU Ý ..." or "LƯU VỰC ..." is no filing line."""
    found: set[int] = set()
    opening, bulleted, filing = True, False, False
    for i, t in enumerate(tokens):
        if t.kind == SPACE:
            if "\n" in t.text:
                opening, bulleted, filing = True, False, False
            continue
        if t.kind != WORD:
            bulleted = bulleted or (opening and t.text in ("-", "+", "–"))
            continue
        if opening:
            k = i + 1
            while k < len(tokens) and tokens[k].kind == SPACE:
                k += 1
            colon = k < len(tokens) and tokens[k].text.startswith(":")
            filing = ortho.nfc(t.text).lower() in filing_line.LABEL_WORDS and (bulleted or colon)
        elif filing and len(t.text) >= 2 and t.text.isupper():
            found.add(i)
        opening = False
    return found


def _has_vowel_mark(word: str) -> bool:
    """`word` carries a tone or vowel mark (đ, a consonant, does not count)."""
    plain = word.replace("Đ", "D").replace("đ", "d")
    return ortho.strip_marks(plain) != plain


def _chosen_posterior(local: Sequence[float], col: Sequence[Cand], me: Cand) -> float:
    """The posterior of `me` among the candidates `col` by their local scores `local`:
    the posterior `Decoder._posterior` reports, the same arithmetic in the same order, so
    the same float, without the alternatives, the evidence and the confidence."""
    top = max(local)
    z = sum(math.exp(s - top) for s in local)
    return next(math.exp(s - top) / z for s, c in zip(local, col, strict=True) if c is me)


def _joined(first: Choice, second: Choice) -> Choice:
    """One token's choice from the readings of its two glued words (`Decoder._glued`)."""
    alternatives = [
        (f"{a} {b}", round(p * q, 4))
        for a, p in first.alternatives[:2]
        for b, q in second.alternatives[:2]
    ]
    alternatives.sort(key=lambda t: -t[1])
    return Choice(
        f"{first.form} {second.form}",
        second.marker,
        second.marker_original,
        min(first.confidence, second.confidence),
        alternatives,
        False,
        f"{first.syllable} {second.syllable}",
        first.posterior * second.posterior,
        first.evidence,
    )


def _with_bonuses(
    table: dict[str, dict[str, float]], extra: dict[tuple[str, str], float]
) -> dict[str, dict[str, float]]:
    """A copy of a pair-bonus table ({first: {second: bonus}}) with the `extra` pairs'
    bonuses, the larger where it has the pair already; the rows `extra` does not touch
    are shared with `table`, which stays as it was."""
    out = dict(table)
    copied: set[str] = set()
    for (a, b), bonus in extra.items():
        if a not in copied:
            out[a] = dict(out.get(a, _NO_BONUS))
            copied.add(a)
        row = out[a]
        row[b] = max(row.get(b, 0.0), bonus)
    return out


def _successors(pairs: dict[tuple[str, str], float], scale: float) -> dict[str, dict[str, float]]:
    """{first syllable: {second syllable: bonus}} for the decoder's inner loop."""
    out: dict[str, dict[str, float]] = {}
    if scale:
        for (a, b), w in pairs.items():
            out.setdefault(a, {})[b] = w * scale
    return out


def _score_cache(lm: LMLike, weight: float) -> _lattice.ScoreCache:
    """The cache of weighted trigram scores for `lm`: filled from the model's own tables
    when it has them (an `NgramLM`: no Python call per scored pair), else from its
    `logprob`."""
    tables = getattr(lm, "trigram_tables", None)
    source = tables() if tables is not None else None
    if source is None:
        source = lambda a, b, c: lm.logprob((a, b), c)  # noqa: E731
    return _lattice.ScoreCache(weight, CACHE_LIMIT * 5, source)


def _special_id(lm: LMLike, token: str, default: int, attrs: tuple[str, ...] = ()) -> int:
    """The LM id of a special token: an int attribute named in `attrs` if the LM has one,
    else its vocabulary id, else `default`."""
    for name in attrs:
        v = getattr(lm, name, None)
        if isinstance(v, int):
            return v
    v = lm.vocab_id(token)
    return default if v is None else v


def build_decoder(
    channel: str,
    load_channel: Callable[[str], ChannelLike],
    load_lm: Callable[[], LMLike],
    dictionaries: Dictionaries,
    weights: Weights | None = None,
    load_caps_channel: Callable[[str], ChannelLike | None] | None = None,
    caps_weights: Weights | None = None,
) -> Decoder:
    """A Decoder for `channel`; ALL-CAPS tokens get the caps channel when
    `load_caps_channel` finds one for it (with `caps_weights` or the default)."""
    caps = load_caps_channel(channel) if load_caps_channel is not None else None
    base = weights or DEFAULT_WEIGHTS.get(channel, Weights())
    from ocr_pipeline.restore.capitalised import load_capitalised
    from ocr_pipeline.restore.person_names import load_name_prior

    return Decoder(
        load_channel(channel),
        load_lm(),
        dictionaries,
        base,
        caps,
        (caps_weights or DEFAULT_CAPS_WEIGHTS.get(channel, base)) if caps else None,
        channel_name=channel,
        titled=load_capitalised(),
        person_prior=load_name_prior(),
    )


__all__ = [
    "Cand",
    "Choice",
    "Decoder",
    "Weights",
    "DEFAULT_WEIGHTS",
    "DEFAULT_CAPS_WEIGHTS",
    "MARKER",
    "build_decoder",
    "case_memory",
]


def _line_words(tokens: list[Token], i: int) -> list[str]:
    """The words of the line from token i on (up to `doc_types.MAX_TYPE_WORDS`)."""
    out: list[str] = []
    for t in tokens[i:]:
        if t.kind == SPACE and "\n" in t.text or len(out) == MAX_TYPE_WORDS:
            break
        if t.kind == WORD:
            out.append(t.text)
    return out


@lru_cache(maxsize=1 << 16)
def _one_deletion(skeleton: str) -> tuple[str, ...]:
    """`skeleton` and every string made by deleting one of its letters (none empty: a
    one-letter token's would fit every word of vowels only)."""
    deletions = {skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton))} - {""}
    return (skeleton, *deletions)


def _tone_only_apart(written: str, remembered: str) -> bool:
    """A word the page writes with a tone mark, that the remembered spelling writes with
    another tone on the same letters ("HÒA" beside a remembered "Hoa", "HẠ" beside "Hà"):
    another name, or another word, not a misread; left as written."""
    return (
        written != remembered
        and ortho.tone_of(written) != 0
        and ortho.strip_tone(written) == ortho.strip_tone(remembered)
    )
