"""What follows a signed name in a closing (a note, a confirming office's block, a second
signer, a witness, a preparer), and the heading, paragraph and date rules the fifth review
of the person's-papers rules found firing on ordinary documents. All names and places
are invented."""

from __future__ import annotations

from structure_trees import structured

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
APPLICATION = [
    *MOTTO,
    "ĐƠN ĐỀ NGHỊ",
    "Xác nhận hộ nghèo",
    "Kính gửi: Ủy ban nhân dân xã Ia Mơ",
    "Tôi tên là Nguyễn Văn An, sinh năm 1975, thường trú tại thôn 2, xã Ia Mơ.",
    "Tôi xin cam đoan những lời khai trên là đúng sự thật.",
    "Ia Mơ, ngày 05 tháng 3 năm 2026",
    "Người làm đơn",
    "Nguyễn Văn An",
]
REPORT = [
    "ỦY BAN NHÂN DÂN",
    "HUYỆN EA TIÊU",
    "Số: 45/BC-UBND",
    *MOTTO,
    "Ea Tiêu, ngày 05 tháng 3 năm 2026",
    "BÁO CÁO",
    "Kết quả thực hiện nhiệm vụ năm 2025",
]
SIGNED = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Bình"]
NOTE = "Ghi chú: kèm bản sao sổ hộ khẩu."
CONFIRMATION = [
    "XÁC NHẬN CỦA UBND XÃ IA MƠ",
    "Ông Nguyễn Văn An hiện cư trú tại thôn 2,",
    "Ia Mơ, ngày 06 tháng 3 năm 2026",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Ksor Thăng",
]


def _texts(doc: dict) -> list[str]:
    out: list[str] = []

    def walk(nodes: list[dict]) -> None:
        for n in nodes:
            out.append(n.get("text") or n.get("title") or "")
            walk(n.get("children") or [])

    walk(doc["body"])
    return out


def _signer(sig: dict | None) -> tuple:
    return (sig or {}).get("title"), (sig or {}).get("name")


def test_a_note_then_a_confirming_block_keeps_the_applicant_and_the_confirmation() -> None:
    doc = structured(APPLICATION + [NOTE, *CONFIRMATION])
    assert _signer(doc["signature"]) == ("Người làm đơn", "Nguyễn Văn An")
    assert doc["header"]["date"] == "2026-03-05"
    (block,) = doc["other_signatures"]
    assert (block["name"], block["date"]) == ("Ksor Thăng", "2026-03-06")
    assert block["text"] == ["Ông Nguyễn Văn An hiện cư trú tại thôn 2,"]


def test_a_note_then_a_witness_keeps_the_applicant_as_the_signer() -> None:
    doc = structured(APPLICATION + [NOTE, "NGƯỜI LÀM CHỨNG", "Trần Văn Bình"])
    assert _signer(doc["signature"]) == ("Người làm đơn", "Nguyễn Văn An")
    assert [_signer(o) for o in doc["other_signatures"]] == [("NGƯỜI LÀM CHỨNG", "Trần Văn Bình")]


def test_a_witness_named_in_the_body_before_a_note_and_the_parties_row_stays_text() -> None:
    doc = structured(
        [*MOTTO, "BIÊN BẢN", "Về việc bàn giao đất",
         "Hôm nay, tại thôn 3, xã Ea Tiêu, chúng tôi gồm:", "Người làm chứng", "Trần Văn Bình",
         "Lưu ý: các bên tự chịu trách nhiệm về số liệu đã cung cấp.",
         "Hai bên thống nhất bàn giao 200 m2 đất.",
         "ĐẠI DIỆN BÊN GIAO    ĐẠI DIỆN BÊN NHẬN", "Lê Thị Hoa    Phạm Văn Tư"]
    )  # fmt: skip
    assert _signer(doc["signature"]) == ("ĐẠI DIỆN BÊN NHẬN", "Phạm Văn Tư")
    assert any("Trần Văn Bình" in t for t in _texts(doc))


def test_a_second_signers_caption_in_capitals_signs_below_the_applicant() -> None:
    for caption, name in (("CHỦ HỘ", "Trần Thị Lan"), ("TRƯỞNG THÔN 2", "Y Bhăm Niê")):
        doc = structured(APPLICATION + [caption, name])
        assert _signer(doc["signature"]) == ("Người làm đơn", "Nguyễn Văn An")
        assert doc["header"]["date"] == "2026-03-05"
        assert [_signer(o) for o in doc["other_signatures"]] == [(caption, name)]


def test_the_signers_name_printed_again_in_capitals_is_no_second_signer() -> None:
    doc = structured(APPLICATION + ["NGUYỄN VĂN AN"])
    assert _signer(doc["signature"]) == ("Người làm đơn", "Nguyễn Văn An")
    assert doc["other_signatures"] == []


