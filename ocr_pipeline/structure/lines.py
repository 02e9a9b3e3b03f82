"""Input to `SrcLine`s: plain text (form feed = page break) or OCR `model.Page`s.

Plain text gives blank lines (paragraph breaks) and line lengths; OCR pages give word
boxes, from which vertical gaps, first-line indents and short last lines are measured.
Footnote markers become the typed `SrcLine.marks` here, the one place they enter the
stage: `Word.marker` of OCR words, or a text line's superscripts read once
(`footnote_markers.markers_in`); a line's `text` stays as printed, markers written in.
`split_columns` regroups the words of a page region into visual rows and splits each row
into left / right segments at a wide horizontal gap (the two-column header and closing).

OCR pages arrive repaired by the layout pass (`layout.repair_page`: specks dropped, label
glyphs read from their boxes, see `label_repair`); `lines_from_pages` only turns their
words into lines. What stays here are the text-level label repairs that need the
document's numbering or work on text without boxes: a roman label misread as "L", "H",
"II," or "HH" before an ALL-CAPS title becomes the label when its value (read or from its
width) is the next roman of the document (`_roman_sequence`; `_text_roman_sequence` and
`_glued_roman` for text inputs), a low-confidence "g)" before "b)" is "a)"
(`_first_point_label`), and "L. ĐẶC ĐIỂM" is "I. ĐẶC ĐIỂM" (`fix_ocr_label`). Labels
lost whole are put back after these by `lost_labels.restore_lost_labels`.
"""

from __future__ import annotations

import functools
import logging
import re
import statistics
from dataclasses import replace

from ocr_pipeline.footnote_markers import detach, markers_in
from ocr_pipeline.label_repair import DASHED_MARK, POINT_LABEL, i_count
from ocr_pipeline.model import BBox, Page, Word
from ocr_pipeline.structure.document import SrcLine, box_of, union
from ocr_pipeline.structure.labels import Label, parse_label, roman_value
from ocr_pipeline.structure.lost_labels import restore_lost_labels
from ocr_pipeline.structure.text import is_upper_line, squash, unspaced_letters
from ocr_pipeline.text import nfc

log = logging.getLogger(__name__)


def lines_from_text(text: str) -> list[list[SrcLine]]:
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    pages: list[list[SrcLine]] = []
    for number, page_text in enumerate(text.split("\f"), start=1):
        out: list[SrcLine] = []
        blank = False
        for raw in page_text.split("\n"):
            t = unspaced_letters(raw) or squash(raw.replace("\t", " "))
            if not t:
                blank = bool(out)
                continue
            out.append(SrcLine(t, number, blank_before=blank, marks=markers_in(t)))
            blank = False
        pages.append(out)
    # each page's typed width (a landscape annex is wider than the portrait body); a page
    # of a few short lines (a page break right after a heading) has none of its own and
    # takes the document's, or a short title there reads as a full line
    document = _typed_width([ln for page in pages for ln in page])
    for k, page in enumerate(pages):
        typical = _typed_width(page) or document
        if typical:
            pages[k] = [replace(ln, short=len(ln.text) < 0.8 * typical,
                                room=typical - len(ln.text)) for ln in page]  # fmt: skip
    flat = restore_lost_labels(_text_roman_sequence([ln for page in pages for ln in page]))
    relabelled = iter(flat)
    return [[next(relabelled) for _ in page] for page in pages]


def _typed_width(lines: list[SrcLine]) -> int | None:
    """The width lines were typed to (the 90th percentile of their lengths), when there
    are three lines at least and it is a paragraph's (40 characters or more)."""
    lengths = sorted(len(x.text) for x in lines)
    if len(lengths) < 3:
        return None
    typical = lengths[int(0.9 * (len(lengths) - 1))]
    return typical if typical >= 40 else None


