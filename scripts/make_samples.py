"""Render the ground-truth documents in samples/ground_truth into degraded sample scans.

Writes, deterministically for a given --seed:
  report.pdf          the report (2 pages), gray, mildly skewed/blurred/noisy, JPEG in PDF
  report_page1.png    page 1 of the report, lighter degradation, 16-gray palette PNG
  decision.tif        the decision (1 page), bilevel like an office scanner, CCITT G4 TIFF
  NAME.gt.txt         beside each: ground truth of every page, pages joined by a form feed
  manifest.json       files, page counts, render and degradation settings per page

  python scripts/make_samples.py [--out samples] [--dpi 300] [--seed 2025] [--check]

--check also runs `tesseract -l vie` on every page and prints a rough character error
rate (Levenshtein distance / ground-truth length, whitespace collapsed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

from ocr_pipeline.fileio import write_atomic  # noqa: E402
from ocr_pipeline.synth import (  # noqa: E402
    RenderedPage,
    binarize,
    degrade,
    render_pages,
    save_pdf,
    save_tiff,
)


@dataclass(frozen=True)
class Sample:
    name: str  # output file name
    source: str  # file in samples/ground_truth
    render: dict
    style: str  # "scan" (gray, JPEG) | "light" (gray PNG) | "bilevel" (G4 TIFF)
    first_page_only: bool = False


SAMPLES = [
    Sample("report.pdf", "report.txt", {"line_spacing": 1.15, "page_numbers": True}, "scan"),
    Sample(
        "report_page1.png",
        "report.txt",
        {"line_spacing": 1.15, "page_numbers": True},
        "light",
        first_page_only=True,
    ),
    Sample("decision.tif", "decision.txt", {"line_spacing": 1.3}, "bilevel"),
]


def page_params(style: str, rng: np.random.Generator) -> dict:
    """Degradation settings for one page, drawn from the style's ranges."""
    r = lambda lo, hi: round(float(rng.uniform(lo, hi)), 3)  # noqa: E731
    if style == "scan":
        return {
            "skew_deg": r(-1.5, 1.5),
            "blur": r(1.3, 1.6),
            "noise": 0.02,
            "jpeg_quality": int(rng.integers(40, 51)),
            "downscale": r(0.3, 0.36),
        }
    if style == "light":
        return {
            "skew_deg": r(-0.8, 0.8),
            "blur": r(0.8, 1.0),
            "noise": 0.0,
            "jpeg_quality": None,
            "downscale": 0.5,
        }
    if style == "bilevel":
        return {
            "skew_deg": r(-1.0, 1.0),
            "blur": r(1.0, 1.3),
            "noise": 0.01,
            "jpeg_quality": None,
            "downscale": r(0.34, 0.38),
        }
    raise ValueError(style)


def make(out: Path, dpi: int, seed: int) -> dict:
    gt_dir = ROOT / "samples" / "ground_truth"
    manifest: dict = {"dpi": dpi, "seed": seed, "files": []}
    for index, sample in enumerate(SAMPLES):
        text = (gt_dir / sample.source).read_text(encoding="utf-8")
        pages: list[RenderedPage] = render_pages(text, dpi=dpi, seed=seed, **sample.render)
        if sample.first_page_only:
            pages = pages[:1]
        rng = np.random.default_rng([seed, index])
        images: list[Image.Image] = []
        params_list = []
        for number, page in enumerate(pages, 1):
            params = page_params(sample.style, rng)
            img = degrade(page.image, seed=seed * 1000 + index * 100 + number, **params)
            if sample.style == "bilevel":
                img = binarize(img, threshold=150)
            images.append(img)
            params_list.append(params)
        path = out / sample.name
        if path.suffix == ".pdf":
            save_pdf(images, path, dpi, quality=60)
        elif path.suffix == ".tif":
            save_tiff(images, path, dpi)
        else:
            # 16 gray levels in a 4-bit palette, like a small-file office scan
            pal = images[0].convert("RGB").quantize(colors=16, dither=Image.Dither.NONE)
            buf = io.BytesIO()
            pal.save(buf, "PNG", dpi=(dpi, dpi), optimize=True, bits=4)
            write_atomic(path, buf.getvalue())
        gt_path = path.with_suffix(".gt.txt")
        write_atomic(gt_path, "\f".join(p.text for p in pages) + "\n")
        manifest["files"].append(
            {
                "file": sample.name,
                "ground_truth": gt_path.name,
                "source": sample.source,
                "pages": len(pages),
                "render": sample.render,
                "style": sample.style,
                "degrade": params_list,
            }
        )
    write_atomic(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def page_images(path: Path, dpi: int) -> list[Image.Image]:
    if path.suffix == ".pdf":
        from pdf2image import convert_from_path

        return convert_from_path(str(path), dpi=dpi, grayscale=True)
    img = Image.open(path)
    frames = []
    for i in range(getattr(img, "n_frames", 1)):
        img.seek(i)
        frames.append(img.convert("L"))
    return frames


def check(out: Path, manifest: dict) -> None:
    from rapidfuzz.distance import Levenshtein

    if shutil.which("tesseract") is None:
        print("tesseract not found; skipping --check")
        return
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for entry in manifest["files"]:
        gts = (out / entry["ground_truth"]).read_text(encoding="utf-8").rstrip("\n").split("\f")
        for number, (img, gt) in enumerate(
            zip(page_images(out / entry["file"], manifest["dpi"]), gts, strict=True), 1
        ):
            with tempfile.TemporaryDirectory() as tmp:
                png = Path(tmp) / "page.png"
                img.save(png)
                hyp = subprocess.run(
                    ["tesseract", str(png), "-", "-l", "vie"],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            ref, hyp = " ".join(gt.split()), " ".join(hyp.split())
            cer = Levenshtein.distance(ref, hyp) / max(1, len(ref))
            print(f"{entry['file']} page {number}: CER {cer:.2%} ({len(ref)} chars)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "samples")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--check", action="store_true", help="OCR each page and print rough CER")
    args = ap.parse_args(argv)
    manifest = make(args.out, args.dpi, args.seed)
    for entry in manifest["files"]:
        size = (args.out / entry["file"]).stat().st_size
        print(f"{args.out / entry['file']}: {entry['pages']} page(s), {size / 1024:.0f} KiB")
    if args.check:
        check(args.out, manifest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
