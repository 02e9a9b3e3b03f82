"""Structure rules from set 24's misses (tests/data/structure_heldout24, scored once at the
start of the round that wrote it): invented documents in the same shapes, typed from the
1960s to the 1990s."""

from __future__ import annotations

from structure_trees import section_titles, structured, walk

from ocr_pipeline.export.markdown import to_markdown
from ocr_pipeline.structure.labels import parse_label


def _levels(doc: dict) -> list[tuple[str, int]]:
    return [(n["label"], n["level"]) for n in walk(doc["body"]) if n["kind"] == "section"]


def test_a_header_of_the_democratic_republic_with_ornaments_and_no_place() -> None:
    doc = structured(
        [
            "ỦY BAN HÀNH CHÍNH TỈNH BẮC ĐỘ VIỆT NAM DÂN CHỦ CỘNG HÒA",
            "TY THỦY LỢI Độc lập - Tự do - Hạnh phúc",
            "-----oOo----- =0=",
            "Số 21 TL/KH Ngày 14 tháng 6 năm 1971",
            "",
            "THÔNG TRI",
            "Về việc phòng chống lụt bão năm 1971",
            "",
            "Mùa mưa bão năm nay đến sớm, các huyện cần chuẩn bị ngay vật tư hộ đê.",
        ]
    )
    header = doc["header"]
    assert header["national_title"] == "VIỆT NAM DÂN CHỦ CỘNG HÒA"
    assert header["issuer"] == ["ỦY BAN HÀNH CHÍNH TỈNH BẮC ĐỘ", "TY THỦY LỢI"]
    assert header["number"] == "21 TL/KH"  # the code set apart from the number
    assert (header["place"], header["date"]) == (None, "1971-06-14")
    assert header["doc_type"] == "THÔNG TRI"
    assert header["subject"] == "Về việc phòng chống lụt bão năm 1971"


def test_a_letter_without_a_type_line_under_a_star_ornament() -> None:
    doc = structured(
        [
            "SỞ GIAO THÔNG BẮC ĐỘ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "ĐOẠN QUẢN LÝ ĐƯỜNG BỘ 3 Độc lập - Tự do - Hạnh phúc",
            "* ***",
            "Số 40 ĐB/VT Phố Lữ, ngày 3-2-1986",
            "V/v xin cấp nhựa đường sửa mặt đường",
            "",
            "Kính gửi: - Sở Giao thông Bắc Độ",
            "- Ủy ban Kế hoạch tỉnh",
            "",
            "Đoạn đề nghị cấp 40 tấn nhựa đường cho quý I.",
        ]
    )
    header = doc["header"]
    assert (header["number"], header["place"], header["date"]) == (
        "40 ĐB/VT",
        "Phố Lữ",
        "1986-02-03",
    )
    assert header["subject"] == "V/v xin cấp nhựa đường sửa mặt đường"
    assert doc["addressees"] == ["Sở Giao thông Bắc Độ", "Ủy ban Kế hoạch tỉnh"]


def test_capital_letter_parts_with_a_period_over_romans_and_points() -> None:
    doc = structured(
        [
            "A. TÌNH HÌNH CHUNG",
            "Hợp tác xã có 210 hộ xã viên.",
            "B. KẾT QUẢ SẢN XUẤT",
            "I. Trồng trọt",
            "1) Lúa: năng suất bình quân 24 tạ/ha.",
            "2) Màu: trồng 30 mẫu khoai lang.",
            "II. Chăn nuôi",
            "Đàn lợn tập thể có 96 con.",
            "C. KIẾN NGHỊ",
            "Đề nghị huyện cấp thêm phân lân.",
        ]
    )
    assert _levels(doc) == [
        ("A.", 1),
        ("B.", 1),
        ("I.", 2),
        ("1)", 3),
        ("2)", 3),
        ("II.", 2),
        ("C.", 1),
    ]
    # an initial before a name, or a title in small letters, is no such label
    assert parse_label("A. Nguyễn Văn Bình đọc báo cáo.") is None
    assert parse_label("B. Tình hình") is None


def test_old_articles_copies_sent_and_an_acting_chairman() -> None:
    doc = structured(
        [
            "QUYẾT ĐỊNH",
            "Điều 1.- Tặng Giấy khen cho Đội sản xuất số 2.",
            "Điều 2.- Đội được thưởng 30 đồng.",
            "Điều 3.- Văn phòng Ủy ban và đội có tên ở Điều 1 thi hành quyết định này./.",
            "Sao gửi:",
            "- Ủy ban nhân dân tỉnh (để b/c)",
            "- Như Điều 3",
            "- Lưu",
            "T/M ỦY BAN NHÂN DÂN HUYỆN",
            "Q. CHỦ TỊCH",
            "(Đã ký)",
            "Lê Văn Thụ",
        ]
    )
    assert [label for label, _ in section_titles(doc)] == ["Điều 1.-", "Điều 2.-", "Điều 3.-"]
    assert doc["recipients"] == [
        "Ủy ban nhân dân tỉnh (để b/c)",
        "Như Điều 3",
        "Lưu",
    ]
    signature = doc["signature"]
    assert signature["authority"] == "T/M ỦY BAN NHÂN DÂN HUYỆN"
    assert (signature["title"], signature["name"]) == ("Q. CHỦ TỊCH", "Lê Văn Thụ")


