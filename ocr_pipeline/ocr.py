"""OCR stage: Tesseract (`vie`) word table -> words, boxes, confidences.

`ocr_image` turns one preprocessed page image into `model.Line`s of `model.Word`s, keeping
Tesseract's block / paragraph / line ids and its 0-100 word confidence. Text is NFC and
empty words are dropped. Nothing here corrects the language (the restore stage's job);
only glyphs are read as print writes them (`text.plain_glyphs`: a fraction slash, a
ligature, an L read "I.") and two words a speck glued together are two (`unspecked`).

Tesseract is called through `ocr_pipeline.tesseract` (in-process through libtesseract, or
the program; `OMP_THREAD_LIMIT=1`, timeout, errors); `TESSERACT_ENV` and `check_tesseract`
are re-exported from there.

The page goes to Tesseract as its pixels (`tesseract.run_tsv`) with `--dpi` (the pixels
carry no resolution) and `--psm`; we do not set `preserve_interword_spaces`: the TSV has
one row per word, and a line's text is its words joined by single spaces, so Tesseract's
spacing never reaches the output.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import regex
from PIL import Image

from ocr_pipeline import tesseract
from ocr_pipeline.errors import MissingDependencyError, PipelineError
from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.restore.orthography import is_valid_syllable
from ocr_pipeline.tesseract import TESSERACT_ENV, check_tesseract  # noqa: F401  (re-exported)
from ocr_pipeline.text import nfc, plain_glyphs

log = logging.getLogger(__name__)

_WORD_LEVEL = 5
_TSV_COLUMNS = (
    "level", "page_num", "block_num", "par_num", "line_num", "word_num",
    "left", "top", "width", "height", "conf", "text",
)  # fmt: skip


def _pixels(image: np.ndarray | Image.Image) -> np.ndarray | Image.Image:
    """What `tesseract.run_tsv` takes: a uint8 array, or a PIL image in mode "L" or "RGB"."""
    if isinstance(image, np.ndarray):
        if image.dtype != np.uint8:
            raise TypeError(f"expected a uint8 image array, got {image.dtype}")
        return image
    if isinstance(image, Image.Image):
        return (
            image
            if image.mode in ("L", "RGB")
            else image.convert("L" if image.mode == "1" else "RGB")
        )
    raise TypeError(f"unsupported image type {type(image).__name__}")


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
        text = plain_glyphs(nfc(cells[11] if len(cells) > 11 else "")).strip()
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
    return printed_order([_make_line(key, words) for key, words in grouped.items()])


def printed_order(lines: list[Line]) -> list[Line]:
    """`lines` (Tesseract's order) with each block that lies wholly above every block read
    before it moved up before them: Tesseract now and then finds a page's first line last
    (a new user's dusty 150-dpi copy: the issuer's and national title's row after the
    signer's name). Blocks side by side (a header's two columns) and every other block keep
    Tesseract's order."""
    blocks: dict[int, list[Line]] = {}
    for ln in lines:
        blocks.setdefault(ln.block, []).append(ln)
    order: list[list[Line]] = []
    for block in blocks.values():
        bottom = max(ln.bbox.bottom for ln in block)
        k = len(order)
        while k > 0 and bottom <= min(ln.bbox.top for ln in order[k - 1]):
            k -= 1  # this block is printed above the one read before it
        order.insert(k, block)
    return [ln for block in order for ln in block]


def _make_line(key: tuple[int, int, int], words: Iterable[Word]) -> Line:
    words = apart([part for w in words for part in unspecked(w)])
    bbox = words[0].bbox
    for w in words[1:]:
        bbox = bbox.union(w.bbox)
    return Line(words=words, bbox=bbox, block=key[0], paragraph=key[1], line=key[2])


# two words a speck between them glued into one, read as a period ("Công.ty", "điều.tra,"):
# print always spaces after a period, and a sentence after one opens with a capital; two
# capitals words only where both are ("TRỌNG.TÂM"), never an abbreviation ("TP.HCM")
_SPECK_JOINED = regex.compile(r"^(\p{P}*)(\p{L}{2,})\.(\p{L}{2,})(\p{P}*)$")
_ROMAN = regex.compile(r"^[IVXLC]+$")


def unspecked(word: Word) -> list[Word]:
    """`word`, or the two words a speck read as a period glued together, each a Vietnamese
    syllable, the right one in small letters (or both in capitals), each with its share of
    the box (by letters, the speck's place left between them)."""
    m = _SPECK_JOINED.match(word.text)
    if m is None:
        return [word]
    lead, left, right, tail = m.groups()
    if not (right.islower() or (left.isupper() and right.isupper())) or _ROMAN.match(left):
        return [word]  # "VI.KIẾN NGHỊ": a roman label typed against its title
    if not (is_valid_syllable(left.lower()) and is_valid_syllable(right.lower())):
        return [word]
    first, second = lead + left, right + tail
    box = word.bbox
    per_char = box.width / len(word.text)
    cut = box.left + round(per_char * len(first))
    left_box = BBox(box.left, box.top, max(box.left + 1, cut), box.bottom)
    right_box = BBox(min(box.right - 1, cut + round(per_char)), box.top, box.right, box.bottom)
    return [replace(word, text=first, bbox=left_box), replace(word, text=second, bbox=right_box)]


def apart(words: list[Word]) -> list[Word]:
    """A line's words with no box reaching over the next word's. Tesseract sometimes gives a
    word a box that runs on over the next one ("NHÂN" 489-773 px over "DÂN" 663-773 at 300
    dpi, marks counted into the wrong word): a PDF text layer drawn in it overlaps the next
    word and viewers read "NHÂNDÂN", and crops and readers of the box take both. A box
    that covers more than half of the next word ends where that word begins, less the
    line's usual gap between words; a few pixels of overlap (italic, tight kerning) are
    ink and stay."""
    overlaps = [
        i for i in range(len(words) - 1)
        if words[i].bbox.left < words[i + 1].bbox.left
        and words[i].bbox.right - words[i + 1].bbox.left > words[i + 1].bbox.width / 2
    ]  # fmt: skip
    if not overlaps:
        return words
    gaps = sorted(
        b.bbox.left - a.bbox.right
        for a, b in zip(words, words[1:], strict=False)
        if b.bbox.left >= a.bbox.right
    )
    gap = gaps[(len(gaps) - 1) // 2] if gaps else 0  # the lower median
    out = list(words)
    for i in overlaps:
        box, nxt = out[i].bbox, out[i + 1].bbox
        right = max(box.left + 1, nxt.left - gap)
        out[i] = replace(out[i], bbox=BBox(box.left, box.top, right, box.bottom))
    return out


def ocr_image(
    image: np.ndarray | Image.Image,
    *,
    page_number: int,
    dpi: int,
    lang: str = "vie",
    psm: int = 3,
    timeout: float | None = None,
) -> list[Line]:
    """OCR one page image; return its lines in Tesseract's reading order.

    Footnote markers Tesseract lost are put back afterwards by the layout-repair step
    (`ocr_pipeline.layout.repair_lines`), which the pipeline runs right after this.

    Raises PageTimeoutError when Tesseract runs longer than `timeout` seconds (None or 0:
    no limit) and MissingDependencyError when tesseract cannot be run.
    """
    # --dpi: a PGM carries no resolution, and Tesseract's own estimate (from the letters'
    # size) read worse at 150, 200 and 400 dpi (it costs ~5% more CPU than the estimate)
    args = ("--psm", str(int(psm)), "--dpi", str(int(dpi)))
    try:
        tsv = tesseract.run_tsv(_pixels(image), lang=lang, args=args, timeout=timeout,
                                page_number=page_number)  # fmt: skip
    except tesseract.TesseractFailed as err:
        msg = err.message or f"exit status {err.status}"
        if "traineddata" in msg or "language" in msg.lower():
            raise MissingDependencyError(
                f"tesseract cannot load language '{lang}': install it: "
                f"apt-get install tesseract-ocr-{lang.split('+')[0].lower()}"
            ) from None
        raise PipelineError(f"page {page_number}: tesseract failed: {msg}") from None
    lines = parse_tsv(tsv)
    log.debug("page %d: %d lines, %d words", page_number, len(lines),
              sum(len(ln.words) for ln in lines))  # fmt: skip
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
    config = f"--psm 0 --dpi {int(dpi)}"
    try:
        osd = tesseract.image_to_osd(_to_pil(image), config=config, timeout=timeout,
                                     page_number=page_number)  # fmt: skip
    except tesseract.TesseractFailed as err:
        msg = err.message
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
