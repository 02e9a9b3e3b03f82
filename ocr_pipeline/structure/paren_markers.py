"""Footnote markers typed in parentheses: "năm 2015(1);" with the body "(1) Luật số ..."
at the page's bottom, as some offices type them in place of raised digits.

A document uses them when a number appears both glued after a word or a punctuation mark
("2015(1);", "quy định.(2)") and opening a later line ("(1) Luật số ..."); those numbers,
and only those, are rewritten as the raised markers and plain body numbers every other
step reads ("2015¹;", "1 Luật số ..."), on the lines' text and `SrcLine.marks`. An
enumeration "(1) Nâng cao ...; (2) ..." has no glued twin, or stands under a lead-in
ending with ":", and stays as typed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ocr_pipeline.footnote_markers import encode
from ocr_pipeline.structure.document import SrcLine

# "(1)" right after a word's last character or its punctuation, before a space,
# punctuation or the line's end
_GLUED = re.compile(r"(?<=[^\s(])\((\d{1,2})\)(?=[\s.,;:!?)…]|$)")
_BODY = re.compile(r"^\s*\((\d{1,2})\)\s+(?=\S)")


def _used(pages: list[list[SrcLine]]) -> set[int]:
    """The numbers glued in text before a line that opens with them, that line not in an
    enumeration: a run of "(1) ...", "(2) ..." under a lead-in ending with ":" ("... gồm
    các nhiệm vụ sau:") is the text's list, whatever is glued elsewhere ("Điều 5(2)")."""
    glued_at: dict[int, int] = {}  # number -> the first line index it is glued on
    body_at: dict[int, int] = {}
    i = 0
    previous = ""  # the line before, and whether an enumeration runs through it
    listing = False
    for lines in pages:
        for ln in lines:
            for g in _GLUED.finditer(ln.text):
                glued_at.setdefault(int(g.group(1)), i)
            if (b := _BODY.match(ln.text)) is not None:
                listing = listing or previous.rstrip().endswith(":")
                if not listing:
                    body_at[int(b.group(1))] = i
            elif not ln.text.strip() or (previous.rstrip().endswith(".") and ln.text[:1].isupper()):
                listing = False  # a blank line, or a new paragraph: the list has ended
            previous = ln.text if ln.text.strip() else previous
            i += 1
    return {n for n, at in glued_at.items() if n in body_at and body_at[n] > at}


def from_parentheses(pages: list[list[SrcLine]]) -> list[list[SrcLine]]:
    """`pages` with parenthesised footnote markers and body numbers rewritten as raised
    markers and plain numbers (see the module docstring); unchanged when the document has
    none."""
    used = _used(pages)
    if not used:
        return pages

    def glued(m: re.Match) -> str:
        return encode(int(m.group(1))) if int(m.group(1)) in used else m.group(0)

    out = []
    for lines in pages:
        page = []
        for ln in lines:
            text = ln.text
            marks = list(ln.marks)
            found = [int(m.group(1)) for m in _GLUED.finditer(text) if int(m.group(1)) in used]
            if found:
                text = _GLUED.sub(glued, text)
                marks += found
            if (m := _BODY.match(text)) is not None and int(m.group(1)) in used:
                text = f"{m.group(1)} {text[m.end() :]}"
            page.append(ln if text == ln.text else replace(ln, text=text, marks=tuple(marks)))
        out.append(page)
    return out


__all__ = ["from_parentheses"]
