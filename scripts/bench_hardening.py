"""Size bars of the hardening issue: wall time and peak memory of the text commands on
large invented inputs (no corpus text). Prints one JSON object per measurement.

    python scripts/bench_hardening.py structure --mb 50
    python scripts/bench_hardening.py restore-json --mb 5

`structure` gets text without form feeds (the legacy-dump case that was quadratic);
`restore-json` gets lines of undiacritised words. Peak RSS is the child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "bao cao ket qua cong tac thang nam phuong xa huyen tinh uy ban nhan dan ve viec "
    "trien khai thuc hien ke hoach kiem tra giam sat chi dao cac don vi lien quan"
).split()


def invented_text(megabytes: float, seed: int = 7) -> str:
    """Paragraphs of invented words, numbered headings, footnote-like lines after blanks."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    target = int(megabytes * 1_000_000)
    note = 1
    while size < target:
        kind = rng.random()
        if kind < 0.05:
            line = f"{rng.randint(1, 9)}. {' '.join(rng.choices(WORDS, k=5)).capitalize()}"
        elif kind < 0.08:
            line = f"\n{note} {' '.join(rng.choices(WORDS, k=8)).capitalize()}."
            note = note % 20 + 1
        else:
            words = rng.choices(WORDS, k=rng.randint(6, 14))
            if rng.random() < 0.05:
                words[-1] += str(rng.randint(1, 20))
            line = " ".join(words).capitalize() + rng.choice((",", ".", ";", ""))
        out.append(line)
        size += len(line) + 1
    return "\n".join(out) + "\n"


def measure(argv: list[str]) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "exit_code": proc.returncode,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024),
        "stderr": proc.stderr.strip()[-300:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("structure", "restore-json"))
    parser.add_argument("--mb", type=float, default=5.0, help="input size in MB")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "ocr_pipeline"]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.txt"
        src.write_text(invented_text(args.mb), encoding="utf-8")
        if args.command == "structure":
            argv = [*cli, "structure", str(src), "-o", str(Path(tmp) / "out.json")]
        else:
            argv = [
                *cli,
                "restore",
                str(src),
                "-o",
                str(Path(tmp) / "out.json"),
                "--format",
                "json",
            ]
        result = measure(argv)
        out = Path(tmp) / "out.json"
        result["output_mb"] = round(out.stat().st_size / 1e6, 1) if out.exists() else None
    print(json.dumps({"command": args.command, "input_mb": args.mb, **result}))


if __name__ == "__main__":
    main()
