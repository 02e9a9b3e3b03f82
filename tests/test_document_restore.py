"""The run path's document-level restore step (ocr_pipeline.document_restore and
pipeline._restore_document): a weakly read document is re-restored with one adapted
decoder, from what OCR read, tables left alone; a confident one is left as the page
workers restored it. Invented text."""

from __future__ import annotations

import dataclasses

import pytest
from restore_models import needs_models

from ocr_pipeline import document_restore
from ocr_pipeline.document_restore import PageReading
from ocr_pipeline.export.metadata import to_metadata
from ocr_pipeline.layout import repair_page
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word
from ocr_pipeline.pipeline import PipelineOptions, _restore_document
from ocr_pipeline.synth import render_pages
from ocr_pipeline.tables.page import TABLE_BLOCK_BASE

pytestmark = needs_models("confusion_vie.tsv")

# invented minutes of a village meeting, two pages
PAGES = [
    "Sáng nay thôn Đồng Tâm tổ chức họp dân để bàn việc nâng cấp đường bê tông dẫn vào\n"
    "khu dân cư mới. Trưởng thôn báo cáo tình hình thu chi quỹ làm đường và danh sách các\n"
    "hộ đã đóng góp đầy đủ. Nhân dân thống nhất mỗi hộ góp thêm ngày công và vật liệu để\n"
    "công trình hoàn thành trước mùa mưa. Chi bộ thôn giao cho ban quản lý theo dõi chất\n"
    "lượng thi công và công khai các khoản chi tại nhà văn hóa thôn.",
    "Buổi chiều ban quản lý cùng đại diện các hộ đi kiểm tra tuyến mương thoát nước cạnh\n"
    "đường làng. Các hộ cam kết dọn sạch rác thải và giữ vệ sinh chung. Thôn sẽ tổ chức\n"
    "lễ khởi công vào đầu tháng sau với sự có mặt của lãnh đạo xã và bà con trong thôn.\n"
    "Mọi ý kiến đóng góp gửi về trưởng thôn hoặc ghi vào sổ góp ý đặt tại nhà văn hóa.",
]
# an OCR that reads every â-family vowel as "é" and ô-family one as "ö" throughout
LOST = str.maketrans("âấầậẩẫôồốộổỗ", "ééééééöööööö")


def _page(number: int, text: str, confidence: float) -> Page:
    lines = []
    for li, row in enumerate(text.split("\n")):
        words = [Word(w, BBox(60 * i, 40 * li, 60 * i + 50, 40 * li + 30), confidence)
                 for i, w in enumerate(row.split())]  # fmt: skip
        lines.append(Line(words, BBox(0, 40 * li, 60 * len(words), 40 * li + 30), line=li))
    return Page(number, 2000, 3000, 300, lines=lines)


def _worker(page: Page) -> tuple[Page, PageReading]:
    """The page as a page worker hands it back (restored alone, layout-repaired) and the
    lines it read before restoration."""
    from ocr_pipeline.restore import restore_page

    return repair_page(restore_page(page, channel="vie")), PageReading(page.lines)


def _right(pages: list[Page]) -> int:
    return sum(w.text == t for p, truth in zip(pages, PAGES, strict=True)
               for w, t in zip(p.words, truth.split(), strict=True))  # fmt: skip


@pytest.fixture(scope="module")
def weak() -> tuple[list[Page], dict[int, PageReading]]:
    done = [_worker(_page(n, t.translate(LOST), 70.0)) for n, t in enumerate(PAGES, 1)]
    return [p for p, _ in done], {p.number: lines for p, lines in done}


def test_a_weak_document_is_re_restored_with_adaptation(weak) -> None:
    pages, readings = weak
    assert document_restore.unsure_share(pages) >= document_restore.WEAK_SHARE
    out, record, seconds = _restore_document(pages, readings, PipelineOptions(jobs=1))
    assert _right(out) > _right(pages)
    assert record["adapted"] is True and record["channel"] == "vie"
    assert record["unsure_share"] >= document_restore.WEAK_SHARE
    assert record["adaptation"]["iterations"] == 1 and record["adaptation"]["pairs"] >= 30
    assert ("â", "é") in {(g["source"], g["ocr"]) for g in record["adaptation"]["gains"]}
    # restored from what OCR read, not from the workers' restoration
    assert [w.ocr_text for w in out[0].words] == PAGES[0].translate(LOST).split()
    assert seconds > 0
    assert [p.seconds for p in out] > [p.seconds for p in pages]


