"""Personal names restored as names: which words look like a person's name and at which
position (surname, middle, given), the by-position prior, and restoration with it (real
models): marks-lost names read as the common names they are, correctly accented names and
place names left alone. All names and sentences are invented."""

from __future__ import annotations

import pytest
from restore_models import needs_models

from ocr_pipeline.restore.person_names import (
    GIVEN,
    MIDDLE,
    SURNAME,
    load_name_prior,
    person_name_words,
)


def _find(text: str, caps: bool = False) -> list[tuple[str, int]]:
    words = text.split()
    caps_at = [caps and w.isupper() and len(w) >= 2 for w in words]
    capitalised = [w[:1].isupper() for w in words]
    return [(words[i], pos) for i, pos, _, _ in person_name_words(words, caps_at, capitalised)]


def test_a_name_after_a_title_has_surname_middle_and_given_name() -> None:
    assert _find("Ong Nguyen Van Hung can bo phuong") == [
        ("Nguyen", SURNAME),
        ("Van", MIDDLE),
        ("Hung", GIVEN),
    ]


def test_four_word_names_and_names_after_dong_chi() -> None:
    assert _find("giao dong chi Tran Thi Minh Lan thuc hien") == [
        ("Tran", SURNAME),
        ("Thi", MIDDLE),
        ("Minh", MIDDLE),
        ("Lan", GIVEN),
    ]
    assert _find("Dong chi Pham Quang Vinh phu trach") == [
        ("Pham", SURNAME),
        ("Quang", MIDDLE),
        ("Vinh", GIVEN),
    ]


def test_a_single_word_after_a_title_is_a_given_name() -> None:
    assert _find("gia dinh ba Tuyet o thon") == [("Tuyet", GIVEN)]


def test_capitals_names_are_found_in_capitals_lines() -> None:
    assert [p for _, p in _find("NGUYEN VAN HUNG", caps=True)] == [SURNAME, MIDDLE, GIVEN]


def test_streets_organisations_and_non_surname_runs_are_not_names() -> None:
    assert _find("tren duong Le Loi cua xa") == []
    assert _find("tai xa Ha Thanh va phong Tai chinh") == []
    assert _find("Phong Tai Chinh Ke Hoach huyen") == []
    assert _find("Nguyen Van Hung Nguyen Van Tuan cung") == []  # five words and more: no


def test_a_run_after_the_number_three_or_a_team_is_no_name() -> None:
    """ "ba" is the number three as well as "bà", and "Tổ" a team as well as "Tô": a run
    no surname opens is no name, after them or not (the second review)."""
    assert _find("Xa co ba Doi Dan Phong hoat dong") == []
    assert _find("Thanh lap ba Chi Bo moi") == []
    assert _find("Thanh phan: To Cong Tac lien nganh") == []
    assert _find("ba Nguyen Thi Lan") == [("Nguyen", SURNAME), ("Thi", MIDDLE), ("Lan", GIVEN)]


def test_the_prior_knows_where_syllables_stand_in_names() -> None:
    surname, middle, given = load_name_prior()
    assert surname["nguyễn"] > 2 > given.get("nguyễn", -9)
    assert middle["văn"] > given.get("văn", -9)
    assert middle["hữu"] > given.get("hữu", -9)
    assert given["dũng"] > given.get("dưỡng", -9) + 3
    assert given["nội"] < 0  # "Hà Nội" is a place, not a person


@pytest.fixture(scope="module")
def restore():
    from ocr_pipeline.restore import restore_text

    return restore_text


_FRAME = "{}, can bo phuong, da hoan thanh nhiem vu."


@needs_models("confusion_eng.tsv")
def test_marks_lost_names_read_as_common_names(restore) -> None:
    out = restore(_FRAME.format("Ong Hoang Dinh Hung"), channel="eng")
    assert out.startswith("Ông Hoàng Đình Hùng,")  # not "Hung" kept
    out = restore(_FRAME.format("Ong Do Van Cuong"), channel="eng")
    assert out.startswith("Ông Đỗ Văn Cường,")  # not "Cương"


@needs_models("confusion_vie.tsv", "confusion_vie_caps.tsv")
def test_a_capitals_signature_name_without_marks_is_restored(restore) -> None:
    out = restore("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nDAO VAN TUAN\n", channel="vie")
    assert out.splitlines()[-1] == "ĐÀO VĂN TUẤN"


