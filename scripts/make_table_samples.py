"""Render the table samples: an award list over three pages and a statistics table.

Writes, deterministically, into samples/ (or --out):
  award_list.pdf          invented award list (45 people, two-row header with a merged
                          "Hình thức khen thưởng" cell, the table broken over 3 pages with
                          the header repeated), gray scan, JPEG in the PDF
  award_list.table.json   ground truth of the joined table (cells, spans, header rows)
  statistics.png          award counts by year and level ("Trong đó" spanning three
                          columns, bold total row), one page, 16-grey palette PNG
  statistics.table.json   its ground truth
  tables.manifest.json    seeds, render and degradation settings

  python scripts/make_table_samples.py [--out samples]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.synth import degrade, save_pdf
from ocr_pipeline.synth_tables import (
    award_document,
    ground_truth_json,
    statistics_document,
)

ROOT = Path(__file__).resolve().parents[1]

AWARD = {"seed": 1, "rows": 45, "font_size_pt": 11}
STATS = {"seed": 2, "font_size_pt": 12}
DEGRADE = {"skew_deg": 0.6, "blur": 0.8, "downscale": 0.7, "noise": 0.01, "jpeg_quality": 70}


def _json(path: Path, data: dict) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "samples")
    args = ap.parse_args()
    out: Path = args.out
    spec, pages = award_document(AWARD["seed"], AWARD["rows"], font_size_pt=AWARD["font_size_pt"])
    images = [
        degrade(p.image, seed=k, **{**DEGRADE, "skew_deg": DEGRADE["skew_deg"] * (-1) ** k})
        for k, p in enumerate(pages)
    ]
    save_pdf(images, out / "award_list.pdf", 300, quality=50)
    _json(out / "award_list.table.json", ground_truth_json(spec))
    spec, pages = statistics_document(STATS["seed"], font_size_pt=STATS["font_size_pt"])
    image = degrade(pages[0].image, seed=7, **DEGRADE)
    # 16 grey levels in a palette PNG (as samples/report_page1.png): a scan-like page, small file
    image.convert("L").quantize(16).save(out / "statistics.png", optimize=True)
    _json(out / "statistics.table.json", ground_truth_json(spec))
    _json(
        out / "tables.manifest.json",
        {"dpi": 300, "award_list": {**AWARD, "pages": len(images)}, "statistics": STATS,
         "degrade": DEGRADE, "note": "award_list pages alternate the skew sign"},
    )  # fmt: skip
    print(f"wrote {len(images)}-page award list and a statistics table to {out}")


if __name__ == "__main__":
    main()
