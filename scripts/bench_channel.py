"""Benchmark the OCR channel: candidate recall and speed on held-out OCR pairs.

Reads ../scratch/channel/pairs_heldout_NAME.tsv (scripts/make_ocr_pairs.py --heldout: held-out
documents rendered and OCR'd like the training pages), pairs source and OCR tokens, keeps
those whose source is a valid Vietnamese syllable, and measures whether the true syllable is
the first / among the k candidates of `Channel.candidates` for the OCR token's letter part.
Speed is measured over the page's whole token stream in reading order (repeats included,
cache cleared first), as the decoder would call it.

Usage: .venv/bin/python scripts/bench_channel.py eng [--pairs PATH] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from build_confusion import read_pairs, token_pairs  # noqa: E402

from ocr_pipeline.restore.channel import load_channel, normalize  # noqa: E402
from ocr_pipeline.restore.orthography import (  # noqa: E402
    is_valid_syllable,
    normalize_tone_placement,
)

SCRATCH = REPO.parent / "scratch" / "channel"
EDGE = ".,;:!?()[]{}\"'“”‘’…*«»-–—/²³¹⁰⁴⁵⁶⁷⁸⁹"


def letter_part(token: str) -> str:
    return token.strip(EDGE)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", choices=["eng", "vie"])
    ap.add_argument("--pairs", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument("-k", type=int, default=8)
    ap.add_argument("--show", type=int, default=15, help="print this many misses")
    args = ap.parse_args(argv)
    pairs_path = args.pairs or SCRATCH / f"pairs_heldout_{args.name}.tsv"
    channel = load_channel(args.name)
    lines = list(read_pairs(pairs_path))

    # speed: the whole OCR token stream, in order, cold cache
    stream = [letter_part(t) for _, ocr in lines for t in ocr.split()]
    stream = [t for t in stream if t and any(c.isalpha() for c in t)]
    channel.candidates("khởi")  # load vocabulary and reverse tables outside the timing
    channel._candidates.cache_clear()
    t0 = time.perf_counter()
    for t in stream:
        channel.candidates(t, args.k)
    stream_secs = time.perf_counter() - t0
    n_unique = len({normalize(t) for t in stream})

    n = hit1 = hitk = changed = changed_hitk = 0
    misses = []
    for src, ocr in lines:
        for s_tok, o_tok in token_pairs(src, ocr):
            s, o = letter_part(s_tok), letter_part(o_tok)
            if not s or not o or not is_valid_syllable(s):
                continue
            # compare in traditional tone placement (the corpus mixes "uỷ" and "ủy")
            s = normalize_tone_placement(s)
            cands = [normalize_tone_placement(c) for c, _ in channel.candidates(o, args.k)]
            n += 1
            hit1 += bool(cands) and cands[0] == s
            hitk += s in cands
            if o != s:
                changed += 1
                changed_hitk += s in cands
            if s not in cands and len(misses) < args.show:
                misses.append((o, s, cands[:4]))
    result = {
        "channel": args.name,
        "pairs_file": str(pairs_path),
        "tokens": n,
        "recall_at_1": round(hit1 / max(n, 1), 4),
        f"recall_at_{args.k}": round(hitk / max(n, 1), 4),
        "tokens_changed_by_ocr": changed,
        f"recall_at_{args.k}_changed_only": round(changed_hitk / max(changed, 1), 4),
        "stream_tokens": len(stream),
        "stream_unique": n_unique,
        "ms_per_token_stream": round(1000 * stream_secs / max(len(stream), 1), 4),
        "ms_per_unique_token": round(1000 * stream_secs / max(n_unique, 1), 3),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    for o, s, c in misses:
        print(f"miss: {o!r} -> {s!r}; got {c}")
    out = args.json or SCRATCH / f"bench_channel_{args.name}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
