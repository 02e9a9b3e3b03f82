"""Two syllables OCR wrote without the space between them (`Decoder._glued`): another
engine's text glues small words ("mongmuôn", "ThịHông") as Tesseract glues capitals; an
English-model OCR's one-syllable garble ("trudéng") stays one word (real models)."""

from __future__ import annotations

from restore_models import needs_models

from ocr_pipeline.restore import restore_text

pytestmark = needs_models("confusion_vie.tsv")


def test_small_words_glued_by_ocr_are_split() -> None:
    text = "Hội nghị có sự tham dự của ông NguyễnHoa và các hộiđồng trong xã."
    assert restore_text(text, "vie") == (
        "Hội nghị có sự tham dự của ông Nguyễn Hoa và các hội đồng trong xã."
    )
    lost = "Hôi nghi co su tham du cua cac hôiđông trong xa, mongmuôn co kêtqua tôt."
    assert "mong muốn có kết quả tốt" in restore_text(lost, "eng")


def test_words_that_are_one_are_not_split() -> None:
    # marked text: loanwords and brands without a mark, a word the language model knows,
    # a place written as one word (dictionaries/places.tsv)
    text = "Học tập Mác - Lênin; đi taxi, in logo; trả qua MoMo, BaoViet; xã Đakrông."
    assert restore_text(text, "vie") == text
    assert "video" in restore_text("Xem video cua xa", "eng")  # known: never "vi đeo"


def test_the_users_lexicon_keeps_a_glued_looking_word() -> None:
    text = "Nhà máy Hòaphát và xã Tânlập"
    assert restore_text(text, "vie") == "Nhà máy Hòa phát và xã Tân lập"
    assert restore_text(text, "vie", lexicon=["Hòaphát", "Tânlập"]) == text


def test_unmarked_small_words_glued_are_split() -> None:
    out = restore_text("Nha truong da to chuc kham suc khoe chotre em trong xa.", "eng")
    assert "cho trẻ em" in out


def test_english_model_garble_of_one_syllable_stays_one_word() -> None:
    # "ươ" read "udé", "ườ" read "udi": the word's own reading beats "trụ đồng", "ngủ đi"
    out = restore_text("Ban giam hiéu nha trudéng da hop.", "eng")
    assert "nhà trường" in out
    out = restore_text("Moi ngudi dan trong xa deu tham gia.", "eng")
    assert "người dân" in out


def test_a_months_number_glued_to_thang_before_nam_is_no_footnote_marker() -> None:
    text = "Căn cứ Luật Doanh nghiệp ngày 17 tháng6 năm 2020; kết quả trong năm5. Tổng"
    assert restore_text(text, "vie") == (
        "Căn cứ Luật Doanh nghiệp ngày 17 tháng6 năm 2020; kết quả trong năm⁵. Tổng"
    )
