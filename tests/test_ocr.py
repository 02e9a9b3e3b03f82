"""Tests for ocr_pipeline.ocr: words, boxes, confidences, dependency checks, timeouts."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from ocr_pipeline import ocr, tesseract
from ocr_pipeline.errors import MissingDependencyError, PageTimeoutError
from ocr_pipeline.model import BBox, Word

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
REAL_TESSERACT = shutil.which("tesseract")
LINES = [
    "Ủy ban nhân dân phường báo cáo kết quả",
    "công tác thi đua khen thưởng năm 2025.",
]

pytestmark = pytest.mark.needs_tesseract


def render(lines: list[str], size: tuple[int, int] = (1300, 260)) -> Image.Image:
    """Two lines of 40 px serif text (about 20 pt at 150 dpi) on a white page."""
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    for i, text in enumerate(lines):
        draw.text((40, 40 + 100 * i), text, font=font, fill=0)
    return img


def fake_tesseract(tmp_path: Path, body: str) -> Path:
    """An executable shell script standing in for tesseract."""
    script = tmp_path / "fake-tesseract"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.fixture
def clear_check_cache():
    tesseract._check_tesseract.cache_clear()
    yield
    tesseract._check_tesseract.cache_clear()


def test_check_tesseract_returns_version(clear_check_cache):
    version = tesseract.check_tesseract("vie")
    assert version[0].isdigit() and "." in version


def test_missing_binary_is_one_clear_error(monkeypatch, clear_check_cache):
    monkeypatch.setenv(tesseract.TESSERACT_ENV, "/nonexistent/tesseract")
    with pytest.raises(MissingDependencyError) as info:
        tesseract.check_tesseract("vie")
    msg = str(info.value)
    assert "tesseract not found" in msg and "apt-get install tesseract-ocr" in msg
    assert "\n" not in msg


def test_missing_binary_name_on_path(monkeypatch, clear_check_cache):
    monkeypatch.setenv(tesseract.TESSERACT_ENV, "no-such-tesseract-binary")
    with pytest.raises(MissingDependencyError, match="tesseract not found"):
        tesseract.check_tesseract("vie")


def test_missing_vie_model_names_the_package(tmp_path, monkeypatch, clear_check_cache):
    script = fake_tesseract(
        tmp_path,
        'case "$1" in\n'
        '  --version) echo "tesseract 5.3.0";;\n'
        '  --list-langs) echo "List of available languages in /x (2):"; echo eng; echo osd;;\n'
        "esac",
    )
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-vie"):
        tesseract.check_tesseract("vie")
    assert tesseract.check_tesseract("eng") == "5.3.0"
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-vie"):
        tesseract.check_tesseract("eng+vie")


def test_ocr_reads_vietnamese_words_with_boxes_and_confidences():
    img = render(LINES)
    lines = ocr.ocr_image(img, page_number=1, dpi=150, lang="vie", psm=3)
    assert len(lines) == 2
    for got, want in zip(lines, LINES, strict=True):
        # Clean 20 pt text: Tesseract should be nearly perfect, accents included.
        assert Levenshtein.normalized_distance(got.text, want) < 0.1, got.text
        assert got.text == unicodedata.normalize("NFC", got.text)
    assert lines[0].bbox.top < lines[1].bbox.top
    words = [w for line in lines for w in line.words]
    assert "thưởng" in [w.text for w in words]
    for line in lines:
        assert [w.bbox.left for w in line.words] == sorted(w.bbox.left for w in line.words)
        for w in line.words:
            assert w.text.strip() == w.text and w.text
            assert 0 <= w.bbox.left < w.bbox.right <= img.width
            assert 0 <= w.bbox.top < w.bbox.bottom <= img.height
            assert line.bbox.left <= w.bbox.left and w.bbox.right <= line.bbox.right
            assert 0 <= w.confidence <= 100
            assert w.ocr_text is None and w.restore_confidence is None
    assert sum(w.confidence for w in words) / len(words) > 80
    # First line spans about x = 40 .. 700 and y = 40 .. 90 as drawn.
    assert abs(lines[0].bbox.left - 40) <= 5 and 30 <= lines[0].bbox.top <= 55


def test_ocr_accepts_numpy_and_leaves_input_untouched():
    img = render(LINES[:1], size=(900, 130))
    arr = np.asarray(img).copy()
    lines = ocr.ocr_image(arr, page_number=3, dpi=150)
    assert len(lines) == 1 and "nhân dân" in lines[0].text
    assert np.array_equal(arr, np.asarray(img))
    rgb = img.convert("RGB")
    assert ocr.ocr_image(rgb, page_number=3, dpi=150)[0].text == lines[0].text
    assert rgb.format is None


def test_blank_page_gives_no_lines():
    assert ocr.ocr_image(Image.new("L", (400, 300), 255), page_number=1, dpi=150) == []


def test_tesseract_runs_with_omp_thread_limit_1(tmp_path, monkeypatch):
    record = tmp_path / "env.txt"
    script = fake_tesseract(
        tmp_path, f'echo "OMP=$OMP_THREAD_LIMIT" >> "{record}"\nexec "{REAL_TESSERACT}" "$@"'
    )
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")
    lines = ocr.ocr_image(render(LINES[:1], size=(900, 130)), page_number=1, dpi=150)
    assert lines
    assert record.read_text().splitlines()[-1] == "OMP=1"
    assert os.environ["OMP_THREAD_LIMIT"] == "8"  # set for tesseract only, not this process


def test_tesseract_reads_a_page_file_and_answers_on_stdout(tmp_path, monkeypatch):
    """`tesseract PAGE.pgm stdout ... tsv`: no output file to read back, the page removed."""
    args = tmp_path / "args.txt"
    script = fake_tesseract(tmp_path, f'echo "$@" >> "{args}"\nexec "{REAL_TESSERACT}" "$@"')
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    lines = ocr.ocr_image(np.asarray(render(LINES[:1], size=(900, 130))), page_number=1, dpi=150)
    assert lines and lines[0].words[0].confidence > 0
    page, out, *rest = args.read_text().split()
    assert page.endswith(".pgm") and out == "stdout" and rest[-1] == "tsv"
    assert not Path(page).exists()


def test_timeout_raises_page_timeout_error(tmp_path, monkeypatch):
    # A stand-in that answers --version but hangs on OCR: no dependence on real timing.
    script = fake_tesseract(
        tmp_path,
        f'if [ "$1" = "--version" ]; then exec "{REAL_TESSERACT}" --version; fi\nexec sleep 30',
    )
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    with pytest.raises(PageTimeoutError) as info:
        ocr.ocr_image(render(LINES[:1]), page_number=7, dpi=150, timeout=0.5)
    assert "page 7" in str(info.value) and "--page-timeout" in str(info.value)


def test_parse_tsv_groups_lines_drops_empty_words_and_normalises():
    header = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\t"
        "left\ttop\twidth\theight\tconf\ttext"
    )
    nfd = unicodedata.normalize("NFD", "Hòa")
    rows = [
        header,
        "1\t1\t0\t0\t0\t0\t0\t0\t500\t400\t-1\t",
        "4\t1\t1\t1\t1\t0\t10\t20\t200\t30\t-1\t",
        f"5\t1\t1\t1\t1\t1\t10\t20\t60\t30\t91.5\t{nfd}",
        "5\t1\t1\t1\t1\t2\t80\t20\t10\t30\t0\t ",
        "5\t1\t1\t1\t1\t3\t100\t22\t110\t28\t88.25\tbình",
        "5\t1\t2\t1\t1\t1\t10\t80\t50\t30\t70\t2025",
        "5\t1\t2\t1\t1\t2\t70\t80\t90\t30\t60\t112\u2044BC-UB",  # a fraction slash
        "5\t1\t2\t1\t1\t3\t170\t80\t90\t30\t60\tﬁ",  # a ligature
        "5\t1\t2\t1\t1\t4\t270\t80\t90\t30\t60\tQI.BVR.",  # an L read "I."
    ]
    lines = ocr.parse_tsv("\n".join(rows) + "\n")
    assert [w.text for w in lines[1].words] == ["2025", "112/BC-UB", "fi", "QLBVR."]
    assert [(ln.block, ln.paragraph, ln.line) for ln in lines] == [(1, 1, 1), (2, 1, 1)]
    first = lines[0]
    assert [w.text for w in first.words] == ["Hòa", "bình"]
    assert first.words[0].text == unicodedata.normalize("NFC", "Hòa")
    assert first.words[0].confidence == 91.5
    assert (first.bbox.left, first.bbox.top, first.bbox.right, first.bbox.bottom) == (
        10, 20, 210, 50,
    )  # fmt: skip
    assert lines[1].words[0].bbox.width == 50


def test_tesseract_failure_is_a_pipeline_error_naming_the_page(tmp_path, monkeypatch):
    # pytesseract's TesseractError is a RuntimeError: it must not be taken for a timeout
    # and re-raised raw (the page would then fail as "unexpected TesseractError").
    script = fake_tesseract(tmp_path, 'echo "Error: image is corrupt" >&2\nexit 1')
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    with pytest.raises(ocr.PipelineError) as info:
        ocr.ocr_image(render(LINES[:1]), page_number=3, dpi=150)
    assert type(info.value) is ocr.PipelineError
    assert "page 3" in str(info.value) and "image is corrupt" in str(info.value)


def _text_page() -> Image.Image:
    """A page with enough lines of text for Tesseract's orientation detection."""
    words = ("Ủy ban nhân dân xã báo cáo kết quả công tác thi đua khen thưởng năm 2025 "
             "và phương hướng nhiệm vụ trong thời gian tới của các thôn").split()  # fmt: skip
    lines = [" ".join(words[(i * 3) % 12 : (i * 3) % 12 + 9]) for i in range(14)]
    font = ImageFont.truetype(str(FONT), 34)
    img = Image.new("L", (1240, 1100), 255)
    draw = ImageDraw.Draw(img)
    for i, text in enumerate(lines):
        draw.text((60, 60 + 70 * i), text, font=font, fill=0)
    return img


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_detect_orientation_reports_the_content_turn(turn):
    page = _text_page().rotate(turn, expand=True, fillcolor=255)  # counter-clockwise
    found = ocr.detect_orientation(page, page_number=1, dpi=150)
    assert found.angle == turn
    assert found.confidence > 1.0


