"""File-level entry points: compare two files or two folders and write the reports.

`diff_files` loads both sides, compares them and writes JSON and/or HTML atomically.
`diff_directories` pairs the files of two folders by document: the path relative to the
folder, subfolders included as `run` mirrors its input tree, with the NAME of NAME.txt,
NAME.gt.txt, NAME.words.tsv, NAME.json, NAME.restored.txt, NAME.alto.xml, NAME.hocr...
(the richest when a folder has several); it writes NAME.diff.html and NAME.diff.json per
pair into the report folder (sub/NAME.diff.* for sub/NAME), plus index.html and
index.json (`summary`: documents ranked worst first, confusions over the batch, unpaired
files). `summarize_folder` makes the same
index from NAME.diff.json reports already written (``diff --summary DIR``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ocr_pipeline.diff.crops import make_cropper
from ocr_pipeline.diff.html import iter_html, render_index
from ocr_pipeline.diff.metrics import compare_sides
from ocr_pipeline.diff.normalize import Normalization
from ocr_pipeline.diff.readers import load_side, stem_of
from ocr_pipeline.diff.report import DiffReport
from ocr_pipeline.diff.summary import SCHEMA as SUMMARY_SCHEMA
from ocr_pipeline.diff.summary import BatchSummary, IndexEntry, summarize_reports
from ocr_pipeline.errors import InputFileError, OutputError, PipelineError
from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.review_flag import LOW_CONFIDENCE

log = logging.getLogger(__name__)

# When a folder holds several files of one document, the richest one is compared.
_PREFERENCE = (".words.tsv", ".json", ".alto.xml", ".hocr", ".page.xml", ".xml", ".txt",
               ".tsv", ".html")  # fmt: skip
_SUFFIXES = {".txt", ".tsv", ".json", ".xml", ".hocr", ".html"}
_REPORTS = (".diff.json", ".diff.html", "index.json", "index.html")


def _check_output(path: Path | None) -> None:
    if path is not None and path.exists() and path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name for the report")


def is_stdout(path: Path | str | None) -> bool:
    """True when a report written to `path` reaches standard output: ``-``, or a name
    of the file standard output already goes to (/dev/stdout, /dev/fd/1, the file it is
    redirected to); /dev/null never counts."""
    if path is None:
        return False
    if str(path) == "-":
        return True
    try:
        target, out = os.stat(path), os.fstat(sys.stdout.fileno())
        return os.path.samestat(target, out) and not os.path.samestat(target, os.stat(os.devnull))
    except (OSError, ValueError, AttributeError):  # no such file, or stdout has no descriptor
        return False


def _write(path: Path, pieces: str | Iterable[str]) -> None:
    """A report to `path`, atomically, or to standard output for ``-``."""
    if str(path) != "-":
        write_atomic(Path(path), pieces)
        return
    for piece in [pieces] if isinstance(pieces, str) else pieces:
        sys.stdout.write(piece)
    sys.stdout.flush()


def diff_files(
    path_a: Path,
    path_b: Path,
    *,
    norm: Normalization | None = None,
    low_confidence: float = LOW_CONFIDENCE,
    json_path: Path | None = None,
    html_path: Path | None = None,
    images: Path | None = None,
    max_crops: int = 2000,
) -> DiffReport:
    """Compare two files and write the requested reports; returns the report."""
    _check_output(json_path)
    _check_output(html_path)
    t0 = time.perf_counter()
    a, b = load_side(path_a), load_side(path_b)
    report = compare_sides(a, b, norm, low_confidence=low_confidence)
    log.info(
        "compared %s and %s in %.2f s (%d line pairs, %d line comparisons)",
        path_a,
        path_b,
        time.perf_counter() - t0,
        len(report.lines),
        report.stats.line_comparisons,
    )
    if json_path is not None:
        _write(json_path, report.iter_json())
    if html_path is not None:
        _write(html_path, report_html(report, images=images, max_crops=max_crops))
    return report


def report_html(
    report: DiffReport, *, images: Path | None = None, max_crops: int = 2000
) -> Iterator[str]:
    """The HTML page in pieces (see `iter_html`), with word crops when `images` is given."""
    if images is not None and not Path(images).is_dir():
        raise InputFileError(f"--images {images} is not a folder; give the page-image folder")
    crop, uris = make_cropper([report.a, report.b], images, max_crops)
    return iter_html(report, crop=crop, crops=uris)  # type: ignore[arg-type]


def _documents(folder: Path, skip: Path | None = None) -> dict[str, Path]:
    """The documents under `folder`, subfolders included, keyed by their path relative
    to it without the suffix ("sub/d" for sub/d.words.tsv), as `run` mirrors an input
    tree under OUTDIR; hidden files and folders and the folder `skip` (the reports'
    own, when it lies inside) are left out."""
    if not folder.is_dir():
        raise InputFileError(f"{folder} is not a folder; give two folders or two files")
    skip_real = skip.resolve() if skip is not None else None
    found: dict[str, Path] = {}
    for root, dirs, files in os.walk(folder):  # symlinked folders are not followed
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip_real
        )
        for file_name in sorted(files):
            path = here / file_name
            if file_name.startswith(".") or not path.is_file():
                continue
            if path.suffix.lower() not in _SUFFIXES or file_name.endswith(_REPORTS):
                log.info("ignoring %s (not .txt, .tsv, .json, .xml, .hocr or .html)", path)
                continue
            name = (path.parent.relative_to(folder) / stem_of(path)).as_posix()
            if name in found and _rank(path) >= _rank(found[name]):
                continue
            found[name] = path
    return found


def _rank(path: Path) -> int:
    for i, suffix in enumerate(_PREFERENCE):
        if path.name.endswith(suffix):
            return i
    return len(_PREFERENCE)


@dataclass(slots=True)
class DirectoryResult:
    batch: BatchSummary = field(default_factory=BatchSummary)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)

    @property
    def entries(self) -> list[IndexEntry]:
        return self.batch.ranked()

    @property
    def failed(self) -> list[IndexEntry]:
        return self.batch.failed


def diff_directories(
    dir_a: Path,
    dir_b: Path,
    out_dir: Path,
    *,
    norm: Normalization | None = None,
    low_confidence: float = LOW_CONFIDENCE,
    images: Path | None = None,
    max_crops: int = 2000,
) -> DirectoryResult:
    """Compare same-named documents of two folders; one failing pair does not stop others."""
    out_dir = Path(out_dir)
    docs_a, docs_b = _documents(Path(dir_a), out_dir), _documents(Path(dir_b), out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} is a file; give a folder for --html-dir")
    result = DirectoryResult(
        only_a=sorted(n for n in docs_a if n not in docs_b),
        only_b=sorted(n for n in docs_b if n not in docs_a),
    )
    for name in sorted(n for n in docs_a if n in docs_b):
        html_name = f"{name}.diff.html"
        here = images
        if images is not None and (Path(images) / name).parent.is_dir():
            here = (Path(images) / name).parent  # IMAGES/sub/ for sub/NAME, when it exists
        try:
            report = diff_files(
                docs_a[name],
                docs_b[name],
                norm=norm,
                low_confidence=low_confidence,
                json_path=out_dir / f"{name}.diff.json",
                html_path=out_dir / html_name,
                images=here,
                max_crops=max_crops,
            )
        except OutputError:
            raise
        except PipelineError as err:
            log.warning("%s: %s", name, err)
            result.batch.add(IndexEntry(name, html_name, None, str(err)))
            continue
        result.batch.add(
            IndexEntry(name, html_name, report.metrics, a=str(docs_a[name]), b=str(docs_b[name])),
            report.confusions(),
        )
    write_summary(
        result.batch,
        out_dir / "index.html",
        out_dir / "index.json",
        title=f"A: {dir_a} \u2194 B: {dir_b}",
        only_a=result.only_a,
        only_b=result.only_b,
        a=str(dir_a),
        b=str(dir_b),
        normalization=(norm or Normalization()).to_dict(),
    )
    return result


def write_summary(
    batch: BatchSummary,
    html_path: Path | None,
    json_path: Path | None,
    *,
    title: str,
    only_a: list[str] | None = None,
    only_b: list[str] | None = None,
    **head: object,
) -> None:
    """Write a batch's index page and JSON (either may be None)."""
    _check_output(html_path)
    _check_output(json_path)
    if html_path is not None:
        _write(html_path, render_index(batch, only_a or [], only_b or [], title=title))
    if json_path is not None:
        data = batch.to_dict(**head, only_a=only_a or [], only_b=only_b or [])
        _write(json_path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def summarize_folder(
    folder: Path, *, html_path: Path | None = None, json_path: Path | None = None
) -> BatchSummary:
    """`diff --summary DIR`: rank the NAME.diff.json reports of DIR and add up their
    confusions into DIR/index.html and DIR/index.json (or the paths given). What only the
    directory mode knew, and wrote into DIR/index.json, is kept: the folders compared,
    the normalisation, the unpaired documents and the pairs that failed (no report)."""
    folder = Path(folder)
    batch = summarize_reports(folder)
    if html_path is None and json_path is None:
        html_path, json_path = folder / "index.html", folder / "index.json"
    kept = _directory_index(folder / "index.json")
    named = {e.name for e in batch.entries}
    for doc in kept.get("documents", []):
        if isinstance(doc, dict) and doc.get("error") and doc.get("name") not in named:
            name = str(doc["name"])
            batch.add(IndexEntry(name, f"{name}.diff.html", None, str(doc["error"])))
    head: dict[str, object] = {"reports": str(folder)}
    title = f"Reports in {folder}"
    if "a" in kept and "b" in kept:
        head.update(a=kept["a"], b=kept["b"])
        title = f"A: {kept['a']} \u2194 B: {kept['b']}"
        if "normalization" in kept:
            head["normalization"] = kept["normalization"]
    write_summary(
        batch,
        html_path,
        json_path,
        title=title,
        only_a=[str(n) for n in kept.get("only_a", [])],
        only_b=[str(n) for n in kept.get("only_b", [])],
        **head,
    )
    return batch


def _directory_index(path: Path) -> dict:
    """The index.json a directory mode wrote in the report folder ({} when there is none,
    or it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("schema") != SUMMARY_SCHEMA:
        return {}
    for key in ("only_a", "only_b", "documents"):
        if not isinstance(data.get(key, []), list):
            return {}
    return data
