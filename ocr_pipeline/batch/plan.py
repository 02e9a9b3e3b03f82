"""What the manifest decides and records: which documents need work, and what became of each.

`plan_tasks` checks and hashes each input and asks the manifest (`manifest.Manifest`, by
content hash; see its docstring) whether it needs work: done documents are skipped,
failed ones wait for `--retry-failed` (unless the failure was the installation's or
OUTDIR's, `errors.FATAL_CODES`), changed ones are redone. A done document with pages left
empty (a page timed out or failed) is redone as a failure is: by a rerun with other
options or limits (the fix its warning suggests) or with `--retry-failed`; one done with a
page read as garbage or as no text (`task.MENDED_BY_OPTIONS`) by a rerun with other options
(`--rotate-pages` for a turned page: the same options would read it the same). Our own
outputs are never inputs (`own_outputs`), and a done document keeps its output name when a
same-stem file appears (`keep_recorded_names`). `record_result` writes a finished
document's fate to the manifest, the summary and the progress display.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from ocr_pipeline import raster
from ocr_pipeline.batch.inputs import InputItem, output_base, resolve
from ocr_pipeline.batch.progress import BatchProgress
from ocr_pipeline.batch.task import MENDED_BY_OPTIONS, DocResult, DocTask, with_path
from ocr_pipeline.errors import FATAL_CODES, ExitCode, OutputError, PipelineError
from ocr_pipeline.export import ARCHIVE_TYPES, output_paths
from ocr_pipeline.fileio import copy_aside, sha256_file
from ocr_pipeline.manifest import MANIFEST_NAME, Manifest, Record, refused_input_sha256
from ocr_pipeline.options import PipelineOptions

log = logging.getLogger(__name__)


#: longest NAME whose outputs fit a file system's 255-byte names: ".NAME.table-99.csv.XXXXXXXX.tmp"
MAX_NAME_BYTES = 255 - len(".table-99.csv") - len("..XXXXXXXX.tmp")


@dataclass
class BatchConfig:
    """What a batch is asked to do (from the command line)."""

    outdir: Path
    options: PipelineOptions
    settings: dict[str, Any]
    versions: dict[str, Any]
    structure: bool = True
    jobs: int = 1
    doc_timeout: float | None = None
    output_types: tuple[str, ...] = ()
    retry_failed: bool = False
    force: bool = False  # redo documents recorded as done or failed
    scheduler: str | None = None
    quiet: bool = False
    other_inputs: tuple[Path, ...] = ()  # read but not documents (--from-list): never outputs


@dataclass
class BatchSummary:
    """How a batch went: documents done, failed and skipped, and its exit code."""

    done: int = 0
    failed: int = 0
    skipped: int = 0
    exit_code: int = 0
    to_check: int = 0  # documents done with a warning a person should look at
    unstarted: int = 0  # documents a stop at a failure no document escapes never started
    codes: dict[str, int] = field(default_factory=dict)  # rel -> failure code, input order


def options_key(settings: dict[str, Any], structure: bool) -> str:
    """Fingerprint of the options that change outputs (not jobs, timeouts or pixel limits).
    A file an option names counts by its contents: the documents restored with a profile
    since updated in place (``learn -i P -o P``) are told as done with other options
    (``--force`` redoes them), not taken as current. A batch run with ``--profile``
    before this counted the path alone: its next run says so once."""
    shaping = {k: v for k, v in settings.items() if k not in ("jobs", "page_timeout", "max_pixels")}
    shaping["structure"] = structure
    return _fingerprint(_with_contents(shaping))


def attempt_key(settings: dict[str, Any], structure: bool, doc_timeout: float | None) -> str:
    """Fingerprint of every option and limit an attempt ran with (jobs aside): a document
    that failed is tried again by a plain rerun once any of them changed, as its error
    line tells the user to do ("raise --doc-timeout", "lower --dpi")."""
    tried = {k: v for k, v in settings.items() if k != "jobs"}
    tried["structure"], tried["doc_timeout"] = structure, doc_timeout
    return "attempt:" + _fingerprint(_with_contents(tried))


#: the options that read a page into words: a page read as garbage or as no text under
#: some of them may read otherwise under others (`--rotate-pages`, another `--dpi`)
READING_OPTIONS = ("dpi", "lang", "psm", "preprocess", "rotate_pages", "rotate_pages_threshold",
                   "max_pixels")  # fmt: skip


def reading_key(settings: dict[str, Any]) -> str:
    """Fingerprint of the options that read a document's pages into words."""
    return "reading:" + _fingerprint({k: settings.get(k) for k in READING_OPTIONS})


FILE_OPTIONS = ("profile", "lexicon")  # settings naming a file whose contents shape outputs


