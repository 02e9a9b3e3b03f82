"""Layout repair: geometry-based text repairs of OCR lines, from the page image.

The step between OCR and restore. OCR reads the text; this step looks at the page image
again where the text is known to lose things Tesseract's reading cannot see:

- footnote markers: small raised digits after a word ("năm¹") that Tesseract drops or
  misreads are found in the image and set on the words (`Word.marker`, `superscripts.py`);
- footnote body numbers: a raised number opening a line ("¹Theo", read "!Theo") becomes
  the body's number ("1 Theo", `superscripts.py`).

A marker written into a word's text (Tesseract read the superscript itself, or restore
split a glued digit off: "tdm2" -> "tdm²") is lifted into `Word.marker` too
(`lift_markers`, also run on a page after restore by `repair_page`), so later stages find
every marker in one place.

On a finished page (`repair_page`, after restore), each line's specks are dropped and its
label glyphs read from their boxes ("HH." -> "III.", "1," -> "1.": `label_repair`), so
every output and the structure stage see the same repaired words.

Markers OCR lost without a trace the page image shows it were there (a raised digit
swallowed into its word's box) are placed later, over the whole document, from the word
boxes and the footnote bodies found at the page bottoms (`lost_markers.py`, asked by the
structure stage's reading of the footnotes).

It never changes a word it has no image evidence for, and a failure here costs the page
only the repair, never its text.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np
from PIL import Image

from ocr_pipeline import tesseract
from ocr_pipeline.errors import PageTimeoutError
from ocr_pipeline.footnote_markers import detach
from ocr_pipeline.label_repair import repair_labels
from ocr_pipeline.model import Line, Page, Word
from ocr_pipeline.superscripts import READ_ARGS, add_superscripts

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
    candidates) and set on their words (`Word.marker`); markers already written in the
    words' text are lifted into that field too (`lift_markers`).
    """
    if not footnote_markers or not lines:
        return lift_markers(lines)
    read_lang = marker_lang(lang)
    try:
        found = add_superscripts(_grey(image), lines, lang=read_lang, timeout=timeout,
                                 page_number=page_number)  # fmt: skip
    except (tesseract.TesseractFailed, PageTimeoutError, RuntimeError) as err:
        log.warning("page %d: footnote marker pass failed (%s); markers left as read",
                    page_number, str(err).strip()[:200])  # fmt: skip
        found = lines
    return lift_markers(found)


def marker_lang(lang: str) -> str:
    """The model that reads footnote markers: eng reads lone digits best; vie does too, a
    bit worse (the first of `lang` when eng is not installed)."""
    return "eng" if tesseract.has_language("eng") else lang.split("+")[0]


def preload_marker_reader(lang: str, count: int = 1) -> None:
    """Load the marker reader's model now, for `count` pages read at once
    (`tesseract.preload`)."""
    tesseract.preload(marker_lang(lang), READ_ARGS, count)


def _lifted(word: Word) -> Word:
    if word.marker is not None:
        return word
    text, number, tail = detach(word.text)
    if number is None:
        return word
    return replace(word, text=text, marker=number, marker_tail=tail)


def lift_markers(lines: list[Line]) -> list[Line]:
    """`lines` with every marker written in a word's text ("năm¹.") moved to `Word.marker`
    ("năm.", 1); a unit's exponent ("km²") stays text. Lines without one are kept as is."""
    out = []
    for line in lines:
        words = [_lifted(w) for w in line.words]
        changed = any(a is not b for a, b in zip(words, line.words, strict=True))
        out.append(replace(line, words=words) if changed else line)
    return out


def repair_page(page: Page) -> Page:
    """The layout-repair pass on a finished page (after restore, before structure): markers
    that restoration wrote into the text are lifted into `Word.marker`, then each line's
    specks and label glyphs are repaired from the word boxes (`label_repair`)."""
    lines = repair_labels(lift_markers(page.lines))
    if len(lines) == len(page.lines) and all(
        a is b for a, b in zip(lines, page.lines, strict=False)
    ):
        return page
    return replace(page, lines=lines)
