"""Footnote markers: the one place that says what a marker looks like in text.

A footnote marker is the footnote's number raised after a word ("năm¹", "quy định¹²").
Every stage writes it into the text as Unicode superscript digits (MARKER_DIGITS): the
layout-repair step when it reads one from the image (superscripts.py), restore when it
splits one off a word (restore/tokenize.py, restore/decoder.py), and the structure stage
reads them back out into `footnote_refs` (structure/footnotes.py, structure/markers.py).

OCR damages markers in known ways, all listed here:

- lost, or read as a lookalike at the word's end (OCR_LOOKALIKES): ” ! ? ° ' $ ® * ...;
  "!" looks like ¹ and "?" like ² (DIGIT_SHAPES);
- read as a flat digit glued to the word ("quy định2.", "97,8%6."; GLUED_MARK), which is
  no marker after a unit that takes an exponent ("km2", "CO2"; `is_unit`);
- swallowed into the word's box with a lookalike tail (SWALLOWED_TAIL: "đọng”.").

To change the footnote rule (which characters count, which units are exceptions), change
this module; the stages import these names and keep no copies.
"""

from __future__ import annotations

import re

from ocr_pipeline.text import SUPERSCRIPT_DIGITS, TO_SUPERSCRIPT, from_superscript, to_superscript

__all__ = [
    "DIGIT_SHAPES",
    "GLUED_MARK",
    "LENGTH_UNITS",
    "MARKER_DIGITS",
    "OCR_LOOKALIKES",
    "RARE_TAIL",
    "SUP_MARK",
    "SWALLOWED_TAIL",
    "TO_SUPERSCRIPT",
    "UNITS",
    "WILD_MARK",
    "decode",
    "encode",
    "has_marker",
    "is_unit",
]

# ------------------------------------------------------------------ the written form
MARKER_DIGITS = SUPERSCRIPT_DIGITS  # a marker in text: "¹", "¹²"


def encode(number: int | str) -> str:
    """A footnote number as its marker text: 12 -> "¹²"."""
    return to_superscript(number)


def decode(marker: str) -> int:
    """The footnote number of marker text: "¹²" -> 12 (ValueError on anything else)."""
    return from_superscript(marker)


# ------------------------------------------------------------------ what OCR makes of one
# What Tesseract writes for a raised digit it could not read, at the end of a word.
OCR_LOOKALIKES = "”“\"'’‘`´!?°º$®*^"
# Lookalikes that look like one particular digit.
DIGIT_SHAPES = {"!": 1, "?": 2}
# Marks taken as a marker glued to a word in text: after letters before punctuation
# ("minh!."), and after a digit ("ngày 25/8/2026! của": no sentence ends in "6!").
WILD_AFTER_LETTERS = "!?*'’°"
WILD_AFTER_DIGIT = "!?*"
# A word's tail when Tesseract swallowed the raised digit into its box ("đọng”.", "định)").
SWALLOWED_TAIL = "”\"’')*°®©$§"
RARE_TAIL = "®©$§"  # no Vietnamese word ends in these: "bản®", "đen$,"

# ------------------------------------------------------------------ text patterns
SUP_MARK = re.compile(rf"(?<=\S)([{MARKER_DIGITS}]{{1,2}})")
# after a word, a percentage or a quoted title ("Chiến sĩ thi đua"8.)
GLUED_MARK = re.compile(
    r"(?:(?<=[^\W\d_]{2})|(?<=\d%)|(?<=[^\W\d_][”\"’]))(\d{1,2})(?=[\s.,;:!?\"”’)\]…]|$)"
)
WILD_MARK = re.compile(
    rf"(?<=[^\W\d_]{{2}})([{re.escape(WILD_AFTER_LETTERS)}])(?=[.,;:])"  # "minh!."
    rf"|(?<=\d)([{re.escape(WILD_AFTER_DIGIT)}])(?=[\s.,;:]|$)"  # "2026! của"
)

# ------------------------------------------------------------------ unit exceptions
LENGTH_UNITS = {"km", "m", "cm", "mm", "dm"}
# Digits after these are part of a unit or formula ("km2", "CO2"). "ha" and "kg" take no
# exponent, so "186,5 ha3," is a hectare figure with marker 3.
UNITS = {"km", "m", "cm", "mm", "dm", "co", "h", "o", "no", "so", "m³", "m²"}


def is_unit(text: str, pos: int, number: int | None = None) -> bool:
    """Digits at `pos` belong to the unit before them ("km2", "CO2"), not a marker.

    A length unit takes only the exponents 2 and 3: "km5" is "km" with marker 5.
    """
    word = re.search(r"([^\W\d_]+)$", text[:pos])
    if not word or word.group(1).lower() not in UNITS:
        return False
    return number is None or number in (2, 3) or word.group(1).lower() not in LENGTH_UNITS


def has_marker(text: str, number: int) -> bool:
    """`text` holds a marker for footnote `number`: superscript, or digits glued to a word."""
    if encode(number) in text:
        return True
    for m in GLUED_MARK.finditer(text):
        if int(m.group(1)) == number and not is_unit(text, m.start(), number):
            return True
    return False
