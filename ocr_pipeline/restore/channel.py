"""Noisy-channel model: which Vietnamese syllables an OCR token could be, log P(ocr | syllable).

The channel is learned from real (source text, Tesseract output) pairs by
scripts/make_ocr_pairs.py and scripts/build_confusion.py and stored as small TSV tables in
ocr_pipeline/data/confusion_{eng,vie}.tsv (one per Tesseract model: ``eng`` reproduces the
legacy archives, ``vie`` is what the pipeline's own OCR produces).

Each source character emits an OCR string of 0, 1 or 2 characters ("ô"->"6", "ư"->"u'",
"m"->"rn", "ủ"->"" ...), and between characters the OCR may insert stray characters.
``Channel.logprob`` is the best (Viterbi) alignment score under those learned costs, and
``Channel.candidates`` returns the k valid syllables that best explain an OCR token.
Everything is casefolded NFC; the decoder re-applies case and adds the language-model prior.

Reach: an archive's OCR makes confusions our tables give almost no probability ("nhén"
for "nhân", "vt" for "vật"), so any vowel may be read as any vowel-like glyph, or dropped,
at a floor of REACH_LOGP, and the candidate search may take one such step per token.
``Channel.adapted`` re-estimates the tables from one document's confident readings
(restore/adapt.py), with these tables as the prior.

Table format (TSV, header ``source, ocr, count, logprob``; ``<eps>`` is the empty string):
  ``c  o``          log P(o | c) for a source character c and an OCR string o
  ``c  <eps>``      log P(c deleted)
  ``c  <other>``    log P(o | c) for each single character o not listed for c
  ``<eps>  o``      log of inserting o at one gap (includes the insertion rate)
  ``<eps>  <other>``  same, for a character not listed
  ``<eps>  <eps>``  log P(no insertion at a gap)
"""

from __future__ import annotations

import logging
import math
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from operator import itemgetter
from pathlib import Path

from ocr_pipeline.restore import _channel_search as _compiled
from ocr_pipeline.restore.tokenize import GLYPHS

log = logging.getLogger(__name__)

EPS = "<eps>"
OTHER = "<other>"

# Costs used for characters the table does not know at all.
_UNKNOWN_SOURCE_SELF = math.log(0.8)
_UNKNOWN_SOURCE_OTHER = math.log(1e-5)
_UNKNOWN_TWO_CHAR = math.log(1e-8)
_UNKNOWN = (_UNKNOWN_SOURCE_SELF, _UNKNOWN_SOURCE_OTHER, _UNKNOWN_TWO_CHAR)
# the compiled alignment's first arguments: the OCR string's characters, its two-character
# substrings, their insertion costs, then the channel's tables (`Channel._alignment_args`)
_AlignArgs = tuple[
    tuple[str, ...],
    tuple[str, ...],
    tuple[float, ...],
    dict[str, dict[str, float]],
    dict[str, float],
    tuple[float, float, float],
    float,
]
# Candidate search limits.
_INV_MIN_LOGP = math.log(2e-3)  # reverse confusions weaker than this are not explored
_SEARCH_MARGIN = 10.0  # nats below the best complete hypothesis still explored
_MAX_SKELETONS = 10  # best-first: stop after this many distinct skeletons
_MAX_EXPANSIONS = 3000
_MAX_DELETIONS = 1
_MAX_INSERTIONS = 2
_MAX_WILDCARDS = 1
_WILDCARD_WHEN = 4.0  # retry with a wildcard when the best path is worse than wildcard + this
_SKELETON_LETTERS = "abcdeghiklmnopqrstuvxy"
_WILDCARD_LETTERS = frozenset(_SKELETON_LETTERS)
_PRIOR_WEIGHT = 0.3  # ranking only: small unigram prior so rare syllables don't crowd the top-k
# Reach: a vowel read as another vowel the table has (almost) never seen ("nhén" for "nhân",
# "cic" for "các") is still explored, once per token, at this floor cost; per-document
# adaptation (restore/adapt.py) then raises what the document shows it does.
REACH_LOGP = math.log(1e-4)
_MAX_REACH = 1
_SKELETON_VOWELS = "aeiouy"
_GLYPHS = frozenset(GLYPHS)  # OCR glyphs that stand for marked letters ("&" for "ở")
# glyphs shaped like a consonant, reached like a vowel's lookalikes ("¢6" for "có")
CONSONANT_LOOKALIKES = {"¢": "c", "$": "s", "§": "s", "5": "s"}
# digits shaped like a marked vowel, reached like the vowels' own lookalikes: legacy OCR
# reads "ã", "à" as "3" ("x3" for "xã", "13" for "là") and "ệ" as "8" ("18" for "lệ")
VOWEL_LOOKALIKE_DIGITS = frozenset("38")
# two glyphs shaped like one letter, which no Vietnamese syllable writes side by side: "rn"
# is an "m" (a classic misread: "nărn", "larn" for "năm", "làm"), at least this likely
REACH_PAIRS = {"rn": "m"}
PAIR_LOGP = math.log(5e-3)

