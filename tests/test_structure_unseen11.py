"""Layout rules from set 11 (issue 18, round 14): printed labels kept as printed, clause
titles read from their lead-in, a one-word clause title, a footnote body and a signer
that the rules missed.

Every text here is invented for the test.
"""

from __future__ import annotations

from structure_trees import structured
from structure_trees import walk as _walk

HEAD = [
    "UBND XÃ ĐỒI THÔNG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 17/BC-UBND",
    "Đồi Thông, ngày 9 tháng 5 năm 2026",
    "",
    "BÁO CÁO",
    "Kết quả làm mới chợ phiên",
    "",
]
CLOSING = ["Nơi nhận:", "- Các thôn;", "- Lưu: VT.", "CHỦ TỊCH", "", "Lò Văn Thắm"]


def _doc(body: list[str], footnotes: list[str] | None = None, closing=None) -> dict:
    return structured(HEAD + body + (CLOSING if closing is None else closing) + (footnotes or []))


def _headings(doc: dict) -> list[tuple[str, int, str | None]]:
    return [
        (n["label"], n["level"], n["title"]) for n in _walk(doc["body"]) if n["kind"] == "section"
    ]


def test_part_and_section_labels_keep_the_period_they_were_printed_with():
    doc = _doc(
        [
            "PHẦN I. VIỆC ĐÃ LÀM",
            "Mục 1. Sửa mái chợ",
            "Các gian hàng đã được thay mái tôn mới.",
            "PHẦN II. VIỆC SẮP LÀM",
            "Chương 1. Lát nền",
            "Nền chợ sẽ được lát gạch trước mùa mưa.",
        ]
    )
    assert [h[0] for h in _headings(doc)] == ["PHẦN I.", "Mục 1.", "PHẦN II.", "Chương 1."]
    assert not any("numbering_warning" in n for n in _walk(doc["body"]))


def test_a_clause_label_right_under_a_typed_table_row_opens_its_section():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "1. Kinh phí.",
            "Xã đã chi cho chợ như sau:",
            "TT Hạng mục Dự toán Thực chi",
            "1 Thay mái tôn 20.000.000 19.500.000",
            "Cộng 20.000.000 19.500.000",
            "2. Hạn chế.",
            "Một số gian hàng chưa có rãnh thoát nước.",
        ]
    )
    assert ("2.", 2, "Hạn chế") in _headings(doc)


def test_a_clause_ending_in_a_consists_of_lead_in_is_text_not_a_title():
    doc = _doc(
        [
            "I. HỒ SƠ",
            "1. Hồ sơ xin thuê gian hàng gửi về Ban quản lý chợ gồm:",
            "- Đơn xin thuê;",
            "- Bản sao giấy tờ tùy thân.",
            "2. Thời hạn nộp",
            "- Trước ngày 20 tháng 5.",
        ]
    )
    assert ("1.", 2, None) in _headings(doc)
    assert ("2.", 2, "Thời hạn nộp") in _headings(doc)


def test_a_long_phrase_before_an_amount_is_a_clause_not_a_title():
    doc = _doc(
        [
            "Điều 3. Chi cho tổ quản lý chợ",
            "1. Tiền công được chi theo hợp đồng đã ký với từng người.",
            "2. Tiền bồi dưỡng khi trực đêm tại chợ vào các ngày phiên: 40.000 đồng/đêm.",
            "Điều 4. Chi khác",
            "1. Tổng số: 02 khoản, gồm tiền điện và tiền nước.",
        ]
    )
    heads = _headings(doc)
    assert ("2.", 2, None) in heads
    assert ("1.", 2, "Tổng số") in heads


def test_a_long_addressee_phrase_is_titled_like_its_titled_siblings():
    doc = _doc(
        [
            "1. Phòng Kinh tế huyện: hướng dẫn xã sắp xếp lại các gian hàng.",
            "2. Ban quản lý chợ: thu phí đúng mức đã niêm yết.",
            "3. Đề nghị Hội Liên hiệp Phụ nữ xã và Hội Nông dân các thôn: "
            "vận động hội viên bán hàng đúng chỗ.",
        ]
    )
    titles = {h[0]: h[2] for h in _headings(doc)}
    assert titles["3."] == ("Đề nghị Hội Liên hiệp Phụ nữ xã và Hội Nông dân các thôn")


TWO_SIGNERS_ABOVE_RECIPIENTS = [
    "",
    "TRƯỞNG BAN QUẢN LÝ CHỢ CHỦ TỊCH",
    "",
    "",
    "Hà Thị Mến Vi Văn Khoa",
    "",
    "Nơi nhận:",
    "- Các thôn;",
    "- Lưu: VT.",
]


def _two_signers_doc() -> dict:
    body = ["I. KẾT QUẢ", "Chợ mở lại sau khi sửa mái¹./.", "", "1 Mái tôn do xã mua."]
    return _doc(body, closing=TWO_SIGNERS_ABOVE_RECIPIENTS)


def test_a_last_page_footnote_ends_at_a_signature_row_after_a_blank_line():
    doc = _two_signers_doc()
    assert [f["text"] for f in doc["footnotes"]] == ["Mái tôn do xã mua."]


def test_a_co_signer_title_beside_the_signer_title_leaves_the_right_column_signing():
    sig = _two_signers_doc()["signature"]
    assert (sig["title"], sig["name"]) == ("CHỦ TỊCH", "Vi Văn Khoa")


def test_a_marker_written_after_a_unit_exponent_is_that_footnote_not_a_bigger_one():
    body = ["I. KẾT QUẢ", "Chợ thu phí nước 3.000 đồng/m³¹ từ tháng 6.", ""]
    doc = _doc(body, footnotes=["", "1 Mức thu do hội nghị thôn quyết định."])
    assert [f["number"] for f in doc["footnotes"]] == [1]
    assert doc["footnotes"][0].get("linked") is True
    para = doc["body"][0]["children"][0]
    assert (para["text"], para.get("footnote_refs")) == (
        "Chợ thu phí nước 3.000 đồng/m³ từ tháng 6.",
        [1],
    )


def test_a_last_page_footnote_ends_at_a_signature_row_in_text_with_no_blank_lines():
    body = ["I. KẾT QUẢ", "Chợ mở lại sau khi sửa mái¹./.", "1 Mái tôn do xã mua."]
    closing = [ln for ln in TWO_SIGNERS_ABOVE_RECIPIENTS if ln]
    doc = _doc(body, closing=closing)
    assert [f["text"] for f in doc["footnotes"]] == ["Mái tôn do xã mua."]
    assert doc["signature"]["name"] == "Vi Văn Khoa"
