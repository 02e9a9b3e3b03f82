"""Fault injection, after OCRmyPDF's tests/plugins: hostile inputs (FIFOs, symlink loops and
escapes, our own outputs), a tesseract that crashes, hangs or writes garbage, a full disk,
a corrupt manifest, killed workers. Each fault must end in one line and a documented exit
code: no traceback, no hang, no orphan process, no input modified."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from hangs import fails_if_hangs
from restore_models import needs_models
from test_batch import (
    cli_args,
    fake_tesseract,
    manifest_rows,
    run_cli,
    save_png,
    small_page,
)

from ocr_pipeline import tesseract

FAST = ("--no-restore", "--dpi", "100", "-q")


def assert_one_line_each(stderr: str) -> None:
    """Every stderr line is one of ours: no traceback, no raw escapes."""
    assert "Traceback" not in stderr, stderr
    assert "\x1b" not in stderr, stderr
    for line in stderr.splitlines():
        assert line.startswith("ocr-pipeline: "), line


# ------------------------------------------------------------------------- hostile inputs


@pytest.mark.needs_tesseract
def test_fifo_in_a_folder_is_refused_not_read(tmp_path):
    src = tmp_path / "in"
    save_png(src / "a.png", "Bao cao")
    os.mkfifo(src / "b.png")  # nobody ever writes to it: reading it would block forever
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == 2, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "b.png is a FIFO" in proc.stderr
    assert (out / "a.txt").is_file()
    assert manifest_rows(out)["b"]["state"] == "failed"


def test_fifo_and_device_given_directly(tmp_path):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    from ocr_pipeline.errors import InputFileError
    from ocr_pipeline.fileio import sha256_file
    from ocr_pipeline.raster import detect_media_type

    for path, kind in ((fifo, "FIFO"), (Path("/dev/zero"), "character device")):
        with fails_if_hangs(), pytest.raises(InputFileError, match=kind):
            detect_media_type(path)
        with fails_if_hangs(), pytest.raises(InputFileError, match=kind):
            sha256_file(path)


@pytest.mark.needs_tesseract
def test_symlink_loop_in_folder_and_list_is_one_refusal(tmp_path):
    src = tmp_path / "in"
    save_png(src / "a.png", "Bao cao")
    (src / "loop.png").symlink_to(src / "loop.png")
    (src / "x.png").symlink_to(src / "y.png")
    (src / "y.png").symlink_to(src / "x.png")
    listing = src / "list.txt"
    listing.write_text("loop.png\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("run", src, "--from-list", listing, "-o", out, *FAST)
    assert proc.returncode == 1, proc.stderr
    assert_one_line_each(proc.stderr)
    assert proc.stderr.count("symlink loop") == 4  # loop, x, y in the folder; loop in the list
    assert (out / "a.txt").is_file()


def test_list_entry_through_a_symlinked_folder_is_refused(tmp_path):
    from ocr_pipeline.batch import collect_inputs

    outside = tmp_path / "outside"
    save_png(outside / "inner.png", "Bi mat")
    (outside / "deep").mkdir()
    save_png(outside / "deep" / "more.png", "Bi mat")
    base = tmp_path / "base"
    base.mkdir()
    (base / "linkdir").symlink_to(outside)
    listing = base / "list.txt"
    listing.write_text("linkdir/inner.png\nlinkdir/deep\n", encoding="utf-8")
    items = collect_inputs([], from_list=listing)
    assert len(items) == 2
    for item in items:
        assert item.error and "outside" in item.error and item.exit_code == 1


@pytest.mark.needs_tesseract
def test_outdir_equal_to_the_input_folder_does_not_eat_its_own_outputs(tmp_path):
    src = tmp_path / "in"
    save_png(src / "a.png", "Bao cao")
    for _ in range(2):
        proc = run_cli("run", src, "-o", src, "--output-type", "pdf,hocr", *FAST)
        assert proc.returncode == 0, proc.stderr
    assert not list(src.glob("*.ocr.ocr.*")) and not (src / "a.ocr.txt").exists()
    rows = manifest_rows(src)
    assert set(rows) == {"a"} and rows["a"]["state"] == "done"


def _no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr


# ------------------------------------------------------------------- linear-time structure


class _CountingSearch:
    """Stands in for a compiled pattern (or the `re` module) and adds up the characters
    handed to `search`: a linear algorithm hands over each character a bounded number of
    times, a quadratic one the whole text again and again."""

    def __init__(self, target):
        self.target, self.chars, self.longest = target, 0, 0

    def search(self, *args):
        text = args[1] if self.target is re else args[0]
        self.chars += len(text)
        self.longest = max(self.longest, len(text))
        return self.target.search(*args)

    def __getattr__(self, name):
        return getattr(self.target, name)


def test_infer_pages_reads_the_text_once(monkeypatch):
    from ocr_pipeline.structure import footnotes
    from ocr_pipeline.structure.document import SrcLine

    # no form feed, many lines that could open a footnote block but have no marker before
    lines = []
    for i in range(1500):
        lines.append(SrcLine(text=f"1 Dòng thử số {i} không có dấu chú thích", page=1,
                             blank_before=True))  # fmt: skip
        lines.append(SrcLine(text="một câu văn bình thường tiếp theo", page=1))
    wild = _CountingSearch(footnotes.WILD_MARK)
    monkeypatch.setattr(footnotes, "WILD_MARK", wild)
    assert footnotes.infer_pages([lines]) == [lines]  # nothing to split
    total = sum(len(ln.text) + 1 for ln in lines)
    assert wild.chars <= 2 * total, (wild.chars, total)


def test_joining_a_long_paragraph_looks_only_at_its_end(monkeypatch):
    from ocr_pipeline.structure import text as text_mod

    counting = _CountingSearch(re)
    monkeypatch.setattr(text_mod, "re", counting)
    paragraph = ""
    for i in range(200):
        paragraph = text_mod.join_lines(paragraph, f"dòng thứ {i} của một đoạn văn dài")
    assert counting.longest <= 3


# ---------------------------------------------------------------- inputs never overwritten


@pytest.mark.needs_tesseract
def test_the_list_file_is_never_overwritten_by_an_output(tmp_path):
    """OUTDIR = the list's folder and a list named like a document's NAME.txt."""
    src = tmp_path / "in"
    save_png(src / "a.png", "Bao cao")
    listing = src / "a.txt"
    listing.write_text("a.png\n", encoding="utf-8")
    proc = run_cli("run", "--from-list", listing, "-o", src, *FAST)
    assert proc.returncode == 5, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "would overwrite an input" in proc.stderr
    assert listing.read_text(encoding="utf-8") == "a.png\n"


@pytest.mark.parametrize(
    "argv",
    [
        ("restore", "{a}", "-o", "{a}"),
        ("restore", "{a}", "-o", "{link}"),
        ("structure", "{a}", "-o", "{a}"),
        ("structure", "{a}", "-o", "{hard}"),
        ("diff", "{a}", "{b}", "--html", "{a}"),
        ("diff", "{a}", "{b}", "--json", "{b}"),
        ("restore", "{b}", "--lexicon", "{a}", "-o", "{hard}"),
        ("restore", "{b}", "--profile", "{a}", "-o", "{link}"),
        ("learn", "--ocr", "{a}", "--truth", "{b}", "-o", "{a}"),
        ("learn", "--ocr", "{a}", "--truth", "{b}", "-o", "{b}"),
        # (-i PROFILE -o PROFILE extends the profile in place: test_restore_adapt)
        ("apply", "{c}", "--b", "{a}", "-o", "{c}"),
        ("apply", "{c}", "--b", "{a}", "-o", "{hard}"),
    ],
)
def test_output_equal_to_an_input_is_refused(tmp_path, argv):
    from ocr_pipeline.diff.corrections import SCHEMA

    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.json"
    a.write_text("Bao cao tong ket\n", encoding="utf-8")
    b.write_text("Báo cáo tổng kết\n", encoding="utf-8")
    c.write_text(json.dumps({"schema": SCHEMA, "decisions": []}), encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(a)
    os.link(a, tmp_path / "hard.txt")
    before = a.read_bytes(), b.read_bytes(), c.read_bytes()
    names = {"a": a, "b": b, "c": c, "link": tmp_path / "link.txt", "hard": tmp_path / "hard.txt"}
    proc = run_cli(*[part.format(**names) for part in argv])
    assert proc.returncode == 5, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "inputs are never overwritten" in proc.stderr
    assert (a.read_bytes(), b.read_bytes(), c.read_bytes()) == before


# ----------------------------------------------------------------------- manifest faults


def test_corrupt_manifest_is_one_line_for_status_and_run(tmp_path):
    from ocr_pipeline.manifest import MANIFEST_NAME

    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).write_bytes(b"this is not a database " * 200)
    save_png(tmp_path / "a.png", "Bao cao")
    for argv in (("status", out), ("status", out, "--json"),
                 ("run", tmp_path / "a.png", "-o", out, *FAST)):  # fmt: skip
        proc = run_cli(*argv)
        assert proc.returncode == 5, proc.stderr
        assert_one_line_each(proc.stderr)
        assert "remove it to start the batch afresh" in proc.stderr


def test_another_programs_database_as_manifest_says_so(tmp_path):
    from ocr_pipeline.manifest import MANIFEST_NAME

    out = tmp_path / "out"
    out.mkdir()
    db = sqlite3.connect(out / MANIFEST_NAME)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()
    proc = run_cli("status", out)
    assert proc.returncode == 5, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "not an ocr-pipeline manifest" in proc.stderr


def test_a_language_that_is_no_code_is_bad_arguments(tmp_path):
    save_png(tmp_path / "a.png", "Bao cao")
    proc = run_cli("run", tmp_path / "a.png", "-o", tmp_path / "out", "--lang", "../x", *FAST)
    assert proc.returncode == 1, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "not a language code" in proc.stderr and "apt-get" not in proc.stderr


class _FullDisk:
    """A sqlite connection whose writes fail as on a full disk."""

    def __init__(self, db):
        self.db = db

    def execute(self, sql, *args):
        if not sql.lstrip().upper().startswith("SELECT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.db, name)


@pytest.mark.parametrize("name", [".ocr-pipeline.sqlite", ".ocr-pipeline.sqlite-wal"])
def test_a_manifest_linked_elsewhere_is_refused_not_written(tmp_path, name):
    """SQLite follows a symlinked manifest (or WAL) and would write its tables into the
    database it names, outside OUTDIR."""
    import sqlite3

    foreign = tmp_path / "elsewhere.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE precious (x)")
    db.commit()
    db.close()
    before = foreign.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to(foreign)
    save_png(tmp_path / "a.png", "Bao cao")
    commands = [["run", tmp_path / "a.png", "-o", out, *FAST]]
    if name == ".ocr-pipeline.sqlite":
        commands.append(["status", out])
    for argv in commands:
        proc = run_cli(*argv)
        assert proc.returncode == 5, proc.stderr
        assert_one_line_each(proc.stderr)
        assert "is a symbolic link" in proc.stderr
    assert foreign.read_bytes() == before


def test_a_manifest_that_is_a_folder_or_fifo_is_one_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / ".ocr-pipeline.sqlite")
    save_png(tmp_path / "a.png", "Bao cao")
    with fails_if_hangs(60):
        proc = run_cli("run", tmp_path / "a.png", "-o", out, *FAST)
    assert proc.returncode == 5, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "is not a regular file" in proc.stderr


def test_manifest_write_on_a_full_disk_is_an_output_error(tmp_path):
    from ocr_pipeline.errors import OutputError
    from ocr_pipeline.manifest import Manifest

    with Manifest.open(tmp_path) as manifest:
        manifest.plan("a", "a.png", "0" * 64, outdir=tmp_path)
        manifest.db = _FullDisk(manifest.db)
        for call in (lambda: manifest.mark_running("a"),
                     lambda: manifest.mark_failed("a", error="x", exit_code=2),
                     lambda: manifest.mark_done("a", pages=1, pages_failed=0, seconds=1.0,
                                                outputs=[])):  # fmt: skip
            with pytest.raises(OutputError, match="disk is full; free some space"):
                call()
        assert manifest.get("a").state == "queued"  # reading still works


# --------------------------------------------------------------------------- full disks


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 300 KB tmpfs (needs root and mount rights; skipped otherwise)."""
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(where)],
                             capture_output=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


