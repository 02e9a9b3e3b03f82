"""One document as a unit of batch work: the task sent to a worker and the result it sends back.

`process_task` runs `pipeline.run_document` for a `DocTask` and never raises for the
document's own problems: a failure is a `DocResult` with the one-line error and its exit
code (`crash_result` and `timeout_result` are the results of a worker that died or ran out
of time, made by the scheduler). A done document's warnings are its empty pages and its
pages read so unsurely that their text is likely garbage: turned, without --rotate-pages,
or no document or too poor a scan with it (`sideways_hints`), and its landscape pages that
hold two documents side by side (`two_up_hints`).
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocr_pipeline import raster
from ocr_pipeline.batch.inputs import output_base
from ocr_pipeline.errors import ExitCode, PipelineError
from ocr_pipeline.model import Document, Page
from ocr_pipeline.options import PipelineOptions

log = logging.getLogger(__name__)

#: A page read with a mean word confidence below this, without --rotate-pages, gets a
#: warning suggesting --rotate-pages. scripts/bench_sideways_hint.py: upright pages read
#: 79.5-96.2 (the lowest a 150-dpi fax), pages turned 90/180/270 degrees that Tesseract
#: read as garbage 30.5-70.7 (43 of 44 under 70; many 270-degree turns it reads well).
SIDEWAYS_CONFIDENCE = 70.0
#: the words of the warnings a rerun with other options (--rotate-pages, --dpi) may mend
#: (a page read as garbage, a page read as no text): `plan.plan_tasks` redoes a document
#: done with one once the options changed
GARBAGE = "its text is likely garbage"
NO_TEXT = "no text found"
MENDED_BY_OPTIONS = (GARBAGE, NO_TEXT)
LOW_DPI = 150  # below this a page's low confidence may be its resolution


@dataclass
class DocTask:
    """Everything a worker needs for one document (small and picklable)."""

    source: str
    rel: str
    outdir: str
    options: PipelineOptions
    settings: dict[str, Any] = field(default_factory=dict)  # recorded in NAME.json
    versions: dict[str, Any] = field(default_factory=dict)
    structure: bool = True
    output_types: tuple[str, ...] = ()  # archive formats besides txt/tsv/json: pdf, hocr, alto
    attempt: str = ""  # batch.plan.attempt_key of the options and limits it runs with


@dataclass
class DocResult:
    ok: bool
    seconds: float = 0.0
    pages: int = 0
    pages_failed: int = 0
    outputs: list[str] = field(default_factory=list)  # relative to OUTDIR
    warnings: list[str] = field(default_factory=list)  # one line each, for the user
    empty_pages: list[str] = field(default_factory=list)  # why each empty page is empty
    error: str | None = None
    exit_code: int = 0


def with_path(path: str, message: str) -> str:
    return message if path in message else f"{path}: {message}"


def process_task(
    task: DocTask, progress: Callable[[int, int, Any], None] | None = None
) -> DocResult:
    """Run one document (`pipeline.run_document`); never raises for a document's problems."""
    from ocr_pipeline.pipeline import run_document  # the image stack: in the worker only

    start = time.perf_counter()
    try:
        base = output_base(Path(task.outdir), task.rel)
        run = run_document(Path(task.source), task.options, base.parent, base.name,
                           structure=task.structure, output_types=task.output_types,
                           settings=task.settings, versions=task.versions,
                           progress=progress)  # fmt: skip
    except PipelineError as err:
        return DocResult(
            ok=False,
            seconds=time.perf_counter() - start,
            error=with_path(task.source, str(err)),
            exit_code=int(err.exit_code),
        )
    except Exception as err:  # noqa: BLE001 - one document must not sink the batch
        log.info("%s failed", task.source, exc_info=True)  # shown with -v
        return DocResult(
            ok=False,
            seconds=time.perf_counter() - start,
            error=f"{task.source}: unexpected {type(err).__name__}: {err}; "
            "please report this with the file",
            exit_code=int(ExitCode.other_error),
        )
    paths = run.outputs
    empty = [
        with_path(task.source, p.error or f"page {p.number}: {p.status}")
        + f" (page left empty in {paths['text'].name})"
        for p in run.document.pages if p.status != "ok"
    ]  # fmt: skip
    hints = sideways_hints(task.source, run.document.pages, task.options.dpi,
                           rotated=task.options.rotate_pages)  # fmt: skip
    hints += blank_page_hints(task.source, run.document.pages, task.options.rotate_pages)
    hints += two_up_hints(task.source, run.document.pages)
    if (named := raster.misnamed(task.source, run.document.source.media_type)) is not None:
        hints.append(f"{task.source}: {named}")
    if (layered := paths.get("pdfa") or paths.get("pdf")) is not None:
        hints += own_text_hints(task.source, run.document, layered.name, paths["text"].name)
    outdir = Path(task.outdir)
    return DocResult(
        ok=True,
        seconds=time.perf_counter() - start,
        pages=len(run.document.pages),
        pages_failed=len(empty),
        outputs=[p.relative_to(outdir).as_posix() for p in paths.values()],
        warnings=empty + hints,
        empty_pages=empty,
    )


