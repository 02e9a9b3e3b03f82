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
from collections.abc import Iterable, Iterator
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
    stream: pikepdf.Object,
    resources: pikepdf.Object | None,
    seen: set[tuple[int, int]],
    depth: int = 0,
    mode: int = 0,
) -> Iterator[tuple[pikepdf.Object, int, bool]]:
    """(the stream, the instruction's index, drawn invisibly) of every text-showing
    instruction of `stream` and of the forms it draws, each form read once (`seen`: a
    form drawn many times, or drawing itself, is not read again); a form starts with the
    render mode of the place that draws it."""
    try:
        instructions = pikepdf.parse_content_stream(stream)
    except pikepdf.PdfError:
        return
    forms = _forms(resources)
    saved: list[int] = []
    for k, instruction in enumerate(instructions):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            saved.append(mode)
        elif op == "Q":
            mode = saved.pop() if saved else 0
        elif op == "Tr" and operands:
            mode = _render_mode(operands[0], mode)
        elif op in _SHOWS_TEXT:
            yield stream, k, mode == INVISIBLE
        elif op == "Do" and operands and depth < _MAX_DEPTH:
            form = forms.get(str(operands[0]))
            if form is not None and form.objgen not in seen:
                seen.add(form.objgen)
                form_resources = form.get("/Resources", resources)
                yield from _text_draws(form, form_resources, seen, depth + 1, mode)


def _render_mode(operand: pikepdf.Object, mode: int) -> int:
    """A "Tr" operand's text render mode; a malformed one leaves the mode as it was."""
    try:
        return int(operand)
    except (TypeError, ValueError):
        return mode


def _page_draws(page: pikepdf.Page) -> list[tuple[pikepdf.Object, int, bool]]:
    return list(_text_draws(page.obj, page.obj.get("/Resources"), set()))


def _all_invisible(draws: list[tuple[pikepdf.Object, int, bool]]) -> bool:
    return bool(draws) and all(invisible for _stream, _k, invisible in draws)


def holds_invisible_layer_only(page: pikepdf.Page) -> bool:
    """The page draws text, and all of it invisibly: an earlier OCR's layer."""
    return _all_invisible(_page_draws(page))


def invisible_layer_pages(path: str | os.PathLike[str], numbers: Iterable[int]) -> set[int]:
    """Which of the pages `numbers` of the PDF `path` hold an earlier OCR's invisible layer
    as their only text (`holds_invisible_layer_only`); none when the PDF cannot be read."""
    try:
        with pikepdf.open(Path(path)) as pdf:
            return {
                n
                for n in numbers
                if 1 <= n <= len(pdf.pages) and holds_invisible_layer_only(pdf.pages[n - 1])
            }
    except (pikepdf.PdfError, OSError, ValueError) as err:
        log.info("%s: text layers not read (%s)", path, err)
        return set()


def remove_invisible_text(page: pikepdf.Page) -> int:
    """Take the text instructions out of a page whose text is all drawn invisibly (an
    earlier OCR's layer: `holds_invisible_layer_only`), in the page and the forms it draws;
    return how many were taken out. A page that draws visible text is left as it is: an
    instruction taken out would take its text advance and line moves with it, moving the
    visible text after it."""
    draws = _page_draws(page)
    if not _all_invisible(draws):
        return 0
    by_stream: dict[tuple[int, int], tuple[pikepdf.Object, set[int]]] = {}
    for stream, k, _invisible in draws:  # the instructions to take out, stream by stream
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
