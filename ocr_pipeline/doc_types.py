"""The types of administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục III, and the
forms archives hold beside them), as their type line prints them: the structure reads a
document's type from them (`structure.header`), and restoration takes a type line as the
start of a unit of its own (`restore.decoder`)."""

from __future__ import annotations

from ocr_pipeline.text import strip_marks

DOC_TYPES = [
    "BÁO CÁO", "QUYẾT ĐỊNH", "KẾ HOẠCH", "TỜ TRÌNH", "CÔNG VĂN", "NGHỊ QUYẾT", "THÔNG BÁO",
    "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "PHƯƠNG ÁN", "ĐỀ ÁN",
    "DỰ ÁN", "BIÊN BẢN", "GIẤY MỜI", "CÔNG ĐIỆN", "THÔNG CÁO", "HỢP ĐỒNG", "GIẤY ỦY QUYỀN",
    "GIẤY GIỚI THIỆU", "GIẤY NGHỈ PHÉP", "PHIẾU GỬI", "PHIẾU CHUYỂN", "PHIẾU BÁO",
    "THƯ CÔNG", "BẢN GHI NHỚ", "BẢN THỎA THUẬN", "THÔNG TƯ", "NGHỊ ĐỊNH", "LUẬT",
    "THÔNG TRI",  # an archival type: a directive to the units below (Party, older state)
    "KẾT LUẬN",  # a Party committee's conclusions (Hướng dẫn 36-HD/VPTW)
    "DANH SÁCH",  # a list issued on its own (a commune's conscripts, a class's pupils)
    # the thư công's kinds as their type line prints them, and the papers an office gives
    "THƯ KHEN", "THƯ CẢM ƠN", "THƯ CHÚC MỪNG", "THƯ THĂM HỎI", "THƯ KÊU GỌI", "THƯ NGỎ",
    "THƯ MỜI", "GIẤY KHEN", "GIẤY ĐI ĐƯỜNG", "GIẤY BÁO", "GIẤY PHÉP",
    "BẢN QUY ĐỊNH", "ĐIỀU LỆ",  # a cooperative's or an association's rules
]  # fmt: skip
#: what a person writes to an office, and the forms a person fills in, as a dossier holds
#: them beside the office's documents
PERSONAL_TYPES = [
    "ĐƠN", "BẢN TƯỜNG TRÌNH", "BẢN KIỂM ĐIỂM", "BẢN TỰ KIỂM ĐIỂM", "BẢN CAM KẾT",
    "BẢN KHAI", "BẢN NHẬN XÉT", "BẢN ĐĂNG KÝ", "TỜ KHAI", "SƠ YẾU LÝ LỊCH", "PHIẾU",
    "GIẤY XÁC NHẬN", "GIẤY CAM ĐOAN", "GIẤY ĐỀ NGHỊ", "GIẤY CHỨNG NHẬN", "GIẤY BIÊN NHẬN",
    "GIẤY TRIỆU TẬP", "GIẤY RA VIỆN", "GIẤY CHỨNG SINH", "GIẤY KHAI SINH",
]  # fmt: skip
DOC_TYPES += PERSONAL_TYPES

#: Each type's words without their marks ("THONG", "BAO"): a scan that lost the marks of a
#: type line still names the type.
UNMARKED_TYPE_WORDS = frozenset(tuple(strip_marks(t).split()) for t in DOC_TYPES)
#: The most words a type has.
MAX_TYPE_WORDS = max(len(t.split()) for t in DOC_TYPES)


def opens_with_type(words: list[str]) -> bool:
    """`words` (a line's first words, as written; any case) open with a document type,
    marks or none ("THÔNG BÁO", "THONG BAO", "BÁO CÁO THÀNH TÍCH")."""
    bare = [strip_marks(w).upper() for w in words[:MAX_TYPE_WORDS]]
    return any(tuple(bare[:n]) in UNMARKED_TYPE_WORDS for n in range(1, len(bare) + 1))


__all__ = [
    "DOC_TYPES",
    "MAX_TYPE_WORDS",
    "PERSONAL_TYPES",
    "UNMARKED_TYPE_WORDS",
    "opens_with_type",
]
