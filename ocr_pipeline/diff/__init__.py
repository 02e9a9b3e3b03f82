"""Reviewer diff: grapheme-level alignment, CER/WER, diacritic-only vs letter differences,
JSON and a self-contained side-by-side HTML page (in the spirit of dinglehopper).

Public API: `load_side`, `compare_sides`, `compare_texts`, `Normalization`, `DiffReport`,
`render_html`, `render_index`.
"""

from ocr_pipeline.diff.metrics import compare_sides, compare_texts
from ocr_pipeline.diff.normalize import Normalization
from ocr_pipeline.diff.report import DiffReport, LineDiff, Metrics
from ocr_pipeline.diff.sides import DiffSide, SideLine, Token, load_side

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
    "load_side",
]
