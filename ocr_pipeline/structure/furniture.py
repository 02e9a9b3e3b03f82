"""Page furniture: page numbers and running headers/footers, removed from the body.

A page number is a lone number line ("3", "- 3 -", "Trang 3", "3/14") as the first or
last line of a page. A running header/footer is a top/bottom line repeated (digits
ignored) on at least half of the pages, two at least.
"""

from __future__ import annotations

import re
from collections import Counter

from ocr_pipeline.structure.document import SrcLine, prov

_PAGE_NO = re.compile(r"^[-–—(\[]?\s*(?:[Tt]rang\s*)?(\d{1,3})\s*(?:/\s*\d{1,3})?\s*[-–—)\]]?$")


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def split_furniture(pages: list[list[SrcLine]]) -> tuple[list[list[SrcLine]], list[dict]]:
    furniture: list[dict] = []
    n_pages = len(pages)
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        keys = {_key(ln.text) for ln in lines[:1] + lines[-1:] if not _PAGE_NO.match(ln.text)}
        edge_counts.update(keys)
    repeated = {k for k, c in edge_counts.items() if c >= 2 and c >= n_pages / 2 and len(k) > 3}
    kept_pages = []
    for lines in pages:
        drop: dict[int, str] = {}
        for pos in (0, len(lines) - 1):
            if not lines or pos in drop:
                continue
            ln = lines[pos]
            m = _PAGE_NO.match(ln.text)
            if m and 0 < int(m.group(1)) <= 2 * n_pages + 5 and (n_pages > 1 or len(lines) > 3):
                drop[pos] = "page_number"
            elif _key(ln.text) in repeated:
                drop[pos] = "page_header" if pos == 0 else "page_footer"
        # a page number under a running header (or above a footer)
        for pos in (1, len(lines) - 2):
            if 0 <= pos < len(lines) and pos not in drop and _PAGE_NO.match(lines[pos].text):
                if (pos == 1 and 0 in drop) or (pos == len(lines) - 2 and len(lines) - 1 in drop):
                    drop[pos] = "page_number"
        for pos in sorted(drop):
            ln = lines[pos]
            furniture.append({"kind": drop[pos], "text": ln.text, "page": ln.page,
                              "prov": prov([ln])})
        kept_pages.append([ln for i, ln in enumerate(lines) if i not in drop])
    return kept_pages, furniture
