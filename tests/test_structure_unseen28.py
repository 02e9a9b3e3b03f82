"""Structure rules from set 28's misses (tests/data/structure_heldout28, scored once at the
start of the round that wrote it: a Party committee's documents, contracts and their
minutes, letters of praise and thanks, annexes after the signature): invented documents in
the same shapes."""

from __future__ import annotations

from structure_trees import section_titles, structured

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
# a Đảng ủy xã's header (the Party's title where the motto stands) and signature
PARTY = ["ĐẢNG BỘ TỈNH HÀ SƠN ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY XÃ NẬM PHÌN"]
PARTY_SIGNED = ["T/M ĐẢNG ỦY", "BÍ THƯ", "Lò Văn Khiêm"]


def test_a_party_documents_subject_goes_on_under_its_issuing_body() -> None:
    doc = structured([
        *PARTY,
        "Số 09-NQ/ĐU Nậm Phìn, ngày 3 tháng 5 năm 2021",
        "NGHỊ QUYẾT",
        "CỦA BAN CHẤP HÀNH ĐẢNG BỘ XÃ",
        "về phát triển chè Shan tuyết",
        "giai đoạn 2021 - 2025",
        "I. TÌNH HÌNH",
        "Toàn xã có 210 ha chè.",
        *PARTY_SIGNED,
    ])  # fmt: skip
    assert doc["header"]["subject"] == (
        "CỦA BAN CHẤP HÀNH ĐẢNG BỘ XÃ về phát triển chè Shan tuyết giai đoạn 2021 - 2025"
    )


def test_a_contracts_number_under_its_title_is_its_number() -> None:
    doc = structured([*MOTTO, "Nậm Phìn, ngày 2 tháng 3 năm 2020",
                      "HỢP ĐỒNG MUA BÁN PHÂN BÓN", "Số: 04/2020/HĐ-HTX",
                      "Căn cứ Bộ luật Dân sự năm 2015;", "Điều 1. Hàng hóa",
                      "Phân bón NPK 5 tấn."])  # fmt: skip
    assert doc["header"]["number"] == "04/2020/HĐ-HTX"
    assert doc["header"]["subject"] is None


def test_a_letter_of_praise_names_its_type_and_whom_it_greets() -> None:
    doc = structured(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "TỈNH HÀ SƠN Độc lập - Tự do - Hạnh phúc",
                      "Hà Sơn, ngày 9 tháng 9 năm 2019", "", "THƯ KHEN", "",
                      "Thân gửi: Cán bộ, chiến sĩ Đồn Biên phòng Nậm Phìn.", "",
                      "Các đồng chí đã cứu 12 người trong trận lũ.", "", "CHỦ TỊCH", "",
                      "Sầm Văn Túc"])  # fmt: skip
    assert doc["header"]["doc_type"] == "THƯ KHEN"
    assert doc["header"]["subject"] is None
    assert doc["addressees"] == ["Cán bộ, chiến sĩ Đồn Biên phòng Nậm Phìn."]


def test_an_annex_after_the_signature_is_a_section_with_its_own_points() -> None:
    doc = structured(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "XÃ NẬM PHÌN Độc lập - Tự do - Hạnh phúc",
                      "Số: 12/KH-UBND Nậm Phìn, ngày 1 tháng 4 năm 2023", "KẾ HOẠCH",
                      "Tổ chức hội chợ nông sản", "I. NỘI DUNG",
                      "Chi tiết tại Phụ lục I kèm theo.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
                      "Hà Văn Páo", "Phụ lục I", "CHƯƠNG TRÌNH HỘI CHỢ",
                      "(Kèm theo Kế hoạch số 12/KH-UBND ngày 01/4/2023 của UBND xã)",
                      "1. Ngày thứ nhất", "TT Nội dung Thời gian",
                      "1 Khai mạc 8 giờ", "2 Tham quan gian hàng 9 giờ", "2. Ngày thứ hai",
                      "TT Nội dung Thời gian", "1 Bế mạc 16 giờ"])  # fmt: skip
    titles = section_titles(doc)
    assert ("Phụ lục I", "CHƯƠNG TRÌNH HỘI CHỢ") in titles
    assert titles[-2:] == [("1.", "Ngày thứ nhất"), ("2.", "Ngày thứ hai")]
    annex = doc["body"][-1]
    assert annex["level"] == 1 and [c["level"] for c in annex["children"][1:]] == [2, 2]
    assert doc["signature"]["name"] == "Hà Văn Páo"


