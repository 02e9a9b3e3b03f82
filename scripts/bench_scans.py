"""Benchmark `ocr-pipeline run` on bad scans: resolution x degradation, beside plain Tesseract.

Every condition of the grid (dpi 300/200/150 x `synth.SCAN_KINDS`: clean, soft, photocopy,
fax, jpeg, bleed) is rendered from each document (Noto Serif 13 pt, first page, drawn at
300 dpi; `synth.scan` spoils the paper there and samples it at the scan's dpi) into a PNG
carrying its dpi. Then, in this one invocation:

  - ours:      the real CLI, ``ocr-pipeline run DIR -o OUT --jobs N`` over all the files
  - tesseract: ``tesseract FILE - -l vie`` per file, N at a time (the floor)
  - ocrmypdf:  ``ocrmypdf -l vie --sidecar TXT FILE.png OUT.pdf`` per file, N at a time

For each condition (summed over the documents): CER (Levenshtein / truth length, both
whitespace-collapsed and NFC) and syllable accuracy (scripts/bench_restore.py's `score`),
and our mean seconds per page (NAME.json page seconds: raster to restoration, in the
worker), and the reviewer's low-confidence flag in our words.tsv (``ours_flag``: the
words still wrong, how many of them the flag catches, words flagged, recall, precision;
`flags`). The truth is in visual reading order: lines drawn side by side (a two-column
header row) are joined left to right, as Tesseract reads them.

Documents (`--split`):
  test (default): the invented documents in scripts/bench_scans_docs/ (never used for tuning)
  dev:            held-out Công báo documents 12 and 13 (scripts/corpus.py; the restoration
                  set of make_restore_eval.py uses 0-11), the ones the image side is tuned
                  on; rendered into build/ only (corpus text is never committed)
`--docs DIR` replaces the split with the *.txt documents of DIR, in the markup of
scripts/bench_scans_docs/ (`synth.render_pages`'s markup; its first page is rendered).

Usage: .venv/bin/python scripts/bench_scans.py [--split test|dev | --docs DIR] [--quick]
       [--limit N] [--jobs 2]
       [--dpis 300,200,150] [--kinds clean,soft,...] [--no-ocrmypdf] [--no-tesseract]
       [--keep DIR] [--run-args "--no-restore ..."] [--font noto|mono|serif|FILE.ttf]
--quick: one document, 200 and 150 dpi, soft and photocopy only.
--font: the pages' font (default noto); `mono` draws them at a typewriter's even pitch.

--cost: instead of the tools, the price of the second reading (ocr_pipeline.reread), in this
process, one page at a time: per file raster + preprocess, then the page read once and
restored, and read as `run` reads it (a weak page's weak words twice) and restored with
the second reading's words (`restore.alternatives`), each timed, the two interleaved page
by page; per condition the mean wall seconds, `ratio` = wall time with the second reading
/ without it, and `cpu_ratio` the same in CPU seconds of this process (Tesseract is read
in-process; on a shared machine the wall ratios move by 10-15% on pages read once),
`cpu_ratio_worst_page` its largest page.
And the price of `run` as a whole on each page: the page as a page worker processes it, then
the document restore step on it (ocr_pipeline.document_restore), by default and with
--no-reread-weak-pages (this round's branch point's `run`), interleaved page by page;
`cpu_ratio_run` = CPU time by default / without the second reading (the issue's cost
bar), `cpu_ratio_run_worst_page` its largest page, `pages_adapted` the pages the default
re-restored adapted. `cpu_ms_tails`: the CPU milliseconds a page spends reading a light
copy's comma tails (`ocr_pipeline.tails`, thickened pages only, in both modes of `run`,
so not in `cpu_ratio_run`), `cpu_share_tails` their share of the default `run`'s page.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from bench_restore import score  # a sibling script: scripts/ is on a script's path
from rapidfuzz.distance import Levenshtein

from ocr_pipeline.synth import SCAN_KINDS, RenderedPage, render_pages, scan

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}

DOCS_DIR = REPO / "scripts" / "bench_scans_docs"
DEV_HELDOUT = (12, 13)
RENDER_DPI = 300
DPIS = (300, 200, 150)
MARKUP_START = "#^*/<>~+_@\\|"


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def visual_truth(page: RenderedPage) -> str:
    """The page's lines in reading order: lines whose boxes share a row joined left to right."""
    rows: list[list] = []
    for line in sorted(page.lines, key=lambda ln: (ln.box[1], ln.box[0])):
        top, bottom = line.box[1], line.box[3]
        for row in rows:
            r_top, r_bottom = row[0].box[1], row[0].box[3]
            if min(bottom, r_bottom) - max(top, r_top) > 0.5 * (bottom - top):
                row.append(line)
                break
        else:
            rows.append([line])
    return "\n".join(" ".join(ln.text for ln in sorted(row, key=lambda ln: ln.box[0]))
                     for row in rows)  # fmt: skip


