"""Draw a plain-text structure bench document as a typist would print it (synth markup).

`to_markup(text, expected)` turns one `NAME.txt` of a structure bench folder into the
markup `ocr_pipeline.synth.render_pages` draws: header rows in two columns, the centred
type and subject, body paragraphs, footnote bodies at the foot of the page that cites them,
the closing zone with recipients and signature side by side.

The text alone does not say where a paragraph, a footnote body or the header ends when a
document is typed without blank lines or form feeds, so the converter reads the document's
own annotation (`NAME.expected.json`: headings in order, footnote numbers, subject,
recipients, signature, page-number lines) for that, never the structure rules it is meant
to measure. Blank lines still end paragraphs; without them a line ending a sentence
(". ; : ! ?") ends its paragraph unless the next line opens in lower case.
"""

from __future__ import annotations

import re
import sys
import unicodedata

from ocr_pipeline.footnote_markers import MARKER_DIGITS as SUPERSCRIPTS
from ocr_pipeline.structure.text import fold, join_lines

_BODY_START = re.compile(r"^(\d{1,2}) (\S.*)$")
_FIGURES_AT_END = re.compile(r"(?:\s\d[\d.,]*%?){2,}$")  # "... 02 3.500.000 7.000.000"
_TABLE_HEAD = re.compile(r"^(?:S?TT|SO\s+TT)\s")  # "TT Họ và tên ...", folded
_LONE_NUMBER = re.compile(r"^\s*-?\s*(\d{1,3})\s*-?\s*$")
_BULLET = re.compile(r"^[-–—•+]\s*\S")
_DATE_ROW = re.compile(r"ngày\s*\d{1,2}(\s+tháng|\s*[/.-]\s*\d)", re.IGNORECASE)
_NUMBER_ROW = re.compile(r"^Số\s*:")
# the recipients' label as offices print it; archives' typists wrote "Nơi gửi:", "Sao gửi:"
RECIPIENTS_LABELS = ("Nơi nhận", "Nơi gửi", "Sao gửi")
_CLOSING_CUE = re.compile(rf"^({'|'.join(RECIPIENTS_LABELS)}|TM\.|KT\.|TL\.|TUQ\.|Q\.|XÁC NHẬN)")
_TERMINAL = ".;:!?"
_TRAILING_MARKS = '”"’)»' + SUPERSCRIPTS


def to_markup(text: str, exp: dict, name: str = "") -> str:
    """The markup of one bench document (`exp` is its expected JSON). What the converter
    could not place (a heading not found in order, a footnote body not found) is reported
    on stderr: the scan rows of that document then measure the converter too."""
    text = unicodedata.normalize("NFC", text)
    numbers = {f["number"] for f in exp["footnotes"]}
    lines = _without_page_numbers(text, exp)
    lines, notes = _take_footnote_bodies(lines, numbers, exp)
    closing_at = _closing_start(lines, exp)
    body_lines, closing_lines = lines[:closing_at], lines[closing_at:]
    out: list[str] = []
    start = 0
    if exp["header"] is not None:
        start = _header(body_lines, exp["header"], out)
    headings = list(exp["headings"])
    paragraphs = _paragraphs(body_lines[start:], exp, headings)
    closing_lines, attached = _split_attached(closing_lines)
    attached_paras = _paragraphs(attached, exp, headings) if attached else []
    _warn_unmatched(name, exp, paragraphs + attached_paras, notes, numbers)
    for para in paragraphs:
        out.append(_paragraph_markup(para, exp))
        cited = _glue_markers(para.text, numbers)
        for n in _cited_numbers(cited):
            if n in notes:
                out.append(f"@ {n} {notes.pop(n)}")
    out += _closing(closing_lines, exp)
    if attached:  # a paper issued with the document starts a page of its own
        out.append("\f")
        for para in attached_paras:
            out.append(_paragraph_markup(para, exp))
            for n in _cited_numbers(_glue_markers(para.text, numbers)):
                if n in notes:
                    out.append(f"@ {n} {notes.pop(n)}")
    for n in sorted(notes):  # a body whose marker was never found: still drawn, at the end
        out.append(f"@ {n} {notes.pop(n)}")
    return "\n".join(out) + "\n"


