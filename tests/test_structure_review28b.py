"""Round 28's second review: rules of this round firing where they should not. Each input
is the reviewer's (invented documents, in tests/data/review28b/); each assertion failed
at 848df45."""

from __future__ import annotations

from pathlib import Path

from structure_trees import section_titles, walk

from ocr_pipeline.structure import structure_text
from ocr_pipeline.structure.header import doc_type_of, parse_date

CASES = Path(__file__).parent / "data" / "review28b"


def _doc(name: str) -> dict:
    return structure_text((CASES / f"{name}.txt").read_text(encoding="utf-8"))


def _texts(doc: dict) -> str:
    return " ".join(n.get("text") or "" for n in walk(doc["body"]))


def test_a_wrapped_line_opening_with_a_figure_is_no_footnote_over_a_marks_body() -> None:
    doc = _doc("f2")
    assert [(f["number"], f["text"]) for f in doc["footnotes"]] == [
        (1, "Số liệu tính đến ngày 31/3/2025.")
    ]
    assert "trong đó có 1 ổ dịch mới tại xã Hòa An" in _texts(doc)


def test_a_list_under_the_signer_repeating_the_signers_name_is_kept() -> None:
    assert "Ông Nguyễn Văn Bình, Chủ tịch UBND xã - Trưởng ban;" in _texts(_doc("c3b"))


def test_lines_opening_a_bracket_under_the_signer_are_kept() -> None:
    texts = _texts(_doc("p1"))
    assert "(1) Hộ ông Lò Văn Sính" in texts and "(Danh sách này gồm 02 hộ" in texts


def test_a_recipients_list_opening_in_small_letters() -> None:
    assert _doc("r1")["recipients"][-1] == "Lưu VP."


def test_a_type_line_with_its_number_is_still_a_type() -> None:
    assert doc_type_of("CHỈ THỊ SỐ 15-CT/UB") == "CHỈ THỊ SỐ 15-CT/UB"
    assert doc_type_of("PHIẾU SỐ 3") is None


def test_cac_de_nghi_is_a_title_and_ban_chi_dao_with_its_verb_a_sentence() -> None:
    assert ("2.", "Các đề nghị") in section_titles(_doc("yc"))
    assert ("2.", None) in section_titles(_doc("b"))


def test_meeting_officers_listed_in_the_body_open_no_closing() -> None:
    doc = _doc("bb")
    assert ("II.", "NỘI DUNG") in section_titles(doc)
    assert doc["signature"]["name"] == "Nguyễn Văn An" and len(doc["other_signatures"]) == 1


def test_a_quotation_closing_before_a_footnote_mark_closes() -> None:
    labels = [label for label, _ in section_titles(_doc("q2"))]
    assert labels == ["Điều 1.", "1.", "2.", "Điều 2."]


def test_the_subject_does_not_take_the_body_first_line() -> None:
    assert _doc("sj")["header"]["subject"] == "Tình hình thiệt hại do bão số 4 gây ra"


def test_a_month_read_1_1_gives_no_date_and_qui_keeps_its_marks() -> None:
    assert parse_date("ngày 05 tháng 1 1 năm 2025") is None
    assert doc_type_of("BAN QUI DINH") == "BẢN QUI ĐỊNH"
