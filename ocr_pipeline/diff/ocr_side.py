"""Which side of a reviewed diff is the OCR, so `learn` pairs each OCR line with its truth.

The diff compares A, the reference, with B, the candidate; which of them is the OCR
depends on the review. ``diff OLD_OCR.txt restored.json`` has the OCR in A (B is the
restoration of it); ``diff GT.txt out/NAME.alto.xml`` has the truth in A and the OCR in
B. The reviewer's line (``text`` of each decision) is the truth either way. Learning from
the wrong side reverses every pair ("bình" read as "binh"), so the side is decided, in
this order, and said:

1. asked for (``learn --ocr-side a|b``), or recorded in the corrections file (``"ocr"``);
2. the kinds the file records: a restore JSON B was restored from A, so A is the OCR; an
   OCR engine's format (ALTO, hOCR, PAGE-XML, words table) on one side only is the OCR;
3. the marks: a side with clearly more Vietnamese marks than the other is the truth
   (an OCR loses marks far more often than it invents them);
4. the reviewer's lines: the side they are nearer to is the truth.

When none of these tells, `ocr_side` gives None and `learn` asks for ``--ocr-side``.

A words table (``run``'s NAME.words.tsv) shows the restored words but keeps what Tesseract
read of each (``ocr_text``): a profile learns the engine's confusions, not the
restoration's slips, so `corrected_lines` takes each reviewed line as the engine read it
when the side's file is given and still holds that line as reviewed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz.distance import Levenshtein

from ocr_pipeline.diff.sides import DiffSide, SideLine

OCR_KINDS = frozenset({"alto", "hocr", "page-xml", "words-tsv"})
MARK_RATIO = 1.5  # the marked side needs this many times the other's marks ...
MARK_MARGIN = 3  # ... and at least this many more


@dataclass(frozen=True, slots=True)
class OcrSide:
    side: str  # "a" or "b"
    reason: str  # why, for the line learn prints


def marks(text: str) -> int:
    """How many Vietnamese marks `text` carries (tone and letter marks, đ)."""
    decomposed = unicodedata.normalize("NFD", text)
    return sum(1 for ch in decomposed if unicodedata.combining(ch)) + sum(
        1 for ch in decomposed if ch in "đĐ"
    )


def ocr_side(head: dict[str, Any], forced: str | None = None) -> OcrSide | None:
    """The OCR side of a corrections file's review (see the module docstring)."""
    if forced in ("a", "b"):
        return OcrSide(forced, f"--ocr-side {forced}")
    recorded = head.get("ocr")
    if recorded in ("a", "b"):
        return OcrSide(recorded, "recorded in the file")
    kind_a = str((head.get("a") or {}).get("kind") or "")
    kind_b = str((head.get("b") or {}).get("kind") or "")
    if kind_b == "restore-json":
        return OcrSide("a", "B is the restoration of A")
    if (kind_a in OCR_KINDS) != (kind_b in OCR_KINDS):
        side = "a" if kind_a in OCR_KINDS else "b"
        return OcrSide(side, f"{side.upper()} is {kind_a if side == 'a' else kind_b} output")
    decisions = [d for d in head.get("decisions") or [] if isinstance(d, dict)]
    a = [str(d.get("a") or "") for d in decisions]
    b = [str(d.get("b") or "") for d in decisions]
    marks_a, marks_b = marks("".join(a)), marks("".join(b))
    if marks_a >= MARK_RATIO * marks_b and marks_a - marks_b >= MARK_MARGIN:
        return OcrSide("b", f"A has the marks ({marks_a} against {marks_b}): A is the truth")
    if marks_b >= MARK_RATIO * marks_a and marks_b - marks_a >= MARK_MARGIN:
        return OcrSide("a", f"B has the marks ({marks_b} against {marks_a}): B is the truth")
    texts = [str(d.get("text") or "") for d in decisions]
    near_a = sum(Levenshtein.distance(x, t) for x, t in zip(a, texts, strict=True))
    near_b = sum(Levenshtein.distance(x, t) for x, t in zip(b, texts, strict=True))
    if near_a < near_b:
        return OcrSide("b", "the reviewer's lines are nearer A: A is the truth")
    if near_b < near_a:
        return OcrSide("a", "the reviewer's lines are nearer B: B is the truth")
    return None


def corrected_lines(
    head: dict[str, Any], side: str, read: DiffSide | None = None
) -> tuple[list[str], list[str]]:
    """(the OCR's lines, the lines as they should be) of a corrections file's decisions,
    the OCR read from `side` ("a" or "b"); pairs that span several lines are left out.
    With `read` (that side's file, read again), a line whose words carry the engine's own
    reading is taken as the engine read it, if the file still shows it as reviewed."""
    engine = engine_readings(read) if read is not None else {}
    ocr, truth = [], []
    for d in head.get("decisions") or []:
        if not isinstance(d, dict):
            continue
        line, text = str(d.get(side) or ""), str(d.get("text") or "")
        if line and text and "\n" not in line and "\n" not in text:
            numbers = d.get(f"{side}_lines") or []
            shown, raw = engine.get(numbers[0], ("", "")) if len(numbers) == 1 else ("", "")
            ocr.append(raw if raw and shown == line else line)
            truth.append(text)
    return ocr, truth


def engine_readings(read: DiffSide) -> dict[int, tuple[str, str]]:
    """{line number: (the line as the diff shows it, the line as the OCR engine read it)}
    for the lines whose words carry the engine's reading (`Token.original`)."""
    out: dict[int, tuple[str, str]] = {}
    for ln in read.lines:
        if ln.tokens and any(t.original is not None for t in ln.tokens):
            out[ln.number] = (ln.text, _engine_text(ln))
    return out


def _engine_text(line: SideLine) -> str:
    """The line as the engine read it, its words joined as `SideLine` joins them."""
    read = [replace(t, text=t.original) if t.original is not None else t for t in line.tokens or ()]
    return SideLine.from_tokens(read, line.number, line.page).text
