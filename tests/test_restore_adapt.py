"""Per-document adaptation, reach, channel auto-detection, user lexicon, streaming and the
library surface of restoration (real models)."""

from __future__ import annotations

import math
import sys
import threading

import pytest
from restore_models import needs_models

from ocr_pipeline.errors import InputFileError

pytestmark = needs_models("confusion_eng.tsv", "confusion_vie.tsv")

# Invented administrative text (not from the corpus or the legacy sample), rich in â.
ACCENTED = """Ủy ban nhân dân xã tổ chức hội nghị tổng kết công tác năm với sự tham dự của
đông đảo nhân dân trong xã. Hội nghị đánh giá cao tinh thần của cán bộ và nhân dân,
sự quan tâm của cấp ủy, sự vận động của Mặt trận và các đoàn thể. Năm tới, xã cần tập
trung nâng cao chất lượng đời sống nhân dân, nâng cấp đường giao thông nông thôn, xây
dựng nhà văn hóa thôn, tăng cường an ninh trật tự. Các thôn cần chủ động vận động nhân
dân tham gia, bảo đảm chất lượng công trình và tiến độ đầu tư. Cán bộ xã cần gần dân,
lắng nghe nhân dân, giải quyết kịp thời những vấn đề nhân dân quan tâm. Chủ tịch xã yêu
cầu các ngành tập trung thực hiện, phấn đấu hoàn thành các chỉ tiêu đề ra trong năm.
Hội đồng nhân dân xã giám sát việc thực hiện, báo cáo kết quả tại kỳ họp cuối năm.
"""

# an archive's OCR that reads every â (any tone) as "é" and drops or mangles other marks
_OCR = str.maketrans(
    {
        **dict.fromkeys("âầấẩẫậ", "é"),
        "ư": "u",
        "ừ": "u",
        "ứ": "u",
        "ữ": "u",
        "ự": "u",
        "ử": "u",
        "ơ": "o",
        "ờ": "o",
        "ớ": "o",
        "ở": "o",
        "ợ": "o",
        "đ": "d",
        "Đ": "P",
        "ộ": "o",
        "ố": "é",
        "ồ": "d",
        "ổ": "o",
        "ô": "6",
        "ả": "a",
        "ạ": "a",
        "ã": "a",
        "ị": "i",
        "ỉ": "i",
        "ủ": "u",
        "ụ": "u",
        "ệ": "é",
        "ể": "é",
        "ế": "é",
        "ề": "é",
        "ă": "a",
        "ắ": "a",
        "ằ": "a",
        "ặ": "a",
        "ỳ": "y",
        "ỷ": "y",
        "Ủ": "U",
        "ọ": "o",
    }
)


def _accuracy(out: str, truth: str) -> float:
    o, t = out.split(), truth.split()
    assert len(o) == len(t)
    return sum(a.strip(".,") == b.strip(".,") for a, b in zip(o, t, strict=True)) / len(t)


@pytest.fixture(scope="module")
def api():
    import ocr_pipeline.restore as api

    api.restore_text("a", "eng")
    api.restore_text("a", "vie")
    return api


def test_adapted_channel_learns_the_documents_confusion(api) -> None:
    channel = api.get_decoder("eng").channel
    before = channel.emit["â"].get("é")
    adapted = channel.adapted({("nhén", "nhân"): 30, ("dén", "dân"): 10}, strength=20.0)
    assert math.exp(adapted.emit["â"]["é"]) > 0.5  # most of the â seen were read é
    assert channel.emit["â"].get("é") == before  # the shared channel is not changed
    assert adapted._index is channel._index  # the vocabulary index is shared


def test_reach_proposes_vowels_the_table_never_saw(api) -> None:
    channel = api.get_decoder("eng").channel
    assert "nhân" in [s for s, _ in channel.candidates("nhén", 16)]
    assert "các" in [s for s, _ in channel.candidates("cic", 16)]
    # a vowel the old OCR dropped altogether ("vt" for "vật", "gii" for "giải")
    assert "vật" in [s for s, _ in channel.candidates("vt", 16)]
    assert "giải" in [s for s, _ in channel.candidates("gii", 16)]


