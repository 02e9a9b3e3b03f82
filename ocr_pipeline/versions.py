"""The versions of the programs and libraries that produce a result (recorded in NAME.json).

Asked once per run, in the batch parent, before any work: a missing tesseract, language
model or poppler stops the run there (exit 3). Only the package metadata and the programs'
own `--version` are read, so the parent loads no image library for it. "tesseract_interface"
says how pages are read: in-process through libtesseract, or by the tesseract program
(`tesseract.interface`).
"""

from __future__ import annotations

import importlib.metadata
import subprocess

from ocr_pipeline import __version__
from ocr_pipeline.tesseract import check_tesseract, interface


def tool_versions(lang: str = "vie") -> dict[str, str | None]:
    """Versions of the programs and libraries that produce a result (for NAME.json)."""

    def dist(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    try:
        poppler = subprocess.run(["pdfinfo", "-v"], capture_output=True, text=True,
                                 timeout=30, check=False)  # fmt: skip
        out = (poppler.stderr + poppler.stdout).split()
        poppler_version = out[out.index("version") + 1] if "version" in out else None
    except (OSError, subprocess.TimeoutExpired, IndexError):
        poppler_version = None
    return {
        "ocr_pipeline": __version__,
        "tesseract": check_tesseract(lang),
        "tesseract_interface": interface(),
        "poppler": poppler_version,
        "pytesseract": dist("pytesseract"),
        "opencv": dist("opencv-python-headless"),
        "pillow": dist("Pillow"),
    }
