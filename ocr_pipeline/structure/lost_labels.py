"""Labels OCR lost or garbled beyond reading, put back where the printed sequence leaves
no doubt: the one owner of that repair, for every input path.

On the lines (`restore_lost_labels`, before the body is built; text and scans alike):

- "I. MỤC TIÊU" ... "HOẠT ĐỘNG CHÍNH" ... "III. KINH PHÍ": the one unlabelled ALL-CAPS
  title line (no label, no closing mark) between two roman labels one number apart from
  the next but one is the lost "II.";
- "II. HẠN CHẾ" ... "II. KẾT QUẢ KHẮC PHỤC ..." ... "IV. GIẢI TRÌNH" on a scan: a roman
  label repeated between its neighbours is the next one OCR read with an I less (typed
  text that repeats a label printed it so: kept, flagged);
- "Phần thứ hai" / its centred title / "CHỈ TIÊU" / ... / "II.": on a scan, the one
  unlabelled ALL-CAPS line printed off the centre of a Phần / Chương before its first
  roman label, "II.", is the lost "I.";
- "Mục 1" ... "BUE2" / "KHEN THƯỞNG ĐỘT XUẤT" / "Điều 5.": a short word ending with the
  next number of a "Mục" (or "Chương", "Phần") already read, alone on its line over an
  ALL-CAPS title and an article, is that kind's next label; a speck of a few characters
  with no number in it ("0U NI", `_unreadable_unit`) there is the next label of the
  innermost kind open;
- "Phần" / "Chương" alone on its line (or with a speck where its numeral stood:
  "Chương]") over an ALL-CAPS title: OCR lost the numeral of a centred "Phần I" /
  "Chương II"; it is the next one of its kind (roman).

On the tree (`wrap_lost_parent`, once the sections are built): a first "Phần I" or
"Mục 1" lost whole, found from the "Phần II" / "Mục 2" that follows, gets a flagged
placeholder parent, so one miss does not move every level below it up.

A label put back is flagged (`SrcLine.label_restored`, then the section's
`numbering_warning`), except a bare "Phần" / "Chương" whose numeral alone was lost.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.labels import STRONG, Label, parse_label, to_roman
from ocr_pipeline.structure.text import ends_terminal, is_upper_line, upper_title

log = logging.getLogger(__name__)

_GARBLED_UNIT = re.compile(r"^[^\W\d_]{1,4}\s?(\d{1,2})$")  # "BUE2": a bold centred "Mục 2"
_UNREADABLE_UNIT = re.compile(r"^[^\W_]{1,4}(?:\s[^\W_]{1,3})?$")  # "0U NI": no number read
UNREADABLE_UNIT_CHARS = 6
_UNIT_WORDS = {"muc": "Mục", "chapter": "Chương", "part": "Phần"}
_BARE_UNIT = {"PHẦN": "part", "CHƯƠNG": "chapter"}
_TRAILING_SPECK = re.compile(r"\s?[\]\[|!'`‘’\"“”)(]{1,3}$")  # a numeral read as a speck


def restore_lost_labels(lines: list[SrcLine]) -> list[SrcLine]:
    """The lines with the labels OCR lost put back (see the module's docstring)."""
    out = list(lines)
    labels = [parse_label(ln.text) for ln in lines]
    last_roman: tuple[int, int] | None = None  # (line, value) of the last roman label
    before_roman: tuple[int, int] | None = None  # and of the one before it
    last_unit: dict[str, int] = {}
    last_bare: dict[str, int] = {}  # "part"/"chapter" -> the last number read or put back
    unit_at: int | None = None  # the line of the last "Phần" / "Chương" label
    for i, lab in enumerate(labels):
        if lab is None and (bare := _bare_unit(lines, labels, i, last_bare)) is not None:
            out[i] = replace(lines[i], text=bare.text)  # no flag: only its numeral was lost
            labels[i] = lab = bare
            log.info("label %r read as %s: its numeral lost, next in sequence", lines[i].text,
                     bare.text)  # fmt: skip
        if lab is None:
            if i + 2 >= len(lines) or not is_upper_line(lines[i + 1].text):
                continue
            after = labels[i + 2]
            if labels[i + 1] is not None or after is None or after.kind != "article":
                continue
            if m := _GARBLED_UNIT.match(lines[i].text):
                n = int(m.group(1))
                kind = next((k for k in ("muc", "chapter", "part") if last_unit.get(k) == n - 1),
                            None)  # fmt: skip
            elif _unreadable_unit(lines, labels, i):
                # no number read: the innermost unit open goes on ("Mục" inside a "Chương")
                kind = next((k for k in ("muc", "chapter", "part") if k in last_unit), None)
                n = last_unit[kind] + 1 if kind is not None else 0
            else:
                continue
            if kind is None or n < 2:
                continue
            out[i] = replace(
                lines[i],
                text=f"{_UNIT_WORDS[kind]} {n}",
                label_restored=f"{_UNIT_WORDS[kind]} {n} read from {lines[i].text!r}",
            )
            last_unit[kind] = n
            if kind != "muc":
                last_bare[kind] = n
            log.info("label %r read as %s %d: next in sequence", lines[i].text, kind, n)
            continue
        if lab.kind in ("part", "chapter") and lab.nums:
            last_bare[lab.kind] = lab.nums[0]
        if lab.kind in ("part", "chapter"):
            unit_at = i
        if lab.kind in ("part", "chapter", "muc") and lab.nums:
            last_unit[lab.kind] = lab.nums[0]
            if lab.kind != "muc":
                last_unit.pop("muc", None)
                last_roman = None
        if lab.kind != "roman" or not lab.nums:
            continue
        if lab.nums[0] == 2 and unit_at is not None and (
                last_roman is None or last_roman[0] < unit_at):  # fmt: skip
            # "Phần thứ hai" / its centred title / "CHỈ TIÊU" / ... / "II.": the first
            # roman of the unit lost its label; its title is the one unlabelled ALL-CAPS
            # line there printed at the left, not centred under the unit's label
            between = [k for k in range(unit_at + 1, i) if _lost_title(lines[k], labels[k])
                       and _off_centre(lines[k], lines[unit_at])]  # fmt: skip
            if len(between) == 1:
                k = between[0]
                out[k] = replace(
                    lines[k],
                    text=f"I. {lines[k].text}",
                    label_restored="I. not found (lost by OCR?), put back before II.",
                )
                log.info("roman label I. lost before %r: II. follows", lines[k].text[:20])
        # on a scan only: typed text that repeats a label printed it so (flagged, kept)
        repeated = (
            before_roman is not None
            and last_roman is not None
            and before_roman[1] == last_roman[1]
            and lines[last_roman[0]].bbox is not None
        )
        if repeated and last_roman is not None and lab.nums[0] == last_roman[1] + 2:
            # "II." ... "II." ... "IV.": the repeated label is the "III." OCR read with an
            # I less (a scan's bold capitals); no title line between lost its label
            k, label = last_roman[0], to_roman(last_roman[1] + 1) + "."
            read = labels[k]
            printed = read.text if read is not None else ""
            out[k] = replace(
                lines[k],
                text=label + lines[k].text[len(printed) :],
                label_restored=f"{label} read as {printed!r}, a repeat between its neighbours",
            )
            log.info("roman label %s read as %r: between %s and %s", label, printed,
                     to_roman(last_roman[1]), to_roman(lab.nums[0]))  # fmt: skip
        elif last_roman is not None and lab.nums[0] == last_roman[1] + 2:
            between = [k for k in range(last_roman[0] + 1, i) if _lost_title(lines[k], labels[k])]
            if len(between) == 1:
                k = between[0]
                label = to_roman(last_roman[1] + 1) + "."
                out[k] = replace(
                    lines[k],
                    text=f"{label} {lines[k].text}",
                    label_restored=f"{label} not found (lost by OCR?), put back in sequence",
                )
                log.info("roman label %s lost before %r: between two of the sequence", label,
                         lines[k].text[:20])  # fmt: skip
        before_roman, last_roman = last_roman, (i, lab.nums[0])
    return out


def _bare_unit(
    lines: list[SrcLine], labels: list[Label | None], i: int, last: dict[str, int]
) -> Label | None:
    """ "Phần" alone on its line over an unlabelled ALL-CAPS title: OCR lost the numeral of
    a centred "Phần I" / "Chương II". It is the next one of its kind (roman)."""
    # "Chương]", "Phần |": the numeral read as a speck glued to or beside the word
    word = _TRAILING_SPECK.sub("", lines[i].text).strip(" .:")
    kind = _BARE_UNIT.get(word.upper())
    if kind is None or i + 1 >= len(lines) or not is_upper_line(lines[i + 1].text):
        return None
    if labels[i + 1] is not None:
        return None
    n = last.get(kind, 0) + 1
    return Label(kind, f"{word} {to_roman(n)}", (n,), "")


def _unreadable_unit(lines: list[SrcLine], labels: list[Label | None], i: int) -> bool:
    """lines[i] is a few characters of upper case or figures, a letter among them
    (UNREADABLE_UNIT_CHARS at most, two tokens at most, no lower-case word: "0U NI")
    standing alone after body text: not a
    title's first line under its label ("Chương I" / "NHỮNG" / "QUY ĐỊNH CHUNG")."""
    text = lines[i].text
    if not _UNREADABLE_UNIT.match(text) or len(text.replace(" ", "")) > UNREADABLE_UNIT_CHARS:
        return False
    if any(c.islower() for c in text) or not any(c.isalpha() for c in text) or i == 0:
        return False  # figures alone are a page number, not a unit's garbled label
    before = labels[i - 1]
    return not is_upper_line(lines[i - 1].text) and (before is None or before.kind not in
                                                     ("part", "chapter", "muc"))  # fmt: skip


OFF_CENTRE = 0.1  # of the page width: a line whose centre is that far off a centred one's


def _off_centre(ln: SrcLine, unit: SrcLine) -> bool:
    """On a scan, `ln` does not share the centre of the centred unit label `unit`: it is
    printed from the left, as a section title is (a unit's own title is centred)."""
    if ln.bbox is None or unit.bbox is None or not ln.page_width or ln.page != unit.page:
        return False
    centre = (ln.bbox.left + ln.bbox.right) / 2
    return abs(centre - (unit.bbox.left + unit.bbox.right) / 2) > OFF_CENTRE * ln.page_width


def _lost_title(ln: SrcLine, lab: Label | None) -> bool:
    """An unlabelled ALL-CAPS title line (a few words, no closing mark), as a roman
    section's title is printed."""
    text = ln.text
    return (lab is None and is_upper_line(text) and 2 <= len(text.split()) <= 12
            and not text.rstrip().endswith((".", ":", ";", ",")))  # fmt: skip


def wrap_lost_parent(nodes: list[dict], labels: dict[int, Label], level: int = 1) -> None:
    """A label lost by OCR ("Phần I" or "Mục 1" unread, then "I.", "Điều 3." ... and
    "Phần II" / "Mục 2"): in one container (`nodes`: the top, or a section's children) the
    first label of a strong kind that outranks the labelled sections before it is number
    2. Those sections are wrapped in a placeholder for the lost label, so they keep their
    levels instead of all moving one up. An unlabelled ALL-CAPS line right above them is
    the lost label's title, which OCR read (else the title is unknown); the placeholder is
    flagged either way. `labels`: id(section node) -> its label, as the builder read it."""
    for node in nodes:
        if node["kind"] == "section":
            wrap_lost_parent(node["children"], labels, node["level"] + 1)
    first: int | None = None
    top = 0  # the first label's rank, once `first` is set
    for i, node in enumerate(nodes):
        lab = labels.get(id(node))
        if lab is None:
            continue
        if first is None:
            first, top = i, lab.rank
            continue
        if lab.rank >= top:
            continue
        if lab.kind not in STRONG or lab.nums != (2,):
            return
        lost = re.sub(r"([IVXLC]+|\d+)(\W*)$", lambda m: ("I" if m.group(1)[0] in "IVXLC"
                      else "1") + m.group(2), lab.text)  # fmt: skip
        title = None
        start = first
        above = nodes[first - 1] if first > 0 else None
        if (above is not None and above["kind"] == "paragraph"
                and len(above["_lines"]) == 1 and is_upper_line(above["text"])
                and not ends_terminal(above["text"])):  # fmt: skip
            title, start = upper_title(above["text"]), first - 1
        wrapped = nodes[first:i]
        _deepen(wrapped)
        holder = {
            "kind": "section",
            "label": lost,
            "level": level,
            "title": title,
            "page": (above if title and above is not None else wrapped[0])["page"],
            "_lines": list(above["_lines"]) if title and above else [],
            "children": wrapped,
            "numbering_warning": f"{lost} not found (lost by OCR?), before {lab.text}",
        }
        nodes[start:i] = [holder]
        node.pop("numbering_warning", None)
        return


def _deepen(nodes: list[dict]) -> None:
    for n in nodes:
        if n["kind"] == "section":
            n["level"] += 1
            _deepen(n["children"])
