"""A person's own papers as an archive's dossiers hold them: an application (ĐƠN), a
written account (BẢN TƯỜNG TRÌNH), a Party member's self-review (BẢN KIỂM ĐIỂM), with no
issuing office, the place and date above the person's signature, and an office's
confirmation or a Party cell's review beside or under it. Invented documents."""

from __future__ import annotations

from structure_trees import structured

from ocr_pipeline.export.markdown import to_markdown
from ocr_pipeline.structure import validate

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _texts(doc: dict) -> list[str]:
    return [n.get("text") or n.get("title") or "" for n in doc["body"]]


def test_application_with_a_confirmation_under_the_signature() -> None:
    doc = structured(
        MOTTO
        + [
            "ĐƠN XIN XÁC NHẬN HỘ NGHÈO",
            "Kính gửi: Ủy ban nhân dân xã Ea Kơ Ning",
            "Tôi tên là: H' Lim Niê Sinh năm: 1979",
            "Vậy tôi làm đơn này kính đề nghị Ủy ban nhân dân xã xem xét, xác nhận.",
            "Ea Kơ Ning, ngày 05 tháng 3 năm 2018",
            "NGƯỜI LÀM ĐƠN",
            "(Ký, ghi rõ họ tên)",
            "H' Lim Niê",
            "XÁC NHẬN CỦA UBND XÃ EA KƠ NING",
            "Ủy ban nhân dân xã Ea Kơ Ning xác nhận hộ bà H' Lim Niê thuộc hộ nghèo năm 2018.",
            "Ea Kơ Ning, ngày 08 tháng 3 năm 2018",
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Ksor Thăng",
        ]
    )
    header = doc["header"]
    assert header["doc_type"] == "ĐƠN XIN XÁC NHẬN HỘ NGHÈO"
    assert header["issuer"] == []
    # the application's own date, typed above its signature (not the confirmation's)
    assert (header["place"], header["date"]) == ("Ea Kơ Ning", "2018-03-05")
    assert doc["addressees"] == ["Ủy ban nhân dân xã Ea Kơ Ning"]
    assert not any("ngày 05 tháng 3" in t for t in _texts(doc))
    # the person signs the application; the commune confirms under it
    assert doc["signature"]["title"] == "NGƯỜI LÀM ĐƠN"
    assert doc["signature"]["authority"] is None
    assert doc["signature"]["name"] == "H' Lim Niê"  # the prefix's apostrophe kept
    (confirmation,) = doc["other_signatures"]
    assert confirmation["authority"].splitlines()[1:] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert (confirmation["title"], confirmation["name"]) == ("PHÓ CHỦ TỊCH", "Ksor Thăng")
    # what the commune certifies, and when, kept on its block
    assert confirmation["text"] == [
        "Ủy ban nhân dân xã Ea Kơ Ning xác nhận hộ bà H' Lim Niê thuộc hộ nghèo năm 2018."
    ]
    assert (confirmation["place"], confirmation["date"]) == ("Ea Kơ Ning", "2018-03-08")
    validate(doc)
    assert "thuộc hộ nghèo năm 2018" in to_markdown(doc)


def test_written_account_with_its_subject_and_addressees() -> None:
    doc = structured(
        MOTTO
        + [
            "----------------",
            "BẢN TƯỜNG TRÌNH",
            "(V/v mất giấy chứng nhận quyền sử dụng đất)",
            "Kính gửi: - Văn phòng Đăng ký đất đai tỉnh Đắk Rơ;",
            "- Ủy ban nhân dân xã Krông Jút.",
            "Tôi tên là: Kpă Thị Hên, sinh năm 1970.",
            "Tôi xin cam đoan nội dung tường trình trên là đúng sự thật.",
            "Krông Jút, ngày 20 tháng 01 năm 2024",
            "NGƯỜI TƯỜNG TRÌNH",
            "(Ký và ghi rõ họ tên)",
            "Kpă Thị Hên",
        ]
    )
    assert doc["header"]["doc_type"] == "BẢN TƯỜNG TRÌNH"
    assert doc["header"]["date"] == "2024-01-20"
    assert doc["addressees"] == [
        "Văn phòng Đăng ký đất đai tỉnh Đắk Rơ;",
        "Ủy ban nhân dân xã Krông Jút.",
    ]
    assert doc["signature"] == {**doc["signature"], "title": "NGƯỜI TƯỜNG TRÌNH",
                                "name": "Kpă Thị Hên"}  # fmt: skip