def _warn_unmatched(name: str, exp: dict, paras: list, notes: dict, numbers: set) -> None:
    found = sum(1 for p in paras if p.heading is not None)
    missing = sorted(numbers - set(notes))
    if found != len(exp["headings"]) or missing:
        print(f"text_to_markup {name}: {found}/{len(exp['headings'])} headings placed,"
              f" footnote bodies not found: {missing or 'none'}", file=sys.stderr)  # fmt: skip


# --------------------------------------------------------------------------- pages
def _page_number_values(exp: dict) -> list[str]:
    out = []
    for item in exp.get("furniture") or []:
        out.append(str(item[1] if isinstance(item, list) else item).strip())
    return out


def _without_page_numbers(text: str, exp: dict) -> list[str]:
    """The document's lines with page breaks and page-number lines taken out ('' for a
    blank line, None where a page ended: footnote bodies stop there)."""
    expected_numbers = _page_number_values(exp)
    out: list[str | None] = []
    next_page = 2
    for p, page in enumerate(text.split("\f")):
        lines = [_sup_to_ascii(ln.rstrip()) for ln in page.split("\n")]
        if p:
            out.append(None)
            while lines and not lines[0].strip():
                lines.pop(0)
            m = _LONE_NUMBER.match(lines[0]) if lines else None
            if m:
                lines.pop(0)
                next_page = int(m.group(1)) + 1
        for ln in lines:
            m = _LONE_NUMBER.match(ln)
            if m and int(m.group(1)) == next_page and m.group(1) in expected_numbers:
                out.append(None)  # a page number alone on its line, no form feed
                next_page += 1
                continue
            out.append(ln)
    return out  # type: ignore[return-value]


# --------------------------------------------------------------------------- footnotes
def _take_footnote_bodies(lines: list, numbers: set[int], exp: dict):
    """Footnote bodies out of the line stream, wherever they were typed (page foot, before
    "Nơi nhận:", after the signature). A body opens with its number once that number has
    been cited, and runs until the next body, a page end, a blank line followed by text,
    the closing zone or the next heading."""
    notes: dict[int, str] = {}
    kept: list = []
    cited: set[int] = set()
    current = None
    heading_labels = {h[0] for h in exp["headings"]}
    for k, ln in enumerate(lines):
        if ln is None:
            current = None
            kept.append(None)
            continue
        m = _BODY_START.match(ln)
        if m and _table_row(lines, k):
            m = None
        if m and int(m.group(1)) in numbers and int(m.group(1)) in cited:
            n = int(m.group(1))
            if n not in notes:
                current = n
                notes[n] = m.group(2).strip()
                continue
        if current is not None:
            stripped = ln.strip()
            first = stripped.split(" ", 1)[0] if stripped else ""
            if not stripped:
                nxt = next((x for x in lines[k + 1 :] if x is None or x.strip()), None)
                if nxt is None or _BODY_START.match(nxt):
                    continue  # blank line between bodies or at the page foot
                current = None
            elif _CLOSING_CUE.match(stripped) or first in heading_labels:
                current = None
            elif _is_signature_line(stripped, exp):
                current = None
            else:
                notes[current] = join_lines(notes[current], stripped)
                continue
        kept.append(ln)
        cited.update(_cited_numbers(_glue_markers(ln, numbers)))
    return _trim_page_edges(kept), notes


def _table_row(lines: list, k: int) -> bool:
    """lines[k] is a numbered row of a table typed as lines, not a footnote body: figures
    end it, or it and the rows above it count 1, 2, ... up from under a head line
    ("TT Họ và tên Chức vụ")."""
    if _FIGURES_AT_END.search(lines[k].rstrip()):
        return True
    n = int(lines[k].split(" ", 1)[0])
    while n > 1:
        k -= 1
        m = _BODY_START.match(lines[k] or "") if k >= 0 else None
        if m is None or int(m.group(1)) != n - 1:
            return False
        n -= 1
    return k > 0 and lines[k - 1] is not None and bool(_TABLE_HEAD.match(fold(lines[k - 1])))


