"""Structure stage: restored text or OCR pages -> document tree JSON (schema document@1).

Public API:
    structure_text(text, source=None) -> dict   plain text, form feed = page break
    structure_pages(pages, source=None) -> dict  model.Page list (word boxes -> bbox prov)
    validate(doc) -> None                        raises jsonschema.ValidationError
    load_schema() -> dict

The tree follows Nghị định 30/2020/NĐ-CP (header, body, closing) and docling's model:
body vs furniture, provenance (page, and bbox when word boxes exist) on every node.
The stage knows no output format: Markdown of a tree is `ocr_pipeline.export.markdown`.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from ocr_pipeline.model import Page
from ocr_pipeline.structure.builder import build
from ocr_pipeline.structure.document import SCHEMA_ID
from ocr_pipeline.structure.lines import lines_from_pages, lines_from_text
from ocr_pipeline.structure.markers import with_lost_markers
from ocr_pipeline.tables import join_tables, tables_to_json

__all__ = ["SCHEMA_ID", "structure_text", "structure_pages", "validate", "load_schema"]


def structure_text(text: str, source: dict | None = None) -> dict:
    """Structure plain restored text; pages are separated by form feeds (\\f)."""
    return build(lines_from_text(text or ""), source, boxes=False)


def structure_pages(pages: list[Page], source: dict | None = None) -> dict:
    """Structure OCR pages; word boxes give bbox provenance and split header columns.

    Footnote markers OCR lost are put back on the pages first (`markers.with_lost_markers`,
    the layout-side `lost_markers` search); the tree is then built once from their lines."""
    ok = [p for p in pages if p.lines]
    if not ok:
        doc = structure_text("", source)
        doc["source"]["pages"] = len(pages)
        return doc
    ok = with_lost_markers(ok)  # a layout repair that needs the footnotes' reading
    doc = build(lines_from_pages(ok), {"pages": len(pages), **(source or {})}, boxes=True)
    tables = join_tables(ok)
    if tables:  # a document without tables keeps its tree exactly as before
        doc["tables"] = tables_to_json(tables)
    return doc


@functools.cache
def load_schema() -> dict:
    text = (
        resources.files("ocr_pipeline")
        .joinpath("schemas/document.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


@functools.cache
def _validator():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(load_schema())
    return jsonschema.Draft202012Validator(load_schema())


def validate(doc: dict) -> None:
    """Raise jsonschema.ValidationError when `doc` does not follow the schema."""
    _validator().validate(doc)