def test_pages_with_tables_or_not_read_stay_as_they_are(weak) -> None:
    pages, readings = weak
    cell = Line([Word("Ghi chú", BBox(0, 900, 80, 930), 60.0, ocr_text="Ghi chu",
                      restore_confidence=0.5)], BBox(0, 900, 80, 930),
                block=TABLE_BLOCK_BASE)  # fmt: skip
    with_table = dataclasses.replace(pages[0], lines=[*pages[0].lines, cell], tables=["grid"])
    failed = Page(3, 2000, 3000, 300, status="timeout", error="page 3: took too long")
    out, adaptation = document_restore.restore_adapted(
        [with_table, pages[1], failed], {**readings, 3: PageReading([])}, "vie"
    )
    assert out[0] is with_table and out[2] is failed
    assert out[1] is not pages[1] and adaptation is not None


def test_process_document_hands_the_readings_before_restoration_on(monkeypatch, tmp_path) -> None:
    from ocr_pipeline import pipeline

    seen: dict = {}

    def unsure_restore(page: Page, lang: str, profile: str | None = None,
                       lexicon: str | None = None) -> Page:  # fmt: skip
        lines = [dataclasses.replace(ln, words=[
            dataclasses.replace(w, text=w.text.upper(), ocr_text=w.text, restore_confidence=0.1)
            for w in ln.words]) for ln in page.lines]  # fmt: skip
        return dataclasses.replace(page, lines=lines)

    def adapted(pages, readings, channel, profile=None, lexicon=None):
        seen["readings"] = {n: [w.text for ln in r.lines for w in ln.words]
                            for n, r in readings.items()}  # fmt: skip
        return [dataclasses.replace(p, lines=readings[p.number].lines) for p in pages], None

    monkeypatch.setattr(pipeline, "_restore", unsure_restore)
    monkeypatch.setattr(document_restore, "restore_adapted", adapted)
    image = tmp_path / "note.png"
    render_pages(
        "Biên bản họp thôn",
        dpi=150,
        page_size_mm=(148, 60),
        margins_mm=(10, 10, 10, 10),
        font_size_pt=14,
    )[0].image.save(image)
    doc = pipeline.process_document(image, PipelineOptions(jobs=1, dpi=150))
    words = seen["readings"][1]
    assert words and words == [w for w in words if not w.isupper()]  # before restoration
    assert doc.restoration["unsure_share"] == 1.0
    assert doc.restoration["adapted"] is False  # nothing was adapted (the stand-in)
    assert [w.text for w in doc.pages[0].words] == words


def test_a_confident_document_is_left_as_the_workers_restored_it() -> None:
    done = [_worker(_page(n, t, 97.0)) for n, t in enumerate(PAGES, 1)]
    pages = [p for p, _ in done]
    readings = {p.number: lines for p, lines in done}
    out, record, seconds = _restore_document(pages, readings, PipelineOptions(jobs=1))
    assert all(a is b for a, b in zip(out, pages, strict=True)) and seconds == 0.0
    assert record["adapted"] is False and record["adaptation"] is None
    assert record["unsure_share"] < document_restore.WEAK_SHARE


def test_name_json_records_the_restoration(weak) -> None:
    pages, record, _ = _restore_document(*weak, PipelineOptions(jobs=1))
    doc = Document(SourceInfo("minutes.png", "ab" * 32, 2, "image/png"), pages,
                   restoration=record)  # fmt: skip
    meta = to_metadata(doc)
    assert meta["restoration"]["adapted"] is True
    assert meta["restoration"]["adaptation"]["pairs"] == record["adaptation"]["pairs"]
    assert "restoration" not in to_metadata(Document(doc.source, pages))


