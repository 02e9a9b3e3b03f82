"""Shared test set-up: the `needs_tesseract` marker.

Mark a test (or a module, with `pytestmark`) `@pytest.mark.needs_tesseract` when it runs
the real tesseract binary; it is skipped, with the reason shown by `-ra`, where tesseract
is not installed. Markers are registered in pyproject.toml (`--strict-markers`).
"""

from __future__ import annotations

import shutil

import pytest

HAVE_TESSERACT = shutil.which("tesseract") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if HAVE_TESSERACT:
        return
    skip = pytest.mark.skip(reason="tesseract not installed")
    for item in items:
        if item.get_closest_marker("needs_tesseract") is not None:
            item.add_marker(skip)
