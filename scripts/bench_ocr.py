"""Benchmark the real `ocr-pipeline run` commands against OCRmyPDF and the Tesseract floor.

Every command is the program a user runs, on the same image-only PDF (samples/report.pdf
repeated to --pages pages, 300 dpi), with the same --jobs and OMP_THREAD_LIMIT=1:

  ours           ocr-pipeline run PDF -o DIR --jobs N            (txt + words.tsv + json)
  ours_pdf       the same with --output-type pdf                 (+ searchable PDF)
  ocrmypdf       ocrmypdf -l vie --jobs N --output-type pdf --sidecar TXT --optimize 0
  floor          per page `pdftoppm -r DPI -gray` then `tesseract PAGE OUT -l vie`, N pages
                 at a time (xargs -P N): rasterise + recognise, nothing else
  ours_ocr_only  run --no-restore --no-structure --no-footnote-markers (the OCR plumbing)
  ours_1p, floor_1p   ours_ocr_only and floor on the first page alone (start-up weight)
  base_*         with --baseline SRC: ours, ours_ocr_only and ours_1p from another source
                 tree (`python -m ocr_pipeline` with PYTHONPATH=SRC), for before/after ratios;
                 --source SRC runs the ours commands from a source tree the same way

After one warm-up round (not counted: it also writes the bytecode caches of a --source or
--baseline tree, which every command then reads, as an installed program does) every
command runs --rounds times, interleaved, the order rotating each round, so no command
always runs first or on a quiet machine. For each:
median wall seconds with min-max; CPU seconds of every descendant, exact: this process is
a child subreaper (prctl), so processes the command never waits for (multiprocessing's
forkserver and resource tracker) are re-parented here and reaped with `wait4`, whose
rusage includes everything each reaped process had reaped itself; where a cpuacct cgroup
can be created, the cgroup's own count is reported beside it (`cpu_cgroup_s`). Peak tree
RSS, PSS and USS are sampled (RSS every 20 ms, PSS/USS every 100 ms, psutil over the whole
tree under this process, orphans included); `peak_uss_mb_by_kind` is the largest private
memory one process of each kind reached (a page worker, tesseract, the parent). CER is
against the ground truth (NFC, whitespace collapsed). For our commands,
`tesseract_interface` is how the run read its pages (NAME.json: libtesseract in-process, or
the tesseract program).

Ratios are of medians from the same interleaved run, with the min-max of the per-round
ratios (how noisy the machine was). Prints JSON. Needs the bench extra (OCRmyPDF, psutil):
pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Python writes and reads its bytecode caches as in a user's installation (pip compiles
# them at install): an inherited PYTHONDONTWRITEBYTECODE made every process of ours compile
# every module of the package again, a cost no installed program pays
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["OMP_THREAD_LIMIT"] = "1"
PR_SET_CHILD_SUBREAPER = 36
CGROUP_ROOT = Path("/sys/fs/cgroup/cpuacct")
RSS_EVERY = 0.02  # seconds between tree RSS samples
FULL_EVERY = 5  # PSS/USS (smaps_rollup) on every 5th sample


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise(reference), normalise(hypothesis)
    return round(Levenshtein.distance(ref, hyp) / max(1, len(ref)), 4)


# ------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One run of one command."""

    wall_s: float
    cpu_s: float  # wait4 rusage of every descendant
    cpu_cgroup_s: float | None  # cpuacct.usage of the command's cgroup, if one was made
    peak_rss_mb: float
    peak_pss_mb: float
    peak_uss_mb_by_kind: dict[str, float] = field(default_factory=dict)


class CpuCgroup:
    """A cpuacct (cgroup v1) group the command is started in; None where it cannot be made."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def make(cls, tag: str) -> CpuCgroup | None:
        path = CGROUP_ROOT / f"bench_ocr_{os.getpid()}_{tag}"
        try:
            path.mkdir()
        except OSError:
            return None
        return cls(path)

    def enter(self) -> None:  # runs in the child between fork and exec
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def seconds(self) -> float:
        return int((self.path / "cpuacct.usage").read_text()) / 1e9

    def remove(self) -> None:
        with contextlib.suppress(OSError):
            self.path.rmdir()


def become_subreaper() -> None:
    """Orphaned descendants are re-parented to this process, so none escapes `wait4`."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SystemExit("prctl(PR_SET_CHILD_SUBREAPER) failed: CPU could not be counted exactly")


