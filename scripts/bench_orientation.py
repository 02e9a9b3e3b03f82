"""Benchmark page orientation detection (`run --rotate-pages`): accuracy, confidence, time.

Pages, each turned 0, 90, 180 and 270 degrees counter-clockwise:
  - samples: the sample scans (samples/report.pdf, samples/decision.tif), degraded by
    their author;
  - heldout: the first page of --docs held-out corpus documents (never used to build a
    model), rendered with ocr_pipeline.synth and degraded like a scan (skew, blur, noise);
  - sparse: pages with only 2-4 lines (closing pages, short letters), the hard case.
Each goes through the pipeline's own steps (raster, grey, border removal) and Tesseract's
OSD on a copy shrunk by --scale (`pipeline.osd_view`, OMP_THREAD_LIMIT=1). For a range of
confidence thresholds the report gives the share of pages that end upright (turned when
OSD is sure enough, left alone otherwise), separately for pages scanned upright (a wrong
turn would ruin a good page) and turned ones, plus OSD seconds per page. Prints JSON.

  python scripts/bench_orientation.py [--docs 12] [--dpi 300] [--scale S]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
ROOT = Path(__file__).resolve().parents[1]

from PIL import Image  # noqa: E402

from ocr_pipeline import raster  # noqa: E402
from ocr_pipeline.pipeline import OSD_SCALE, osd_view  # noqa: E402
from ocr_pipeline.preprocess import remove_borders, to_gray  # noqa: E402
from ocr_pipeline.synth import degrade, render_pages  # noqa: E402

TURNS = (0, 90, 180, 270)
THRESHOLDS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 14.0)


def sample_pages(dpi: int) -> list[tuple[str, Image.Image]]:
    pages = []
    for name in ("report.pdf", "decision.tif"):
        path = ROOT / "samples" / name
        for number in range(1, raster.page_count(path) + 1):
            image = raster.load_page(path, number, dpi=dpi).image
            pages.append((f"samples/{name}#{number}", image))
    return pages


def heldout_pages(docs: int, dpi: int) -> tuple[list, list]:
    from corpus import heldout_documents

    full, sparse = [], []
    for i, doc in enumerate(heldout_documents()[:docs]):
        text = "\n".join(p for p in doc if p.strip())
        first = render_pages(text, dpi=dpi)[0].image
        full.append((f"heldout#{i}", degrade(first, skew_deg=0.6 - 0.1 * i, blur=0.6, noise=0.06,
                                             seed=i)))  # fmt: skip
        if i % 2 == 0:  # a short page: the first 2-4 lines only
            short = "\n".join(text.split("\n")[: 2 + i % 3])[:400]
            page = render_pages(short, dpi=dpi)[0].image
            sparse.append((f"sparse#{i}", degrade(page, blur=0.6, noise=0.06, seed=i)))
    return full, sparse


def measure(pages: list[tuple[str, Image.Image]], dpi: int, scale: float) -> list[dict]:
    rows = []
    for name, image in pages:
        for turn in TURNS:
            gray = remove_borders(to_gray(image.rotate(turn, expand=True, fillcolor="white")))
            t = time.perf_counter()
            found = osd_view(gray, dpi, scale)
            rows.append({"page": name, "turn": turn, "found": found.angle,
                         "confidence": found.confidence,
                         "seconds": time.perf_counter() - t})  # fmt: skip
    return rows


def summarise(rows: list[dict]) -> dict:
    right = [r["confidence"] for r in rows if r["found"] == r["turn"]]
    wrong = [r["confidence"] for r in rows if r["found"] != r["turn"]]
    by_threshold = {}
    for t in THRESHOLDS:

        def upright(r: dict, t: float = t) -> bool:
            applied = r["found"] if r["found"] and r["confidence"] >= t else 0
            return applied == r["turn"]

        straight = [upright(r) for r in rows if r["turn"] == 0]
        turned = [upright(r) for r in rows if r["turn"] != 0]
        by_threshold[str(t)] = {
            "upright_pages_kept": round(sum(straight) / max(1, len(straight)), 3),
            "turned_pages_fixed": round(sum(turned) / max(1, len(turned)), 3),
            "all_pages_upright": round((sum(straight) + sum(turned)) / max(1, len(rows)), 3),
        }
    return {
        "pages": len(rows) // len(TURNS),
        "osd_accuracy": round(len(right) / max(1, len(rows)), 3),
        "confidence_when_right": {
            "min": min(right, default=None),
            "median": statistics.median(right) if right else None,
        },
        "confidence_when_wrong": {
            "max": max(wrong, default=None),
            "n": len(wrong),
            "values": sorted(round(c, 2) for c in wrong),
        },
        "seconds_per_page": round(statistics.mean(r["seconds"] for r in rows), 3),
        "by_threshold": by_threshold,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=12, help="held-out documents (default 12)")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument(
        "--scale",
        type=float,
        default=OSD_SCALE,
        help="shrink pages by this factor for OSD (default: the pipeline's)",
    )
    args = ap.parse_args()
    full, sparse = heldout_pages(args.docs, args.dpi)
    sets = {"samples": sample_pages(args.dpi), "heldout": full, "sparse": sparse}
    rows = {name: measure(pages, args.dpi, args.scale) for name, pages in sets.items()}
    report = {name: summarise(r) for name, r in rows.items()}
    report["all"] = summarise([r for rs in rows.values() for r in rs])
    report["dpi"] = args.dpi
    report["osd_scale"] = args.scale
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
