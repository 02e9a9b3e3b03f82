"""Reader for ALTO (versions 1.x-4.x, any namespace): the words of every TextLine.

Lines are the TextLines in document order; words are String/@CONTENT separated by SP.
A HYP element (end-of-line hyphen) is glued to the word before it, as printed. WC (0-1)
is the word's confidence; an ``ALTERNATIVE`` with PURPOSE="ocr" (what ``ocr-pipeline run``
writes when restoration changed a word) is the original OCR form, other ALTERNATIVEs are
shown as alternatives. Pages are the Page elements (PHYSICAL_IMG_NR when given). Boxes
are not used: ALTO coordinates are in the original image's pixels (or mm10/inch1200),
not the deskewed page the word crops are cut from.
"""

from __future__ import annotations

from dataclasses import replace

from ocr_pipeline.diff.readers.xml import local, parse
from ocr_pipeline.diff.sides import DiffSide, SideLine, Token


def _confidence(value: str | None) -> float | None:
    try:
        conf = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return conf if conf is not None and 0.0 <= conf <= 1.0 else None


def _string_token(el, page: int) -> Token:
    original = None
    alternatives = []
    for alt in el:
        if local(alt.tag) != "ALTERNATIVE" or not (alt.text or "").strip():
            continue
        if (alt.get("PURPOSE") or "").lower() == "ocr" and original is None:
            original = alt.text.strip()
        else:
            alternatives.append(alt.text.strip())
    return Token(
        text=el.get("CONTENT") or "",
        confidence=_confidence(el.get("WC")),
        original=original,
        alternatives=tuple(alternatives),
        page=page,
    )


def side_from_alto(text: str, path: str = "<alto>", name: str = "alto") -> DiffSide:
    root = parse(text, path, "ALTO")
    lines: list[SideLine] = []
    number = 0
    pages = [el for el in root.iter() if local(el.tag) == "Page"] or [root]
    for index, page_el in enumerate(pages, start=1):
        try:
            page = int(page_el.get("PHYSICAL_IMG_NR") or index)
        except ValueError:
            page = index
        for line_el in page_el.iter():
            if local(line_el.tag) != "TextLine":
                continue
            tokens: list[Token] = []
            for el in line_el:
                kind = local(el.tag)
                if kind == "String":
                    tokens.append(_string_token(el, page))
                elif kind == "HYP" and tokens:
                    tokens[-1] = replace(
                        tokens[-1], text=tokens[-1].text + (el.get("CONTENT") or "-")
                    )
            number += 1
            line = SideLine.from_tokens(tokens, number, page)
            if line.text:
                lines.append(line)
    return DiffSide(path, "alto", lines, name)