@needs_models("confusion_vie.tsv")
def test_a_marked_texts_name_gets_its_surname_and_middle_names_marks(restore) -> None:
    """A scan's signer or recipient "Pham Thi ..." in marked text: surname and middle name
    are a closed set whose unmarked forms are no names; a given name read without a tone
    may be one and stays. The name ends with its line: "- Lưu:" under it is no part of it."""
    text = "Nơi nhận:\n- Các tổ chuyên môn; Pham Thi Hồng Nhung\n- Lưu: VT."
    assert "Phạm Thị Hồng Nhung" in restore(text, channel="vie")
    kept = "Nơi nhận:\n- Các tổ chuyên môn; Nguyễn Văn Toan\n- Lưu: VT."
    assert restore(kept, channel="vie") == kept
    signer = "CHỦ TỊCH\nTRẦN THỊ TOAN\n"  # capitals: its other words show the OCR's marks
    assert restore(signer, channel="vie") == signer


def test_a_name_ends_with_its_line() -> None:
    words = "Pham Thi Hong Nhung Luu".split()
    caps = [False] * len(words)
    found = person_name_words(words, caps, [True] * len(words), frozenset({4}))
    assert [i for i, *_ in found] == [0, 1, 2, 3]
    assert person_name_words(words, caps, [True] * len(words)) == []  # five words: no name


@needs_models("confusion_eng.tsv", "confusion_vie.tsv", "confusion_vie_caps.tsv")
@pytest.mark.parametrize("channel", ["auto", "vie", "eng"])
def test_correctly_accented_names_are_never_changed(restore, channel) -> None:
    texts = [
        "Ông Nguyễn Hữu Dũng, bà Trần Thị Ngân và anh Đỗ Đình Cường nhận giấy khen.",
        "Giao đồng chí Hoàng Văn Quân và chị Phan Thị Minh Huyền phối hợp thực hiện.",
        "Bà Bùi Thị Dung, ông Ngô Xuân Hùng, đồng chí Đinh Công Toàn dự họp.",
    ]
    for text in texts:
        assert restore(text, channel=channel) == text


@needs_models("confusion_eng.tsv")
def test_place_names_that_open_with_a_surname_stay_places(restore) -> None:
    out = restore("Hop tai Ha Noi, tru so tren duong Le Loi.", channel="eng")
    assert out == "Họp tại Hà Nội, trụ sở trên đường Lê Lợi."


@needs_models("confusion_eng.tsv")
def test_a_place_followed_by_another_capitalised_word_is_not_a_name(restore) -> None:
    # "Hà Nội Quảng": a place and the next place's first word whose dash OCR lost; "Nội"
    # is no middle name, so the run is not read as a three-word personal name
    out = restore("Cac doan ve Ha Noi Quang thi nhan giay khen.", channel="eng")
    assert out.startswith("Các đoàn về Hà Nội Quảng ")


@needs_models("confusion_vie.tsv", "confusion_vie_caps.tsv")
def test_a_middle_name_whose_marks_a_scan_misread_is_read_as_van_or_thi(restore) -> None:
    """A scan read "Vẫn" for the middle name "Văn": a common word never a middle name,
    between a surname and a given name. Surnames are left as written: a title ("TRƯỞNG VĂN
    PHÒNG"), surnames the names prior does not know ("Vì", "Trình", "Hạ", "Lã", "Lường"),
    places; so is a real middle name ("Vân")."""
    assert restore("Người ký: Hoàng Vẫn Quyết", channel="vie") == "Người ký: Hoàng Văn Quyết"
    assert restore("PHÓ CHỦ TỊCH\nHOÀNG VẪN QUYẾT", channel="vie").endswith("HOÀNG VĂN QUYẾT")
    kept = [
        "TRƯỞNG VĂN PHÒNG\nNguyễn Minh Hải",
        "Bà Vì Thị Hoa, ông Trình Văn Sơn và bà Hạ Thị Lan dự họp.",
        "Ông Lã Văn Tâm và bà Lường Thị Hoa dự họp.",
        "Đình Thị Trấn, Định Văn Bản",
        "Bà Nguyễn Vân Anh",
    ]
    for text in kept:
        assert restore(text, channel="vie") == text
