"""Benchmark table reading on rendered scans of unseen tables, and false tables on text.

Tables: award lists (invented names, positions, units; two-row header with a merged
cell; the list runs over 2-3 pages, the header repeated on each) and statistics tables
(award counts by year and level, merged "Trong đó" header cell, bold total row), drawn
and borderless member lists (STT, name, position, unit aligned in columns, no rules), drawn
by `ocr_pipeline.synth_tables` with seeds the samples and tests never use, degraded by
`synth.degrade` (skew, blur, detail loss, noise, JPEG; settings printed per document),
saved as a TIFF and read by the whole pipeline (`process_document`: raster, preprocess,
OCR, restoration, tables), then joined over pages (`tables.join_tables`).

Scores, over all ground-truth cells (header and body):
  cells_placed        the cell found at the same row, column, rowspan and colspan holds this
                      cell's text (more like it than like the cells above and below it, so
                      an OCR slip is not a misplacement, a shifted row is)
  cells_exact         ... and its text is exactly the ground truth (NFC, spaces collapsed),
                      after restoration (`cells_exact_raw`: Tesseract's words before it)
  tables_shape        tables found with the right rows, columns and header rows
  names_in_pdf_order  share of the names found one after the other in `pdftotext -raw` of
                      our searchable PDF (a misread name is skipped, the rest must keep order)
Peer: Tesseract's plain reading of the same page (`--psm 3`, what the pipeline read before
tables): `plain_cells_in_a_line` is the share of body cells whose exact text appears inside
one of its lines, `plain_rows_in_a_line` the share of body rows read as one line with
every cell in order (what a row-by-row reader would need); ours on the same two measures
reads each cell from the table.

  python scripts/bench_tables.py [--awards 3] [--stats 2] [--members 2] [--seed 1000]
                                 [--jobs 2]
  python scripts/bench_tables.py --heavy             # degraded like samples/report.pdf
  python scripts/bench_tables.py --false-positives   # every sample page and structure doc

--false-positives runs the pipeline (restoration off) on every file in samples/ that has no
table, and on every document of tests/data/structure*/ and the samples' markup rendered as
scripts/bench_structure.py renders them; it prints each page that got a table (should be none).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

from ocr_pipeline import synth
from ocr_pipeline.synth_tables import (
    TableSpec,
    award_document,
    member_document,
    statistics_document,
)
from ocr_pipeline.tables import Table, join_tables

ROOT = Path(__file__).resolve().parents[1]


def norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _similar(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity(a, b)


def score_table(spec: TableSpec, table: Table | None) -> dict:
    """Placed: the cell found at the ground truth's row, column and spans holds this cell's
    text, not a neighbour's (more like it than like the cells above and below it, so an OCR
    slip does not count as misplaced but a shifted row does); exact: its text is exact."""
    gt = spec.cells()
    truth = {(g.row, g.col): g.text for g in gt}
    found = {}
    if table is not None:
        for c in table.cells:
            found[(c.row, c.col, c.rowspan, c.colspan)] = c
    placed = exact = raw = 0
    misses = []
    for g in gt:
        c = found.get((g.row, g.col, g.rowspan, g.colspan))
        text = norm(c.text) if c is not None else None
        if text is not None and text == g.text:
            exact += 1
        else:
            misses.append({"cell": [g.row, g.col], "expected": g.text, "found": text})
        if text:
            own = _similar(text, g.text)
            others = [_similar(text, truth[(g.row + d, g.col)]) for d in (-1, 1)
                      if (g.row + d, g.col) in truth]  # fmt: skip
            placed += own >= max(others, default=0.0)
        if c is not None and norm(" ".join(w.ocr_text or w.text for w in c.words)) == g.text:
            raw += 1
    shape_ok = table is not None and (table.n_rows, table.n_cols, table.header_rows) == (
        spec.header_rows + len(spec.body),
        spec.n_cols,
        spec.header_rows,
    )
    return {"cells": len(gt), "placed": placed, "exact": exact, "exact_raw": raw,
            "shape_ok": shape_ok, "misses": misses}  # fmt: skip


def plain_scores(spec: TableSpec, plain_lines: list[str]) -> tuple[int, int, int, int]:
    """(body cells inside one plain line, body cells, rows read in order in one line, rows)."""
    padded = [f" {norm(ln)} " for ln in plain_lines]
    cells = rows = 0
    total_cells = sum(len(r) for r in spec.body)
    for row in spec.body:
        texts = [norm(t) for t in row]
        cells += sum(any(f" {t} " in ln for ln in padded) for t in texts)
        pattern = re.compile(r"\s" + r"\s+(?:\S+\s+)*?".join(re.escape(t) for t in texts) + r"\s")
        rows += any(pattern.search(ln) for ln in padded)
    return cells, total_cells, rows, len(spec.body)


def our_row_scores(spec: TableSpec, table: Table | None) -> tuple[int, int]:
    """Body cells with the exact text, and body rows with every cell exact (ours)."""
    if table is None:
        return 0, 0
    grid = table.grid()
    h = spec.header_rows
    cells = rows = 0
    for r, row in enumerate(spec.body):
        got = grid[h + r] if h + r < len(grid) else []
        ok = [c < len(got) and norm(got[c]) == norm(t) for c, t in enumerate(row)]
        cells += sum(ok)
        rows += all(ok)
    return cells, rows


def names_in_order(pdf_text: str, names: list[str]) -> int:
    """How many of `names` the text holds one after the other (a missing one skipped)."""
    pos = found = 0
    text = norm(pdf_text)
    for name in names:
        k = text.find(name, pos)
        if k >= 0:
            found += 1
            pos = k + len(name)
    return found


def degradation(rng: random.Random, heavy: bool = False) -> dict:
    if heavy:  # as samples/report.pdf: strong detail loss, blur and JPEG
        return {
            "skew_deg": round(rng.uniform(-1.5, 1.5), 2),
            "blur": round(rng.uniform(1.0, 1.5), 2),
            "downscale": round(rng.uniform(0.35, 0.5), 2),
            "noise": round(rng.uniform(0.01, 0.03), 3),
            "jpeg_quality": rng.randint(40, 55),
        }
    return {
        "skew_deg": round(rng.uniform(-0.8, 0.8), 2),
        "blur": round(rng.uniform(0.5, 1.1), 2),
        "downscale": round(rng.uniform(0.55, 0.8), 2),
        "noise": round(rng.uniform(0.01, 0.03), 3),
        "jpeg_quality": rng.randint(55, 80),
    }


def run_tables(args: argparse.Namespace) -> dict:
    from ocr_pipeline.export.pdf import write_searchable_pdf
    from ocr_pipeline.ocr import ocr_image
    from ocr_pipeline.pipeline import PipelineOptions, page_images, process_document

    rng = random.Random(args.seed)
    docs = []
    for k in range(args.awards):
        seed = args.seed + k
        rows = rng.randint(20, 60)
        size = rng.choice([11, 12])
        docs.append((f"award_{seed}", *award_document(seed, rows, font_size_pt=size)))
    for k in range(args.stats):
        seed = args.seed + 100 + k
        docs.append((f"stats_{seed}", *statistics_document(seed, font_size_pt=12)))
    for k in range(args.members):
        seed = args.seed + 200 + k
        docs.append((f"members_{seed}", *member_document(seed, rng.randint(12, 30),
                                                          font_size_pt=12)))  # fmt: skip
    totals = dict.fromkeys(("cells", "placed", "exact", "exact_raw", "tables",
                            "shape_ok", "names_docs", "names_ok"), 0)  # fmt: skip
    peer = dict.fromkeys(("plain_cells", "our_cells", "body_cells", "plain_rows", "our_rows",
                          "body_rows"), 0)  # fmt: skip
    per_doc = []
    seconds = {"ours": 0.0, "plain": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec, pages in docs:
            params = degradation(rng, args.heavy)
            images = [synth.degrade(p.image, seed=rng.randint(0, 10**6), **params) for p in pages]
            path = Path(tmp) / f"{name}.tif"
            synth.save_tiff(images, path, 300)
            t = time.perf_counter()
            document = process_document(path, PipelineOptions(jobs=args.jobs))
            seconds["ours"] += time.perf_counter() - t
            tables = join_tables(document.pages)
            table = max(tables, key=lambda t: t.n_rows) if tables else None
            s = score_table(spec, table)
            t = time.perf_counter()
            plain_lines = []
            for number, img in enumerate(images, start=1):
                lines = ocr_image(np.asarray(img), page_number=number, dpi=300, psm=3)
                plain_lines += [ln.text for ln in lines]
            seconds["plain"] += time.perf_counter() - t
            pc, bc, pr, br = plain_scores(spec, plain_lines)
            oc, orow = our_row_scores(spec, table)
            names_ok = None
            if name.startswith(("award", "members")):
                pdf = Path(tmp) / f"{name}.pdf"
                write_searchable_pdf(document, path, pdf, page_images(path))
                text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True,
                                      capture_output=True, text=True).stdout  # fmt: skip
                names_ok = names_in_order(text, [norm(r[1]) for r in spec.body])
                totals["names_docs"] += len(spec.body)
                totals["names_ok"] += names_ok
            for key in ("cells", "placed", "exact", "exact_raw"):
                totals[key] += s[key]
            totals["tables"] += 1
            totals["shape_ok"] += s["shape_ok"]
            for key, v in (
                ("plain_cells", pc),
                ("our_cells", oc),
                ("body_cells", bc),
                ("plain_rows", pr),
                ("our_rows", orow),
                ("body_rows", br),
            ):
                peer[key] += v
            per_doc.append({
                "doc": name, "pages": len(pages), "body_rows": len(spec.body),
                "degrade": params, "tables_found": len(tables),
                "found_shape": None if table is None else [table.n_rows, table.n_cols,
                                                          table.header_rows],
                "repeated_headers": None if table is None else table.repeated_headers,
                "placed": round(s["placed"] / s["cells"], 4),
                "exact": round(s["exact"] / s["cells"], 4),
                "names_in_pdf_order": names_ok, "misses": s["misses"][:12],
            })  # fmt: skip
            print(json.dumps(per_doc[-1], ensure_ascii=False), file=sys.stderr)
    c = totals["cells"]
    return {
        "documents": len(docs),
        "cells": c,
        "cells_placed": round(totals["placed"] / c, 4),
        "cells_exact": round(totals["exact"] / c, 4),
        "cells_exact_raw": round(totals["exact_raw"] / c, 4),
        "tables_shape": f"{totals['shape_ok']}/{totals['tables']}",
        "names_in_pdf_order": round(totals["names_ok"] / max(1, totals["names_docs"]), 4),
        "peer_body_cells": peer["body_cells"],
        "ours_body_cells_exact": round(peer["our_cells"] / peer["body_cells"], 4),
        "plain_cells_in_a_line": round(peer["plain_cells"] / peer["body_cells"], 4),
        "ours_rows_all_exact": round(peer["our_rows"] / peer["body_rows"], 4),
        "plain_rows_in_a_line": round(peer["plain_rows"] / peer["body_rows"], 4),
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "per_doc": per_doc,
    }


def run_false_positives(jobs: int) -> dict:
    """Every page of the samples without tables, and every structure bench document
    rendered as bench_structure renders it, through the pipeline (raster, preprocess,
    OCR, tables; restoration off, it plays no part in detection): pages that got a table."""
    import bench_structure  # a sibling script: scripts/ is on the path of a script run

    from ocr_pipeline.pipeline import PipelineOptions, process_document

    options = PipelineOptions(jobs=jobs, restore=False)
    found: list[str] = []
    pages = docs = 0

    def check(path: Path, label: str) -> None:
        nonlocal pages, docs
        document = process_document(path, options)
        docs += 1
        for page in document.pages:
            pages += 1
            if page.tables:
                kinds = ",".join(t.kind for t in page.tables)
                found.append(f"{label} page {page.number} ({kinds})")

    table_samples = {"award_list", "statistics"}
    for path in sorted((ROOT / "samples").iterdir()):
        if (
            path.suffix.lower() in (".pdf", ".tif", ".tiff", ".png")
            and path.stem not in table_samples
        ):
            check(path, f"samples/{path.name}")
    with tempfile.TemporaryDirectory() as tmp:
        jobs_list = []
        for folder in ("structure", "structure_heldout"):
            for name, text, exp in bench_structure.own_documents(ROOT / "tests" / "data" / folder):
                jobs_list.append((f"{folder}/{name}", bench_structure.to_markup(text, exp)))
        jobs_list += [(f"samples markup {name}", markup)
                      for name, markup, _gt, _exp in bench_structure.samples()]  # fmt: skip
        for label, markup in jobs_list:
            rendered = synth.render_pages(markup, dpi=300, page_numbers=True, line_spacing=1.15)
            images = [synth.degrade(rp.image, blur=0.6, noise=0.01, seed=number)
                      for number, rp in enumerate(rendered, start=1)]  # fmt: skip
            path = Path(tmp) / "doc.tif"
            synth.save_tiff(images, path, 300)
            check(path, label)
            print(label, len(found), file=sys.stderr)
    return {"documents": docs, "pages_checked": pages, "pages_with_a_table": found}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--awards", type=int, default=3)
    ap.add_argument("--stats", type=int, default=2)
    ap.add_argument("--members", type=int, default=2, help="borderless member lists")
    ap.add_argument("--seed", type=int, default=1000, help="unseen: samples use 1-2, tests 7-9")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--heavy", action="store_true", help="degrade like samples/report.pdf")
    ap.add_argument("--false-positives", action="store_true")
    args = ap.parse_args()
    result = run_false_positives(args.jobs) if args.false_positives else run_tables(args)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