@pytest.mark.needs_tesseract
def test_full_temp_folder_is_a_disk_error_not_a_bad_input(tmp_path, tiny_tmpfs):
    from ocr_pipeline.synth import save_pdf

    src = tmp_path / "in"
    src.mkdir()
    page = small_page("Bao cao").resize((900, 1200))  # its rendering or copy fills 300 KB
    save_pdf([page], src / "a.pdf", 100)
    png = src / "b.png"
    page.save(png, dpi=(100, 100))
    before = png.read_bytes()
    out = tmp_path / "out"
    # the tesseract program reads each page from a temp file
    program = {"TMPDIR": str(tiny_tmpfs), "OCR_PIPELINE_TESSERACT": "tesseract"}
    for name in ("a.pdf", "b.png"):
        proc = run_cli("run", src / name, "-o", out, *FAST, env=program)
        assert proc.returncode == 5, proc.stderr
        assert_one_line_each(proc.stderr)
        assert "no space left in the temporary folder" in proc.stderr
    assert png.read_bytes() == before
    assert not list(tiny_tmpfs.iterdir())  # worker folders removed
    if tesseract._load_library() is not None:  # read in-process, a page needs no temp file
        proc = run_cli("run", src / "a.pdf", "-o", out, *FAST, env={"TMPDIR": str(tiny_tmpfs)})
        assert proc.returncode == 0, proc.stderr


