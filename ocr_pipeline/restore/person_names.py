"""What a syllable is worth in a person's name, by position: surname, middle or given name.

OCR that lost the marks of a name ("Nguyen Huu Dung") leaves the language model, which
reads lowercase running text, to choose between the name's syllables and commoner words
("Hựu", "Dưỡng"), and the generic names prior (`restore.capitalised`) knows how often a
syllable is capitalised, not where in a name it stands. ``load_name_prior()`` gives, per
position, the log of a syllable's rate in that position of the corpus's personal names
over its rate in all text (data/person_names.tsv, built by scripts/build_name_prior.py),
smoothed toward the overall rate and clipped. ``person_name_words()`` finds the words of a
segment that look like a personal name: a run of two to four title-case (or ALL-CAPS)
words that opens with a common surname (after a personal title, ông, bà, anh, chị, đồng
chí, or not), or one word alone after such a title, not after a word that introduces a
place ("đường Lê Lợi"). The decoder leaves out a run whose first two words are a known
place pair ("Hà Nội"), unless its second word is a common middle name ("Nguyễn Văn" is a
place pair and opens a third of all men's names). A title-case run after the number "ba"
(its skeleton is "bà's") or a "Tổ ..." run is no name: no surname opens it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from importlib import resources

from ocr_pipeline.restore import orthography as ortho

SURNAME, MIDDLE, GIVEN = 0, 1, 2
SMOOTH = 20.0  # pseudo-occurrences of the overall rate added to each position's counts
LOWEST = -4.0  # a syllable never seen in a position is this unlikely there, at most
# at most this much likelier there than overall: a rare syllable with a few names in the
# corpus ("Toản", "Ngạn") would otherwise outweigh the common names (tuned on the probe)
HIGHEST = 3.0

# the commonest Vietnamese surnames (the decoder's caps-name rule reads them here too)
SURNAMES = frozenset(
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào lương"
    " mai trịnh trương lâm hà tô tạ cao vương đoàn lò vi ma hứa lại quách chu triệu thái la"
    " kiều lưu phùng tăng khổng lục nông sầm".split()
)
TITLES = frozenset("ông bà anh chị".split())  # and "đồng chí" (two words)
# lowercase words after which a title-case run is a place or a street, not a person
# ("đường Lê Lợi", "xã Hà Thanh"); not "chợ", "bản", "đền", "hồ": their skeletons are also
# "cho", "bạn", "đến", "họ", which come before persons' names
PLACE_WORDS = frozenset(
    "tỉnh huyện xã phường quận phố đường thôn ấp làng sông núi cầu trường chùa đảo vịnh khu".split()
)


def name_skeleton(word: str) -> str:
    """A word's letters without marks, lowercase, đ as d: what a capitals or title-case
    occurrence of a name shares with the name however the OCR read its marks."""
    return ortho.strip_marks(ortho.nfc(word).lower())


# "to" is "Tô" but far more often "tổ" (a team: "Tổ Công tác"), a run no name opens
SURNAME_SKELETONS = frozenset(name_skeleton(s) for s in SURNAMES) - {"to"}
TITLE_SKELETONS = frozenset(name_skeleton(s) for s in TITLES)
# a lowercase word before a name: "duong" is "đường" (a street), not the surname Dương
PLACE_SKELETONS = frozenset(name_skeleton(s) for s in PLACE_WORDS)
# the two commonest middle names (Thị for women, Văn for men): a run of three or four
# title-case words whose second word spells one is a person's name, whatever its surname
# (a rarer one, or one whose marks the OCR lost); not a capitals run (headings)
COMMON_MIDDLE_SKELETONS = frozenset({"thi", "van"})


@cache
def load_name_prior() -> tuple[dict[str, float], ...]:
    """({syllable: log(rate as surname / overall rate)}, the same for middle and given
    names); () without the table. A syllable not in a dict: `LOWEST`."""
    path = resources.files("ocr_pipeline").joinpath("data", "person_names.tsv")
    if not path.is_file():
        return ()
    lines = path.read_text(encoding="utf-8").splitlines()
    sums = [int(x) for x in lines[1].split("\t")[1:]]
    all_words = sums[3]
    out: tuple[dict[str, float], ...] = ({}, {}, {})
    for line in lines[2:]:
        syl, *counts = line.split("\t")
        n = [int(x) for x in counts]
        overall = n[3] / all_words
        for p in (SURNAME, MIDDLE, GIVEN):
            rate = (n[p] + SMOOTH * overall) / (sums[p] + SMOOTH)
            out[p][syl] = min(HIGHEST, max(LOWEST, math.log(rate / overall)))
    return out


def _skeleton_at(words: Sequence[object], k: int) -> str:
    """The skeleton of word k, "" where there is none (before the segment, a fixed item)."""
    w = words[k] if k >= 0 else None
    return name_skeleton(w) if isinstance(w, str) else ""


def _is_titlecase(w: object) -> bool:
    return isinstance(w, str) and len(w) >= 2 and w[0].isupper() and w[1:].islower()


def person_name_words(
    words: Sequence[object],
    caps_at: Sequence[bool],
    capitalised: Sequence[bool],
    line_starts: frozenset[int] = frozenset(),
) -> list[tuple[int, int, int, int]]:
    """(index in `words`, name position, start, end of the name) of every word
    that looks like part of a personal name: runs of title-case words, or of ALL-CAPS words
    (`caps_at`), that open with a surname (two to four words) or follow a personal title
    (one to four), not after a place word. `words`: a segment's tokens (str) and fixed
    items (others); `capitalised`: which of them start with a capital; `line_starts`:
    the words that open a line or a list item, where a run ends (a signer's name, then
    "- Lưu: VT." on the next line, is no five-word name)."""
    out: list[tuple[int, int, int, int]] = []
    n = len(words)
    i = 0
    while i < n:
        if not capitalised[i]:
            i += 1
            continue
        caps = caps_at[i]
        if not (caps or _is_titlecase(words[i])):
            i += 1
            continue
        j = i + 1
        while j < n and j not in line_starts and (caps_at[j] if caps else _is_titlecase(words[j])):
            j += 1
        a = i
        before, before2 = _skeleton_at(words, a - 1), _skeleton_at(words, a - 2)
        first = name_skeleton(str(words[a]))
        if (
            j - a >= 2
            and first in TITLE_SKELETONS
            and name_skeleton(str(words[a + 1])) in SURNAME_SKELETONS
        ):  # "Ông Nguyễn Văn Hùng"
            before, before2, a = first, "", a + 1
        elif j - a >= 3 and first == "dong" and name_skeleton(str(words[a + 1])) == "chi":
            before, before2, a = "chi", "dong", a + 2  # "Đồng chí Nguyễn Văn Hùng"
        size = j - a
        after_title = before in TITLE_SKELETONS or (before == "chi" and before2 == "dong")
        opens = name_skeleton(str(words[a])) in SURNAME_SKELETONS or (
            not caps
            and 3 <= j - a <= 4
            and name_skeleton(str(words[a + 1])) in COMMON_MIDDLE_SKELETONS
        )
        if before not in PLACE_SKELETONS and (after_title or opens):
            if 2 <= size <= 4 and opens:
                pos = [SURNAME] + [MIDDLE] * (size - 2) + [GIVEN]
                out += [(a + k, p, a, j) for k, p in enumerate(pos)]
            elif size == 1 and after_title:
                out.append((a, GIVEN, a, j))
        i = j
    return out


__all__ = [
    "load_name_prior",
    "name_skeleton",
    "person_name_words",
    "SURNAME",
    "MIDDLE",
    "GIVEN",
    "SURNAMES",
]
