"""The versions of the programs and libraries that produce a result (recorded in NAME.json).

Asked once per run, in the batch parent, before any work: a missing tesseract, language
model or poppler stops the run there (exit 3). Only the package metadata and the programs'
own `--version` are read, so the parent loads no image library for it. "tesseract_interface"
says how pages are read: in-process through libtesseract, or by the tesseract program
(`tesseract.interface`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from ocr_pipeline import __version__
from ocr_pipeline.tesseract import check_tesseract, interface


def tool_versions(lang: str = "vie") -> dict[str, str | None]:
    """Versions of the programs and libraries that produce a result (for NAME.json)."""
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
        "pytesseract": dist_version("pytesseract"),
        "opencv": dist_version("opencv-python-headless"),
        "pillow": dist_version("Pillow"),
    }


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def dist_version(name: str) -> str | None:
    """The installed version of distribution `name`, or None: what
    `importlib.metadata.version` answers, found as it does (the first `NAME-*.dist-info`
    on `sys.path`, its METADATA's Version) without importing it, which costs a run
    0.02 s of CPU (it loads the email package). Anything else (an egg, a zip, metadata
    it cannot read here) is asked of `importlib.metadata` itself."""
    wanted = _normalised(name)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem, dot, kind = folder.rpartition(".")
            if not dot or kind not in ("dist-info", "egg-info"):
                continue
            if _normalised(stem.partition("-")[0]) != wanted:
                continue
            if kind == "dist-info":
                version = _metadata_version(os.path.join(entry or ".", folder, "METADATA"))
                if version is not None:
                    return version
            return _by_importlib(name)
    return _by_importlib(name)


def _metadata_version(path: str) -> str | None:
    """The Version header of a METADATA file (None when it cannot be read or has none)."""
    try:
        with open(path, encoding="utf-8") as metadata:
            for line in metadata:
                if not line.strip():
                    return None  # the headers end here
                key, colon, value = line.partition(":")
                if colon and key.strip().lower() == "version":
                    return value.strip()
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _by_importlib(name: str) -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None
