"""Tests for ocr_pipeline.diff: metrics on hand-made pairs, normalisation, alignment, JSON."""

from __future__ import annotations

import json
import unicodedata

import pytest

from ocr_pipeline.diff import Normalization, compare_texts
from ocr_pipeline.diff.align import (
    DELETE,
    DIACRITIC,
    EQUAL,
    INSERT,
    LETTER,
    AlignStats,
    align_units,
    pair_lines,
)
from ocr_pipeline.diff.normalize import graphemes, same_base, strip_marks
from ocr_pipeline.diff.report import SCHEMA

# ---------------------------------------------------------------------------- graphemes


def test_graphemes_nfc_and_stacked_marks_are_one_unit():
    nfd = unicodedata.normalize("NFD", "việt")
    assert len(nfd) == 6  # v i e ̣ ̂ t
    assert graphemes(nfd) == ["v", "i", "ệ", "t"]
    # no precomposed form exists for x + circumflex + acute: still one grapheme
    assert graphemes("x\u0302\u0301y") == ["x\u0302\u0301", "y"]


def test_strip_marks_and_same_base():
    assert strip_marks("ệ") == "e"
    assert strip_marks("đ") == "d" and strip_marks("Đ") == "D"
    assert same_base("o", "ô") and same_base("ế", "ể") and same_base("d", "đ")
    assert not same_base("o", "a")
    assert not same_base("o", "o")
    assert not same_base("O", "ô")  # case is a letter difference unless ignored


# ------------------------------------------------------------------------------ metrics


def test_cong_tac_two_diacritic_only_edits():
    m = compare_texts("công tác", "cong tac").metrics
    assert (m.char_distance, m.ref_chars) == (2, 8)
    assert m.cer == pytest.approx(2 / 8)
    assert m.diacritic_only == 2 and m.letter == 0
    assert m.substitutions == 2 and m.insertions == 0 and m.deletions == 0
    assert (m.word_distance, m.ref_words) == (2, 2) and m.wer == 1.0
    assert m.word_diacritic_only == 2


def test_kiem_tone_change_is_diacritic_only():
    m = compare_texts("kiểm tra", "kiếm tra").metrics
    assert (m.char_distance, m.diacritic_only, m.letter) == (1, 1, 0)
    assert m.wer == pytest.approx(1 / 2)


def test_letter_insert_delete_counts():
    # "thi đua" -> "thi dua" is one diacritic edit (đ/d); "xa" -> "xã hội" adds letters
    m = compare_texts("thi đua", "thi dua").metrics
    assert (m.diacritic_only, m.letter) == (1, 0)
    m = compare_texts("phường", "phuờng").metrics  # ư -> u, ờ kept: 1 diacritic
    assert (m.char_distance, m.diacritic_only) == (1, 1)
    m = compare_texts("cấp xã", "cap x4").metrics  # ấ/a diacritic, ã/4 letter
    assert (m.char_distance, m.diacritic_only, m.letter) == (2, 1, 1)
    m = compare_texts("năm 2025", "nam 20255").metrics  # ă/a diacritic + 1 insertion
    assert (m.substitutions, m.insertions, m.deletions) == (1, 1, 0)
    assert (m.diacritic_only, m.letter) == (1, 1)
    m = compare_texts("abc", "ac").metrics
    assert (m.deletions, m.char_distance, m.ref_chars) == (1, 1, 3)
    assert m.cer == pytest.approx(1 / 3)


def test_nfd_and_nfc_inputs_are_equal():
    text = "Công tác thi đua, khen thưởng năm 2025 của phường"
    m = compare_texts(unicodedata.normalize("NFD", text), text).metrics
    assert m.char_distance == 0 and m.word_distance == 0
    assert m.ref_chars == len(graphemes(text))


def test_stacked_diacritic_grapheme_counted_once():
    # ệ (e + circumflex + dot below) against plain e: one grapheme, one edit
    m = compare_texts(unicodedata.normalize("NFD", "Việt"), "Viet").metrics
    assert (m.ref_chars, m.char_distance, m.diacritic_only) == (4, 1, 1)
    m = compare_texts("x\u0302\u0301", "x").metrics
    assert (m.ref_chars, m.char_distance, m.diacritic_only) == (1, 1, 1)


def test_wer_on_words():
    m = compare_texts("một hai ba bốn", "một hai bà bốn năm").metrics
    assert (m.word_distance, m.ref_words, m.hyp_words) == (2, 4, 5)
    assert m.wer == pytest.approx(0.5)
    assert m.word_diacritic_only == 1


def test_whitespace_runs_are_one_space_and_line_breaks_not_counted():
    m = compare_texts("a  b\n\n\nc", "a b\nc").metrics
    assert m.char_distance == 0 and m.ref_chars == 4


