"""Tests for geometry repairs on the scan path: lost footnote markers, point labels."""

from __future__ import annotations

from marker_pages import BODY, page_of

from ocr_pipeline.lost_markers import glued_number_evidence
from ocr_pipeline.model import BBox, Word
from ocr_pipeline.structure import structure_pages, validate


def _doc(wide: dict[str, tuple[int, float]], read: tuple[str, str] = ("", "")) -> dict:
    """`read` = (word, OCR reading): the body word as OCR returned it."""
    body = [t.replace(*read) if read[0] else t for t in BODY]
    rows = [(t, 40) for t in body] + [("1 Theo kế hoạch số 12 của huyện.", 30)]
    doc = structure_pages([page_of(rows, wide)])
    validate(doc)
    return doc


def _refs(doc: dict) -> list[tuple[int, str]]:
    return [(r, n["text"]) for n in doc["body"] for r in n.get("footnote_refs", [])]


def test_swallowed_superscript_found_from_wide_box():
    doc = _doc({"định.": (20, 95.0)})  # the box spans a superscript the text lost
    assert [f["number"] for f in doc["footnotes"]] == [1]
    assert doc["footnotes"][0]["linked"]
    ((number, text),) = _refs(doc)
    assert number == 1 and "đúng quy định. Công tác" in text and "¹" not in text


def test_lookalike_tail_and_low_confidence():
    doc = _doc({"mình”.": (0, 40.0)}, ("mình.", "mình”."))  # "mình¹." read as "mình”."
    assert doc["footnotes"][0]["linked"]
    ((_, text),) = _refs(doc)
    assert "của xã nhà mình. Các tổ" in text and "”" not in text


def test_no_evidence_no_link():
    doc = _doc({})
    assert [f["number"] for f in doc["footnotes"]] == [1]
    assert not doc["footnotes"][0]["linked"] and _refs(doc) == []


def _doc_with(body: list[str], notes: list[str], wide: dict[str, tuple[int, float]]) -> dict:
    doc = structure_pages([page_of([(t, 40) for t in body] + [(t, 30) for t in notes], wide)])
    validate(doc)
    return doc


def test_two_lost_markers_in_a_row_are_placed_jointly():
    # markers 1 and 2 both lost; the word carrying 2 looks stronger than the one with 1,
    # so placing 1 alone (no found marker 2 to bound it) would take 2's word
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo."]
    doc = _doc_with(BODY, notes, {"định.": (18, 95.0), "mình.": (20, 40.0)})
    assert [f["number"] for f in doc["footnotes"]] == [1, 2]
    assert all(f["linked"] for f in doc["footnotes"])
    refs = dict(_refs(doc))
    assert "đúng quy định. Công tác" in refs[1]
    assert "của xã nhà mình. Các tổ" in refs[2]


def test_one_wide_word_for_two_lost_markers_is_ambiguous():
    # both markers lost and only one word shows a swallowed digit: it may carry 1 or 2,
    # nothing tells which, so neither is linked (the old one-by-one repair gave it 1)
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo."]
    doc = _doc_with(BODY, notes, {"định.": (20, 95.0)})
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, False), (2, False)]
    assert _refs(doc) == []


def test_second_lost_marker_found_after_a_found_first():
    # marker 1 read as "¹"; marker 2 lost: only words after the node citing 1 compete
    body = [t.replace("định.", "định¹.") for t in BODY]
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo."]
    doc = _doc_with(body, notes, {"mình.": (20, 40.0)})
    assert all(f["linked"] for f in doc["footnotes"])
    refs = dict(_refs(doc))
    assert "của xã nhà mình. Các tổ" in refs[2] and "²" not in refs[2]


def _dated(date: str) -> list[str]:
    body = list(BODY)
    body[2] = f"đúng quy định tại văn bản ngày {date} Công tác tuyên truyền được"
    return body


def test_marker_read_as_fifth_year_digit_is_split_off():
    doc = _doc_with(_dated("14/3/20261."), ["1 Theo kế hoạch số 12 của huyện."], {})
    assert doc["footnotes"][0]["linked"]
    ((number, text),) = _refs(doc)
    assert number == 1 and "văn bản ngày 14/3/2026. Công tác" in text


