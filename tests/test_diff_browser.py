"""The diff report in a real browser: headless Debian chromium loads a generated report.

Checks, without extra Python packages: the highlighted differences and low-confidence
marks are in the DOM after the page's script ran (``--dump-dom``); keyboard navigation
works (the page replays ``?keys=...`` and writes the focused row id into
``<output id="selftest">``); ``#diff-N`` focuses a difference on load; a screenshot is
saved as a test artifact under test-artifacts/ (gitignored) and is not blank. The review
round trip is driven through the DevTools protocol (`tests/cdp.py`, over a pipe): real
key events, the exported file taken from the browser's download folder, applied and
learned from.

Skips with a reason when chromium is not installed (scripts/install_system_deps.sh
installs it; CI has it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_pipeline.diff.run import diff_files
from ocr_pipeline.export.words import to_words_tsv
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FONT = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
TIMEOUT = 120


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "chromium is not installed: run scripts/install_system_deps.sh "
        "(apt-get install chromium) to run the browser test"
    )


def _chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--mute-audio",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "LANG": "C.UTF-8"}
    try:
        return subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium did not finish within {TIMEOUT} s: {' '.join(cmd)}")


def _dump_dom(browser: str, profile: Path, url: str) -> str:
    proc = _chromium(browser, profile, "--dump-dom", url)
    dom = proc.stdout.decode("utf-8", "replace")
    assert "</html>" in dom, proc.stderr.decode("utf-8", "replace")[-2000:]
    return dom


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A report: OCR text vs the restored words table of a scan (crops, confidences)."""
    tmp = tmp_path_factory.mktemp("browser")
    font = ImageFont.truetype(str(FONT), 36) if FONT.exists() else ImageFont.load_default()
    lines_ocr = [["Bao", "cao", "cong", "tac"], ["Dong", "giong", "nhau"], ["Kiem", "tra", "x1"]]
    lines_new = [["Báo", "cáo", "công", "tác"], ["Dòng", "giống", "nhau"], ["Kiểm", "tra", "xã"]]
    confs = [[0.99, 0.97, 0.5, 0.95], [1.0, 1.0, 1.0], [0.9, 1.0, 0.3]]
    image = Image.new("L", (1000, 400), 255)
    draw = ImageDraw.Draw(image)
    lines = []
    for n, (old, new, conf) in enumerate(zip(lines_ocr, lines_new, confs, strict=True)):
        x, y, words = 40, 60 + n * 100, []
        for o, t, c in zip(old, new, conf, strict=True):
            box = draw.textbbox((x, y), o, font=font)
            draw.text((x, y), o, font=font, fill=0)
            words.append(Word(t, BBox(*box), 88.0, ocr_text=o, restore_confidence=c))
            x = box[2] + 24
        lines.append(Line(words, words[0].bbox.union(words[-1].bbox), 1, 1, n + 1))
    doc = Document(
        SourceInfo("scan.png", "0" * 64, 1, "image/png"), [Page(1, 1000, 400, 150, lines)]
    )
    (tmp / "pages").mkdir()
    image.save(tmp / "pages" / "scan-p001.png")
    tsv = tmp / "scan.words.tsv"
    tsv.write_text(to_words_tsv(doc), encoding="utf-8")
    ocr = tmp / "ocr.txt"  # A: the OCR text as it was; B: the restored words of the scan
    ocr.write_text("\n".join(" ".join(words) for words in lines_ocr) + "\n", encoding="utf-8")
    out = tmp / "report.html"
    diff_files(ocr, tsv, html_path=out, images=tmp / "pages")
    return out


def test_highlights_and_keyboard_navigation_in_dom(report, tmp_path):
    browser = _browser()
    url = report.as_uri() + "?keys=jjkj"
    dom = _dump_dom(browser, tmp_path / "profile", url)
    # after the script: j, j, k, j -> second difference is focused
    selftest = re.search(r'<output id="selftest"([^>]*)>([^<]*)</output>', dom)
    assert selftest, "the page's script did not run"
    assert selftest.group(2) == "diff-2"
    assert int(re.search(r'data-imgs="(\d+)"', selftest.group(1)).group(1)) >= 1
    # the inspector shows the page-image crop of the focused row's words
    assert re.search(r'<div id="inspimgs"><figure[^>]*><img src="data:image/png;base64,', dom)
    # differences are highlighted: rows 1-2 have diacritic-only changes (amber <i>),
    # row 3 a letter change too (x1 -> xã: "1" -> "ã" is a letter substitution, <b>)
    assert re.search(r'class="r c lcr" id="diff-1"', dom)
    assert re.search(r'class="r c" id="diff-2"', dom)
    assert "<mark>x<b>1</b></mark>" in dom  # A side
    assert re.search(r'<mark class="lc"[^>]*>x<b>ã</b></mark>', dom)  # B side, confidence 0.3
    assert dom.count("<i>") == 2 * 7  # á á ô á ò ố ể: highlighted on both sides
    assert dom.count('class="lc" title=') == 2  # công 0.5, xã 0.3 (legend not counted)
    assert 'id="pos">2<' in dom  # the counter follows the navigation


