"""Rules of round 27 firing where they should not, as its review found them: an annex
named in a sentence, "thân gửi" inside a sentence, a list of names under a person's
signature, a recipients' label with its colon before a small letter, commas and verbs in
a heading's text, an invitation's subject. Invented documents."""

from __future__ import annotations

from structure_trees import section_titles, structured, walk

HEAD = [
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "XÃ PHÚC SƠN Độc lập - Tự do - Hạnh phúc",
    "Số: 45/QĐ-UBND Phúc Sơn, ngày 12 tháng 3 năm 2024",
    "QUYẾT ĐỊNH",
    "Về việc sửa đổi Quy chế",
]
CLOSING = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Bình"]


def _texts(doc: dict) -> list[str]:
    return [n.get("text") or "" for n in walk(doc["body"])]


def test_an_annex_named_in_a_sentence_is_no_section() -> None:
    doc = structured(HEAD + [
        "Điều 1. Sửa đổi Điều 5 Quy chế như sau:",
        "Phụ lục I Nghị định số 30/2020/NĐ-CP quy định thể thức văn bản được áp dụng.",
        "Phụ lục 1: Biểu tổng hợp kết quả thực hiện các chỉ tiêu.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        *CLOSING,
    ])  # fmt: skip
    assert section_titles(doc) == [("Điều 1.", None), ("Điều 2.", None)]


# a district's letter of greetings, as far as its type line
LETTER_HEAD = [
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "HUYỆN BẮC HÀ Độc lập - Tự do - Hạnh phúc", "Bắc Hà, ngày 28 tháng 01 năm 2025",
    "THƯ CHÚC MỪNG",
]  # fmt: skip


def test_than_gui_inside_a_sentence_opens_no_addressees() -> None:
    doc = structured([
        *LETTER_HEAD, "Nhân dịp đón Xuân mới, Ủy ban nhân dân huyện Bắc Hà",
        "thân gửi tới toàn thể cán bộ, giáo viên lời chúc sức khỏe.",
        "Chúc các đồng chí một năm mới an khang.", "CHỦ TỊCH", "Lù Văn Sáng",
    ])  # fmt: skip
    assert doc["addressees"] == []
    assert any("thân gửi tới toàn thể cán bộ" in t for t in _texts(doc))


def test_a_list_of_names_under_a_persons_signature_then_a_sentence_stays_text() -> None:
    doc = structured([
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "ĐƠN ĐỀ NGHỊ", "Hỗ trợ nhà ở cho hộ nghèo", "Kính gửi: Ủy ban nhân dân xã Pa Vệ",
        "Tôi tên là Giàng A Páo, sinh năm 1980, thường trú tại bản Pa Vệ.",
        "Người làm đơn", "Giàng A Páo", "CÁC THÀNH VIÊN TRONG HỘ", "Giàng Thị Mỷ",
        "Sùng Thị Dế", "Cả hộ gồm 03 nhân khẩu, đều cư trú tại bản.",
    ])  # fmt: skip
    assert any("Cả hộ gồm 03 nhân khẩu" in t for t in _texts(doc))


def test_the_recipients_label_with_its_colon_before_a_small_letter() -> None:
    doc = structured(HEAD + ["Điều 1. Sửa đổi Quy chế.", "Nơi nhận: như Điều 3;",
                             "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Văn Bình"])  # fmt: skip
    assert doc["recipients"] == ["như Điều 3;", "Lưu: VT."]
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"


def test_an_office_and_its_verb_after_a_comma_make_a_sentence_and_ban_chi_dao_a_title() -> None:
    doc = structured(HEAD[:3] + ["KẾ HOẠCH", "Bảo vệ rừng năm 2025", "I. NHIỆM VỤ",
        "1. Về công tác quản lý, bảo vệ rừng, Ủy ban nhân dân huyện giao Hạt Kiểm lâm"
        " chủ trì thực hiện các nội dung:", "a) Tuần tra;", "b) Phòng cháy.",
        "II. TỔ CHỨC THỰC HIỆN", "1. Ban chỉ đạo:", "- Rà soát kế hoạch.",
        "2. Phòng Tài chính - Kế hoạch:", "- Cân đối nguồn vốn.", *CLOSING])  # fmt: skip
    titles = section_titles(doc)
    assert titles[1] == ("1.", None)
    assert ("1.", "Ban chỉ đạo") in titles


def test_an_invitations_subject_under_thu_moi() -> None:
    doc = structured(HEAD[:3] + ["THƯ MỜI", "Dự Hội nghị tổng kết công tác năm 2024",
                                 "Kính gửi: Các đồng chí trưởng thôn.", "Trân trọng kính mời.",
                                 *CLOSING])  # fmt: skip
    assert doc["header"]["subject"] == "Dự Hội nghị tổng kết công tác năm 2024"
