"""Text from another OCR engine: marks typed as apostrophes after the vowel (`orthography.
apostrophe_marks`) are read as the marks and leave no apostrophe behind (real models)."""

from __future__ import annotations

from restore_models import needs_models

from ocr_pipeline.restore import restore_text

pytestmark = needs_models("confusion_eng.tsv")


def test_an_apostrophe_typed_for_a_mark_is_read_and_dropped() -> None:
    text = "Sỏ' Nội vụ họ'p bàn đường lô'i tù' năm ngoái."
    assert restore_text(text, "eng") == "Sở Nội vụ họp bàn đường lối từ năm ngoái."


def test_a_closing_quote_after_a_marked_vowel_stays_a_quote() -> None:
    text = "Danh hiệu 'Gia đình văn hóa' và 'Làng kiểu mẫu' được trao."
    assert restore_text(text, "vie") == text
