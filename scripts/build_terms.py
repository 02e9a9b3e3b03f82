"""Build dictionaries/terms.tsv: hand-written administrative phrases + frequent corpus n-grams.

The hand-written phrases (HAND below, weight HAND_WEIGHT) are kept as they are. To them are
added the most frequent lowercase syllable bigrams and trigrams of the legal training text
(scripts/corpus.py: held-out documents excluded), restricted to valid syllables, each
with a small weight (0.3-0.8, by rank). The decoder adds a term's weight (natural-log
units) for each neighbouring pair of its syllables that it chooses.

Usage: .venv/bin/python scripts/build_terms.py [--top 3000] [--max-lines 400000]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parent.parent

import corpus  # noqa: E402

from ocr_pipeline.restore.orthography import (  # noqa: E402
    is_valid_syllable,
    normalize_tone_placement,
)

OUT = REPO / "dictionaries" / "terms.tsv"
HAND_WEIGHT = 2.5  # strong: the domain is ward and commune reports (tuned on DEV)
HAND = """
Ủy ban nhân dân; Hội đồng nhân dân; Mặt trận Tổ quốc Việt Nam; Ban Thường vụ; Ban Chấp hành;
Đảng ủy; Đảng bộ; cấp ủy đảng; Thường trực; Chủ tịch; Phó Chủ tịch; Bí thư; Phó Bí thư;
chính quyền; đoàn thể; chính trị - xã hội; kinh tế - xã hội; quốc phòng - an ninh;
an ninh chính trị; trật tự an toàn xã hội; thủ tục hành chính; cải cách hành chính;
đơn vị hành chính; địa giới hành chính; sắp xếp; sáp nhập; thi đua; khen thưởng;
phong trào thi đua; công tác thi đua, khen thưởng; nhiệm vụ trọng tâm; giai đoạn;
nhiệm kỳ; Đại hội Đảng bộ; nghị quyết; Nghị quyết; quyết định; Nghị định; Thông tư; Chỉ thị;
Quốc hội; Chính phủ; Thủ tướng Chính phủ; Bộ Chính trị; Tỉnh ủy; Thành ủy; Huyện ủy;
Nhân dân; cán bộ, công chức, viên chức; đảng viên; người lao động; doanh nghiệp;
ngân sách nhà nước; tổng giá trị sản xuất; thu nhập bình quân đầu người; nông thôn mới;
văn hóa; gia đình văn hóa; đô thị văn minh; phát triển bền vững; chuyển đổi số;
công nghệ thông tin; dịch vụ công trực tuyến; giải phóng mặt bằng; bảo vệ môi trường;
phòng, chống; thiên tai; tìm kiếm cứu nạn; Cộng hòa xã hội chủ nghĩa Việt Nam;
Độc lập - Tự do - Hạnh phúc; báo cáo; kế hoạch; tờ trình; công văn; nơi nhận;
trên địa bàn; tổ chức thực hiện; triển khai thực hiện; hiệu quả; kịp thời; đúng quy định;
theo quy định; quy định của pháp luật; điển hình tiên tiến; người tốt, việc tốt;
học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; dân vận khéo;
Trung ương; trực tuyến; hộ kinh doanh; trung tâm hành chính; y tế; giáo dục;
các phường; các xã; phường, xã; xã, phường; các phường, xã; các cấp; các ngành;
cấp xã; cấp tỉnh; cấp huyện; địa phương; tổ dân phố; khu dân cư; thôn, bản;
Chi cục; Cục Thuế; Chi cục Thuế; Ban Chỉ huy Quân sự; Ban Chỉ huy; Trạm Khuyến nông;
Trung tâm Khuyến nông
"""
_SYL = regex.compile(r"[\p{L}]+")


def hand_terms() -> list[str]:
    out = []
    for part in HAND.replace("\n", " ").split(";"):
        term = " ".join(part.split())
        if len(term.split()) >= 2:
            out.append(term)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=3000)
    ap.add_argument("--max-lines", type=int, default=400_000)
    args = ap.parse_args(argv)
    counts: Counter[tuple[str, ...]] = Counter()
    n = 0
    for _source, line in corpus.iter_training_lines(("congbao", "vlc_laws")):
        for chunk in regex.split(r"[.,;:!?()\"“”]", line.lower()):
            syl = _SYL.findall(chunk)
            ok = [is_valid_syllable(s) for s in syl]
            for i in range(len(syl) - 1):
                if ok[i] and ok[i + 1]:
                    counts[(syl[i], syl[i + 1])] += 1
                    if i + 2 < len(syl) and ok[i + 2]:
                        counts[(syl[i], syl[i + 1], syl[i + 2])] += 1
        n += 1
        if n >= args.max_lines:
            break
    rows = [(t, HAND_WEIGHT) for t in hand_terms()]
    seen = {t.lower() for t, _ in rows}
    top = [g for g, c in counts.most_common(args.top * 2) if c >= 20][: args.top]
    for rank, gram in enumerate(top):
        term = " ".join(normalize_tone_placement(s) for s in gram)
        if term in seen:
            continue
        seen.add(term)
        rows.append((term, round(0.8 - 0.5 * rank / max(len(top), 1), 2)))
    lines = [
        "term\tweight",
        f"# hand-written phrases ({HAND_WEIGHT}), then frequent legal-text n-grams",
    ]
    lines += [f"{t}\t{w}" for t, w in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} terms ({len(hand_terms())} hand-written) from {n} lines to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
