"""Header block (Nghị định 30/2020/NĐ-CP): issuer, national title, motto, number, place,
date, document type and subject.

With word boxes the two header columns are separated by x position; in plain text they
arrive merged on one line and are split at anchors (the national title, the motto, the
"Số:" number, the "<place>, ngày ..." date). Anchors are matched on accent-folded text,
tolerant of common OCR slips (Đ read as P), so the same code works on raw `vie` OCR.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace

from ocr_pipeline.doc_types import DOC_TYPES, PERSONAL_TYPES
from ocr_pipeline.structure.closing import TITLE_WORDS
from ocr_pipeline.structure.document import SrcLine, box_of, prov, union
from ocr_pipeline.structure.furniture import FORM_CODE
from ocr_pipeline.structure.labels import parse_label
from ocr_pipeline.structure.lines import split_columns
from ocr_pipeline.structure.sections import FORM_BLANK, is_form_field
from ocr_pipeline.structure.text import (
    ATTACHMENT_NOTE,
    BRACKETED_LINE,
    ends_terminal,
    fold,
    is_header_rule,
    is_upper_line,
    squash,
    starts_lower,
)

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# the national title of the Democratic Republic (1945-1976), over the same motto
DRV_TITLE = "VIỆT NAM DÂN CHỦ CỘNG HÒA"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_NT_RE = re.compile(
    r"C[O0]NG\s*H[O0]A\b.{0,14}?CH[UI]\s*NGH[IL]A\s*V[IL]E[TI]\s*NAM"
    r"|(?P<drv>V[IL]E[TI]\s*NAM\s*D[AI]N\s*CH[UI]\s*C[O0]NG\s*H[O0]A)"
)
# the title a mass organisation or the Party prints where the state's national title
# stands ("HỘI NÔNG DÂN VIỆT NAM" over a Hội's documents), at the end of a header line
# (folded; in plain text it follows the issuer's first line on the same line)
_ORG_TITLE = (
    r"(?:DANG CONG SAN|HOI NONG DAN|HOI LIEN HIEP PHU NU|HOI CUU CHIEN BINH"
    r"|MAT TRAN TO QUOC|CONG DOAN|TONG LIEN DOAN LAO DONG) VIET NAM"
    r"|DOAN (?:TNCS|THANH NIEN CONG SAN) HO CHI MINH"
)
_ORG_TITLE_RE = re.compile(rf"(?:^|\s)({_ORG_TITLE})$")
_ORG_TITLE_ANYWHERE = re.compile(_ORG_TITLE)


def header_titles(text: str) -> int:
    """How many national titles, or a mass organisation's or the Party's titles that stand
    in for one ("ĐẢNG CỘNG SẢN VIỆT NAM"), `text` holds (two side by side: a 2-up scan)."""
    f = squash(fold(text))
    return len(_NT_RE.findall(f)) + len(_ORG_TITLE_ANYWHERE.findall(f))


def national_title(text: str) -> re.Match[str] | None:
    """Where a national title stands in `text` (its folded form's match); the Democratic
    Republic's only in capitals, as a header prints it ("nước Việt Nam Dân chủ Cộng hòa" in
    a subject is its name, no title)."""
    m = _NT_RE.search(fold(text))
    if m is not None and m.group("drv") and not is_upper_line(text[m.start() : m.end()]):
        return None
    return m


_MOTTO_RE = re.compile(
    r"[DP][O0]C\s*L[AI]P\s*[-–—.]?\s*T[UY]\s*[DP][O0E]\s*[-–—.]?\s*H[AI]NH\s*PH[UI]C"
)
# "Số:" as OCR reads it: "So", "S0", "Sb", "S6"; with an English model also "Sé", "Sd",
# "S8", "Sq", and "SG" for a blurred "Số" (those only with the colon)
_NUMBER_RE = re.compile(r"^S(?:[O0B6]\s*:?|[EDQ8G]\s*:)\s*(?=[\d/])")
_D = r"[\dIL|O]"  # OCR reads 1 as I, l or |, and 0 as O
# the month may be read with its digit twice or split ("tháng 6 6 năm", "tháng 1 2 năm":
# `_date_number`)
_DATE_WORDS = re.compile(
    rf"NGAY\s*({_D}{{1,2}})\s*THANG\s*({_D}{{1,2}}(?:\s{_D})?)\s*NAM\s*({_D}{{4}})"
)
_DATE_NUM = re.compile(rf"NGAY\s*({_D}{{1,2}})\s*[/.\-]\s*({_D}{{1,2}})\s*[/.\-]\s*({_D}{{4}})")
# "Tân Đước, 12/6/1991": a place and a date in figures without "ngày" (an older typist's),
# a line of its own (`_bare_date`)
_DATE_BARE = re.compile(r",\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_PLACE_WORDS = 6  # a place's name before such a date: this many words at most
# ... each capitalised ("Phan Rang-Tháp Chàm"), a kind's abbreviation ("TP. Hồ Chí Minh")
# or the small word of "Thị xã", "Thành phố", "Thị trấn"
_PLACE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_PLACE_SMALL_WORDS = {"TP.", "TX.", "TT.", "xã", "phố", "trấn"}
_OCR_DIGITS = str.maketrans("IL|O", "1110")
# "V/v" opening a subject, after a speck OCR read before it (".V/v nộp hồ sơ ...")
_LEAD_SPECKS = "._-'`‘’,"
_VV_RE = re.compile(rf"^[{re.escape(_LEAD_SPECKS)}]?\s*V\s*/\s*V\b")
VV_TAIL_WORDS = 10  # a "V/v" subject's wrapped line: a short column's width

_DOC_TYPE_BY_FOLD = {fold(t): t for t in DOC_TYPES}
# types that take a qualifier; "LUẬT" does not (a "LUẬT SƯ ..." line is an issuer)
_QUALIFIABLE = sorted((t for t in DOC_TYPES if t != "LUẬT"), key=len, reverse=True)
# the common qualified types, whose qualifier is given in its own spelling too where OCR
# slipped in its marks ("BÁO CÁO THANH TỊCH"); others keep their qualifier as printed
QUALIFIED_TYPES = [
    "BÁO CÁO THÀNH TÍCH", "BÁO CÁO TỔNG KẾT", "BÁO CÁO SƠ KẾT", "BÁO CÁO KẾT QUẢ",
    "BÁO CÁO TÓM TẮT", "BÁO CÁO GIẢI TRÌNH", "BÁO CÁO GIÁM SÁT", "KẾ HOẠCH PHỐI HỢP",
    "KẾ HOẠCH LIÊN TỊCH", "KẾ HOẠCH HÀNH ĐỘNG", "THÔNG BÁO KẾT LUẬN", "BIÊN BẢN HỌP",
    "BIÊN BẢN LÀM VIỆC", "BIÊN BẢN KIỂM TRA", "BIÊN BẢN HỘI NGHỊ", "BIÊN BẢN BÀN GIAO",
    "TỜ TRÌNH ĐỀ NGHỊ", "CHƯƠNG TRÌNH CÔNG TÁC", "CHƯƠNG TRÌNH HÀNH ĐỘNG",
    "NGHỊ QUYẾT LIÊN TỊCH", "HƯỚNG DẪN LIÊN TỊCH", "QUY CHẾ PHỐI HỢP",
]  # fmt: skip
_QUALIFIED_BY_FOLD = {fold(t): t for t in QUALIFIED_TYPES}
# a type line of large spaced capitals that OCR read without its space ("ĐEAN" for ĐỀ ÁN,
# a typist's "B Á O  C Á O  T H À N H  T Í C H" as "BÁOCÁOTHÀNHTÍCH")
_DOC_TYPE_GLUED = {fold(t).replace(" ", ""): t for t in [*DOC_TYPES, *QUALIFIED_TYPES] if " " in t}
# the issuing authority's line under a decision's subject opens with a signer's title
_AUTHORITY_LINE = re.compile(rf"^{TITLE_WORDS}\b")
# a body that decides, above "Căn cứ" over the issuer's name (folded)
_COLLECTIVE_BODY = re.compile(
    r"^(DAI\s+HOI|HOI\s+NGHI|BAN\s+(CHAP\s+HANH|THUONG\s+VU)|HOI\s+DONG\s+(QUAN\s+TRI"
    r"|THANH\s+VIEN))\b"
)
# "(Ban hành kèm theo Quyết định số ...)" under an attached regulation's subject (folded)
_STOP_SUBJECT = re.compile(r"^(CAN CU|KINH GUI|THAN GUI)\b")
_THUC_HIEN = re.compile(r"^Thực\s+hiện\s+(\S+)", re.IGNORECASE)
SUBJECT_LINE_CHARS = 90  # a longer first line under the type is the body's first sentence
SUBJECT_WRAP_WORDS = 14  # a wrapped subject's last line is no longer than this


def _opens_body(text: str) -> bool:
    """ "Căn cứ ...", "Kính gửi: ...", "Thực hiện Công văn số ..." open the body; "Thực hiện
    nhiệm vụ năm học ..." under a KẾ HOẠCH is its subject (a common noun after the verb,
    a short line with no clause punctuation)."""
    if _STOP_SUBJECT.match(fold(text)):
        return True
    m = _THUC_HIEN.match(text)
    if m is None:
        return False
    return (m.group(1)[:1].isupper() or text.rstrip().endswith((",", ":", ";"))
            or len(text) > SUBJECT_LINE_CHARS)  # fmt: skip


_QUALIFIED_MAX_WORDS = 16
# first words of an issuer line that names a unit of its own (folded)
_UNIT_WORDS = {"UBND", "UY", "HDND", "XA", "PHUONG", "THI", "HUYEN", "QUAN", "TINH", "THANH",
               "SO", "PHONG", "BAN", "TRUONG", "BENH", "TRUNG", "HOI", "CONG", "BO", "CUC",
               "TONG", "VU", "VIEN", "CHI", "VAN", "DANG", "DOAN", "LIEN", "TRAM", "KHO", "DOI",
               "HOP", "MAT", "NGAN", "QUY", "THUONG", "TOA", "BQL", "KHU", "DAI",
               # the abbreviated kinds: Ban Chấp hành, Hợp tác xã, Ủy ban MTTQ
               "BCH", "HTX", "UBMTTQ"}  # fmt: skip
_ACCENTS_REQUIRED = {"PHƯƠNG ÁN"}  # folded, the same letters as "PHƯỜNG AN ..." (a place)
_OCR_SPECKS = " '`‘’\"“”,"  # specks OCR reads around a large type line
# types whose words a body writes as often ("Kết luận:", "danh sách"): a type line in
# capitals only
_CAPITALS_ONLY = {"KẾT LUẬN", "DANH SÁCH", "ĐƠN", "PHIẾU", "ĐIỀU LỆ"}
# "QUI", the spelling of "QUY" before 1984's rules ("BẢN QUI ĐỊNH", "QUI CHẾ"), folded
_OLD_QUY = re.compile(r"\bQUI\b")
_QUY_WORD = re.compile(r"\bQUY\b")
_NOT_QUALIFIER = re.compile(r"^(VE|V\s*/\s*V)\b")  # "QUYẾT ĐỊNH VỀ VIỆC ...": type + subject
# "PHIẾU SỐ 3" is no type with a qualifier or a subject: a unit's name wrapped ("TỔ BẦU CỬ
# KHU VỰC BỎ" / "PHIẾU SỐ 3"), or a numbered item (folded); "CHỈ THỊ SỐ 15-CT/UB" is one
_NUMBERED = re.compile(r"^SO\s*\d")
_NUMBERED_NOT_TYPES = {"PHIẾU"}
_NOT_A_TYPE = re.compile(r"^DON\s+VI\b")  # "ĐƠN VỊ ...": a unit's name (folded)


def doc_type_of(text: str, qualified: bool = True) -> str | None:
    """The document type a line prints, or None.

    A bare type of NĐ 30/2020 Phụ lục III gives its canonical spelling ("BÁO CÁO"). A
    qualified type ("BÁO CÁO THÀNH TÍCH", "TỜ TRÌNH ĐỀ NGHỊ ...", "THÔNG BÁO KẾT LUẬN ...")
    is an ALL-CAPS line that opens with a type word and goes on in capitals (not with "VỀ"
    or "V/V", which start a subject); its type word is given in its canonical spelling,
    its qualifier as printed. `qualified=False` looks
    for bare types only.
    """
    text = text.strip(_OCR_SPECKS)
    key = squash(fold(text).strip(" :.;"))
    old_spelling = _OLD_QUY.sub("QUY", key)
    for candidate in (key, key.replace("P", "D"), old_spelling):
        if candidate in _DOC_TYPE_BY_FOLD:
            found = _DOC_TYPE_BY_FOLD[candidate]
            if found in _CAPITALS_ONLY and not is_upper_line(text):
                return None  # "Kết luận:", "Danh sách" opening a body's paragraph
            if candidate is old_spelling and old_spelling != key:
                return _QUY_WORD.sub("QUI", found)  # the era's spelling kept: "BẢN QUI ĐỊNH"
            return found
        if " " not in candidate and candidate in _DOC_TYPE_GLUED:
            return _DOC_TYPE_GLUED[candidate]
    if not qualified or not is_upper_line(text) or len(key.split()) > _QUALIFIED_MAX_WORDS:
        return None
    printed = squash(text).strip(" :.;")
    opening = _type_opening(printed)
    if _NOT_A_TYPE.match(fold(printed)):
        return None
    if (
        opening is not None
        and opening[0] in _NUMBERED_NOT_TYPES
        and _NUMBERED.match(fold(opening[1]))
    ):
        return None
    if opening is not None and not _NOT_QUALIFIER.match(fold(opening[1])):
        # the type word in its own spelling (OCR slips in its marks: "BẢO CAO"), the
        # qualifier as printed (`fold` keeps every character's place), unless the
        # whole line is a common qualified type
        known = _QUALIFIED_BY_FOLD.get(fold(printed))
        return known if known is not None else f"{opening[0]} {opening[1]}"
    return None


def _type_opening(printed: str) -> tuple[str, str] | None:
    """(type, the rest as printed) of a line that opens with a type word and goes on: with
    its accents where the bare letters are also a place ("PHƯỜNG AN BÌNH" is no "PHƯƠNG
    ÁN"), by its letters elsewhere, as raw OCR of a large bold line reads it ("BẢO CAO
    THANH TỊCH"); the longest type first."""
    folded = fold(printed)
    for name in _QUALIFIABLE:
        if name in _ACCENTS_REQUIRED:
            opens = printed.startswith(name + " ")
        else:
            opens = folded.startswith(fold(name) + " ")
        if opens:
            return name, printed[len(name) + 1 :]
    return None


def type_and_subject(text: str) -> tuple[str, str] | None:
    """(type, subject) of an ALL-CAPS line that prints both ("CHỈ THỊ VỀ VIỆC TĂNG CƯỜNG
    ..." -> "CHỈ THỊ", "VỀ VIỆC TĂNG CƯỜNG ..."), or None."""
    printed = squash(text.strip(_OCR_SPECKS))
    if not is_upper_line(printed):
        return None
    opening = _type_opening(printed)
    if opening is not None and _NOT_QUALIFIER.match(fold(opening[1])):
        return opening
    return None


def _empty() -> dict:
    return {
        "issuer": [], "national_title": None, "motto": None, "number": None, "place": None,
        "date": None, "doc_type": None, "subject": None,
    }  # fmt: skip


def _bare_date(text: str, f: str) -> re.Match[str] | None:
    """The date of a line that is only a place and a date in figures ("Tân Đước, 12/6/1991");
    None for any other line ("V/v thực hiện Công văn số 45, 12/3/2025" is a subject)."""
    m = _DATE_BARE.search(f)
    if m is None:
        return None
    place = text[: m.start()].split()
    if not 1 <= len(place) <= _PLACE_WORDS:
        return None
    named = all(
        w in _PLACE_SMALL_WORDS or (w[0].isupper() and _PLACE_WORD.fullmatch(w)) for w in place
    )
    return m if named else None


def _date_number(digits: str) -> int:
    """A date's number as OCR read it (`_OCR_DIGITS`): a month read "6 6" is 6 (its digit
    twice), "1 2" is 12 (split), as a month can be; "1 1" may be either (0: no date)."""
    parts = digits.translate(_OCR_DIGITS).split()
    if len(parts) == 2 and parts[0] == parts[1]:
        return int(parts[0]) if int("".join(parts)) > 12 else 0
    return int("".join(parts))


def parse_date(text: str) -> str | None:
    f = fold(text)
    m = _DATE_WORDS.search(f) or _DATE_NUM.search(f) or _bare_date(text, f)
    if not m:
        return None
    day, month, year = (_date_number(g) for g in m.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_start(text: str) -> int | None:
    """Offset where "<place>, ngày ..." begins in a line (after a "V/v" subject typed
    beside it), or None."""
    f = fold(text)
    m = _DATE_WORDS.search(f) or _DATE_NUM.search(f)
    if m is None:
        return 0 if _bare_date(text, f) else None  # the line is the place and the date
    start = m.start()
    words = list(re.finditer(r"\S+", text[:start]))
    # "V/v tổ chức lớp học  Yên Trạch, ngày ...": the subject typed beside the date ends
    # where the place's capitalised words begin
    beside_subject = bool(_VV_RE.match(f))
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if is_upper_line(w.group()) or w.group().endswith(("UBND", ":")) or "/" in w.group():
            break
        if w.group().isdigit() and k > 0 and is_upper_line(words[k - 1].group()):
            break  # "CHI BỘ THÔN 4  Ea Tiêu, ngày ...": the unit's number, not the place's
        if beside_subject and not w.group()[:1].isupper():
            break
        start = w.start()
    return start


def dateline(text: str) -> tuple[str | None, str | None] | None:
    """(place, ISO date) of a line that is a place and a date and nothing more ("Ea Kơ
    Ning, ngày 05 tháng 3 năm 2018", "Ngày 12/8/1998"), as a person's application or an
    older typist's report prints it above the signature; None for any other line (a
    sentence that gives a date)."""
    if _date_start(text) != 0:
        return None
    f = fold(text)
    m = _DATE_WORDS.search(f) or _DATE_NUM.search(f) or _bare_date(text, f)
    if m is None or text[m.end() :].strip(" .,;:"):
        return None
    found = place_and_date(text)
    return found if found is not None and found[1] is not None else None


def place_and_date(text: str) -> tuple[str | None, str | None] | None:
    """(place, ISO date) of a "<place>, ngày ..." line (or "Tân Đước, 12/6/1991"), either
    None when unread; None when the line holds no such date."""
    start = _date_start(text)
    if start is None:
        return None
    place = text[start:]
    if "NGAY" in fold(place):
        place = place[: fold(place).find("NGAY")]
    else:  # "Tân Đước, 12/6/1991"
        place = place[: bare.start()] if (bare := _DATE_BARE.search(place)) else ""
    # "___ Vĩnh Khang": a rule's end; ". Lạc Xuyên": a speck
    place = _without_edge_specks(place.strip(" ,").lstrip(_OCR_SPECKS + "_-–|"))
    return place or None, parse_date(text)


# the issuer's code an older typist set apart from the number: "Số 47 UB/QĐ"
_SPACED_CODE = re.compile(r"^[A-ZĐ]{1,6}(?:[/-][A-ZĐ]{1,6})+$")


def number_and_end(text: str) -> tuple[str, int] | None:
    """("68/BC-UBND", end offset) when the text starts with a "Số: ..." number ("47
    UB/QĐ" where the typist set the code apart)."""
    m = _NUMBER_RE.match(fold(text))
    if not m:
        return None
    tokens = list(re.finditer(r"\S+", text[m.end() :]))
    parts: list[str] = []
    end = m.end()
    slash_seen = False
    for k, tok in enumerate(tokens):
        t = tok.group()
        # "Số: 1375/SNNMT-TL," (a speck read as a comma, or the typist's): the number ends
        following = tokens[k + 1].group() if k + 1 < len(tokens) else ""
        specked = t.endswith((",", ";")) and len(t) > 1
        closed = specked and not following.startswith(("/", "-"))
        t = t.rstrip(",;") if specked else t  # "15, /QĐ-UBND": the code goes on past it
        prev = parts[-1] if parts else ""
        glue = prev.endswith(("/", "-")) or t.startswith(("/", "-"))
        if not re.fullmatch(r"[\w/\-.Đđ]+", t) or is_header_rule(t):
            break  # "Số 15/BC-HTX ---oOo---": the rule under the issuer typed beside it
        spaced = len(parts) == 1 and prev.isdigit() and bool(_SPACED_CODE.match(t))
        if not (glue or spaced or (not slash_seen and re.match(r"[\d/]", t))):
            break
        parts.append(" " + t if spaced else t)
        slash_seen = slash_seen or "/" in t
        end = m.end() + tok.end()
        if closed:
            break
    if not parts:
        return None
    return "".join(parts).rstrip(".,;"), end


def number_alone(text: str) -> str | None:
    """The number of a line that is a document's number and nothing more ("Số:
    09/2019/HĐ-BQL"); None for any other line."""
    num = number_and_end(text)
    return num[0] if num is not None and not text[num[1] :].strip() else None


# a Party document's subject in small letters under the issuing body in capitals ("CỦA
# BAN THƯỜNG VỤ ..." / "về ..."; "VỀ VIỆC ..." in capitals goes on as capitals)
_SUBJECT_PROPER = re.compile(r"^(?:về|v/v)\s")


def split_text_line(ln: SrcLine) -> list[SrcLine]:
    """Split a merged two-column header line at anchors into left/right segments."""
    text, f = ln.text, fold(ln.text)
    cut = None
    for m in (national_title(text), _MOTTO_RE.search(f)):
        if m:
            cut = m.start()
            break
    if cut is None:
        num = number_and_end(text)
        if num is not None:
            cut = num[1] if text[num[1] :].strip() else None
    if cut is None:
        start = _date_start(text)
        if start is not None:
            cut = start
    if cut is None:
        return [ln]
    segs = []
    left, right = text[:cut].strip(" _-–|"), text[cut:].strip()
    lw, rw = _split_words(ln, cut)
    if left:
        segs.append(SrcLine(left, ln.page, union(b for _, b in lw) or ln.bbox, ln.blank_before,
                            column="left", page_width=ln.page_width, words=lw))  # fmt: skip
    if right:
        segs.append(SrcLine(right, ln.page, union(b for _, b in rw) or ln.bbox, ln.blank_before,
                            column="right", page_width=ln.page_width, words=rw))  # fmt: skip
    return segs


def _split_words(ln: SrcLine, cut: int) -> tuple[list, list]:
    """The line's word boxes left and right of character offset `cut`."""
    left, right, pos = [], [], 0
    for word in ln.words:
        if pos >= cut:
            right.append(word)
        elif word[0].strip(" _-–|"):  # a stray rule between the columns belongs to neither
            left.append(word)
        pos += len(word[0]) + 1
    return left, right


# the kind of a unit, complete, ending an issuer line (folded): "HỢP TÁC XÃ DỊCH VỤ NÔNG
# NGHIỆP", "TRƯỜNG MẦM NON", "TRẠM Y TẾ"; the unit's own name may stand on the line below
# (no word boundary before it: OCR glues a word to the kind, "DỊCH VỤNÔNG NGHIỆP")
_GENERIC_UNIT_END = re.compile(
    r"(?:NONG\s+NGHIEP|LAM\s+NGHIEP|NGU\s+NGHIEP|THUY\s+SAN|MAM\s+NON|TIEU\s+HOC"
    r"|TRUNG\s+HOC\s+(?:CO\s+SO|PHO\s+THONG)|THCS|THPT|Y\s+TE|NHAN\s+DAN|CO\s+PHAN"
    r"|DA\s+KHOA|HOP\s+TAC\s+XA|HTX)$"
)

# a lower line that goes on with the unit's kind rather than naming the unit: "TRUNG TÂM
# Y TẾ" / "DỰ PHÒNG", "TRƯỜNG TRUNG HỌC" / "CƠ SỞ"
_CONTINUES_KIND = re.compile(r"(?:CO\s+SO|DU\s+PHONG|KHU\s+VUC|PHO\s+THONG)\b")


def _wrapped_tail(upper: str, lower: str) -> bool:
    """`lower` ends the issuer name of `upper` ("SỞ VĂN HÓA, THỂ THAO VÀ" / "DU LỊCH",
    "TRƯỜNG TIỂU HỌC ĐỒNG" / "SƠN HẠ"): the upper line ends in "VÀ", a comma or "KHU"
    (a zone's word, its "VỰC" or name below: "TRẠM THÚ Y KHU" / "VỰC 2"), or the
    lower one is one word, or two that name no unit of their own (a second issuer line
    opens with one: "XÃ ...", "SỞ ...", "PHÒNG ..."), unless the upper line ends with the
    unit's kind, complete ("HỢP TÁC XÃ NÔNG NGHIỆP" / "AN PHÚ": the name's own line)."""
    up = fold(upper).rstrip()
    if up.endswith((" VA", ",", " KHU")) or _CONTINUES_KIND.match(fold(lower)):
        return True
    words = fold(lower).split()
    if _GENERIC_UNIT_END.search(up) and words[:1] not in (["VA"], ["&"]):
        return False  # "HỢP TÁC XÃ NÔNG NGHIỆP" / "AN PHÚ": the unit's kind, then its name
    return len(words) == 1 or (len(words) == 2 and words[0] not in _UNIT_WORDS)


def _without_edge_specks(text: str) -> str:
    """`text` without the specks OCR reads beside large header type, as words of their
    own at either end: "UBND HUYỆN LẠC XUYÊN ˆ", ". Lạc Xuyên" (a mark or a dot alone,
    no letter or digit in it)."""
    words = text.split()
    while words and _speck(words[-1]):
        words.pop()
    while words and _speck(words[0]):
        words.pop(0)
    return " ".join(words)


def _issuer_line(text: str) -> str:
    """An issuer line without OCR's specks: those at its ends (`_without_edge_specks`),
    and a mark alone inside it ("HUYỆN ˆ THƯỢNG": the line above ended with it before
    the wrap was joined); a dash glued to the next unit ("THỦY -HỘI LHPN") is the
    separator between two issuing bodies, set apart ("THỦY - HỘI LHPN")."""
    words = [w for w in _without_edge_specks(text).split() if not _mark_only(w)]
    words = [part for w in words for part in _DASH_GLUED.sub(r"\1 \2", w).split()]
    return " ".join(words)


_DASH_GLUED = re.compile(r"^([-–])(?=[^\W\d_])(.*)$")


def _mark_only(word: str) -> bool:
    """A word of modifier letters, modifier symbols and quotes only ("ˆ", "`")."""
    return all(unicodedata.category(c) in ("Lm", "Sk") or c in "'`‘’\"“”" for c in word)


def _speck(word: str) -> bool:
    """No letter or digit in it ("ˆ", the modifier letter, counts as no letter)."""
    return not any(c.isalnum() and unicodedata.category(c) != "Lm" for c in word)


# an administrative level opening a line (folded) and what makes it a unit of its own:
# "HUYỆN ĐOÀN", "TỈNH ỦY", "XÃ ĐỘI", "THÀNH HỘI"
_PLACE_LEVELS = {"TINH", "HUYEN", "XA", "PHUONG", "QUAN", "THI", "THANH"}
_LEVEL_UNITS = {"DOAN", "UY", "DOI", "HOI"}


def _place_only(words: list[str]) -> bool:
    """The folded words of a line that names a place, not a unit ("TỈNH AN PHÚ"): the
    place of the body named on the line above when that line ran the column full
    ("TRUNG TÂM KHUYẾN NÔNG" / "TỈNH AN PHÚ"), not a second issuer ("HUYỆN ĐOÀN ...").
    "THỊ TRẤN", "THÀNH PHỐ" open a place's name: the place is the word after them."""
    if words[0] not in _PLACE_LEVELS or len(words) < 2:
        return False
    if words[0] in ("THI", "THANH"):
        return words[1] in ("TRAN", "PHO") and (len(words) < 3 or words[2] not in _LEVEL_UNITS)
    return words[1] not in _LEVEL_UNITS


def _join_wrapped(segs: list[SrcLine], nt: SrcLine | None) -> list[str]:
    """Issuer lines; with word boxes, a line that wrapped inside its column is rejoined.

    The issuer column is centred left of the national title, so its width is about
    2 x (title left - issuer centre). A line is a wrap of the one above when the upper
    line plus the lower line's first word would not have fitted in that width.
    """
    out: list[str] = []
    prev: SrcLine | None = None
    boxes = [s.bbox for s in segs if s.bbox is not None and s.words]
    if nt is None or nt.bbox is None or len(boxes) != len(segs) or not segs:
        for seg in segs:
            if out and _wrapped_tail(out[-1], seg.text):
                out[-1] = squash(out[-1] + " " + seg.text)
            else:
                out.append(squash(seg.text))
        return out
    centre = sum((b.left + b.right) / 2 for b in boxes) / len(boxes)
    width = 2 * (box_of(nt).left - centre)
    for seg in segs:
        if prev is not None and out:
            first = seg.words[0][1]
            space = max(1, box_of(prev).height // 3)
            fits = box_of(prev).width + space + first.width <= 0.98 * width
            # a line that opens with a unit word ("TRƯỜNG THCS ...") is a second issuer
            # line even where the estimated column width says the upper one was full
            words = fold(seg.text).split()
            own_unit = len(words) >= 3 and words[0] in _UNIT_WORDS and not _place_only(words)
            if (not fits and not own_unit) or _wrapped_tail(out[-1], seg.text):
                out[-1] = squash(out[-1] + " " + seg.text)
                prev = seg
                continue
        out.append(squash(seg.text))
        prev = seg
    return out


def _type_search_limit(lines: list[SrcLine]) -> int:
    """How far down the type line is looked for: the first 20 lines, but not past the
    body's opening ("Kính gửi", "Căn cứ"): a công văn has no type line, and its body's
    "Kết luận:" is none."""
    limit = min(len(lines), 20)
    return next((i for i in range(limit) if _STOP_SUBJECT.match(fold(lines[i].text))), limit)


def parse_header(lines: list[SrcLine]) -> tuple[dict | None, list[SrcLine]]:
    """Parse the header at the top of the first page; return (header, remaining lines)."""
    limit = _type_search_limit(lines)
    t = next((i for i in range(limit) if doc_type_of(lines[i].text, qualified=False)), None)
    anchored = False  # a qualified type line only under the header's anchors (Số, date)
    for i in range(limit if t is None else t):
        if anchored and (doc_type_of(lines[i].text) or type_and_subject(lines[i].text)):
            t = i
            break
        anchored = anchored or _is_anchor(lines[i].text)
    if t is not None and lines[t].bbox is not None:
        # word boxes: Tesseract may read a header column after the document type line
        type_line = lines[t]
        top = box_of(type_line).top
        zone = [ln for ln in lines if ln.bbox is not None and ln.bbox.bottom <= top + 5]
        zone.sort(key=lambda ln: box_of(ln).top)
        lines = zone + [ln for ln in lines if ln not in zone]
        t = lines.index(type_line)
    anchor_end = 0
    in_vv = False
    for i in range(min(limit, t if t is not None else 12)):
        text = lines[i].text
        f = fold(text)
        if _is_anchor(text):
            anchor_end = i + 1
            in_vv = bool(re.search(r"\bV\s*/\s*V\b", f))
        elif _VV_RE.match(f) or (
            in_vv and (_RANGE_TAIL.match(text) or _vv_wraps(lines[i - 1].text, text))
        ):
            anchor_end = i + 1 if anchor_end else 0
            in_vv = True
        elif is_header_rule(text) or is_upper_line(text):
            in_vv = False
        elif t is None:
            break  # a body line: the header (if any) is above it
    if t is not None and t > 12:
        t = None
    if t is None and anchor_end == 0:
        return None, lines
    region_end = t if t is not None else anchor_end
    region = lines[:region_end]
    if region and region[0].words:  # word boxes: regroup rows, split columns by x
        width = region[0].page_width or max(box_of(ln).right for ln in region)
        segments = [s for seg in split_columns(region, width) for s in split_text_line(seg)]
    else:
        segments = [seg for ln in region for seg in split_text_line(ln)]
    header = _empty()
    used: list[SrcLine] = list(region)
    subject_parts: list[str] = []
    seen_number = False
    vv_open = False
    issuer_segs: list[SrcLine] = []
    nt_seg: SrcLine | None = None
    # an organisation's title ("ĐOÀN TNCS HỒ CHÍ MINH") stands in for the state's national
    # title only where that is not printed; beside it, it is the issuer column's first line
    state_title = any(national_title(seg.text) for seg in segments)
    for seg in segments:
        text, f = seg.text, fold(seg.text)
        if is_header_rule(text) or FORM_CODE.match(f):  # a form's code beside a column
            continue
        if nt := national_title(text):
            header["national_title"] = DRV_TITLE if nt.group("drv") else NATIONAL_TITLE
            nt_seg = seg
            if _MOTTO_RE.search(f):  # the motto typed on the title's line
                header["motto"] = MOTTO
        elif (header["national_title"] is None and not seen_number and not state_title
              and is_upper_line(text) and (org := _ORG_TITLE_RE.search(squash(f)))):  # fmt: skip
            squashed = squash(text)
            header["national_title"] = squashed[org.start(1) :]
            issuer_part = squashed[: org.start(1)].strip()
            if issuer_part and seg.column != "right":
                issuer_segs.append(replace(seg, text=issuer_part, words=[]))
            else:
                nt_seg = seg
        elif _MOTTO_RE.search(f):
            header["motto"] = MOTTO
        elif (num := number_and_end(text)) is not None:
            header["number"] = num[0]
            seen_number = True
            rest = text[num[1] :].strip()
            if rest and _VV_RE.match(fold(rest)):
                subject_parts.append(rest.lstrip(_LEAD_SPECKS))
                vv_open = True
        elif (found := place_and_date(text)) is not None:
            header["place"], header["date"] = found
        elif _VV_RE.match(f):
            subject_parts.append(text.lstrip(_LEAD_SPECKS))
            vv_open = True
        elif (
            vv_open
            and seg.column != "right"
            and (_range_end(subject_parts, text) or _vv_wraps(subject_parts[-1], text))
        ):
            subject_parts.append(text)
        elif is_upper_line(text) and seg.column != "right" and not seen_number:
            issuer_segs.append(seg)
    header["issuer"] = [_issuer_line(line) for line in _join_wrapped(issuer_segs, nt_seg)]
    pos = region_end
    if t is not None:
        header["doc_type"] = doc_type_of(lines[t].text)
        printed_subject = None  # "CHỈ THỊ VỀ VIỆC ...": the subject opens on the type line
        if header["doc_type"] is None and (split := type_and_subject(lines[t].text)):
            header["doc_type"], printed_subject = split
        used.append(lines[t])
        pos = max(pos, t + 1)
        subj, pos = _subject(
            lines, pos, "\n".join(header["issuer"] or ()), header["doc_type"] or ""
        )
        if printed_subject is not None and not (subj and is_upper_line(subj)):
            pos, subj = t + 1, None  # the subject ended on the type line
        used.extend(lines[t + 1 : pos])
        if printed_subject is not None:
            subject_parts = [printed_subject] + ([subj] if subj else [])
        elif subj:
            subject_parts = [subj]
    header["subject"] = squash(" ".join(subject_parts)) or None
    if header["doc_type"] is None and subject_parts and _VV_RE.match(fold(subject_parts[0])):
        header["doc_type"] = "CÔNG VĂN"  # a công văn has no type line, only "V/v ..."
    alone = number_alone(lines[pos].text) if header["number"] is None and pos < len(lines) else None
    if alone is not None:
        # an agreement's or a memorandum's number under its title ("BẢN GHI NHỚ HỢP TÁC" /
        # "Về ..." / "Số: 05/2020/BGN-..."): a line that is the number alone
        header["number"] = alone
        used.append(lines[pos])
        pos += 1
        if (header["subject"] is None and pos < len(lines) and not lines[pos].blank_before
                and BRACKETED_LINE.match(lines[pos].text.strip())
                and not ATTACHMENT_NOTE.match(fold(lines[pos].text.strip()))):  # fmt: skip
            # "GIẤY PHÉP XÂY DỰNG" / "Số: 86/GPXD" / "(Sử dụng cho nhà ở riêng lẻ)": what
            # the paper is for, in brackets under its number, is its subject
            header["subject"] = squash(lines[pos].text)
            used.append(lines[pos])
            pos += 1
    header["number"] = number_with_type_code(header["number"], header["doc_type"])
    header["page"] = lines[0].page if lines else 1
    header["prov"] = prov(used)
    return header, lines[pos:]


# the type's code in a document number (NĐ 30/2020 Phụ lục III): "52/TTr-UBND"
TYPE_CODES = {
    "BÁO CÁO": "BC", "QUYẾT ĐỊNH": "QĐ", "KẾ HOẠCH": "KH", "TỜ TRÌNH": "TTr",
    "NGHỊ QUYẾT": "NQ", "THÔNG BÁO": "TB", "CHỈ THỊ": "CT", "QUY CHẾ": "QC",
    "QUY ĐỊNH": "QyĐ", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "PHƯƠNG ÁN": "PA",
    "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "BIÊN BẢN": "BB", "GIẤY MỜI": "GM", "CÔNG ĐIỆN": "CĐ",
    "THÔNG CÁO": "TC", "HỢP ĐỒNG": "HĐ", "GIẤY ỦY QUYỀN": "GUQ", "GIẤY GIỚI THIỆU": "GGT",
    "GIẤY NGHỈ PHÉP": "GNP", "PHIẾU GỬI": "PG", "PHIẾU CHUYỂN": "PC", "PHIẾU BÁO": "PB",
    "BẢN GHI NHỚ": "GN", "BẢN THỎA THUẬN": "TTh", "KẾT LUẬN": "KL", "DANH SÁCH": "DS",
}  # fmt: skip
_NUMBER_CODE = re.compile(r"^(\d+[a-zA-Z]?/)([^\W\d_]{1,5})(?=-)")
# an older number, the type's code last: "47 UB/QĐ"
_OLD_NUMBER_CODE = re.compile(r"^(\d+\s+[^\W\d_]{1,6}/)([^\W\d_]{1,5})$")
_CODE_LOOKALIKES = str.maketrans({"I": "T", "l": "T", "1": "T", "Ð": "Đ", "D": "Đ", "P": "Đ"})


def number_with_type_code(number: str | None, doc_type: str | None) -> str | None:
    """The number with its type code as the type line says it, where OCR misread one
    letter of it ("52/TIr-UBND" under TỜ TRÌNH is "52/TTr-UBND") or doubled its last
    ("1047/QĐĐ-BVĐK", an older "47 UB/QĐĐ" under QUYẾT ĐỊNH); any other code is left as
    printed."""
    if not number or not doc_type:
        return number
    base = next((t for t in sorted(TYPE_CODES, key=len, reverse=True)
                 if doc_type == t or fold(doc_type).startswith(fold(t) + " ")), None)  # fmt: skip
    m = _NUMBER_CODE.match(number) or _OLD_NUMBER_CODE.match(number)
    if base is None or m is None or m.group(2) == TYPE_CODES[base]:
        return number
    code, read = TYPE_CODES[base], m.group(2)
    doubled = len(read) == len(code) + 1 and read[:-1] == code and read[-1] in "ĐÐD"
    if len(read) == len(code):
        diffs = [(a, b) for a, b in zip(read, code, strict=True) if a != b]
        one_slip = len(diffs) == 1 and diffs[0][0].translate(_CODE_LOOKALIKES) == diffs[0][1]
    else:
        one_slip = False
    if not (one_slip or doubled):
        return number
    return m.group(1) + code + number[m.end() :]


def _is_anchor(text: str) -> bool:
    """A header line every NĐ 30 document prints: national title, motto, number, date."""
    f = fold(text)
    return bool(national_title(text) or _MOTTO_RE.search(f) or _NUMBER_RE.match(f)
                or _date_start(text) is not None)  # fmt: skip


def _subject(
    lines: list[SrcLine], pos: int, issuer: str = "", doc_type: str = ""
) -> tuple[str | None, int]:
    """The subject under the type line and where the body starts. `issuer`: the header's
    issuer, whose name printed again under an upper-case subject is the authority that
    decides ("ỦY BAN NHÂN DÂN HUYỆN ..." above "Căn cứ"), not more of the subject.
    `doc_type`: a CHƯƠNG TRÌNH's subject is what it carries out ("Thực hiện Nghị quyết
    Đại hội ..."), a line that elsewhere opens the body."""
    while pos < len(lines) and is_header_rule(lines[pos].text):
        pos += 1
    if pos >= len(lines):
        return None, pos
    first = lines[pos]
    if parse_label(first.text) is not None:
        return None, pos
    if _opens_body(first.text) and not _carried_out(first.text, doc_type):
        return None, pos
    if not is_upper_line(first.text) and first.text.rstrip().endswith(":"):
        return None, pos  # "Ủy ban ... trân trọng giới thiệu:": a lead-in, no subject
    if _form_fields(lines, pos, doc_type):
        # "Họ và tên: ........" over "Tên thường gọi: ...": a form's fields under its
        # title; "Gói thầu số 03: Thi công ..." is a subject
        return None, pos
    if number_alone(first.text) is not None:
        return None, pos  # "HỢP ĐỒNG ..." / "Số: 09/2019/HĐ-BQL": the number, no subject
    if (doc_type.startswith("THƯ ") and not _SUBJECT_LEAD.match(fold(first.text))
            and (doc_type != "THƯ MỜI" or _INVITES.search(fold(first.text)))):  # fmt: skip
        # a letter (thư công) names no subject; an invitation does ("Dự Hội nghị ..."),
        # unless what follows its type is its sentence ("... trân trọng kính mời")
        return None, pos
    parts = [first.text]
    caps = is_upper_line(first.text)
    pos += 1
    while pos < len(lines) and len(parts) < 6:
        ln = lines[pos]
        if ln.blank_before or is_header_rule(ln.text) or parse_label(ln.text) is not None:
            break
        if ATTACHMENT_NOTE.match(fold(ln.text)):
            break  # "(Kèm theo Quyết định số ...)": the note under a regulation's subject
        if number_alone(ln.text) is not None:
            break  # a contract's or a record's number under its subject
        if caps and _SUBJECT_PROPER.match(ln.text):
            # "NGHỊ QUYẾT" / "CỦA BAN THƯỜNG VỤ HUYỆN ỦY" / "về phát triển ...": a Party
            # document's issuing body in capitals, then its subject in small letters
            caps = False
        elif caps and not is_upper_line(ln.text) and not _range_end(parts, ln.text):
            break
        if caps and _authority_block(lines, pos, issuer):
            break  # "BỘ TRƯỞNG BỘ ...", "THỦ TƯỚNG CHÍNH PHỦ" above "Căn cứ": who decides
        if _form_fields(lines, pos, doc_type):
            break  # "Đăng ký thường trú" over "Họ và tên: ...": the form's fields begin
        if not caps and not (starts_lower(ln.text) or ln.text[:1].isdigit()
                             or _quoted_name_continues(parts[-1], ln.text)
                             or _name_continuation(parts[-1], ln.text)
                             or _last_subject_line(lines, pos, parts[-1])):  # fmt: skip
            break
        parts.append(ln.text)
        pos += 1
    while pos < len(lines) and is_header_rule(lines[pos].text):
        pos += 1
    return squash(" ".join(parts)), pos


_BLANK = re.compile(FORM_BLANK)  # "Họ và tên: ........": a form's field
# an invitation's sentence, folded: "Ủy ban ... trân trọng kính mời", "Thân mời đồng chí"
_INVITES = re.compile(r"\b(?:KINH|THAN|TRAN TRONG) MOI\b")
_SUBJECT_LEAD = re.compile(r"^\(?\s*(?:V\s*/\s*V|VE\s+VIEC)\b")  # folded


def _form_fields(lines: list[SrcLine], pos: int, doc_type: str) -> bool:
    """Line `pos` opens a form's fields: a field with a blank left in it, or any field
    under a person's paper's title (one of `doc_types.PERSONAL_TYPES`)."""
    text = lines[pos].text
    if not is_form_field(text) or _opens_body(text) or _SUBJECT_LEAD.match(fold(text)):
        return False  # "V/v: Cấp lại sổ hộ nghèo", "Về việc: ...": the subject
    if _BLANK.search(text):
        return True
    # under a person's paper a field is the form's ("Họ và tên: ..."); its subject is a
    # "V/v ..." or a phrase with no colon
    return any(doc_type.startswith(t) for t in PERSONAL_TYPES)


_RANGE_TAIL = re.compile(r"^[-–]\s*\d{1,4}\)?$")  # "- 2025": the end of "2024 - 2025"
_RANGE_LAST = re.compile(r"^\d{1,4}\)?$")  # "2025" under "... 2024 -"


def _range_end(parts: list[str], text: str) -> bool:
    """ "... năm học 2024" / "- 2025" or "... 2024 -" / "2025": `text` is the end of a
    range whose start ended the subject's last line (the range wrapped at its dash)."""
    if not parts:
        return False
    last = parts[-1].rstrip()
    if last.endswith(("-", "–")) and last[:-1].rstrip()[-1:].isdigit():
        return bool(_RANGE_LAST.match(text.strip()))
    return bool(_RANGE_TAIL.match(text)) and last[-1:].isdigit()


# the words a figure completes ("năm 2024", "năm học 2024 - 2025", "số 12", "quý II"),
# folded, at the end of a subject line that wrapped before the figure
_WANTS_FIGURE = re.compile(r"(?:^|\s)(?:NAM(?:\s+HOC)?|SO|THANG|QUY|DOT|KHOA|GIAI\s+DOAN)$")
# the figure, alone or with what goes on after it ("1994 - 1995 và huy động trẻ ra lớp")
_FIGURE_LINE = re.compile(r"^(?:\d{1,4}|[IVX]{1,4})(?:\s*[-–]\s*\d{1,4})?\)?(?:[,;]?\s+(.*))?$")


def _figure_end(prev: str, text: str) -> bool:
    """ "V/v ... cấp xã năm" / "2024": the subject wrapped between a word that asks for a
    figure (a year, a number, a quarter) and the figure on the next line, alone or going
    on in small letters ("2025 Đề nghị các xã ..." opens the body)."""
    m = _FIGURE_LINE.match(text.strip())
    return (bool(_WANTS_FIGURE.search(fold(prev).rstrip())) and m is not None
            and (m.group(1) is None or starts_lower(m.group(1))))  # fmt: skip


def _authority_block(lines: list[SrcLine], pos: int, issuer: str) -> bool:
    """lines[pos] opens the upper-case block above the body that names who issues the
    document, not more of an upper-case subject, with no upper-case line under it: one
    line opening with a signer's title ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...") or the header's
    issuer printed again, or two lines, the first naming a collective body that decides
    (`_COLLECTIVE_BODY`: "ĐẠI HỘI THÀNH VIÊN ..."), the second the issuer again ("HỢP TÁC
    XÃ ..."); a subject's own last line before the issuer is no such body."""
    titled = _AUTHORITY_LINE.match(fold(lines[pos].text)) is not None
    collective = titled or _COLLECTIVE_BODY.match(fold(lines[pos].text)) is not None
    if (
        collective
        and _names_issuer(lines[pos].text, issuer)
        and (pos + 1 >= len(lines) or not is_upper_line(lines[pos + 1].text))
    ):
        return True  # "ĐẠI HỘI THÀNH VIÊN HỢP TÁC XÃ ... AN PHÚ" over "Căn cứ": one line
    for end in (pos, pos + 1):
        if end > pos and not collective:
            return False
        if end >= len(lines) or not is_upper_line(lines[end].text):
            return False
        if end > pos and lines[end].blank_before:
            return False
        if not (titled or _is_issuer(lines[end].text, issuer)):
            continue
        if end + 1 >= len(lines) or not is_upper_line(lines[end + 1].text):
            return True
    return False


ISSUER_NAME_WORDS = 3  # the last words of an issuer line that name the unit itself


def _names_issuer(text: str, issuer: str) -> bool:
    """ "ĐẠI HỘI THÀNH VIÊN HỢP TÁC XÃ NÔNG NGHIỆP AN PHÚ" for the issuer "HTX NÔNG
    NGHIỆP AN PHÚ": the line ends with the last ISSUER_NAME_WORDS words of one of the
    issuer's lines (`issuer`: its lines joined by newlines), the unit's own name."""
    words = fold(text).split()
    for line in issuer.split("\n"):
        tail = fold(line).split()[-ISSUER_NAME_WORDS:]
        if (
            len(tail) == ISSUER_NAME_WORDS
            and len(words) > len(tail)
            and words[-len(tail) :] == tail
        ):
            return True
    return False


def _carried_out(text: str, doc_type: str) -> bool:
    """ "Thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ XXI" under CHƯƠNG TRÌNH (HÀNH
    ĐỘNG): the programme's subject, a short line with no clause punctuation (the body's
    "Thực hiện Công văn số ..., Ủy ban ... như sau:" has a comma or runs long)."""
    return (
        fold(doc_type).startswith("CHUONG TRINH")
        and _THUC_HIEN.match(text) is not None
        and not re.search(r"[,;:.]", text)
        and len(text) <= SUBJECT_LINE_CHARS
    )


def _is_issuer(text: str, issuer: str) -> bool:
    """The line is the header's issuer printed again (its lines joined, case and marks
    folded)."""
    return bool(issuer) and " ".join(fold(text).split()) == " ".join(fold(issuer).split())


def _last_subject_line(lines: list[SrcLine], pos: int, prev: str) -> bool:
    """ "Về việc đề nghị hỗ trợ kinh phí sửa chữa" / "Nhà văn hóa thôn Bến Sậy và thôn
    Gò Mít", then a blank line or "Kính gửi:": a wrapped subject's last line. The line
    above is unfinished (no mark ends it), this one ends none either and opens no body,
    and what follows it is a new block (after a blank line), the body's opening or a
    regulation's "(Ban hành kèm theo ...)" note."""
    text = lines[pos].text
    if ends_terminal(prev) or prev.rstrip().endswith((",", ";", ":")):
        return False
    if ends_terminal(text) or text.rstrip().endswith((",", ";", ":")) or _opens_body(text):
        return False
    if is_upper_line(text) or len(text.split()) > SUBJECT_WRAP_WORDS:  # caps: who decides
        return False
    nxt = lines[pos + 1] if pos + 1 < len(lines) else None
    return (nxt is None or nxt.blank_before or _opens_body(nxt.text)
            or ATTACHMENT_NOTE.match(fold(nxt.text)) is not None)  # fmt: skip


def _quoted_name_continues(prev: str, text: str) -> bool:
    """ "... trong phong trào" / "“Xanh - Sạch - Đẹp” năm 2024": a quoted name (a
    movement's, a contest's) opens the line under an unfinished subject line."""
    return text.startswith(('"', "“")) and not (
        ends_terminal(prev) or prev.rstrip().endswith((",", ";", ":"))
    )


NAME_TAIL_WORDS = 2  # "Giang", "Thượng Lộc": the end of a place name a "V/v" line wrapped in


def _vv_wraps(prev: str, text: str) -> bool:
    """`text` goes on the "V/v" subject line `prev` wrapped: in lower case, a figure's end,
    a proper name's end (`_vv_name_tail`) or a capitalised paper's or body's name
    (`_vv_title_continues`)."""
    return (
        starts_lower(text)
        or _figure_end(prev, text)
        or _vv_name_tail(prev, text)
        or _vv_title_continues(prev, text)
    )


def _vv_title_continues(prev: str, text: str) -> bool:
    """ "V/v trả lời đơn đề nghị cấp đổi" / "Giấy chứng nhận quyền sử dụng": a "V/v"
    subject wrapped before the capitalised name of a paper or a body; the line above ends
    without a mark, this one is no capitals line and opens no body ("Kính gửi: ...")."""
    return (
        not ends_terminal(prev)
        and not prev.rstrip().endswith((",", ";", ":"))
        and text[:1].isupper()
        and not is_upper_line(text)
        and not _opens_body(text)
        and len(text.split()) <= VV_TAIL_WORDS
    )


def _vv_name_tail(prev: str, text: str) -> bool:
    """ "V/v ... các xã ven sông Lô" / "Giang": a "V/v" subject wrapped inside a proper
    name. The line above ends with a capitalised word and no mark; this one is that
    name's end only: NAME_TAIL_WORDS capitalised words at most, nothing else."""
    words, before = text.split(), prev.split()
    if not before or not before[-1][:1].isupper() or not before[-1].isalpha():
        return False
    if not 1 <= len(words) <= NAME_TAIL_WORDS or _opens_body(text) or is_upper_line(text):
        return False
    return all(w.isalpha() and w[:1].isupper() and w[1:].islower() for w in words)


def _name_continuation(prev: str, text: str) -> bool:
    """ "Về việc thành lập Hội đồng ..." / "Bệnh viện Đa khoa Long Thuận": a subject line
    wrapped before a proper name. The line goes on an unfinished line (no terminal mark,
    no comma), is short, mostly capitalised words, and opens no body text (Căn cứ...)."""
    words = text.split()
    if ends_terminal(prev) or prev.endswith(",") or ends_terminal(text):
        return False
    if not 2 <= len(words) <= 8:
        return False
    if _opens_body(text) or is_upper_line(text):
        return False
    caps = sum(w[:1].isupper() for w in words)
    return caps / len(words) >= 0.6 and all(not w[:1].isdigit() for w in words)
