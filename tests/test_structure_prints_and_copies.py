"""What printed and copied documents carry besides their own text: an e-signature box's
text, a "received" stamp, "Trang 2/4" footers, footnote markers typed in parentheses, and
a copy's certification (SAO Y) under the signature. Invented documents."""

from __future__ import annotations

from structure_trees import structured, walk

HEAD = [
    "UBND TỈNH TÂN LẠC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "SỞ TÀI CHÍNH Độc lập - Tự do - Hạnh phúc",
    "Số: 215/STC-QLNS Tân Lạc, ngày 12 tháng 3 năm 2025",
    "V/v hướng dẫn quyết toán ngân sách năm 2024",
]
TO = ["Kính gửi: Các xã, phường."]
CLOSING = [
    "Nơi nhận: KT. GIÁM ĐỐC",
    "- Như trên; PHÓ GIÁM ĐỐC",
    "- Lưu: VT, QLNS.",
    "Nguyễn Văn Bình",
]


def _texts(doc: dict) -> list[str]:
    return [n.get("title") or n.get("text") or "" for n in walk(doc["body"])]


def test_a_received_stamp_in_the_header_is_furniture_not_the_subjects_tail():
    doc = structured(
        HEAD
        + ["ĐẾN Số: 1450 Ngày: 14/3/2025 Chuyển: P.KT", "Kính gửi: Các xã.", "Nội dung."]
        + CLOSING
    )
    assert doc["header"]["subject"] == "V/v hướng dẫn quyết toán ngân sách năm 2024"
    stamps = [f for f in doc["furniture"] if f["kind"] == "received_stamp"]
    assert [f["text"] for f in stamps] == ["ĐẾN Số: 1450 Ngày: 14/3/2025 Chuyển: P.KT"]
    assert doc["addressees"] == ["Các xã."]


def test_a_received_stamp_on_lines_of_its_own_is_taken_whole():
    doc = structured(
        HEAD[:3]
        + ["CÔNG VĂN ĐẾN", "Số: 1450", "Ngày: 14/3/2025", "Chuyển: P.KT", HEAD[3], *TO]
        + ["Nội dung."]
        + CLOSING
    )
    assert doc["header"]["number"] == "215/STC-QLNS"
    assert doc["header"]["subject"] == "V/v hướng dẫn quyết toán ngân sách năm 2024"
    stamp = next(f for f in doc["furniture"] if f["kind"] == "received_stamp")
    assert stamp["text"] == "CÔNG VĂN ĐẾN\nSố: 1450\nNgày: 14/3/2025\nChuyển: P.KT"


def test_prose_opening_with_den_is_no_stamp():
    doc = structured(HEAD + TO + ["Đến nay, các xã đã nộp báo cáo."] + CLOSING)
    assert "Đến nay, các xã đã nộp báo cáo." in _texts(doc)
    assert not [f for f in doc["furniture"] if f["kind"] == "received_stamp"]


def test_an_e_signature_box_keeps_the_signer_and_the_recipients():
    box = [
        "Ký bởi: Sở Tài chính",
        "Email: stc@tanlac.gov.vn",
        "Cơ quan: Tỉnh Tân Lạc",
        "Thời gian ký: 12.03.2025 16:20:11 +07:00",
    ]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING[:3] + box + CLOSING[3:])
    assert doc["recipients"] == ["Như trên;", "Lưu: VT, QLNS."]
    assert doc["signature"]["title"] == "PHÓ GIÁM ĐỐC"
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"
    stamp = next(f for f in doc["furniture"] if f["kind"] == "signature_stamp")
    assert stamp["text"] == "\n".join(box)


