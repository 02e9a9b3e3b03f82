"""Types of the compiled lattice loops (ocr_pipeline/restore/_lattice.c)."""

from collections.abc import Callable, Sequence
from typing import Any

class ScoreCache:
    """Weighted trigram scores of a language model, cached (see the C source)."""

    def __init__(
        self, weight: float, limit: int, source: tuple[Any, ...] | Callable[[int, int, int], float]
    ) -> None: ...
    def score(self, a: int, b: int, c: int) -> float: ...
    def clear(self) -> None: ...
    def __len__(self) -> int: ...

def viterbi(
    ids: list[tuple[int, ...]],
    forms: list[tuple[str, ...]],
    chans: list[tuple[float, ...]],
    caps: list[bool],
    bos: int,
    scores: ScoreCache,
    term_next: dict[str, dict[str, float]],
    place_next: dict[str, dict[str, float]],
    beam: float,
) -> list[int]: ...
def local_scores(
    i: int,
    col: Sequence[Any],
    chosen: list[Any],
    caps: list[bool],
    bos: int,
    term_next: dict[str, dict[str, float]],
    place_next: dict[str, dict[str, float]],
    no_bonus: dict[str, float],
    scores: ScoreCache,
) -> list[float]: ...
def local_pass(
    lattice: list[tuple[Any, ...]],
    chosen: list[Any],
    path: list[int],
    todo: list[bool],
    caps: list[bool],
    bos: int,
    term_next: dict[str, dict[str, float]],
    place_next: dict[str, dict[str, float]],
    no_bonus: dict[str, float],
    scores: ScoreCache,
    margin: float,
    keep: bool,
) -> dict[int, list[float]]: ...
