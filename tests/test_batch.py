"""Tests for ocr_pipeline.batch and `ocr-pipeline run` as a batch tool: inputs, mirroring,
refusals, resume, bad-input corpus, SIGKILL mid-batch, crashing and hanging workers."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from bad_inputs import png_bomb, zero_page_pdf
from PIL import Image
from rapidfuzz.distance import Levenshtein

from ocr_pipeline import batch
from ocr_pipeline.batch import collect_inputs, workers
from ocr_pipeline.batch.inputs import output_base
from ocr_pipeline.batch.local import split_jobs
from ocr_pipeline.batch.progress import BatchProgress
from ocr_pipeline.batch.task import DocTask
from ocr_pipeline.batch.workers import WORKER_DIR_PREFIX, sweep_stale_worker_dirs
from ocr_pipeline.errors import ExitCode, OutputError
from ocr_pipeline.fileio import sha256_file
from ocr_pipeline.manifest import MANIFEST_NAME
from ocr_pipeline.synth import render_pages, save_pdf

REAL_TESSERACT = shutil.which("tesseract")
MAIN = "import sys; from ocr_pipeline import cli; sys.exit(cli.main())"
FAST = ("--no-restore", "--dpi", "100")  # restoration is not the point here


def small_page(text: str) -> Image.Image:
    """One short line on a 90 x 20 mm page at 100 dpi: about 0.2 s of tesseract."""
    return render_pages(text, dpi=100, page_size_mm=(90, 20), margins_mm=(4, 4, 4, 4),
                        font_size_pt=12)[0].image  # fmt: skip


def save_png(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    small_page(text).save(path, dpi=(100, 100))
    return path


def cli_args(*args: str | Path) -> list[str]:
    return [sys.executable, "-c", MAIN, *map(str, args)]


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cli_args(*args), capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, check=False)  # fmt: skip


def fake_tesseract(tmp_path: Path, body: str) -> dict[str, str]:
    """Env making the pipeline call a shell stand-in: real tesseract for --version etc."""
    script = tmp_path / "fake-tesseract"
    script.write_text(f'#!/bin/sh\ncase "$1" in --*) exec "{REAL_TESSERACT}" "$@";; esac\n'
                      + body + "\n")  # fmt: skip
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return {"OCR_PIPELINE_TESSERACT": str(script)}


def manifest_rows(outdir: Path) -> dict[str, dict]:
    db = sqlite3.connect(outdir / MANIFEST_NAME, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        return {r["rel"]: dict(r) for r in db.execute("SELECT * FROM documents")}
    finally:
        db.close()


def close(got: str, want: str) -> bool:
    return Levenshtein.normalized_distance(got.strip(), want) < 0.2


def assert_outputs_whole(outdir: Path, rel: str) -> None:
    """The three outputs exist and parse; no temp file anywhere under outdir."""
    meta = json.loads((outdir / f"{rel}.json").read_text("utf-8"))
    assert meta["schema"] == "ocr_pipeline/run@1"
    rows = (outdir / f"{rel}.words.tsv").read_text("utf-8").splitlines()
    assert rows and all(len(r.split("\t")) == len(rows[0].split("\t")) for r in rows)
    text = (outdir / f"{rel}.txt").read_text("utf-8")
    assert text.count("\f") == len(meta["pages"]) - 1


def temp_files(outdir: Path) -> list[Path]:
    return [p for p in outdir.rglob("*") if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------------ units


def test_collect_inputs_mirrors_filters_and_refuses(tmp_path):
    root = tmp_path / "in"
    for rel in ("a.pdf", "sub/b.PNG", "sub/b.tif", "sub/deep/c.jpg", "notes.txt", "skip/x.pdf",
                "out/old.pdf"):  # fmt: skip
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    (tmp_path / "outside.pdf").write_bytes(b"x")
    (root / "link.pdf").symlink_to(tmp_path / "outside.pdf")
    (root / "inlink.pdf").symlink_to(root / "a.pdf")  # a.pdf again: one document
    (root / "dirlink").symlink_to(tmp_path)  # symlinked folders are not followed
    items = collect_inputs([root], exclude=["skip/*"], outdir=root / "out")
    by_rel = {it.rel: it for it in items}
    assert sorted(by_rel) == ["a", "link", "sub/b.PNG", "sub/b.tif", "sub/deep/c"]
    assert by_rel["sub/deep/c"].path == root / "sub/deep/c.jpg"
    assert "symlink" in by_rel["link"].error and by_rel["link"].exit_code == ExitCode.bad_args
    assert by_rel["a"].error is None
    assert [it.rel for it in collect_inputs([root], include=["*.TIF"])] == ["sub/b"]

    listing = tmp_path / "list.txt"
    listing.write_text("# scans\n\nin/sub/deep/c.jpg\n./in/a.pdf\n../etc/passwd\n/etc/passwd\n",
                       encoding="utf-8")  # fmt: skip
    items = collect_inputs([root / "a.pdf"], from_list=listing)  # in/a.pdf: a.pdf again
    assert [it.rel for it in items] == ["a", "in/sub/deep/c", "passwd", "passwd-2"]
    assert [it.error is None for it in items] == [True, True, False, False]
    assert all("'..'" in it.error for it in items[2:])


def test_outputs_are_named_in_nfc_whatever_the_input_names_form(tmp_path):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Báo cáo quý III")
    folder = tmp_path / "in" / unicodedata.normalize("NFD", "năm 2024")
    folder.mkdir(parents=True)
    (folder / f"{nfd}.png").write_bytes(b"x")
    (folder / "Báo cáo quý III.tif").write_bytes(b"x")  # the same name in NFC: a clash
    items = collect_inputs([tmp_path / "in"])
    rels = sorted(it.rel for it in items)
    assert rels == ["năm 2024/Báo cáo quý III.png", "năm 2024/Báo cáo quý III.tif"]
    assert all(unicodedata.is_normalized("NFC", r) for r in rels)
    assert all(it.path.exists() for it in items)  # read from where they are


def test_output_base_stays_inside_outdir(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "evil").symlink_to(tmp_path)
    assert output_base(out, "ok/doc") == out / "ok" / "doc"
    for rel in ("../x", "/etc/x", "evil/doc"):
        with pytest.raises(OutputError):
            output_base(out, rel)


def test_split_jobs():
    assert split_jobs(2, 1) == (1, 2)  # one document: its pages in parallel
    assert split_jobs(2, 50) == (2, 1)  # many: one document per worker
    assert split_jobs(8, 3) == (3, 2)
    assert split_jobs(1, 0) == (1, 1)


def test_progress_lines():
    plain = io.StringIO()
    bar = BatchProgress(4, stream=plain, tty=False, interval=0)
    bar.page_done(3)
    bar.document_done(ok=True)
    bar.document_done(ok=False)
    bar.tick()
    line = plain.getvalue()
    assert line.startswith("ocr-pipeline: progress: 2/4 documents (1 failed), 3 pages")
    assert "pages/min" in line and "ETA" in line and line.endswith("elapsed\n")
    one = BatchProgress(1, stream=io.StringIO(), tty=False)  # one long document in flight
    one.pages, one.inflight = 10, {"long": (10, 30)}
    assert "0/1 documents, 10 pages" in one.line() and "ETA" in one.line()
    term = io.StringIO()
    bar = BatchProgress(1, stream=term, tty=True)
    bar.tick(force=True)
    bar.message("ocr-pipeline: error: x")
    assert term.getvalue().startswith("\r0/1 documents") and "\r\x1b[K" in term.getvalue()
    quiet = io.StringIO()
    BatchProgress(1, stream=quiet, tty=True, quiet=True).tick(force=True)
    assert quiet.getvalue() == ""


# ------------------------------------------------------------------------------ the CLI


@pytest.mark.needs_tesseract
def test_folder_batch_mirrors_resumes_and_redoes_changed(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    texts = {
        "hồ sơ/báo cáo; số 1.png": "Báo cáo số 1 năm 2025.",
        'it\'s "quoted" name.png': "Quyết định số 7.",
        "plain.png": "Công văn số 3.",
    }
    for rel, text in texts.items():
        save_png(src / rel, text)
    hashes = {p: sha256_file(p) for p in src.rglob("*.png")}
    proc = run_cli("run", src, "-o", out, *FAST, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert {p: sha256_file(p) for p in src.rglob("*.png")} == hashes  # inputs untouched
    for rel, text in texts.items():
        base = rel[: -len(".png")]
        assert close((out / f"{base}.txt").read_text("utf-8"), text), base
        assert_outputs_whole(out, base)
    first = manifest_rows(out)
    assert sorted(first) == sorted(r[: -len(".png")] for r in texts)
    assert all(r["state"] == "done" and r["attempts"] == 1 and r["pages"] == 1
               for r in first.values())  # fmt: skip

    proc = run_cli("run", src, "-o", out, *FAST, "--jobs", "1", "--page-timeout", "99")
    assert proc.returncode == 0  # nothing to do, same output options: said in one line
    assert proc.stderr.startswith("ocr-pipeline: nothing to do: 3 document(s) done before in")
    assert proc.stderr.count("\n") == 1
    assert manifest_rows(out) == first
    proc = run_cli("run", src, "-o", out, "--no-restore", "--dpi", "120")
    assert proc.returncode == 0 and "3 document(s) done earlier with other options" in proc.stderr
    assert "nothing to do: 3 document(s) done before" in proc.stderr  # not silence
    assert manifest_rows(out) == first  # warned, not redone

    save_png(src / "plain.png", "Tờ trình số 9.")  # changed content: redone
    proc = run_cli("run", src, "-o", out, *FAST, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    rows = manifest_rows(out)
    assert rows["plain"]["attempts"] == 2 and rows["plain"]["sha256"] != first["plain"]["sha256"]
    assert close((out / "plain.txt").read_text("utf-8"), "Tờ trình số 9.")
    assert {k: v for k, v in rows.items() if k != "plain"} == {
        k: v for k, v in first.items() if k != "plain"
    }

    proc = run_cli("run", src, "-o", out, *FAST, "--force", "--jobs", "2")  # all redone
    assert proc.returncode == 0 and proc.stderr == ""
    assert sorted(r["attempts"] for r in manifest_rows(out).values()) == [2, 2, 3]

    status = run_cli("status", out)
    assert status.returncode == 0, status.stderr
    assert "3 document(s): 0 queued, 0 running, 3 done, 0 failed" in status.stdout
    summary = json.loads(run_cli("status", out, "--json").stdout)
    assert summary["states"]["done"] == 3 and summary["pages"] == 3
    assert run_cli("status", tmp_path).returncode == ExitCode.bad_args

    listing = tmp_path / "list.txt"  # entries relative to the list's folder, tree mirrored
    listing.write_text("# one document\nin/hồ sơ/báo cáo; số 1.png\n", encoding="utf-8")
    proc = run_cli("run", "--from-list", listing, "-o", tmp_path / "out2", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out2/in/hồ sơ/báo cáo; số 1.txt").read_text("utf-8") == (
        out / "hồ sơ/báo cáo; số 1.txt"
    ).read_text("utf-8")


@pytest.mark.needs_tesseract
def test_bad_input_corpus_each_recorded_batch_goes_on(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    src, out = tmp_path / "bad", tmp_path / "out"
    src.mkdir()
    good_pdf = src / "đơn đề nghị; bản 2.pdf"
    save_pdf([small_page("Đơn đề nghị số 2.")], good_pdf, dpi=100)
    save_png(src / "good 'one'.png", "Giấy mời họp.")
    (src / "zero.pdf").write_bytes(b"")
    data = good_pdf.read_bytes()
    (src / "truncated.pdf").write_bytes(data[: len(data) // 2])
    writer = pypdf.PdfWriter(clone_from=good_pdf)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(src / "locked.pdf", "wb") as fh:
        writer.write(fh)
    zero_page_pdf(src / "nopages.pdf")
    (src / "notes.pdf").write_text("Đây không phải PDF.\n", encoding="utf-8")
    png_bomb(src / "bomb.png")

    proc = run_cli("run", src, "-o", out, *FAST, "--jobs", "2")
    assert "Traceback" not in proc.stderr
    # the first failed document in input order (sorted names: bomb.png) sets the code
    assert proc.returncode == ExitCode.input_file, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("ocr-pipeline: error: ")]
    assert len(errors) == len(proc.stderr.splitlines()) - 1 == 6, proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("ocr-pipeline: 2 of 8 documents done, 6 failed")
    rows = manifest_rows(out)
    expect = {  # rel -> (exit code, words the recorded error must contain)
        "bomb": (ExitCode.input_file, "pixels"),
        "locked": (ExitCode.encrypted_pdf, "encrypted"),
        "nopages": (ExitCode.input_file, "no pages"),
        "notes": (ExitCode.input_file, "not PDF"),
        "truncated": (ExitCode.input_file, "truncated"),
        "zero": (ExitCode.input_file, "empty"),
    }
    for rel, (code, words) in expect.items():
        row = rows[rel]
        assert row["state"] == "failed" and row["exit_code"] == code, row
        assert words in row["error"] and f"{rel}." in row["error"] and "\n" not in row["error"]
        assert any(row["error"] in ln for ln in errors)
    for rel, text in (("đơn đề nghị; bản 2", "Đơn đề nghị số 2."), ("good 'one'", "Giấy mời họp.")):
        assert rows[rel]["state"] == "done"
        assert close((out / f"{rel}.txt").read_text("utf-8"), text)
    assert not (out / "bomb.txt").exists()  # a failed document leaves no outputs

    # rerun: failures are kept (same exit code) unless --retry-failed; nothing is redone
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == ExitCode.input_file and proc.stderr.count("error:") == 6
    assert proc.stderr.count("(failed before; --retry-failed tries again)") == 4
    assert manifest_rows(out)["locked"]["attempts"] == rows["locked"]["attempts"]
    status = run_cli("status", out).stdout
    assert "2 done, 6 failed" in status and "--retry-failed" in status


@pytest.mark.needs_tesseract
def test_two_hundred_page_tiff(tmp_path):
    """Every page of a 200-page TIFF is processed and recorded (a stand-in tesseract that
    finds no words keeps this fast; real OCR of tiny pages is covered above)."""
    frame = Image.new("1", (40, 40), 1)
    tif = tmp_path / "hồ sơ 200 trang.tif"
    frame.save(tif, save_all=True, append_images=[frame] * 199, dpi=(100, 100),
               compression="group4")  # fmt: skip
    header = "\\t".join(["level", "page_num", "block_num", "par_num", "line_num", "word_num",
                         "left", "top", "width", "height", "conf", "text"])  # fmt: skip
    env = fake_tesseract(tmp_path, f"printf '{header}\\n'")  # the TSV comes on stdout
    out = tmp_path / "out"
    proc = run_cli("run", tif, "-o", out, *FAST, "--jobs", "2", "--no-deskew", "--no-denoise",
                   env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    meta = json.loads((out / "hồ sơ 200 trang.json").read_text("utf-8"))
    assert [p["number"] for p in meta["pages"]] == list(range(1, 201))
    assert all(p["status"] == "ok" for p in meta["pages"])
    row = manifest_rows(out)["hồ sơ 200 trang"]
    assert row["state"] == "done" and row["pages"] == 200 and row["pages_failed"] == 0


@pytest.mark.needs_tesseract
def test_sigkill_mid_batch_then_rerun_finishes_each_once(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    texts = {f"doc {i}.png": f"Văn bản số {i}." for i in range(8)}
    for name, text in texts.items():
        save_png(src / name, text)
    gate = tmp_path / "gate"
    # once the gate exists, every OCR call hangs: the batch is stuck mid-way, deterministically
    env = fake_tesseract(
        tmp_path, f'[ -e "{gate}" ] && exec sleep 60\nexec "{REAL_TESSERACT}" "$@"'
    )
    proc = subprocess.Popen(cli_args("run", src, "-o", out, *FAST, "--jobs", "2"),
                            env={**os.environ, **env}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        done: dict[str, dict] = {}
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                rows = manifest_rows(out) if (out / MANIFEST_NAME).exists() else {}
            except sqlite3.OperationalError:  # created but its tables not yet
                rows = {}
            done = {k: v for k, v in rows.items() if v["state"] == "done"}
            if len(done) >= 2:
                break
            time.sleep(0.2)
        gate.touch()
        time.sleep(0.5)
        # a write_atomic interrupted by the kill leaves a temp file like this one
        (out / ".doc 7.txt.k1ll3d.tmp").write_text("half")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the batch, its forkserver, workers, tesseracts
        proc.wait()
    proc_pid = proc.pid
    before = manifest_rows(out)
    done_before = {k: v for k, v in before.items() if v["state"] == "done"}
    assert 2 <= len(done_before) < 8, before
    assert any(v["state"] in ("running", "queued") for v in before.values())

    proc = run_cli("run", src, "-o", out, *FAST, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    after = manifest_rows(out)
    assert len(after) == 8 and all(v["state"] == "done" for v in after.values())
    for rel, row in done_before.items():  # finished before the kill: not done again
        assert after[rel]["attempts"] == 1 and after[rel]["finished_at"] == row["finished_at"]
    assert temp_files(out) == []
    # the killed batch's worker temp folders were swept by the rerun
    assert not list(Path(tempfile.gettempdir()).glob(f"{WORKER_DIR_PREFIX}{proc_pid}-*"))
    for name, text in texts.items():
        rel = name[: -len(".png")]
        assert_outputs_whole(out, rel)
        assert close((out / f"{rel}.txt").read_text("utf-8"), text), rel


def test_sweep_removes_only_folders_of_dead_batches(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid now names no process (reuse within this test is not a concern)
    gone = tmp_path / f"{WORKER_DIR_PREFIX}{dead.pid}-abc"
    live = tmp_path / f"{WORKER_DIR_PREFIX}{os.getppid()}-def"
    mine = tmp_path / f"{WORKER_DIR_PREFIX}{os.getpid()}-ghi"
    other = tmp_path / "ocr-pipeline-workers-notes"
    for folder in (gone, live, mine, other):
        folder.mkdir()
        (folder / "page.ppm").write_bytes(b"P5")
    assert sweep_stale_worker_dirs(str(tmp_path)) == 1
    assert not gone.exists() and live.exists() and mine.exists() and other.exists()


@pytest.mark.needs_tesseract
def test_crashing_and_hanging_workers_fail_only_their_document(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    for i in range(3):
        save_png(src / f"d{i}.png", f"Thông báo số {i}.")
    m1, m2 = tmp_path / "m1", tmp_path / "m2"
    # first OCR call: kill the worker process running it; second: hang
    env = fake_tesseract(tmp_path, f'mkdir "{m1}" 2>/dev/null && {{ kill -9 $PPID; exit 1; }}\n'
                                   f'mkdir "{m2}" 2>/dev/null && exec sleep 30\n'
                                   f'exec "{REAL_TESSERACT}" "$@"')  # fmt: skip
    proc = run_cli("run", src, "-o", out, *FAST, "--jobs", "1", "--doc-timeout", "3", env=env)
    assert proc.returncode == ExitCode.child_process_error, proc.stderr
    *lines, where = proc.stderr.splitlines()
    assert len(lines) == 2 and "Traceback" not in proc.stderr
    assert where.startswith("ocr-pipeline: 1 of 3 documents done, 2 failed")
    assert "d0.png" in lines[0] and "SIGKILL" in lines[0]
    assert "d1.png" in lines[1] and "--doc-timeout 3" in lines[1]
    rows = manifest_rows(out)
    assert [rows[f"d{i}"]["state"] for i in range(3)] == ["failed", "failed", "done"]
    assert all(rows[f"d{i}"]["exit_code"] == ExitCode.child_process_error for i in (0, 1))
    assert not (out / "d0.txt").exists() and temp_files(out) == []

    proc = run_cli("run", src, "-o", out, *FAST, "--retry-failed", env=env)
    assert proc.returncode == 0, proc.stderr
    rows = manifest_rows(out)
    assert all(r["state"] == "done" for r in rows.values())
    assert [rows[f"d{i}"]["attempts"] for i in range(3)] == [2, 2, 1]


def test_run_refuses_without_inputs_and_bad_list(tmp_path):
    proc = run_cli("run", "-o", tmp_path / "out")
    assert proc.returncode == ExitCode.bad_args and "no input" in proc.stderr
    proc = run_cli("run", "--from-list", tmp_path / "nope.txt", "-o", tmp_path / "out")
    assert proc.returncode == ExitCode.bad_args and "--from-list" in proc.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli("run", empty, "-o", tmp_path / "out")
    assert proc.returncode == ExitCode.bad_args and "no input files found" in proc.stderr


def test_one_batch_per_outdir(tmp_path):
    with batch.outdir_lock(tmp_path), pytest.raises(OutputError, match="another"):
        with batch.outdir_lock(tmp_path):
            pass
    with batch.outdir_lock(tmp_path):  # released
        pass


@pytest.mark.needs_tesseract
def test_run_isolated_reuses_its_worker_and_replaces_a_timed_out_one(tmp_path, monkeypatch):
    from ocr_pipeline.pipeline import PipelineOptions

    png = save_png(tmp_path / "in" / "a.png", "Văn bản số 5.")
    opts = PipelineOptions(dpi=100, jobs=2, restore=False)
    task = DocTask(source=str(png), rel="a", outdir=str(tmp_path / "out"), options=opts)
    first = workers.run_isolated(task)
    assert first.ok and first.pages == 1 and first.outputs == ["a.txt", "a.words.tsv", "a.json"]
    pid = workers._THREAD.worker.proc.pid
    assert workers.run_isolated(task).ok and workers._THREAD.worker.proc.pid == pid  # reused

    for name, value in fake_tesseract(tmp_path, "exec sleep 30").items():
        monkeypatch.setenv(name, value)
    workers._THREAD.worker.stop()  # a fresh worker picks up the stand-in tesseract
    slow = workers.run_isolated(task, timeout=1.5)
    assert not slow.ok and slow.exit_code == ExitCode.child_process_error
    assert "--doc-timeout 1.5" in slow.error and workers._THREAD.worker is None


@pytest.mark.needs_tesseract
def test_archive_output_types_and_resume(tmp_path):
    png = save_png(tmp_path / "in" / "công văn.png", "Công văn số 12.")
    out = tmp_path / "out"
    assert run_cli("run", png, "-o", out, *FAST).returncode == 0
    proc = run_cli("run", png, "-o", out, *FAST, "--output-type", "hocr,alto")
    assert proc.returncode == 0, proc.stderr  # outputs now wanted are missing: redone
    row = manifest_rows(out)["công văn"]
    assert row["attempts"] == 2
    assert sorted(json.loads(row["outputs"])) == sorted(
        f"công văn{s}" for s in (".txt", ".words.tsv", ".json", ".hocr", ".alto.xml")
    )
    assert "Công" in (out / "công văn.hocr").read_text("utf-8")
    proc = run_cli("run", png, "-o", out, *FAST, "--output-type", "hocr")
    assert proc.returncode == 0 and manifest_rows(out)["công văn"]["attempts"] == 2  # skipped
    proc = run_cli("run", png, "-o", out, *FAST, "--output-type", "docx")
    assert proc.returncode == ExitCode.bad_args and "--output-type docx" in proc.stderr