def test_an_e_signature_box_read_beside_the_date_is_cut_off_that_line():
    doc = structured(
        HEAD[:2]
        + ["Số: 215/STC-QLNS Tân Lạc, ngày 12 tháng 3 năm 2025 Ký bởi: Sở Tài chính"]
        + ["Thời gian ký: 12.03.2025 16:20:11 +07:00", HEAD[3], *TO, "Nội dung."]
        + CLOSING
    )
    assert doc["header"]["place"] == "Tân Lạc"
    assert doc["header"]["date"] == "2025-03-12"
    assert doc["header"]["subject"] == "V/v hướng dẫn quyết toán ngân sách năm 2024"
    stamp = next(f for f in doc["furniture"] if f["kind"] == "signature_stamp")
    assert stamp["text"] == "Ký bởi: Sở Tài chính\nThời gian ký: 12.03.2025 16:20:11 +07:00"


def test_a_form_field_named_co_quan_is_no_signature_box():
    doc = structured(HEAD + TO + ["Cơ quan: Trường Tiểu học Đồng Tâm", "Email: th@x.vn"] + CLOSING)
    assert "Cơ quan: Trường Tiểu học Đồng Tâm" in " ".join(_texts(doc))
    assert not [f for f in doc["furniture"] if f["kind"] == "signature_stamp"]


def test_a_trang_footer_in_the_text_ends_its_page():
    doc = structured(
        HEAD
        + TO
        + ["1. Yêu cầu chung", "Hồ sơ gồm biểu mẫu theo", "Trang 1/2", "quy định hiện hành."]
        + ["2. Tổ chức thực hiện", "Phòng Quản lý ngân sách theo dõi."]
        + CLOSING
    )
    numbers = [f for f in doc["furniture"] if f["kind"] == "page_number"]
    assert [(f["text"], f["page"]) for f in numbers] == [("Trang 1/2", 1)]
    assert "Hồ sơ gồm biểu mẫu theo quy định hiện hành." in _texts(doc)
    second = next(n for n in walk(doc["body"]) if n.get("label") == "2.")
    assert second["prov"][0]["page"] == 2


def test_footnote_markers_typed_in_parentheses_link_to_their_bodies():
    doc = structured(
        HEAD
        + TO
        + ["Căn cứ Luật Ngân sách nhà nước năm 2015(1);", "1. Yêu cầu chung"]
        + ["Các xã gửi báo cáo trước ngày 31/3/2025(2).", "(1) Luật số 83/2015/QH13."]
        + ["(2) Theo Thông tư số 342/2016/TT-BTC.", "\f2", "2. Tổ chức thực hiện"]
        + ["Phòng Quản lý ngân sách theo dõi."]
        + CLOSING
    )
    assert [(f["number"], f["text"], f["linked"]) for f in doc["footnotes"]] == [
        (1, "Luật số 83/2015/QH13.", True),
        (2, "Theo Thông tư số 342/2016/TT-BTC.", True),
    ]
    assert "Căn cứ Luật Ngân sách nhà nước năm 2015;" in _texts(doc)


def test_an_enumeration_in_parentheses_is_no_footnote():
    doc = structured(
        HEAD
        + TO
        + ["Nhiệm vụ gồm:", "(1) Rà soát hồ sơ của các xã;", "(2) Tổng hợp báo cáo."]
        + CLOSING
    )
    assert doc["footnotes"] == []
    assert "(1) Rà soát hồ sơ của các xã;" in " ".join(_texts(doc))


