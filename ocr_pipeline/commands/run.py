"""`ocr-pipeline run INPUT... -o OUTDIR`: OCR documents into NAME.txt, NAME.words.tsv, NAME.json.

Argument handling and reporting only; the batch work is `batch.run_batch` (inputs,
manifest, resume, workers) and per document `pipeline.run_document` (pages, structure,
outputs).
INPUTs are files or folders (searched recursively, `--include`/`--exclude` globs), plus
`--from-list FILE`; folder trees are mirrored under OUTDIR. Inputs are never modified and
nothing is written outside OUTDIR. Re-running the same command resumes from the manifest
OUTDIR/.ocr-pipeline.sqlite: finished documents are skipped by content hash, failed ones
are retried only with `--retry-failed`, changed ones are redone. A bad input stops only
that input (one error line each, the batch goes on); a page that timed out or failed is a
warning line and is recorded in NAME.json, and its document is redone, as a failed one,
by a rerun with other limits or with `--retry-failed`. The same file named twice is read
once; a sub-folder holding an earlier run's manifest is skipped.

Exit codes (OCRmyPDF numbering, `errors.ExitCode`):

    0   every document done (pages that failed or timed out are warnings, not failures)
    1   bad arguments (including --scheduler, --output-type, nan/inf timeouts), or a
        document refused (its --pages do not fit, a --from-list entry with '..' or an
        absolute path, a path leaving its folder through a symlink, a symlink loop)
    2   a document could not be read (missing, empty, corrupt, not PDF/TIFF/PNG/JPEG,
        not a regular file (FIFO, device), zero pages, or none of its pages readable,
        e.g. a pixel bomb over --max-pixels)
    3   a dependency is missing (tesseract, its language model, poppler; dask or an
        unreachable scheduler for --scheduler); nothing further is started
    5   OUTDIR cannot be written, another batch holds it, or a document's outputs would
        land outside OUTDIR (a symlinked sub-folder) or on an input; the manifest is
        damaged or its disk full; the temporary folder is full. It stops the batch; a
        plain rerun retries those documents once the cause is fixed
    7   a document's worker crashed or exceeded --doc-timeout, or tesseract failed on
        every page of a readable document
    8   a document is an encrypted PDF
    15  any other error
    130 interrupted (Ctrl-C, SIGTERM, SIGHUP); rerun the same command to resume

When several documents fail, the exit code is the first failed document's in input order
(documents that failed in an earlier run and were not retried count too), except that a
missing dependency (3) or an unwritable OUTDIR (5) always wins.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import os
import shlex
import sys
import tempfile
from pathlib import Path

from ocr_pipeline import raster
from ocr_pipeline.batch import LOCK_NAME, BatchConfig, collect_inputs, run_batch
from ocr_pipeline.commands.textargs import load_lexicon, load_profile
from ocr_pipeline.errors import BadArgumentsError, OutputError, PipelineError
from ocr_pipeline.export import ARCHIVE_TYPES, OUTPUT_TYPES
from ocr_pipeline.manifest import MANIFEST_NAME
from ocr_pipeline.options import ROTATE_PAGES_THRESHOLD, PipelineOptions, PreprocessOptions
from ocr_pipeline.safetext import escape_controls
from ocr_pipeline.versions import tool_versions

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
        "inputs",
        nargs="*",
        type=nonempty_path,
        metavar="INPUT",
        help="PDF, TIFF, PNG or JPEG file, or a folder (searched recursively)",
    )
    parser.add_argument(
        "--from-list",
        type=nonempty_path,
        metavar="FILE",
        help="also process the files or folders listed in FILE (one per line, relative to "
        "FILE's folder; # comments)",
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders, process only files matching GLOB (name or relative path, "
        "case-insensitive; repeatable; default: *.pdf *.tif *.tiff *.png *.jpg *.jpeg)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders, skip files matching GLOB (repeatable)",
    )
    parser.add_argument(
        "-o",
        "--output-dir",
        required=True,
        type=nonempty_path,
        metavar="OUTDIR",
        help="folder for the results (created if missing)",
    )
    parser.add_argument(
        "--dpi",
        type=int,
        default=None,
        help="resolution for rendering PDF pages (default: a scanned page's own resolution,"
        f" up to {raster.DEFAULT_DPI}; {raster.DEFAULT_DPI} for other pages)",
    )
    parser.add_argument(
        "--pages", metavar="SPEC", help='pages to process, e.g. "1-3,5,7-" (default: all)'
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes: across documents when there are several, across the "
        "pages of a single document (default: CPU count, %(default)s)",
    )
    parser.add_argument(
        "--doc-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop a document after this long and record it as failed (default: no limit)",
    )
    parser.add_argument(
        "--retry-failed",
        action="store_true",
        help="process again the documents the manifest records as failed, and those done "
        "with pages left empty (a page that timed out or failed)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="process every document again, even those the manifest records as done",
    )
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run the documents on this Dask distributed scheduler (needs the 'distributed' "
        "extra; workers must see INPUT and OUTDIR at the same paths)",
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
    parser.add_argument(
        "--rotate-pages",
        action="store_true",
        help="turn pages scanned sideways or upside down upright first (Tesseract OSD, "
        "about 1 s a page more)",
    )
    parser.add_argument(
        "--rotate-pages-threshold",
        type=float,
        default=ROTATE_PAGES_THRESHOLD,
        metavar="CONF",
        help="only turn a page when OSD's orientation confidence is at least CONF "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--no-footnote-markers",
        action="store_true",
        help="do not read footnote marker digits from the page image (0.3-0.5 s a page "
        "faster; Tesseract loses most markers, so footnotes link less often)",
    )
    parser.add_argument("--no-tables", action="store_true",
                        help="do not read tables cell by cell (no NAME.table-N.csv)")  # fmt: skip
    parser.add_argument(
        "--reread-weak-pages",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="on a page Tesseract is unsure of, read its unsure words again from a smoothed "
        "view and restore each from both readings (the default; photocopies, faxes: "
        "1.1-1.4x the time there)",
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
        "--profile",
        metavar="PROFILE",
        help="archive profile written by `ocr-pipeline learn` from a reviewer's corrections: "
        "the restore stage uses its confusions and names (as restore --profile)",
    )
    parser.add_argument(
        "--lexicon",
        metavar="FILE",
        help="local names and terms to keep and prefer, one a line (as restore --lexicon)",
    )
    parser.add_argument(
        "--output-type",
        action="append",
        default=[],
        metavar="TYPE[,TYPE]",
        help="also write archive formats: pdf (NAME.ocr.pdf, searchable), pdfa (the same as "
        "PDF/A-2b; needs OCRmyPDF >= 17.13, for some PDFs Ghostscript), hocr (NAME.hocr), "
        "alto (NAME.alto.xml); txt, words.tsv and json are always written",
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
        help="no progress display (a redrawn line on a terminal, else a line every 30 s)",
    )
    parser.set_defaults(func=run)
    return parser


def nonempty_path(text: str) -> Path:
    """A path argument; "" is refused (Path("") is ".": an unset shell variable would have
    processed, or written into, the current folder)."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path; give a file or folder")
    return Path(text)