def test_detect_orientation_blank_page_is_upright_with_no_confidence():
    found = ocr.detect_orientation(Image.new("L", (600, 800), 255), page_number=1, dpi=150)
    assert found == ocr.Orientation(0, 0.0)


def test_page_pixels_are_written_from_the_callers_memory():
    """The PGM body is the page array itself (no copy of a 300-dpi page per call)."""
    page = np.full((40, 30), 255, np.uint8)
    header, body = tesseract._netpbm(page)
    assert header == b"P5\n30 40\n255\n" and np.shares_memory(body, page)
    header, body = tesseract._netpbm(np.zeros((5, 4, 3), np.uint8))
    assert header == b"P6\n4 5\n255\n" and body.shape == (5, 4, 3)


def test_tesseract_quitting_before_reading_the_page_is_its_own_error(tmp_path, monkeypatch):
    """A tesseract that exits without reading the page: its own message comes back."""
    script = fake_tesseract(tmp_path, 'echo "Failed loading language xyz" >&2\nexit 1')
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    with pytest.raises(tesseract.TesseractFailed, match="Failed loading language xyz"):
        tesseract.run_tsv(np.zeros((2000, 2000), np.uint8), lang="xyz", timeout=30,
                          page_number=1)  # fmt: skip


def test_a_child_process_trusts_its_parents_tesseract_check(tmp_path, monkeypatch,
                                                            clear_check_cache):  # fmt: skip
    """Page workers do not start tesseract twice each to ask what the parent already asked."""
    calls = tmp_path / "calls.txt"
    script = fake_tesseract(tmp_path, f'echo "$1" >> "{calls}"\nexec "{REAL_TESSERACT}" "$@"')
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    monkeypatch.delenv(tesseract.CHECKED_ENV, raising=False)
    version = tesseract.check_tesseract("vie")
    assert calls.read_text().split() == ["--version", "--list-langs"]
    child = subprocess.run(
        [sys.executable, "-c", "from ocr_pipeline import tesseract as t; "
         "print(t.check_tesseract('vie'), t.has_language('eng'), t.has_language('xx_no'))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert child.stdout.split() == [version, str(tesseract.has_language("eng")), "False"]
    assert calls.read_text().split() == ["--version", "--list-langs"]  # no new runs


in_process = pytest.mark.skipif(
    tesseract._load_library() is None, reason=f"{tesseract.LIBRARY} cannot be loaded here"
)


def _digit_strip() -> np.ndarray:
    """Three digits in a row, as the footnote-marker pass lays out its candidates."""
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (420, 110), 255)
    ImageDraw.Draw(img).text((40, 30), "1    23    4", font=font, fill=0)
    return np.asarray(img)


@in_process
def test_pages_are_read_in_process_with_the_programs_exact_word_table(monkeypatch):
    """The library's TSV is the program's, byte for byte: words, boxes, confidences, the
    header row; with the page's `--psm`/`--dpi` and with the marker pass's `-c` variable."""
    page = np.asarray(render(LINES))
    calls = [("vie", ("--psm", "3", "--dpi", "150"), page),
             ("eng", ("--psm", "7", "-c", "tessedit_char_whitelist=0123456789"), _digit_strip()),
             ("vie", ("--psm", "6", "--dpi", "150"), page)]  # fmt: skip
    assert tesseract.interface().startswith("libtesseract 5")
    library = [tesseract.run_tsv(img, lang=lang, args=args, timeout=60, page_number=1)
               for lang, args, img in calls]  # fmt: skip
    monkeypatch.setenv(tesseract.TESSERACT_ENV, REAL_TESSERACT)
    assert tesseract.interface() == f"tesseract program ({REAL_TESSERACT})"
    program = [tesseract.run_tsv(img, lang=lang, args=args, timeout=60, page_number=1)
               for lang, args, img in calls]  # fmt: skip
    assert library == program
    assert "thưởng" in library[0] and library[1].rstrip().split("\t")[-1].isdigit()


@in_process
def test_in_process_variables_stay_with_their_call():
    """The marker pass's digits-only setting does not leak into a page read after it."""
    strip_args = ("--psm", "7", "-c", "tessedit_char_whitelist=0123456789")
    tesseract.run_tsv(_digit_strip(), lang="eng", args=strip_args, timeout=60, page_number=1)
    lines = ocr.ocr_image(render(["Report of the year 2025"], size=(900, 130)), page_number=1,
                          dpi=150, lang="eng")  # fmt: skip
    assert lines and lines[0].text.startswith("Report")


@in_process
def test_in_process_reading_prints_nothing(capfd):
    """Tesseract's own messages ("Estimating resolution as ...": a page given without its
    dpi) went to the program's stderr, read only on failure; in-process they are silenced."""
    tesseract.run_tsv(_digit_strip(), lang="eng", args=("--psm", "7"), timeout=60,
                      page_number=1)  # fmt: skip
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-xyz"):
        ocr.ocr_image(render(LINES[:1]), page_number=1, dpi=150, lang="xyz")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


@in_process
def test_in_process_page_past_its_time_is_a_page_timeout():
    """Tesseract's own deadline stops an in-process page (no program to kill)."""
    with pytest.raises(PageTimeoutError) as info:
        ocr.ocr_image(render(LINES), page_number=7, dpi=150, timeout=0.001)
    assert "page 7" in str(info.value) and "--page-timeout" in str(info.value)
    assert ocr.ocr_image(render(LINES), page_number=7, dpi=150, timeout=60)  # still usable


@in_process
def test_pages_read_on_threads_at_once_each_with_a_tesseract_of_its_own():
    """Two threads read at the same time (each with its own TessBaseAPI: one is not
    thread-safe) and read what one thread alone reads; the APIs are kept for the next
    threads, not one made per thread that ever ran."""
    import threading

    library = tesseract._load_library()
    assert library is not None
    page = np.asarray(render(LINES))
    alone = tesseract.run_tsv(page, lang="vie", args=("--psm", "6", "--dpi", "150"),
                              timeout=60, page_number=1)  # fmt: skip
    recognize = library.lib.TessBaseAPIRecognize
    both_inside = threading.Barrier(2, timeout=60)  # broken unless both calls overlap
    handles: set[int] = set()

    def meeting(handle, monitor):
        handles.add(handle)
        both_inside.wait()
        return recognize(handle, monitor)

    library.lib.TessBaseAPIRecognize = meeting
    read: list[str] = []
    try:
        for _ in range(2):  # a second pair of threads reuses the first pair's APIs
            both_inside.reset()
            threads = [
                threading.Thread(target=lambda: read.append(tesseract.run_tsv(
                    page, lang="vie", args=("--psm", "6", "--dpi", "150"), timeout=60,
                    page_number=1)))
                for _ in range(2)
            ]  # fmt: skip
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        library.lib.TessBaseAPIRecognize = recognize
    assert read == [alone] * 4
    assert len(handles) == 2


@in_process
def test_models_loaded_ahead_for_pages_read_at_once_are_not_loaded_again():
    """A document worker loads an API for each page it reads at once before the pages'
    time starts counting: the pages then make none, and asking again loads nothing."""
    import threading

    library = tesseract._load_library()
    assert library is not None
    args = ("--psm", "7", "-c", "tessedit_char_whitelist=0123456789")
    tesseract.preload("eng", args, count=2)
    made: list[int] = []
    new_api = library._new_api

    def counted(*key):
        made.append(1)
        return new_api(*key)

    library._new_api = counted
    try:
        tesseract.preload("eng", args, count=2)
        threads = [
            threading.Thread(target=tesseract.run_tsv, args=(_digit_strip(),),
                             kwargs={"lang": "eng", "args": args, "timeout": 60,
                                     "page_number": 1})
            for _ in range(2)
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        library._new_api = new_api
    assert made == []


def test_a_word_box_reaching_over_the_next_word_ends_before_it():
    """Tesseract's box for "NHÂN" ran over "DÂN" (489-773 px against 663-773): the PDF
    layer drawn in it made viewers read "NHÂNDÂN". It now ends where "DÂN" begins, less the
    line's usual gap between words; boxes that do not overlap are kept as they are."""
    words = [
        ocr.Word("ỦY", ocr.BBox(271, 242, 339, 290), 95.0),
        ocr.Word("BAN", ocr.BBox(371, 253, 471, 289), 96.0),
        ocr.Word("NHÂN", ocr.BBox(489, 242, 773, 289), 96.0),
        ocr.Word("DÂN", ocr.BBox(663, 238, 773, 304), 96.0),
    ]
    kept = ocr.apart(words)
    assert [w.bbox for w in kept[:2]] == [w.bbox for w in words[:2]] and kept[3] is words[3]
    nhan = kept[2].bbox
    assert (nhan.left, nhan.top, nhan.bottom) == (489, 242, 289)
    assert nhan.right == 663 - 18  # the lower median gap: 18 (BAN-NHÂN), 32 (ỦY-BAN)
    assert ocr.apart(words[:2]) == words[:2]
    # italic "nhận:" ending 3 px inside the next word's box keeps its ink
    italic = [ocr.Word("nhận:", ocr.BBox(192, 10, 300, 40), 90.0),
              ocr.Word("TM.", ocr.BBox(297, 10, 350, 40), 90.0)]  # fmt: skip
    assert ocr.apart(italic) == italic


def test_a_later_run_reuses_the_check_until_the_installation_changes(tmp_path, monkeypatch,
                                                                    clear_check_cache):  # fmt: skip
    """`--version` and `--list-langs` are asked once per installation, not once per run:
    the answer is kept in the cache folder until the binary or its model folder changes."""
    models, calls = tmp_path / "tessdata", tmp_path / "calls.txt"
    models.mkdir()
    (models / "vie.traineddata").write_bytes(b"")
    script = fake_tesseract(
        tmp_path,
        f'echo "$1" >> "{calls}"\n'
        'case "$1" in\n'
        '  --version) echo "tesseract 5.3.0";;\n'
        f"  --list-langs) echo 'List of available languages in \"{models}/\" (9):';"
        f' ls "{models}" | sed "s/.traineddata//";;\n'
        "esac",
    )
    monkeypatch.setenv(tesseract.TESSERACT_ENV, str(script))
    monkeypatch.setenv("OCR_PIPELINE_CACHE_DIR", str(tmp_path / "cache"))

    def check(lang: str) -> str:  # as a new run would: nothing remembered in the process
        tesseract._check_tesseract.cache_clear()
        monkeypatch.delenv(tesseract.CHECKED_ENV, raising=False)
        return tesseract.check_tesseract(lang)

    assert check("vie") == "5.3.0"
    assert calls.read_text().split() == ["--version", "--list-langs"]
    assert check("vie") == "5.3.0"
    assert calls.read_text().split() == ["--version", "--list-langs"]  # no new runs
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-eng"):
        check("eng")
    (models / "eng.traineddata").write_bytes(b"")  # a model installed: asked again
    assert check("vie+eng") == "5.3.0"
    assert calls.read_text().split() == ["--version", "--list-langs"] * 2
    script.write_text(script.read_text().replace("5.3.0", "5.4.1"))  # tesseract upgraded
    assert check("vie") == "5.4.1"
    assert calls.read_text().split() == ["--version", "--list-langs"] * 3
    (tmp_path / "cache" / tesseract.SAVED_CHECKS).write_text("{not json")  # damaged: ignored
    assert check("vie") == "5.4.1"
    assert calls.read_text().split() == ["--version", "--list-langs"] * 4
    assert check("vie") == "5.4.1"
    assert len(calls.read_text().split()) == 8


def test_an_unwritable_cache_folder_only_costs_the_check(tmp_path, monkeypatch,
                                                         clear_check_cache):  # fmt: skip
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("OCR_PIPELINE_CACHE_DIR", str(blocker / "sub"))
    monkeypatch.delenv(tesseract.CHECKED_ENV, raising=False)
    assert tesseract.check_tesseract("vie")[0].isdigit()
    assert [p.name for p in tmp_path.iterdir()] == ["file"] and blocker.read_text() == ""


def test_no_home_folder_only_costs_the_check(monkeypatch, clear_check_cache):
    for name in ("OCR_PIPELINE_CACHE_DIR", "XDG_CACHE_HOME", "HOME", tesseract.CHECKED_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(
        RuntimeError("Could not determine home directory."))))  # fmt: skip
    assert tesseract.check_tesseract("vie")[0].isdigit()


def test_a_recognition_ended_by_its_deadline_is_a_time_out_not_a_failure() -> None:
    """Tesseract's monitor ends a recognition at its deadline with status -1, a moment
    before our clock reaches the limit: that was reported "recognition failed" (a new
    user's page), where it is the page's time running out."""
    from ocr_pipeline.tesseract import DEADLINE_SLACK, ran_out

    assert ran_out(9.95, 10.0, -1) and ran_out(10.0, 10.0, 0)
    assert not ran_out(9.95, 10.0, 0)  # done in time
    assert not ran_out(10.0 * DEADLINE_SLACK - 1.0, 10.0, -1)  # the engine's own failure
    assert not ran_out(50.0, None, -1) and not ran_out(50.0, 0.0, 0)  # no limit


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Công.ty", ["Công", "ty"]),  # a speck between two words, read as a period
        ("điều.tra,", ["điều", "tra,"]),
        ("TRỌNG.TÂM", ["TRỌNG", "TÂM"]),
        ("xong.Sau", ["xong.Sau"]),  # a sentence after a period opens with a capital
        ("TP.HCM", ["TP.HCM"]),  # an abbreviation
        ("gas.trong", ["gas.trong"]),  # not two syllables
        ("hue.gov", ["hue.gov"]),
        ("VI.KIẾN", ["VI.KIẾN"]),  # a roman label typed against its title
        ("XI.KẾT", ["XI.KẾT"]),
        ("HỘI.nông", ["HỘI", "nông"]),
    ],
)
def test_two_words_a_speck_glued_together_are_two(text: str, want: list[str]) -> None:
    words = ocr.unspecked(Word(text=text, bbox=BBox(100, 10, 200, 40), confidence=90.0))
    assert [w.text for w in words] == want
    if len(words) == 2:  # each its share of the box, the speck's place between them
        assert words[0].bbox.left == 100 and words[1].bbox.right == 200
        assert words[0].bbox.right < words[1].bbox.left


