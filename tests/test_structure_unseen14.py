"""Structure rules from set 14's misses (tests/data/structure_heldout14, scored once at the
end of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import structured

HEAD = [
    "UBND XÃ BẢN HẠ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "ĐỘI DÂN PHÒNG THÔN NẬM KHÉ Độc lập - Tự do - Hạnh phúc",
    "Bản Hạ, ngày 9 tháng 5 năm 2027",
    "",
    "BIÊN BẢN",
    "Họp đội dân phòng quý II",
    "",
    "1. Tình hình an ninh",
    "Trong quý không xảy ra vụ việc phức tạp.",
    "",
]


def test_a_unit_head_title_written_unit_first_signs_beside_a_confirming_body():
    doc = structured(
        HEAD + ["XÁC NHẬN CỦA CÔNG AN XÃ BẢN HẠ ĐỘI TRƯỞNG", "", "", "Lò Văn Piến Cầm Thị Nhung"]
    )
    assert doc["signature"]["title"] == "ĐỘI TRƯỞNG"
    assert doc["signature"]["name"] == "Cầm Thị Nhung"


def test_two_column_titles_whose_right_one_names_its_board_sign_on_the_right():
    doc = structured(HEAD + ["THƯ KÝ TRƯỞNG BAN TỔ CHỨC", "", "", "Lò Văn Piến Cầm Thị Nhung"])
    assert doc["signature"]["title"] == "TRƯỞNG BAN TỔ CHỨC"
    assert doc["signature"]["name"] == "Cầm Thị Nhung"


def test_a_mixed_case_deputy_unit_head_beside_a_recipient_is_the_signers_title():
    closing = [
        "Nơi nhận: KT. TỔ TRƯỞNG",
        "- Công an xã (để b/c); Phó Tổ trưởng",
        "- Các hộ dân;",
        "- Lưu: ĐDP.",
        "",
        "Cầm Thị Nhung",
    ]
    doc = structured(HEAD + closing)
    assert doc["recipients"] == ["Công an xã (để b/c);", "Các hộ dân;", "Lưu: ĐDP."]
    assert doc["signature"]["title"] == "Phó Tổ trưởng"
    assert doc["signature"]["name"] == "Cầm Thị Nhung"


def test_a_recipient_naming_a_board_head_in_mixed_case_stays_a_recipient():
    closing = [
        "Nơi nhận:",
        "- Trưởng ban Dân vận",
        "xã Bản Hạ;",
        "- Lưu: ĐDP.",
        "ĐỘI TRƯỞNG",
        "",
        "Cầm Thị Nhung",
    ]
    doc = structured(HEAD + closing)
    assert doc["recipients"] == ["Trưởng ban Dân vận xã Bản Hạ;", "Lưu: ĐDP."]
    assert doc["signature"]["title"] == "ĐỘI TRƯỞNG"
