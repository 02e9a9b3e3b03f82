"""Closing block: "Nơi nhận:" recipients, the signature block and the "./." end mark.

Besides the signer's block: co-signers beside it and witnesses under it; a confirming
office's block ("XÁC NHẬN CỦA UBND XÃ ...") with its own authority, what it certifies and
its place and date; a person's own paper signed under "Người làm đơn" (`_person_signs_last`);
notes typed under a signature are the paper's text (`split_notes`). `signature_lines`
prints a block in the page's order, for the outputs that print a tree.

The recipients (left) and the signature (right) sit side by side. With word boxes the
rows are split by x position; in plain text a merged line is split at anchors: an
authority prefix (TM./KT./Q./TL./TUQ./T/M; "1M." read for "TM." is mended first,
`mend_authority`), a trailing ALL-CAPS title after a recipient item, or a trailing personal
name.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ocr_pipeline import filing_line
from ocr_pipeline.structure.dates import dated_line
from ocr_pipeline.structure.document import SrcLine, box_of, prov
from ocr_pipeline.structure.labels import parse_label
from ocr_pipeline.structure.lines import split_columns
from ocr_pipeline.structure.text import (
    ends_terminal,
    fold,
    is_name_line,
    is_separator,
    is_upper_line,
    mend_name_prefix,
    opens_with_name_prefix,
    squash,
    starts_lower,
    starts_upper,
    wants_more,
)

# "Nơi nhận:", and an older document's "Nơi gửi:", "Sao gửi:" or "Sao kính gửi:" (their
# colon needed: "Nơi gửi hồ sơ" is text; "Nơi nhận" without it only before no small letter,
# `_recipients_label`)
_NOI_NHAN = re.compile(r"^(?:N[O0]I\s*(?:NHAN\s*:?|GUI\s*(?::|$))|SAO\s*(?:KINH\s*)?GUI\s*(?::|$))")
# items an older typist put on one line: "- UBND xã; - Phòng NN&PTNT huyện; - Lưu HTX."
_INLINE_ITEM = re.compile(r"(?<=[;.,])\s+[-–+]\s+(?=\S)")
# ... or after the label, each opened by its dash alone: "Nơi gửi: - Sở NN (b/c) - Lưu";
# there a dash opens an item only before the kind of body or person an item names (in
# "Sở Lao động - Thương binh và Xã hội" it joins one agency's two halves)
_ITEM_HEADS = (
    "UBND|HĐND|UBMTTQ|MTTQ|TT|TTr|Sở|Phòng|Ban|Bộ|Cục|Chi|Tổng|Vụ|Viện|Tòa|Kho|Ngân|Quỹ"
    "|Trung|Trạm|Trường|Bệnh|Công|Cty|Hợp|Hội|Đoàn|Đảng|Mặt|Liên|Ủy|Văn|Thường|Huyện|Tỉnh"
    "|Xã|Phường|Thị|Thôn|Bản|Tổ|Đội|Các|Như|Lưu|Ông|Bà|Đ/c|Đồng|Chủ|Phó|Bí|Giám|Hiệu|Báo|Đài"
)
_INLINE_DASHED = re.compile(rf"\s+[-–+]\s+(?=(?:{_ITEM_HEADS})\b)")
_DASH_AT_END = re.compile(r"\s+[-–+]$")
# an older typist's reference under the list: initials / copies, "b" for bản ("HVT/05b")
_TYPIST_REF = re.compile(r"(?<=[.;,])\s+[A-ZĐ]{2,4}/\d{1,3}[a-z]$")
# a confirming or reviewing body's column: "XÁC NHẬN CỦA ...", "DUYỆT", and a Party cell's
# "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ" or "Ý KIẾN CỦA ..." beside a member's own signature
_REVIEWS = r"(?:NHAN\s*XET|Y\s*KIEN)(?:\s*,?\s*(?:DANH\s*GIA|XAC\s*NHAN))?\s+CUA\b"
_APPROVES = re.compile(rf"^(?:XAC\s*NHAN\b|(?:PHE\s*)?DUYET\b|{_REVIEWS})")
_WITNESS = re.compile(r"^(?:DAI\s*DIEN\s+)?NGUOI\s*CHUNG\s*KIEN\b")
# "Q. CHỦ TỊCH" (acting) under a "T/M ..." line: the signer's title, not a second authority
_ACTING = re.compile(r"^Q[./]\s*\S")
# the bold T of "TM." read as 1 or 7, before an ALL-CAPS authority ("1M. ỦY BAN NHÂN DÂN")
_MISREAD_TM = re.compile(r"(?:(?<=\s)|^)[17]M[.,](?=\s+\S)")
# the signer's column's "(Đã ký)" typed on a recipient's row, after the item's own end
_TRAILING_SIGNED = re.compile(r"[;.,]\s+(\((?:DA KY|KY TEN|KY, GHI RO)[^)]*\))$")
_SIGNED = re.compile(r"^\(?\s*(DA KY|KY,|KY TEN|KY VA|KY, GHI RO|DA KY VA DONG DAU)")
_TRAIL_NAME = re.compile(r"^(.*[;.,:)])\s+(\S+(?:\s+\S+){1,5})$")
END_MARK_RE = re.compile(r"\.\s?/\s?[.,](?=\s*$|\s)")
_CONFIRM = re.compile(r"^XAC\s*NHAN\b")
# a person signs their own paper under such a title; no authority (TM., KT.) is theirs
_PERSON_TITLE = re.compile(r"^NGUOI\s")
# a person who signs beside the paper's signer, never as it: a witness, a form's preparer
_TESTIFIES = re.compile(r"^NGUOI\s+(?:LAM\s+CHUNG|CHUNG\s+KIEN|LAP(?:\s+BIEU)?|GHI\s+BIEN\s+BAN)\b")
# the quotes and specks OCR reads around a signer's name; "H' Lim Niê" keeps its own
_NAME_SPECK = re.compile(r"(?:(?<=\s)|^)(H['’])|['`‘’\"]")


def without_specks(text: str) -> str:
    """A name line without the quotes OCR reads around it ("'Nguyễn Văn An"), keeping the
    apostrophe of the Ê Đê and Jarai women's prefix ("H' Lim Niê")."""
    return squash(_NAME_SPECK.sub(lambda m: m.group(1) or "", text))


# a mark standing alone between two words, or ending the line: what a speckled scan reads
# between a signature row's two columns ("THƯ KÝ - CHỦ TRÌ:", "Nguyễn Văn An : Lò Thị Mai")
_LONE_MARK = re.compile(r"(?<=\S)\s+[-–:_ˆ^`'.]+(?=\s+\S|\s*$)")


def speckless_row(text: str) -> str:
    """A signature row without the lone marks a speckled scan read between its columns
    and after it, when what is left is two titles or names in a row ("THƯ KÝ CHỦ TRÌ",
    "Nguyễn Văn An Lò Thị Mai"); any other line as it is (a recipients line's dashes)."""
    cleaned = squash(_LONE_MARK.sub("", text))
    if cleaned == text.strip():
        return text
    f = fold(cleaned).rstrip(" :.,")
    if is_upper_line(cleaned) and (_UPPER_TITLE.match(f) or _TITLE_PAIR.match(f)):
        return cleaned
    return cleaned if is_name_line(cleaned) or _second_name(cleaned) else text


# a line that introduces what follows it, five words or more and a colon
_LEAD_IN_CAPS = re.compile(r"^\s*(?:\S+\s+){4,}\S*:\s*$")
_KT_TITLE = re.compile(r"^K/?T\s*\.?\s*(\S.*?)\s*$")
# "ĐẠI DIỆN BÊN A": a party signs, beside another; where each party's column opens
_PARTIES = re.compile(r"^DAI\s*DIEN\b")
_PARTY = re.compile(r"(?:(?<=\s)|^)DAI\s*DIEN\b")
# ... or "BÊN ỦY QUYỀN" alone, read in the text itself ("BẾN THỦY" folds to BEN too; "BEN"
# is a "BÊN" whose marks OCR lost)
_BEN_PARTY = re.compile(r"(?:(?<=\s)|^)(?<!DIỆN\s)(?<!DIEN\s)B[ÊE]N\b")