def test_copies_typed_on_one_line_each_after_its_dash() -> None:
    doc = structured(
        [
            "Xí nghiệp đề nghị Sở cấp đủ than cho quý II./.",
            "",
            "Nơi gửi: - Sở Công nghiệp (b/c) - UBND huyện Lục Khê - Lưu",
            "GIÁM ĐỐC XÍ NGHIỆP",
            "(ký tên, đóng dấu)",
            "",
            "Trịnh Văn Bổng",
        ]
    )
    assert doc["recipients"] == [
        "Sở Công nghiệp (b/c)",
        "UBND huyện Lục Khê",
        "Lưu",
    ]
    assert doc["signature"]["name"] == "Trịnh Văn Bổng"


def test_a_witness_under_the_signatures_is_not_the_signer() -> None:
    doc = structured(
        [
            "Biên bản lập thành 02 bản, mỗi bên giữ 01 bản./.",
            "",
            "ĐẠI DIỆN CỬA HÀNG TRƯỞNG ĐOÀN KIỂM TRA",
            "",
            "Phạm Thị Mơ Lưu Văn Khiêm",
            "NGƯỜI CHỨNG KIẾN",
            "",
            "Triệu Văn Sơn",
        ]
    )
    assert doc["signature"]["name"] == "Lưu Văn Khiêm"


def test_page_numbers_between_dashes_and_between_a_tables_rows() -> None:
    doc = structured(
        [
            "1) Về nhân lực:",
            "Các đội bố trí đủ người trực đê.",
            "-- 2 --",
            "2) Về vật tư:",
            "Mỗi xã chuẩn bị 500 bao tải.",
            "TT Họ và tên Đội Số ngày công",
            "1 Lý Văn Tâm Đội 1 212",
            "2 Hoàng Thị Én Đội 2 198",
            "3",
            "3 Mạc Văn Hợi Đội 3 187",
            "4 La Thị Dung Đội 1 176",
            "3) Về báo cáo: các đội báo cáo hằng tuần.",
        ]
    )
    assert [(f["kind"], f["text"]) for f in doc["furniture"]] == [
        ("page_number", "-- 2 --"),
        ("page_number", "3"),
    ]
    assert [label for label, _ in section_titles(doc)] == ["1)", "2)", "3)"]


def test_a_long_inline_title_may_name_a_figure_and_a_unit_note_closes_a_table() -> None:
    doc = structured(
        [
            "II/ Thành tích của các đội",
            "1- Đội sản xuất số 2, thôn Bản Chang: cấy xong 100% diện tích trước tiết Lập xuân.",
            "2- Xã viên Lục Thị Hoa, tổ trưởng tổ 5: nuôi 12 con lợn nái, vượt kế hoạch.",
            "III/ Kết quả tài chính",
            "1. Thu chi",
            "TT Khoản Số tiền",
            "1 Thu sản phẩm 12.400",
            "2 Thu dịch vụ 3.100",
            "(Đơn vị tính: đồng)",
            "2. Phân phối",
            "Chia cho xã viên theo ngày công.",
        ]
    )
    titles = section_titles(doc)
    assert ("1-", "Đội sản xuất số 2, thôn Bản Chang") in titles
    assert ("2-", "Xã viên Lục Thị Hoa, tổ trưởng tổ 5") in titles
    assert ("2.", "Phân phối") in titles


def test_an_old_roman_label_as_ocr_misreads_it_continues_its_sequence() -> None:
    doc = structured(
        [
            "L/ Tình hình chung",
            "Vụ chiêm năm nay hợp tác xã gặp hạn đầu vụ, sâu cuốn lá phá hại cuối vụ.",
            "I1 Thành tích của các đội",  # "II/" whose mark OCR lost, an I read as 1
            "Các đội sản xuất cấy xong đúng thời vụ, bón đủ phân chuồng cho lúa.",
            "A. KẾT QUẢ SẢN XUẤT",
            "I. Trồng trọt",
            "Lúa chiêm đạt 22 tạ/ha, màu trồng vượt kế hoạch 15% diện tích.",
            "H. Chăn nuôi",  # "II." read as H
            "Đàn trâu tăng 40 con, đàn lợn tập thể có 120 con, vượt kế hoạch năm.",
        ]
    )
    assert section_titles(doc) == [
        ("I/", "Tình hình chung"),
        ("II/", "Thành tích của các đội"),
        ("A.", "KẾT QUẢ SẢN XUẤT"),
        ("I.", "Trồng trọt"),
        ("II.", "Chăn nuôi"),
    ]


