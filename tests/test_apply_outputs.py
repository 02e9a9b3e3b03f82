"""`ocr-pipeline apply --output-dir/--in-place`: the decisions applied to every run output.

A document of invented words is written as `run` writes it (NAME.txt, words table, ALTO,
hOCR, NAME.json with its tree); a reviewer reverts a restored word, types a line with a
word more, removes a line B has and A lacks, and brings back a line B lost. Every output
must then hold the same corrected lines, the changed words with confidence 1 beside what
Tesseract read, the untouched lines as they were, and the originals must be unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_pipeline.diff import compare_sides, load_side
from ocr_pipeline.diff.apply_outputs import outputs_of
from ocr_pipeline.diff.html import _review_data
from ocr_pipeline.diff.word_edits import Group, plan_words, split_box
from ocr_pipeline.errors import BadArgumentsError
from ocr_pipeline.export import write_run_outputs
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word
from ocr_pipeline.structure import structure_pages

ALTO_XSD = Path(__file__).parent / "data" / "alto" / "alto-4-3.xsd"

# (restored word, what Tesseract read, restore confidence) per line, per page
PAGES = [
    [
        [("Báo", "Bao", 0.99), ("cáo", "cao", 0.98), ("tổng", "tong", 0.97), ("kết", "ket", 0.9)],
        [("Kết", "Ket", 0.95), ("quả", "qua", 0.9), ("kiêm", "kiem", 0.41), ("tra", "tra", 0.99)],
        [("Ủy", "Uy", 0.9), ("ban", "ban", 0.99), ("xa", "xa", 0.52), ("Bến", "Ben", 0.8)],
        [("dòng", "dong", 0.7), ("thừa", "thua", 0.6)],
    ],
    [[("Cuối", "Cuoi", 0.93), ("trang", "trang", 0.99), ("hai", "hai", 0.98)]],
]
A_TEXT = "Báo cáo tổng kết\nKết quả kiểm tra\nỦy ban xã Bến Mây\n\fCuối trang hai\nNơi nhận lưu\n"
EXPECTED = [
    "Báo cáo tổng kết",
    "Kết quả kiểm tra",  # reverted to A: same word count
    "Ủy ban xã Bến Mây Tây",  # typed: one word more
    # "dòng thừa" removed (B only); "Nơi nhận lưu" brought back from A
    "Cuối trang hai",
    "Nơi nhận lưu",
]


def _document() -> Document:
    pages = []
    for number, lines in enumerate(PAGES, start=1):
        page_lines = []
        for n, words in enumerate(lines):
            x, y, row = 100, 100 + 60 * n, []
            for text, ocr, conf in words:
                width = 30 * len(ocr)
                row.append(Word(text, BBox(x, y, x + width, y + 40), 88.0, ocr, conf))
                x += width + 20
            page_lines.append(Line(row, row[0].bbox.union(row[-1].bbox), 1, 1, n + 1))
        pages.append(Page(number, 1200, 1600, 150, page_lines))
    return Document(SourceInfo("khu.png", "0" * 64, 2, "image/png"), pages)


@pytest.fixture
def run_dir(tmp_path) -> Path:
    doc = _document()
    out = tmp_path / "out"
    out.mkdir()
    write_run_outputs(doc, out, "khu", structure=structure_pages(doc.pages, {"file": "khu.png"}),
                      output_types=("hocr", "alto"))  # fmt: skip
    return out


def _corrections(run_dir: Path, b_name: str = "khu.words.tsv") -> Path:
    a = run_dir.parent / "khu.gt.txt"
    a.write_text(A_TEXT, encoding="utf-8")
    review = _review_data(compare_sides(load_side(a), load_side(run_dir / b_name)))
    decisions = []
    for c in review["changes"]:
        text = "Ủy ban xã Bến Mây Tây" if c["b"].startswith("Ủy ban") else c["a"]
        decisions.append({**c, "decision": "edit" if c["b"].startswith("Ủy") else "revert",
                          "text": text})  # fmt: skip
    path = run_dir.parent / "khu.corrections.json"
    data = {"schema": "ocr_pipeline/corrections@1", "a": review["a"], "b": review["b"],
            "decisions": decisions}  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _apply(*argv: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "apply", *map(str, argv)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _words(side) -> list[tuple[str, float | None, str | None]]:
    return [(t.text, t.confidence, t.original) for ln in side.lines for t in ln.tokens or ()]


def test_plan_words_groups_only_what_changes():
    assert plan_words(["a", "b", "c"], "a x c") == [Group(1, 2, ("x",))]
    assert plan_words(["a", "b", "c"], "a c") == [Group(1, 2, ())]
    assert plan_words(["a", "b", "c"], "a bb b2 c") == [Group(1, 2, ("bb", "b2"))]
    assert plan_words(["a", "b"], "z a b") == [Group(0, 1, ("z", "a"))]  # joins a neighbour
    assert plan_words(["a", "b"], "a b z") == [Group(1, 2, ("b", "z"))]
    assert plan_words(["a", "b"], "a b") == []
    assert plan_words(["a", "b"], "  ") == [Group(0, 2, ())]
    boxes = split_box(BBox(0, 10, 100, 30), ["ab", "c", "dddd"])
    assert [(b.left, b.right) for b in boxes] == [(0, 22), (33, 44), (56, 100)]
    assert all((b.top, b.bottom) == (10, 30) for b in boxes)


def test_output_dir_corrects_every_output_alike(run_dir, tmp_path):
    from lxml import etree

    before = _digests(run_dir)
    old_rows = (run_dir / "khu.words.tsv").read_text("utf-8").splitlines()
    fixed = tmp_path / "fixed"
    proc = _apply(_corrections(run_dir), "--output-dir", fixed)
    assert proc.returncode == 0, proc.stderr
    assert _digests(run_dir) == before  # the originals are inputs: untouched
    assert sorted(p.name for p in fixed.iterdir()) == sorted(before)
    assert (fixed / "khu.txt").read_text("utf-8") == (
        "\n".join(EXPECTED[:3]) + "\f" + "\n".join(EXPECTED[3:]) + "\n"
    )
    words = {}
    for name in ("khu.words.tsv", "khu.alto.xml", "khu.hocr", "khu.json"):
        side = load_side(fixed / name)
        assert [ln.text for ln in side.lines] == EXPECTED, name
        words[name] = _words(side)
    # one confidence per word in every output (what Tesseract read: ALTO and hOCR keep it
    # only where it differs from the word, the table always)
    scored = {name: [w[:2] for w in ws] for name, ws in words.items()}
    assert scored["khu.alto.xml"] == scored["khu.words.tsv"] == scored["khu.hocr"]
    for name in ("khu.alto.xml", "khu.hocr", "khu.words.tsv"):
        tokens = {w[0]: w for w in words[name]}
        assert tokens["kiểm"] == ("kiểm", 1.0, "kiem"), name  # reverted; the OCR kept
        assert tokens["xã"] == ("xã", 1.0, "xa"), name
        assert tokens["Tây"][1] == 1.0 and tokens["Nơi"][1] == 1.0
        assert tokens["tổng"] == ("tổng", 0.97, "tong"), name  # untouched word
    rows = (fixed / "khu.words.tsv").read_text("utf-8").splitlines()
    assert rows[:5] == old_rows[:5]  # header and the first line byte for byte
    header = rows[0].split("\t")
    cells = [dict(zip(header, r.split("\t"), strict=True)) for r in rows[1:]]
    line3 = [c for c in cells if c["page"] == "1" and c["line"] == "3"]
    assert [c["word"] for c in line3] == ["1", "2", "3", "4", "5", "6"]
    # "Bến" gave its box to "Bến Mây Tây": split left to right inside it
    new = [c for c in line3 if c["text"] in ("Bến", "Mây", "Tây")]
    lefts = [int(c["left"]) for c in new]
    assert lefts == sorted(lefts) and len(set(lefts)) == 3
    added = next(c for c in cells if c["text"] == "Nơi")
    assert added["page"] == "2" and added["line"] == "2" and added["conf"] == "-1"
    alto = etree.parse(str(fixed / "khu.alto.xml"))
    etree.XMLSchema(etree.parse(str(ALTO_XSD))).assertValid(alto)
    meta = json.loads((fixed / "khu.json").read_text("utf-8"))
    assert [p["words"] for p in meta["pages"]] == [14, 6]
    assert "Bến Mây Tây" in json.dumps(meta["structure"], ensure_ascii=False)
    assert "thừa" not in json.dumps(meta["structure"], ensure_ascii=False)


def test_any_output_can_be_the_b_reviewed(run_dir, tmp_path):
    """Reviewing the ALTO or the text gives the same corrected outputs as the table."""
    results = []
    for b in ("khu.words.tsv", "khu.alto.xml", "khu.txt"):
        out = tmp_path / b
        proc = _apply(_corrections(run_dir, b), "--output-dir", out)
        assert proc.returncode == 0, proc.stderr
        results.append(_digests(out))
    assert results[0] == results[1] == results[2]


def test_in_place_replaces_the_outputs_and_refusals(run_dir, tmp_path):
    corrections = _corrections(run_dir)
    before = _digests(run_dir)
    proc = _apply(corrections, "--output-dir", run_dir)  # would replace the originals
    assert proc.returncode == 1 and "--in-place" in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    proc = _apply(corrections, "-o", run_dir / "khu.words.tsv")  # B itself: an input
    assert proc.returncode == 5 and _digests(run_dir) == before
    # outputs that disagree are refused as a whole: nothing is written
    alto = run_dir / "khu.alto.xml"
    alto.write_text(alto.read_text("utf-8").replace('CONTENT="hai"', 'CONTENT="ba"'), "utf-8")
    changed = _digests(run_dir)
    proc = _apply(corrections, "--in-place")
    assert proc.returncode == 2 and "khu.alto.xml does not hold the same lines" in proc.stderr
    assert _digests(run_dir) == changed
    alto.write_text(alto.read_text("utf-8").replace('CONTENT="ba"', 'CONTENT="hai"'), "utf-8")
    proc = _apply(corrections, "--in-place")
    assert proc.returncode == 0, proc.stderr
    assert [ln.text for ln in load_side(run_dir / "khu.hocr").lines] == EXPECTED
    assert not list(run_dir.glob(".*tmp"))  # no temporary file left behind
    applied = _digests(run_dir)
    proc = _apply(corrections, "--in-place")  # again: B already holds the corrections
    assert proc.returncode == 0 and "already holds these" in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1 and _digests(run_dir) == applied
    proc = _apply(corrections, "-o", "-")  # the corrected text is B's as it is
    assert proc.returncode == 0 and [ln for ln in proc.stdout.splitlines() if ln] == EXPECTED
    table = run_dir / "khu.words.tsv"
    table.write_text(table.read_text("utf-8").replace("Tây", "Tay"), "utf-8")
    proc = _apply(corrections, "--in-place")  # B changed since the review: refused
    assert proc.returncode == 2 and "changed since the review" in proc.stderr


def test_a_b_not_named_like_a_run_output_is_corrected_alone(run_dir, tmp_path):
    """B copied as khu.restored.txt: its siblings are not taken for its outputs (the stem
    is "khu"), and khu.txt is not written in its place."""
    copy = run_dir / "khu.restored.txt"
    copy.write_bytes((run_dir / "khu.txt").read_bytes())
    out = tmp_path / "alone"
    proc = _apply(_corrections(run_dir, copy.name), "--output-dir", out)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in out.iterdir()] == ["khu.restored.txt"]
    assert [ln.text for ln in load_side(out / "khu.restored.txt").lines] == EXPECTED
    page = run_dir / "khu.page.xml"
    page.write_text(
        '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">'
        "<Page/></PcGts>",
        encoding="utf-8",
    )
    with pytest.raises(BadArgumentsError, match="give -o FILE"):  # no rewriter for PAGE
        outputs_of(page)


def test_a_restore_json_b_is_refused_for_output_dir_and_in_place(tmp_path):
    """A restore JSON is named NAME.json like run's metadata but is not one: apply
    --output-dir / --in-place used to print "3 decision(s) applied to  in DIR", exit 0
    and write nothing. Now one line says to use -o, nothing is written, B is unchanged."""
    a = tmp_path / "r.gt.txt"
    a.write_text("Báo cáo tổng kết\nKết quả tốt\n", encoding="utf-8")
    words = ["Bao", "cáo", "tổng", "kết", "Kết", "qua", "tốt"]
    b = tmp_path / "r.json"
    b.write_text(json.dumps({"schema": "ocr_pipeline/restoration@1",
                             "text": "Bao cáo tổng kết\nKết qua tốt\n",
                             "tokens": [{"text": w, "original": w} for w in words]},
                            ensure_ascii=False), encoding="utf-8")  # fmt: skip
    review = _review_data(compare_sides(load_side(a), load_side(b)))
    assert review["changes"]
    corrections = tmp_path / "r.corrections.json"
    decisions = [{**c, "decision": "revert", "text": c["a"]} for c in review["changes"]]
    head = {"schema": "ocr_pipeline/corrections@1", "a": review["a"], "b": review["b"]}
    corrections.write_text(json.dumps({**head, "decisions": decisions}), "utf-8")
    before = b.read_bytes()
    out = tmp_path / "rjfix"
    for argv in (("--output-dir", out), ("--in-place",)):
        proc = _apply(corrections, *argv)
        assert proc.returncode == 1, proc.stderr
        assert "give -o FILE" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert not out.exists() and b.read_bytes() == before
    proc = _apply(corrections, "-o", "-")  # the corrected text, as before
    assert proc.returncode == 0 and proc.stdout == "Báo cáo tổng kết\nKết quả tốt\n"


# a two-column table under a title line: (restored, Tesseract's reading) per cell
TABLE = [[("STT", "STT"), ("Thôn", "Thon")], [("1", "1"), ("Lưng Tre", "Lung Tre")],
         [("2", "2"), ("Nà Hang", "Na Hang")]]  # fmt: skip


def _table_document() -> Document:
    from ocr_pipeline.tables import Cell, Table
    from ocr_pipeline.tables.header import header_rows
    from ocr_pipeline.tables.page import TABLE_BLOCK_BASE

    title = [Word("Danh", BBox(100, 100, 220, 140), 90.0, "Danh", 0.99),
             Word("sách", BBox(240, 100, 360, 140), 90.0, "sach", 0.95)]  # fmt: skip
    lines = [Line(title, title[0].bbox.union(title[1].bbox), 1, 1, 1)]
    cells = []
    for r, row in enumerate(TABLE):
        for c, (text, ocr) in enumerate(row):
            box = BBox(100 + 300 * c, 200 + 80 * r, 400 + 300 * c, 280 + 80 * r)
            words, x = [], box.left + 10
            for t, o in zip(text.split(), ocr.split(), strict=True):
                words.append(Word(t, BBox(x, box.top + 20, x + 25 * len(o), box.top + 60),
                                  85.0, o, 0.9))  # fmt: skip
                x += 25 * len(o) + 15
            cells.append(Cell(r, c, box, 1, words=words, confidence=85.0))
            lines.append(Line(words, words[0].bbox.union(words[-1].bbox),
                              TABLE_BLOCK_BASE, len(cells) - 1, 0))  # fmt: skip
    table = Table(cells, 3, 2, [(1, BBox(100, 200, 700, 440))])
    table.header_rows = header_rows(table)
    page = Page(1, 1200, 1600, 150, lines, tables=[table])
    return Document(SourceInfo("list.png", "0" * 64, 1, "image/png"), [page])


def test_tables_and_the_pdf_text_layer_follow_a_corrected_cell(tmp_path):
    """A name corrected inside a table is corrected in NAME.table-1.csv / .md, in the
    tree's table cell and in the searchable PDF's text layer; other pages' bytes, cells
    and words stay as they were; files that disagree are refused."""
    from PIL import Image

    doc = _table_document()
    out = tmp_path / "out"
    out.mkdir()
    write_run_outputs(doc, out, "list", structure=structure_pages(doc.pages, {"file": "list.png"}),
                      output_types=("pdf",), source_path=tmp_path / "list.png",
                      page_image=lambda page: Image.new("L", (1200, 1600), 255))  # fmt: skip
    a = tmp_path / "list.gt.txt"
    a.write_text((out / "list.txt").read_text("utf-8").replace("Lưng", "Lựng"), "utf-8")
    review = _review_data(compare_sides(load_side(a), load_side(out / "list.words.tsv")))
    decisions = [{**c, "decision": "revert", "text": c["a"]} for c in review["changes"]]
    assert [c["a"] for c in decisions] == ["Lựng Tre"]
    corrections = tmp_path / "list.corrections.json"
    corrections.write_text(json.dumps({"schema": "ocr_pipeline/corrections@1", "a": review["a"],
                                       "b": review["b"], "decisions": decisions},
                                      ensure_ascii=False), "utf-8")  # fmt: skip
    fixed = tmp_path / "fixed"
    proc = _apply(corrections, "--output-dir", fixed)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in fixed.iterdir()) == sorted(p.name for p in out.iterdir())
    csv_text = (fixed / "list.table-1.csv").read_text("utf-8")
    assert csv_text.splitlines()[1:] == ["1,Lựng Tre", "2,Nà Hang"]
    assert "| 1 | Lựng Tre |" in (fixed / "list.table-1.md").read_text("utf-8")
    tree = json.loads((fixed / "list.json").read_text("utf-8"))["structure"]
    cells = [c["text"] for row in tree["tables"][0]["rows"] for c in row]
    assert cells == ["STT", "Thôn", "1", "Lựng Tre", "2", "Nà Hang"]
    layer = subprocess.run(["pdftotext", "-raw", str(fixed / "list.ocr.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Lựng Tre" in layer and "Lưng" not in layer and "Nà Hang" in layer
    # the PDF's page content other than the layer is untouched
    import pikepdf

    with pikepdf.open(out / "list.ocr.pdf") as before, pikepdf.open(fixed / "list.ocr.pdf") as now:
        old = [s.read_bytes() for s in before.pages[0].obj.Contents]
        new = [s.read_bytes() for s in now.pages[0].obj.Contents]
    assert old[:-1] == new[:-1] and old[-1] != new[-1]
    assert old[-1].replace(b"01B0", b"1EF1") == new[-1]  # ư -> ự only
    # a table file edited by hand no longer matches the tree: refused, nothing written
    csv_path = out / "list.table-1.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b"2,", b"3,"))
    proc = _apply(corrections, "--output-dir", tmp_path / "refused")
    assert proc.returncode == 2 and "list.table-1.csv does not hold table 1" in proc.stderr
    assert not (tmp_path / "refused").exists()


def test_the_text_layer_is_found_whatever_its_font_is_named():
    """pikepdf names the layer's font at random from letters, digits, "_" and "-"; a
    "-" in it (about one name in four) hid the layer from apply."""
    from ocr_pipeline.export.pdf import _LAYER

    for font in (b"OcrTextAb_9", b"OcrText-x-Y9z"):
        found = _LAYER.match(b"\nQ\nq\n1 0 0 1 0 0 cm\nBT\n3 Tr\n/" + font + b" 1 Tf\n")
        assert found is not None and found["font"] == font


def test_a_copied_review_folder_asks_which_b_a_moved_one_is_applied_where_it_is(run_dir, tmp_path):
    corrections = _corrections(run_dir)
    (run_dir / corrections.name).write_bytes(corrections.read_bytes())  # the review folder
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    originals = _digests(run_dir)
    # the recorded B and the copy beside the corrections: which is meant? asked, nothing done
    proc = _apply(copy / corrections.name, "--in-place")
    assert proc.returncode == 1 and "--b FILE" in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1 and _digests(run_dir) == originals
    proc = _apply(copy / corrections.name, "--in-place", "--b", copy / "khu.words.tsv")
    assert proc.returncode == 0, proc.stderr
    assert _digests(run_dir) == originals  # the folder it was copied from: untouched
    assert [ln.text for ln in load_side(copy / "khu.hocr").lines] == EXPECTED
    assert str(copy) in proc.stderr
    # the originals gone (the folder moved, not copied): the file beside them is B
    moved = tmp_path / "moved"
    shutil.copytree(copy, moved)
    shutil.rmtree(run_dir)
    proc = _apply(moved / corrections.name, "-o", "-")
    assert proc.returncode == 0 and "Ủy ban xã Bến Mây Tây" in proc.stdout, proc.stderr


def test_a_line_typed_for_a_row_of_two_b_lines_keeps_each_words_line_and_box(run_dir, tmp_path):
    # the truth holds the first two lines as one: the diff row holds two B lines, and the
    # review's edit field takes one line
    a = tmp_path / "one.gt.txt"
    a.write_text("Báo cáo tổng kết Kết quả kiểm tra\n" + A_TEXT.split("\n", 2)[2], "utf-8")
    review = _review_data(compare_sides(load_side(a), load_side(run_dir / "khu.words.tsv")))
    row = next(c for c in review["changes"] if len(c["b_lines"]) == 2)
    decision = {**row, "decision": "edit", "text": "Báo cáo tổng kết Kết quả kiểm tra"}
    corrections = tmp_path / "one.corrections.json"
    corrections.write_text(json.dumps({"schema": "ocr_pipeline/corrections@1", "a": review["a"],
                                       "b": review["b"], "decisions": [decision]},
                                      ensure_ascii=False), encoding="utf-8")  # fmt: skip
    out = tmp_path / "fixed"
    proc = _apply(corrections, "--output-dir", out)
    assert proc.returncode == 0, proc.stderr
    before, after = load_side(run_dir / "khu.hocr"), load_side(out / "khu.hocr")
    assert [ln.text for ln in after.lines][:2] == ["Báo cáo tổng kết", "Kết quả kiểm tra"]
    assert len(after.lines) == len(before.lines)
    second_before = [t.bbox for t in before.lines[1].tokens or ()]
    second_after = [t.bbox for t in after.lines[1].tokens or ()]
    assert second_after == second_before  # the words kept their own line's boxes
    assert [t.original for t in after.lines[1].tokens or ()][:2] == ["Ket", "qua"]


def test_a_row_whose_every_word_got_its_marks_keeps_its_lines():
    from ocr_pipeline.diff.word_edits import split_over_lines

    assert split_over_lines(["Bao cao tong ket", "Ket qua kiem tra"],
                            "Báo cáo tổng kết Kết quả kiểm tra") == [
        "Báo cáo tổng kết", "Kết quả kiểm tra"]  # fmt: skip
    # a B line replaced by other words is gone; they join the line kept before it
    assert split_over_lines(["Ủy ban xa Bến", "dòng thừa"], "Ủy ban xã Bến Mây Tây") == [
        "Ủy ban xã Bến Mây Tây", ""]  # fmt: skip


def test_a_tables_number_corrected_in_a_typed_row_stays_in_its_cell():
    # a new user's table row, its cells B's lines: the "s" OCR read for 5 corrected in
    # the row they typed went into the name's cell, the number's left empty
    from ocr_pipeline.diff.word_edits import split_over_lines

    cells = ["s", "Ngô Thị Mỹ Duyên", "Y sĩ Trạm Y tế", "Giấy khen"]
    typed = "5 Ngô Thị Mỹ Duyên Y sĩ Trạm Y tế Giấy khen"
    assert split_over_lines(cells, typed) == ["5", *cells[1:]]
    assert split_over_lines(["V¿", "Hà Văn Lũy"], "7 Hà Văn Lũy") == ["7", "Hà Văn Lũy"]


def test_apply_to_a_text_b_puts_a_typed_row_back_over_its_lines(tmp_path):
    from ocr_pipeline.diff.corrections import Decision, apply_corrections

    b = tmp_path / "b.txt"
    b.write_text("Bao cao tong ket\nKet qua kiem tra\nCuoi\n", encoding="utf-8")
    typed = Decision(1, "edit", (1, 2), 0, "Bao cao tong ket Ket qua kiem tra",
                     "Báo cáo tổng kết Kết quả kiểm tra")  # fmt: skip
    assert apply_corrections([typed], b) == "Báo cáo tổng kết\nKết quả kiểm tra\nCuoi\n"
