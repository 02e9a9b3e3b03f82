"""Run metadata exporter: NAME.json (schema "ocr_pipeline/run@1").

Says what was read (file, sha256, page count, media type), how each page went (size,
dpi, status, error, mean confidence, skew, seconds, word count), where the time went,
which options were used and which tool versions produced the result, when restoration
ran what the document-level restore step did ("restoration": the share of words the
restorer was unsure of, whether the document was re-restored adapted to itself and the
adaptation, as `restore --json` records it; `pipeline._restore_document`), and, when the
structure stage ran, the document tree ("structure", schema "ocr_pipeline/document@1").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.model import Document, Page

SCHEMA = "ocr_pipeline/run@1"


def is_run_metadata(data: object) -> bool:
    """Whether parsed JSON is run's NAME.json, of this or any version of its schema."""
    schema = data.get("schema") if isinstance(data, dict) else None
    return isinstance(schema, str) and schema.split("@")[0] == SCHEMA.split("@")[0]


def _page_entry(page: Page) -> dict[str, Any]:
    return {
        "number": page.number,
        "width": page.width,
        "height": page.height,
        "dpi": page.dpi,
        "status": page.status,
        "error": page.error,
        "mean_confidence": page.mean_confidence,
        "orientation": page.orientation,
        "skew_angle": round(page.skew_angle, 3),
        "seconds": round(page.seconds, 3),
        "words": len(page.words),
        "own_text": page.own_text,
    }


def to_metadata(
    document: Document,
    *,
    options: Mapping[str, Any] | None = None,
    versions: Mapping[str, str] | None = None,
    structure: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The metadata as a JSON-ready dict."""
    src = document.source
    meta = {
        "schema": SCHEMA,
        "source": {
            "file": src.file,
            "sha256": src.sha256,
            "pages": src.pages,
            "media_type": src.media_type,
        },
        "pages": [_page_entry(p) for p in document.pages],
        "timings": {k: round(v, 3) for k, v in document.timings.items()},
        "options": dict(options or {}),
        "versions": dict(versions or {}),
    }
    if document.restoration is not None:
        meta["restoration"] = document.restoration
    if structure is not None:
        meta["structure"] = dict(structure)
    return meta


def to_metadata_json(document: Document, **kwargs: Any) -> str:
    return json.dumps(to_metadata(document, **kwargs), ensure_ascii=False, indent=2) + "\n"


def write_metadata(
    document: Document,
    path: Path,
    *,
    options: Mapping[str, Any] | None = None,
    versions: Mapping[str, str] | None = None,
    structure: Mapping[str, Any] | None = None,
) -> None:
    write_atomic(
        Path(path),
        to_metadata_json(document, options=options, versions=versions, structure=structure),
    )
