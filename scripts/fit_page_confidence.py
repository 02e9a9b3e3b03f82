"""Fit the reviewer's confidence on scans (`page_confidence.WEIGHTS`) and print its figures as JSON.

Each document of the given folders (scripts/bench_scans.py's markup) is drawn as every
condition of the grid (`bench_scans.build`: the same renders and seeds as the benchmark)
and read by the pipeline in this process, as `run` reads it, but with the last step,
`page_confidence.reviewed`, left out: the words keep the restorer's own confidence, the
model's input. Every word is labelled right or wrong against the truth as the benchmark's
flag report labels it (`bench_scans.wrong_tokens`: `ocr-pipeline diff
--ignore-punctuation`'s alignment) and described by `page_confidence.page_features`. A
logistic model (scripts/fit_confidence.py's `fit`, L2 = L2) is fitted on the ``--fit``
folders (by default the tuning sets tests/data/scans_heldout2-6) and checked on the
``--check`` folders (by default scans_heldout7, never fitted on). For each set and
condition kind the flag "confidence < restore.LOW_CONFIDENCE" is printed before (the
restorer's confidence, Tesseract's for words it did not read: what words.tsv held) and
after, as wrong words, flagged wrong words, flagged words and words; ``weights`` are the
constants to paste into ocr_pipeline/page_confidence.py. About 10 minutes on one core.

Usage: .venv/bin/python scripts/fit_page_confidence.py [--fit DIR ...] [--check DIR ...]
       [--dpis 300,200,150] [--kinds clean,soft,photocopy,fax]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import bench_scans  # noqa: E402
from fit_confidence import fit  # noqa: E402

from ocr_pipeline import page_confidence, pipeline  # noqa: E402
from ocr_pipeline.diff.sides import DiffSide, SideLine, Token  # noqa: E402
from ocr_pipeline.model import Document  # noqa: E402
from ocr_pipeline.options import PipelineOptions  # noqa: E402
from ocr_pipeline.review_flag import LOW_CONFIDENCE  # noqa: E402

DATA = REPO / "tests" / "data"
FIT_SETS = tuple(DATA / f"scans_heldout{n}" for n in (2, 3, 4, 5, 6))
CHECK_SETS = (DATA / "scans_heldout7",)
L2 = 1.0


def labelled(document: Document, truth: str) -> list[tuple[tuple[float, ...], bool, float]]:
    """(features, wrong, confidence before) of every word of `document` (read pages)."""
    words: list[tuple[tuple[float, ...], float]] = []
    lines: list[SideLine] = []
    for page in document.pages:
        if page.status != "ok":
            continue
        xs = iter(page_confidence.page_features(page))
        for line in page.lines:
            tokens = []
            for w in line.words:
                x = next(xs)
                if not w.marked_text.strip():
                    continue  # the words.tsv reader drops blank words too
                before = (w.restore_confidence if w.restore_confidence is not None
                          else w.confidence / 100.0 if w.confidence >= 0 else 1.0)  # fmt: skip
                tokens.append(Token(w.marked_text, alternatives=(str(len(words)),)))
                words.append((x, before))
            if tokens:
                lines.append(SideLine.from_tokens(tokens, len(lines) + 1, page.number))
    side = DiffSide("<run>", "words-tsv", lines, "run")
    rows = []
    for token, wrong in bench_scans.wrong_tokens(truth, side):
        x, before = words[int(token.alternatives[0])]
        rows.append((x, wrong, before))
    return rows


def read_set(folder: Path, dpis: list[int], kinds: list[str], work: Path) -> dict[str, list]:
    """{condition "dpi_kind": labelled words} of the documents of `folder`."""
    for old in work.glob("*.png"):
        old.unlink()
    cases = bench_scans.build("test", dpis, kinds, None, work, folder)
    out: dict[str, list] = {}
    for stem, case in cases.items():
        document = pipeline.process_document(work / f"{stem}.png", PipelineOptions(jobs=1))
        out.setdefault(f"{case['dpi']}_{case['kind']}", []).extend(
            labelled(document, case["truth"])
        )
    return out


def flag(conf: np.ndarray, wrong: np.ndarray) -> dict:
    low = conf < LOW_CONFIDENCE
    hit = int((low & wrong).sum())
    return {"wrong": int(wrong.sum()), "flagged_wrong": hit, "flagged": int(low.sum()),
            "words": len(wrong), "recall": round(hit / max(int(wrong.sum()), 1), 3),
            "precision": round(hit / max(int(low.sum()), 1), 3)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", type=Path, nargs="+", default=list(FIT_SETS))
    ap.add_argument("--check", type=Path, nargs="*", default=list(CHECK_SETS))
    ap.add_argument("--dpis", default="300,200,150")
    ap.add_argument("--kinds", default="clean,soft,photocopy,fax")
    args = ap.parse_args(argv)
    dpis = [int(x) for x in args.dpis.split(",")]
    kinds = args.kinds.split(",")
    # the restorer's own confidence is the model's input: read without the review step
    page_confidence.reviewed = lambda page: page
    sets: dict[tuple[str, str], list] = {}
    with tempfile.TemporaryDirectory(prefix="fit_page_confidence_") as tmp:
        for folder in [*args.fit, *args.check]:
            for condition, rows in read_set(folder, dpis, kinds, Path(tmp)).items():
                sets[(folder.name, condition)] = rows
    fit_names = {f.name for f in args.fit}
    train = [r for (name, _c), rows in sets.items() if name in fit_names for r in rows]
    x = np.array([r[0] for r in train], dtype=float)
    y = np.array([not r[1] for r in train], dtype=float)
    w = fit(x, y, l2=L2)
    report: dict = {"fitted_on": sorted(fit_names), "features": list(page_confidence.FEATURES)}
    for role, names in (("fitted", fit_names), ("check", {f.name for f in args.check})):
        by_condition: dict[str, dict] = {}
        for condition in sorted({c for (_n, c) in sets}):
            rows = [r for (n, c), rs in sets.items() if n in names and c == condition for r in rs]
            if not rows:
                continue
            xs = np.array([r[0] for r in rows], dtype=float)
            wrong = np.array([r[1] for r in rows], dtype=bool)
            after = 1.0 / (1.0 + np.exp(-(w[0] + xs @ w[1:])))
            before = np.array([r[2] for r in rows], dtype=float)
            by_condition[condition] = {"before": flag(before, wrong), "after": flag(after, wrong)}
        report[role] = by_condition
    report["weights"] = [round(float(v), 4) for v in w]
    report["by_feature"] = dict(
        zip(("intercept", *page_confidence.FEATURES), report["weights"], strict=True)
    )
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
