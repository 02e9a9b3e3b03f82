"""Reviewer diff: grapheme-level alignment, CER/WER, diacritic-only vs letter differences,
JSON and a self-contained side-by-side HTML page (in the spirit of dinglehopper).

Public API: `load_side`, `compare_sides`, `compare_texts`, `Normalization`, `DiffReport`,
`diff_files`, `diff_directories`, `render_html`, `render_index`.
"""

from ocr_pipeline.diff.html import render_html, render_index
from ocr_pipeline.diff.metrics import compare_sides, compare_texts
from ocr_pipeline.diff.normalize import Normalization
from ocr_pipeline.diff.readers import load_side
from ocr_pipeline.diff.report import DiffReport, LineDiff, Metrics
from ocr_pipeline.diff.run import diff_directories, diff_files
from ocr_pipeline.diff.sides import DiffSide, SideLine, Token

__all__ = [
    "DiffReport",
    "DiffSide",
    "LineDiff",
    "Metrics",
    "Normalization",
    "SideLine",
    "Token",
    "compare_sides",
    "compare_texts",
    "diff_directories",
    "diff_files",
    "load_side",
    "render_html",
    "render_index",
]
