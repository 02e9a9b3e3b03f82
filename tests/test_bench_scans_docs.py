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