def test_a_preparer_under_the_head_signs_beside_the_report() -> None:
    doc = structured(REPORT + ["Tổng kinh phí đã sử dụng 1.248 triệu đồng.", "HIỆU TRƯỞNG",
                               "Lê Văn Hải", "NGƯỜI LẬP", "Trần Thị Mai"])  # fmt: skip
    assert _signer(doc["signature"]) == ("HIỆU TRƯỞNG", "Lê Văn Hải")
    doc = structured(APPLICATION + ["Người lập", "Trần Văn Bình"])
    assert _signer(doc["signature"]) == ("Người làm đơn", "Nguyễn Văn An")


def test_a_heading_that_lists_offices_after_a_comma_keeps_its_title() -> None:
    doc = structured(REPORT + [
        "I. KẾT QUẢ",
        "1. Kết quả phối hợp giữa Phòng Văn hóa và Thông tin huyện, Phòng Giáo dục và Đào "
        "tạo, Trung tâm Văn hóa:", "a) Tổ chức 12 buổi tuyên truyền;", "b) Tổ chức 03 hội thi.",
        "2. Kết quả thực hiện các chương trình trên địa bàn huyện năm 2025 (Phòng Nông "
        "nghiệp, Phòng Tài chính chủ trì):", "a) Một;", "b) Hai.", *SIGNED])  # fmt: skip
    section = doc["body"][0]["children"]
    assert section[0]["title"].startswith("Kết quả phối hợp giữa Phòng Văn hóa")
    assert section[1]["title"].startswith("Kết quả thực hiện các chương trình")


def test_a_subject_and_its_verb_after_the_comma_make_a_sentence() -> None:
    doc = structured(REPORT + [
        "I. KẾT QUẢ",
        "1. Về công tác dân vận, Thường trực Huyện ủy đã chỉ đạo các cơ quan triển khai "
        "các nội dung:", "a) Một;", "b) Hai.", *SIGNED])  # fmt: skip
    assert doc["body"][0]["children"][0]["title"] is None


def test_a_note_ends_at_the_recipients_label_not_at_a_sentence_naming_one() -> None:
    doc = structured(REPORT[:-2] + ["THÔNG BÁO", "Về việc tiếp nhận hồ sơ",
                     "Ủy ban nhân dân xã thông báo việc tiếp nhận hồ sơ.", *SIGNED,
                     "Ghi chú: Hồ sơ nộp trước ngày 30/3/2026.",
                     "Nơi nhận hồ sơ: Bộ phận Một cửa UBND xã.", "Nơi nhận:", "- Các thôn;",
                     "- Lưu: VT."])  # fmt: skip
    assert doc["recipients"] == ["Các thôn;", "Lưu: VT."]
    assert any(t.startswith("Nơi nhận hồ sơ:") for t in _texts(doc))


def test_a_capitals_row_opening_with_cac_is_not_glued_to_the_title_above() -> None:
    rows = ["I. DANH SÁCH CÁC HỘ ĐỀ NGHỊ HỖ TRỢ", "CÁC HỘ THUỘC THÔN 1 (05 hộ)", "Hộ ông A."]
    doc = structured(REPORT + rows + SIGNED)
    assert doc["body"][0]["title"] == "DANH SÁCH CÁC HỘ ĐỀ NGHỊ HỖ TRỢ"


def test_a_date_after_a_word_that_wants_more_is_the_sentences() -> None:
    doc = structured([*MOTTO, "ĐƠN XIN NGHỈ PHÉP", "Kính gửi: Ban Giám hiệu Trường Ia Mơ",
                      "Tôi xin nghỉ phép 05 ngày, kể từ", "Ngày 09 tháng 3 năm 2026",
                      "Người làm đơn", "Nguyễn Thị Lan"])  # fmt: skip
    assert doc["header"]["date"] is None
    assert any(t.endswith("kể từ Ngày 09 tháng 3 năm 2026") for t in _texts(doc))


def test_dots_at_a_lines_end_over_a_line_in_small_letters_are_one_sentence() -> None:
    doc = structured(REPORT + ["I. KẾT QUẢ", "Các loại cây trồng chính gồm lúa, ngô, sắn....",
                               "và một số cây ăn quả khác.", *SIGNED])  # fmt: skip
    assert (
        _texts(doc)[1]
        == "Các loại cây trồng chính gồm lúa, ngô, sắn.... và một số cây ăn quả khác."
    )


def test_the_writers_first_sentence_is_no_addressee() -> None:
    # (under the confirming block's longer lines the addressee's line is no short one)
    doc = structured(APPLICATION + CONFIRMATION)
    assert doc["addressees"] == ["Ủy ban nhân dân xã Ia Mơ"]
    assert any(t.startswith("Tôi tên là Nguyễn Văn An") for t in _texts(doc))