def test_a_first_roman_read_as_1_before_the_second_roman() -> None:
    body = "Hợp tác xã hoàn thành kế hoạch thu mua, bán thóc nghĩa vụ vượt chỉ tiêu huyện giao."
    doc = structured(["1/ Tình hình chung", body, "II/ Đề nghị", body])
    assert section_titles(doc) == [("I/", "Tình hình chung"), ("II/", "Đề nghị")]
    doc = structured(["1/ Tình hình chung", body, "2/ Đề nghị", body, "II/ Kiến nghị", body])
    titles = section_titles(doc)
    assert ("1/", "Tình hình chung") in titles and ("2/", "Đề nghị") in titles


def test_co_signers_and_witnesses_are_kept_beside_the_signature() -> None:
    doc = structured(
        [
            "Cuộc họp kết thúc lúc 11 giờ cùng ngày./.",
            "THƯ KÝ CHỦ TRÌ",
            "Lục Thị Mai Đàm Văn Khôi",
            "NGƯỜI CHỨNG KIẾN",
            "Ma Văn Pụ",
        ]
    )
    assert (doc["signature"]["title"], doc["signature"]["name"]) == ("CHỦ TRÌ", "Đàm Văn Khôi")
    assert doc["other_signatures"] == [
        {"authority": None, "title": "THƯ KÝ", "name": "Lục Thị Mai"},
        {"authority": None, "title": "NGƯỜI CHỨNG KIẾN", "name": "Ma Văn Pụ"},
    ]
    assert "**THƯ KÝ**  \nLục Thị Mai" in to_markdown(doc)
    confirmed = structured(
        [
            "Tập thể đề nghị Ủy ban nhân dân huyện xét khen thưởng./.",
            "XÁC NHẬN CỦA UBND XÃ TM. BAN CHẤP HÀNH",
            "CHỦ TỊCH CHỦ TỊCH",
            "Hoàng Văn Sinh Lý Thị Nga",
        ]
    )
    assert confirmed["signature"]["name"] == "Lý Thị Nga"
    assert confirmed["other_signatures"] == [
        {"authority": "XÁC NHẬN CỦA UBND XÃ", "title": "CHỦ TỊCH", "name": "Hoàng Văn Sinh"}
    ]


def test_recipients_whose_dashes_ocr_lost_stay_recipients() -> None:
    doc = structured(
        [
            "Các xã nghiêm túc thực hiện chỉ thị này./.",
            "Nơi nhận: CHỦ TỊCH",
            "Thường trực Huyện ủy;",
            "Các phòng, ban, các xã;",
            "Lưu VP.",
            "Nông Văn Khiêm",
        ]
    )
    assert doc["recipients"] == ["Thường trực Huyện ủy;", "Các phòng, ban, các xã;", "Lưu VP."]
    assert doc["signature"]["name"] == "Nông Văn Khiêm"


def test_a_subject_typed_beside_the_date_ends_where_the_place_begins() -> None:
    doc = structured(
        [
            "ỦY BAN HÀNH CHÍNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "HUYỆN LỤC KHÊ Độc lập - Tự do - Hạnh phúc",
            "Số: 31/UB",
            "V/v mở lớp xóa mù chữ Phố Lữ, ngày 3 tháng 9 năm 1977",
            "cho thanh niên",
            "Kính gửi: Ủy ban hành chính các xã",
        ]
    )
    header = doc["header"]
    assert (header["place"], header["date"]) == ("Phố Lữ", "1977-09-03")
    assert header["subject"] == "V/v mở lớp xóa mù chữ cho thanh niên"


def test_a_misread_roman_before_the_first_one_read_leads_to_it() -> None:
    body = "Hợp tác xã hoàn thành kế hoạch thu mua, bán thóc nghĩa vụ vượt chỉ tiêu huyện giao."
    doc = structured(["I1 Thành tích của các đội", body, "III/ Đề nghị", body])
    assert section_titles(doc) == [("II/", "Thành tích của các đội"), ("III/", "Đề nghị")]
    # a figure that leads to no roman is not one
    doc = structured(["Il Thành tích của các đội", body, "2. Đề nghị", body])
    assert "II/" not in [label for label, _ in section_titles(doc)]


