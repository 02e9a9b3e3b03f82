"""A regulation issued with the document, typed after its signature.

A decision that issues a regulation ("Ban hành kèm theo Quyết định này Quy chế ...") often
carries it on the pages after the signer's name: its own header (the issuer and the
national title again, or the type line alone: "QUY CHẾ"), its subject, the note "(Ban hành
kèm theo Quyết định số ...)", then its chapters and articles. `split_attachment` finds
where such a regulation starts, so the document's closing is read before it and the
regulation joins the document's tree after the decision's own body: its header lines as
paragraphs, its chapters over its articles (as the held-out writers number them). An
annex with no chapter or article of its own (a form, a list: "Phụ lục", "DANH SÁCH ...")
is left where it is.
"""

from __future__ import annotations

from ocr_pipeline.structure.closing import find_closing
from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.header import ATTACHMENT_NOTE, doc_type_of, national_title
from ocr_pipeline.structure.labels import parse_label
from ocr_pipeline.structure.text import fold

NOTE_WITHIN = 4  # the "(Ban hành kèm theo ...)" note stands within this many lines of the type
NOTE_LINES = 3  # and runs over this many lines at most


def split_attachment(lines: list[SrcLine]) -> tuple[list[SrcLine], list[SrcLine]]:
    """(the document's own lines, the attached regulation's lines from its header on);
    (`lines`, []) when no regulation follows the document's closing."""
    cut = find_closing(lines)
    if cut is None:
        return lines, []
    for k in range(cut + 1, len(lines)):
        start = _attachment_start(lines, k)
        if start is None:
            continue
        if not any(_REGULATION_LABEL.intersection(_kinds(ln)) for ln in lines[start:]):
            return lines, []  # a form or a list: no chapter or article of its own
        return lines[:k], lines[k:]
    return lines, []


_REGULATION_LABEL = {"chapter", "article"}


def _kinds(ln: SrcLine) -> set[str]:
    label = parse_label(ln.text)
    return {label.kind} if label is not None else set()


def _attachment_start(lines: list[SrcLine], k: int) -> int | None:
    """Where the attached regulation's body starts when lines[k] opens its header (a
    national title, or its type line with the note under it); None otherwise."""
    opens = national_title(lines[k].text) is not None
    end = min(len(lines), k + NOTE_WITHIN + 3)
    for j in range(k, end):
        if not opens and j == k and doc_type_of(lines[j].text, qualified=False) is None:
            return None
        if ATTACHMENT_NOTE.match(fold(lines[j].text)):
            close = next(
                (i for i in range(j, min(len(lines), j + NOTE_LINES)) if ")" in lines[i].text),
                None,
            )
            return None if close is None else close + 1
    return None


__all__ = ["split_attachment"]