def test_a_period_before_a_lower_case_word_is_read_as_the_comma_it_was() -> None:
    def line(texts: str, top: int, marker_at: int | None = None) -> Line:
        marked = {"marker": 3, "marker_tail": "."}
        words = [Word(t, BBox(60 * i, top, 60 * i + 50, top + 30), 80.0,
                      **(marked if i == marker_at else {}))
                 for i, t in enumerate(texts.split())]  # fmt: skip
        return Line(words, BBox(0, top, 60 * len(words), top + 30))

    lines = [line("Gia đình khó khăn. vươn lên học tốt. Năm nay", 0),
             line("được khen. các em v.v. và TP. Huế", 40),
             line("tháng 5. năm", 80), line("năm. nay", 120, marker_at=0),
             line("đúng hạn. b) Lĩnh vực", 160)]  # fmt: skip
    out = document_restore.restore_comma_tails(lines)
    assert [ln.text for ln in out] == [
        "Gia đình khó khăn, vươn lên học tốt. Năm nay",
        "được khen, các em v.v. và TP. Huế",
        "tháng 5. năm",
        "năm³. nay",
        "đúng hạn. b) Lĩnh vực",
    ]
    assert out[2] is lines[2] and out[3] is lines[3] and out[4] is lines[4]
    # across a line end: the next line opens in lower case
    wrapped = document_restore.restore_comma_tails([line("học tốt.", 0), line("vươn lên", 40)])
    assert wrapped[0].text == "học tốt,"
    untouched = [line("Hết.", 0)]
    assert document_restore.restore_comma_tails(untouched) is untouched


def _words_line(texts: str, top: int) -> Line:
    words = [Word(t, BBox(60 * i, top, 60 * i + 50, top + 30), 80.0)
             for i, t in enumerate(texts.split())]  # fmt: skip
    return Line(words, BBox(0, top, 60 * len(words), top + 30))


def test_a_recipients_item_closes_with_the_semicolon_a_bad_copy_read_as_a_colon() -> None:
    lines = [_words_line(t, 40 * i) for i, t in enumerate([
        "Tổ chức thực hiện: các phòng ban.",
        "- Kết quả: đạt yêu cầu:",  # a list item, but no recipients block above it
        "Nơi nhận: TM. HỘI ĐỒNG",
        "- Như Điều 2: CHỦ TỊCH",
        "- Sở Tài chính: Kho bạc tỉnh:",  # two items on one line
        "- Các phòng: Nội vụ, Tài chính;",  # the item's own colon
        "- Các trường: Tiểu học Ba Vì;",  # a list's colon, one school in it
        "- UBND huyện (để b/c): *",  # a speck of the signature column after it
        "-Lưu: VT, TH.",
        "- Lưu: VT.",
        "Trần Văn Bình:",
    ])]  # fmt: skip
    out = document_restore.restore_recipient_semicolons(lines)
    assert [ln.text for ln in out] == [
        "Tổ chức thực hiện: các phòng ban.",
        "- Kết quả: đạt yêu cầu:",
        "Nơi nhận: TM. HỘI ĐỒNG",
        "- Như Điều 2; CHỦ TỊCH",
        "- Sở Tài chính; Kho bạc tỉnh;",
        "- Các phòng: Nội vụ, Tài chính;",
        "- Các trường: Tiểu học Ba Vì;",
        "- UBND huyện (để b/c); *",
        "-Lưu: VT, TH.",
        "- Lưu: VT.",
        "Trần Văn Bình:",
    ]
    assert out[1] is lines[1] and out[5] is lines[5] and out[6] is lines[6] and out[8] is lines[8]
    untouched = lines[:2]
    assert document_restore.restore_recipient_semicolons(untouched) is untouched


def _gapped_line(item: str, signature: str, top: int) -> Line:
    """A recipients item and, past a column gap on the same row, the signature column."""
    line = _words_line(item, top)
    far = [Word(t, BBox(2000 + 60 * i, top, 2050 + 60 * i, top + 30), 80.0)
           for i, t in enumerate(signature.split())]  # fmt: skip
    return Line(line.words + far, BBox(0, top, 2000 + 60 * len(far), top + 30))


