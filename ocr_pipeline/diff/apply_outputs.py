"""The reviewer's decisions applied to every output of one `run` document, consistently.

B, the file reviewed, is one of a document's outputs (NAME.txt, NAME.words.tsv,
NAME.alto.xml, NAME.hocr, or NAME.json, which the diff reads through the words table).
`corrected_outputs` finds those of them beside B and gives each one's corrected text:
the text line for line (`corrections.apply_corrections`' text path), the words table,
ALTO and hOCR word by word (`diff.rewrite`, `diff.word_edits`: only the words the
reviewer changed, with confidence 1 and Tesseract's reading kept beside them), and
NAME.json's document tree rebuilt by the structure stage from the corrected words (the
tables found in the scan carried over, their cells corrected where their words were:
`diff.rewrite.tables`, which also gives NAME.table-N.csv / .md), and NAME.ocr.pdf with
the text layer of the changed pages drawn again (`export.pdf.relayered_pdf`); those are
made from the words table and NAME.json, so they need both beside B. Lines are matched
across the files by their order among the lines that hold a word, and every file must
hold the same lines as B before anything is computed; a file that does not is an error,
not skipped, so the outputs never disagree. Nothing is written here (see `commands.apply`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ocr_pipeline.diff.corrections import Decision, _apply_to_text, apply_corrections
from ocr_pipeline.diff.readers import load_side
from ocr_pipeline.diff.readers.source import read_source, stem_of
from ocr_pipeline.diff.rewrite.alto import AltoWords
from ocr_pipeline.diff.rewrite.hocr import HocrWords
from ocr_pipeline.diff.rewrite.words_tsv import WordsTable
from ocr_pipeline.diff.sides import DiffSide
from ocr_pipeline.diff.word_edits import WordLines, apply_line_edits, split_over_lines
from ocr_pipeline.errors import BadArgumentsError, InputFileError
from ocr_pipeline.export.metadata import is_run_metadata

SUFFIXES = {  # kind -> file name suffix, in the order they are computed
    "text": ".txt",
    "words": ".words.tsv",
    "alto": ".alto.xml",
    "hocr": ".hocr",
    "metadata": ".json",
}
PDF_SUFFIX = ".ocr.pdf"  # and NAME.table-N.csv / .md: made from the words, corrected after
_REWRITERS: dict[str, Callable[[str, str], WordLines]] = {
    "words": WordsTable,
    "alto": AltoWords,
    "hocr": HocrWords,
}


_SIDE_KINDS = {"text": "text", "words-tsv": "words", "alto": "alto", "hocr": "hocr"}


def outputs_of(b_path: Path) -> dict[str, Path]:
    """The run outputs of B's document that exist beside B; B alone when its name is not
    a run output's (NAME.restored.txt, a renamed copy), as long as apply can rewrite it."""
    name = stem_of(b_path)
    found = {}
    for kind, suffix in SUFFIXES.items():
        path = b_path.with_name(name + suffix)
        if path.is_file() and (kind != "metadata" or _is_run_metadata(path)):
            found[kind] = path
    if any(path.resolve() == b_path.resolve() for path in found.values()):
        return found
    own = _SIDE_KINDS.get(load_side(b_path).kind)
    if own is None:
        raise BadArgumentsError(
            f"{b_path} is not text, a words table, ALTO or hOCR written by run;"
            " give -o FILE for its corrected text instead"
        )
    return {own: b_path}


def _is_run_metadata(path: Path) -> bool:
    """NAME.json written by run (a restore or structure JSON of that name is not)."""
    try:
        data = json.loads(read_source(path).text)
    except (InputFileError, json.JSONDecodeError):
        return False
    return is_run_metadata(data)


def _ordinals(side: DiffSide) -> dict[int, int]:
    return {n: i for i, ln in enumerate(side.lines) for n in (ln.numbers or (ln.number,))}


