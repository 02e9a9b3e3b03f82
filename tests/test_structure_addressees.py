"""The "Kính gửi:" block under the header: its addressees, as written, out of the body
(`structure.addressees`). Invented documents."""

from __future__ import annotations

from structure_trees import structured

from ocr_pipeline.export.markdown import to_markdown

HEAD = [
    "UBND XÃ NÀ PHẶC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 31/UBND-VP Nà Phặc, ngày 4 tháng 5 năm 2027",
    "V/v chuẩn bị phòng, chống lụt bão năm 2027",
]


def _texts(doc: dict) -> list[str]:
    return [n.get("text") or "" for n in doc["body"]]


def test_several_addressees_each_on_its_dash_line() -> None:
    doc = structured(
        HEAD
        + [
            "Kính gửi:",
            "- Trưởng các thôn: Nà Lạn, Bản Chang,",
            "Khuổi Mò;",
            "- Các trường học trên địa bàn xã.",
            "Thực hiện chỉ đạo của huyện, Ủy ban nhân dân xã đề nghị các đơn vị rà soát nhà dân.",
            "- Rà soát các hộ ở ven suối;",
        ]
    )
    assert doc["addressees"] == [
        "Trưởng các thôn: Nà Lạn, Bản Chang, Khuổi Mò;",  # its wrapped line joined
        "Các trường học trên địa bàn xã.",
    ]
    assert not any("Kính gửi" in t or "Nà Lạn" in t for t in _texts(doc))
    assert any(t.startswith("Thực hiện chỉ đạo") for t in _texts(doc))
    assert "Kính gửi:\n\n- Trưởng các thôn" in to_markdown(doc)


def test_one_addressee_on_the_line_and_a_body_without_any() -> None:
    doc = structured(HEAD + ["Kính gửi: Ủy ban nhân dân huyện Bảo Lạc.", "", "Xã báo cáo như sau:"])
    assert doc["addressees"] == ["Ủy ban nhân dân huyện Bảo Lạc."]
    assert "Kính gửi: Ủy ban nhân dân huyện Bảo Lạc." in to_markdown(doc)
    plain = structured(HEAD + ["Xã báo cáo kết quả như sau: đã kiểm tra 12 hộ."])
    assert plain["addressees"] == [] and _texts(plain)[0].startswith("Xã báo cáo")


def test_one_addressee_without_its_period_ends_where_the_body_opens() -> None:
    # a giấy giới thiệu typed without blank lines: the body's first sentence is no
    # wrapped part of the addressee
    doc = structured(
        HEAD
        + [
            "Kính gửi: Ủy ban nhân dân xã Bản Chang",
            "Ủy ban nhân dân xã Nà Phặc trân trọng giới thiệu ông Hoàng Văn Sình, công chức",
            "Địa chính - Xây dựng xã, đến liên hệ công tác đo đạc ranh giới giữa hai xã.",
        ]
    )
    assert doc["addressees"] == ["Ủy ban nhân dân xã Bản Chang"]
    assert _texts(doc)[0].startswith("Ủy ban nhân dân xã Nà Phặc trân trọng")


def test_a_scans_paragraph_set_in_under_the_addressee_opens_the_body() -> None:
    # a scan's addressee line ran to the margin without its period; the line under it
    # is set in as a paragraph's first: the body, not more of the addressee
    from ocr_pipeline.structure.addressees import split_addressees
    from ocr_pipeline.structure.document import SrcLine

    lines = [
        SrcLine("Kính gửi: Đoàn Chủ tịch Đại hội đại biểu Phụ nữ tỉnh lần thứ XVI", 1),
        SrcLine("Nhiệm kỳ qua, Hội Liên hiệp Phụ nữ xã có 2.318 hội viên.", 1, indented=True),
    ]
    addressees, rest = split_addressees(lines)
    assert addressees == ["Đoàn Chủ tịch Đại hội đại biểu Phụ nữ tỉnh lần thứ XVI"]
    assert [ln.text for ln in rest] == [lines[1].text]


def test_an_application_ends_its_addressee_at_the_first_field() -> None:
    doc = structured(
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ĐƠN XIN XÁC NHẬN",
            "Kính gửi: Ủy ban nhân dân xã Ea Kơ Ning",  # its period left out
            "Tôi tên là: H' Lim Niê Sinh năm: 1979",
            "Vậy tôi làm đơn này kính đề nghị Ủy ban nhân dân xã xem xét, xác nhận.",
        ]
    )
    assert doc["addressees"] == ["Ủy ban nhân dân xã Ea Kơ Ning"]