def sideways_hints(
    source: str, pages: list[Page], chosen_dpi: int | None = None, rotated: bool = False
) -> list[str]:
    """A warning for each page read with so low a confidence that it is most likely
    scanned sideways or upside down, or at too low a resolution (Tesseract then reads
    garbage without an error): one the user asked for (`chosen_dpi`, --dpi) or the scan's.
    With --rotate-pages (`rotated`) such a page is no text document or too poor a scan: a
    person should look at it."""

    def advice(p: Page) -> str:
        low = _low_resolution(p.dpi, chosen_dpi)
        if rotated:  # turned upright where its turn was sure, and still unreadable
            other = "look at the page: it may be no text document, or too poor a scan to read"
        else:
            other = (
                "if it is scanned sideways or upside down, run it again with --rotate-pages "
                "(with the same options, --output-type too: into this OUTDIR the rerun "
                "redoes it)"
            )
        return f"{low}, or {other}" if low else other

    return [
        f"{source}: page {p.number}: read with a mean confidence of {p.mean_confidence:.1f}%"
        f" (under {SIDEWAYS_CONFIDENCE:.0f}), {GARBAGE}; " + advice(p)
        for p in pages
        if p.status == "ok" and p.mean_confidence is not None
        and p.mean_confidence < SIDEWAYS_CONFIDENCE
    ]  # fmt: skip


HEADER_BAND = 0.25  # a page's headers stand in its top quarter


def two_up_hints(source: str, pages: list[Page]) -> list[str]:
    """A warning for each landscape page that holds two documents' headers in its top
    quarter (two national titles, or a Party's or a mass organisation's title beside one):
    a 2-up scan, two pages side by side, whose reading and structure mix the two (a new
    user's: issuer, type and signer taken from both, with no word said). A title named in
    the text below ("... Ủy ban Mặt trận Tổ quốc Việt Nam xã ...") counts for nothing."""
    from ocr_pipeline.structure.header import header_titles

    out = []
    for p in pages:
        if p.status != "ok" or p.width <= p.height:
            continue
        top = [ln for ln in p.lines if ln.bbox.top < HEADER_BAND * p.height]
        titles = sum(header_titles(" ".join(w.text for w in ln.words)) for ln in top)
        if titles >= 2:
            out.append(
                f"{source}: page {p.number}: a landscape page with {titles} documents' "
                "headers, likely two pages scanned side by side; their text and structure "
                "are mixed: cut the page down the middle and run the two halves"
            )
    return out


def own_text_hints(source: str, document: Document, pdf_name: str, text_name: str) -> list[str]:
    """A warning for a PDF whose read pages hold text of their own (typed, or an earlier
    OCR's layer: `Page.own_text`): the searchable PDF keeps that text and adds no layer
    over it (`export.pdf`), while the text outputs are this run's reading."""
    own = [p.number for p in document.pages if p.own_text]
    if not own:
        return []
    pages = ", ".join(map(str, own))
    return [
        f"{source}: page(s) {pages} hold text of their own (typed, or an earlier OCR's"
        f" layer): {pdf_name} keeps it and adds no layer over it, so a search finds it"
        f" once; {text_name} is this run's reading of the page image"
    ]


def _low_resolution(dpi: int | None, chosen_dpi: int | None) -> str:
    """What to do about a page read at under LOW_DPI ("" when its resolution is no
    suspect): the user's --dpi (`chosen_dpi`) or the scan's own."""
    if not dpi or dpi >= LOW_DPI:
        return ""
    if dpi == chosen_dpi:
        return f"it was read at {dpi} dpi as --dpi asked: run it again without --dpi"
    return f"it was scanned at {dpi} dpi: scan it again at 200-300 dpi"


def blank_page_hints(source: str, pages: list[Page], rotated: bool = False) -> list[str]:
    """A warning for each page read without error where Tesseract found no word: a blank
    page, one whose text the scan lost, or (without `rotated`, --rotate-pages) one scanned
    sideways, which can read as no text at all; a person should look at it."""
    sideways = "" if rotated else ", or a page scanned sideways: try --rotate-pages"
    return [
        f"{source}: page {p.number}: {NO_TEXT}; check the scan (a blank page, text "
        f"too faint or too small to read{sideways})"
        for p in pages
        if p.status == "ok" and not p.words
    ]


def _describe_death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


def crash_result(source: str, exitcode: int | None, seconds: float) -> DocResult:
    if exitcode == -signal.SIGALRM:  # processes.hang_guard: Tesseract hung in-process
        return DocResult(
            ok=False, seconds=seconds, exit_code=int(ExitCode.child_process_error),
            error=f"{source}: Tesseract hung on a page past --page-timeout and its worker "
            "was stopped; retry with --retry-failed (for a PDF, with a lower --dpi)",
        )  # fmt: skip
    return DocResult(
        ok=False, seconds=seconds, exit_code=int(ExitCode.child_process_error),
        error=f"{source}: the worker process {_describe_death(exitcode)} while processing it "
        "(out of memory? a crash in Tesseract, which reads its pages?); retry with "
        "--retry-failed or fewer --jobs (for a PDF, a lower --dpi)",
    )  # fmt: skip


def timeout_result(source: str, timeout: float, seconds: float) -> DocResult:
    return DocResult(
        ok=False, seconds=seconds, exit_code=int(ExitCode.child_process_error),
        error=f"{source}: took longer than --doc-timeout {timeout:g} s and was stopped; "
        "raise --doc-timeout (or, for a PDF, lower --dpi)",
    )  # fmt: skip
