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


def _used(pages: list[list[SrcLine]]) -> tuple[set[int], set[tuple[int, int]]]:
    """The numbers glued in text before a line that opens with them, and those lines
    ((page, line) positions), none of them in an enumeration: a run of "(1) ...", "(2)
    ..." under a lead-in ending with ":" ("... gồm các nhiệm vụ sau:") is the text's
    list, whatever is glued elsewhere ("Điều 5(2)"); it ends at a blank line, a new
    paragraph or the page's end (notes under a lead-in read as its list stay text: the
    safer mistake, the citation's "(1)" kept as typed)."""
    glued_at: dict[int, int] = {}  # number -> the first line index it is glued on
    bodies: dict[int, tuple[int, tuple[int, int]]] = {}  # number -> (line index, position)
    i = 0
    for p, lines in enumerate(pages):
        previous = ""  # the last line with text, and whether a list runs through it
        listing = False
        for k, ln in enumerate(lines):
            for g in _GLUED.finditer(ln.text):
                glued_at.setdefault(int(g.group(1)), i)
            if (b := _BODY.match(ln.text)) is not None:
                listing = listing or previous.rstrip().endswith(":")
                if not listing:
                    bodies[int(b.group(1))] = (i, (p, k))
            elif not ln.text.strip() or (previous.rstrip().endswith(".") and ln.text[:1].isupper()):
                listing = False  # a blank line, or a new paragraph: the list has ended
            previous = ln.text if ln.text.strip() else previous
            i += 1
    used = {n for n, at in glued_at.items() if n in bodies and bodies[n][0] > at}
    return used, {bodies[n][1] for n in used}


def from_parentheses(pages: list[list[SrcLine]]) -> list[list[SrcLine]]:
    """`pages` with parenthesised footnote markers and body numbers rewritten as raised
    markers and plain numbers (see the module docstring); unchanged when the document has
    none."""
    used, body_lines = _used(pages)
    if not used:
        return pages

    def glued(m: re.Match) -> str:
        return encode(int(m.group(1))) if int(m.group(1)) in used else m.group(0)

    out = []
    for p, lines in enumerate(pages):
        page = []
        for k, ln in enumerate(lines):
            text = ln.text
            marks = list(ln.marks)
            found = [int(m.group(1)) for m in _GLUED.finditer(text) if int(m.group(1)) in used]
            if found:
                text = _GLUED.sub(glued, text)
                marks += found
            if (p, k) in body_lines and (m := _BODY.match(text)) is not None:
                text = f"{m.group(1)} {text[m.end() :]}"
            page.append(ln if text == ln.text else replace(ln, text=text, marks=tuple(marks)))
        out.append(page)
    return out


__all__ = ["from_parentheses"]
