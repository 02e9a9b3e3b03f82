"""End-to-end tests of `ocr-pipeline run`: outputs, exit codes, one-line errors."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from ocr_pipeline import cli, tesseract
from ocr_pipeline.errors import ExitCode
from ocr_pipeline.fileio import sha256_file
from ocr_pipeline.structure import validate
from ocr_pipeline.synth import render_pages, save_pdf

REAL_TESSERACT = shutil.which("tesseract")
pytestmark = pytest.mark.needs_tesseract

TEXTS = ["Báo cáo tổng kết công tác năm 2025.", "Nơi nhận: Ủy ban nhân dân tỉnh."]
MISSING_COMMANDS = [
    m for m in cli.COMMAND_MODULES if importlib.util.find_spec(f"ocr_pipeline.commands.{m}") is None
]
# Runs cli.main with only the subcommands that exist, so these tests do not depend on
# other subcommands being present. test_console_entry_point covers the real entry point.
MAIN = (
    "import importlib.util, sys; from ocr_pipeline import cli; "
    "cli.COMMAND_MODULES = tuple(m for m in cli.COMMAND_MODULES "
    "if importlib.util.find_spec('ocr_pipeline.commands.' + m)); sys.exit(cli.main())"
)


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", MAIN, "run", *map(str, args)],
        capture_output=True, text=True, env=full_env, timeout=120, check=False,
    )  # fmt: skip


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("ocr-pipeline: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def pdf2(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "report.pdf"
    pages = render_pages("\f".join(TEXTS), dpi=150, page_size_mm=(148, 60),
                         margins_mm=(10, 10, 10, 10), font_size_pt=14)  # fmt: skip
    save_pdf([p.image for p in pages], path, dpi=150)
    return path


def test_no_restore_keeps_tesseract_words(pdf2, tmp_path):
    proc = run_cli(pdf2, "-o", tmp_path, "--dpi", "150", "--jobs", "1", "--no-restore",
                   "--no-structure")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    header = (tmp_path / "report.words.tsv").read_text("utf-8").splitlines()[0].split("\t")
    assert header[-1] == "text"
    meta = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert "structure" not in meta and meta["timings"]["restore"] == 0


def test_happy_path_writes_three_files(pdf2, tmp_path):
    before = sha256_file(pdf2)
    out = tmp_path / "new" / "out"
    proc = run_cli(pdf2, "-o", out, "--dpi", "150", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    # besides the outputs only the batch manifest (and its lock) is written
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".ocr-pipeline")) == [
        "report.json", "report.txt", "report.words.tsv",
    ]  # fmt: skip
    assert sha256_file(pdf2) == before  # the input is never modified

    pages = (out / "report.txt").read_text(encoding="utf-8").rstrip("\n").split("\f")
    assert len(pages) == 2
    for got, want in zip(pages, TEXTS, strict=True):
        assert Levenshtein.normalized_distance(got, want) < 0.15, got

    rows = [r.split("\t") for r in (out / "report.words.tsv").read_text("utf-8").splitlines()]
    assert rows[0] == ["page", "block", "par", "line", "word", "left", "top", "width",
                       "height", "conf", "text", "ocr_text", "restore_conf"]  # fmt: skip
    assert all(len(r) == 13 for r in rows)
    # restored in place, boxes kept; restore_conf is the reviewer's confidence (page_confidence)
    assert all(r[12] == "" or 0 <= float(r[12]) <= 1 for r in rows[1:])
    assert any(r[12] for r in rows[1:])
    assert {r[0] for r in rows[1:]} == {"1", "2"}
    assert " ".join(r[10] for r in rows[1:] if r[0] == "2") == pages[1]
    assert all(0 <= float(r[9]) <= 100 and int(r[7]) > 0 for r in rows[1:])

    meta = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert meta["schema"] == "ocr_pipeline/run@1"
    assert meta["source"] == {"file": "report.pdf", "sha256": before, "pages": 2,
                              "media_type": "application/pdf"}  # fmt: skip
    assert [p["number"] for p in meta["pages"]] == [1, 2]
    assert all(p["status"] == "ok" and p["error"] is None and p["words"] > 3
               for p in meta["pages"])  # fmt: skip
    assert meta["versions"]["tesseract"][0].isdigit()
    # which way pages were read: the library here (the program when it cannot load)
    assert meta["versions"]["tesseract_interface"] == tesseract.interface()
    assert meta["options"]["dpi"] == 150 and meta["options"]["jobs"] == 2
    assert meta["options"]["preprocess"]["deskew"] is True
    assert set(meta["timings"]) == {"raster", "preprocess", "ocr", "restore", "total"}
    assert meta["options"]["restore"] is True
    validate(meta["structure"])  # the document tree rides along, schema-valid
    assert meta["structure"]["source"]["sha256"] == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # no temp files left


def test_options_and_name_clash(pdf2, tmp_path):
    png = tmp_path / "report.png"
    render_pages(TEXTS[0], dpi=150, page_size_mm=(148, 30), margins_mm=(5, 5, 10, 10),
                 font_size_pt=14)[0].image.save(png, dpi=(150, 150))  # fmt: skip
    out = tmp_path / "out"
    proc = run_cli(pdf2, png, "-o", out, "--dpi", "150", "--jobs", "1", "--pages", "2",
                   "--no-deskew", "--binarize", "--psm", "6")  # fmt: skip
    # --pages 2 does not exist in the one-page PNG: that input fails, the PDF is done.
    assert proc.returncode == ExitCode.bad_args
    error, where = proc.stderr.splitlines()  # the error, then where the batch stands
    assert "report.png" in error and where.startswith("ocr-pipeline: 1 of 2 documents done")
    assert (out / "report.pdf.txt").exists() and not (out / "report.png.txt").exists()
    meta = json.loads((out / "report.pdf.json").read_text("utf-8"))
    assert [p["number"] for p in meta["pages"]] == [2]
    assert meta["options"]["preprocess"]["deskew"] is False
    assert meta["options"]["preprocess"]["binarize"] is True
    assert meta["options"]["psm"] == 6 and meta["options"]["pages"] == "2"


def test_several_inputs_continue_after_a_bad_one(pdf2, tmp_path):
    missing = tmp_path / "nope.pdf"
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    proc = run_cli(missing, pdf2, empty, "-o", out, "--dpi", "150", "--jobs", "2")
    assert proc.returncode == ExitCode.input_file
    *lines, where = proc.stderr.splitlines()
    assert len(lines) == 2 and all(ln.startswith("ocr-pipeline: error: ") for ln in lines)
    assert "nope.pdf" in lines[0] and "empty.pdf" in lines[1]
    assert where.startswith("ocr-pipeline: 1 of 3 documents done, 2 failed; ocr-pipeline status")
    assert "Traceback" not in proc.stderr
    assert (out / "report.txt").exists() and (out / "report.json").exists()


def test_missing_file(tmp_path):
    proc = run_cli(tmp_path / "absent.pdf", "-o", tmp_path / "out")
    assert_one_line_error(proc, ExitCode.input_file, "absent.pdf")


def test_zero_byte_file(tmp_path):
    empty = tmp_path / "zero.pdf"
    empty.write_bytes(b"")
    assert_one_line_error(run_cli(empty, "-o", tmp_path / "out"), ExitCode.input_file, "empty")


def test_text_file_named_pdf(tmp_path):
    fake = tmp_path / "notes.pdf"
    fake.write_text("Đây không phải PDF.\n", encoding="utf-8")
    proc = run_cli(fake, "-o", tmp_path / "out")
    assert_one_line_error(proc, ExitCode.input_file, "notes.pdf", "not PDF")


def test_encrypted_pdf(pdf2, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pdf2)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    proc = run_cli(locked, "-o", tmp_path / "out")
    assert_one_line_error(proc, ExitCode.encrypted_pdf, "encrypted")


def test_missing_tesseract(pdf2, tmp_path):
    proc = run_cli(pdf2, "-o", tmp_path / "out",
                   env={"OCR_PIPELINE_TESSERACT": "/nonexistent/tesseract"})  # fmt: skip
    assert_one_line_error(proc, ExitCode.missing_dependency, "tesseract-ocr-vie")
    assert not (tmp_path / "out").exists()  # nothing created before the check


def test_missing_language_model(pdf2, tmp_path):
    proc = run_cli(pdf2, "-o", tmp_path / "out", "--lang", "kat_old")
    assert_one_line_error(proc, ExitCode.missing_dependency, "tesseract-ocr-kat-old")


def test_a_language_tesseract_has_no_model_for_is_a_typo(pdf2, tmp_path):
    proc = run_cli(pdf2, "-o", tmp_path / "out", "--lang", "vie+xyz")
    assert_one_line_error(proc, ExitCode.bad_args, "Tesseract has no 'xyz' model")
    assert "apt-get" not in proc.stderr  # no package to install: tesseract-ocr-xyz is none


def test_unwritable_output(pdf2, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_cli(pdf2, "-o", blocker / "sub")
    assert_one_line_error(proc, ExitCode.file_access_error, "output folder")
    proc = run_cli(pdf2, "-o", blocker)
    assert_one_line_error(proc, ExitCode.file_access_error, "not a folder")


def test_bad_option_values(pdf2, tmp_path):
    proc = run_cli(pdf2, "-o", tmp_path / "out", "--jobs", "0")
    assert_one_line_error(proc, ExitCode.bad_args, "--jobs")
    proc = run_cli(pdf2, "-o", tmp_path / "out", "--pages", "5-")
    assert_one_line_error(proc, ExitCode.bad_args, "page")


def test_argument_errors_leave_no_output_folder(pdf2, tmp_path):
    proc = run_cli(pdf2, "-o", tmp_path / "out", "--output-type", "pdf,pdfx")
    assert_one_line_error(proc, ExitCode.bad_args, "--output-type pdfx is unknown")
    assert not (tmp_path / "out").exists()


def test_a_document_whose_every_page_timed_out_fails(pdf2, tmp_path):
    """Both pages timed out: it was "done" (exit 0, NAME.txt a bare form feed) and the
    two pages were told in two wordings; no page read is a failed document (exit 7, as
    the README's table says of a document tesseract could not read), one line."""
    script = tmp_path / "slow-tesseract"
    script.write_text(f'#!/bin/sh\ncase "$1" in --*) exec "{REAL_TESSERACT}" "$@";; esac\n'
                      "exec sleep 30\n")  # fmt: skip
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / "out"
    proc = run_cli(pdf2, "-o", out, "--dpi", "150", "--jobs", "2", "--page-timeout", "1",
                   env={"OCR_PIPELINE_TESSERACT": str(script)})  # fmt: skip
    assert_one_line_error(proc, ExitCode.child_process_error, "no page was read in time")
    assert "(page 1: ran out of its time (--page-timeout 1 s); raise --page-timeout" in proc.stderr
    assert not (out / "report.txt").exists() and not (out / "report.json").exists()


@pytest.mark.skipif(bool(MISSING_COMMANDS), reason=f"subcommands not yet present: "
                    f"{MISSING_COMMANDS}")  # fmt: skip
def test_console_entry_point(pdf2, tmp_path):
    exe = Path(sys.executable).with_name("ocr-pipeline")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ocr_pipeline"]
    proc = subprocess.run([*cmd, "run", str(tmp_path / "absent.pdf"), "-o", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert_one_line_error(proc, ExitCode.input_file, "absent.pdf")
    help_proc = subprocess.run([*cmd, "run", "--help"], capture_output=True, text=True,
                               timeout=60, check=False)  # fmt: skip
    assert help_proc.returncode == 0 and "--page-timeout" in help_proc.stdout


def test_output_names_disambiguate():
    from ocr_pipeline.batch.inputs import output_names

    names = output_names([Path("a/report.pdf"), Path("b/report.pdf"), Path("report.tif"),
                          Path("x/scan.png")])  # fmt: skip
    assert names == ["report.pdf", "report.pdf-2", "report.tif", "scan"]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--jobs", "x", "a.png", "-o", "out"],
        ["restore"],
        ["bogus"],
        [],
    ],
)
def test_bad_arguments_are_one_line_and_exit_1(argv):
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", *argv], capture_output=True, text=True
    )
    assert proc.returncode == ExitCode.bad_args
    assert proc.stderr.count("\n") == 1 and "error:" in proc.stderr and "--help" in proc.stderr


