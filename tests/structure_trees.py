"""Helpers the structure rule tests share: a text's validated tree and its nodes in order."""

from __future__ import annotations

from collections.abc import Iterator

from ocr_pipeline.structure import structure_text, validate


def structured(lines: list[str]) -> dict:
    """The structure tree of `lines` (one text), checked against the JSON Schema."""
    doc = structure_text("\n".join(lines))
    validate(doc)
    return doc


def walk(nodes: list[dict]) -> Iterator[dict]:
    """Every node of a body, sections before their children, in reading order."""
    for n in nodes:
        yield n
        if n["kind"] == "section":
            yield from walk(n["children"])
