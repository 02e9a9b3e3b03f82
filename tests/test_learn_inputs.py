"""`learn` from what a reviewer has: corrections files whichever side of the diff was
the OCR, and OCR text with the blank lines raw Tesseract output keeps."""

from __future__ import annotations

import json
from pathlib import Path

from ocr_pipeline.cli import main
from ocr_pipeline.diff.ocr_side import marks, ocr_side
from ocr_pipeline.restore.profile import Profile, learn

# invented lines: the truth, and an OCR that lost its marks
TRUTH = ["Xã Yên Thạnh họp dân", "Đội Cầu Mới sửa đường"]
PLAIN = ["Xa Yen Thanh hop dan", "Doi Cau Moi sua duong"]


def _corrections(tmp_path: Path, a: list[str], b: list[str], decision: str,
                 kinds: tuple[str, str] = ("text", "text")) -> Path:  # fmt: skip
    decisions = []
    for i, (line_a, line_b) in enumerate(zip(a, b, strict=True), start=1):
        text = line_a if decision == "revert" else line_b
        decisions.append({"diff": i, "decision": decision, "a_lines": [i], "b_lines": [i],
                          "after_b": i - 1, "a": line_a, "b": line_b, "text": text})  # fmt: skip
    path = tmp_path / f"{decision}-{kinds[0]}-{kinds[1]}.corrections.json"
    head = {"schema": "ocr_pipeline/corrections@1", "a": {"path": "a", "kind": kinds[0]},
            "b": {"path": "b", "kind": kinds[1]}, "decisions": decisions}  # fmt: skip
    path.write_text(json.dumps(head, ensure_ascii=False), encoding="utf-8")
    return path


def _learned(tmp_path: Path, *argv: str) -> Profile:
    out = tmp_path / "profile.json"
    assert main(["learn", *argv, "-o", str(out)]) == 0
    return Profile.load(out)


def test_ground_truth_in_a_teaches_ocr_b_to_truth(tmp_path, capsys):
    """`diff GT.txt OCR.txt` (the README's review): A is the truth; the pairs are
    (B's word, the truth), never reversed ("yên" read as "yen")."""
    path = _corrections(tmp_path, TRUTH, PLAIN, "revert")
    profile = _learned(tmp_path, str(path))
    assert profile.pairs[("yen", "yên")] == 1 and profile.pairs[("doi", "đội")] == 1
    assert not any(ocr != syl and ocr == "yên" for ocr, syl in profile.pairs)
    err = capsys.readouterr().err
    assert "the OCR is B" in err
    assert err.startswith("ocr-pipeline: ") and "learn:" not in err  # the command's own prefix


def test_legacy_ocr_in_a_teaches_a_to_truth(tmp_path, capsys):
    """`diff OLD_OCR.txt restored.txt`: A is the OCR, B has the marks."""
    path = _corrections(tmp_path, PLAIN, TRUTH, "accept")
    assert _learned(tmp_path, str(path)).pairs[("yen", "yên")] == 1
    assert "the OCR is A" in capsys.readouterr().err


def test_kinds_decide_when_the_marks_do_not(tmp_path):
    marked_ocr = ["Xã Yên Thạnh họp dán", "Đội Cầu Mới sửa đưòng"]  # as many marks
    head = {"a": {"kind": "text"}, "b": {"kind": "alto"}, "decisions": []}
    assert ocr_side(head).side == "b"
    assert ocr_side({**head, "b": {"kind": "restore-json"}}).side == "a"
    assert ocr_side({**head, "a": {"kind": "hocr"}, "b": {"kind": "text"}}).side == "a"
    path = _corrections(tmp_path, TRUTH, marked_ocr, "revert", ("text", "alto"))
    assert _learned(tmp_path, str(path)).pairs[("dán", "dân")] == 1
    assert marks("Đội") == 3 and marks("Doi") == 0  # đ, circumflex, dot below