def _party_starts(text: str, f: str, column: str | None) -> list[int] | None:
    """Where each signing party's column opens on a row of their titles ("ĐẠI DIỆN BÊN
    GIAO  ĐẠI DIỆN BÊN NHẬN", "BÊN ĐƯỢC ỦY QUYỀN BÊN ỦY QUYỀN", "BÊN GIAO: BÊN NHẬN:"), or
    None for any other line. A row of bare "BÊN ..." titles holds two of them (or is one
    column of a split row, without a colon): "BÊN GIAO: ỦY BAN NHÂN DÂN XÃ" lists a party
    in a biên bản's body."""
    if not is_upper_line(text):
        return None
    if _PARTIES.match(f):
        return [m.start() for m in _PARTY.finditer(f)]
    ben = [m.start() for m in _BEN_PARTY.finditer(text)]
    if ben[:1] == [0] and (len(ben) >= 2 or (column is not None and ":" not in text)):
        return ben
    return None


# the title a signer prints over the name (folded): with or without TM./KT. above it
TITLE_WORDS = (
    r"(?:PHO\s+|KT\.?\s+)?(?:TONG\s+)?(?:CHU\s+TICH|GIAM\s+DOC|HIEU\s+TRUONG|THU\s+TUONG"
    r"|BO\s+TRUONG|BI\s+THU|(?:TRAM|DOI|DON|TO|HAT|CHI\s+HUY|XA\s+DOI)\s+TRUONG|CHANH\s+VAN\s+PHONG|CHANH\s+THANH\s+TRA|CHANH\s+AN"
    r"|VIEN\s+TRUONG|(?:CHI\s+)?CUC\s+TRUONG|VU\s+TRUONG"
    r"|TRUONG\s+DOAN\s+(?:KIEM\s+TRA|CONG\s+TAC|THANH\s+TRA|GIAM\s+SAT)"
    r"|TRUONG\s+CONG\s+AN(?:\s+(?:XA|PHUONG|THI\s+TRAN|HUYEN|QUAN|TINH|THANH\s+PHO))?"
    r"|TRUONG\s+(?:PHONG|BAN|KHOA|DOAN|THON|AP"
    r"|TRAM|BO\s+PHAN)|THU\s+TRUONG(?:\s+DON\s+VI|\s+CO\s+QUAN)?|CHU\s+NHIEM|THU\s+KY"
    r"|KE\s+TOAN\s+TRUONG|CHU\s+TOA|CHU\s+TRI"
    # the courts', procuracies' and enforcement offices' officers
    r"|CHAP\s+HANH\s+VIEN|THAM\s+PHAN|KIEM\s+SAT\s+VIEN|DIEU\s+TRA\s+VIEN|THAM\s+TRA\s+VIEN"
    r"|NGUOI\s+(?:BAO\s+CAO|LAP(?:\s+BIEU)?|DE\s+NGHI|KY"
    r"|CHU\s+TRI|GHI\s+BIEN\s+BAN|VIET\s+BAO\s+CAO|(?:DUOC\s+|NHAN\s+)?UY\s+QUYEN"
    # a person's own papers: an application, an account, a pledge, a self-review, a form
    r"|LAM\s+DON|VIET\s+(?:DON|TUONG\s+TRINH|CAM\s+KET|BAN\s+KIEM\s+DIEM)|TUONG\s+TRINH"
    r"|CAM\s+KET|CAM\s+DOAN|(?:TU\s+)?KIEM\s+DIEM|KHAI|NHAN\s+XET|XAC\s+NHAN|LAM\s+CHUNG"
    r"|GIOI\s+THIEU|BAO\s+LANH))"
)
_SIGNER_TITLE = re.compile(rf"^{TITLE_WORDS}$")
_TITLE_THEN_NAME = re.compile(rf"^{TITLE_WORDS}\s+(?=[A-ZĐ])")
# what an authority prefix glued to its word opens (folded): a title or a body ("KT.CHỦ
# TỊCH", an older "TM/UBND", "TL.GIÁM ĐỐC"); "Q.Hoàn Kiếm" is a district
_AUTH_HEAD = (rf"(?:(?:{TITLE_WORDS}|UY\s*BAN|HDND|BAN|HOI|DANG\s*UY|CHI\s*BO|DOAN|HTX|BCH"
              r"|TRUNG\s*TAM|SO|PHONG|CONG\s*TY)\b|UBND)")  # fmt: skip
# an authority prefix and its mark, as typists wrote them ("TM. ", "T/M ", "Q/ "), or
# glued to that word ("KT.CHỦ TỊCH", "Q/CHỦ TỊCH")
_AUTH_PREFIX = rf"(TM|KT|Q|TL|TUQ|T/M|K/T)(?:\s*[./]?\s+|[./](?={_AUTH_HEAD}))"
_AUTH = re.compile(rf"(?:(?<=\s)|^){_AUTH_PREFIX}(?=[A-ZĐ])")
_AUTH_START = re.compile(rf"^{_AUTH_PREFIX}\S")
_TRAIL_TITLE = re.compile(rf"(?<=\s){TITLE_WORDS}$")
# "TRƯỞNG BAN TỔ CHỨC", "TỔ TRƯỞNG TỔ DÂN PHỐ": the head of a named board or team, its
# name after the title; read as a title only on an ALL-CAPS line (a recipient "Trưởng ban
# Dân vận" is no signer)
_QUALIFIED = r"(?:PHO\s+)?(?:(?:TO|DOI)\s+TRUONG|TRUONG\s+(?:BAN|DOAN|TO))(?:\s+[A-Z]+){1,3}"
# "CHỦ TỌA KỲ HỌP", "THƯ KÝ HỘI NGHỊ": who chaired or kept a meeting's record; such a title
# alone on its row opens no closing (`_bare_title_row`: "CHỦ TRÌ HỘI NGHỊ" over a name lists
# who sat, in a minutes' body), two side by side do
_MEETING = (
    r"(?:CHU\s+TOA|CHU\s+TRI|THU\s+KY)\s+"
    r"(?:KY\s+HOP|HOI\s+NGHI|CUOC\s+HOP|DAI\s+HOI|PHIEN\s+HOP)"
)
_UPPER_TITLE = re.compile(rf"^(?:{TITLE_WORDS}|{_QUALIFIED}|{_MEETING})$")
_MEETING_ALONE = re.compile(rf"^{_MEETING}$")
# the left column's title before a co-signer's ("TRƯỞNG TRẠM Y TẾ" / "HIỆU TRƯỞNG"): a title
# and the few words naming its unit
_TITLE_HEAD = re.compile(rf"^(?:{TITLE_WORDS}|{_QUALIFIED})(?:\s+[A-Z]+){{0,3}}$")
_UPPER_TRAIL_TITLE = re.compile(rf"(?<=\s)(?:{TITLE_WORDS}|{_QUALIFIED}|{_MEETING})$")
# "THƯ KÝ CHỦ TRÌ": two signature columns' titles typed on one line
_TITLE_PAIR = re.compile(
    rf"^(?:{TITLE_WORDS}\s+(?:{TITLE_WORDS}|{_QUALIFIED})|{_MEETING}\s+{_MEETING})$"
)
_NAME_WITHIN = 6  # lines from a bare title row down to the signer's name
# surnames that open the second of two names printed on one line (two signature columns)
_SURNAMES = {"NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "HUYNH", "PHAN", "VU", "VO", "DANG",
             "BUI", "DO", "HO", "NGO", "DUONG", "LY", "DINH", "DAO", "TRINH", "MAI", "TRUONG",
             "LAM", "HA", "LUONG", "TA", "CAO", "CHU", "LUU", "THAI", "KIEU", "TONG", "QUACH",
             "TO", "LA", "VUONG", "DIEP", "HUA", "TRIEU", "LUC", "NONG", "KHUAT", "LU",
             # families of the northern uplands (Lò, Cầm, Vi, Sầm, Giàng, Thào, ...)
             "LO", "CAM", "VI", "SAM", "GIANG", "THAO", "MUA", "SUNG", "VANG", "HAU", "DAM",
             "KHONG", "TANG", "LAU", "MONG", "BE",
             # and other common ones (Thạch the Khmer one); Bế, Ninh, Thạch, Tiêu are
             # given names as often ("Trần Thị Bé Hoa"): a later cue wins a tie
             "PHUNG", "DOAN", "NINH", "THACH", "TIEU"}  # fmt: skip
