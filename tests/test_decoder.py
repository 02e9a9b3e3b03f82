"""Decoder on a small fake channel and LM: lattice search, casing, markers, keep, confidence."""

from __future__ import annotations

import math

import pytest

from ocr_pipeline.restore.decoder import Decoder, Weights
from ocr_pipeline.restore.dictionary import Dictionaries
from ocr_pipeline.restore.orthography import strip_marks
from ocr_pipeline.restore.tokenize import tokenize

VOCAB = [
    "<unk>",
    "<s>",
    "kiểm",
    "kiếm",
    "tra",
    "trà",
    "tâm",
    "tám",
    "tầm",
    "trọng",
    "trong",
    "quy",
    "định",
    "đinh",
    "dinh",
    "đảng",
    "ủy",
    "uy",
    "các",
    "cắc",
    "phường",
    "phương",
]
BIGRAMS = {
    ("kiểm", "tra"): -0.1,
    ("trọng", "tâm"): -0.1,
    ("quy", "định"): -0.1,
    ("đảng", "ủy"): -0.1,
    ("các", "phường"): -0.2,
    ("<s>", "đảng"): -1.0,
}


class FakeLM:
    unk_id = 0
    bos_id = 1

    def __init__(self) -> None:
        self.ids = {w: i for i, w in enumerate(VOCAB)}
        self.calls = 0

    def vocab_id(self, s: str) -> int | None:
        return self.ids.get(s)

    def logprob(self, context_ids, word_id) -> float:
        self.calls += 1
        prev = VOCAB[context_ids[-1]]
        return BIGRAMS.get((prev, VOCAB[word_id]), -6.0 if word_id else -12.0)


class FakeChannel:
    """Any vocabulary syllable with the same skeleton; exact match is likelier."""

    def candidates(self, token: str, k: int = 8) -> list[tuple[str, float]]:
        tok = token.lower()
        tok = {"pang": "dang", "tdm": "tam", "céc": "cac"}.get(tok, tok)
        out = [
            (w, -0.5 if w == tok else -2.0) for w in VOCAB[2:] if strip_marks(w) == strip_marks(tok)
        ]
        return sorted(out, key=lambda t: -t[1])[:k]

    def logprob(self, ocr: str, syllable: str) -> float:
        return -0.5 if ocr == syllable else -2.0


@pytest.fixture()
def decoder() -> Decoder:
    d = Dictionaries(term_pairs={("trọng", "tâm"): 0.5})
    return Decoder(FakeChannel(), FakeLM(), d, Weights())


def run(decoder: Decoder, text: str, alts: bool = True) -> str:
    toks = tokenize(text)
    ch = decoder.decode_tokens(toks, with_alternatives=alts)
    return "".join((ch[i].form + ch[i].marker) if i in ch else t.text for i, t in enumerate(toks))


def test_context_picks_the_reading(decoder: Decoder) -> None:
    assert run(decoder, "kiem tra") == "kiểm tra"
    assert run(decoder, "trong tam") == "trọng tâm"
    assert run(decoder, "quy dinh") == "quy định"


def test_casing_follows_input(decoder: Decoder) -> None:
    assert run(decoder, "KIEM TRA") == "KIỂM TRA"
    assert run(decoder, "Pang uy") == "Đảng ủy"
    assert run(decoder, "Kiem tra, quy dinh") == "Kiểm tra, quy định"


def test_unknown_words_are_kept(decoder: Decoder) -> None:
    assert run(decoder, "Covid internet zzz") == "Covid internet zzz"


def test_footnote_marker_split(decoder: Decoder) -> None:
    toks = tokenize("trong tdm2 quy")
    ch = decoder.decode_tokens(toks)
    word = ch[2]
    assert (word.form, word.marker, word.marker_original) == ("tâm", "²", "2")


def test_confidence_and_alternatives(decoder: Decoder) -> None:
    toks = tokenize("kiem tra")
    ch = decoder.decode_tokens(toks)
    first = ch[0]
    assert 0.5 < first.confidence <= 1.0
    assert first.alternatives[0][0] == "kiểm"
    assert math.isclose(sum(p for _, p in first.alternatives), 1.0, abs_tol=0.01)


