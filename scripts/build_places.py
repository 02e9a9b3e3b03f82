"""Build dictionaries/places.tsv (Vietnamese provinces, districts, wards) from vietnamadminunits.

`vietnamadminunits` (PyPI) ships an SQLite table of the administrative units before and
after the 2025 merger. It is needed only to rebuild the TSV, never at run time:

    .venv/bin/pip install vietnamadminunits && .venv/bin/python scripts/build_places.py

Columns: name (short name, NFC, e.g. "Uông Bí"), kind (province/district/ward, the most
general kind it is known as), province (short name). Sorted, one name per line.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "dictionaries" / "places.tsv"
RANK = {"province": 0, "district": 1, "ward": 2}


def main() -> int:
    try:
        import vietnamadminunits
    except ImportError:
        sys.exit("pip install vietnamadminunits first (needed only to build places.tsv)")
    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    places: dict[str, tuple[str, str]] = {}

    def add(name: str | None, kind: str, province: str) -> None:
        if not name:
            return
        name = re.sub(r"\s*\(.*?\)", "", name)
        name = unicodedata.normalize("NFC", " ".join(name.split()))
        if name.isdigit():
            return
        old = places.get(name)
        if old is None or RANK[kind] < RANK[old[0]]:
            places[name] = (kind, province)

    for prov, ward in con.execute("select provinceShort, wardShort from admin_units"):
        add(prov, "province", prov)
        add(ward, "ward", prov)
    for prov, dist, ward in con.execute(
        "select provinceShort, districtShort, wardShort from admin_units_legacy"
    ):
        add(prov, "province", prov)
        add(dist, "district", prov)
        add(ward, "ward", prov)
    lines = ["name\tkind\tprovince"]
    lines += [f"{n}\t{k}\t{p}" for n, (k, p) in sorted(places.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(places)} places to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
