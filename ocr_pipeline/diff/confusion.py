"""Confusion tables: which graphemes and words one side has where the other has another.

For every changed line pair, each substituted grapheme gives one (A, B) entry (kind
``diacritic`` or ``letter``), each run of deleted or inserted graphemes one (A, "") or
("", B) entry; each changed word (see `LineDiff.word_changes`) one word entry. Entries
are counted over the document, most frequent first, each with up to `EXAMPLES` examples:
the A and B words it occurred in and the number of the difference (``#diff-N`` in the
page; with the document name in a batch). `ConfusionTable` adds tables of many documents
(``diff --summary``, the directory index).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ocr_pipeline.diff.align import DELETE, DIACRITIC, EQUAL, INSERT, LETTER

if TYPE_CHECKING:
    from ocr_pipeline.diff.report import LineDiff

EXAMPLES = 3
KEEP = 1000  # entries kept per table in a report's JSON (the most frequent)

Key = tuple[str, str, str]  # (a, b, kind)


@dataclass(slots=True)
class ConfusionTable:
    """Counts of (a, b, kind) entries and a few examples of each."""

    counts: Counter[Key] = field(default_factory=Counter)
    examples: dict[Key, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, key: Key, example: dict[str, Any], count: int = 1) -> None:
        self.counts[key] += count
        kept = self.examples.setdefault(key, [])
        if len(kept) < EXAMPLES and example not in kept:
            kept.append(example)

    def merge(self, rows: Iterable[dict[str, Any]], document: str) -> None:
        """Add the rows of a report's JSON table; one example per document is kept (tagged
        with `document`), so a batch's examples show several documents."""
        for row in rows:
            key = (row["a"], row["b"], row["kind"])
            examples = row.get("examples") or [{}]
            self.add(key, {**examples[0], "document": document}, int(row["count"]))

    def rows(self, limit: int | None = KEEP) -> list[dict[str, Any]]:
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [
            {"a": a, "b": b, "kind": kind, "count": n, "examples": self.examples[(a, b, kind)]}
            for (a, b, kind), n in ranked[:limit]
        ]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _word_at(units: Sequence[str], i: int) -> str:
    """The word (non-space run) around grapheme `i`, or "" for a space or outside."""
    if not 0 <= i < len(units) or units[i].isspace():
        return ""
    lo = i
    while lo > 0 and not units[lo - 1].isspace():
        lo -= 1
    hi = i + 1
    while hi < len(units) and not units[hi].isspace():
        hi += 1
    return "".join(units[lo:hi])


def line_confusions(ld: LineDiff, chars: ConfusionTable, words: ConfusionTable) -> None:
    """Add one changed line pair's grapheme and word confusions to the tables."""
    a_units = ld.a.units if ld.a else []
    b_units = ld.b.units if ld.b else []
    pa, pb = ld.a_keys_pos, ld.b_keys_pos
    for op in ld.ops:
        if op.tag == EQUAL:
            continue
        if op.tag in (DIACRITIC, LETTER):
            for t in range(op.a2 - op.a1):
                ia, ib = pa[op.a1 + t], pb[op.b1 + t]
                chars.add(
                    (a_units[ia], b_units[ib], op.tag),
                    {
                        "a": _word_at(a_units, ia),
                        "b": _word_at(b_units, ib),
                        "diff": ld.diff_number,
                    },
                )
        elif op.tag == DELETE:
            ia = pa[op.a1]
            ib = pb[op.b1] if op.b1 < len(pb) else (pb[-1] if pb else -1)
            text = "".join(a_units[p] for p in pa[op.a1 : op.a2])
            chars.add(
                (text, "", DELETE),
                {
                    "a": _word_at(a_units, ia) or text,
                    "b": _word_at(b_units, ib),
                    "diff": ld.diff_number,
                },
            )
        elif op.tag == INSERT:
            ib = pb[op.b1]
            ia = pa[op.a1] if op.a1 < len(pa) else (pa[-1] if pa else -1)
            text = "".join(b_units[p] for p in pb[op.b1 : op.b2])
            chars.add(
                ("", text, INSERT),
                {
                    "a": _word_at(a_units, ia),
                    "b": _word_at(b_units, ib) or text,
                    "diff": ld.diff_number,
                },
            )
    for wa, wb, kind in ld.word_changes:
        words.add((wa, wb, kind), {"diff": ld.diff_number})


def confusion_tables(lines: Iterable[LineDiff]) -> tuple[ConfusionTable, ConfusionTable]:
    """(graphemes, words) confusion tables of a document's line pairs."""
    chars, words = ConfusionTable(), ConfusionTable()
    for ld in lines:
        if ld.changed:
            line_confusions(ld, chars, words)
    return chars, words
