"""Types of the compiled lattice loop (ocr_pipeline/restore/_lattice.c)."""

from collections.abc import Callable
from typing import Any

def viterbi(
    ids: list[tuple[int, ...]],
    forms: list[tuple[str, ...]],
    chans: list[tuple[float, ...]],
    caps: list[bool],
    delta0: list[float],
    hist0: list[int],
    lm_cache: dict[tuple[int, int], Any],
    context: Callable[[int, int], Any],
    fill: Callable[[list[tuple[Any, int]]], None],
    term_next: dict[str, dict[str, float]],
    place_next: dict[str, dict[str, float]],
    beam: float,
) -> list[int]: ...
