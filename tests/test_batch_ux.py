"""A new user's batch: pages left empty are redone by the fix their warning suggests, a
page read as garbage hints at --rotate-pages, an interrupt at any instant is one line and
exit 130, a file named twice is one document, an earlier run's OUTDIR is no input."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_batch import REAL_TESSERACT, fake_tesseract, manifest_rows, run_cli, save_png, small_page

from ocr_pipeline import raster
from ocr_pipeline.batch import collect_inputs
from ocr_pipeline.batch.plan import own_outputs
from ocr_pipeline.batch.task import (
    SIDEWAYS_CONFIDENCE,
    blank_page_hints,
    sideways_hints,
    two_up_hints,
)
from ocr_pipeline.manifest import MANIFEST_NAME, Manifest
from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.synth import render_pages

FAST = ("--no-restore", "--dpi", "100", "-q", "--jobs", "1")


def assert_one_line_each(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    for line in stderr.splitlines():
        assert line.startswith("ocr-pipeline: "), line


# ------------------------------------------------------------ pages left empty


def save_two_pages(path: Path) -> Path:
    """A TIFF whose first page is small and second three times as tall: `SLOW_PAGE_2`
    lets tesseract read the first and hangs on the second."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tall = render_pages("Ket qua tot", dpi=100, page_size_mm=(90, 60), margins_mm=(4, 4, 4, 4),
                        font_size_pt=12)[0].image  # fmt: skip
    small_page("Bao cao tong ket").save(path, save_all=True, append_images=[tall], dpi=(100, 100))
    return path


# a page image over 50 KB (the tall page: ~80 KB; the small one ~28 KB) never ends
SLOW_PAGE_2 = f'[ "$(stat -c %s "$1")" -gt 50000 ] && exec sleep 20\nexec "{REAL_TESSERACT}" "$@"'


@pytest.mark.needs_tesseract
def test_a_page_left_empty_is_redone_by_other_limits_or_retry_failed(tmp_path):
    src = save_two_pages(tmp_path / "in" / "a.tif")
    out = tmp_path / "out"
    slow = fake_tesseract(tmp_path, SLOW_PAGE_2)
    first = run_cli("run", src, "-o", out, *FAST, "--page-timeout", "2", env=slow)
    assert first.returncode == 0, first.stderr
    assert "raise --page-timeout" in first.stderr and "page left empty" in first.stderr
    pages = (out / "a.txt").read_text(encoding="utf-8").split("\f")
    assert "tong" in pages[0].lower() and pages[1].strip() == ""

    status = run_cli("status", out)
    assert status.returncode == 0, status.stderr
    assert "1 of 2 page(s) empty: " in status.stdout and "a.tif: page 2" in status.stdout
    assert "--retry-failed" in status.stdout and "--page-timeout" in status.stdout
    empty = json.loads(run_cli("status", out, "--json").stdout)["empty_pages"]
    assert [e["output"] for e in empty] == ["a"] and empty[0]["pages_empty"] == 1

    same = run_cli("run", src, "-o", out, *FAST, "--page-timeout", "2", env=slow)
    assert same.returncode == 0, same.stderr  # the same limits: not redone, but told
    assert manifest_rows(out)["a"]["attempts"] == 1
    assert "empty since an earlier run" in same.stderr and "--retry-failed" in same.stderr

    raised = run_cli("run", src, "-o", out, *FAST, "--page-timeout", "60")
    assert raised.returncode == 0, raised.stderr
    row = manifest_rows(out)["a"]
    assert row["attempts"] == 2 and row["pages_failed"] == 0 and row["error"] is None
    assert "qua" in (out / "a.txt").read_text(encoding="utf-8").lower()
    assert "empty" not in run_cli("status", out).stdout.split("\n", 2)[2]

    again = run_cli("run", src, "-o", out, *FAST, "--page-timeout", "60")
    assert again.returncode == 0 and manifest_rows(out)["a"]["attempts"] == 2