def test_two_parties_sign_by_their_officers_under_their_captions() -> None:
    doc = structured([*MOTTO, "BIÊN BẢN THANH LÝ HỢP ĐỒNG", "Số: 02/2021/BBTL",
                      "Hai bên thống nhất thanh lý hợp đồng./.",
                      "ĐẠI DIỆN BÊN A ĐẠI DIỆN BÊN B", "GIÁM ĐỐC PHÓ HIỆU TRƯỞNG", "", "",
                      "Lò Văn Páo TS. Hà Thị Mai"])  # fmt: skip
    sig = doc["signature"]
    assert (sig["authority"], sig["title"], sig["name"]) == (
        "ĐẠI DIỆN BÊN B",
        "PHÓ HIỆU TRƯỞNG",
        "TS. Hà Thị Mai",
    )
    (other,) = doc["other_signatures"]
    assert (other["authority"], other["title"], other["name"]) == (
        "ĐẠI DIỆN BÊN A",
        "GIÁM ĐỐC",
        "Lò Văn Páo",
    )


def test_two_hmong_names_on_one_row_split_at_the_second_surname() -> None:
    doc = structured([*MOTTO, "BIÊN BẢN NGHIỆM THU", "Hai bên thống nhất nghiệm thu./.",
                      "ĐẠI DIỆN BÊN A ĐẠI DIỆN BÊN B", "", "Hầu A Dình Vừ Mí Chớ"])  # fmt: skip
    assert doc["signature"]["name"] == "Vừ Mí Chớ"
    assert doc["other_signatures"][0]["name"] == "Hầu A Dình"


def test_an_office_and_its_verb_before_a_colon_is_a_lead_in() -> None:
    doc = structured([*PARTY, "Số 03-CT/ĐU Nậm Phìn, ngày 3 tháng 5 năm 2021",
                      "CHỈ THỊ", "về phòng, chống cháy rừng",
                      "1. Các chi bộ quán triệt Chỉ thị này.",
                      "2. Ủy ban nhân dân xã chỉ đạo:", "- Kiện toàn các tổ đội;",
                      "- Trực chòi canh lửa.", *PARTY_SIGNED])  # fmt: skip
    assert ("2.", None) in section_titles(doc)


def test_the_next_point_after_a_list_of_people_is_a_heading() -> None:
    doc = structured([*MOTTO, "BIÊN BẢN NGHIỆM THU", "I. THÀNH PHẦN",
                      "1. Đại diện Bên A (Ban Quản lý rừng):", "- Ông Tráng A Dình Phó Giám đốc",
                      "2. Đại diện Bên B (Hợp tác xã Nậm Phìn):", "- Ông Vừ Mí Sểnh Chủ nhiệm",
                      "II. NỘI DUNG", "Nghiệm thu 5.000 cây./.", "ĐẠI DIỆN BÊN A ĐẠI DIỆN BÊN B",
                      "", "Tráng A Dình Vừ Mí Sểnh"])  # fmt: skip
    assert ("2.", "Đại diện Bên B (Hợp tác xã Nậm Phìn)") in section_titles(doc)


def test_a_letter_names_no_subject_even_where_its_first_line_is_short() -> None:
    # a scan wraps the letter's first sentence: its first line looks like a subject
    doc = structured(["TRƯỜNG THCS NẬM PHÌN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Độc lập - Tự do - Hạnh phúc", "Nậm Phìn, ngày 2 tháng 1 năm 2018",
                      "THƯ CẢM ƠN", "Những ngày giá rét cuối năm, thầy và trò nhà trường",
                      "Đã nhận được 200 bộ chăn ấm của các nhà hảo tâm.", "HIỆU TRƯỞNG",
                      "Lò Thị Xuân"])  # fmt: skip
    assert doc["header"]["doc_type"] == "THƯ CẢM ƠN"
    assert doc["header"]["subject"] is None


def test_a_subject_in_capitals_under_the_issuing_body_goes_on_in_capitals() -> None:
    doc = structured(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "XÃ NẬM PHÌN Độc lập - Tự do - Hạnh phúc",
                      "Số: 1/QĐ-UBND Nậm Phìn, ngày 1 tháng 1 năm 2024", "QUYẾT ĐỊNH",
                      "CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ", "VỀ VIỆC BAN HÀNH QUY CHẾ", "LÀM VIỆC",
                      "Căn cứ Luật Tổ chức chính quyền địa phương;", "Điều 1. Ban hành.",
                      "CHỦ TỊCH", "Lê Văn An"])  # fmt: skip
    assert doc["header"]["subject"].endswith("VỀ VIỆC BAN HÀNH QUY CHẾ LÀM VIỆC")
