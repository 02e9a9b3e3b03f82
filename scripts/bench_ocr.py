"""Benchmark `ocr-pipeline run` against OCRmyPDF and plain tesseract on the same PDF.

All three run in this one invocation, on the same multi-page PDF, with the same number
of parallel jobs and OMP_THREAD_LIMIT=1:
  - ours:      ocr-pipeline run PDF -o DIR --jobs N
  - ocrmypdf:  ocrmypdf -l vie --jobs N --sidecar TXT --output-type pdf PDF OUT.pdf
  - tesseract: pdftoppm -r DPI per page, then `tesseract PAGE - -l vie`, N pages at a time
               (the floor: rasterise + recognise, nothing else)
For each: wall seconds, pages/s, peak RSS of the largest process (MB) and CER against
the ground truth (whitespace-collapsed, NFC). Ratios are ours / theirs.

Input: samples/report.pdf repeated to --pages pages (built into build/bench/ with its
ground truth) so timings are not dominated by start-up. Prints JSON.
Needs the bench extra: pip install -e '.[bench]' (OCRmyPDF).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}

# Runs a command and prints the peak RSS (kB) of its largest descendant, on stderr's last line.
_RSS_WRAPPER = (
    "import resource,subprocess,sys;"
    "rc=subprocess.run(sys.argv[1:]).returncode;"
    "print('MAXRSS',resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,file=sys.stderr);"
    "sys.exit(rc)"
)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise(reference), normalise(hypothesis)
    return round(Levenshtein.distance(ref, hyp) / max(1, len(ref)), 4)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`; return (wall seconds, peak RSS MB of its largest process)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *cmd], env=ENV, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    rss_kb = int(proc.stderr.strip().splitlines()[-1].split()[1])
    return wall, rss_kb / 1024


def build_input(pages: int, workdir: Path) -> tuple[Path, str]:
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
        path = workdir / "bench.pdf"
        out.save(path)
    return path, "\f".join(truth)


def tesseract_floor(pdf: Path, jobs: int, dpi: int, workdir: Path) -> str:
    pagedir = workdir / "floor"
    pagedir.mkdir()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(pagedir / "p")],
                   check=True, env=ENV)
    pngs = sorted(pagedir.glob("p-*.png"))

    def one(png: Path) -> str:
        return subprocess.run(["tesseract", str(png), "-", "-l", "vie"], env=ENV,
                              capture_output=True, text=True, check=True).stdout

    with ThreadPoolExecutor(jobs) as pool:
        return "\f".join(pool.map(one, pngs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--skip-ocrmypdf", action="store_true")
    parser.add_argument("--floor", nargs=2, metavar=("PDF", "OUT_TXT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:  # internal: the plain-tesseract floor, run as its own timed process
        with tempfile.TemporaryDirectory(prefix="bench_floor_") as tmp:
            text = tesseract_floor(Path(args.floor[0]), args.jobs, args.dpi, Path(tmp))
        Path(args.floor[1]).write_text(text, "utf-8")
        return 0

    with tempfile.TemporaryDirectory(prefix="bench_ocr_") as tmp:
        work = Path(tmp)
        pdf, truth = build_input(args.pages, work)
        results: dict[str, dict] = {}

        outdir = work / "ours"
        wall, rss = timed([str(BIN / "ocr-pipeline"), "run", str(pdf), "-o", str(outdir),
                           "--jobs", str(args.jobs), "--dpi", str(args.dpi)])
        results["ours"] = {"wall_s": wall, "peak_rss_mb": rss,
                           "cer": cer(truth, (outdir / "bench.txt").read_text("utf-8"))}

        floor_txt = work / "floor.txt"
        wall, rss = timed([sys.executable, __file__, "--floor", str(pdf), str(floor_txt),
                           "--jobs", str(args.jobs), "--dpi", str(args.dpi)])
        results["tesseract"] = {"wall_s": wall, "peak_rss_mb": rss,
                                "cer": cer(truth, floor_txt.read_text("utf-8"))}

        if not args.skip_ocrmypdf and shutil.which(str(BIN / "ocrmypdf")):
            sidecar = work / "ocrmypdf.txt"
            wall, rss = timed([str(BIN / "ocrmypdf"), "-l", "vie", "--jobs", str(args.jobs),
                               "--sidecar", str(sidecar), "--output-type", "pdf",
                               "--optimize", "0", str(pdf), str(work / "ocrmypdf.pdf")])
            results["ocrmypdf"] = {"wall_s": wall, "peak_rss_mb": rss,
                                   "cer": cer(truth, sidecar.read_text("utf-8"))}

    for r in results.values():
        r["wall_s"] = round(r["wall_s"], 2)
        r["pages_per_s"] = round(args.pages / r["wall_s"], 3)
        r["peak_rss_mb"] = round(r["peak_rss_mb"], 1)
    ours = results["ours"]["wall_s"]
    ratios = {
        f"ours_vs_{name}": round(ours / r["wall_s"], 3)
        for name, r in results.items()
        if name != "ours"
    }
    print(json.dumps({"pages": args.pages, "jobs": args.jobs, "dpi": args.dpi,
                      "results": results, "wall_ratios": ratios}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
