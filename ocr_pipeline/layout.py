"""Layout repair: geometry-based text repairs of OCR lines, from the page image.

The step between OCR and restore. OCR reads the text; this step looks at the page image
again where the text is known to lose things Tesseract's reading cannot see:

- footnote markers: small raised digits after a word ("năm¹") that Tesseract drops or
  misreads are found in the image and written into the words (`superscripts.py`).

It never changes a word it has no image evidence for, and a failure here costs the page
only the repair, never its text.
"""

from __future__ import annotations

import logging

import numpy as np
from PIL import Image

from ocr_pipeline import tesseract
from ocr_pipeline.errors import PageTimeoutError
from ocr_pipeline.model import Line
from ocr_pipeline.superscripts import add_superscripts

log = logging.getLogger(__name__)


def _grey(image: np.ndarray | Image.Image) -> np.ndarray:
    """The page as grey uint8, converted as the OCR step converts it (PIL "L")."""
    pil = Image.fromarray(image) if isinstance(image, np.ndarray) else image
    if pil.mode not in ("L", "RGB", "1"):
        pil = pil.convert("RGB")
    return np.asarray(pil.convert("L"))


def repair_lines(
    image: np.ndarray | Image.Image, lines: list[Line], *, page_number: int, lang: str = "vie",
    timeout: float | None = None, footnote_markers: bool = True,
) -> list[Line]:  # fmt: skip
    """`lines` (OCR of `image`) with what the image shows they lost put back.

    With `footnote_markers`, raised footnote digits are read from the image (one small
    extra Tesseract call, about 0.2 s a page with the candidate search, on pages that have
    candidates) and written into their words as superscript digits.
    """
    if not footnote_markers or not lines:
        return lines
    # eng reads lone digits best; vie does too, a bit worse
    read_lang = "eng" if tesseract.has_language("eng") else lang.split("+")[0]
    try:
        return add_superscripts(_grey(image), lines, lang=read_lang, timeout=timeout,
                                page_number=page_number)  # fmt: skip
    except (tesseract.TesseractFailed, PageTimeoutError, RuntimeError) as err:
        log.warning("page %d: footnote marker pass failed (%s); markers left as read",
                    page_number, str(err).strip()[:200])  # fmt: skip
        return lines
