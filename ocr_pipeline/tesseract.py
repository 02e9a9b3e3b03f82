"""The one wrapper around Tesseract: library or program, thread limit, timeout, errors.

Every Tesseract call of the package goes through here (like OCRmyPDF's _exec/tesseract.py).
A page is read one of two ways, chosen once per process (`interface` says which, and
NAME.json's tool versions record it):

- in-process, through libtesseract's C API (`libtesseract.so.5`, ctypes), when the
  library loads and `$OCR_PIPELINE_TESSERACT` is not set: a `TessBaseAPI` per language
  and set of variables for each page read at once (pages read on threads each take an
  idle one), its model loaded once, so a page costs no program start and no model load
  (0.15-0.25 s of CPU each, on every page and on its footnote-marker pass). The word
  table is the same TSV the program prints, byte for byte; the page's time limit is
  Tesseract's own deadline (checked between words; a page past it is a
  PageTimeoutError), and a call that hangs past it (`processes.HANG_GRACE`) kills its
  worker (`processes.hang_guard`). A crash inside the library takes its worker process
  with it: the batch reports that document as failed with exit code 7, as it does for
  any worker that dies;
- as the program, when the library cannot be loaded or `$OCR_PIPELINE_TESSERACT` names a
  binary (a path or a command name; set it to `tesseract` to force the program): the page
  goes to it as an uncompressed PGM/PPM temp file written from the page's own memory, its
  TSV comes back on stdout (`run_tsv`), and a call past its timeout is killed.

Either way Tesseract runs with `OMP_THREAD_LIMIT=1` (its OpenMP threads make a page several
times slower when pages already run in parallel processes); a missing binary or model is a
MissingDependencyError naming the package to install, a call that runs longer than its
timeout a PageTimeoutError naming the page, a failed run a TesseractFailed (a PipelineError)
carrying Tesseract's own message.

`check_tesseract` verifies the version and the installed language models once per process
tree (through the program), and once per installation across runs (`_SavedCheck`).
numpy and pytesseract are imported by the calls that need them, so the batch parent
checks the installation without loading them.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocr_pipeline import processes
from ocr_pipeline.errors import (
    BadArgumentsError,
    MissingDependencyError,
    PageTimeoutError,
    PipelineError,
)

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

TESSERACT_ENV = "OCR_PIPELINE_TESSERACT"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
THREAD_ENV = {"OMP_THREAD_LIMIT": "1"}
# a traineddata name (vie, chi_sim, script/Latin): anything else is no language code
_LANG_CODE = re.compile(r"[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)?")

#: The language models Tesseract publishes (tessdata, tessdata_fast, tessdata_best; the
#: Debian packages tesseract-ocr-<code>): a code outside them is a typo, not a package to
#: install (a new user's "--lang xyz" was told to apt-get a package that does not exist).
TESSDATA_LANGS = frozenset(
    """
afr amh ara asm aze aze_cyrl bel ben bod bos bre bul cat ceb ces chi_sim chi_sim_vert
chi_tra chi_tra_vert chr cos cym dan deu deu_latf div dzo ell eng enm epo equ est eus fao
fas fil fin fra frk frm fry gla gle glg grc guj hat heb hin hrv hun hye iku ind isl ita
ita_old jav jpn jpn_vert kan kat kat_old kaz khm kir kmr kor kor_vert lao lat lav lit ltz
mal mar mkd mlt mon mri msa mya nep nld nor oci ori osd pan pol por pus que ron rus san sin
slk slv snd spa spa_old sqi srp srp_latn sun swa swe syr tam tat tel tgk tha tir ton tur
uig ukr urd uzb uzb_cyrl vie yid yor
""".split()
)


class TesseractFailed(PipelineError):
    """Tesseract ran and failed; `message` is what it printed (may be empty)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message or f"exit status {status}")
        self.message = message
        self.status = status


def _page_timeout(page_number: int, step: str) -> PageTimeoutError:
    """The one error of a Tesseract call that ran out of the page's time."""
    return PageTimeoutError(
        f"page {page_number}: {step} ran out of the page's time (--page-timeout); "
        "raise --page-timeout (or, for a PDF, lower --dpi)"
    )


def tesseract_command() -> str:
    """The tesseract binary to run: `$OCR_PIPELINE_TESSERACT` or `tesseract` on PATH."""
    return os.environ.get(TESSERACT_ENV) or "tesseract"