def _kind(p: psutil.Process) -> str:
    """What a process is, for the per-kind private memory."""
    try:
        cmd = " ".join(p.cmdline())
        name = p.name()
    except psutil.Error:
        return "?"
    if "forkserver" in cmd:
        return "python (forkserver or its worker)"
    if "resource_tracker" in cmd:
        return "python (resource tracker)"
    if "python" in name or name.startswith(("ocr-pipeline", "ocrmypdf")):
        return f"python ({Path(cmd.split()[1] if len(cmd.split()) > 1 else name).name})"
    return name


def measure(
    argv: list[str], stderr_path: Path, tag: str, env: dict[str, str] | None = None
) -> Sample:
    """Run `argv` to the end of its whole process tree; see the module docstring."""
    group = CpuCgroup.make(tag)
    start = time.perf_counter()
    with open(stderr_path, "wb") as err:
        proc = subprocess.Popen(
            argv,
            env={**ENV, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=group.enter if group else None,
        )
    me = psutil.Process()
    wall: float | None = None
    status = None
    cpu = 0.0
    peak_rss = peak_pss = 0
    uss: dict[str, int] = {}
    tick = 0
    try:
        while True:
            left = True
            while True:  # reap whatever has ended
                try:
                    pid, st, usage = os.wait4(-1, os.WNOHANG)
                except ChildProcessError:
                    left = False
                    break
                if pid == 0:
                    break
                cpu += usage.ru_utime + usage.ru_stime
                if pid == proc.pid:
                    wall = time.perf_counter() - start
                    status = os.waitstatus_to_exitcode(st)
                    proc.returncode = status  # reaped here: Popen must not wait for it
            if not left:
                break
            full = tick % FULL_EVERY == 0
            rss = pss = 0
            for p in me.children(recursive=True):
                try:
                    if full:
                        info = p.memory_full_info()
                        pss += info.pss
                        kind = _kind(p)
                        uss[kind] = max(uss.get(kind, 0), info.uss)
                        rss += info.rss
                    else:
                        rss += p.memory_info().rss
                except psutil.Error:
                    pass
            peak_rss = max(peak_rss, rss)
            peak_pss = max(peak_pss, pss)
            tick += 1
            time.sleep(RSS_EVERY)
        cgroup_cpu = group.seconds() if group else None
    finally:
        if group:
            group.remove()
    if status != 0 or wall is None:
        tail = stderr_path.read_text("utf-8", errors="replace")[-2000:]
        raise SystemExit(f"benchmark command failed ({status}): {shlex.join(argv)}\n{tail}")
    return Sample(
        wall_s=wall,
        cpu_s=cpu,
        cpu_cgroup_s=cgroup_cpu,
        peak_rss_mb=peak_rss / 2**20,
        peak_pss_mb=peak_pss / 2**20,
        peak_uss_mb_by_kind={k: round(v / 2**20, 1) for k, v in sorted(uss.items())},
    )


# --------------------------------------------------------------------------- commands


def build_input(pages: int, path: Path) -> tuple[Path, str]:
    """Concatenate samples/report.pdf until it has `pages` pages; return path and truth."""
    import pikepdf

    source = REPO / "samples" / "report.pdf"
    truth_pages = (REPO / "samples" / "report.gt.txt").read_text("utf-8").split("\f")
    out = pikepdf.Pdf.new()
    truth: list[str] = []
    with pikepdf.Pdf.open(source) as src:
        while len(out.pages) < pages:
            for i, page in enumerate(src.pages):
                if len(out.pages) == pages:
                    break
                out.pages.append(page)
                truth.append(truth_pages[i])
        out.save(path)
    return path, "\f".join(truth)


@dataclass(frozen=True)
class Command:
    """A command line for a run directory, and where its text lands in that directory."""

    argv: Callable[[Path], list[str]]
    text: Callable[[Path], str]
    input_name: str = "bench"  # which input (its truth) the command reads
    env: dict[str, str] | None = None  # added to ENV


def _ours(pdf: Path, jobs: int, dpi: int, *extra: str, source: Path | None = None) -> Command:
    """`ocr-pipeline run`; with `source`, that source tree's package (`python -m`)."""
    # -P: `-m` would put the current folder first on sys.path, so a benchmark started in a
    # checkout would run that checkout's package instead of SRC's (both sides the same code)
    program = (
        [sys.executable, "-P", "-m", "ocr_pipeline"] if source else [str(BIN / "ocr-pipeline")]
    )

    def argv(run: Path) -> list[str]:
        return [
            *program,
            "run",
            str(pdf),
            "-o",
            str(run),
            "--jobs",
            str(jobs),
            "--dpi",
            str(dpi),
            "-q",
            *extra,
        ]

    env = {"PYTHONPATH": str(source)} if source else None  # its caches: written by the warm-up
    return Command(argv, lambda run: (run / f"{pdf.stem}.txt").read_text("utf-8"), pdf.stem, env)


def _floor(pdf: Path, pages: int, jobs: int, dpi: int) -> Command:
    page = (
        f'pdftoppm -r {dpi} -gray -singlefile -f $0 -l $0 {shlex.quote(str(pdf))} "$1/p$0"'
        ' && tesseract "$1/p$0.pgm" "$1/p$0" -l vie 2>/dev/null'
    )

    def argv(run: Path) -> list[str]:
        script = (
            f"mkdir -p {shlex.quote(str(run))} && seq 1 {pages} | "
            f"xargs -P {jobs} -I@ sh -c {shlex.quote(page)} @ {shlex.quote(str(run))}"
        )
        return ["sh", "-c", script]

    def text(run: Path) -> str:
        return "\f".join((run / f"p{n}.txt").read_text("utf-8") for n in range(1, pages + 1))

    return Command(argv, text, pdf.stem)


def _ocrmypdf(pdf: Path, jobs: int, kind: str = "pdf") -> Command:
    def argv(run: Path) -> list[str]:
        run.mkdir(parents=True, exist_ok=True)
        return [
            str(BIN / "ocrmypdf"),
            "-l",
            "vie",
            "--jobs",
            str(jobs),
            "--output-type",
            kind,
            "--optimize",
            "0",
            "--sidecar",
            str(run / "sidecar.txt"),
            str(pdf),
            str(run / "out.pdf"),
        ]

    return Command(argv, lambda run: (run / "sidecar.txt").read_text("utf-8"), pdf.stem)


def commands(args: argparse.Namespace, pdf: Path, one: Path) -> dict[str, Command]:
    j, d = args.jobs, args.dpi
    src = args.source.resolve() if args.source else None
    plumbing = ("--no-restore", "--no-structure", "--no-footnote-markers")
    found = {
        "ours": _ours(pdf, j, d, source=src),
        "ours_pdf": _ours(pdf, j, d, "--output-type", "pdf", source=src),
        "ocrmypdf": _ocrmypdf(pdf, j),
        "floor": _floor(pdf, args.pages, j, d),
        "ours_ocr_only": _ours(pdf, j, d, *plumbing, source=src),
        "ours_1p": _ours(one, j, d, *plumbing, source=src),
        "floor_1p": _floor(one, 1, j, d),
    }
    if args.baseline:  # the same commands from another source tree: before/after a change
        for name in ("ours", "ours_ocr_only", "ours_1p"):
            extra = {
                "ours": (),
                "ours_ocr_only": plumbing,
                "ours_1p": plumbing,
            }[name]
            found[f"base_{name}"] = _ours(
                one if name == "ours_1p" else pdf, j, d, *extra, source=args.baseline.resolve()
            )
    if args.pdfa:
        found["ours_pdfa"] = _ours(pdf, j, d, "--output-type", "pdfa", source=src)
        found["ocrmypdf_pdfa"] = _ocrmypdf(pdf, j, "pdfa")
    if not shutil.which(str(BIN / "ocrmypdf")):
        found = {k: v for k, v in found.items() if not k.startswith("ocrmypdf")}
    if args.only:
        found = {k: v for k, v in found.items() if k in args.only}
    return found


# ------------------------------------------------------------------------------ report


def spread(values: list[float], digits: int = 2) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def steps_per_page(name_json: Path, pages: int) -> dict[str, float]:
    """Our per-step seconds per page (Document.timings in NAME.json; summed over workers)."""
    timings = json.loads(name_json.read_text("utf-8")).get("timings", {})
    return {k: round(v / pages, 3) for k, v in timings.items() if k != "total" and v}


def tesseract_interface(name_json: Path) -> str:
    """How our run read its pages (NAME.json's versions; absent before it was recorded)."""
    versions = json.loads(name_json.read_text("utf-8")).get("versions", {})
    return str(versions.get("tesseract_interface") or "tesseract program (not recorded)")


RATIOS = (
    ("ours", "ocrmypdf"),
    ("ours_pdf", "ocrmypdf"),
    ("ours_pdfa", "ocrmypdf_pdfa"),
    ("ours", "floor"),
    ("ours_ocr_only", "floor"),
    ("ocrmypdf", "floor"),
    ("ours_1p", "floor_1p"),
    ("ours", "base_ours"),
    ("ours_pdf", "base_ours_pdf"),
    ("ours_ocr_only", "base_ours_ocr_only"),
    ("ours_1p", "base_ours_1p"),
    ("base_ours", "ocrmypdf"),
    ("base_ours_ocr_only", "floor"),
    ("base_ours_1p", "floor_1p"),
)


def ratios(samples: dict[str, list[Sample]]) -> dict[str, dict]:
    """ours/theirs of the medians, with the min-max of the same-round ratios."""
    out = {}
    for a, b in RATIOS:
        if a not in samples or b not in samples:
            continue
        entry = {}
        for what in ("wall_s", "cpu_s"):
            xs = [getattr(s, what) for s in samples[a]]
            ys = [getattr(s, what) for s in samples[b]]
            per_round = [x / y for x, y in zip(xs, ys, strict=True)]
            entry[what.removesuffix("_s")] = {
                "of_medians": round(statistics.median(xs) / statistics.median(ys), 3),
                "per_round_min": round(min(per_round), 3),
                "per_round_max": round(max(per_round), 3),
            }
        out[f"{a}/{b}"] = entry
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds (after a warm-up)")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument(
        "--pdfa", action="store_true", help="also run --output-type pdfa, ours and OCRmyPDF's"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="SRC",
        help="also run ours from this source tree (e.g. `git archive` of the "
        "commit before a change), for before/after ratios in the same run",
    )
    parser.add_argument(
        "--source",
        type=Path,
        metavar="SRC",
        help="run ours from this source tree instead of the installed package "
        "(a snapshot, so the checkout can change while the benchmark runs)",
    )
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these commands")
    args = parser.parse_args()
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="bench_ocr_") as tmp:
        work = Path(tmp)
        pdf, truth = build_input(args.pages, work / "bench.pdf")
        one, one_truth = build_input(1, work / "one.pdf")
        truths = {pdf.stem: truth, one.stem: one_truth}
        runs = commands(args, pdf, one)
        names = list(runs)
        samples: dict[str, list[Sample]] = {n: [] for n in names}
        cers: dict[str, set[float]] = {n: set() for n in names}
        steps: dict[str, list[dict[str, float]]] = {n: [] for n in names}
        interfaces: dict[str, set[str]] = {n: set() for n in names}
        rounds = range(0 if args.no_warmup else -1, args.rounds)
        for number in rounds:
            shift = number % len(names)  # the order rotates every round
            for name in names[shift:] + names[:shift]:
                run = work / f"r{number}" / name
                run.parent.mkdir(exist_ok=True)
                cmd = runs[name]
                sample = measure(cmd.argv(run), work / "stderr.txt", f"{name}_{number}", cmd.env)
                print(
                    f"round {number} {name}: {sample.wall_s:.2f} s wall, {sample.cpu_s:.2f} s CPU",
                    file=sys.stderr,
                )
                if number < 0:
                    shutil.rmtree(run, ignore_errors=True)
                    continue
                samples[name].append(sample)
                cers[name].add(cer(truths[cmd.input_name], cmd.text(run)))
                meta = run / f"{cmd.input_name}.json"
                if meta.exists():
                    pages = args.pages if cmd.input_name == pdf.stem else 1
                    steps[name].append(steps_per_page(meta, pages))
                    interfaces[name].add(tesseract_interface(meta))
                shutil.rmtree(run, ignore_errors=True)
    results: dict[str, dict] = {}
    for name in names:
        got = samples[name]
        entry: dict = {
            "command": shlex.join(runs[name].argv(Path("OUT"))).replace(str(BIN) + "/", ""),
            "wall_s": spread([s.wall_s for s in got]),
            "cpu_s": spread([s.cpu_s for s in got]),
            "peak_rss_mb": spread([s.peak_rss_mb for s in got], 0),
            "peak_pss_mb": spread([s.peak_pss_mb for s in got], 0),
            "peak_uss_mb_by_kind": {
                k: max(s.peak_uss_mb_by_kind.get(k, 0) for s in got)
                for k in sorted({k for s in got for k in s.peak_uss_mb_by_kind})
            },
            "cer": sorted(cers[name]) if len(cers[name]) > 1 else next(iter(cers[name])),
        }
        if all(s.cpu_cgroup_s is not None for s in got):
            entry["cpu_cgroup_s"] = spread([s.cpu_cgroup_s or 0.0 for s in got])
        if steps[name]:
            keys = sorted({k for st in steps[name] for k in st})
            entry["steps_s_per_page"] = {
                k: round(statistics.median(st.get(k, 0.0) for st in steps[name]), 3) for k in keys
            }
        if interfaces[name]:  # how our run read its pages: libtesseract or the program
            entry["tesseract_interface"] = " | ".join(sorted(interfaces[name]))
        results[name] = entry
    report = {
        "pages": args.pages,
        "jobs": args.jobs,
        "dpi": args.dpi,
        "rounds": args.rounds,
        "warmup": not args.no_warmup,
        "cpu": "wait4 rusage of every descendant (child subreaper); cpu_cgroup_s: cpuacct cgroup",
        "results": results,
        "ratios": ratios(samples),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