# ocr_pipeline/dictionaries links to the repository's dictionaries/ and is a real folder in a wheel
_REPO_SYLLABLES = Path(__file__).resolve().parents[1] / "dictionaries" / "syllables.tsv"


def normalize(text: str) -> str:
    """NFC + casefold, the typewriter apostrophe as the typographic one OCR mostly writes
    ("u’" for ư, "o’" for ơ): the form every channel computation works on."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return folded.replace("'", "’")


def _one_apostrophe(row: Mapping[str, float]) -> dict[str, float]:
    """A table row's OCR strings written with `normalize`'s apostrophe, the probabilities
    of two strings that become one added ("u'" and "u’" for ư)."""
    out: dict[str, float] = {}
    for ocr, lp in row.items():
        key = ocr.replace("'", "’")
        if key in out:
            hi, lo = max(out[key], lp), min(out[key], lp)
            lp = hi + math.log1p(math.exp(lo - hi)) if lo > -math.inf else hi
        out[key] = lp
    return out


@lru_cache(maxsize=4096)
def skeleton_char(ch: str) -> str:
    """Base letter of one character: marks removed, đ -> d ("ộ" -> "o")."""
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base or ch


def skeleton(text: str) -> str:
    """ASCII-ish skeleton of a (casefolded NFC) string, one char per char."""
    return "".join(skeleton_char(c) for c in text)


@lru_cache(maxsize=1 << 16)
def consonant_skeleton(text: str) -> str:
    """The skeleton of `text` without its vowels ("đầu" -> "d", "dén" -> "dn"); digits and
    glyphs stay (they may stand for consonants or vowels alike)."""
    return "".join(c for c in skeleton(normalize(text)) if c not in _SKELETON_VOWELS)


@dataclass
class Channel:
    """A learned OCR channel. Build with load_channel(); tables are read-only after load."""

    name: str
    emit: dict[str, dict[str, float]]
    other: dict[str, float]
    insert: dict[str, float]
    insert_other: float
    no_insert: float
    reach: bool = True  # explore (and floor) vowel readings the table has not seen
    _vocab: dict[str, int] | None = field(default=None, repr=False)
    _index: dict[str, list[tuple[str, float]]] | None = field(default=None, repr=False)
    _trie: _SkeletonTrie | None = field(default=None, repr=False)
    _inv: dict[str, list[tuple[str, float]]] | None = field(default=None, repr=False)
    _dels: list[tuple[str, float]] | None = field(default=None, repr=False)
    _reach: dict[str, list[tuple[str, float]]] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"Channel({self.name!r}, {len(self.emit)} source characters)"

    def __hash__(self) -> int:  # identity: a channel is a long-lived table, not a value
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    # ------------------------------------------------------------------ scoring
    def _emit_cost(self, c: str, o: str) -> float:
        row = self.emit.get(c)
        if row is None:
            if not o:
                return _UNKNOWN_SOURCE_OTHER
            if len(o) == 1:
                return _UNKNOWN_SOURCE_SELF if o == c else _UNKNOWN_SOURCE_OTHER
            return _UNKNOWN_TWO_CHAR
        lp = row.get(o)
        if lp is not None:
            return lp
        if len(o) == 1:
            return self.other.get(c, _UNKNOWN_SOURCE_OTHER)
        return -math.inf

    def emission(self, c: str, o: str) -> float:
        """log P(o | c) for one source character and an OCR string of 0-2 characters."""
        return self._emit_cost(c, o)

    def _insert_cost(self, o: str) -> float:
        return self.insert.get(o, self.insert_other)

    def __post_init__(self) -> None:
        # OCR strings as `normalize` writes them, the tokens scored against them
        if any("'" in o for row in (*self.emit.values(), self.insert) for o in row):
            self.emit = {c: _one_apostrophe(row) for c, row in self.emit.items()}
            self.insert = _one_apostrophe(self.insert)
        # caches of this channel only (class-level lru_caches on methods would keep every
        # per-document adapted channel alive and push the shared channel's entries out)
        self._insert_costs = lru_cache(maxsize=100_000)(self._insert_costs_of)
        self._logprob = lru_cache(maxsize=200_000)(self._logprob_of)
        self._candidates = lru_cache(maxsize=100_000)(self._candidates_of)
        # OCR string (1 or 2 characters) -> its reverse confusions as (trie letter, log
        # probability) and the bitmask of those letters: the compiled search's input
        self._options: dict[str, tuple[tuple[tuple[int, float], ...], int]] = {}
        # the compiled search's input for one OCR character (and the one after it, "" at the
        # end of a token): the same for every token that has it (`_search_skeletons`)
        self._steps: dict[tuple[str, str], tuple] = {}
        # the search's arguments that no token changes: the trie, deletions, limits
        self._search_fixed: tuple | None = None

    def clear_caches(self) -> None:
        """Forget every cached score and candidate list, and the search's per-character
        steps (benchmarks of cold decoding)."""
        for cached in (self._insert_costs, self._logprob, self._candidates):
            cached.cache_clear()
        self._options.clear()
        self._steps.clear()

    def _insert_costs_of(self, ocr: str) -> tuple[float, ...]:
        """Insertion cost of each OCR character (shared by the ~20 syllables scored per token)."""
        return tuple(self._insert_cost(o) for o in ocr)

    def logprob(self, ocr: str, syllable: str) -> float:
        """log P(ocr | syllable): best alignment of the syllable's characters to the OCR string.

        Each syllable character emits 0, 1 or 2 OCR characters; OCR characters may also be
        inserted between them. Both strings are casefolded and NFC-normalised first.
        """
        return self._logprob(normalize(ocr), normalize(syllable))

    def _logprob_of(self, ocr: str, syl: str) -> float:
        return self._dp_score(_ocr_parts(ocr), syl)

    def _dp_score(self, parts: tuple[tuple[str, ...], tuple[str, ...], str], syl: str) -> float:
        """`logprob` of the OCR string split by `_ocr_parts` (the compiled alignment)."""
        return _compiled.dp_score(*self._alignment_args(parts), syl)

    def _alignment_args(self, parts: tuple[tuple[str, ...], tuple[str, ...], str]) -> _AlignArgs:
        """The compiled alignment's first arguments: the OCR string and the tables."""
        chars, pairs, ocr = parts
        ins = self._insert_costs(ocr)
        return (chars, pairs, ins, self.emit, self.other, _UNKNOWN, self.no_insert)

    def align(self, ocr: str, syllable: str) -> list[tuple[str, str]]:
        """The best alignment behind logprob(): [(source char or "", OCR string or "")...].

        ("", o) is an insertion, (c, "") a deletion; used to re-estimate the tables. The
        programme is compiled (`_channel_search.align`): ties go to an insertion, then to
        emitting 0, 1 or 2 OCR characters.
        """
        return _compiled.align(
            normalize(ocr),
            normalize(syllable),
            self.emit,
            self.other,
            self.insert,
            self.insert_other,
            _UNKNOWN,
        )

    # --------------------------------------------------------------- adaptation
    def adapted(
        self, pairs: Mapping[tuple[str, str], int], strength: float, name: str | None = None
    ) -> Channel:
        """A channel re-estimated from (OCR token, syllable) pairs with their counts.

        Each pair is aligned under this channel; the character confusions counted are mixed
        with this channel's probabilities as a Dirichlet prior of `strength` pseudo-counts
        per source character (MAP): a confusion the document shows often gains, one it
        never shows keeps its prior weight diluted. The vocabulary index is shared.
        """
        counts: dict[str, dict[str, int]] = {}
        inserted: dict[str, int] = {}
        gaps = 0
        for (ocr, syl), n in pairs.items():
            gaps += n * (len(syl) + 1)
            for c, o in self.align(ocr, syl):
                if c:
                    row = counts.setdefault(c, {})
                    row[o] = row.get(o, 0) + n
                else:
                    inserted[o] = inserted.get(o, 0) + n
        emit = dict(self.emit)
        other = dict(self.other)
        for c, row_counts in counts.items():
            total = sum(row_counts.values())
            prior = self.emit.get(c, {})
            oth = self.other.get(c, _UNKNOWN_SOURCE_OTHER)
            z = total + strength
            new_row = {o: math.log(strength * math.exp(lp) / z) for o, lp in prior.items()}
            for o, n in row_counts.items():
                p0 = (
                    math.exp(prior[o])
                    if o in prior
                    else (math.exp(oth) if len(o) == 1 else math.exp(_UNKNOWN_TWO_CHAR))
                )
                new_row[o] = math.log((n + strength * p0) / z)
            emit[c] = new_row
            other[c] = math.log(strength * math.exp(oth) / z)
        insert = dict(self.insert)
        if inserted:
            z = gaps + strength * 10
            for o, n in inserted.items():
                p0 = math.exp(self._insert_cost(o))
                insert[o] = max(insert.get(o, -math.inf), math.log((n + strength * 10 * p0) / z))
        if self.reach:
            _add_reach_floor(emit, other)
        out = Channel(
            name=name or f"{self.name}+adapted",
            emit=emit,
            other=other,
            insert=insert,
            insert_other=self.insert_other,
            no_insert=self.no_insert,
            reach=self.reach,
        )
        self._ensure_vocabulary()
        out._vocab, out._index, out._trie = self._vocab, self._index, self._trie
        return out

    # --------------------------------------------------------------- vocabulary
    def set_vocabulary(self, syllables: Mapping[str, int] | Iterable[str]) -> None:
        """Use these syllables (optionally with corpus counts) as the candidate inventory."""
        self._use_vocabulary(*_vocabulary_tables(syllables))

    def _use_vocabulary(
        self,
        vocab: dict[str, int],
        index: dict[str, list[tuple[str, float]]],
        trie: _SkeletonTrie,
    ) -> None:
        self._vocab, self._index, self._trie = vocab, index, trie
        self._options.clear()
        self._steps.clear()
        self._search_fixed = None
        self._candidates.cache_clear()

    def _ensure_vocabulary(self) -> None:
        if self._index is None:
            # the default inventory's index and trie, built once for every channel
            self._use_vocabulary(*_default_vocabulary_tables())

    def _ensure_inverse(self) -> None:
        """Reverse confusions: OCR string -> skeleton letters it may come from, with cost."""
        if self._inv is not None:
            return
        inv: dict[str, dict[str, float]] = {}
        dels: dict[str, float] = {}
        for c, row in self.emit.items():
            if not c.isalpha():
                continue
            b = skeleton_char(c)
            for o, lp in row.items():
                if lp < _INV_MIN_LOGP:
                    continue
                if o == "":
                    dels[b] = max(dels.get(b, -math.inf), lp)
                else:
                    d = inv.setdefault(o, {})
                    d[b] = max(d.get(b, -math.inf), lp)
            if c in row:  # always explore reading a letter as itself, however unlikely
                d = inv.setdefault(c, {})
                d[b] = max(d.get(b, -math.inf), row[c])
        self._inv = {o: sorted(d.items(), key=lambda t: -t[1]) for o, d in inv.items()}
        self._dels = sorted(dels.items(), key=lambda t: -t[1])
        reach: dict[str, list[tuple[str, float]]] = {}
        for o in _vowel_like_ocr(self.emit):
            known = {b for b, _ in self._inv.get(o, ())}
            reach[o] = [(b, REACH_LOGP) for b in _SKELETON_VOWELS if b not in known]
        for o, b in CONSONANT_LOOKALIKES.items():
            if b not in {k for k, _ in self._inv.get(o, ())}:
                reach.setdefault(o, []).append((b, REACH_LOGP))
        self._reach = reach if self.reach else {}

    # --------------------------------------------------------------- candidates
    def candidates(self, token: str, k: int = 8) -> list[tuple[str, float]]:
        """The k valid syllables that best explain an OCR token, as (syllable, log P(token|syl)).

        Casefolded and deterministic. The token itself is included when it is a syllable of
        the vocabulary. Scores are channel-only (the decoder adds the LM prior), but which k
        are kept, and their order, use channel + 0.3 * log unigram frequency so that rare
        syllables with the same skeleton do not crowd out common ones. Tokens without
        letters or digits give [].
        """
        return list(self._candidates(normalize(token), k))

    def _candidates_of(self, tok: str, k: int) -> tuple[tuple[str, float], ...]:
        self._ensure_vocabulary()
        self._ensure_inverse()
        assert self._index is not None and self._vocab is not None
        if k <= 0 or not any(c.isalnum() or c in _GLYPHS for c in tok):
            return ()
        skels = self._search_skeletons(tok, 0)
        wild = self.other.get("a", _UNKNOWN_SOURCE_OTHER)
        if not skels or skels[0][1] < wild + _WILDCARD_WHEN:
            # nothing explains the token well: allow one arbitrary misreading (slower)
            skels = self._search_skeletons(tok, _MAX_WILDCARDS)
        # each skeleton's syllables scored (compiled): `bound` (the skeleton's best path)
        # bounds its syllables' scores, so once k candidates rank above it the remaining
        # skeletons cannot enter the top k, nor the rest of a skeleton's syllables (by
        # falling prior) once one of them cannot; the k best by rank, then by syllable
        # (each syllable is found once), and the token's own score if it was scored
        own = tok if tok in self._vocab else None
        top, score = _compiled.rank(
            *self._alignment_args(_ocr_parts(tok)), skels, self._index, k, _PRIOR_WEIGHT, own
        )
        if own is not None and all(syl != tok for syl, _score in top):
            top = top[: k - 1] + [(tok, self._logprob(tok, tok) if score is None else score)]
        return tuple(top)

    def _search_skeletons(self, tok: str, max_wild: int) -> list[tuple[str, float]]:
        """Best-first search of vocabulary skeletons the token could be a rendering of.

        Returns (skeleton, cost of its best path) pairs, best first; `max_wild` arbitrary
        substitutions (not in the learned reverse table) are allowed. The search itself is
        compiled (`_channel_search.search`): a state is (OCR characters read, skeleton
        prefix, deletions, insertions, wildcards and reaches used); from each state it
        reads the next OCR character (or two) as a skeleton letter the reverse table
        gives, as any vowel once per token (reach), as an arbitrary letter (wildcard), as
        an insertion, or deletes a letter (any vowel, as the token's reach step); only
        prefixes of vocabulary skeletons are states, and states more than _SEARCH_MARGIN
        below the best complete skeleton are not explored.
        """
        fixed = self._search_fixed
        if fixed is None:
            fixed = self._search_fixed = self._search_tables()
        trie, dels, reach_dels, wild, limits = fixed
        step = self._step
        m = len(tok)
        steps = [step(tok[j], tok[j + 1] if j + 1 < m else "") for j in range(m)]
        found = _compiled.search(
            trie.children,
            len(trie.letters),
            trie.is_word,
            steps,
            dels,
            reach_dels,
            trie.wild_mask,
            wild,
            (max_wild, *limits),
        )
        # add the per-gap "no insertion" term that logprob() adds, so costs compare
        nodes = trie.nodes
        no_insert = self.no_insert
        out = [(nodes[i], c + (len(nodes[i]) + 1) * no_insert) for i, c in found]
        out.sort(key=itemgetter(1), reverse=True)  # stable: equals keep the search's order
        return out

    def _search_tables(self) -> tuple:
        """The compiled search's arguments that are the same for every token: the trie,
        the deletion options, the deletions that take the token's reach step (a vowel the
        OCR dropped, "vt" for "vật"), the cost of a typical unseen substitution and the
        limits after the number of wildcards."""
        assert self._dels is not None and self._trie is not None
        trie = self._trie
        letter = trie.letter
        return (
            trie,
            [(letter.get(b, -1), lp) for b, lp in self._dels],
            [(letter.get(b, -1), REACH_LOGP) for b in _SKELETON_VOWELS] if self._reach else [],
            self.other.get("a", _UNKNOWN_SOURCE_OTHER),
            (
                _MAX_DELETIONS,
                _MAX_INSERTIONS,
                _MAX_REACH,
                _SEARCH_MARGIN,
                _MAX_SKELETONS,
                _MAX_EXPANSIONS,
            ),
        )

    def _step(self, o1: str, o2: str) -> tuple:
        """The compiled search's step for OCR character `o1` followed by `o2` ("": the
        token ends): its reverse confusions, its reach readings, the bitmask of the
        letters those name, the reverse confusions of the pair and its insertion cost."""
        key = (o1, o2)
        hit = self._steps.get(key)
        if hit is None:
            assert self._trie is not None
            letter = self._trie.letter
            opts, known = self._letter_options(o1)
            hit = self._steps[key] = (
                opts,
                [(letter.get(b, -1), lp) for b, lp in (self._reach or {}).get(o1, ())],
                known,
                self._letter_options(o1 + o2)[0] if o2 else (),
                self._insert_cost(o1),
            )
        return hit

    def _letter_options(self, ocr: str) -> tuple[tuple[tuple[int, float], ...], int]:
        """The reverse confusions of an OCR string as (trie letter, log probability), and
        the bitmask of the letters they name (cached)."""
        hit = self._options.get(ocr)
        if hit is None:
            assert self._inv is not None and self._trie is not None
            letter = self._trie.letter
            opts = tuple((letter.get(b, -1), lp) for b, lp in self._inv.get(ocr, ()))
            mask = 0
            for i, _lp in opts:
                if i >= 0:
                    mask |= 1 << i
            hit = self._options[ocr] = (opts, mask)
        return hit


