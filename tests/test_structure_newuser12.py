"""Round 28's new user's findings on structure: two footnote bodies after the signature,
the second's raised "²" read as "?", had made one footnote numbered 1 holding the
second's text, the first's text lost. Invented documents."""

from __future__ import annotations

from structure_trees import structured


def test_a_lookalike_mark_under_a_numbered_body_is_the_next_footnote() -> None:
    doc = structured([
        "SỞ Y TẾ TỈNH BẮC LÃM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 86/KH-SYT Bắc Lãm, ngày 03 tháng 4 năm 2025",
        "KẾ HOẠCH", "Phòng, chống bệnh sốt xuất huyết năm 2025",
        "Thực hiện Kế hoạch số 152/KH-UBND của Ủy ban nhân dân tỉnh¹, Sở Y tế xây dựng"
        " kế hoạch như sau:",
        "I. MỤC ĐÍCH", "Giảm số mắc sốt xuất huyết.", "II. NỘI DUNG",
        "Trung tâm Kiểm soát bệnh tật giám sát tại 12 xã trọng điểm².",
        "Nơi nhận: KT. GIÁM ĐỐC", "- UBND tỉnh; PHÓ GIÁM ĐỐC",
        "- Lưu: VT, NVY. Lương Thị Hải Yến",
        "1 Kế hoạch số 152/KH-UBND ngày 20/02/2025 về phòng, chống dịch bệnh năm 2025.",
        "? Danh sách tại Phụ lục kèm theo Kế hoạch này.",
    ])  # fmt: skip
    found = [(f["number"], f["text"][:22], f["linked"]) for f in doc["footnotes"]]
    assert found == [(1, "Kế hoạch số 152/KH-UBN", True), (2, "Danh sách tại Phụ lục ", True)]