def _restore_file(args: argparse.Namespace, option: str, name: str | None, load) -> str | None:
    """The absolute path of a file the restore stage reads (--profile, --lexicon), checked
    by `load` first: a bad one stops here, with one line."""
    if name is None:
        return None
    if args.no_restore:
        raise BadArgumentsError(f"{option} is for the restore stage; drop --no-restore")
    load(name)
    return str(Path(name).resolve())


def options_from_args(args: argparse.Namespace) -> PipelineOptions:
    profile = _restore_file(args, "--profile", args.profile, load_profile)
    lexicon = _restore_file(args, "--lexicon", args.lexicon, load_lexicon)
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
        rotate_pages=args.rotate_pages,
        rotate_pages_threshold=args.rotate_pages_threshold,
        footnote_markers=not args.no_footnote_markers,
        tables=not args.no_tables,
        reread_weak_pages=args.reread_weak_pages,
        profile=profile,
        lexicon=lexicon,
    )


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


def remove_if_untouched(outdir: Path) -> None:
    """Remove an OUTDIR this run created when it holds only the batch's bookkeeping (the
    manifest and its lock): a run that failed before any document leaves nothing behind."""
    bookkeeping = {LOCK_NAME, MANIFEST_NAME, f"{MANIFEST_NAME}-wal", f"{MANIFEST_NAME}-shm",
                   f"{MANIFEST_NAME}-journal"}  # fmt: skip
    try:
        names = {p.name for p in outdir.iterdir()}
        if names <= bookkeeping:
            for name in names:
                (outdir / name).unlink()
            outdir.rmdir()
    except OSError as err:
        log.debug("could not remove %s: %s", outdir, err)


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    options.validate()
    if args.doc_timeout is not None and not 0 < args.doc_timeout < math.inf:  # nan, inf too
        raise BadArgumentsError(
            f"--doc-timeout {args.doc_timeout:g} is invalid; use a positive number of seconds"
        )
    if not args.inputs and args.from_list is None:
        raise BadArgumentsError("no input given; name files or folders, or use --from-list")
    # "-" is stdin/stdout for the text commands; run reads scans and writes several files
    if str(args.output_dir) == "-":
        raise BadArgumentsError(
            "run writes several files a document: give an output folder (-o OUTDIR), not - (stdout)"
        )
    if any(str(i) == "-" for i in args.inputs):
        raise BadArgumentsError(
            "run reads scans from files: give the file or folder, not - "
            "(stdin); save the scan to a file first"
        )
    if args.from_list is not None and not args.from_list.is_file():
        what = "is not a regular file" if os.path.lexists(args.from_list) else "does not exist"
        raise BadArgumentsError(
            f"--from-list {args.from_list} {what}; give the text file listing the inputs"
        )
    versions = tool_versions(options.lang)  # raises MissingDependencyError before any work
    items = collect_inputs(args.inputs, from_list=args.from_list, include=args.include,
                           exclude=args.exclude, outdir=args.output_dir)  # fmt: skip
    if not items:
        raise BadArgumentsError(
            "no input files found (folders are searched for --include patterns); check the "
            "paths and globs"
        )
    types = [t.strip().lower() for arg in args.output_type for t in arg.split(",") if t.strip()]
    unknown = sorted(set(types) - set(OUTPUT_TYPES))
    if unknown:
        raise BadArgumentsError(
            f"--output-type {','.join(unknown)} is unknown; use {', '.join(OUTPUT_TYPES)}"
        )
    if "pdfa" in types:  # MissingDependencyError (exit 3) before any work
        from ocr_pipeline.export.pdfa import ocrmypdf_version

        ocrmypdf_version()
    created = not args.output_dir.exists()
    outdir = prepare_output_dir(args.output_dir)  # only once every argument is checked
    config = BatchConfig(
        outdir=outdir,
        options=options,
        settings=options.to_dict(),
        versions=dict(versions),
        structure=not args.no_structure,
        output_types=tuple(t for t in ARCHIVE_TYPES if t in types),
        jobs=options.jobs,
        doc_timeout=args.doc_timeout,
        retry_failed=args.retry_failed,
        force=args.force,
        scheduler=args.scheduler,
        quiet=args.quiet,
        other_inputs=(args.from_list,) if args.from_list is not None else (),
    )
    try:
        summary = run_batch(items, config)
    except PipelineError:  # e.g. a bad or unreachable --scheduler: no document was started
        if created:
            remove_if_untouched(outdir)
        raise
    if (created and args.from_list is None and not summary.done
            and not any(os.path.lexists(p) for p in args.inputs)):  # fmt: skip
        # no file named on the command line existed (a typo): no folder left behind; a
        # list's refused entries stay recorded for `status`
        remove_if_untouched(outdir)
    log.info("%d done, %d failed, %d skipped (done before)", summary.done, summary.failed,
             summary.skipped)  # fmt: skip
    total = summary.done + summary.skipped + summary.failed
    where = escape_controls(shlex.quote(str(outdir)))
    # a batch stopped at the first error of the installation or OUTDIR (a full disk) left
    # documents it never started: a plain rerun does them once that is fixed
    unstarted = summary.unstarted
    if summary.failed and total + unstarted > 1:  # the error lines scrolled by
        left = f", {unstarted} not started (a plain rerun does them)" if unstarted else ""
        print(f"ocr-pipeline: {summary.done + summary.skipped} of {total + unstarted} documents"
              f" done, {summary.failed} failed{left}; ocr-pipeline status {where} lists them"
              " and what to do", file=sys.stderr)  # fmt: skip
    if summary.to_check and total > 1:  # warnings scrolled by too: which need a person
        print(f"ocr-pipeline: {summary.to_check} document(s) done with a warning to check"
              f" (a page with no text or likely garbage, a misnamed file, a PDF page with"
              f" text of its own); ocr-pipeline"
              f" status {where} lists them", file=sys.stderr)  # fmt: skip
    if summary.skipped and not summary.done and not summary.failed and not args.quiet:
        # a rerun with nothing to do printed nothing at all
        print(f"ocr-pipeline: nothing to do: {summary.skipped} document(s) done before in"
              f" {where} (--force does them again)", file=sys.stderr)  # fmt: skip
    return summary.exit_code
