"""A document's date as Nghị định 30/2020 prints it: the one owner of writing an ISO date
back out ("2026-02-05" -> "ngày 05 tháng 02 năm 2026", `written_date`) and a place with
its date on one line ("Ea Sar, ngày 11 tháng 5 năm 2022", `dated_line`) for the outputs
that print a tree (the Markdown, the diff's structure-JSON reader). Reading dates is the
header's (`structure.header.parse_date`)."""

from __future__ import annotations

import re

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def written_date(iso: object) -> str | None:
    """2026-02-05 -> "ngày 05 tháng 02 năm 2026" (a zero before days 1-9 and months 1-2);
    anything else is returned as it is, None as None."""
    match = _ISO.fullmatch(str(iso or ""))
    if not match:
        return str(iso) if iso else None
    year, month, day = (int(g) for g in match.groups())
    written_month = f"{month:02d}" if month <= 2 else str(month)
    return f"ngày {day:02d} tháng {written_month} năm {year}"


def dated_line(place: object, iso: object) -> str | None:
    """A place and its date as a document prints them on one line ("Ea Sar, ngày 11
    tháng 5 năm 2022"); None when it has neither."""
    parts = [str(x) for x in (place, written_date(iso)) if x]
    return ", ".join(parts) or None


__all__ = ["dated_line", "written_date"]
