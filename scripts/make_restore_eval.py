"""Build the held-out restoration evaluation set: rendered, OCR'd held-out documents.

The first page or two of each of the first ``--docs`` held-out documents
(scripts/corpus.py ``heldout_documents()``: never used by the LM or the OCR channel) are
rendered and OCR'd with Tesseract ``eng`` and ``vie`` using the page recipe of
scripts/make_ocr_pairs.py (same fonts, sizes, degradations, line pairing), and the
(source line, OCR line) pairs are cached in build/restore_eval/pairs.tsv (gitignored:
corpus sentences are never committed).

Split by document: the first ``--dev-docs`` documents are DEV (for tuning weights), the
rest TEST (only for reporting). Tesseract runs with OMP_THREAD_LIMIT=1 in at most two
processes.

``--caps`` builds the ALL-CAPS heading set instead (build/restore_eval/caps_pairs.tsv):
``--caps-lines`` short upper-cased spans (3-12 words) cut from the DEV documents and as many
from the TEST documents (make_ocr_pairs.caps_headings: half centred bold, half plain),
rendered at 300 dpi with the mild scan look and OCR'd with Tesseract ``vie`` only, one
process. bench_restore.py scores each line alone as ``vie_caps_dev`` / ``vie_caps_test``.

Usage: .venv/bin/python scripts/make_restore_eval.py [--docs 12] [--dev-docs 4] [--jobs 2]
       [--caps [--caps-lines 300]]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
os.environ["OMP_THREAD_LIMIT"] = "1"

import make_ocr_pairs  # noqa: E402

log = logging.getLogger("make_restore_eval")
OUT_DIR = REPO / "build" / "restore_eval"
SEED = 20251127
CAPS_SEED = 20261126


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=12, help="held-out documents (default 12)")
    ap.add_argument("--dev-docs", type=int, default=4, help="of which DEV (default 4)")
    ap.add_argument("--jobs", type=int, default=2, help="processes, at most 2 (default 2)")
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    ap.add_argument(
        "--caps",
        action="store_true",
        help="build the ALL-CAPS heading set (caps_pairs.tsv) instead",
    )
    ap.add_argument(
        "--caps-lines", type=int, default=300, help="ALL-CAPS lines per split (default 300)"
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.caps:
        return make_caps(args)
    t0 = time.time()
    docs = make_ocr_pairs.sample_heldout()[: args.docs]
    jobs = []
    for d, doc in enumerate(docs):
        for j in make_ocr_pairs.make_jobs(doc, 1, SEED + d):
            jobs.append(dict(j, page=f"h{d}.{j['page']}", doc=d))
    rows: list[dict] = []
    with ProcessPoolExecutor(max_workers=max(1, min(2, args.jobs))) as ex:
        for job, res in zip(jobs, ex.map(make_ocr_pairs.run_job, jobs), strict=True):
            for r in res:
                r["doc"] = job["doc"]
            rows += res
            log.info("doc %d done (%d rows)", job["doc"], len(res))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    path = args.out_dir / "pairs.tsv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("split\tlang\tdoc\tpage\tline\tsource\tocr\n")
        for r in rows:
            split = "dev" if r["doc"] < args.dev_docs else "test"
            fh.write(
                f"{split}\t{r['lang']}\t{r['doc']}\t{r['page']}\t{r['line']}\t"
                f"{_clean(r['source'])}\t{_clean(r['ocr'])}\n"
            )
    summary = {
        "file": str(path),
        "rows": len(rows),
        "pages": len({r["page"] for r in rows}),
        "docs": len(docs),
        "dev_docs": args.dev_docs,
        "wall_seconds": round(time.time() - t0, 1),
    }
    (args.out_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    return 0


def make_caps(args: argparse.Namespace) -> int:
    """The ALL-CAPS heading set: (split, OCR, truth) per line, OCR'd by Tesseract vie."""
    t0 = time.time()
    docs = make_ocr_pairs.sample_heldout()[: args.docs]
    rows: list[dict] = []
    for split, part in (("dev", docs[: args.dev_docs]), ("test", docs[args.dev_docs :])):
        lines = make_ocr_pairs.caps_headings(
            [ln for d in part for ln in d], args.caps_lines, CAPS_SEED + (split == "test")
        )
        jobs = make_ocr_pairs.make_jobs(
            lines, 100, CAPS_SEED + 10 * (split == "test"), restyle=False
        )
        for j in jobs:
            job = dict(j, dpi=300, langs=["vie"], page=f"{split}{j['page']}")
            res = make_ocr_pairs.run_job(job)
            for r in res:
                r["split"] = split
            rows += res
            log.info("%s page %s done (%d rows)", split, j["page"], len(res))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    path = args.out_dir / "caps_pairs.tsv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("split\tlang\tpage\tline\tsource\tocr\n")
        for r in rows:
            fh.write(
                f"{r['split']}\t{r['lang']}\t{r['page']}\t{r['line']}\t"
                f"{_clean(r['source'])}\t{_clean(r['ocr'])}\n"
            )
    summary = {
        "file": str(path),
        "rows": len(rows),
        "dev": sum(r["split"] == "dev" for r in rows),
        "test": sum(r["split"] == "test" for r in rows),
        "wall_seconds": round(time.time() - t0, 1),
    }
    (args.out_dir / "caps_summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
