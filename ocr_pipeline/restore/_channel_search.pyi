"""Types of the compiled channel loops (ocr_pipeline/restore/_channel_search.c)."""

from collections.abc import Sequence

from typing_extensions import Buffer

def search(
    children: Buffer,
    letters: int,
    is_word: Buffer,
    steps: Sequence[
        tuple[
            Sequence[tuple[int, float]],
            Sequence[tuple[int, float]],
            int,
            Sequence[tuple[int, float]],
            float,
        ]
    ],
    dels: Sequence[tuple[int, float]],
    reach_dels: Sequence[tuple[int, float]],
    wild_mask: int,
    wild: float,
    limits: tuple[int, int, int, int, float, int, int],
) -> list[tuple[int, float]]: ...
def dp_score(
    chars: tuple[str, ...],
    pairs: tuple[str, ...],
    ins: tuple[float, ...],
    emit: dict[str, dict[str, float]],
    other: dict[str, float],
    unknown: tuple[float, float, float],
    no_insert: float,
    syllable: str,
) -> float: ...
def rank(
    chars: tuple[str, ...],
    pairs: tuple[str, ...],
    ins: tuple[float, ...],
    emit: dict[str, dict[str, float]],
    other: dict[str, float],
    unknown: tuple[float, float, float],
    no_insert: float,
    skeletons: list[tuple[str, float]],
    index: dict[str, list[tuple[str, float]]],
    k: int,
    weight: float,
    own: str | None,
) -> tuple[list[tuple[str, float]], float | None]: ...
def align(
    ocr: str,
    syllable: str,
    emit: dict[str, dict[str, float]],
    other: dict[str, float],
    insert: dict[str, float],
    insert_other: float,
    unknown: tuple[float, float, float],
) -> list[tuple[str, str]]: ...
