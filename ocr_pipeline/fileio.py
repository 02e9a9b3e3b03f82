"""Atomic output writing, safe input opening and hashing, and a standard output whose
failures are one line: shared by every exporter and command."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ocr_pipeline.errors import InputFileError, OutputError

log = logging.getLogger(__name__)

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _not_regular(path: Path | str, mode: int) -> InputFileError:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return InputFileError(f"{path} is {kind}, not a regular file; give a regular file")


def open_regular(path: Path | str) -> BinaryIO:
    """Open `path` for binary reading only if it is a regular file.

    A FIFO, device or socket would block a reader forever (or never end): it is refused
    with InputFileError before any read. The file is opened non-blocking and checked again
    on the open descriptor, so swapping in a FIFO after the first check cannot hang us
    either. Other OSErrors (missing, permission) propagate.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _not_regular(path, mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# the scans `run` reads (and a ZIP), by their first bytes: a text command refuses them
_BINARY = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"PK\x03\x04": "a ZIP file",
}


def binary_kind(data: bytes) -> str | None:
    """ "a PDF", "a PNG image" ... when `data` starts as one (the scans `run` reads), else None."""
    return next((what for magic, what in _BINARY.items() if data.startswith(magic)), None)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes, where: str, accepted: str = "UTF-8 text") -> str:
    """The text of `data` (the file `where`): UTF-8, its byte-order mark dropped; UTF-16
    with a byte-order mark (Windows Notepad's "Unicode"); or a pre-Unicode TCVN3 or VNI
    file (`legacy_encodings`, with a warning). Anything else is refused with one line
    naming what it looks like (`accepted`: what the command takes, for that line)."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputFileError(
                f"{where} starts as UTF-16 text but is damaged; save it again as UTF-8"
            ) from None
    head = data[:65536]
    if b"\x00" in head:
        if head.count(b"\x00") * 3 >= len(head):  # every other byte: UTF-16 without its mark
            raise InputFileError(
                f"{where} looks like UTF-16 text without a byte-order mark; convert it to "
                f"UTF-8 (iconv -f UTF-16LE -t UTF-8 FILE > NEW.txt) and retry"
            )
        raise InputFileError(f"{where} looks binary; give {accepted}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = err.start
    from ocr_pipeline.legacy_encodings import legacy_reading

    latin1 = data.decode("latin-1")  # every byte one character: how those fonts typed
    reading = legacy_reading(latin1)
    if reading is not None:
        log.warning(
            "%s is not UTF-8: read as %s typed before Unicode (convert it to Unicode to "
            "avoid this guess)",
            where,
            reading.name,
        )
        return unicodedata.normalize("NFC", reading.to_unicode(latin1))
    raise InputFileError(
        f"{where}: not UTF-8 text (bad byte at offset {bad}); convert it to UTF-8 (iconv -f "
        "CP1258 -t UTF-8 FILE > NEW.txt for a Windows Vietnamese file) and retry"
    )


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def refuse_input_as_output(outputs: Iterable[Path | str | None],
                           inputs: Iterable[Path | str | None]) -> None:  # fmt: skip
    """Raise OutputError (exit 5) when an output would replace an input ("inputs are never
    modified"): the same file, also through a symlink or a hard link. None and "-" (stdin,
    stdout) are skipped; an output that does not exist yet cannot be an input."""
    existing = [Path(i) for i in inputs if i is not None and str(i) != "-" and os.path.exists(i)]
    for out in outputs:
        if out is None or str(out) == "-" or not os.path.exists(out):
            continue
        for source in existing:
            with contextlib.suppress(OSError):
                if os.path.samefile(out, source):
                    raise OutputError(
                        f"output {out} is the input {source}; inputs are never overwritten, "
                        "choose another output file"
                    )


def no_space_error(folder: Path | str | None = None) -> OutputError:
    """The one line for a full disk under the temporary folder (exit 5: it stops the batch,
    since every later document would fail the same way; no input is to blame)."""
    where = folder or tempfile.gettempdir()
    return OutputError(
        f"no space left in the temporary folder {where}; free space there or set TMPDIR to "
        "a folder with room, then rerun the same command to resume"
    )


def is_no_space(err: OSError) -> bool:
    return err.errno in (errno.ENOSPC, errno.EDQUOT)


def has_room(folder: Path | str, nbytes: int) -> bool:
    """Whether `folder`'s file system has at least `nbytes` free (True when unknown)."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return True
    return st.f_bavail * st.f_frsize >= nbytes


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(tmp: Path | str, path: Path | str) -> None:
    """Give the finished temporary file `tmp` the usual mode of a new file (temp files are
    made 0600; the umask applies) and rename it over `path`. Raises OSError."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_safe(text: str) -> str:
    """`text` with every lone surrogate (an undecodable byte of a file name, as Python keeps
    it) replaced by U+FFFD, so it can be written as UTF-8 wherever it lands: inside JSON, a
    backslash escape would not be valid, and the strict encoder raised."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return utf8_safe(text).encode("utf-8")