def _prepare() -> None:
    import pytesseract

    # pytesseract passes os.environ to the tesseract subprocess.
    os.environ.update(THREAD_ENV)
    pytesseract.pytesseract.tesseract_cmd = tesseract_command()


@contextlib.contextmanager
def _errors(page_number: int, timeout: float | None, step: str) -> Iterator[None]:
    """pytesseract's failures as pipeline errors (see the module docstring)."""
    import pytesseract

    try:
        yield
    except pytesseract.TesseractNotFoundError:
        raise MissingDependencyError(f"tesseract not found; install it: {INSTALL_HINT}") from None
    except pytesseract.TesseractError as err:  # a RuntimeError too: before the timeout test
        raise TesseractFailed(str(err.message).strip(), err.status) from None
    except RuntimeError as err:
        if "timeout" in str(err).lower():
            raise _page_timeout(page_number, step) from None
        raise


def _netpbm(image: Image.Image | np.ndarray) -> tuple[bytes, np.ndarray]:
    """`image` as an uncompressed PGM (grey) or PPM (colour): its header, and its pixels
    as a C-contiguous uint8 array (the caller's own array when it already is one).

    No PNG encoding: that would cost a noticeable fraction of the OCR time at 300 dpi."""
    import numpy as np

    pixels = np.asarray(image)
    if pixels.dtype == bool:
        pixels = pixels.astype(np.uint8) * 255
    if pixels.dtype != np.uint8:
        raise TypeError(f"expected a uint8 image, got {pixels.dtype}")
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = pixels[:, :, 0]
    if pixels.ndim == 2:
        magic = b"P5"
    elif pixels.ndim == 3 and pixels.shape[2] == 3:
        magic = b"P6"
    else:
        raise ValueError(f"unsupported image shape {pixels.shape}; give grey or RGB")
    height, width = pixels.shape[:2]
    return b"%s\n%d %d\n255\n" % (magic, width, height), np.ascontiguousarray(pixels)


def run_tsv(
    image: Image.Image | np.ndarray, *, lang: str, args: Sequence[str] = (),
    timeout: float | None, page_number: int, step: str = "OCR",
) -> str:  # fmt: skip
    """Tesseract's TSV word table for `image` (grey or RGB, uint8), as text.

    In-process through the library when it is used (`interface`), with `args` (only
    `--psm N`, `--dpi N` and `-c NAME=VALUE`) applied as the program applies them; else
    one `tesseract PAGE.pgm stdout -l LANG ARGS tsv` run with OMP_THREAD_LIMIT=1. The page
    is written to a temp file straight from the image's memory (no copy of the page) and
    removed afterwards; the TSV comes back on stdout. (Piping the page to `tesseract stdin`
    instead cost 7-8% more CPU a page: tesseract reads stdin a character at a time.)
    `timeout` None or 0: no limit. Raises MissingDependencyError, PageTimeoutError
    (naming `page_number` and `step`), TesseractFailed, or OSError when the temp folder
    is full.
    """
    header, pixels = _netpbm(image)
    library = _library()
    if library is not None:
        return library.tsv(pixels, lang=lang, args=args, timeout=timeout,
                           page_number=page_number, step=step)  # fmt: skip
    with tempfile.NamedTemporaryFile(prefix="ocr_pipeline_page_", suffix=".pgm") as page:
        page.write(header)
        page.write(pixels.data.cast("B"))
        page.flush()
        cmd = [tesseract_command(), page.name, "stdout", "-l", lang, *args, "tsv"]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout or None,
                                  env={**os.environ, **THREAD_ENV}, check=False)  # fmt: skip
        except (FileNotFoundError, PermissionError, NotADirectoryError):
            raise MissingDependencyError(
                f"tesseract not found; install it: {INSTALL_HINT}"
            ) from None
        except subprocess.TimeoutExpired:
            raise _page_timeout(page_number, step) from None
    if proc.returncode != 0:
        message = " ".join(
            line.strip()
            for line in proc.stderr.decode("utf-8", "replace").splitlines()
            if line.strip() and not line.startswith(_STDERR_NOISE)
        )
        raise TesseractFailed(message, proc.returncode)
    if not proc.stdout.strip():  # even a blank page has a header row and the page's row
        raise TesseractFailed("tesseract wrote no output", proc.returncode)
    return proc.stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------- in-process: libtesseract

LIBRARY = "libtesseract.so.5"
#: The header row the program's TSV renderer writes; the C API's TSV starts after it.
TSV_HEADER = "\t".join(("level", "page_num", "block_num", "par_num", "line_num", "word_num",
                        "left", "top", "width", "height", "conf", "text")) + "\n"  # fmt: skip