def test_adaptation_lifts_a_document_with_its_own_confusions(api) -> None:
    ocr = ACCENTED.translate(_OCR)
    plain = _accuracy(api.restore_text(ocr, "eng", adapt=False), ACCENTED)
    adapted = _accuracy(api.restore_text(ocr, "eng"), ACCENTED)
    assert adapted > plain
    res = api.restore(ocr, "eng")
    gains = {(g[0], g[1]) for g in res.adaptation.gains}
    assert ("â", "é") in gains or ("ấ", "é") in gains or ("ầ", "é") in gains
    info = res.to_dict()["adaptation"]
    assert info["iterations"] >= 1 and info["pairs"] > 0


def test_detect_channel() -> None:
    from ocr_pipeline.restore import detect_channel

    assert detect_channel(ACCENTED) == "vie"
    assert detect_channel(ACCENTED.translate(_OCR)) == "eng"
    assert detect_channel("ngay 16/6/2025 theo NĐ-CP va HĐND") == "eng"  # codes say nothing
    assert detect_channel("") == "eng"


def test_correct_text_is_left_alone_with_the_defaults(api) -> None:
    assert api.restore_text(ACCENTED) == ACCENTED


def test_lexicon_keeps_and_prefers_local_names(api) -> None:
    src = "thon Tan Thanh va xa Béo Thanh"
    assert "Tân Thạnh" in api.restore_text(src)  # the commoner reading, without a lexicon
    out = api.restore_text(src, lexicon=["Tân Thanh"])
    assert "Tân Thanh" in out
    # a name the vocabulary hardly knows is proposed from its skeleton
    assert "Lung Tre" in api.restore_text("khu Lung Tre cua xa")
    assert "Lựng Tre" in api.restore_text("khu Lung Tre cua xa", lexicon=["Lựng Tre"])
    kept = api.restore_text("dich Cov1d tai xa", lexicon=["Cov1d"])
    assert "Cov1d" in kept


def test_lexicon_file(tmp_path, api) -> None:
    from ocr_pipeline.restore.lexicon import Lexicon

    path = tmp_path / "lex.txt"
    path.write_text("# places\nBảo Thanh\tphường cũ\n\nthủy\n", encoding="utf-8")
    lex = Lexicon.load(path)
    assert lex.words == {"bảo", "thanh", "thủy"}
    assert lex.pairs == (("bảo", "thanh"),)
    assert "Bảo Thanh" in api.restore_text("xa Béo Thanh", lexicon=path)


def test_glyph_words_and_lost_vowels(api) -> None:
    assert api.restore_text("dan s cua xa tang", "eng").startswith("dân số")
    assert api.restore_text("18 xã và 13 phường") == "18 xã và 13 phường"


def test_a_capital_ocr_read_for_a_small_letter_of_its_shape_inside_a_sentence(api) -> None:
    assert "cùng với khí thế" in api.restore_text("nhan dan cung V6i khi the moi", "eng")
    # given names, a writer's respectful "Ông", a word opening a line under a heading stay
    assert "đồng chí Chuyên phụ" in api.restore_text("dong chi Chuyen phu trach", "eng")
    assert "đề nghị Ông có mặt" in api.restore_text("de nghi Ong co mat", "eng")
    heading = "2. Cong tac xay dung co so vat chat truong hoc trong toan huyen"
    assert "\nCùng với" in api.restore_text(heading + "\nCung voi su co gang", "eng")
    header = "UBND PHUONG HOA LAC CONG HOA XA HOI CHU NGHIA VIET NAM Doc lap Tu do Hanh phuc"
    assert "\nSố: 12" in api.restore_text(header + "\nS6: 12/BC-UBND", "eng")


def test_a_typewriters_l_read_as_a_capital_l_inside_a_word(api) -> None:
    # the second half of one word after a small word: OCR's L for l; a name stays
    assert api.restore_text("công tác quản Lý đất đai") == "công tác quản lý đất đai"
    assert api.restore_text("công trình thủy Lợi của xã") == "công trình thủy lợi của xã"
    for kept in ("gặp ông Lý Văn Sơn", "tại huyện Lập Thạch", "theo Luật Đất đai"):
        assert api.restore_text(kept) == kept
    assert api.restore_text("trong Cơ sở dữ liệu quốc gia") == "trong Cơ sở dữ liệu quốc gia"


