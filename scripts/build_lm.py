"""Build the syllable n-gram LM (ocr_pipeline/data/vi_syllable_lm.npz) from the corpus.

    .venv/bin/python scripts/build_lm.py            # full build, prints a JSON summary
    .venv/bin/python scripts/build_lm.py --max-lines 100000 --out /tmp/lm.npz   # quick try
    .venv/bin/python scripts/build_lm.py --source-weights congbao=2 --out /tmp/lm.npz \
        --syllables-tsv /tmp/syllables.tsv   # a source counted twice (a try)

Steps: training paragraphs from scripts/corpus.py (deduplicated, held-out documents
removed) -> `ocr_pipeline.restore.lm.tokenize_sentences` rules (lowercase, traditional tone
placement, numbers -> <num>, sentence breaks) -> vocabulary (valid syllables seen at least
--min-syllable times, other tokens at least --min-other times, the rest <unk>) -> n-gram
counts with numpy (n ids packed 16 bits each into a uint64, np.unique) -> interpolated
modified Kneser-Ney (Chen & Goodman; adjusted continuation counts for lower orders,
three discounts per order) -> count-cutoff pruning with backoff weights recomputed so each
context still sums to one -> ARPA-style arrays saved with np.savez_compressed (keys
delta-encoded; log10 probabilities and backoffs of orders >= 2 quantised to 8-bit codes
with a 256-value codebook per array). Also writes dictionaries/syllables.tsv and reports
held-out perplexity.
"""

from __future__ import annotations

import argparse
import array
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

from corpus import SOURCES, heldout_documents, iter_training_lines  # noqa: E402

from ocr_pipeline.restore import lm as lmmod  # noqa: E402
from ocr_pipeline.restore.orthography import is_valid_syllable  # noqa: E402

BITS = lmmod.BITS
UNK_ID, BOS_ID, EOS_ID, NUM_ID = lmmod.UNK_ID, lmmod.BOS_ID, lmmod.EOS_ID, lmmod.NUM_ID


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ corpus -> ids


def parse_source_weights(spec: str) -> dict[str, int]:
    """`congbao=3,viwiki=1` -> {source: multiplicity}; unnamed sources count once."""
    weights = dict.fromkeys(SOURCES, 1)
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, value = item.partition("=")
        if not sep or name not in weights or not value.isdigit() or int(value) < 1:
            raise SystemExit(
                f"--source-weights: {item!r} is not SOURCE=N with N a whole number >= 1 "
                f"and SOURCE one of {', '.join(SOURCES)}"
            )
        weights[name] = int(value)
    return weights


def read_corpus(
    max_lines: int | None, source_weights: dict[str, int] | None = None
) -> tuple[np.ndarray, list[str]]:
    """Token stream of provisional type ids with <s>/</s>, and the type strings.

    A line of a source weighted N (`--source-weights`) enters the stream N times: its
    highest-order and sentence-initial n-grams count N times (the lower orders' adjusted
    counts are distinct left contexts, which a repeat does not add), and it passes the
    vocabulary and pruning cut-offs as a count of N would.
    """
    types: dict[str, int] = {s: i for i, s in enumerate(lmmod.SPECIALS)}
    seq = array.array("i", [BOS_ID])
    ends = lmmod._SENTENCE_END
    token_re = lmmod._TOKEN_RE
    n_lines = 0
    for source, line in iter_training_lines():
        start = len(seq)
        for tok in token_re.findall(line.lower()):
            if tok in ends:
                if seq[-1] != BOS_ID:
                    seq.append(EOS_ID)
                    seq.append(BOS_ID)
            elif tok[0].isdigit():
                seq.append(NUM_ID)
            else:
                i = types.get(tok)
                if i is None:
                    i = types[tok] = len(types)
                seq.append(i)
        if seq[-1] != BOS_ID:
            seq.append(EOS_ID)
            seq.append(BOS_ID)
        repeats = source_weights.get(source, 1) if source_weights else 1
        if repeats > 1 and len(seq) > start:
            seq.extend(seq[start:] * (repeats - 1))  # the line's sentences, each ending <s>
        n_lines += 1
        if max_lines and n_lines >= max_lines:
            break
    seq.pop()  # trailing <s>
    log(f"read {n_lines} lines, {len(seq)} stream positions, {len(types)} types")
    return np.frombuffer(seq, dtype=np.int32).copy(), list(types)