# ------------------------------------------------------------------ hostile file names


@pytest.mark.needs_tesseract
def test_control_characters_in_names_stay_escaped_and_xml_well_formed(tmp_path):
    from lxml import etree

    src = tmp_path / "in"
    save_png(src / "a\x01b.png", "Bao cao")
    (src / "bad\nline\x1b[31m.pdf").write_bytes(b"not a pdf at all")
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, "--output-type", "hocr,alto", *FAST)
    assert proc.returncode == 2, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "bad\\x0aline\\x1b[31m.pdf" in proc.stderr
    for name in ("a\x01b.hocr", "a\x01b.alto.xml"):
        root = etree.parse(str(out / name))  # raises when not well-formed
        assert b"a\\x01b.png" in etree.tostring(root)
    status = run_cli("status", out)
    assert "\x1b" not in status.stdout and "bad\\x0aline" in status.stdout


def _legacy_name(folder: Path, name: bytes) -> Path:
    """A path whose name is not UTF-8 (as a TCVN3 or cp1258 file name arrives)."""
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
    folder.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.needs_tesseract
def test_a_file_name_that_is_not_utf8_is_refused_alone(tmp_path):
    src = tmp_path / "in"
    legacy = _legacy_name(src, b"b\xe1o c\xe1o.png")
    save_png(legacy, "Bao cao")
    save_png(src / "a.png", "Bao cao")
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == 1, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "b\\xe1o c\\xe1o.png: the file name is not UTF-8" in proc.stderr
    rows = manifest_rows(out)
    assert rows["a"]["state"] == "done" and rows["b\\xe1o c\\xe1o"]["state"] == "failed"
    status = run_cli("status", out)
    assert status.returncode == 0 and "not UTF-8" in status.stdout


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("restore", "{t}", "--lexicon", "{f}", "-o", "{o}"), 1),
        (("restore", "{t}", "--profile", "{f}", "-o", "{o}"), 1),
        (("learn", "--ocr", "{t}", "--truth", "{t}", "-i", "{f}", "-o", "{o}"), 1),
        (("learn", "{f}", "-o", "{o}"), 2),
        (("diff", "{f}", "{t}"), 2),
        (("apply", "{f}"), 2),
    ],
)
def test_a_fifo_given_as_any_text_input_is_refused_not_waited_on(tmp_path, argv, code):
    """Lexicons, profiles, corrections and diff's sides were read with a plain open,
    which waits forever on a FIFO nobody writes to."""
    fifo, text = tmp_path / "pipe", tmp_path / "t.txt"
    os.mkfifo(fifo)
    text.write_text("Văn bản thử.\n", encoding="utf-8")
    names = {"f": fifo, "t": text, "o": tmp_path / "out.txt"}
    with fails_if_hangs(60):
        proc = run_cli(*[part.format(**names) for part in argv])
    assert proc.returncode == code, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "not a regular file" in proc.stderr