# the Central Highlands': a Jarai family name opens the name (Ksor Thăng, Rơ Chăm Bơn); an
# Ê Đê man's opens with Y (Y Krăk Êban), a woman's with H' (H' Lim Niê), but after a Jarai
# family name the same Y or H' goes on that name (Ksor Y Thu, Rơ Chăm H' Lin)
_JARAI_FAMILIES = {"KSOR", "RO", "SIU", "NAY", "RMAH", "KPA", "PUIH", "RCOM", "RAHLAN"}
_PERSON_PREFIXES = {"Y", "H'"}
_SURNAMES |= _JARAI_FAMILIES | _PERSON_PREFIXES
# the middle names that mark a name's second word ("Lò Văn Piến", "Cầm Thị Nhung"), and
# other common ones, a weaker cue ("Vũ Đức Hiển")
# (and the Hmong men's "A", "Seo", "Mí": "Tráng A Dình Vừ Mí Sểnh" is two names)
_MIDDLE_NAMES = {"VAN", "THI", "A", "SEO", "MI"}
_GIVEN_TOO = {"BE", "NINH", "THACH", "TIEU", "Y"}  # surnames that are given names as often
_COMMON_MIDDLE_NAMES = {"DUC", "HUU", "MINH", "QUOC", "QUANG", "NGOC", "XUAN", "CONG", "DINH",
                        "TRONG", "HONG", "KIM", "THANH"}  # fmt: skip


def mend_authority(ln: SrcLine) -> SrcLine:
    """`ln` with an authority "TM." that OCR read "1M." or "7M." written "TM." again, where
    an ALL-CAPS authority follows it to the line's end (no sentence writes "1M." so)."""
    m = _MISREAD_TM.search(ln.text)
    if m is None or not is_upper_line(ln.text[m.end() :]):
        return ln
    misread = m.group()
    words = [("TM." if w == misread else w, box) for w, box in ln.words]
    return replace(ln, text=ln.text[: m.start()] + "TM." + ln.text[m.end() :], words=words)


def is_signer_title(text: str) -> bool:
    """ "CHỦ TỊCH", "Phó Chủ tịch", "KT. GIÁM ĐỐC": a signer's title, in any case."""
    f = squash(fold(text).strip(" :.,"))
    return bool(_SIGNER_TITLE.match(f) or (is_upper_line(text) and _UPPER_TITLE.match(f)))


def opens_recipients(text: str) -> bool:
    """Whether `text` opens the recipients block ("Nơi nhận:", OCR's "N0I NHAN" too)."""
    return _recipients_label(text, fold(text)) is not None


# folded: what "Nơi nhận:" in a notice's body goes on with ("tại Bộ phận tiếp nhận ...")
_PLACE_NAMED = re.compile(r"(?:TAI|O|HO\s+SO)\b")


def _recipients_label(text: str, f: str) -> re.Match[str] | None:
    """ "Nơi nhận:", "Nơi gửi:", "Sao gửi:" opening `text` (`f` its fold, of the same
    length), its colon lost or not; without its colon not "Nơi nhận hồ sơ: ..." (a sentence:
    a word in small letters goes on after it), and with it not "Nơi nhận: tại Bộ phận một
    cửa ..." (a place the sentence names: `_PLACE_NAMED`); "Nơi gửi: các HTX trong huyện;",
    "Nơi nhận: như Điều 3;", "đ/c Chủ tịch ..." open the list."""
    m = _NOI_NHAN.match(f)
    if m is None:
        return None
    rest = text[m.end() :].lstrip()
    if not rest[:1].islower():
        return m
    if ":" in m.group() and not _PLACE_NAMED.match(f[len(text) - len(rest) :]):
        return m
    return None


def is_closing_cue(text: str) -> bool:
    """A line that opens the closing zone: "Nơi nhận:", an ALL-CAPS line opening with an
    authority prefix (TM., KT., TL., Q., TUQ.) or "XÁC NHẬN ...". Nothing before it (a
    footnote body, a list item) runs on across it."""
    f = fold(text)
    # the authority line is ALL CAPS ("TM. ỦY BAN NHÂN DÂN"): "Q. 1, TP. Hồ Chí Minh" in an
    # address is no cue
    return bool(
        _recipients_label(text, f)
        or ((_AUTH_START.match(f) or _CONFIRM.match(f)) and is_upper_line(text))
    )


def ends_with_end_mark(text: str) -> bool:
    """The line ends with the "./." mark that closes the document's text."""
    found = list(END_MARK_RE.finditer(text))
    return bool(found) and not text[found[-1].end() :].strip()


def _body_after(lines: list[SrcLine], i: int) -> bool:
    """Whether the body goes on after line i: a heading label or the end mark "./." below
    it, before the signature (an authority, a signer's title) or the file copy's item. A
    "Nơi gửi: Văn phòng UBND xã ..." line of a notice's body is no recipients block; a
    list attached after the signature ("1. Ông ...") is not the body going on."""
    for ln in lines[i + 1 :]:
        item = ln.text.lstrip("-+– ")
        if _AUTH_START.match(fold(ln.text)) or is_signer_title(ln.text) or _closes_list(item):
            return False
        if parse_label(ln.text) is not None or ends_with_end_mark(ln.text):
            return True
    return False


def find_closing(lines: list[SrcLine]) -> int | None:
    """Index of the first closing line (Nơi nhận or authority) near the end, or None."""
    start = max(0, len(lines) - 40)
    folded = {i: fold(lines[i].text) for i in range(start, len(lines))}
    nn = next(
        (i for i, f in folded.items()
         if _recipients_label(lines[i].text, f) and not _body_after(lines, i)),
        None,
    )  # fmt: skip
    auth = next((i for i, f in folded.items()
                 if _AUTH_START.match(f)
                 or (_AUTH.search(f) and _recipients_label(lines[i].text, f))),
                None)  # fmt: skip
    confirm = next(
        (i for i, f in folded.items() if _CONFIRM.match(f) and is_upper_line(lines[i].text)), None
    )
    titles = next((i for i in folded if _bare_title_row(lines, i)), None)
    parties = next((i for i, f in folded.items() if _parties_row(lines, i, f)), None)
    beside = next((i for i, f in folded.items() if _title_beside_authority(lines[i].text, f)),
                  None)  # fmt: skip
    found = [i for i in (nn, auth, confirm, titles, parties, beside) if i is not None]
    return min(found) if found else None


def _title_beside_authority(text: str, f: str) -> bool:
    """ "THƯ KÝ  TM. BAN CHẤP HÀNH": a co-signer's bare title (left column), or a title and
    the words naming its unit ("TRƯỞNG TRẠM Y TẾ"), and the signer's authority (right)
    typed as one ALL-CAPS line."""
    m = _AUTH.search(f)
    if m is None or m.start() == 0 or not is_upper_line(text):
        return False
    head = text[: m.start()].strip()
    return is_signer_title(head) or _TITLE_HEAD.match(squash(fold(head))) is not None


def _parties_row(lines: list[SrcLine], i: int, f: str) -> bool:
    """ "ĐẠI DIỆN BÊN GIAO   ĐẠI DIỆN BÊN NHẬN": the signing parties of a biên bản or an
    agreement, an ALL-CAPS line of its own with a name (or the two parties' names on one
    line) below it."""
    if _party_starts(lines[i].text, f, lines[i].column) is None:
        return False
    below = lines[i + 1 : i + 1 + _NAME_WITHIN]
    return any(is_name_line(ln.text) or _second_name(ln.text) for ln in below)


