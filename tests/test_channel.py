"""Tests for ocr_pipeline.restore.channel: learned OCR confusion tables and candidates."""

from __future__ import annotations

import math
from importlib import resources

import pytest

from ocr_pipeline.restore.channel import (
    EPS,
    OTHER,
    Channel,
    load_channel,
    normalize,
    parse_table,
    skeleton,
)

# A small hand-written inventory (common syllables + the confusable neighbours that matter).
VOCAB = {
    "công": 900,
    "cống": 40,
    "cộng": 300,
    "cổng": 30,
    "cong": 20,
    "cúng": 10,
    "cân": 50,
    "cũng": 400,
    "cung": 80,
    "thưởng": 200,
    "thường": 300,
    "thương": 150,
    "thượng": 100,
    "thuở": 5,
    "thuộc": 300,
    "đảng": 300,
    "đang": 200,
    "đăng": 100,
    "đáng": 50,
    "bảng": 60,
    "phang": 3,
    "là": 900,
    "lá": 20,
    "la": 10,
    "ta": 50,
    "ma": 10,
    "có": 900,
    "cô": 40,
    "cố": 40,
    "cơ": 300,
    "cờ": 10,
    "cá": 30,
    "kiểm": 200,
    "kiếm": 20,
    "kiêm": 30,
    "kiềm": 10,
    "kiệm": 20,
    "kim": 30,
    "nhiệm": 400,
    "nhiễm": 30,
    "của": 900,
    "cửa": 40,
    "được": 800,
    "đức": 20,
    "phường": 300,
    "phương": 300,
    "quyết": 500,
    "định": 600,
    "uông": 10,
    "ương": 10,
    "nghị": 400,
    "nghĩ": 30,
    "nghi": 30,
    "và": 900,
    "vả": 5,
    "ưu": 100,
    "tỉnh": 400,
    "tình": 200,
    "tinh": 50,
    "lãnh": 100,
    "hội": 500,
    "hợi": 2,
}


def _fresh(name: str) -> Channel:
    """A private copy of a packaged channel (so set_vocabulary does not touch the cached one)."""
    text = (
        resources.files("ocr_pipeline")
        .joinpath("data", f"confusion_{name}.tsv")
        .read_text(encoding="utf-8")
    )
    ch = parse_table(name, text)
    ch.set_vocabulary(VOCAB)
    return ch


@pytest.fixture(scope="module")
def eng() -> Channel:
    return _fresh("eng")


@pytest.fixture(scope="module")
def vie() -> Channel:
    return _fresh("vie")


@pytest.mark.parametrize("name", ["eng", "vie"])
def test_tables_load_and_are_normalized(name: str) -> None:
    ch = load_channel(name)
    assert ch is load_channel(name)  # cached
    for c in "aăâeêioôơuưyđ" + "ộườảếủ" + "bcdghklmnpqrstvx":
        row = ch.emit[c]
        listed_single = sum(1 for o in row if len(o) == 1)
        total = sum(math.exp(lp) for lp in row.values())
        total += (200 - listed_single) * math.exp(ch.other[c])
        assert 0.95 <= total <= 1.01, (c, total)
        # identity is the single most likely output for every letter in both channels,
        # except where the eng model has no such glyph... which it has for none of these
        assert c in row
    assert ch.no_insert < 0 and ch.insert_other < ch.no_insert


def test_unknown_channel_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown OCR channel"):
        load_channel("fra")


def test_parse_table_requires_header() -> None:
    with pytest.raises(ValueError, match="header"):
        parse_table("x", "a\tb\t1\t-0.1\n")


def test_parse_table_special_rows() -> None:
    text = (
        "source\tocr\tcount\tlogprob\n# comment\n"
        f"ô\t6\t3\t-1.0\nô\t{EPS}\t1\t-3.0\nô\t{OTHER}\t0\t-9.0\n"
        f"{EPS}\t{EPS}\t99\t-0.01\n{EPS}\t*\t2\t-6.0\n{EPS}\t{OTHER}\t0\t-12.0\n"
    )
    ch = parse_table("t", text)
    assert ch.emit["ô"] == {"6": -1.0, "": -3.0}
    assert ch.other["ô"] == -9.0 and ch.insert == {"*": -6.0}
    assert ch.no_insert == -0.01 and ch.insert_other == -12.0


def test_normalize_and_skeleton() -> None:
    decomposed = "Đa\u0309ng"  # a + combining hook above
    assert normalize(decomposed) == "đảng"
    assert skeleton("đảng ủy thưởng") == "dang uy thuong"


@pytest.mark.parametrize(
    ("ocr", "truth", "worse"),
    [
        ("céng", "công", ["cân", "cúng"]),
        ("thuéng", "thưởng", ["thuở", "thuộc"]),
        ("Pang", "đảng", ["phang"]),
        ("1a", "là", ["ta", "ma"]),
        ("c6", "có", ["cá", "cờ"]),
        ("ctia", "của", ["cá"]),
        ("dugc", "được", ["đức"]),
        ("phudng", "phường", ["phương"]),
    ],
)
def test_eng_logprob_prefers_truth_for_legacy_confusions(
    eng: Channel, ocr: str, truth: str, worse: list[str]
) -> None:
    lp = eng.logprob(ocr, truth)
    assert lp > -12
    for w in worse:
        assert lp > eng.logprob(ocr, w), (ocr, truth, w)
    assert truth in [s for s, _ in eng.candidates(ocr)]