def test_an_item_ends_before_the_column_gap_on_its_continuation_line_or_before_the_next_label():
    lines = [_words_line("Nơi nhận: TM. BAN QUẢN LÝ", 0),
             _gapped_line("- Các hộ trồng chè:", "(Đã ký)", 40),
             _gapped_line("- Hợp tác xã Vạn", "GIÁM ĐỐC", 80),
             _words_line("Phúc:", 120),  # the item above carried on
             _words_line("- Hội Phụ nữ xã (để b/c): các chi hội;", 140),
             _words_line("- Đoàn Thanh niên xã: Lưu: VT.", 160),
             _words_line("Đỗ Minh Khôi:", 200)]  # fmt: skip
    after_file_copy = [_words_line("Nơi nhận: TM. BAN", 0),
                       _words_line("- Lưu: VT, KH. Trần Thị Mai", 40),  # the name leaves it open
                       _words_line("Ghi chú:", 80),
                       _words_line("- Xã Vạn Phúc", 120),
                       _words_line("theo dõi việc làm đường ở các thôn:", 160)]  # fmt: skip
    assert document_restore.restore_recipient_semicolons(after_file_copy) is after_file_copy
    long_after = [_words_line("Nơi nhận: TM. BAN", 0), _words_line("- Xã Vạn Phúc", 40),
                  _words_line("theo dõi việc làm đường ở các thôn:", 80)]  # fmt: skip
    assert document_restore.restore_recipient_semicolons(long_after) is long_after
    out = document_restore.restore_recipient_semicolons(lines)
    assert [ln.text for ln in out] == [
        "Nơi nhận: TM. BAN QUẢN LÝ",
        "- Các hộ trồng chè; (Đã ký)",
        "- Hợp tác xã Vạn GIÁM ĐỐC",
        "Phúc;",
        "- Hội Phụ nữ xã (để b/c); các chi hội;",
        "- Đoàn Thanh niên xã; Lưu: VT.",
        "Đỗ Minh Khôi:",  # after a closed item: the block is over
    ]


def test_a_recipients_block_s_small_type_is_read_as_its_codes() -> None:
    lines = [_words_line(t, 40 * i) for i, t in enumerate([
        "Báo cáo (đẻ hịc) gửi IBND xã;",  # no recipients block above it: left as read
        "Nơi nhận: KT. CHỦ TỊCH",
        "- IBND huyện (đẻ hịc); PHÓ CHỦ TỊCH",
        "- ƯBND các xã (b'©);",
        "- Sở Xây dựng (be);",
        "- Phòng Tài chính (de hịc);",  # "(để" with its marks read otherwise
        "- Phòng Kinh tế (để biết);",  # words, not a misread code
        "- Hội Nông dân (t/h);",
        "- Ban Quản lý dự án: Lau: VF KH.",
        "-I.ưu: VI.",
        "- Lưu: VỊ.",
        "- Lưu: VTF, KSBT.",
    ])]  # fmt: skip
    out = document_restore.restore_recipient_codes(lines)
    assert [ln.text for ln in out] == [
        "Báo cáo (đẻ hịc) gửi IBND xã;",
        "Nơi nhận: KT. CHỦ TỊCH",
        "- UBND huyện (để b/c); PHÓ CHỦ TỊCH",
        "- UBND các xã (b/c);",
        "- Sở Xây dựng (b/c);",
        "- Phòng Tài chính (để b/c);",
        "- Phòng Kinh tế (để biết);",
        "- Hội Nông dân (t/h);",
        "- Ban Quản lý dự án: Lưu: VT, KH.",
        "-Lưu: VT.",
        "- Lưu: VT.",
        "- Lưu: VT, KSBT.",
    ]
    assert out[0] is lines[0] and out[6] is lines[6] and out[7] is lines[7]


