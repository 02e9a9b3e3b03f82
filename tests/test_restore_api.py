"""Public restore API with the real models: restore_text, restore, restore_page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from restore_models import needs_models

from ocr_pipeline.model import BBox, Line, Page, Word

pytestmark = needs_models("confusion_eng.tsv", "confusion_vie.tsv")


@pytest.fixture(scope="module")
def api():
    import ocr_pipeline.restore as api

    api.restore_text("a", "eng")  # load once for the module
    api.restore_text("a", "vie")
    return api


def test_issue_example_eng(api) -> None:
    src = "Pang uy, chinh quyén, MTTQ céc phuong xéc dinh day la nhiém vu trong tdm"
    assert api.restore_text(src) == (
        "Đảng ủy, chính quyền, MTTQ các phường xác định đây là nhiệm vụ trọng tâm"
    )


def test_vie_tone_slip(api) -> None:
    assert api.restore_text("công tác kiếm tra, giám sát", channel="vie") == (
        "công tác kiểm tra, giám sát"
    )


def test_marks_typed_in_another_order(api) -> None:
    # another OCR engine's output: the tone typed before the letter's circumflex ("é" + "̂")
    src = "chủ nghĩa Vi\u00e9\u0302t Nam, thu nha\u0301\u0302p bình quân"
    assert api.restore_text(src) == "chủ nghĩa Việt Nam, thu nhập bình quân"


def test_a_line_of_capitals_is_no_context_for_the_next(api) -> None:
    # the ward's name over the document type: "hiệp đồng" (coordination) read across the
    # line break would take the name's "ĐÔNG"
    src = "ỦY BAN NHÂN DÂN PHƯỜNG TÂN HIỆP ĐÔNG\nTHÔNG BÁO\nVề việc tạm ngừng cấp nước"
    assert api.restore_text(src, channel="vie") == src


def test_a_d_read_twice_as_eth_and_d_is_one_letter(api) -> None:
    # the eth before or after the Đ (a real "ĐĐ" is rarer than Tesseract's doubled Đ)
    src = "Số: 21-CTr/\u00d0ĐTN, Số: 58/\u00d0ĐQLĐT; Số 95/QĐ\u00d0-SYT, 12-NQ/Đ\u00d0U"
    assert api.restore_text(src, channel="vie") == (
        "Số: 21-CTr/ĐTN, Số: 58/ĐQLĐT; Số 95/QĐ-SYT, 12-NQ/ĐU"
    )
    # but for the one common code that doubles it (Đoàn đại biểu Quốc hội)
    assert api.restore_text("Văn phòng Đ\u00d0BQH tỉnh", channel="vie") == "Văn phòng ĐĐBQH tỉnh"


def test_numbers_dates_codes_untouched(api) -> None:
    src = "ngay 16/6/2025, 1.467,96 ty dong, giai doan 2020-2025, so 34-CT/TW, NĐ-CP, QH15\n"
    out = api.restore_text(src)
    for keep in ("16/6/2025", "1.467,96", "2020-2025", "34-CT/TW", "NĐ-CP", "QH15"):
        assert keep in out
    assert out.endswith("\n")
    assert out.startswith("ngày 16/6/2025")


def test_abbreviation_repaired(api) -> None:
    out = api.restore_text("Thanh uy, HDND - UBND phuong")
    assert "HĐND - UBND" in out


def test_layout_and_casing_kept(api) -> None:
    src = "BAO CAO\n\nTong ket  phong trao thi dua\nKET QUA THUC HIEN"
    out = api.restore_text(src)
    assert out.count("\n") == src.count("\n") and "  " in out
    lines = out.split("\n")
    assert lines[0] == "BÁO CÁO"
    assert lines[2].startswith("Tổng kết")
    assert lines[3] == "KẾT QUẢ THỰC HIỆN"


def test_correct_text_unchanged(api) -> None:
    text = (
        "Ủy ban nhân dân phường tổ chức hội nghị tổng kết công tác thi đua, khen thưởng "
        "năm 2024 và triển khai nhiệm vụ trọng tâm năm 2025."
    )
    assert api.restore_text(text) == text
    assert api.restore_text(text, channel="vie") == text
    # minority place names with a bare "p" onset, acronyms read as syllables
    names = (
        "Hội nghị họp tại Văn phòng Hợp tác xã, thôn Nà Pục; chỉ số bọ gậy (BI) tại hai "
        "xóm đều vượt ngưỡng, Ủy ban nhân dân xã đề nghị các thôn phối hợp xử lý."
    )
    assert api.restore_text(names) == names


def test_footnote_markers(api) -> None:
    r = api.restore("theo quy dinh2. Doanh nghiép* moi")
    kinds = [(t.original, t.kind) for t in r.tokens if t.kind != "space"]
    assert ("2", "footnote_marker") in kinds
    assert ("*", "footnote_marker") in kinds
    assert "định²." in r.text
    # no footnote is numbered 0: a word ending in 0 keeps it ("S60:" is no "Số⁰:")
    assert "⁰" not in api.restore_text("S60: 68 /BC-UBND, sau kho60 ngay", "eng")


def test_restoration_tokens(api) -> None:
    src = "Pang uy, 2025"
    r = api.restore(src)
    assert r.original == src
    word = r.tokens[0]
    assert word.kind == "word" and word.text == "Đảng" and 0 <= word.confidence <= 1
    assert word.alternatives and word.alternatives[0][0] == "đảng"
    assert [t.kind for t in r.tokens] == ["word", "space", "word", "punct", "space", "number"]
    assert r.to_dict()["tokens"][0]["text"] == "Đảng"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "12 34,5 2020-2025\n",
        "\x00\x01\x02\ufffd",
        "The quick brown fox jumps over the lazy dog",
    ],
)
def test_odd_input(api, text: str) -> None:
    out = api.restore_text(text)
    assert isinstance(out, str)
    if not any(c.isalpha() for c in text):
        assert out == text


def test_english_left_alone(api) -> None:
    out = api.restore_text("Internet, Covid-19, website")
    assert out == "Internet, Covid-19, website"


def test_binary_junk_and_big_line_linear(api) -> None:
    junk = bytes(range(256)).decode("latin-1") * 40
    assert len(api.restore_text(junk)) >= len(junk) // 2
    line = "chinh quyen dia phuong trien khai nhiem vu " * 5000  # ~220 KB, one line
    t0 = time.perf_counter()
    out = api.restore_text(line)
    assert out.count("chính quyền địa phương") >= 4900
    assert "\n" not in out
    assert time.perf_counter() - t0 < 30  # generous: linear, not quadratic


def test_restore_page_keeps_boxes(api) -> None:
    def w(t, x):
        return Word(t, BBox(x, 10, x + 40, 30), 90.0)

    page = Page(
        1,
        1000,
        1000,
        300,
        lines=[
            Line([w("Đảng", 0), w("ủy,", 50), w("chính", 100)], BBox(0, 10, 140, 30)),
            Line([w("quyền", 0), w("kiếm", 50), w("tra", 100)], BBox(0, 40, 140, 60), line=1),
        ],
    )
    new = api.restore_page(page)
    assert new is not page
    words = new.words
    assert [x.text for x in words] == ["Đảng", "ủy,", "chính", "quyền", "kiểm", "tra"]
    assert [x.bbox for x in words] == [x.bbox for x in page.words]
    assert words[4].ocr_text == "kiếm" and page.words[4].text == "kiếm"
    assert all(0 <= x.restore_confidence <= 1 for x in words)


def test_a_word_restoration_does_not_read_has_no_restore_confidence(api) -> None:
    """A roman numeral, a number or a code is passed as read: its restore confidence is
    None, so words.tsv, hOCR, ALTO and the review page show Tesseract's confidence for it
    (the new user's "III." read "II." at 40.8 showed a restore confidence of 1)."""
    from ocr_pipeline.document_restore import unsure_share
    from ocr_pipeline.export.words import to_words_tsv
    from ocr_pipeline.model import Document, SourceInfo

    read = [("II.", 40.8), ("Kết", 95.0), ("quả", 95.0), ("12/TB-UBND", 91.0)]
    words = [Word(t, BBox(60 * i, 10, 60 * i + 50, 30), c) for i, (t, c) in enumerate(read)]
    page = Page(1, 1000, 1000, 300, lines=[Line(words, BBox(0, 10, 240, 30))])
    new = api.restore_page(page)
    numeral, ket, qua, code = new.words
    assert numeral.restore_confidence is None and code.restore_confidence is None
    assert numeral.ocr_text == "II." and ket.restore_confidence > 0.9
    assert unsure_share([new]) == 0.0  # words passed as read count as sure, as before
    doc = Document(SourceInfo("x.png", "0" * 64, 1, "image/png"), [new])
    row = to_words_tsv(doc).splitlines()[1].split("\t")
    assert row[-3:] == ["II.", "II.", ""]  # text, ocr_text, no restore confidence


_MEETING = """Hội nghị tổng kết công tác năm nay của xã đã đánh giá kết quả thực hiện nhiệm vụ
phát triển kinh tế và xây dựng nông thôn mới trên địa bàn. Nhân dân các thôn đã tích cực tham gia
đóng góp ngày công làm đường giao thông, sửa chữa nhà văn hóa và trồng cây xanh. Ủy ban nhân dân
xã đề nghị các cấp quan tâm hỗ trợ kinh phí để hoàn thành các công trình còn dở dang trong năm tới.
Cán bộ và nhân dân tiếp tục phấn đấu giữ vững an ninh trật tự, nâng cao đời sống của người dân."""


def _page_of(number: int, text: str) -> Page:
    lines = []
    for li, row in enumerate(text.split("\n")):
        words = [
            Word(w, BBox(10 * i, 20 * li, 10 * i + 9, 20 * li + 15), 80.0)
            for i, w in enumerate(row.split())
        ]
        lines.append(Line(words, BBox(0, 20 * li, 500, 20 * li + 15), line=li))
    return Page(number, 1000, 1000, 300, lines=lines)


def test_restore_document_adapts_to_the_scans_own_confusion(api) -> None:
    # an OCR that reads every â-family vowel as "é" on every page: the shipped vie table
    # gives that almost no probability; the document's own confident words teach it
    truths = [_MEETING, _MEETING.replace("xã", "phường")]
    scans = [t.translate(str.maketrans("âấầậ", "éééé")) for t in truths]
    pages = [_page_of(n, t) for n, t in enumerate(scans, 1)]

    def right(restored: list[Page]) -> int:
        return sum(
            w.text == g
            for page, truth in zip(restored, truths, strict=True)
            for w, g in zip(page.words, truth.split(), strict=True)
        )

    alone = right([api.restore_page(p) for p in pages])
    together, adaptation = api.restore_document(pages)
    assert right(together) > alone
    assert adaptation.iterations == 1
    assert ("â", "é") in {(g[0], g[1]) for g in adaptation.gains}
    assert [p.number for p in together] == [1, 2]
    assert [w.ocr_text for w in together[0].words] == scans[0].split()
    # without adaptation it is restore_page, page by page
    plain, none = api.restore_document(pages, adapt=False)
    assert none is None
    assert [[w.text for w in p.words] for p in plain] == [
        [w.text for w in api.restore_page(p).words] for p in pages
    ]


def test_fast_path_matches_token_view(api) -> None:
    path = Path(__file__).parent / "data" / "restore_eval" / "legacy_part1.ocr.txt"
    text = path.read_text(encoding="utf-8")
    r = api.restore(text)
    assert r.original == text
    assert r.text == api.restore_text(text)


def test_english_phrases_are_left_alone_vietnamese_around_them_is_not(api) -> None:
    src = "The Ministry of Home Affairs approved the plan on time. Theo Thong tw sd 12 cia Bo"
    assert api.restore_text(src) == (
        "The Ministry of Home Affairs approved the plan on time. Theo Thông tư số 12 của Bộ"
    )
    # unaccented Vietnamese made of words that are also English is still restored
    assert api.restore_text("to chuc an toan va on dinh") == "tổ chức an toàn và ổn định"


def test_the_package_namespace_lists_its_api_not_its_imports():
    """dir(ocr_pipeline) listed `Any`, `TYPE_CHECKING` and `annotations`."""
    import ocr_pipeline

    names = dir(ocr_pipeline)
    assert not {"Any", "TYPE_CHECKING", "annotations", "_RESTORE_API"} & set(names)
    assert {"restore_text", "Lexicon", "__version__", "__doc__"} <= set(names)
    assert all(hasattr(ocr_pipeline, name) for name in names)


def test_bad_arguments_raise_pythons_own_errors() -> None:
    import ocr_pipeline

    with pytest.raises(TypeError, match="channel must be one of"):
        ocr_pipeline.restore_text("xa", channel=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown OCR channel 'fra'"):
        ocr_pipeline.restore_text("xa", channel="fra")
    with pytest.raises(TypeError, match="not bytes"):
        ocr_pipeline.restore_text("xa", lexicon=b"Bao Thanh")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="iterable of lines, not NoneType"):
        ocr_pipeline.restore_lines(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="iterable of Page, not NoneType"):
        ocr_pipeline.restore_document(None)  # type: ignore[arg-type]
