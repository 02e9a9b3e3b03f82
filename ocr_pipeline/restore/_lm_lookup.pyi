"""Types of the compiled language-model lookups (ocr_pipeline/restore/_lm_lookup.c)."""

from collections.abc import Sequence

# the tables: C-contiguous arrays (numpy's typing does not declare the buffer protocol)
Buffer = object

def trigram_logprobs(
    keys3: Buffer,
    logp3: Buffer,
    starts3: Buffer,
    keys2: Buffer,
    logp2: Buffer,
    bow2: Buffer,
    starts2: Buffer,
    bow1: Buffer,
    logp1: Buffer,
    bits: int,
    a: Sequence[int],
    b: Sequence[int],
    c: Sequence[int],
) -> list[float]: ...