def test_an_unknown_option_points_to_its_subcommand_help():
    """As a missing one does: "see ocr-pipeline run --help", not the top-level help."""
    proc = subprocess.run([sys.executable, "-m", "ocr_pipeline", "run", "a.png", "-o", "out",
                           "--lexicon-typo", "x"], capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == ExitCode.bad_args
    assert proc.stderr == (
        "ocr-pipeline run: error: unrecognized arguments: --lexicon-typo x;"
        " see ocr-pipeline run --help\n"
    )
    before = subprocess.run([sys.executable, "-m", "ocr_pipeline", "--bogus", "run", "a.png",
                             "-o", "out"], capture_output=True, text=True)  # fmt: skip
    assert before.stderr.startswith("ocr-pipeline: error: unrecognized arguments: --bogus;")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["restore", "--help"]])
def test_help_to_a_full_disk_is_one_line_and_exit_5(argv):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "ocr_pipeline", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert proc.returncode == ExitCode.file_access_error
    assert proc.stderr.count("\n") == 1 and "standard output" in proc.stderr


def test_a_failure_is_tried_again_once_its_options_changed(pdf2, tmp_path):
    """The error says "raise --max-pixels"; the rerun that does so must not skip the
    document as "failed before" until --retry-failed is added."""
    args = (pdf2, "-o", tmp_path, "--dpi", "150", "--jobs", "1", "--no-restore")
    first = run_cli(*args, "--max-pixels", "1000")
    assert first.returncode == 2, first.stderr
    same = run_cli(*args, "--max-pixels", "1000")  # nothing changed: not tried again
    assert same.returncode == 2 and "failed before" in same.stderr
    raised = run_cli(*args, "--max-pixels", "50000000")
    assert raised.returncode == 0, raised.stderr
    assert (tmp_path / "report.txt").is_file()
