"""Tests for `ocr-pipeline diff`: inputs (text, words.tsv, restore JSON), outputs, errors,
directory mode, low-confidence marking and page-image crops."""

from __future__ import annotations

import argparse
import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_pipeline import cli
from ocr_pipeline.commands import diff as diff_command
from ocr_pipeline.diff import compare_sides, load_side
from ocr_pipeline.diff.html import render_html
from ocr_pipeline.diff.run import diff_files
from ocr_pipeline.errors import BadArgumentsError, InputFileError, OutputError
from ocr_pipeline.export.words import to_words_tsv
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word

FONT = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")


def run_diff(argv: list[str]) -> int:
    """Run the diff command through a parser built here (cli.py does not list it yet)."""
    parser = argparse.ArgumentParser(prog="ocr-pipeline")
    diff_command.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["diff", *argv])
    return args.func(args)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Báo cáo công tác\nDòng giống nhau\nKiểm tra lần cuối\n", encoding="utf-8")
    b.write_text("Bao cao cong tac\nDòng giống nhau\nKiem tra lan cuoi x\n", encoding="utf-8")
    return a, b


# ------------------------------------------------------------------------- single mode


def test_command_writes_reports_and_prints_summary(pair, tmp_path, capsys):
    a, b = pair
    out_json, out_html = tmp_path / "r" / "report.json", tmp_path / "r" / "report.html"
    assert run_diff([str(a), str(b), "--json", str(out_json), "--html", str(out_html)]) == 0
    line = capsys.readouterr().out.strip()
    assert "\n" not in line
    assert re.match(r"CER \d+\.\d\d% .*WER \d+\.\d\d% .*diacritic-only \d+", line)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    m = data["metrics"]
    assert m["ref_chars"] == len("Báo cáo công tácDòng giống nhauKiểm tra lần cuối")
    assert m["diacritic_only"] == 7 and m["letter"] == 2  # á á ô á ể ầ ố; " x" inserted
    assert m["lines_changed"] == 2
    page = out_html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'id="diff-1"' in page and 'id="diff-2"' in page and 'id="diff-3"' not in page
    assert "<i>á</i>" in page  # diacritic-only change highlighted on the A side
    assert "<s>\u2423</s><mark><s>x</s></mark>" in page  # inserted " x", visible space
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # self-contained