def _tsv(rows: list[tuple[int, int, int, str]]) -> str:
    """Tesseract TSV of one word per (block, left, top, text), each a line of its own."""
    header = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\t"
        "left\ttop\twidth\theight\tconf\ttext"
    )
    body = [f"5\t1\t{b}\t1\t1\t1\t{x}\t{y}\t100\t30\t90\t{t}" for b, x, y, t in rows]
    return "\n".join([header, *body]) + "\n"


def test_a_block_printed_above_every_block_read_before_it_comes_first():
    # the page's first row found last (a dusty copy), then a header's two columns side by
    # side, each kept where Tesseract read it
    lines = ocr.parse_tsv(
        _tsv(
            [
                (1, 50, 300, "QUYẾT"),
                (2, 50, 400, "Điều"),
                (3, 50, 100, "CÔNG"),
                (4, 600, 100, "CỘNG"),
            ]
        )  # fmt: skip
    )
    assert [ln.words[0].text for ln in lines] == ["CÔNG", "CỘNG", "QUYẾT", "Điều"]
    side_by_side = ocr.parse_tsv(_tsv([(1, 600, 100, "CỘNG"), (2, 50, 100, "CÔNG")]))
    assert [ln.words[0].text for ln in side_by_side] == ["CỘNG", "CÔNG"]
