"""The reviewer's decisions (corrections@1) applied to B by `ocr-pipeline apply`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_pipeline.diff import compare_sides, load_side
from ocr_pipeline.diff.corrections import apply_corrections, load_corrections
from ocr_pipeline.diff.html import _review_data
from ocr_pipeline.errors import InputFileError

A = "Báo cáo tổng kết\nIII. Kết luận chung\n\nDòng giống nhau\nỦy ban xã\f Bến Mây\nCuối\n"
B = "Bao cao tong ket\nIH. Kết luận\nchung\n\nDòng giống nhau\fBen May\nCuoi\nthừa\n"


def _corrections(tmp_path: Path, choose, a_text: str = A, b_text: str = B) -> Path:
    """The corrections file the page would export for A and B (written to tmp_path),
    decided by `choose(change)` -> (decision, text)."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(a_text, encoding="utf-8")
    b.write_text(b_text, encoding="utf-8")
    review = _review_data(compare_sides(load_side(a), load_side(b)))
    decisions = []
    for c in review["changes"]:
        decision, text = choose(c)
        if decision:
            decisions.append({**c, "decision": decision, "text": text})
    path = tmp_path / "b.corrections.json"
    path.write_text(
        json.dumps(
            {
                "schema": "ocr_pipeline/corrections@1",
                "a": review["a"],
                "b": review["b"],
                "decisions": decisions,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def test_revert_everything_gives_a_back_line_for_line(tmp_path):
    path = _corrections(tmp_path, lambda c: ("revert", c["a"]))
    _, decisions = load_corrections(path)
    out = apply_corrections(decisions, tmp_path / "b.txt")
    # B's blank line, its form feed and line numbering are kept; the split line is joined,
    # the A-only line ("Ủy ban xã") inserted, B's extra line removed
    assert out == (
        "Báo cáo tổng kết\nIII. Kết luận chung\n\nDòng giống nhau\nỦy ban xã\fBến Mây\nCuối\n"
    )


def test_a_hand_edited_corrections_file_with_mistakes_is_refused(tmp_path):
    path = _corrections(tmp_path, lambda c: ("edit", c["a"]))
    good = json.loads(path.read_text(encoding="utf-8"))
    first = good["decisions"][0]
    for mistake, needle in (
        ({**first, "text": 12345}, "is malformed"),  # a number for the line's text
        ({**first, "text": "một dòng\nhai dòng"}, "line break"),
    ):
        path.write_text(json.dumps({**good, "decisions": [mistake]}), encoding="utf-8")
        with pytest.raises(InputFileError, match=needle):
            load_corrections(path)
    twice = {**good, "decisions": [first, {**first, "decision": "revert"}]}
    path.write_text(json.dumps(twice), encoding="utf-8")
    with pytest.raises(InputFileError, match="both decide change"):
        load_corrections(path)


def test_accept_keeps_b_and_edit_types_the_text(tmp_path):
    def choose(c):
        if c["b"] == "Ben May":
            return "edit", "Bến  Mây "  # spaces are cleaned like every compared line
        return ("accept", c["b"]) if c["b"] else (None, "")

    path = _corrections(tmp_path, choose)
    _, decisions = load_corrections(path)
    out = apply_corrections(decisions, tmp_path / "b.txt")
    assert out == B.replace("Ben May", "Bến Mây")


def test_b_changed_since_review_is_refused(tmp_path):
    path = _corrections(tmp_path, lambda c: ("revert", c["a"]))
    (tmp_path / "b.txt").write_text(B.replace("IH.", "II."), encoding="utf-8")
    _, decisions = load_corrections(path)
    with pytest.raises(InputFileError, match="changed since the review"):
        apply_corrections(decisions, tmp_path / "b.txt")


def test_alto_b_gives_its_corrected_text(tmp_path):
    data = Path(__file__).parent / "data" / "diff"
    ref = tmp_path / "ref.txt"
    ref.write_text(
        data.joinpath("expected.txt").read_text(encoding="utf-8").replace("Bến Mây", "Bến Mây mới"),
        encoding="utf-8",
    )
    report = compare_sides(load_side(ref), load_side(data / "kraken.alto3.xml"))
    review = _review_data(report)
    (change,) = review["changes"]
    corrections = tmp_path / "c.json"
    corrections.write_text(
        json.dumps(
            {
                "schema": "ocr_pipeline/corrections@1",
                "decisions": [{**change, "decision": "revert", "text": change["a"]}],
            }
        ),
        encoding="utf-8",
    )
    _, decisions = load_corrections(corrections)
    out = apply_corrections(decisions, data / "kraken.alto3.xml")
    assert out == ref.read_text(encoding="utf-8")  # pages: the form feed is kept


def _apply(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_pipeline", "apply", *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli(tmp_path):
    path = _corrections(tmp_path, lambda c: ("revert", c["a"]))
    b = tmp_path / "b.txt"
    before = b.read_bytes()
    out = tmp_path / "fixed.txt"
    proc = _apply(str(path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    # it said "N decision(s) applied to B" although B is untouched: what was written
    assert proc.stderr.endswith(f"written to {out} (b.txt itself unchanged)\n"), proc.stderr
    assert out.read_text(encoding="utf-8").startswith("Báo cáo tổng kết\nIII.")
    assert _apply(str(path)).stdout == out.read_text(encoding="utf-8")  # stdout by default
    refused = _apply(str(path), "-o", str(b))
    assert refused.returncode == 5 and "never overwritten" in refused.stderr
    assert b.read_bytes() == before
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "ocr_pipeline/diff@1"}')
    proc = _apply(str(bad))
    assert proc.returncode == 2 and "not a corrections file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_corrections_name_a_and_b_by_their_absolute_paths(tmp_path, monkeypatch):
    """A was recorded as given ("a.txt"): `apply` run elsewhere found another a.txt."""
    (tmp_path / "a.txt").write_text("Báo cáo\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Bao cao\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    review = _review_data(compare_sides(load_side("a.txt"), load_side("b.txt")))
    assert review["b"]["path"] == str(tmp_path.resolve() / "b.txt")  # apply works from anywhere
    assert review["a"]["path"] == str(tmp_path.resolve() / "a.txt")


def test_corrections_applied_before_are_recognised(tmp_path):
    """A second `apply --in-place` finds B already corrected and says so (exit 0,
    nothing written); B changed otherwise is still refused."""
    path = _corrections(tmp_path, lambda c: ("revert", c["a"]))
    b = tmp_path / "b.txt"
    assert _apply(str(path), "--in-place").returncode == 0
    applied = b.read_bytes()
    proc = _apply(str(path), "--in-place")
    assert proc.returncode == 0 and "already holds these" in proc.stderr, proc.stderr
    assert b.read_bytes() == applied
    b.write_text(applied.decode("utf-8").replace("Bến Mây", "Bến May"), encoding="utf-8")
    proc = _apply(str(path), "--in-place")
    assert proc.returncode == 2 and "changed since the review" in proc.stderr


def test_a_structure_tree_b_is_read_as_the_diff_cut_it(tmp_path, monkeypatch):
    """A structure tree keeps a paragraph as one line; diff cuts it at A's line breaks and
    the decision names the pieces. apply read B uncut and refused every such file
    ("changed since the review", the expected and found strings printed alike); both now
    read B through `reflow.as_compared`, A found where the corrections name it."""
    a_text = "1. Kế hoạch phòng ngừa bão lũ trên địa bàn\nxã miền núi.\nLưu hồ sơ.\n"
    tree = {
        "schema": "ocr_pipeline/document@1",
        "body": [
            {
                "kind": "section",
                "label": "1.",
                "title": None,
                "children": [
                    {
                        "kind": "paragraph",
                        "text": "Kế hoạch phòng ngừa bao lu trên địa bàn xã miền núi.",
                    }
                ],
            },
            {"kind": "paragraph", "text": "Lưu hồ sơ."},
        ],
    }
    (tmp_path / "a.txt").write_text(a_text, encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # A recorded as given: "a.txt"
    review = _review_data(compare_sides(load_side("a.txt"), load_side("b.json")))
    (change,) = review["changes"]
    assert change["b"] == "1. Kế hoạch phòng ngừa bao lu trên địa bàn"
    decisions = [{**change, "decision": "revert", "text": change["a"]}]
    folder = tmp_path / "review"
    folder.mkdir()
    path = folder / "b.corrections.json"
    path.write_text(
        json.dumps({"schema": "ocr_pipeline/corrections@1", "a": review["a"], "b": review["b"],
                    "decisions": decisions}, ensure_ascii=False),
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.chdir(folder)  # A is not here: found beside B
    proc = _apply(str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == a_text
    (tmp_path / "a.txt").rename(tmp_path / "gone.txt")
    proc = _apply(str(path))
    assert proc.returncode == 2 and "--a FILE" in proc.stderr, proc.stderr
    assert _apply(str(path), "--a", str(tmp_path / "gone.txt")).stdout == a_text


def test_the_changed_since_review_error_shows_where_the_lines_part():
    from ocr_pipeline.diff.corrections import Decision, _check

    start = "Khen thưởng ông Nguyễn Văn Théng, cán bộ địa chính xã có thành tích "
    reviewed = Decision(1, "revert", (3,), 2, start + "xuất sắc", "x")
    with pytest.raises(InputFileError) as err:
        _check(reviewed, start + "xuat sac", "b.txt")
    message = str(err.value)
    assert "'…" in message and "xuất sắc" in message and "xuat sac" in message