def test_the_library_refuses_a_fifo_as_lexicon_or_profile(tmp_path):
    """The files are read through fileio.open_regular by Lexicon.load and Profile.load
    themselves, so an API caller is not left waiting either (the CLI had its own check)."""
    from ocr_pipeline.errors import InputFileError
    from ocr_pipeline.restore.lexicon import Lexicon
    from ocr_pipeline.restore.profile import Profile

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with fails_if_hangs(60):
        for load in (Lexicon.load, Profile.load):
            with pytest.raises(InputFileError, match="FIFO"):
                load(fifo)


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_list_that_is_a_folder_or_fifo_is_named_as_such(tmp_path, kind):
    listing = tmp_path / "list"
    listing.mkdir() if kind == "folder" else os.mkfifo(listing)
    with fails_if_hangs():
        proc = run_cli("run", "--from-list", listing, "-o", tmp_path / "out", *FAST)
    assert proc.returncode == 1, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "is not a regular file" in proc.stderr  # it said "no such file"


@pytest.mark.parametrize(
    ("command", "output"), [("structure", "file"), ("structure", "stdout"), ("diff", "file")]
)
def test_text_commands_name_a_non_utf8_input_in_valid_utf8(tmp_path, command, output):
    legacy = _legacy_name(tmp_path, b"v\xe3n b\xe3n.txt")
    legacy.write_text("I. MỤC ĐÍCH\n\nVăn bản thử nghiệm.\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Văn bản khác.\n", encoding="utf-8")
    result = tmp_path / "result.json"
    target = ["-o", result if output == "file" else "-"]
    if command == "diff":
        target = ["--json", result] if output == "file" else []
    argv = [legacy, *target] if command == "structure" else [legacy, other, *target]
    proc = subprocess.run(cli_args(command, *argv), capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    data = result.read_bytes() if output == "file" else proc.stdout
    text = data.decode("utf-8")  # raises if not UTF-8
    if output == "file":
        json.loads(text)
    assert "v\ufffdn b\ufffdn.txt" in text


@pytest.mark.needs_tesseract
def test_names_too_long_fail_their_document_not_the_batch(tmp_path):
    """A name longer than a file system allows (given directly) is a missing file; a stem
    whose outputs (NAME.table-N.csv, temp files) would pass 255 bytes is refused: before,
    a traceback from Path.is_dir, and an exit 5 that stopped every other document."""
    src = tmp_path / "in"
    save_png(src / "a.png", "Bao cao")
    long_stem = "b" * 240
    save_png(src / f"{long_stem}.png", "Bao cao")
    missing = src / ("c" * 300 + ".png")
    out = tmp_path / "out"
    proc = run_cli("run", src, missing, "-o", out, *FAST, "--output-type", "alto")
    assert proc.returncode in (1, 2), proc.stderr
    assert_one_line_each(proc.stderr)
    assert len(proc.stderr.splitlines()) == 3  # two errors, then where the batch stands
    assert "longer than 255 bytes" in proc.stderr and "too long for its outputs" in proc.stderr
    assert (out / "a.alto.xml").is_file()
    assert manifest_rows(out)[long_stem]["state"] == "failed"


@pytest.mark.parametrize("argv", [("", "-o", "out"), ("a.png", "-o", ""),
                                  ("--from-list", "", "-o", "out")])  # fmt: skip
def test_an_empty_path_argument_is_refused_not_read_as_the_current_folder(tmp_path, argv):
    """ "$IN" or "$OUT" unset: Path("") is ".", so the current folder was processed
    (recursively) or written into."""
    save_png(tmp_path / "a.png", "Bao cao")
    proc = subprocess.run(cli_args("run", *argv, *FAST), cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "an empty path" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]


@pytest.mark.needs_tesseract
def test_a_file_named_like_an_option_is_read_as_a_file(tmp_path):
    from ocr_pipeline.synth import save_pdf

    save_pdf([small_page("Bao cao tong ket")], tmp_path / "-v", 100)
    proc = subprocess.run(
        cli_args("run", "-o", "out", *FAST, "--", "-v"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "-v.txt").read_text(encoding="utf-8").strip()


# ----------------------------------------------------------- killed workers and signals


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _hanging_tesseract(tmp_path: Path) -> tuple[dict[str, str], Path]:
    pids = tmp_path / "pids"
    pids.mkdir()
    env = fake_tesseract(tmp_path, f'echo $$ > "{pids}/$$"\nsleep 300\nexit 0')
    return env, pids


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.1)


@pytest.mark.needs_tesseract
def test_doc_timeout_kills_the_worker_with_its_tesseract(tmp_path):
    env, pids = _hanging_tesseract(tmp_path)
    save_png(tmp_path / "in" / "a.png", "Bao cao")
    proc = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", *FAST, "--jobs", "1",
                   "--doc-timeout", "3", env={**env, "TMPDIR": str(tmp_path)})  # fmt: skip
    assert proc.returncode == 7, proc.stderr
    assert_one_line_each(proc.stderr)
    started = [int(p.name) for p in pids.iterdir()]
    assert started
    _wait_for(lambda: not any(_alive(pid) for pid in started), 10)
    assert not list(tmp_path.glob("ocr-pipeline-worker-*"))