def _plan(
    decisions: list[Decision], reviewed: DiffSide
) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Line ordinals -> new text ("" removes), and ordinal -> lines added after it."""
    where = _ordinals(reviewed)
    edits: dict[int, str] = {}
    inserts: dict[int, list[str]] = {}
    for d in decisions:
        if d.decision == "accept":
            continue
        if d.b_lines:
            ords = [where[n] for n in d.b_lines]
            # one line typed for a row of several B lines: each word back on its own line
            texts = split_over_lines([reviewed.lines[o].text for o in ords], d.text)
            for o, text in zip(ords, texts, strict=True):
                edits[o] = text
        elif d.text:
            before = [i for n, i in where.items() if n <= d.after_b]
            inserts.setdefault(max(before, default=-1), []).append(d.text)
    return edits, inserts


def _same_lines(path: Path, side: DiffSide, reviewed: DiffSide, b_path: Path) -> None:
    mine = [ln.text for ln in side.lines]
    theirs = [ln.text for ln in reviewed.lines]
    if mine != theirs:
        first = next(
            (i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
            min(len(mine), len(theirs)),
        )
        raise InputFileError(
            f"{path} does not hold the same lines as {b_path} (line {first + 1} differs);"
            " outputs of one run must agree before they are corrected together"
        )


def _text_decisions(
    edits: dict[int, str], inserts: dict[int, list[str]], side: DiffSide
) -> list[Decision]:
    """The plan as decisions on a text file's own line numbers (blank lines count there)."""
    out = []
    for o, text in sorted(edits.items()):
        ln = side.lines[o]
        out.append(Decision(0, "edit", (ln.number,), ln.number - 1, ln.text, text))
    for after, texts in sorted(inserts.items()):
        at = side.lines[after].number if after >= 0 else 0
        out.extend(Decision(0, "edit", (), at, "", t) for t in texts)
    return out


def corrected_outputs(decisions: list[Decision], b_path: Path) -> dict[Path, str | bytes]:
    """{output file: its corrected text} for every output of B's document (see above)."""
    outputs = outputs_of(b_path)  # a B that is no run output is refused first
    apply_corrections(decisions, b_path)  # B still as reviewed: checked, one-line errors
    reviewed = load_side(b_path)
    edits, inserts = _plan(decisions, reviewed)
    result: dict[Path, str | bytes] = {}
    sides: dict[str, DiffSide] = {}
    for kind, path in outputs.items():
        if kind == "metadata":
            continue
        sides[kind] = load_side(path)
        _same_lines(path, sides[kind], reviewed, b_path)
    for kind, path in outputs.items():
        if kind == "text":
            text = read_source(path).text
            result[path] = _apply_to_text(
                _text_decisions(edits, inserts, sides[kind]), text, str(path)
            )
        elif kind in _REWRITERS:
            target = _REWRITERS[kind](read_source(path).text, str(path))
            if target.line_words() != [
                [t.text for t in ln.tokens or ()] for ln in sides[kind].lines
            ]:
                raise InputFileError(
                    f"{path}: its words are not the lines the diff reads; give the file as written"
                )
            result[path] = apply_line_edits(target, edits, inserts)
    derived = _derived_files(b_path) if _run_named(b_path, outputs) else []
    if "metadata" in outputs and "words" in outputs:
        result.update(_with_tables_and_pdf(outputs, result, derived))
    elif derived:
        raise InputFileError(
            f"{derived[0]} is corrected from {stem_of(b_path)}.words.tsv and"
            f" {stem_of(b_path)}.json, which are not beside {b_path}"
        )
    return result


def _run_named(b_path: Path, outputs: dict[str, Path]) -> bool:
    return any(path.resolve() == b_path.resolve() for path in outputs.values()) and any(
        b_path.name == stem_of(b_path) + suffix for suffix in SUFFIXES.values()
    )


def _derived_files(b_path: Path) -> list[Path]:
    """NAME.ocr.pdf and NAME.table-N.csv / .md beside B (made from its words by run)."""
    name = stem_of(b_path)
    found = sorted(b_path.parent.glob(f"{_glob_escape(name)}.table-*.*"))
    tables = [p for p in found if p.suffix in (".csv", ".md")]
    pdf = b_path.with_name(name + PDF_SUFFIX)
    return [pdf] * pdf.is_file() + tables


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _with_tables_and_pdf(
    outputs: dict[str, Path], result: dict[Path, str | bytes], derived: list[Path]
) -> dict[Path, str | bytes]:
    """NAME.json rebuilt from the corrected words, its tables' cells and NAME.table-N
    files corrected like them, NAME.ocr.pdf's text layer drawn again (`derived`: those
    of the files that exist)."""
    from ocr_pipeline.export.tables import table_paths

    meta_path, words_path = outputs["metadata"], outputs["words"]
    meta_text = read_source(meta_path).text
    meta = _run_metadata(meta_text, str(meta_path))
    entries = meta.get("pages") or []
    written = pages_from_words_table(read_source(words_path).text, entries)
    corrected = pages_from_words_table(str(result[words_path]), entries)
    tree = meta.get("structure")
    old = tree.get("tables") if isinstance(tree, dict) else None
    out: dict[Path, str | bytes] = {}
    new = old
    if isinstance(old, list) and old:
        from ocr_pipeline.diff.rewrite.tables import corrected_tables, table_files

        new = corrected_tables(old, written, corrected, str(meta_path))
        files = table_paths(meta_path.parent, stem_of(meta_path), len(old))
        out.update(table_files(old, new, dict(enumerate(files, start=1))))
    out[meta_path] = rebuilt_metadata(meta_text, str(result[words_path]), str(meta_path), new)
    pdf = meta_path.with_name(stem_of(meta_path) + PDF_SUFFIX)
    if pdf in derived:
        from ocr_pipeline.export.pdf import relayered_pdf

        try:
            data = pdf.read_bytes()
        except OSError as err:
            raise InputFileError(f"cannot read {pdf}: {err.strerror}; check permissions") from None
        out[pdf] = relayered_pdf(data, written, corrected, str(pdf))
    return out


