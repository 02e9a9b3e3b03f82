"""`run --profile`: an archive profile learned from corrections applies on the scan path.

End to end: a scan of an invented, unaccented line is run as an English-model OCR archive
would be; a name the restoration leaves as read ("Lung Tre") is corrected once in a
line-aligned pair, `learn` makes the profile, and `run --profile` restores the name in
every output (text, words table, ALTO) and records the profile in NAME.json.
"""

from __future__ import annotations

import json
import shutil

import pytest

from ocr_pipeline.cli import main
from ocr_pipeline.errors import ExitCode
from ocr_pipeline.synth import render_pages, save_pdf

pytestmark = [
    pytest.mark.needs_tesseract,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed"),
]

SCAN_TEXT = "Khu dan cu Lung Tre cua xa da hop."


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    path = tmp_path_factory.mktemp("profile") / "khu.pdf"
    pages = render_pages(SCAN_TEXT, dpi=200, page_size_mm=(160, 40),
                         margins_mm=(10, 10, 10, 10), font_size_pt=14)  # fmt: skip
    save_pdf([p.image for p in pages], path, dpi=200)
    return path


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("learn")
    (tmp / "ocr.txt").write_text("ho dan thon Lung Tre\nnhan dan xa Lung Tre\n", "utf-8")
    (tmp / "truth.txt").write_text("hộ dân thôn Lựng Tre\nnhân dân xã Lựng Tre\n", "utf-8")
    path = tmp / "archive.json"
    args = ["learn", "--ocr", str(tmp / "ocr.txt"), "--truth", str(tmp / "truth.txt")]
    assert main([*args, "-o", str(path)]) == 0
    return path


def _run(scan, out, *extra: str) -> int:
    return main(["run", str(scan), "-o", str(out), "--lang", "eng", "--dpi", "200",
                 "--jobs", "1", "-q", "--no-tables", "--output-type", "alto", *extra])  # fmt: skip


def test_run_profile_restores_the_corrected_name(scan, profile, tmp_path):
    plain, profiled = tmp_path / "plain", tmp_path / "profiled"
    assert _run(scan, plain) == 0
    assert "Lung Tre" in (plain / "khu.txt").read_text("utf-8")  # as OCR read it
    # no profile, no key: batches made before the option keep their options fingerprint
    assert "profile" not in json.loads((plain / "khu.json").read_text("utf-8"))["options"]
    assert _run(scan, profiled, "--profile", str(profile)) == 0
    text = (profiled / "khu.txt").read_text("utf-8")
    assert "Lựng Tre" in text
    rows = (profiled / "khu.words.tsv").read_text("utf-8").splitlines()
    header = rows[0].split("\t")
    words = [dict(zip(header, r.split("\t"), strict=True)) for r in rows[1:]]
    lung = next(w for w in words if w["ocr_text"] == "Lung")
    assert lung["text"] == "Lựng"
    assert 'CONTENT="Lựng"' in (profiled / "khu.alto.xml").read_text("utf-8")
    meta = json.loads((profiled / "khu.json").read_text("utf-8"))
    assert meta["options"]["profile"] == str(profile.resolve())