@dataclass(frozen=True)
class _SkeletonTrie:
    """The vocabulary's skeletons as a trie, in the form the compiled search reads: nodes
    are the skeletons' prefixes numbered in sorted order (node 0 is the empty prefix),
    `children[node * len(letters) + letter]` the longer prefix (-1: none)."""

    nodes: tuple[str, ...]
    letters: str
    letter: dict[str, int]
    children: bytes  # int32 per (node, letter)
    is_word: bytes  # 1 per node that is a whole skeleton
    wild_mask: int  # letters an arbitrary misreading may give (_WILDCARD_LETTERS)

    @classmethod
    def of(cls, index: Mapping[str, object]) -> _SkeletonTrie:
        nodes = sorted({k[:i] for k in index for i in range(len(k) + 1)})
        letters = "".join(sorted({ch for k in index for ch in k}))
        if len(letters) > 64:
            raise ValueError(f"{len(letters)} skeleton letters: the search handles 64 at most")
        letter = {ch: i for i, ch in enumerate(letters)}
        node = {p: i for i, p in enumerate(nodes)}
        children = array("i", [-1]) * (len(nodes) * len(letters))
        for p, i in node.items():
            if p:
                children[node[p[:-1]] * len(letters) + letter[p[-1]]] = i
        wild = sum(1 << i for ch, i in letter.items() if ch in _WILDCARD_LETTERS)
        is_word = bytes(p in index for p in nodes)
        return cls(tuple(nodes), letters, letter, children.tobytes(), is_word, wild)


