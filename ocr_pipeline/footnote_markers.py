"""Footnote markers: the one place that says what a marker looks like in text.

A footnote marker is the footnote's number raised after a word ("năm¹", "quy định¹²").
On OCR pages it is a typed field, `model.Word.marker` (the number), set by the layout-repair
pass (layout.py: read from the image by superscripts.py, or lifted off the word's text with
`detach`); the word's text never holds it, so restoration neither sees nor changes it. Where
a word is written out as text (plain text, hOCR, ALTO, the words table, the structure
stage's printed lines) the marker goes back in as Unicode superscript digits (MARKER_DIGITS)
before the word's trailing punctuation (`attach`, through `Word.marked_text`). Text inputs
(`restore` / `structure` on .txt) carry markers as those superscripts: restore keeps them
(restore/tokenize.py, restore/decoder.py); the structure stage reads them once, where the
text comes in (`markers_in`), into the same typed field as OCR pages give it
(`SrcLine.marks`, structure/lines.py), and takes the printed markers of the footnotes it
links out of its node texts with `take_written`.

OCR damages markers in known ways, all listed here:

- lost, or read as a lookalike at the word's end (OCR_LOOKALIKES): ” ! ? ° ' $ ® * ...;
  "!" looks like ¹ and "?" like ² (DIGIT_SHAPES); in text, before punctuation, after a
  word ("minh!.", "định?.", a capital "S": "tâmS."), after an ellipsis ("...’;") or after
  a digit ("2026! của") (WILD_MARK);
- at the start of a footnote body, read as a symbol ("% Năm ...": BODY_START_LOOKALIKE);
- read as a flat digit glued to the word ("quy định2.", "97,8%6."; GLUED_MARK), which is
  no marker after a unit that takes an exponent ("km2", "CO2"; `is_unit`);
- swallowed into the word's box with a lookalike tail (SWALLOWED_TAIL: "đọng”."), or
  without a trace in the text: such markers are placed from the word boxes over the whole
  document (lost_markers.py).

To change the footnote rule (which characters count, which units are exceptions), change
this module; the stages import these names and keep no copies.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ocr_pipeline.text import SUPERSCRIPT_DIGITS, TO_SUPERSCRIPT, from_superscript, to_superscript

__all__ = [
    "BODY_NUMBER",
    "BODY_START_LOOKALIKE",
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
    "TRAILING_PUNCT",
    "WILD_MARK",
    "attach",
    "decode",
    "detach",
    "encode",
    "has_glued_marker",
    "is_unit",
    "markers_in",
    "starts_raised",
    "take_written",
]

# ------------------------------------------------------------------ the written form
MARKER_DIGITS = SUPERSCRIPT_DIGITS  # a marker in text: "¹", "¹²"


def encode(number: int | str) -> str:
    """A footnote number as its marker text: 12 -> "¹²"."""
    return to_superscript(number)


def decode(marker: str) -> int:
    """The footnote number of marker text: "¹²" -> 12 (ValueError on anything else)."""
    return from_superscript(marker)


# Punctuation a marker goes before when written into its word ("năm¹.", "định¹)"; "/" for
# the end mark "./.").
TRAILING_PUNCT = ".,;:)]…/"
_PLACE = re.compile(rf"^(.*?)([{re.escape(TRAILING_PUNCT)}]*)$", re.DOTALL)
_WRITTEN = re.compile(
    rf"^(.*[^{MARKER_DIGITS}])"  # the word, not ending in a superscript
    rf"([{MARKER_DIGITS[1:]}][{MARKER_DIGITS}]{{0,2}})"  # the marker: 1-3 digits, no leading 0
    rf"([{re.escape(TRAILING_PUNCT)}]*)$",
    re.DOTALL,
)


def attach(text: str, number: int, tail: str | None = None) -> str:
    """A word's text with marker `number` written in: before `tail` (the punctuation
    printed after the marker: "phạt).", 9, "." -> "phạt)⁹.") when the text ends with it,
    else before all its trailing punctuation ("năm.", 1 -> "năm¹."). The inverse of
    `detach`."""
    if tail is not None and text.endswith(tail):
        return text[: len(text) - len(tail)] + encode(number) + tail
    m = _PLACE.match(text)
    core, rest = (m.group(1), m.group(2)) if m else (text, "")
    return core + encode(number) + rest


def detach(text: str) -> tuple[str, int | None, str | None]:
    """A word's text with the marker written in it taken out, the marker's number and the
    punctuation after it: "phạt)⁹." -> ("phạt).", 9, "."); ("km²", None, None) for a
    unit's exponent, (text, None, None) without a marker.

    A marker is superscript digits (no leading ⁰) after at least one other character that
    is no superscript, followed only by trailing punctuation (TRAILING_PUNCT).
    """
    m = _WRITTEN.match(text)
    if m is None:
        return text, None, None
    number = decode(m.group(2))
    if is_unit(text, m.start(2), number):
        return text, None, None
    if _unit_exponent_first(text, m.start(2), m.group(2)):  # "m³⁹": m³ and marker 9
        return m.group(1) + m.group(2)[0] + m.group(3), decode(m.group(2)[1:]), m.group(3)
    return m.group(1) + m.group(3), number, m.group(3)


def _unit_exponent_first(text: str, pos: int, digits: str) -> bool:
    """The superscripts at `pos` open with a unit's exponent ("m³⁹", "km²¹²"): the marker
    is the digits after it (a marker never follows a unit without one)."""
    return len(digits) > 1 and digits[0] in "²³" and is_unit(text, pos, decode(digits[0]))


def markers_in(text: str) -> tuple[int, ...]:
    """The footnote numbers of the markers written in `text`, word by word as `detach`
    reads them, in reading order: "năm¹. Theo quy định¹²;" -> (1, 12). How a text input's
    markers become the typed field the structure stage reads (a unit's exponent is none)."""
    return tuple(n for word in text.split() if (n := detach(word)[1]) is not None)


def take_written(text: str, wanted: Callable[[int], bool]) -> tuple[str, list[int]]:
    """`text` with the printed markers (SUP_MARK) whose number is `wanted` taken out, and
    those numbers in order; a unit's exponent ("km²", "m³") stays. The structure stage
    cuts its node texts from printed lines and takes the linked markers out with this."""
    found: list[int] = []

    def take(m: re.Match) -> str:
        digits = m.group(1)
        if _unit_exponent_first(text, m.start(), digits):  # "m³⁹": the exponent stays
            n = decode(digits[1:])
            if wanted(n):
                found.append(n)
                return digits[0]
            return m.group(0)
        n = decode(digits)
        if wanted(n) and not (n in (2, 3) and is_unit(text, m.start())):
            found.append(n)
            return ""
        return m.group(0)

    return SUP_MARK.sub(take, text), found


def starts_raised(text: str) -> bool:
    """`text` opens with a raised digit ("¹ Theo ...": a footnote body's number)."""
    return text[:1] in MARKER_DIGITS


# ------------------------------------------------------------------ what OCR makes of one
# What Tesseract writes for a raised digit it could not read, at the end of a word.
OCR_LOOKALIKES = "”“\"'’‘`´!?°º$®*^"
# Lookalikes that look like one particular digit.
DIGIT_SHAPES = {"!": 1, "?": 2}
# The last character of an OCR'd word that restoration may split off as a marker Tesseract
# flattened ("tdm2", "dinh?.", "nghiép*", "tâmS" for ⁵); never "0": no footnote is 0
# ("S60:" is "Số:", not "Số⁰:")
GLUED_MARKER_ENDS = frozenset("123456789?*S")
# Marks taken as a marker glued to a word in text: after letters before punctuation
# ("minh!."), and after a digit ("ngày 25/8/2026! của": no sentence ends in "6!").
WILD_AFTER_LETTERS = "!?*'’°"
WILD_AFTER_DIGIT = "!?*"
# After an ellipsis a raised digit is read as a single quote ("...’;"); quotes in these
# documents are double ("...”" closes a quotation and is no marker).
WILD_AFTER_ELLIPSIS = "'’"
# A capital S glued to a lower-case word before punctuation ("tâmS."): no Vietnamese word
# ends so; it is a raised 5 or 6 (which one is left to the sequence).
_LOWER = "a-zà-ỹđ"
# A word's tail when Tesseract swallowed the raised digit into its box ("đọng”.", "định)").
SWALLOWED_TAIL = "”\"’')*°®©$§"
RARE_TAIL = "®©$§"  # no Vietnamese word ends in these: "bản®", "đen$,"

# ------------------------------------------------------------------ text patterns
SUP_MARK = re.compile(rf"(?<=\S)([{MARKER_DIGITS}]{{1,2}})")
# after a word, a percentage, a quoted title ("Chiến sĩ thi đua"8.) or a year ending a
# date or a span ("năm 20261.", "năm học 2025 - 202611./."; not any number that starts
# like a year: "Dân số 19853 người")
_YEAR = r"(?:19|20)\d\d"
GLUED_MARK = re.compile(
    r"(?:(?<=[^\W\d_]{2})|(?<=\d%)|(?<=[^\W\d_][”\"’])"
    rf"|(?<=[nN]ăm {_YEAR})|(?<={_YEAR} - {_YEAR})|(?<={_YEAR}-{_YEAR})|(?<={_YEAR} – {_YEAR}))"
    r"(\d{1,2})(?=[\s.,;:!?\"”’)\]…]|/\.|$)"
)
# group 1: after a word or an ellipsis (perhaps punctuation: a weak guess); group 2: after
# a digit (a marker for sure)
WILD_MARK = re.compile(
    rf"(?:(?<=[^\W\d_]{{2}})(?=[{re.escape(WILD_AFTER_LETTERS)}])"  # "minh!."
    rf"|(?<=[{_LOWER}]{{2}})(?=S)"  # "tâmS."
    rf"|(?:(?<=\.\.\.)|(?<=…))(?=[{re.escape(WILD_AFTER_ELLIPSIS)}]))"  # "Gạc...’;"
    rf"([{re.escape(WILD_AFTER_LETTERS + WILD_AFTER_ELLIPSIS)}S])(?=[.,;:])"
    rf"|(?<=\d)([{re.escape(WILD_AFTER_DIGIT)}])(?=[\s.,;:]|$)"  # "2026! của"
)
# A footnote body's opening number: ASCII (group 1: "1 Theo ...") or raised (group 2:
# "¹ Theo", "¹Theo"), before a word, a quote or a bracket.
BODY_NUMBER = re.compile(rf"^(?:(\d{{1,2}})|([{MARKER_DIGITS}]{{1,2}}))\s*(?=[^\W\d_]|[\"“(])")
# A footnote body whose raised number OCR read as a symbol: "% Năm 2020 ..." (a capitalised
# word after it). Taken only where the numbering calls for a body (structure/footnotes.py).
# "*", "-", "+" open list items and are not taken. A small raised ¹ reads as a quote too
# ("' Cơn bão ...": a word processor's footnote number on a 300-dpi scan).
BODY_START_LOOKALIKE = re.compile(r"^[%!?°$§'’‘`]\s+(?=[^\W\d_])")

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


def has_glued_marker(text: str, number: int) -> bool:
    """`text` holds footnote `number`'s marker read as flat digits glued to a word
    ("quy định2.", "97,8%6."; not a unit's exponent: "km2")."""
    for m in GLUED_MARK.finditer(text):
        if int(m.group(1)) == number and not is_unit(text, m.start(), number):
            return True
    return False
