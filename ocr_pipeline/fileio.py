"""Atomic output writing and input hashing, shared by every exporter and command."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ocr_pipeline.errors import OutputError


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(tmp: Path | str, path: Path | str) -> None:
    """Give the finished temporary file `tmp` the usual mode of a new file (temp files are
    made 0600; the umask applies) and rename it over `path`. Raises OSError."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)


def write_atomic(path: Path, data: str | bytes | Iterable[str]) -> None:
    """Write to a temp file in the same folder, fsync, then rename over `path`.

    `data` may be an iterable of strings, written piece by piece (a large report is never
    held whole in memory); if it raises, nothing is published."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(
            f"cannot write to {path.parent}: {err.strerror}; choose a writable output folder"
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, str | bytes):
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for piece in data:
                    fh.write(piece.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        publish(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {path}: {err.strerror}; check space and permissions"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
