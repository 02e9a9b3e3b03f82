"""Tests for `ocr-pipeline structure` (the subcommand module, through cli.main)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from ocr_pipeline import cli
from ocr_pipeline.structure import validate

DATA = Path(__file__).parent / "data" / "structure"


@pytest.fixture(autouse=True)
def _with_structure_command(monkeypatch):
    if "structure" not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "structure"))


def test_json_output(tmp_path):
    out = tmp_path / "out.json"
    assert cli.main(["structure", str(DATA / "quyet_dinh.txt"), "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate(doc)
    assert doc["source"]["file"] == "quyet_dinh.txt" and len(doc["source"]["sha256"]) == 64
    assert doc["header"]["number"] == "245/QĐ-UBND"
    assert not list(tmp_path.glob(".*.tmp"))  # atomic write left no temp file


def test_markdown_by_flag_and_by_suffix(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    assert cli.main(["structure", str(DATA / "ke_hoach.txt"), "-o", str(a), "--format", "md"]) == 0
    assert cli.main(["structure", str(DATA / "ke_hoach.txt"), "-o", str(b)]) == 0
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
    assert "## I. MỤC ĐÍCH, YÊU CẦU" in a.read_text(encoding="utf-8")


def test_stdin_to_stdout(monkeypatch, capsys):
    text = "I. MỤC TIÊU\n\nNội dung.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    assert cli.main(["structure", "-", "-o", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["body"][0]["label"] == "I." and doc["source"]["file"] == "-"


def test_missing_input_is_one_line_error(tmp_path, capsys):
    code = cli.main(["structure", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o.json")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "no such file" in err


def test_non_utf8_input(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Báo cáo".encode("latin-1"))  # as a Windows-1258 file arrives
    assert cli.main(["structure", str(bad), "-o", str(tmp_path / "o.json")]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "iconv" in err and err.count("\n") == 1
    # UTF-16 (Windows Notepad's "Unicode"): read with its byte-order mark, refused with a
    # way to convert it without one (a new user got "bad byte at offset 0" for both)
    notepad = tmp_path / "notepad.txt"
    notepad.write_bytes("QUYẾT ĐỊNH\nĐiều 1. Giao nhiệm vụ cho các thôn.\n".encode("utf-16"))
    assert cli.main(["structure", str(notepad), "-o", str(tmp_path / "n.json")]) == 0
    doc = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    assert doc["header"]["doc_type"] == "QUYẾT ĐỊNH"
    notepad.write_bytes("Báo cáo tình hình\n".encode("utf-16-le"))
    assert cli.main(["structure", str(notepad), "-o", str(tmp_path / "n.json")]) == 2
    assert "UTF-16 text without a byte-order mark" in capsys.readouterr().err


def test_text_without_its_marks_is_sent_to_restore_first(tmp_path, caplog):
    """Structured unrestored, a text typed without accents loses its "Dieu 1." articles and
    header fields without a word (a new user's decision): one warning says to restore it."""
    plain = tmp_path / "qd.txt"
    plain.write_text(
        "UY BAN NHAN DAN XA BAN HA\nQUYET DINH\nVe viec giao nhiem vu phong chong lu bao\n"
        "Dieu 1. Giao cac thon to chuc truc ban phong chong lu bao trong mua mua nam nay.\n"
        "Dieu 2. Cac thon bao cao ket qua ve Uy ban nhan dan xa truoc ngay cuoi thang.\n",
        encoding="utf-8",
    )
    with caplog.at_level("WARNING"):
        assert cli.main(["structure", str(plain), "-o", str(tmp_path / "qd.json")]) == 0
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warned) == 1 and "without its marks" in warned[0]
    assert "ocr-pipeline restore" in warned[0]
    caplog.clear()
    with caplog.at_level("WARNING"):
        correct = str(DATA / "quyet_dinh.txt")
        assert cli.main(["structure", correct, "-o", str(tmp_path / "b.json")]) == 0
    assert not [r for r in caplog.records if r.levelname == "WARNING"]  # correct text
