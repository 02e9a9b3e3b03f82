"""CER, WER and the diacritic-only / letter split, per line pair and for a whole document.

A is the reference: CER = grapheme edit distance / graphemes of A, WER = word edit
distance / words of A (dinglehopper's convention: `diff GT OCR`). Spaces inside a line are
graphemes too; line breaks are not. A line present on one side only counts entirely as
deletions (A) or insertions (B). When the reference is empty, the rate is 0 if the other
side is empty too, else 1.

A substitution is *diacritic-only* when both graphemes have the same base letters once
every mark is removed and đ is read as d ("o" -> "ô", "ế" -> "ể", "d" -> "đ"); every other
edit (other substitutions, insertions, deletions) is a *letter* difference. A word
substitution is diacritic-only when the two words are equal without marks.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from ocr_pipeline.diff.align import (
    DELETE,
    DIACRITIC,
    EQUAL,
    INSERT,
    LETTER,
    AlignStats,
    align_units,
    pair_lines,
)
from ocr_pipeline.diff.confusion import confusion_tables
from ocr_pipeline.diff.normalize import Normalization, comparable, strip_marks
from ocr_pipeline.diff.reflow import as_compared
from ocr_pipeline.diff.report import DiffReport, LineDiff, Metrics
from ocr_pipeline.diff.sides import DiffSide, SideLine, join_lines
from ocr_pipeline.review_flag import LOW_CONFIDENCE

_STATUS = {EQUAL: "=", DIACRITIC: "d", LETTER: "l", INSERT: "x", DELETE: "x"}


def _words(keys: Sequence[str]) -> list[str]:
    return "".join(keys).split(" ") if keys else []


def _status(ops: list, pos: Sequence[int], n: int, *, a_side: bool) -> str:
    """One status character per displayed grapheme (see `LineDiff`)."""
    if len(pos) == n:  # every grapheme compared: the ops tile the line
        if a_side:
            return "".join(_STATUS[op.tag] * (op.a2 - op.a1) for op in ops)
        return "".join(_STATUS[op.tag] * (op.b2 - op.b1) for op in ops)
    status = ["."] * n
    for op in ops:
        mark = _STATUS[op.tag]
        lo, hi = (op.a1, op.a2) if a_side else (op.b1, op.b2)
        for k in range(lo, hi):
            status[pos[k]] = mark
    return "".join(status)


def rate(distance: int, reference: int) -> float:
    if reference:
        return distance / reference
    return 0.0 if distance == 0 else 1.0


def compare_lines(a: SideLine | None, b: SideLine | None, norm: Normalization) -> LineDiff:
    """Align one line pair (either side may be absent) and count its differences."""
    a_units = a.units if a else []
    b_units = b.units if b else []
    keys_a, pos_a = comparable(a_units, norm)
    keys_b, pos_b = comparable(b_units, norm)
    ops = align_units(keys_a, keys_b)
    ld = LineDiff(a, b, ops, "", "", a_keys_pos=pos_a, b_keys_pos=pos_b)
    for op in ops:
        if op.tag == DIACRITIC:
            ld.substitutions += op.a2 - op.a1
            ld.diacritic += op.a2 - op.a1
        elif op.tag == LETTER:
            ld.substitutions += op.a2 - op.a1
        elif op.tag == INSERT:
            ld.insertions += op.b2 - op.b1
        elif op.tag == DELETE:
            ld.deletions += op.a2 - op.a1
    ld.a_status = _status(ops, pos_a, len(a_units), a_side=True)
    ld.b_status = _status(ops, pos_b, len(b_units), a_side=False)
    ld.ref_chars, ld.hyp_chars = len(keys_a), len(keys_b)
    ld.distance = ld.substitutions + ld.insertions + ld.deletions
    if not ld.distance:
        ld.ops = []  # only changed lines need their runs (JSON ops, confusions): less memory
    words_a, words_b = _words(keys_a), _words(keys_b)
    ld.ref_words, ld.hyp_words = len(words_a), len(words_b)
    if ld.distance:
        changes = ld.word_changes
        for wop in Levenshtein.opcodes(words_a, words_b):
            a1, a2, b1, b2 = wop.src_start, wop.src_end, wop.dest_start, wop.dest_end
            if wop.tag == "equal":
                continue
            ld.word_distance += max(a2 - a1, b2 - b1)
            k = min(a2 - a1, b2 - b1)
            for t in range(k):
                wa, wb = words_a[a1 + t], words_b[b1 + t]
                if strip_marks(wa) == strip_marks(wb):
                    ld.word_diacritic += 1
                    changes.append((wa, wb, DIACRITIC))
                else:
                    changes.append((wa, wb, LETTER))
            changes.extend((w, "", DELETE) for w in words_a[a1 + k : a2])
            changes.extend(("", w, INSERT) for w in words_b[b1 + k : b2])
    return ld


def _low_confidence(side: DiffSide, threshold: float) -> int:
    return sum(
        1
        for ln in side.lines
        for t in ln.tokens or ()
        if t.confidence is not None and t.confidence < threshold
    )


def _with_confidence(side: DiffSide) -> int:
    return sum(1 for ln in side.lines for t in ln.tokens or () if t.confidence is not None)


def compare_sides(
    a: DiffSide,
    b: DiffSide,
    norm: Normalization | None = None,
    *,
    low_confidence: float = LOW_CONFIDENCE,
) -> DiffReport:
    """Pair lines, align each pair, and sum the metrics: the API behind `ocr-pipeline diff`."""
    norm = norm or Normalization()
    a, b = as_compared(a, b)  # e.g. the structure tree cut at the wrapped text's breaks
    stats = AlignStats()
    pairs = pair_lines([ln.text for ln in a.lines], [ln.text for ln in b.lines], stats)
    m = Metrics(lines_a=len(a.lines), lines_b=len(b.lines))
    lines: list[LineDiff] = []
    for ia, ib in pairs:
        la = join_lines([a.lines[i] for i in ia]) if ia else None
        lb = join_lines([b.lines[j] for j in ib]) if ib else None
        ld = compare_lines(la, lb, norm)
        if la is not None and lb is not None:
            m.lines_paired += 1
        elif la is not None:
            m.lines_only_a += 1
        else:
            m.lines_only_b += 1
        if ld.changed:
            m.lines_changed += 1
            ld.diff_number = m.lines_changed
        m.ref_chars += ld.ref_chars
        m.hyp_chars += ld.hyp_chars
        m.char_distance += ld.distance
        m.substitutions += ld.substitutions
        m.insertions += ld.insertions
        m.deletions += ld.deletions
        m.diacritic_only += ld.diacritic
        m.ref_words += ld.ref_words
        m.hyp_words += ld.hyp_words
        m.word_distance += ld.word_distance if ld.distance else 0
        m.word_diacritic_only += ld.word_diacritic
        lines.append(ld)
    m.letter = m.char_distance - m.diacritic_only
    m.cer = rate(m.char_distance, m.ref_chars)
    m.wer = rate(m.word_distance, m.ref_words)
    m.low_confidence_a = _low_confidence(a, low_confidence)
    m.low_confidence_b = _low_confidence(b, low_confidence)
    m.words_with_confidence_a = _with_confidence(a)
    m.words_with_confidence_b = _with_confidence(b)
    chars, words = confusion_tables(lines)
    return DiffReport(a, b, norm, m, lines, stats, low_confidence, chars, words)


def compare_texts(a: str, b: str, norm: Normalization | None = None) -> DiffReport:
    """Convenience: compare two plain texts."""
    from ocr_pipeline.diff.readers.text import side_from_text

    return compare_sides(side_from_text(a, "A", "a"), side_from_text(b, "B", "b"), norm)