def _bare_title_row(lines: list[SrcLine], i: int) -> bool:
    """A signature title with no TM./KT. and no "Nơi nhận" above it ("CHỦ TỊCH", or two
    columns' "THƯ KÝ CHỦ TRÌ", or a co-signer's title beside it: "TRƯỞNG KHOA DƯỢC
    GIÁM ĐỐC") on an ALL-CAPS line of its own, or a person's title in any case ("Người
    làm đơn"), a name (or two columns' names) below it."""
    if parse_label(lines[i].text) is not None:
        return False  # "II. TRÁCH NHIỆM CỦA ĐỘI TRƯỞNG" is a heading that names a title
    f = squash(fold(speckless_row(lines[i].text))).rstrip(" :.,")
    if not is_upper_line(lines[i].text):
        # "Người làm đơn" over the applicant's name: a person's title in any case
        return _person_signs_last(lines, i)
    if _MEETING_ALONE.match(f):
        return False
    if not (_UPPER_TITLE.match(f) or _TITLE_PAIR.match(f)):
        trail = _UPPER_TRAIL_TITLE.search(f)
        head = f[: trail.start()].strip() if trail else ""
        if not head:
            return False
        if not (_APPROVES.match(head) or _AUTH_START.match(head) or _TITLE_HEAD.match(head)):
            # "CÔNG DÂN  NGƯỜI CHỦ TRÌ": a party's column beside the signer's title, as
            # the two names below it show; "DANH SÁCH TỔ TRƯỞNG TỔ DÂN PHỐ" is a title
            # over a list, and so is any such line with a heading or a signer's
            # authority ("TM. ...") still to come below it: the closing ends a document
            rest = lines[i + 1 :]
            if any(parse_label(ln.text) is not None or _AUTH_START.match(fold(ln.text))
                   for ln in rest):  # fmt: skip
                return False
            return any(_second_name(ln.text) for ln in lines[i + 1 : i + 1 + _NAME_WITHIN])
    below = [speckless_row(ln.text) for ln in lines[i + 1 : i + 1 + _NAME_WITHIN]]
    return any(is_name_line(text) or _second_name(text) for text in below)


def is_person_title(text: str) -> bool:
    """ "NGƯỜI LÀM ĐƠN", "Người làm chứng": the title a person signs under, in any case."""
    return is_signer_title(text) and bool(_PERSON_TITLE.match(fold(text).lstrip()))


def _person_signs_last(lines: list[SrcLine], i: int) -> bool:
    """ "Người làm đơn" (line i) over the person's name: a person's title in
    small letters signs where the paper ends. Between the title and the name only a note in
    brackets ("(Ký, ghi rõ họ tên)") or specks; after the name nothing, or what a closing
    holds (`_after_signer`). "Người ủy quyền:" (a field) and "Người làm chứng" over a name
    with the body going on ("II. BÊN ĐƯỢC ỦY QUYỀN", a sentence) are text."""
    if lines[i].text.rstrip().endswith(":") or not is_person_title(lines[i].text):
        return False
    for k in range(i + 1, min(len(lines), i + 1 + _NAME_WITHIN)):
        text = without_specks(lines[k].text)
        if is_name_line(text):
            if k + 1 == len(lines):
                return True
            if is_person_title(lines[k + 1].text):
                return _person_signs_last(lines, k + 1)  # its block ends it too
            if _NOTE.match(squash(fold(lines[k + 1].text))):
                return _note_ends_paper(lines, k + 2)
            return _after_signer(lines, k + 1)
        if not _signature_mark(text):
            return False
    return False


def _signature_mark(text: str) -> bool:
    """A line a signature leaves between a title and a name, or under the name: a note in
    brackets ("(Ký, ghi rõ họ tên)", short or naming the signing), "Đã ký", or specks (no
    word of two letters); a line that opens a bracket and goes on ("(1) Hộ ông ...") or a
    sentence in brackets ("(Danh sách này gồm 02 hộ, ...)") is text."""
    bracketed = text.startswith("(") and text.rstrip(" .").endswith(")")
    return (
        (bracketed and (len(text.split()) <= _NOTE_WORDS or bool(_SIGNING.search(fold(text)))))
        or bool(_SIGNED.match(fold(text).lstrip("(")))
        or not _WORD.search(text)
    )


_NOTE_WORDS = 6  # a signature's note in brackets is short: "(Ký, ghi rõ họ tên)"
_SIGNING = re.compile(r"\b(?:KY|DONG\s+DAU|HO\s+TEN|CHU\s+KY)\b")  # folded


_WORD = re.compile(r"[^\W\d_]{2,}")
_TITLE_SPECKS = "_-–.,:'`‘’ˆ^ "  # what OCR reads of specks beside a signer's title
CAPTION_WORDS = 12  # a confirming office's caption: "Xác nhận của UBND xã ..."
_NOTE = re.compile(r"^(?:GHI\s*CHU|LUU\s*Y)\b")  # "Ghi chú: ...", "Lưu ý: ...", folded


def _note_ends_paper(lines: list[SrcLine], start: int) -> bool:
    """A note under a person's name (its lines from `start` on, whatever they hold) ends
    the paper, unless the body went on to a signers' row: read down, a confirming office's
    caption in any case ("XÁC NHẬN CỦA UBND XÃ ...") or another person's title
    ("NGƯỜI LÀM CHỨNG") comes first where the paper ends; a line in capitals a closing
    holds (a biên bản's "THƯ KÝ  CHỦ TRÌ", "ĐẠI DIỆN BÊN GIAO") where a witness named in the
    body was above it."""
    for ln in lines[start:]:
        f = squash(fold(ln.text)).rstrip(" :.,")
        if _APPROVES.match(f) or is_person_title(ln.text):
            return True
        if _closing_caps(ln.text, f):
            return False
    return True


def _closing_caps(text: str, f: str) -> bool:
    """`text` (`f` folded) is a line in capitals a closing holds: an authority, a title or
    two, a witness's or a party's caption."""
    return is_upper_line(text) and bool(
        _AUTH_START.match(f) or is_signer_title(text) or _WITNESS.match(f)
        or _TITLE_PAIR.match(f) or _UPPER_TRAIL_TITLE.search(f)
        or _party_starts(text, f, None) is not None
    )  # fmt: skip


def _after_signer(lines: list[SrcLine], j: int) -> bool:
    """Line j, under a signer's name, is one a closing holds: a confirming office's caption
    in any case ("Xác nhận của UBND xã ..."), a note ("Ghi chú: ..."), "Nơi nhận:", a line
    in capitals a closing holds (`_closing_caps`), the name again in capitals, or another
    line in capitals with names under it and nothing else to the end (a second signer's
    caption: "CHỦ HỘ" / "Trần Thị Lan"); not a heading in capitals the body goes on under
    ("NỘI DUNG HÒA GIẢI" / "Hai bên thống nhất ..."). Another person's title may follow
    too, when its own block ends the paper (`_person_signs_last`)."""
    text = lines[j].text
    f = squash(fold(text)).rstrip(" :.,")
    if parse_label(text) is not None:
        return False
    if _APPROVES.match(f) or _NOTE.match(f) or _recipients_label(text, fold(text)):
        return True
    if not is_upper_line(text):
        return False
    if _closing_caps(text, f) or is_name_line(without_specks(text)):
        return True
    # a second signer's caption: names under it, and nothing but names, notes in brackets
    # or specks to the end ("CÁC THÀNH VIÊN TRONG HỘ" over two names and a sentence is the
    # body's list)
    rest = [without_specks(ln.text) for ln in lines[j + 1 :]]
    return (not rest or any(is_name_line(t) for t in rest[:_NAME_WITHIN])) and all(
        is_name_line(t) or is_upper_line(t) or t.startswith("(") or _signature_mark(t) for t in rest
    )


