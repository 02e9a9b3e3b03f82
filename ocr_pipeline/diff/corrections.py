"""The reviewer's corrections file and applying it to B (``ocr-pipeline apply``).

The review page (see `ocr_pipeline.diff.html`) lets the reviewer decide each changed line
pair: *accept* B's line, *revert* to A's, or *edit* (type the right text). It downloads
the decisions as JSON, schema ``ocr_pipeline/corrections@1``::

    {"schema": "ocr_pipeline/corrections@1",
     "a": {"path", "kind"}, "b": {"path", "kind"},
     "decisions": [{"diff": 3, "decision": "accept|revert|edit",
                    "a_lines": [12], "b_lines": [12],  # source line numbers (the report's)
                    "after_b": 11,                      # B's last line before the pair
                    "a": "A's line", "b": "B's line",   # as reviewed (NFC, spaces collapsed)
                    "text": "the line as it should be"}]}

`apply_corrections` rewrites B with every decision: *accept* leaves B's lines as they
are (once checked); otherwise the pair's B lines are replaced by `text` (a pair present
in A only is inserted after B line `after_b`; an empty `text` removes the lines). A
plain-text B is rewritten line for line (other lines, blank ones and form feeds
untouched); any other B (ALTO, hOCR, words table, JSON) gives its text as the diff reads
it (`b_as_reviewed`, the reading `diff` uses: a structure tree's paragraphs cut at A's
line breaks, so that one needs A), one line per line, a form feed before each new page.
Before changing anything each decision's `b` must still be what B holds at `b_lines`;
otherwise B changed since the review and nothing is written. `diff.apply_outputs`
applies the same decisions to every output of a `run` document, word by word
(``apply --output-dir/--in-place``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr_pipeline.diff.normalize import clean_line
from ocr_pipeline.diff.readers import load_side
from ocr_pipeline.diff.readers.source import read_source
from ocr_pipeline.diff.reflow import as_compared
from ocr_pipeline.diff.sides import DiffSide
from ocr_pipeline.diff.word_edits import split_over_lines
from ocr_pipeline.errors import InputFileError

SCHEMA = "ocr_pipeline/corrections@1"
DECISIONS = ("accept", "revert", "edit")


@dataclass(frozen=True, slots=True)
class Decision:
    diff: int
    decision: str
    b_lines: tuple[int, ...]
    after_b: int
    b: str  # B's line as reviewed, to check B did not change since
    text: str  # what the lines become


def load_corrections(path: Path) -> tuple[dict[str, Any], list[Decision]]:
    """The corrections file's head and its decisions, checked; one-line errors."""
    src = read_source(path)
    try:
        data = json.loads(src.text)
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"{src.path}: invalid JSON (line {err.lineno}); give the"
            " corrections file the review page exported"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputFileError(
            f"{src.path} is not a corrections file (schema {SCHEMA});"
            " export it from the diff page (key s)"
        )
    decisions = []
    seen: dict[int, int] = {}  # diff number -> the decision that gave it
    for i, d in enumerate(data.get("decisions") or [], start=1):
        try:
            kind = d["decision"]
            if kind not in DECISIONS:
                raise ValueError(kind)
            text, b = d["text"], d.get("b") or ""
            if not isinstance(text, str) or not isinstance(b, str):
                raise TypeError("text")
            decision = Decision(
                diff=int(d.get("diff") or 0),
                decision=kind,
                b_lines=tuple(int(n) for n in d.get("b_lines") or ()),
                after_b=int(d.get("after_b") or 0),
                b=b,
                text=clean_line(text),
            )
        except (KeyError, TypeError, ValueError):
            raise InputFileError(
                f"{src.path}: decision {i} is malformed; export the file again from the diff page"
            ) from None
        if "\n" in text.strip():
            raise InputFileError(
                f"{src.path}: decision {i}'s text has a line break; a decision's text is one"
                " line: remove the line break"
            )
        if decision.diff and decision.diff in seen:
            raise InputFileError(
                f"{src.path}: decisions {seen[decision.diff]} and {i} both decide change"
                f" {decision.diff}; keep one of them"
            )
        seen[decision.diff] = i
        decisions.append(decision)
    return data, decisions


class ChangedSinceReview(InputFileError):
    """B does not hold, where the decisions say, the lines that were reviewed."""


def _check(decision: Decision, current: str, where: str) -> None:
    expected, found = clean_line(decision.b), clean_line(current)
    if found != expected:
        # show where they part: from a little before the first character that differs
        first = next(
            (k for k, (x, y) in enumerate(zip(expected, found, strict=False)) if x != y),
            min(len(expected), len(found)),
        )
        start = max(0, first - 15)
        cut = "…" if start else ""
        raise ChangedSinceReview(
            f"{where} changed since the review (difference {decision.diff}: expected"
            f" {cut + expected[start : start + 40]!r}, found {cut + found[start : start + 40]!r});"
            " diff and review again"
        )


def b_as_reviewed(b_path: Path, a_path: Path | None = None) -> DiffSide:
    """B's lines as the review page showed them, read as `diff` read them
    (`reflow.as_compared`): a structure tree's paragraphs were cut at A's line breaks,
    and the decisions name those pieces, so that B needs A (`a_path`)."""
    side = load_side(b_path)
    if not side.paragraphs:
        return side
    if a_path is None:
        raise InputFileError(
            f"{b_path} is a structure tree whose paragraphs the review cut at A's line"
            " breaks; give A, the file it was compared with, with --a FILE"
        )
    return as_compared(load_side(a_path), side)[1]


