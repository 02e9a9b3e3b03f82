"""Structure rules from set 18's misses (tests/data/structure_heldout18, scored once at the
start of the round after the one that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import section_titles, structured

RULES_HEAD = [
    "UBND XÃ NÀ PHẶC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TRẠM Y TẾ XÃ Độc lập - Tự do - Hạnh phúc",
    "Nà Phặc, ngày 2 tháng 3 năm 2027",
    "QUY CHẾ",
    "Làm việc của Trạm Y tế xã",
]


def test_a_chaptered_documents_articles_printed_with_a_stop_have_titles() -> None:
    doc = structured(
        RULES_HEAD
        + [
            "Chương I",
            "QUY ĐỊNH CHUNG",
            "Điều 1. Phạm vi và đối tượng áp dụng của quy chế.",
            "Quy chế này áp dụng với viên chức của Trạm.",
            "Điều 2. Nguyên tắc làm việc.",
            "1. Trạm làm việc theo chế độ thủ trưởng, đề cao trách nhiệm của Trạm trưởng.",
            "2. Mọi hoạt động của Trạm được công khai với nhân dân theo quy định.",
            "Chương II",
            "TỔ CHỨC THỰC HIỆN",
            "Điều 3. Trách nhiệm thi hành.",
            "Viên chức của Trạm chịu trách nhiệm thi hành Quy chế này.",
        ]
    )
    assert section_titles(doc) == [
        ("Chương I", "QUY ĐỊNH CHUNG"),
        ("Điều 1.", "Phạm vi và đối tượng áp dụng của quy chế"),
        ("Điều 2.", "Nguyên tắc làm việc"),
        ("1.", None),
        ("2.", None),
        ("Chương II", "TỔ CHỨC THỰC HIỆN"),
        ("Điều 3.", "Trách nhiệm thi hành"),
    ]


def test_a_decisions_articles_ending_in_a_stop_stay_its_text() -> None:
    """No chapters: "Điều 2. Giao Trạm trưởng tổ chức thực hiện." is the decision itself."""
    doc = structured(
        RULES_HEAD[:3]
        + [
            "QUYẾT ĐỊNH",
            "Về việc thành lập tổ phòng dịch",
            "Điều 1. Thành lập tổ phòng dịch của Trạm.",
            "Điều 2. Giao Trạm trưởng tổ chức thực hiện.",
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
        ]
    )
    assert [title for _label, title in section_titles(doc)] == [None, None, None]


def test_a_word_processors_raised_footnote_numbers_read_as_marks_open_their_bodies() -> None:
    """A new user's scan: the small raised ¹ and ² opening two footnote bodies at the page's
    bottom, under the signature, were read "'" and "?"; both bodies were lost."""
    from structure_trees import scanned

    doc = scanned([
        (300, 2100, "ỦY BAN NHÂN DÂN XÃ NÀ PHẶC"),
        (300, 2100, "BÁO CÁO"),
        (300, 2100, "Thiệt hại do mưa lũ"),
        (300, 2100, "Cơn bão số 3¹ làm hư hỏng 12 ngôi nhà, thiệt hại ước 900 triệu đồng²."),
        (300, 2100, "Xã đã hỗ trợ các hộ sửa chữa nhà cửa./."),
        (300, 1200, "Nơi nhận:"),
        (300, 1200, "- UBND huyện;"),
        (300, 1200, "- Lưu: VT."),
        (1500, 2100, "CHỦ TỊCH"),
        (1500, 2100, "Lò Văn Piến"),
        (300, 2100, "' Cơn bão đổ bộ ngày 20 tháng 8 năm 2027."),
        (300, 2100, "? Theo biên bản kiểm đếm của các thôn."),
    ])  # fmt: skip
    assert [(f["number"], f["text"], f["linked"]) for f in doc["footnotes"]] == [
        (1, "Cơn bão đổ bộ ngày 20 tháng 8 năm 2027.", True),
        (2, "Theo biên bản kiểm đếm của các thôn.", True),
    ]
    assert doc["signature"]["name"] == "Lò Văn Piến"


def test_a_bad_copys_recipients_have_their_report_codes_and_filing_label_mended() -> None:
    """Set 18's scans: "(để b/e)", "(để b/)", "1u: TYT.", "=Lưu: TYT.", "Lưu: VT,NN."."""
    from structure_trees import scanned

    head = [
        (300, 2100, "ỦY BAN NHÂN DÂN XÃ NÀ PHẶC"),
        (300, 2100, "THÔNG BÁO"),
        (300, 2100, "Lịch tiếp công dân"),
        (300, 2100, "Xã tiếp công dân vào thứ Năm./."),
    ]
    readings = [
        ("- 1u: TYT.", "Lưu: TYT."),
        ("=Lưu: TYT.", "Lưu: TYT."),
        ("- Lưu: VT,NN.", "Lưu: VT, NN."),
    ]
    for filing, mended in readings:
        doc = scanned(head + [
            (300, 1200, "Nơi nhận:"),
            (300, 1200, "- Huyện ủy (để b/e);"),
            (300, 1200, "- UBND huyện (để b/);"),
            (300, 1200, filing),
            (1500, 2100, "CHỦ TỊCH"),
            (1500, 2100, "Lò Văn Piến"),
        ])  # fmt: skip
        assert doc["recipients"] == ["Huyện ủy (để b/c);", "UBND huyện (để b/c);", mended]


def test_the_closing_sentence_is_the_bodys_not_the_last_numbered_items() -> None:
    """A new user's công văn: "Trong quá trình thực hiện, nếu có vướng mắc ..." after "2."
    was read as part of item 2 (its paragraph, from text without blank lines)."""
    doc = structured(
        RULES_HEAD[:3]
        + [
            "V/v chuẩn bị khám sức khỏe định kỳ",
            "Trạm đề nghị các thôn:",
            "1. Lập danh sách người cao tuổi của thôn.",
            "2. Thông báo lịch khám đến từng hộ gia đình.",
            "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ Trạm Y tế xã",
            "để được hướng dẫn./.",
        ]
    )
    last = doc["body"][-1]
    assert last["kind"] == "paragraph" and last["text"].startswith("Trong quá trình thực hiện")
    item = next(n for n in doc["body"] if n.get("label") == "2.")
    assert all("vướng mắc" not in (c.get("text") or "") for c in item["children"])