def _trailing_caps(text: str) -> int | None:
    """Offset of a trailing ALL-CAPS run (a signature title) after a recipient item. The
    run holds no item's end: "- Lưu: VT, VHXH.  PHÓ CHỦ TỊCH" has the title after "VHXH."."""
    tokens = list(re.finditer(r"\S+", text))
    start = None
    for k in range(len(tokens) - 1, 0, -1):
        tok = tokens[k].group()
        if any(c.islower() for c in tok) or not any(c.isalpha() for c in tok):
            break
        if start is not None and tok.endswith((";", ".", ",")):
            break  # the codes of the recipient item before the title
        start = k
    if start is None or not tokens[start - 1].group().endswith((";", ".", ",", ":", ")")):
        return None
    run = text[tokens[start].start() :]
    if run.endswith((".", ";", ",")):
        return None
    return tokens[start].start() if len(run) >= 5 and is_upper_line(run) else None


def split_text_line(ln: SrcLine) -> list[SrcLine]:
    text, f = ln.text, fold(ln.text)
    cut = None
    for m in _AUTH.finditer(f):
        if m.start() > 0:
            cut = m.start()
            break
    if cut is None and text.startswith(("-", "+", "–")) and (note := _TRAILING_SIGNED.search(f)):
        cut = note.start(1)  # "- Thường trực Huyện ủy; (Đã ký)": the signer's column
    if cut is None and text.startswith(("-", "+", "–")):
        caps = _trailing_caps(text)
        trail = _TRAIL_TITLE.search(f.rstrip())
        if caps is not None:
            cut = caps
        elif trail and text[: trail.start()].rstrip().endswith((";", ".", ",", ":")):
            cut = trail.start()  # "- Như Điều 3; Phó Chủ tịch": the title column
        else:
            name = _TRAIL_NAME.match(text)
            if name and is_name_line(name.group(2)):
                cut = name.start(2)
    if (
        cut is None
        and is_upper_line(text)
        and not is_signer_title(text)
        and not _AUTH_START.match(f)
    ):
        # ("TL. CHỦ TỊCH", "Q. GIÁM ĐỐC": one authority line, not two columns)
        trail = _UPPER_TRAIL_TITLE.search(squash(f).rstrip(" :.,"))
        if trail and squash(f)[: trail.start()].strip():  # "XÁC NHẬN CỦA ... HIỆU TRƯỞNG"
            cut = len(squash(f)[: trail.start()])
            text = squash(text)
    if cut is None and (titled := _TITLE_THEN_NAME.match(f)) and is_name_line(text[titled.end() :]):
        cut = titled.end()  # "BÍ THƯ  Y Bhin Mlô": a title (left) beside a signer's name
    if cut is None and (auth := _AUTH_START.match(f)) and is_upper_line(text):
        # "TM. ỦY BAN NHÂN DÂN XÃ  HIỆU TRƯỞNG": the confirming body's authority (left)
        # and the signer's bare title (right) on one row; "KT. CHỦ TỊCH" is one column
        flat = squash(f)
        trail = _TRAIL_TITLE.search(flat.rstrip(" :.,"))
        head = flat[len(auth.group(1)) : trail.start()].strip(" .") if trail else ""
        if trail and head and not is_signer_title(head):
            cut = trail.start()
            text = squash(text)
    if cut is None and (noi_nhan := _recipients_label(text, f)):
        rest = text[noi_nhan.end() :].strip()
        if rest and is_upper_line(rest):
            cut = len(text) - len(rest)
        elif rest and (caps := _trailing_caps(rest)) is not None:
            cut = len(text) - len(rest) + caps  # "Nơi nhận: Sở NN&PTNT, Lưu VP. GIÁM ĐỐC"
    if cut is None:
        return [ln]
    return [
        SrcLine(text[:cut].strip(), ln.page, ln.bbox, ln.blank_before, column="left"),
        SrcLine(text[cut:].strip(), ln.page, ln.bbox, ln.blank_before, column="right"),
    ]


def _closes_list(item: str, inline: bool = False) -> bool:
    """Whether a recipient item ends the list: the file copy's "Lưu: VT." (or "Lưu VP."),
    or, in a list typed on the label's line (`inline`), its last "- Lưu" unpunctuated."""
    return bool(filing_line.FOLDED_LABEL.match(fold(item))) and (inline or ends_terminal(item))


def _title_typed_after(item: str) -> str | None:
    """The signer's title in capitals ending a recipient item ("Như điều 3 PHÓ CHỦ TỊCH"),
    or None. Only asked where an authority awaits its title: a recipient may end in a
    title of its own ("Các đồng chí TRƯỞNG THÔN")."""
    trail = _TRAIL_TITLE.search(fold(item).rstrip())
    if trail is None or len(item[: trail.start()].split()) < 2:
        return None
    title = item[trail.start() :].strip()
    return title if is_upper_line(title) else None


def _split_row(seg: SrcLine) -> list[SrcLine]:
    """A closing row from word boxes that holds both columns' text (set close together)
    split at the text anchors of `split_text_line`, keeping the row's page and box; a
    row already in one column stays whole unless it holds a title pair or an
    authority beside a title."""
    parts = split_text_line(seg)
    if len(parts) == 1:
        return [seg]
    return [replace(p, page_width=seg.page_width) for p in parts]


def opens_with_surname(text: str) -> bool:
    """Whether `text` opens with a common family name ("NGUYỄN VĂN BÌNH", "Lò Văn Pao")."""
    words = text.split()
    return bool(words) and fold(words[0]) in _SURNAMES


def _title_pair(text: str) -> tuple[str, str] | None:
    """ "ĐẠI DIỆN UBND XÃ HẠ QUYẾT THƯ KÝ THI HÀNH ÁN": two signers' titles typed as one
    ALL-CAPS row, split where the right one begins (a signer's title and the words of its
    unit, or a party's "ĐẠI DIỆN ..."), or None."""
    if not is_upper_line(text) or parse_label(text) is not None:
        return None
    words = text.split()
    for k in range(1, len(words)):
        right = " ".join(words[k:])
        f = squash(fold(right))
        if _TITLE_HEAD.match(f) or _PARTIES.match(f):
            left = " ".join(words[:k])
            if (
                is_signer_title(left)
                or _PARTIES.match(squash(fold(left)))
                or _WITNESS.match(squash(fold(left)))
                or _TITLE_HEAD.match(squash(fold(left)))
            ):
                return left, right
    return None


def _second_name(text: str) -> str | None:
    """ "Trần Văn Bình Lê Thị Hoa": two names on one line (two signature columns); the
    second (right column, the signer) starts at an officer's rank, a surname, or a word
    before "Văn"/"Thị" (both, best; another common middle name after a surname beats a
    surname alone: "Đinh Thị Ngọc Hà Vũ Đức Hiển", but is no cue by itself: "Trần Thị Thu
    Hồng" is one name), with two words at least on each side."""
    words = text.split()
    best, best_score = None, 0
    for k in range(2, len(words) - 1):
        # "Văn"/"Thị" after the word is the surer cue: "Đinh" is a surname, but in
        # "Trương Công Định Phan Thị Diệu Linh" the second name opens at "Phan Thị"
        after, surname = fold(words[k + 1]), fold(words[k]) in _SURNAMES
        if fold(words[k]) in _PERSON_PREFIXES and (
            fold(words[k - 1]) in _JARAI_FAMILIES or fold(words[k - 2]) == "RO"
        ):
            surname = False  # "Rơ Chăm H' Lin", "Ksor Y Thu": one name
        if fold(words[k - 1]) in _PERSON_PREFIXES and fold(words[k - 2]) in _JARAI_FAMILIES:
            surname = False  # "Siu H' Mai": the given name after the prefix, no surname
        score = surname + 2 * (after in _MIDDLE_NAMES) + (surname and after in _COMMON_MIDDLE_NAMES)
        if opens_with_name_prefix(" ".join(words[k:])):
            # "Mai Xuân Lộc Thượng tá Phan Văn Thịnh": an officer signs the right; "Lò Văn
            # Pọm PGS.TS. Hà Văn Thuổng": a degree opens the right column's name
            score = 3
        # a tie goes to the later cue where the earlier one is a given name as often:
        # "Trần Thị Bé Hoa Lò Sình Pao" (not "Hoàng Văn Nam Lê Hoàng Anh")
        tie = score == best_score and best is not None and fold(words[best]) in _GIVEN_TOO
        if score and (score > best_score or tie) and is_name_line(" ".join(words[:k])):
            best, best_score = k, score
    if best is None:
        return None
    rest = " ".join(words[best:])
    return rest if is_name_line(rest) else None


