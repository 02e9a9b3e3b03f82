"""Structure rules from set 15's misses (tests/data/structure_heldout15, scored once at the
end of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import structured

HEAD = [
    "CÔNG AN TỈNH LŨNG XA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CÔNG AN HUYỆN BẢN HẠ Độc lập - Tự do - Hạnh phúc",
    "Số: 41/BC-CAH Bản Hạ, ngày 9 tháng 5 năm 2027",
    "BÁO CÁO",
    "Kết quả tuần tra tháng 4",
    "1. Tình hình chung",
    "Trong tháng không xảy ra vụ việc phức tạp.",
]


def test_an_officers_rank_before_the_name_is_part_of_the_signers_name():
    closing = [
        "Nơi nhận:",
        "- Công an tỉnh;",
        "- Lưu: VT.",
        "KT. TRƯỞNG CÔNG AN HUYỆN",
        "PHÓ TRƯỞNG CÔNG AN HUYỆN",
        "Trung tá Lường Văn Khiêm",
    ]
    doc = structured(HEAD + closing)
    assert doc["signature"]["name"] == "Trung tá Lường Văn Khiêm"
    assert doc["recipients"] == ["Công an tỉnh;", "Lưu: VT."]
