"""What keeps `diff` within bounded memory on large inputs (scripts/bench_diff_memory.py
measures it): no per-grapheme lists for ordinary lines, no per-line copies of the keys,
reports written piece by piece."""

from __future__ import annotations

import json

import pytest

from ocr_pipeline.diff import compare_texts, render_html
from ocr_pipeline.diff.html import iter_html
from ocr_pipeline.diff.readers.text import side_from_text
from ocr_pipeline.errors import OutputError
from ocr_pipeline.fileio import write_atomic


def test_units_are_the_text_itself_when_each_grapheme_is_one_code_point():
    side = side_from_text("Báo cáo tổng kết\nx\u0302\u0301 ghép\n")
    plain, combining = side.lines
    assert plain.units is plain.text
    assert isinstance(combining.units, list) and combining.units[0] == "x\u0302\u0301"


def test_unchanged_lines_keep_no_runs_or_position_lists():
    report = compare_texts("Dòng một\nDòng hai\n", "Dòng một\nDong hai\n")
    same, changed = report.lines
    assert same.ops == [] and isinstance(same.a_keys_pos, range)
    assert changed.ops and [op.tag for op in changed.ops] == ["equal", "diacritic", "equal"]


def test_reports_are_written_piece_by_piece(tmp_path):
    report = compare_texts("Báo cáo\nKết luận\n", "Bao cao\nKết luận\n")
    pieces = list(report.iter_json())
    assert len(pieces) > 2 and json.loads("".join(pieces)) == json.loads(report.to_json())
    assert len(list(iter_html(report))) > 2
    out = tmp_path / "r.html"
    write_atomic(out, iter_html(report))
    assert out.read_text(encoding="utf-8") == render_html(report)

    def failing():
        yield "partial"
        raise OutputError("stop")

    with pytest.raises(OutputError):
        write_atomic(tmp_path / "never.html", failing())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]  # nothing half-written


def test_review_data_is_streamed_as_the_same_json():
    from ocr_pipeline.diff.html import _review_data, _review_json

    report = compare_texts(
        "Báo cáo\nKết luận </script>\nCuối\n", "Bao cao\nKet luan </script>\nCuối\n"
    )
    pieces = list(_review_json(report))
    assert len(pieces) == 4  # head, two changes, end
    text = "".join(pieces)
    assert "</script>" not in text
    assert json.loads(text) == _review_data(report)