def test_posteriors_alone_are_the_posteriors_of_the_full_choices(decoder: Decoder) -> None:
    # adaptation reads only the posteriors: the light mode gives the same floats
    toks = tokenize("kiem tra trong tam quy dinh. Pang uy cac phuong tdm2")
    full = decoder.decode_tokens(toks, with_alternatives=True)
    light = decoder.decode_tokens(toks, with_alternatives=False, posteriors=True)
    assert light.keys() == full.keys()
    assert [(c.form, c.posterior) for c in light.values()] == [
        (c.form, c.posterior) for c in full.values()
    ]
    assert any(c.posterior < 1.0 for c in light.values())
    assert all(not c.alternatives and c.evidence is None for c in light.values())


def test_a_text_is_tokenized_and_cut_once_for_a_decoder_and_its_copies(
    decoder: Decoder, monkeypatch
) -> None:
    # adaptation and the final pass read one text: one tokenization, one cut
    import ocr_pipeline.restore.decoder as module

    read: list[str] = []
    cut: list[int] = []
    real_tokenize, real_cut = module.tokenize, Decoder._cut_segments
    monkeypatch.setattr(module, "tokenize", lambda t, a=None: read.append(t) or real_tokenize(t, a))
    monkeypatch.setattr(Decoder, "_cut_segments", lambda d, t: cut.append(1) or real_cut(d, t))
    text = "kiem tra trong tam. quy dinh"
    tokens = decoder.tokens(text)
    adapted = decoder.adapted(memory={"tám": 30.0})
    assert adapted.tokens(text) is tokens and read == [text]
    first = decoder.decode_tokens(tokens, with_alternatives=False)
    again = adapted.decode_tokens(tokens, with_alternatives=False)
    assert len(cut) == 1 and adapted._segments(tokens) == list(real_cut(decoder, tokens))
    assert [c.form for c in first.values()] == ["kiểm", "tra", "trọng", "tâm", "quy", "định"]
    assert [c.form for c in again.values()][3] == "tám"  # the copy's own memory still counts
    other = decoder.tokens("quy dinh")
    assert other is not tokens and read == [text, "quy dinh"]


def test_segments_are_bounded_and_linear(decoder: Decoder) -> None:
    text = "kiem tra trong tam " * 2000
    out = run(decoder, text, alts=False)
    assert out.count("kiểm tra trọng tâm") == 2000
    # candidate and LM caches keep the number of LM calls far below words x K^2
    assert decoder.lm.calls < 2000


def test_punctuation_breaks_context(decoder: Decoder) -> None:
    assert run(decoder, "kiem. tra") in ("kiểm. tra", "kiếm. tra", "kiem. tra")


def test_case_of_ocr_noise() -> None:
    from ocr_pipeline.restore.decoder import _case_like

    assert _case_like("1An", "lần") == "lần"
    assert _case_like("tAm", "tâm") == "tâm"
    assert _case_like("DPai", "đại") == "Đại"
    assert _case_like("KET", "kết") == "KẾT"
    assert _case_like("Pang", "đảng") == "Đảng"


def test_a_capital_i_read_for_a_small_l_between_lowercase_words_is_lowercase() -> None:
    from ocr_pipeline.restore import restore_text
    from ocr_pipeline.restore.decoder import _case_like

    assert _case_like("Iy", "lý", after_lowercase=True) == "lý"
    assert _case_like("Iy", "lý") == "Lý"
    assert _case_like("Ich", "ích", after_lowercase=True) == "Ích"  # a capital I read as I
    assert restore_text("cong tac quan Iy nha nuoc", "eng") == "công tác quản lý nhà nước"
    # a sentence's start, a name or a title keep their capital
    assert restore_text("Iich su dia phuong", "eng") == "Lịch sử địa phương"
    assert restore_text("hoi nghi tai tinh Iai Chau", "eng") == "hội nghị tại tỉnh Lai Châu"
    assert restore_text("ong Iuong Van Iam", "eng") == "ông Lương Văn Lâm"


def test_short_words_take_their_neighbours_case() -> None:
    from ocr_pipeline.restore.decoder import _case_like

    assert _case_like("BO", "bộ", "other") == "Bộ"
    assert _case_like("BO", "bộ", "upper") == "BỘ"
    assert _case_like("S6", "số", "upper") == "SỐ"
    assert _case_like("S6", "số", "other") == "Số"
    assert _case_like("KHEN", "khen", "other") == "KHEN"
    assert _case_like("BI", "bi", "other") == "BI"  # read as itself: an acronym, "(BI)"


def test_neighbour_case_skips_single_letters() -> None:
    from ocr_pipeline.restore.decoder import _neighbour_case

    assert _neighbour_case(["BẢO", "HIỂM", "Y", "TE"], 3) == "upper"
    assert _neighbour_case(["Giao", "BO", "Y", "té"], 1) == "other"
    assert _neighbour_case(["BO"], 0) is None