def _run_metadata(meta_text: str, where: str) -> dict:
    try:
        meta = json.loads(meta_text)
    except json.JSONDecodeError as err:
        raise InputFileError(f"{where}: invalid JSON (line {err.lineno})") from None
    if not is_run_metadata(meta):
        raise InputFileError(f"{where}: not the run metadata NAME.json")
    return meta


def rebuilt_metadata(meta_text: str, words_tsv: str, where: str, tables: list | None = None) -> str:
    """NAME.json with its document tree built again from the corrected words table, and
    each page's word count updated; its tables (read from the scan's cells, not from the
    words table) replaced by `tables` when given, kept otherwise; everything else as it was."""
    from ocr_pipeline.structure import structure_pages

    meta = _run_metadata(meta_text, where)
    pages = pages_from_words_table(words_tsv, meta.get("pages") or [])
    counts = {p.number: len(p.words) for p in pages}
    for entry in meta.get("pages") or []:
        if isinstance(entry, dict) and entry.get("number") in counts:
            entry["words"] = counts[entry["number"]]
    if isinstance(meta.get("structure"), dict):
        old = meta["structure"]
        src = meta.get("source") or {}
        tree = structure_pages(pages, {"file": src.get("file"), "sha256": src.get("sha256")})
        if "tables" in old:  # read from the scan's cells, not from the words table
            tree["tables"] = old["tables"] if tables is None else tables
        meta["structure"] = tree
    return json.dumps(meta, ensure_ascii=False, indent=2) + "\n"


def pages_from_words_table(text: str, page_entries: list) -> list:
    """`model.Page`s (sizes, dpi, turns from NAME.json) holding the words table's words;
    a line's box is the union of its words' boxes."""
    from ocr_pipeline.model import BBox, Line, Page, Word
    from ocr_pipeline.words_table import read_rows, unescape_field

    def num(row: dict[str, str], key: str, default: float = 0.0) -> float:
        try:
            return float(row.get(key) or default)
        except ValueError:
            return default

    pages: dict[int, Page] = {}
    for e in page_entries:
        if isinstance(e, dict) and isinstance(e.get("number"), int):
            pages[e["number"]] = Page(
                e["number"], int(e.get("width") or 0), int(e.get("height") or 0),
                int(e.get("dpi") or 300), skew_angle=float(e.get("skew_angle") or 0.0),
                status=str(e.get("status") or "ok"), error=e.get("error"),
                orientation=int(e.get("orientation") or 0), own_text=e.get("own_text") is True,
            )  # fmt: skip
    current: tuple = ()
    for row in read_rows(text.splitlines()):
        number = int(num(row, "page", 1))
        page = pages.setdefault(number, Page(number, 0, 0, 300))
        left, top = int(num(row, "left")), int(num(row, "top"))
        box = BBox(left, top, left + int(num(row, "width")), top + int(num(row, "height")))
        restore = row.get("restore_conf")
        word = Word(
            unescape_field(row.get("text") or ""), box, num(row, "conf", -1.0),
            ocr_text=unescape_field(row["ocr_text"]) if row.get("ocr_text") is not None else None,
            restore_confidence=float(restore) if restore else None,
        )  # fmt: skip
        key = (number, row.get("block"), row.get("par"), row.get("line"))
        if key != current or not page.lines:
            ids = [int(num(row, k)) for k in ("block", "par", "line")]
            page.lines.append(Line([], box, *ids))
            current = key
        line = page.lines[-1]
        line.words.append(word)
        line.bbox = line.bbox.union(box)
    return [replace(p) for _, p in sorted(pages.items())]