def _vocabulary_tables(
    syllables: Mapping[str, int] | Iterable[str],
) -> tuple[dict[str, int], dict[str, list[tuple[str, float]]], _SkeletonTrie]:
    """The candidate inventory as the search reads it: {syllable: count} (normalised),
    {skeleton: [(syllable, log prior)] by falling prior} and the skeletons' trie."""
    if isinstance(syllables, Mapping):
        counted = {normalize(s): int(c) for s, c in syllables.items()}
    else:
        counted = {normalize(s): 1 for s in syllables}
    vocab = {s: c for s, c in counted.items() if s}
    total = sum(vocab.values()) + len(vocab)
    index: dict[str, list[tuple[str, float]]] = {}
    for s, c in vocab.items():
        index.setdefault(skeleton(s), []).append((s, math.log((c + 1) / total)))
    for lst in index.values():
        lst.sort(key=lambda t: -t[1])
    return vocab, index, _SkeletonTrie.of(index)


@lru_cache(maxsize=1)
def _default_vocabulary_tables() -> tuple[
    dict[str, int], dict[str, list[tuple[str, float]]], _SkeletonTrie
]:
    """`_vocabulary_tables` of `default_vocabulary()`, shared by every channel (read-only)."""
    return _vocabulary_tables(default_vocabulary())


