"""Render ruled tables (award lists, statistics) to clean A4 pages with their exact cells.

The companion of `ocr_pipeline.synth` for tables: `render_table_pages` draws a short
title and introduction, then a ruled table whose header may merge cells across rows and
columns, breaking the table over as many pages as it needs (the header drawn again at the
top of each continuation page, as word processors do), and a closing line. It returns
each page image with the logical cells drawn on it, and `TableSpec.cells()` gives the
ground truth of the whole (joined) table. Pages are degraded with `synth.degrade`.

Cell text is wrapped inside its column; the ground truth of a cell is its words joined
by single spaces (NFC), whatever the wrapping.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ocr_pipeline.errors import BadArgumentsError
from ocr_pipeline.synth import FONT_DIRS, MM_PER_INCH


@dataclass(frozen=True)
class SpecCell:
    """One logical cell: top-left grid position, spans and text."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableSpec:
    """A table to draw: header cells (explicit positions, may span), body rows of text.

    `widths` are the columns' shares of the text width; `align` per column is "left",
    "center" or "right" for body cells (header cells are centred and bold).
    """

    header: list[SpecCell]
    body: list[list[str]]
    widths: list[float]
    align: list[str] = field(default_factory=list)
    bold_rows: frozenset[int] = frozenset()  # body rows drawn bold (a total line)

    @property
    def header_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.header), default=0)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def cells(self) -> list[SpecCell]:
        """Ground truth of the whole table: header cells, then body cells row by row."""
        h = self.header_rows
        out = [SpecCell(c.row, c.col, _nfc(c.text), c.rowspan, c.colspan) for c in self.header]
        for r, row in enumerate(self.body):
            out.extend(SpecCell(h + r, c, _nfc(t)) for c, t in enumerate(row))
        return out


@dataclass(frozen=True)
class PageTable:
    """What one page shows of the table: its cells (rows numbered from 0 on this page,
    header included) with their pixel boxes on the clean page, and which body rows."""

    cells: tuple[tuple[SpecCell, tuple[int, int, int, int]], ...]
    body_rows: tuple[int, ...]
    repeated_header: bool


@dataclass(frozen=True)
class TablePage:
    image: Image.Image
    dpi: int
    table: PageTable | None
    text_lines: tuple[str, ...]  # the running text drawn on the page, top to bottom


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