def test_self_review_beside_the_party_cells_review() -> None:
    doc = structured(
        [
            "Mẫu 02A-HD KĐ, ĐG",
            "ĐẢNG BỘ XÃ EA TIÊU ĐẢNG CỘNG SẢN VIỆT NAM",
            "CHI BỘ THÔN 4 Ea Tiêu, ngày 10 tháng 12 năm 2023",
            "BẢN KIỂM ĐIỂM CÁ NHÂN",
            "Năm 2023",
            "Họ và tên: Y Bhin Mlô Ngày sinh: 05/7/1975",
            "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC",
            "Luôn trung thành với lợi ích của Đảng.",
            "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
            "Đôi lúc chưa mạnh dạn trong phê bình.",
            "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ NGƯỜI TỰ KIỂM ĐIỂM",
            "............................................................ (Ký, ghi rõ họ tên)",
            "T/M CHI BỘ",
            "BÍ THƯ Y Bhin Mlô",
            "Rơ Chăm Bơn",
        ]
    )
    header = doc["header"]
    # the cell's number stays the issuer's ("CHI BỘ THÔN 4"), not the place's
    assert header["issuer"] == ["ĐẢNG BỘ XÃ EA TIÊU", "CHI BỘ THÔN 4"]
    assert header["place"] == "Ea Tiêu"
    assert header["doc_type"] == "BẢN KIỂM ĐIỂM CÁ NHÂN"
    assert doc["signature"]["title"] == "NGƯỜI TỰ KIỂM ĐIỂM"
    assert doc["signature"]["name"] == "Y Bhin Mlô"
    (cell,) = doc["other_signatures"]
    assert cell["authority"].splitlines() == ["NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ", "T/M CHI BỘ"]
    assert (cell["title"], cell["name"]) == ("BÍ THƯ", "Rơ Chăm Bơn")
    assert [n["label"] for n in doc["body"] if n["kind"] == "section"] == ["I.", "II."]
    assert not any("NHẬN XÉT" in t or "...." in t for t in _texts(doc))


def test_a_units_name_opening_with_don_vi_is_no_application() -> None:
    doc = structured(
        [
            "BỘ CHỈ HUY QUÂN SỰ TỈNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ĐƠN VỊ HUẤN LUYỆN CƠ ĐỘNG",
            "Số: 12/KH-ĐV Krông Jút, ngày 3 tháng 4 năm 2024",
            "KẾ HOẠCH",
            "Huấn luyện dân quân năm 2024",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Nâng cao chất lượng huấn luyện.",
        ]
    )
    assert doc["header"]["doc_type"] == "KẾ HOẠCH"


def test_a_forms_code_over_the_header_is_no_issuer() -> None:
    doc = structured(
        [
            "MẪU SỐ 01",
            *MOTTO,
            "ĐƠN ĐỀ NGHỊ",
            "Kính gửi: Ủy ban nhân dân xã Ea Tiêu.",
            "Tôi tên là: A.",
        ]
    )
    assert doc["header"]["issuer"] == []
    assert doc["header"]["doc_type"] == "ĐƠN ĐỀ NGHỊ"


def test_a_persons_title_in_small_letters_opens_the_closing() -> None:
    doc = structured(
        MOTTO
        + [
            "ĐƠN ĐỀ NGHỊ",
            "Về việc cấp lại Giấy chứng nhận quyền sử dụng đất bị mất",
            "Kính gửi: Ủy ban nhân dân xã Tân Phước",
            "Tôi tên là: Đinh Văn Quý, sinh năm 1968.",
            "Tôi xin cam đoan những nội dung trên là đúng sự thật./.",
            "Tân Phước, ngày 04 tháng 8 năm 2025",
            "Người làm đơn",
            "(Ký và ghi rõ họ tên)",
            "Đinh Văn Quý",
            "XÁC NHẬN CỦA ỦY BAN NHÂN DÂN XÃ TÂN PHƯỚC",
            "Ông Đinh Văn Quý có hộ khẩu thường trú tại xã Tân Phước.",
            "Tân Phước, ngày 06 tháng 8 năm 2025",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Lê Thị Hòa",
        ]
    )
    assert doc["header"]["date"] == "2025-08-04"
    assert (doc["signature"]["title"], doc["signature"]["name"]) == (
        "Người làm đơn",
        "Đinh Văn Quý",
    )
    (confirmation,) = doc["other_signatures"]
    assert (confirmation["title"], confirmation["name"]) == ("CHỦ TỊCH", "Lê Thị Hòa")