def folder_documents(folder: Path) -> dict[str, str]:
    """{name: markup text} of the *.txt documents of `folder` (bench_scans_docs' markup)."""
    if not folder.is_dir():
        raise SystemExit(f"--docs {folder}: not a folder; give a folder of *.txt documents")
    docs = {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}
    if not docs:
        raise SystemExit(f"--docs {folder}: no *.txt document in it")
    return docs


def documents(split: str, folder: Path | None = None) -> dict[str, str]:
    """{name: markup text} of the documents of `folder` (`--docs`), else of the split."""
    if folder is not None:
        return folder_documents(folder)
    if split == "test":
        return folder_documents(DOCS_DIR)
    import corpus

    docs = corpus.heldout_documents()
    out = {}
    for i in DEV_HELDOUT:
        lines = [ln for ln in docs[i] if len(ln) >= 3][:40]
        out[f"heldout{i}"] = "\n".join("\\" + ln if ln[0] in MARKUP_START else ln
                                       for ln in lines)  # fmt: skip
    return out


def build(
    split: str,
    dpis: list[int],
    kinds: list[str],
    limit: int | None,
    work: Path,
    folder: Path | None = None,
    font: str = "noto",
) -> dict[str, dict]:
    """Render every condition into `work` in `font`; return {file stem: {doc, dpi, kind,
    truth}}."""
    cases = {}
    names = list(documents(split, folder).items())[: limit or None]
    for d, (name, markup) in enumerate(names):
        page = render_pages(markup, font=font, dpi=RENDER_DPI, seed=d)[0]
        truth = visual_truth(page)
        for dpi in dpis:
            for kind in kinds:
                # the seed follows the kind's place in SCAN_KINDS, not in `kinds`: a run over
                # some kinds renders the same scans as the whole grid
                k = SCAN_KINDS.index(kind)
                img = scan(
                    page.image, kind, dpi=dpi, source_dpi=RENDER_DPI, seed=1000 * d + 10 * k + dpi
                )
                stem = f"{name}_{dpi}_{kind}"
                img.save(work / f"{stem}.png", dpi=(dpi, dpi))
                cases[stem] = {"doc": name, "dpi": dpi, "kind": kind, "truth": truth}
    return cases


def run_ours(work: Path, out: Path, jobs: int, extra: list[str]) -> tuple[dict, dict, float]:
    """The real CLI over the folder; returns ({stem: text}, {stem: page seconds}, wall)."""
    cmd = [str(BIN / "ocr-pipeline"), "run", str(work), "-o", str(out), "--jobs", str(jobs),
           "-q", *extra]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"ocr-pipeline run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    texts, seconds = {}, {}
    for meta in out.glob("*.json"):
        data = json.loads(meta.read_text("utf-8"))
        texts[meta.stem] = (out / f"{meta.stem}.txt").read_text("utf-8")
        seconds[meta.stem] = sum(p["seconds"] for p in data["pages"])
    return texts, seconds, wall