def _ocr_parts(ocr: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """An OCR string as the compiled alignment reads it: its characters, its two-character
    substrings, and the string itself."""
    return tuple(ocr), tuple(ocr[j : j + 2] for j in range(len(ocr) - 1)), ocr


def _vowel_like_ocr(emit: Mapping[str, Mapping[str, float]]) -> frozenset[str]:
    """Single OCR characters that stand for a vowel: letters whose base is a vowel ("é",
    "ö", "y"), glyphs the table has seen emitted for a vowel ("6" for "ô", "&" for "ơ")
    and the digits shaped like one (`VOWEL_LOOKALIKE_DIGITS`)."""
    out = {o for row in emit.values() for o in row if len(o) == 1}
    out.update("aeiouy")
    vowel_sources = {c for c in emit if skeleton_char(c) in _SKELETON_VOWELS}
    glyphs = {
        o
        for c in vowel_sources
        for o, lp in emit[c].items()
        if len(o) == 1 and not o.isalpha() and lp >= _INV_MIN_LOGP
    }
    vowels = frozenset(o for o in out if skeleton_char(o) in _SKELETON_VOWELS)
    return vowels | glyphs | VOWEL_LOOKALIKE_DIGITS


def _parse_field(text: str) -> str:
    return "" if text == EPS else text


def parse_table(name: str, text: str, reach: bool = True) -> Channel:
    """Build a Channel from the TSV text of a confusion table (`reach`: see the module
    docstring)."""
    emit: dict[str, dict[str, float]] = {}
    other: dict[str, float] = {}
    insert: dict[str, float] = {}
    insert_other = math.log(1e-6)
    no_insert = 0.0
    lines = text.splitlines()
    if not lines or lines[0].split("\t")[:4] != ["source", "ocr", "count", "logprob"]:
        raise ValueError(f"confusion table {name!r}: missing header 'source ocr count logprob'")
    for ln in lines[1:]:
        if not ln or ln.startswith("#"):
            continue
        src, ocr, _count, lp_text = ln.split("\t")[:4]
        lp = float(lp_text)
        if src == EPS:
            if ocr == EPS:
                no_insert = lp
            elif ocr == OTHER:
                insert_other = lp
            else:
                insert[ocr] = lp
        elif ocr == OTHER:
            other[src] = lp
        else:
            emit.setdefault(src, {})[_parse_field(ocr)] = lp
    if reach:
        _add_reach_floor(emit, other)
    return Channel(
        name=name,
        emit=emit,
        other=other,
        insert=insert,
        insert_other=insert_other,
        no_insert=no_insert,
        reach=reach,
    )


def _add_reach_floor(emit: dict[str, dict[str, float]], other: Mapping[str, float]) -> None:
    """Give every vowel-to-vowel-like reading the table scores below REACH_LOGP that
    floor, and each of REACH_PAIRS at least PAIR_LOGP (rows of `emit` are replaced, not
    changed): the scores of the candidates that reach brings in (see
    `_search_skeletons`)."""
    targets = _vowel_like_ocr(emit) | {""}
    for o, c in REACH_PAIRS.items():
        row = emit.get(c, {})
        if row.get(o, -math.inf) < PAIR_LOGP:
            emit[c] = {**row, o: PAIR_LOGP}
    for o, c in CONSONANT_LOOKALIKES.items():
        row = emit.get(c, {})
        if row.get(o, -math.inf) < REACH_LOGP:
            emit[c] = {**row, o: REACH_LOGP}
    for c, row in list(emit.items()):
        if skeleton_char(c) not in _SKELETON_VOWELS:
            continue
        if other.get(c, _UNKNOWN_SOURCE_OTHER) >= REACH_LOGP:
            continue
        low = [o for o in targets if row.get(o, -math.inf) < REACH_LOGP]
        if low:  # a new row: rows may be shared with the channel this one was adapted from
            emit[c] = {**row, **dict.fromkeys(low, REACH_LOGP)}


def _table_file(name: str, suffix: str = "") -> Traversable:
    """The packaged confusion table ``confusion_NAME[SUFFIX].tsv`` of channel `name`."""
    from ocr_pipeline.restore import CHANNELS

    if name not in CHANNELS:
        raise ValueError(f"unknown OCR channel {name!r}: use one of {', '.join(CHANNELS)}")
    return resources.files("ocr_pipeline").joinpath("data", f"confusion_{name}{suffix}.tsv")


@cache
def load_channel(name: str = "eng") -> Channel:
    """The channel learned for Tesseract's ``eng`` or ``vie`` model (cached, read on first
    use, with its candidate index: the first restoration does not build it)."""
    channel = parse_table(name, _table_file(name).read_text(encoding="utf-8"))
    channel._ensure_vocabulary()
    channel._ensure_inverse()
    log.debug("loaded OCR channel %s: %d source characters", name, len(channel.emit))
    return channel


@cache
def load_caps_channel(name: str = "vie") -> Channel | None:
    """The channel learned for ALL-CAPS text read by Tesseract model `name`
    (``confusion_NAME_caps.tsv``), or None when there is no such table.

    Capitals carry their marks above the cap height, where Tesseract swaps hook and acute
    (HƯỞNG -> HƯỚNG) and drops tones (ĐIỀU -> ĐIÊU) far more often than on lowercase; a
    table learned from mixed-case lines calls those readings near-impossible.
    """
    path = _table_file(name, "_caps")
    if not path.is_file():
        return None
    # no reach: capitals' misreadings are what this table was learned from, and extra
    # readings crowded the right one out of a caps word's short candidate list
    channel = parse_table(f"{name}_caps", path.read_text(encoding="utf-8"), reach=False)
    channel._ensure_vocabulary()
    channel._ensure_inverse()
    log.debug("loaded ALL-CAPS OCR channel %s: %d source characters", name, len(channel.emit))
    return channel


def read_syllable_counts(path: Path) -> dict[str, int]:
    """Valid syllables with counts from a TSV with header ``syllable, count, valid``."""
    out: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        col = {h: i for i, h in enumerate(header)}
        si, ci, vi = col.get("syllable", 0), col.get("count", 1), col.get("valid")
        for ln in fh:
            parts = ln.rstrip("\n").split("\t")
            if len(parts) <= max(si, ci):
                continue
            if (
                vi is not None
                and vi < len(parts)
                and parts[vi].strip().lower() not in ("1", "true", "yes", "y")
            ):
                continue
            try:
                count = int(parts[ci])
            except ValueError:
                continue
            s = normalize(parts[si])
            out[s] = out.get(s, 0) + count
    return out


@lru_cache(maxsize=1)
def default_vocabulary() -> dict[str, int]:
    """Candidate inventory: valid rows of dictionaries/syllables.tsv (with corpus counts),
    or, when that file is absent, every orthographically valid syllable (count 0)."""
    if _REPO_SYLLABLES.exists():
        vocab = read_syllable_counts(_REPO_SYLLABLES)
        if vocab:
            return vocab
    from ocr_pipeline.restore.orthography import all_syllables

    log.warning(
        "%s not found: candidates come from the orthographic inventory, unweighted", _REPO_SYLLABLES
    )
    return {s: 0 for s in all_syllables()}