def test_a_forms_first_fields_are_no_subject() -> None:
    doc = structured(
        [
            "Mẫu số 01",
            *MOTTO,
            "SƠ YẾU LÝ LỊCH",
            "Họ và tên: Danh Thị Sa Ly .................... Nam, nữ: Nữ ..........",
            "Tên thường gọi: ..............................................",
            "I. QUAN HỆ GIA ĐÌNH",
            "Họ và tên cha: Danh Út .......... Năm sinh: 1950",
        ]
    )
    assert doc["header"]["doc_type"] == "SƠ YẾU LÝ LỊCH"
    assert doc["header"]["subject"] is None


def test_two_names_of_the_highlands_on_one_row() -> None:
    doc = structured(
        [
            "HẠT KIỂM LÂM HUYỆN CƯ EA MLAN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 41/BC-HKL Cư Ea Mlan, ngày 5 tháng 7 năm 2022",
            "BÁO CÁO",
            "Kết quả bảo vệ rừng 6 tháng đầu năm 2022",
            "Trong 6 tháng, Hạt đã tuần tra 120 lượt./.",
            "Nơi nhận:",
            "- Chi cục Kiểm lâm tỉnh;",
            "- Lưu: VT, HKL.",
            "NGƯỜI LẬP BIỂU HẠT TRƯỞNG",
            "Ksor Hlăk Nguyễn Văn Thiện",
        ]
    )
    assert (doc["signature"]["title"], doc["signature"]["name"]) == (
        "HẠT TRƯỞNG",
        "Nguyễn Văn Thiện",
    )
    assert doc["other_signatures"][0]["name"] == "Ksor Hlăk"


def test_a_persons_title_in_small_letters_inside_the_body_is_text() -> None:
    doc = structured(
        MOTTO
        + [
            "GIẤY ỦY QUYỀN",
            "Người ủy quyền:",  # a field's label, not a signer's title
            "Nguyễn Văn Hùng",
            "Số CCCD: 066070001234, cấp ngày 10/5/2021.",
            "Người làm chứng",  # over a name, and the text goes on
            "Trần Văn Bình",
            "Nội dung ủy quyền: nhận thay giấy chứng nhận quyền sử dụng đất.",
            "Ea Tiêu, ngày 3 tháng 3 năm 2023",
            "NGƯỜI ỦY QUYỀN    NGƯỜI ĐƯỢC ỦY QUYỀN",
            "Nguyễn Văn Hùng    Nguyễn Văn Tài",
        ]
    )
    texts = " ".join(_texts(doc))
    assert "066070001234" in texts and "Nội dung ủy quyền" in texts
    assert doc["signature"]["title"] == "NGƯỜI ĐƯỢC ỦY QUYỀN"
    assert doc["header"]["date"] == "2023-03-03"


def test_a_date_that_ends_a_sentence_stays_in_the_body() -> None:
    doc = structured(
        [
            "ĐẢNG BỘ XÃ EA TIÊU ĐẢNG CỘNG SẢN VIỆT NAM",
            "CHI BỘ THÔN 4",
            "BÁO CÁO",
            "Kết quả sinh hoạt chi bộ",
            "Chi bộ tổ chức sinh hoạt vào ngày:",
            "Ngày 12/8/1998",
            "T/M CHI BỘ",
            "BÍ THƯ",
            "Y Bhin Mlô",
        ]
    )
    assert doc["header"]["date"] is None
    assert any("12/8/1998" in t for t in _texts(doc))


def test_a_jarai_family_names_y_or_h_goes_on_its_name() -> None:
    doc = structured(
        MOTTO
        + [
            "BIÊN BẢN",
            "Xác minh hộ nghèo",
            "Biên bản lập xong lúc 10 giờ cùng ngày./.",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Trần Văn Bình",
            "NGƯỜI CHỨNG KIẾN",
            "Rơ Chăm H' Lin",
        ]
    )
    assert doc["other_signatures"] == [
        {"authority": None, "title": "NGƯỜI CHỨNG KIẾN", "name": "Rơ Chăm H' Lin"}
    ]


def test_a_forms_code_is_kept_as_furniture() -> None:
    doc = structured(["Mẫu số 01/TK-SDDPNN", *MOTTO, "TỜ KHAI", "Đăng ký thường trú",
                      "Họ và tên: Ksor Thăng", "Ngày sinh: 1970"])  # fmt: skip
    assert doc["furniture"][0]["kind"] == "form_code"
    assert doc["furniture"][0]["text"] == "Mẫu số 01/TK-SDDPNN"
    # the title's subject ends where the form's fields begin
    assert doc["header"]["subject"] == "Đăng ký thường trú"
    validate(doc)