def test_a_text_that_reads_a_typewriters_l_as_l_gets_its_small_letters_back(api) -> None:
    typed = (
        "Người bệnh sốt cao, mệt mỏi, Lên cơn co giật phải đưa đi viện ngay.\n"
        "Trạm y tế tổ chức Lớp tập huấn cho cán bộ mỗi Lần có ổ dịch mới.\n"
        "Cán bộ gặp ông Lý Văn Sơn tại huyện Lập Thạch theo Luật Đất đai.\n"
    )
    out = api.restore_text(typed)
    assert "mỏi, lên cơn" in out and "tổ chức lớp" in out and "mỗi lần" in out
    assert "ông Lý Văn Sơn tại huyện Lập Thạch theo Luật Đất đai" in out  # names, laws
    # one such word alone is no habit: the writer's capital stays
    assert api.restore_text("Trạm y tế tổ chức Lớp tập huấn.") == "Trạm y tế tổ chức Lớp tập huấn."


def test_digits_shaped_like_a_syllable_and_counts(api) -> None:
    # legacy OCR reads "s" as "5": where the number fits nowhere it is the syllable; a
    # count stays a count, after a comma too
    assert api.restore_text("gia ca mot 56 mat hang", "eng") == "giá cả một số mặt hàng"
    counts = "Toan xa co 56 ho ngheo, 13 ho can ngheo."
    assert api.restore_text(counts) == "Toàn xã có 56 hộ nghèo, 13 hộ cận nghèo."
    for kept in ("dat 18 chi tieu", "co 56 ho gia dinh", "ngay 13 thang 5", "Phong 38"):
        assert api.restore_text(kept, "eng").split()[1] == kept.split()[1]


def test_a_lone_six_stays_a_number(api) -> None:
    # "6" for "ở" is English-model OCR's, but weighing it as a syllable took counts too
    for text in ("Ke hoach trien khai 6 xa trong huyen.", "UBND huyen ban hanh 6 van ban."):
        assert " 6 " in api.restore_text(text, "eng")


def test_restore_lines_streams_with_bounded_lookahead(api) -> None:
    lines = [ln + "\n" for ln in ACCENTED.translate(_OCR).splitlines()]
    consumed = []

    def source():
        for ln in lines:
            consumed.append(ln)
            yield ln

    stream = api.restore_lines(source(), window=3)
    first = next(stream)
    assert len(consumed) == 3  # the window, not the whole input
    rest = list(stream)
    out = "".join([first, *rest])
    assert out.count("\n") == len(lines)
    assert _accuracy(out, ACCENTED) > 0.8


def test_type_errors(api) -> None:
    with pytest.raises(TypeError, match="str, not bytes"):
        api.restore_text(b"pang uy")
    with pytest.raises(TypeError):
        list(api.restore_lines(["ok\n", 3]))
    with pytest.raises(TypeError, match="adapt must be True or False"):
        api.restore_text("pang uy", adapt="off")  # a true-ish string adapted anyway
    with pytest.raises(TypeError, match="Page objects, not str"):
        api.restore_page("pang uy")
    with pytest.raises(TypeError, match="sequence of Page, not str"):
        api.restore_document("pang uy")
    with pytest.raises(TypeError, match="a file path or a list of names, not int"):
        api.restore_text("pang uy", lexicon=123)
    with pytest.raises(ValueError, match="lexicon file name is empty"):
        api.restore_text("pang uy", lexicon="")
    with pytest.raises(TypeError, match="decoder must be a Decoder"):
        api.restore_text("pang uy", decoder="eng")


def test_a_bad_profile_or_lexicon_is_named_in_one_clear_error(api, tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="profile file .* not found .*ocr-pipeline learn"):
        api.restore_text("pang uy", profile=str(tmp_path / "nope.json"))
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a profile", encoding="utf-8")
    with pytest.raises(ValueError, match="not an archive profile \\(not JSON text\\)"):
        api.restore_text("pang uy", profile=text_file)
    with pytest.raises(TypeError, match="profile must be a Profile or the path"):
        api.restore_text("pang uy", profile={})
    with pytest.raises(InputFileError, match="is a folder"):  # not "file not found"
        api.restore_text("pang uy", lexicon=str(tmp_path))


