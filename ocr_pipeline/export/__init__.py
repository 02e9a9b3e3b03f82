"""Exporters: turn a finished `model.Document` into files, without changing its content.

Each exporter has a pure `to_*` function returning the file content and a `write_*`
function writing it atomically. `write_run_outputs` writes the set `ocr-pipeline run`
produces: NAME.txt, NAME.words.tsv and NAME.json always, and on request the archive
formats (`--output-type`): NAME.ocr.pdf (searchable PDF with the restored words; with
"pdfa" the same file as PDF/A-2b, converted by OCRmyPDF, `export.pdfa`), NAME.hocr
(hOCR 1.2) and NAME.alto.xml (ALTO v4); each table found, NAME.table-N.csv and .md.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocr_pipeline.export.metadata import to_metadata, write_metadata
from ocr_pipeline.export.text import to_text, write_text
from ocr_pipeline.export.words import to_words_tsv, write_words_tsv
from ocr_pipeline.model import Document

if TYPE_CHECKING:
    from ocr_pipeline.export.pdf import PageImage

__all__ = [
    "ARCHIVE_TYPES",
    "OUTPUT_TYPES",
    "output_paths",
    "to_metadata",
    "to_text",
    "to_words_tsv",
    "write_metadata",
    "write_run_outputs",
    "write_text",
    "write_words_tsv",
]


# --output-type values beyond the always-written txt/words.tsv/json, and their suffixes;
# "pdfa" is the searchable PDF as PDF/A-2b, same file name (with both, pdfa is written)
ARCHIVE_TYPES = {"pdf": ".ocr.pdf", "pdfa": ".ocr.pdf", "hocr": ".hocr", "alto": ".alto.xml"}
OUTPUT_TYPES = ("txt", *ARCHIVE_TYPES)


def output_paths(outdir: Path, name: str, output_types: Collection[str] = ()) -> dict[str, Path]:
    """The files `write_run_outputs` writes for `name`, keyed by kind."""
    outdir = Path(outdir)
    paths = {
        "text": outdir / f"{name}.txt",
        "words": outdir / f"{name}.words.tsv",
        "metadata": outdir / f"{name}.json",
    }
    for kind, suffix in ARCHIVE_TYPES.items():
        if kind in output_types and not (kind == "pdf" and "pdfa" in output_types):
            paths[kind] = outdir / f"{name}{suffix}"
    return paths


def write_run_outputs(
    document: Document,
    outdir: Path,
    name: str,
    *,
    options: Mapping[str, Any] | None = None,
    versions: Mapping[str, str] | None = None,
    structure: Mapping[str, Any] | None = None,
    output_types: Collection[str] = (),
    source_path: Path | None = None,
    page_image: PageImage | None = None,
) -> dict[str, Path]:
    """Write NAME.txt, NAME.words.tsv, the requested archive formats, and NAME.json last.

    `source_path` (the file that was OCR'd) is needed for "pdf" and "pdfa": its pages are
    the image layer under the restored text; for an image input, `page_image` gives each
    page's original pixels (see `export.pdf`). The PDF/A, which needs OCRmyPDF (and for
    some source PDFs Ghostscript), is written first so that a missing program leaves no
    output of the document behind.
    """
    # each archive writer loads only when asked for (pikepdf alone is ~0.04 s of CPU)
    from ocr_pipeline.export.tables import write_tables

    paths = output_paths(outdir, name, output_types)
    if "pdf" in paths or "pdfa" in paths:
        if source_path is None:
            raise ValueError("the searchable PDF needs the source file (source_path)")
        if "pdfa" in paths:
            from ocr_pipeline.export.pdfa import write_pdfa

            write_pdfa(document, Path(source_path), paths["pdfa"], page_image)
        else:  # before the text: a page it cannot hold must leave nothing behind
            from ocr_pipeline.export.pdf import write_searchable_pdf

            write_searchable_pdf(document, Path(source_path), paths["pdf"], page_image)
    write_text(document, paths["text"])
    write_words_tsv(document, paths["words"])
    if "hocr" in paths:
        from ocr_pipeline.export.hocr import write_hocr

        write_hocr(document, paths["hocr"], structure)
    if "alto" in paths:
        from ocr_pipeline.export.alto import write_alto

        write_alto(document, paths["alto"], structure, versions=versions)
    paths.update(write_tables(document, Path(outdir), name))  # NAME.table-N.csv / .md
    write_metadata(
        document, paths["metadata"], options=options, versions=versions, structure=structure
    )
    return paths
