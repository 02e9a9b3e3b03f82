"""Benchmark the structure stage: heading precision/recall, footnote linking, header fields.

Inputs (all in the repo):
  tests/data/structure/NAME.txt + NAME.expected.json   our own test documents (plain text)
  samples/ground_truth/{report,decision}.txt            synth markup written by another
                                                        helper: expectations derived from the
                                                        markup, text from samples/NAME.gt.txt

Conditions (each a JSON block in the output):
  plain          our documents as plain text (header columns merged, blank lines)
  plain_noblank  the same with every blank line removed (as OCR text often arrives)
  samples_gt     the samples' ground-truth line text (columns one after the other)
  scan_real_samples  samples/report.pdf and samples/decision.tif (degraded like real scans by
                 their author) through raster + preprocess + tesseract vie (pipeline stages)
  scan           our documents (drawn as a typist prints them: text_to_markup.py) and the
                 samples, converted to synth markup, rendered with
                 ocr_pipeline.synth.render_pages (300 dpi, page numbers, mild blur/noise),
                 OCR'd with tesseract -l vie (OMP_THREAD_LIMIT=1) and structured from the
                 word boxes after the layout pass (layout.repair_page, structure_pages).
                 No restoration: raw vie OCR text.
  scan_restored  the same OCR pages after the restore stage (restore_page, vie channel),
                 page by page
  scan_run       (with --run) the same renders through `run`'s whole path: a multi-page
                 TIFF, preprocess, OCR with the second reading of weak words, layout
                 repair, restoration adapted to the document, structure (not cached)

Metrics: headings match on (label, level, title) exactly ("strict") and with accent-folded,
>= 90 % similar titles ("fuzzy", what matters on unrestored OCR; dates and numbers stay
exact); footnote linking is the share of expected footnotes whose body was found and linked
from the right node; header fields are issuer, national title, motto, number, place, date,
type and subject; recipients and addressees ("Kính gửi:", scored where the expected file has
the key) are the share of documents whose list is right item for item.

  python scripts/bench_structure.py [--no-scan] [--cache DIR] [--out FILE] [--data DIR]
                                    [--no-samples] [--failures] [--run]

--data DIR runs the same conditions on another folder of NAME.txt + NAME.expected.json
(e.g. tests/data/structure_heldout, written after the rules were tuned); --no-samples
leaves out the samples conditions (samples_gt, samples in scan, scan_real_samples);
--failures adds, per condition, each of our documents' strict failures (headings missed
and extra, footnotes, header fields, recipients, addressees, signer) under "failures".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from rapidfuzz.fuzz import ratio  # noqa: E402

from ocr_pipeline.footnote_markers import MARKER_DIGITS as SUPERSCRIPTS  # noqa: E402
from ocr_pipeline.structure import structure_pages, structure_text, validate  # noqa: E402
from ocr_pipeline.structure.header import doc_type_of, parse_date  # noqa: E402
from ocr_pipeline.structure.labels import RANKS, parse_label  # noqa: E402
from ocr_pipeline.structure.text import fold  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from text_to_markup import to_markup  # noqa: E402  (a sibling script)

DATA = ROOT / "tests" / "data" / "structure"
SAMPLES = ROOT / "samples"
HEADER_FIELDS = ("issuer", "national_title", "motto", "number", "place", "date", "doc_type",
                 "subject")  # fmt: skip


# --------------------------------------------------------------------------- predictions
def walk(nodes):
    for n in nodes:
        yield n
        if n["kind"] == "section":
            yield from walk(n["children"])


def predicted(doc: dict) -> dict:
    refs = {}
    for n in walk(doc["body"]):
        for r in n.get("footnote_refs", []):
            refs.setdefault(r, (n.get("text") or n.get("title") or "")[:40])
    h = doc["header"] and {k: doc["header"][k] for k in HEADER_FIELDS}
    return {
        "header": h,
        "headings": [[n["label"], n["level"], n["title"]] for n in walk(doc["body"])
                     if n["kind"] == "section"],
        "footnotes": [{"number": f["number"], "ref_starts": refs.get(f["number"])}
                      for f in doc["footnotes"]],
        "recipients": doc.get("recipients") or [],
        "addressees": doc.get("addressees") or [],
        "signer": (doc.get("signature") or {}).get("name"),
    }  # fmt: skip


# --------------------------------------------------------------------------- scoring
def _same(a, b, fuzzy: bool) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = " ".join(str(a).split()), " ".join(str(b).split())
    if not fuzzy:
        return a == b
    return ratio(fold(a), fold(b)) >= 90


def _same_items(got: list[str], want: list[str], fuzzy: bool) -> bool:
    """Two lists of recipients or addressees: the same items in the same order."""
    return len(got) == len(want) and all(_same(g, e, fuzzy) for g, e in zip(got, want, strict=True))


def _norm_label(label: str) -> str:
    return fold(label).replace(" ", "")


def score(pairs: list[tuple[dict, dict]], fuzzy: bool) -> dict:
    tp = n_pred = n_exp = 0
    fn_ok = fn_total = 0
    h_ok = h_total = 0
    rc_ok = rc_total = sg_ok = sg_total = ad_ok = ad_total = 0
    for pred, exp in pairs:
        n_pred += len(pred["headings"])
        n_exp += len(exp["headings"])
        unmatched = list(pred["headings"])
        for lab, lvl, title in exp["headings"]:
            for k, (plab, plvl, ptitle) in enumerate(unmatched):
                lab_ok = _norm_label(plab) == _norm_label(lab) if fuzzy else plab == lab
                if lab_ok and plvl == lvl and _same(ptitle, title, fuzzy):
                    tp += 1
                    del unmatched[k]
                    break
        got = {f["number"]: f["ref_starts"] for f in pred["footnotes"]}
        for f in exp["footnotes"]:
            fn_total += 1
            ref = got.get(f["number"])
            if ref is not None and f["ref_starts"] is not None:
                n = min(len(ref), len(f["ref_starts"]), 25)
                fn_ok += _same(ref[:n], f["ref_starts"][:n], fuzzy)
        if "recipients" in exp:
            rc_total += 1
            rc_ok += _same_items(pred.get("recipients") or [], exp["recipients"], fuzzy)
        if "addressees" in exp:  # the "Kính gửi:" block (sets from 19 on write the key)
            ad_total += 1
            ad_ok += _same_items(pred.get("addressees") or [], exp["addressees"], fuzzy)
        if "signature" in exp:
            sg_total += 1
            sg_ok += _same(pred.get("signer"), (exp["signature"] or {}).get("name"), fuzzy)
        if exp["header"]:
            for key in HEADER_FIELDS:
                h_total += 1
                pv = (pred["header"] or {}).get(key)
                ev = exp["header"][key]
                if key == "issuer":
                    pv, ev = " | ".join(pv or []), " | ".join(ev)
                h_ok += _same(pv, ev, fuzzy and key not in ("date", "number"))
    return {
        "heading_precision": round(tp / n_pred, 4) if n_pred else None,
        "heading_recall": round(tp / n_exp, 4) if n_exp else None,
        "headings_expected": n_exp, "headings_predicted": n_pred, "headings_matched": tp,
        "footnote_linking_accuracy": round(fn_ok / fn_total, 4) if fn_total else None,
        "footnotes_expected": fn_total,
        "header_field_accuracy": round(h_ok / h_total, 4) if h_total else None,
        "header_fields": h_total,
        "recipients_accuracy": round(rc_ok / rc_total, 4) if rc_total else None,
        "signer_accuracy": round(sg_ok / sg_total, 4) if sg_total else None,
        "closings": rc_total,
        "addressees_accuracy": round(ad_ok / ad_total, 4) if ad_total else None,
        "addressee_documents": ad_total,
    }  # fmt: skip


def failures(pred: dict, exp: dict) -> list[str]:
    """What one document got wrong, strictly compared (accents and all): missed and extra
    headings, footnotes not linked from the right node, header fields, recipients, signer."""
    out = []
    unmatched = list(pred["headings"])
    for lab, lvl, title in exp["headings"]:
        same = [plab == lab and plvl == lvl and _same(ptitle, title, False)
                for plab, plvl, ptitle in unmatched]  # fmt: skip
        hit = same.index(True) if any(same) else None
        if hit is None:
            out.append(f"heading missed: {[lab, lvl, title]}")
        else:
            del unmatched[hit]
    out += [f"heading extra: {h}" for h in unmatched]
    got = {f["number"]: f["ref_starts"] for f in pred["footnotes"]}
    for f in exp["footnotes"]:
        ref, want = got.get(f["number"]), f["ref_starts"]
        n = min(len(ref or ""), len(want or ""), 25)
        if ref is None or want is None or not _same(ref[:n], want[:n], False):
            state = "not found" if f["number"] not in got else f"linked from {ref!r}"
            out.append(f"footnote {f['number']}: {state}, expected {want!r}")
    for key in HEADER_FIELDS if exp["header"] else ():
        pv, ev = (pred["header"] or {}).get(key), exp["header"][key]
        if key == "issuer":
            pv, ev = " | ".join(pv or []), " | ".join(ev)
        if not _same(pv, ev, False):
            out.append(f"header {key}: {pv!r}, expected {ev!r}")
    for key in ("recipients", "addressees"):
        if key in exp and not _same_items(pred.get(key) or [], exp[key], False):
            out.append(f"{key}: {pred.get(key) or []}, expected {exp[key]}")
    if "signature" in exp:
        want = (exp["signature"] or {}).get("name")
        if not _same(pred.get("signer"), want, False):
            out.append(f"signer: {pred.get('signer')!r}, expected {want!r}")
    return out


# --------------------------------------------------------------------------- our documents
def own_documents(data: Path = DATA) -> list[tuple[str, str, dict]]:
    out = []
    for txt in sorted(data.glob("*.txt")):
        exp = json.loads(txt.with_suffix(".expected.json").read_text(encoding="utf-8"))
        out.append((txt.stem, txt.read_text(encoding="utf-8"), exp))
    return out


# --------------------------------------------------------------------------- samples
def sample_expected(markup: str) -> dict:
    """Expectations from synth markup written by another helper (header cells, labels, @)."""
    header = {k: None for k in HEADER_FIELDS}
    header["issuer"] = []
    headings: list[list] = []
    stack: list[int] = []
    footnotes = []
    last_text = ""
    lines = markup.splitlines()
    i = 0
    seen_number = False
    while i < len(lines):
        raw = lines[i]
        i += 1
        if raw.startswith("|") and raw.endswith("|") and raw.count("|") == 3:
            left, right = (re.sub(r"^[#^*/<>~+_@]+ ", "", c).strip() for c in raw[1:-1].split("|"))
            if headings or header["doc_type"]:
                continue  # closing rows
            if left.startswith("Số:"):
                header["number"] = left[3:].replace(" ", "")
                seen_number = True
            elif left and not seen_number:
                header["issuer"].append(left)
            if "CỘNG HÒA" in right:
                header["national_title"] = right
            elif "Độc lập" in right:
                header["motto"] = right
            elif "ngày" in right:
                header["date"] = parse_date(right)
                header["place"] = right.split(",")[0].strip()
            continue
        m = re.match(r"^([#^*/<>~+_@]+) (.*)$", raw)
        codes, text = (m.group(1), m.group(2)) if m else ("", raw)
        text = text.replace("**", "").strip()
        if not text:
            continue
        if codes == "#+" and doc_type_of(text):
            header["doc_type"] = doc_type_of(text)
            subj = []
            while i < len(lines) and lines[i].startswith("# ") and not parse_label(lines[i][2:]):
                if is_upper(lines[i][2:]):
                    break
                subj.append(lines[i][2:].strip())
                i += 1
            header["subject"] = " ".join(subj) or None
            continue
        if codes == "@":
            n, body = text.split(" ", 1)
            footnotes.append({"number": int(n), "ref_starts": last_ref.get(int(n))})
            continue
        lab = parse_label(text)
        if lab is not None:
            title = lab.rest.strip()
            if lab.kind == "part" and not title:
                parts = []
                while (i < len(lines) and lines[i].startswith("# ")
                       and not parse_label(lines[i][2:])):  # fmt: skip
                    parts.append(lines[i][2:].strip())
                    i += 1
                title = " ".join(parts)
            title = _title_of(title)
            rank = RANKS[lab.kind]
            while stack and stack[-1] >= rank:
                stack.pop()
            stack.append(rank)
            headings.append([lab.text, len(stack), title])
            body_text = lab.rest if title is None else ""
            _note_refs(body_text or title or "", last_ref)
            continue
        last_text = text
        _note_refs(last_text, last_ref)
    return {"header": header, "headings": headings, "footnotes": footnotes}


last_ref: dict[int, str] = {}


def _note_refs(text: str, store: dict[int, str]) -> None:
    for m in re.finditer(rf"[{SUPERSCRIPTS}]+", text):
        n = int("".join(str(SUPERSCRIPTS.index(c)) for c in m.group()))
        clean = re.sub(rf"[{SUPERSCRIPTS}]", "", text)
        m2 = re.match(r"^[^:]{3,150}?:\s+(.*)$", clean)
        clean = m2.group(1) if m2 and parse_label(text) else clean
        store[n] = re.sub(r"^[-–•+]\s*", "", clean)[:40]


def is_upper(text: str) -> bool:
    return text.upper() == text and any(c.isalpha() for c in text)


def _title_of(rest: str) -> str | None:
    rest = rest.strip()
    if not rest:
        return None
    if rest.endswith(":"):
        return rest[:-1].strip()
    m = re.match(r"^([^:]{3,150}?):\s+(\S.*)$", rest)
    if m and m.group(2)[:1].isupper():
        return m.group(1).strip()
    if rest.endswith((".", ";")):
        return None
    return rest


def samples() -> list[tuple[str, str, str, dict]]:
    out = []
    for name in ("report", "decision"):
        markup = SAMPLES / "ground_truth" / f"{name}.txt"
        gt = SAMPLES / f"{name}.gt.txt"
        if markup.is_file() and gt.is_file():
            last_ref.clear()
            m = markup.read_text(encoding="utf-8")
            out.append((f"sample_{name}", m, gt.read_text(encoding="utf-8"), sample_expected(m)))
    return out


# --------------------------------------------------------------------------- scan path
def _pages_from_raw(raw: list[dict]) -> list:
    """Pages from the cache; markers cached as superscripts go back to `Word.marker`."""
    from ocr_pipeline.layout import lift_markers
    from ocr_pipeline.model import BBox, Line, Page, Word

    pages = []
    for pg in raw:
        lines = []
        for ws in pg["lines"]:
            words = [Word(t, BBox(*b), c) for t, b, c in ws]
            box = words[0].bbox
            for w in words[1:]:
                box = box.union(w.bbox)
            lines.append(Line(words, box))
        pages.append(Page(pg["number"], pg["width"], pg["height"], 300, lift_markers(lines)))
    return pages


def _raw_from_lines(number: int, width: int, height: int, lines) -> dict:
    return {"number": number, "width": width, "height": height,
            "lines": [[[w.marked_text, [w.bbox.left, w.bbox.top, w.bbox.right, w.bbox.bottom],
                        w.confidence] for w in ln.words] for ln in lines]}  # fmt: skip


def scan_doc(name: str, markup: str, cache: Path, restore: bool = False) -> dict:
    """Render markup, OCR every page with tesseract vie (optionally restore), structure."""
    import hashlib

    from ocr_pipeline import synth
    from ocr_pipeline.layout import repair_lines, repair_page
    from ocr_pipeline.ocr import ocr_image

    os.environ["OMP_THREAD_LIMIT"] = "1"
    cache.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(markup.encode("utf-8")).hexdigest()[:12]
    key = cache / f"{name}.{digest}.json"
    if key.is_file():
        raw = json.loads(key.read_text(encoding="utf-8"))
    else:
        rendered = synth.render_pages(markup, dpi=300, page_numbers=True, line_spacing=1.15)
        raw = []
        for number, rp in enumerate(rendered, start=1):
            img = synth.degrade(rp.image, blur=0.6, noise=0.01, seed=number)
            lines = ocr_image(img, page_number=number, dpi=300)
            lines = repair_lines(img, lines, page_number=number)
            raw.append(_raw_from_lines(number, img.width, img.height, lines))
        key.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    pages = _pages_from_raw(raw)
    if restore:
        from ocr_pipeline.restore import restore_page

        pages = [restore_page(p, channel="vie") for p in pages]
    # the layout pass (specks, label glyphs from their boxes) comes before structure
    return structure_pages([repair_page(p) for p in pages], {"file": f"{name}.png"})


def scan_run_doc(name: str, markup: str, workdir: Path) -> dict:
    """The `scan` condition's pages as `ocr-pipeline run` reads them: the same renders
    (degraded alike) saved as one multi-page TIFF, then the pipeline's pages (preprocess,
    OCR with the second reading of weak words, layout repair) restored as one document
    (adapted to it) and structured (`pipeline.process_document`, `structure_document`).
    Not cached: restoration is part of what is measured."""
    from ocr_pipeline import synth
    from ocr_pipeline.pipeline import PipelineOptions, process_document, structure_document

    os.environ["OMP_THREAD_LIMIT"] = "1"
    rendered = synth.render_pages(markup, dpi=300, page_numbers=True, line_spacing=1.15)
    images = [synth.degrade(rp.image, blur=0.6, noise=0.01, seed=number).convert("L")
              for number, rp in enumerate(rendered, start=1)]  # fmt: skip
    path = workdir / f"{name}.tif"
    images[0].save(path, save_all=True, append_images=images[1:], dpi=(300, 300),
                   compression="tiff_lzw")  # fmt: skip
    return structure_document(process_document(path, PipelineOptions(jobs=2)))


def scan_file(path: Path, cache: Path) -> dict:
    """A real sample scan through the pipeline's raster + preprocess + OCR stages."""
    from ocr_pipeline.fileio import sha256_file
    from ocr_pipeline.layout import repair_page
    from ocr_pipeline.pipeline import PipelineOptions, process_document

    os.environ["OMP_THREAD_LIMIT"] = "1"
    cache.mkdir(parents=True, exist_ok=True)
    key = cache / f"real_{path.name}.{sha256_file(path)[:12]}.json"
    if key.is_file():
        raw = json.loads(key.read_text(encoding="utf-8"))
    else:
        doc = process_document(path, PipelineOptions(jobs=1))
        raw = [_raw_from_lines(p.number, p.width, p.height, p.lines) for p in doc.pages]
        key.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    pages = [repair_page(p) for p in _pages_from_raw(raw)]  # as `run` leaves them
    return structure_pages(pages, {"file": path.name})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-scan", action="store_true", help="skip the render+OCR condition")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/bench_structure_cache"),
                    help="folder for cached OCR results (default: %(default)s)")  # fmt: skip
    ap.add_argument("--out", type=Path, help="also write the JSON here")
    ap.add_argument("--data", type=Path, default=DATA,
                    help="NAME.txt + NAME.expected.json folder (default: %(default)s)")  # fmt: skip
    ap.add_argument("--no-samples", action="store_true", help="leave out the samples conditions")
    ap.add_argument("--run", action="store_true",
                    help="also the scan_run condition: the same renders through `run`'s "
                         "whole path (slow: nothing is cached)")  # fmt: skip
    ap.add_argument("--failures", action="store_true",
                    help="also list each document's strict failures per condition")  # fmt: skip
    args = ap.parse_args(argv)
    started = time.time()
    own = own_documents(args.data)
    sample_docs = [] if args.no_samples else samples()
    result: dict = {"documents": [n for n, _, _ in own],
                    "samples": [n for n, *_ in sample_docs]}  # fmt: skip
    if args.data.resolve() != DATA:
        result = {"data": str(args.data), **result}
    conds: dict[str, list] = {"plain": [], "plain_noblank": [], "samples_gt": [], "scan": [],
                              "scan_restored": [], "scan_run": []}  # fmt: skip
    names: dict[str, list[str]] = {c: [] for c in conds}  # the document of each pair
    for name, text, exp in own:
        doc = structure_text(text)
        validate(doc)
        conds["plain"].append((predicted(doc), exp))
        noblank = "\n".join(ln for ln in text.split("\n") if ln.strip())
        doc = structure_text(noblank)
        validate(doc)
        conds["plain_noblank"].append((predicted(doc), exp))
        names["plain"].append(name)
        names["plain_noblank"].append(name)
    for _name, _markup, gt, exp in sample_docs:
        doc = structure_text(gt)
        validate(doc)
        conds["samples_gt"].append((predicted(doc), exp))
    per_doc_scan = {}
    if not args.no_scan:
        jobs = [(n, to_markup(t, e, n), e) for n, t, e in own if e["headings"] or e["header"]]
        jobs += [(n, m, e) for n, m, _gt, e in sample_docs]
        for name, markup, exp in jobs:
            doc = scan_doc(name, markup, args.cache)
            validate(doc)
            pred = predicted(doc)
            conds["scan"].append((pred, exp))
            per_doc_scan[name] = score([(pred, exp)], fuzzy=True)
            doc = scan_doc(name, markup, args.cache, restore=True)
            validate(doc)
            conds["scan_restored"].append((predicted(doc), exp))
            names["scan"].append(name)
            names["scan_restored"].append(name)
            if args.run:
                with tempfile.TemporaryDirectory() as tmp:
                    doc = scan_run_doc(name, markup, Path(tmp))
                validate(doc)
                conds["scan_run"].append((predicted(doc), exp))
                names["scan_run"].append(name)
    if not args.no_scan and not args.no_samples:
        conds["scan_real_samples"] = []
        exp_by_name = {n: e for n, _m, _gt, e in samples()}
        manifest = SAMPLES / "manifest.json"
        files = []
        if manifest.is_file():
            files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        for entry in files:
            name = "sample_" + Path(entry["source"]).stem
            if name not in exp_by_name or entry.get("pages", 0) < 1:
                continue
            if entry["file"].endswith(".png"):
                continue  # page 1 only; the PDF covers the report
            doc = scan_file(SAMPLES / entry["file"], args.cache)
            validate(doc)
            pred = predicted(doc)
            conds["scan_real_samples"].append((pred, exp_by_name[name]))
            per_doc_scan["real_" + entry["file"]] = score([(pred, exp_by_name[name])], True)
    for cond, pairs in conds.items():
        if pairs:
            result[cond] = {"strict": score(pairs, False), "fuzzy": score(pairs, True)}
    if per_doc_scan:
        result["scan_per_document_fuzzy"] = per_doc_scan
    if args.failures:
        result["failures"] = {
            cond: {name: found for name, (pred, exp) in zip(names[cond], conds[cond], strict=True)
                   if (found := failures(pred, exp))}
            for cond in names if names[cond]
        }  # fmt: skip
    result["seconds"] = round(time.time() - started, 1)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
