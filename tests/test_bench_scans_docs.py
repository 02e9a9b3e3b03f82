"""scripts/bench_scans.py --docs DIR: the grid's documents read from a folder in the markup
of scripts/bench_scans_docs/ (how held-out documents are measured). Invented text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import bench_scans  # noqa: E402


def test_docs_folder_replaces_the_split(tmp_path: Path) -> None:
    (tmp_path / "bien_ban.txt").write_text("# BIÊN BẢN\nCác hộ góp ngày công.\n", "utf-8")
    (tmp_path / "ghi_chu.md").write_text("not a document", "utf-8")
    docs = bench_scans.documents("test", tmp_path)
    assert docs == {"bien_ban": "# BIÊN BẢN\nCác hộ góp ngày công.\n"}
    assert set(bench_scans.documents("test")) == {
        p.stem for p in bench_scans.DOCS_DIR.glob("*.txt")
    }


def test_docs_folder_must_hold_documents(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no \\*.txt document"):
        bench_scans.documents("test", tmp_path)
    with pytest.raises(SystemExit, match="not a folder"):
        bench_scans.documents("test", tmp_path / "missing")


def test_the_flag_report_counts_flagged_words_against_the_wrong_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    header = (
        "page\tblock\tpar\tline\tword\tleft\ttop\twidth\theight\tconf\ttext\tocr_text\trestore_conf"
    )
    rows = [("Các", "0.99"), ("hô", "0.3"), ("góp", "0.95"), ("ngày", "0.2"), ("cộng.", "0.97")]
    (out / "bien_ban_150_fax.words.tsv").write_text(
        "\n".join([header] + [f"1\t1\t1\t1\t{i}\t{10 * i}\t5\t8\t9\t90\t{t}\t{t}\t{c}"
                              for i, (t, c) in enumerate(rows, 1)]) + "\n", "utf-8")  # fmt: skip
    cases = {"bien_ban_150_fax": {"dpi": 150, "kind": "fax", "truth": "Các hộ góp ngày công."}}
    got = bench_scans.flags(cases, out)[(150, "fax")]
    # "hô" and "cộng" are wrong; "hô" and the right "ngày" are flagged
    assert got == {"wrong": 2, "flagged_wrong": 1, "flagged": 2, "words": 5, "recall": 0.5,
                   "precision": 0.5}  # fmt: skip