# "Il. ", "L/ " (an older typist's "I/", "I-": their mark needs the space after it)
_TEXT_ROMANISH = re.compile(rf"^([IVXlL|1H]{{1,5}})(?:({DASHED_MARK}|[.,])\s*|([/-])\s+)(?=\S)")
# "I1 Thành tích" for "II/ Thành tích": the mark lost, one I read as 1 (after a roman)
_UNMARKED_ROMANISH = re.compile(r"^([IVXlL|1]{2,5})\s+(?=\S)")
_GLUED_ROMANISH = re.compile(r"^([IVXlL|1]{2,5})(?=[A-ZĐ]{2})")  # "ILNHIEM VU" for "II. NHIỆM VỤ"


def _glued_roman(text: str, expected: int) -> str | None:
    """ "ILNHIEM VU TRONG TAM" -> "II. NHIEM VU TRONG TAM": old OCR dropped the full stop
    and space and read an I as L. Only on an ALL-CAPS line, only for the label that comes
    next in the sequence (II at least: a first "I" is never guessed), and only when the
    label holds a misread I (l, L, | or 1) or is all I's, so a word that opens with roman
    letters ("VIỆT NAM") is left alone."""
    m = _GLUED_ROMANISH.match(text)
    if m is None or expected < 2 or not is_upper_line(text):
        return None
    run = m.group(1)
    for k in range(len(run), 1, -1):
        head = run[:k]
        fixed = re.sub(r"[lL|1]", "I", head)
        misread = re.search(r"[lL|1]", head) or re.fullmatch(r"I{2,}", head)  # no word opens "II"
        if misread and roman_value(fixed) == expected:
            return f"{fixed}. {text[k:]}"
    return None


_MARKS = (".", "/", "-", ")", ":")


def _labels_ahead(labels: list[Label | None]) -> tuple[list[Label | None], dict[str, list]]:
    """For each line: the next roman label after it, and per mark the next label after it
    closed with that mark (one backward pass: no line is read twice)."""
    roman: list[Label | None] = [None] * len(labels)
    by_mark: dict[str, list[Label | None]] = {m: [None] * len(labels) for m in _MARKS}
    next_roman: Label | None = None
    nearest: dict[str, Label | None] = dict.fromkeys(_MARKS)
    for i in range(len(labels) - 1, -1, -1):
        roman[i] = next_roman
        for m in _MARKS:
            by_mark[m][i] = nearest[m]
        lab = labels[i]
        if lab is not None:
            if lab.kind == "roman":
                next_roman = lab
            if lab.text[-1:] in nearest:
                nearest[lab.text[-1:]] = lab
    return roman, by_mark


def _mark_of(label: str) -> str:
    """The mark closing a label as printed: ".-" of an older typist's "II.-" (OCR's "II. -"
    too), else its last character ("." "/" "-" ")")."""
    return ".-" if label.replace(" ", "").endswith(".-") else label[-1:]