def test_vie_tone_confusion_is_cheap(vie: Channel) -> None:
    # vie reads kiểm as kiếm now and then: the swap must cost far less than a wrong letter
    swap = vie.logprob("kiếm", "kiểm")
    assert swap > vie.logprob("kiếm", "kim") + 3
    assert swap > -9
    assert "kiểm" in [s for s, _ in vie.candidates("kiếm")]


@pytest.mark.parametrize("name", ["eng", "vie"])
@pytest.mark.parametrize("word", ["công", "nhiệm", "đảng", "của", "quyết", "Ưu"])
def test_identity_is_a_candidate_and_likely(name: str, word: str) -> None:
    ch = _fresh(name)
    cands = ch.candidates(word)
    word = word.lower()
    assert word in [s for s, _ in cands]
    if name == "vie":  # the eng model cannot draw most marked letters: identity is unlikely there
        assert ch.logprob(word, word) > -2.0
    # marks dropped: the typical eng output; rare but not impossible with vie
    assert ch.logprob(skeleton(word), word) > (-12 if name == "eng" else -30)
    assert ch.logprob(word.upper(), word) == ch.logprob(word, word)  # casefolded


def test_candidates_are_sorted_cached_and_deterministic(eng: Channel) -> None:
    first = eng.candidates("thuéng", k=5)
    info = eng._candidates.cache_info()
    again = eng.candidates("THUÉNG", k=5)
    assert again == first
    assert eng._candidates.cache_info().hits == info.hits + 1
    assert first == _fresh("eng").candidates("thuéng", k=5)
    assert len(first) <= 5 and len({s for s, _ in first}) == len(first)
    for s, lp in first:
        assert s in VOCAB and lp == pytest.approx(eng.logprob("thuéng", s))


def test_unseen_misreading_still_reaches_the_truth(eng: Channel) -> None:
    # scans misread in ways the synthetic pages never showed (legacy "tlnh", "HQI")
    assert "tỉnh" in [s for s, _ in eng.candidates("tlnh")]
    assert "hội" in [s for s, _ in eng.candidates("HQI")]
    assert eng.logprob("tlnh", "tỉnh") > eng.logprob("tlnh", "hội") + 10


def test_consonant_shaped_glyphs_reach_their_letter(eng: Channel) -> None:
    # a cent sign for the "c" of "có" ("¢6"): no table row emits it for a consonant
    assert "có" in [s for s, _ in eng.candidates("¢6")]


@pytest.mark.parametrize("name", ["eng", "vie"])
def test_rn_read_for_m_reaches_the_m(name: str) -> None:
    """ "nărn", "larn": "rn" is the classic misread of "m", which no table learned (another
    engine's text, a new user's "trong nărn 2025"); no syllable writes "rn"."""
    channel = load_channel(name)
    assert "năm" in [s for s, _ in channel.candidates("nărn")]
    assert "làm" in [s for s, _ in channel.candidates("larn")]


def test_align_reconstructs_both_strings(eng: Channel) -> None:
    ops = eng.align("thu'éng", "thưởng")
    assert "".join(c for c, _ in ops) == "thưởng"
    assert "".join(o for _, o in ops) == "thu’éng"  # as the channel reads it: one apostrophe


def test_both_apostrophes_are_one_to_the_channel() -> None:
    # a table learned "u'" and "u’" for ư as two rows: one reading, their probabilities added
    import math

    ch = Channel("t", {"ư": {"u'": math.log(0.2), "u’": math.log(0.1), "u": math.log(0.7)}},
                 {}, {}, math.log(1e-6), 0.0)  # fmt: skip
    assert math.isclose(ch.emission("ư", "u’"), math.log(0.3))
    assert ch.logprob("u'", "ư") == ch.logprob("u’", "ư") == ch.emission("ư", "u’")


def test_empty_and_hopeless_tokens(eng: Channel) -> None:
    assert eng.candidates("") == []
    assert eng.candidates("-") == [] and eng.candidates("“…”") == []
    assert eng.candidates("ư", k=0) == []
    # a token nothing in the inventory resembles gives few or no candidates, never junk
    for _s, lp in eng.candidates("zzzzzzzz"):
        assert lp < -20


def test_the_packaged_channels_share_one_candidate_index_built_at_load():
    from ocr_pipeline.restore.channel import load_caps_channel, load_channel

    eng, vie, caps = load_channel("eng"), load_channel("vie"), load_caps_channel("vie")
    assert eng._index is not None and eng._trie is not None  # built by load, not first use
    for other in (vie, caps):
        if other is not None:
            assert other._index is eng._index and other._trie is eng._trie
