"""Learn the OCR character-confusion tables from aligned (source line, OCR line) pairs.

Input: the pairs TSV written by scripts/make_ocr_pairs.py (columns page, line, source, ocr).
Output: ocr_pipeline/data/confusion_{eng,vie}.tsv, read by ocr_pipeline.restore.channel.

Method: lines are aligned with rapidfuzz (Levenshtein opcodes) to pair each source
whitespace token with the OCR token covering it; unique token pairs are then aligned
character by character with the channel's own weighted DP (hard EM, a few passes), each
source character emitting 0, 1 or 2 OCR characters plus insertions. Conditional
probabilities P(ocr | source char) are smoothed by backing off to the pooled behaviour of
the source char's base-letter class (all of o, ó, ô, ộ, ơ ... share one class, with "itself"
as a class-level outcome), so rare letters still get sensible rows.

``vie_caps`` is the table the decoder uses for ALL-CAPS tokens of vie OCR (Tesseract swaps
and drops the marks of capitals far more often); its repo copy was built with
``build_confusion.py vie_caps`` from ``make_ocr_pairs.py --caps`` pairs (see there).

Usage: .venv/bin/python scripts/build_confusion.py eng|vie|vie_caps [--pairs PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent

from ocr_pipeline.fileio import write_atomic  # noqa: E402
from ocr_pipeline.restore.channel import EPS, OTHER, Channel, parse_table, skeleton_char  # noqa: E402
from ocr_pipeline.restore.orthography import strip_tone  # noqa: E402

SCRATCH = REPO.parent / "scratch" / "channel"
SELF = "\x00self"  # class-level outcomes: the character itself,
NOTONE = "\x00notone"  # the character without its tone mark,
BASE = "\x00base"  # its base letter
ALPHABET_SIZE = 200  # nominal number of possible single-character OCR outputs
A_LETTER = 20.0  # weight of the tone-class back-off in a letter's row
A_TONE = 20.0  # weight of the base-letter-class back-off in a tone class
BETA = 1.0  # weight of the prior inside a base-letter class
PASSES = 3
OTHER_FLOOR = 0.002  # least total probability of the unlisted single-character outputs
SAME_BASE_FLOOR = 2e-4  # least P(o | c) for o sharing c's base letter (ộ -> ô, ả -> a, đ -> d)
# Capitals on real scans lose their marks far more often than our rendered pages show: the
# least P(o | c) when o is c with marks lost (a swap, Â -> Ạ, keeps SAME_BASE_FLOOR)
# ("YÊU CẦU" read "YEU CAU"); tuned on the DEV caps sets (scripts/bench_restore.py)
CAPS_LOSS_FLOOR = 1e-2

_TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
_VOWELS = "aăâeêioôơuưy"
_CONSONANTS = "bcdđghklmnpqrstvxfjwz"


def vietnamese_letters() -> list[str]:
    """All lowercase Vietnamese letters (vowels with every tone, consonants), NFC."""
    out = list(_CONSONANTS)
    for v in _VOWELS:
        for t in _TONES:
            out.append(unicodedata.normalize("NFC", v + t))
    return out


def read_pairs(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        si, oi = header.index("source"), header.index("ocr")
        for ln in fh:
            parts = ln.rstrip("\n").split("\t")
            if len(parts) > max(si, oi):
                yield parts[si], parts[oi]


def token_pairs(source: str, ocr: str) -> list[tuple[str, str]]:
    """Pair each whitespace token of `source` with the OCR token aligned to it (1:1 only).

    Both sides are NFC and lowercased; tokens that OCR split or merged are dropped.
    """
    src = unicodedata.normalize("NFC", source).lower()
    out = unicodedata.normalize("NFC", ocr).lower()
    src, out = " ".join(src.split()), " ".join(out.split())
    if not src or not out:
        return []
    pos = [0] * (len(src) + 1)
    for op in Levenshtein.opcodes(src, out):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            for t in range(i2 - i1):
                pos[i1 + t] = j1 + t
        elif tag == "replace":
            for t in range(i2 - i1):
                pos[i1 + t] = j1 + (t * (j2 - j1)) // (i2 - i1)
        elif tag == "delete":
            for t in range(i1, i2):
                pos[t] = j1
    pos[len(src)] = len(out)
    pairs = []
    start = 0
    for tok in src.split(" "):
        a, b = start, start + len(tok)
        start = b + 1
        oa, ob = pos[a], pos[b]
        seg = out[oa:ob]
        # the OCR token must be whole: whitespace (or line edge) on both sides, none inside
        if oa > 0 and out[oa - 1] != " " and not seg.startswith(" "):
            continue
        seg = seg.strip(" ")
        if not seg or " " in seg:
            continue
        end = oa + len(out[oa:ob].rstrip(" "))
        if end < len(out) and out[end] != " ":
            continue
        pairs.append((tok, seg))
    return pairs


def initial_channel() -> Channel:
    """Pass-0 costs: mostly identity, same-base-letter substitutions cheaper than others."""
    emit: dict[str, dict[str, float]] = {}
    letters = vietnamese_letters()
    for c in letters:
        row = {c: math.log(0.9), "": math.log(1e-3)}
        for c2 in letters:
            if c2 != c and skeleton_char(c2) == skeleton_char(c):
                row[c2] = math.log(5e-3)
        emit[c] = row
    other = {c: math.log(1e-4) for c in letters}
    return Channel(
        name="init",
        emit=emit,
        other=other,
        insert={},
        insert_other=math.log(1e-3),
        no_insert=math.log(1 - 1e-3),
    )


def align_counts(
    channel: Channel, pairs: Counter[tuple[str, str]], seed_two_char: bool
) -> tuple[Counter[tuple[str, str]], Counter[str], int]:
    """Viterbi-align every unique token pair; count emissions, insertions and gaps."""
    emissions: Counter[tuple[str, str]] = Counter()
    insertions: Counter[str] = Counter()
    gaps = 0
    for (src, ocr), n in pairs.items():
        ops = channel.align(ocr, src)
        gaps += n * (len(src) + 1)
        prev: tuple[str, str] | None = None
        for c, o in ops:
            if c:
                emissions[(c, o)] += n
            else:
                insertions[o] += n
                if seed_two_char and prev is not None and len(prev[1]) == 1:
                    emissions[(prev[0], prev[1] + o)] += n  # candidate 1->2 emission
            prev = (c, o) if c else None
    return emissions, insertions, gaps


def _relabel(c: str, o: str) -> str:
    """Class-level outcome: "itself", "itself without tone", "its base letter", or o."""
    if o == c:
        return SELF
    if o == strip_tone(c):
        return NOTONE
    if o == skeleton_char(c):
        return BASE
    return o


def _unlabel(c: str, key: str) -> str:
    return {SELF: c, NOTONE: strip_tone(c), BASE: skeleton_char(c)}.get(key, key)


def _marks(ch: str) -> set[str]:
    """The marks of one letter: its combining characters, and a stroke for đ."""
    out = {c for c in unicodedata.normalize("NFD", ch) if unicodedata.combining(c)}
    return out | {"stroke"} if ch in "đĐ" else out


def loses_marks(c: str, o: str) -> bool:
    """`o` is `c` with some of its marks lost and none added ("ầ" -> "â", "à", "a")."""
    return o != c and skeleton_char(o) == skeleton_char(c) and _marks(o) < _marks(c)


def estimate(
    emissions: Counter[tuple[str, str]],
    insertions: Counter[str],
    gaps: int,
    min_source_count: int = 5,
    loss_floor: float = SAME_BASE_FLOOR,
) -> list[tuple[str, str, int, float]]:
    """Smoothed log P(o | c) rows (plus insertion rows) from alignment counts.

    Back-off chain for a letter c: its own counts -> its tone class (ầ, ấ, ậ ... pool as â)
    -> its base-letter class (all a-letters) -> a prior; outcomes are pooled relative to
    the letter ("itself", "itself without tone", "its base letter") so e.g. "drops the
    tone" learned on ấ also applies to ẫ.
    """
    by_src: dict[str, Counter[str]] = defaultdict(Counter)
    for (c, o), n in emissions.items():
        by_src[c][o] += n
    tone_cls: dict[str, Counter[str]] = defaultdict(Counter)
    base_cls: dict[str, Counter[str]] = defaultdict(Counter)
    for c, row in by_src.items():
        if not c.isalpha():
            continue
        for o, n in row.items():
            tone_cls[strip_tone(c)][_relabel(c, o)] += n
            base_cls[skeleton_char(c)][_relabel(c, o)] += n
    letters = vietnamese_letters()
    sources = sorted(
        set(letters) | {c for c, r in by_src.items() if sum(r.values()) >= min_source_count}
    )
    rows: list[tuple[str, str, int, float]] = []
    for c in sources:
        row = by_src.get(c, Counter())
        nc = sum(row.values())
        alpha = c.isalpha()
        tc = tone_cls.get(strip_tone(c), Counter()) if alpha else Counter()
        bc = base_cls.get(skeleton_char(c), Counter()) if alpha else Counter()
        ntc, nbc = sum(tc.values()), sum(bc.values())

        def prob(
            o: str,
            row: Counter[str] = row,
            nc: int = nc,
            tc: Counter[str] = tc,
            bc: Counter[str] = bc,
            ntc: int = ntc,
            nbc: int = nbc,
            c: str = c,
        ) -> float:
            uniform = 1.0 / ALPHABET_SIZE if len(o) == 1 else 0.0
            prior = 0.9 if o == c else 0.1 * uniform
            key = _relabel(c, o) if c.isalpha() else o
            p_base = (bc.get(key, 0) + BETA * prior) / (nbc + BETA)
            p_tone = (tc.get(key, 0) + A_TONE * p_base) / (ntc + A_TONE)
            return (row.get(o, 0) + A_LETTER * p_tone) / (nc + A_LETTER)

        outputs = set(row) | {c}
        outputs |= {_unlabel(c, k) for k in tc} | {_unlabel(c, k) for k in bc}
        same_base = [o for o in letters if o != c and skeleton_char(o) == skeleton_char(c)]
        if alpha:
            outputs |= set(same_base) | {skeleton_char(c)}
        listed = []
        for o in sorted(outputs):
            p = prob(o)
            if o in same_base or (o == skeleton_char(c) and o != c):
                p = max(p, SAME_BASE_FLOOR)  # marks misread: rare on clean pages, not on scans
                if loses_marks(c, o):
                    p = max(p, loss_floor)  # marks lost (capitals: "YÊU" -> "YEU")
            if row.get(o, 0) > 0 or p >= 1e-4 or o == c:
                listed.append((o, row.get(o, 0), p))
        # unseen substitutions: scans misread in ways clean synthetic pages never show
        p_other = max(prob("\x01"), OTHER_FLOOR / ALPHABET_SIZE)
        n_single = sum(1 for o, _, _ in listed if len(o) == 1)
        norm = sum(p for _, _, p in listed) + (ALPHABET_SIZE - n_single) * p_other
        for o, n, p in listed:
            rows.append((c, o if o else EPS, n, math.log(p / norm)))
        rows.append((c, OTHER, 0, math.log(p_other / norm)))
    n_ins = sum(insertions.values())
    gaps = max(gaps, 1)
    rows.append((EPS, EPS, gaps - n_ins, math.log(max(1e-9, 1 - n_ins / gaps))))
    for o, n in sorted(insertions.items()):
        if n >= 2:
            rows.append((EPS, o, n, math.log(n / gaps)))
    rows.append((EPS, OTHER, 0, math.log(0.5 / gaps)))
    return rows


def format_table(rows: Iterable[tuple[str, str, int, float]], comment: str) -> str:
    lines = ["source\tocr\tcount\tlogprob", f"# {comment}"]
    for c, o, n, lp in rows:
        if "\t" in c + o or "\n" in c + o:
            continue
        lines.append(f"{c}\t{o}\t{n}\t{lp:.5g}")
    return "\n".join(lines) + "\n"


def build(
    pairs_paths: list[Path], name: str, loss_floor: float = SAME_BASE_FLOOR
) -> tuple[str, Counter[tuple[str, str]]]:
    tok_pairs: Counter[tuple[str, str]] = Counter()
    for path in pairs_paths:
        for src, ocr in read_pairs(path):
            tok_pairs.update(token_pairs(src, ocr))
    channel = initial_channel()
    table = ""
    for p in range(PASSES):
        emissions, insertions, gaps = align_counts(channel, tok_pairs, seed_two_char=(p == 0))
        rows = estimate(emissions, insertions, gaps, loss_floor=loss_floor)
        comment = (
            f"channel {name}: {sum(tok_pairs.values())} token pairs "
            f"({len(tok_pairs)} unique) from {', '.join(x.name for x in pairs_paths)}, "
            f"hard-EM pass {p + 1}"
        )
        table = format_table(rows, comment)
        channel = parse_table(name, table)
    return table, tok_pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "name",
        choices=["eng", "vie", "vie_caps"],
        help="vie_caps: the table for ALL-CAPS tokens, from make_ocr_pairs.py "
        "--caps pairs (default: pairs_caps_{mild,legacy}_vie.tsv)",
    )
    ap.add_argument(
        "--pairs",
        type=Path,
        nargs="+",
        help="pairs TSV file(s); default: ../scratch/channel/pairs_NAME.tsv",
    )
    ap.add_argument("--out", type=Path, help="default: ocr_pipeline/data/confusion_NAME.tsv")
    ap.add_argument(
        "--loss-floor",
        type=float,
        help=f"least P(o | c) for o = c with marks lost (default {SAME_BASE_FLOOR}; "
        f"vie_caps: {CAPS_LOSS_FLOOR})",
    )
    args = ap.parse_args(argv)
    if args.pairs:
        pairs = args.pairs
    elif args.name == "vie_caps":
        pairs = [SCRATCH / f"pairs_caps_{d}_vie.tsv" for d in ("mild", "legacy")]
    else:
        pairs = [SCRATCH / f"pairs_{args.name}.tsv"]
    out = args.out or REPO / "ocr_pipeline" / "data" / f"confusion_{args.name}.tsv"
    floor = args.loss_floor or (CAPS_LOSS_FLOOR if args.name == "vie_caps" else SAME_BASE_FLOOR)
    table, tok_pairs = build(pairs, args.name, floor)
    write_atomic(out, table)
    n_tok = sum(tok_pairs.values())
    n_err = sum(n for (s, o), n in tok_pairs.items() if s != o)
    print(
        f"{out}: {table.count(chr(10)) - 2} rows; {n_tok} token pairs, "
        f"token error rate {n_err / max(n_tok, 1):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