def parse_closing(lines: list[SrcLine]) -> tuple[list[str], dict | None, list[dict]]:
    """(recipients, signature, other signatures) from the closing lines: the signature is
    the signer's (the right column where two sign side by side); the others are the
    co-signers' beside it (a secretary, a party, a confirming body) and witnesses below,
    as {authority, title, name}, in reading order."""
    if not lines:
        return [], None, []
    if lines[0].words:
        width = lines[0].page_width or max(box_of(ln).right for ln in lines)
        segments = []
        for page in dict.fromkeys(ln.page for ln in lines):
            rows = split_columns([ln for ln in lines if ln.page == page], width)
            # two columns set close together come out as one row: split it as in text; a
            # speck read between the columns ("THƯ KÝ  -  CHỦ TRÌ") is no column of its own
            for row in rows:
                parts = _split_row(row)
                words = [p for p in parts if any(ch.isalnum() for ch in p.text)]
                segments += words if words and len(parts) > 1 else parts
    else:
        segments = [s for ln in lines for s in split_text_line(ln)]
    recipients: list[str] = []
    authority: list[str] = []
    titles: list[str] = []
    name: str | None = None
    in_recipients = False
    paired = False  # two signature columns on one row: the name line holds two names
    deputy = ""  # "PHO <title>" (folded) under a right column's "KT. <title>"
    party = ""  # "ĐẠI DIỆN BÊN GIAO": the party signing last, the title where none is printed
    right_title = False  # a title read in the right column of a row split in two
    others: list[dict] = []  # co-signers and witnesses, as they come
    dash_pending = False  # a one-line list's last dash, its item on the next line
    below = False  # reading the blocks under the signer's name (witnesses, a confirmation)
    below_from = 0  # the first of `others` signing below the signer

    def other(authority: str | None = None, title: str | None = None) -> None:
        last = others[-1] if others else None
        if authority is None and last is not None and last["name"] is None:
            if last["title"] is None:  # the title under a co-signer's authority
                last["title"] = title
                return
            if last["authority"] is None and _APPROVES.match(fold(last["title"])):
                # "XÁC NHẬN CỦA UBND XÃ" over its "CHỦ TỊCH": the confirming authority
                last["authority"], last["title"] = last["title"], title
                return
        others.append({"authority": authority, "title": title, "name": None})

    for k, seg in enumerate(segments):
        text = speckless_row(seg.text)
        f = fold(text)
        if is_separator(text) or not text:
            continue
        if name and _LEAD_IN_CAPS.match(text) and is_upper_line(text):
            # "CHỦ ĐẦU TƯ PHẢI THỰC HIỆN CÁC NỘI DUNG SAU ĐÂY:" under a permit's signer:
            # the paper's text (`unkept_lines` keeps it), no title of anyone's
            continue
        m = _recipients_label(text, f)
        if m:
            in_recipients = True
            rest = text[m.end() :].strip()
            if rest:
                # a list that ends its items with ";" is split there ("- Sở Lao động -
                # Thương binh và Xã hội; - Lưu: VT.")
                dashed = rest.startswith(("-", "+", "–")) and ";" not in rest
                items = (_INLINE_DASHED if dashed else _INLINE_ITEM).split(rest.lstrip("-+– "))
                recipients += [item.strip() for item in items]
                if dashed and (cut := _DASH_AT_END.search(recipients[-1])):
                    # "... - Ngân hàng huyện -" / "Lưu": the next item's dash ends the line
                    recipients[-1] = recipients[-1][: cut.start()]
                    dash_pending = True
                # "Nơi gửi: - UBND huyện; - Lưu VP.": typed on one line, closed by "Lưu"
                in_recipients = not _closes_list(recipients[-1], inline=dashed)
            continue
        nxt = segments[k + 1] if k + 1 < len(segments) else None
        last = others[-1] if others else None
        confirming = last is not None and bool(
            _APPROVES.match(fold(last["authority"] or last["title"] or ""))
        )
        person_signs = (
            bool(titles) and not authority and bool(_PERSON_TITLE.match(fold(titles[-1])))
        )
        if (_AUTH_START.match(f) and last is not None and last["name"] is None
                and (below or (person_signs and confirming))):  # fmt: skip
            # "XÁC NHẬN CỦA UBND XÃ" under a person's signature, or beside it, then "TM.
            # ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH": the confirming body's authority under
            # its caption (a person signs with no authority)
            last["authority"] = "\n".join(filter(None, (last["authority"], last["title"],
                                                        squash(text))))  # fmt: skip
            last["title"] = None
            continue
        if _AUTH_START.match(f):
            if seg.column == "left" and nxt is not None and nxt.column == "right" and (
                    nxt.page == seg.page and (is_signer_title(nxt.text)
                                              or _AUTH_START.match(fold(nxt.text)))):  # fmt: skip
                # "TM. ỦY BAN ..." beside "HIỆU TRƯỞNG", or beside "KT. TRƯỞNG CÔNG AN
                # HUYỆN" (a joint document, two authorities): two signatures; the right
                # one is the signer's
                paired = True
                if _AUTH_START.match(fold(nxt.text)):
                    other(authority=squash(text))
                    continue
            authority.append(squash(text))
            if seg.column == "right" and (kt := _KT_TITLE.match(squash(f))):
                deputy = "PHO " + kt.group(1)  # KT. (ký thay): the head's deputy signs
            continue
        caption_in_small_letters = (
            person_signs and _CONFIRM.match(f) is not None and len(text.split()) <= CAPTION_WORDS
        )  # "Xác nhận của UBND xã Ia Mơ" under a person's signature
        stacked = bool(is_upper_line(text) and (_WITNESS.match(f) or _CONFIRM.match(f))) or (
            below and is_signer_title(text)  # "Trưởng Công an xã" under its caption
        )
        # a second person's title under a signed name: "Người làm chứng" under the writer's
        another_person = bool(name and not below and not paired and is_person_title(text))
        if another_person and (authority or _TESTIFIES.match(squash(f))):
            # "TM. ỦY BAN NHÂN DÂN" / its chairman, then "Người lập biểu" / a name; or
            # the writer, then "Người làm chứng": the one below signs beside the paper
            stacked = True
        if (
            name
            and not (below or paired or in_recipients)
            and seg.column is None
            and (is_upper_line(text) and not _AUTH_START.match(f))
        ):
            if squash(f) == squash(fold(name)):
                continue  # the signer's name printed again in capitals
            # a second signer's caption in capitals under the signed name ("Người khai" /
            # its name, then "CHỦ HỘ" / another): that one signs below the signer
            stacked = stacked or any(
                is_name_line(without_specks(later.text)) for later in segments[k + 1 : k + 3]
            )
        if name and (caption_in_small_letters or stacked):
            # "NGƯỜI CHỨNG KIẾN", "XÁC NHẬN CỦA UBND XÃ" over its "CHỦ TỊCH" under the
            # signatures: another signs there, not the signer
            below, below_from = True, len(others) if not below else below_from
            other(title=squash(text))
            continue
        if (name and paired and not in_recipients and seg.column is None
                and (pair := _title_pair(text)) is not None):  # fmt: skip
            # a second row of two signers' titles under the signed one ("ĐẠI DIỆN UBND
            # XÃ  THƯ KÝ THI HÀNH ÁN" under "NGƯỜI PHẢI THI HÀNH ÁN  CHẤP HÀNH VIÊN"): they
            # sign below the signer, in the order printed
            below, below_from = True, len(others) if not below else below_from
            others.extend({"authority": None, "title": t, "name": None} for t in pair)
            continue
        if _SIGNED.match(f.lstrip("(")):
            continue
        if below and is_name_line(clean := without_specks(text)):
            # "Hoàng Văn Em Lò Thị Phương" under "NGƯỜI CHỨNG KIẾN": two witnesses
            second = _second_name(clean)
            for person in (
                [clean[: len(clean) - len(second)].strip(), second] if second else [clean]
            ):
                unnamed = next((o for o in others[below_from:] if o["name"] is None), None)
                if unnamed is None:
                    others.append({**others[-1], "name": None})
                    unnamed = others[-1]
                unnamed["name"] = person
            continue
        if seg.column != "right" and _APPROVES.match(f) and is_upper_line(text):
            paired = True  # "XÁC NHẬN CỦA ..." beside the signer: the names come in a pair
            other(title=squash(text))
            continue
        pair = _title_pair(text) if seg.column is None else None
        # (`party` the right one of two parties' captions, the left one's block opened:
        # not the lone caption of "ĐẠI DIỆN HỢP TÁC XÃ  TRƯỞNG ĐOÀN KIỂM TRA")
        two_parties = bool(party and others and others[-1]["title"] != party)
        if (
            two_parties
            and paired
            and name is None
            and (pair is not None or (seg.column is not None and is_signer_title(text)))
        ):
            # "ĐẠI DIỆN BÊN A  ĐẠI DIỆN BÊN B" over "GIÁM ĐỐC  PHÓ HIỆU TRƯỞNG" (one row,
            # or its two columns): each party signs by its officer, under its caption
            left_title, right_title_text = pair or (
                (squash(text), None) if seg.column == "left" else (None, squash(text))
            )
            left = next((o for o in reversed(others) if o["name"] is None), None)
            if left_title and left is not None and left["authority"] is None and left["title"]:
                left["authority"], left["title"] = left["title"], left_title
            elif left_title:
                other(title=left_title)
            if right_title_text:
                authority.append(party)
                titles.append(right_title_text)
                party = ""
            continue
        if (party_starts := _party_starts(text, f, seg.column)) is not None:
            paired = paired or seg.column != "right"  # two parties: the right one signs last
            starts = [start for start in party_starts if start > 0]
            if starts or seg.column == "left":  # the left party's title
                other(title=squash(text[: starts[-1]] if starts else text))
            party = squash(text[starts[-1] :] if starts else text)
            continue
        if (seg.column == "left" and is_upper_line(text) and nxt is not None
                and nxt.column == "right" and (is_signer_title(nxt.text)
                                               or _AUTH_START.match(fold(nxt.text)))):  # fmt: skip
            # "THƯ KÝ" of "THƯ KÝ CHỦ TRÌ" or of "THƯ KÝ  TM. BAN CHẤP HÀNH", "TRƯỞNG KHOA
            # DƯỢC" of "TRƯỞNG KHOA DƯỢC GIÁM ĐỐC": a co-signer's column; the right signs
            paired = True
            other(title=squash(text))
            continue
        if (m := filing_line.LINE_LABEL_MISREAD.match(text)) and seg.column != "right":
            text = "- " + filing_line.LABEL + text[m.end() :]  # "~ Lựa: VT" is the "- Lưu: VT" item
        # the list's first item under "Nơi nhận:", or one after a finished item (";"),
        # whose dash OCR lost (or the typist left out) is an item of its own
        lost_dash = (in_recipients and seg.column != "right"
                     and (not recipients or recipients[-1].endswith(";") or dash_pending)
                     and starts_upper(text)
                     and not is_signer_title(text) and not is_name_line(text)
                     and not _SIGNED.match(f.lstrip("(")))  # fmt: skip
        if (text.startswith(("-", "+", "–")) or lost_dash) and seg.column != "right":
            # an item after a finished one (";") whose dash OCR lost is an item of its own
            *before, item = _INLINE_ITEM.split(text.lstrip("-+– ").strip())
            if authority and not titles and (title := _title_typed_after(item)):
                # "Nơi nhận: K/T CHỦ TỊCH" over "- Như điều 3 PHÓ CHỦ TỊCH": the title the
                # authority awaits, typed on the recipient's row without a mark between
                item = item[: -len(title)].rstrip()
                titles.append(title)
            recipients += [*before, item]
            # "- Lưu: VT." closes the list: what follows is the signature column
            in_recipients = not _closes_list(item, inline=dash_pending)
            dash_pending = False
            continue
        if another_person:
            # "Người làm chứng" / its name, then "Người tường trình" / the writer's: two
            # people sign one under the other; the one who is no witness signs the paper
            others.append({"authority": "\n".join(authority) or None,
                           "title": "\n".join(titles) or None, "name": name})  # fmt: skip
            authority, titles, name = [], [], None
        if is_signer_title(text) or (is_upper_line(text) and (
                authority or seg.column == "right" or not in_recipients)):  # fmt: skip
            if (person_signs and confirming and last is not None and last["authority"]
                    and last["title"] is None and seg.column != "right"):  # fmt: skip
                last["title"] = squash(text)  # "BÍ THƯ" under the cell's "T/M CHI BỘ"
                continue
            if paired and right_title and seg.column is None:
                # the left column's title under its authority: the right one signs
                if others and others[-1]["title"] is None:
                    others[-1]["title"] = squash(text)
                continue
            right_title = right_title or seg.column == "right"
            flat = squash(text).strip(_TITLE_SPECKS)  # specks OCR read around the title
            if deputy and paired and squash(f).endswith(" " + deputy):
                # "CHỦ TỊCH  PHÓ TRƯỞNG CÔNG AN HUYỆN" under the two authorities: the left
                # column's title, then the deputy's under "KT. TRƯỞNG CÔNG AN HUYỆN"
                flat = " ".join(flat.split()[-len(deputy.split()) :])
            titles.append(flat)
            continue
        clean = without_specks(text)
        if paired and (second := _second_name(clean)):
            first = clean[: len(clean) - len(second)].strip()
            unnamed = next((o for o in others if o["name"] is None), None)
            if unnamed is None:
                other()
                unnamed = others[-1]
            unnamed["name"] = first
            clean = second
        if (is_name_line(clean) and name and person_signs and confirming and last is not None
                and last["name"] is None):  # fmt: skip
            last["name"] = mend_name_prefix(clean)  # the confirming body's signer, below
            continue
        if is_name_line(clean) and paired and seg.column == "left" and not in_recipients:
            unnamed = next((o for o in others if o["name"] is None), None)
            if unnamed is not None:  # the left column's name, its title's beside the signer's
                unnamed["name"] = mend_name_prefix(clean)
                continue
        if is_name_line(clean) and (authority or titles or party):
            name = mend_name_prefix(clean)
            continue
        if (confirming and last is not None and last["name"] is None
                and (below or person_signs) and not in_recipients
                and not _NOTE.match(squash(f))):  # fmt: skip
            _confirmation_line(last, text)  # what the confirming office certifies, its date
            continue
        if recipients and seg.column != "right" and in_recipients:
            recipients[-1] = squash(recipients[-1] + " " + text)
    if len(authority) >= 2 and not titles and not party and _ACTING.match(fold(authority[-1])):
        titles.append(authority.pop())  # "T/M ỦY BAN NHÂN DÂN HUYỆN" over "Q. CHỦ TỊCH"
    signature = None
    if authority or titles or name:
        signature = {
            "authority": "\n".join(authority) or None,
            "title": "\n".join(titles) or party or None,
            "name": name,
            "page": lines[0].page,
            "prov": prov(lines),
        }
    # "- Lưu. HVT/05b": the typist's initials and copies, read onto the file copy's row
    items = _split_glued_luu([_TYPIST_REF.sub("", r) for r in recipients if r])
    return _item_punctuation(items, ocr=bool(lines[0].words)), signature, others


