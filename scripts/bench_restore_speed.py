"""Benchmark restoration speed on one whole document and print the figures as JSON.

What issue 12 and issue 15 measure: syllables per second of CPU time (one core) restoring
the real legacy dev document (../shared/samples/legacy_ocr_report_part1.txt, or a FILE
given) with the default settings, adaptation on and off, through the API and the CLI.

- ``api``: each round runs in a fresh Python process that loads the models first (not
  timed: ``load_seconds``), then times ``restore_text(text)`` twice: ``cold`` is the first
  call of the process (every cache of LM contexts, candidates and scores empty: what one
  ``ocr-pipeline restore`` pays), ``warm`` the second. ``no_adapt`` does the same with
  ``adapt=False``; ``adaptation_cost`` is cold time with adaptation over cold time without.
  ``peak_rss_mb``: the worker's peak resident memory.
- ``cli``: ``ocr-pipeline restore FILE -o OUT`` as a user runs it, start-up included: CPU
  time (user + system) of the child process and its peak RSS, from ``getrusage``; and
  ``startup_cpu_seconds``, the same command on a one-word file: the fixed cost of any
  ``restore`` (interpreter, imports, models). The CLI runs with its modules' bytecode
  cached, as an installed package or a second run has it: ``PYTHONDONTWRITEBYTECODE``
  (set on some machines) would make every run compile the project's modules again (~0.05
  s); the bytecode goes to a temporary ``PYTHONPYCACHEPREFIX``, written by the warm-up.

CPU time rather than wall time: the machine may be shared. Each figure is the median of
``--rounds`` rounds (with min and max); rounds of the four kinds are interleaved.

``--baseline DIR``: the same rounds, interleaved with these, for another checkout of the
project (another commit, its compiled modules built in place: ``git worktree add DIR
COMMIT``, then ``pip install -e DIR`` into a scratch venv, or copy the built ``.so`` files),
imported through PYTHONPATH; ``ratios`` are this checkout's medians over the baseline's.
Before/after figures from one session, as the machine's load changes.

Usage: .venv/bin/python scripts/bench_restore_speed.py [FILE] [--rounds 5] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV_OCR = REPO.parent / "shared" / "samples" / "legacy_ocr_report_part1.txt"
TESTS_OCR = REPO / "tests" / "data" / "restore_eval" / "legacy_part1.ocr.txt"
SYLLABLE = r"[\p{L}\p{M}]+"  # as scripts/bench_restore.py counts syllables


def count_syllables(text: str) -> int:
    import regex

    return len(regex.findall(SYLLABLE, text))


def worker(path: str, adapt: bool) -> dict:
    """One API round in this (fresh) process: load, then a cold and a warm call."""
    t0 = time.process_time()
    from ocr_pipeline.restore import get_decoder, restore_text

    for channel in ("eng", "vie"):
        get_decoder(channel)  # LM, channels, dictionaries: loaded, no text decoded yet
    load = time.process_time() - t0
    text = Path(path).read_text(encoding="utf-8")
    out = {"load_seconds": load}
    for label in ("cold", "warm"):
        t0 = time.process_time()
        restore_text(text, adapt=adapt)
        out[f"{label}_seconds"] = time.process_time() - t0
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _env(checkout: Path | None) -> dict[str, str] | None:
    """The environment that imports ocr_pipeline from `checkout` (None: this one)."""
    if checkout is None:
        return None
    return {**os.environ, "PYTHONPATH": str(checkout)}


def _cli_env(checkout: Path | None, pycache: Path) -> dict[str, str]:
    """`_env` with the modules' bytecode written to and read from `pycache`."""
    env = dict(_env(checkout) or os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def run_worker(path: Path, adapt: bool, checkout: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--worker", str(path)]
    if not adapt:
        cmd.append("--no-adapt")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=_env(checkout))
    return json.loads(done.stdout)


def run_cli(path: Path, pycache: Path, checkout: Path | None = None) -> dict:
    """CPU seconds and peak RSS of one `ocr-pipeline restore FILE -o OUT` process, its
    bytecode in `pycache`."""
    exe = Path(sys.executable).with_name("ocr-pipeline")
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(
            [str(exe), "restore", str(path), "-o", str(Path(tmp) / "out.txt")],
            check=True,
            capture_output=True,
            env=_cli_env(checkout, pycache),
        )
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of the children is the largest of any child so far: the CLI is the largest
    return {"cpu_seconds": cpu, "wall_seconds": wall, "peak_rss_mb": after.ru_maxrss / 1024}


def summary(values: list[float], digits: int = 0) -> dict:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def figures(rounds: dict[str, list[dict]], n: int) -> dict:
    """The medians (with min and max) of one checkout's rounds."""

    def rate(kind: str, key: str) -> dict:
        return summary([n / r[key] for r in rounds[kind]])

    cold_adapt = statistics.median(r["cold_seconds"] for r in rounds["adapt"])
    cold_plain = statistics.median(r["cold_seconds"] for r in rounds["no_adapt"])
    return {
        "api": {
            "syllables_per_second_cold": rate("adapt", "cold_seconds"),
            "syllables_per_second_warm": rate("adapt", "warm_seconds"),
            "syllables_per_second_no_adapt_cold": rate("no_adapt", "cold_seconds"),
            "syllables_per_second_no_adapt_warm": rate("no_adapt", "warm_seconds"),
            "adaptation_cost": round(cold_adapt / cold_plain, 2),
            "load_seconds": summary([r["load_seconds"] for r in rounds["adapt"]], 3),
            "peak_rss_mb": summary([r["peak_rss_mb"] for r in rounds["adapt"]]),
        },
        "cli": {
            "syllables_per_second_cpu": rate("cli", "cpu_seconds"),
            "syllables_per_second_wall": rate("cli", "wall_seconds"),
            "cpu_seconds": summary([r["cpu_seconds"] for r in rounds["cli"]], 3),
            "startup_cpu_seconds": summary([r["cpu_seconds"] for r in rounds["startup"]], 3),
            "peak_rss_mb": summary([r["peak_rss_mb"] for r in rounds["cli"]]),
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", help="text to restore (default: the legacy dev document)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--baseline", help="another checkout to measure in the same rounds")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-adapt", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.file, not args.no_adapt)))
        return 0
    path = Path(args.file) if args.file else (DEV_OCR if DEV_OCR.exists() else TESTS_OCR)
    n = count_syllables(path.read_text(encoding="utf-8"))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    baseline = Path(args.baseline).resolve() if args.baseline else None
    checkouts: list[Path | None] = [None] if baseline is None else [None, baseline]
    rounds = {c: {"adapt": [], "no_adapt": [], "cli": [], "startup": []} for c in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        pycache, one_word = Path(tmp) / "pycache", Path(tmp) / "one_word.txt"
        one_word.write_text("xin\n", encoding="utf-8")
        for c in checkouts:
            # warm-up: the array cache entry, the OS page cache and the bytecode
            run_cli(path, pycache, c)
        for _ in range(max(args.rounds, 1)):
            for c in checkouts:
                rounds[c]["adapt"].append(run_worker(path, True, c))
                rounds[c]["no_adapt"].append(run_worker(path, False, c))
                rounds[c]["cli"].append(run_cli(path, pycache, c))
                rounds[c]["startup"].append(run_cli(one_word, pycache, c))
    report: dict = {"file": str(path), "syllables": n, "rounds": args.rounds}
    report.update(figures(rounds[None], n))
    if baseline is not None:
        base = figures(rounds[baseline], n)
        report["baseline"] = {"checkout": str(baseline), **base}
        report["ratios"] = {
            f"{part}.{key}": round(report[part][key]["median"] / base[part][key]["median"], 2)
            for part in ("api", "cli")
            for key in report[part]
            if key.startswith("syllables_per_second")
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