@pytest.mark.needs_tesseract
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_ends_the_batch_like_ctrl_c(tmp_path, sig):
    env, pids = _hanging_tesseract(tmp_path)
    for i in range(2):
        save_png(tmp_path / "in" / f"d{i}.png", "Bao cao")
    batch = subprocess.Popen(
        cli_args("run", tmp_path / "in", "-o", tmp_path / "out", *FAST, "--jobs", "2"),
        env={**os.environ, **env, "TMPDIR": str(tmp_path)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: len(list(pids.iterdir())) == 2)
        batch.send_signal(sig)
        _, stderr = batch.communicate(timeout=60)
    finally:
        batch.kill()
    assert batch.returncode == 130, stderr
    assert stderr.strip() == "ocr-pipeline: interrupted", stderr
    started = [int(p.name) for p in pids.iterdir()]
    _wait_for(lambda: not any(_alive(pid) for pid in started), 10)
    assert not list(tmp_path.glob("ocr-pipeline-worker-*"))
    assert {r["state"] for r in manifest_rows(tmp_path / "out").values()} == {"running"}


# ----------------------------------------------------------------- damaged page images


@pytest.mark.needs_tesseract
def test_tiff_cut_after_its_first_frame_keeps_page_one(tmp_path):
    from PIL import Image

    frames = [small_page(f"Trang so {i} bao cao") for i in range(3)]
    full = tmp_path / "full.tif"
    frames[0].save(full, save_all=True, append_images=frames[1:], dpi=(100, 100))
    with Image.open(full) as im:
        im.seek(1)
        second = im.tile[0][2]  # where frame 2's pixels start
    cut = tmp_path / "in" / "cut.tif"
    cut.parent.mkdir()
    cut.write_bytes(full.read_bytes()[: second + 10])
    proc = run_cli("run", cut, "-o", tmp_path / "out", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "page 2 cannot be decoded" in proc.stderr
    pages = (tmp_path / "out" / "cut.txt").read_text(encoding="utf-8").split("\f")
    assert len(pages) == 2 and "Trang" in pages[0] and not pages[1].strip()


# --------------------------------------------------------- searchable PDF: sizes, safety


@pytest.mark.needs_tesseract
@pytest.mark.parametrize(("pixels", "dpi"), [((40, 30), 2400), ((12000, 200), 50)])
def test_pdf_output_of_pages_beyond_pdf_size_limits(tmp_path, pixels, dpi):
    """40 px at 2400 dpi is 1.2 pt (under the 3 pt minimum); 12000 px at 50 dpi 17280 pt."""
    import pikepdf

    page = small_page("Bao cao tong ket").resize(pixels)
    src = tmp_path / "in" / "odd.png"
    src.parent.mkdir()
    page.save(src, dpi=(dpi, dpi))
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, "--output-type", "pdf", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert_one_line_each(proc.stderr)
    with pikepdf.open(out / "odd.ocr.pdf") as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
        unit = float(pdf.pages[0].obj.get("/UserUnit", 1))
    width, height = box[2] - box[0], box[3] - box[1]
    assert 3 <= min(width, height) and max(width, height) <= 14400
    if dpi == 50:  # the true size is kept through /UserUnit
        assert abs(width * unit - pixels[0] * 72 / dpi) < 1


def _pdf_with_active_content(path: Path, owner_only: bool = False) -> None:
    import pikepdf

    from ocr_pipeline.synth import save_pdf

    plain = path.with_suffix(".plain.pdf")
    save_pdf([small_page("Bao cao tong ket")], plain, 100)
    with pikepdf.open(plain) as pdf:
        page = pdf.pages[0].obj
        js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        page.AA = pikepdf.Dictionary(O=js)
        link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                  Rect=[0, 0, 10, 10], A=pdf.make_indirect(js))  # fmt: skip
        page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
        encryption = False
        if owner_only:
            allow = pikepdf.Permissions(extract=False, print_lowres=False, print_highres=False)
            encryption = pikepdf.Encryption(owner="secret", user="", allow=allow)
        pdf.save(path, encryption=encryption)


@pytest.mark.needs_tesseract
def test_pdf_output_drops_actions_and_keeps_permissions(tmp_path):
    import pikepdf

    src = tmp_path / "in" / "active.pdf"
    src.parent.mkdir()
    _pdf_with_active_content(src, owner_only=True)
    before = src.read_bytes()
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, "--output-type", "pdf", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert src.read_bytes() == before
    with pikepdf.open(out / "active.ocr.pdf") as pdf:
        page = pdf.pages[0].obj
        assert "/AA" not in page
        assert all("/A" not in annot for annot in page.get("/Annots", []))
        assert pdf.is_encrypted
        assert not pdf.allow.extract and not pdf.allow.print_highres


@pytest.mark.needs_tesseract
def test_pdfa_of_a_restricted_pdf_is_refused_not_unrestricted(tmp_path):
    """PDF/A forbids encryption: an owner-password PDF's restrictions cannot be kept, so
    the document is refused (exit 8, one line, nothing written) instead of being
    written without them; a plain PDF next to it is still archived."""
    pytest.importorskip("ocrmypdf")
    _pdf_with_active_content(tmp_path / "locked.pdf", owner_only=True)
    src = tmp_path / "in"
    save_png(src / "open.png", "Bao cao")
    (tmp_path / "locked.pdf").rename(src / "locked.pdf")
    before = (src / "locked.pdf").read_bytes()
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, "--output-type", "pdfa", *FAST)
    assert proc.returncode == 8, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "locked.pdf forbids printing, copying" in proc.stderr
    assert "--output-type pdf" in proc.stderr
    assert (src / "locked.pdf").read_bytes() == before
    assert sorted(p.name for p in out.glob("locked*")) == []
    assert (out / "open.ocr.pdf").is_file()
    assert manifest_rows(out)["locked"]["state"] == "failed"


