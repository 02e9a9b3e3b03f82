"""What an archive profile gains: learn on one half of the legacy dev set, restore the other.

The dev set (../shared/samples/legacy_ocr_report_part1.{txt,gt.txt}, 370 lines, line i of
the ground truth is the correct text of OCR line i) is cut in two halves of whole lines.
For each direction a profile is learned from one half's (OCR, truth) lines exactly as
``ocr-pipeline learn --ocr --truth`` does (`restore.profile.learn`), and the other half
is restored with and without it, with per-document adaptation on (the default of
``restore``) and off (as ``run`` restores pages). The profile's two parts are also tried
alone: its pairs only (the channel re-estimated from them, and the readings of garbled
tokens they give, `Profile.readings`), its names only. Nothing here tunes anything; the figures
are syllable accuracy as scripts/bench_restore.py scores it.

    .venv/bin/python scripts/bench_profile.py [--cut 185]

Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench_restore import DEV_GT, DEV_OCR, score  # noqa: E402

from ocr_pipeline.restore import restore_text  # noqa: E402
from ocr_pipeline.restore.profile import Profile, learn  # noqa: E402


def run(cut: int) -> dict:
    ocr = DEV_OCR.read_text(encoding="utf-8").splitlines()
    gt = DEV_GT.read_text(encoding="utf-8").splitlines()
    halves = {"first": (ocr[:cut], gt[:cut]), "second": (ocr[cut:], gt[cut:])}
    out: dict = {"cut": cut, "lines": len(ocr), "directions": {}}
    for learn_on, restore_on in (("first", "second"), ("second", "first")):
        full = learn("\n".join(halves[learn_on][0]), "\n".join(halves[learn_on][1]))
        variants = {
            "none": None,
            "profile": full,
            "pairs_only": Profile(full.pairs, []),
            "names_only": Profile(type(full.pairs)(), full.lexicon),
        }
        text = "\n".join(halves[restore_on][0]) + "\n"
        truth = halves[restore_on][1]
        row: dict = {
            "learned_pairs": sum(full.pairs.values()),
            "learned_names": len(set(full.lexicon)),
        }
        for adapt in (True, False):
            for name, profile in variants.items():
                start = time.process_time()
                restored = restore_text(text, adapt=adapt, profile=profile)
                lines = restored.splitlines()
                row[f"{name}_adapt_{'on' if adapt else 'off'}"] = {
                    **score(lines, truth),
                    "cpu_s": round(time.process_time() - start, 1),
                }
        for adapt in ("on", "off"):
            base = row[f"none_adapt_{adapt}"]["accuracy"]
            row[f"gain_points_adapt_{adapt}"] = round(
                100 * (row[f"profile_adapt_{adapt}"]["accuracy"] - base), 2
            )
        out["directions"][f"learn_{learn_on}_restore_{restore_on}"] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cut", type=int, default=185, help="first line of the second half")
    args = parser.parse_args(argv)
    if not (DEV_OCR.exists() and DEV_GT.exists()):
        raise SystemExit(f"{DEV_OCR} and its .gt.txt are needed (../shared/samples)")
    print(json.dumps(run(args.cut), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