def _pieces(data: str | bytes | Iterable[str]) -> Iterable[bytes]:
    if isinstance(data, str | bytes):
        yield _encode(data) if isinstance(data, str) else data
    else:
        for piece in data:
            yield _encode(piece)


_DESCRIPTOR = re.compile(r"/(?:proc/(?:self|(\d+))/fd|dev/fd)/(\d+)")


def _own_descriptor(path: Path) -> int | None:
    """N when `path` is, or links (link by link) to, /dev/fd/N or /proc/self/fd/N of
    this process (/dev/stdout is such a link): the descriptor itself is written to, so a
    redirection's offset and append mode are kept."""
    where = os.path.abspath(path)
    for _ in range(40):  # a chain longer than the kernel's limit is not one
        m = _DESCRIPTOR.fullmatch(os.path.normpath(where))
        if m and (m.group(1) is None or int(m.group(1)) == os.getpid()):
            return int(m.group(2))
        if not os.path.islink(where):
            return None
        where = os.path.join(os.path.dirname(where), os.readlink(where))
    return None


def _write_fully(fd: int, data: bytes) -> None:
    """All of `data` to the descriptor, partial writes continued. A buffered file object
    is not used: its one large write to a pipe whose reader left after a partial write
    returned without error and dropped the rest (exit 0, output cut short)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_into(path: Path, data: str | bytes | Iterable[str], own: int | None) -> None:
    """Write into the existing `path` that cannot be replaced: /dev/null, a terminal, a
    pipe, or the descriptor `own` (/dev/stdout). A FIFO nobody reads is refused, not
    waited on."""
    try:
        if own is not None:
            fd = os.dup(own)
        else:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as err:
        why = "nothing reads from it" if err.errno == errno.ENXIO else err.strerror
        raise OutputError(f"cannot write {path}: {why}; choose another output") from None
    try:
        os.set_blocking(fd, True)
        for piece in _pieces(data):
            _write_fully(fd, piece)
    except BrokenPipeError:  # the reader went away (`| head`): quiet exit 5, as for -
        raise
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror}; choose another output") from None
    finally:
        os.close(fd)


#: Extended attribute an output written with `keep_edited` carries: the sha256 of what was
#: written, so a rerun tells our own file from one a person edited since.
WRITTEN_MARK = "user.ocr_pipeline.sha256"


def _mark_of(path: Path) -> str | None:
    """The digest `WRITTEN_MARK` holds on `path`, "" where the file system keeps no
    extended attributes, None where the file carries none."""
    try:
        return os.getxattr(path, WRITTEN_MARK).decode("ascii", "replace")
    except AttributeError:  # a platform without them
        return ""
    except OSError as err:
        return "" if err.errno in (errno.ENOTSUP, errno.EOPNOTSUPP) else None


def copy_aside(path: Path) -> Path:
    """Copy the edited output `path` aside, as NAME.edited (then NAME.edited-2, ...), its
    times kept; returns the copy. Raises OSError (the caller says what is not done)."""
    import shutil

    copy, n = path.with_name(path.name + ".edited"), 1
    while copy.exists():
        n += 1
        copy = path.with_name(f"{path.name}.edited-{n}")
    shutil.copy2(path, copy)
    return copy


def keep_aside(path: Path, new_digest: str, sources_mtime: float | None = None) -> Path | None:
    """Copy the existing output `path` aside (`copy_aside`) when it is not what we
    wrote there and differs from the output about to replace it (`new_digest`): its
    `WRITTEN_MARK` is missing or no longer matches its content (edited by hand, or written
    by another program or an older version). Where the file system keeps no marks, an
    output changed after its inputs (`sources_mtime`, their newest modification time) is
    taken for edited. Returns the copy, or None when nothing was kept. Raises OutputError
    when the copy cannot be made: the output must then not be replaced."""
    try:
        if not path.is_file():
            return None
        digest = sha256_file(path)
        mtime = path.stat().st_mtime
    except (OSError, InputFileError):
        return None
    if digest == new_digest:
        return None
    mark = _mark_of(path)
    if mark == digest or (mark == "" and sources_mtime is not None and mtime <= sources_mtime):
        return None
    try:
        return copy_aside(path)
    except OSError as err:
        raise OutputError(
            f"{path} was changed since it was written and cannot be copied aside "
            f"({err.strerror}): not replaced; move it away or free some space, then rerun"
        ) from None


def write_atomic(
    path: Path,
    data: str | bytes | Iterable[str],
    keep_edited: bool = False,
    sources_mtime: float | None = None,
) -> Path | None:
    """Write to a temp file in the same folder, fsync, then rename over `path`.

    `data` may be an iterable of strings, written piece by piece (a large report is never
    held whole in memory); if it raises, nothing is published. An existing output that is
    not a regular file (`/dev/null`, a terminal, a pipe) or that names an open descriptor
    (`/dev/stdout`, `/dev/fd/N`, whatever they lead to) is written into, never renamed
    over: as root, that put a regular file in place of /dev/null or of the /dev/stdout
    link, and the output never reached the redirection. Any other symlink is replaced,
    not followed, so a link planted in OUTDIR after the batch checked it cannot send an
    output elsewhere.

    With `keep_edited`, an existing output someone changed since we wrote it is copied
    aside first (`keep_aside`; `sources_mtime`, the inputs' newest modification time, for
    a file system without extended attributes), and the new output carries its digest
    (`WRITTEN_MARK`); returns the copy kept, if any."""
    path = Path(path)
    own = _own_descriptor(path)
    try:
        mode: int | None = os.stat(path).st_mode  # through symlinks: /dev/stdout is one
    except OSError:
        mode = None
    # outside any OSError handler: a reader that went away (BrokenPipeError) must not
    # fall through to the rename below, which replaced the /dev/stdout link with a file
    if own is not None or not (mode is None or stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        _write_into(path, data, own)
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(
            f"cannot write to {path.parent}: {err.strerror}; choose a writable output folder"
        ) from None
    kept = None
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as fh:
            for piece in _pieces(data):
                fh.write(piece)
                digest.update(piece)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_edited:
            kept = keep_aside(path, digest.hexdigest(), sources_mtime)
            with contextlib.suppress(OSError, AttributeError):  # a file system without them
                os.setxattr(tmp, WRITTEN_MARK, digest.hexdigest().encode("ascii"))
        publish(tmp, path)
    except OutputError:
        Path(tmp).unlink(missing_ok=True)
        raise
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {path}: {err.strerror}; check space and permissions"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return kept


class StdoutError(OutputError):
    """Standard output cannot take what a command prints (exit 5)."""


# Characters per write to the real stdout: at most 8 KB encoded, under the buffer's size.
# One larger write to a pipe whose reader left after a partial write returned without an
# error and dropped the rest (`restore -o - | head -c 10` exited 0, cut short).
_STDOUT_PIECE = 2048


class GuardedStdout:
    """Standard output for the commands: a write or flush that fails (a full disk, a
    terminal that vanished, a closed descriptor) becomes one StdoutError line (exit 5)
    instead of a traceback. A reader that went away (BrokenPipeError, `| head`) is passed
    on unchanged: the command line ends quietly then."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    @staticmethod
    def _error(err: OSError) -> StdoutError:
        return StdoutError(
            f"cannot write to standard output: {err.strerror or err}; free space there or "
            "give -o FILE"
        )

    def write(self, text: str) -> int:
        if self.stream is None:
            raise StdoutError("standard output is closed; give -o FILE or redirect it")
        # a file name's undecodable byte becomes U+FFFD as in files (a C locale's stdout
        # would write the raw byte, and a UTF-8 one would raise)
        text = utf8_safe(text)
        try:
            for start in range(0, len(text), _STDOUT_PIECE):
                self.stream.write(text[start : start + _STDOUT_PIECE])
            return len(text)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise self._error(err) from None

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise self._error(err) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def silence_stdout(stream: TextIO | None) -> None:
    """Point the standard output descriptor at /dev/null after it failed, so the
    interpreter's last flush of what is still buffered cannot print a second error."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno() if stream is not None else 1)
        os.close(devnull)
