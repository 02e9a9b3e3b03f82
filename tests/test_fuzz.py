"""Property-based fuzzing (hypothesis): the text commands over arbitrary Unicode and bytes,
and the raster loader over truncated and mutated sample files. Whatever the input: no
traceback (only our errors, each with a documented exit code), never exit 15, no hang.
Examples are bounded so the module runs in about a minute."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from hangs import fails_if_hangs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from restore_models import needs_models

from ocr_pipeline import cli, raster
from ocr_pipeline.errors import PipelineError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TEXT_CODES = {0, 2, 5}  # ok, unreadable input, output refused (documented, README)
FUZZ = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


# Unicode that looks like our inputs often enough to reach deep code: Vietnamese letters,
# digits, superscripts, list and heading marks, form feeds and blank lines, plus anything.
_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\f",
        " ",
        "1 ",
        "2. ",
        "I. ",
        "Điều 3. ",
        "a) ",
        "- ",
        "¹",
        "²³",
        "quy định2.",
        "CHƯƠNG II",
        "Nơi nhận:",
        "km2",
        "ngày 5/3/2024",
        "!",
        "?",
        "…",
        "\u0301",
        "Ð",
        "\t",
        "\r\n",
    ]
)
VIETNAMESE_ISH = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=400), VIETNAMESE_ISH)


def _run(*argv: str) -> int:
    with fails_if_hangs():
        return cli.main(list(argv))


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@FUZZ
@given(text=ANY_TEXT, fmt=st.sampled_from(["json", "md"]))
def test_structure_any_text(text, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        src = _write(Path(tmp), "in.txt", text)
        code = _run("structure", str(src), "-o", str(Path(tmp) / f"out.{fmt}"))
        assert code == 0


@FUZZ
@given(data=st.binary(max_size=300))
def test_text_commands_any_bytes(data):
    stderr = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stderr(stderr):
        src = _write(Path(tmp), "in.txt", data)
        other = _write(Path(tmp), "b.txt", "Báo cáo\n")
        for argv in (
            ("structure", str(src), "-o", str(Path(tmp) / "o.json")),
            ("diff", str(src), str(other)),
        ):
            assert _run(*argv) in TEXT_CODES
    err = stderr.getvalue()
    assert "Traceback" not in err
    for line in err.splitlines():
        assert line.startswith("ocr-pipeline: error: ")


@FUZZ
@given(a=ANY_TEXT, b=ANY_TEXT)
def test_diff_any_two_texts(a, b):
    with tempfile.TemporaryDirectory() as tmp:
        pa, pb = _write(Path(tmp), "a.txt", a), _write(Path(tmp), "b.txt", b)
        code = _run(
            "diff",
            str(pa),
            str(pb),
            "--json",
            str(Path(tmp) / "r.json"),
            "--html",
            str(Path(tmp) / "r.html"),
        )
        assert code in TEXT_CODES  # 2: diff calls text with control characters binary


@needs_models("confusion_eng.tsv", "confusion_vie.tsv")
@FUZZ
@given(
    text=ANY_TEXT, fmt=st.sampled_from(["text", "json"]), channel=st.sampled_from(["eng", "vie"])
)
def test_restore_any_text(text, fmt, channel):
    with tempfile.TemporaryDirectory() as tmp:
        src = _write(Path(tmp), "in.txt", text)
        out = Path(tmp) / "out"
        assert _run("restore", str(src), "-o", str(out), "--format", fmt, "--channel", channel) == 0
        if fmt == "text":  # restoration changes letters, never the layout
            assert (
                out.read_text(encoding="utf-8").count("\n")
                == text.replace("\r\n", "\n").count("\n")
                or "\r" in text
            )


# ------------------------------------------------------------------------- raster loader


def _three_frame_tiff() -> bytes:
    """The sample TIFF's page shrunk, three times over: a multi-page TIFF to cut."""
    from PIL import Image

    with Image.open(SAMPLES / "decision.tif") as im:
        page = im.convert("L").reduce(4)
    buf = io.BytesIO()
    page.info.pop("compression", None)
    page.save(
        buf,
        "TIFF",
        save_all=True,
        append_images=[page, page],
        dpi=(75, 75),
        compression="tiff_deflate",
    )
    return buf.getvalue()


def _mutations(sample: str, max_flips: int):
    data = _three_frame_tiff() if sample == "3 x decision.tif" else (SAMPLES / sample).read_bytes()
    cut = st.integers(min_value=0, max_value=len(data))
    flips = st.lists(
        st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=max_flips
    )

    def apply(args):
        end, changes = args
        out = bytearray(data[:end])
        for pos, value in changes:
            if pos < len(out):
                out[pos] = value
        return bytes(out)

    return st.tuples(cut, flips).map(apply)


def _load_everything(path: Path, dpi: int) -> None:
    """Count the pages and load each (a few at most); only our errors may come out."""
    try:
        with fails_if_hangs(200):
            total = raster.page_count(path)
            for number in range(1, min(total, 3) + 1):
                raster.load_page(path, number, dpi=dpi, max_pixels=20_000_000)
    except PipelineError as err:
        assert int(err.exit_code) != 15
        assert "\n" not in str(err)


@pytest.mark.skipif(not (SAMPLES / "decision.tif").is_file(), reason="no samples")
@settings(FUZZ, max_examples=150)
@given(data=_mutations("3 x decision.tif", 8))
def test_raster_mutated_tiff(data):
    with tempfile.TemporaryDirectory() as tmp:
        _load_everything(_write(Path(tmp), "x.tif", data), 100)


@pytest.mark.skipif(not (SAMPLES / "report_page1.png").is_file(), reason="no samples")
@settings(FUZZ, max_examples=15)
@given(data=_mutations("report_page1.png", 8))
def test_raster_mutated_png(data):
    with tempfile.TemporaryDirectory() as tmp:
        _load_everything(_write(Path(tmp), "x.png", data), 100)


@pytest.mark.skipif(not (SAMPLES / "report.pdf").is_file(), reason="no samples")
@settings(FUZZ, max_examples=12)
@given(data=_mutations("report.pdf", 4))
def test_raster_mutated_pdf(data):
    with tempfile.TemporaryDirectory() as tmp:
        _load_everything(_write(Path(tmp), "x.pdf", data), 30)