def test_plausible_year_keeps_its_last_digit():
    for wide in ({}, {"14/3/2021.": (8, 95.0)}):
        doc = _doc_with(_dated("14/3/2021."), ["1 Theo kế hoạch số 12 của huyện."], wide)
        assert not doc["footnotes"][0]["linked"] and _refs(doc) == []
        text = " ".join(n.get("text", "") for n in doc["body"])
        assert "văn bản ngày 14/3/2021. Công tác" in text
    body = list(BODY)
    body[1] = "thôn và đơn vị trên địa bàn, giao chỉ tiêu cho năm 2021 theo đúng kế"
    body[4] = "Các tổ đã kiểm tra 120 hộ, 212 người, 102 thửa và 2.110 m đường ở thôn"
    for wide in ({}, {"2021": (32, 95.0)}):  # a wide box alone is no reason to cut a digit
        doc = _doc_with(body, ["1 Theo kế hoạch số 12 của huyện."], wide)
        assert not doc["footnotes"][0]["linked"]
        text = " ".join(n.get("text", "") for n in doc["body"])
        assert "chỉ tiêu cho năm 2021 theo" in text


def test_glued_number_evidence():
    assert glued_number_evidence("ngày", "25/02/20261.", 1) == "strong"
    assert glued_number_evidence("quý", "IV/20263;", 3) == "strong"
    assert glued_number_evidence("năm", "20262", 2) == "strong"
    assert glued_number_evidence("ngày", "152", 2) == "strong"
    assert glued_number_evidence("có", "38.6001", 1) == "strong"
    assert glued_number_evidence("năm", "2026", 6) == "weak"  # a real year: width decides
    assert glued_number_evidence("ngày", "15", 5) == "weak"
    assert glued_number_evidence("đạt", "15/61", 1) is None  # a ratio, not a date
    assert glued_number_evidence("ngày", "25/02/2026.", 1) is None  # other last digit
    assert glued_number_evidence("số", "1", 1) is None  # the digit is the whole number
    assert glued_number_evidence("tại", "định.", 1) is None


def _labels(doc: dict) -> list[tuple[str, str]]:
    out = []

    def walk(nodes: list[dict]) -> None:
        for n in nodes:
            if n["kind"] == "section":
                out.append((n["label"], n["title"]))
                walk(n["children"])

    walk(doc["body"])
    return out


def _points(first: str, conf: float, second: str = "b)") -> dict:
    rows = [
        ("1. Công tác tiếp nhận hồ sơ", 40),
        (f"{first} Lĩnh vực đất đai", 40),
        ("Hồ sơ được giải quyết đúng hạn và trả kết quả cho người dân tại bộ phận một", 40),
        ("cửa của xã trong thời gian sớm nhất theo quy định hiện hành.", 40),
        (f"{second} Lĩnh vực hộ tịch", 40),
        ("Các hồ sơ khai sinh, kết hôn được giải quyết trong ngày làm việc.", 40),
    ]
    doc = structure_pages([page_of(rows, {first: (0, conf)})])
    validate(doc)
    return doc


def test_low_confidence_point_label_survives_and_reads_a_before_b():
    doc = _points("g)", 27.0)  # a blurred "a)" read as "g)" at confidence 27
    assert _labels(doc) == [("1.", "Công tác tiếp nhận hồ sơ"), ("a)", "Lĩnh vực đất đai"),
                            ("b)", "Lĩnh vực hộ tịch")]  # fmt: skip
    doc = _points("g)", 95.0)  # read with confidence: the label stays what OCR says
    assert ("g)", "Lĩnh vực đất đai") in _labels(doc)
    doc = _points("g)", 27.0, second="h)")  # not before "b)": kept, not renamed
    assert ("g)", "Lĩnh vực đất đai") in _labels(doc)


def test_year_after_a_range_dash_with_a_fifth_digit():
    assert glued_number_evidence("-", "20301,", 1) == "strong"  # "2026 - 2030¹,"
    assert glued_number_evidence("đến", "20271", 1) == "strong"
    assert glued_number_evidence("số", "20301", 1) == "weak"  # no year context