def test_a_one_line_list_whose_last_dash_ends_the_line_and_a_doubled_old_code() -> None:
    from ocr_pipeline.structure.header import number_with_type_code

    doc = structured(
        [
            "Nông trường đề nghị Sở cấp đủ phân bón cho vụ xuân./.",
            "",
            "Nơi gửi: - Sở Nông nghiệp (b/c) - UBND huyện Lục Khê - Ngân hàng huyện -",
            "Lưu",
            "GIÁM ĐỐC NÔNG TRƯỜNG",
            "",
            "Hà Văn Lãm",
        ]
    )
    assert doc["recipients"] == [
        "Sở Nông nghiệp (b/c)",
        "UBND huyện Lục Khê",
        "Ngân hàng huyện",
        "Lưu",
    ]
    assert doc["signature"]["name"] == "Hà Văn Lãm"
    assert number_with_type_code("47 UB/QĐĐ", "QUYẾT ĐỊNH") == "47 UB/QĐ"  # OCR doubled its Đ
    assert number_with_type_code("76 XN/KH", "QUYẾT ĐỊNH") == "76 XN/KH"


def test_the_old_republics_name_in_a_subject_is_no_national_title() -> None:
    doc = structured(
        [
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "XÃ LỤC KHÊ Độc lập - Tự do - Hạnh phúc",
            "Số: 45/UBND-VP Lục Khê, ngày 05 tháng 8 năm 2025",
            "V/v kỷ niệm 80 năm Quốc khánh nước Việt Nam Dân chủ Cộng hòa",
            "Kính gửi: Các thôn, xóm",
        ]
    )
    header = doc["header"]
    assert header["national_title"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header["subject"] == "V/v kỷ niệm 80 năm Quốc khánh nước Việt Nam Dân chủ Cộng hòa"


def test_one_agencys_two_halves_stay_one_recipient() -> None:
    def recipients(line: str) -> list[str]:
        return structured(
            ["Xã đề nghị cấp trên xem xét./.", "", line, "CHỦ TỊCH", "", "Lê Văn Ba"]
        )["recipients"]

    assert recipients("Nơi nhận: - Sở Lao động - Thương binh và Xã hội; - Lưu: VT.") == [
        "Sở Lao động - Thương binh và Xã hội;",
        "Lưu: VT.",
    ]
    assert recipients("Nơi gửi: - UBND huyện (b/c) - Phòng Tài chính - Kế hoạch - Lưu") == [
        "UBND huyện (b/c)",
        "Phòng Tài chính - Kế hoạch",
        "Lưu",
    ]


def test_a_schedules_points_are_not_titled_by_their_dates() -> None:
    doc = structured(
        [
            "I. THỜI GIAN",
            "1. Đợt 1 từ ngày 15 tháng 3 đến ngày 30 tháng 4: tiêm cho trẻ dưới 5 tuổi tại trạm.",
            "2. Đợt 2 từ ngày 01 tháng 5 đến ngày 30 tháng 6: tiêm cho trẻ từ 5 đến 10 tuổi.",
            "3. Đợt 3 từ ngày 01 tháng 7 đến ngày 30 tháng 8: tiêm bù cho các trẻ còn sót.",
        ]
    )
    assert section_titles(doc) == [("I.", "THỜI GIAN"), ("1.", None), ("2.", None), ("3.", None)]


def test_blocks_under_the_signers_name_are_other_signatures() -> None:
    close = ["Cuộc họp kết thúc lúc 11 giờ cùng ngày./.", "THƯ KÝ CHỦ TRÌ"]
    doc = structured(
        close
        + [
            "Lục Thị Mai Đàm Văn Khôi",
            "NGƯỜI CHỨNG KIẾN",
            "Hoàng Văn Em Lò Thị Phương",
            "XÁC NHẬN CỦA UBND XÃ",
            "CHỦ TỊCH",
            "Lò Văn Phong",
        ]  # fmt: skip
    )
    assert doc["signature"]["name"] == "Đàm Văn Khôi"
    assert [(o["authority"], o["title"], o["name"]) for o in doc["other_signatures"]] == [
        (None, "THƯ KÝ", "Lục Thị Mai"),
        (None, "NGƯỜI CHỨNG KIẾN", "Hoàng Văn Em"),
        (None, "NGƯỜI CHỨNG KIẾN", "Lò Thị Phương"),
        ("XÁC NHẬN CỦA UBND XÃ", "CHỦ TỊCH", "Lò Văn Phong"),
    ]


def test_a_blank_line_ends_addressees_listed_from_the_label_line() -> None:
    doc = structured(
        [
            "Số: 31/UB",
            "V/v hỗ trợ lương thực",
            "Kính gửi: - Ủy ban hành chính xã Tân Lập",
            "- Ty Lương thực",
            "",
            "- Căn cứ đề nghị của xã",
            "- Căn cứ khả năng của kho",
            "Ủy ban hành chính huyện đồng ý cấp 5 tấn gạo.",
        ]
    )
    assert doc["addressees"] == ["Ủy ban hành chính xã Tân Lập", "Ty Lương thực"]
