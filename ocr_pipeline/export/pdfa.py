"""PDF/A exporter: NAME.ocr.pdf as PDF/A-2b, our searchable PDF converted by OCRmyPDF.

`--output-type pdfa` writes the same searchable PDF as "pdf" (`export.pdf`: original pages,
invisible layer of the restored words), then has OCRmyPDF (>= 17.13) make it PDF/A-2b
without doing any OCR of its own: `--mode skip --ocr-engine none` leaves every page's
content, our text layer included, as it is, and `--optimize 0` leaves the images alone.

OCRmyPDF first tries its Ghostscript-free conversion (pikepdf's PDF/A repairs: sRGB output
intent, XMP metadata with the PDF/A-2b declaration; images and content untouched) and
checks the written file with pikepdf's PDF/A validator. Our own PDFs (image pages plus
the embedded glyphless font) pass it, so Ghostscript is not needed for image inputs or
scanned PDFs. A source PDF carrying something the validator does not approve (e.g. a
non-embedded font) needs Ghostscript, which re-renders the file (images may be
re-encoded): when a usable `gs` is installed OCRmyPDF falls back to it (`--pdfa-backend
auto`), otherwise that document fails with GhostscriptNeededError saying to install
Ghostscript (exit 10, OCRmyPDF's pdfa_conversion_failed: that document only, a batch
goes on, unlike a missing program every document needs). Usable means 9.54 or newer
(OCRmyPDF's minimum) and not 10.0.0 to 10.02.0: OCRmyPDF refuses those with `--mode
skip` because they corrupt existing text layers, and Debian 12 ships 10.0.0, so there
`gs` is left out (`--pdfa-backend internal`) and such files need a newer Ghostscript.

PDF/A forbids encryption, so a PDF whose owner password forbids printing, copying or
changes cannot keep those restrictions as PDF/A (OCRmyPDF would write it unrestricted):
it is refused before any conversion (EncryptedPdfError, exit 8), pointing to
`--output-type pdf`, whose NAME.ocr.pdf keeps them.

The result is checked to declare PDF/A-2B (XMP pdfaid) before it replaces `out_path`;
intermediate files live in a hidden temporary folder next to `out_path`, so a failure
leaves no partial output. veraPDF is not run (OCRmyPDF 17.13 no longer uses it).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf

from ocr_pipeline.errors import (
    EncryptedPdfError,
    ExitCode,
    MissingDependencyError,
    OutputError,
    PipelineError,
)
from ocr_pipeline.export.pdf import PageImage, write_searchable_pdf
from ocr_pipeline.fileio import publish
from ocr_pipeline.model import Document

log = logging.getLogger(__name__)

#: PDF/A part and conformance written (OCRmyPDF --output-type pdfa-2).
PDFA_PART, PDFA_CONFORMANCE = 2, "B"
MIN_OCRMYPDF = (17, 13)  # --pdfa-backend and the Ghostscript-free path checked by pikepdf
INSTALL_OCRMYPDF = "pip install 'ocrmypdf>=17.13'"
INSTALL_GS = "install Ghostscript 10.02.1 or newer (or 9.54-9.56)"
# OCRmyPDF (and the Ghostscript it runs) get this long for a PDF/A before they are killed:
# a hung Ghostscript otherwise held the document until --doc-timeout, or for ever
PDFA_SECONDS = 60.0
PDFA_SECONDS_PER_PAGE = 20.0
#: Ghostscript versions OCRmyPDF refuses with existing text (they corrupt it)
BAD_GS = ((10, 0, 0), (10, 2, 1))
MIN_GS = (9, 54)  # OCRmyPDF refuses older ones for every file, not only those needing gs


class PdfaConversionError(PipelineError):
    """OCRmyPDF ran but could not make the file PDF/A (exit code 7, child process error)."""

    exit_code = ExitCode.child_process_error


class GhostscriptNeededError(MissingDependencyError):
    """This document's PDF/A needs a Ghostscript that is missing, refused or failing: the
    document fails (exit 10, OCRmyPDF's pdfa_conversion_failed), the batch goes on."""

    exit_code = ExitCode.pdfa_conversion_failed


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def ocrmypdf_version() -> str:
    """The installed OCRmyPDF's version; MissingDependencyError when absent or too old."""
    try:
        version = importlib.metadata.version("ocrmypdf")
    except importlib.metadata.PackageNotFoundError:
        raise MissingDependencyError(
            f"--output-type pdfa needs OCRmyPDF: {INSTALL_OCRMYPDF} (or leave pdfa out)"
        ) from None
    if _version_tuple(version) < MIN_OCRMYPDF:
        raise MissingDependencyError(
            f"--output-type pdfa needs OCRmyPDF 17.13 or newer, found {version}: "
            f"pip install -U 'ocrmypdf>=17.13'"
        )
    return version


def ghostscript_version() -> tuple[int, ...] | None:
    """The installed Ghostscript's version, None when `gs` is absent or does not answer."""
    gs = shutil.which("gs")
    if gs is None:
        return None
    try:
        out = subprocess.run([gs, "--version"], capture_output=True, text=True, timeout=30,
                             check=True).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        return tuple(int(part) for part in out.strip().split("."))
    except ValueError:
        return None


def ghostscript_available() -> bool:
    """Whether a Ghostscript OCRmyPDF accepts for PDFs with a text layer is installed."""
    version = ghostscript_version()
    return version is not None and version >= MIN_GS and not BAD_GS[0] <= version < BAD_GS[1]


def ocrmypdf_command(src: Path, dst: Path, *, ghostscript: bool) -> list[str]:
    """The OCRmyPDF command line converting `src` (already searchable) to PDF/A-2b `dst`."""
    return [
        sys.executable, "-m", "ocrmypdf",
        "--mode", "skip", "--ocr-engine", "none",  # keep our text layer, OCR nothing
        "--output-type", f"pdfa-{PDFA_PART}",
        "--pdfa-backend", "auto" if ghostscript else "internal",
        "--optimize", "0", "--jobs", "1", "--quiet",
        str(src), str(dst),
    ]  # fmt: skip


def _reason(stderr: str) -> str:
    """OCRmyPDF's most telling stderr line (its findings start with '[')."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("[unsupported]") or line.startswith("[violation]"):
            return line
    for line in lines:
        if "Error" in line or "error" in line:
            return line
    return lines[-1] if lines else "no message"


def _about_ghostscript(reason: str) -> bool:
    return re.search(r"\bgs\b|ghostscript", reason, re.IGNORECASE) is not None


def convert_to_pdfa(src: Path, dst: Path, pages: int = 1) -> None:
    """Convert the searchable PDF `src` (of `pages` pages: they set the time OCRmyPDF
    gets) to PDF/A-2b at `dst` (overwritten) with OCRmyPDF.

    Raises MissingDependencyError (OCRmyPDF missing or too old), GhostscriptNeededError
    (this file needs a Ghostscript that is missing or unusable) or PdfaConversionError.
    """
    ocrmypdf_version()
    ghostscript = ghostscript_available()
    cmd = ocrmypdf_command(Path(src), Path(dst), ghostscript=ghostscript)
    log.debug("PDF/A: %s", cmd)
    proc = _run_bounded(cmd, PDFA_SECONDS + PDFA_SECONDS_PER_PAGE * max(pages, 1))
    if proc.returncode == 0:
        return
    reason = _reason(proc.stderr)
    if proc.returncode == 10 and not ghostscript:  # pdfa_conversion_failed
        raise GhostscriptNeededError(
            f"PDF/A of this file needs Ghostscript ({reason}): {INSTALL_GS} and rerun with "
            "--retry-failed, or leave pdfa out of --output-type"
        )
    if proc.returncode == int(ExitCode.missing_dependency) and _about_ghostscript(reason):
        raise GhostscriptNeededError(
            f"PDF/A of this file needs Ghostscript, which OCRmyPDF could not use ({reason}): "
            f"{INSTALL_GS} and rerun with --retry-failed, or leave pdfa out of --output-type"
        )
    if proc.returncode == int(ExitCode.missing_dependency):
        raise MissingDependencyError(f"OCRmyPDF's PDF/A conversion lacks a program ({reason})")
    raise PdfaConversionError(
        f"OCRmyPDF could not make PDF/A (exit {proc.returncode}: {reason}); "
        "use --output-type pdf instead"
    )


def _run_bounded(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run OCRmyPDF in a process group of its own; past `timeout` seconds the whole group
    (Ghostscript included) is killed and PdfaConversionError raised."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", start_new_session=True)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise PdfaConversionError(
            f"OCRmyPDF did not finish the PDF/A in {timeout:g} s (a hung Ghostscript?); "
            "use --output-type pdf instead, or check Ghostscript"
        ) from None
    except BaseException:  # Ctrl-C, the batch ending: nothing of ours keeps running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def pdfa_status(path: Path) -> str:
    """The PDF/A claim in the file's XMP metadata, e.g. "2B" ("" when none)."""
    with pikepdf.open(path) as pdf:
        return pdf.open_metadata().pdfa_status or ""


def refuse_restricted(document: Document, source_path: Path) -> None:
    """EncryptedPdfError when the source PDF restricts what may be done with it (an owner
    password forbidding printing, copying or changes): PDF/A cannot carry that."""
    if document.source.media_type != "application/pdf":
        return
    try:
        with pikepdf.open(source_path) as src:
            if not src.is_encrypted:
                return
            forbidden = [name for name, allowed in _permissions(src.allow) if not allowed]
    except (pikepdf.PdfError, OSError):
        return  # unreadable: the searchable PDF's writer reports it with its own line
    if forbidden:
        raise EncryptedPdfError(
            f"{source_path} forbids {_and(forbidden)} (owner password) and PDF/A cannot keep "
            "that restriction; use --output-type pdf, which keeps it"
        )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _permissions(allow: pikepdf.Permissions) -> list[tuple[str, bool]]:
    """(what a reader would call it, allowed) for each permission a PDF can withhold."""
    return [
        ("printing", allow.print_lowres and allow.print_highres),
        ("copying", allow.extract),
        ("changes", allow.modify_other and allow.modify_annotation and allow.modify_form
         and allow.modify_assembly),
    ]  # fmt: skip


def write_pdfa(document: Document, source_path: Path, out_path: Path,
               page_image: PageImage | None = None) -> Path:  # fmt: skip
    """Write NAME.ocr.pdf as PDF/A-2b: the searchable PDF of `document` (OCR'd from
    `source_path`; an image input needs `page_image`, see `export.pdf`) converted by
    OCRmyPDF. Nothing is left at `out_path` on failure.

    Raises MissingDependencyError, GhostscriptNeededError, PdfaConversionError,
    InputFileError (unreadable source), EncryptedPdfError (a source with restrictions PDF/A
    cannot keep), OutputError (output folder not writable).
    """
    ocrmypdf_version()  # fail before any work
    refuse_restricted(document, Path(source_path))
    out_path = Path(out_path)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        # ".NAME.ocr.pdf.XXXXXXXX.tmp": a batch sweeps it when a kill left it behind
        work = tempfile.TemporaryDirectory(
            prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent
        )
    except OSError as err:
        raise OutputError(
            f"cannot write to {out_path.parent}: {err.strerror}; choose a writable output folder"
        ) from None
    with work as tmp:
        plain, converted = Path(tmp) / "searchable.pdf", Path(tmp) / "pdfa.pdf"
        write_searchable_pdf(document, Path(source_path), plain, page_image)
        convert_to_pdfa(plain, converted, len(document.pages))
        status = pdfa_status(converted)
        if status != f"{PDFA_PART}{PDFA_CONFORMANCE}":
            raise PdfaConversionError(
                f"OCRmyPDF's output claims PDF/A {status or 'nothing'}, not "
                f"{PDFA_PART}{PDFA_CONFORMANCE}; use --output-type pdf instead"
            )
        try:
            publish(converted, out_path)
        except OSError as err:
            raise OutputError(
                f"cannot write {out_path}: {err.strerror}; check space and permissions"
            ) from None
    return out_path