def test_empty_reference():
    assert compare_texts("", "").metrics.cer == 0.0
    m = compare_texts("", "abc").metrics
    assert m.cer == 1.0 and m.insertions == 3 and m.lines_only_b == 1


# -------------------------------------------------------------------------- normalisation


def test_ignore_case():
    assert compare_texts("ỦY BAN", "Ủy ban").metrics.char_distance == 4
    m = compare_texts("ỦY BAN", "Ủy ban", Normalization(ignore_case=True)).metrics
    assert m.char_distance == 0
    # case folded but marks still count: Ủ vs u is a diacritic difference
    m = compare_texts("ỦY BAN", "uy ban", Normalization(ignore_case=True)).metrics
    assert (m.char_distance, m.diacritic_only) == (1, 1)


def test_ignore_punctuation():
    a, b = "Hà Nội, ngày 5.", "Hà Nội ngày 5"
    assert compare_texts(a, b).metrics.char_distance == 2
    m = compare_texts(a, b, Normalization(ignore_punctuation=True)).metrics
    assert m.char_distance == 0 and m.ref_chars == len("Hà Nội ngày 5")
    # a punctuation mark between spaces does not leave a double space behind
    m = compare_texts("a - b", "a b", Normalization(ignore_punctuation=True)).metrics
    assert m.char_distance == 0


def test_fold_tones_keeps_vowel_shapes():
    norm = Normalization(fold_tones=True)
    assert compare_texts("kiểm tra", "kiếm tra", norm).metrics.char_distance == 0
    m = compare_texts("công", "cong", norm).metrics  # circumflex is not a tone
    assert (m.char_distance, m.diacritic_only) == (1, 1)
    m = compare_texts("đồng", "dong", Normalization(fold_diacritics=True)).metrics
    assert m.char_distance == 0


def test_normalisation_status_marks_ignored_graphemes():
    r = compare_texts("Hà Nội, ngày", "Hà Nội ngày", Normalization(ignore_punctuation=True))
    ld = r.lines[0]
    assert ld.a_status[6] == "."  # the comma is shown but not compared
    assert not ld.changed


# -------------------------------------------------------------------------- alignment


def test_align_units_kinds_and_coverage():
    ops = align_units(list("cong tac"), list("công tác"))
    tags = [op.tag for op in ops]
    assert tags == [EQUAL, DIACRITIC, EQUAL, DIACRITIC, EQUAL]
    ops = align_units(list("abcd"), list("axcde"))
    assert [op.tag for op in ops] == [EQUAL, LETTER, EQUAL, INSERT]
    ops = align_units(list("abcd"), list("ad"))
    assert [op.tag for op in ops] == [EQUAL, DELETE, EQUAL]
    assert ops[-1].a2 == 4 and ops[-1].b2 == 2


def test_line_pairing_handles_inserted_deleted_and_split_lines():
    a = ["dòng một", "dòng hai rất dài ở đây và tiếp", "dòng ba", "dòng bốn"]
    b = ["dong mot", "dong hai rat dai", "o day va tiep", "dòng bốn", "dòng năm mới"]
    pairs = pair_lines(a, b)
    assert ((0,), (0,)) in pairs
    assert ((1,), (1, 2)) in pairs  # one A line split into two B lines
    assert ((2,), ()) in pairs  # deleted
    assert ((3,), (3,)) in pairs
    assert ((), (4,)) in pairs  # inserted
    r = compare_texts("\n".join(a), "\n".join(b))
    split = [ld for ld in r.lines if ld.b is not None and len(ld.b.numbers) == 2][0]
    assert split.b.numbers == (2, 3)
    assert (split.letter, split.diacritic) == (0, 8)  # ò ấ à ở đ â à ế


def _synthetic_document(n: int) -> tuple[str, str]:
    words = ["công", "tác", "thi", "đua", "khen", "thưởng", "phường", "năm", "kế", "hoạch"]
    a_lines, b_lines = [], []
    for i in range(n):
        line = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(8)) + f" số {i}"
        a_lines.append(line)
        folded = "".join(
            c for c in unicodedata.normalize("NFD", line) if not unicodedata.combining(c)
        ).replace("đ", "d")
        if i % 10 == 3:
            folded = folded.replace("a", "o", 1)  # a letter error as well
        b_lines.append(folded)
    return "\n".join(a_lines), "\n".join(b_lines)


