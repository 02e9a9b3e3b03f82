"""Reader for hOCR (Tesseract's, ours, or any tool's; HTML or XHTML, not validated).

Pages are ``ocr_page`` elements (``ppageno`` + 1 when given), lines are ``ocr_line`` and
its kin (``ocr_header``, ``ocr_caption``, ``ocr_textfloat``, ``ocrx_line``), words are
``ocrx_word`` (a line without words is split on spaces). The confidence is the restore
confidence ``data-restore-conf`` that ``ocr-pipeline run`` writes, else ``x_wconf``/100;
``data-ocr-text`` is the original OCR form. Boxes are not used (see the ALTO reader).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ocr_pipeline.diff.sides import DiffSide, SideLine, Token

LINE_CLASSES = frozenset({"ocr_line", "ocrx_line", "ocr_header", "ocr_caption",
                          "ocr_textfloat"})  # fmt: skip
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                   "meta", "param", "source", "track", "wbr"})  # fmt: skip
_WCONF = re.compile(r"\bx_wconf\s+(-?[\d.]+)")
_PPAGENO = re.compile(r"\bppageno\s+(\d+)")


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, role)
        self.lines: list[tuple[int, list[Token]]] = []
        self.page = 0
        self.line: list[Token] | None = None
        self.line_text: list[str] = []
        self.word: dict | None = None
        self.word_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        role = None
        if "ocr_page" in classes:
            role = "page"
            self._end_line()
            match = _PPAGENO.search(a.get("title") or "")
            self.page = int(match.group(1)) + 1 if match else self.page + 1
        elif classes & LINE_CLASSES:
            role = "line"
            self._end_line()
            self.line, self.line_text = [], []
        elif "ocrx_word" in classes:
            role = "word"
            self.word, self.word_text = a, []
        if tag not in _VOID:
            self.stack.append((tag, role))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br",) and self.word is not None:
            self.word_text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, _ in self.stack):
            return  # stray end tag
        while self.stack:
            t, role = self.stack.pop()
            if role == "word":
                self._end_word()
            elif role == "line":
                self._end_line()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.word is not None:
            self.word_text.append(data)
        elif self.line is not None:
            self.line_text.append(data)

    def _end_word(self) -> None:
        if self.word is None:
            return
        a, text = self.word, "".join(self.word_text)
        self.word = None
        if self.line is None or not text.strip():
            return
        match = _WCONF.search(a.get("title") or "")
        wconf = float(match.group(1)) if match else None
        restore = _float(a.get("data-restore-conf"))
        conf = (
            restore
            if restore is not None
            else (wconf / 100.0 if wconf is not None and wconf >= 0 else None)
        )
        for piece in text.split():  # a word element holding spaces is several words
            self.line.append(
                Token(
                    text=piece,
                    confidence=conf,
                    original=a.get("data-ocr-text"),
                    page=max(1, self.page),
                    ocr_confidence=wconf,
                )
            )

    def _end_line(self) -> None:
        self._end_word()
        if self.line is None:
            return
        tokens = self.line or [
            Token(text=w, page=max(1, self.page)) for w in "".join(self.line_text).split()
        ]
        self.lines.append((max(1, self.page), tokens))
        self.line = None

    def close(self) -> None:
        super().close()
        self._end_line()


def side_from_hocr(text: str, path: str = "<hocr>", name: str = "hocr") -> DiffSide:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    lines: list[SideLine] = []
    for number, (page, tokens) in enumerate(parser.lines, start=1):
        line = SideLine.from_tokens(tokens, number, page)
        if line.text:
            lines.append(line)
    return DiffSide(path, "hocr", lines, name)
