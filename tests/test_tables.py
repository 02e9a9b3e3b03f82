"""Tables: ruled grid detection with spans, cell reading, joining over pages, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from ocr_pipeline import synth
from ocr_pipeline.export.tables import to_csv, to_markdown_table, write_tables
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word
from ocr_pipeline.structure import structure_pages, validate
from ocr_pipeline.synth_tables import (
    SpecCell,
    TableSpec,
    award_document,
    render_table_pages,
    statistics_document,
)
from ocr_pipeline.tables import Cell, Table, join_tables, read_page_tables, tables_to_json
from ocr_pipeline.tables.header import header_rows
from ocr_pipeline.tables.read import lowercase_shape_caps
from ocr_pipeline.tables.ruled import find_grids

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _gray(image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def _spans(grid) -> set[tuple[int, int, int, int]]:
    return {(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells
            if c.rowspan > 1 or c.colspan > 1}  # fmt: skip


# ------------------------------------------------------------------ grid detection


def test_statistics_grid_has_its_merged_header_cells():
    _, pages = statistics_document(7, font_size_pt=12)
    img = synth.degrade(pages[0].image, skew_deg=0.2, blur=0.8, noise=0.02, seed=3)
    grids = find_grids(_gray(img), 300)
    assert len(grids) == 1
    g = grids[0]
    assert (g.n_rows, g.n_cols) == (12, 5)  # 2 header rows, 9 years, the total
    assert _spans(g) == {(0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 1, 3)}
    assert len(g.cells) == 2 + 1 + 3 + 10 * 5


def test_award_list_pages_each_show_a_grid_with_the_two_row_header():
    spec, pages = award_document(8, 30, font_size_pt=11)
    assert len(pages) >= 2
    for page in pages:
        grids = find_grids(_gray(synth.degrade(page.image, blur=0.7, seed=1)), 300)
        assert len(grids) == 1
        assert grids[0].n_rows == 2 + len(page.table.body_rows)
        assert grids[0].n_cols == spec.n_cols
        assert _spans(grids[0]) == {(0, c, 2, 1) for c in range(4)} | {(0, 4, 1, 2)}


def test_running_text_with_rules_and_underlines_has_no_table():
    markup = "\n".join([
        "|ỦY BAN NHÂN DÂN XÃ HÒA PHONG|# CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|",
        "||_ Độc lập - Tự do - Hạnh phúc|",
        "# BÁO CÁO",
        "_ Kết quả thực hiện nhiệm vụ quý III",
        "Trong quý, xã đã tổ chức 12 lớp tập huấn cho 340 lượt người tham gia; tỷ lệ hộ "
        "gia đình đạt chuẩn văn hóa là 91,5%. Các thôn | xóm đều có tổ hòa giải.",
        "- Lưu: VT, VP.",
        "@ 1 Số liệu do các thôn tổng hợp đến ngày 30 tháng 9.",
    ] * 3)  # fmt: skip
    for rp in synth.render_pages(markup, dpi=300):
        assert find_grids(_gray(synth.degrade(rp.image, blur=0.6, noise=0.01)), 300) == []


def test_a_page_without_a_table_comes_back_unchanged():
    rp = synth.render_pages("Một đoạn văn bản ngắn, không có bảng nào cả.", dpi=300)[0]
    page = Page(1, rp.image.width, rp.image.height, 300,
                lines=[Line([Word("x", BBox(1, 1, 5, 5), 90.0)], BBox(1, 1, 5, 5))])  # fmt: skip
    assert read_page_tables(page, _gray(rp.image)) is page


# ------------------------------------------------------------------ cells and headers


def _w(text: str) -> Word:
    return Word(text, BBox(0, 0, 10, 10), 95.0)


def test_caps_read_on_a_line_without_ascenders_go_back_to_lower_case():
    lines = [[_w("Chiến"), _w("sĩ"), _w("thi"), _w("đua")], [_w("CƠ"), _w("SỞ")]]
    out = lowercase_shape_caps(lines)
    assert [w.text for w in out[1]] == ["cơ", "sở"]
    assert [w.ocr_text for w in out[1]] == ["CƠ", "SỞ"]
    # real capitals stay: letters that differ from their small forms, or a caps-only cell
    assert lowercase_shape_caps([[_w("UBND"), _w("xã")]])[0][0].text == "UBND"
    assert lowercase_shape_caps([[_w("CƠ"), _w("SỞ")]])[0][0].text == "CƠ"


def _cell(row, col, text, rowspan=1, colspan=1, page=1, left=0, width=100):
    box = BBox(left, row * 50, left + width * colspan, (row + rowspan) * 50)
    words = [Word(t, box, 90.0) for t in text.split()]
    return Cell(row, col, box, page, rowspan, colspan, words, 90.0 if words else None)


def _table(rows, page, top=0, header=True):
    """A 3-column table: a two-row header (merged "Kết quả" over columns 1-2), then rows."""
    cells = []
    if header:
        cells += [_cell(0, 0, "Năm", rowspan=2), _cell(0, 1, "Kết quả", colspan=2, left=100),
                  _cell(1, 1, "Đạt", left=100), _cell(1, 2, "Không đạt", left=200)]  # fmt: skip
    h = 2 if header else 0
    for r, row in enumerate(rows):
        cells += [_cell(h + r, c, t, left=100 * c) for c, t in enumerate(row)]
    n = h + len(rows)
    t = Table(cells, n, 3, [(page, BBox(0, top, 300, top + 50 * n + 2000))])
    t.header_rows = header_rows(t)
    return t


def _page(number, tables):
    return Page(number, 2480, 3508, 300, tables=tables)


def test_header_rows_follow_the_first_rows_spans_unless_it_reads_like_data():
    assert _table([["2020", "5", "1"]], 1).header_rows == 2
    assert _table([["2020", "5", "1"]], 1, header=False).header_rows == 0


def test_a_continued_table_is_joined_and_its_repeated_header_dropped():
    first = _table([["2020", "5", "1"], ["2021", "6", "0"]], 1, top=1000)
    again = _table([["2022", "7", "2"]], 2, top=200)
    again.cells[1].words = [Word("Kêt", BBox(0, 0, 1, 1), 50.0), _w("quả")]  # an OCR slip
    joined = join_tables([_page(1, [first]), _page(2, [again])])
    assert len(joined) == 1
    t = joined[0]
    assert (t.n_rows, t.header_rows, t.repeated_headers, t.pages) == (5, 2, 1, [1, 2])
    assert t.grid()[4] == ["2022", "7", "2"]
    # without a repeated header every row of the continuation is a body row
    bare = _table([["2022", "7", "2"]], 2, top=200, header=False)
    t = join_tables([_page(1, [first]), _page(2, [bare])])[0]
    assert (t.n_rows, t.repeated_headers) == (5, 0)


def test_tables_with_other_columns_or_far_from_the_page_break_stay_apart():
    first = _table([["2020", "5", "1"]], 1, top=1000)
    low = _table([["2022", "7", "2"]], 2, top=2500)
    assert len(join_tables([_page(1, [first]), _page(2, [low])])) == 2
    other = _table([["2022", "7", "2"]], 2, top=200)
    other.n_cols = 4
    assert len(join_tables([_page(1, [first]), _page(2, [other])])) == 2


# ------------------------------------------------------------------ exports and tree


def test_csv_and_markdown_of_a_table_with_merged_header_cells():
    t = _table([["2020", "5", "1"], ["Tổng | cộng", "5", "1"]], 1)
    rows = list(csv.reader(io.StringIO(to_csv(t))))
    assert rows == [["Năm", "Kết quả", ""], ["", "Đạt", "Không đạt"], ["2020", "5", "1"],
                    ["Tổng | cộng", "5", "1"]]  # fmt: skip
    md = to_markdown_table(t).splitlines()
    assert md[0] == "| Năm | Kết quả / Đạt | Kết quả / Không đạt |"
    assert md[3] == "| Tổng \\| cộng | 5 | 1 |"


def test_write_tables_names_files_by_table_number(tmp_path):
    doc = Document(SourceInfo("a.pdf", "0" * 64, 2, "application/pdf"),
                   pages=[_page(1, [_table([["2020", "5", "1"]], 1, top=10)]),
                          _page(2, [_table([["2021", "1", "1"]], 2, top=2600)])])  # fmt: skip
    paths = write_tables(doc, tmp_path, "a")
    assert sorted(p.name for p in paths.values()) == [
        "a.table-1.csv", "a.table-1.md", "a.table-2.csv", "a.table-2.md"]  # fmt: skip
    assert "2021" in (tmp_path / "a.table-2.csv").read_text(encoding="utf-8")
    empty = Document(doc.source, pages=[_page(1, [])])
    assert write_tables(empty, tmp_path / "none", "b") == {}
    assert not (tmp_path / "none").exists()


def _text_page(number: int, tables: list) -> Page:
    words = [Word("Báo", BBox(10, 10, 60, 40), 95.0), Word("cáo", BBox(70, 10, 120, 40), 95.0)]
    return Page(number, 2480, 3508, 300, lines=[Line(words, BBox(10, 10, 120, 40))],
                tables=tables)  # fmt: skip


def test_the_tree_gets_a_valid_tables_list_only_when_there_are_tables():
    plain = structure_pages([_text_page(1, [])])
    assert "tables" not in plain
    tree = structure_pages([_text_page(1, [_table([["2020", "5", "1"]], 1)])])
    validate(tree)
    (node,) = tree["tables"]
    assert (node["id"], node["n_rows"], node["header_rows"]) == ("table-1", 3, 2)
    merged = node["rows"][0][1]
    assert (merged["text"], merged["colspan"], merged["header"]) == ("Kết quả", 2, True)
    assert node["rows"][2][0]["prov"] == [{"page": 1, "bbox": [0, 100, 100, 150]}]
    assert tables_to_json([]) == []


def test_render_table_pages_repeats_the_header_after_a_page_break():
    spec = TableSpec([SpecCell(0, 0, "A"), SpecCell(0, 1, "B")],
                     [[str(k), f"dòng {k}"] for k in range(30)], [0.3, 0.7])  # fmt: skip
    pages = render_table_pages(spec, max_body_rows_first_page=10)
    assert [p.table.body_rows[0] for p in pages][:2] == [0, 10]
    assert pages[1].table.repeated_header
    assert sum(len(p.table.body_rows) for p in pages) == 30


# ------------------------------------------------------------------ through the pipeline


def _truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.table.json").read_text(encoding="utf-8"))


def _exact_share(table: Table, truth: dict, rows: int | None = None) -> float:
    found = {(c.row, c.col, c.rowspan, c.colspan): c.text for c in table.cells}
    cells = [c for c in truth["cells"] if rows is None or c["row"] < rows]
    ok = sum(found.get((c["row"], c["col"], c["rowspan"], c["colspan"])) == c["text"]
             for c in cells)  # fmt: skip
    return ok / len(cells)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_statistics_sample_read_cell_by_cell(tmp_path):
    from ocr_pipeline.export import write_run_outputs
    from ocr_pipeline.pipeline import PipelineOptions, process_document

    doc = process_document(SAMPLES / "statistics.png", PipelineOptions(jobs=1))
    (table,) = join_tables(doc.pages)
    truth = _truth("statistics")
    assert (table.n_rows, table.n_cols, table.header_rows) == (
        truth["n_rows"], truth["n_cols"], truth["header_rows"])  # fmt: skip
    assert _exact_share(table, truth) >= 0.95
    # the page's text carries the cells in reading order, one line per cell line
    lines = doc.pages[0].text.splitlines()
    assert lines.index("Năm") < lines.index("Tổng số") < lines.index("Trong đó")
    paths = write_run_outputs(doc, tmp_path, "statistics")
    rows = list(csv.reader(io.StringIO(paths["table-1.csv"].read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Năm", "Tổng số", "Trong đó"] and len(rows) == truth["n_rows"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_award_list_sample_joined_over_its_page_break():
    from ocr_pipeline.pipeline import PipelineOptions, process_document

    doc = process_document(SAMPLES / "award_list.pdf", PipelineOptions(jobs=2, pages="1-2"))
    (table,) = join_tables(doc.pages)
    truth = _truth("award_list")
    assert table.pages == [1, 2] and table.repeated_headers == 1
    assert table.n_cols == 6 and table.header_rows == 2
    assert _exact_share(table, truth, rows=table.n_rows) >= 0.95
    names = [c.text for c in table.cells if c.col == 1 and c.row >= 2]
    expected = [c["text"] for c in truth["cells"] if c["col"] == 1 and 2 <= c["row"] < table.n_rows]
    assert sum(a == b for a, b in zip(names, expected, strict=True)) >= len(expected) - 1


def _cells(col_texts: list[list[str]]) -> list:
    """(Cell, lines) pairs for rows of column texts, body from row 0, one line per cell."""
    out = []
    for r, row in enumerate(col_texts):
        for c, text in enumerate(row):
            words = [_w(t) for t in text.split()]
            out.append((Cell(r, c, BBox(0, 0, 1, 1), 1), [words] if words else []))
    return out


def test_lookalike_letters_in_a_numbers_column_become_digits():
    from ocr_pipeline.tables.fixes import fix_number_columns

    rows = [[str(k), "Lê Thị Hoa"] for k in range(2, 9)]
    rows += [["I1", "Lê Thị Hoa"], ["L7", "Lâm Văn Ba"], ["I", "Ông"]]
    out = fix_number_columns(_cells(rows), 0)
    assert [cl[0][0].text for c, cl in out if c.col == 0][-3:] == ["11", "17", "1"]
    assert out[-6][1][0][0].ocr_text == "I1"
    # a text column keeps its letters
    words = fix_number_columns(_cells([["Ban", "I"], ["Tổ", "x"], ["Đội", "y"]]), 0)
    assert words[1][1][0][0].text == "I"


def test_a_surname_that_lost_or_changed_its_marks_in_a_names_column():
    from ocr_pipeline.tables.fixes import fix_surnames

    rows = [["Nguyễn Văn An"], ["Đỉnh Kim Giang"], ["Ngõ Minh Vân"]] + [["Trần Thu Hà"]] * 5
    out = fix_surnames(_cells(rows), 0)
    assert [" ".join(w.text for ln in cl for w in ln) for _, cl in out][:4] == [
        "Nguyễn Văn An", "Đinh Kim Giang", "Ngô Minh Vân", "Trần Thu Hà"]  # fmt: skip
    # not a names column (units): "Trường" is not taken for the surname Trương
    units = [["Trường Tiểu Học"], ["Phòng Nội Vụ"], ["Ban Quản Lý"], ["Đỉnh Núi Cao"]]
    out = fix_surnames(_cells(units), 0)
    assert [cl[0][0].text for _, cl in out] == ["Trường", "Phòng", "Ban", "Đỉnh"]


# ------------------------------------------------------------------ borderless lists


def _row_words(y: int, cells: list[tuple[int, str]]) -> list[Word]:
    """Words of one text row: (left x, text) per cell, 30 px per character, 12 px spaces."""
    out = []
    for x, text in cells:
        for part in text.split():
            out.append(Word(part, BBox(x, y, x + 30 * len(part), y + 50), 90.0))
            x += 30 * len(part) + 12
    return out


def test_rows_aligned_in_columns_make_a_borderless_table():
    from ocr_pipeline.tables.borderless import find_borderless

    words = _row_words(300, [(300, "Cả đoạn văn mở đầu trước danh sách")])
    rows = [("STT", "Họ và tên", "Chức vụ")] + [
        (str(k), f"Lê Văn {name}", "Chuyên viên") for k, name in enumerate("ABCDE", 1)
    ]
    for r, (a, b, c) in enumerate(rows):
        words += _row_words(420 + 70 * r, [(320, a), (600, b), (1300, c)])
    # Tesseract's reading of part of a digit: a short box between two rows, no row itself
    words.append(Word("HỆ", BBox(330, 420 + 70 * 2 + 52, 380, 420 + 70 * 2 + 82), 20.0))
    # the last position wrapped onto a line of its own: joins the row above it
    words += _row_words(420 + 70 * 6, [(1300, "phụ trách")])
    (grid,) = find_borderless(words, 300, 2480, 3508)
    assert (grid.n_rows, grid.n_cols) == (6, 3)
    assert grid.bbox.top < 420 and grid.bbox.bottom > 420 + 70 * 6 + 50


def test_running_text_and_two_column_blocks_are_not_borderless_tables():
    from ocr_pipeline.tables.borderless import find_borderless

    words = []
    for r in range(12):  # justified lines: spaces a little wider than usual, no rivers
        x, y = 300, 300 + 60 * r
        for k in range(9):
            words.append(Word("chữ", BBox(x, y, x + 150, y + 50), 90.0))
            x += 150 + 20 + (r * 3 + k) % 7
    for r in range(6):  # issuer | national title, signature blocks: two columns only
        words += _row_words(1200 + 60 * r, [(300, "ỦY BAN NHÂN DÂN"), (1300, "CỘNG HÒA XÃ HỘI")])
    assert find_borderless(words, 300, 2480, 3508) == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_borderless_member_list_read_through_the_pipeline(tmp_path):
    from ocr_pipeline.pipeline import PipelineOptions, process_document
    from ocr_pipeline.synth_tables import member_document

    spec, pages = member_document(9, 14, font_size_pt=12)
    path = tmp_path / "members.png"
    synth.degrade(pages[0].image, blur=0.7, noise=0.01, downscale=0.8, seed=2).save(path)
    doc = process_document(path, PipelineOptions(jobs=1))
    (table,) = join_tables(doc.pages)
    assert (table.kind, table.n_rows, table.n_cols, table.header_rows) == ("borderless", 15, 4, 1)
    truth = {(c.row, c.col): c.text for c in spec.cells()}
    exact = sum(truth[(c.row, c.col)] == c.text for c in table.cells)
    assert exact >= 0.95 * len(truth)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_run_writes_table_files_unless_told_not_to(tmp_path):
    from ocr_pipeline.cli import main

    assert main(["run", str(SAMPLES / "statistics.png"), "-o", str(tmp_path / "a"), "-q",
                 "--no-restore"]) == 0  # fmt: skip
    tree = json.loads((tmp_path / "a" / "statistics.json").read_text(encoding="utf-8"))
    assert tree["structure"]["tables"][0]["n_cols"] == 5
    md = (tmp_path / "a" / "statistics.table-1.md").read_text(encoding="utf-8")
    assert md.startswith("| Năm | T") and "| Trong đó / Cấp tỉnh | Trong đó / Cấp huyện |" in md
    assert main(["run", str(SAMPLES / "statistics.png"), "-o", str(tmp_path / "b"), "-q",
                 "--no-restore", "--no-tables"]) == 0  # fmt: skip
    assert not list((tmp_path / "b").glob("*.table-*"))
    tree = json.loads((tmp_path / "b" / "statistics.json").read_text(encoding="utf-8"))
    assert "tables" not in tree["structure"]


def test_a_repeated_header_with_a_slip_in_a_short_cell_is_still_the_header():
    from ocr_pipeline.tables.header import same_header

    first = _table([["2020", "5", "1"]], 1).cells[:4]
    again = _table([["2020", "5", "1"]], 2).cells[:4]
    again[0].words = [_w("Nim")]  # "Năm" with a wrong letter: 2 of 3 letters right
    assert same_header(first, again)
    again[1].words = [_w("Tổng"), _w("số")]
    assert not same_header(first, again)


def test_a_cell_that_lost_a_mark_takes_its_columns_repeated_value():
    from ocr_pipeline.tables.fixes import fix_by_column_majority

    rows = [["Giấy khen"]] * 4 + [["Giãy khen"], ["Bằng khen"], ["Chiến sĩ thi đua Cơ sở"]]
    rows += [["Chiến sĩ thi đua cơ sở"]] * 3 + [["Giày khen mới"]]
    out = fix_by_column_majority(_cells(rows), 0)
    texts = [" ".join(w.text for ln in cl for w in ln) for _, cl in out]
    assert texts[4] == "Giấy khen" and texts[5] == "Bằng khen"
    assert texts[6] == "Chiến sĩ thi đua cơ sở" and texts[-1] == "Giày khen mới"
    assert out[4][1][0][0].ocr_text == "Giãy"
    # two against two is no majority
    out = fix_by_column_majority(_cells([["Hà Nam"]] * 2 + [["Hạ Nam"]] * 2), 0)
    assert [cl[0][0].text for _, cl in out] == ["Hà", "Hà", "Hạ", "Hạ"]


def test_a_borderless_row_that_read_nothing_is_dropped_and_rows_renumbered():
    from ocr_pipeline.tables.page import _without_empty_rows

    pairs = _cells([["1", "An"], ["", ""], ["2", "Bình"]])
    kept, n = _without_empty_rows(pairs, 3)
    assert n == 2 and [(c.row, c.col) for c, _ in kept] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert kept[2][1][0][0].text == "2"
