"""Benchmark `ocr-pipeline run` against OCRmyPDF and plain tesseract on the same PDF.

All three run in this one invocation, on the same multi-page PDF, with the same number
of parallel jobs and OMP_THREAD_LIMIT=1:
  - ours:      ocr-pipeline run PDF -o DIR --jobs N (OCR, restoration and structure)
  - ours_ocr_only: the same with --no-restore --no-structure (the OCR spine alone)
  - ocrmypdf:  ocrmypdf -l vie --jobs N --sidecar TXT --output-type pdf PDF OUT.pdf
  - tesseract: per page `pdftoppm -r DPI -gray` then `tesseract PAGE - -l vie`, N pages
               at a time (the floor: rasterise + recognise, nothing else)
For each: wall seconds, CPU seconds (user + system) and peak RSS (MB) of the whole process
tree, pages/s and CER against the ground truth (whitespace-collapsed, NFC); for ours also
the seconds per page of each step (Document.timings from NAME.json, wall time inside the
workers). Ratios are ours / theirs, of wall time and of CPU time: on a machine shared with
other jobs the CPU ratio is the steadier one.

Input: samples/report.pdf repeated to --pages pages (built into build/bench/ with its
ground truth) so timings are not dominated by start-up. Prints JSON.
Needs the bench extra: pip install -e '.[bench]' (OCRmyPDF).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise(reference), normalise(hypothesis)
    return round(Levenshtein.distance(ref, hyp) / max(1, len(ref)), 4)


def timed_tree(cmd: list[str]) -> tuple[float, float, float]:
    """Run `cmd`; return (wall seconds, peak RSS in MB, CPU seconds) of its process tree.

    The tree's RSS is summed and sampled every 50 ms (psutil, which OCRmyPDF brings):
    getrusage's children figure misses pool workers that are never waited for. CPU seconds
    (user + system) are each process's last sample, summed over every process seen; a
    process loses at most its last 50 ms. CPU time is far less disturbed than wall time
    when other jobs share the machine, so compare it too.
    """
    import psutil

    start = time.perf_counter()
    proc = psutil.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    cpu: dict[tuple[int, float], float] = {}  # (pid, create time) -> user + system seconds
    while proc.poll() is None:
        total = 0
        try:
            for p in [proc, *proc.children(recursive=True)]:
                try:
                    with p.oneshot():
                        total += p.memory_info().rss
                        times = p.cpu_times()
                        cpu[(p.pid, p.create_time())] = times.user + times.system
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace")[-2000:]
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err}")
    return wall, peak / 2**20, sum(cpu.values())


def steps_per_page(name_json: Path, pages: int) -> dict[str, float]:
    """Our per-step seconds per page (Document.timings in NAME.json; summed over workers)."""
    timings = json.loads(name_json.read_text("utf-8")).get("timings", {})
    return {k: round(v / pages, 3) for k, v in timings.items() if k != "total" and v}


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
    """Per page: pdftoppm to PGM (uncompressed: PNG encoding alone costs ~6 s a page),
    then `tesseract PAGE - -l vie`; `jobs` pages at a time."""
    from pdf2image import pdfinfo_from_path

    pages = int(pdfinfo_from_path(str(pdf))["Pages"])

    def one(number: int) -> str:
        stem = workdir / f"floor-{number}"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
                str(pdf),
                str(stem),
            ],
            check=True,
            env=ENV,
        )
        return subprocess.run(
            ["tesseract", f"{stem}.pgm", "-", "-l", "vie"],
            env=ENV,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    with ThreadPoolExecutor(jobs) as pool:
        return "\f".join(pool.map(one, range(1, pages + 1)))


def ours_pdf(source: Path, out: Path, jobs: int, dpi: int,
             pdfa_out: Path | None = None, markers: bool = True) -> dict[str, float]:  # fmt: skip
    """Our searchable PDF in this process: OCR + restoration, then the text layer; with
    `pdfa_out`, also the PDF/A-2b from the same OCR (`export.pdfa`, timed on its own)."""
    from ocr_pipeline.export.pdf import write_searchable_pdf
    from ocr_pipeline.pipeline import PipelineOptions, process_document

    start = time.perf_counter()
    doc = process_document(source, PipelineOptions(dpi=dpi, jobs=jobs, footnote_markers=markers))
    middle = time.perf_counter()
    write_searchable_pdf(doc, source, out)
    steps = {"ocr_restore_s": middle - start, "pdf_write_s": time.perf_counter() - middle}
    if pdfa_out is not None:
        from ocr_pipeline.export.pdfa import write_pdfa

        begin = time.perf_counter()
        write_pdfa(doc, source, pdfa_out)
        steps["pdfa_write_s"] = time.perf_counter() - begin
    return steps


def pdf_facts(path: Path, truth: str) -> dict:
    """Size, pdftotext CER against the truth, and the PDF/A claim of one output PDF."""
    import pikepdf

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    with pikepdf.open(path) as pdf:
        claim = pdf.open_metadata().pdfa_status or None
    return {"size_mb": round(path.stat().st_size / 2**20, 2), "pdftotext_cer": cer(truth, text),
            "pdfa": claim}  # fmt: skip


def pdf_benchmark(args: argparse.Namespace) -> dict:
    """--pdf: our searchable PDF (OCR + restore + text layer) vs `ocrmypdf --output-type
    pdf` on the same input, same jobs; wall time, output size, and CER of the text that
    pdftotext extracts from each PDF (what a reader searching the PDF gets).

    --pdfa adds the PDF/A-2b outputs: ours from the same OCR run (`pdfa_write_s` is its own
    cost: a second text-layer build plus OCRmyPDF's conversion without OCR; our wall time
    for PDF/A alone is estimated as wall_s - pdf_write_s), and `ocrmypdf --output-type
    pdfa` (OCR + PDF/A) timed as its own run.

    --repeat N runs every tool N times, interleaved in rotating order, and reports the
    median wall and CPU seconds (CPU time is the steadier on a shared machine); the ratios
    are of those medians."""
    with tempfile.TemporaryDirectory(prefix="bench_pdf_") as tmp:
        work = Path(tmp)
        pdf, truth = build_input(args.pages, work)
        results: dict[str, dict] = {}
        ours = [sys.executable, __file__, "--pdf-ours", str(pdf), str(work / "ours.pdf"),
                "--jobs", str(args.jobs), "--dpi", str(args.dpi)]  # fmt: skip
        runs = {"ours": ours + (["--pdfa"] if args.pdfa else [])}
        if args.also_no_markers:  # the same without the footnote-marker pass
            runs["ours_no_markers"] = [*ours[:4], str(work / "ours_no_markers.pdf"), *ours[5:],
                                       "--no-footnote-markers"]  # fmt: skip
        if shutil.which(str(BIN / "ocrmypdf")):
            for kind in ("pdf", "pdfa") if args.pdfa else ("pdf",):
                name = "ocrmypdf" if kind == "pdf" else "ocrmypdf_pdfa"
                runs[name] = [str(BIN / "ocrmypdf"), "-l", "vie", "--jobs", str(args.jobs),
                              "--output-type", kind, "--optimize", "0", str(pdf),
                              str(work / f"{name}.pdf")]  # fmt: skip
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
        names = list(runs)
        for round_number in range(args.repeat):
            # rotate the order each round so no tool always runs first (warm caches)
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                samples[name].append(timed_tree(runs[name]))
        for name in runs:
            walls = [w for w, _, _ in samples[name]]
            cpus = [c for _, _, c in samples[name]]
            out = work / f"{name}.pdf"
            results[name] = {"wall_s": round(statistics.median(walls), 2),
                             "cpu_s": round(statistics.median(cpus), 2),
                             "peak_rss_mb": round(max(r for _, r, _ in samples[name]), 1),
                             **pdf_facts(out, truth)}  # fmt: skip
            if args.repeat > 1:
                results[name]["wall_s_runs"] = [round(w, 2) for w in walls]
                results[name]["cpu_s_runs"] = [round(c, 2) for c in cpus]
            steps = out.with_suffix(".steps.json")
            if steps.exists():  # ours: how the time splits between OCR and the PDF layer
                results[name].update(
                    {k: round(v, 2) for k, v in json.loads(steps.read_text("utf-8")).items()}
                )
        if args.pdfa:
            results["ours_pdfa"] = {
                "wall_s_est": round(results["ours"]["wall_s"] - results["ours"]["pdf_write_s"], 2),
                **pdf_facts(work / "ours.pdfa.pdf", truth),
            }
    report = {"pages": args.pages, "jobs": args.jobs, "dpi": args.dpi, "repeat": args.repeat,
              "results": results}  # fmt: skip
    if "ocrmypdf" in results:
        theirs = results["ocrmypdf"]
        for name in ("ours", "ours_no_markers"):
            if name in results:
                tag = "ours" if name == "ours" else "ours_no_markers"
                report[f"pdf_wall_ratio_{tag}_vs_ocrmypdf"] = round(
                    results[name]["wall_s"] / theirs["wall_s"], 3
                )
                report[f"pdf_cpu_ratio_{tag}_vs_ocrmypdf"] = round(
                    results[name]["cpu_s"] / theirs["cpu_s"], 3
                )
    if "ocrmypdf_pdfa" in results:
        report["pdfa_wall_ratio_ours_vs_ocrmypdf"] = round(
            results["ours_pdfa"]["wall_s_est"] / results["ocrmypdf_pdfa"]["wall_s"], 3
        )
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--skip-ocrmypdf", action="store_true")
    parser.add_argument("--floor", nargs=2, metavar=("PDF", "OUT_TXT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="only time our searchable PDF against ocrmypdf --output-type pdf",
    )
    parser.add_argument("--pdfa", action="store_true",
                        help="with --pdf: also PDF/A-2b, ours (export.pdfa) against "
                        "ocrmypdf --output-type pdfa")  # fmt: skip
    parser.add_argument(
        "--also-no-markers",
        action="store_true",
        help="with --pdf: also time ours with --no-footnote-markers",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="with --pdf: run every tool this many times, interleaved, and "
        "report medians (wall time here moves by about 20%% between runs)",
    )
    parser.add_argument("--no-footnote-markers", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pdf-ours", nargs=2, metavar=("PDF", "OUT_PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pdf_ours:  # internal: our searchable PDF, run as its own timed process
        out = Path(args.pdf_ours[1])
        pdfa_out = out.with_suffix(".pdfa.pdf") if args.pdfa else None
        steps = ours_pdf(
            Path(args.pdf_ours[0]),
            out,
            args.jobs,
            args.dpi,
            pdfa_out,
            markers=not args.no_footnote_markers,
        )
        out.with_suffix(".steps.json").write_text(json.dumps(steps), "utf-8")
        return 0
    if args.pdf:
        print(json.dumps(pdf_benchmark(args), indent=2, ensure_ascii=False))
        return 0
    if args.floor:  # internal: the plain-tesseract floor, run as its own timed process
        with tempfile.TemporaryDirectory(prefix="bench_floor_") as tmp:
            text = tesseract_floor(Path(args.floor[0]), args.jobs, args.dpi, Path(tmp))
        Path(args.floor[1]).write_text(text, "utf-8")
        return 0

    with tempfile.TemporaryDirectory(prefix="bench_ocr_") as tmp:
        work = Path(tmp)
        pdf, truth = build_input(args.pages, work)
        results: dict[str, dict] = {}

        # "ours": the full product (OCR + restoration + structure); "ours_ocr_only": the
        # same OCR spine without them, comparable with what the other two tools do
        for name, extra in (("ours", []), ("ours_ocr_only", ["--no-restore", "--no-structure"])):
            outdir = work / name
            wall, rss, cpu = timed_tree([str(BIN / "ocr-pipeline"), "run", str(pdf), "-o",
                                    str(outdir), "--jobs", str(args.jobs), "--dpi",
                                    str(args.dpi), *extra])  # fmt: skip
            results[name] = {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": rss,
                             "cer": cer(truth, (outdir / "bench.txt").read_text("utf-8")),
                             "steps_s_per_page": steps_per_page(outdir / "bench.json",
                                                                args.pages)}  # fmt: skip

        floor_txt = work / "floor.txt"
        wall, rss, cpu = timed_tree(
            [
                sys.executable,
                __file__,
                "--floor",
                str(pdf),
                str(floor_txt),
                "--jobs",
                str(args.jobs),
                "--dpi",
                str(args.dpi),
            ]
        )
        results["tesseract"] = {
            "wall_s": wall,
            "cpu_s": cpu,
            "peak_rss_mb": rss,
            "cer": cer(truth, floor_txt.read_text("utf-8")),
        }

        if not args.skip_ocrmypdf and shutil.which(str(BIN / "ocrmypdf")):
            sidecar = work / "ocrmypdf.txt"
            wall, rss, cpu = timed_tree([str(BIN / "ocrmypdf"), "-l", "vie", "--jobs",
                                    str(args.jobs), "--sidecar", str(sidecar), "--output-type",
                                    "pdf", "--optimize", "0", str(pdf),
                                    str(work / "ocrmypdf.pdf")])  # fmt: skip
            results["ocrmypdf"] = {
                "wall_s": wall,
                "cpu_s": cpu,
                "peak_rss_mb": rss,
                "cer": cer(truth, sidecar.read_text("utf-8")),
            }

    for r in results.values():
        r["wall_s"] = round(r["wall_s"], 2)
        r["cpu_s"] = round(r["cpu_s"], 2)
        r["pages_per_s"] = round(args.pages / r["wall_s"], 3)
        r["peak_rss_mb"] = round(r["peak_rss_mb"], 1)
    ratios = {
        f"{ours}_vs_{other}": round(results[ours]["wall_s"] / results[other]["wall_s"], 3)
        for ours in ("ours", "ours_ocr_only")
        for other in ("tesseract", "ocrmypdf")
        if other in results
    }
    cpu_ratios = {
        f"{ours}_vs_{other}": round(results[ours]["cpu_s"] / results[other]["cpu_s"], 3)
        for ours in ("ours", "ours_ocr_only")
        for other in ("tesseract", "ocrmypdf")
        if other in results
    }
    print(json.dumps({"pages": args.pages, "jobs": args.jobs, "dpi": args.dpi,
                      "results": results, "wall_ratios": ratios, "cpu_ratios": cpu_ratios},
                     indent=2, ensure_ascii=False))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
