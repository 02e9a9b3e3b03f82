"""Group a page's OCR lines into blocks for the hOCR and ALTO exporters.

Without a structure tree the blocks are Tesseract's own (`Line.block`, paragraphs from
`Line.paragraph`). With the tree from `structure.structure_pages`, every node that has a
box on the page (`prov: [{"page", "bbox"}]`) is a candidate region, and each OCR line
goes to the smallest region holding its centre, so a heading, a paragraph or the header's
issuer become one block each, labelled with the node's kind. Lines no region holds keep
their Tesseract block. Blocks come out in reading order (order of their first line).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ocr_pipeline.model import BBox, Line, Page


@dataclass
class Block:
    """Lines of one block; `kind` is the structure node's kind (None for OCR blocks)."""

    key: tuple
    kind: str | None
    lines: list[Line] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        box = self.lines[0].bbox
        for line in self.lines[1:]:
            box = box.union(line.bbox)
        return box

    def paragraphs(self) -> list[list[Line]]:
        """Consecutive lines with the same Tesseract paragraph id (one per structure node)."""
        if self.kind is not None:
            return [self.lines]
        out: list[list[Line]] = []
        for line in self.lines:
            if out and out[-1][-1].paragraph == line.paragraph:
                out[-1].append(line)
            else:
                out.append([line])
        return out


def _regions(node: Any, page: int, kind: str | None = None) -> Iterator[tuple[str, BBox]]:
    """(kind, bbox) of every node in the tree with a box on `page`."""
    if isinstance(node, Mapping):
        kind = str(node.get("kind") or kind or "block")
        for entry in node.get("prov") or ():
            box = entry.get("bbox") if isinstance(entry, Mapping) else None
            if entry.get("page") == page and box and len(box) == 4:
                yield kind, BBox(*(int(v) for v in box))
        for key, value in node.items():
            if key != "prov" and isinstance(value, Mapping | list):
                yield from _regions(value, page, key)  # a node's own "kind" wins
    elif isinstance(node, list):
        for item in node:
            yield from _regions(item, page, kind)


def page_blocks(page: Page, structure: Mapping[str, Any] | None = None) -> list[Block]:
    """The page's non-empty lines grouped into blocks, in reading order."""
    regions = list(_regions(structure, page.number)) if structure else []
    regions.sort(key=lambda r: r[1].width * r[1].height)
    blocks: dict[tuple, Block] = {}
    for line in page.lines:
        if not line.words:
            continue
        cx = (line.bbox.left + line.bbox.right) / 2
        cy = (line.bbox.top + line.bbox.bottom) / 2
        key: tuple = ("ocr", line.block)
        kind = None
        for index, (region_kind, box) in enumerate(regions):
            if box.left <= cx <= box.right and box.top <= cy <= box.bottom:
                key, kind = ("node", index), region_kind
                break
        blocks.setdefault(key, Block(key, kind)).lines.append(line)
    return list(blocks.values())
