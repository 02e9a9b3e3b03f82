"""`ocr-pipeline restore`: files and -, text and json, one-line errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
import restore_models

import ocr_pipeline.restore as restore_api
from ocr_pipeline.cli import main

needs_models = restore_models.needs_models("confusion_eng.tsv", "confusion_vie.tsv")


@pytest.fixture()
def fake_restore(monkeypatch):
    """Replace the models by an upper-casing stand-in (CLI plumbing only)."""
    monkeypatch.setattr(restore_api, "restore_text", lambda t, c="auto", **_kw: t.upper())
    return restore_api


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_files_and_atomic_output(tmp_path: Path, fake_restore) -> None:
    src = tmp_path / "in.txt"
    src.write_text("pang uy\n", encoding="utf-8")
    out = tmp_path / "sub" / "out.txt"
    assert main(["restore", str(src), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "PANG UY\n"
    assert [p.name for p in out.parent.iterdir()] == ["out.txt"]  # no temp files left


def test_stdin_stdout(monkeypatch, capsys, fake_restore) -> None:
    _stdin(monkeypatch, "\ufeffchinh quyen".encode())
    assert main(["restore", "-", "-o", "-"]) == 0
    assert capsys.readouterr().out == "CHINH QUYEN"


def test_stdin_is_a_filter_without_o(monkeypatch, capsys, tmp_path: Path, fake_restore) -> None:
    _stdin(monkeypatch, b"chinh quyen")
    assert main(["restore", "-"]) == 0  # stdin in, stdout out, as a filter
    assert capsys.readouterr().out == "CHINH QUYEN"
    src = tmp_path / "in.txt"
    src.write_text("pang uy\n", encoding="utf-8")
    assert main(["restore", str(src)]) == 1  # a file needs to be told where its result goes
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "give -o OUTPUT" in err[0]


def test_missing_input(tmp_path: Path, capsys) -> None:
    code = main(["restore", str(tmp_path / "nope.txt"), "-o", "-"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "no such file" in err[0]


def test_undecodable_input(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"abc \xff\xfe\x80 def")
    code = main(["restore", str(bad), "-o", "-"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "UTF-8" in err[0]


def test_a_scan_given_to_a_text_command_points_to_run(tmp_path: Path, capsys) -> None:
    """`restore plan300.png` said "not UTF-8 text ... convert it to UTF-8"."""
    scan = tmp_path / "plan300.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    for command in ("restore", "structure"):
        code = main([command, str(scan), "-o", str(tmp_path / "x.txt")])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1, err
        assert "is a PNG image, not text; OCR it with ocr-pipeline run" in err[0]
        assert "UTF-8" not in err[0]


def test_unwritable_output(tmp_path: Path, capsys, fake_restore) -> None:
    src = tmp_path / "in.txt"
    src.write_text("x", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("")
    code = main(["restore", str(src), "-o", str(blocker / "out.txt")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 5 and len(err) == 1 and err[0].startswith("ocr-pipeline: error:")
    code = main(["restore", str(src), "-o", str(tmp_path)])
    assert code == 5


def test_bad_channel(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["restore", "-", "-o", "-", "--channel", "fra"])
    assert exc.value.code == 1


@needs_models
def test_real_text_and_json(tmp_path: Path, monkeypatch, capsys) -> None:
    _stdin(monkeypatch, "Pang uy, chinh quyén dia phuong\n".encode())
    assert main(["restore", "-", "-o", "-"]) == 0
    assert capsys.readouterr().out == "Đảng ủy, chính quyền địa phương\n"
    src = tmp_path / "in.txt"
    src.write_text("kiếm tra 2025", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["restore", str(src), "-o", str(out), "--format", "json", "--channel", "vie"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["text"] == "kiểm tra 2025" and doc["channel"] == "vie"
    first = doc["tokens"][0]
    assert first["original"] == "kiếm" and first["text"] == "kiểm"
    assert first["kind"] == "word" and 0 <= first["confidence"] <= 1
    assert doc["tokens"][-1]["kind"] == "number"


def test_import_is_light() -> None:
    import subprocess

    code = (
        "import sys, ocr_pipeline.restore; "
        "print([m for m in ('numpy', 'ocr_pipeline.restore.lm', "
        "'ocr_pipeline.restore.channel') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_verbose_after_the_subcommand(tmp_path: Path, fake_restore) -> None:
    from ocr_pipeline.cli import build_parser

    src = tmp_path / "in.txt"
    src.write_text("x\n", encoding="utf-8")
    parser = build_parser()
    after = parser.parse_args(["restore", str(src), "-o", "-", "-v"])
    before = parser.parse_args(["-v", "restore", str(src), "-o", "-"])
    neither = parser.parse_args(["restore", str(src), "-o", "-"])
    assert after.verbose and before.verbose and not neither.verbose


def test_dash_means_stdin_stdout_for_text_commands_and_is_refused_by_run(tmp_path) -> None:
    import subprocess

    exe = [sys.executable, "-m", "ocr_pipeline"]
    for args in (["run", "samples/report_page1.png", "-o", "-"], ["run", "-", "-o", "out"]):
        proc = subprocess.run(exe + args, capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
        assert "-" in proc.stderr and not (tmp_path / "-").exists()


def test_a_reader_that_goes_away_ends_quietly_with_exit_5(
    tmp_path: Path, monkeypatch, capsys, fake_restore
) -> None:
    # `restore big.txt -o - | head -c 100`: the output was cut short, so not success
    class GoneReader(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    src = tmp_path / "in.txt"
    src.write_text("pang uy\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", GoneReader())
    assert main(["restore", str(src), "-o", "-"]) == 5
    assert capsys.readouterr().err == ""


def test_warnings_are_the_commands_own_lines(tmp_path: Path) -> None:
    import subprocess

    src, lex = tmp_path / "in.txt", tmp_path / "empty.txt"
    src.write_text("x\n", encoding="utf-8")
    lex.write_text("# nothing\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "restore", str(src), "-o", "-", "--lexicon",
         str(lex), "--channel", "vie", "--adapt", "off"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0
    assert proc.stderr.startswith("ocr-pipeline: warning: --lexicon "), proc.stderr
    assert proc.stderr.count("\n") == 1


def test_two_inputs_of_one_name_are_named_in_the_refusal(tmp_path: Path, capsys) -> None:
    for sub in ("x1", "x2"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "a.txt").write_text("pang uy\n", encoding="utf-8")
    one, two = str(tmp_path / "x1" / "a.txt"), str(tmp_path / "x2" / "a.txt")
    assert main(["restore", one, two, "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert one in err and two in err and "a.restored.*" in err
    assert not (tmp_path / "out").exists()


def test_several_inputs_refuse_a_file_name_as_output(tmp_path: Path, capsys) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("xin chao\n", encoding="utf-8")
    b.write_text("tam biet\n", encoding="utf-8")
    code = main(["restore", str(a), str(b), "-o", str(tmp_path / "one.txt")])
    assert code != 0 and "several inputs need -o FOLDER" in capsys.readouterr().err
    assert not (tmp_path / "one.txt").exists()  # no folder named like a file


@pytest.mark.parametrize("command", ["restore", "structure"])
def test_an_output_name_ending_with_a_slash_is_refused(tmp_path: Path, capsys, command) -> None:
    src = tmp_path / "in.txt"
    src.write_text("xin chao\n", encoding="utf-8")
    folder = f"{tmp_path / 'new'}/"
    assert main([command, str(src), "-o", folder]) == 1
    err = capsys.readouterr().err
    assert "names a folder; give an output file name" in err and err.count("\n") == 1
    assert not (tmp_path / "new").exists()


def test_an_output_edited_since_restore_wrote_it_is_kept_aside(
    tmp_path: Path, capsys, fake_restore
) -> None:
    src = tmp_path / "in.txt"
    src.write_text("pang uy\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["restore", str(src), "-o", str(out)]) == 0
    assert main(["restore", str(src), "-o", str(out)]) == 0  # our own output: replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]
    out.write_text("PANG UY (sửa tay)\n", encoding="utf-8")  # a reviewer's edit
    capsys.readouterr()
    assert main(["restore", str(src), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "PANG UY\n"
    kept = tmp_path / "out.txt.edited"
    assert kept.read_text(encoding="utf-8") == "PANG UY (sửa tay)\n"
    err = capsys.readouterr().err.strip()
    assert err == (
        f"ocr-pipeline: warning: {out} had been changed since restore wrote it: "
        "kept as out.txt.edited"
    )


def test_a_folder_input_restores_its_text_files_into_the_output_folder(
    tmp_path: Path, fake_restore
) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "a.txt").write_text("pang uy\n", encoding="utf-8")
    (folder / "B.TXT").write_text("xa\n", encoding="utf-8")
    (folder / "a.restored.txt").write_text("old output\n", encoding="utf-8")
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "out"
    assert main(["restore", str(folder), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["B.restored.txt", "a.restored.txt"]
    assert (out / "a.restored.txt").read_text(encoding="utf-8") == "PANG UY\n"


def test_a_missing_input_is_named_before_the_output_is_judged(tmp_path: Path, capsys) -> None:
    # an unmatched shell glob reaches us as written
    assert (
        main(["restore", str(tmp_path / "DOS" / "*.txt"), "-o", str(tmp_path / "out") + "/"]) == 2
    )
    assert capsys.readouterr().err.strip().endswith("*.txt: no such file; check the path")


def test_without_extended_attributes_only_an_output_newer_than_its_inputs_is_kept(
    tmp_path: Path, monkeypatch, capsys, fake_restore
) -> None:
    import errno
    import os

    def unsupported(*_args, **_kw):
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(os, "getxattr", unsupported)
    monkeypatch.setattr(os, "setxattr", unsupported)
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("pang uy\n", encoding="utf-8")
    assert main(["restore", str(src), "-o", str(out)]) == 0
    os.utime(out, (1_000_000, 1_000_000))
    src.write_text("pang uy xa\n", encoding="utf-8")  # the input changed: no edit to keep
    assert main(["restore", str(src), "-o", str(out)]) == 0
    assert not (tmp_path / "out.txt.edited").exists()
    out.write_text("PANG UY XA (sửa tay)\n", encoding="utf-8")
    os.utime(src, (1_000_000, 1_000_000))  # the output is newer than its input: an edit
    assert main(["restore", str(src), "-o", str(out)]) == 0
    assert (tmp_path / "out.txt.edited").read_text(encoding="utf-8") == "PANG UY XA (sửa tay)\n"