def test_a_plans_subject_with_a_colon_is_still_its_subject() -> None:
    doc = structured(
        [
            "UBND XÃ EA TIÊU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 5/KH-UBND Ea Tiêu, ngày 3 tháng 4 năm 2021",
            "KẾ HOẠCH",
            "Tổ chức thi: Hội thi cán bộ, công chức giỏi năm 2021",
            "Thời gian: tháng 6 năm 2021",
            "I. MỤC ĐÍCH",
            "Nâng cao chất lượng công chức.",
        ]
    )
    assert doc["header"]["subject"].startswith("Tổ chức thi: Hội thi")


def test_the_applicant_signs_whatever_follows_the_name() -> None:
    # a note under the name, specks of the handwriting between title and name, a
    # confirmation's caption in small letters, a witness signing above the writer
    base = [*MOTTO, "ĐƠN ĐỀ NGHỊ", "V/v: Cấp lại sổ hộ nghèo bị mất",
            "Kính gửi: Ủy ban nhân dân xã Ia Mơ.", "Tôi tên là: Nguyễn Thị Mai.",
            "Tôi xin cam đoan những lời khai trên là đúng sự thật,",
            "Ia Mơ, ngày 05 tháng 3 năm 2019"]  # fmt: skip
    doc = structured(base + ["Người làm đơn", "(Chữ ký, họ tên)", "~ẵ/⁄,", "Nguyễn Thị Mai",
                             "Ghi chú: Kèm theo bản sao sổ hộ khẩu."])  # fmt: skip
    assert (doc["signature"]["title"], doc["signature"]["name"]) == (
        "Người làm đơn",
        "Nguyễn Thị Mai",
    )
    # the subject under a person's paper, and the date under a sentence closed by a comma
    assert doc["header"]["subject"] == "V/v: Cấp lại sổ hộ nghèo bị mất"
    assert doc["header"]["date"] == "2019-03-05"
    doc = structured(base + ["Người làm đơn", "Nguyễn Thị Mai", "Xác nhận của UBND xã Ia Mơ",
                             "Bà Nguyễn Thị Mai cư trú tại thôn Plei Kơ Dăm", "từ năm 2005.",
                             "Ghi chú: Đơn làm thành 02 bản.",
                             "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ksor Thăng"])  # fmt: skip
    assert doc["signature"]["name"] == "Nguyễn Thị Mai"
    (confirmation,) = doc["other_signatures"]
    assert confirmation["name"] == "Ksor Thăng"
    # its wrapped sentence is one; the paper's note is not what the commune certifies
    assert confirmation["text"] == ["Bà Nguyễn Thị Mai cư trú tại thôn Plei Kơ Dăm từ năm 2005."]
    doc = structured(base + ["Người làm chứng", "(Ký, ghi rõ họ tên)", "Trần Văn Bình",
                             "Người làm đơn", "(Ký, ghi rõ họ tên)", "Nguyễn Thị Mai"])  # fmt: skip
    assert doc["signature"]["name"] == "Nguyễn Thị Mai"
    assert doc["other_signatures"] == [
        {"authority": None, "title": "Người làm chứng", "name": "Trần Văn Bình"}
    ]


def test_a_witness_named_in_a_body_before_its_next_section_is_text() -> None:
    doc = structured(
        MOTTO
        + [
            "GIẤY ỦY QUYỀN",
            "I. BÊN ỦY QUYỀN",
            "Họ và tên: Nguyễn Văn Hùng, sinh năm 1950.",
            "Người làm chứng",
            "Trần Văn Bình",
            "II. BÊN ĐƯỢC ỦY QUYỀN",
            "Họ và tên: Nguyễn Văn Tài, sinh năm 1978.",
            "Ea Tiêu, ngày 3 tháng 3 năm 2023",
            "NGƯỜI ỦY QUYỀN    NGƯỜI ĐƯỢC ỦY QUYỀN",
            "Nguyễn Văn Hùng    Nguyễn Văn Tài",
        ]
    )
    assert [n["label"] for n in doc["body"] if n["kind"] == "section"] == ["I.", "II."]
    assert doc["signature"]["title"] == "NGƯỜI ĐƯỢC ỦY QUYỀN"