def _text_roman_sequence(lines: list[SrcLine]) -> list[SrcLine]:
    """ "Il. NHIỆM VỤ", "Ill. Giải pháp", "H. Chăn nuôi", "L/ Tình hình": legacy OCR text
    reads the I's of a roman label as l, L, | or 1, and II as H; "I1 Thành tích" is an "II/"
    whose mark was lost; "1/" is the first roman where the next such label is "II/". Such
    a label before a capitalised title is the roman label when its value continues the
    printed sequence (the last roman label + 1; after Phần / Chương, I) or, before the
    document's first roman read, leads to the next one ("I1 Thành tích" above "III/ Đề
    nghị"), with the mark it was printed with (a lost one: the romans' around it)."""
    from ocr_pipeline.structure.text import starts_upper

    out = list(lines)
    labels = [parse_label(ln.text) for ln in lines]
    roman_ahead, ahead_by_mark = _labels_ahead(labels)
    last = 0
    mark = "."  # the last roman label's mark: an older typist's "/" or "-"
    for i, ln in enumerate(lines):
        lab = labels[i]
        if lab is not None and lab.kind in ("roman", "part", "chapter"):
            last = lab.nums[0] if lab.kind == "roman" and lab.nums else 0
            mark = _mark_of(lab.text) if lab.kind == "roman" else "."
            continue
        m = _TEXT_ROMANISH.match(ln.text)
        ahead = None if last else roman_ahead[i]  # before the first roman read
        read_mark = mark  # unmarked: read with the mark of the romans around it
        if m is not None:
            read_mark = _mark_of(m.group(2).replace(",", ".")) if m.group(2) else m.group(3)
        elif last or ahead is not None:
            m = _UNMARKED_ROMANISH.match(ln.text)
            if ahead is not None:
                read_mark = _mark_of(ahead.text)
        if m is None:
            glued = _glued_roman(ln.text, last + 1)
            if glued is not None:
                out[i] = replace(ln, text=glued)
                last += 1
                log.info("roman label glued to its title in %r: next in sequence", ln.text[:20])
            continue
        two = ahead_by_mark[read_mark[-1]][i] if read_mark[-1] in ahead_by_mark else None
        first_of_romans = (m.group(1) == "1" and not last and two is not None
                           and two.kind == "roman" and two.nums == (2,))  # fmt: skip
        if (m.group(1).isdigit() and not first_of_romans) or not re.search(r"[lL|1H]", m.group(1)):
            continue
        fixed = re.sub(r"[lL|1]", "I", m.group(1)).replace("H", "II")
        value = roman_value(fixed)
        leads = ahead is not None and value is not None and ahead.nums == (value + 1,)
        if (value != last + 1 and not leads) or not starts_upper(ln.text[m.end() :]):
            continue
        mark = read_mark
        words = ln.words
        if words and words[0][0] == m.group(0).strip():  # a scan line: its label word too
            words = [(f"{fixed}{mark}", words[0][1]), *words[1:]]
        out[i] = replace(ln, text=f"{fixed}{mark} {ln.text[m.end() :]}", words=words)
        last = value or last + 1
        log.info("roman label %r read as %s%s: next in sequence", m.group(0), fixed, mark)
    return _dashed_romans(out)


def _dashed_romans(lines: list[SrcLine]) -> list[SrcLine]:
    """ "I- SƠ LƯỢC" in a document whose other romans read "II.-", "III.-": the typist's
    "I.-", its period lost to OCR."""
    labels = [parse_label(ln.text) for ln in lines]
    romans = [lab for lab in labels if lab is not None and lab.kind == "roman"]
    if not any(_mark_of(lab.text) == ".-" for lab in romans):
        return lines
    out = list(lines)
    for i, lab in enumerate(labels):
        if lab is not None and lab.kind == "roman" and _mark_of(lab.text) == "-":
            out[i] = replace(lines[i], text=f"{lab.text[:-1]}.- {lab.rest}")
    return out


def lines_from_pages(pages: list[Page]) -> list[list[SrcLine]]:
    """The pages' lines as `SrcLine`s (words, boxes, confidences, layout signals); the
    pages are expected to have been through the layout pass (`layout.repair_page`)."""
    result: list[list[SrcLine]] = []
    for page in pages:
        out: list[SrcLine] = []
        for line in page.lines:
            words = [(nfc(w.marked_text), w.bbox) for w in line.words]  # as printed
            if not words:
                continue
            text = fix_ocr_label(squash(" ".join(w for w, _ in words)))
            box = union(b for _, b in words)
            out.append(
                SrcLine(
                    text,
                    page.number,
                    bbox=box,
                    page_width=page.width,
                    words=words,
                    confidences=[w.confidence for w in line.words],
                    marks=_marks(line.words),
                )
            )
        result.append(_layout_signals(_first_point_label(out), page.width))
    # "L. Mục tiêu", "IL. Các chỉ tiêu": mixed-case titles as in text (one tree either way)
    flat = restore_lost_labels(
        _text_roman_sequence(_roman_sequence([ln for page in result for ln in page]))
    )
    relabelled = iter(flat)
    return [[next(relabelled) for _ in page] for page in result]


def _marks(words: list[Word]) -> tuple[int, ...]:
    """The footnote numbers of the words' markers (`Word.marker`); a marker still written
    in a word's text (pages that skipped the layout pass: a words table read back, pages
    built by hand) is read with the layout pass's rule (`footnote_markers.detach`)."""
    numbers = (w.marker if w.marker is not None else detach(w.text)[1] for w in words)
    return tuple(n for n in numbers if n is not None)


