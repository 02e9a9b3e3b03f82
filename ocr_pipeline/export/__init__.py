"""Exporters: turn a finished `model.Document` into files, without changing its content.

Each exporter has a pure `to_*` function returning the file content and a `write_*`
function writing it atomically. `write_run_outputs` writes the set `ocr-pipeline run`
produces: NAME.txt, NAME.words.tsv and NAME.json.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ocr_pipeline.export.metadata import to_metadata, write_metadata
from ocr_pipeline.export.text import to_text, write_text
from ocr_pipeline.export.words import to_words_tsv, write_words_tsv
from ocr_pipeline.model import Document

__all__ = [
    "output_paths",
    "to_metadata",
    "to_text",
    "to_words_tsv",
    "write_metadata",
    "write_run_outputs",
    "write_text",
    "write_words_tsv",
]


def output_paths(outdir: Path, name: str) -> dict[str, Path]:
    """The files `write_run_outputs` writes for `name`, keyed by kind."""
    outdir = Path(outdir)
    return {
        "text": outdir / f"{name}.txt",
        "words": outdir / f"{name}.words.tsv",
        "metadata": outdir / f"{name}.json",
    }


def write_run_outputs(
    document: Document,
    outdir: Path,
    name: str,
    *,
    options: Mapping[str, Any] | None = None,
    versions: Mapping[str, str] | None = None,
    structure: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Write NAME.txt, NAME.words.tsv and NAME.json (metadata last) into `outdir`."""
    paths = output_paths(outdir, name)
    write_text(document, paths["text"])
    write_words_tsv(document, paths["words"])
    write_metadata(
        document, paths["metadata"], options=options, versions=versions, structure=structure
    )
    return paths