def test_the_file_copys_label_read_as_another_word_before_the_registry_is_the_label() -> None:
    # scans_heldout15's 200-dpi photocopies: "- Lưu: VT, KTN." read "; Liu VL KTN," and
    # "- Lưu: VT, QLT." read "- lam: VÉ QET," (restored "làm: VI")
    def block(last: str) -> list[Line]:
        return [_words_line(t, 40 * i) for i, t in
                enumerate(["Nơi nhận: KT. GIÁM ĐỐC", "- BHXH tỉnh (để b/c);", last])]  # fmt: skip

    cases = [("; Liu VL KTN,", "- Lưu: VT, KTN,"), ("- làm: VI QET,", "- Lưu: VT, QET,"),
             ("-Lau: VI.", "-Lưu: VT.")]  # fmt: skip
    for read, mended in cases:
        assert document_restore.restore_recipient_codes(block(read))[-1].text == mended
    # where no registry code follows, or the label was read right, or typed without its
    # colon, the line stays as read
    # the item closes the block: the next row is no part of it; a label read right
    # after a dash read as a speck gets its dash back, as a misread one does
    after = block("; Liu VL KTN,") + [_words_line("HĐND (bc)", 120)]
    assert document_restore.restore_recipient_codes(after)[-1].text == "HĐND (bc)"
    assert document_restore.restore_recipient_codes(block("; Lưu: VI KTN,"))[-1].text == (
        "- Lưu: VT, KTN,"
    )
    for same in ("- Lam Sơn;", "- Lưu VT.", "- Luu VT.", "- Lưu: VT.", "; Liu Thị Hoa"):
        lines = block(same)
        assert document_restore.restore_recipient_codes(lines)[-1] is lines[-1]


def test_the_first_part_heading_of_a_roman_numbered_page_is_i() -> None:
    texts = ["1. TÌNH HÌNH CHUNG", "1. UBND các xã rà soát;", "II. NHIỆM VỤ TỚI", "III. ĐỀ XUẤT"]
    lines = [_words_line(t, 40 * i) for i, t in enumerate(texts)]
    out = document_restore.restore_roman_headings(lines)
    assert [ln.text for ln in out] == ["I. TÌNH HÌNH CHUNG", *texts[1:]]
    assert out[1] is lines[1]
    for numbered in (["1. TÌNH HÌNH CHUNG", "2. NHIỆM VỤ TỚI", "II. ĐỀ XUẤT"],
                     ["1. TÌNH HÌNH CHUNG", "1. UBND các xã;", "3. ĐỀ XUẤT"]):  # fmt: skip
        same = [_words_line(t, 40 * i) for i, t in enumerate(numbered)]
        assert document_restore.restore_roman_headings(same) is same


def test_a_bad_copy_s_stray_quotes_go_and_a_percentage_keeps_its_decimal_comma() -> None:
    pages = {
        "Tổ „ đạt 93.5% và 12.500 hộ, “nước sạch” cho 4.2 km;": (
            "Tổ đạt 93,5% và 12.500 hộ, “nước sạch” cho 4.2 km;"),
        "nhà “văn hóa xã mới": "nhà văn hóa xã mới",
        "(17.25%) 'kết quả tốt": "(17,25%) kết quả tốt",
        "tên \"Ruộng bậc thang\" và “Suối Hai”": "tên \"Ruộng bậc thang\" và “Suối Hai”",
        "quý 1.5 năm": "quý 1.5 năm",
    }  # fmt: skip
    for text, want in pages.items():
        lines = [_words_line(text, 0)]
        out = document_restore.restore_stray_marks(lines)
        assert out[0].text == want
        assert (out is lines) == (want == text)