def run_each(files: list[Path], jobs: int, one) -> tuple[dict, float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        texts = dict(zip((f.stem for f in files), pool.map(one, files), strict=True))
    return texts, time.perf_counter() - start


def tesseract_text(path: Path) -> str:
    return subprocess.run(["tesseract", str(path), "-", "-l", "vie"], env=ENV,
                          capture_output=True, text=True, check=True).stdout  # fmt: skip


def ocrmypdf_text(path: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="bench_scans_omp_") as tmp:
        sidecar = Path(tmp) / "side.txt"
        subprocess.run([str(BIN / "ocrmypdf"), "-l", "vie", "--jobs", "1", "--optimize", "0",
                        "--output-type", "pdf", "--sidecar", str(sidecar), str(path),
                        str(Path(tmp) / "out.pdf")],
                       env=ENV, capture_output=True, check=True)  # fmt: skip
        return sidecar.read_text("utf-8")


def cost(cases: dict[str, dict], work: Path) -> list[dict]:
    """--cost: seconds per page with and without the second reading, same process, same run."""
    from ocr_pipeline import raster
    from ocr_pipeline.model import BBox, Line, Page, Word
    from ocr_pipeline.pipeline import PipelineOptions, _restore, _restore_document, _run_page
    from ocr_pipeline.preprocess import preprocess
    from ocr_pipeline.reread import read_twice, word_alternatives
    from ocr_pipeline.tails import read_tails

    warm = Word("thuong", BBox(0, 0, 10, 10), 90.0)  # load the restoration models first
    _restore(Page(1, 10, 10, 300, lines=[Line([warm], warm.bbox)]), "vie")
    options = PipelineOptions(jobs=1, dpi=300)
    off = PipelineOptions(jobs=1, dpi=300, reread_weak_pages=False)
    rows: dict[tuple[int, str], list[list[float]]] = {}

    def now() -> np.ndarray:  # (wall, CPU of this process: Tesseract is read in-process)
        return np.array([time.perf_counter(), time.process_time()])

    first = work / f"{next(iter(cases))}.png"
    for opts in (options, off):  # what a page loads once (Tesseract models, marker reader)
        _run_page(first, 1, opts)
    for stem, case in cases.items():
        t0 = now()
        rendered = raster.load_page(work / f"{stem}.png", 1, dpi=300, max_pixels=10**9,
                                    gray=True)  # fmt: skip
        prepared = preprocess(rendered.image, dpi=rendered.dpi)
        image = prepared.image
        t1 = now()
        once, _ = read_twice(image, page_number=1, dpi=rendered.dpi, second_opinion=False)
        page = Page(1, image.shape[1], image.shape[0], rendered.dpi, lines=once)
        _restore(page, "vie")
        t2 = now()
        lines, second = read_twice(image, page_number=1, dpi=rendered.dpi)
        alternatives = word_alternatives(lines, second) if second is not None else {}
        page = Page(1, image.shape[1], image.shape[0], rendered.dpi, lines=lines)
        _restore(page, "vie", alternatives=alternatives)
        t3 = now()
        base, twice = (t1 - t0) + (t2 - t1), (t1 - t0) + (t3 - t2)
        tails = time.process_time()
        if prepared.thickened:  # what reading a light copy's comma tails costs (both modes)
            read_tails(image, once)
        tails = time.process_time() - tails
        # the page as `run` processes it, then the document restore step on it: by default
        # (weak words read twice) and as before this round (--no-reread-weak-pages)
        spent, adapted = [], []
        for opts in (options, off):
            t5 = now()
            done, _steps, reading = _run_page(work / f"{stem}.png", 1, opts)
            _pages, record, _ = _restore_document([done], {1: reading} if reading else {}, opts)
            spent.append((now() - t5)[1])
            adapted.append(float(record["adapted"]))
        rows.setdefault((case["dpi"], case["kind"]), []).append(
            [base[0], twice[0], float(second is not None), spent[0], spent[1], adapted[0],
             base[1], twice[1], tails]
        )  # fmt: skip
    out = []
    for (dpi, kind), vals in rows.items():
        without = sum(v[0] for v in vals) / len(vals)
        with_second = sum(v[1] for v in vals) / len(vals)
        out.append({"dpi": dpi, "kind": kind, "seconds_read_once": round(without, 2),
                    "seconds_as_run": round(with_second, 2),
                    "ratio": round(with_second / without, 3),
                    "cpu_ratio": round(sum(v[7] for v in vals) / sum(v[6] for v in vals), 3),
                    "cpu_ratio_worst_page": round(max(v[7] / v[6] for v in vals), 3),
                    "pages_read_twice": int(sum(v[2] for v in vals)),
                    "cpu_seconds_run": round(sum(v[3] for v in vals) / len(vals), 2),
                    "cpu_ratio_run": round(sum(v[3] for v in vals) / sum(v[4] for v in vals), 3),
                    "cpu_ratio_run_worst_page": round(max(v[3] / v[4] for v in vals), 3),
                    "pages_adapted": int(sum(v[5] for v in vals)),
                    "cpu_ms_tails": round(1000 * sum(v[8] for v in vals) / len(vals), 1),
                    "cpu_share_tails": round(sum(v[8] for v in vals) / sum(v[3] for v in vals),
                                             4)})  # fmt: skip
    return out


def figures(cases: dict[str, dict], texts: dict[str, str]) -> dict[tuple[int, str], dict]:
    """Per (dpi, kind): CER and syllable accuracy over its documents."""
    groups: dict[tuple[int, str], list[str]] = {}
    for stem, case in cases.items():
        groups.setdefault((case["dpi"], case["kind"]), []).append(stem)
    out = {}
    for key, stems in groups.items():
        outs = [normalise(texts.get(s, "")) for s in stems]
        truths = [normalise(cases[s]["truth"]) for s in stems]
        errors = sum(Levenshtein.distance(o, t) for o, t in zip(outs, truths, strict=True))
        s = score(outs, truths)
        out[key] = {"cer": round(errors / max(1, sum(map(len, truths))), 4),
                    "syllable_accuracy": s["accuracy"]}  # fmt: skip
    return out


def wrong_tokens(truth: str, side) -> list[tuple[object, bool]]:
    """(token, wrong) of every token of `side` (a `diff` side of our output) against the
    `truth` text, as `ocr-pipeline diff --ignore-punctuation` aligns them: a token is wrong
    when a character of it differs from the truth or has nothing facing it."""
    from ocr_pipeline.diff.metrics import compare_sides
    from ocr_pipeline.diff.normalize import Normalization
    from ocr_pipeline.diff.readers.text import side_from_text

    report = compare_sides(side_from_text(truth), side, Normalization(ignore_punctuation=True))
    out = []
    for line in report.lines:
        if line.b is None:
            continue
        for start, end, token in line.b.word_spans():
            out.append((token, any(c in "dlx" for c in line.b_status[start:end])))
    return out


def flags(cases: dict[str, dict], out: Path) -> dict[tuple[int, str], dict]:
    """Per (dpi, kind): the reviewer's low-confidence flag in our words.tsv (a word's
    confidence under `restore.LOW_CONFIDENCE`, as `ocr-pipeline diff` flags it) against the
    words still wrong: wrong words, how many of them are flagged (recall), words flagged
    and the share of them wrong (precision), words in all."""
    from ocr_pipeline.diff.readers.words_tsv import side_from_words_tsv
    from ocr_pipeline.review_flag import LOW_CONFIDENCE

    sums: dict[tuple[int, str], list[int]] = {}
    for stem, case in cases.items():
        tsv = out / f"{stem}.words.tsv"
        if not tsv.exists():
            continue
        side = side_from_words_tsv(tsv.read_text("utf-8"), str(tsv))
        s = sums.setdefault((case["dpi"], case["kind"]), [0, 0, 0, 0])
        for token, wrong in wrong_tokens(case["truth"], side):
            low = token.confidence is not None and token.confidence < LOW_CONFIDENCE
            s[0] += wrong
            s[1] += wrong and low
            s[2] += low
            s[3] += 1
    return {key: {"wrong": w, "flagged_wrong": fw, "flagged": f, "words": n,
                  "recall": round(fw / max(w, 1), 3), "precision": round(fw / max(f, 1), 3)}
            for key, (w, fw, f, n) in sums.items()}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    ap.add_argument(
        "--quick", action="store_true", help="one document, 200/150 dpi, soft and photocopy"
    )
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dpis", default=None, help="comma-separated (default 300,200,150)")
    ap.add_argument("--kinds", default=None, help=f"comma-separated of {','.join(SCAN_KINDS)}")
    ap.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="a folder of *.txt documents (bench_scans_docs' markup) instead of --split",
    )
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--no-tesseract", action="store_true")
    ap.add_argument("--run-args", default="", help="extra arguments for ocr-pipeline run")
    ap.add_argument("--cost", action="store_true", help="time the second reading instead")
    ap.add_argument("--keep", type=Path, default=None, help="keep the scans and outputs here")
    ap.add_argument("--font", default="noto", help="noto (default), mono, serif or a .ttf file")
    args = ap.parse_args(argv)
    dpis = (
        [int(x) for x in args.dpis.split(",")]
        if args.dpis
        else ([200, 150] if args.quick else list(DPIS))
    )
    kinds = (
        args.kinds.split(",")
        if args.kinds
        else (["soft", "photocopy"] if args.quick else list(SCAN_KINDS))
    )
    limit = 1 if args.quick and args.limit is None else args.limit
    split = f"docs:{args.docs}" if args.docs is not None else args.split
    tmp = tempfile.mkdtemp(prefix="bench_scans_") if args.keep is None else None
    root = Path(tmp) if tmp else args.keep
    try:
        work, out = root / "scans", root / "out"
        if out.exists():
            shutil.rmtree(out)
        work.mkdir(parents=True, exist_ok=True)
        for old in work.glob("*.png"):
            old.unlink()
        cases = build(args.split, dpis, kinds, limit, work, args.docs, args.font)
        files = sorted(work.glob("*.png"))
        if args.cost:
            os.environ["OMP_THREAD_LIMIT"] = "1"
            print(json.dumps({"split": split, "cost": cost(cases, work)}, indent=1))
            return 0
        tools: dict[str, dict] = {}
        walls: dict[str, float] = {}
        texts, seconds, walls["ours"] = run_ours(work, out, args.jobs, shlex.split(args.run_args))
        tools["ours"] = texts
        if not args.no_tesseract:
            tools["tesseract"], walls["tesseract"] = run_each(files, args.jobs, tesseract_text)
        if not args.no_ocrmypdf and (BIN / "ocrmypdf").exists():
            tools["ocrmypdf"], walls["ocrmypdf"] = run_each(files, args.jobs, ocrmypdf_text)
        per_tool = {name: figures(cases, t) for name, t in tools.items()}
        flagged = flags(cases, out)
        table = []
        for dpi in dpis:
            for kind in kinds:
                stems = [s for s, c in cases.items() if c["dpi"] == dpi and c["kind"] == kind]
                row = {"dpi": dpi, "kind": kind}
                for name, fig in per_tool.items():
                    row[f"{name}_cer"] = fig[(dpi, kind)]["cer"]
                    row[f"{name}_syllables"] = fig[(dpi, kind)]["syllable_accuracy"]
                row["ours_seconds_per_page"] = round(
                    sum(seconds.get(s, 0.0) for s in stems) / max(1, len(stems)), 2
                )
                if (dpi, kind) in flagged:
                    row["ours_flag"] = flagged[(dpi, kind)]
                table.append(row)
        result = {
            "split": split,
            "documents": sorted({c["doc"] for c in cases.values()}),
            "run_args": args.run_args,
            "wall_seconds": {k: round(v, 1) for k, v in walls.items()},
            "table": table,
        }
        print(json.dumps(result, indent=1, ensure_ascii=False))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