@lru_cache(maxsize=32)
def _font(bold: bool, px: int, font: str) -> ImageFont.FreeTypeFont:
    regular = FONT_DIRS.get(font, Path(font))
    path = regular.with_name(regular.stem.replace("-Regular", "-Bold") + regular.suffix)
    if not regular.is_file():
        raise BadArgumentsError(f"font {font!r} not found; use 'serif' or 'noto'")
    return ImageFont.truetype(str(path if bold and path.is_file() else regular), px)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in _nfc(text).split():
        if lines and font.getlength(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def render_table_pages(
    spec: TableSpec,
    *,
    title: str = "",
    intro: str = "",
    closing: str = "",
    dpi: int = 300,
    font: str = "serif",
    font_size_pt: float = 12,
    page_size_mm: tuple[float, float] = (210, 297),
    margins_mm: tuple[float, float, float, float] = (20, 20, 25, 15),
    repeat_header: bool = True,
    line_width_pt: float = 0.75,
    max_body_rows_first_page: int | None = None,
    ruled: bool = True,
) -> list[TablePage]:
    """Lay out title, intro paragraph, the ruled table and a closing line on pages.

    `margins_mm` is (top, bottom, left, right). The table is broken between body rows
    when the next row does not fit (or after `max_body_rows_first_page` rows on the first
    page); the continuation repeats the header when `repeat_header`. With `ruled` False no
    cell borders are drawn (a borderless list aligned in columns).
    """
    if abs(sum(spec.widths) - 1) > 0.01 or any(w <= 0 for w in spec.widths):
        raise BadArgumentsError("table column widths must be positive shares summing to 1")
    px = lambda mm: round(mm / MM_PER_INCH * dpi)  # noqa: E731
    page_w, page_h = px(page_size_mm[0]), px(page_size_mm[1])
    top, bottom, left, right = (px(m) for m in margins_mm)
    text_w = page_w - left - right
    size = max(4, round(font_size_pt / 72 * dpi))
    regular, bold = _font(False, size, font), _font(True, size, font)
    line_h = round(size * 1.25)
    pad_x, pad_y = round(size * 0.3), round(size * 0.3)
    stroke = max(1, round(line_width_pt / 72 * dpi))
    col_x = [left]
    for w in spec.widths:
        col_x.append(col_x[-1] + round(w * text_w))
    col_x[-1] = left + text_w
    aligns = spec.align or ["left"] * spec.n_cols

    def cell_lines(text: str, c0: int, c1: int, is_bold: bool) -> list[str]:
        return _wrap(text, bold if is_bold else regular, col_x[c1] - col_x[c0] - 2 * pad_x)

    # heights of header rows: a spanning cell's lines are shared by the rows it spans
    hrows = spec.header_rows
    header_h = [line_h + 2 * pad_y] * hrows
    for c in sorted(spec.header, key=lambda c: c.rowspan):
        need = len(cell_lines(c.text, c.col, c.col + c.colspan, True)) * line_h + 2 * pad_y
        have = sum(header_h[c.row : c.row + c.rowspan])
        if need > have:
            header_h[c.row + c.rowspan - 1] += need - have
    body_h = [
        max(len(cell_lines(t, c, c + 1, r in spec.bold_rows)) for c, t in enumerate(row))
        * line_h + 2 * pad_y
        for r, row in enumerate(spec.body)
    ]  # fmt: skip

    pages: list[TablePage] = []
    body_next = 0
    first = True
    while True:
        img = Image.new("L", (page_w, page_h), 255)
        draw = ImageDraw.Draw(img)
        y = top
        texts: list[str] = []
        if first:
            for text, is_bold, centred in ((title, True, True), (intro, False, False)):
                for ln in _wrap(text, bold if is_bold else regular, text_w):
                    f = bold if is_bold else regular
                    x = left + (text_w - f.getlength(ln)) / 2 if centred else left
                    draw.text((x, y + size), ln, font=f, fill=0, anchor="ls")
                    texts.append(ln)
                    y += line_h
                if text:
                    y += line_h // 2
        placed: list[tuple[SpecCell, tuple[int, int, int, int]]] = []
        show_header = first or repeat_header
        row_y = [y]
        if show_header:
            for h in header_h:
                row_y.append(row_y[-1] + h)
        limit = page_h - bottom - (line_h * 2 if body_next < len(spec.body) else 0)
        rows_here: list[int] = []
        while body_next < len(spec.body):
            if row_y[-1] + body_h[body_next] > limit and rows_here:
                break
            if first and max_body_rows_first_page and len(rows_here) >= max_body_rows_first_page:
                break
            rows_here.append(body_next)
            row_y.append(row_y[-1] + body_h[body_next])
            body_next += 1
        h_here = hrows if show_header else 0
        cells: list[tuple[SpecCell, bool, str]] = []
        if show_header:
            cells += [(c, True, "center") for c in spec.header]
        for k, r in enumerate(rows_here):
            cells += [(SpecCell(h_here + k, c, t), r in spec.bold_rows, aligns[c])
                      for c, t in enumerate(spec.body[r])]  # fmt: skip
        for cell, is_bold, align in cells:
            x0, x1 = col_x[cell.col], col_x[cell.col + cell.colspan]
            y0, y1 = row_y[cell.row], row_y[cell.row + cell.rowspan]
            lines = cell_lines(cell.text, cell.col, cell.col + cell.colspan, is_bold)
            f = bold if is_bold else regular
            ty = y0 + (y1 - y0 - len(lines) * line_h) // 2
            for ln in lines:
                w = f.getlength(ln)
                tx = {"left": x0 + pad_x, "right": x1 - pad_x - w}.get(align, (x0 + x1 - w) / 2)
                draw.text((tx, ty + size), ln, font=f, fill=0, anchor="ls")
                ty += line_h
            if ruled:
                draw.rectangle((x0, y0, x1, y1), outline=0, width=stroke)
            placed.append((SpecCell(cell.row, cell.col, _nfc(cell.text), cell.rowspan,
                                    cell.colspan), (x0, y0, x1, y1)))  # fmt: skip
        y = row_y[-1] + line_h
        if body_next >= len(spec.body) and closing:
            for ln in _wrap(closing, regular, text_w):
                draw.text((left, y + size), ln, font=regular, fill=0, anchor="ls")
                texts.append(ln)
                y += line_h
        table = PageTable(tuple(placed), tuple(rows_here), show_header and not first)
        pages.append(TablePage(img, dpi, table, tuple(texts)))
        first = False
        if body_next >= len(spec.body):
            return pages


# ------------------------------------------------------------------- invented table data

_FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Lương",
    "Mai",
)
_MIDDLE = (
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Hữu",
    "Quang",
    "Thu",
    "Hoài",
    "Xuân",
    "Kim",
    "Công",
    "Thế",
    "Bảo",
    "Anh",
    "Trọng",
    "Phương",
)
_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
    "Huy",
    "Thắng",
    "Đông",
    "Giang",
    "Hiếu",
    "Lộc",
    "Ngân",
    "Nhung",
    "Quyên",
    "Thủy",
    "Toàn",
    "Việt",
    "Hằng",
)
_POSITIONS = (
    "Chuyên viên",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Kế toán viên",
    "Văn thư",
    "Giáo viên",
    "Hiệu trưởng",
    "Phó Hiệu trưởng",
    "Bác sĩ",
    "Điều dưỡng",
    "Kỹ sư",
    "Cán bộ địa chính",
    "Chủ tịch UBND xã",
    "Phó Chủ tịch UBND xã",
    "Công chức tư pháp",
    "Nhân viên",
)
_UNITS = (
    "Phòng Nội vụ",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tư pháp",
    "Văn phòng HĐND và UBND",
    "Trung tâm Y tế huyện",
    "Trường THCS Thanh Bình",
    "Trường Tiểu học Hòa An",
    "UBND xã Phú Lâm",
    "UBND xã Tân Hưng",
    "UBND thị trấn Long Điền",
    "Ban Quản lý dự án",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Văn hóa và Thông tin",
    "Trường Mầm non Hoa Sen",
    "Phòng Tài nguyên và Môi trường",
)
_TITLES = ("Chiến sĩ thi đua cơ sở", "Lao động tiên tiến")
_AWARDS = ("Giấy khen", "Bằng khen")


