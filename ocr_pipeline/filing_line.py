"""The filing line that closes a recipients block ("- Lưu: VT, VP."), and how OCR reads it.

The last item of "Nơi nhận:" says where the original is filed: the label "Lưu" and the
codes of the offices that keep a copy, the registry ("VT", văn thư) first. Three layers
read that line, each at its own grain, with the shapes owned here:

- restoration (`restore.decoder`) keeps the codes on it as written (`LABEL_WORDS`: the
  label as a word token; "CAP" is an office, not "CẤP");
- the page words of a scan (`document_restore`) mend the label and the registry's code
  as a bad copy's small type reads them (`LABEL_WORD`, `REGISTRY_WORD`; `LABEL_LOOKALIKE`
  and `DASH_SPECKS` where the registry's code follows);
- the structure's closing (`structure.closing`) finds the item in folded lines
  (`FOLDED_LABEL`), mends a label read as another word (`LINE_LABEL_MISREAD`), splits
  the item off the one OCR glued it to (`GLUED_LABEL`), mends the item's label and codes
  as a bad copy reads them (`mend_item`) and the registry's code inside the item
  (`ITEM_REGISTRY_MISREAD`).
"""

from __future__ import annotations

import re

LABEL = "Lưu:"

# the label as a word token, with or without its mark (the decoder's lowercase NFC form)
LABEL_WORDS = frozenset({"lưu", "luu"})

# the registry's code "VT" as OCR reads it: itself, "VI", "VỊ", "VF", "VL", "VE", "V1", "VTF"
_REGISTRY_READ = r"V(?:T[FE]|[TILFEl1|Ịị])"
# the same, "VT" itself left out: the readings to mend
_REGISTRY_MISREAD = r"V(?:T[FE]|[ILFEl1|Ịị])"

# one page word: the label with its colon as a bad copy's small type reads it ("Lau:",
# "lưu:", "I.ưu:"), a dash glued before it kept in group 1
LABEL_WORD = re.compile(r"^(-?)(?:[LlI1|]\.?)[ưua]u:$")
# one page word: the registry's code, its punctuation in group 1
REGISTRY_WORD = re.compile(rf"^{_REGISTRY_READ}([,.;]?)$")

# one page word: the label as a 150-200-dpi photocopy's small type reads it, a letter
# wrong and the colon lost or kept ("Liu", "Lau", "lam:"); taken for the label only where
# the registry's code follows it (`REGISTRY_WORD`), as the item's first word
LABEL_LOOKALIKE = re.compile(r"^(?:[LlI1|]\.?)[ưuaiìíàá][uưm]?:?$")
# the item's dash as such a copy reads it, before the label lookalike ("; Liu VL KTN,")
DASH_SPECKS = frozenset({";", ":", "~", "_", ".", "—", "–"})

# a folded line or item (`structure.text.fold`) that opens with the label
FOLDED_LABEL = re.compile(r"^LUU\s*[:.]?")
# a line opening with the label read as another word: "~ Lựa: VT" for "- Lưu: VT"; "ữu:
# VT," with the dash and the L lost (the tail of "Lưu", a colon and the registry's code)
LINE_LABEL_MISREAD = re.compile(
    rf"^(?:[~\-–]\s*L[ựưu][aau]?\s*[:;]|[~\-–]?\s*L?[ưữừứửựu]u?\s*[:;](?=\s*{_REGISTRY_READ}\b))",
    re.IGNORECASE,
)
# a folded item with the filing item glued on after its ";" ("...thôn bản; =LưuU: VT."):
# OCR joined the two rows, a speck standing for the dash
GLUED_LABEL = re.compile(r";\s*[^\w\s]{0,2}\s*LUU[A-Z]?\s*:\s*(?=\S)")
# the filing item's label as a bad copy reads it, a speck before it: "1u:", "=Lưu:", "Lau:"
# (its codes after it, capitals: "Lưu: TYT.")
ITEM_LABEL_READ = re.compile(r"^[=~_\-–]*\s*(?:[LlI1|]\.?)?[ưua]?u\s*[:;]\s*(?=[A-ZĐ]{2})")
_CODES_COMMA = re.compile(r",(?=[A-ZĐ])")  # "VT,NN": a comma whose space OCR lost


def mend_item(item: str) -> str:
    """The last recipient item of an OCR page with its filing label mended ("1u: TYT." ->
    "Lưu: TYT.", "=Lưu: TYT." -> "Lưu: TYT.") and a space after each comma between its
    codes ("Lưu: VT,NN." -> "Lưu: VT, NN."); any other item as it is."""
    m = ITEM_LABEL_READ.match(item)
    if m is None:
        return item
    return LABEL + " " + _CODES_COMMA.sub(", ", item[m.end() :])


# the filing item with its registry's code misread: label (1), punctuation (2), the rest (3)
ITEM_REGISTRY_MISREAD = re.compile(rf"^(Lưu\s*:\s*){_REGISTRY_MISREAD}([,.;]?)(\s+\S.*|\s*)$")

__all__ = [
    "FOLDED_LABEL",
    "GLUED_LABEL",
    "ITEM_LABEL_READ",
    "ITEM_REGISTRY_MISREAD",
    "DASH_SPECKS",
    "LABEL",
    "LABEL_LOOKALIKE",
    "LABEL_WORD",
    "LABEL_WORDS",
    "LINE_LABEL_MISREAD",
    "REGISTRY_WORD",
    "mend_item",
]
