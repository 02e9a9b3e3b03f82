"""`learn` from what a reviewer has: corrections files whichever side of the diff was
the OCR, and OCR text with the blank lines raw Tesseract output keeps."""

from __future__ import annotations

from pathlib import Path

from ocr_pipeline.cli import main
from ocr_pipeline.restore.profile import Profile, learn

# invented lines: the truth, and an OCR that lost its marks
TRUTH = ["Xã Yên Thạnh họp dân", "Đội Cầu Mới sửa đường"]
PLAIN = ["Xa Yen Thanh hop dan", "Doi Cau Moi sua duong"]


def _learned(tmp_path: Path, *argv: str) -> Profile:
    out = tmp_path / "profile.json"
    assert main(["learn", *argv, "-o", str(out)]) == 0
    return Profile.load(out)


def test_blank_lines_of_raw_ocr_do_not_break_the_alignment(tmp_path):
    """Raw Tesseract text has a blank line after each line; a transcription has none."""
    raw = "\n\n".join(PLAIN) + "\n\n\f\n"
    profile = learn(raw, "\n".join(TRUTH) + "\n")
    assert profile.pairs[("yen", "yên")] == 1 and profile.pairs[("duong", "đường")] == 1
    ocr, truth = tmp_path / "ocr.txt", tmp_path / "truth.txt"
    ocr.write_text(raw, encoding="utf-8")
    truth.write_text("\n".join(TRUTH) + "\n", encoding="utf-8")
    assert _learned(tmp_path, "--ocr", str(ocr), "--truth", str(truth)).pairs == profile.pairs