def apply_corrections(decisions: list[Decision], b_path: Path, a_path: Path | None = None) -> str:
    """B's text with the decisions applied (see the module docstring); `a_path` is
    needed only for a structure-tree B (`b_as_reviewed`)."""
    side = b_as_reviewed(b_path, a_path)
    if side.kind == "text":
        return _apply_to_text(decisions, read_source(b_path).text, str(b_path))
    numbered = {n: ln for ln in side.lines for n in (ln.numbers or (ln.number,))}
    pages: dict[int, int] = {}
    rows: dict[int, str | None] = {}
    for ln in side.lines:
        rows[ln.number] = ln.text
        pages[ln.number] = ln.page or 1
    inserts: dict[int, list[str]] = {}
    for d in decisions:
        if d.b_lines:
            missing = [n for n in d.b_lines if n not in numbered]
            if missing:
                raise ChangedSinceReview(
                    f"{b_path} has no line {missing[0]} any more; diff and review again"
                )
            _check(d, " ".join(numbered[n].text for n in d.b_lines), str(b_path))
            if d.decision == "accept":
                continue  # B stays as it is, line breaks included
            rows[d.b_lines[0]] = d.text or None
            for n in d.b_lines[1:]:
                rows[n] = None
        elif d.text and d.decision != "accept":
            inserts.setdefault(d.after_b, []).append(d.text)
    out: list[str] = list(inserts.get(0, []))
    page = 1
    for number in sorted(rows):
        lines = ([rows[number]] if rows[number] is not None else []) + inserts.get(number, [])
        if pages[number] != page and lines:  # the page's first line starts with a form feed
            lines[0] = "\f" * (pages[number] - page) + lines[0]  # type: ignore[operator]
            page = pages[number]
        out.extend(lines)  # type: ignore[arg-type]
    return "\n".join(out) + "\n" if out else ""


def _apply_to_text(decisions: list[Decision], text: str, where: str) -> str:
    """Line for line on a plain text (numbers as `side_from_text` counts them)."""
    raw_pages = text.split("\f")
    pages = [page.splitlines() for page in raw_pages]
    index: dict[int, tuple[int, int]] = {}
    number = 0
    for p, lines in enumerate(pages):
        for i in range(len(lines)):
            number += 1
            index[number] = (p, i)
    new: dict[tuple[int, int], str | None] = {}
    inserts: dict[tuple[int, int], list[str]] = {}
    for d in decisions:
        if d.b_lines:
            if any(n not in index for n in d.b_lines):
                raise ChangedSinceReview(
                    f"{where} is shorter than when reviewed; diff and review again"
                )
            current = " ".join(pages[index[n][0]][index[n][1]] for n in d.b_lines)
            _check(d, current, where)
            if d.decision == "accept":
                continue
            # one line typed for a row of several B lines goes back over them, as apply
            # --output-dir puts it (`word_edits.split_over_lines`); A's line, restored,
            # keeps A's line breaks
            olds = [pages[index[n][0]][index[n][1]] for n in d.b_lines]
            parts = [d.text, *[""] * (len(olds) - 1)]
            if d.decision != "revert":
                parts = split_over_lines(olds, d.text)
            for n, part in zip(d.b_lines, parts, strict=True):
                new[index[n]] = part or None
        elif d.text and d.decision != "accept":
            inserts.setdefault(index.get(d.after_b, (0, -1)), []).append(d.text)
    out_pages = []
    for p, lines in enumerate(pages):
        out: list[str] = list(inserts.get((p, -1), [])) if p == 0 else []
        for i, line in enumerate(lines):
            value = new.get((p, i), line)
            if value is not None:
                out.append(value)
            out.extend(inserts.get((p, i), []))
        ending = "\n" if raw_pages[p].endswith(("\n", "\r")) and out else ""
        out_pages.append("\n".join(out) + ending)
    return "\f".join(out_pages)


def _lines_making(lines: list[str], at: int, want: str, longest: int) -> int:
    """How many lines from `at` (one to `longest`), joined by spaces, make `want`; 0: none."""
    return next((k for k in range(1, longest + 1) if " ".join(lines[at : at + k]) == want), 0)


def already_applied(decisions: list[Decision], b_path: Path, a_path: Path | None = None) -> bool:
    """True when B already holds what the decisions make of it: every line they change
    is there, changed, in their order (an `apply --in-place` run before). Only asked
    once B failed the check that it is as reviewed, so B as reviewed never counts."""
    changes = sorted(
        (d for d in decisions if d.decision != "accept" and d.text),
        key=lambda d: (d.b_lines[0] if d.b_lines else d.after_b + 0.5, d.diff),
    )
    if not any(clean_line(d.text) != clean_line(d.b) for d in changes):
        return False  # nothing that tells an applied B from a reviewed one
    lines = [clean_line(ln.text) for ln in b_as_reviewed(b_path, a_path).lines]
    at = 0
    for d in changes:
        want = clean_line(d.text)
        # a line typed for a row of several B lines went back over them (`split_over_lines`)
        longest = max(1, len(d.b_lines))
        while at < len(lines) and not (spanned := _lines_making(lines, at, want, longest)):
            at += 1
        if at == len(lines):
            return False
        at += spanned
    return True
