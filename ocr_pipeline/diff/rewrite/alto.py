"""NAME.alto.xml as `WordLines`: TextLines and their Strings, in document order.

A changed String gets the new CONTENT and WC 1; what Tesseract read stays as
``<ALTERNATIVE PURPOSE="ocr">`` when it differs from the new word (as `export.alto`
writes it). Replaced Strings give way to new ones with split boxes (the first keeps its
ID, the others add ``_2``, ``_3``...), with SP elements between them; an added line is a
TextLine of zero height under the line before it, since its place on the page is unknown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ocr_pipeline.diff.readers.xml import local, parse
from ocr_pipeline.diff.rewrite import tree
from ocr_pipeline.diff.word_edits import split_box, union
from ocr_pipeline.model import BBox

HUMAN = "1"


def _ns(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _num(el: ET.Element, name: str) -> int:
    try:
        return round(float(el.get(name) or 0))
    except ValueError:
        return 0


def _box(el: ET.Element) -> BBox:
    left, top = _num(el, "HPOS"), _num(el, "VPOS")
    return BBox(left, top, left + _num(el, "WIDTH"), top + _num(el, "HEIGHT"))


def _set_box(el: ET.Element, box: BBox) -> None:
    el.set("HPOS", str(box.left))
    el.set("VPOS", str(box.top))
    el.set("WIDTH", str(box.width))
    el.set("HEIGHT", str(box.height))


def register_namespaces(text: str) -> None:
    """Keep the file's own prefixes when it is written back (ElementTree's are global)."""
    for prefix, uri in re.findall(r'xmlns(?::([\w.-]+))?="([^"]+)"', text[:4096]):
        ET.register_namespace(prefix, uri)


class AltoWords:
    def __init__(self, text: str, where: str) -> None:
        register_namespaces(text)
        self.prolog = text[: text.index("<alto")] if "<alto" in text else ""
        self.root = parse(text, where, "ALTO")
        self.ns = _ns(self.root.tag)
        self.parent = {child: el for el in self.root.iter() for child in el}
        self.lines: list[tuple[ET.Element, list[ET.Element]]] = []
        for line in self.root.iter(f"{self.ns}TextLine"):
            words = [
                s for s in line if local(s.tag) == "String" and (s.get("CONTENT") or "").strip()
            ]
            if words:
                self.lines.append((line, words))

    def line_words(self) -> list[list[str]]:
        return [[s.get("CONTENT") or "" for s in words] for _, words in self.lines]

    def _ocr(self, string: ET.Element) -> str:
        for alt in string:
            if local(alt.tag) == "ALTERNATIVE" and (alt.get("PURPOSE") or "").lower() == "ocr":
                return alt.text or ""
        return string.get("CONTENT") or ""

    def _write(self, string: ET.Element, text: str, ocr: str, indent: str | None) -> None:
        """CONTENT, WC 1, and Tesseract's reading as the ALTERNATIVE when it differs;
        `indent`: the whitespace before the String (its line's children's)."""
        string.set("CONTENT", text)
        string.set("WC", HUMAN)
        for alt in list(string):
            if local(alt.tag) == "ALTERNATIVE" and (alt.get("PURPOSE") or "").lower() == "ocr":
                string.remove(alt)
        if ocr and ocr != text:
            alt = ET.Element(f"{self.ns}ALTERNATIVE", {"PURPOSE": "ocr"})
            alt.text = ocr
            string.insert(0, alt)
        if len(string) and indent is not None:  # laid out as the exporter writes it
            string.text = indent + " "
            for child in string:
                child.tail = indent + " "
            string[-1].tail = indent
        elif not len(string):
            string.text = None

    def set_word(self, line: int, index: int, text: str) -> None:
        tl, words = self.lines[line]
        self._write(words[index], text, self._ocr(words[index]), tree.child_indent(tl))

    def replace_words(self, line: int, start: int, end: int, texts: Sequence[str]) -> None:
        tl, words = self.lines[line]
        old = words[start:end]
        ocr = " ".join(self._ocr(s) for s in old)
        indent = tree.child_indent(tl)
        children = list(tl)
        first, last = children.index(old[0]), children.index(old[-1])
        for el in children[first : last + 1]:  # the Strings and the SPs between them
            tree.remove(tl, el)
        new: list[ET.Element] = []
        for i, box in enumerate(split_box(union([_box(s) for s in old]), texts)):
            if new:
                right = _box(new[-1]).right
                space = {"HPOS": str(right), "VPOS": str(box.top), "WIDTH": str(box.left - right)}
                new.append(ET.Element(f"{self.ns}SP", space))
            string = ET.Element(f"{self.ns}String")
            if old[0].get("ID"):
                string.set("ID", old[0].get("ID", "") + (f"_{i + 1}" if i else ""))
            _set_box(string, box)
            self._write(string, texts[i], ocr if i == 0 else "", indent)
            new.append(string)
        for offset, el in enumerate(new):
            tree.insert_at(tl, first + offset, el)
        self._tidy_spaces(tl)

    def _tidy_spaces(self, tl: ET.Element) -> None:
        """No SP at either end of a line or twice in a row after words were removed."""
        kids = list(tl)
        keep: list[ET.Element] = []
        for i, el in enumerate(kids):
            if local(el.tag) == "SP":
                before = any(local(k.tag) != "SP" for k in kids[:i])
                after = any(local(k.tag) != "SP" for k in kids[i + 1 :])
                if not before or not after or (keep and local(keep[-1].tag) == "SP"):
                    tree.remove(tl, el)
                    continue
            keep.append(el)

    def remove_line(self, line: int) -> None:
        tl = self.lines[line][0]
        tree.remove(self.parent[tl], tl)

    def insert_line(self, after: int, texts: Sequence[str]) -> None:
        ref, ref_words = self.lines[max(after, 0)]
        block = self.parent[ref]
        whole = union([_box(s) for s in ref_words])
        top = whole.bottom if after >= 0 else whole.top
        line_box = BBox(whole.left, top, whole.right, top)
        count = sum(
            1
            for el in block.iter()
            if (el.get("ID") or "").startswith(ref.get("ID", "") + "_added")
        )
        ident = f"{ref.get('ID', 'line')}_added{count + 1}"
        tl = ET.Element(f"{self.ns}TextLine", {"ID": ident})
        _set_box(tl, line_box)
        tl.text = ref.text
        boxes = split_box(line_box, texts)
        for i, box in enumerate(boxes):
            if i:
                tree.insert_at(tl, len(tl), ET.Element(f"{self.ns}SP", {
                    "HPOS": str(boxes[i - 1].right), "VPOS": str(box.top),
                    "WIDTH": str(box.left - boxes[i - 1].right)}))  # fmt: skip
            string = ET.Element(f"{self.ns}String", {"ID": f"{ident}_w{i + 1}"})
            _set_box(string, box)
            self._write(string, texts[i], "", ref.text)
            tree.insert_at(tl, len(tl), string)
        if len(tl):
            tl[-1].tail = list(ref)[-1].tail
        tree.insert_at(block, list(block).index(ref) + (1 if after >= 0 else 0), tl)
        self.parent[tl] = block

    def serialize(self) -> str:
        return self.prolog + ET.tostring(self.root, encoding="unicode") + "\n"
