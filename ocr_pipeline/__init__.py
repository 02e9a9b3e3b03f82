"""ocr_pipeline: scanned Vietnamese administrative reports to correct, structured text.

Stages flow one way: raster -> preprocess -> ocr -> restore -> structure -> export.
Each stage is a module with a small public function; `pipeline` and `cli` sit on top.

The restoration API is importable from the package top (loaded on first use, so
``import ocr_pipeline`` stays light)::

    import ocr_pipeline
    ocr_pipeline.restore_text("Pang uy, chinh quyén")   # 'Đảng ủy, chính quyền'
    ocr_pipeline.restore.restore("Pang uy").tokens      # the per-token view
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# `ocr_pipeline.restore` is the restore subpackage itself (its `restore(text)` gives the
# per-token view); the functions below are re-exported from it
_RESTORE_API = (
    "restore_text",
    "restore_lines",
    "restore_page",
    "restore_document",
    "adapt_decoder",
    "detect_channel",
    "Restoration",
    "RestoredToken",
)

if TYPE_CHECKING:
    from ocr_pipeline.restore import (  # noqa: F401
        Restoration,
        RestoredToken,
        adapt_decoder,
        detect_channel,
        restore_document,
        restore_lines,
        restore_page,
        restore_text,
    )
    from ocr_pipeline.restore.lexicon import Lexicon  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _RESTORE_API:
        import importlib

        return getattr(importlib.import_module("ocr_pipeline.restore"), name)
    if name == "Lexicon":
        from ocr_pipeline.restore.lexicon import Lexicon

        return Lexicon
    raise AttributeError(f"module 'ocr_pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API and the subpackages loaded so far; not the names this file imports
    for itself (`annotations`, `TYPE_CHECKING`, `Any` were listed)."""
    import types

    loaded = [
        name
        for name, value in globals().items()
        if isinstance(value, types.ModuleType) or (name.startswith("__") and name.endswith("__"))
    ]
    return sorted({*__all__, *loaded})


__all__ = ["__version__", *_RESTORE_API, "Lexicon"]
