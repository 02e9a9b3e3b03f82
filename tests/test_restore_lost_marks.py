"""Words that lost their marks in a text that writes its other words with them (typed in
part without accents, or a faint scan): read with the marks the context asks for
(`Weights.lost_marks`), names and correct unmarked words left as they are."""

from __future__ import annotations

import pytest
from restore_models import needs_models

from ocr_pipeline.restore import orthography as ortho

pytestmark = needs_models("confusion_vie.tsv")


def test_spellings_are_the_syllables_of_those_letters() -> None:
    assert {"hội", "hỏi", "hơi", "hồi", "hoi"} <= set(ortho.spellings("hoi"))
    assert "đảng" in ortho.spellings("dang")  # d stands for đ too
    assert ortho.spellings("xyz") == ()
    # a word with vowel marks but no tone lost its tone (or a hat with it), not its đ
    assert {"điểm", "điếm", "điêm"} <= set(ortho.spellings("điem"))
    assert "sử" in ortho.spellings("sư") and "được" not in ortho.spellings("dược")
    assert ortho.spellings("điểm") == ("điểm",)  # lost nothing it could


def test_a_word_that_lost_its_tone_takes_it_back() -> None:
    from ocr_pipeline.restore import restore_text

    assert restore_text("Các thương nhân sư dụng điem kinh doanh tại chợ", "vie") == (
        "Các thương nhân sử dụng điểm kinh doanh tại chợ"
    )
    assert restore_text("BỐ TRÍ NGÀNH HÀNG VÀ SƯ DỤNG ĐIEM KINH DOANH", "vie") == (
        "BỐ TRÍ NGÀNH HÀNG VÀ SỬ DỤNG ĐIỂM KINH DOANH"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ủy ban nhân dân xã đã tổ chức hoi nghi tổng kết công tác năm 2024.",
            "Ủy ban nhân dân xã đã tổ chức hội nghị tổng kết công tác năm 2024.",
        ),
        (
            "Khen thưởng các ca nhan có thành tích xuất sắc trong phong trào thi đua.",
            "Khen thưởng các cá nhân có thành tích xuất sắc trong phong trào thi đua.",
        ),
    ],
)
def test_unmarked_words_in_marked_text_take_their_marks(text: str, expected: str) -> None:
    from ocr_pipeline.restore import restore_text

    assert restore_text(text) == expected


def test_names_and_correct_unmarked_words_stay() -> None:
    from ocr_pipeline.restore import restore_text

    text = "Bà Nguyễn Thị Hoa tham gia lớp học và đóng góp cho quỹ khuyến học của thôn Nam."
    assert restore_text(text) == text


def test_a_capitals_line_whose_words_lost_their_marks() -> None:
    from ocr_pipeline.restore import restore_text

    assert restore_text("DANH GIÁ CHUNG VỀ KẾT QUẢ ĐẠT ĐƯỢC", "vie") == (
        "ĐÁNH GIÁ CHUNG VỀ KẾT QUẢ ĐẠT ĐƯỢC"
    )


def test_the_filing_codes_after_luu_are_kept() -> None:
    from ocr_pipeline.restore import restore_text

    text = "Nơi nhận:\n- UBND phường (để b/c);\n- Lưu: VT, CAP, BQLC.\n- Lưu VP HTX.\n"
    assert restore_text(text, "vie") == text
    assert restore_text("- Luu: VT, CAP.\n", "eng") == "- Lưu: VT, CAP.\n"
    # no filing line: "Lưu" with neither a dash before it nor a colon after it
    assert restore_text("LUU Y KHI THUC HIEN", "vie") == "LƯU Ý KHI THỰC HIỆN"


def test_hoi_nd_is_the_farmers_union_and_a_tripled_t_is_mended() -> None:
    from ocr_pipeline.restore import restore_text

    text = "- Thường trực Hội ND huyện (b/c);\n- Ban Thường trực UBMTTTQ xã;\n"
    assert restore_text(text, "vie") == (
        "- Thường trực Hội ND huyện (b/c);\n- Ban Thường trực UBMTTQ xã;\n"
    )


def test_a_vowel_whose_marks_ocr_stacked_reads_as_one_letter() -> None:
    from ocr_pipeline.restore import restore_text
    from ocr_pipeline.restore.decoder import _unstacked

    assert _unstacked("khêế") == ["khế", "khê"] and _unstacked("ưu") == []
    assert restore_text("HỘI CỰU CHIẾN BINH VIỆT NAM HỘI NÔỒNG DÂN VIỆT NAM", "vie") == (
        "HỘI CỰU CHIẾN BINH VIỆT NAM HỘI NÔNG DÂN VIỆT NAM"
    )


def test_a_name_whose_vowel_ocr_stacked_is_not_kept_as_written() -> None:
    """No spelling, a name's included, writes a vowel twice with a mark on one: "Luụa" in a
    place's name is "Lụa" (it had been kept, the unknown word's whole LM class above it);
    a syllable that writes "oo" ("Coóc", "boong") stays."""
    from ocr_pipeline.restore import restore_text

    assert restore_text("HTX Đồng Luụa tổ chức hội nghị", "vie") == "HTX Đồng Lụa tổ chức hội nghị"
    assert restore_text("đồng bào dân tộc Coóc Mun", "vie") == "đồng bào dân tộc Coóc Mun"


def test_a_capitalised_word_first_does_not_change_a_lowercase_ones_candidates() -> None:
    import copy

    from ocr_pipeline.restore import get_decoder

    fresh = copy.copy(get_decoder("vie"))
    fresh._cand_cache = {}
    capitalised = {c.form: c.chan for c in fresh._column("Nghi").cands}  # the channel's
    lowercase = {c.form: c.chan for c in fresh._column("nghi").cands}  # lost marks' floor
    assert lowercase["nghị"] > capitalised["nghị"]


def test_a_syllable_the_model_does_not_know_does_not_take_the_unknown_words_share() -> None:
    # a photocopy lost the grave accents over the hats: "mêm" is a valid spelling no one
    # writes; as an unknown word it had the whole <unk> class's probability
    from ocr_pipeline.restore import restore_text

    out = restore_text("Trạm đã nhập số liệu tiêm chủng vào phân mêm quản lý của tỉnh.", "vie")
    assert "vào phần mềm quản lý" in out


def test_the_older_i_spelling_of_a_marked_text_is_kept() -> None:
    """ "qui định", "kĩ thuật": both spellings are Vietnamese, the older one an archive's (set
    30's 1981 cooperative rules had become "quy định"); "quy" stays "quy"."""
    from ocr_pipeline.restore import restore_text
    from ocr_pipeline.restore.orthography import iy_spelling_key

    assert [iy_spelling_key(w) for w in ("quy", "kỹ", "lý", "thụy", "tay")] == [
        "qui", "kĩ", "lí", "thụy", "tay"
    ]  # fmt: skip
    text = "Ban quản trị qui định chấp hành đúng qui trình kĩ thuật."
    assert restore_text(text, "vie") == text
    assert restore_text("đúng quy định", "vie") == "đúng quy định"
