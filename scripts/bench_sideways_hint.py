"""Measure the page confidence below which `run` suggests --rotate-pages (batch.task).

Pages, each turned 0, 90, 180 and 270 degrees counter-clockwise and read by the pipeline
as `run` reads them without --rotate-pages (restoration on, the page's mean word
confidence as NAME.json records it):
  - samples: the sample scans (samples/*.pdf, *.tif, *.png);
  - heldout: the first page of --docs held-out corpus documents rendered with
    ocr_pipeline.synth and degraded like a scan; every other one cut to its first 2-4
    lines (sparse pages, the hard case);
  - poor scans: the first --poor held-out pages as a photocopy, a fax, a soft and a JPEG
    scan at 150 dpi (`synth.scan`), the upright pages most likely to read with low
    confidence (turned 0 and 90 degrees only, to save time).
Reports, for upright and for turned pages, the mean confidences, and for candidate
thresholds the share of upright pages that would be warned about (false alarms) and of
turned pages read as garbage (mean confidence under 90; Tesseract reads many 270-degree
turns as well as upright pages, those need no hint) that would (hits). Prints JSON.

  python scripts/bench_sideways_hint.py [--docs 6] [--dpi 200]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from PIL import Image  # noqa: E402

from ocr_pipeline import raster  # noqa: E402
from ocr_pipeline.batch.task import SIDEWAYS_CONFIDENCE  # noqa: E402
from ocr_pipeline.pipeline import PipelineOptions, process_page  # noqa: E402
from ocr_pipeline.synth import degrade, render_pages, scan  # noqa: E402

TURNS = (0, 90, 180, 270)
THRESHOLDS = (40, 50, 55, 60, 65, 70, 75, 80)
#: a turned page Tesseract still read (it reads some 270-degree turns as well as upright)
READ_ANYWAY = 90.0


def sample_pages(dpi: int) -> list[tuple[str, Image.Image]]:
    pages = []
    for path in sorted((ROOT / "samples").iterdir()):
        if path.suffix.lower() not in (".pdf", ".tif", ".png"):
            continue
        for number in range(1, raster.page_count(path) + 1):
            pages.append((f"samples/{path.name}#{number}",
                          raster.load_page(path, number, dpi=dpi).image))  # fmt: skip
    return pages


def heldout_pages(docs: int, dpi: int) -> list[tuple[str, Image.Image]]:
    from corpus import heldout_documents

    pages = []
    for i, doc in enumerate(heldout_documents()[:docs]):
        text = "\n".join(p for p in doc if p.strip())
        if i % 2:
            text = "\n".join(text.split("\n")[: 2 + i % 3])[:400]
        page = render_pages(text, dpi=dpi)[0].image
        pages.append((f"heldout#{i}{' sparse' if i % 2 else ''}",
                      degrade(page, skew_deg=0.4, blur=0.6, noise=0.06, seed=i)))  # fmt: skip
    return pages


def poor_scans(docs: int) -> list[tuple[str, Image.Image]]:
    from corpus import heldout_documents

    pages = []
    for i, doc in enumerate(heldout_documents()[:docs]):
        page = render_pages("\n".join(p for p in doc if p.strip()), dpi=300)[0].image
        for kind in ("photocopy", "fax", "soft", "jpeg"):
            image = scan(page, kind, dpi=150, source_dpi=300, seed=i).convert("L")
            pages.append((f"heldout#{i} {kind} 150dpi", image))
    return pages


def measure(
    pages: list[tuple[str, Image.Image]], dpi: int, turns: tuple[int, ...] = TURNS
) -> list[dict]:
    options = PipelineOptions(dpi=dpi, jobs=1, page_timeout=None)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, image in pages:
            for turn in turns:
                path = Path(tmp) / "page.png"
                image.rotate(turn, expand=True, fillcolor="white").save(path, dpi=(dpi, dpi))
                page = process_page(path, 1, options)
                rows.append({"page": name, "turn": turn, "status": page.status,
                             "words": len(page.words),
                             "mean_confidence": page.mean_confidence})  # fmt: skip
    return rows


def summarise(rows: list[dict]) -> dict:
    upright = [r["mean_confidence"] for r in rows if r["turn"] == 0]
    turned = [r["mean_confidence"] for r in rows if r["turn"] != 0]
    garbage = [c for c in turned if c is None or c < READ_ANYWAY]

    def share(values: list, t: float) -> float:
        return round(sum(v is not None and v < t for v in values) / max(1, len(values)), 3)

    return {
        "upright_confidence": sorted(v for v in upright if v is not None),
        "turned_confidence": sorted(v for v in turned if v is not None),
        "turned_without_words": sum(v is None for v in turned),
        "turned_read_anyway": len(turned) - len(garbage),
        "by_threshold": {
            str(t): {
                "upright_warned": share(upright, t),
                "turned_garbage_warned": share(garbage, t),
            }
            for t in THRESHOLDS
        },  # fmt: skip
        "threshold_in_use": SIDEWAYS_CONFIDENCE,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=6, help="held-out documents (default 6)")
    ap.add_argument("--poor", type=int, default=3, help="held-out pages as poor scans")
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    rows = measure(sample_pages(args.dpi) + heldout_pages(args.docs, args.dpi), args.dpi)
    rows += measure(poor_scans(args.poor), 150, turns=(0, 90))
    report = summarise(rows)
    report["dpi"] = args.dpi
    report["pages"] = rows
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