@pytest.mark.needs_tesseract
def test_a_document_no_page_of_which_was_read_in_time_fails(tmp_path):
    """Every page timed out: it was "done", exit 0, NAME.txt a bare form feed, each page
    worded differently. Now the document fails (exit 7, listed by status), one wording,
    and a rerun with other limits tries it again as a failure is."""
    src = save_png(tmp_path / "in" / "a.png", "Bao cao tong ket")
    out = tmp_path / "out"
    slow = fake_tesseract(tmp_path, "exec sleep 20")
    first = run_cli("run", src, "-o", out, *FAST, "--page-timeout", "1", env=slow)
    assert first.returncode == 7, first.stderr
    (line,) = first.stderr.splitlines()
    assert line.startswith("ocr-pipeline: error: ") and "no page was read in time" in line
    assert "page 1: ran out of its time (--page-timeout 1 s); raise --page-timeout" in line
    assert not (out / "a.txt").exists()
    status = run_cli("status", out)
    assert "failed [7]:" in status.stdout and "no page was read in time" in status.stdout
    raised = run_cli("run", src, "-o", out, *FAST, "--page-timeout", "60")
    assert raised.returncode == 0, raised.stderr
    assert "tong" in (out / "a.txt").read_text(encoding="utf-8").lower()


@pytest.mark.needs_tesseract
def test_retry_failed_redoes_a_document_with_an_empty_page(tmp_path):
    src = save_two_pages(tmp_path / "in" / "a.tif")
    out = tmp_path / "out"
    slow = fake_tesseract(tmp_path, SLOW_PAGE_2)
    assert run_cli("run", src, "-o", out, *FAST, "--page-timeout", "2", env=slow).returncode == 0
    assert manifest_rows(out)["a"]["pages_failed"] == 1
    proc = run_cli("run", src, "-o", out, *FAST, "--page-timeout", "2", "--retry-failed")
    assert proc.returncode == 0, proc.stderr
    assert manifest_rows(out)["a"]["pages_failed"] == 0
    assert (out / "a.txt").read_text(encoding="utf-8").split("\f")[1].strip()


def test_a_manifest_of_an_older_version_is_read_and_resumed(tmp_path):
    db = sqlite3.connect(tmp_path / MANIFEST_NAME)
    db.executescript(
        "CREATE TABLE documents (rel TEXT PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT, "
        "state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, pages INTEGER, "
        "pages_failed INTEGER, queued_at REAL, started_at REAL, finished_at REAL, "
        "seconds REAL, error TEXT, exit_code INTEGER, outputs TEXT, options_key TEXT);"
        "INSERT INTO documents (rel, source, state, pages, pages_failed) "
        "VALUES ('a', 'a.png', 'done', 2, 1);"
    )
    db.commit()
    db.close()
    with Manifest.open(tmp_path, readonly=True) as manifest:
        assert manifest.get("a").attempt_key is None
    with Manifest.open(tmp_path) as manifest:
        manifest.mark_done("a", pages=2, pages_failed=0, seconds=1.0, outputs=[],
                           attempt_key="attempt:x")  # fmt: skip
        assert manifest.get("a").attempt_key == "attempt:x"


# ------------------------------------------------------------ sideways pages


def _page(number: int, confidence: float) -> Page:
    words = [Word(t, BBox(10 * i, 0, 10 * i + 8, 10), confidence)
             for i, t in enumerate(("xa", "yb", "zc"))]  # fmt: skip
    line = Line(words, BBox(0, 0, 28, 10))
    return Page(number=number, width=100, height=40, dpi=100, lines=[line])


def test_a_page_read_with_very_low_confidence_hints_at_rotate_pages():
    low, normal = _page(1, SIDEWAYS_CONFIDENCE - 15), _page(2, 91.0)
    blank = Page(number=3, width=100, height=40, dpi=100)
    hints = sideways_hints("scan.tif", [low, normal, blank])
    assert len(hints) == 1
    assert hints[0].startswith("scan.tif: page 1: ") and "--rotate-pages" in hints[0]
    # the figure shown is not rounded up to the threshold, and a low resolution is named
    assert f"{SIDEWAYS_CONFIDENCE - 15:.1f}%" in hints[0] and "scanned at 100 dpi" in hints[0]
    sharp = Page(number=1, width=100, height=40, dpi=300, lines=low.lines)
    assert "dpi" not in sideways_hints("scan.tif", [sharp])[0]
    # a resolution the user asked for (--dpi) is theirs to change, not the scan's
    asked = sideways_hints("scan.pdf", [low], chosen_dpi=100)[0]
    assert "read at 100 dpi as --dpi asked: run it again without --dpi" in asked
    assert "scan it again" not in asked
    # a page --rotate-pages already turned upright that still reads so is looked at, not
    # sent back to --rotate-pages (a new user's photo of no document ended "done", unflagged)
    turned = sideways_hints("photo.jpg", [sharp], rotated=True)
    assert len(turned) == 1 and "--rotate-pages" not in turned[0]
    assert turned[0].endswith(
        "likely garbage; look at the page: it may be no text document, or too poor a scan to read"
    )


