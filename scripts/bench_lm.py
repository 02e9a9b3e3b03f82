"""Measure the syllable LM: load time, memory, lookups/s and held-out perplexity (JSON).

    .venv/bin/python scripts/bench_lm.py [--model PATH] [--out FILE.json]

Times are CPU seconds of this process (time.process_time), so they stay meaningful on a
busy shared machine; wall-clock load time is reported too. Queries are the n-gram
questions of the held-out documents (scripts/corpus.py), asked three ways: scalar
`logprob` on a fresh model (cold per-context caches), scalar again (warm caches), and one
`logprob_batch` call.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

from corpus import heldout_documents  # noqa: E402

from ocr_pipeline.fileio import write_atomic  # noqa: E402
from ocr_pipeline.restore.lm import (  # noqa: E402
    BOS_ID,
    DEFAULT_PATH,
    EOS_ID,
    NgramLM,
    tokenize_sentences,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)

    wall, cpu = time.perf_counter(), time.process_time()
    model = NgramLM(args.model)
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    queries: list[tuple[tuple[int, ...], int]] = []
    for doc in heldout_documents():
        for line in doc:
            for sent in tokenize_sentences(line):
                ids = [BOS_ID, *model.ids(sent), EOS_ID]
                for i in range(1, len(ids)):
                    queries.append((tuple(ids[max(0, i - model.order + 1) : i]), ids[i]))
    m = model.order - 1
    ctx = np.full((len(queries), m), -1, np.int64)
    for k, (h, _w) in enumerate(queries):
        if h:
            ctx[k, m - len(h) :] = h
    words = np.array([w for _h, w in queries], np.int64)

    def rate(fn) -> tuple[float, float]:
        t = time.process_time()
        out = fn()
        return len(queries) / (time.process_time() - t), out

    cold, scalar = rate(lambda: [model.logprob(h, w) for h, w in queries])
    warm, _ = rate(lambda: [model.logprob(h, w) for h, w in queries])
    batch_rate, batch = rate(lambda: model.logprob_batch(ctx, words))
    total = float(np.sum(batch, dtype=np.float64))
    result = {
        "model": str(args.model),
        "artifact_mb": round(args.model.stat().st_size / 1e6, 2),
        "order": model.order,
        "vocab": len(model),
        "ngrams": [len(k) for k in model.keys[1:]],
        "load_cpu_seconds": round(load_cpu, 3),
        "load_wall_seconds": round(load_wall, 3),
        "max_rss_mb_after_load": round(rss_mb, 1),
        "heldout_queries": len(queries),
        "scalar_cold_lookups_per_s": int(cold),
        "scalar_warm_lookups_per_s": int(warm),
        "batch_lookups_per_s": int(batch_rate),
        "batch_equals_scalar": bool(np.allclose(batch, scalar, atol=1e-4)),
        "heldout_perplexity": round(10 ** (-total / len(queries)), 2),
        "heldout_oov_rate": round(float(np.mean(words == 0)), 4),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        write_atomic(args.out, text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
