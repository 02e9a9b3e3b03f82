"""Element moves that keep an indented XML file's layout: the whitespace ElementTree keeps
in `text` (before the first child) and `tail` (after an element) follows the elements.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET


def child_indent(parent: ET.Element) -> str | None:
    """The whitespace before each child of `parent` (its `text`)."""
    return parent.text


def remove(parent: ET.Element, el: ET.Element) -> None:
    kids = list(parent)
    i = kids.index(el)
    if i == len(kids) - 1 and i > 0:  # the one before now closes the parent
        kids[i - 1].tail = el.tail
    parent.remove(el)


def insert_at(parent: ET.Element, index: int, el: ET.Element) -> None:
    """Insert `el` as child number `index`, indented like its siblings."""
    kids = list(parent)
    sep = child_indent(parent)
    if index >= len(kids):  # the new last child: it closes the parent
        if kids:
            el.tail, kids[-1].tail = kids[-1].tail, sep
        parent.append(el)
        return
    el.tail = sep
    parent.insert(index, el)