def _pdf_needing_ghostscript(path: Path) -> None:
    """A page with a non-embedded font: pikepdf's PDF/A validator cannot approve it."""
    import pikepdf

    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(300, 200))
        font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        ))  # fmt: skip
        page.add_resource(font, pikepdf.Name.Font, pikepdf.Name.F1)
        page.contents_add(pikepdf.Stream(pdf, b"BT /F1 12 Tf 20 100 Td (Invented) Tj ET"))
        pdf.save(path)


FAKE_GS = {  # what `gs --version` answers and how a conversion ends -> the document's code
    "absent": ("exit 127", 10),  # no answer: as if not installed
    "refused": ("echo 10.0.0", 10),  # corrupts text layers: OCRmyPDF refuses it
    "too old": ("echo 9.20", 10),  # below OCRmyPDF's minimum
    "failing": ("echo 10.05.1", 7),  # usable version, but the conversion crashes
}


@pytest.mark.needs_tesseract
@pytest.mark.parametrize("kind", FAKE_GS)
def test_a_document_needing_ghostscript_fails_alone(tmp_path, kind):
    """Ghostscript missing, refused or failing ends the one document that needs it, with
    its line; the batch goes on and exits with that document's code, not 3."""
    pytest.importorskip("ocrmypdf")
    version, code = FAKE_GS[kind]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gs = bin_dir / "gs"
    gs.write_text(f'#!/bin/sh\nif [ "$1" = --version ]; then {version}; exit 0; fi\n'
                  'echo "Unrecoverable error" >&2\nexit 1\n')  # fmt: skip
    gs.chmod(0o755)
    src = tmp_path / "in"
    src.mkdir()
    _pdf_needing_ghostscript(src / "a_font.pdf")  # first in the queue
    save_png(src / "b.png", "Bao cao")
    save_png(src / "c.png", "Bao cao hai")
    out = tmp_path / "out"
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    proc = run_cli("run", src, "-o", out, "--output-type", "pdfa", "--jobs", "1", *FAST,
                   env=env)  # fmt: skip
    assert proc.returncode == code, proc.stderr
    assert_one_line_each(proc.stderr)
    error, where = proc.stderr.splitlines()  # the one error, then where the batch stands
    assert "a_font.pdf" in error and "1 failed" in where
    rows = manifest_rows(out)
    assert rows["a_font"]["state"] == "failed" and rows["a_font"]["exit_code"] == code
    assert rows["b"]["state"] == rows["c"]["state"] == "done"
    assert (out / "b.ocr.pdf").is_file() and (out / "c.ocr.pdf").is_file()
    assert not list(out.glob("a_font*"))


def test_a_hung_ghostscript_is_killed_with_ocrmypdf(tmp_path, monkeypatch):
    """A Ghostscript that never returns held the document until --doc-timeout (or for ever
    without one); now OCRmyPDF's whole process group is killed after its time."""
    pytest.importorskip("ocrmypdf")
    from ocr_pipeline.export import pdfa

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pidfile = tmp_path / "gs.pid"
    gs = bin_dir / "gs"
    gs.write_text('#!/bin/sh\nif [ "$1" = --version ]; then echo 10.05.1; exit 0; fi\n'
                  f'echo $$ > {pidfile}\nexec sleep 1000\n')  # fmt: skip
    gs.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(pdfa, "PDFA_SECONDS", 8.0)
    monkeypatch.setattr(pdfa, "PDFA_SECONDS_PER_PAGE", 0.0)
    _pdf_needing_ghostscript(tmp_path / "font.pdf")
    t0 = time.monotonic()
    with pytest.raises(pdfa.PdfaConversionError, match="did not finish the PDF/A in 8 s"):
        pdfa.convert_to_pdfa(tmp_path / "font.pdf", tmp_path / "out.pdf")
    assert time.monotonic() - t0 < 60
    if pidfile.exists():  # the hung Ghostscript went with OCRmyPDF's group
        pid = int(pidfile.read_text())
        deadline = time.monotonic() + 5
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{pid}").exists()


@pytest.mark.needs_tesseract
@pytest.mark.parametrize(
    ("size", "says"), [((1, 1), "too small to read"), ((40000, 3), "over Tesseract's 32767")]
)
def test_a_page_tesseract_cannot_take_is_the_inputs_fault(tmp_path, size, says):
    """It was "every page was read but OCR failed ... check tesseract" (exit 7), after an
    OpenCV assertion or Tesseract's "Image too large"."""
    from PIL import Image

    src = tmp_path / "odd.png"
    Image.new("L", size, 255).save(src, dpi=(100, 100))
    proc = run_cli("run", src, "-o", tmp_path / "out", *FAST)
    assert proc.returncode == 2, proc.stderr
    assert_one_line_each(proc.stderr)
    assert says in proc.stderr and "tesseract failed" not in proc.stderr


@pytest.mark.needs_tesseract
def test_a_page_no_pdf_can_hold_fails_alone_and_leaves_nothing(tmp_path):
    from PIL import Image

    src = tmp_path / "in" / "strip.png"
    src.parent.mkdir()
    Image.new("L", (10000, 2), 255).save(src, dpi=(100, 100))  # 7200 x 1.44 pt
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, "--output-type", "pdf", *FAST)
    assert proc.returncode == 2, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "too long and thin for a PDF page" in proc.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == []


# ------------------------------------------------------------- restore JSON in bounded memory


