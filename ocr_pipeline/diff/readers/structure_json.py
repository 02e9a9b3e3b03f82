"""Reader for the document tree of ``ocr-pipeline structure`` (schema ``ocr_pipeline/document@1``).

The tree is read back as text in reading order: header fields (issuer, national title,
motto, "Số: number", "place, ngày D tháng M năm Y", document type, subject), the body (a
section's label and title, a list item's marker and text, paragraphs), recipients ("Nơi
nhận:", then "- " before each, as NĐ 30 prints the list), signature lines, then footnotes
("n text"). Furniture (page numbers, running headers) is left out, as in the Markdown
export. A paragraph is one line here, however many lines it had on the page, so the side
is marked `paragraphs`: the comparison cuts it at the other side's line breaks
(`ocr_pipeline.diff.reflow`). What the tree does not keep cannot be read back: the colon
after an inline title ("1. Ngày 10: text" is the title "Ngày 10" and the text), and where
the "Số:" line stood among the header's two columns.
"""

from __future__ import annotations

from typing import Any

from ocr_pipeline.diff.normalize import clean_line
from ocr_pipeline.diff.sides import DiffSide, SideLine
from ocr_pipeline.structure.closing import signature_lines
from ocr_pipeline.structure.dates import dated_line

SCHEMA_PREFIX = "ocr_pipeline/document@"


def is_structure_json(data: Any) -> bool:
    schema = data.get("schema") if isinstance(data, dict) else None
    return isinstance(schema, str) and schema.startswith(SCHEMA_PREFIX)


def _page(node: dict, default: int) -> int:
    page = node.get("page")
    return page if isinstance(page, int) and page > 0 else default


def _body(nodes: list, out: list[tuple[str, int]], page: int) -> int:
    for node in nodes:
        if not isinstance(node, dict):
            continue
        page = _page(node, page)
        if node.get("kind") == "section":
            title = node.get("title") or ""
            out.append((f"{node.get('label') or ''} {title}", page))
            page = _body(node.get("children") or [], out, page)
        else:
            marker = node.get("marker")
            out.append(((f"{marker} " if marker else "") + str(node.get("text") or ""), page))
    return page


def side_from_structure_json(data: dict, path: str, name: str) -> DiffSide:
    texts: list[tuple[str, int]] = []
    header = data.get("header") or {}
    page = _page(header, 1)
    for line in header.get("issuer") or []:
        texts.append((str(line), page))
    for key in ("national_title", "motto"):
        if header.get(key):
            texts.append((str(header[key]), page))
    if header.get("number"):
        texts.append((f"Số: {header['number']}", page))
    if dated := dated_line(header.get("place"), header.get("date")):
        texts.append((dated, page))
    for key in ("doc_type", "subject"):
        if header.get(key):
            texts.append((str(header[key]), page))
    page = _body(data.get("body") or [], texts, page)
    recipients = data.get("recipients") or []
    if recipients:
        texts.append(("Nơi nhận:", page))
        texts.extend((f"- {r}", page) for r in recipients)  # printed as a dash list
    signature = data.get("signature") or {}
    page = _page(signature, page)
    for sig in [signature, *(data.get("other_signatures") or [])]:
        texts.extend((line, page) for _key, line in signature_lines(sig or {}))
    for copy in data.get("copies") or []:  # a copy's certification under the document
        at = _page(copy, page)
        printed = [*(copy.get("issuer") or []), copy.get("kind")]
        if copy.get("number"):
            printed.append(f"Số: {copy['number']}")
        printed.append(dated_line(copy.get("place"), copy.get("date")))
        printed += copy.get("text") or []
        if copy.get("recipients"):
            printed += ["Nơi nhận:", *(f"- {r}" for r in copy["recipients"])]
        printed += [line for _key, line in signature_lines(copy.get("signature") or {})]
        texts.extend((str(line), at) for line in printed if line)
    for note in data.get("footnotes") or []:
        if isinstance(note, dict):
            texts.append((f"{note.get('number', '')} {note.get('text', '')}", _page(note, page)))
    lines = []
    for number, (text, pg) in enumerate(texts, start=1):
        cleaned = clean_line(text)
        if cleaned:
            lines.append(SideLine(cleaned, number, pg))
    return DiffSide(path, "structure-json", lines, name, paragraphs=True)