def award_list_spec(seed: int, rows: int = 40) -> TableSpec:
    """An invented list of individuals proposed for awards, with a two-row header whose
    "Hình thức khen thưởng" cell spans its two sub-columns."""
    import random

    rng = random.Random(seed)
    names: set[str] = set()
    body: list[list[str]] = []
    while len(body) < rows:
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
        if name in names:
            continue
        names.add(name)
        body.append([str(len(body) + 1), name, rng.choice(_POSITIONS), rng.choice(_UNITS),
                     rng.choice(_TITLES), rng.choice(_AWARDS)])  # fmt: skip
    header = [
        SpecCell(0, 0, "STT", rowspan=2), SpecCell(0, 1, "Họ và tên", rowspan=2),
        SpecCell(0, 2, "Chức vụ", rowspan=2), SpecCell(0, 3, "Đơn vị công tác", rowspan=2),
        SpecCell(0, 4, "Hình thức khen thưởng", colspan=2),
        SpecCell(1, 4, "Danh hiệu"), SpecCell(1, 5, "Khen thưởng"),
    ]  # fmt: skip
    return TableSpec(header, body, [0.07, 0.21, 0.18, 0.24, 0.17, 0.13],
                     ["center", "left", "left", "left", "left", "left"])  # fmt: skip


