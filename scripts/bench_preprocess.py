"""Benchmark the preprocess stage: skew accuracy and speed, tone-mark survival of binarizers.

Pages are rendered here from our own Vietnamese example text (Liberation Serif; 42 px type
is 10 pt at 300 dpi, 30 px about 10 pt at 200 dpi) and degraded synthetically, so the
truth is exact. Figures (JSON):

  skew          per known rotation: measured angle, error, CPU seconds of estimate_skew on a
                300-dpi A4 page; plus the real sample scans (samples/manifest.json skew_deg)
  binarize      per degradation x method: recall (share of true tone marks/dots at least
                half covered by ink), separate (share still a separate small component,
                i.e. not glued onto its letter), false_ink (ink away from text / text ink),
                width (ink near text / true ink; 1.0 = stroke widths kept)
  steps         CPU seconds per step on a 300-dpi A4 page

Methods compared: global Otsu, Sauvola (k=0.2, R=128), Wolf-Jolion alone, and ours
(`preprocess.binarize`: min of Wolf-Jolion and a local midpoint), each after no denoise,
our Gaussian 3x3, or a 3x3 median.

  ocr           (--ocr) tesseract vie CER per page of the samples/ scans, per preprocessing
                (whitespace-normalised Levenshtein / length; two-column rows make the
                reading order differ a little from the ground truth, equally for all)

  python scripts/bench_preprocess.py [--out FILE] [--quick] [--ocr]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]

from ocr_pipeline import preprocess as pp  # noqa: E402
from ocr_pipeline.fileio import write_atomic  # noqa: E402

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
LINES = [
    "Ủy ban nhân dân xã tổ chức hội nghị tổng kết công tác năm và triển khai",
    "nhiệm vụ trọng tâm; các phòng, ban chuyên môn báo cáo kết quả thực hiện",
    "chỉ tiêu về kinh tế, văn hóa, xã hội, quốc phòng và an ninh trên địa bàn.",
    "Người dân được hướng dẫn đăng ký thủ tục hành chính qua cổng dịch vụ công",
    "trực tuyến; tỷ lệ hồ sơ giải quyết đúng hạn đạt mức cao so với kế hoạch.",
    "Đề nghị các đơn vị tiếp tục rà soát, bổ sung quy chế phối hợp, bảo đảm",
    "tiến độ, chất lượng và hiệu quả, kịp thời đề xuất khen thưởng tập thể.",
]

DEGRADATIONS = {
    "uneven_light": dict(blur=1.0, ink=90, paper=(225, 165), noise=8),
    "blurred_grey_noisy": dict(blur=1.5, ink=120, paper=(225, 165), noise=12),
    "low_contrast": dict(blur=1.2, ink=140, paper=(200, 200), noise=6),
    "very_noisy": dict(blur=0.7, ink=20, paper=(245, 245), noise=25),
    "clean": dict(blur=0.0, ink=0, paper=(240, 240), noise=2),
}


def render(width: int, height: int, size: int, blocks: int) -> np.ndarray:
    im = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, size)
    y = size * 6
    for _ in range(blocks):
        for line in LINES:
            draw.text((size * 5, y), line, font=font, fill=0)
            y += int(size * 1.5)
        y += size
    return np.asarray(im)


def degrade(gray: np.ndarray, blur: float, ink: int, paper: tuple, noise: float, seed=0):
    rng = np.random.default_rng(seed)
    f = gray.astype(np.float32) / 255.0
    if blur:
        f = cv2.GaussianBlur(f, (0, 0), blur)
    h, w = gray.shape
    shade = np.linspace(paper[0], paper[1], w, dtype=np.float32)[None, :]
    out = ink + (shade - ink) * f + rng.normal(0, noise, (h, w)).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def _small_components(ink: np.ndarray, size: int):
    _, labels, st, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    small = (
        (st[:, cv2.CC_STAT_AREA] >= 3)
        & (st[:, cv2.CC_STAT_HEIGHT] <= size * 0.33)
        & (st[:, cv2.CC_STAT_WIDTH] <= size * 0.6)
    )
    small[0] = False
    return labels, small


def score(binary: np.ndarray, truth: np.ndarray, size: int) -> dict:
    true_ink = truth <= 128
    t_labels, t_small = _small_components(true_ink, size)
    marks = np.nonzero(t_small)[0]
    ink = binary == 0
    n = t_labels.max() + 1
    covered = np.bincount(t_labels[ink], minlength=n) / np.maximum(
        np.bincount(t_labels.ravel(), minlength=n), 1
    )
    o_labels, o_small = _small_components(ink, size)
    separate = np.unique(t_labels[t_small[t_labels] & o_small[o_labels]])
    near = cv2.dilate(true_ink.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return {
        "recall": round(float((covered[marks] >= 0.5).mean()), 3),
        "separate": round(len(separate) / len(marks), 3),
        "false_ink": round(float((ink & ~near).sum() / true_ink.sum()), 3),
        "width": round(float((ink & near).sum() / true_ink.sum()), 2),
    }


def otsu(gray):
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def _stats(gray, window):
    img = gray.astype(np.float32)
    m = cv2.boxFilter(img, cv2.CV_32F, (window, window), borderType=cv2.BORDER_REPLICATE)
    sq = cv2.sqrBoxFilter(img, cv2.CV_32F, (window, window), borderType=cv2.BORDER_REPLICATE)
    return img, m, np.sqrt(np.maximum(sq - m * m, 0))


def sauvola(gray, k=0.2):
    img, m, s = _stats(gray, max(15, min(gray.shape) // 60) | 1)
    return np.where(img > m * (1 + k * (s / 128 - 1)), 255, 0).astype(np.uint8)


def wolf(gray, k=0.5):
    img, m, s = _stats(gray, max(15, min(gray.shape) // 60) | 1)
    dark, r = float(np.percentile(gray[::4, ::4], 0.05)), float(s.max()) or 1.0
    t = (1 - k) * m + k * dark + k * (s / r) * (m - dark)
    return np.where(img > t, 255, 0).astype(np.uint8)


METHODS = {"otsu": otsu, "sauvola": sauvola, "wolf": wolf, "ours": pp.binarize}
DENOISERS = {
    "none": lambda g: g,
    "gauss3": pp.denoise,
    "median3": lambda g: cv2.medianBlur(g, 3),
}


def bench_skew(quick: bool) -> dict:
    page = Image.fromarray(render(2480, 3508, 42, 4))
    angles = (
        [-4.3, -1.0, 0.0, 0.7, 2.5, 6.0]
        if quick
        else [-9.5, -6.0, -4.3, -2.0, -1.0, -0.3, 0.0, 0.1, 0.7, 1.5, 2.5, 4.0, 6.0, 9.0]
    )
    rows = []
    for a in angles:
        rotated = np.asarray(page.rotate(a, Image.Resampling.BICUBIC, expand=True, fillcolor=255))
        t = time.process_time()
        got = pp.estimate_skew(rotated)
        rows.append(
            {
                "angle": a,
                "measured": got,
                "error": round(got - a, 3),
                "cpu_s": round(time.process_time() - t, 3),
            }
        )
    samples = []
    manifest = ROOT / "samples" / "manifest.json"
    if manifest.exists():
        from ocr_pipeline import raster

        for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
            path = ROOT / "samples" / entry["file"]
            for number, deg in enumerate(entry.get("degrade", []), 1):
                page_img = raster.load_page(path, number).image
                got = pp.estimate_skew(pp.remove_borders(pp.to_gray(page_img)))
                samples.append(
                    {
                        "file": entry["file"],
                        "page": number,
                        "truth": deg["skew_deg"],
                        "measured": got,
                        "error": round(got - deg["skew_deg"], 3),
                    }
                )
    errors = [abs(r["error"]) for r in rows] + [abs(s["error"]) for s in samples]
    return {
        "synthetic": rows,
        "samples": samples,
        "max_abs_error": max(errors),
        "mean_cpu_s": round(sum(r["cpu_s"] for r in rows) / len(rows), 3),
    }


def bench_binarize(quick: bool) -> list[dict]:
    out = []
    for size, shape in ((42, (2480, 1300)), (30, (1240, 1754))):
        truth = render(shape[0], shape[1], size, 2)
        for name, params in DEGRADATIONS.items():
            if quick and name not in ("uneven_light", "low_contrast"):
                continue
            scan = degrade(truth, **params)
            for border in (False, True):
                page = scan.copy()
                if border:
                    page[:, :120] = 10
                    page[:40, :] = 10
                cleaned = pp.remove_borders(page)
                mask = np.zeros(page.shape, bool)
                mask[:, :120] = mask[:40, :] = border
                for dname, dfn in DENOISERS.items():
                    for mname, mfn in METHODS.items():
                        binary = np.where(mask, 255, mfn(dfn(cleaned)))
                        out.append(
                            {
                                "type_px": size,
                                "degradation": name,
                                "border": border,
                                "denoise": dname,
                                "method": mname,
                                **score(binary, truth, size),
                            }
                        )
    return out


def bench_steps() -> dict:
    page = render(2480, 3508, 42, 4)
    scan = degrade(
        np.asarray(Image.fromarray(page).rotate(1.5, fillcolor=255)), **DEGRADATIONS["uneven_light"]
    )
    steps = {}
    for name, fn in [
        ("remove_borders", pp.remove_borders),
        ("estimate_skew", pp.estimate_skew),
        ("deskew", lambda g: pp.deskew(g, 1.5)),
        ("denoise", pp.denoise),
        ("binarize", pp.binarize),
        ("preprocess", lambda g: pp.preprocess(g).image),
    ]:
        t = time.process_time()
        fn(scan)
        steps[name] = round(time.process_time() - t, 3)
    return steps


def bench_ocr() -> list[dict]:
    """Tesseract (vie, psm 3, OMP_THREAD_LIMIT=1) CER on the sample scans per preprocessing."""
    import os

    os.environ["OMP_THREAD_LIMIT"] = "1"
    import pytesseract
    from rapidfuzz.distance import Levenshtein

    from ocr_pipeline import raster

    manifest = ROOT / "samples" / "manifest.json"
    if not manifest.exists():
        return []
    no = pp.PreprocessOptions
    configs = {
        "raw_gray": None,
        "deskew": no(denoise=False, binarize=False),
        "deskew_gauss3": no(binarize=False),
        "deskew_median3": "median",
        "deskew_gauss3_binarize": no(),
    }
    rows = []
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
        path = ROOT / "samples" / entry["file"]
        truths = (ROOT / "samples" / entry["ground_truth"]).read_text(encoding="utf-8")
        for number, truth in enumerate(truths.split("\f"), 1):
            page = raster.load_page(path, number).image
            for name, opt in configs.items():
                if opt is None:
                    img = pp.to_gray(page)
                elif opt == "median":
                    img = pp.preprocess(page, no(denoise=False, binarize=False)).image
                    img = cv2.medianBlur(img, 3)
                else:
                    img = pp.preprocess(page, opt).image
                text = pytesseract.image_to_string(img, lang="vie", config="--psm 3")
                cer = Levenshtein.normalized_distance(
                    " ".join(text.split()), " ".join(truth.split())
                )
                rows.append(
                    {"file": entry["file"], "page": number, "config": name, "cer": round(cer, 4)}
                )
    return rows


def bench_ocr_skew() -> list[dict]:
    """How much skew tesseract tolerates, and what the deskew's interpolation costs in CER.

    Per sample page: the page deskewed as the pipeline does (cubic or linear warp), not
    deskewed at all, and the straightened page turned again by a small known angle
    (+-0.1 .. 0.5 degrees) and read without deskew. The angle below which the CER does not
    rise is where `preprocess.MIN_DESKEW` can skip the warp.
    """
    import os

    os.environ["OMP_THREAD_LIMIT"] = "1"
    import pytesseract
    from rapidfuzz.distance import Levenshtein

    from ocr_pipeline import raster

    manifest = ROOT / "samples" / "manifest.json"
    if not manifest.exists():
        return []

    def warp(gray: np.ndarray, angle: float, flags: int) -> np.ndarray:
        h, w = gray.shape
        m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -angle, 1.0)
        return cv2.warpAffine(gray, m, (w, h), flags=flags, borderValue=255)

    rows = []
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
        path = ROOT / "samples" / entry["file"]
        truths = (ROOT / "samples" / entry["ground_truth"]).read_text(encoding="utf-8")
        for number, truth in enumerate(truths.split("\f"), 1):
            gray = pp.remove_borders(pp.to_gray(raster.load_page(path, number).image))
            skew = pp.estimate_skew(gray)
            straight = warp(gray, skew, cv2.INTER_CUBIC)
            variants = {
                "deskew_cubic": straight,
                "deskew_linear": warp(gray, skew, cv2.INTER_LINEAR),
                "no_deskew": gray,
            }
            for extra in (0.1, 0.2, 0.3, 0.5):
                sign = 1 if number % 2 else -1
                variants[f"straight_turned_{extra:g}"] = warp(straight, sign * extra,
                                                               cv2.INTER_CUBIC)  # fmt: skip
            for name, img in variants.items():
                text = pytesseract.image_to_string(pp.denoise(img), lang="vie",
                                                   config="--psm 3 --dpi 300")  # fmt: skip
                cer = Levenshtein.normalized_distance(
                    " ".join(text.split()), " ".join(truth.split())
                )
                rows.append({"file": entry["file"], "page": number, "skew": skew,
                             "config": name, "cer": round(cer, 4)})  # fmt: skip
                print(rows[-1], file=sys.stderr, flush=True)
    # the grown canvas's new corners: paper grey (deskew's default) vs pure white, on a
    # synthetic grey-paper page (paper 200, ink 140) turned 1 degree
    page = Image.fromarray(render(2480, 3508, 42, 4)).rotate(
        1.0, Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )
    scan = pp.remove_borders(degrade(np.asarray(page), **DEGRADATIONS["low_contrast"]))
    skew = pp.estimate_skew(scan)
    truth = " ".join(" ".join(LINES) for _ in range(4))
    for name, fill in (("low_contrast_fill_paper", None), ("low_contrast_fill_white", 255)):
        img = pp.denoise(pp.deskew(scan, skew, fill=fill))
        text = pytesseract.image_to_string(img, lang="vie", config="--psm 3 --dpi 300")
        cer = Levenshtein.normalized_distance(" ".join(text.split()), truth)
        rows.append({"file": "synthetic", "page": 1, "skew": skew, "config": name,
                     "cer": round(cer, 4)})  # fmt: skip
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="write the JSON here (default: stdout only)")
    ap.add_argument("--quick", action="store_true", help="fewer angles and degradations")
    ap.add_argument("--ocr", action="store_true", help="also tesseract CER on samples/ scans")
    ap.add_argument(
        "--ocr-skew",
        action="store_true",
        help="only: tesseract CER vs small residual skew and warp interpolation",
    )
    args = ap.parse_args()
    if args.ocr_skew:
        print(json.dumps({"ocr_skew": bench_ocr_skew()}, ensure_ascii=False, indent=1))
        return 0
    result = {
        "skew": bench_skew(args.quick),
        "steps": bench_steps(),
        "binarize": bench_binarize(args.quick),
    }
    if args.ocr:
        result["ocr"] = bench_ocr()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        write_atomic(args.out, text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