def _trim_page_edges(lines: list) -> list:
    """Blank lines at a page's foot and head dropped: a paragraph runs on across a page
    break and its footnote bodies."""
    out: list = []
    for ln in lines:
        if ln is None:
            while out and out[-1] is not None and not out[-1].strip():
                out.pop()
        elif not ln.strip() and out and out[-1] is None:
            continue
        out.append(ln)
    return out


def _sup_to_ascii(line: str) -> str:
    """A footnote body line opening with superscript digits -> "N text"."""
    m = re.match(rf"^([{SUPERSCRIPTS}]{{1,2}})\s*(.*)$", line)
    if not m:
        return line
    return "".join(str(SUPERSCRIPTS.index(c)) for c in m.group(1)) + " " + m.group(2)


def _glue_markers(text: str, numbers: set[int]) -> str:
    """ASCII markers glued to a word, a percentage or a closing quote ("quy định3.", "28%4;",
    "hè\"4") as superscripts."""

    def sup(m):
        n = int(m.group(1))
        return "".join(SUPERSCRIPTS[int(d)] for d in str(n)) if n in numbers else m.group(0)

    after = r"(?:(?<=[^\W\d_]{2})|(?<=\d%)|(?<=[^\W\d_][”\"’)]))"  # a word, "28%", "hè\""
    return re.sub(after + r"(?<!km)(\d{1,2})(?=[\s.,;:)]|$)", sup, text)


def _cited_numbers(text: str) -> list[int]:
    """Footnote numbers cited in `text`, in order: whole superscript runs ("¹⁰" is 10, not
    1), except a unit's power ("m³", "km²"; "km⁵" is a marker)."""
    out = []
    for m in re.finditer(rf"[{SUPERSCRIPTS}]+", text):
        if m.group() in "²³" and re.search(r"(?:^|[^\w])[kcdm]?m$", text[: m.start()]):
            continue
        out.append(int("".join(str(SUPERSCRIPTS.index(c)) for c in m.group())))
    return out


def _no_markers(text: str) -> str:
    return re.sub(rf"[{SUPERSCRIPTS}]", "", text)


# --------------------------------------------------------------------------- header
def _header(lines: list, header: dict, out: list[str]) -> int:
    """Header rows (issuer | national title, number | place and date), an authority line,
    the centred type and subject; returns the index of the first body line."""
    from ocr_pipeline.structure.header import split_text_line

    subject = " ".join((header.get("subject") or "").split())
    doc_type = header.get("doc_type")
    texts = [ln.strip() for ln in lines[:40] if ln and ln.strip()]
    type_row = next(
        (k for k, ln in enumerate(texts) if doc_type and _is_type_line(ln, doc_type)), 8
    )
    number_row = next((k for k, ln in enumerate(texts[:type_row]) if _NUMBER_ROW.search(ln)), -1)
    date_row = next((k for k, ln in enumerate(texts[:type_row]) if _DATE_ROW.search(ln)), -1)
    # a document with neither number nor date (a quy chế attached to its decision) ends
    # its header rows with the motto
    motto_row = next((k for k, ln in enumerate(texts[:type_row]) if "DOC LAP" in fold(ln)), -1)
    date_row = max(number_row, date_row, motto_row)
    k = 0
    pos = 0  # index into `lines`
    seen_type = False
    got = ""
    while pos < len(lines):
        ln = lines[pos]
        if ln is None or not ln.strip():
            pos += 1
            continue
        ln = ln.strip()
        if k <= date_row:
            title = header.get("national_title") or ""
            if title and ln.endswith(title) and ln != title and "CỘNG HÒA" not in title:
                # a mass organisation's title typed after the issuer's first line
                out.append(f"|{ln[: -len(title)].strip()}|{title}|")
            elif not re.fullmatch(r"[-_\s]+", ln):
                segs = split_text_line(_src(ln))
                if len(segs) == 2:
                    out.append(f"|{segs[0].text}|{segs[1].text}|")
                elif segs[0].column == "right":
                    out.append(f"||{segs[0].text}|")
                else:
                    out.append(f"|{segs[0].text}||")
        elif not seen_type and doc_type and _is_type_line(ln, doc_type):
            out.append(f"#+ {ln}")
            seen_type = True
        elif subject and got != subject and _continues(got, ln, subject):
            got = " ".join(f"{got} {ln}".split())
            if seen_type:
                out.append(f"# {ln}")
            else:
                out.append(f"|{ln}||")  # a công văn's "V/v ..." under its number
        elif not seen_type and doc_type and _is_upper(ln):
            out.append(f"# {ln}")  # "CHỦ TỊCH ỦY BAN NHÂN DÂN ..." over a decision's type
        else:
            break
        k += 1
        pos += 1
        if (not doc_type or seen_type) and (not subject or got == subject) and k > date_row:
            break
    out.append("")
    return pos