@needs_models("confusion_eng.tsv")
def test_restore_json_streams_piece_by_piece(tmp_path, monkeypatch):
    """Never the whole document's tokens at once, and the same bytes as the whole dump."""
    import json

    import ocr_pipeline.restore as restore_mod
    from ocr_pipeline import cli

    paragraph = "Bao cao ket qua cong tac thang 3 cua UBND xa, dat 97,8%.\n"
    text = paragraph * (3 * restore_mod.CHUNK_CHARS // len(paragraph))  # three pieces or more
    src = tmp_path / "in.txt"
    src.write_text(text, encoding="utf-8")
    want = json.dumps(restore_mod.restore(text, "eng").to_dict(), ensure_ascii=False, indent=1)
    total = len(restore_mod.restore(text, "eng").tokens)

    largest = 0
    original_piece = restore_mod._restore_piece

    def counting_piece(*args, **kwargs):
        nonlocal largest
        tokens = original_piece(*args, **kwargs)
        largest = max(largest, len(tokens))
        return tokens

    def whole_document(*args, **kwargs):
        raise AssertionError("the CLI built the whole document's tokens (restore())")

    monkeypatch.setattr(restore_mod, "_restore_piece", counting_piece)
    monkeypatch.setattr(restore_mod, "restore", whole_document)
    out = tmp_path / "out.json"
    assert cli.main(["restore", str(src), "-o", str(out), "--format", "json"]) == 0
    assert out.read_text(encoding="utf-8") == want + "\n"
    assert 0 < largest <= total // 2


# --------------------------------------------------------------- arguments and reruns


@pytest.mark.parametrize(
    "option",
    [
        ("--page-timeout", "nan"),
        ("--page-timeout", "inf"),
        ("--doc-timeout", "nan"),
        ("--doc-timeout", "inf"),
        ("--rotate-pages-threshold", "nan"),
    ],  # fmt: skip
)
def test_timeouts_must_be_finite_positive_numbers(tmp_path, option):
    save_png(tmp_path / "a.png", "Bao cao")
    proc = run_cli("run", tmp_path / "a.png", "-o", tmp_path / "out", *FAST, *option)
    assert proc.returncode == 1, proc.stderr
    assert_one_line_each(proc.stderr)
    assert option[0] in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("spec", ["5-2", "0", "1,,x", "-"])
def test_a_malformed_page_range_is_refused_before_any_set_up(tmp_path, spec):
    """Malformed for every document: one line and no OUTDIR (it was one line per
    document, and an OUTDIR holding a manifest of failures)."""
    save_png(tmp_path / "in" / "a.png", "Bao cao")
    save_png(tmp_path / "in" / "b.png", "Bao cao")
    out = tmp_path / "out"
    proc = run_cli("run", tmp_path / "in", "-o", out, *FAST, f"--pages={spec}")
    assert proc.returncode == 1, proc.stderr
    assert_one_line_each(proc.stderr)
    assert len(proc.stderr.splitlines()) == 1 and "bad page range" in proc.stderr
    assert not out.exists()


def test_a_batch_failing_before_any_document_leaves_no_outdir(tmp_path):
    pytest.importorskip("distributed")
    save_png(tmp_path / "a.png", "Bao cao")
    out = tmp_path / "out"
    proc = run_cli("run", tmp_path / "a.png", "-o", out, *FAST, "--scheduler", "bogus://x:1")
    assert proc.returncode in (1, 3), proc.stderr
    assert_one_line_each(proc.stderr)
    assert not out.exists()


@pytest.mark.needs_tesseract
def test_a_fixed_environment_failure_is_retried_by_a_plain_rerun(tmp_path):
    from ocr_pipeline.manifest import Manifest

    src = save_png(tmp_path / "in" / "a.png", "Bao cao tong ket")
    out = tmp_path / "out"
    assert run_cli("run", src, "-o", out, *FAST).returncode == 0
    with Manifest.open(out) as manifest:  # as if its outputs could not be written last time
        manifest.mark_failed("a", error="a.png: cannot write out: Permission denied",
                             exit_code=5)  # fmt: skip
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == 0, proc.stderr
    assert manifest_rows(out)["a"]["state"] == "done"


@pytest.mark.needs_tesseract
def test_a_newcomer_with_the_same_stem_does_not_rename_a_done_document(tmp_path):
    from ocr_pipeline.synth import save_pdf

    src = tmp_path / "in"
    save_png(src / "x.png", "Bao cao tong ket")
    out = tmp_path / "out"
    assert run_cli("run", src, "-o", out, *FAST).returncode == 0
    save_pdf([small_page("Thong bao khac")], src / "x.pdf", 100)
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == 0, proc.stderr
    rows = manifest_rows(out)
    assert rows["x"]["source"].endswith("x.png") and rows["x"]["attempts"] == 1
    assert rows["x.pdf"]["source"].endswith("x.pdf")
    assert not (out / "x.png.txt").exists() and (out / "x.pdf.txt").exists()


# ------------------------------------------------------- a tesseract that misbehaves

_TSV_HEAD = (r"level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth"
             r"\theight\tconf\ttext\n")  # fmt: skip


@pytest.mark.needs_tesseract
@pytest.mark.parametrize(
    "body",
    [
        "kill -SEGV $$",  # crashes
        "head -c 3000 /dev/urandom",  # writes binary garbage (the TSV comes on stdout)
        f'printf "{_TSV_HEAD}5\\t1\\t1\\t1\\t1\\t1\\tx\\ty\\t-5\\tNaN\\tabc\\thi\\n"',
        "exit 0",  # writes nothing
    ],
    ids=["crash", "binary", "bad-numbers", "no-output"],
)
def test_a_broken_tesseract_fails_the_document_in_one_line(tmp_path, body):
    env = fake_tesseract(tmp_path, body)
    src = save_png(tmp_path / "in" / "a.png", "Bao cao tong ket")
    proc = run_cli("run", src, "-o", tmp_path / "out", *FAST, env=env)
    assert proc.returncode == 7, proc.stderr  # the program failed, not the input
    assert_one_line_each(proc.stderr)
    assert len(proc.stderr.splitlines()) == 1
    assert "every page was read but OCR failed" in proc.stderr


@pytest.mark.needs_tesseract
def test_control_characters_from_tesseract_keep_hocr_and_alto_well_formed(tmp_path):
    from lxml import etree

    word = r"\001\033[31mhi"
    row = rf"5\t1\t1\t1\t1\t1\t10\t10\t50\t20\t95\t{word}\n"
    env = fake_tesseract(tmp_path, f'printf "{_TSV_HEAD}{row}"')  # the TSV comes on stdout
    src = save_png(tmp_path / "in" / "a.png", "Bao cao tong ket")
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, *FAST, "--output-type", "hocr,alto", env=env)
    assert proc.returncode == 0, proc.stderr
    for name in ("a.hocr", "a.alto.xml"):
        etree.parse(str(out / name))