_PSM_AUTO = 3  # the program's default page segmentation (the library's is 6)
# a recognition that failed after this share of its time limit failed by its deadline
DEADLINE_SLACK = 0.9


def ran_out(elapsed: float, timeout: float | None, status: int) -> bool:
    """Whether a recognition that took `elapsed` seconds under `timeout` (None or 0: none)
    and ended with `status` ran out of its time. The monitor's deadline ends it with a
    failing status a moment before our clock reaches the limit: a failure past
    DEADLINE_SLACK of it is the deadline's, not the engine's."""
    if not timeout:
        return False
    return elapsed >= timeout * (DEADLINE_SLACK if status != 0 else 1.0)


class _Library:
    """libtesseract's C API (ctypes): `TessBaseAPI`s per (language, variables), each made
    on first need and kept for the life of the process. One API reads one page at a time
    (it is not thread-safe); a call takes an idle one or makes one, so pages read on
    several threads at once (a document worker's, `pipeline`) each have their own and
    recognise at the same time (ctypes releases the GIL during the call), and the process
    holds as many models as pages it read at once, never one per thread that ever ran."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        p, s, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        for name, restype, argtypes in (
            ("TessVersion", s, []),
            ("TessBaseAPICreate", p, []),
            ("TessBaseAPIDelete", None, [p]),
            ("TessBaseAPIEnd", None, [p]),
            ("TessBaseAPIInit3", i, [p, s, s]),
            ("TessBaseAPISetVariable", i, [p, s, s]),
            ("TessBaseAPISetPageSegMode", None, [p, i]),
            ("TessBaseAPISetImage", None, [p, p, i, i, i, i]),
            ("TessBaseAPIRecognize", i, [p, p]),
            ("TessBaseAPIGetTsvText", p, [p, i]),
            ("TessBaseAPIClear", None, [p]),
            ("TessDeleteText", None, [p]),
            ("TessMonitorCreate", p, []),
            ("TessMonitorDelete", None, [p]),
            ("TessMonitorSetDeadlineMSecs", None, [p, i]),
        ):
            function = getattr(lib, name)
            function.restype, function.argtypes = restype, argtypes
        self.lib = lib
        self.version = (lib.TessVersion() or b"").decode("ascii", "replace")
        self._idle: dict[tuple[str, tuple[tuple[str, str], ...]], list[int]] = {}
        self._made: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}  # idle or busy
        self._lock = threading.Lock()  # guards _idle and _made

    def _new_api(self, lang: str, variables: tuple[tuple[str, str], ...]) -> int:
        """A TessBaseAPI for `lang` with `variables` set, its model loaded."""
        lib = self.lib
        handle = lib.TessBaseAPICreate()
        # tprintf's messages ("Estimating resolution as ...") went to the program's stderr,
        # which we read only on failure; here they would reach the user's terminal
        lib.TessBaseAPISetVariable(handle, b"debug_file", os.devnull.encode())
        if lib.TessBaseAPIInit3(handle, None, lang.encode()) != 0:
            lib.TessBaseAPIDelete(handle)
            raise TesseractFailed(f"Failed loading language '{lang}'")
        for name, value in variables:
            if not lib.TessBaseAPISetVariable(handle, name.encode(), value.encode()):
                lib.TessBaseAPIEnd(handle)
                lib.TessBaseAPIDelete(handle)
                raise TesseractFailed(f"could not set tesseract variable {name!r}")
        return handle

    @contextlib.contextmanager
    def _api(self, lang: str, variables: tuple[tuple[str, str], ...]) -> Iterator[int]:
        """An idle TessBaseAPI for `lang` with `variables`, this caller's alone until the
        block ends (made when none is idle)."""
        key = (lang, variables)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            handle = idle.pop() if idle else None
        if handle is None:
            handle = self._new_api(lang, variables)
            with self._lock:
                self._made[key] = self._made.get(key, 0) + 1
        try:
            yield handle
        finally:
            with self._lock:
                self._idle[key].append(handle)

    def preload(self, lang: str, args: Sequence[str] = (), count: int = 1) -> None:
        """Load `lang`'s model now, until the process holds `count` APIs for it (idle or
        busy): before a page's time starts counting, or before forking workers that will
        share it."""
        key = (lang, _library_args(args)[2])
        while True:
            with self._lock:
                if self._made.get(key, 0) >= count:
                    return
                self._made[key] = self._made.get(key, 0) + 1  # this one is being made
            try:
                handle = self._new_api(*key)
            except BaseException:
                with self._lock:
                    self._made[key] -= 1
                raise
            with self._lock:
                self._idle.setdefault(key, []).append(handle)

    def tsv(
        self, pixels: np.ndarray, *, lang: str, args: Sequence[str], timeout: float | None,
        page_number: int, step: str,
    ) -> str:  # fmt: skip
        """`run_tsv` in-process: the program's TSV (its header row included) for `pixels`."""
        psm, dpi, variables = _library_args(args)
        height, width = pixels.shape[:2]
        depth = 1 if pixels.ndim == 2 else 3
        lib = self.lib
        with self._api(lang, variables) as handle:
            lib.TessBaseAPISetPageSegMode(handle, psm)
            lib.TessBaseAPISetVariable(handle, b"user_defined_dpi", str(dpi).encode())
            lib.TessBaseAPISetImage(handle, pixels.ctypes.data, width, height, depth,
                                    width * depth)  # fmt: skip
            monitor = lib.TessMonitorCreate()
            try:
                start = time.monotonic()  # before the deadline is set: it runs from here
                if timeout:
                    lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout * 1000)))
                with processes.hang_guard(timeout):
                    status = lib.TessBaseAPIRecognize(handle, monitor)
                late = ran_out(time.monotonic() - start, timeout, status)
                text = None if late or status != 0 else lib.TessBaseAPIGetTsvText(handle, 0)
            finally:
                lib.TessMonitorDelete(monitor)
            try:
                tsv = ctypes.string_at(text).decode("utf-8", "replace") if text else ""
            finally:
                if text:
                    lib.TessDeleteText(text)
                lib.TessBaseAPIClear(handle)  # the page's image and results
        if late:
            raise _page_timeout(page_number, step)
        if status != 0:
            raise TesseractFailed(f"recognition failed (status {status})", status)
        if not tsv:  # even a blank page has the page's row
            raise TesseractFailed("tesseract wrote no output")
        return TSV_HEADER + tsv

    def close(self) -> None:
        """End every idle TessBaseAPI (at exit: the library warns of leaks otherwise)."""
        with self._lock:
            for handles in self._idle.values():
                for handle in handles:
                    self.lib.TessBaseAPIEnd(handle)
                    self.lib.TessBaseAPIDelete(handle)
            self._idle.clear()
            self._made.clear()