def build_vocab(
    seq: np.ndarray, types: list[str], min_syl: int, min_other: int
) -> tuple[np.ndarray, list[str], np.ndarray, int]:
    """Final ids: (remapped stream, vocab strings, vocab counts, types folded into <unk>)."""
    type_counts = np.bincount(seq, minlength=len(types))
    norm_index: dict[str, int] = {}
    norm_of_type = np.zeros(len(types), np.int64)
    norm_strings: list[str] = []
    for t, s in enumerate(types):
        ns = s if t < len(lmmod.SPECIALS) else lmmod.normalize_token(s)
        j = norm_index.get(ns)
        if j is None:
            j = norm_index[ns] = len(norm_strings)
            norm_strings.append(ns)
        norm_of_type[t] = j
    norm_counts = np.bincount(norm_of_type, weights=type_counts, minlength=len(norm_strings))
    keep = []
    for j, s in enumerate(norm_strings):
        if j < len(lmmod.SPECIALS):
            continue
        c = norm_counts[j]
        if c >= (min_syl if is_valid_syllable(s) else min_other):
            keep.append(j)
    keep.sort(key=lambda j: -norm_counts[j])
    if len(keep) + len(lmmod.SPECIALS) >= 1 << BITS:
        raise SystemExit("vocabulary too large for 16-bit ids: raise the cutoffs")
    final_of_norm = np.zeros(len(norm_strings), np.int64)  # default <unk>
    for j in range(len(lmmod.SPECIALS)):
        final_of_norm[j] = j
    for k, j in enumerate(keep):
        final_of_norm[j] = k + len(lmmod.SPECIALS)
    vocab = list(lmmod.SPECIALS) + [norm_strings[j] for j in keep]
    final_seq = final_of_norm[norm_of_type[seq]].astype(np.uint64)
    counts = np.bincount(final_seq.astype(np.int64), minlength=len(vocab)).astype(np.int64)
    unk_types = len(norm_strings) - len(lmmod.SPECIALS) - len(keep)
    return final_seq, vocab, counts, unk_types


# ------------------------------------------------------------------ counting


