"""Does `diff` read ALTO/hOCR as it reads the text output, and agree with dinglehopper?

For each NAME of a `run` output folder that has NAME.gt.txt in the ground-truth folder,
prints our CER of GT against NAME.txt, NAME.alto.xml, NAME.hocr and NAME.words.tsv (the
bar: equal within 0.1 point), and, when a dinglehopper executable is given (installed in
a separate virtualenv: it is not a dependency), dinglehopper's CER on the same pairs:

- ``raw``: each tool on the files as they are. dinglehopper aligns the whole text with
  line breaks as characters; `diff` pairs lines and does not count line breaks, so a line
  OCR joined or split costs dinglehopper one edit per break and us none.
- ``flat``: both normalised alike: every input read by its own tool (dinglehopper-extract
  for dinglehopper, our readers for us), NFC, all whitespace runs (line breaks included)
  made one space, and both tools run on those two single-line texts.

    python scripts/bench_diff_inputs.py samples OUT [--dinglehopper /path/to/bin/dinglehopper]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from ocr_pipeline.diff import compare_sides, compare_texts, load_side

KINDS = ("txt", "alto.xml", "hocr", "words.tsv")


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def ours_flat(path: Path) -> str:
    return flat(" ".join(ln.text for ln in load_side(path).lines))


def dinglehopper_cer(exe: str, gt: Path, ocr: Path, tmp: Path) -> float:
    subprocess.run(
        [exe, str(gt.resolve()), str(ocr.resolve()), "report"],
        cwd=tmp,
        check=True,
        capture_output=True,
    )
    return json.loads((tmp / "report.json").read_text(encoding="utf-8"))["cer"]


def extract(exe: str, path: Path) -> str:
    tool = str(Path(exe).with_name("dinglehopper-extract"))
    return subprocess.run([tool, str(path)], check=True, capture_output=True, text=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gt_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--dinglehopper", metavar="EXE")
    args = ap.parse_args()
    results = []
    for gt in sorted(args.gt_dir.glob("*.gt.txt")):
        name = gt.name[: -len(".gt.txt")]
        for kind in KINDS:
            out = args.out_dir / f"{name}.{kind}"
            if not out.exists():
                continue
            ref = load_side(gt)
            row = {
                "name": name,
                "kind": kind,
                "ours": round(100 * compare_sides(ref, load_side(out)).metrics.cer, 4),
                "ours_flat": round(
                    100 * compare_texts(ours_flat(gt), ours_flat(out)).metrics.cer, 4
                ),
            }
            if args.dinglehopper and kind in ("txt", "alto.xml"):
                with tempfile.TemporaryDirectory() as tmp_name:
                    tmp = Path(tmp_name)
                    row["dinglehopper"] = round(
                        100 * dinglehopper_cer(args.dinglehopper, gt, out, tmp), 4
                    )
                    (tmp / "gt.txt").write_text(
                        flat(gt.read_text(encoding="utf-8")) + "\n", encoding="utf-8"
                    )
                    text = (
                        extract(args.dinglehopper, out)
                        if kind == "alto.xml"
                        else out.read_text(encoding="utf-8")
                    )
                    (tmp / "ocr.txt").write_text(flat(text) + "\n", encoding="utf-8")
                    row["dinglehopper_flat"] = round(
                        100
                        * dinglehopper_cer(args.dinglehopper, tmp / "gt.txt", tmp / "ocr.txt", tmp),
                        4,
                    )
            results.append(row)
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
