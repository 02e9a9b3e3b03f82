"""Make (source line, Tesseract line) training pairs for the OCR noisy-channel model.

Training paragraphs (scripts/corpus.py, held-out documents excluded; mostly legal text, some
Wikipedia; deterministic sample) are rendered to page images with ocr_pipeline.synth (Liberation
Serif / Noto Serif, 12-14 pt, 200-300 dpi, mild skew / blur / noise / JPEG), and every page is
OCR'd with Tesseract's ``eng`` model (what the legacy archives were read with) and its ``vie``
model. OCR lines are paired with the rendered ground-truth lines by their boxes, and written as
TSV (page, line, font, size_pt, dpi, source, ocr) to ../scratch/channel/pairs_{eng,vie}.tsv.
``--heldout`` renders the held-out evaluation documents instead (pairs_heldout_*.tsv), for
measuring candidate recall; those pairs never feed the tables.

``--degrade heavy`` (150-200 dpi, stronger blur / noise / JPEG) and ``--degrade legacy`` (per
page either "bold": ink spread by a 3-5 px minimum filter, or "thin": 0.3-0.4 of the resolution
then a dark threshold) imitate worse scans; ``--langs eng`` skips the vie OCR, ``--bold`` sets
the share of bold paragraphs. Measured (2026-11-26): neither reproduces the legacy scan's
Đ -> P (~0.5% of đ vs 22% in legacy_ocr_report_part1); "bold" does give its á -> i / á -> é.

``--caps`` renders short ALL-CAPS heading lines cut from training paragraphs instead
(caps_headings; pairs_caps_DEGRADE_*.tsv): Tesseract swaps and drops the marks of capitals
(HƯỞNG -> HƯỚNG, ĐIỀU -> ĐIÊU) far more than of lowercase letters, and build_confusion.py
vie_caps learns the table used for ALL-CAPS tokens from these pairs. The table in the repo
was built with ``--caps --langs vie --pages 40`` (mild) plus ``--caps --langs vie --pages 16
--degrade legacy``.

Usage: .venv/bin/python scripts/make_ocr_pairs.py [--pages 80] [--jobs 2] [--heldout]
       [--degrade mild|heavy|legacy] [--prefix NAME] [--langs eng] [--bold 0.03] [--caps]
(build_confusion.py --pairs takes several files, e.g. mild and heavy pairs together.)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import ImageFilter
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
os.environ["OMP_THREAD_LIMIT"] = "1"

import corpus  # noqa: E402

from ocr_pipeline import synth  # noqa: E402
from ocr_pipeline.errors import PipelineError  # noqa: E402
from ocr_pipeline.layout import repair_lines  # noqa: E402
from ocr_pipeline.ocr import ocr_image  # noqa: E402

log = logging.getLogger("make_ocr_pairs")
SCRATCH = REPO.parent / "scratch" / "channel"
LANGS = ("eng", "vie")
FONTS = ("serif", "noto")
SIZES = (12, 13, 14)
DPIS = (200, 250, 300)
CHARS_PER_PAGE = 2600
LEGAL = ("phapdien", "congbao", "vlc_laws")
CAPS_LINES_PER_PAGE = 55  # heading lines average ~45 characters: about one page each


def _usable(line: str) -> bool:
    letters = sum(c.isalpha() for c in line)
    return 40 <= len(line) <= 700 and letters >= 0.7 * len(line) and "|" not in line


def sample_training(n_legal: int, n_wiki: int, seed: int) -> list[str]:
    """Deterministic reservoir sample of training paragraphs (legal sources, then wiki)."""
    rng = random.Random(seed)
    pools: dict[str, list[str]] = {"legal": [], "wiki": []}
    seen = {"legal": 0, "wiki": 0}
    want = {"legal": n_legal, "wiki": n_wiki}
    for source, line in corpus.iter_training_lines():
        if not _usable(line):
            continue
        kind = "legal" if source in LEGAL else "wiki"
        seen[kind] += 1
        pool = pools[kind]
        if len(pool) < want[kind]:
            pool.append(line)
        else:
            r = rng.randrange(seen[kind])
            if r < want[kind]:
                pool[r] = line
    lines = pools["legal"] + pools["wiki"]
    rng.shuffle(lines)
    return lines


def sample_heldout() -> list[list[str]]:
    return [[ln for ln in doc if len(ln) >= 3] for doc in corpus.heldout_documents()]


def caps_headings(paragraphs: list[str], n: int, seed: int) -> list[str]:
    """`n` ALL-CAPS heading-like lines (3-12 words cut from `paragraphs`), as synth markup:
    half centred bold (``# ``), half plain left-aligned (``< ``). Deterministic in `seed`.

    Capitals carry their marks above the cap height, where Tesseract drops or swaps them
    far more often than on lowercase; these lines teach (or measure) that channel.
    """
    rng = random.Random(seed)
    pool = [
        p.split()
        for p in paragraphs
        if sum(c.isalpha() for c in p) >= 10 and len(p.split()) >= 3 and "|" not in p
    ]
    out: list[str] = []
    while pool and len(out) < n:
        words = pool[rng.randrange(len(pool))]
        size = rng.randint(3, min(12, len(words)))
        start = rng.randrange(len(words) - size + 1)
        text = " ".join(words[start : start + size]).upper().strip(" ,;:")
        letters = sum(c.isalpha() for c in text)
        if (
            letters < 8
            or letters < 0.7 * len(text)
            or len(text) > 90
            or "…" in text
            or ".." in text
            or text[0] in "#^*/<>~+_@\\"
        ):
            continue  # form fields ("HỌ TÊN:……") and dot leaders are not headings
        out.append(("# " if rng.random() < 0.5 else "< ") + text)
    return out


def _style(line: str, rng: random.Random, bold: float = 0.03) -> str:
    """Vary the markup a little: some uppercase headings (Đ -> P lives there), some bold."""
    r = rng.random()
    if r < 0.07 and len(line) < 200:
        return "# " + line.upper()
    if r < 0.07 + bold:
        return "* " + line
    return line


DEGRADE = {  # (dpi choices, max |skew| deg, blur range px, noise range, jpeg choices)
    "mild": (DPIS, 0.6, (0.0, 0.7), (0.0, 0.04), (None, 60, 75, 90)),
    "heavy": ((150, 200), 1.0, (0.6, 1.2), (0.03, 0.07), (40, 55, 70)),
    "legacy": ((200, 250, 300), 0.6, (0.0, 0.5), (0.0, 0.02), (None, 60, 75)),
}
# "legacy" pages are one of two photocopy looks the legacy scans show (probed by hand):
# "bold" (ink spread by a 3 or 5 px minimum filter: á -> i, á -> é, "tic" for tác) or
# "thin" (0.3-0.4 of the resolution, then a dark threshold: broken strokes, Đ -> P).
LEGACY_INKS = (3, 5)
LEGACY_THIN_DOWNSCALE = (0.3, 0.4)
LEGACY_THIN_THRESHOLD = (100, 125)


def make_jobs(
    paragraphs: list[str],
    n_pages: int,
    seed: int,
    degrade: str = "mild",
    bold: float = 0.03,
    restyle: bool = True,
) -> list[dict]:
    """Page jobs of about CHARS_PER_PAGE characters each; `restyle` varies the markup
    (_style), off for lines that already carry their own (caps_headings)."""
    dpis, skew, blur, noise, jpegs = DEGRADE[degrade]
    rng = random.Random(seed)
    jobs = []
    i = 0
    for page in range(n_pages):
        chunk: list[str] = []
        size = 0
        while size < CHARS_PER_PAGE and i < len(paragraphs):
            chunk.append(_style(paragraphs[i], rng, bold) if restyle else paragraphs[i])
            size += len(paragraphs[i])
            i += 1
        if not chunk:
            break
        job = {
            "page": page,
            "text": "\n".join(chunk),
            "font": rng.choice(FONTS),
            "size": rng.choice(SIZES),
            "dpi": rng.choice(dpis),
            "skew": round(rng.uniform(-skew, skew), 2),
            "blur": round(rng.uniform(*blur), 2),
            "noise": round(rng.uniform(*noise), 3),
            "jpeg": rng.choice(jpegs),
            "seed": seed * 1000 + page,
        }
        if degrade == "legacy":
            if rng.random() < 0.5:
                job.update(look="bold", ink=rng.choice(LEGACY_INKS))
            else:
                job.update(
                    look="thin",
                    dpi=300,
                    blur=0.0,
                    jpeg=None,
                    downscale=round(rng.uniform(*LEGACY_THIN_DOWNSCALE), 2),
                    threshold=rng.randint(*LEGACY_THIN_THRESHOLD),
                )
        jobs.append(job)
    return jobs


def pair_lines(truth: tuple[synth.RenderedLine, ...], ocr_lines: list, scale: float) -> list[str]:
    """For each ground-truth line, the OCR text whose box centre falls inside it ("" if none)."""
    out: list[list[tuple[int, str]]] = [[] for _ in truth]
    for ln in ocr_lines:
        cy = (ln.bbox.top + ln.bbox.bottom) / 2 / scale
        best, best_d = None, None
        for k, t in enumerate(truth):
            top, bottom = t.box[1], t.box[3]
            d = 0.0 if top <= cy <= bottom else min(abs(cy - top), abs(cy - bottom))
            if best_d is None or d < best_d:
                best, best_d = k, d
        if best is None:
            continue
        height = truth[best].box[3] - truth[best].box[1]
        if best_d is not None and best_d <= 0.5 * height:
            out[best].append((ln.bbox.left, " ".join(w.text for w in ln.words)))
    return [" ".join(t for _, t in sorted(parts)) for parts in out]


def run_job(job: dict) -> list[dict]:
    pages = synth.render_pages(
        job["text"], font=job["font"], font_size_pt=job["size"], dpi=job["dpi"], seed=job["seed"]
    )
    rows = []
    for p_idx, page in enumerate(pages[:2]):
        img = synth.degrade(
            page.image,
            skew_deg=job["skew"],
            blur=job["blur"],
            noise=job["noise"],
            jpeg_quality=job["jpeg"],
            seed=job["seed"],
            downscale=job.get("downscale", 1.0),
        )
        if job.get("ink"):
            img = img.filter(ImageFilter.MinFilter(job["ink"]))
        if job.get("threshold"):
            cut = job["threshold"]
            img = img.point(lambda v, cut=cut: 0 if v < cut else 255)
        for lang in job.get("langs", LANGS):
            t0 = time.time()
            try:
                lines = ocr_image(img, page_number=p_idx + 1, dpi=job["dpi"], lang=lang)
                lines = repair_lines(img, lines, page_number=p_idx + 1, lang=lang)
            except (OSError, PipelineError) as err:  # one bad page must not sink the run
                log.warning("page %s.%d %s: OCR failed, skipped: %s", job["page"], p_idx, lang, err)
                continue
            secs = time.time() - t0
            texts = pair_lines(page.lines, lines, 1.0)
            for k, (gt, oc) in enumerate(zip(page.lines, texts, strict=True)):
                rows.append(
                    {
                        "lang": lang,
                        "page": f"{job['page']}.{p_idx}",
                        "line": k,
                        "font": job["font"],
                        "size": job["size"],
                        "dpi": job["dpi"],
                        "source": gt.text,
                        "ocr": unicodedata.normalize("NFC", oc),
                        "secs": secs,
                    }
                )
    return rows


def cer(rows: list[dict]) -> tuple[float, float]:
    """Character error rate (case-sensitive, and casefolded) over ground-truth lines."""
    errs = errs_cf = total = 0
    for r in rows:
        src, oc = r["source"], r["ocr"]
        errs += Levenshtein.distance(src, oc)
        errs_cf += Levenshtein.distance(src.casefold(), oc.casefold())
        total += len(src)
    return errs / max(total, 1), errs_cf / max(total, 1)


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=80, help="page budget (default 80)")
    ap.add_argument("--jobs", type=int, default=2, help="processes, at most 2 (default 2)")
    ap.add_argument("--seed", type=int, default=20251126)
    ap.add_argument("--heldout", action="store_true", help="render held-out documents instead")
    ap.add_argument(
        "--degrade",
        choices=sorted(DEGRADE),
        default="mild",
        help="scan simulation (default mild; heavy: 150-200 dpi, blur, JPEG; legacy: "
        "bold ink spread or thin broken strokes, like the legacy photocopies)",
    )
    ap.add_argument(
        "--langs",
        nargs="+",
        choices=LANGS,
        default=list(LANGS),
        help="OCR models to run (default: eng vie)",
    )
    ap.add_argument(
        "--bold", type=float, default=0.03, help="share of paragraphs set in bold (default 0.03)"
    )
    ap.add_argument(
        "--caps",
        action="store_true",
        help="render short ALL-CAPS heading lines (caps_headings) of training "
        "text instead of paragraphs (pairs_caps_DEGRADE_*.tsv)",
    )
    ap.add_argument("--prefix", help="output name prefix (default pairs / pairs_heldout)")
    ap.add_argument("--out-dir", type=Path, default=SCRATCH)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    t0 = time.time()
    if args.heldout:
        docs = sample_heldout()
        jobs = []
        for d, doc in enumerate(docs):
            jobs += [
                dict(j, page=f"h{d}.{j['page']}")
                for j in make_jobs(doc, 1, args.seed + 7 + d, args.degrade, args.bold)
            ]
        jobs = jobs[: args.pages]
        prefix = "pairs_heldout"
    elif args.caps:
        paragraphs = sample_training(
            n_legal=args.pages * 9, n_wiki=args.pages * 3, seed=args.seed + 1
        )
        heads = caps_headings(paragraphs, args.pages * CAPS_LINES_PER_PAGE, args.seed + 2)
        log.info(
            "%d ALL-CAPS lines from %d paragraphs in %.0f s",
            len(heads),
            len(paragraphs),
            time.time() - t0,
        )
        jobs = make_jobs(heads, args.pages, args.seed + 3, args.degrade, restyle=False)
        prefix = f"pairs_caps_{args.degrade}"
    else:
        paragraphs = sample_training(n_legal=args.pages * 9, n_wiki=args.pages * 3, seed=args.seed)
        log.info("sampled %d paragraphs in %.0f s", len(paragraphs), time.time() - t0)
        jobs = make_jobs(paragraphs, args.pages, args.seed, args.degrade, args.bold)
        prefix = "pairs"
    prefix = args.prefix or prefix
    jobs = [dict(j, langs=args.langs) for j in jobs]
    rows: list[dict] = []
    with ProcessPoolExecutor(max_workers=max(1, min(2, args.jobs))) as ex:
        for n, res in enumerate(ex.map(run_job, jobs), 1):
            rows += res
            if n % 10 == 0:
                log.info("%d/%d pages", n, len(jobs))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for lang in args.langs:
        lr = [r for r in rows if r["lang"] == lang]
        path = args.out_dir / f"{prefix}_{lang}.tsv"
        with path.open("w", encoding="utf-8") as fh:
            fh.write("page\tline\tfont\tsize_pt\tdpi\tsource\tocr\n")
            for r in lr:
                fh.write(
                    f"{r['page']}\t{r['line']}\t{r['font']}\t{r['size']}\t{r['dpi']}\t"
                    f"{_clean(r['source'])}\t{_clean(r['ocr'])}\n"
                )
        c, c_cf = cer(lr)
        secs = sum(r["secs"] for r in {(r["page"]): r for r in lr}.values())
        summary[lang] = {
            "lines": len(lr),
            "pages": len({r["page"] for r in lr}),
            "cer": round(c, 4),
            "cer_casefolded": round(c_cf, 4),
            "ocr_cpu_seconds": round(secs, 1),
            "file": str(path),
        }
    summary["wall_seconds"] = round(time.time() - t0, 1)
    (args.out_dir / f"{prefix}_summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
