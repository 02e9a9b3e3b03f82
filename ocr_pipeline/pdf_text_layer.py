"""An earlier OCR's invisible text layer on a PDF page: found, and taken out before ours.

OCR programs (Tesseract's PDF renderer, OCRmyPDF, a scanner's software) lay the text they
read over the page image in text render mode 3, invisible. A page whose text is all drawn
so is a scan with an earlier OCR's layer: the searchable PDF replaces that layer with ours
(`export.pdf`), where a second layer would have searches find every word twice and the
old one is often far worse. Text drawn visibly (typed, born-digital) is never touched:
such a page keeps its own text (`Page.own_text`).

The page's content and the form XObjects it draws (OCRmyPDF puts its layer in one) are
read with pikepdf; the text render mode is followed through the graphics state's saves
and restores (q/Q).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pikepdf

log = logging.getLogger(__name__)

INVISIBLE = 3  # the text render mode that paints nothing
_SHOWS_TEXT = frozenset({"Tj", "TJ", "'", '"'})
_MAX_DEPTH = 8  # forms drawing forms: deeper nesting is not followed


def _forms(resources: pikepdf.Object | None) -> dict[str, pikepdf.Object]:
    """Name -> form XObject of a resources dictionary."""
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(xobjects, pikepdf.Dictionary):
        return {}
    return {
        str(name): x
        for name, x in xobjects.items()
        if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == pikepdf.Name.Form
    }


def _text_draws(
    stream: pikepdf.Object, resources: pikepdf.Object | None, depth: int = 0
) -> Iterator[tuple[pikepdf.Object, int, bool]]:
    """(the stream, the instruction's index, drawn invisibly) of every text-showing
    instruction of `stream` and of the forms it draws."""
    try:
        instructions = pikepdf.parse_content_stream(stream)
    except pikepdf.PdfError:
        return
    forms = _forms(resources)
    mode, saved = 0, []
    for k, instruction in enumerate(instructions):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            saved.append(mode)
        elif op == "Q":
            mode = saved.pop() if saved else 0
        elif op == "Tr" and operands:
            mode = int(operands[0])
        elif op in _SHOWS_TEXT:
            yield stream, k, mode == INVISIBLE
        elif op == "Do" and operands and depth < _MAX_DEPTH:
            form = forms.get(str(operands[0]))
            if form is not None:
                yield from _text_draws(form, form.get("/Resources", resources), depth + 1)


def _page_draws(page: pikepdf.Page) -> list[tuple[pikepdf.Object, int, bool]]:
    return list(_text_draws(page.obj, page.obj.get("/Resources")))


def holds_invisible_layer_only(page: pikepdf.Page) -> bool:
    """The page draws text, and all of it invisibly: an earlier OCR's layer."""
    draws = _page_draws(page)
    return bool(draws) and all(invisible for _stream, _k, invisible in draws)


def invisible_layer_pages(path: str | os.PathLike[str]) -> set[int]:
    """The numbers of the pages of the PDF `path` whose text is an earlier OCR's invisible
    layer only (`holds_invisible_layer_only`); an empty set when the PDF cannot be read."""
    try:
        with pikepdf.open(Path(path)) as pdf:
            return {
                n for n, page in enumerate(pdf.pages, start=1) if holds_invisible_layer_only(page)
            }
    except (pikepdf.PdfError, OSError, ValueError) as err:
        log.info("%s: text layers not read (%s)", path, err)
        return set()


def remove_invisible_text(page: pikepdf.Page) -> int:
    """Take every invisibly drawn text instruction out of `page` and the forms it draws;
    return how many were taken out. Visible text is kept."""
    by_stream: dict[tuple[int, int], tuple[pikepdf.Object, set[int]]] = {}
    for stream, k, invisible in _page_draws(page):
        if invisible:  # a form drawn twice is one object: its instructions taken out once
            key = stream.objgen if stream.is_indirect else (-1, id(stream))
            by_stream.setdefault(key, (stream, set()))[1].add(k)
    removed = 0
    for stream, drop in by_stream.values():
        kept = [ins for k, ins in enumerate(pikepdf.parse_content_stream(stream)) if k not in drop]
        data = pikepdf.unparse_content_stream(kept)
        if isinstance(stream, pikepdf.Stream):
            stream.write(data)
        else:  # the page itself: its content, one stream or an array of them made one
            page.contents_coalesce()
            page.obj.Contents.write(data)
        removed += len(drop)
    return removed


__all__ = ["holds_invisible_layer_only", "invisible_layer_pages", "remove_invisible_text"]