def test_two_jarai_names_on_one_row() -> None:
    from ocr_pipeline.structure.closing import _second_name

    assert _second_name("Siu H' Mai Kpă Y Lương") == "Kpă Y Lương"
    assert _second_name("Rơ Chăm H' Lin") is None


def test_people_named_in_a_body_keep_the_body_and_its_notes() -> None:
    doc = structured(
        MOTTO
        + [
            "GIẤY ỦY QUYỀN",
            "Hôm nay, tại UBND xã Ea Tiêu, chúng tôi gồm:",
            "Người ủy quyền",
            "Nguyễn Văn Hùng",
            "Người được ủy quyền",
            "Nguyễn Văn Tài",
            "Cùng thỏa thuận các nội dung sau đây.",
            "Ông Hùng ủy quyền cho ông Tài nhận lương hưu thay.",
            "Ea Tiêu, ngày 3 tháng 3 năm 2023",
            "NGƯỜI ỦY QUYỀN    NGƯỜI ĐƯỢC ỦY QUYỀN",
            "Nguyễn Văn Hùng    Nguyễn Văn Tài",
        ]
    )
    assert "nhận lương hưu thay" in " ".join(_texts(doc))
    assert doc["header"]["date"] == "2023-03-03"
    assert doc["signature"]["title"] == "NGƯỜI ĐƯỢC ỦY QUYỀN"
    doc = structured(
        MOTTO
        + [
            "ĐƠN ĐỀ NGHỊ",
            "Kính gửi: Ủy ban nhân dân xã Ia Mơ.",
            "Tôi tên là: Nguyễn Thị Mai.",
            "Ia Mơ, ngày 05 tháng 3 năm 2019",
            "Người làm đơn",
            "Nguyễn Thị Mai",
            "Ghi chú: Kèm theo bản sao sổ hộ khẩu.",
        ]  # fmt: skip
    )
    assert doc["signature"]["name"] == "Nguyễn Thị Mai"
    assert "Ghi chú: Kèm theo bản sao sổ hộ khẩu." in _texts(doc)  # kept, as text


def test_a_sentence_wrapped_onto_a_date_keeps_its_date() -> None:
    doc = structured(
        MOTTO
        + [
            "ĐƠN XIN NGHỈ PHÉP",
            "Kính gửi: Hiệu trưởng Trường Tiểu học Ea Tiêu.",
            "Tôi tên là Lê Thị Hoa, giáo viên tổ Toán.",
            "Tôi xin nghỉ phép 05 ngày để chăm con ốm, kể từ",
            "ngày 15 tháng 8 năm 2023",
            "NGƯỜI LÀM ĐƠN",
            "Lê Thị Hoa",
        ]
    )
    assert doc["header"]["date"] is None
    assert any(t.endswith("kể từ ngày 15 tháng 8 năm 2023") for t in _texts(doc))


def test_who_signs_when_people_sign_one_under_another() -> None:
    writer_then_witness = structured(
        MOTTO
        + [
            "BẢN TƯỜNG TRÌNH",
            "Kính gửi: Công an xã Ia Mơ.",
            "Tôi tên là Nguyễn Văn Nam.",
            "Ia Mơ, ngày 05 tháng 3 năm 2019",
            "Người tường trình",
            "(Ký, ghi rõ họ tên)",
            "Nguyễn Văn Nam",
            "Người làm chứng",
            "(Ký, ghi rõ họ tên)",
            "Trần Văn Bình",
        ]  # fmt: skip
    )
    assert writer_then_witness["signature"]["name"] == "Nguyễn Văn Nam"
    assert writer_then_witness["other_signatures"][0]["name"] == "Trần Văn Bình"
    official_then_preparer = structured(
        MOTTO
        + [
            "BÁO CÁO",
            "Kết quả năm 2023",
            "Tốt.",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Ksor Thăng",
            "Người lập biểu",
            "Lê Thị Hoa",
        ]  # fmt: skip
    )
    assert official_then_preparer["signature"]["name"] == "Ksor Thăng"
    assert official_then_preparer["other_signatures"][0]["title"] == "Người lập biểu"


def test_a_confirmations_own_title_and_statements() -> None:
    doc = structured(
        MOTTO
        + [
            "BẢN TƯỜNG TRÌNH",
            "Kính gửi: Công an xã Ia Mơ.",
            "Tôi tên là Nguyễn Văn Nam.",
            "Ia Mơ, ngày 05 tháng 3 năm 2019",
            "Người tường trình",
            "Nguyễn Văn Nam",
            "Xác nhận của Công an xã Ia Mơ",
            "Ông Nam cư trú tại thôn 2",
            "Gia đình có hoàn cảnh khó khăn",
            "Trưởng Công an xã",
            "Đại úy Ksor Y Thu",
        ]  # fmt: skip
    )
    assert doc["signature"]["title"] == "Người tường trình"
    (confirmation,) = doc["other_signatures"]
    assert confirmation["title"] == "Trưởng Công an xã"
    assert confirmation["text"] == ["Ông Nam cư trú tại thôn 2", "Gia đình có hoàn cảnh khó khăn"]


