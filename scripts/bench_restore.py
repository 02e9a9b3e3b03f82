"""Benchmark diacritic restoration and print the figures as JSON (side by side with pyvi).

Sets (build the held-out ones first with scripts/make_restore_eval.py):

- ``eng_ocr_test``: held-out documents rendered and OCR'd with Tesseract ``eng`` (TEST split)
- ``vie_ocr_test``: the same pages OCR'd with Tesseract ``vie``
- ``legacy``: tests/data/restore_eval/legacy_part1.{ocr,gt}.txt (real legacy OCR, corrected by hand)
- ``legacy_dev``: ../shared/samples/legacy_ocr_report_part1{,.gt}.txt, the first 370 lines of
  the real legacy report with an independent line-for-line ground truth (the development
  set; the rest of the report is held out), restored whole with the default settings
  (``channel="auto"``, adaptation on), as ``ocr-pipeline restore`` does
- ``deaccented_test``: the TEST source lines with every mark removed
- ``handwritten_deaccented``: tests/data/restore_eval/handwritten.txt with every mark removed
- ``vie_caps_test``: short ALL-CAPS heading-like lines cut from the held-out TEST documents,
  rendered at 300 dpi and OCR'd with Tesseract ``vie`` (``make_restore_eval.py --caps``),
  each line restored on its own
- ``caps_dropped_test``: the same lines' truth with every mark removed from one syllable in
  three (deterministic), through the ``vie`` channel: the "YEU CAU" that real scans show
  and our renders rarely do

For each: syllable accuracy (syllables = letter runs, tone mark compared in the traditional
position; the output's and the truth's are aligned by edit distance; accuracy =
aligned-equal / truth syllables; ``accuracy`` is case-sensitive, ``accuracy_casefold``
not), CER (character edit distance / truth length), the same for the raw input, and pyvi
(``ViUtils.add_accents(ViUtils.remove_accents(input))``).
``unchanged``: the correct text fed through restoration with the set's channel, share of
syllables left as they were; ``unchanged_default``: the same with the default settings
(``channel="auto"``: what a developer calling ``restore_text(text)`` gets).
``confidence`` (legacy_dev and the eng/vie OCR pages): the low-confidence flag (word
confidence below ``restore.LOW_CONFIDENCE``) against the wrong words: recall (share of wrong
words flagged), precision (share of flagged words that are wrong), the same at other
thresholds (``sweep``), and how often the output word is not the one its own alternatives
rank first; ``at_recall_0.8``: the most precise flag "confidence <= at_most" that catches
80% of the wrong words (issue 12's aim: precision 0.6 there).
``speed.document``: syllables/s of ``restore_text`` on the whole legacy_dev text with the
default settings (adaptation included), CPU time of one core, first call (cold decoder
caches) and second call; ``adaptation_cost``: that time over the same call with
``adapt=False``. These run in a process that has restored every set before;
scripts/bench_restore_speed.py measures the first call of a fresh process (API and CLI),
the figures the speed aims are stated in.
``speed``: syllables/s restoring the eng TEST input on one core after loading (cold caches),
and with ``--batch`` on a large batch (all held-out text, marks removed; steady state);
load seconds, peak RSS (before pyvi is loaded).

``--split dev`` evaluates on the DEV split instead (what weights were tuned on);
``--tune`` runs a small grid search of decoder weights on DEV and prints the best;
``--tune-caps`` the same for the vie ALL-CAPS weights (decoder.DEFAULT_CAPS_WEIGHTS).

Usage: .venv/bin/python scripts/bench_restore.py [--split test|dev] [--tune] [--tune-caps]
       [--no-pyvi] [--batch]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import time
from collections import defaultdict
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from ocr_pipeline.restore import get_decoder, restore_text  # noqa: E402
from ocr_pipeline.restore.orthography import (  # noqa: E402
    normalize_tone_placement,
    strip_marks,
)

EVAL_DIR = REPO / "tests" / "data" / "restore_eval"
DEV_OCR = REPO.parent / "shared" / "samples" / "legacy_ocr_report_part1.txt"
DEV_GT = REPO.parent / "shared" / "samples" / "legacy_ocr_report_part1.gt.txt"
PAIRS = REPO / "build" / "restore_eval" / "pairs.tsv"
CAPS_PAIRS = REPO / "build" / "restore_eval" / "caps_pairs.tsv"
_SYL = regex.compile(r"[\p{L}\p{M}]+")


def syllables(text: str) -> list[str]:
    """Letter runs, tone mark re-placed traditionally (the corpus mixes hoà/hòa)."""
    return [normalize_tone_placement(s) for s in _SYL.findall(text)]


def score(outputs: list[str], truths: list[str]) -> dict:
    """Syllable accuracy (exact, casefolded) and CER of `outputs` against `truths`."""
    total = eq = eq_cf = chars = errs = 0
    for out, gt in zip(outputs, truths, strict=True):
        o, g = syllables(out), syllables(gt)
        ocf, gcf = [s.casefold() for s in o], [s.casefold() for s in g]
        total += len(g)
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ocf, gcf).as_list():
            if tag == "equal":
                eq_cf += i2 - i1
                eq += sum(1 for a, b in zip(o[i1:i2], g[j1:j2], strict=True) if a == b)
        chars += len(gt)
        errs += Levenshtein.distance(out, gt)
    return {
        "syllables": total,
        "accuracy": round(eq / max(total, 1), 4),
        "accuracy_casefold": round(eq_cf / max(total, 1), 4),
        "cer": round(errs / max(chars, 1), 4),
    }


def unchanged_rate(truths: list[str], restored: list[str]) -> float:
    same = total = 0
    for gt, out in zip(truths, restored, strict=True):
        g, o = syllables(gt), syllables(out)
        total += len(g)
        for tag, i1, i2, _j1, _j2 in Levenshtein.opcodes(g, o).as_list():
            if tag == "equal":
                same += i2 - i1
    return round(same / max(total, 1), 4)


def load_pairs(split: str) -> dict[str, tuple[list[str], list[str]]]:
    """{lang: (ocr pages, source pages)}: lines of one page joined by newlines."""
    if not PAIRS.exists():
        raise SystemExit(f"{PAIRS} missing: run scripts/make_restore_eval.py first")
    pages: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    with PAIRS.open(encoding="utf-8") as fh:
        next(fh)
        for ln in fh:
            sp, lang, _doc, page, line, src, ocr = ln.rstrip("\n").split("\t")
            if sp == split:
                pages[(lang, page)].append((int(line), src, ocr))
    out: dict[str, tuple[list[str], list[str]]] = {}
    for (lang, _page), rows in sorted(pages.items()):
        rows.sort()
        o, s = out.setdefault(lang, ([], []))
        o.append("\n".join(r[2] for r in rows))
        s.append("\n".join(r[1] for r in rows))
    return out


def load_caps(split: str) -> tuple[list[str], list[str]]:
    """(OCR lines, source lines) of the ALL-CAPS heading set for `split` ([] if not built)."""
    if not CAPS_PAIRS.exists():
        return [], []
    ocr, src = [], []
    with CAPS_PAIRS.open(encoding="utf-8") as fh:
        next(fh)
        for ln in fh:
            sp, _lang, _page, _line, s, o = ln.rstrip("\n").split("\t")
            if sp == split:
                ocr.append(o)
                src.append(s)
    return ocr, src


def drop_some_marks(line: str, every: int = 3) -> str:
    """Every `every`-th syllable of `line` (counting from the second) without its marks."""
    k = 0

    def sub(m: regex.Match) -> str:
        nonlocal k
        k += 1
        return strip_marks(m.group()) if k % every == 2 % every else m.group()

    return _SYL.sub(sub, line)


def restore_lines(pages: list[str], channel: str, fn=None) -> list[str]:
    fn = fn or (lambda t: restore_text(t, channel))
    return [fn(p) for p in pages]


def split_lines(pages: list[str]) -> list[str]:
    return [ln for p in pages for ln in p.split("\n")]


def build_sets(split: str) -> dict[str, dict]:
    pairs = load_pairs(split)
    sets: dict[str, dict] = {}
    for lang in ("eng", "vie"):
        if lang in pairs:
            ocr, src = pairs[lang]
            sets[f"{lang}_ocr_{split}"] = {"channel": lang, "input": ocr, "truth": src}
    if "eng" in pairs:
        src = pairs["eng"][1]
        sets[f"deaccented_{split}"] = {
            "channel": "eng",
            "input": [strip_marks(p) for p in src],
            "truth": src,
        }
    caps_ocr, caps_src = load_caps(split)
    if caps_src:
        sets[f"vie_caps_{split}"] = {"channel": "vie", "input": caps_ocr, "truth": caps_src}
        sets[f"caps_dropped_{split}"] = {
            "channel": "vie",
            "input": [drop_some_marks(t) for t in caps_src],
            "truth": caps_src,
        }
    if split == "test":
        gt = (EVAL_DIR / "legacy_part1.gt.txt").read_text(encoding="utf-8")
        oc = (EVAL_DIR / "legacy_part1.ocr.txt").read_text(encoding="utf-8")
        sets["legacy"] = {"channel": "eng", "input": [oc], "truth": [gt]}
        hw = (EVAL_DIR / "handwritten.txt").read_text(encoding="utf-8")
        sets["handwritten_deaccented"] = {
            "channel": "eng",
            "input": [strip_marks(hw)],
            "truth": [hw],
        }
        if DEV_OCR.exists() and DEV_GT.exists():
            sets["legacy_dev"] = {
                "channel": "auto",
                "input": [DEV_OCR.read_text(encoding="utf-8")],
                "truth": [DEV_GT.read_text(encoding="utf-8")],
            }
    return sets


CONFIDENCE_SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
# issue 12's aim for the flag: this share of the wrong words flagged at precision >= 0.6
AIM_RECALL = 0.8


def at_recall(scored: list[tuple[float, bool]], recall: float = AIM_RECALL) -> dict:
    """The best the flag can do at `recall` on `scored` ((confidence, wrong) of each word):
    among the flags "confidence <= t" that catch at least that share of the wrong words,
    the most precise one, as its t (``at_most``), words flagged and precision (every
    field None when there is no wrong word)."""
    wrong = sum(w for _c, w in scored)
    best = {"at_most": None, "flagged": None, "precision": None}
    if not wrong:
        return best
    ordered = sorted(scored, key=lambda t: t[0])
    hits = 0
    for n, (c, w) in enumerate(ordered, 1):
        hits += w
        if n < len(ordered) and ordered[n][0] == c:
            continue  # words of one confidence are flagged together
        if hits >= recall * wrong and (best["precision"] is None or hits / n > best["precision"]):
            best = {"at_most": round(c, 4), "flagged": n, "precision": round(hits / n, 3)}
    return best


def confidence_flags(docs: list[tuple[str, str, str]]) -> dict:
    """The low-confidence flag against the wrong words of each (text, truth, channel) of
    `docs` restored (text and truth line-aligned): recall (share of wrong words flagged),
    precision (share of flagged words that are wrong) at ``restore.LOW_CONFIDENCE`` and at
    each threshold of CONFIDENCE_SWEEP (``sweep``), and the share of words whose output
    contradicts their own alternatives (another form ranked first)."""
    from ocr_pipeline.restore import LOW_CONFIDENCE, restore

    words: list[tuple[float, bool]] = []  # (confidence, wrong) of every output syllable
    contradicted = 0
    for text, truth, channel in docs:
        res = restore(text, channel)
        # confidence and "contradicted" of every character of the restored text
        conf: list[float] = []
        contra: list[bool] = []
        for tok in res.tokens:
            c, x = 1.0, False
            if tok.kind == "word":
                c = tok.confidence
                top = tok.alternatives[0][0].split("+")[0] if tok.alternatives else ""
                x = bool(top) and top != tok.text.lower()
            conf += [c] * len(tok.text)
            contra += [x] * len(tok.text)
        pos = 0
        for line, gt in zip(res.text.split("\n"), truth.split("\n"), strict=True):
            found = list(_SYL.finditer(line))
            o = [normalize_tone_placement(m.group()) for m in found]
            g = [normalize_tone_placement(x) for x in _SYL.findall(gt)]
            bad = set(range(len(o)))
            for tag, i1, i2, _j1, _j2 in Levenshtein.opcodes(
                [x.casefold() for x in o], [x.casefold() for x in g]
            ).as_list():
                if tag == "equal":
                    bad -= set(range(i1, i2))
            for i, m in enumerate(found):
                words.append((min(conf[pos + m.start() : pos + m.end()]), i in bad))
                contradicted += any(contra[pos + m.start() : pos + m.end()])
            pos += len(line) + 1
    wrong = sum(w for _c, w in words)

    def at(threshold: float) -> dict:
        flagged = sum(c < threshold for c, _w in words)
        hit = sum(c < threshold and w for c, w in words)
        return {
            "threshold": threshold,
            "flagged": flagged,
            "recall": round(hit / max(wrong, 1), 3),
            "precision": round(hit / max(flagged, 1), 3),
        }

    return {
        **at(LOW_CONFIDENCE),
        "words": len(words),
        "wrong": wrong,
        "contradicted": round(contradicted / max(len(words), 1), 4),
        "sweep": [at(t) for t in CONFIDENCE_SWEEP],
        f"at_recall_{AIM_RECALL}": at_recall(words),
    }


def document_speed(text: str) -> dict:
    """CPU syllables/s of restore_text on a whole document, default settings: first call
    after a fresh decoder (cold caches), second call; and adapt=False for the cost."""
    from ocr_pipeline import restore as R

    def cold() -> None:  # models stay loaded; every cache of candidates and scores is emptied
        R.get_decoder.cache_clear()
        for channel in ("eng", "vie"):
            R.get_decoder(channel).channel.clear_caches()
        R.restore_text("a", "eng")

    n = len(syllables(text))
    out = {"syllables": n}
    cold()
    for label in ("cold", "warm"):
        t0 = time.process_time()
        R.restore_text(text)
        out[f"syllables_per_second_{label}"] = round(n / (time.process_time() - t0))
    cold()
    t0 = time.process_time()
    R.restore_text(text, adapt=False)
    plain = time.process_time() - t0
    out["syllables_per_second_no_adapt_cold"] = round(n / plain)
    out["adaptation_cost"] = round(out["syllables"] / out["syllables_per_second_cold"] / plain, 2)
    return out


def evaluate(sets: dict[str, dict], fn_for=None) -> dict:
    res = {}
    for name, s in sets.items():
        fn = fn_for(s["channel"]) if fn_for else None
        out = restore_lines(s["input"], s["channel"], fn)
        res[name] = score(split_lines(out), split_lines(s["truth"]))
    return res


GRID = {
    "channel": (0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1.0, 1.3),
    "keep": (-6.0, -9.0, -12.0),
    "keep_valid_floor": (-0.5, -1.0, -2.5, -4.0, -6.0),
    "keep_ascii_floor": (None, -0.5, -1.5, -3.0),
    "term": (0.0, 0.5, 1.0, 2.0),
    "place": (0.0, 1.0, 2.0),
    "marker": (-3.0, -5.0, -8.0),
    "max_cands": (4, 6, 8, 10, 12, 16),
    "prune": (6.0, 10.0, 15.0),
}


def tune(split: str = "dev", rounds: int = 2) -> dict:
    """Coordinate search of decoder weights per channel on DEV (accuracy on the channel's
    OCR set, penalised when fewer than 99.5% of correct syllables are left unchanged)."""
    from ocr_pipeline.restore.decoder import Decoder

    sets = build_sets(split)
    result = {}
    for channel in ("eng", "vie"):
        base = get_decoder(channel)
        s = sets[f"{channel}_ocr_{split}"]
        truth = split_lines(s["truth"])

        def objective(w, s=s, truth=truth, base=base) -> tuple[float, float, float]:
            dec = Decoder(
                base.channel,
                base.lm,
                base.dicts,
                w,
                base.caps_channel,
                base.caps_w if base.caps_channel is not None else None,
            )
            out = split_lines([_restore_with(dec, p) for p in s["input"]])
            acc = score(out, truth)["accuracy"]
            kept = split_lines([_restore_with(dec, p) for p in s["truth"]])
            unch = unchanged_rate(truth, kept)
            return acc - 10 * max(0.0, 0.995 - unch), acc, unch

        grid = {k: v for k, v in GRID.items() if not (k == "keep_ascii_floor" and channel == "eng")}
        w, best = coordinate_search(base.w, grid, objective, rounds, label=channel)
        result[channel] = {"objective": best, "weights": dataclasses.asdict(w)}
    return result


def coordinate_search(w, grid: dict, objective, rounds: int, label: str):
    """Change one weight at a time to each value of its grid, keeping any change that
    raises objective(w)[0]; `rounds` passes. Prints each improvement as a JSON line."""
    best = objective(w)
    print(json.dumps({"for": label, "start": dataclasses.asdict(w), "objective": best}),
          flush=True)  # fmt: skip
    for _ in range(rounds):
        for name, values in grid.items():
            for v in values:
                if getattr(w, name) == v:
                    continue
                cand = dataclasses.replace(w, **{name: v})
                r = objective(cand)
                if r[0] > best[0] + 1e-4:
                    w, best = cand, r
                    print(json.dumps({"for": label, name: v, "objective": r}), flush=True)
    return w, best


CAPS_GRID = {
    "channel": (0.5, 0.7, 1.0, 1.3, 1.6, 2.0),
    "keep": (-6.0, -9.0, -12.0),
    "keep_valid_floor": (None, -0.5, -1.0, -2.0, -3.0, -4.0),
    "keep_ascii_floor": (None, -1.0, -2.0, -3.0, -4.0, -6.0),
    "max_cands": (6, 8, 12),
}


def tune_caps(split: str = "dev", rounds: int = 2) -> dict:
    """Coordinate search of the vie ALL-CAPS weights on DEV: accuracy on vie_caps (weight 2:
    real OCR) and caps_dropped (weight 1: synthetic), penalised when fewer than 99.95% of
    correct caps syllables stay unchanged."""
    from ocr_pipeline.restore.decoder import Decoder

    sets = build_sets(split)
    base = get_decoder("vie")
    if base.caps_channel is None:
        raise SystemExit("no ALL-CAPS table (ocr_pipeline/data/confusion_vie_caps.tsv)")
    real, dropped = sets[f"vie_caps_{split}"], sets[f"caps_dropped_{split}"]
    truth = real["truth"]

    def objective(cw) -> tuple[float, float, float, float]:
        dec = Decoder(base.channel, base.lm, base.dicts, base.w, base.caps_channel, cw)
        a1 = score([_restore_with(dec, p) for p in real["input"]], truth)["accuracy"]
        a2 = score([_restore_with(dec, p) for p in dropped["input"]], truth)["accuracy"]
        unch = unchanged_rate(truth, [_restore_with(dec, p) for p in truth])
        return (2 * a1 + a2) / 3 - 10 * max(0.0, 0.9995 - unch), a1, a2, unch

    w, best = coordinate_search(base.caps_w, CAPS_GRID, objective, rounds, label="vie caps")
    return {"objective": best, "weights": dataclasses.asdict(w)}


def _restore_with(dec, text: str) -> str:
    from ocr_pipeline.restore import _restore_piece_text

    return _restore_piece_text(text, dec)


def pyvi_fn():
    from pyvi import ViUtils

    def fn(text: str) -> str:
        return "\n".join(
            # remove_accents returns ASCII bytes on Python 3; add_accents wants str
            ViUtils.add_accents(ViUtils.remove_accents(ln).decode("ascii")) if ln.strip() else ln
            for ln in text.split("\n")
        )

    return fn


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    ap.add_argument("--tune", action="store_true", help="grid-search weights on DEV")
    ap.add_argument(
        "--tune-caps",
        action="store_true",
        help="grid-search the vie ALL-CAPS weights on DEV (vie_caps, caps_dropped)",
    )
    ap.add_argument("--no-pyvi", action="store_true")
    ap.add_argument(
        "--batch",
        action="store_true",
        help="also time a ~290k-syllable batch (all held-out text, marks removed)",
    )
    args = ap.parse_args(argv)
    if args.tune:
        print(json.dumps(tune(), indent=2))
        return 0
    if args.tune_caps:
        print(json.dumps(tune_caps(), indent=2))
        return 0
    t0 = time.perf_counter()
    for ch in ("eng", "vie"):
        restore_text("a", ch)  # load LM, channel, dictionaries; first candidate search
    load_seconds = time.perf_counter() - t0
    sets = build_sets(args.split)
    report: dict = {"split": args.split, "load_seconds": round(load_seconds, 2), "sets": {}}
    # speed: eng input, cold caches of a fresh decoder sharing the loaded models
    from ocr_pipeline.restore.decoder import Decoder

    base = get_decoder("eng")
    fresh = Decoder(base.channel, base.lm, base.dicts, base.w)
    eng = next(s for n, s in sets.items() if n.startswith("eng_ocr"))
    n_syl = sum(len(syllables(p)) for p in eng["input"])
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    for p in eng["input"]:
        _restore_with(fresh, p)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    report["speed"] = {
        "syllables": n_syl,
        "syllables_per_second_wall": round(n_syl / wall),
        "syllables_per_second_cpu": round(n_syl / cpu),
    }
    if args.batch:
        # a large batch: every held-out document, marks removed (~290k syllables)
        import corpus

        text = strip_marks("\n".join(ln for d in corpus.heldout_documents() for ln in d))
        n_big = len(syllables(text))
        t0, cpu0 = time.perf_counter(), time.process_time()
        restore_text(text, "eng")
        report["speed"]["batch"] = {
            "syllables": n_big,
            "syllables_per_second_wall": round(n_big / (time.perf_counter() - t0)),
            "syllables_per_second_cpu": round(n_big / (time.process_time() - cpu0)),
        }
    for name, s in sets.items():
        out = restore_lines(s["input"], s["channel"])
        truth = split_lines(s["truth"])
        entry = {
            "channel": s["channel"],
            "restored": score(split_lines(out), truth),
            "raw": score(split_lines(s["input"]), truth),
        }
        kept = restore_lines(s["truth"], s["channel"])
        entry["unchanged"] = unchanged_rate(split_lines(s["truth"]), split_lines(kept))
        kept = restore_lines(s["truth"], "auto")
        entry["unchanged_default"] = unchanged_rate(split_lines(s["truth"]), split_lines(kept))
        report["sets"][name] = entry
    if "legacy_dev" in sets:
        dev = sets["legacy_dev"]
        report["sets"]["legacy_dev"]["confidence"] = confidence_flags(
            [(dev["input"][0], dev["truth"][0], dev["channel"])]
        )
        report["speed"]["document"] = document_speed(dev["input"][0])
    for name, s in sets.items():  # the synthetic OCR pages: how the flag does on our renderings
        if name.startswith(("eng_ocr", "vie_ocr")):
            docs = list(zip(s["input"], s["truth"], [s["channel"]] * len(s["input"]), strict=True))
            report["sets"][name]["confidence"] = confidence_flags(docs)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if not args.no_pyvi:
        fn = pyvi_fn()
        for name, s in sets.items():
            out = [fn(p) for p in s["input"]]
            report["sets"][name]["pyvi"] = score(split_lines(out), split_lines(s["truth"]))
        t0 = time.perf_counter()
        for p in eng["input"]:
            fn(p)
        report["speed"]["pyvi_syllables_per_second_wall"] = round(
            n_syl / (time.perf_counter() - t0)
        )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