def count_ngrams(
    seq: np.ndarray, order: int, vocab_size: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(sorted unique packed keys, raw counts)] for n = 1..order (index 0 unused).

    The unigram table is dense (key = id for every id, <s> with count 0).
    """
    sid = np.cumsum(seq == BOS_ID)
    out: list[tuple[np.ndarray, np.ndarray]] = [(np.empty(0, np.uint64), np.empty(0))]
    uni = np.bincount(seq.astype(np.int64), minlength=vocab_size).astype(np.int64)
    uni[BOS_ID] = 0
    out.append((np.arange(vocab_size, dtype=np.uint64), uni))
    for n in range(2, order + 1):
        length = len(seq) - n + 1
        valid = sid[n - 1 :] == sid[:length]
        keys = np.zeros(int(valid.sum()), np.uint64)
        for k in range(n):
            keys = (keys << np.uint64(BITS)) | seq[k : k + length][valid]
        u, c = np.unique(keys, return_counts=True)
        del keys
        out.append((u, c.astype(np.int64)))
        log(f"order {n}: {len(u)} distinct n-grams")
    return out


def mask(n: int) -> np.uint64:
    return np.uint64((1 << (BITS * n)) - 1)


def first_word(keys: np.ndarray, n: int) -> np.ndarray:
    return keys >> np.uint64(BITS * (n - 1))


def lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(sorted_keys, keys)
    if len(keys) and (idx.max() >= len(sorted_keys) or (sorted_keys[idx] != keys).any()):
        raise AssertionError("n-gram table is not closed under prefixes/suffixes")
    return idx


# ------------------------------------------------------------------ Kneser-Ney


def discounts(adj: np.ndarray) -> tuple[float, float, float]:
    t = [int((adj == k).sum()) for k in range(1, 5)]
    y = t[0] / (t[0] + 2 * t[1])
    d = (1 - 2 * y * t[1] / t[0], 2 - 3 * y * t[2] / t[1], 3 - 4 * y * t[3] / t[2])
    return tuple(min(max(x, 0.0), k + 1.0) for k, x in enumerate(d))  # type: ignore[return-value]


def group_starts(ctx: np.ndarray) -> np.ndarray:
    if len(ctx) == 0:
        return np.zeros(0, np.int64)
    return np.r_[0, np.flatnonzero(ctx[1:] != ctx[:-1]) + 1]


def kneser_ney(grams, vocab_size: int):
    """Interpolated modified KN probabilities (float64) for every counted n-gram."""
    order = len(grams) - 1
    adj = [None] * (order + 1)
    for n in range(1, order + 1):
        keys, raw = grams[n]
        if n == order:
            adj[n] = raw.astype(np.float64)
            continue
        nxt = grams[n + 1][0] & mask(n)  # suffixes of the (n+1)-grams
        nxt.sort()
        su, sc = np.unique(nxt, return_counts=True)
        a = np.zeros(len(keys), np.float64)
        a[lookup(keys, su)] = sc
        starts_bos = first_word(keys, n) == BOS_ID
        a[starts_bos] = raw[starts_bos]
        adj[n] = a
    probs = [None] * (order + 1)
    info = {}
    for n in range(1, order + 1):
        keys, _raw = grams[n]
        a = adj[n]
        d1, d2, d3 = discounts(a[a > 0])
        info[n] = {"D1": round(d1, 4), "D2": round(d2, 4), "D3+": round(d3, 4)}
        disc = np.where(a >= 3, d3, np.where(a == 2, d2, np.where(a == 1, d1, 0.0)))
        if n == 1:
            total = a.sum()
            gamma = (d1 * (a == 1).sum() + d2 * (a == 2).sum() + d3 * (a >= 3).sum()) / total
            p = (a - disc) / total + gamma / (vocab_size - 1)
            p[BOS_ID] = 0.0
            probs[1] = p
            continue
        ctx = keys >> np.uint64(BITS)
        starts = group_starts(ctx)
        s = np.add.reduceat(a, starts)
        g = (
            d1 * np.add.reduceat((a == 1).astype(np.float64), starts)
            + d2 * np.add.reduceat((a == 2).astype(np.float64), starts)
            + d3 * np.add.reduceat((a >= 3).astype(np.float64), starts)
        ) / s
        sizes = np.diff(np.r_[starts, len(keys)])
        gi = np.repeat(np.arange(len(starts)), sizes)
        suffix = keys & mask(n - 1)
        if n == 2:
            lower = probs[1][suffix.astype(np.int64)]
        else:
            lower = probs[n - 1][lookup(grams[n - 1][0], suffix)]
        probs[n] = (a - disc) / s[gi] + g[gi] * lower
        log(f"KN order {n}: {len(keys)} probs, discounts {info[n]}")
    return probs, info


def quantize(
    x: np.ndarray, weights: np.ndarray, levels: int = 256, iters: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted 1-D Lloyd (k-means) quantisation of `x` to uint8 codes + float32 codebook.

    Weights are how often each value is used (n-gram counts), so the frequent, high
    probabilities that dominate a text's score get the finest steps.
    """
    x = x.astype(np.float64)
    w = weights.astype(np.float64) + 1e-3
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    targets = (np.arange(levels) + 0.5) / levels * cum[-1]
    cb = np.unique(x[order][np.minimum(np.searchsorted(cum, targets), len(x) - 1)])
    # plus evenly spread levels so rare values are not left with huge steps
    cb = np.unique(np.r_[cb[::2], np.quantile(x, np.linspace(0, 1, levels - len(cb[::2])))])
    for _ in range(iters):
        codes = np.searchsorted((cb[1:] + cb[:-1]) / 2, x)
        n = np.bincount(codes, weights=w, minlength=len(cb))
        sums = np.bincount(codes, weights=w * x, minlength=len(cb))
        cb = np.where(n > 0, sums / np.maximum(n, 1e-300), cb)
    codes = np.searchsorted((cb[1:] + cb[:-1]) / 2, x)
    return codes.astype(np.uint8), cb.astype(np.float32)


