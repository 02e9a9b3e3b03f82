"""Types of the compiled lattice loops (ocr_pipeline/restore/_lattice.c)."""

from collections.abc import Callable, Sequence
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
def local_scores(
    col: Sequence[Any],
    here: Any,
    b: int,
    n1: int,
    n2: int,
    nform: str,
    before: dict[str, float] | None,
    before_place: dict[str, float] | None,
    after_caps: bool,
    term_next: dict[str, dict[str, float]],
    place_next: dict[str, dict[str, float]],
    lm_cache: dict[tuple[int, int], Any],
    context: Callable[[int, int], Any],
    miss: Callable[[Any, int], float],
) -> list[float]: ...
def prefill(
    lattice: list[tuple[Any, ...]],
    ids: list[int],
    todo: list[bool],
    bos: int,
    lm_cache: dict[tuple[int, int], Any],
    context: Callable[[int, int], Any],
) -> list[tuple[Any, int]]: ...
