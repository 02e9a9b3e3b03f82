"""Probe how well restoration reads invented personal names whose marks OCR lost.

Two sets of invented names and sentence frames: ``tuning`` (men's and women's names after
Ông/Bà, four-word names, names after "đồng chí", ALL-CAPS signature names read by the
Vietnamese model with their marks dropped) and ``heldout`` (other names and frames,
written before the name prior was tuned and scored once at the end). Prints JSON: the
share of name syllables restored right per kind, the commonest errors, and how many
correctly accented names restoration changed (it must change none).

Usage: .venv/bin/python scripts/probe_person_names.py [--set tuning|heldout]
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from collections import Counter

from ocr_pipeline import restore as R

SETS = {
    "tuning": {
        "seed": 7,
        "sur": "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh "
        "Trịnh Đào Mai",
        "mid_m": "Văn Hữu Đức Công Quang Minh Xuân Thanh Ngọc Đình",
        "mid_f": "Thị Thị Thị Ngọc Thu Thanh Kim Mỹ Thúy Hồng",
        "giv_m": "Hùng Dũng Tuấn Thắng Cường Hải Sơn Long Nam Quân Trung Hiếu Tùng Phúc Lợi "
        "Bình Toàn Khánh Đạt Huy",
        "giv_f": "Lan Hương Hoa Mai Hằng Thảo Trang Nhung Thủy Yến Loan Hạnh Liên Phương Dung "
        "Ngân Hà Vân Oanh Huyền",
        "frames": [
            "{t} {n}, cán bộ phường, đã hoàn thành xuất sắc nhiệm vụ.",
            "Giao đồng chí {n} chủ trì, phối hợp với các đơn vị liên quan.",
            "Khen thưởng {t_low} {n}, công chức văn phòng, vì thành tích xuất sắc.",
        ],
        "caps_head": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n",
    },
    "heldout": {
        "seed": 1234,
        "sur": "Nguyễn Trần Lê Phạm Hoàng Phan Vũ Võ Đặng Bùi Đỗ Ngô Dương Lương Trương Lâm "
        "Tạ Cao Đoàn Hà",
        "mid_m": "Văn Hữu Đức Bá Quốc Trọng Tiến Mạnh Viết Duy",
        "mid_f": "Thị Thị Thị Thanh Bích Diệu Phương Minh Thùy Lệ",
        "giv_m": "Chiến Thành Vinh Hưng Đông Hòa Thịnh Nghĩa Kiên Tâm Khoa Lâm Định Tài Thái "
        "Vũ Lực Tiến Sáng Đức",
        "giv_f": "Linh Nga Thư Hiền Chi Ánh Nhàn Quyên Tuyết Diệp Dương Thoa Uyên Xuân Cúc "
        "Duyên Giang My Tâm Trâm",
        "frames": [
            "Theo đề nghị của {t_low} {n}, trưởng thôn, Ủy ban nhân dân xã thống nhất.",
            "Cử đồng chí {n} tham gia đoàn kiểm tra của huyện.",
            "Danh sách gồm {t_low} {n} và các hộ gia đình khác trong khu dân cư.",
        ],
        "caps_head": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n",
    },
}


def deaccent(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", s.replace("đ", "d").replace("Đ", "D"))


def make_names(spec: dict, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, title, name) for 150 three-word names, 40 four-word, 40 ALL-CAPS."""
    sur, mm, mf = spec["sur"].split(), spec["mid_m"].split(), spec["mid_f"].split()
    gm, gf = spec["giv_m"].split(), spec["giv_f"].split()
    out = []
    for i in range(150):
        male = i % 2 == 1
        mid, giv = (mm, gm) if male else (mf, gf)
        name = f"{rng.choice(sur)} {rng.choice(mid)} {rng.choice(giv)}"
        out.append(("men" if male else "women", "Ông" if male else "Bà", name))
    for i in range(40):
        male = i % 2 == 1
        mid, giv = (mm, gm) if male else (mf, gf)
        name = f"{rng.choice(sur)} {rng.choice(mid)} {rng.choice(mid + giv)} {rng.choice(giv)}"
        out.append(("four_words", "Ông" if male else "Bà", name))
    for i in range(40):
        male = i % 2 == 1
        mid, giv = (mm, gm) if male else (mf, gf)
        out.append(("caps", "", f"{rng.choice(sur)} {rng.choice(mid)} {rng.choice(giv)}"))
    return out


def restored_name(text: str, name: str, channel: str, marker: str) -> list[str]:
    """The restored words where the name stands: after `marker`'s words, or the last line."""
    out = R.restore_text(text, channel=channel)
    if not marker:
        return out.strip().splitlines()[-1].split()
    skip = len(marker.split())
    return [w.strip(",.") for w in out.split()[skip : skip + len(name.split())]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=sorted(SETS), default="tuning")
    args = ap.parse_args(argv)
    spec = SETS[args.set]
    rng = random.Random(spec["seed"])
    ok: Counter[str] = Counter()
    tot: Counter[str] = Counter()
    bad: Counter[tuple[str, str]] = Counter()
    changed = checked = 0
    changes: Counter[str] = Counter()
    for k, (kind, title, name) in enumerate(make_names(spec, rng)):
        if kind == "caps":
            up = name.upper()
            text, channel, marker = spec["caps_head"] + deaccent(up) + "\n", "vie", ""
            want = up.split()
            accented = spec["caps_head"] + up + "\n"
        else:
            frame = spec["frames"][k % len(spec["frames"])]
            filled = frame.format(t=title, t_low=title.lower(), n=name)
            marker = frame.split("{n}")[0].format(t=title, t_low=title.lower())
            text, channel, want = deaccent(filled), "eng", name.split()
            marker = deaccent(marker)
            accented = filled
        got = restored_name(text, name, channel, marker)
        for g, w in zip(got, want, strict=False):
            tot[kind] += 1
            ok[kind] += g == w
            if g != w:
                bad[(w, g)] += 1
        for ch in ("auto", "eng") if kind != "caps" else ("auto", "vie"):
            checked += 1
            again = R.restore_text(accented, channel=ch)
            changed += again != accented
            diff = [f"{a}->{b}" for a, b in zip(accented.split(), again.split(), strict=False)]
            changes.update(f"{ch}:{d}" for d in diff if d.split("->")[0] != d.split("->")[1])
    report = {
        "set": args.set,
        "name_syllables": {k: round(ok[k] / tot[k], 3) for k in tot},
        "all": round(sum(ok.values()) / sum(tot.values()), 3),
        "accented_texts_changed": f"{changed} of {checked}",
        "accented_changes": [f"{d} x{n}" for d, n in changes.most_common(12)],
        "errors": [f"{w}->{g} x{n}" for (w, g), n in bad.most_common(25)],
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