def _library_args(args: Sequence[str]) -> tuple[int, int, tuple[tuple[str, str], ...]]:
    """(page segmentation mode, dpi or 0, `-c` variables) from the program's arguments."""
    psm, dpi, variables = _PSM_AUTO, 0, []
    items = iter(args)
    for arg in items:
        value = next(items, None)
        if value is None:
            raise ValueError(f"tesseract argument {arg!r} has no value")
        if arg == "--psm":
            psm = int(value)
        elif arg == "--dpi":
            dpi = int(value)
        elif arg == "-c" and "=" in value:
            name, _, setting = value.partition("=")
            variables.append((name, setting))
        else:
            raise ValueError(f"unsupported tesseract argument {arg!r}")
    return psm, dpi, tuple(sorted(variables))


@functools.cache
def _load_library() -> _Library | None:
    """libtesseract loaded once per process, or None when it cannot be."""
    # libgomp (OpenMP) reads its thread limit when it loads
    saved = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        library = _Library(ctypes.CDLL(LIBRARY))
    except (OSError, AttributeError):  # not installed, or without the C API we call
        return None
    finally:
        if saved is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = saved
    atexit.register(library.close)
    return library


def _library() -> _Library | None:
    """The library when pages are read in-process (see the module docstring), else None."""
    if os.environ.get(TESSERACT_ENV):
        return None
    return _load_library()


def interface() -> str:
    """How this process reads pages: "libtesseract VERSION (in-process)" or "tesseract
    program (NAME)" (recorded in NAME.json's tool versions)."""
    library = _library()
    if library is not None:
        return f"libtesseract {library.version} (in-process)"
    return f"tesseract program ({tesseract_command()})"


def preload(lang: str, args: Sequence[str] = (), count: int = 1) -> None:
    """Load `lang`'s model for in-process reading now, until `count` pages can be read with
    it at once (`count` APIs), so that a page's time limit does not pay for it and workers
    forked afterwards share it (nothing to do when pages are read by the program)."""
    library = _library()
    if library is None:
        return
    try:
        library.preload(lang, args, count)
    except TesseractFailed:  # each page that needs the model reports it
        pass


