"""Errors a user can cause, each with a one-line message that says what to do.

Exit codes follow OCRmyPDF's stable `ExitCode` numbering so scripts written for
OCRmyPDF read ours the same way.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    ok = 0
    bad_args = 1
    input_file = 2
    missing_dependency = 3
    invalid_output = 4
    file_access_error = 5
    child_process_error = 7
    encrypted_pdf = 8
    pdfa_conversion_failed = 10
    other_error = 15
    ctrl_c = 130


#: The failures that are not the input's: a missing program, an OUTDIR not writable or
#: full. A batch stops at the first (no other document can escape it) and a plain rerun
#: tries those documents again once it is fixed.
FATAL_CODES = (int(ExitCode.missing_dependency), int(ExitCode.file_access_error))


class PipelineError(Exception):
    """Base class: `str(err)` is the one line shown to the user."""

    exit_code: ExitCode = ExitCode.other_error


class BadArgumentsError(PipelineError):
    exit_code = ExitCode.bad_args


class InputFileError(PipelineError):
    """The input cannot be read as a document (missing, empty, corrupt, wrong type)."""

    exit_code = ExitCode.input_file


class EncryptedPdfError(InputFileError):
    exit_code = ExitCode.encrypted_pdf


class PixelLimitError(InputFileError):
    """A page would decode to more pixels than allowed (decompression-bomb guard)."""


class MissingDependencyError(PipelineError):
    """A required external program or model (tesseract, vie traineddata, poppler) is absent."""

    exit_code = ExitCode.missing_dependency


class OutputError(PipelineError):
    """The output location cannot be written."""

    exit_code = ExitCode.file_access_error


class PageTimeoutError(PipelineError):
    """One page took longer than the per-page timeout; reported per page, not fatal."""

    exit_code = ExitCode.child_process_error


class OcrFailedError(PipelineError):
    """Every page of a readable document was rendered, then failed in OCR (a crashing or
    broken tesseract): the program, not the input, is at fault."""

    exit_code = ExitCode.child_process_error
