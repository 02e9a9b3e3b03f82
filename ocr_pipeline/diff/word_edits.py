"""A corrected line as word edits: which words of a line change, and the boxes of new ones.

`ocr-pipeline apply` gets a line's new text from the reviewer; the word formats (words
table, ALTO, hOCR) hold that line as words with boxes. `plan_words` aligns the line's
words with the new text's words and returns only what changes, as `Group`s: a run of old
words and the words that take their place. A word typed where there was none joins its
neighbour's group (an inserted word needs a box, and the neighbour's is the nearest one),
so every group replaces at least one old word. `split_box` divides a group's box among
its new words by their length in characters. `split_over_lines` cuts a line typed for a
diff row that held several lines back into them.

`apply_line_edits` drives any `WordLines` (one per format, `ocr_pipeline.diff.outputs`)
through the edits, so every format changes the same words the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz.distance import Levenshtein

from ocr_pipeline.model import BBox
from ocr_pipeline.text import strip_marks


@dataclass(frozen=True, slots=True)
class Group:
    start: int  # first old word replaced
    end: int  # one past the last (end > start)
    words: tuple[str, ...]  # what they become (may be empty: the words are deleted)

    @property
    def same_count(self) -> bool:
        return self.end - self.start == len(self.words)


def plan_words(old: Sequence[str], new_text: str) -> list[Group]:
    """The changed groups, left to right, turning the words `old` into `new_text`'s."""
    new = new_text.split()
    if not old:
        raise ValueError("a line without words has nothing to replace")
    if not new:
        return [Group(0, len(old), ())]
    raw: list[tuple[int, int, tuple[str, ...]]] = []  # adjacent differences merged
    for op in Levenshtein.opcodes(list(old), new):
        if op.tag == "equal":
            continue
        start, end, words = op.src_start, op.src_end, tuple(new[op.dest_start : op.dest_end])
        if raw and raw[-1][1] == start:
            first, _, before = raw.pop()
            start, words = first, before + words
        raw.append((start, end, words))
    groups = []
    for start, end, words in raw:
        if start == end:  # typed between two kept words: it shares the one before's box
            if start > 0:
                start, words = start - 1, (old[start - 1], *words)
            else:
                end, words = 1, (*words, old[0])
        groups.append(Group(start, end, words))
    return groups


def split_over_lines(old_lines: Sequence[str], new_text: str) -> list[str]:
    """`new_text`, typed as one line for a row of the diff that held several of B's lines,
    cut back into those lines. A word kept, or replaced one for one by itself corrected
    (`_in_its_place`: "Ket" -> "Kết", "s" -> "5"), stays on its line, and that line keeps its place;
    other new words go to the line of the first old word they replace (`plan_words`). A
    line none of whose words stays so is gone: its new words join the kept line before it
    (after it, for the first). No line kept: all of it on the first line."""
    owner = [k for k, line in enumerate(old_lines) for _ in line.split()]
    old = [w for line in old_lines for w in line.split()]
    out: list[list[str]] = [[] for _ in old_lines]
    kept = [False] * len(old_lines)
    groups = iter(plan_words(old, new_text) if old else ())
    group = next(groups, None)
    i = 0
    while i < len(old):
        if group is not None and group.start == i:
            if group.same_count:
                for j, word in zip(range(group.start, group.end), group.words, strict=True):
                    out[owner[j]].append(word)
                    kept[owner[j]] |= _in_its_place(old[j], word)
            else:
                out[owner[i]].extend(group.words)
            i = group.end
            group = next(groups, None)
        else:
            out[owner[i]].append(old[i])
            kept[owner[i]] = True
            i += 1
    if not any(kept):
        return [new_text, *[""] * (len(old_lines) - 1)]
    for k in range(len(out)):
        if not kept[k] and out[k]:
            before = [j for j in range(k) if kept[j]]
            if before:
                out[before[-1]].extend(out[k])
            else:
                out[next(j for j in range(k, len(out)) if kept[j])][:0] = out[k]
            out[k] = []
    return [" ".join(words) for words in out]


def _in_its_place(old: str, new: str) -> bool:
    """Whether `new`, typed one for one for the word `old`, is that word corrected: the same
    letters with other marks ("Ket" -> "Kết"), or a figure OCR read as a letter or a glyph
    ("s" -> "5", "V¿" -> "7" in a table's numbers column). Other words replace it."""
    if strip_marks(new).lower() == strip_marks(old).lower():
        return True
    return new.strip(".,;:)").isdigit() and len(old) <= 3 and not old.isdigit()


def split_box(box: BBox, texts: Sequence[str]) -> list[BBox]:
    """`box` cut left to right into one box per text, by length (a space between)."""
    if not texts:
        return []
    sizes = [max(1, len(t)) for t in texts]
    total = sum(sizes) + len(sizes) - 1
    width = box.right - box.left
    out, pos = [], 0
    for size in sizes:
        left = box.left + round(width * pos / total)
        pos += size
        right = box.left + round(width * pos / total)
        out.append(BBox(left, box.top, max(left, right), box.bottom))
        pos += 1
    return out


def union(boxes: Sequence[BBox]) -> BBox:
    whole = boxes[0]
    for b in boxes[1:]:
        whole = whole.union(b)
    return whole


class WordLines(Protocol):
    """One output file's lines as word handles, in the reading order the diff reads them.

    Line numbers are 0-based ordinals over the lines that hold a word, fixed when the file
    is read: editing or removing a line never renumbers the others."""

    def line_words(self) -> list[list[str]]: ...

    def set_word(self, line: int, index: int, text: str) -> None: ...

    def replace_words(self, line: int, start: int, end: int, texts: Sequence[str]) -> None: ...

    def remove_line(self, line: int) -> None: ...

    def insert_line(self, after: int, texts: Sequence[str]) -> None: ...

    def serialize(self) -> str: ...


def apply_line_edits(
    target: WordLines, edits: Mapping[int, str], inserts: Mapping[int, Sequence[str]]
) -> str:
    """`target` with each line `edits` names given its new text ("" removes the line) and
    the lines of `inserts` added after the line named (-1: before the first)."""
    words = target.line_words()
    for k, text in edits.items():
        if not text.split():
            target.remove_line(k)
            continue
        for group in plan_words(words[k], text):
            if group.same_count:
                for t, word in enumerate(group.words):
                    if word != words[k][group.start + t]:
                        target.set_word(k, group.start + t, word)
            else:
                target.replace_words(k, group.start, group.end, group.words)
    for after, texts in inserts.items():
        for text in reversed(texts):  # each goes right after `after`: last one first
            if text.split():
                target.insert_line(after, text.split())
    return target.serialize()
