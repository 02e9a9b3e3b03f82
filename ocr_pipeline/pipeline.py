"""One document from source file to output files: `run_document` owns the whole sequence.

    raster -> preprocess -> ocr -> layout repair -> restore -> tables   (per page, `process_page`)
    -> structure -> export                                             (per document)

`process_page` is the pure per-page worker: it gets only the file path, the page number
and the options, loads its own page (so no image ever crosses a process boundary), and
returns a `model.Page`. A page that times out or fails comes back as a Page with
status "timeout" / "error" instead of raising; only errors about the whole document or a
missing dependency (encrypted PDF, no tesseract, no poppler) propagate.

`process_document` validates the input once (type, page count, page range, tesseract
and its language model) and then reads `jobs` pages at a time (`_run_pages`, as
`processes` says: OMP_THREAD_LIMIT=1 for tesseract and one OpenCV thread, because the
pages already use the cores): in a document worker on `jobs` threads of its own, which
share one copy of the pipeline, the restore decoder and the libraries; in any other
process (a script) on `jobs` page processes. Results come back ordered by page number and
hold only words, never images, so memory stays bounded by `jobs` pages. With `jobs` 1
(or a one-page selection) everything runs in the calling thread.

`run_document` is `process_document`, then the structure stage on its pages and the
exporters (`export.write_run_outputs`); a document none of whose pages could be read is
refused there, before any output is written. `batch` only schedules `run_document` calls.

As with any "forkserver"/"spawn" pool, a script that calls `process_document` with
`jobs` > 1 must guard its entry code with `if __name__ == "__main__":`.
`page_timeout` is one budget per page: whatever raster and preprocess leave of it is
Tesseract's timeout (poppler has its own render timeout, see `raster.RENDER_TIMEOUT`).
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import functools
import logging
import queue
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ocr_pipeline import processes, raster
from ocr_pipeline.document_restore import PageReading, restore_recipient_codes
from ocr_pipeline.errors import (
    EncryptedPdfError,
    ExitCode,
    InputFileError,
    MissingDependencyError,
    OcrFailedError,
    OutputError,
    PageTimeoutError,
    PipelineError,
)
from ocr_pipeline.fileio import is_no_space, no_space_error, sha256_file
from ocr_pipeline.layout import repair_page
from ocr_pipeline.model import BBox, Document, Page, SourceInfo
from ocr_pipeline.ocr import (
    Orientation,
    check_tesseract,
    detect_orientation,
)
from ocr_pipeline.options import ROTATE_PAGES_THRESHOLD as ROTATE_PAGES_THRESHOLD  # re-exported
from ocr_pipeline.options import PipelineOptions
from ocr_pipeline.preprocess import preprocess
from ocr_pipeline.reread import is_weak_page, read_twice, word_alternatives
from ocr_pipeline.tables import read_page_tables
from ocr_pipeline.tails import read_tails
from ocr_pipeline.versions import tool_versions as tool_versions  # re-exported

log = logging.getLogger(__name__)

#: Errors that concern the whole document or the installation: never a per-page status.
FATAL_ERRORS: tuple[type[PipelineError], ...] = (
    EncryptedPdfError, MissingDependencyError, OutputError,
)  # fmt: skip
STEPS = ("raster", "preprocess", "ocr", "restore")


class PageWorkerDied(PipelineError):
    """A page worker process died (killed for memory, or a crash inside Tesseract, which
    reads pages in-process): its document fails as a crashed document worker does."""

    exit_code = ExitCode.child_process_error


#: Tesseract refuses a side over 32767 px ("Image too large"); a 1 px side has nothing to
#: read and preprocessing's resampling fails on it
MAX_SIDE, MIN_SIDE = 32767, 2
#: OSD reads a copy of the page shrunk by this factor; 0.5 lost sparse pages (87.5% vs 91.7%
#: right) and saved no clear time (scripts/bench_orientation.py --scale 0.5).
OSD_SCALE = 1.0


def osd_view(
    gray: Any,
    dpi: int,
    scale: float = OSD_SCALE,
    timeout: float | None = None,
    page_number: int = 1,
) -> Orientation:
    """Tesseract OSD on a copy of the grey page shrunk by `scale` (OSD needs no fine detail)."""
    import cv2

    if scale != 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return detect_orientation(gray, page_number=page_number, dpi=max(10, round(dpi * scale)),
                              timeout=timeout)  # fmt: skip


# ------------------------------------------------------------------------------ one page


def _restore(
    page: Page,
    lang: str,
    profile: str | None = None,
    alternatives: Mapping[BBox, str] | None = None,
    lexicon: str | None = None,
) -> Page:
    """The restore stage, run after OCR when `PipelineOptions.restore` is set.

    The channel model matches the OCR model: the `vie` channel knows Tesseract-vie's tone
    slips, the `eng` one the diacritic losses of an English model. `profile`: the archive
    profile file of `run --profile`; `lexicon`: the user lexicon file of `run --lexicon`.
    `alternatives`: a second reading's words (word box -> text,
    `reread.word_alternatives`), decoded with the first's (`restore.alternatives`).
    """
    if alternatives:
        from ocr_pipeline.restore.alternatives import restore_with_alternatives

        pages, _ = restore_with_alternatives([page], [alternatives], _channel(lang),
                                             profile=profile, lexicon=lexicon)  # fmt: skip
        return pages[0]
    from ocr_pipeline.restore import restore_page  # imported only when asked for

    return restore_page(page, channel=_channel(lang), profile=profile, lexicon=lexicon)


def _channel(lang: str) -> str:
    """The restore channel of an OCR model (see `_restore`)."""
    return "vie" if "vie" in lang.split("+") else "eng"


def _check_side(size: tuple[int, int], number: int) -> None:
    width, height = size
    if max(width, height) > MAX_SIDE:
        raise InputFileError(
            f"page {number} is {width}x{height} px, over Tesseract's {MAX_SIDE} px a side; "
            "split the page (for a PDF, lower --dpi)"
        )
    if min(width, height) < MIN_SIDE:
        raise InputFileError(f"page {number} is {width}x{height} px, too small to read")


def _run_page(
    path: Path, number: int, options: PipelineOptions
) -> tuple[Page, dict[str, float], PageReading | None]:
    """`process_page` plus the seconds spent in each step (for Document.timings) and, when
    the page was restored, what was read of it before restoration (`_restore_document`
    restores a weak document's readings again, adapted to the document)."""
    steps = dict.fromkeys(STEPS, 0.0)
    start = time.perf_counter()
    width = height = 0
    dpi = options.dpi or raster.DEFAULT_DPI
    skew = 0.0
    orientation = 0
    raster_size = (0, 0)
    reading = None

    def failed(status: str, error: str) -> Page:
        """The page without words, with what was learnt of it before the failure."""
        return Page(number, width, height, dpi, skew_angle=skew, orientation=orientation,
                    status=status, error=error, raster_width=raster_size[0] or None,
                    raster_height=raster_size[1] or None)  # fmt: skip

    def remaining() -> float | None:
        if not options.page_timeout:
            return None
        left = options.page_timeout - (time.perf_counter() - start)
        if left <= 0:
            raise PageTimeoutError(timed_out(number, options.page_timeout))
        return left

    try:
        t = time.perf_counter()
        pre = options.preprocess
        rendered = raster.load_page(path, number, dpi=options.dpi, max_pixels=options.max_pixels,
                                    gray=pre.grayscale or pre.binarize)  # fmt: skip
        _check_side(rendered.image.size, number)  # the input's fault, not tesseract's
        dpi = rendered.dpi
        width, height = raster_size = rendered.image.size  # until preprocess says otherwise
        steps["raster"] = time.perf_counter() - t
        remaining()

        t = time.perf_counter()
        orient = None
        if options.rotate_pages:

            def orient(gray: Any) -> int:
                found = osd_view(gray, dpi, timeout=remaining(), page_number=number)
                if found.angle and found.confidence < options.rotate_pages_threshold:
                    log.info(
                        "page %d: looks turned %d degrees, but OSD confidence %.1f is "
                        "below --rotate-pages-threshold %g; left as it is",
                        number,
                        found.angle,
                        found.confidence,
                        options.rotate_pages_threshold,
                    )
                    return 0
                return found.angle

        prepared = preprocess(rendered.image, options.preprocess, orient=orient, dpi=dpi,
                              bilevel=rendered.bilevel)  # fmt: skip
        del rendered
        height, width = prepared.image.shape[:2]  # word boxes refer to this image
        skew = float(prepared.skew_angle)
        orientation = prepared.orientation
        steps["preprocess"] = time.perf_counter() - t

        t = time.perf_counter()
        budget = remaining()
        # lines the page layout dropped are read alone; the weak words of a weak page (and
        # a confident page's doubtful ones) are read twice (ocr_pipeline.reread;
        # --no-reread-weak-pages: once), and the second
        # reading's words restored with the first's (restore.alternatives): only restoration
        # uses them, so without it the page is read once
        lines, second = read_twice(prepared.image, page_number=number, dpi=dpi,
                                   lang=options.lang, psm=options.psm, timeout=budget,
                                   footnote_markers=options.footnote_markers,
                                   second_opinion=options.reread_weak_pages
                                   and options.restore)  # fmt: skip
        if prepared.thickened and options.restore:
            # a light copy's comma tails, broken off, are still ink under the baseline
            lines = read_tails(prepared.image, lines)
        alternatives = word_alternatives(lines, second) if second is not None else {}
        steps["ocr"] = time.perf_counter() - t
        page = Page(number=number, width=width, height=height, dpi=dpi, lines=lines,
                    skew_angle=skew, orientation=orientation, raster_width=raster_size[0],
                    raster_height=raster_size[1])  # fmt: skip
        if options.restore:
            t = time.perf_counter()
            reading = PageReading(page.lines, alternatives, weak=is_weak_page(lines))
            with processes.RESTORE_LOCK:  # pages on threads restore one at a time
                page = (
                    _restore(page, options.lang, profile=options.profile,
                             alternatives=alternatives, lexicon=options.lexicon)
                    if alternatives
                    else _restore(page, options.lang, profile=options.profile,
                                  lexicon=options.lexicon)
                )  # fmt: skip
            # the recipients block's small type misread on any scan ("(b/©)" for "(b/c)")
            if (coded := restore_recipient_codes(page.lines)) is not page.lines:
                page = replace(page, lines=coded)
            steps["restore"] = time.perf_counter() - t
        # restored or not: markers restore split off go back to Word.marker, specks and
        # label glyphs are repaired from their boxes (layout.repair_page)
        page = repair_page(page)
        if options.tables:  # a page without a ruled table comes back as it was
            t = time.perf_counter()
            page = read_page_tables(page, prepared.image, lang=options.lang,
                                    restore=options.restore, profile=options.profile,
                                    lexicon=options.lexicon,
                                    timeout=remaining())  # fmt: skip
            steps["ocr"] += time.perf_counter() - t
        del prepared
    except FATAL_ERRORS:
        raise
    except PageTimeoutError as err:  # tesseract's own wording too: one line for a timeout
        page = failed("timeout", timed_out(number, options.page_timeout) or str(err))
    except PipelineError as err:
        page = failed("error", str(err))
    except OSError as err:
        if is_no_space(err):  # the temp disk is full: no page or document can succeed
            raise no_space_error() from None
        log.info("page %d of %s failed", number, path, exc_info=True)  # shown with -v
        page = failed("error", f"page {number}: unexpected {type(err).__name__}: {err}")
    except Exception as err:  # one bad page must not sink a 500-page batch
        log.info("page %d of %s failed", number, path, exc_info=True)  # shown with -v
        page = failed("error", f"page {number}: unexpected {type(err).__name__}: {err}")
    page.seconds = time.perf_counter() - start
    return page, steps, reading if page.status == "ok" else None


def process_page(path: Path, number: int, options: PipelineOptions) -> Page:
    """Rasterise, preprocess and OCR page `number` (1-based) of `path`.

    Returns a Page whose status is "ok", "timeout" or "error" (with `error` saying
    why). Raises only for whole-document problems (EncryptedPdfError,
    MissingDependencyError).
    """
    return _run_page(Path(path), number, options)[0]


# ------------------------------------------------------------------------------ workers


def _load_shared(options: PipelineOptions, readers: int = 1) -> None:
    """Load, before the page threads start, what every page needs once per process (page
    threads would each load what they found missing): the restore decoder, the Tesseract
    checks (`check_tesseract` for `options.lang` ran in `process_document`; layout repair
    reads marker digits with the "eng" model when it is installed) and, when pages are
    read in-process, Tesseract's models for the page and for the markers, one API each
    for each of `readers` pages read at once (made later, a second thread's would count
    against its first page's time)."""
    from ocr_pipeline import tesseract
    from ocr_pipeline.layout import preload_marker_reader

    tesseract.preload(options.lang, count=readers)
    if options.footnote_markers:
        preload_marker_reader(options.lang, readers)
    if options.restore:
        from ocr_pipeline.restore import get_decoder

        get_decoder(_channel(options.lang))


def _run_pages(
    path: Path,
    numbers: list[int],
    options: PipelineOptions,
    on_page: Callable[[Page], None],
) -> list[tuple[Page, dict[str, float], PageReading | None]]:
    """Run `numbers` on `options.jobs` threads or processes; results in page order.

    A document worker (`processes.pages_on_threads`) reads them on `jobs` threads of its
    own (`_run_pages_on_threads`). Anywhere else (a script) they run on `jobs` page
    processes of `processes.page_context` (`_run_pages_in_processes`). Either way each
    reader takes the next page as it finishes one, so the pages split by speed, not in
    fixed shares.
    """
    jobs = max(1, min(options.jobs, len(numbers)))
    results: list[tuple[Page, dict[str, float], PageReading | None]] = []

    def record(result: tuple[Page, dict[str, float], PageReading | None]) -> None:
        on_page(result[0])
        results.append(result)

    if jobs == 1:
        for n in numbers:
            record(_run_page(path, n, options))
    elif processes.pages_on_threads():
        _run_pages_on_threads(path, numbers, options, jobs, record)
    else:
        _run_pages_in_processes(path, numbers, options, jobs, record)
    results.sort(key=lambda r: r[0].number)
    return results


def _run_pages_on_threads(
    path: Path,
    numbers: list[int],
    options: PipelineOptions,
    jobs: int,
    record: Callable[[tuple[Page, dict[str, float], PageReading | None]], None],
) -> None:
    """The pages on this thread and `jobs - 1` more (see `processes.pages_on_threads`).

    `record` runs on one thread at a time. A whole-document error (`FATAL_ERRORS`) on any
    thread stops the others taking pages and is raised here once they have finished theirs.
    """
    _load_shared(options, readers=jobs)
    pending = collections.deque(numbers)
    lock = threading.Lock()  # the queue, `record` and `failed`
    failed: list[BaseException] = []

    def read() -> None:
        while True:
            with lock:
                if failed or not pending:
                    return
                number = pending.popleft()
            try:
                result = _run_page(path, number, options)
            except BaseException as err:  # noqa: BLE001 - raised again on the calling thread
                with lock:
                    failed.append(err)
                return
            with lock:
                if not failed:
                    try:
                        record(result)
                    except BaseException as err:  # noqa: BLE001 - the same
                        failed.append(err)

    helpers = [
        threading.Thread(target=read, name=f"ocr-pipeline-page-{i}", daemon=True)
        for i in range(1, jobs)
    ]
    for thread in helpers:
        thread.start()
    try:
        read()
    finally:
        for thread in helpers:
            thread.join()
    if failed:
        raise failed[0]


def _run_pages_in_processes(
    path: Path,
    numbers: list[int],
    options: PipelineOptions,
    jobs: int,
    record: Callable[[tuple[Page, dict[str, float], PageReading | None]], None],
) -> None:
    """The pages on `jobs` page processes (a script's process: `processes.page_context`)."""
    executor = cf.ProcessPoolExecutor(
        max_workers=jobs, mp_context=processes.page_context(),
        initializer=processes.init_worker, initargs=(processes.worker_env(),),
    )  # fmt: skip
    pending = collections.deque(numbers)
    lock = threading.Lock()  # `feed` runs in the pool's thread too
    finished: queue.SimpleQueue[cf.Future | BaseException] = queue.SimpleQueue()

    def take() -> int | None:
        with lock:
            return pending.popleft() if pending else None

    def feed(done: cf.Future | None = None) -> None:
        """Hand the pool its next page; called again as each of its pages finishes."""
        if done is not None:
            finished.put(done)
        number = take()
        if number is None:
            return
        try:
            future = executor.submit(_run_page, path, number, options)
        except (RuntimeError, cf.process.BrokenProcessPool) as err:  # broken or shut down
            finished.put(err)
            return
        future.add_done_callback(feed)

    try:
        for _ in range(jobs):
            feed()
        for _ in numbers:
            item = finished.get()
            if isinstance(item, BaseException):
                raise item
            record(item.result())
    except cf.process.BrokenProcessPool:
        raise PageWorkerDied(
            f"{path}: a page worker process died (out of memory? a crash or hang in Tesseract?); "
            "retry with --retry-failed or fewer --jobs (for a PDF, a lower --dpi; scripts "
            "calling the pipeline need an `if __name__ == '__main__':` guard)"
        ) from None
    finally:
        with lock:
            pending.clear()  # nothing more for the pool, whatever happened
        executor.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------------------ document


def select_pages(path: Path, options: PipelineOptions) -> tuple[str, int, list[int]]:
    """Validate the input; return (media type, page count, page numbers to process)."""
    media_type = raster.detect_media_type(path)
    total = raster.page_count(path)
    numbers = (
        raster.parse_page_ranges(options.pages, total)
        if options.pages
        else list(range(1, total + 1))
    )
    return media_type, total, numbers


#: A PDF page holds text of its own, which the searchable PDF keeps instead of a layer of
#: ours (`Page.own_text`), when `pdftotext` finds at least this share of the words we read
#: on it: a born-digital page's text, or an earlier OCR's whole layer; not a footer, a
#: note or a signature stamp on a scan ("Ký bởi: UBND tỉnh ...": a few words).
OWN_TEXT_SHARE = 0.5


def holds_own_text(own_words: int, our_words: int) -> bool:
    """Whether a PDF page with `own_words` words of text of its own, on which we read
    `our_words`, holds its text (see OWN_TEXT_SHARE): a page we read no word on does as
    soon as it has any."""
    return own_words > 0 and own_words >= OWN_TEXT_SHARE * our_words


def process_document(
    path: Path,
    options: PipelineOptions | None = None,
    progress: Callable[[int, int, Page], None] | None = None,
) -> Document:
    """Process the selected pages of one input file; pages come back in page order.

    `progress(done, total, page)` is called in this process as each page finishes (in
    completion order). Raises a PipelineError for problems with the input as a whole
    (missing, empty, not a PDF/TIFF/PNG/JPEG, encrypted, corrupt), bad options, or a
    missing dependency.
    """
    options = options or PipelineOptions()
    options.validate()
    path = Path(path)
    started = time.perf_counter()
    # one clear error instead of one per page ("osd" is the orientation model)
    check_tesseract(options.lang + ("+osd" if options.rotate_pages else ""))
    media_type, total, numbers = select_pages(path, options)
    source = SourceInfo(file=path.name, sha256=sha256_file(path), pages=total,
                        media_type=media_type)  # fmt: skip
    log.info("%s: %d of %d page(s), %s, jobs=%d", path, len(numbers), total, media_type,
             min(options.jobs, len(numbers)))  # fmt: skip
    done = 0

    def on_page(page: Page) -> None:
        nonlocal done
        done += 1
        log.info("%s: page %d done (%d/%d) %s in %.1f s%s", path.name, page.number, done,
                 len(numbers), page.status, page.seconds,
                 f": {page.error}" if page.error else "")  # fmt: skip
        if progress is not None:
            progress(done, len(numbers), page)

    results = _run_pages(path, numbers, options, on_page)
    timings = {step: sum(r[1][step] for r in results) for step in STEPS}
    pages = [r[0] for r in results]
    restoration = None
    if options.restore:
        readings = {r[0].number: r[2] for r in results if r[2] is not None}
        del results
        pages, restoration, seconds = _restore_document(pages, readings, options)
        timings["restore"] += seconds
        # the reviewer's confidence, once the text is settled (it never changes the text)
        from ocr_pipeline import page_confidence

        pages = [page_confidence.reviewed(p) for p in pages]
    if media_type == raster.PDF:
        own = raster.text_words(path)
        # an earlier OCR's invisible layer is no text of the page's own: ours replaces it
        from ocr_pipeline import pdf_text_layer  # pikepdf: only for a PDF with text

        with_text = [p.number for p in pages if own.get(p.number)]
        layered = pdf_text_layer.invisible_layer_pages(path, with_text) if with_text else set()
        for page in pages:
            page.own_text = page.number not in layered and holds_own_text(
                own.get(page.number, 0), len(page.words)
            )
    timings["total"] = time.perf_counter() - started
    return Document(source=source, pages=pages, timings=timings, restoration=restoration)


def _restore_document(
    pages: list[Page], readings: Mapping[int, PageReading], options: PipelineOptions
) -> tuple[list[Page], dict[str, Any], float]:
    """The document-level restore step (`document_restore`): when the restorer was unsure
    of many of the document's words, the pages' `readings` (page number -> lines before
    restoration) are restored again with one decoder adapted to all of them. Returns the
    pages, what NAME.json records of it ("restoration") and the seconds spent, which are
    also shared among the pages' own seconds by their word counts."""
    from ocr_pipeline import document_restore

    share = document_restore.unsure_share(pages)
    record: dict[str, Any] = {
        "channel": _channel(options.lang),
        "unsure_share": None if share is None else round(share, 4),
        "adapted": False,
        "adaptation": None,
    }
    if not document_restore.is_weak(pages, readings):
        return pages, record, 0.0
    t = time.perf_counter()
    restored, adaptation = document_restore.restore_adapted(
        pages,
        readings,
        _channel(options.lang),
        profile=options.profile,
        lexicon=options.lexicon,
    )
    seconds = time.perf_counter() - t
    record["adapted"] = adaptation is not None
    record["adaptation"] = adaptation.to_dict() if adaptation is not None else None
    redone = [new for new, old in zip(restored, pages, strict=True) if new is not old]
    words = sum(len(p.words) for p in redone)
    for page in redone:
        page.seconds += seconds * len(page.words) / max(1, words)
    return restored, record, seconds


@dataclass
class DocumentRun:
    """What `run_document` made: the processed document and the files written, by kind."""

    document: Document
    outputs: dict[str, Path]


def timed_out(number: int, limit: float | None) -> str:
    """The one line for a page that ran out of --page-timeout ("" without a limit)."""
    if not limit:
        return ""
    return (f"page {number}: ran out of its time (--page-timeout {limit:g} s); "
            "raise --page-timeout (or, for a PDF, lower --dpi)")  # fmt: skip


def check_readable(document: Document) -> None:
    """Refuse a document none of whose pages could be read: nothing to show for it (e.g. a
    pixel bomb, or every page timed out) is a failed document, not a warning. Raises
    PageTimeoutError (exit 7) when every page timed out, OcrFailedError when the pages
    were rendered but OCR failed on all of them, InputFileError otherwise (a page that
    cannot be read says more than one that ran out of time)."""
    unreadable = [p for p in document.pages if p.status in ("error", "timeout")]
    if not document.pages or len(unreadable) < len(document.pages):
        return
    if all(p.status == "timeout" for p in unreadable):
        timeout = unreadable[0]
        raise PageTimeoutError(
            f"no page was read in time ({timeout.error or f'page {timeout.number}: timeout'})"
        )
    errors = [p for p in unreadable if p.status == "error"]
    first = errors[0].error or f"page {errors[0].number}: error"
    if all(p.width and p.height for p in errors):  # rendered, then OCR failed
        raise OcrFailedError(
            f"every page was read but OCR failed ({first}); check tesseract "
            "(or OCR_PIPELINE_TESSERACT) and rerun with --retry-failed"
        )
    raise InputFileError(
        first
        if len(unreadable) == 1
        else f"none of its {len(unreadable)} pages could be read: {first}"
    )


def page_images(path: Path) -> Callable[[Page], Any]:
    """The original pixels of a page of `path`, read again as for OCR (`export.pdf` embeds
    them in an image input's searchable PDF; no page image is kept after OCR)."""
    return functools.partial(_original_pixels, Path(path))


def _original_pixels(path: Path, page: Page) -> Any:
    # the pixel-bomb guard already passed when the page was read for OCR
    return raster.load_page(path, page.number, dpi=page.dpi, max_pixels=1 << 40).image


def structure_document(document: Document) -> dict:
    """The structure stage on the OCR'd (and restored) pages, with the run's source info."""
    from ocr_pipeline.structure import structure_pages

    src = document.source
    return structure_pages(document.pages, {"file": src.file, "sha256": src.sha256})


def run_document(
    path: Path,
    options: PipelineOptions,
    outdir: Path,
    name: str,
    *,
    structure: bool = True,
    output_types: Collection[str] = (),
    settings: Mapping[str, Any] | None = None,
    versions: Mapping[str, Any] | None = None,
    progress: Callable[[int, int, Page], None] | None = None,
) -> DocumentRun:
    """The whole sequence for one document: its pages (`process_document`), the structure
    tree (unless `structure` is off) and the outputs OUTDIR/NAME.* (`export`).

    `settings` is what NAME.json records as the options, `versions` the tool versions;
    `output_types` the archive formats wanted besides txt/words.tsv/json. Raises a
    PipelineError for a problem with the document as a whole (see `process_document`,
    `check_readable`) or its outputs.
    """
    from ocr_pipeline.export import write_run_outputs

    path = Path(path)
    document = process_document(path, options, progress=progress)
    check_readable(document)
    tree = structure_document(document) if structure else None
    outputs = write_run_outputs(document, Path(outdir), name, options=settings,
                                versions=versions, structure=tree,
                                output_types=output_types, source_path=path,
                                page_image=page_images(path))  # fmt: skip
    return DocumentRun(document=document, outputs=outputs)