def encode(
    log10_values: np.ndarray, weights: np.ndarray, quant: bool
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Stored arrays for `log10_values` (8-bit codes + codebook, or float16) and the
    float64 values a loader will see."""
    if quant:
        codes, cb = quantize(log10_values, weights)
        return {"": codes, "_cb": cb}, cb.astype(np.float64)[codes]
    f16 = log10_values.astype(np.float16)
    return {"": f16}, f16.astype(np.float64)


def prune_and_backoff(grams, probs, cutoffs, quant: bool):
    """Keep n-grams with raw count >= cutoff; backoff weights so contexts sum to one.

    Probabilities are first rounded to their stored precision (8-bit code or float16),
    and the backoff weights are computed from the rounded values, so the stored model
    stays normalised. Returns per order {"keys", "logp": stored arrays, "bow": ...}.
    """
    order = len(grams) - 1
    kept_keys, kept_p, true_p, kept_raw, out = [None], [None], [None], [None], [None]
    for n in range(1, order + 1):
        keys, raw = grams[n]
        sel = np.ones(len(keys), bool) if n == 1 else raw >= cutoffs[n - 1]
        with np.errstate(divide="ignore"):
            lp = np.log10(probs[n][sel])
        lp[~np.isfinite(lp)] = -99.0  # <s> is never predicted
        stored, seen = encode(lp, raw[sel], quant and n > 1)  # unigrams: float16
        kept_keys.append(keys[sel])
        kept_p.append(np.where(lp <= -99.0, 0.0, 10.0**seen))
        true_p.append(probs[n][sel])
        kept_raw.append(raw[sel])
        out.append({"keys": keys[sel], "logp": stored})
    bows = [None] + [np.ones(len(kept_keys[n])) for n in range(1, order)]
    for n in range(2, order + 1):
        keys, p = kept_keys[n], kept_p[n]
        suffix = keys & mask(n - 1)
        if n == 2:
            lower = kept_p[1][suffix.astype(np.int64)]
        else:
            lower = kept_p[n - 1][lookup(kept_keys[n - 1], suffix)]
        ctx = keys >> np.uint64(BITS)
        starts = group_starts(ctx)
        num = 1.0 - np.add.reduceat(p, starts)
        den = 1.0 - np.add.reduceat(lower, starts)
        # if rounding ate most of the left-over mass, fall back to the exact values
        # (slightly unnormalised rather than starving unseen words)
        num_true = 1.0 - np.add.reduceat(true_p[n], starts)
        lower_true = true_p[n - 1][suffix.astype(np.int64)] if n == 2 else None
        if lower_true is None:
            lower_true = true_p[n - 1][lookup(kept_keys[n - 1], suffix)]
        den_true = 1.0 - np.add.reduceat(lower_true, starts)
        bad = num < 0.5 * num_true
        num = np.where(bad, num_true, num)
        den = np.where(bad, den_true, den)
        b = np.maximum(num, 1e-9) / np.maximum(den, 1e-9)
        if n == 2:
            bows[1][ctx[starts].astype(np.int64)] = b
        else:
            bows[n - 1][lookup(kept_keys[n - 1], ctx[starts])] = b
    for n in range(1, order):
        out[n]["bow"] = encode(np.log10(bows[n]), kept_raw[n], quant and n > 1)[0]
    return out[1:]


def save_model(path: Path, tables, vocab, counts, meta) -> None:
    arrays = {
        "vocab": np.array(vocab),
        "counts": counts.astype(np.uint32),
        "order": np.array(len(tables)),
        "meta": np.array(json.dumps(meta, ensure_ascii=False)),
    }
    for n, table in enumerate(tables, start=1):
        arrays[f"dkeys{n}"] = np.diff(table["keys"], prepend=np.uint64(0))
        for name in ("logp", "bow"):
            for suffix, arr in table.get(name, {}).items():
                arrays[f"{name}{n}{suffix}"] = arr
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


# ------------------------------------------------------------------ main


def heldout_perplexity(model_path: Path) -> dict:
    model = lmmod.NgramLM(model_path)
    total, n, oov = 0.0, 0, 0
    for doc in heldout_documents():
        for line in doc:
            t, k, o = model.score_text(line)
            total += t
            n += k
            oov += o
    return {
        "perplexity": round(10 ** (-total / n), 2),
        "tokens": n,
        "oov_rate": round(oov / n, 4),
        "load_seconds": round(model.load_seconds, 3),
    }


def write_syllables_tsv(path: Path, vocab: list[str], counts: np.ndarray, min_count: int) -> int:
    rows = [
        (w, int(c))
        for w, c in zip(vocab, counts, strict=True)
        if w not in lmmod.SPECIALS and c >= min_count
    ]
    rows.sort(key=lambda r: (-r[1], r[0]))
    lines = ["syllable\tcount\tvalid"]
    lines += [f"{w}\t{c}\t{int(is_valid_syllable(w))}" for w, c in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--cutoffs", default="1,1,2,2", help="min raw count per order 1..N")
    ap.add_argument("--try-cutoffs", default="", help="extra cutoff sets to evaluate, ';'-sep")
    ap.add_argument("--min-syllable", type=int, default=2)
    ap.add_argument("--min-other", type=int, default=20)
    ap.add_argument("--max-lines", type=int, default=0)
    ap.add_argument(
        "--source-weights",
        default="",
        help="count a source's lines N times, e.g. congbao=2 (default: every source once)",
    )
    ap.add_argument("--no-quantize", action="store_true", help="store float16, not 8-bit codes")
    ap.add_argument("--out", type=Path, default=lmmod.DEFAULT_PATH)
    ap.add_argument("--syllables-tsv", type=Path, default=REPO / "dictionaries" / "syllables.tsv")
    ap.add_argument("--tsv-min-count", type=int, default=5)
    args = ap.parse_args(argv)
    if args.order * BITS > 64:
        raise SystemExit("order too high for 16-bit ids packed in uint64")
    t0 = time.time()
    source_weights = parse_source_weights(args.source_weights)
    seq, types = read_corpus(args.max_lines or None, source_weights)
    seq, vocab, counts, unk_types = build_vocab(seq, types, args.min_syllable, args.min_other)
    del types
    n_tokens = int(((seq != BOS_ID) & (seq != EOS_ID)).sum())
    log(f"vocab {len(vocab)}, tokens {n_tokens}, unk rate {counts[UNK_ID] / n_tokens:.4f}")
    grams = count_ngrams(seq, args.order, len(vocab))
    del seq
    probs, disc = kneser_ney(grams, len(vocab))
    summary: dict = {
        "order": args.order,
        "source_weights": source_weights,
        "tokens": n_tokens,
        "vocab": len(vocab),
        "unk_rate": round(float(counts[UNK_ID]) / n_tokens, 4),
        "unk_types": unk_types,
        "distinct_ngrams": [len(grams[n][0]) for n in range(1, args.order + 1)],
        "discounts": disc,
    }
    candidates = [args.cutoffs] + [c for c in args.try_cutoffs.split(";") if c]
    trials = []
    for cut in candidates:
        cutoffs = [int(x) for x in cut.split(",")]
        if len(cutoffs) != args.order:
            raise SystemExit(f"--cutoffs needs {args.order} numbers: {cut}")
        tables = prune_and_backoff(grams, probs, cutoffs, quant=not args.no_quantize)
        meta = {
            "cutoffs": cutoffs,
            "order": args.order,
            "tokens": n_tokens,
            "quantized": not args.no_quantize,
            "unk_types": unk_types,
        }
        if any(w != 1 for w in source_weights.values()):
            meta["source_weights"] = source_weights
        if cut == args.cutoffs:
            path = args.out
        else:
            path = Path(tempfile.gettempdir()) / f"lm_trial_{cut.replace(',', '_')}.npz"
        save_model(path, tables, vocab, counts, meta)
        trial = {
            "cutoffs": cut,
            "ngrams": [len(t["keys"]) for t in tables],
            "artifact_mb": round(path.stat().st_size / 1e6, 2),
            "heldout": heldout_perplexity(path),
        }
        log(json.dumps(trial))
        trials.append(trial)
        if path != args.out:
            path.unlink()
    summary["trials"] = trials
    summary["artifact"] = str(args.out)
    summary["syllables_tsv_rows"] = write_syllables_tsv(
        args.syllables_tsv, vocab, counts, args.tsv_min_count
    )
    summary["build_seconds"] = round(time.time() - t0, 1)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
