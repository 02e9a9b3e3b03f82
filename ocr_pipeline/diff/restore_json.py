"""Reader for the JSON of `ocr-pipeline restore --format json` (per-token confidence)."""

from __future__ import annotations

from typing import Any

from ocr_pipeline.diff.sides import DiffSide


def is_restore_json(data: Any) -> bool:
    return False


def side_from_restore_json(data: Any, path: str, name: str) -> DiffSide:
    raise NotImplementedError