def test_marker_read_as_another_flat_digit_is_placed_by_order():
    # marker ² read as a flat "3" on a year ("năm 20263,"): the impossible year says a
    # marker is there; ³ was found further on, so footnote 2 takes it
    body = list(BODY)
    body[0] = body[0].replace("kế hoạch năm", "kế hoạch năm¹")
    body[2] = "đúng quy định trong năm 20263, công tác tuyên truyền được thực hiện trên"
    body[5] = body[5].replace("hằng tuần.", "hằng tuần³.")
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo.",
             "3 Gồm ba thôn vùng cao của xã."]  # fmt: skip
    doc = _doc_with(body, notes, {})
    assert all(f["linked"] for f in doc["footnotes"])
    refs = dict(_refs(doc))
    assert "quy định trong năm 2026, công tác" in refs[2]


def test_flat_digit_of_a_footnote_without_body_is_an_anchor():
    # "năm 20253" carries marker 3 whose body OCR lost: it is not footnote 2's marker
    body = list(BODY)
    body[0] = body[0].replace("kế hoạch năm", "kế hoạch năm¹")
    body[2] = "đúng quy định trong năm 20253, công tác tuyên truyền được thực hiện trên"
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo."]
    doc = _doc_with(body, notes, {})
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, True), (2, False)]


def test_markers_after_a_percent_sign_and_a_length_unit():
    from ocr_pipeline.structure.footnotes import extract_markers

    assert extract_markers("đạt 97,8%6.", {6}, set()) == ("đạt 97,8%.", [6])
    assert extract_markers("dài 3,4 km5;", {5}, set()) == ("dài 3,4 km;", [5])
    assert extract_markers("rộng 120 m2;", {2}, set()) == ("rộng 120 m2;", [])  # m², not ²
    assert extract_markers("ngày 25/8/2026! của", {1}, set(), {1}) == ("ngày 25/8/2026 của", [1])


def test_percentage_hosts_a_swallowed_marker():
    # "94%⁴;" read as "94%;" at confidence 0 with the box still spanning the superscript
    body = list(BODY)
    body[2] = "đúng quy định, tỷ lệ tiêm đủ mũi đạt 94%; công tác tuyên truyền thường xuyên"
    doc = _doc_with(body, ["1 Theo kế hoạch số 12 của huyện."], {"94%;": (20, 0.0)})
    assert doc["footnotes"][0]["linked"]
    ((_, text),) = _refs(doc)
    assert "đạt 94%; công tác" in text


def test_percentage_with_the_glued_digit_of_a_lost_body_is_an_anchor():
    # "93,1%3;" carries marker 3 whose body OCR lost: marker 2 comes before it, so the
    # wide "mình." after it is not footnote 2's host
    body = list(BODY)
    body[0] = body[0].replace("kế hoạch năm", "kế hoạch năm¹")
    body[2] = "đúng quy định, tỷ lệ tham gia bảo hiểm y tế đạt 93,1%3; công tác tuyên truyền"
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo."]
    doc = _doc_with(body, notes, {"mình.": (20, 40.0)})
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, True), (2, False)]


def test_box_running_into_the_next_word_is_no_swallowed_digit():
    page = page_of([(t, 40) for t in BODY] + [("1 Theo kế hoạch số 12 của huyện.", 30)], {})
    words = page.lines[2].words  # "đúng quy định. ..." : "quy" runs 60 px into "định."
    words[1] = Word(
        words[1].text,
        BBox(words[1].bbox.left, words[1].bbox.top, words[2].bbox.left + 60, words[1].bbox.bottom),
        95.0,
    )
    doc = structure_pages([page])
    validate(doc)
    assert not doc["footnotes"][0]["linked"] and _refs(doc) == []