def _headed_page(width: int, height: int, rows: list[str]) -> Page:
    lines = [Line([Word(w, BBox(0, 20 * k, 10, 20 * k + 10), 90.0) for w in row.split()],
                  BBox(0, 20 * k, 10, 20 * k + 10)) for k, row in enumerate(rows)]  # fmt: skip
    return Page(number=1, width=width, height=height, dpi=200, lines=lines)


def test_a_landscape_page_with_two_documents_headers_is_named_a_2_up_scan():
    rows = ["ĐẢNG BỘ HUYỆN A ĐẢNG CỘNG SẢN VIỆT NAM CÔNG TY B CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "NGHỊ QUYẾT QUYẾT ĐỊNH"]  # fmt: skip
    (hint,) = two_up_hints("twoup.png", [_headed_page(3300, 2300, rows)])
    assert hint.startswith("twoup.png: page 1: a landscape page with 2 documents' headers")
    # a portrait page (a regulation repeating the header under a decision) says nothing,
    # and nor does a landscape page with one header (a table turned sideways)
    assert two_up_hints("a.pdf", [_headed_page(2300, 3300, rows)]) == []
    # a title named in the text below the header counts for nothing
    named = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", *["x"] * 40,
             "1 Ủy ban Mặt trận Tổ quốc Việt Nam xã 12 hội nghị"]  # fmt: skip
    assert two_up_hints("c.png", [_headed_page(3300, 900, named)]) == []
    assert two_up_hints("b.png", [_headed_page(3300, 2300, rows[:1][0].split(" CÔNG")[:1])]) == []


@pytest.mark.needs_tesseract
def test_a_sideways_page_gets_the_hint_an_upright_one_does_not(tmp_path):
    from PIL import Image

    text = "Bao cao tong ket cong tac thi dua khen thuong nam hai nghin"
    upright = save_png(tmp_path / "in" / "upright.png", text)
    with Image.open(upright) as image:
        image.rotate(90, expand=True, fillcolor="white").save(tmp_path / "in" / "turned.png",
                                                               dpi=(100, 100))  # fmt: skip
    Image.new("L", (600, 400), 255).save(tmp_path / "in" / "blank.png", dpi=(100, 100))
    proc = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", *FAST)
    assert proc.returncode == 0, proc.stderr
    hints = [ln for ln in proc.stderr.splitlines() if "mean confidence" in ln]
    assert len(hints) == 1 and "turned.png: page 1" in hints[0], proc.stderr
    assert "blank.png: page 1: no text found" in proc.stderr
    # after the batch (warnings scrolled by, or the batch was resumed): which to look at
    assert "2 document(s) done with a warning to check" in proc.stderr
    status = run_cli("status", tmp_path / "out")
    checks = [ln for ln in status.stdout.splitlines() if ln.startswith("to check: ")]
    assert len(checks) == 2 and "--rotate-pages" in " ".join(checks), status.stdout
    listed = json.loads(run_cli("status", tmp_path / "out", "--json").stdout)["to_check"]
    assert sorted(c["output"] for c in listed) == ["blank", "turned"]
    turned = run_cli("run", tmp_path / "in" / "turned.png", "-o", tmp_path / "out2", *FAST,
                     "--rotate-pages")  # fmt: skip
    assert turned.returncode == 0 and "--rotate-pages" not in turned.stderr, turned.stderr
    # the batch again into its OUTDIR with an option that reads no page otherwise: kept
    other = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", *FAST, "--no-tables")
    assert other.returncode == 0, other.stderr
    assert {row["attempts"] for row in manifest_rows(tmp_path / "out").values()} == {1}
    # ... and with the option the warning named: the pages it warned of are redone without
    # --force, the upright one is kept (a new user's rerun had kept the two turned pages
    # it meant to mend)
    again = run_cli("run", tmp_path / "in", "-o", tmp_path / "out", *FAST, "--rotate-pages")
    assert again.returncode == 0, again.stderr
    rows = manifest_rows(tmp_path / "out")
    assert rows["turned"]["attempts"] == 2 and rows["blank"]["attempts"] == 2
    assert rows["upright"]["attempts"] == 1 and "upright.png" in again.stderr


