"""Held-out structure documents: structure_text output validates against the schema.

Deliberately no comparison with NAME.expected.json here: the held-out set is scored only by
scripts/bench_structure.py --data tests/data/structure_heldout, so that no test pins the
rules to it (see tests/data/structure_heldout/README.md).
"""

from pathlib import Path

import pytest

from ocr_pipeline.structure import structure_text, validate

HELDOUT = Path(__file__).parent / "data" / "structure_heldout"
DOCS = sorted(p.stem for p in HELDOUT.glob("*.txt"))


def test_heldout_set_present():
    assert len(DOCS) >= 4
    for name in DOCS:
        assert (HELDOUT / f"{name}.expected.json").is_file()


@pytest.mark.parametrize("name", DOCS)
@pytest.mark.parametrize("noblank", [False, True])
def test_heldout_output_validates(name, noblank):
    text = (HELDOUT / f"{name}.txt").read_text(encoding="utf-8")
    if noblank:
        text = "\n".join(ln for ln in text.split("\n") if ln.strip())
    validate(structure_text(text))