def test_hash_focuses_difference_on_load(report, tmp_path):
    dom = _dump_dom(_browser(), tmp_path / "profile", report.as_uri() + "?keys=#diff-2")
    assert re.search(r'<output id="selftest"[^>]*>diff-2</output>', dom)


def test_screenshot_artifact(report, tmp_path):
    browser = _browser()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "diff_report.png"
    shot.unlink(missing_ok=True)
    # ?keys=j focuses the first difference (near the top: headless screenshots of a
    # scrolled page come out blank) so the crop inspector shows too
    proc = _chromium(
        browser,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,900",
        report.as_uri() + "?keys=j",
    )
    assert shot.exists(), proc.stderr.decode("utf-8", "replace")[-2000:]
    with Image.open(shot) as im:
        assert im.size == (1280, 900)
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
    # the amber of diacritic-only highlights is drawn (not a blank or unstyled page)
    amber = sum(n for n, (r, g, b) in colours if r > 240 and 190 < g < 225 and 80 < b < 125)
    assert amber > 200


def _applied(tmp_path: Path, corrections: dict) -> str:
    """B as `ocr-pipeline apply` writes it with the corrections the page exported."""
    import json
    import sys

    path = tmp_path / "ocr.corrections.json"
    path.write_text(json.dumps(corrections, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "fixed.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "apply", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    return out.read_text(encoding="utf-8")


def test_review_round_trip_by_keyboard(tmp_path):
    """Keep one change, restore A for another, type a correction for a third, by keys;
    the corrections the page would download, applied by `ocr-pipeline apply`, give the
    text the reviewer chose."""
    import html as html_lib
    import json
    from urllib.parse import quote

    browser = _browser()
    gt = tmp_path / "gt.txt"
    ocr = tmp_path / "ocr.txt"
    gt.write_text(
        "Báo cáo tổng kết\nIII. Kết luận chung\nDòng giống nhau\nỦy ban xã Bến Mây\n",
        encoding="utf-8",
    )
    ocr.write_text(
        "Bao cao tong ket\nIH. Kết luận chung\nDòng giống nhau\nUy ban xa Ben May\n",
        encoding="utf-8",
    )
    page = tmp_path / "review.html"
    diff_files(gt, ocr, html_path=page)
    # j y: keep B; j r: restore A; j e, clear (\b), type, Enter: a typed correction
    keys = "jyjrje\b" + "Ủy ban xã Bến Mây mới" + "\n"
    dom = _dump_dom(browser, tmp_path / "profile", page.as_uri() + "?keys=" + quote(keys))
    found = re.search(r'<output id="selftest"[^>]*data-corrections="([^"]*)"[^>]*>([^<]*)<', dom)
    assert found, "the page's script did not run"
    assert found.group(2) == "diff-3"  # focus back on the row after Enter
    assert 'class="r c edt" id="diff-3"' in dom and 'class="r c rev" id="diff-2"' in dom
    assert re.search(r'id="ndec">3<', dom)
    corrections = json.loads(html_lib.unescape(found.group(1)))
    assert [d["decision"] for d in corrections["decisions"]] == ["accept", "revert", "edit"]
    assert _applied(tmp_path, corrections) == (
        "Bao cao tong ket\nIII. Kết luận chung\nDòng giống nhau\nỦy ban xã Bến Mây mới\n"
    )


def test_a_line_restoration_left_unchanged_is_corrected_by_keyboard(tmp_path):
    """The line cursor (arrows) reaches a line with no change; e types it right; apply
    writes it (a new user could not correct "1. Mucdich", which restoration left as it
    was, so no change row held it)."""
    import html as html_lib
    import json
    from urllib.parse import quote

    browser = _browser()
    a = tmp_path / "ocr.txt"
    b = tmp_path / "ocr.restored.txt"
    a.write_text("Bao cao tong ket\n1. Mucdich\nDong cuoi\n", encoding="utf-8")
    b.write_text("Báo cáo tổng kết\n1. Mucdich\nDòng cuối\n", encoding="utf-8")
    page = tmp_path / "review.html"
    diff_files(a, b, html_path=page)
    keys = "\u2193\u2193e\b1. Mục đích\n"  # down twice: the second row, unchanged
    dom = _dump_dom(browser, tmp_path / "profile", page.as_uri() + "?keys=" + quote(keys))
    found = re.search(r'<output id="selftest"[^>]*data-corrections="([^"]*)"', dom)
    assert found, "the page's script did not run"
    corrections = json.loads(html_lib.unescape(found.group(1)))
    [decision] = corrections["decisions"]
    assert (decision["diff"], decision["b_lines"], decision["b"]) == (0, [2], "1. Mucdich")
    assert _applied(tmp_path, corrections) == "Báo cáo tổng kết\n1. Mục đích\nDòng cuối\n"


def test_downloaded_corrections_apply_and_teach_the_next_restore(tmp_path):
    """Real key events (the browser's input pipeline, not the page's replay) decide two
    changes, s downloads the corrections file through the browser's download manager,
    and that very file is applied and learned from: the name the reviewer typed is kept
    by the next restoration of another text that holds it."""
    import json
    import sys

    from cdp import Browser

    from ocr_pipeline.restore import restore_text

    browser = _browser()
    ocr = tmp_path / "ocr.txt"  # A: the legacy OCR; B: our restoration of it
    ocr.write_text("ho dan thon Lung Tre da hop\nKet qua kiem tra tot\n", encoding="utf-8")
    restored = tmp_path / "ocr.restored.txt"
    restored.write_text(restore_text(ocr.read_text(encoding="utf-8")), encoding="utf-8")
    b_lines = restored.read_text(encoding="utf-8").splitlines()
    typed = "hộ dân thôn Lựng Tre đã họp"
    assert b_lines[0] != typed and b_lines[1] != "Ket qua kiem tra tot"
    page = tmp_path / "review.html"
    diff_files(ocr, restored, html_path=page)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with Browser(browser, tmp_path / "profile") as chrome:
        chrome.send("Browser.setDownloadBehavior", behavior="allowAndName",
                    downloadPath=str(downloads), eventsEnabled=True)  # fmt: skip
        tab = chrome.open(page.as_uri())
        chrome.key(tab, "j")  # first change
        chrome.key(tab, "e")  # edit: the field opens with B's line, selected by ctrl+a
        assert chrome.evaluate(tab, "document.activeElement.className") == "ed"
        chrome.key(tab, "a", modifiers=2, commands=["selectAll"])
        chrome.send("Input.insertText", tab, text=typed)
        chrome.key(tab, "Enter")
        chrome.key(tab, "j")
        chrome.key(tab, "y")  # keep B's second line
        assert chrome.evaluate(tab, "document.getElementById('ndec').textContent") == "2"
        chrome.key(tab, "s")  # export: a download, no server
        begun = chrome.wait_event("Browser.downloadWillBegin")
        done = chrome.wait_event(
            "Browser.downloadProgress",
            lambda p: p.get("guid") == begun["guid"] and p.get("state") != "inProgress",
        )
    assert done["state"] == "completed"
    assert begun["suggestedFilename"] == "ocr.corrections.json"
    exported = downloads / begun["guid"]
    corrections = json.loads(exported.read_text(encoding="utf-8"))
    assert corrections["schema"] == "ocr_pipeline/corrections@1"
    assert [(d["decision"], d["text"]) for d in corrections["decisions"]] == [
        ("edit", typed),
        ("accept", b_lines[1]),
    ]

    def cli(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "ocr_pipeline", *args],
                              capture_output=True, text=True, timeout=TIMEOUT)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return proc

    fixed = tmp_path / "fixed.txt"
    cli("apply", str(exported), "-o", str(fixed))
    assert fixed.read_text(encoding="utf-8") == f"{typed}\n{b_lines[1]}\n"
    profile = tmp_path / "archive.json"
    cli("learn", str(exported), "-o", str(profile))
    other = tmp_path / "other.txt"
    other.write_text("khu Lung Tre cua xa\n", encoding="utf-8")
    assert "Lựng" not in cli("restore", str(other), "-o", "-").stdout
    assert "Lựng Tre" in cli("restore", str(other), "--profile", str(profile), "-o", "-").stdout
