"""Tests for ocr_pipeline.restore.orthography."""

import unicodedata

import pytest

from ocr_pipeline.restore import orthography as o


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    "word",
    "a ba bác quýt quốc quả quyền giếng gì gìn giữa gieo giẻ khuya khuỷu oong xoong soóc "
    "huỵch uỵch nghĩa nghiêng kỹ kẻ ghế ngoài xoáy huỳnh nguyễn thuở yên yêu ủy thủy hòa "
    "hoà khỏe khoẻ góa thuyền tuyết ươm rượu đường Đảng ỦY Hòa đắk".split(),
)
def test_valid_syllables(word):
    assert o.is_valid_syllable(word)
    assert o.is_valid_syllable(nfd(word))


@pytest.mark.parametrize(
    "word",
    [
        "", "b", "đ", "nđ", "ubnd", "ge", "ghu", "ghy", "cuy", "ce", "ka", "ngi", "ngha", "iên",
        "gii", "qa", "bàc", "bảt", "bãch", "uych", "hoàá", "of", "windows", "xyz", "cá1",
        "thu-y",
    ],
)  # fmt: skip
def test_invalid_syllables(word):
    assert not o.is_valid_syllable(word)


def test_ke_with_k_is_valid_but_ka_is_not():
    assert o.is_valid_syllable("kẻ") and not o.is_valid_syllable("kả")
    assert o.is_valid_syllable("ca") and not o.is_valid_syllable("ce")


@pytest.mark.parametrize(
    "base,tone,expected",
    [
        ("hoa", 2, "hòa"),
        ("hoan", 2, "hoàn"),
        ("thuy", 3, "thủy"),
        ("thuyên", 2, "thuyền"),
        ("khoe", 3, "khỏe"),
        ("khoang", 3, "khoảng"),
        ("qua", 3, "quả"),
        ("quy", 1, "quý"),
        ("gia", 1, "giá"),
        ("gi", 2, "gì"),
        ("giưa", 4, "giữa"),
        ("ngoai", 2, "ngoài"),
        ("khuyu", 3, "khuỷu"),
        ("mua", 1, "múa"),
        ("rươu", 5, "rượu"),
        ("uy", 3, "ủy"),
        ("Hoa", 2, "Hòa"),
        ("HOA", 2, "HÒA"),
        ("ban", 0, "ban"),
    ],
)
def test_place_tone_traditional(base, tone, expected):
    assert o.place_tone(base, tone) == expected
    assert unicodedata.is_normalized("NFC", o.place_tone(base, tone))


def test_place_tone_modern_style():
    assert o.place_tone("hoa", 2, style="modern") == "hoà"
    assert o.place_tone("thuy", 3, style="modern") == "thuỷ"
    assert o.place_tone("hoan", 2, style="modern") == "hoàn"
    with pytest.raises(ValueError):
        o.place_tone("hoa", 2, style="weird")


def test_decompose_roundtrip_and_tone_of():
    for word in ["thuyền", "quả", "giữa", "Đảng", "ủy", "ban", "KHỎE"]:
        base, tone = o.decompose(word)
        assert o.place_tone(base, tone) == word
        assert o.tone_of(word) == tone
    assert o.decompose("thuyền") == ("thuyên", 2)
    assert o.decompose(nfd("thuyền")) == ("thuyên", 2)
    assert [o.tone_of(w) for w in ["ma", "má", "mà", "mả", "mã", "mạ"]] == [0, 1, 2, 3, 4, 5]


def test_strip_functions():
    assert o.strip_marks("Đảng ủy") == "Dang uy"
    assert o.strip_marks(nfd("Đảng ủy")) == "Dang uy"
    assert o.strip_marks("Ưu tiên ơ Ân") == "Uu tien o An"
    assert o.strip_marks("café") == "cafe"
    assert o.strip_tone("thuyền Đảng ủy") == "thuyên Đang uy"


def test_normalize_tone_placement():
    assert o.normalize_tone_placement("hoà") == "hòa"
    assert o.normalize_tone_placement(nfd("hoà")) == "hòa"
    assert o.normalize_tone_placement("THUỶ") == "THỦY"
    assert o.normalize_tone_placement("Khoẻ") == "Khỏe"
    assert o.normalize_tone_placement("hoàn") == "hoàn"
    assert o.normalize_tone_placement("hòa", style="modern") == "hoà"
    assert o.normalize_tone_placement("café") == "café"  # not Vietnamese: unchanged
    assert o.normalize_tone_placement("ban") == "ban"