def _with_contents(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with the sha256 of each file a FILE_OPTIONS setting names (unchanged when
    there is none, so the keys of runs without such a file stay what they were)."""
    out = dict(values)
    for name in FILE_OPTIONS:
        path = values.get(name)
        if path:
            out[f"{name}_sha256"] = _contents(str(path))
    return out


def _contents(path: str) -> str | None:
    """The sha256 of the file at `path` (None when it cannot be read), hashed again only
    when its size or modification time changed."""
    try:
        st = os.stat(path)
        return _cached_sha256(path, st.st_mtime_ns, st.st_size)
    except OSError:
        return None


@lru_cache(maxsize=16)
def _cached_sha256(path: str, _mtime_ns: int, _size: int) -> str:
    return sha256_file(Path(path))


def _fingerprint(values: dict[str, Any]) -> str:
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def keep_recorded_names(items: list[InputItem], manifest: Manifest) -> list[InputItem]:
    """Give each input the output name the manifest already records for it, when that name
    is free in this run: adding x.pdf beside a done x.png must not rename x.png's outputs
    (to x.png.*) and OCR it again while x.*'s stay behind; the newcomer gets the other name."""
    by_source: dict[str, str] = {}
    for record in manifest.records():
        by_source.setdefault(record.source, record.rel)
    taken = Counter(it.rel for it in items)
    out = []
    for item in items:
        recorded = by_source.get(str(item.path))
        if recorded and recorded != item.rel and taken[recorded] == 0 and not item.error:
            taken[item.rel] -= 1
            taken[recorded] += 1
            item = replace(item, rel=recorded)
        out.append(item)
    return out


def own_outputs(items: Sequence[InputItem], outdir: Path, manifest: Manifest) -> set[int]:
    """Indices of `items` that are outputs of this OUTDIR, never to be taken as inputs
    (e.g. NAME.ocr.pdf when -o is the input folder): a path the manifest records as an
    output, or an archive output name (NAME.ocr.pdf, NAME.hocr, NAME.alto.xml) inside
    OUTDIR with our NAME.json beside it. Outputs of an earlier run found in an input
    folder that holds that run's manifest (a folder read again after it was an OUTDIR:
    NAME.ocr.pdf, NAME.txt, ... with NAME.json beside them) are left out too, with one
    warning line per folder."""
    top = resolve(Path(outdir))
    recorded = {resolve(Path(outdir) / p) for r in manifest.records() for p in r.outputs or ()}
    suffixes = tuple(set(ARCHIVE_TYPES.values()))
    ours = set()
    earlier: dict[Path, list[str]] = {}
    for i, item in enumerate(items):
        resolved = resolve(item.path)
        if resolved is None:
            continue
        if top is None or not resolved.is_relative_to(top):
            # run mirrors an input tree: its manifest may be in any folder up to the input's
            depth = len(PurePosixPath(item.rel).parts)
            folders = resolved.parents[: max(depth, 1)]
            if any((f / MANIFEST_NAME).exists() for f in folders) and _run_output(resolved):
                ours.add(i)
                earlier.setdefault(resolved.parent, []).append(resolved.name)
            continue
        name = resolved.name
        stem = next((name[: -len(s)] for s in suffixes if name.endswith(s)), None)
        if resolved in recorded or (stem and (resolved.parent / f"{stem}.json").is_file()):
            ours.add(i)
    for folder, names in earlier.items():
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        log.warning("%s holds an earlier ocr-pipeline run's outputs (%s): %d of them left out"
                    " of the inputs (%s)", folder, MANIFEST_NAME, len(names), shown)  # fmt: skip
    return ours


# what run writes for a document, from the exporters' own list of its files
_OUTPUT_SUFFIXES = tuple(
    sorted({p.name for kind in ARCHIVE_TYPES for p in output_paths(Path(), "", {kind}).values()})
)


def _run_output(path: Path) -> bool:
    """Whether `path` is named as a run output (NAME.ocr.pdf, NAME.txt, NAME.json, ...)
    with NAME.json and NAME.txt beside it, as run writes them."""
    stem = next((path.name[: -len(s)] for s in _OUTPUT_SUFFIXES if path.name.endswith(s)), None)
    return bool(stem) and all((path.parent / f"{stem}{s}").is_file() for s in (".json", ".txt"))


class _Refused(Exception):
    """An input refused while collecting (its error and exit code come with it; `rename`:
    the error asks for the input to be renamed)."""

    def __init__(self, message: str, exit_code: int, *, rename: bool = False) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.rename = rename


def plan_tasks(
    items: list[InputItem], config: BatchConfig, manifest: Manifest, progress: BatchProgress
) -> tuple[list[DocTask], dict[str, int]]:
    """Check and hash each input; queue those that need work. Returns tasks, prior failures."""
    inputs = {resolve(it.path) for it in items if os.path.exists(it.path)} - {None}
    inputs |= {resolve(Path(p)) for p in config.other_inputs} - {None}
    tasks: list[DocTask] = []
    failures: dict[str, int] = {}
    key = options_key(config.settings, config.structure)
    other_options: list[str] = []
    for item in items:
        source = str(item.path)
        sha = None
        try:
            if item.error:
                raise _Refused(item.error, item.exit_code, rename="rename it" in item.error)
            base = output_base(config.outdir, item.rel)
            if len(os.fsencode(base.name)) > MAX_NAME_BYTES:
                raise _Refused(
                    f"{source}: the name is too long for its outputs ({len(os.fsencode(base.name))}"
                    f" bytes; NAME.table-N.csv and its temporary file fit {MAX_NAME_BYTES}); "
                    "rename it shorter",
                    int(ExitCode.bad_args),
                    rename=True,
                )
            expected = output_paths(base.parent, base.name, config.output_types)
            for path in expected.values():
                if resolve(path) in inputs:
                    raise OutputError(f"{path} would overwrite an input; choose another -o")
            raster.detect_media_type(item.path)  # cheap: missing, empty, not a document
            sha = sha256_file(item.path)
        except (PipelineError, _Refused, OSError) as err:
            code = int(getattr(err, "exit_code", ExitCode.input_file))
            message = with_path(source, str(err))
            if isinstance(err, _Refused) and err.rename:  # forgotten once renamed and done
                sha = refused_input_sha256(source)
            manifest.mark_failed(item.rel, error=message, exit_code=code, source=source,
                                 sha256=sha)  # fmt: skip
            progress.message(f"ocr-pipeline: error: {message}")
            failures[item.rel] = code
            continue
        wanted = [p.relative_to(config.outdir).as_posix() for p in expected.values()]
        old = manifest.get(item.rel)
        # a missing program or an unwritable OUTDIR was no fault of the input: once fixed,
        # a plain rerun tries again (only the input's own failures wait for --retry-failed)
        # and a failure under other options or limits is tried again with the new ones
        attempt = attempt_key(config.settings, config.structure, config.doc_timeout)
        retry = config.retry_failed or (
            old is not None
            and old.state == "failed"
            and (old.exit_code in FATAL_CODES or old.options_key not in (None, attempt))
        )
        other_attempt = old is not None and old.attempt_key not in (None, attempt)
        redo_empty = config.retry_failed or other_attempt
        # a page read as garbage or as no text, warned to try --rotate-pages or another
        # --dpi, once an option that reads pages changed (a misnamed file's warning, or
        # --no-tables, mends nothing)
        redo_warned = (
            old is not None
            and old.reading_key not in (None, reading_key(config.settings))
            and any(hint in w for w in old.warnings or () for hint in MENDED_BY_OPTIONS)
        )
        if manifest.plan(item.rel, source, sha, outdir=config.outdir, expected=wanted,
                         retry_failed=retry, force=config.force,
                         redo_empty_pages=redo_empty, redo_warned=redo_warned):  # fmt: skip
            if old is not None and old.state == "done":
                try:
                    kept = keep_edited_outputs(config.outdir, old)
                except OutputError as err:  # the edit cannot be kept: not done again
                    message = with_path(source, str(err))
                    manifest.mark_failed(item.rel, error=message, exit_code=int(err.exit_code),
                                         source=source, sha256=sha)  # fmt: skip
                    progress.message(f"ocr-pipeline: error: {message}")
                    failures[item.rel] = int(err.exit_code)
                    continue
                for edited, copy in kept:
                    progress.message(f"ocr-pipeline: warning: {edited} was changed after its "
                                     f"run (apply --in-place?): kept as {copy} before the "
                                     "document is done again")  # fmt: skip
            tasks.append(DocTask(source=source, rel=item.rel, outdir=str(config.outdir),
                                 options=config.options, settings=config.settings,
                                 versions=config.versions, structure=config.structure,
                                 output_types=tuple(config.output_types),
                                 attempt=attempt))  # fmt: skip
        else:
            record = manifest.get(item.rel)
            if record is not None and record.state == "failed":
                failures[item.rel] = int(record.exit_code or ExitCode.other_error)
                progress.message(f"ocr-pipeline: error: {record.error} (failed before; "
                                 "--retry-failed tries again)")  # fmt: skip
            else:
                log.info("%s: done before, skipped", source)
                if record is not None and record.options_key not in (None, key):
                    other_options.append(source)
                if record is not None and record.pages_failed:
                    progress.message(f"ocr-pipeline: warning: {empty_pages_line(record)}")
    if other_options:
        named = ", ".join(other_options[:3]) + (", ..." if len(other_options) > 3 else "")
        progress.message(
            f"ocr-pipeline: warning: {len(other_options)} document(s) done earlier with other "
            f"options (dpi, language, preprocessing...) were kept as they are ({named}); add "
            "--force (or use a new -o) to redo them with these options"
        )
    return tasks, failures


def output_digests(outdir: Path, outputs: list[str]) -> dict[str, str]:
    """The sha256 of each output (relative to `outdir`) as the run left it; an output that
    cannot be read is left out (a rerun then judges it by its time)."""
    found = {}
    for rel in outputs:
        try:
            found[rel] = sha256_file(outdir / rel)
        except (OSError, PipelineError):
            continue
    return found


def _changed_since_run(path: Path, rel: str, record: Record) -> bool:
    """Output `rel` of a done document is no longer what its run wrote: its content differs
    from the digest the manifest recorded or, in a manifest of a version that recorded none,
    it was modified after the run finished (a copy made with `cp -r` has new times but
    the same content: only the digest tells it from an edit)."""
    if not path.is_file():
        return False
    recorded = (record.output_digests or {}).get(rel)
    if recorded is not None:
        return sha256_file(path) != recorded
    return path.stat().st_mtime > (record.finished_at or 0) + 1


def keep_edited_outputs(outdir: Path, record: Record) -> list[tuple[str, str]]:
    """Copy aside each output of a done document that was changed after its run (a
    reviewer's `apply --in-place`: `_changed_since_run`), before the document is done again
    and overwrites it: NAME.txt -> NAME.txt.edited (then .edited-2, ...). Returns (output,
    copy) names; OutputError when a copy cannot be made (the document must then not be
    done again)."""
    kept = []
    for rel in record.outputs or ():
        path = outdir / rel
        try:
            changed = _changed_since_run(path, rel, record)
        except (OSError, PipelineError):
            continue
        if not changed:
            continue
        try:
            copy = copy_aside(path)
        except OSError as err:
            raise OutputError(
                f"{rel} was changed after its run (apply --in-place?) and cannot be copied "
                f"aside ({err.strerror}): it is not done again; free some space or move "
                f"{rel} away, then rerun"
            ) from None
        kept.append((rel, copy.name))
    return kept


def empty_pages_line(record: Record) -> str:
    """What to tell of a done document with pages left empty, and how to redo it."""
    why = record.error or f"{record.source}: a page timed out or failed"
    return (f"{why}; {record.pages_failed} of {record.pages} page(s) empty since an earlier "
            "run: rerun with the limits that message suggests (or --retry-failed) to read "
            "them again")  # fmt: skip


def remove_stale_outputs(outdir: Path, earlier: list[str] | None, now: list[str]) -> int:
    """Remove the outputs an earlier run of a document wrote that this run did not (asked
    for other output types: a `.ocr.pdf` of the page read sideways must not stay beside
    the text read upright). Only regular files inside `outdir` that the manifest lists
    as the document's; returns how many were removed."""
    top = Path(os.path.realpath(outdir))
    removed = 0
    for rel in sorted(set(earlier or ()) - set(now)):
        path = outdir / rel
        real = Path(os.path.realpath(path))
        if path.is_symlink() or not path.is_file() or top not in real.parents:
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
            log.info("%s: removed, as this run of its document does not write it", rel)
    return removed


def record_result(
    manifest: Manifest,
    task: DocTask,
    result: DocResult,
    progress: BatchProgress,
    summary: BatchSummary,
) -> None:
    """Record a finished document in the manifest, the summary and the progress display."""
    if result.ok:
        earlier = manifest.get(task.rel)
        remove_stale_outputs(Path(task.outdir), earlier.outputs if earlier else None,
                             result.outputs)  # fmt: skip
        first_empty = result.empty_pages[0] if result.empty_pages else None
        manifest.mark_done(task.rel, pages=result.pages, pages_failed=result.pages_failed,
                           seconds=result.seconds, outputs=result.outputs,
                           options_key=options_key(task.settings, task.structure),
                           attempt_key=task.attempt or None,
                           reading_key=reading_key(task.settings),
                           output_digests=output_digests(Path(task.outdir), result.outputs),
                           empty_pages_error=first_empty,
                           warnings=[w for w in result.warnings
                                     if w not in result.empty_pages])  # fmt: skip
        summary.done += 1
        summary.to_check += any(w not in result.empty_pages for w in result.warnings)
        for warning in result.warnings:
            progress.message(f"ocr-pipeline: warning: {warning}")
        log.info("%s -> %s (%d page(s))", task.source, task.rel, result.pages)
    else:
        manifest.mark_failed(task.rel, error=result.error or "failed",
                             exit_code=result.exit_code, seconds=result.seconds,
                             options_key=task.attempt or None)  # fmt: skip
        summary.failed += 1
        summary.codes[task.rel] = result.exit_code
        progress.message(f"ocr-pipeline: error: {result.error}")
    progress.document_done(result.ok)
    progress.tick(force=True)