#: What tesseract prints on stderr on every page; not part of an error message.
_STDERR_NOISE = ("Estimating resolution", "Warning: Invalid resolution", "Detected ")

_TSV_INT_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
                    "left", "top", "width", "height")  # fmt: skip


def image_to_data(
    image: Image.Image | np.ndarray, *, lang: str, config: str, timeout: float | None,
    page_number: int, step: str = "OCR", as_dict: bool = False,
) -> Any:  # fmt: skip
    """`run_tsv` with its arguments as one string (`config`); with `as_dict`, the TSV as a
    dict of columns (ints, `conf` as floats, `text` as str), like pytesseract's DICT."""
    tsv = run_tsv(image, lang=lang, args=shlex.split(config), timeout=timeout,
                  page_number=page_number, step=step)  # fmt: skip
    if not as_dict:
        return tsv
    rows = [row.split("\t") for row in tsv.splitlines() if row]
    if not rows:
        return {}
    header = rows[0]
    columns: dict[str, list[Any]] = {name: [] for name in header}
    for row in rows[1:]:
        row += [""] * (len(header) - len(row))
        for name, cell in zip(header, row, strict=False):
            if name in _TSV_INT_COLUMNS:
                columns[name].append(int(cell))
            elif name == "conf":
                columns[name].append(float(cell))
            else:
                columns[name].append(cell)
    return columns