def test_all_syllables_inventory():
    syl = o.all_syllables()
    assert len(syl) == len(set(syl)) > 10000
    for word in ["hòa", "thủy", "quýt", "giếng", "khuya", "nghiêng", "người"]:
        assert word in syl
    assert "hoà" not in syl  # traditional placement only
    assert "bàc" not in syl
    assert all(o.is_valid_syllable(s) for s in syl[::50])


def test_inventory_is_kept_in_the_array_cache(tmp_path, monkeypatch):
    from ocr_pipeline.restore import arraycache

    monkeypatch.setenv(arraycache.CACHE_ENV, str(tmp_path))
    o._all_syllables.cache_clear()
    try:
        first = o.all_syllables()  # enumerated and written
        entries = list(tmp_path.glob("syllables-orthography-*"))
        assert len(entries) == 1
        o._all_syllables.cache_clear()
        assert o.all_syllables() == first == o._enumerate_syllables()  # read back whole
    finally:
        o._all_syllables.cache_clear()


@pytest.mark.parametrize(
    "token,pattern",
    [("hòa", "lower"), ("HÒA", "upper"), ("Hòa", "title"), ("hÒa", "mixed"), ("A", "title"),
     ("123", "lower"), ("UBND", "upper"), ("Đ", "title")],
)  # fmt: skip
def test_case_pattern(token, pattern):
    assert o.case_pattern(token) == pattern


def test_case_roundtrip():
    for token in ["hòa", "HÒA", "Hòa", "ĐẢNG", "Ủy"]:
        assert o.apply_case(token.lower(), o.case_pattern(token)) == token
    assert o.transfer_case("HOA", "hòa") == "HÒA"
    assert o.transfer_case("Hoa", "hòa") == "Hòa"
    assert o.transfer_case("THUY", "thủy") == "THỦY"
    assert o.transfer_case("Ngh", "nghĩa") == "Nghĩa"


def test_glued_syllables_split_only_where_no_syllable_fits():
    from ocr_pipeline.restore.orthography import glued_splits

    assert glued_splits("CHỢVÀ") == [("CHỢ", "VÀ")]
    assert ("PHƯỜNGTÂN"[:6], "TÂN") in glued_splits("PHƯỜNGTÂN")
    assert glued_splits("LIEN") == []  # "LIÊN" that lost its mark
    assert glued_splits("II") == [] and glued_splits("XIII") == []  # numerals
    assert glued_splits("NGHIÊNG") == []  # one syllable


def test_glued_small_letters_split_with_a_mark_or_at_a_capital():
    from ocr_pipeline.restore.orthography import glued_splits

    assert glued_splits("hộiđồng") == [("hội", "đồng")]
    assert glued_splits("kêtqua") == [("kêt", "qua")]  # parts that lost their tones
    assert glued_splits("NguyễnHoa") == [("Nguyễn", "Hoa")]  # a capital opens a word
    assert glued_splits("ĐoànThanh") == [("Đoàn", "Thanh")]
    assert glued_splits("TrungSơn") == [("Trung", "Sơn")]
    assert ("cho", "tre") in glued_splits("chotre")  # the decoder weighs "chotre" whole
    # brand names, acronyms, codes, a marker letter: never read as two syllables
    for word in ("TikTok", "YouTube", "iPhone", "Tiki", "DATA", "ThS", "TTr", "tâmS", "nghiệpp"):
        assert glued_splits(word) == [], word


def test_shape_mark_typed_after_the_tone_is_the_letters_own():
    # e, acute, circumflex: Unicode keeps the order (both marks sit above), so NFC leaves
    # "é" plus a loose circumflex; the letter is "ế"
    assert o.shape_marks_first("vi\u00e9\u0302t") == "viết"
    assert o.shape_marks_first("HO\u0300\u031bNG") == "HỜNG"
    assert o.shape_marks_first("a\u0309\u0306n") == "ẳn"
    for word in ("Việt", "ợ", "thưởng", "UBND", "café"):  # nothing loose: unchanged
        assert o.shape_marks_first(word) == word


def test_an_apostrophe_after_a_marked_vowel_is_the_mark_typed_so():
    assert o.apostrophe_marks("sỏ’") == "sở" and o.apostrophe_marks("tù'") == "từ"
    assert o.apostrophe_marks("họ’p") == "hợp"  # the horn of a toned o
    assert o.apostrophe_marks("sự’") == "sự"  # the horn typed twice
    assert o.apostrophe_marks("lô’i") == "lối"  # after a hat: the acute
    # a plain u or o is the channel's to read ("u’" for ư); no apostrophe: unchanged
    assert o.apostrophe_marks("du’ờng") == "du’ờng" and o.apostrophe_marks("bà’") == "bà’"
    assert o.apostrophe_marks("nghiệp") == "nghiệp"