class FakeCapsChannel(FakeChannel):
    """Capitals: a mark lost or swapped costs little (the tone-free reading is likely)."""

    def candidates(self, token: str, k: int = 8) -> list[tuple[str, float]]:
        tok = token.lower()
        out = [
            (w, -0.5 if w == tok else -0.8) for w in VOCAB[2:] if strip_marks(w) == strip_marks(tok)
        ]
        return sorted(out, key=lambda t: -t[1])[:k]


def test_all_caps_words_use_the_caps_channel() -> None:
    d = Dictionaries(term_pairs={})
    plain = Weights(channel=10.0)  # lowercase: a misread mark is very unlikely
    dec = Decoder(
        FakeChannel(),
        FakeLM(),
        d,
        plain,
        caps_channel=FakeCapsChannel(),
        caps_weights=Weights(keep_valid_floor=None),
    )
    # "KIẾM TRA": the read acute is a swapped hook on capitals; lowercase keeps it
    assert run(dec, "KIẾM TRA") == "KIỂM TRA"
    assert run(dec, "kiếm tra") == "kiếm tra"
    assert run(Decoder(FakeChannel(), FakeLM(), d, plain), "KIẾM TRA") == "KIẾM TRA"
    # a capitalised short word between lowercase ones is not a heading
    assert not dec._is_caps(["giao", "KIẾM", "tra"], 1)
    assert dec._is_caps(["GIAO", "KIẾM", "TRA"], 1)
    assert dec.candidates("KIẾM", caps=True) != dec.candidates("KIẾM")


class _NameLM(FakeLM):
    """The language model prefers "quy định" to "quy dinh" by one order of magnitude."""

    def logprob(self, context_ids, word_id) -> float:
        pair = (VOCAB[context_ids[-1]], VOCAB[word_id])
        return {("quy", "định"): -1.0, ("quy", "dinh"): -2.0}.get(pair, -6.0)


class _FlatLM(FakeLM):
    def logprob(self, context_ids, word_id) -> float:
        return -6.0


def test_a_name_written_again_and_again_counts_its_ocr_each_time() -> None:
    text = "các Quy Dinh, các Quy Dinh, các Quy Dinh"
    dec = Decoder(FakeChannel(), _NameLM(), Dictionaries(), Weights())
    assert run(dec, "các Quy Dinh") == "các Quy Định"  # once: the language model decides
    names = dec.name_counts([tokenize(text)])
    assert names == {("quy", "dinh"): 3}
    # three times: each OCR "Dinh" is evidence, the LM's preference counts once
    assert run(dec.adapted(names=names), text) == text
    assert dec.name_counts([tokenize("Quy Dinh. Quy Dinh")]) == {}  # sentence starts: no names


def test_the_viterbi_takes_the_larger_of_term_and_place_bonuses(monkeypatch) -> None:
    import ocr_pipeline.restore.decoder as decoder_module

    monkeypatch.setattr(decoder_module, "LOCAL_SWEEP", False)  # the Viterbi's path alone
    d = Dictionaries(term_pairs={("quy", "đinh"): 0.01}, place_pairs={("quy", "đinh"): 5.0})
    dec = Decoder(FakeChannel(), _FlatLM(), d, Weights())
    # "dinh" as read has the best channel score; the place name's bonus outweighs it
    assert run(dec, "các Quy Dinh", alts=False) == "các Quy Đinh"


def test_a_slashed_abbreviation_is_the_language_models_two_parts():
    """ "(để b/c)": the corpus gave the model "b", "c"; a document's code stays one kept
    item (read as its parts it made the place name after it worse)."""
    from ocr_pipeline.restore import get_decoder
    from ocr_pipeline.restore.lm import lm_tokens
    from ocr_pipeline.restore.tokenize import tokenize

    assert lm_tokens("b/c") == ["b", "c"]
    assert lm_tokens("34-CT/TW") == ["<num>", "ct", "tw"]
    decoder = get_decoder("vie")
    for text, parts in (("b/c", 2), ("đ/c", 2), ("07/BC-UBND", 1), ("NĐ-CP", 1), ("QĐ/UB", 1)):
        (token,) = [t for t in tokenize(text, decoder.dicts.abbreviations) if t.text == text]
        assert len(decoder._fixed_items(token)) == parts, text