def test_undecidable_side_asks_for_ocr_side(tmp_path, capsys):
    path = _corrections(tmp_path, ["họp dân"], ["họp dán"], "edit")
    assert ocr_side(json.loads(path.read_text(encoding="utf-8"))).side == "a"  # text = B
    data = json.loads(path.read_text(encoding="utf-8"))
    data["decisions"][0]["text"] = "họp dan"  # as near to A as to B, as many marks
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["learn", str(path), "-o", str(tmp_path / "p.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--ocr-side" in err and not (tmp_path / "p.json").exists()
    profile = _learned(tmp_path, str(path), "--ocr-side", "b")
    assert profile.pairs[("dán", "dan")] == 1 and ("dân", "dan") not in profile.pairs


def test_blank_lines_of_raw_ocr_do_not_break_the_alignment(tmp_path):
    """Raw Tesseract text has a blank line after each line; a transcription has none."""
    raw = "\n\n".join(PLAIN) + "\n\n\f\n"
    profile = learn(raw, "\n".join(TRUTH) + "\n")
    assert profile.pairs[("yen", "yên")] == 1 and profile.pairs[("duong", "đường")] == 1
    ocr, truth = tmp_path / "ocr.txt", tmp_path / "truth.txt"
    ocr.write_text(raw, encoding="utf-8")
    truth.write_text("\n".join(TRUTH) + "\n", encoding="utf-8")
    assert _learned(tmp_path, "--ocr", str(ocr), "--truth", str(truth)).pairs == profile.pairs


def test_a_words_table_side_teaches_what_the_engine_read(tmp_path, capsys):
    """`diff GT.txt NAME.words.tsv`: the page shows the restored words, but the profile
    pairs what Tesseract read (the table's ocr_text) with the truth: the channel learns the
    engine's confusions, not the restoration's slips."""
    head = (
        "page\tblock\tpar\tline\tword\tleft\ttop\twidth\theight\tconf\ttext\tocr_text\trestore_conf"
    )
    rows = [("Xã", "Xa"), ("Yên", "Yen"), ("Thành", "Thanh"), ("họp", "hop"), ("dân", "dan")]
    table = [head] + [f"1\t1\t1\t1\t{i}\t{10 * i}\t5\t9\t9\t95\t{t}\t{o}\t0.9"
                      for i, (t, o) in enumerate(rows, start=1)]  # fmt: skip
    tsv = tmp_path / "doc.words.tsv"
    tsv.write_text("\n".join(table) + "\n", encoding="utf-8")
    shown, truth = "Xã Yên Thành họp dân", "Xã Yên Thạnh họp dân"
    decision = {"diff": 1, "decision": "revert", "a_lines": [1], "b_lines": [1],
                "after_b": 0, "a": truth, "b": shown, "text": truth}  # fmt: skip
    corr = tmp_path / "doc.corrections.json"
    data = {"schema": "ocr_pipeline/corrections@1", "a": {"path": "gt.txt", "kind": "text"},
            "b": {"path": str(tsv), "kind": "words-tsv"}, "decisions": [decision]}  # fmt: skip
    corr.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    profile = _learned(tmp_path, str(corr))
    assert profile.pairs[("thanh", "thạnh")] == 1 and profile.pairs[("yen", "yên")] == 1
    assert ("thành", "thạnh") not in profile.pairs  # the restoration's slip is not learned
    err = capsys.readouterr().err
    assert "5 OCR words paired with their correction (5 changed), 1 name: Yên Thạnh" in err
    # the table changed since the review (the line differs): learned as shown, not guessed
    tsv.write_text("\n".join(table).replace("họp", "hợp") + "\n", encoding="utf-8")
    assert _learned(tmp_path, str(corr)).pairs[("thành", "thạnh")] == 1
    tsv.unlink()  # gone: learned as shown, and said
    assert _learned(tmp_path, str(corr)).pairs[("thành", "thạnh")] == 1
    assert "as the OCR engine read them" in capsys.readouterr().err


def test_names_at_the_start_of_a_wrapped_line_are_whole():
    from ocr_pipeline.restore.profile import names

    text = "Ông Đàm Văn Lực,\nPhó Chủ tịch xã\nTân Đông Hòa, ngày 3 tháng 5\n\nKhuất Văn Sáu đã về."
    found = names(text)
    assert "Đàm Văn Lực" in found and "Tân Đông Hòa" in found  # wrapped line, no sentence end
    assert "Khuất Văn Sáu" not in found and "Văn Sáu" in found  # a paragraph opens with it
    # a heading ends the sentence before it: the line under it opens one (the review)
    under = names("Điều 3. Tổ chức thực hiện\nChánh Văn phòng UBND xã\nII. NHIỆM VỤ\nBan Chấp hành")
    assert under == []
    assert names("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLê Văn Tám") == ["Lê Văn Tám"]  # the signer


def test_a_footnote_body_opens_a_sentence_after_its_number():
    from ocr_pipeline.restore.profile import names

    found = names("1 Theo Kế hoạch số 12 của xã Bến Mây.\n² Theo Quyết định của huyện Tây Sơn.")
    assert "Theo Kế" not in found and "Theo Quyết" not in found
    assert "Bến Mây" in found and "Tây Sơn" in found
    # a number opening a line that goes on a sentence is no word either: the name is whole
    assert names("Ông Nguyễn Văn An đề nghị\n12 Trần Thị Bình cùng ký") == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]


def test_learning_the_same_evidence_again_does_not_count_it_twice(tmp_path, capsys):
    path = _corrections(tmp_path, TRUTH, PLAIN, "revert")
    out = tmp_path / "archive.json"
    assert main(["learn", str(path), "-o", str(out)]) == 0
    once = Profile.load(out)
    assert main(["learn", str(path), "-i", str(out), "-o", str(out)]) == 0
    assert Profile.load(out).pairs == once.pairs
    assert "already learned into this profile; skipped" in capsys.readouterr().err
    # the same lines given as an OCR text and its truth are the same evidence, saved with
    # CRLF line ends and blank lines too
    ocr, truth = tmp_path / "ocr.txt", tmp_path / "truth.txt"
    ocr.write_bytes("\r\n\r\n".join(PLAIN).encode("utf-8") + b"\r\n")
    truth.write_text("\n".join(TRUTH) + "\n", encoding="utf-8")
    assert main(["learn", "--ocr", str(ocr), "--truth", str(truth), "-i", str(out),
                 "-o", str(out)]) == 0  # fmt: skip
    assert Profile.load(out).pairs == once.pairs
    # new evidence still adds up, and a profile written before sources were kept loads
    other = _corrections(tmp_path, ["Xã Cầu Mới họp"], ["Xa Cau Moi hop"], "revert")
    assert main(["learn", str(other), "-i", str(out), "-o", str(out)]) == 0
    assert Profile.load(out).pairs[("cau", "cầu")] == once.pairs[("cau", "cầu")] + 1
    old = json.loads(out.read_text(encoding="utf-8"))
    del old["sources"]
    assert Profile.from_dict(old).pairs == Profile.load(out).pairs


def test_an_ocr_and_truth_given_the_other_way_round_are_refused(tmp_path, capsys):
    ocr = tmp_path / "ocr.txt"
    truth = tmp_path / "truth.txt"
    ocr.write_text("Uy ban nhan dan xa Tan Phu bao cao ket qua cong tac nam\n" * 3,
                   encoding="utf-8")  # fmt: skip
    truth.write_text("Ủy ban nhân dân xã Tân Phú báo cáo kết quả công tác năm\n" * 3,
                     encoding="utf-8")  # fmt: skip
    out = tmp_path / "p.json"
    assert main(["learn", "--ocr", str(truth), "--truth", str(ocr), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "are the two swapped?" in err and err.count("\n") == 1 and not out.exists()
    assert main(["learn", "--ocr", str(ocr), "--truth", str(truth), "-o", str(out)]) == 0
