"""The one wrapper around the `tesseract` program: command, thread limit, timeout, errors.

Every Tesseract call of the package goes through here (like OCRmyPDF's _exec/tesseract.py):

- the binary is `$OCR_PIPELINE_TESSERACT` (a path or a command name) or `tesseract` on PATH;
- it always runs with `OMP_THREAD_LIMIT=1`: its OpenMP threads make a page several times
  slower when pages already run in parallel processes;
- a missing binary is a MissingDependencyError naming the package to install, a call that
  runs longer than its timeout a PageTimeoutError naming the page, a failed run a
  TesseractFailed (a PipelineError) carrying Tesseract's own message.

`check_tesseract` verifies the version and the installed language models once per process.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytesseract
from PIL import Image

from ocr_pipeline.errors import MissingDependencyError, PageTimeoutError, PipelineError

TESSERACT_ENV = "OCR_PIPELINE_TESSERACT"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
THREAD_ENV = {"OMP_THREAD_LIMIT": "1"}


class TesseractFailed(PipelineError):
    """Tesseract ran and failed; `message` is what it printed (may be empty)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message or f"exit status {status}")
        self.message = message
        self.status = status


def tesseract_command() -> str:
    """The tesseract binary to run: `$OCR_PIPELINE_TESSERACT` or `tesseract` on PATH."""
    return os.environ.get(TESSERACT_ENV) or "tesseract"


def _prepare() -> None:
    # pytesseract passes os.environ to the tesseract subprocess.
    os.environ.update(THREAD_ENV)
    pytesseract.pytesseract.tesseract_cmd = tesseract_command()


@contextlib.contextmanager
def _errors(page_number: int, timeout: float | None, step: str) -> Iterator[None]:
    """pytesseract's failures as pipeline errors (see the module docstring)."""
    try:
        yield
    except pytesseract.TesseractNotFoundError:
        raise MissingDependencyError(f"tesseract not found; install it: {INSTALL_HINT}") from None
    except pytesseract.TesseractError as err:  # a RuntimeError too: before the timeout test
        raise TesseractFailed(str(err.message).strip(), err.status) from None
    except RuntimeError as err:
        if "timeout" in str(err).lower():
            raise PageTimeoutError(
                f"page {page_number}: {step} took longer than {timeout:g} s; "
                "raise --page-timeout or lower --dpi"
            ) from None
        raise


def image_to_data(
    image: Image.Image, *, lang: str, config: str, timeout: float | None, page_number: int,
    step: str = "OCR", as_dict: bool = False,
) -> Any:  # fmt: skip
    """Tesseract's TSV for `image` (a str, or pytesseract's dict of columns with `as_dict`).

    `timeout` None or 0: no limit. Raises MissingDependencyError, PageTimeoutError or
    TesseractFailed.
    """
    _prepare()
    kwargs: dict[str, Any] = {"output_type": pytesseract.Output.DICT} if as_dict else {}
    with _errors(page_number, timeout, step):
        return pytesseract.image_to_data(
            image, lang=lang, config=config, timeout=timeout or 0, **kwargs
        )


def image_to_osd(
    image: Image.Image, *, config: str, timeout: float | None, page_number: int
) -> dict[str, Any]:
    """Tesseract's orientation and script detection for `image`, as a dict."""
    _prepare()
    with _errors(page_number, timeout, "orientation detection"):
        return pytesseract.image_to_osd(
            image, config=config, timeout=timeout or 0, output_type=pytesseract.Output.DICT
        )


def _run_info(cmd: str, arg: str) -> str:
    try:
        proc = subprocess.run(
            [cmd, arg], capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, **THREAD_ENV},
        )  # fmt: skip
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        raise MissingDependencyError(
            f"tesseract not found ({cmd}); install it: {INSTALL_HINT}"
        ) from None
    except (OSError, subprocess.TimeoutExpired) as err:
        raise MissingDependencyError(
            f"tesseract ({cmd}) cannot be run: {err}; reinstall it: {INSTALL_HINT}"
        ) from None
    if proc.returncode != 0:
        raise MissingDependencyError(
            f"tesseract ({cmd} {arg}) failed with exit code {proc.returncode}; "
            f"reinstall it: {INSTALL_HINT}"
        )
    return proc.stdout + proc.stderr  # older versions print the version on stderr


def check_tesseract(lang: str = "vie") -> str:
    """Check tesseract and its language models are installed; return its version ("5.3.0").

    Raises MissingDependencyError naming the package to install. `lang` may combine
    models with "+" ("vie+eng"); each must be present. A success is cached per
    (binary, lang) for the life of the process.
    """
    return _check_tesseract(tesseract_command(), lang)


@functools.lru_cache(maxsize=16)
def _check_tesseract(cmd: str, lang: str) -> str:
    if os.sep not in cmd and shutil.which(cmd) is None:
        raise MissingDependencyError(f"tesseract not found; install it: {INSTALL_HINT}")
    version_out = _run_info(cmd, "--version")
    first = version_out.strip().splitlines()[0] if version_out.strip() else ""
    version = first.split()[-1].lstrip("v") if first.lower().startswith("tesseract") else ""
    if not version:
        raise MissingDependencyError(
            f"{cmd} does not look like tesseract (no version); install it: {INSTALL_HINT}"
        )
    langs_out = _run_info(cmd, "--list-langs")
    available = {
        ln.strip() for ln in langs_out.splitlines() if ln.strip() and not ln.startswith("List ")
    }
    for code in lang.split("+"):
        if code not in available:
            package = f"tesseract-ocr-{code.lower().replace('_', '-')}"
            raise MissingDependencyError(
                f"tesseract language model '{code}' is not installed; "
                f"install it: apt-get install {package}"
            )
    return version


def has_language(code: str) -> bool:
    """True when tesseract runs and has language model `code` installed."""
    try:
        check_tesseract(code)
    except MissingDependencyError:
        return False
    return True