def test_a_colon_closing_a_preamble_clause_is_a_semicolon() -> None:
    lines = [_words_line(t, 40 * i) for i, t in enumerate([
        "Căn cứ Nghị định số 12/2019/NĐ-CP ngày 5 tháng 3 năm 2019:",
        "Căn cứ Quyết định số 7/QĐ-UBND:",
        "Xét đề nghị của Trưởng phòng Nội vụ:",
        "QUYẾT ĐỊNH:",
        "Điều 1. Các thôn 4, 6 và 9: tu sửa đường; năm 2023: 85% số hộ; gồm: thôn 4,",
        "Kết quả xét nghiệm như sau:",  # "xét nghiệm" opens no preamble clause
        "Xét nghiệm nhanh: 40 mẫu",
        "- Lớp 1: 35 học sinh, lớp 2: 32 học sinh.",  # counts keep their colons
    ])]  # fmt: skip
    out = document_restore.restore_clause_semicolons(lines)
    assert [ln.text for ln in out] == [
        "Căn cứ Nghị định số 12/2019/NĐ-CP ngày 5 tháng 3 năm 2019;",
        "Căn cứ Quyết định số 7/QĐ-UBND;",
        "Xét đề nghị của Trưởng phòng Nội vụ:",
        "QUYẾT ĐỊNH:",
        "Điều 1. Các thôn 4, 6 và 9: tu sửa đường; năm 2023: 85% số hộ; gồm: thôn 4,",
        "Kết quả xét nghiệm như sau:",
        "Xét nghiệm nhanh: 40 mẫu",
        "- Lớp 1: 35 học sinh, lớp 2: 32 học sinh.",
    ]
    assert all(a is b for a, b in zip(out[2:], lines[2:], strict=True))


def test_a_document_with_a_page_read_twice_is_adapted_whatever_its_share() -> None:
    # restoration is surer of a page read twice (the second reading's words settle some of
    # its doubts), so the unsure share alone would leave such a scan unadapted
    done = [_worker(_page(n, t, 97.0)) for n, t in enumerate(PAGES, 1)]
    pages = [p for p, _ in done]
    first = pages[0].lines[0].words[0]
    readings = {p.number: reading for p, reading in done}
    assert not document_restore.is_weak(pages, readings)
    # a confident page whose one doubtful word was read twice is not a weak scan
    doubtful = PageReading(readings[1].lines, {first.bbox: first.text + "x"}, weak=False)
    assert not document_restore.is_weak(pages, {**readings, 1: doubtful})
    readings[1] = PageReading(readings[1].lines, {first.bbox: first.text + "x"})
    assert document_restore.is_weak(pages, readings)
    _out, record, _seconds = _restore_document(pages, readings, PipelineOptions(jobs=1))
    assert record["adapted"] is True
    assert record["unsure_share"] < document_restore.WEAK_SHARE


def test_every_restored_page_has_its_recipients_codes_read(monkeypatch, tmp_path) -> None:
    # not only a weak document's: a good scan's small type is misread too ("(b/©)")
    from ocr_pipeline import pipeline

    lines = [_words_line("Nơi nhận: TM. BAN", 0), _words_line("- Sở Nội vụ (b/©); CHỦ", 40)]
    monkeypatch.setattr(pipeline, "read_twice", lambda image, **kwargs: (lines, None))
    image = tmp_path / "page.png"
    render_pages("Trang", dpi=100, page_size_mm=(60, 20), margins_mm=(4, 4, 4, 4))[0].image.save(
        image
    )
    page, _steps, _reading = pipeline._run_page(image, 1, PipelineOptions(jobs=1, dpi=100))
    assert "(b/c);" in [w.text for w in page.words]


def test_a_weak_page_s_unsure_words_are_doubted_a_confident_page_s_are_not() -> None:
    # "thiệt bị": a bad copy's tone mark read as a dot under the letter, at confidence 60
    text = "Hội đồng thôn vừa mua thêm hai bộ thiệt bị chữa cháy cho đội xung kích của thôn"
    words = [Word(t, BBox(60 * i, 0, 60 * i + 50, 30), 60.0 if t == "thiệt" else 97.0)
             for i, t in enumerate(text.split())]  # fmt: skip
    page = Page(1, 2000, 100, 300, lines=[Line(words, BBox(0, 0, 60 * len(words), 30))])

    def restored(weak: bool) -> str:
        out, _ = document_restore.restore_adapted([page], {1: PageReading(page.lines, weak=weak)},
                                                  "vie")  # fmt: skip
        return " ".join(w.text for w in out[0].words)

    assert restored(True) == text.replace("thiệt", "thiết")
    assert restored(False) == text