def test_a_personal_forms_field_is_no_subject_and_a_specked_number_is_mended() -> None:
    doc = structured(
        [
            *MOTTO,
            "SƠ YẾU LÝ LỊCH",
            "Họ và tên: Nguyễn Văn Nam",
            "Kính gửi: Phòng Nội vụ huyện",
            "Sinh ngày: 05/7/1975",
        ]  # fmt: skip
    )
    assert doc["header"]["subject"] is None
    doc = structured(
        [
            "UBND XÃ EA TIÊU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 15, /QĐ-UBND Ea Tiêu, ngày 10 tháng 01 năm 2024",
            "QUYẾT ĐỊNH",
            "Về việc A",
        ]  # fmt: skip
    )
    assert doc["header"]["number"] == "15/QĐ-UBND"  # the speck inside it dropped


def test_a_heading_in_capitals_after_a_named_witness_is_the_body_going_on() -> None:
    doc = structured(
        MOTTO
        + [
            "BIÊN BẢN",
            "Về việc hòa giải",
            "Hôm nay, tại thôn 3, xã Ea Tiêu, gồm:",
            "Người làm chứng",
            "Trần Văn Bình",
            "NỘI DUNG HÒA GIẢI",
            "Hai bên thống nhất như sau.",
            "Ông A trả lại 20 m2 đất cho ông B.",
            "THƯ KÝ    CHỦ TRÌ",
            "Lê Thị Hoa    Phạm Văn Tư",
        ]  # fmt: skip
    )
    assert "Ông A trả lại 20 m2 đất cho ông B." in " ".join(_texts(doc))
    assert (doc["signature"]["title"], doc["signature"]["name"]) == ("CHỦ TRÌ", "Phạm Văn Tư")


def test_the_fourth_reviews_closings() -> None:
    head = [*MOTTO, "ĐƠN ĐỀ NGHỊ", "Xác nhận hộ nghèo", "Kính gửi: Ủy ban nhân dân xã Ia Mơ",
            "Tôi xin cam đoan những lời khai trên là đúng sự thật.",
            "Bình Định, ngày 05 tháng 3 năm 2026"]  # fmt: skip
    # a note under a person's paper that goes on in capitals and with a second note
    note = ["Ghi chú:", "Hồ Văn Nam là người giám hộ.", "Lưu ý: nộp kèm bản sao."]
    doc = structured(head + ["Người làm đơn", "Nguyễn Văn An", *note])
    assert doc["signature"]["name"] == "Nguyễn Văn An"
    assert any("người giám hộ" in t for t in _texts(doc))
    # a note under an official's block, then the recipients
    doc = structured(head + ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Bình",
                             "Ghi chú: văn bản này thay thế văn bản số 12/UBND.",
                             "Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."])  # fmt: skip
    assert doc["recipients"] == ["UBND tỉnh;", "Lưu: VT."]
    # a date with no place under a sentence left without its stop: the paper's date
    doc = structured([*MOTTO, "ĐƠN XIN NGHỈ PHÉP", "Kính gửi: Ban Giám hiệu Trường Ia Mơ.",
                      "Tôi tên là Nguyễn Thị Lan, giáo viên lớp 3A.",
                      "Tôi xin trân trọng cảm ơn", "Ngày 05 tháng 3 năm 2026",
                      "Người làm đơn", "Nguyễn Thị Lan"])  # fmt: skip
    assert doc["header"]["date"] == "2026-03-05"
    # a confirmation's sentence wrapped before a capital is one statement
    doc = structured(head + ["Người làm đơn", "Nguyễn Văn An", "XÁC NHẬN CỦA UBND XÃ IA MƠ",
                             "Ông Nguyễn Văn An hiện cư trú tại", "Thôn 2, xã Ia Mơ là đúng.",
                             "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ksor Thăng"])  # fmt: skip
    assert doc["other_signatures"][0]["text"] == [
        "Ông Nguyễn Văn An hiện cư trú tại Thôn 2, xã Ia Mơ là đúng."
    ]