@pytest.mark.parametrize("command", ["structure", "restore", "learn"])
def test_text_commands_refuse_a_fifo_instead_of_waiting_on_it(tmp_path, command):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    args = ["--ocr", fifo, "--truth", fifo] if command == "learn" else [fifo]
    with fails_if_hangs():
        proc = run_cli(command, *args, "-o", tmp_path / "out.json")
    assert proc.returncode == 2, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "is a FIFO" in proc.stderr


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["structure", "diff", "status"])
@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_a_stdout_that_cannot_be_written_is_one_line_exit_5(tmp_path, command, stdout):
    from ocr_pipeline.manifest import Manifest

    text = tmp_path / "in.txt"
    text.write_text("I. MỤC ĐÍCH\n\nVăn bản thử nghiệm do bộ kiểm thử tự đặt.\n", "utf-8")
    with Manifest.open(tmp_path):
        pass
    args = {"structure": [text, "-o", "-"], "diff": [text, text], "status": [tmp_path]}
    with open("/dev/full", "wb") as full:
        target = full if stdout == "full" else subprocess.DEVNULL
        proc = subprocess.run(
            cli_args(command, *args[command]),
            stdout=target,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
            preexec_fn=(lambda: os.close(1)) if stdout == "closed" else None,  # no fd 1
        )
    assert proc.returncode == 5, proc.stderr
    assert_one_line_each(proc.stderr)
    assert len(proc.stderr.splitlines()) == 1 and "standard output" in proc.stderr


@pytest.mark.needs_tesseract
def test_a_batch_killed_outright_takes_its_workers_and_tesseracts_along(tmp_path):
    env, pids = _hanging_tesseract(tmp_path)
    for i in range(2):
        save_png(tmp_path / "in" / f"d{i}.png", "Bao cao")
    batch = subprocess.Popen(
        cli_args("run", tmp_path / "in", "-o", tmp_path / "out", *FAST, "--jobs", "2"),
        env={**os.environ, **env, "TMPDIR": str(tmp_path)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: len(list(pids.iterdir())) == 2)
        batch.kill()  # SIGKILL: no handler runs in the batch
        _, stderr = batch.communicate(timeout=60)
    finally:
        batch.kill()
    assert "Traceback" not in stderr
    started = [int(p.name) for p in pids.iterdir()]
    _wait_for(lambda: not any(_alive(pid) for pid in started), 20)
    _wait_for(lambda: not list(tmp_path.glob("ocr-pipeline-worker-*")), 20)


@pytest.mark.needs_tesseract
def test_a_symlink_loop_given_directly_is_named_as_such(tmp_path):
    loop = tmp_path / "loop.pdf"
    loop.symlink_to(loop)
    out = tmp_path / "out"
    proc = run_cli("run", loop, "-o", out, *FAST)
    assert proc.returncode == 2, proc.stderr
    assert_one_line_each(proc.stderr)
    assert "symlink loop" in proc.stderr


@pytest.mark.needs_tesseract
@pytest.mark.parametrize("bad_name", [b"b\xe1o c\xe1o.png", b"d" * 240 + b".png"])
def test_a_failure_fixed_by_renaming_the_input_is_forgotten_once_it_is_done(tmp_path, bad_name):
    """A name refused as not UTF-8 or too long asks for a rename; the renamed file is
    another document (another output name), so the old failure stayed in the manifest and
    `status` reported it for ever while the batch exited 0. Once the renamed file is done,
    the failure of the same content whose input is gone is forgotten; a failure whose
    input is still there (another file) stays."""
    src = tmp_path / "in"
    bad = _legacy_name(src, bad_name)
    save_png(bad, "Bao cao")
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == 1 and "rename it" in proc.stderr, proc.stderr
    assert [r["state"] for r in manifest_rows(out).values()] == ["failed"]
    bad.rename(src / "bao cao.png")
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == 0, proc.stderr
    assert {rel: r["state"] for rel, r in manifest_rows(out).items()} == {"bao cao": "done"}
    status = run_cli("status", out, "--json")
    assert json.loads(status.stdout)["failed"] == []
    # the same content under a bad name still present: its failure is kept
    save_png(_legacy_name(src, bad_name), "Bao cao")
    assert run_cli("run", src, "-o", out, *FAST, "--force").returncode == 1
    assert sorted(r["state"] for r in manifest_rows(out).values()) == ["done", "failed"]