def image_to_osd(
    image: Image.Image, *, config: str, timeout: float | None, page_number: int
) -> dict[str, Any]:
    """Tesseract's orientation and script detection for `image`, as a dict."""
    import pytesseract

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
    (binary, lang) for the life of the process, and what `--version` and `--list-langs`
    said is handed to child processes (`CHECKED_ENV`), so the page workers of a run do
    not start tesseract twice each just to ask again, and kept for later runs until the
    installation changes (`_SavedCheck`).
    """
    return _check_tesseract(tesseract_command(), lang)


#: Environment variable carrying, from a process that checked tesseract to its children,
#: {binary: {"version": ..., "langs": [...]}} as JSON.
CHECKED_ENV = "OCR_PIPELINE_TESSERACT_CHECKED"


@functools.lru_cache(maxsize=16)
def _check_tesseract(cmd: str, lang: str) -> str:
    if os.sep not in cmd and shutil.which(cmd) is None:
        raise MissingDependencyError(f"tesseract not found; install it: {INSTALL_HINT}")
    version, available = _installation(cmd)
    for code in lang.split("+"):
        if code not in available and not _LANG_CODE.fullmatch(code):
            raise BadArgumentsError(
                f"--lang {lang!r}: {code!r} is not a language code; give codes such as vie "
                "or vie+eng (tesseract --list-langs shows those installed)"
            )
        if code not in available and "/" not in code and code not in TESSDATA_LANGS:
            raise BadArgumentsError(
                f"--lang {lang!r}: Tesseract has no {code!r} model; give codes such as vie or"
                " vie+eng (tesseract --list-langs shows those installed)"
            )
        if code not in available:
            package = f"tesseract-ocr-{code.lower().replace('_', '-')}"
            raise MissingDependencyError(
                f"tesseract language model '{code}' is not installed; "
                f"install it: apt-get install {package}"
            )
    return version


def _inherited_checks() -> dict[str, Any]:
    try:
        known = json.loads(os.environ.get(CHECKED_ENV) or "{}")
    except ValueError:
        return {}
    return known if isinstance(known, dict) else {}


def _installation(cmd: str) -> tuple[str, frozenset[str]]:
    """tesseract's version and installed language models: from a parent process's check
    (`CHECKED_ENV`) when there is one for `cmd`, else from an earlier run's answer for
    the same installation (`_SavedCheck`), else by asking the binary."""
    known = _inherited_checks()
    entry = known.get(cmd)
    if isinstance(entry, dict) and isinstance(entry.get("langs"), list) and entry.get("version"):
        return str(entry["version"]), frozenset(str(code) for code in entry["langs"])
    saved = _SavedCheck.of(cmd)
    found = saved.load() if saved is not None else None
    if found is None:
        found = _ask_binary(cmd)
        if saved is not None:
            saved.store(*found)
    version, available, _ = found
    known[cmd] = {"version": version, "langs": sorted(available)}
    os.environ[CHECKED_ENV] = json.dumps(known)
    return version, available


def _ask_binary(cmd: str) -> tuple[str, frozenset[str], str | None]:
    """`cmd --version` and `cmd --list-langs`: (version, language codes, the folder the
    models were listed from, when it says)."""
    version_out = _run_info(cmd, "--version")
    first = version_out.strip().splitlines()[0] if version_out.strip() else ""
    version = first.split()[-1].lstrip("v") if first.lower().startswith("tesseract") else ""
    if not version:
        raise MissingDependencyError(
            f"{cmd} does not look like tesseract (no version); install it: {INSTALL_HINT}"
        )
    langs_out = _run_info(cmd, "--list-langs")
    available = frozenset(
        ln.strip() for ln in langs_out.splitlines() if ln.strip() and not ln.startswith("List ")
    )
    folder = _LANGS_FOLDER.search(langs_out)
    return version, available, folder.group(1) if folder else None


#: --list-langs' first line: List of available languages in "/usr/share/.../tessdata/" (3):
_LANGS_FOLDER = re.compile(r'^List of available languages in "([^"\n]+)"', re.MULTILINE)
#: The file, in the cache folder, of `_SavedCheck`s (one entry per tesseract binary).
SAVED_CHECKS = "tesseract-checks.json"
_SAVED_MAX = 16  # entries kept; the oldest go first


class _SavedCheck:
    """An earlier run's `--version` / `--list-langs` answer for one tesseract binary, kept
    in the cache folder (`$OCR_PIPELINE_CACHE_DIR`, else `$XDG_CACHE_HOME/ocr_pipeline`, else
    `~/.cache/ocr_pipeline`, as the restore model's arrays), so that a run does not start
    tesseract twice to ask what has not changed (0.03 s of CPU, a tenth of a one-page job's
    start-up). It is used only while its stamp still matches: the binary's resolved path,
    size and modification time, `$TESSDATA_PREFIX`, the modification time of the folder
    the models were listed from (installing or removing a model changes it) and, when
    pages are read in-process, the library's version. A cache that cannot be read or
    written is ignored: it only ever saves time."""

    def __init__(self, binary: str, file: Path) -> None:
        self.binary, self.file = binary, file

    @classmethod
    def of(cls, cmd: str) -> _SavedCheck | None:
        found = cmd if os.sep in cmd else shutil.which(cmd)
        if not found:
            return None
        configured = os.environ.get("OCR_PIPELINE_CACHE_DIR", "").strip()
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        try:
            root = (
                Path(configured).expanduser()
                if configured
                else (Path(xdg) if xdg else Path.home() / ".cache") / "ocr_pipeline"
            )
        except RuntimeError:  # no home folder to be found: nothing is kept
            return None
        return cls(os.path.realpath(found), root / SAVED_CHECKS)

    def _stamp(self, folder: str) -> list[Any] | None:
        try:
            binary, models = os.stat(self.binary), os.stat(folder)
        except OSError:
            return None
        library = _library()
        return [binary.st_size, binary.st_mtime_ns, os.environ.get("TESSDATA_PREFIX"), folder,
                models.st_mtime_ns, library.version if library is not None else None]  # fmt: skip

    def _entries(self) -> dict[str, Any]:
        try:
            entries = json.loads(self.file.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def load(self) -> tuple[str, frozenset[str], str | None] | None:
        entry = self._entries().get(self.binary)
        if not isinstance(entry, dict):
            return None
        try:
            version, langs, folder = entry["version"], entry["langs"], entry["stamp"][3]
            if entry["stamp"] != self._stamp(folder) or not version or not langs:
                return None
            return str(version), frozenset(str(code) for code in langs), folder
        except (TypeError, KeyError, IndexError):
            return None

    def store(self, version: str, available: frozenset[str], folder: str | None) -> None:
        stamp = self._stamp(folder) if folder else None
        if stamp is None or not available:
            return
        entries = self._entries()
        entries.pop(self.binary, None)
        entries[self.binary] = {"version": version, "langs": sorted(available), "stamp": stamp}
        kept = [(k, v) for k, v in entries.items() if os.path.exists(k)][-_SAVED_MAX:]
        temp = None
        try:  # whole or not at all: written beside it, then renamed over it
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".checks-", dir=self.file.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(dict(kept), out)
            os.replace(temp, self.file)
        except OSError:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)


def has_language(code: str) -> bool:
    """True when tesseract runs and has language model `code` installed."""
    try:
        check_tesseract(code)
    except (MissingDependencyError, BadArgumentsError):  # not installed, or no such model
        return False
    return True
