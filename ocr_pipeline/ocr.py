"""OCR stage: Tesseract (`vie`) via pytesseract `image_to_data` -> words, boxes, confidences.

`ocr_image` turns one preprocessed page image into `model.Line`s of `model.Word`s, keeping
Tesseract's block / paragraph / line ids and its 0-100 word confidence. Text is NFC and
empty words are dropped. Nothing here corrects text; that is the restore stage's job.

Tesseract always runs with `OMP_THREAD_LIMIT=1`: its OpenMP threads make a page several
times slower when pages already run in parallel processes. The binary can be overridden
with the environment variable `OCR_PIPELINE_TESSERACT` (a path or a command name).

Tesseract gets `--dpi` (the temp image carries no resolution) and `--psm`; we do not set
`preserve_interword_spaces`: the TSV has one row per word, and a line's text is its words
joined by single spaces, so Tesseract's spacing never reaches the output.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pytesseract
from PIL import Image

from ocr_pipeline.errors import MissingDependencyError, PageTimeoutError, PipelineError
from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.superscripts import add_superscripts

log = logging.getLogger(__name__)

TESSERACT_ENV = "OCR_PIPELINE_TESSERACT"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
_WORD_LEVEL = 5
_TSV_COLUMNS = (
    "level", "page_num", "block_num", "par_num", "line_num", "word_num",
    "left", "top", "width", "height", "conf", "text",
)  # fmt: skip


def tesseract_command() -> str:
    """The tesseract binary to run: `$OCR_PIPELINE_TESSERACT` or `tesseract` on PATH."""
    return os.environ.get(TESSERACT_ENV) or "tesseract"


def _limit_threads() -> None:
    # pytesseract passes os.environ to the tesseract subprocess.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _run_tesseract_info(cmd: str, arg: str) -> str:
    try:
        proc = subprocess.run(
            [cmd, arg], capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )  # fmt: skip
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        raise MissingDependencyError(
            f"tesseract not found ({cmd}); install it: {INSTALL_HINT}"
        ) from None
    except (OSError, subprocess.TimeoutExpired) as err:
        raise MissingDependencyError(
            f"tesseract ({cmd}) cannot be run: {err}; reinstall it: {INSTALL_HINT}"
        ) from None
    if proc.returncode != 0:
        raise MissingDependencyError(
            f"tesseract ({cmd} {arg}) failed with exit code {proc.returncode}; "
            f"reinstall it: {INSTALL_HINT}"
        )
    return proc.stdout + proc.stderr  # older versions print the version on stderr


def check_tesseract(lang: str = "vie") -> str:
    """Check tesseract and its language models are installed; return its version ("5.3.0").

    Raises MissingDependencyError naming the package to install. `lang` may combine
    models with "+" ("vie+eng"); each must be present. A success is cached per
    (binary, lang) for the life of the process.
    """
    return _check_tesseract(tesseract_command(), lang)


@functools.lru_cache(maxsize=16)
def _check_tesseract(cmd: str, lang: str) -> str:
    if os.sep not in cmd and shutil.which(cmd) is None:
        raise MissingDependencyError(f"tesseract not found; install it: {INSTALL_HINT}")
    version_out = _run_tesseract_info(cmd, "--version")
    first = version_out.strip().splitlines()[0] if version_out.strip() else ""
    version = first.split()[-1].lstrip("v") if first.lower().startswith("tesseract") else ""
    if not version:
        raise MissingDependencyError(
            f"{cmd} does not look like tesseract (no version); install it: {INSTALL_HINT}"
        )
    langs_out = _run_tesseract_info(cmd, "--list-langs")
    available = {
        ln.strip() for ln in langs_out.splitlines() if ln.strip() and not ln.startswith("List ")
    }
    for code in lang.split("+"):
        if code not in available:
            package = f"tesseract-ocr-{code.lower().replace('_', '-')}"
            raise MissingDependencyError(
                f"tesseract language model '{code}' is not installed; "
                f"install it: apt-get install {package}"
            )
    return version


def _to_pil(image: np.ndarray | Image.Image) -> Image.Image:
    if isinstance(image, np.ndarray):
        if image.dtype != np.uint8:
            raise TypeError(f"expected a uint8 image array, got {image.dtype}")
        pil = Image.fromarray(image)
    elif isinstance(image, Image.Image):
        pil = image
        if pil.mode not in ("L", "RGB", "1"):
            pil = pil.convert("RGB")
    else:
        raise TypeError(f"unsupported image type {type(image).__name__}")
    # Uncompressed PNM (P5 grey / P6 colour): saving a 300 dpi page as PNG would cost a
    # noticeable fraction of the OCR time. Copy so the caller's image is not mutated.
    pil = pil.convert("L") if pil.mode == "1" else pil.copy() if pil is image else pil
    pil.format = "PPM"
    return pil


def parse_tsv(tsv: str) -> list[Line]:
    """Parse Tesseract TSV output into Lines of non-empty Words (NFC), in reading order."""
    rows = tsv.splitlines()
    if not rows:
        return []
    header = rows[0].split("\t")
    if tuple(header[: len(_TSV_COLUMNS)]) != _TSV_COLUMNS:
        raise PipelineError(f"unexpected tesseract TSV header {header!r}; use tesseract >= 4.1")
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for row in rows[1:]:
        cells = row.split("\t", len(_TSV_COLUMNS) - 1)
        if len(cells) < len(_TSV_COLUMNS) - 1 or int(cells[0]) != _WORD_LEVEL:
            continue
        text = unicodedata.normalize("NFC", cells[11] if len(cells) > 11 else "").strip()
        if not text:
            continue
        left, top, width, height = (int(c) for c in cells[6:10])
        word = Word(
            text=text,
            bbox=BBox(left, top, left + width, top + height),
            confidence=round(float(cells[10]), 2),
        )
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        grouped.setdefault(key, []).append(word)
    return [_make_line(key, words) for key, words in grouped.items()]


def _make_line(key: tuple[int, int, int], words: Iterable[Word]) -> Line:
    words = list(words)
    bbox = words[0].bbox
    for w in words[1:]:
        bbox = bbox.union(w.bbox)
    return Line(words=words, bbox=bbox, block=key[0], paragraph=key[1], line=key[2])


@contextlib.contextmanager
def _tesseract_errors(page_number: int, timeout: float | None, step: str) -> Iterator[None]:
    """A missing binary or a timeout of one pytesseract call as a pipeline error.

    pytesseract's TesseractError (Tesseract ran and failed) is a RuntimeError too, so it is
    re-raised untouched here for the caller, who knows what the failure means for its step.
    """
    try:
        yield
    except pytesseract.TesseractNotFoundError:
        raise MissingDependencyError(f"tesseract not found; install it: {INSTALL_HINT}") from None
    except pytesseract.TesseractError:
        raise
    except RuntimeError as err:
        if "timeout" in str(err).lower():
            raise PageTimeoutError(
                f"page {page_number}: {step} took longer than {timeout:g} s; "
                "raise --page-timeout or lower --dpi"
            ) from None
        raise


def ocr_image(
    image: np.ndarray | Image.Image,
    *,
    page_number: int,
    dpi: int,
    lang: str = "vie",
    psm: int = 3,
    timeout: float | None = None,
    superscripts: bool = True,
) -> list[Line]:
    """OCR one page image; return its lines in Tesseract's reading order.

    With `superscripts` (default), footnote markers (small raised digits after a word) are
    found in the image and written into the words as superscript digits ("năm¹"), see
    `ocr_pipeline.superscripts`; this costs one small extra Tesseract call (about 0.2 s a
    page with the candidate search) on pages that have candidates.

    Raises PageTimeoutError when Tesseract runs longer than `timeout` seconds (None or 0:
    no limit) and MissingDependencyError when tesseract cannot be run.
    """
    _limit_threads()
    pytesseract.pytesseract.tesseract_cmd = tesseract_command()
    pil = _to_pil(image)
    # --dpi: the temp image carries no resolution; without it Tesseract guesses 70 dpi.
    config = f"--psm {int(psm)} --dpi {int(dpi)}"
    try:
        with _tesseract_errors(page_number, timeout, "OCR"):
            tsv = pytesseract.image_to_data(pil, lang=lang, config=config, timeout=timeout or 0)
    except pytesseract.TesseractError as err:
        msg = str(err.message).strip() or f"exit status {err.status}"
        if "traineddata" in msg or "language" in msg.lower():
            raise MissingDependencyError(
                f"tesseract cannot load language '{lang}': install it: "
                f"apt-get install tesseract-ocr-{lang.split('+')[0].lower()}"
            ) from None
        raise PipelineError(f"page {page_number}: tesseract failed: {msg}") from None
    lines = parse_tsv(tsv)
    if superscripts and lines:
        lines = _add_superscripts(pil, lines, page_number, lang, timeout)
    log.debug("page %d: %d lines, %d words", page_number, len(lines),
              sum(len(ln.words) for ln in lines))  # fmt: skip
    return lines


def _add_superscripts(
    pil: Image.Image, lines: list[Line], page_number: int, lang: str, timeout: float | None
) -> list[Line]:
    grey = np.asarray(pil.convert("L"))
    try:
        read_lang = "eng" if check_tesseract("eng") else lang
    except MissingDependencyError:
        read_lang = lang.split("+")[0]  # eng reads lone digits best; vie does too, a bit worse
    try:
        return add_superscripts(grey, lines, lang=read_lang, timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError) as err:
        # A failed marker pass must not cost the page its text.
        log.warning("page %d: footnote marker pass failed (%s); markers left as read",
                    page_number, str(err).strip()[:200])  # fmt: skip
        return lines


@dataclass(frozen=True)
class Orientation:
    """Tesseract OSD's answer for one page.

    angle: 0, 90, 180 or 270, the angle (degrees, counter-clockwise) the page content is
    turned, i.e. the quarter turn preprocessing must undo; confidence: OSD's orientation
    confidence (about 10-14 on a full text page, near 0 when it can hardly tell).
    """

    angle: int
    confidence: float


def detect_orientation(
    image: np.ndarray | Image.Image, *, page_number: int, dpi: int, timeout: float | None = None
) -> Orientation:
    """Page orientation by Tesseract's OSD (`--psm 0`, needs osd.traineddata).

    A page with too little text for OSD (blank, a photo) is reported upright with
    confidence 0. Costs about one second a page at 300 dpi, so the pipeline runs it only
    with `--rotate-pages`.
    """
    _limit_threads()
    pytesseract.pytesseract.tesseract_cmd = tesseract_command()
    config = f"--psm 0 --dpi {int(dpi)}"
    try:
        with _tesseract_errors(page_number, timeout, "orientation detection"):
            osd = pytesseract.image_to_osd(_to_pil(image), config=config, timeout=timeout or 0,
                                           output_type=pytesseract.Output.DICT)  # fmt: skip
    except pytesseract.TesseractError as err:
        msg = str(err.message)
        if "osd.traineddata" in msg or "Failed loading language 'osd'" in msg:
            raise MissingDependencyError(
                "tesseract's orientation model is not installed; install it: "
                "apt-get install tesseract-ocr-osd"
            ) from None
        log.debug("page %d: no orientation (%s); taken as upright", page_number, msg.strip())
        return Orientation(0, 0.0)
    # OSD's "rotate" is the clockwise turn that makes the page upright, which is the
    # counter-clockwise turn of its content.
    return Orientation(int(osd["rotate"]) % 360, float(osd["orientation_conf"]))
