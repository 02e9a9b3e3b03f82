"""Wall time, CPU and peak memory of whole process trees, compared in interleaved rounds.

Each VARIANT is a label and a shell-free command line (`LABEL=CMD ...`); `{out}` in it is
replaced by a fresh output folder per run. After one warm-up round of every variant, each
of `--rounds` rounds runs every variant once, in an order rotated round by round, and
the medians (with min and max) are printed as JSON with the ratios of every variant to
the first one.

CPU is exact for the whole tree: this process becomes a child subreaper, so descendants
that their parents never reap (a forkserver, a resource tracker) are re-parented here
and reaped once the command has exited; every reaped descendant's CPU then shows in
RUSAGE_CHILDREN (a parent that reaps its children adds theirs to its own). Wall time
ends when the command exits. Peak tree RSS is sampled every 20 ms over /proc (a sum of
RSS counts shared pages once per process: an upper bound).

    .venv/bin/python scripts/bench_tree.py --rounds 5 \\
        before="env PYTHONPATH=/tmp/old .venv/bin/ocr-pipeline run six.pdf -o {out} -q --jobs 2" \\
        after=".venv/bin/ocr-pipeline run six.pdf -o {out} -q --jobs 2"
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
PAGE = os.sysconf("SC_PAGE_SIZE")


def become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_rss(root: int) -> int:
    """Bytes of RSS summed over `root`'s descendants (and the processes re-parented here)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * PAGE
    me = os.getpid()
    total = 0
    for pid in rss:
        p = pid
        while p > 1 and p != root and p != me:
            p = parents.get(p, 0)
        if p in (root, me) and pid != me:
            total += rss[pid]
    return total


def reap_all(timeout: float = 60.0) -> None:
    """Wait for every process re-parented to us (they end once the command is gone)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)
    raise RuntimeError("descendants still running after the command ended")


def run_once(command: str, workdir: Path) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix="run.", dir=workdir))
    argv = shlex.split(command.replace("{out}", str(out)))
    peak = 0
    done = threading.Event()
    cpu0 = children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    reap_all()
    cpu = children_cpu() - cpu0
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{command} exited {proc.returncode}: {stderr.decode()[-500:]}")
    return {"wall_s": wall, "cpu_s": cpu, "peak_tree_rss_mb": peak / 2**20}


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+", metavar="LABEL=CMD")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    variants = dict(v.split("=", 1) for v in args.variants)
    labels = list(variants)
    become_subreaper()
    results: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
    with tempfile.TemporaryDirectory(prefix="bench_tree.") as tmp:
        for label in labels:  # warm-up: page cache, model cache, compiled bytecode
            run_once(variants[label], Path(tmp))
        for r in range(args.rounds):
            order = labels[r % len(labels) :] + labels[: r % len(labels)]
            for label in order:
                results[label].append(run_once(variants[label], Path(tmp)))
                print(f"round {r + 1} {label}: {results[label][-1]}", file=sys.stderr)
    report: dict[str, dict] = {"rounds": {"count": args.rounds}, "variants": {}}
    for label in labels:
        report["variants"][label] = {
            "command": variants[label],
            **{k: summary([x[k] for x in results[label]]) for k in results[label][0]},
        }
    base = report["variants"][labels[0]]
    for label in labels[1:]:
        mine = report["variants"][label]
        mine["ratio_to_" + labels[0]] = {
            k: round(mine[k]["median"] / base[k]["median"], 3) for k in results[label][0]
        }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