def _is_type_line(line: str, doc_type: str) -> bool:
    return fold(line).startswith(fold(doc_type)) and _is_upper(line)


def _continues(got: str, line: str, subject: str) -> bool:
    joined = " ".join(f"{got} {line}".split())
    return subject.startswith(joined)


def _src(text: str):
    from ocr_pipeline.structure.document import SrcLine

    return SrcLine(text, 1)


def _is_upper(text: str) -> bool:
    return text.upper() == text and any(c.isalpha() for c in text)


# --------------------------------------------------------------------------- body
class _Para:
    __slots__ = ("text", "heading", "part_title")

    def __init__(self, text: str, heading: list | None) -> None:
        self.text = text
        self.heading = heading
        self.part_title = False


def _paragraphs(lines: list, exp: dict, headings: list | None = None) -> list[_Para]:
    """Body lines -> paragraphs: a heading opens one (the next expected heading, matched in
    order; `headings`, the ones still to come, consumed as they are placed: the body's,
    then an attached paper's), a heading with its whole title on the line stands alone, a
    dash item opens one, a blank line or page break ends one, and a line ending a sentence
    ends one unless the next line opens in lower case."""
    headings = list(exp["headings"]) if headings is None else headings
    paras: list[_Para] = []
    closed = True
    blank_mode = _typed_with_blank_lines(lines)
    pending_title = ""  # a heading's title wrapped onto the next line
    for ln in lines:
        if ln is None:
            continue  # a page break does not end a paragraph that runs on to the next page
        ln = ln.strip()
        if not ln:
            closed = True
            continue
        prev = paras[-1] if paras else None
        if pending_title and prev is not None:
            prev.text = f"{prev.text} {ln}"
            got = fold(_no_markers(prev.text[len(prev.heading[0]) :]).strip().rstrip(".:"))
            if not fold(pending_title).startswith(got) or got == fold(pending_title):
                pending_title = ""
                closed = True
            continue
        match = _next_heading(ln, headings)
        if match is not None:
            head = headings[match]
            del headings[: match + 1]
            para = _Para(ln, head)
            paras.append(para)
            rest = _no_markers(ln[len(head[0]) :]).strip().rstrip(".:").strip()
            whole_title = head[2] is not None and rest == head[2]
            if head[2] is not None and rest and len(rest) < len(head[2]):
                if fold(head[2]).startswith(fold(rest)):
                    pending_title = head[2]
            part_title = head[2] is not None and not rest and _is_part(head[0])
            closed = whole_title or (_ends_sentence(ln) and (head[2] is None or not blank_mode))
            if part_title:
                para.part_title = True
                closed = False
            continue
        if prev is not None and prev.part_title and prev.heading is not None:
            prev.text = f"{prev.text}\n{ln}"  # "Phần I" with its title on the next line
            prev.part_title = False
            closed = True
            continue
        lower = ln[:1].islower()
        if prev is None or _BULLET.match(ln) or _is_upper_cue(ln):
            closed = False
            paras.append(_Para(ln, None))
        elif closed and not lower:
            paras.append(_Para(ln, None))
            closed = False
        else:
            prev.text = join_lines(prev.text, ln)
        closed = (
            (not blank_mode and _ends_sentence(paras[-1].text))
            or _is_upper(paras[-1].text)
            or bool(_FIGURES_AT_END.search(paras[-1].text))  # a typed table's row
        )
    return paras