def _confirmation_line(block: dict, text: str) -> None:
    """A line of a confirming office's block that is none of its signature's fields: its
    place and date ("Ea Kơ Ning, ngày 08 tháng 3 năm 2018") or what it certifies ("Ủy ban
    nhân dân xã xác nhận hộ bà ... thuộc hộ nghèo năm 2018."; a sentence's wrapped line
    joins it), kept on the block. A note ("Ghi chú: ...") is no part of it."""
    from ocr_pipeline.structure.header import dateline  # the header owns dates; it imports us

    found = dateline(text) if "date" not in block else None
    certified = block.setdefault("text", [])
    if found is not None:
        block["place"], block["date"] = found
    elif certified and (starts_lower(text) or certified[-1].endswith(",")
                        or wants_more(certified[-1])):  # fmt: skip
        certified[-1] = squash(certified[-1] + " " + text)  # its sentence's wrapped line
    else:
        certified.append(squash(text))
    if not certified:
        del block["text"]


def split_notes(lines: list[SrcLine]) -> tuple[list[SrcLine], list[SrcLine]]:
    """(the closing without its notes, the notes): a "Ghi chú: ..." or "Lưu ý: ..." typed
    under a signature, with its wrapped lines (up to a line in capitals, an authority, a
    confirming caption, "Nơi nhận:" or a name), is the paper's text, no part of any signature block
    (`parse_closing` would drop it)."""
    kept: list[SrcLine] = []
    notes: list[SrcLine] = []
    in_note = False
    for ln in lines:
        f = squash(fold(ln.text))
        if _NOTE.match(f):
            in_note = True
        elif in_note and (
            is_upper_line(ln.text) or _AUTH_START.match(f) or _APPROVES.match(f)
            or _recipients_label(ln.text, fold(ln.text)) or is_name_line(without_specks(ln.text))
        ):  # fmt: skip
            in_note = False
        (notes if in_note else kept).append(ln)
    return kept, notes