# an "I."/"II."/"III." label as Tesseract misreads it: period lost or read as a comma or
# colon, I read as l, L, | (II as H, Il, ll); pure digits ("1") are arabic labels
_ROMAN_LOOKALIKE = re.compile(r"^([IlL|1H]{1,4})([.,:]?)$")


def _lookalike_values(word: str, box: BBox) -> set[int]:
    """The roman values a misread label may stand for: its letters read as I's ("H" = II),
    and the count of I's its box width fits (with or without a period, see label_repair.I_PITCH)."""
    m = _ROMAN_LOOKALIKE.match(word)
    if not m or m.group(1).isdigit():
        return set()
    fixed = re.sub(r"[lL|1]", "I", m.group(1)).replace("H", "II")
    values = {len(fixed)} if re.fullmatch(r"I{1,3}", fixed) else set()
    for dot in ("", "."):  # the lookalikes read with a period or none
        if n := i_count(box, dot):
            values.add(n)
    return values


def _roman_sequence(lines: list[SrcLine]) -> list[SrcLine]:
    """ "L QUY MÔ", "II, CHỈ TIÊU": a roman label read without its period (or with a comma,
    I as L, II as H) before an ALL-CAPS title is the label when its value is the next roman
    expected (the last roman label + 1; after a Phần / Chương heading, I).

    Both conditions are needed: an ordinary line never opens with a lone "L" or "H" followed
    by an upper-case title, and the number must continue the printed sequence. A label of
    I-like letters with its period, read at confidence under 50 ("HH." at 0, its box
    widened by a speck), takes the expected value (up to III) even when its count is off.
    """
    out = list(lines)
    last = 0
    for i, ln in enumerate(lines):
        lab = parse_label(ln.text)
        if lab is not None:
            if lab.kind == "roman" and lab.nums:
                last = lab.nums[0]
            elif lab.kind in ("part", "chapter"):
                last = 0
            continue
        if len(ln.words) < 3 or not is_upper_line(" ".join(w for w, _ in ln.words[1:])):
            continue
        first, box = ln.words[0]
        value = last + 1
        if not ln.words[1][0][:1].isalpha():
            continue
        m = _ROMAN_LOOKALIKE.match(first)
        unreadable = (m is not None and bool(m.group(2)) and not m.group(1).isdigit()
                      and bool(ln.confidences) and 0 <= ln.confidences[0] < 50)  # fmt: skip
        if value not in _lookalike_values(first, box) and not (unreadable and value <= 3):
            continue
        label = "I" * value + "."
        words = [(label, box), *ln.words[1:]]
        out[i] = replace(ln, words=words, text=squash(" ".join(w for w, _ in words)))
        last = value
        log.info(
            "roman label %r read as %r: next in sequence before an upper-case title", first, label
        )
    return out


def _first_point_label(lines: list[SrcLine]) -> list[SrcLine]:
    """A low-confidence "g)"/"q)" label followed by a "b)" item is the list's "a)"."""
    out = list(lines)
    for i, ln in enumerate(lines):
        label = ln.words[0][0] if ln.words else ""
        if label not in ("g)", "q)") or not ln.confidences or ln.confidences[0] >= 60:
            continue
        later = [m.words[0][0] for m in lines[i + 1:i + 40]
                 if m.words and POINT_LABEL.fullmatch(m.words[0][0])]  # fmt: skip
        if later[:1] == ["b)"]:
            out[i] = replace(ln, words=[("a)", ln.words[0][1]), *ln.words[1:]],
                             text="a)" + ln.text[len(label):])  # fmt: skip
            log.info("point label %r read at low confidence before b): a)", label)
    return out


_ROMANISH = re.compile(r"^([IVXlL|1H]{1,5})([.)])(?=\s|[^\W\d_]|$)")


# "Chương H", "ChươngHI" (OCR lost the space), "“Phần IH" (a speck before it): a centred
# unit label's numeral misread
_PART_OCR = re.compile(r"^[^\w\s\-–—+•]{0,2}\s?(Phần|PHẦN|Chương|CHƯƠNG)\s*([IVXlL|1H]{1,5})$")