def test_long_document_is_aligned_line_by_line():
    a, b = _synthetic_document(5000)
    stats = AlignStats()
    pairs = pair_lines(a.split("\n"), b.split("\n"), stats)
    assert len(pairs) == 5000
    assert all(p == ((i,), (i,)) for i, p in enumerate(pairs))
    # lines with letter errors form 1x1 blocks that are paired without any comparison
    assert stats.line_comparisons <= 5000
    r = compare_texts(a, b)
    assert r.metrics.lines_changed == 5000
    assert r.metrics.letter == 500
    assert r.metrics.diacritic_only > 10000


def test_replace_block_uses_banded_comparisons():
    # every line differs in letters: one big replace block, banded not quadratic
    n = 600
    a = [f"dòng {i} có chữ ABCDEFG số {i * 37}" for i in range(n)]
    b = [f"dong {i} co chu XYZ số {i * 37} thêm" for i in range(n)]
    stats = AlignStats()
    pairs = pair_lines(a, b, stats)
    assert pairs == [((i,), (i,)) for i in range(n)]
    assert stats.line_comparisons < 3 * n * 30  # band, far below n * n = 360000


# --------------------------------------------------------------------------------- JSON


def test_json_report_fields():
    r = compare_texts("công tác\ndòng giống\ndòng xoá", "cong tac\ndòng giống")
    data = json.loads(r.to_json())
    assert data["schema"] == SCHEMA
    assert data["metrics"]["cer"] == pytest.approx(r.metrics.cer, abs=1e-6)
    for key in (
        "wer",
        "ref_chars",
        "char_distance",
        "diacritic_only",
        "letter",
        "word_diacritic_only",
        "lines_changed",
        "low_confidence_b",
    ):
        assert key in data["metrics"]
    assert data["normalization"] == {
        "ignore_case": False,
        "ignore_punctuation": False,
        "fold_tones": False,
        "fold_diacritics": False,
    }
    first, same, gone = data["lines"]
    assert first["diff"] == 1 and first["diacritic"] == 2 and first["letter"] == 0
    assert first["ops"][1] == {"op": "diacritic", "a": "ô", "b": "o"}
    assert first["words"] == [["công", "cong", "diacritic"], ["tác", "tac", "diacritic"]]
    assert "ops" not in same and same["distance"] == 0
    assert gone["b_lines"] == [] and gone["a_lines"] == [3] and gone["diff"] == 2
    assert gone["ops"] == [{"op": "delete", "a": "dòng xoá", "b": ""}]
    assert gone["words"] == [["dòng", "", "delete"], ["xoá", "", "delete"]]
    assert data["metrics"]["lines_only_a"] == 1


def test_repeated_lines_still_anchor():
    # the same pages twice (e.g. a report appended to itself): keys occur twice on each
    # side, are paired in order, and letter errors stay 1x1 blocks
    a, b = _synthetic_document(400)
    a_lines, b_lines = a.split("\n") * 2, b.split("\n") * 2
    stats = AlignStats()
    pairs = pair_lines(a_lines, b_lines, stats)
    assert pairs == [((i,), (i,)) for i in range(800)]
    assert stats.line_comparisons == 0 and stats.largest_block == 1


def test_html_size_grows_linearly():
    from ocr_pipeline.diff.html import render_html

    sizes = []
    for n in (250, 500, 1000):
        a, b = _synthetic_document(n)
        sizes.append(len(render_html(compare_texts(a, b))))
    assert 1.8 < sizes[1] / sizes[0] < 2.2 and 1.8 < sizes[2] / sizes[1] < 2.2


def test_very_long_line_is_aligned_word_first():
    # a document without line breaks: one 46 000-grapheme line on each side
    a, b = _synthetic_document(1000)
    one_a, one_b = a.replace("\n", " "), b.replace("\n", " ")
    assert len(one_a) > 40_000
    long_m = compare_texts(one_a, one_b).metrics
    lines_m = compare_texts(a, b).metrics
    assert (long_m.diacritic_only, long_m.letter) == (lines_m.diacritic_only, lines_m.letter)
    assert long_m.word_distance == lines_m.word_distance


def test_a_paragraph_a_line_pairs_with_the_same_text_wrapped_over_many_lines():
    wrapped = [
        "Ủy ban nhân dân xã tổ chức hội nghị tổng kết công tác năm",
        "với sự tham dự của đông đảo nhân dân trong xã. Hội nghị đánh",
        "giá cao tinh thần của cán bộ và nhân dân, sự quan tâm của",
        "cấp ủy, sự vận động của Mặt trận và các đoàn thể.",
    ]
    paragraph = " ".join(wrapped)
    for a, b in (("\n".join(wrapped), paragraph), (paragraph, "\n".join(wrapped))):
        r = compare_texts(a, b)
        assert r.metrics.cer == 0.0  # a join of four lines costs nothing, as one of two
    assert pair_lines(wrapped, [paragraph]) == [((0, 1, 2, 3), (0,))]
