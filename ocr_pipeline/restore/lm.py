"""Load the syllable n-gram language model lazily and score syllable sequences fast.

The model (built by scripts/build_lm.py from the corpus) is an interpolated modified
Kneser-Ney n-gram model over lowercased syllable tokens, stored in ARPA-style backoff form
in ``ocr_pipeline/data/vi_syllable_lm.npz``:

* ``vocab``: the token strings, id = position. Ids 0-3 are ``<unk>``, ``<s>``, ``</s>``,
  ``<num>`` (every token containing a digit).
* for each order n: ``dkeys{n}`` (the sorted uint64 keys, delta-encoded: the n ids packed
  16 bits each, oldest word in the highest bits), ``logp{n}`` (log10 probability)
  and, below the top order, ``bow{n}`` (log10 backoff weight): float16, or uint8 codes
  into a 256-value float32 codebook ``logp{n}_cb`` / ``bow{n}_cb``.

All probabilities are **log10**. Text is turned into tokens with `tokenize_sentences`, the
same function the build script uses: lowercase NFC, traditional tone placement, sentence
breaks at ``. ! ? ; :`` and line ends, other punctuation dropped.

Nothing is read at import time; `load_lm()` reads the file once (cached). The expanded
tables, and each word's strongest partners before and after it (`top_followers`,
`top_predecessors`: built on first use; kept only while the file is still the one read),
are kept memory-mapped in a cache folder (`restore.arraycache`), so a process after the
first one loads the model in milliseconds and shares its memory with the others.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from ocr_pipeline.errors import MissingDependencyError
from ocr_pipeline.restore import _lm_lookup
from ocr_pipeline.restore.arraycache import cached_arrays
from ocr_pipeline.restore.orthography import is_valid_syllable, nfc, normalize_tone_placement

__all__ = [
    "BOS",
    "BOS_ID",
    "DEFAULT_PATH",
    "EOS",
    "EOS_ID",
    "NUM",
    "NUM_ID",
    "UNK",
    "UNK_ID",
    "NgramLM",
    "lm_tokens",
    "load_lm",
    "normalize_token",
    "tokenize_sentences",
]

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "vi_syllable_lm.npz"
# the array-cache kind of `NgramLM._partners`' tables: a new name for a new way of building
PARTNERS = "lm-partners-v1"
UNK, BOS, EOS, NUM = "<unk>", "<s>", "</s>", "<num>"
SPECIALS = (UNK, BOS, EOS, NUM)
UNK_ID, BOS_ID, EOS_ID, NUM_ID = 0, 1, 2, 3
BITS = 16
_MASK = (1 << BITS) - 1

# a word (letters), a number (digits with inner . , /), or a sentence-final mark
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*[^\W_]*|[.!?;:…]")
_SENTENCE_END = frozenset(".!?;:…")
# what the compiled trigram lookup reads (`NgramLM.trigram_tables`): nine tables and the bits
TrigramTables = tuple[
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    int,
]


@lru_cache(maxsize=262144)
def normalize_token(token: str) -> str:
    """The LM form of one token: lowercase NFC, traditional tone mark, digits -> <num>."""
    token = nfc(token).lower()
    if any(c.isdigit() for c in token):
        return NUM
    if is_valid_syllable(token):
        return normalize_tone_placement(token)
    return token


def lm_tokens(text: str) -> list[str]:
    """The LM tokens of one kept token of the text ("b/c" -> "b", "c"; "NĐ-CP" -> "nđ",
    "cp"; "34-CT/TW" -> "<num>", "ct", "tw"), as `tokenize_sentences` reads it in the
    corpus: an abbreviation's parts are the model's context, not one unknown word. Its
    stops ("TP.") end no sentence here."""
    return [
        normalize_token(tok) for tok in _TOKEN_RE.findall(nfc(text)) if tok not in _SENTENCE_END
    ]


def tokenize_sentences(text: str) -> list[list[str]]:
    """Split `text` into sentences of LM tokens (see `normalize_token`).

    Sentences end at ``. ! ? ; : …`` and at newlines; other punctuation is dropped.
    Empty sentences are not returned.
    """
    out: list[list[str]] = []
    for line in nfc(text).splitlines():
        cur: list[str] = []
        for tok in _TOKEN_RE.findall(line):
            if tok in _SENTENCE_END:
                if cur:
                    out.append(cur)
                    cur = []
            else:
                cur.append(normalize_token(tok))
        if cur:
            out.append(cur)
    return out


def pack(ids: Sequence[int]) -> int:
    """Pack word ids (oldest first) into the integer key used in the tables."""
    key = 0
    for i in ids:
        key = (key << BITS) | i
    return key


def _expand_tables(path: Path, order: int) -> dict[str, np.ndarray]:
    """The lookup tables of the model file: keys delta-decoded, log10 values as float32
    (8-bit codes looked up in their codebooks). Slow (about 0.4 s), hence `arraycache`."""
    tables: dict[str, np.ndarray] = {}
    with np.load(path, allow_pickle=False) as z:
        files = set(z.files)

        def values(name: str) -> np.ndarray:
            if name + "_cb" in files:  # 8-bit codes + codebook
                return z[name + "_cb"].astype(np.float32)[z[name]]
            return z[name].astype(np.float32)

        for n in range(1, order + 1):
            tables[f"keys{n}"] = np.cumsum(z[f"dkeys{n}"], dtype=np.uint64)
            tables[f"logp{n}"] = values(f"logp{n}")
            tables[f"bow{n}"] = values(f"bow{n}") if n < order else np.zeros(0, np.float32)
    return tables


class NgramLM:
    """A backoff n-gram model over syllable ids (log10 probabilities)."""

    def __init__(self, path: Path | str) -> None:
        t0 = time.perf_counter()
        path = Path(path)
        with np.load(path, allow_pickle=False) as z:
            self.vocab: list[str] = [str(w) for w in z["vocab"]]
            self.counts: np.ndarray = z["counts"]
            self.order: int = int(z["order"])
            self.meta: dict = json.loads(str(z["meta"])) if "meta" in z.files else {}
        tables = cached_arrays(path, "lm", lambda: _expand_tables(path, self.order))
        self.keys: list[np.ndarray] = [np.empty(0, np.uint64)]
        self.logp: list[np.ndarray] = [np.empty(0, np.float32)]
        self.bow: list[np.ndarray] = [np.empty(0, np.float32)]
        for n in range(1, self.order + 1):
            # plain ndarray views of the memory maps: the same pages, without np.memmap's
            # Python-level bookkeeping on every slice and lookup (a third of LM lookup time)
            self.keys.append(tables[f"keys{n}"].view(np.ndarray))
            self.logp.append(tables[f"logp{n}"].view(np.ndarray))
            self.bow.append(tables[f"bow{n}"].view(np.ndarray))
        self.path = path
        self._ids = {w: i for i, w in enumerate(self.vocab)}
        # unigrams are indexed directly by id (every id has a unigram entry)
        if len(self.keys[1]) != len(self.vocab) or self.vocab[:4] != list(SPECIALS):
            raise ValueError(f"{path} is not a syllable LM built by scripts/build_lm.py")
        self._uni_logp: list[float] = self.logp[1].tolist()
        self.unigram_logprobs = self._uni_logp  # by id; read-only (see context_levels)
        self._uni_bow: list[float] = self.bow[1].tolist() if self.order > 1 else []
        self.unk_id, self.bos_id, self.eos_id, self.num_id = UNK_ID, BOS_ID, EOS_ID, NUM_ID
        # <unk> stands for many word types; one particular unknown word gets 1/unk_types
        self.unk_types: int = int(self.meta.get("unk_types", 1))
        self.unk_share: float = -math.log10(max(self.unk_types, 1))
        self._slices: dict[tuple[int, ...], dict[int, float]] = {}
        self._level_cache: dict[tuple[int, ...], tuple] = {}
        self._first_word_starts: dict[int, np.ndarray] = {}
        self._uni_array = np.asarray(self._uni_logp, dtype=np.float32)
        st = path.stat()
        self._stamp = (st.st_size, st.st_mtime_ns)  # the file as read (`_file_unchanged`)
        # (after, n, min_logp, min_lift) -> every word's partners (`_partners`)
        self._partner_tables: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.load_seconds = time.perf_counter() - t0
        log.info(
            "loaded %d-gram LM %s (%d words, %s n-grams) in %.2f s",
            self.order,
            path.name,
            len(self.vocab),
            "/".join(str(len(k)) for k in self.keys[1:]),
            self.load_seconds,
        )

    # ------------------------------------------------------------ vocabulary

    def __len__(self) -> int:
        return len(self.vocab)

    def __contains__(self, word: str) -> bool:
        return self.vocab_id(word) != UNK_ID

    def vocab_id(self, word: str) -> int:
        """Id of `word` (any case, NFC/NFD, any tone placement); `UNK_ID` if unknown."""
        i = self._ids.get(word)
        if i is None:
            i = self._ids.get(normalize_token(word), UNK_ID)
        return i

    def count(self, word: str) -> int:
        """Training count of `word` (0 if unknown)."""
        i = self.vocab_id(word)
        return int(self.counts[i]) if i != UNK_ID else 0

    # ------------------------------------------------------------ scoring

    def _find(self, n: int, key: int) -> int:
        keys = self.keys[n]
        i = int(keys.searchsorted(np.uint64(key)))
        if i < len(keys) and int(keys[i]) == key:
            return i
        return -1

    def _followers(self, h: tuple[int, ...]) -> dict[int, float]:
        """{word id: log10 p(word | h)} for every stored n-gram h+word (one sorted slice)."""
        d = self._slices.get(h)
        if d is None:
            n = len(h) + 1
            keys = self.keys[n]
            base = pack(h) << BITS
            if n * BITS < 64:  # both slice ends in one call (base + 2**BITS cannot overflow)
                lo, hi = keys.searchsorted(np.array((base, base + (1 << BITS)), np.uint64)).tolist()
            else:
                lo = int(keys.searchsorted(np.uint64(base)))
                hi = int(keys.searchsorted(np.uint64(base | _MASK), side="right"))
            if lo == hi:
                d = {}  # many contexts have no stored follower (the common rare context)
            else:
                words = (keys[lo:hi] & np.uint64(_MASK)).tolist()
                d = dict(zip(words, self.logp[n][lo:hi].tolist(), strict=True))
            if len(self._slices) > 200_000:
                self._slices.clear()
            self._slices[h] = d
        return d

    def _backoff(self, h: tuple[int, ...]) -> float:
        if len(h) == 1:
            return self._uni_bow[h[0]]
        j = self._find(len(h), pack(h))
        return float(self.bow[len(h)][j]) if j >= 0 else 0.0

    def _levels(self, ctx: tuple[int, ...]) -> tuple[list[tuple[dict[int, float], float]], float]:
        """Backoff chain for `ctx`: [(followers of ctx[i:], accumulated backoff)], final bo."""
        lv = self._level_cache.get(ctx)
        if lv is None:
            chain = []
            bo = 0.0
            for start in range(len(ctx)):
                h = ctx[start:]
                chain.append((self._followers(h), bo))
                bo += self._backoff(h)
            lv = (chain, bo)
            if len(self._level_cache) > 200_000:
                self._level_cache.clear()
            self._level_cache[ctx] = lv
        return lv

    def context_levels(
        self, context_ids: Sequence[int]
    ) -> tuple[list[tuple[dict[int, float], float]], float]:
        """The backoff chain `logprob` walks for this context, for callers scoring many
        words after one context: ``logprob(ctx, w)`` is ``p + off`` for the first
        ``(followers, off)`` of the chain with ``p = followers[w]``, else
        ``bo + unigram_logprobs[w]``. The dicts are shared: do not modify them.
        """
        k = len(context_ids) - self.order + 1
        ctx = tuple(context_ids[k:] if k > 0 else context_ids)
        lv = self._level_cache.get(ctx)
        return lv if lv is not None else self._levels(ctx)

    def logprob(self, context_ids: Sequence[int], word_id: int) -> float:
        """log10 P(word | context) with backoff; context is oldest first, may be any length.

        Per-context tables are built on first use and cached, so asking about many
        candidate words after the same context (what a decoder does) costs a few dict
        lookups each.
        """
        k = len(context_ids) - self.order + 1
        ctx = tuple(context_ids[k:] if k > 0 else context_ids)
        lv = self._level_cache.get(ctx)
        chain, bo = lv if lv is not None else self._levels(ctx)
        for followers, b in chain:
            v = followers.get(word_id)
            if v is not None:
                return v + b
        return bo + self._uni_logp[word_id]

    def bigram_logprob(self, a: int, b: int) -> float:
        """``logprob((a,), b)``, bit for bit, without building the table of every stored
        follower of `a` that `logprob` caches (thousands of entries for a common word, to
        answer one question): one search among the bigram keys of `a`."""
        if self.order < 2:
            return self.logprob((a,), b)
        keys = self.keys[2]
        starts = self._starts(2)
        lo, hi = int(starts[a]), int(starts[a + 1])
        key = np.uint64((a << BITS) | b)
        j = lo + int(keys[lo:hi].searchsorted(key))
        if j < hi and keys[j] == key:
            return float(self.logp[2][j])
        return self._uni_bow[a] + self._uni_logp[b]

    def top_followers(
        self, a: int, n: int, min_logp: float, min_lift: float
    ) -> tuple[tuple[int, float], ...]:
        """The (at most) n likeliest words stored after word `a` as a bigram, as (id, log10
        p(id | a)) pairs, likeliest first; left out: those below `min_logp`, those less
        than `min_lift` (log10) likelier after `a` than anywhere, and specials."""
        return self._partners(True, a, n, min_logp, min_lift)

    def top_predecessors(self, b: int, n: int, min_lift: float) -> tuple[tuple[int, float], ...]:
        """The (at most) n words stored before word `b` as a bigram whose pair is likeliest
        (by log10 p(id) + log10 p(b | id)), as (id, log10 p(b | id)) pairs, the likeliest
        pair first; left out: those after which `b` is less than `min_lift` (log10)
        likelier than anywhere, and specials."""
        return self._partners(False, b, n, -math.inf, min_lift)

    def _partners(
        self, after: bool, word: int, n: int, min_logp: float, min_lift: float
    ) -> tuple[tuple[int, float], ...]:
        if self.order < 2 or n <= 0:
            return ()
        key = (after, n, min_logp, min_lift)
        table = self._partner_tables.get(key)
        if table is None:
            kind = f"{PARTNERS}-{'next' if after else 'previous'}-{n}-{min_logp}-{min_lift}"

            def build() -> dict[str, np.ndarray]:
                return self._build_partners(after, n, min_logp, min_lift)

            # the cache is keyed by the file as it is now: one replaced or removed since
            # this model was read gets no entry built from these tables
            t = cached_arrays(self.path, kind, build) if self._file_unchanged() else build()
            table = self._partner_tables[key] = (
                t["starts"].view(np.ndarray),
                t["ids"].view(np.ndarray),
                t["logps"].view(np.ndarray),
            )
        starts, ids, logps = table
        lo, hi = int(starts[word]), int(starts[word + 1])
        return tuple(zip(ids[lo:hi].tolist(), logps[lo:hi].tolist(), strict=True))

    def _file_unchanged(self) -> bool:
        """The model file is still the one this model was read from (size and time)."""
        try:
            st = self.path.stat()
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == self._stamp

    def _build_partners(
        self, after: bool, n: int, min_logp: float, min_lift: float
    ) -> dict[str, np.ndarray]:
        """For every word, its n partners of `_partners` (CSR: starts by word, ids, log10
        p(second | first)), from the bigram table in one pass."""
        keys, logp = self.keys[2], self.logp[2]
        uni = self._uni_array
        second = (keys & np.uint64(_MASK)).astype(np.int64)
        first = (keys >> np.uint64(BITS)).astype(np.int64)
        word, partner = (first, second) if after else (second, first)
        keep = np.flatnonzero(
            (logp >= min_logp) & (logp - uni[second] >= min_lift) & (partner >= len(SPECIALS))
        )
        rank = -logp[keep] if after else -(uni[first[keep]] + logp[keep])
        order = keep[np.lexsort((rank, word[keep]))]
        grouped = word[order]
        starts = np.searchsorted(grouped, np.arange(len(self.vocab) + 1))
        within = np.arange(len(order)) - starts[grouped]
        order = order[within < n]
        starts = np.searchsorted(word[order], np.arange(len(self.vocab) + 1))
        return {
            "starts": starts.astype(np.int64),
            "ids": partner[order].astype(np.int32),
            "logps": logp[order].astype(np.float32),
        }

    def trigram_logprobs(self, a: Sequence[int], b: Sequence[int], c: Sequence[int]) -> list[float]:
        """``[logprob((a[i], b[i]), c[i]) ...]``, bit for bit, for many words at once.

        What a decoder asks: every word after a two-word context. Binary searches of the
        trigram, the bigram and the context's backoff weight in the memory-mapped tables,
        in one compiled loop (`_lm_lookup`) instead of a dict of every stored follower per
        context (thousands of entries for a common word, built to answer a few questions).
        The sums are done in float64 in the order `logprob` does them (backoff weights
        accumulated, then the lower order's value).
        """
        tables = self.trigram_tables()
        if tables is None:
            return [self.logprob((x, y), z) for x, y, z in zip(a, b, c, strict=True)]
        return _lm_lookup.trigram_logprobs(*tables, a, b, c)

    def trigram_tables(self) -> TrigramTables | None:
        """What the compiled trigram lookup reads (`_trigram.h`): the trigram keys, values
        and first-word starts, the same for bigrams, the unigram backoff weights and
        values, and the bits per id; None for a model below order 3. The decoder's score
        cache (`_lattice.ScoreCache`) scores its misses from these."""
        if self.order < 3:
            return None
        return (
            self.keys[3],
            self.logp[3],
            self._starts(3),
            self.keys[2],
            self.logp[2],
            self.bow[2],
            self._starts(2),
            self.bow[1],
            self.logp[1],
            BITS,
        )

    def _starts(self, n: int) -> np.ndarray:
        """Where the n-gram keys of each first word begin (one entry more than the words):
        a lookup searches only its first word's keys, a few cache lines instead of the
        whole table."""
        starts = self._first_word_starts.get(n)
        if starts is None:
            firsts = np.arange(len(self.vocab) + 1, dtype=np.uint64) << np.uint64(BITS * (n - 1))
            starts = self._first_word_starts[n] = self.keys[n].searchsorted(firsts).astype(np.int64)
        return starts

    def logprob_batch(self, context_ids: np.ndarray, word_ids: np.ndarray) -> np.ndarray:
        """Vectorised `logprob`: `context_ids` is (k, m) oldest first, -1 = no word.

        Left-pad short contexts with -1. Returns float32 log10 probabilities, shape (k,).
        """
        ctx = np.asarray(context_ids, dtype=np.int64)
        w = np.asarray(word_ids, dtype=np.int64)
        if ctx.ndim != 2 or len(ctx) != len(w):
            raise ValueError("context_ids must be (k, m) and word_ids (k,)")
        m = min(ctx.shape[1], self.order - 1)
        ctx = ctx[:, ctx.shape[1] - m :] if m else ctx[:, :0]
        k = len(w)
        res = np.zeros(k, np.float32)
        bo = np.zeros(k, np.float32)
        done = np.zeros(k, bool)
        for hl in range(m, 0, -1):  # context length
            h = ctx[:, m - hl :]
            ok = (h >= 0).all(axis=1) & ~done
            if not ok.any():
                continue
            hkey = np.zeros(k, np.uint64)
            for c in range(hl):
                hkey = (hkey << np.uint64(BITS)) | np.where(ok, h[:, c], 0).astype(np.uint64)
            key = (hkey << np.uint64(BITS)) | w.astype(np.uint64)
            n = hl + 1
            j = np.minimum(np.searchsorted(self.keys[n], key), len(self.keys[n]) - 1)
            hit = ok & (self.keys[n][j] == key)
            res[hit] = bo[hit] + self.logp[n][j[hit]]
            done |= hit
            miss = ok & ~hit
            if hl == 1:
                bo[miss] += self.bow[1][h[miss, 0]]
            else:
                j2 = np.minimum(np.searchsorted(self.keys[hl], hkey), len(self.keys[hl]) - 1)
                hit2 = miss & (self.keys[hl][j2] == hkey)
                bo[hit2] += self.bow[hl][j2[hit2]]
        rest = ~done
        res[rest] = bo[rest] + self.logp[1][w[rest]]
        return res

    def oov_logprob(self, context_ids: Sequence[int]) -> float:
        """log10 P(one particular out-of-vocabulary word | context).

        ``logprob(ctx, unk_id)`` is the probability of the whole <unk> class (all
        ~`unk_types` rare and foreign words together, about 1% of running text), which is
        what perplexity needs; a decoder comparing a specific unknown spelling against
        known syllables should use this instead (class probability / `unk_types`).
        """
        return self.logprob(context_ids, UNK_ID) + self.unk_share

    def unigram_logprob(self, word: str) -> float:
        """log10 P(word) under the unigram distribution."""
        return self._uni_logp[self.vocab_id(word)]

    def ids(self, words: Iterable[str]) -> list[int]:
        return [self.vocab_id(w) for w in words]

    def score_sequence(self, words: Sequence[str], bos: bool = True, eos: bool = True) -> float:
        """log10 probability of one sentence of tokens (``<s>`` ... ``</s>`` by default)."""
        ids = ([BOS_ID] if bos else []) + self.ids(words) + ([EOS_ID] if eos else [])
        start = 1 if bos else 0
        return sum(self.logprob(ids[:i], ids[i]) for i in range(start, len(ids)))

    def score_text(self, text: str) -> tuple[float, int, int]:
        """(total log10 prob, scored tokens incl. </s>, OOV tokens) of `text`."""
        total, n, oov = 0.0, 0, 0
        for sent in tokenize_sentences(text):
            ids = [BOS_ID] + self.ids(sent) + [EOS_ID]
            oov += sum(1 for i in ids if i == UNK_ID)
            ctx = np.full((len(ids) - 1, self.order - 1), -1, np.int64)
            for p in range(1, len(ids)):
                h = ids[max(0, p - self.order + 1) : p]
                ctx[p - 1, ctx.shape[1] - len(h) :] = h
            total += float(self.logprob_batch(ctx, np.array(ids[1:])).sum())
            n += len(ids) - 1
        return total, n, oov

    def perplexity(self, lines: Iterable[str]) -> float:
        """Per-token perplexity (tokens incl. </s>, OOVs scored as <unk>) of `lines`."""
        total, n = 0.0, 0
        for line in lines:
            t, k, _ = self.score_text(line)
            total += t
            n += k
        return math.pow(10.0, -total / n) if n else float("nan")


@cache
def load_lm(path: Path | str | None = None) -> NgramLM:
    """The syllable LM at `path` (default: the packaged artifact), loaded once."""
    p = Path(path) if path is not None else DEFAULT_PATH
    if not p.exists():
        raise MissingDependencyError(
            f"language model {p} not found: run `python scripts/build_lm.py` to build it"
        )
    try:
        return NgramLM(p)
    except (OSError, KeyError, ValueError) as err:
        raise MissingDependencyError(
            f"language model {p} is unreadable ({err}): rebuild it with scripts/build_lm.py"
        ) from err
