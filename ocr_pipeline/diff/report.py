"""The comparison result as plain dataclasses, and its JSON form (schema ``ocr_pipeline/diff@1``).

JSON layout (all counts are grapheme clusters or whitespace-separated words)::

    {
      "schema": "ocr_pipeline/diff@1",
      "a": {"path", "kind", "lines"}, "b": {...},      # A is the reference (denominator)
      "normalization": {"ignore_case", "ignore_punctuation", "fold_tones", "fold_diacritics"},
      "low_confidence_threshold": 0.8,
      "metrics": {
        "cer", "wer",                       # distance / reference length (A), 0..inf
        "ref_chars", "hyp_chars", "char_distance",
        "substitutions", "insertions", "deletions",
        "diacritic_only",                   # substitutions with the same base letter
        "letter",                           # every other edit: char_distance - diacritic_only
        "ref_words", "hyp_words", "word_distance",
        "word_diacritic_only",              # word substitutions equal once marks are removed
        "lines_a", "lines_b", "lines_paired", "lines_changed", "lines_only_a", "lines_only_b",
        "low_confidence_a", "low_confidence_b",
        "words_with_confidence_a", "words_with_confidence_b"   # words carrying a confidence
      },
      "confusions": {                       # most frequent first (at most 1000 each)
        "chars": [{"a": "ô", "b": "o", "kind": "diacritic|letter|delete|insert", "count": 3,
                   "examples": [{"a": "công", "b": "cong", "diff": 4}]}],   # A/B words
        "words": [{"a": "công", "b": "cong", "kind": "...", "count": 2,
                   "examples": [{"diff": 4}]}]
      },
      "alignment": {"line_comparisons", "replace_blocks", "largest_block"},
      "lines": [                            # one entry per line pair, in document order
        {"index": 1, "a_lines": [12], "b_lines": [12], "a_page": 1, "b_page": 1,
         "a": "text", "b": "text", "distance": 2, "diacritic": 2, "letter": 0,
         "ref_chars": 8, "word_distance": 2, "ref_words": 2,
         "diff": 1,                         # n-th changed line (id "diff-1" in the HTML)
         "ops": [{"op": "equal|diacritic|letter|insert|delete", "a": "..", "b": ".."}],
         "words": [["cong", "công", "diacritic"], ["x1", "xã", "letter"], ["", "a", "insert"]]}
      ]                                     # "diff", "ops", "words" only on changed lines
                                            # "words": changed words (normalised forms)
                                            # "low_confidence": [{"side", "text", "confidence",
                                            #   "original", "alternatives"}] when any
    }
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ocr_pipeline.diff.align import AlignStats, Op
from ocr_pipeline.diff.confusion import ConfusionTable
from ocr_pipeline.diff.normalize import Normalization
from ocr_pipeline.diff.sides import DiffSide, SideLine
from ocr_pipeline.review_flag import LOW_CONFIDENCE

SCHEMA = "ocr_pipeline/diff@1"


@dataclass(slots=True)
class Metrics:
    cer: float = 0.0
    wer: float = 0.0
    ref_chars: int = 0
    hyp_chars: int = 0
    char_distance: int = 0
    substitutions: int = 0
    insertions: int = 0
    deletions: int = 0
    diacritic_only: int = 0
    letter: int = 0
    ref_words: int = 0
    hyp_words: int = 0
    word_distance: int = 0
    word_diacritic_only: int = 0
    lines_a: int = 0
    lines_b: int = 0
    lines_paired: int = 0
    lines_changed: int = 0
    lines_only_a: int = 0
    lines_only_b: int = 0
    low_confidence_a: int = 0
    low_confidence_b: int = 0
    words_with_confidence_a: int = 0  # words that carry a confidence at all
    words_with_confidence_b: int = 0

    @property
    def low_confidence_share(self) -> float | None:
        """Share of B's words below the threshold; None when B carries no confidences."""
        if not self.words_with_confidence_b:
            return None
        return self.low_confidence_b / self.words_with_confidence_b

    def summary(self) -> str:
        """The one-line summary the command prints."""
        pairs = self.lines_paired + self.lines_only_a + self.lines_only_b
        return (
            f"CER {self.cer:.2%} ({self.char_distance}/{self.ref_chars}), "
            f"WER {self.wer:.2%} ({self.word_distance}/{self.ref_words}), "
            f"diacritic-only {self.diacritic_only}, letter {self.letter}, "
            f"lines changed {self.lines_changed}/{pairs}"
        )


