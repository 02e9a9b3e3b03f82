"""Types of the compiled language-model lookups (ocr_pipeline/restore/_lm_lookup.c)."""

from collections.abc import Sequence

from typing_extensions import Buffer

def trigram_logprobs(
    keys3: Buffer,
    logp3: Buffer,
    keys2: Buffer,
    logp2: Buffer,
    bow2: Buffer,
    bow1: Buffer,
    logp1: Buffer,
    bits: int,
    a: Sequence[int],
    b: Sequence[int],
    c: Sequence[int],
) -> list[float]: ...