KEPT_SHARE = 0.5  # a closing line whose words the closing's fields hold less than this: lost


def unkept_lines(
    lines: list[SrcLine], recipients: list[str], signature: dict | None, others: list[dict]
) -> list[SrcLine]:
    """The closing lines the parsed closing does not hold (`parse_closing`'s recipients,
    signature and other signatures): what follows a signature that no rule reads (an annex
    with no note, a list, a sentence under the name) is the paper's text, not lost. Above
    the signer's name a line is held when KEPT_SHARE of its words are (a row of two
    columns mixes recipients and a title); below it, only when every word is (a list's
    "1. Ông Nguyễn Văn Bình, Chủ tịch UBND xã - Trưởng ban;" repeats the signer's name and
    is text). A line holding only a signature's marks (`_signature_mark`: "(Đã ký)",
    specks), a signer's title or the recipients' label alone is no text."""
    kept_text = recipients + [line for sig in [signature or {}, *others]
                              for _, line in signature_lines(sig)]  # fmt: skip
    kept = {w for text in kept_text for w in _WORD.findall(fold(text))}
    signer = squash(fold((signature or {}).get("name") or "")) or None
    named = [k for k, ln in enumerate(lines) if signer and signer in squash(fold(ln.text))]
    below_from = named[0] + 1 if named else len(lines)
    lost = []
    for k, ln in enumerate(lines):
        text = without_specks(ln.text)
        words = _WORD.findall(fold(text))
        if not words or _signature_mark(text) or is_separator(text) or is_signer_title(text):
            continue  # a title the parse placed elsewhere or not at all is no body text
        label = _recipients_label(text, fold(text))
        if label is not None and not text[label.end() :].strip():
            continue
        share = 1.0 if k >= below_from else KEPT_SHARE
        if sum(w in kept for w in words) < share * len(words):
            lost.append(ln)
    return lost


def signature_lines(sig: dict) -> list[tuple[str, str]]:
    """A signature block of the tree as the page prints it: (key, line) pairs, key one of
    "authority", "title", "name" or "text". A confirming office's block prints its caption
    (the authority's first line, or its title when it has none), then what it certifies
    and its place and date (written out, `dates.dated_line`), then the rest of its
    authority, its title and its name. Empty parts print nothing."""
    lines = [(key, line) for key in ("authority", "title", "name")
             for line in str(sig.get(key) or "").split("\n") if line.strip()]  # fmt: skip
    certified = [("text", line) for line in sig.get("text") or []]
    if dated := dated_line(sig.get("place"), sig.get("date")):
        certified.append(("text", dated))
    return lines[:1] + certified + lines[1:]


def _split_glued_luu(items: list[str]) -> list[str]:
    """The "Lưu: ..." item split off the item OCR glued it to."""
    out = []
    for item in items:
        m = filing_line.GLUED_LABEL.search(fold(item))
        if m is None:
            out.append(item)
            continue
        out += [item[: m.start() + 1], "Lưu: " + item[m.end() :].strip()]
    return out


_CAPS_SPECK = re.compile(r"(?<=[A-ZĐ])[\'`‘’\"“”](?=[A-ZĐ])")
_WORD_SPECK = re.compile(r"(?:(?<=\s)|^)['`‘’](?=[^\W\d_])")
# "(b/c)" and "(để b/c)" as OCR reads them: "(b/©)", "(để b/e)", "(để b/)"
_FOR_REPORT = re.compile(r"\(\s*(để\s+)?b\s*[/íìil|(]{1,2}\s*[cCeé©€]?\s*\)")


_INNER_SEMICOLON = re.compile(r";(?=\s+\S)")


COMMA_ITEMS = 3  # items before the last, all ending in ",": typed so, not misread


def _item_punctuation(items: list[str], ocr: bool = False) -> list[str]:
    """The recipients list's own marks where OCR misread them: every item but the last
    ends with ";" (an item never ends with ":" or ","), the last ("Lưu: VT.") with "."
    (not ","), "(b/c)" read "(b/©)", "(b/€)", "(b/C)", "(b/)" or "(bí(c)" is "(b/c)", a quote
    read inside an abbreviation ("PCT”T") is a speck, and "Lưu: VL VP." is "Lưu: VT,
    VP." (VT, the registry, is the first code after "Lưu:"). On OCR pages (`ocr`) a ";"
    inside an item is a "," OCR misread ("HĐQT; BKS HTX;"): each item has its own dash
    line and ends with the one ";"."""
    out = []
    # typed text that ends every item but the last with a comma does so on purpose (a
    # Đảng document's way); on OCR pages a comma may be a misread ";", but not on every
    # one of COMMA_ITEMS items at least
    commas_typed = len(items) > (COMMA_ITEMS if ocr else 1) and all(
        it.endswith(",") for it in items[:-1]
    )
    for k, item in enumerate(items):
        if ocr:
            item = _INNER_SEMICOLON.sub(",", item)
        item = _FOR_REPORT.sub(lambda m: f"({m.group(1) or ''}b/c)", item)
        item = _WORD_SPECK.sub("", item)  # "Đoàn 'Thanh niên": no word opens with a quote
        item = _CAPS_SPECK.sub("", item)  # "NVY”T": no quote stands inside an abbreviation
        if k == len(items) - 1 and ocr:
            item = filing_line.mend_item(item)  # "1u: TYT.", "=Lưu: TYT.", "Lưu: VT,NN."
        if k == len(items) - 1 and (m := filing_line.ITEM_REGISTRY_MISREAD.match(item)):
            # "Lưu: VT, TCKT.": the file copy goes to văn thư first; OCR reads VT, as
            # "VL", "VI,", "VE" or "VF"
            rest = m.group(3).strip()
            item = f"{m.group(1)}VT, {rest}" if rest else f"{m.group(1)}VT{m.group(2)}"
        # an item's closing ";" or "." read as "," or ":" is mended, unless typed text
        # ends every item but the last with a comma: that is its own way (a Đảng
        # document's), not a misread
        if not commas_typed and k < len(items) - 1 and item.endswith((":", ",")):
            item = item[:-1] + ";"
        elif not commas_typed and k == len(items) - 1 and len(items) > 1 and item.endswith(","):
            item = item[:-1] + "."
        out.append(item)
    return out