def _typed_with_blank_lines(lines: list) -> bool:
    """The typist left a blank line after (nearly) every paragraph: blank lines, not sentence
    ends, say where a paragraph ends (a wrapped line may end a sentence mid-paragraph)."""
    texts = [ln.strip() if ln else "" for ln in lines]
    blanks = sum(1 for k in range(1, len(texts)) if not texts[k] and texts[k - 1])
    ends = sum(1 for t in texts if t and _ends_sentence(t))
    return blanks >= 0.8 * ends


def _next_heading(line: str, headings: list) -> int | None:
    """Index of the expected heading `line` opens (the next one, or the one after if a
    heading was not found), or None."""
    for k, (label, _level, title) in enumerate(headings[:2]):
        if not line.startswith(label):
            continue
        rest = line[len(label) :]
        if rest and not (rest[0].isspace() or rest[0] in ".:" or label.endswith((".", ")"))):
            continue
        rest = rest.lstrip(".:") if not label.endswith((".", ")")) else rest
        rest = _no_markers(rest).strip()
        if title is None or fold(rest).startswith(fold(title)) or (not rest and _is_part(label)):
            return k
        if rest and fold(title).startswith(fold(rest).rstrip(".:")):
            return k  # a long title wrapped onto the next line
    return None


def _is_part(label: str) -> bool:
    return fold(label).split(" ")[0] in ("PHAN", "CHUONG", "MUC")


def _ends_sentence(text: str) -> bool:
    return _no_markers(text).rstrip(_TRAILING_MARKS + " ")[-1:] in _TERMINAL


def _is_upper_cue(line: str) -> bool:
    """'QUYẾT ĐỊNH:', 'QUYẾT NGHỊ:', 'KẾT LUẬN:': a centred line of its own."""
    return _is_upper(line) and line.endswith(":") and len(line.split()) <= 4


def _paragraph_markup(para: _Para, exp: dict) -> str:
    numbers = {f["number"] for f in exp["footnotes"]}
    text = _glue_markers(para.text, numbers)
    if para.heading is not None and _is_part(para.heading[0]):
        return "\n".join(f"# {ln}" for ln in text.split("\n"))
    if _is_upper_cue(text) or (para.heading is None and _is_upper(text) and len(text) < 90):
        return f"# {text}"
    if para.heading is not None and not fold(para.heading[0]).startswith("DIEU"):
        return f"* {text}"
    if para.heading is not None:
        return text
    return f"\\{text}" if text[:1] in "#*/^<>~_+@|" else text


# --------------------------------------------------------------------------- closing
def _signature_values(exp: dict) -> list[str]:
    out = []
    for sig in [exp.get("signature")] + list(exp.get("other_signatures") or []):
        if sig:
            out += [v for v in (sig.get("authority"), sig.get("title"), sig.get("name")) if v]
    return out


def _is_signature_line(line: str, exp: dict) -> bool:
    values = _signature_values(exp)
    return line in values or _split_pair(line, exp) is not None


def _split_pair(line: str, exp: dict) -> tuple[str, str] | None:
    """A two-column signature row typed on one line ("THƯ KÝ CHỦ TRÌ", two names): the left
    signature's value, then the right one's."""
    others = list(exp.get("other_signatures") or [])
    sig = exp.get("signature") or {}
    for other in others:
        for key in ("authority", "title", "name"):
            left, right = other.get(key), sig.get(key)
            for r in (right, sig.get("title"), sig.get("authority")):
                if left and r and line == f"{left} {r}":
                    return left, r
    return None