def test_run_profile_errors_are_one_line(scan, tmp_path, capsys):
    missing = tmp_path / "nope.json"
    assert _run(scan, tmp_path / "o1", "--profile", str(missing)) == ExitCode.bad_args
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err
    not_profile = tmp_path / "x.json"
    not_profile.write_text('{"schema": "other"}', "utf-8")
    assert _run(scan, tmp_path / "o2", "--profile", str(not_profile)) == ExitCode.bad_args
    assert "ocr-pipeline learn" in capsys.readouterr().err
    args = ["--profile", str(not_profile), "--no-restore"]
    assert _run(scan, tmp_path / "o3", *args) == ExitCode.bad_args
    assert "--no-restore" in capsys.readouterr().err
    assert not (tmp_path / "o1" / "khu.txt").exists()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_run_profile_reaches_table_cells(profile, tmp_path):
    """Table cells are restored by the tables stage on their own, with the same profile:
    the name corrected once is right in the table's CSV and in the text, as elsewhere."""
    from ocr_pipeline.synth_tables import SpecCell, TableSpec, render_table_pages

    spec = TableSpec(
        [SpecCell(0, 0, "STT"), SpecCell(0, 1, "Ho va ten"), SpecCell(0, 2, "Thon")],
        [["1", "Tran Van Can", "Lung Tre"], ["2", "Le Thi Hoa", "Lung Tre"],
         ["3", "Pham Van Binh", "Na Hang"]],
        [0.15, 0.45, 0.4], ["center", "left", "left"],
    )  # fmt: skip
    pages = render_table_pages(spec, dpi=200, page_size_mm=(150, 80),
                               margins_mm=(10, 10, 10, 10), font_size_pt=12)  # fmt: skip
    scan = tmp_path / "list.pdf"
    save_pdf([p.image for p in pages], scan, dpi=200)
    args = ["run", str(scan), "--lang", "eng", "--dpi", "200", "--jobs", "1", "-q"]
    assert main([*args, "-o", str(tmp_path / "plain")]) == 0
    assert "Lựng" not in (tmp_path / "plain" / "list.table-1.csv").read_text("utf-8")
    assert main([*args, "-o", str(tmp_path / "profiled"), "--profile", str(profile)]) == 0
    rows = (tmp_path / "profiled" / "list.table-1.csv").read_text("utf-8").splitlines()
    assert [r.split(",")[2] for r in rows[1:3]] == ["Lựng Tre", "Lựng Tre"]
    assert (tmp_path / "profiled" / "list.txt").read_text("utf-8").count("Lựng Tre") == 2


def test_a_profile_updated_in_place_is_not_taken_for_the_old_one(scan, profile, tmp_path, capsys):
    """`learn -i P -o P` rewrites the profile a batch was run with: the documents done with
    the old contents are told as done with other options, not silently kept as current."""
    own = tmp_path / "archive.json"
    own.write_bytes(profile.read_bytes())
    out = tmp_path / "out"
    assert _run(scan, out, "--profile", str(own)) == 0
    capsys.readouterr()
    assert _run(scan, out, "--profile", str(own)) == 0
    assert "other options" not in capsys.readouterr().err  # same contents: nothing to say
    data = json.loads(own.read_text("utf-8"))
    data["lexicon"] = [*data["lexicon"], "Bảo Thanh"]
    own.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert _run(scan, out, "--profile", str(own)) == 0
    assert "done earlier with other options" in capsys.readouterr().err


def test_run_lexicon_keeps_a_local_name(scan, tmp_path, capsys):
    """`run --lexicon`, as `restore --lexicon`: a name the restoration leaves as read is
    restored as the lexicon spells it on the scan path, its file is recorded in NAME.json,
    and a bad one is one line before anything is done (the new user's report: run had no
    --lexicon, so an archivist could not give a local name)."""
    lexicon = tmp_path / "names.txt"
    lexicon.write_text("# local places\nLựng Tre\n", "utf-8")
    out = tmp_path / "out"
    assert _run(scan, out, "--lexicon", str(lexicon)) == 0
    assert "Lựng Tre" in (out / "khu.txt").read_text("utf-8")
    assert 'CONTENT="Lựng"' in (out / "khu.alto.xml").read_text("utf-8")
    meta = json.loads((out / "khu.json").read_text("utf-8"))
    assert meta["options"]["lexicon"] == str(lexicon.resolve())
    capsys.readouterr()
    assert _run(scan, tmp_path / "o1", "--lexicon", str(tmp_path / "nope.txt")) == 1
    assert capsys.readouterr().err.count("\n") == 1 and not (tmp_path / "o1").exists()
    assert _run(scan, tmp_path / "o2", "--lexicon", str(lexicon), "--no-restore") == 1
