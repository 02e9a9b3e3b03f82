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
    col: Sequence[Any],
    a: int,
    b: int,
    n1: int,
    n2: int,
    nform: str,
    before: dict[str, float] | None,
    before_place: dict[str, float] | None,
    after_caps: bool,
    term_next: dict[str, dict[str, float]],
    place_next: dict[str, dict[str, float]],
    scores: ScoreCache,
) -> list[float]: ...
