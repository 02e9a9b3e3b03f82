"""Vietnamese typed before Unicode, found and read: which legacy encoding a text is in.

Two 8-bit encodings cover most of what offices typed before Unicode: TCVN3 (ABC, the
.VnTime fonts; `ocr_pipeline.tcvn3`) and VNI (the VNI-Windows fonts; `ocr_pipeline.vni`).
Read as Latin-1 or cp1252, both look like mangled text ("Uû ban nh©n d©n", "Baùo caùo").
E-mail and plain-ASCII tools wrote VIQR ("Ba'o ca'o", `ocr_pipeline.viqr`), tried only
where its marks show (`viqr.looks_like_viqr`).
`legacy_reading(text)` says which one a text is in: a text with no letter beyond Latin-1
whose reading in that encoding changes MIN_CONVERTED_WORDS words at least, looks
Vietnamese (`restore.detect.looks_vietnamese`) and spells more Vietnamese syllables than
the text as it is; TCVN3 only where its own letters show (`tcvn3.looks_like_tcvn3`). A
text read as neither is left as it is: a TCVN3 guess that does not read as Vietnamese once
converted (VNI text, whose "ô" and "ù" are TCVN3 letters too) is no reading.

`fileio.decode_text` reads a file that is not UTF-8 as Latin-1 and asks here: a raw
TCVN3 or VNI file from those years is read so; restoration asks again of text that is
UTF-8 but holds such letters (a legacy file once converted as Latin-1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ocr_pipeline import tcvn3, viqr, vni

SAMPLE_CHARS = 100_000


@dataclass(frozen=True)
class LegacyReading:
    """A legacy encoding a text was typed in, and how to read it as Unicode."""

    name: str  # for the user: "TCVN3 (ABC, .VnTime)"
    to_unicode: Callable[[str], str]  # one piece of the text (a line, the whole) -> Unicode


TCVN3 = LegacyReading("TCVN3 (ABC, .VnTime)", tcvn3.to_unicode)
VNI = LegacyReading("VNI (VNI-Windows, VNI-Times)", vni.to_unicode)
VIQR = LegacyReading("VIQR (Vietnamese in ASCII, RFC 1456)", viqr.to_unicode)
# a reading must change at least this many words: one word of an OCR line that a VNI
# reading happens to turn into a syllable ("phaét" -> "phắt") is no encoding
MIN_CONVERTED_WORDS = 3


def legacy_reading(text: str) -> LegacyReading | None:
    """The legacy encoding `text` was typed in (see the module docstring), or None."""
    from ocr_pipeline.restore.detect import looks_vietnamese, vietnamese_share

    sample = text[:SAMPLE_CHARS]
    if tcvn3.BEYOND_LATIN1.search(sample):
        return None
    best, best_share = None, vietnamese_share(sample)[0]
    for reading in (TCVN3, VNI, VIQR):
        if reading is TCVN3 and not tcvn3.looks_like_tcvn3(sample):
            continue
        if reading is VIQR and not viqr.looks_like_viqr(sample):
            continue
        converted = reading.to_unicode(sample)
        changed = sum(a != b for a, b in zip(sample.split(), converted.split(), strict=False))
        if changed < MIN_CONVERTED_WORDS or not looks_vietnamese(converted):
            continue
        share = vietnamese_share(converted)[0]
        if share > best_share:
            best, best_share = reading, share
    return best


__all__ = ["MIN_CONVERTED_WORDS", "TCVN3", "VIQR", "VNI", "LegacyReading", "legacy_reading"]
