"""A batch summed up: the directory index and `diff --summary DIR` rank the documents
worst first and add up the confusions over the batch."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from ocr_pipeline.diff.run import diff_directories, diff_files

GT = {
    "good": "Báo cáo năm nay\nKết quả tốt\n",
    "bad": "Báo cáo tháng\nTổng kết chung\nIII. Kiến nghị\n",
    "mid": "Công văn số\nGửi các đơn vị\n",
}
OCR = {
    "good": "Báo cáo năm nay\nKết quả tốt\n",
    "bad": "Bao cao thang\nTong kết chung\nIH. Kiến nghị\n",
    "mid": "Công văn số\nGửi cac đơn vị\n",
}


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    da, db = tmp_path / "gt", tmp_path / "ocr"
    da.mkdir()
    db.mkdir()
    for name in GT:
        (da / f"{name}.gt.txt").write_text(GT[name], encoding="utf-8")
        (db / f"{name}.txt").write_text(OCR[name], encoding="utf-8")
    return da, db


def _check_index(index: dict, page: str) -> None:
    ranked = [d["name"] for d in index["documents"]]
    assert ranked == ["bad", "mid", "good"]  # worst CER first
    assert [d["rank"] for d in index["documents"]] == [1, 2, 3]
    chars = {(r["a"], r["b"], r["kind"]): r for r in index["confusions"]["chars"]}
    # á->a: 3 times in "bad", once in "mid": added over the batch, examples name the document
    assert chars[("á", "a", "diacritic")]["count"] == 4
    assert {ex["document"] for ex in chars[("á", "a", "diacritic")]["examples"]} == {"bad", "mid"}
    assert index["totals"]["char_distance"] == sum(
        d["metrics"]["char_distance"] for d in index["documents"]
    )
    rows = re.findall(r'<td><a href="(\w+)\.diff\.html">', page)
    assert rows == ["bad", "mid", "good"]
    assert re.search(
        r'<table id="conf-chars">.*?<td class="g">á</td><td class="g">a</td>'
        r'<td>diacritic</td><td class="r">4</td>',
        page,
        re.S,
    )
    assert 'href="bad.diff.html#diff-' in page  # examples link into the document's report


def test_directory_index_ranks_and_adds_up_confusions(tmp_path):
    da, db = _folders(tmp_path)
    out = tmp_path / "reports"
    result = diff_directories(da, db, out)
    assert [e.name for e in result.entries] == ["bad", "mid", "good"]
    _check_index(
        json.loads((out / "index.json").read_text(encoding="utf-8")),
        (out / "index.html").read_text(encoding="utf-8"),
    )


def test_summary_of_report_folder(tmp_path):
    da, db = _folders(tmp_path)
    reports = tmp_path / "one_by_one"
    reports.mkdir()
    for name in GT:  # reports written one at a time, e.g. by a shell loop
        diff_files(
            da / f"{name}.gt.txt",
            db / f"{name}.txt",
            json_path=reports / f"{name}.diff.json",
            html_path=reports / f"{name}.diff.html",
        )
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "diff", "--summary", str(reports)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("1. bad: CER ")
    _check_index(
        json.loads((reports / "index.json").read_text(encoding="utf-8")),
        (reports / "index.html").read_text(encoding="utf-8"),
    )


def test_summary_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "diff", "--summary", str(empty)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "no NAME.diff.json report" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "diff", "a.txt", "--summary", str(empty)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "takes no A and B" in proc.stderr


def test_summary_keeps_what_the_directory_mode_wrote(tmp_path):
    """`diff --summary OUT` after `diff A B --html-dir OUT` rewrites the index from the
    reports but keeps what only the directory mode knew: the unpaired documents, the
    pairs that failed, the folders compared."""
    from ocr_pipeline.diff.run import summarize_folder

    da, db = _folders(tmp_path)
    (da / "lonely.txt").write_text("chỉ ở A\n", encoding="utf-8")
    (db / "extra.txt").write_text("chỉ ở B\n", encoding="utf-8")
    (da / "broken.txt").write_bytes(b"\x00\x01binary")
    (db / "broken.txt").write_text("được\n", encoding="utf-8")
    out = tmp_path / "reports"
    diff_directories(da, db, out)
    summarize_folder(out)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["only_a"] == ["lonely"] and index["only_b"] == ["extra"]
    assert index["a"] == str(da) and index["b"] == str(db)
    assert [d["name"] for d in index["documents"]] == ["bad", "mid", "good", "broken"]
    assert "binary" in index["documents"][-1]["error"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "lonely" in page and "extra" in page and "binary" in page
