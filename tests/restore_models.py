"""Skip marker shared by the tests that run restoration with the packaged models."""

from __future__ import annotations

from importlib import resources

import pytest


def needs_models(*tables: str) -> pytest.MarkDecorator:
    """Skip unless the language model and the confusion `tables` are in the package."""
    data = resources.files("ocr_pipeline").joinpath("data")
    present = all(data.joinpath(f).is_file() for f in ("vi_syllable_lm.npz", *tables))
    return pytest.mark.skipif(not present, reason="restore models not built")