def test_question_mark_before_a_lower_case_word_is_a_lookalike():
    # "xã? và": ¹ read as "?" mid-line; no question continues in lower case
    body = list(BODY)
    body[4] = "Các tổ công tác của xã? và các thôn đã kiểm tra thực tế tại những hộ"
    doc = _doc_with(body, ["1 Theo kế hoạch số 12 của huyện."], {})
    assert doc["footnotes"][0]["linked"]
    ((_, text),) = _refs(doc)
    assert "Các tổ công tác của xã và các thôn" in text


def test_closing_quote_never_opened_beats_a_wide_word():
    # "mình”." with no opening quote on its line or the two above is ¹ misread; a word
    # 30 px too wide elsewhere ("phận") is weaker evidence
    doc = _doc({"mình”.": (0, 95.0), "phận": (30, 95.0)}, ("mình.", "mình”."))
    assert doc["footnotes"][0]["linked"]
    ((_, text),) = _refs(doc)
    assert "của xã nhà mình. Các tổ" in text and "”" not in text
    # with an opening quote just above, the quote may close a citation: no clear host
    body = list(BODY)
    body[2] = "đúng “quy định”. Công tác tuyên truyền được thực hiện thường xuyên trên"
    body[3] = body[3].replace("mình.", "mình”.")
    doc = _doc_with(body, ["1 Theo kế hoạch số 12 của huyện."], {"phận": (30, 95.0)})
    assert not doc["footnotes"][0]["linked"]
    assert "nhà mình”. Các tổ" in doc["body"][0]["text"]


def test_heading_label_hosts_no_lost_marker():
    # a low-confidence, wide "II." label is no host for a lost superscript
    rows = (
        [(t, 40) for t in BODY[:3]]
        + [("II. KẾT QUẢ THỰC HIỆN", 40)]
        + [(t, 40) for t in BODY[3:]]
        + [("1 Theo kế hoạch số 12 của huyện.", 30)]
    )
    doc = structure_pages([page_of(rows, {"II.": (30, 0.0)})])
    validate(doc)
    assert not doc["footnotes"][0]["linked"]
    assert [n.get("label") for n in doc["body"] if n["kind"] == "section"] == ["II."]


def test_date_with_a_stray_letter_and_lookalike_hosts_a_marker():
    # "tháng 9/2026²." read as "9/2026G?.": a number, a stray letter and a lookalike
    body = list(BODY)
    body[2] = "đúng quy định trong tháng 9/2026G?. Công tác tuyên truyền được thực hiện trên"
    doc = _doc_with(body, ["1 Theo kế hoạch số 12 của huyện."], {})
    assert doc["footnotes"][0]["linked"]
    ((_, text),) = _refs(doc)
    assert "trong tháng 9/2026. Công tác" in text
    # a class name like "9A" with no lookalike after it is no host
    body[2] = "đúng quy định cho lớp 9A. Công tác tuyên truyền được thực hiện thường xuyên trên"
    doc = _doc_with(body, ["1 Theo kế hoạch số 12 của huyện."], {})
    assert not doc["footnotes"][0]["linked"]


def test_flat_digit_beyond_the_footnotes_is_a_misread_not_an_anchor():
    # "năm 20259" with bodies 1 and 2 only: ² read as 9 (a body 9 would need 3-8 lost too)
    body = list(BODY)
    body[0] = body[0].replace("kế hoạch năm", "kế hoạch năm¹")
    body[2] = "đúng quy định trong năm 20259, công tác tuyên truyền được thực hiện trên"
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo."]
    doc = _doc_with(body, notes, {})
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, True), (2, True)]
    assert "quy định trong năm 2025, công tác" in dict(_refs(doc))[2]


def _two_paragraphs(first_end: str, second_end: str) -> dict:
    body = [BODY[0], BODY[1], f"đúng quy {first_end}", BODY[3], BODY[4],
            f"và báo cáo cho lãnh đạo xã nhà {second_end}"]  # fmt: skip
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo."]
    return _doc_with(body, notes, {})


def test_lookalike_guess_is_placed_again_with_the_lost_markers():
    # ¹ read as an unopened "”" (not a marker in the text), ² read as "°": the first pass
    # gave "°" the lowest free number (1); placed jointly, 1 and 2 each get their word
    doc = _two_paragraphs("định”.", "mình°.")
    assert all(f["linked"] for f in doc["footnotes"])
    refs = dict(_refs(doc))
    assert refs[1].startswith("Ủy ban") and "đúng quy định." in refs[1]
    assert refs[2].startswith("hệ thống") and refs[2].endswith("nhà mình.")


