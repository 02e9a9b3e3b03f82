"""NAME.hocr as `WordLines`: ``ocr_line`` elements and their ``ocrx_word``s.

A changed word gets its new text and ``data-restore-conf="1"``; ``data-ocr-text`` keeps
what Tesseract read when it differs from the new word (as `export.hocr` writes it), and
``x_wconf`` stays Tesseract's. Replaced words give way to new ones with split boxes; an
added line is an ``ocr_line`` of zero height under the line before it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ocr_pipeline.diff.readers.xml import parse
from ocr_pipeline.diff.rewrite import tree
from ocr_pipeline.diff.rewrite.alto import register_namespaces
from ocr_pipeline.diff.word_edits import split_box, union
from ocr_pipeline.model import BBox

HUMAN = "1"
LINE_CLASSES = frozenset({"ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat"})
_BBOX = re.compile(r"\bbbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
_WCONF = re.compile(r"\bx_wconf\s+(-?[\d.]+)")


def _classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el: ET.Element) -> str:
    return "".join(el.itertext())


def _box(el: ET.Element) -> BBox:
    m = _BBOX.search(el.get("title") or "")
    return BBox(*(int(v) for v in m.groups())) if m else BBox(0, 0, 0, 0)


def _title(box: BBox, wconf: str | None) -> str:
    bbox = f"bbox {box.left} {box.top} {box.right} {box.bottom}"
    return f"{bbox}; x_wconf {wconf}" if wconf is not None else bbox


class HocrWords:
    def __init__(self, text: str, where: str) -> None:
        register_namespaces(text)
        self.prolog = text[: text.index("<html")] if "<html" in text else ""
        self.root = parse(text, where, "hOCR")
        self.parent = {child: el for el in self.root.iter() for child in el}
        self.lines: list[tuple[ET.Element, list[ET.Element]]] = []
        for el in self.root.iter():
            if _classes(el) & LINE_CLASSES:
                words = [w for w in el.iter() if "ocrx_word" in _classes(w) and _text(w).strip()]
                if words:
                    self.lines.append((el, words))

    def line_words(self) -> list[list[str]]:
        return [[_text(w).strip() for w in words] for _, words in self.lines]

    def _write(self, word: ET.Element, text: str, ocr: str) -> None:
        for child in list(word):
            word.remove(child)
        word.text = text
        word.set("data-restore-conf", HUMAN)
        word.attrib.pop("data-ocr-text", None)
        if ocr and ocr != text:
            word.set("data-ocr-text", ocr)
            conf = word.attrib.pop("data-restore-conf")
            word.set("data-restore-conf", conf)  # after data-ocr-text, as the exporter

    def set_word(self, line: int, index: int, text: str) -> None:
        word = self.lines[line][1][index]
        self._write(word, text, word.get("data-ocr-text") or _text(word).strip())

    def replace_words(self, line: int, start: int, end: int, texts: Sequence[str]) -> None:
        words = self.lines[line][1][start:end]
        holder = self.parent[words[0]]
        ocr = " ".join(w.get("data-ocr-text") or _text(w).strip() for w in words)
        confs = [float(m.group(1)) for w in words if (m := _WCONF.search(w.get("title") or ""))]
        wconf = str(round(min(confs))) if confs else None
        at = list(holder).index(words[0])
        for w in words:
            tree.remove(self.parent[w], w)
        for i, box in enumerate(split_box(union([_box(w) for w in words]), texts)):
            el = ET.Element(words[0].tag, {"class": "ocrx_word"})
            ident = words[0].get("id")
            if ident:
                el.set("id", ident + (f"_{i + 1}" if i else ""))
            el.set("title", _title(box, wconf))
            self._write(el, texts[i], ocr if i == 0 else "")
            tree.insert_at(holder, at + i, el)
            self.parent[el] = holder

    def remove_line(self, line: int) -> None:
        el = self.lines[line][0]
        tree.remove(self.parent[el], el)

    def insert_line(self, after: int, texts: Sequence[str]) -> None:
        ref, ref_words = self.lines[max(after, 0)]
        holder = self.parent[ref]
        whole = union([_box(w) for w in ref_words])
        top = whole.bottom if after >= 0 else whole.top
        line_box = BBox(whole.left, top, whole.right, top)
        ident = ref.get("id") or "line"
        count = sum(1 for el in holder if (el.get("id") or "").startswith(ident + "_added"))
        ident = f"{ident}_added{count + 1}"
        line = ET.Element(
            ref.tag, {"class": "ocr_line", "id": ident, "title": _title(line_box, None)}
        )
        line.text = ref.text
        for i, box in enumerate(split_box(line_box, texts)):
            el = ET.Element(ref_words[0].tag, {"class": "ocrx_word", "id": f"{ident}_w{i + 1}",
                                               "title": _title(box, None)})  # fmt: skip
            self._write(el, texts[i], "")
            tree.insert_at(line, len(line), el)
        if len(line):
            line[-1].tail = list(ref)[-1].tail
        tree.insert_at(holder, list(holder).index(ref) + (1 if after >= 0 else 0), line)
        self.parent[line] = holder

    def serialize(self) -> str:
        return self.prolog + ET.tostring(self.root, encoding="unicode") + "\n"