@dataclass(slots=True)
class LineDiff:
    """One line pair. `a`/`b` are the (joined) source lines, None when absent on that side.

    `a_status`/`b_status` hold one character per grapheme of the displayed line:
    "=" equal, "d" diacritic-only change, "l" letter change, "x" deleted (A) / inserted (B),
    "." not compared (ignored punctuation or extra space).
    """

    a: SideLine | None
    b: SideLine | None
    ops: list[Op]  # the alignment runs; emptied for unchanged lines
    a_status: str
    b_status: str
    ref_chars: int = 0
    hyp_chars: int = 0
    distance: int = 0
    substitutions: int = 0
    insertions: int = 0
    deletions: int = 0
    diacritic: int = 0
    ref_words: int = 0
    hyp_words: int = 0
    word_distance: int = 0
    word_diacritic: int = 0
    diff_number: int = 0  # 1-based among changed lines, 0 when unchanged
    word_changes: list[tuple[str, str, str]] = field(default_factory=list)  # (a, b, kind)
    a_keys_pos: Sequence[int] = field(default_factory=list, repr=False)  # a range when all
    b_keys_pos: Sequence[int] = field(default_factory=list, repr=False)  # units compare

    @property
    def changed(self) -> bool:
        return self.distance > 0

    @property
    def letter(self) -> int:
        return self.distance - self.diacritic

    def op_texts(self) -> list[dict[str, str]]:
        a_units = self.a.units if self.a else []
        b_units = self.b.units if self.b else []
        out = []
        for op in self.ops:
            out.append(
                {
                    "op": op.tag,
                    "a": "".join(a_units[p] for p in self.a_keys_pos[op.a1 : op.a2]),
                    "b": "".join(b_units[p] for p in self.b_keys_pos[op.b1 : op.b2]),
                }
            )
        return out

    def to_dict(self, index: int, low_confidence: float = LOW_CONFIDENCE) -> dict[str, Any]:
        d: dict[str, Any] = {
            "index": index,
            "a_lines": _numbers(self.a),
            "b_lines": _numbers(self.b),
            "a_page": self.a.page if self.a else None,
            "b_page": self.b.page if self.b else None,
            "a": self.a.text if self.a else None,
            "b": self.b.text if self.b else None,
            "distance": self.distance,
            "diacritic": self.diacritic,
            "letter": self.letter,
            "ref_chars": self.ref_chars,
            "word_distance": self.word_distance,
            "ref_words": self.ref_words,
        }
        if self.changed:
            d["diff"] = self.diff_number
            d["ops"] = self.op_texts()
            d["words"] = [list(change) for change in self.word_changes]
        low = [
            {
                "side": side,
                "text": t.text,
                "confidence": round(t.confidence, 4),
                "original": t.original,
                "alternatives": list(t.alternatives),
            }
            for side, line in (("a", self.a), ("b", self.b))
            if line is not None
            for t in line.tokens or ()
            if t.confidence is not None and t.confidence < low_confidence
        ]
        if low:
            d["low_confidence"] = low
        return d


def _numbers(line: SideLine | None) -> list[int]:
    if line is None:
        return []
    return list(line.numbers) if line.numbers else [line.number]


@dataclass(slots=True)
class DiffReport:
    a: DiffSide
    b: DiffSide
    normalization: Normalization
    metrics: Metrics
    lines: list[LineDiff]
    stats: AlignStats
    low_confidence: float = LOW_CONFIDENCE
    char_confusions: ConfusionTable = field(default_factory=ConfusionTable)
    word_confusions: ConfusionTable = field(default_factory=ConfusionTable)

    def changed_lines(self) -> list[LineDiff]:
        return [ln for ln in self.lines if ln.changed]

    def to_dict(self, *, include_lines: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "a": {"path": self.a.path, "kind": self.a.kind, "lines": len(self.a.lines)},
            "b": {"path": self.b.path, "kind": self.b.kind, "lines": len(self.b.lines)},
            "normalization": self.normalization.to_dict(),
            "low_confidence_threshold": self.low_confidence,
            "metrics": asdict(self.metrics),
            "alignment": asdict(self.stats),
        }
        d["metrics"]["cer"] = round(self.metrics.cer, 6)
        d["metrics"]["wer"] = round(self.metrics.wer, 6)
        if include_lines:
            d["confusions"] = self.confusions()
            d["lines"] = [
                ln.to_dict(i, self.low_confidence) for i, ln in enumerate(self.lines, start=1)
            ]
        return d

    def confusions(self) -> dict[str, list[dict[str, Any]]]:
        return {"chars": self.char_confusions.rows(), "words": self.word_confusions.rows()}

    def to_json(self) -> str:
        """Indented head, then one compact line per confusion and per line pair."""
        return "".join(self.iter_json())

    def iter_json(self) -> Iterator[str]:
        """`to_json` piece by piece (a large report is written without being held whole)."""
        head = json.dumps(self.to_dict(include_lines=False), ensure_ascii=False, indent=1)
        tables = {k: _compact_rows(v) for k, v in self.confusions().items()}
        yield (
            f'{head[:-2]},\n "confusions": {{\n  "chars": [\n{tables["chars"]}\n  ],\n'
            f'  "words": [\n{tables["words"]}\n  ]\n }},\n "lines": [\n'
        )
        for i, ln in enumerate(self.lines, start=1):
            row = json.dumps(
                ln.to_dict(i, self.low_confidence), ensure_ascii=False, separators=(",", ":")
            )
            yield row if i == 1 else ",\n" + row
        yield "\n ]\n}\n"


def _compact_rows(rows) -> str:
    return ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