def test_question_mark_before_a_period_is_a_lookalike_placed_by_order():
    # "mình?." first guessed as ² (its shape); with ¹ lost above it the two are placed
    # jointly, and "?." (no sentence ends so) hosts ² without the "?"
    doc = _two_paragraphs("định”.", "mình?.")
    assert all(f["linked"] for f in doc["footnotes"])
    refs = dict(_refs(doc))
    assert "đúng quy định." in refs[1] and refs[2].endswith("nhà mình.")


def test_question_mark_before_punctuation_scores_and_is_dropped_from_the_host():
    from ocr_pipeline.lost_markers import MIN_SCORE, _letter_score, _Line, _split_host

    def score(text: str, number: int) -> float | None:
        words = text.split()
        ln = _Line(1, [(w, BBox(0, 0, 20 * len(w), 40)) for w in words],
                     [95.0] * len(words), text)  # fmt: skip
        return _letter_score(ln, len(words) - 1, 0.0, 1, "", number)

    assert score("đạt từ 60% trở lên?.", 5) >= MIN_SCORE + 0.2  # no sentence ends "?."
    assert score("đạt từ 60% trở lên.", 5) < MIN_SCORE
    assert score("đạt từ 60% trở lên?.", 2) > score("đạt từ 60% trở lên?.", 5)  # "?" like ²
    assert _split_host("lên?.", 5) == "lên⁵." and _split_host("dịch?", 5) == "dịch⁵"


def test_dollar_tail_and_percent_with_a_lookalike_host_markers():
    from ocr_pipeline.lost_markers import MISREAD, _letter_score, _Line, _number_score, _split_host

    def line(text: str) -> _Line:
        words = text.split()
        return _Line(1, [(w, BBox(0, 0, 20 * len(w), 40)) for w in words],
                       [95.0] * len(words), text)  # fmt: skip

    ln = line("tín dụng đen$, không để")  # ⁶ read as "$": no word ends so
    assert _letter_score(ln, 2, 0.0, 1, "", 6) >= MISREAD
    assert _split_host("đen$,", 6) == "đen⁶,"
    ln = line("(chiếm 37,8%?) hoạt động")  # ² read as "?" after a percentage
    assert _number_score(ln, 1, 0.0, 2) == MISREAD
    assert _split_host("37,8%?)", 2) == "37,8%²)"


def test_impossible_year_whose_digit_is_linked_elsewhere_is_a_sure_host():
    from ocr_pipeline.lost_markers import MISREAD, _Line, _number_score

    words = "ngân sách xã năm 20275 và".split()
    ln = _Line(1, [(w, BBox(0, 0, 20 * len(w), 40)) for w in words],
                 [95.0] * len(words), " ".join(words))  # fmt: skip
    assert _number_score(ln, 4, 0.0, 6) == MISREAD  # ⁶ read as 5, or ⁵ itself: unsure
    assert _number_score(ln, 4, 0.0, 6, {5}) == 1.0  # ⁵ found elsewhere: not its own


def test_unmatched_closing_parenthesis_is_a_lookalike():
    from ocr_pipeline.lost_markers import MISREAD, _letter_score, _Line

    def score(text: str, k: int, before: str = "") -> float | None:
        words = text.split()
        ln = _Line(1, [(w, BBox(0, 0, 20 * len(w), 40)) for w in words],
                     [95.0] * len(words), text)  # fmt: skip
        return _letter_score(ln, k, 0.0, 1, before, 3)

    assert score("a) Huấn luyện 15 ngày), tập trung", 4) >= MISREAD  # ³ read as ")"
    assert score("a) Huấn luyện 15 ngày), tập trung", 4, "lớp học (khóa 1") < MISREAD
    assert score("lớp (khóa 15 ngày), tập trung", 3) < MISREAD  # closes its "("
