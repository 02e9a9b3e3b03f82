"""A paper issued with the document, typed after its signature.

A decision that issues a regulation, a plan or a list ("Ban hành kèm theo Quyết định này
Quy chế ...") often carries it on the pages after the signer's name: its own header (the
issuer and the national title again, or the type line alone: "QUY CHẾ", "KẾ HOẠCH",
"DANH SÁCH"), its subject, the note "(Ban hành kèm theo Quyết định số ...)", then its
body. `split_attachment` finds where such a paper starts, so the document's closing is
read before it and the paper joins the document's tree after the decision's own body, as
top-level nodes of its own (`builder.Zones.attached_from`): its header lines as
paragraphs, its chapters over its articles (as the held-out writers number them). An
annex opening "Phụ lục" with that note is one too; an annex without the note stays where it
is, after the closing.
"""

from __future__ import annotations

from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.header import doc_type_of, national_title
from ocr_pipeline.structure.labels import annex_opening
from ocr_pipeline.structure.text import ATTACHMENT_NOTE, fold

NOTE_WITHIN = 4  # the "(Ban hành kèm theo ...)" note stands within this many lines of the type
NOTE_LINES = 3  # and runs over this many lines at most


def split_attachment(lines: list[SrcLine], cut: int | None) -> tuple[list[SrcLine], list[SrcLine]]:
    """(the document's own lines, the attached paper's lines from its header on);
    (`lines`, []) when no paper follows the document's closing, which opens at `cut`
    (`closing.find_closing` of `lines`)."""
    if cut is None:
        return lines, []
    for k in range(cut + 1, len(lines)):
        if _attachment_start(lines, k) is not None:
            return lines[:k], lines[k:]
    return lines, []


def _attachment_start(lines: list[SrcLine], k: int) -> int | None:
    """Where the attached paper's body starts when lines[k] opens its header (a national
    title, its type line, or an annex's "Phụ lục", with the note under it); None
    otherwise."""
    opens = national_title(lines[k].text) is not None or annex_opening(lines[k].text, True)
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
