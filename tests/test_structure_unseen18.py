"""Structure rules from set 18's misses (tests/data/structure_heldout18, scored once at the
start of the round after the one that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import structured, walk

RULES_HEAD = [
    "UBND XÃ NÀ PHẶC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TRẠM Y TẾ XÃ Độc lập - Tự do - Hạnh phúc",
    "Nà Phặc, ngày 2 tháng 3 năm 2027",
    "QUY CHẾ",
    "Làm việc của Trạm Y tế xã",
]


def _sections(doc: dict) -> list[tuple[str, str | None]]:
    return [(n["label"], n["title"]) for n in walk(doc["body"]) if n["kind"] == "section"]


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
    assert _sections(doc) == [
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
    assert [title for _label, title in _sections(doc)] == [None, None, None]
