"""`ocr-pipeline run INPUT... -o OUTDIR`: OCR documents into NAME.txt, NAME.words.tsv, NAME.json.

Argument handling and reporting only; the work is `pipeline.process_document` and the
exporters. Inputs are never modified. A missing dependency or an unusable output folder
stops everything; a bad input stops only that input (one error line each, processing
goes on, the exit code is the first failure's); a page that timed out or failed is a
warning line and is recorded in NAME.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import logging
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from ocr_pipeline import raster
from ocr_pipeline.errors import MissingDependencyError, OutputError, PipelineError
from ocr_pipeline.export import output_paths, write_run_outputs
from ocr_pipeline.model import Document
from ocr_pipeline.pipeline import PipelineOptions, process_document, tool_versions
from ocr_pipeline.preprocess import PreprocessOptions
from ocr_pipeline.structure import structure_pages

log = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "run",
        help="OCR scanned documents (PDF, TIFF, PNG, JPEG) into text, word table and metadata",
        description=(
            "OCR each INPUT with Tesseract (Vietnamese model), restore diacritics and OCR "
            "slips in place, and write OUTDIR/NAME.txt (pages separated by form feeds), "
            "OUTDIR/NAME.words.tsv (words with boxes and confidences) and OUTDIR/NAME.json "
            "(run metadata and the document structure), NAME being the input's stem."
        ),
    )
    parser.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="PDF, TIFF, PNG or JPEG file"
    )
    parser.add_argument(
        "-o",
        "--output-dir",
        required=True,
        type=Path,
        metavar="OUTDIR",
        help="folder for the results (created if missing)",
    )
    parser.add_argument(
        "--dpi",
        type=int,
        default=raster.DEFAULT_DPI,
        help="resolution for rendering PDF pages (default: %(default)s)",
    )
    parser.add_argument(
        "--pages", metavar="SPEC", help='pages to process, e.g. "1-3,5,7-" (default: all)'
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="pages processed in parallel (default: CPU count, %(default)s)",
    )
    parser.add_argument(
        "--lang",
        default="vie",
        help='Tesseract language model(s), e.g. "vie+eng" (default: %(default)s)',
    )
    parser.add_argument(
        "--psm", type=int, default=3, help="Tesseract page segmentation mode (default: %(default)s)"
    )
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="give up on a page after this long (default: %(default)s)",
    )
    parser.add_argument(
        "--max-pixels",
        type=int,
        default=raster.DEFAULT_MAX_PIXELS,
        metavar="N",
        help="refuse pages larger than N pixels (decompression-bomb guard; default: %(default)s)",
    )
    parser.add_argument("--no-deskew", action="store_true", help="do not straighten pages")
    parser.add_argument("--no-denoise", action="store_true", help="do not remove speckles")
    parser.add_argument(
        "--binarize",
        action="store_true",
        help="give Tesseract a black-and-white page (Wolf-Jolion) instead of the grey one",
    )
    parser.add_argument(
        "--no-restore",
        action="store_true",
        help="keep Tesseract's words as read (no diacritic restoration)",
    )
    parser.add_argument(
        "--no-structure",
        action="store_true",
        help="leave the document tree out of NAME.json",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress line (it is shown only on a terminal)",
    )
    parser.set_defaults(func=run)
    return parser


def options_from_args(args: argparse.Namespace) -> PipelineOptions:
    pre = dataclasses.replace(
        PreprocessOptions(),
        deskew=not args.no_deskew,
        denoise=not args.no_denoise,
        binarize=args.binarize,
    )
    return PipelineOptions(
        dpi=args.dpi,
        pages=args.pages,
        jobs=args.jobs,
        lang=args.lang,
        psm=args.psm,
        page_timeout=args.page_timeout,
        max_pixels=args.max_pixels,
        preprocess=pre,
        restore=not args.no_restore,
    )


def output_names(inputs: list[Path]) -> list[str]:
    """NAME for each input: its stem; "stem.ext" where stems clash; "-2", "-3" if still equal."""
    stems = Counter(p.stem for p in inputs)
    names = [p.stem if stems[p.stem] == 1 else p.name for p in inputs]
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return unique


def prepare_output_dir(outdir: Path) -> Path:
    """Create `outdir` if needed and check that files can be written in it."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            f"output folder {outdir} exists and is not a folder; choose another -o"
        ) from None
    except OSError as err:
        raise OutputError(
            f"cannot create output folder {outdir}: {err.strerror}; choose a writable -o"
        ) from None
    try:
        with tempfile.TemporaryFile(dir=outdir):
            pass
    except OSError as err:
        raise OutputError(
            f"cannot write in output folder {outdir}: {err.strerror}; choose a writable -o"
        ) from None
    return outdir


def _check_not_input(paths: dict[str, Path], inputs: list[Path]) -> None:
    resolved = {p.resolve() for p in inputs if p.exists()}
    for out in paths.values():
        if out.resolve() in resolved:
            raise OutputError(f"{out} would overwrite an input; choose another -o")


def document_structure(document: Document) -> dict:
    """The structure stage on the OCR'd (and restored) pages, with the run's source info."""
    src = document.source
    return structure_pages(document.pages, {"file": src.file, "sha256": src.sha256})


def _with_path(path: Path, message: str) -> str:
    return message if str(path) in message else f"{path}: {message}"


class _Progress:
    """A one-line page counter on stderr, redrawn in place; only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def page_done(self, label: str, done: int, total: int, _page: object = None) -> None:
        if self.enabled:
            sys.stderr.write(f"\r{label}: page {done}/{total}\x1b[K")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    options.validate()
    inputs: list[Path] = list(args.inputs)
    versions = tool_versions(options.lang)  # raises MissingDependencyError before any work
    outdir = prepare_output_dir(args.output_dir)
    settings = options.to_dict()
    first_failure = 0
    bar = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    for path, name in zip(inputs, output_names(inputs), strict=True):
        paths = output_paths(outdir, name)
        try:
            _check_not_input(paths, inputs)
            document = process_document(
                path,
                options,
                progress=functools.partial(bar.page_done, path.name),
            )
            tree = None if args.no_structure else document_structure(document)
            write_run_outputs(
                document, outdir, name, options=settings, versions=versions, structure=tree
            )
        except (MissingDependencyError, OutputError):
            raise  # nothing else can succeed either
        except PipelineError as err:
            if len(inputs) == 1:
                raise
            bar.clear()
            print(f"ocr-pipeline: error: {_with_path(path, str(err))}", file=sys.stderr)
            first_failure = first_failure or int(err.exit_code)
            continue
        finally:
            bar.clear()
        for page in document.pages:
            if page.status != "ok":
                message = _with_path(path, page.error or f"page {page.number}: {page.status}")
                print(
                    f"ocr-pipeline: warning: {message} (page left empty in {paths['text'].name})",
                    file=sys.stderr,
                )
        log.info("%s -> %s (%d page(s))", path, paths["text"], len(document.pages))
    return first_failure