def test_dash_writes_the_report_to_stdout_and_the_summary_to_stderr(pair, tmp_path, capsys):
    """`--json -` / `--html -` mean stdout, as for restore and structure; stdout then
    carries only the report, so it parses (the summary line goes to stderr)."""
    a, b = pair
    assert run_diff([str(a), str(b), "--json", "-"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["metrics"]["lines_changed"] == 2
    assert err.startswith("CER ") and not (tmp_path / "-").exists()
    assert run_diff([str(a), str(b), "--html", "-"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("<!DOCTYPE html>") and err.startswith("CER ")
    with pytest.raises(BadArgumentsError, match="only one"):
        run_diff([str(a), str(b), "--json", "-", "--html", "-"])


def test_a_report_to_the_file_stdout_goes_to_keeps_stdout_parsable(pair, tmp_path):
    """`--json /dev/stdout` (or the file stdout is redirected to): the summary goes to
    stderr, not into the JSON."""
    a, b = pair
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "diff", str(a), str(b), "--json", "/dev/stdout"],
        stdout=out.open("w"),
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["schema"].startswith("ocr_pipeline/diff@")
    assert done.stderr.startswith("CER ")


def test_cli_main_reports_errors_in_one_line(pair, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("diff",))
    a, _ = pair
    code = cli.main(["diff", str(a), str(tmp_path / "missing.txt")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "missing.txt" in err
    assert cli.main(["diff", str(a), str(a), "--ignore-case", "--fold-tones"]) == 0
    assert capsys.readouterr().out.startswith("CER 0.00%")


def test_bad_inputs_and_outputs(pair, tmp_path):
    a, b = pair
    binary = tmp_path / "scan.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputFileError, match="PNG image; run ocr-pipeline run"):
        load_side(binary)
    other = tmp_path / "blob.bin"
    other.write_bytes(b"abc\x00\x01def")
    with pytest.raises(InputFileError, match="binary"):
        load_side(other)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("công".encode("utf-16-le"))
    with pytest.raises(InputFileError):
        load_side(latin)
    bad_json = tmp_path / "x.json"
    bad_json.write_text('{"schema": "something/else@1"}', encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown JSON"):
        load_side(bad_json)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        diff_files(a, b, html_path=blocker / "report.html")
    with pytest.raises(BadArgumentsError):
        run_diff([str(a), str(b), "--low-confidence", "5"])
    with pytest.raises(BadArgumentsError):
        run_diff([str(a), str(tmp_path)])  # a file and a folder


# ----------------------------------------------------------------------- directory mode


def test_directory_mode_pairs_by_name(tmp_path, capsys):
    da, db, out = tmp_path / "ocr", tmp_path / "restored", tmp_path / "reports"
    da.mkdir()
    db.mkdir()
    (da / "doc1.txt").write_text("cong tac\n", encoding="utf-8")
    (db / "doc1.restored.txt").write_text("công tác\n", encoding="utf-8")
    (da / "doc2.gt.txt").write_text("giống\n", encoding="utf-8")
    (db / "doc2.txt").write_text("giống\n", encoding="utf-8")
    (da / "lonely.txt").write_text("x\n", encoding="utf-8")
    (db / "extra.txt").write_text("y\n", encoding="utf-8")
    (da / "broken.txt").write_bytes(b"\x00\x01binary")
    (da / "doc2-p001.png").write_bytes(b"\x89PNG not a text")  # ignored: not .txt/.tsv/.json
    (db / "broken.txt").write_text("ok\n", encoding="utf-8")
    code = run_diff([str(da), str(db), "--html-dir", str(out)])
    assert code == 2  # one pair failed; the others are reported
    printed = capsys.readouterr().out
    assert "doc1: CER 25.00%" in printed and "broken: error:" in printed
    assert (out / "doc1.diff.html").exists() and (out / "doc2.diff.json").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<td><a href="doc\d\.diff\.html">', index)) == 2  # ranked rows
    assert "lonely" in index and "extra" in index and "looks binary" in index
    summary = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert summary["only_a"] == ["lonely"] and summary["only_b"] == ["extra"]
    doc1 = next(d for d in summary["documents"] if d["name"] == "doc1")
    assert doc1["metrics"]["diacritic_only"] == 2


def test_directory_mode_pairs_subfolders_by_relative_path(tmp_path, capsys):
    """`run` mirrors the input tree under OUTDIR: a document in a subfolder is compared
    with the same relative path on the other side, its report lands in the same
    subfolder, and --summary finds it there."""
    da, db, out = tmp_path / "gt", tmp_path / "ocr", tmp_path / "reports"
    (da / "sub").mkdir(parents=True)
    (db / "sub").mkdir(parents=True)
    (db / "other").mkdir()
    (db / ".hidden").mkdir()
    (da / "top.txt").write_text("giống\n", encoding="utf-8")
    (db / "top.txt").write_text("giống\n", encoding="utf-8")
    (da / "sub" / "d.txt").write_text("công tác\n", encoding="utf-8")
    (db / "sub" / "d.txt").write_text("cong tác\n", encoding="utf-8")
    (db / "other" / "d.txt").write_text("x\n", encoding="utf-8")  # same NAME, other folder
    (db / ".hidden" / "top.txt").write_text("y\n", encoding="utf-8")
    assert run_diff([str(da), str(db), "--html-dir", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "sub/d: CER 12.50%" in printed
    assert "2 pair(s), 0 failed, 0 only in A, 1 only in B" in printed
    assert (out / "sub" / "d.diff.html").exists() and (out / "sub" / "d.diff.json").exists()
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["only_b"] == ["other/d"]
    assert [d["report"] for d in index["documents"]] == ["sub/d.diff.html", "top.diff.html"]
    assert run_diff(["--summary", str(out), "--json", str(tmp_path / "s.json")]) == 0
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in summary["documents"]] == ["sub/d", "top"]


# ------------------------------------------------------------------ words.tsv + images


def _render_scan(tmp_path: Path, words: list[str], restored: list[str], conf: list[float]):
    """A page image with the words drawn at known boxes, and the words table of `run`."""
    font = ImageFont.truetype(str(FONT), 40) if FONT.exists() else ImageFont.load_default()
    image = Image.new("L", (1200, 300), 255)
    draw = ImageDraw.Draw(image)
    x, y = 40, 80
    ocr_words = []
    for text, new, c in zip(words, restored, conf, strict=True):
        left, top, right, bottom = draw.textbbox((x, y), text, font=font)
        draw.text((x, y), text, font=font, fill=0)
        w = Word(new, BBox(left, top, right, bottom), 90.0, ocr_text=text, restore_confidence=c)
        ocr_words.append(w)
        x = right + 25
    line = Line(ocr_words, ocr_words[0].bbox.union(ocr_words[-1].bbox), 1, 1, 1)
    doc = Document(
        SourceInfo("scan.png", "0" * 64, 1, "image/png"), [Page(1, 1200, 300, 150, [line])]
    )
    images = tmp_path / "pages"
    images.mkdir()
    image.save(images / "scan-p001.png")
    tsv = tmp_path / "scan.words.tsv"
    tsv.write_text(to_words_tsv(doc), encoding="utf-8")
    return tsv, images


def test_words_tsv_side_with_low_confidence_and_crops(tmp_path):
    tsv, images = _render_scan(
        tmp_path,
        ["cong", "tac", "thi", "dua"],
        ["công", "tác", "thi", "đua"],
        [0.95, 0.55, 1.0, 0.62],
    )
    side = load_side(tsv)
    assert side.kind == "words-tsv" and side.has_boxes and len(side.lines) == 1
    tok = side.lines[0].tokens[1]
    assert (tok.text, tok.original, tok.confidence, tok.page) == ("tác", "tac", 0.55, 1)
    reference = tmp_path / "truth.txt"
    reference.write_text("công tác thi đua\n", encoding="utf-8")
    out = tmp_path / "r.html"
    report = diff_files(reference, tsv, html_path=out, images=images, low_confidence=0.8)
    assert report.metrics.char_distance == 0 and report.metrics.low_confidence_b == 2
    page = out.read_text(encoding="utf-8")
    assert page.count('<span class="lc" title=') == 2  # the legend has one more
    assert 'title="confidence 0.55; OCR conf 90; OCR: tac; page 1"' in page
    assert 'data-k="0"' in page and 'data-k="1"' in page and 'data-k="2"' not in page
    crops = json.loads(
        re.search(r'<script type="application/json" id="crops">(.*?)</script>', page, re.S).group(1)
    )
    assert len(crops) == 2 and crops[0].startswith("data:image/png;base64,")
    crop = Image.open(io.BytesIO(base64.b64decode(crops[0].split(",", 1)[1])))
    assert crop.getextrema()[0] < 100  # ink of the drawn word is in the crop
    # against the OCR text, the same table shows the restorations as differences
    ocr = tmp_path / "ocr.txt"
    ocr.write_text("cong tac thi dua\n", encoding="utf-8")
    m = compare_sides(load_side(ocr), side).metrics
    assert (m.diacritic_only, m.letter) == (3, 0)


def test_run_metadata_json_reads_words_table_beside_it(tmp_path):
    tsv, _ = _render_scan(tmp_path, ["mot"], ["một"], [0.9])
    (tmp_path / "scan.json").write_text(
        json.dumps(
            {"schema": "ocr_pipeline/run@1", "pages": [{"number": 1, "width": 600, "height": 150}]}
        ),
        encoding="utf-8",
    )
    side = load_side(tmp_path / "scan.json")
    assert side.kind == "words-tsv" and side.lines[0].text == "một"
    assert load_side(tsv).page_sizes == {1: (600, 150)}


def test_missing_page_image_still_writes_report(tmp_path, caplog):
    tsv, _ = _render_scan(tmp_path, ["mot"], ["một"], [0.5])
    empty = tmp_path / "none"
    empty.mkdir()
    out = tmp_path / "r.html"
    diff_files(tsv, tsv, html_path=out, images=empty)
    assert "no image for page 1" in caplog.text
    assert 'class="lc"' in out.read_text(encoding="utf-8")


# -------------------------------------------------------------------------- restore JSON


def _restore_json(tmp_path: Path) -> Path:
    restore = pytest.importorskip("ocr_pipeline.restore")
    T = restore.RestoredToken
    tokens = [
        T("cong", "công", "word", 0, 0.97, [("công", 0.97), ("cong", 0.02)]),
        T(" ", " ", "space", 4),
        T("tac", "tác", "word", 5, 0.41, [("tác", 0.41), ("tắc", 0.39)]),
        T(",", ",", "punct", 8),
        T("\n", "\n", "space", 9),
        T("thi", "thi", "word", 10, 0.99),
        T(" ", " ", "space", 13),
        T("dua", "đua", "word", 14, 0.9),
    ]
    data = restore.Restoration(tokens, "eng").to_dict()
    path = tmp_path / "doc.restored.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_restore_json_side(tmp_path):
    side = load_side(_restore_json(tmp_path))
    assert side.kind == "restore-json" and side.name == "doc"
    assert [ln.text for ln in side.lines] == ["công tác,", "thi đua"]
    assert [ln.number for ln in side.lines] == [1, 2]
    comma = side.lines[0].tokens[2]
    assert comma.glue and comma.text == ","
    assert side.lines[0].tokens[1].alternatives == ("tác 0.41", "tắc 0.39")


def test_restore_json_low_confidence_marked_in_html(tmp_path):
    ocr = tmp_path / "doc.txt"
    ocr.write_text("cong tac,\nthi dua\n", encoding="utf-8")
    report = compare_sides(load_side(ocr), load_side(_restore_json(tmp_path)))
    assert report.metrics.diacritic_only == 3 and report.metrics.letter == 0
    assert report.metrics.low_confidence_b == 1
    page = render_html(report)
    marked = re.findall(r'<span class="lc" title="([^"]*)">', page)
    assert marked == ["confidence 0.41; OCR: tac; alternatives: tác 0.41, tắc 0.39; page 1"]
    assert 'class="r c lcr" id="diff-1"' in page
    entry = json.loads(report.to_json())["lines"][0]
    assert entry["low_confidence"] == [
        {
            "side": "b",
            "text": "tác",
            "confidence": 0.41,
            "original": "tac",
            "alternatives": ["tác 0.41", "tắc 0.39"],
        }
    ]


def test_crop_follows_deskew_of_the_run(tmp_path):
    """Boxes are in the deskewed page; the crop from the original scan must match them."""
    preprocess = pytest.importorskip("ocr_pipeline.preprocess")
    np = pytest.importorskip("numpy")
    from ocr_pipeline.diff.crops import PageImages

    original = np.full((1200, 900), 255, dtype=np.uint8)
    original[1080:1110, 760:800] = 0  # a small "word" far from the centre of a skewed scan
    angle = 3.0
    deskewed = preprocess.deskew(original, angle)
    ys, xs = np.nonzero(deskewed < 128)
    box = BBox(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    Image.fromarray(original).save(tmp_path / "scan-p001.png")
    pages = PageImages(tmp_path, "scan", {1: (deskewed.shape[1], deskewed.shape[0])}, {1: angle})
    uri = pages.crop_uri(1, box)
    crop = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("L")
    w, h = crop.size
    centre = crop.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4))
    assert centre.getextrema()[1] < 128  # the middle of the crop is all ink
    assert crop.getextrema()[1] > 200  # with paper in the margin


def _crops(page_html: str) -> list[str]:
    found = re.search(r'<script type="application/json" id="crops">(.*?)</script>', page_html, re.S)
    return json.loads(found.group(1)) if found else []


def _page_meta(tmp_path: Path, width: int, height: int) -> None:
    """The run metadata beside the words table: the page size OCR read."""
    pages = [{"number": 1, "width": width, "height": height, "skew_angle": 0.0}]
    meta = {"schema": "ocr_pipeline/run@1", "pages": pages}
    (tmp_path / "scan.json").write_text(json.dumps(meta), encoding="utf-8")


def test_page_images_at_another_scale_are_checked(tmp_path, caplog):
    """A 150-dpi image for words read at 300 dpi: scaled and said when the page size is
    known; without it (no NAME.json) the boxes reach past the image: no crops, said."""
    words = ["cong", "tac", "thi", "dua", "nam", "nay", "tot", "hon"]  # across the page
    restored = ["công", "tác", "thi", "đua", "năm", "nay", "tốt", "hơn"]
    tsv, images = _render_scan(tmp_path, words, restored, [0.5] * len(words))
    full = Image.open(images / "scan-p001.png")
    full.resize((full.width // 2, full.height // 2)).save(images / "scan-p001.png")
    truth = tmp_path / "truth.txt"
    truth.write_text(" ".join(restored) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    diff_files(truth, tsv, html_path=out, images=images)
    assert _crops(out.read_text(encoding="utf-8")) == []
    assert "smaller than the page OCR read" in caplog.text
    caplog.clear()
    _page_meta(tmp_path, full.width, full.height)
    diff_files(truth, tsv, html_path=out, images=images)
    crops = _crops(out.read_text(encoding="utf-8"))
    assert len(crops) == len(words) and "crops scaled by 0.50" in caplog.text
    crop = Image.open(io.BytesIO(base64.b64decode(crops[0].split(",", 1)[1])))
    assert crop.getextrema()[0] < 100  # the word's ink, found at half the scale
    caplog.clear()
    _page_meta(tmp_path, full.width, full.height * 2)  # an image of another shape
    diff_files(truth, tsv, html_path=out, images=images)
    assert _crops(out.read_text(encoding="utf-8")) == [] and "not the shape" in caplog.text


def test_page_images_named_as_pdftoppm_names_them(tmp_path):
    """`pdftoppm -png -r 300 NAME.pdf DIR/NAME` writes NAME-1.png, or NAME-01.png from
    ten pages on: both are found, as NAME-p001.png is."""
    from ocr_pipeline.diff.crops import PageImages

    for name in ("scan-01.png", "scan-2.png", "scan-p003.jpg", "scan-10.png", "other-4.png"):
        (tmp_path / name).write_bytes(b"")
    pages = PageImages(tmp_path, "scan")
    found = [pages.path_for(n) for n in (1, 2, 3, 4, 10)]
    assert [p.name if p else None for p in found] == [
        "scan-01.png", "scan-2.png", "scan-p003.jpg", None, "scan-10.png"
    ]  # fmt: skip


def test_a_one_page_documents_image_may_be_named_as_the_input(tmp_path, caplog):
    """An image input as it is, scan.png, was not found ("expected scan-p001.png")."""
    tsv, images = _render_scan(tmp_path, ["cong", "tac"], ["công", "tác"], [0.5, 0.5])
    (images / "scan-p001.png").rename(images / "scan.png")
    reference = tmp_path / "truth.txt"
    reference.write_text("công tác\n", encoding="utf-8")
    out = tmp_path / "r.html"
    diff_files(reference, tsv, html_path=out, images=images)
    assert "no image" not in caplog.text
    assert '"data:image/png;base64,' in out.read_text(encoding="utf-8")
    from ocr_pipeline.diff.crops import PageImages

    assert PageImages(images, "scan").path_for(1) is None  # pages unknown: numbered only


def test_images_without_boxes_say_which_input_carries_them(tmp_path, caplog):
    data = Path(__file__).parent / "data" / "diff"
    diff_files(data / "expected.txt", data / "kraken.alto3.xml", html_path=tmp_path / "r.html",
               images=tmp_path)  # fmt: skip
    assert "(alto and text here)" in caplog.text and "NAME.words.tsv carries" in caplog.text


def test_a_multi_page_tiff_input_gives_each_page_its_frame(tmp_path, caplog):
    """`run scan.tif` of a three-page TIFF: --images holding scan.tif itself finds page 2 in
    its second frame (the new user's report: "no image for page 2 ... expected
    scan-p002.png")."""
    from PIL import Image

    from ocr_pipeline.diff.crops import PageImages

    frames = [Image.new("L", (40, 30), shade) for shade in (10, 120, 240)]
    frames[0].save(tmp_path / "scan.tif", save_all=True, append_images=frames[1:])
    pages = PageImages(tmp_path, "scan")
    assert [pages._image(n).getpixel((5, 5)) for n in (1, 2, 3)] == [10, 120, 240]
    assert pages._image(4) is None and "or a multi-page scan.tif" in caplog.text