def test_a_page_with_no_text_may_be_turned_sideways_unless_pages_were_rotated():
    blank = Page(number=2, width=100, height=40, dpi=100)
    (hint,) = blank_page_hints("scan.tif", [_page(1, 91.0), blank])
    assert hint.startswith("scan.tif: page 2: no text found") and "--rotate-pages" in hint
    assert "--rotate-pages" not in blank_page_hints("scan.tif", [blank], rotated=True)[0]


def test_a_scan_named_as_another_format_is_read_by_its_content_and_named():
    assert raster.misnamed("a/notice.pdf", raster.PNG) == (
        "its name ends in .pdf but it is a PNG image, not a PDF; it was read as a PNG "
        "image (rename it to .png for other tools)"
    )
    assert raster.misnamed("scan.TIFF", raster.TIFF) is None
    assert raster.misnamed("photo.jpeg", raster.JPEG) is None
    assert raster.misnamed("scan", raster.PDF) is None  # no name's ending to go by
    assert raster.misnamed("scan.dat", raster.PDF) is None


@pytest.mark.needs_tesseract
def test_run_tells_which_file_is_named_as_another_format(tmp_path):
    save_png(tmp_path / "in" / "notice.png", "Thong bao lich hop")
    (tmp_path / "in" / "notice.png").rename(tmp_path / "in" / "notice.pdf")
    proc = run_cli("run", tmp_path / "in" / "notice.pdf", "-o", tmp_path / "out", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert "notice.pdf: its name ends in .pdf but it is a PNG image" in proc.stderr
    assert (tmp_path / "out" / "notice.txt").read_text(encoding="utf-8").strip()


# ------------------------------------------------------------ interrupts


def _entry_point_with(hook: str, after: str = "") -> subprocess.CompletedProcess:
    """Run the installed `ocr-pipeline` entry point on `status` in a child whose `hook`
    (Python run when the command's modules start importing) can signal it."""
    code = textwrap.dedent(f"""
        import importlib.abc, importlib.metadata, os, signal, sys, time

        class Hook(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "ocr_pipeline.commands.status":
                    {hook}
                return None

        sys.meta_path.insert(0, Hook())
        (ep,) = importlib.metadata.entry_points(group="console_scripts", name="ocr-pipeline")
        code = ep.load()(["status", "no-such-folder"])
        {after}
        sys.exit(code)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_an_interrupt_while_the_command_starts_is_one_line(sig):
    proc = _entry_point_with(f"os.kill(os.getpid(), signal.{sig}); time.sleep(5)")
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "ocr-pipeline: interrupted\n"


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_an_interrupt_after_the_command_finished_is_one_line(sig):
    proc = _entry_point_with("pass", f"os.kill(os.getpid(), signal.{sig}); time.sleep(5)")
    assert proc.returncode == 130, proc.stderr
    assert_one_line_each(proc.stderr)
    assert proc.stderr.splitlines()[-1] == "ocr-pipeline: interrupted"


def test_the_forkserver_ignores_ctrl_c_while_it_imports(tmp_path):
    """A Ctrl-C (sent to the whole process group) while the forkserver imported its
    preload printed a KeyboardInterrupt traceback of its own."""
    (tmp_path / "slow_preload.py").write_text("import time\ntime.sleep(5)\n", encoding="utf-8")
    code = textwrap.dedent("""
        import multiprocessing.forkserver, re, signal, time
        from ocr_pipeline import processes

        processes.PRELOAD = "slow_preload"
        before = signal.getsignal(signal.SIGINT)  # SIG_IGN when run as a background job
        processes.mp_context()
        pid = multiprocessing.forkserver._forkserver._forkserver_pid
        time.sleep(0.5)  # the forkserver is still importing slow_preload
        status = open(f"/proc/{pid}/status").read()
        ignored = int(re.search(r"SigIgn:\\s*([0-9a-f]+)", status).group(1), 16)
        print(bool(ignored >> (signal.SIGINT - 1) & 1),
              signal.getsignal(signal.SIGINT) is before)
    """)
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]  # and the parent's Ctrl-C is its own again


# ------------------------------------------------------------ which files are inputs


def test_a_file_named_twice_is_one_document(tmp_path, caplog, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save_png(tmp_path / "d" / "x.png", "Bao cao")
    (tmp_path / "d" / "alias.png").symlink_to("x.png")
    with caplog.at_level(logging.WARNING):
        items = collect_inputs([Path("d/x.png"), Path("d/x.png"), Path("./d/x.png"),
                                tmp_path / "d" / "x.png", Path("d")])  # fmt: skip
    assert [(str(it.path), it.rel) for it in items] == [("d/x.png", "x")]
    warned = [r.getMessage() for r in caplog.records if "more than once" in r.getMessage()]
    assert len(warned) == 5 and all("processed once" in w for w in warned)
    assert "d/alias.png: given more than once (also as d/x.png); processed once" in warned


@pytest.mark.needs_tesseract
def test_a_file_named_twice_on_the_command_line_is_processed_once(tmp_path):
    src = save_png(tmp_path / "x.png", "Bao cao")
    out = tmp_path / "out"
    proc = run_cli("run", src, src, tmp_path / "." / "x.png", "-o", out, *FAST)
    assert proc.returncode == 0, proc.stderr
    assert list(manifest_rows(out)) == ["x"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "x.json", "x.txt", "x.words.tsv"]  # fmt: skip
    assert proc.stderr.count("given more than once") == 2


def test_an_earlier_runs_outdir_inside_a_folder_is_no_input(tmp_path, caplog):
    root = tmp_path / "f"
    save_png(root / "a.png", "Bao cao")
    earlier = root / "out"
    earlier.mkdir()
    (earlier / MANIFEST_NAME).write_bytes(b"")
    (earlier / "a.ocr.pdf").write_bytes(b"%PDF-1.4")
    (root / "sub").mkdir()
    (root / "sub" / "b.pdf").write_bytes(b"%PDF-1.4")
    with caplog.at_level(logging.WARNING):
        items = collect_inputs([root], outdir=tmp_path / "o7")
    assert [it.rel for it in items] == ["a", "sub/b"]
    assert any(f"{earlier}: skipped" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING):  # named as an input of its own: processed
        assert [it.rel for it in collect_inputs([earlier])] == ["a.ocr"]
        assert [it.rel for it in collect_inputs([root], outdir=earlier)] == ["a", "sub/b"]
    assert not caplog.records  # its own OUTDIR is left out silently, as before


def test_status_does_not_offer_retry_failed_for_refused_list_entries(tmp_path):
    """A list entry refused for '..' or an absolute path fails the same way however often
    it is retried: status says to move the list or the files, not --retry-failed."""
    listed = tmp_path / "l"
    listed.mkdir()
    (listed / "list.txt").write_text("../x.png\n/abs.png\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("run", "--from-list", listed / "list.txt", "-o", out, *FAST).returncode == 1
    status = run_cli("status", out).stdout
    assert "2 refused [1]" in status and "move the list or the files" in status
    assert "rerun with --retry-failed" not in status
    save_png(listed / "bad.png", "x").write_bytes(b"\x89PNG\r\n\x1a\n")  # truncated: exit 2
    (listed / "list.txt").write_text("../x.png\nbad.png\n", encoding="utf-8")
    run_cli("run", "--from-list", listed / "list.txt", "-o", out, *FAST)
    status = run_cli("status", out).stdout
    # a damaged file: only a good copy helps, then --retry-failed
    assert "1 unreadable [2]" in status and "replace it with a good copy" in status
    assert "to try the other failed documents again" not in status


def test_files_a_folder_run_does_not_read_are_counted_in_one_line(tmp_path, caplog):
    """`noext` and `scan.jpeg.bak` were skipped without a word."""
    root = tmp_path / "f"
    save_png(root / "a.png", "Bao cao")
    for name in ("noext", "scan.jpeg.bak", "sub/ghi.txt", ".hidden"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (root / "sub" / "b.png").write_bytes((root / "a.png").read_bytes())
    with caplog.at_level(logging.WARNING):
        items = collect_inputs([root], exclude=["sub/*.png"])
    assert [it.rel for it in items] == ["a"]
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith("4 file(s) in the input folders not read: 3 not PDF, TIFF, PNG")
    assert "(noext, scan.jpeg.bak, sub/ghi.txt)" in line
    assert line.endswith("1 excluded by --exclude (sub/b.png)")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        collect_inputs([root], include=["*.png"])
    (line,) = [r.getMessage() for r in caplog.records]
    assert "3 not matching --include" in line


@pytest.mark.needs_tesseract
def test_a_folder_that_was_an_outdir_is_read_again_without_its_outputs(tmp_path):
    """`run f -o f --output-type pdf; run f -o new`: f's a.ocr.pdf (a.txt, a.json beside
    it) was OCR'd again as a document; now the scans alone are, with one warning."""
    src = tmp_path / "f"
    save_png(src / "a.png", "Bao cao")
    save_png(src / "b.png", "Ket qua")
    first = run_cli("run", src, "-o", src, *FAST, "--output-type", "pdf")
    assert first.returncode == 0 and (src / "a.ocr.pdf").is_file(), first.stderr
    proc = run_cli("run", src, "-o", tmp_path / "new", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert sorted(manifest_rows(tmp_path / "new")) == ["a", "b"]
    (line,) = [ln for ln in proc.stderr.splitlines() if "earlier" in ln]
    assert line.startswith("ocr-pipeline: warning: ") and "left out" in line
    assert "a.ocr.pdf" in line and "of them" in line


@pytest.mark.needs_tesseract
def test_a_run_into_a_new_folder_does_not_ocr_an_earlier_runs_pdf(tmp_path):
    src = tmp_path / "f4"
    save_png(src / "a.png", "Bao cao")
    first = run_cli("run", src, "-o", src / "out", *FAST, "--output-type", "pdf")
    assert first.returncode == 0 and (src / "out" / "a.ocr.pdf").is_file(), first.stderr
    proc = run_cli("run", src, "-o", tmp_path / "o7", *FAST, "--output-type", "pdf")
    assert proc.returncode == 0, proc.stderr
    assert list(manifest_rows(tmp_path / "o7")) == ["a"]
    assert f"{src / 'out'}: skipped" in proc.stderr
    assert os.path.exists(tmp_path / "o7" / "a.ocr.pdf")
    assert not (tmp_path / "o7" / "out").exists()


def test_an_earlier_outdir_given_as_input_has_its_mirrored_outputs_left_out(tmp_path, caplog):
    """run mirrors an input tree: an earlier OUTDIR holds outputs in sub-folders too,
    under the one manifest at its top."""
    root = tmp_path / "old_out"
    save_png(root / "top.png", "Bao cao")
    save_png(root / "sub" / "x.png", "Ket qua")
    (root / MANIFEST_NAME).write_bytes(b"")
    for stem in ("top", "sub/x"):
        for suffix in (".ocr.pdf", ".json", ".txt"):
            (root / f"{stem}{suffix}").write_bytes(b"x")
    with caplog.at_level(logging.WARNING):
        items = collect_inputs([root])
    assert not any("not read" in r.getMessage() for r in caplog.records)
    left_out = own_outputs(items, tmp_path / "new", Manifest(tmp_path / "new.sqlite"))
    assert sorted(it.rel for i, it in enumerate(items) if i not in left_out) == [
        "sub/x",
        "top",
    ]
    assert all(items[i].path.name.endswith(".ocr.pdf") for i in left_out)


def test_status_of_a_folder_that_does_not_exist_says_so(tmp_path):
    proc = run_cli("status", str(tmp_path / "nope"))
    assert proc.returncode != 0 and "no such folder" in proc.stderr
    (tmp_path / "empty").mkdir()
    proc = run_cli("status", str(tmp_path / "empty"))
    assert proc.returncode != 0 and "has no batch manifest" in proc.stderr


@pytest.mark.needs_tesseract
def test_a_batch_with_failures_ends_with_where_it_stands(tmp_path):
    """The error lines of a long batch scroll by: its last line says how many documents are
    done and failed, and where to look; a single document's one error line stays alone."""
    src = tmp_path / "in"
    save_png(src / "a.png", "Ket qua tot")
    (src / "b.png").write_bytes(b"")
    out = tmp_path / "out"
    proc = run_cli("run", src, "-o", out, *FAST)
    assert proc.returncode == 2
    assert_one_line_each(proc.stderr)
    assert proc.stderr.splitlines()[-1] == (
        f"ocr-pipeline: 1 of 2 documents done, 1 failed; ocr-pipeline status {out}"
        " lists them and what to do"
    )
    alone = run_cli("run", src / "b.png", "-o", tmp_path / "one", *FAST)
    assert alone.returncode == 2 and alone.stderr.count("\n") == 1


@pytest.mark.needs_tesseract
def test_a_document_redone_with_other_output_types_leaves_no_stale_output(tmp_path):
    page = save_png(tmp_path / "in" / "a.png", "Bao cao tong ket cong tac nam")
    first = run_cli("run", page, "-o", tmp_path / "out", *FAST, "--output-type", "alto,hocr")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "out" / "a.alto.xml").is_file() and (tmp_path / "out" / "a.hocr").is_file()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")  # not an output
    again = run_cli("run", page, "-o", tmp_path / "out", *FAST, "--force")
    assert again.returncode == 0, again.stderr
    left = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert left == ["a.json", "a.txt", "a.words.tsv", "notes.txt"]


@pytest.mark.needs_tesseract
def test_force_keeps_a_copy_of_an_output_a_reviewer_changed(tmp_path):
    page = save_png(tmp_path / "in" / "a.png", "Bao cao tong ket cong tac nam")
    assert run_cli("run", page, "-o", tmp_path / "out", *FAST).returncode == 0
    text = tmp_path / "out" / "a.txt"
    text.write_text("corrected by a reviewer\n", encoding="utf-8")
    later = text.stat().st_mtime + 30  # written after the run (apply --in-place)
    os.utime(text, (later, later))
    again = run_cli("run", page, "-o", tmp_path / "out", *FAST, "--force")
    assert again.returncode == 0, again.stderr
    assert "a.txt was changed after its run" in again.stderr and "a.txt.edited" in again.stderr
    kept = tmp_path / "out" / "a.txt.edited"
    assert kept.read_text(encoding="utf-8") == "corrected by a reviewer\n"
    assert text.read_text(encoding="utf-8") != "corrected by a reviewer\n"  # done again


@pytest.mark.needs_tesseract
def test_force_in_a_folder_copied_with_cp_r_keeps_no_copies(tmp_path):
    """`cp -r out copy` gives every output a new time and the same content: a rerun there
    copies nothing aside (it had kept each output as NAME.edited) and warns of nothing."""
    import shutil

    page = save_png(tmp_path / "in" / "a.png", "Bao cao tong ket cong tac nam")
    assert run_cli("run", page, "-o", tmp_path / "out", *FAST).returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "out", copy, copy_function=shutil.copy)  # times not kept
    later = (copy / "a.txt").stat().st_mtime + 30
    for output in ("a.txt", "a.json", "a.words.tsv"):
        os.utime(copy / output, (later, later))
    again = run_cli("run", page, "-o", copy, *FAST, "--force")
    assert again.returncode == 0, again.stderr
    assert "changed after its run" not in again.stderr
    assert not list(copy.glob("*.edited*"))


def test_a_list_entry_naming_nothing_says_which_list(tmp_path):
    listed = tmp_path / "l"
    listed.mkdir()
    save_png(listed / "a.png", "Bao cao")
    (listed / "list.txt").write_text("a.png\nnope.png\n", encoding="utf-8")
    items = collect_inputs([], from_list=listed / "list.txt")
    missing = [i for i in items if i.error]
    assert [i.rel for i in items] == ["a", "nope"] and len(missing) == 1
    assert "(in " in missing[0].error and "list.txt" in missing[0].error
    assert missing[0].exit_code == 2  # a missing file, as one named on the command line


def test_a_run_whose_inputs_do_not_exist_leaves_no_output_folder(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("run", tmp_path / "nope.pdf", "-o", out)
    assert proc.returncode == 2
    assert_one_line_each(proc.stderr)
    assert "no such file" in proc.stderr
    assert not out.exists()  # a typo in the input's name leaves nothing to clean up
    out.mkdir()  # a folder that was there stays
    proc = run_cli("run", tmp_path / "nope.pdf", "-o", out)
    assert proc.returncode == 2 and out.is_dir()