def test_a_copys_certification_under_the_signature_is_read_on_its_own():
    copy = [
        "UBND XÃ ĐỒNG TÂM SAO Y BẢN CHÍNH",
        "Số: 05/SY-UBND Đồng Tâm, ngày 15 tháng 3 năm 2025",
        "Nơi nhận: TM. ỦY BAN NHÂN DÂN",
        "- Các thôn; CHỦ TỊCH",
        "- Lưu: VT.",
        "Trần Thị Hoa",
    ]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING + copy)
    assert doc["recipients"] == ["Như trên;", "Lưu: VT, QLNS."]
    assert doc["signature"]["title"] == "PHÓ GIÁM ĐỐC"
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"
    (certified,) = doc["copies"]
    assert certified["kind"] == "SAO Y BẢN CHÍNH"
    assert certified["issuer"] == ["UBND XÃ ĐỒNG TÂM"]
    assert (certified["number"], certified["place"], certified["date"]) == (
        "05/SY-UBND",
        "Đồng Tâm",
        "2025-03-15",
    )
    assert certified["recipients"] == ["Các thôn;", "Lưu: VT."]
    assert certified["signature"]["authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert certified["signature"]["name"] == "Trần Thị Hoa"


def test_a_copy_marker_alone_takes_the_office_above_it():
    copy = ["UBND XÃ ĐỒNG TÂM", "SAO LỤC", "Số: 07/SL-UBND", "Đồng Tâm, ngày 16/3/2025"]
    copy += ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Thị Hoa"]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING + copy)
    (certified,) = doc["copies"]
    assert certified["kind"] == "SAO LỤC"
    assert certified["issuer"] == ["UBND XÃ ĐỒNG TÂM"]
    assert certified["number"] == "07/SL-UBND"
    assert certified["date"] == "2025-03-16"
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"


def test_a_signing_time_wrapped_in_a_narrow_box_goes_with_its_box():
    box = ["Ký bởi: Sở Tài chính", "Thời gian ký: 12.03.2025 16:20:11", "+07:00"]
    doc = structured(box + HEAD + TO + ["Nội dung."] + CLOSING)
    assert doc["header"]["number"] == "215/STC-QLNS"
    assert doc["header"]["national_title"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    stamp = next(f for f in doc["furniture"] if f["kind"] == "signature_stamp")
    assert stamp["text"] == "\n".join(box)


def test_an_enumeration_under_a_lead_in_stays_text_though_a_citation_glues_its_number():
    doc = structured(
        HEAD
        + TO
        + ["Thực hiện khoản 3 Điều 5(2) của Hiệp định, Sở giao các nhiệm vụ sau:"]
        + ["(1) Hoàn thiện thể chế, chính sách về thu ngân sách;"]
        + ["(2) Phát triển hạ tầng kho bạc và thanh toán điện tử;"]
        + ["(3) Nâng cao năng lực quản lý nhà nước."]
        + CLOSING
    )
    assert doc["footnotes"] == []
    texts = " ".join(_texts(doc))
    assert "Điều 5(2)" in texts and "(2) Phát triển hạ tầng kho bạc" in texts


def test_form_fields_named_like_a_signature_box_stay_in_the_body():
    body = ["Người ký: Trần Minh Đức", "Chức vụ: Phó Giám đốc Sở Tài chính", "Ngày ký: 05/3/2025"]
    body += ["1. Hợp đồng số 15/2024/HĐ-XD, ngày ký: 10/01/2024, giá trị 1.250 triệu đồng."]
    doc = structured(HEAD + TO + body + CLOSING)
    texts = " ".join(_texts(doc))
    assert "Người ký: Trần Minh Đức" in texts and "Ngày ký: 05/3/2025" in texts
    assert "ngày ký: 10/01/2024, giá trị 1.250 triệu đồng." in texts
    assert not [f for f in doc["furniture"] if f["kind"] == "signature_stamp"]


def test_a_copy_marker_without_a_certifications_fields_is_no_copy():
    # "BẢN SAO" typed between the recipients and the signer; a chapter "CẤP BẢN SAO"
    closing = ["Nơi nhận:", "- Các thôn;", "- Lưu: VT.", "BẢN SAO", "KT. GIÁM ĐỐC"]
    closing += ["PHÓ GIÁM ĐỐC", "", "", "Nguyễn Văn Bình"]
    doc = structured(HEAD + TO + ["Nội dung."] + closing)
    assert doc["copies"] == []
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"


def test_a_copy_of_a_copy_gives_two_certifications_and_keeps_their_notes():
    first = ["VĂN PHÒNG UBND TỈNH SAO LỤC", "Số: 30/SL-VP Tân Lạc, ngày 14 tháng 3 năm 2025"]
    first += ["Nơi nhận: TL. CHỦ TỊCH", "- UBND các huyện; CHÁNH VĂN PHÒNG", "- Lưu: VT."]
    first += ["Trần Văn Nam"]
    second = ["UBND HUYỆN ĐỒNG TÂM SAO Y BẢN CHÍNH", "Số: 12/SY-VP Đồng Tâm, ngày 15/3/2025"]
    second += ["Sao gửi các xã để biết và thực hiện.", "Nơi nhận: TL. CHỦ TỊCH"]
    second += ["- Các xã; CHÁNH VĂN PHÒNG", "- Lưu: VT.", "Lê Thị Thu"]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING + first + second)
    assert doc["recipients"] == ["Như trên;", "Lưu: VT, QLNS."]
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"
    assert [c["kind"] for c in doc["copies"]] == ["SAO LỤC", "SAO Y BẢN CHÍNH"]
    assert [c["signature"]["name"] for c in doc["copies"]] == ["Trần Văn Nam", "Lê Thị Thu"]
    assert doc["copies"][1]["text"] == ["Sao gửi các xã để biết và thực hiện."]


def test_a_table_of_contents_trang_line_is_no_page_break():
    toc = ["MỤC LỤC", "Phần I. Kết quả thực hiện nhiệm vụ", "Trang 2"]
    toc += ["Phần II. Phương hướng năm 2025", "Trang 5", "Phần I", "1. Công tác chỉ đạo."]
    doc = structured(HEAD + TO + toc + CLOSING)
    assert doc["source"]["pages"] == 1
    assert "Trang 2" in " ".join(_texts(doc))


def test_an_old_style_copy_stamp_keeps_the_originals_signer():
    # "SAO Y BẢN CHÍNH" with its signer only, no number or date of its own
    copy = ["SAO Y BẢN CHÍNH", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Lê Thị Thu"]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING + copy)
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"
    assert doc["signature"]["title"] == "PHÓ GIÁM ĐỐC"
    assert doc["copies"][0]["signature"]["name"] == "Lê Thị Thu"


def test_a_copying_office_on_two_lines_and_a_regulation_after_the_copy():
    copy = ["ỦY BAN NHÂN DÂN", "HUYỆN ĐỒNG TÂM", "SAO Y BẢN CHÍNH"]
    copy += ["Số: 03/SY-UBND Đồng Tâm, ngày 05/4/2025", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    copy += ["Phạm Văn Tú"]
    regulation = ["QUY CHẾ", "Cấp bản sao tại UBND các xã"]
    regulation += ["(Kèm theo Quyết định số 45/QĐ-UBND ngày 02/4/2025 của UBND huyện)"]
    regulation += ["Điều 1. Phạm vi điều chỉnh", "Quy chế này quy định việc cấp bản sao."]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING + copy + regulation)
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"
    (certified,) = doc["copies"]
    assert certified["issuer"] == ["ỦY BAN NHÂN DÂN", "HUYỆN ĐỒNG TÂM"]
    assert certified["signature"]["name"] == "Phạm Văn Tú"
    assert "Quy chế này quy định việc cấp bản sao." in _texts(doc)


def test_a_chapter_on_copies_in_an_attached_regulation_is_no_certification():
    regulation = ["QUY CHẾ", "Cấp bản sao tại UBND các xã"]
    regulation += ["(Kèm theo Quyết định số 45/QĐ-UBND ngày 02/4/2025 của UBND huyện)"]
    regulation += ["Chương II", "CẤP BẢN SAO", "Điều 2. Thẩm quyền cấp bản sao"]
    regulation += ["Việc cấp bản sao theo Nghị định số 23/2015/NĐ-CP ngày 16 tháng 02 năm 2015."]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING + regulation)
    assert doc["copies"] == []
    assert "Việc cấp bản sao theo Nghị định số 23/2015/NĐ-CP ngày 16 tháng 02 năm 2015." in (
        _texts(doc)
    )


def test_a_signing_time_read_beside_the_signers_name_leaves_the_name():
    closing = CLOSING[:3] + ["Nguyễn Văn Bình Thời gian ký: 12.03.2025 16:20:11 +07:00"]
    doc = structured(HEAD + TO + ["Nội dung."] + closing)
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"
    stamp = next(f for f in doc["furniture"] if f["kind"] == "signature_stamp")
    assert stamp["text"] == "Thời gian ký: 12.03.2025 16:20:11 +07:00"


def test_a_list_under_a_lead_in_at_a_pages_foot_stays_text():
    page1 = ["Thực hiện Điều 5(1) và Điều 7(2) của Quy chế, UBND xã giao các thôn:"]
    page1 += ["(1) Rà soát danh sách hộ nghèo;", "(2) Báo cáo kết quả trước ngày 30/6/2025."]
    doc = structured(HEAD + TO + page1 + ["\f2", "1. Các xã lập báo cáo."] + CLOSING)
    assert doc["footnotes"] == []
    texts = " ".join(_texts(doc))
    assert "Điều 5(1) và Điều 7(2)" in texts and "(1) Rà soát danh sách hộ nghèo;" in texts


def test_a_capitals_name_under_da_ky_is_the_signers_not_the_copying_office():
    closing = CLOSING[:3] + ["(Đã ký)", "LẠI VĂN HÙNG"]
    copy = ["SAO Y BẢN CHÍNH", "Số: 12/SY-VP Tân Lạc, ngày 15/3/2025", "TL. CHỦ TỊCH"]
    copy += ["CHÁNH VĂN PHÒNG", "Lê Thị Thu"]
    doc = structured(HEAD + TO + ["Nội dung."] + closing + copy)
    (certified,) = doc["copies"]
    assert certified["issuer"] == []
    assert certified["signature"]["name"] == "Lê Thị Thu"


def test_an_annex_opening_phu_luc_with_its_note_joins_the_tree():
    annex = ["PHỤ LỤC SỐ 01", "BIỂU MẪU BÁO CÁO QUYẾT TOÁN"]
    annex += ["(Kèm theo Công văn số 215/STC-QLNS ngày 12/3/2025 của Sở Tài chính)"]
    annex += ["Tổng thu ngân sách xã: ........ đồng."]
    doc = structured(HEAD + TO + ["Nội dung."] + CLOSING + annex)
    assert doc["signature"]["title"] == "PHÓ GIÁM ĐỐC"
    assert "Tổng thu ngân sách xã: ........ đồng." in " ".join(_texts(doc))


def test_a_vnpt_box_a_wrapped_value_and_a_received_stamps_recipient():
    box = ["Ký bởi: Sở Tài chính", "tỉnh Tân Lạc", "Email: stc@tanlac.gov.vn"]
    box += ["Ký ngày: 12/03/2025 16:20:11"]
    stamp = ["CÔNG VĂN ĐẾN", "Số: 1450 Ngày: 14/3/2025", "Người nhận: Lê Thu"]
    doc = structured(HEAD[:3] + stamp + HEAD[3:] + TO + ["Nội dung."] + CLOSING + box)
    assert doc["header"]["subject"] == "V/v hướng dẫn quyết toán ngân sách năm 2024"
    kinds = {f["kind"]: f["text"] for f in doc["furniture"]}
    assert kinds["signature_stamp"] == "\n".join(box)
    assert kinds["received_stamp"] == "\n".join(stamp)
    assert doc["signature"]["name"] == "Nguyễn Văn Bình"


def test_a_sentence_naming_a_signing_time_stays_text():
    line = "1. Hợp đồng thuê đất 2.000 m2. Thời gian ký: dự kiến tháng 6/2025."
    doc = structured(HEAD + TO + [line] + CLOSING)
    assert "Thời gian ký: dự kiến tháng 6/2025." in " ".join(_texts(doc))
    assert not [f for f in doc["furniture"] if f["kind"] == "signature_stamp"]