def test_first_use_builds_the_decoder_once_across_threads(monkeypatch, api) -> None:
    import ocr_pipeline.restore.decoder as decoder_module

    calls = []
    real = decoder_module.build_decoder
    monkeypatch.setattr(
        decoder_module, "build_decoder", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    api.get_decoder.cache_clear()
    try:
        threads = [
            threading.Thread(target=api.restore_text, args=("pang uy", "eng")) for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        api.get_decoder.cache_clear()
    assert len(calls) == 1


def test_package_top_exposes_the_api_without_heavy_imports() -> None:
    import subprocess

    code = (
        "import sys, ocr_pipeline; assert 'numpy' not in sys.modules; "
        "assert callable(ocr_pipeline.restore_text); assert ocr_pipeline.Lexicon"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_profile_names_stop_before_a_common_phrase_and_after_a_dash(api) -> None:
    # a new user's award table, its cells run into one row of text, and a recipient item:
    # "Lý Thu Hằng Chuyên", "Phòng Tài", "Như Điều" were learned as names
    from ocr_pipeline.restore.profile import lm_joins, names

    rows = (
        "3 Lý Thu Hằng Chuyên viên Phòng Tài chính - Kế hoạch Giấy khen\n"
        "7 Hà Văn Lũy Công an viên xã Thạch Sơn Giấy khen\n"
        "- Như Điều 3;\n"
        "Ông Nguyễn Văn An làm việc tại xã Bảo Thanh, Tân Hội.\n"
    )
    assert names(rows, lm_joins()) == [
        "Thu Hằng", "Hà Văn Lũy", "Thạch Sơn", "Nguyễn Văn An", "Bảo Thanh", "Tân Hội",
    ]  # fmt: skip


def test_profile_learned_from_corrections(tmp_path, api) -> None:
    from ocr_pipeline.cli import main
    from ocr_pipeline.restore.profile import Profile, aligned_pairs, learn, names

    assert list(aligned_pairs("Pang uy xa Béo Thanh,", "Đảng ủy xã Bảo Thanh,")) == [
        ("pang", "đảng"),
        ("uy", "ủy"),
        ("xa", "xã"),
        ("béo", "bảo"),
        ("thanh", "thanh"),
    ]
    assert names("Các xã Bảo Thanh, Tân Hội. Ban hành") == ["Bảo Thanh", "Tân Hội"]
    truth = ACCENTED.replace("Hội nghị", "Hội nghị xã Bảo Thanh")
    ocr = truth.translate(_OCR)
    profile = learn(ocr, truth)
    assert profile.pairs[("nhén", "nhân")] >= 5
    assert "Bảo Thanh" in profile.lexicon
    assert "Bảo Thanh" in api.restore_text("ho dan xa Béo Thanh", profile=profile)
    with pytest.raises(ValueError, match="not line-aligned"):
        learn("a\nb", "a")
    # the command line: learn writes a profile that restore --profile reads back
    o, t, p = tmp_path / "o.txt", tmp_path / "t.txt", tmp_path / "archive.json"
    o.write_text(ocr, encoding="utf-8")
    t.write_text(truth, encoding="utf-8")
    assert main(["learn", "--ocr", str(o), "--truth", str(t), "-o", str(p)]) == 0
    assert Profile.load(p).pairs == profile.pairs
    out = tmp_path / "out.txt"
    (tmp_path / "in.txt").write_text("xa Béo Thanh\n", encoding="utf-8")
    assert main(["restore", str(tmp_path / "in.txt"), "--profile", str(p), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "xã Bảo Thanh\n"
    assert main(["restore", str(o), "--profile", str(o), "-o", str(out)]) == 1  # not JSON


def test_a_garbled_token_is_read_as_the_reviewer_corrected_it(api) -> None:
    """A whole-word misreading of the archive ("Tqxn" for "Tuấn") is not a character
    confusion the channel generalises: the profile's reading of that very token is
    proposed and preferred. Valid syllables ("dai": đại, dài, dải...) get no such reading."""
    from ocr_pipeline.restore.profile import READING_WEIGHT, learn

    profile = learn("ong Tqxn dai dien\n", "ông Tuấn đại diện\n")
    readings = profile.readings()
    assert readings["tqxn"] == {"tuấn": READING_WEIGHT / 2} and "dai" not in readings
    assert "Tuấn" in api.restore_text("ba Tqxn phat bieu", adapt=False, profile=profile)
    assert "Tuấn" in api.restore_text("ba Tqxn phat bieu", profile=profile)


def test_a_name_of_no_vietnamese_syllables_the_reviewer_wrote_is_kept(api) -> None:
    """A profile's name whose words are no Vietnamese syllables ("Ea Kly") has no reading
    to prefer: where the OCR capitalised those words they stay as the reviewer wrote them;
    the same letters in lower case are read as usual."""
    from ocr_pipeline.restore.profile import learn

    profile = learn("xa Ia Ly bao cao\n", "xã Ea Kly báo cáo\n")
    assert "Ea Kly" in profile.lexicon
    for adapt in (False, True):
        out = api.restore_text("Uy ban nhan dan xa Ea Kly bao cao", adapt=adapt, profile=profile)
        assert out == "Ủy ban nhân dân xã Ea Kly báo cáo"


def test_restore_cli_batch_adaptation(tmp_path) -> None:
    from ocr_pipeline.cli import main

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    lines = ACCENTED.translate(_OCR).splitlines(keepends=True)
    a.write_text("".join(lines[:5]), encoding="utf-8")
    b.write_text("".join(lines[5:]), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["restore", str(a), str(b), "--adapt", "batch", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.restored.txt", "b.restored.txt"]
    assert main(["restore", str(a), "-", "-o", str(out)]) == 1
    assert main(["restore", str(a), str(b), "-o", "-"]) == 1


def test_learn_from_a_reviewers_corrections_file(tmp_path, api) -> None:
    """The corrections file the diff page exports (A = the legacy OCR, B = our restoration,
    the reviewer's text) becomes a profile whose names the next restore keeps."""
    from test_diff_review import _corrections

    from ocr_pipeline.cli import main
    from ocr_pipeline.restore.profile import Profile

    ocr = "ho dan thon Lung Tre\nnhén dén xa Lung Tre\n"
    truth = {
        "ho dan thon Lung Tre": "hộ dân thôn Lựng Tre",
        "nhén dén xa Lung Tre": "nhân dân xã Lựng Tre",
    }
    edited = []

    def edit(change):
        edited.append(change)
        return "edit", truth[change["a"]]

    corrections = _corrections(tmp_path, edit, ocr, api.restore_text(ocr))
    assert edited
    profile_path = tmp_path / "archive.json"
    assert main(["learn", str(corrections), "-o", str(profile_path)]) == 0
    profile = Profile.load(profile_path)
    assert "Lựng Tre" in profile.lexicon and profile.pairs[("lung", "lựng")] == 2
    assert "Lựng Tre" in api.restore_text("khu Lung Tre cua xa", profile=profile)
    assert main(["learn", "-o", str(profile_path)]) == 1  # nothing to learn from


def test_restore_lines_cuts_by_token_when_lengths_change(api) -> None:
    lines = [
        "Ban chap hanh Dang bo tru'ong hoc phu'orng da hop.\n",
        "Nguoi dan phuong tham gia tich cuc.\n",
    ]
    out = list(api.restore_lines(lines))
    assert out[1].startswith("Người dân")  # "tru'ong" -> "trường" is a character shorter
    assert len(out) == 2 and all(line.endswith("\n") for line in out)


def test_lexicon_names_do_not_rewrite_common_words(api) -> None:
    src = "xa Béo Thanh da hoan thanh ké hoach, thanh phé Vinh"
    out = api.restore_text(src, lexicon=["Bảo Thanh"])
    assert out.startswith("xã Bảo Thanh") and "hoàn thành" in out and "thành phố" in out


def test_latin1_accents_alone_still_mean_accented_text(api) -> None:
    assert api.detect_channel("Bà con tôi có nhà ở xa.") == "vie"
    assert api.restore_text("Bà con tôi có nhà ở xa.") == "Bà con tôi có nhà ở xa."


def test_bad_profiles_and_api_misuse(tmp_path, api) -> None:
    import json

    from ocr_pipeline.cli import main
    from ocr_pipeline.restore.profile import Profile

    bad = tmp_path / "bad.json"
    for data in (
        {"schema": "ocr_pipeline/profile@1", "pairs": [["a", "á", -5]]},
        {"schema": "ocr_pipeline/profile@1", "pairs": [], "lexicon": "Bảo Thanh"},
        {"schema": "other"},
    ):
        bad.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ValueError):
            Profile.load(bad)
        src = tmp_path / "in.txt"
        src.write_text("xa\n", encoding="utf-8")
        assert main(["restore", str(src), "--profile", str(bad), "-o", "-"]) == 1
    with pytest.raises(TypeError):
        api.restore_lines("cong tac")  # one string, not lines: refused at once
    with pytest.raises(TypeError):
        api.adapt_decoder("cong tac")
    with pytest.raises(FileNotFoundError, match="list of strings"):
        api.restore_text("xa", lexicon="Bảo Thanh")


def test_learn_to_stdout_and_refuses_nothing_to_learn(tmp_path, capsys) -> None:
    from ocr_pipeline.cli import main

    o, t = tmp_path / "o.txt", tmp_path / "t.txt"
    o.write_text("nhén dén\n", encoding="utf-8")
    t.write_text("nhân dân\n", encoding="utf-8")
    assert main(["learn", "--ocr", str(o), "--truth", str(t), "-o", "-"]) == 0
    assert '"schema": "ocr_pipeline/profile@1"' in capsys.readouterr().out
    assert not (tmp_path / "-").exists()
    e = tmp_path / "empty.txt"
    e.write_text("", encoding="utf-8")
    assert main(["learn", "--ocr", str(e), "--truth", str(e), "-o", str(tmp_path / "p")]) == 2


def test_word_pairs_the_document_writes_plainly_are_remembered(api) -> None:
    from collections import Counter

    from ocr_pipeline.restore.adapt import pair_memory

    dec = api.get_decoder("eng")
    seen = Counter({"đầu": 6, "tư": 6, "vốn": 6})
    bonus = pair_memory(Counter({("đầu", "tư"): 5, ("vốn", "đầu"): 1}), seen, dec)
    assert bonus[("đầu", "tư")] > 0  # read confidently five times side by side
    assert ("vốn", "đầu") not in bonus  # once is not a habit of the document


def test_places_of_the_documents_own_province_are_preferred(api) -> None:
    from collections import Counter

    from ocr_pipeline.restore.adapt import document_province, local_places

    dec = api.get_decoder("eng")
    province = document_province(Counter({("quảng", "nam"): 3, ("hà", "nội"): 1}), dec)
    assert province == "Quảng Nam"
    places = local_places(province, dec)
    where = dec.dicts.place_provinces
    assert places and all("Quảng Nam" in where[p] for p in places)
    assert all(bonus > dec.dicts.place_pairs[p] for p, bonus in places.items())
    # two provinces named as often: no province of the document
    assert document_province(Counter({("quảng", "nam"): 3, ("hà", "nội"): 3}), dec) is None
    # a commune's name is not a province's: "Tân Hội" is in many provinces
    assert document_province(Counter({("quang", "trung"): 9}), dec) is None
    assert local_places(None, dec) == {}


def test_adaptation_records_and_uses_the_documents_province_and_pairs(api) -> None:
    # invented: a report that names its province after "tỉnh" (marks lost by the OCR)
    text = (ACCENTED + " Ủy ban nhân dân tỉnh Quảng Nam chỉ đạo. Tỉnh Quảng Nam hỗ trợ xã."
            " Sở của tỉnh Quảng Nam kiểm tra.\n") * 2  # fmt: skip
    res = api.restore(text.translate(_OCR), "eng")
    assert res.adaptation.province == "Quảng Nam"
    assert res.adaptation.word_pairs > 0
    # "Hồ Chí Minh" the man is no province: not after "tỉnh" or "thành phố"
    man = ACCENTED + " Đoàn Thanh niên Cộng sản Hồ Chí Minh và tư tưởng Hồ Chí Minh.\n"
    assert api.restore(man.translate(_OCR), "eng").adaptation.province is None


def test_learn_extends_a_profile_in_place(tmp_path, api) -> None:
    from ocr_pipeline.cli import main
    from ocr_pipeline.restore.profile import Profile

    o, t, p = tmp_path / "o.txt", tmp_path / "t.txt", tmp_path / "archive.json"
    o.write_text(ACCENTED.translate(_OCR), encoding="utf-8")
    t.write_text(ACCENTED, encoding="utf-8")
    assert main(["learn", "--ocr", str(o), "--truth", str(t), "-o", str(p)]) == 0
    first = Profile.load(p).pairs
    # -i and -o the same file: read whole, then written atomically with the new pairs (of
    # another document: the same one again is skipped, test_learn_inputs)
    o2, t2 = tmp_path / "o2.txt", tmp_path / "t2.txt"
    o2.write_text(f"{ACCENTED}\n{ACCENTED}".translate(_OCR), encoding="utf-8")
    t2.write_text(f"{ACCENTED}\n{ACCENTED}", encoding="utf-8")
    assert main(["learn", "--ocr", str(o2), "--truth", str(t2), "-i", str(p), "-o", str(p)]) == 0
    again = Profile.load(p).pairs
    assert again[("nhén", "nhân")] == 3 * first[("nhén", "nhân")]
