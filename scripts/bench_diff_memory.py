"""Peak memory and time of `ocr-pipeline diff` on a large synthetic pair (JSON to stdout).

Writes A: MB megabytes of invented Vietnamese-like text (syllables drawn at random, lines
of 6-16 words, a form feed every 50 lines) and B: A with about one word in 12 changed
(tone dropped, a letter replaced, a word deleted or inserted, now and then a line split),
then runs the diff command as a child process once per output mode (summary line only,
--json, --html) and reports the child's peak RSS (ru_maxrss) and wall time.

    python scripts/bench_diff_memory.py [--mb 50] [--modes summary,json,html] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ONSETS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "ia", "ươ", "uô", "oa"]
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


def syllable(rng: random.Random) -> str:
    v = rng.choice(VOWELS)
    v = v[0] + rng.choice(TONES) + v[1:]
    return unicodedata.normalize("NFC", rng.choice(ONSETS) + v + rng.choice(CODAS))


def make_pair(mb: float, seed: int = 7) -> tuple[str, str]:
    rng = random.Random(seed)
    vocab = [syllable(rng) for _ in range(4000)]
    a_lines: list[str] = []
    b_lines: list[str] = []
    size = 0
    while size < mb * 1_000_000:
        words = [rng.choice(vocab) for _ in range(rng.randint(6, 16))]
        if rng.random() < 0.1:
            words[0] = words[0].capitalize()
            words[-1] += rng.choice(".,;:")
        changed = []
        for w in words:
            r = rng.random()
            if r < 0.04:
                changed.append(
                    unicodedata.normalize(
                        "NFC", "".join(c for c in unicodedata.normalize("NFD", w) if c not in TONES)
                    )
                )
            elif r < 0.06:
                changed.append(w[:-1] + rng.choice("lI1rn"))
            elif r < 0.07:
                continue
            elif r < 0.08:
                changed += [w, rng.choice(vocab)]
            else:
                changed.append(w)
        a = " ".join(words)
        a_lines.append(a)
        if rng.random() < 0.01 and len(changed) > 4:
            b_lines += [" ".join(changed[:3]), " ".join(changed[3:])]
        else:
            b_lines.append(" ".join(changed))
        if len(a_lines) % 50 == 0:
            a_lines.append("\f")
            b_lines.append("\f")
        size += len(a.encode("utf-8")) + 1
    return "\n".join(a_lines) + "\n", "\n".join(b_lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--modes", default="summary,json,html")
    ap.add_argument("--keep", type=Path, help="write the pair and reports here")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_diff_"))
    folder.mkdir(parents=True, exist_ok=True)
    a_text, b_text = make_pair(args.mb)
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text(a_text, encoding="utf-8")
    b.write_text(b_text, encoding="utf-8")
    del a_text, b_text
    out = {
        "mb_a": round(a.stat().st_size / 1e6, 1),
        "mb_b": round(b.stat().st_size / 1e6, 1),
        "modes": {},
    }
    cmd = [sys.executable, "-m", "ocr_pipeline", "diff", str(a), str(b)]
    for mode in args.modes.split(","):
        extra = {
            "summary": [],
            "json": ["--json", str(folder / "r.json")],
            "html": ["--html", str(folder / "r.html")],
        }[mode]
        # each mode in a fresh child: ru_maxrss of children is the max over all of them,
        # so measure through a wrapper child that reports its own child's peak
        wrapper = [
            sys.executable,
            "-c",
            "import resource,subprocess,sys,json;"
            "p=subprocess.run(sys.argv[1:]);"
            "print(json.dumps([p.returncode,"
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))",
            *cmd,
            *extra,
        ]
        t0 = time.perf_counter()
        proc = subprocess.run(wrapper, capture_output=True, text=True, env=os.environ)
        lines = proc.stdout.strip().splitlines()
        code, peak = json.loads(lines[-1])
        out["modes"][mode] = {
            "seconds": round(time.perf_counter() - t0, 1),
            "peak_rss_mb": round(peak / 1024),
            "exit": code,
            "summary": lines[0] if len(lines) > 1 else "",
            "stderr": proc.stderr.strip()[-300:],
        }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