def _closing_start(lines: list, exp: dict) -> int:
    """Index of the closing zone: "Nơi nhận:" (`RECIPIENTS_LABELS`) or, without it, the
    first signature line after the last body text."""
    for k, ln in enumerate(lines):
        if ln and ln.strip().startswith(RECIPIENTS_LABELS):
            return k
    sig_lines = [k for k, ln in enumerate(lines) if ln and _is_signature_line(ln.strip(), exp)]
    if not sig_lines:
        return len(lines)
    first = sig_lines[0]
    for k in sig_lines:
        if k - first > 12:
            break
    return first


def _split_attached(lines: list) -> tuple[list, list]:
    """(the closing zone's own lines, the paper attached after the signature: a
    regulation, a list or an annex with its "(Ban hành kèm theo ...)" note, found as the
    structure finds it, `structure.attachments`). Printed, such a paper starts a new page;
    drawn in the closing's right column beside the recipients, its title and rows became
    the signer's."""
    from ocr_pipeline.structure.attachments import split_attachment

    texts = [ln for ln in lines if ln is not None]
    own, attached = split_attachment([_src(ln) for ln in texts], 0)
    if not attached:
        return lines, []
    return texts[: len(own)], texts[len(own) :]


def _closing(lines: list, exp: dict) -> list[str]:
    """Recipients in the left column, the signature block in the right one, side by side;
    a two-column signature row typed on one line split into its two cells."""
    from ocr_pipeline.structure.closing import split_text_line

    texts = [ln.strip() for ln in lines if ln and ln.strip()]
    if not texts:
        return []
    left: list[str] = []
    right: list[str] = []
    pairs: list[tuple[str, str]] = []
    in_recipients = False
    merged = False
    for ln in texts:
        pair = _split_pair(ln, exp)
        if pair is not None:
            pairs.append(pair)
            continue
        segs = split_text_line(_src(ln)) if ln not in _signature_values(exp) else []
        if len(segs) == 2:  # a recipient and a signature line typed as one line
            in_recipients = in_recipients or segs[0].text.startswith(RECIPIENTS_LABELS)
            merged = True
            left.append(segs[0].text)
            right.append(segs[1].text)
            continue
        if ln.startswith(RECIPIENTS_LABELS):
            in_recipients = True
            left.append(ln)
            continue
        if in_recipients and (_BULLET.match(ln) or ln.startswith("Lưu")):
            left.append(ln)
            continue
        if in_recipients and ln not in _signature_values(exp):
            if not _is_upper(ln) and left and not _is_signature_line(ln, exp):
                left[-1] = join_lines(left[-1], ln)  # a recipient wrapped onto two lines
                continue
        in_recipients = False
        right.append(ln)
    out: list[str] = []
    if merged:  # typed side by side already: one row a line, as typed
        for ln in texts:
            segs = split_text_line(_src(ln))
            if len(segs) == 2:
                out.append(_row(segs[0].text, segs[1].text))
            elif ln.startswith(("-", *RECIPIENTS_LABELS)):
                out.append(_row(ln, ""))
            else:
                out.append(_row("", ln))
        return out
    if pairs:
        for k, (a, b) in enumerate(pairs):
            if k and k == len(pairs) - 1:
                out += ["||", "||"]  # room for the signatures above the names
            out.append(f"|* {a}|* {b}|")
        # the recipients under the two signature blocks, at the left (they were dropped)
        return out + [f"||* {r}|" for r in right] + [_row(r, "") for r in left]
    name = exp.get("signature", {}) and (exp.get("signature") or {}).get("name")
    if name in right and right.index(name) == len(right) - 1:
        right = right[:-1] + ["", "", name]  # room for the signature above the name
    for k in range(max(len(left), len(right))):
        out.append(_row(left[k] if k < len(left) else "", right[k] if k < len(right) else ""))
    return out


def _row(left: str, right: str) -> str:
    return f"|{'<~ ' + left if left else ''}|{'* ' + right if right else ''}|"