def member_list_spec(seed: int, rows: int = 20) -> TableSpec:
    """An invented borderless list (STT, name, position, unit) with a one-row header."""
    import random

    rng = random.Random(seed)
    body: list[list[str]] = []
    names: set[str] = set()
    while len(body) < rows:
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
        if name not in names:
            names.add(name)
            body.append([str(len(body) + 1), name, rng.choice(_POSITIONS), rng.choice(_UNITS)])
    header = [SpecCell(0, 0, "STT"), SpecCell(0, 1, "Họ và tên"), SpecCell(0, 2, "Chức vụ"),
              SpecCell(0, 3, "Đơn vị")]  # fmt: skip
    return TableSpec(header, body, [0.08, 0.27, 0.27, 0.38], ["center", "left", "left", "left"])


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def statistics_spec(seed: int, first_year: int = 2016, years: int = 9) -> TableSpec:
    """Invented award counts by year and level, with a "Trong đó" header cell spanning
    three levels and a bold total row."""
    import random

    rng = random.Random(seed)
    body: list[list[str]] = []
    totals = [0, 0, 0, 0]
    for k in range(years):
        levels = [rng.randint(3, 60), rng.randint(40, 400), rng.randint(300, 2400)]
        row = [sum(levels), *levels]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        body.append([str(first_year + k), *(_thousands(v) for v in row)])
    body.append(["Tổng cộng", *(_thousands(v) for v in totals)])
    header = [
        SpecCell(0, 0, "Năm", rowspan=2), SpecCell(0, 1, "Tổng số", rowspan=2),
        SpecCell(0, 2, "Trong đó", colspan=3), SpecCell(1, 2, "Cấp tỉnh"),
        SpecCell(1, 3, "Cấp huyện"), SpecCell(1, 4, "Cấp xã"),
    ]  # fmt: skip
    return TableSpec(header, body, [0.2, 0.2, 0.2, 0.2, 0.2], ["center"] * 5,
                     bold_rows=frozenset({years}))  # fmt: skip


def award_document(seed: int, rows: int = 40, **render) -> tuple[TableSpec, list[TablePage]]:
    """An award list with its title, introduction and closing line, rendered."""
    spec = award_list_spec(seed, rows)
    pages = render_table_pages(
        spec, title="DANH SÁCH CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025",
        intro="(Kèm theo Tờ trình của Ủy ban nhân dân huyện về việc đề nghị khen thưởng "
              "cho các cá nhân có thành tích xuất sắc trong năm công tác)",
        closing=f"Danh sách này có {rows} cá nhân./.", **render)  # fmt: skip
    return spec, pages


def statistics_document(seed: int, **render) -> tuple[TableSpec, list[TablePage]]:
    """A statistics table of award counts by year and level, with title and note."""
    spec = statistics_spec(seed)
    pages = render_table_pages(
        spec, title="KẾT QUẢ CÔNG TÁC THI ĐUA, KHEN THƯỞNG THEO NĂM",
        intro="Số lượt tập thể và cá nhân được khen thưởng, chia theo cấp khen thưởng, "
              "giai đoạn từ năm 2016 đến nay như sau:",
        closing="Ghi chú: số liệu do các phòng, ban chuyên môn tổng hợp./.", **render)  # fmt: skip
    return spec, pages


def member_document(seed: int, rows: int = 20, **render) -> tuple[TableSpec, list[TablePage]]:
    """A borderless list of members (aligned columns, no rules), with title and intro."""
    spec = member_list_spec(seed, rows)
    pages = render_table_pages(
        spec, title="DANH SÁCH THÀNH VIÊN TỔ CÔNG TÁC",
        intro="Các cá nhân có tên sau đây tham gia tổ công tác kiểm tra việc thực hiện "
              "phong trào thi đua tại các đơn vị:",
        closing="Tổ công tác tự giải thể sau khi hoàn thành nhiệm vụ./.", ruled=False,
        **render)  # fmt: skip
    return spec, pages


def ground_truth_json(spec: TableSpec) -> dict:
    """The table's ground truth as written beside a sample (NAME.table.json)."""
    return {
        "n_rows": spec.header_rows + len(spec.body),
        "n_cols": spec.n_cols,
        "header_rows": spec.header_rows,
        "cells": [{"row": c.row, "col": c.col, "rowspan": c.rowspan, "colspan": c.colspan,
                   "text": c.text} for c in spec.cells()],
    }  # fmt: skip
