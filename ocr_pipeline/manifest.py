"""The batch manifest: one SQLite database in OUTDIR recording every document's fate.

Embedded (stdlib `sqlite3`, no server), WAL journal so `ocr-pipeline status` can read
while a batch writes, and every state change is its own committed transaction, so a
batch killed at any instant leaves a consistent record. One row per output document,
keyed by its output path relative to OUTDIR (`rel`, POSIX, without extension):

    rel, source, sha256, state (queued | running | done | failed), attempts, pages,
    pages_failed, queued_at, started_at, finished_at, seconds, error, exit_code,
    outputs (JSON list of paths relative to OUTDIR), options_key (fingerprint of the
    options that shaped the outputs: the batch warns when done documents were made with
    other options, it does not redo them), attempt_key (of a done document: the options
    and limits it ran with, `batch.plan.attempt_key`), output_digests (JSON object: each
    output's sha256 as the run wrote it, so a rerun tells an output a reviewer changed
    from a copied one whose file times are new: `batch.plan.keep_edited_outputs`)

A done document can have pages left empty (a page timed out or failed): `pages_failed`
counts them and `error` says what emptied the first one.

Resume rule (`Manifest.plan`): a document whose input hash equals the recorded one is
skipped when it is done and its outputs still exist (unless it has empty pages and
`redo_empty_pages`, or a warning to check and `redo_warned`), and when it failed (unless
`retry_failed`); a changed input, a
missing output, or a document left "running" or "queued" by an interrupted batch is
(re)done. Only the process running the batch writes.

A failure the user fixed by renaming the input (a name too long for its outputs, or not
UTF-8, as its error line asks) has another `rel` than the renamed file, so its row would
stay failed for ever: such a failure records the input's hash (`refused_input_sha256`),
and when a document with that hash is done, the failures of the same content whose input
is gone are forgotten (`mark_done`).
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr_pipeline.errors import OutputError, PipelineError

MANIFEST_NAME = ".ocr-pipeline.sqlite"
STATES = ("queued", "running", "done", "failed")
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    rel TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    pages INTEGER,
    pages_failed INTEGER,
    queued_at REAL,
    started_at REAL,
    finished_at REAL,
    seconds REAL,
    error TEXT,
    exit_code INTEGER,
    outputs TEXT,
    options_key TEXT,
    attempt_key TEXT,
    warnings TEXT,
    reading_key TEXT,
    output_digests TEXT
);
CREATE INDEX IF NOT EXISTS documents_state ON documents (state);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass
class Record:
    """One row of the manifest."""

    rel: str
    source: str
    sha256: str | None
    state: str
    attempts: int = 0
    pages: int | None = None
    pages_failed: int | None = None
    queued_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    seconds: float | None = None
    error: str | None = None
    exit_code: int | None = None
    outputs: list[str] | None = None
    options_key: str | None = None  # fingerprint of the options that shaped the outputs
    attempt_key: str | None = None  # done: the options and limits it ran with
    warnings: list[str] | None = None  # done: what a person should look at (one line each)
    reading_key: str | None = None  # done: the options that read its pages into words
    output_digests: dict[str, str] | None = None  # done: each output's sha256 as written


_COLUMNS = tuple(Record.__dataclass_fields__)


def _manifest_error(path: Path, err: sqlite3.Error) -> OutputError:
    detail = str(err) or type(err).__name__
    if "full" in detail.lower():
        fix = "free some space on that disk and rerun the same command to resume"
    elif isinstance(err, sqlite3.DatabaseError) and not isinstance(err, sqlite3.OperationalError):
        fix = "the file is damaged: remove it to start the batch afresh"
    elif "no such table" in detail or "no such column" in detail:
        fix = "it is not an ocr-pipeline manifest (another program's database?): move it away"
    else:
        fix = "check the disk and the folder's permissions, then rerun"
    return OutputError(f"batch manifest {path}: {detail}; {fix}")


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Every SQLite error (disk full, damaged file, I/O error, locked) of a manifest method
    becomes one OutputError line (exit 5) instead of a traceback."""

    @functools.wraps(method)
    def wrapper(self: Manifest, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as err:
            raise _manifest_error(self.path, err) from None

    return wrapper


def _refuse_links(path: Path) -> None:
    """OutputError when the manifest or one of SQLite's files beside it is a symlink or not
    a regular file: SQLite would follow a link and write its tables into whatever database
    it names, outside OUTDIR; a FIFO or folder there ends in an obscure SQLite error."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        where = path.with_name(name)
        try:
            mode = where.lstat().st_mode
        except OSError:
            continue  # absent (SQLite creates it) or unreadable (SQLite reports it)
        if stat.S_ISLNK(mode):
            raise OutputError(
                f"batch manifest {where} is a symbolic link; a batch writes nothing outside "
                "its OUTDIR: remove the link, or choose another -o"
            )
        if not stat.S_ISREG(mode):
            raise OutputError(
                f"batch manifest {where} is not a regular file; remove it, or choose another -o"
            )


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """A manifest written before a column was added gets it (empty), so a batch resumes
    in an OUTDIR of an older version."""
    have = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    for name in ("attempt_key", "warnings", "reading_key", "output_digests"):
        if name not in have:
            db.execute(f"ALTER TABLE documents ADD COLUMN {name} TEXT")


def manifest_path(outdir: Path) -> Path:
    return Path(outdir) / MANIFEST_NAME


class Manifest:
    """Read and update the manifest of one OUTDIR (use as a context manager)."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        _refuse_links(self.path)
        try:
            if readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)
                _add_missing_columns(self.db)
                self.db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
        except sqlite3.Error as err:
            raise _manifest_error(self.path, err) from None
        self.db.row_factory = sqlite3.Row

    @classmethod
    def open(cls, outdir: Path, *, readonly: bool = False) -> Manifest:
        return cls(manifest_path(outdir), readonly=readonly)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------ reading

    @_guarded
    def get(self, rel: str) -> Record | None:
        row = self.db.execute("SELECT * FROM documents WHERE rel = ?", (rel,)).fetchone()
        return _record(row) if row else None

    def records(self, state: str | None = None) -> Iterator[Record]:
        try:
            if state is None:
                rows = self.db.execute("SELECT * FROM documents ORDER BY rel")
            else:
                rows = self.db.execute(
                    "SELECT * FROM documents WHERE state = ? ORDER BY rel", (state,)
                )
            for row in rows:
                yield _record(row)
        except sqlite3.Error as err:
            raise _manifest_error(self.path, err) from None

    @_guarded
    def counts(self) -> dict[str, int]:
        found = dict(self.db.execute("SELECT state, COUNT(*) FROM documents GROUP BY state"))
        return {s: int(found.get(s, 0)) for s in STATES}

    # ------------------------------------------------------------------------ resume

    @_guarded
    def plan(
        self,
        rel: str,
        source: str,
        sha256: str,
        *,
        outdir: Path,
        retry_failed: bool = False,
        force: bool = False,
        expected: list[str] | None = None,
        redo_empty_pages: bool = False,
        redo_warned: bool = False,
    ) -> bool:
        """Record the document as queued if it needs work (always with `force`); return
        whether it does. `expected`: the outputs this run wants (relative to `outdir`;
        default: those recorded); a done document missing one is redone, and so is one
        with pages left empty when `redo_empty_pages`, and one done with a warning when
        `redo_warned` (the caller asks so for a page read as garbage or as no text, once the
        options that read pages changed: `batch.plan.reading_key`)."""
        old = self.get(rel)
        if old is not None and old.sha256 == sha256 and not force:
            wanted = old.outputs or [] if expected is None else expected
            if (
                old.state == "done"
                and all((Path(outdir) / p).exists() for p in wanted)
                and not (redo_empty_pages and old.pages_failed)
                and not (redo_warned and old.warnings)
            ):
                return False
            if old.state == "failed" and not retry_failed:
                return False
        self.db.execute(
            "INSERT INTO documents (rel, source, sha256, state, queued_at) "
            "VALUES (?, ?, ?, 'queued', ?) ON CONFLICT (rel) DO UPDATE SET "
            "source = excluded.source, sha256 = excluded.sha256, state = 'queued', "
            "queued_at = excluded.queued_at, error = NULL, exit_code = NULL",
            (rel, source, sha256, time.time()),
        )
        return True

    # ------------------------------------------------------------------------ updates

    @_guarded
    def mark_running(self, rel: str) -> None:
        self.db.execute(
            "UPDATE documents SET state = 'running', started_at = ?, attempts = attempts + 1, "
            "finished_at = NULL, seconds = NULL WHERE rel = ?",
            (time.time(), rel),
        )

    @_guarded
    def mark_done(
        self,
        rel: str,
        *,
        pages: int,
        pages_failed: int,
        seconds: float,
        outputs: list[str],
        options_key: str | None = None,
        attempt_key: str | None = None,
        empty_pages_error: str | None = None,
        warnings: list[str] | None = None,
        reading_key: str | None = None,
        output_digests: dict[str, str] | None = None,
    ) -> None:
        """Record a document as done; `empty_pages_error`: what left its first empty page
        empty (None when every page was read); `warnings`: what a person should look at;
        `output_digests`: the sha256 of each output as written."""
        self.db.execute(
            "UPDATE documents SET state = 'done', finished_at = ?, seconds = ?, pages = ?, "
            "pages_failed = ?, outputs = ?, error = ?, exit_code = 0, options_key = ?, "
            "attempt_key = ?, warnings = ?, reading_key = ?, output_digests = ? WHERE rel = ?",
            (time.time(), seconds, pages, pages_failed, json.dumps(outputs),
             empty_pages_error if pages_failed else None, options_key, attempt_key,
             json.dumps(warnings) if warnings else None, reading_key,
             json.dumps(output_digests) if output_digests else None, rel),
        )  # fmt: skip
        self._forget_renamed_failures(rel)

    def _forget_renamed_failures(self, rel: str) -> int:
        """Delete the failures of the content `rel` was just done from whose input no longer
        exists (renamed as its error asked); returns how many. A failure whose input is
        still there stays: it is another file, and still wrong."""
        rows = self.db.execute(
            "SELECT f.rel, f.source FROM documents f JOIN documents d ON f.sha256 = d.sha256 "
            "WHERE d.rel = ? AND f.rel != d.rel AND f.state = 'failed'",
            (rel,),
        ).fetchall()
        gone = [r["rel"] for r in rows if not _exists(r["source"])]
        for old in gone:
            self.db.execute("DELETE FROM documents WHERE rel = ? AND state = 'failed'", (old,))
        return len(gone)

    @_guarded
    def mark_failed(
        self,
        rel: str,
        *,
        error: str,
        exit_code: int,
        source: str | None = None,
        sha256: str | None = None,
        seconds: float | None = None,
        options_key: str | None = None,
    ) -> None:
        """Record a failure; inserts the row when the document never got queued.
        `options_key`: the options and limits the failed attempt ran with (None: it never
        ran, the input itself was refused)."""
        now = time.time()
        self.db.execute(
            "INSERT INTO documents (rel, source, sha256, state, attempts, finished_at, seconds, "
            "error, exit_code, options_key) VALUES (?, ?, ?, 'failed', 1, ?, ?, ?, ?, ?) "
            "ON CONFLICT (rel) DO UPDATE SET state = 'failed', finished_at = excluded.finished_at, "
            "seconds = excluded.seconds, error = excluded.error, exit_code = excluded.exit_code, "
            "sha256 = COALESCE(excluded.sha256, sha256), options_key = excluded.options_key",
            (rel, source or rel, sha256, now, seconds, error, int(exit_code), options_key),
        )

    @_guarded
    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    @_guarded
    def get_meta(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row and row[0] is not None else None


#: the visible escape `safetext.escape_controls` gives a control character or an
#: undecodable byte of a file name (a record's source is stored escaped)
_ESCAPED_BYTE = re.compile(r"\\x([0-9a-f]{2})")


def source_path(source: str) -> Path:
    """The file a record's `source` names: the escapes of a name's control characters and
    undecodable bytes (\\x1b, \\xe1) turned back into them."""

    def byte(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return chr(0xDC00 + code) if code >= 0x80 else chr(code)

    return Path(_ESCAPED_BYTE.sub(byte, source))


def _exists(source: str) -> bool:
    return os.path.lexists(source) or os.path.lexists(source_path(source))


def refused_input_sha256(source: str) -> str | None:
    """The content hash of an input refused for its name (so that the failure is forgotten
    once the renamed file is done), None when it is not a readable regular file."""
    from ocr_pipeline.fileio import sha256_file

    for path in (Path(source), source_path(source)):
        try:
            return sha256_file(path)
        except (OSError, ValueError, PipelineError):  # missing, a FIFO or device, a NUL
            continue
    return None


def _record(row: sqlite3.Row) -> Record:
    present = set(row.keys())  # a read-only look at an older manifest lacks new columns
    values: dict[str, Any] = {k: row[k] if k in present else None for k in _COLUMNS}
    # a damaged row's lists count as missing (its outputs: the document is redone)
    for name, kind in (("outputs", list), ("warnings", list), ("output_digests", dict)):
        try:
            value = json.loads(values[name]) if values[name] else None
        except (TypeError, ValueError):
            value = None
        values[name] = value if isinstance(value, kind) else None
    return Record(**values)
