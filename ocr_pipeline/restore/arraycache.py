"""Keep arrays that are slow to build as memory-mapped .npy files in a cache folder.

The language model ships compressed (a 21 MB npz) and is expanded when loaded: keys
delta-decoded, probabilities dequantised, about 90 MB. Every process that restores text
(each page worker) did that again: half a second of CPU and 90 MB of private memory per
process. Here the expanded arrays are written once to a cache folder and memory-mapped
from then on: loading takes milliseconds, and processes share the pages through the
operating system's page cache.

Folder: `$OCR_PIPELINE_CACHE_DIR`, else `$XDG_CACHE_HOME/ocr_pipeline`, else
`~/.cache/ocr_pipeline`. An entry is named after the source file and keyed by its path,
size and modification time, so a rebuilt model never meets stale arrays; when a new entry
is written, the older entries of the same source are removed, and so are those of any copy
of it (another checkout) that no longer exists, so the folder does not grow with every
checkout that ever ran. An entry appears whole or not at
all (written to a temporary folder, then renamed). When the folder cannot be written
(read-only home, full disk) or an entry is damaged, the arrays are built in memory as
before: the cache only ever saves time, it never fails a run.

An entry's manifest stamps the format, the source's size and modification time and a
CRC-32 of every array's bytes (of a small array all of them; of a large one CRC_BLOCKS
blocks of CRC_BLOCK bytes spread evenly over it); an entry is used only when all of them
match. A file overwritten with garbage of the right size (its .npy header intact) would
otherwise be mapped silently and change every score; it is rebuilt instead, with one
warning. The check is sampled because reading a table whole makes every process that maps
it hold all its pages: checking the language model's 90 MB in full put ~40 MB more in each
worker's resident memory; a few changed bytes in a large table can now pass unseen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CACHE_ENV = "OCR_PIPELINE_CACHE_DIR"
FORMAT = 3  # bump when the layout of an entry changes (2: stamped source and CRC-32s; 3: sampled)
CRC_BLOCK = 4096
CRC_BLOCKS = 64
_MANIFEST = "manifest.json"


def cache_root() -> Path:
    """The cache folder (it may not exist yet)."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ocr_pipeline"


def entry_dir(source: Path, kind: str) -> Path:
    """Where the arrays built by `kind` from `source` are kept."""
    st = source.stat()
    where = _digest(f"{kind}|{source.resolve()}")
    version = _digest(f"{FORMAT}|{st.st_size}|{st.st_mtime_ns}")
    return cache_root() / f"{kind}-{source.stem}-{where}-{version}"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def cached_arrays(
    source: Path, kind: str, build: Callable[[], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """The arrays `build()` makes from `source`: memory-mapped from the cache when an
    entry exists, else built, stored in the cache (when it can be written) and returned."""
    entry = entry_dir(source, kind)
    arrays = _load(entry, source)
    if arrays is not None:
        return arrays
    arrays = build()
    _store(entry, source, arrays)
    return arrays


def _source_stamp(source: Path) -> dict[str, int]:
    st = source.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _checked_spans(nbytes: int) -> list[tuple[int, int]]:
    """(offset, length) of the bytes of an `nbytes` array the CRC-32 covers: all of them up
    to CRC_BLOCKS blocks, else CRC_BLOCKS blocks of CRC_BLOCK bytes spread evenly from the
    first byte to the last."""
    if nbytes <= CRC_BLOCK * CRC_BLOCKS:
        return [(0, nbytes)]
    step = (nbytes - CRC_BLOCK) // (CRC_BLOCKS - 1)
    return [(k * step, CRC_BLOCK) for k in range(CRC_BLOCKS)]


def _crc32(array: np.ndarray) -> int:
    """CRC-32 of an array's checked bytes (`_checked_spans`), in C order."""
    data = np.ascontiguousarray(array).data.cast("B")
    crc = 0
    for start, length in _checked_spans(len(data)):
        crc = zlib.crc32(data[start : start + length], crc)
    return crc


def _file_crc32(path: Path, nbytes: int) -> int:
    """`_crc32` of the array whose data are the last `nbytes` of an .npy file, read with
    plain file reads: through the mapping, every page read would stay in this process's
    memory."""
    base = path.stat().st_size - nbytes
    crc = 0
    with open(path, "rb") as f:
        for start, length in _checked_spans(nbytes):
            f.seek(base + start)
            crc = zlib.crc32(f.read(length), crc)
    return crc


class DamagedEntry(ValueError):
    """An entry whose files are readable but whose contents are not what was written."""


def _load(entry: Path, source: Path) -> dict[str, np.ndarray] | None:
    """The entry's arrays, memory-mapped read-only, or None if it is missing or damaged."""
    try:
        manifest = json.loads((entry / _MANIFEST).read_text("utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("source") != _source_stamp(source):
            raise ValueError("written for another format or another build of the source")
        arrays = {}
        for name, (shape, dtype, crc) in manifest["arrays"].items():
            array = np.load(entry / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if list(array.shape) != shape or array.dtype.str != dtype:
                raise ValueError(f"{name}: {array.shape} {array.dtype.str}, expected {shape}")
            if _file_crc32(entry / f"{name}.npy", array.nbytes) != crc:
                raise DamagedEntry(f"{name}.npy does not match its checksum")
            arrays[name] = array
        return arrays
    except FileNotFoundError:
        return None
    except DamagedEntry as err:
        log.warning("array cache entry %s is damaged (%s); rebuilding it", entry, err)
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:
        log.debug("array cache entry %s unusable (%s); rebuilding", entry, err)
        return None


def _store(entry: Path, source: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write `arrays` as `entry`, atomically; on any OS error leave no trace and go on."""
    tmp: Path | None = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        manifest = {
            "format": FORMAT,
            "path": str(source.resolve()),
            "source": _source_stamp(source),
            "arrays": {n: [list(a.shape), a.dtype.str, _crc32(a)] for n, a in arrays.items()},
        }
        (tmp / _MANIFEST).write_text(json.dumps(manifest), "utf-8")
        if entry.exists():  # damaged (a whole one would have been loaded): set it aside
            _remove(entry.rename(entry.with_name(f".{entry.name}.old-{os.getpid()}")))
        try:
            tmp.rename(entry)
        except OSError:
            if not (entry / _MANIFEST).exists():  # not another process that was faster
                raise
        tmp = None
        for old in entry.parent.glob(entry.name.rsplit("-", 1)[0] + "-*"):
            if old != entry:  # an entry for an earlier build of the same source file
                _remove(old)
        kind_stem = entry.name.rsplit("-", 2)[0]
        for other in entry.parent.glob(kind_stem + "-*"):
            if other != entry and not other.name.startswith(".") and _orphaned(other):
                _remove(other)  # a copy of the source (another checkout) that is gone
    except OSError as err:
        log.debug("array cache %s not written (%s); arrays stay in memory", entry, err)
    finally:
        if tmp is not None:
            _remove(tmp)


def _orphaned(entry: Path) -> bool:
    """Whether `entry` was written for a source file that no longer exists (or does not
    say which: written before entries named their source)."""
    try:
        recorded = json.loads((entry / _MANIFEST).read_text("utf-8")).get("path")
    except (OSError, ValueError, AttributeError):
        return False  # being written, or unreadable: not ours to judge
    return not recorded or not Path(recorded).exists()


def _remove(path: Path) -> None:
    # A process may still map files of an old entry; unlinking them is safe on POSIX.
    with contextlib.suppress(OSError):
        shutil.rmtree(path)