def fix_ocr_label(text: str) -> str:
    """ "L. ĐẶC ĐIỂM" -> "I. ĐẶC ĐIỂM", "ChươngHI" -> "Chương III": OCR reads a bold
    roman I as L, l, | or 1 (II as H)."""
    m = _PART_OCR.match(text)
    if m:
        fixed = re.sub(r"[lL|1]", "I", m.group(2)).replace("H", "II")
        if re.fullmatch(r"I{1,3}|IV|VI{0,3}|IX|XI{0,3}", fixed):
            return f"{m.group(1)} {fixed}"
        return text
    m = _ROMANISH.match(text)
    if not m or not re.search(r"[lL|1H]", m.group(1)) or not is_upper_line(text[m.end() :]):
        return text
    fixed = re.sub(r"[lL|1]", "I", m.group(1)).replace("H", "II")
    if m.group(1) == "1" or not re.fullmatch(r"I{1,3}|IV|VI{0,3}|IX|XI{0,3}", fixed):
        return text
    return fixed + text[len(m.group(1)) :]


def _layout_signals(lines: list[SrcLine], width: int) -> list[SrcLine]:
    """The lines with the gaps, indents and short ends their boxes show."""
    if len(lines) < 2:
        return lines
    boxes = [box_of(ln) for ln in lines]
    med_h = statistics.median(b.height for b in boxes)
    gaps = [b.top - a.bottom for a, b in zip(boxes, boxes[1:], strict=False)]
    pos_gaps = [g for g in gaps if g > 0]
    med_gap = statistics.median(pos_gaps) if pos_gaps else med_h * 0.4
    lefts = sorted(b.left for b in boxes)
    rights = sorted(b.right for b in boxes)
    left_margin = lefts[len(lefts) // 4]
    right_margin = rights[int(0.8 * (len(rights) - 1))]
    blank = [lines[0].blank_before] + [g > max(0.9 * med_h, 1.8 * med_gap) for g in gaps]
    out = []
    for ln, box, blank_before in zip(lines, boxes, blank, strict=True):
        chars = len(ln.text)
        room = (right_margin - box.right) * chars / max(1, box.width) if chars >= 10 else ln.room
        out.append(replace(ln, blank_before=blank_before,
                           indented=box.left > left_margin + 0.025 * width,
                           short=box.right < right_margin - 0.06 * width, room=room))  # fmt: skip
    return out


def split_columns(lines: list[SrcLine], width: int) -> list[SrcLine]:
    """Regroup words into rows by vertical overlap, split rows at wide gaps."""
    words = [w for ln in lines for w in ln.words]
    if not words:
        return list(lines)
    page = lines[0].page
    words.sort(key=lambda w: (w[1].top + w[1].bottom) / 2)
    rows: list[list[tuple[str, BBox]]] = []
    for w in words:
        cy = (w[1].top + w[1].bottom) / 2
        if rows:
            top = min(x[1].top for x in rows[-1])
            bottom = max(x[1].bottom for x in rows[-1])
            if top <= cy <= bottom:
                rows[-1].append(w)
                continue
        rows.append([w])
    out: list[SrcLine] = []
    prev_bottom = None
    heights = [w[1].height for w in words]
    med_h = statistics.median(heights)
    for row in rows:
        row.sort(key=lambda w: w[1].left)
        segments: list[list] = [[row[0]]]
        for w in row[1:]:
            gap = w[1].left - segments[-1][-1][1].right
            if gap > max(0.05 * width, 2.5 * med_h):
                segments.append([w])
            else:
                segments[-1].append(w)
        top = min(w[1].top for w in row)
        blank = prev_bottom is not None and top - prev_bottom > 0.9 * med_h
        prev_bottom = max(w[1].bottom for w in row)
        for seg in segments:
            box = functools.reduce(BBox.union, [b for _, b in seg])
            centre = (box.left + box.right) / 2
            out.append(SrcLine(
                squash(" ".join(t for t, _ in seg)), page, bbox=box, blank_before=blank,
                column="left" if centre < width / 2 else "right", page_width=width,
                words=list(seg),
            ))  # fmt: skip
    return out
