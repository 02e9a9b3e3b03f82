"""Structure rules from set 26's misses (tests/data/structure_heldout26, scored once at the
start of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import section_titles, structured

HEAD = [
    "CHI CỤC THI HÀNH ÁN DÂN SỰ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "HUYỆN LŨNG BÀNG Độc lập - Tự do - Hạnh phúc",
    "Số: 12/BB-CCTHADS Lũng Bàng, ngày 4 tháng 6 năm 2024",
    "BIÊN BẢN",
    "Về việc xác minh điều kiện thi hành án",
    "1. Thành phần",
    "Chấp hành viên và người phải thi hành án.",
]


def test_an_enforcement_officer_signs_beside_the_party():
    closing = ["NGƯỜI PHẢI THI HÀNH ÁN CHẤP HÀNH VIÊN", "", "", "Hà Văn Sĩ Mông Đức Lâm"]
    doc = structured(HEAD + closing)
    assert doc["signature"]["title"] == "CHẤP HÀNH VIÊN"
    assert doc["signature"]["name"] == "Mông Đức Lâm"


def test_a_colon_inside_brackets_opens_no_inline_title():
    body = [
        "3. Giá hợp đồng",
        "3.1. Giá trọn gói là 2.400.000.000 đồng (bằng chữ: Hai tỷ, bốn trăm triệu đồng).",
        "3.2. Giá không đổi trong suốt thời gian thực hiện.",
    ]
    doc = structured(HEAD + body + ["CHẤP HÀNH VIÊN", "", "Mông Đức Lâm"])
    assert ("3.1.", None) in section_titles(doc)


def test_a_memorandums_number_under_its_title_is_its_number():
    head = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lũng Bàng, ngày 18 tháng 9 năm 2020",
        "BẢN GHI NHỚ HỢP TÁC",
        "Về đào tạo và tuyển dụng lao động",
        "Số: 05/2020/BGN-CĐ-LN",
        "Bản ghi nhớ này được lập giữa hai bên.",
    ]
    doc = structured(head + ["GIÁM ĐỐC", "", "Mông Đức Lâm"])
    assert doc["header"]["number"] == "05/2020/BGN-CĐ-LN"
    assert doc["header"]["doc_type"] == "BẢN GHI NHỚ HỢP TÁC"


def test_a_given_name_that_is_also_a_surname_stays_with_its_name():
    closing = ["NGƯỜI PHẢI THI HÀNH ÁN THƯ KÝ", "", "", "Trần Thị Bé Hoa Lò Sình Pao"]
    doc = structured(HEAD + closing)
    assert doc["signature"]["name"] == "Lò Sình Pao"
    assert doc["other_signatures"][0]["name"] == "Trần Thị Bé Hoa"


def test_two_stacked_rows_of_signers_keep_the_first_rows_signer():
    closing = ["NGƯỜI PHẢI THI HÀNH ÁN CHẤP HÀNH VIÊN", "", "", "Hà Văn Sĩ Mông Đức Lâm", ""]
    closing += ["ĐẠI DIỆN UBND XÃ THƯ KÝ THI HÀNH ÁN", "", "", "Lường Văn Toản Nông Thị Diệu"]
    doc = structured(HEAD + closing)
    assert doc["signature"]["title"] == "CHẤP HÀNH VIÊN"
    assert doc["signature"]["name"] == "Mông Đức Lâm"
    assert [(o["title"], o["name"]) for o in doc["other_signatures"]] == [
        ("NGƯỜI PHẢI THI HÀNH ÁN", "Hà Văn Sĩ"),
        ("ĐẠI DIỆN UBND XÃ", "Lường Văn Toản"),
        ("THƯ KÝ THI HÀNH ÁN", "Nông Thị Diệu"),
    ]


def test_a_khmer_surname_opens_the_second_name_and_a_memorandum_number_after_a_blank():
    closing = ["NGƯỜI PHẢI THI HÀNH ÁN THƯ KÝ", "", "", "Trần Văn Hùng Thạch Sô Phia"]
    doc = structured(HEAD + closing)
    assert doc["signature"]["name"] == "Thạch Sô Phia"
    head = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    head += ["BẢN GHI NHỚ HỢP TÁC", "Về đào tạo và tuyển dụng lao động", ""]
    head += ["Số: 05/2020/BGN-CĐ-LN", "", "Bản ghi nhớ này được lập giữa hai bên."]
    doc = structured(head + ["GIÁM ĐỐC", "", "Mông Đức Lâm"])
    assert doc["header"]["number"] == "05/2020/BGN-CĐ-LN"


def test_a_middle_name_that_is_a_surname_stays_in_its_name():
    closing = ["THƯ KÝ CHỦ TỌA", "", "", "Hoàng Văn Nam Lê Hoàng Anh"]
    doc = structured(HEAD + closing)
    assert doc["signature"]["name"] == "Lê Hoàng Anh"
    assert doc["other_signatures"][0]["name"] == "Hoàng Văn Nam"
