"""Which documents a batch reads, where each one's outputs go, and which paths are refused.

- `collect_inputs`: files (output NAME = stem, disambiguated by `output_names`), folders
  (recursive, `include`/`exclude` globs matched against the path relative to the folder
  and against the file name, case-insensitive; default: the supported suffixes), and
  `--from-list` files (one path per line, relative to the list's folder, blank lines and
  `#` comments skipped). A folder's tree is mirrored under OUTDIR. A file named twice
  (the same path, by any spelling or symlink) is one document, the first naming wins, with
  a warning. A sub-folder holding a batch manifest is an earlier run's OUTDIR: its
  outputs (NAME.ocr.pdf...) are no scans, so it is skipped, with a warning.
- Path safety. Refused, each as an `InputItem` carrying its error: list entries that are
  absolute or contain `..`, paths that resolve (through a symlink anywhere on the way)
  outside the folder or list folder they were found in, and symlink loops. Anything but a
  regular file (FIFOs, devices) is refused later, when it is opened. `output_base` refuses
  an output path that would resolve outside OUTDIR (e.g. a symlinked sub-folder).
"""

from __future__ import annotations

import fnmatch
import logging
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ocr_pipeline.errors import BadArgumentsError, ExitCode, OutputError
from ocr_pipeline.manifest import MANIFEST_NAME
from ocr_pipeline.safetext import escape_controls
from ocr_pipeline.text import nfc

log = logging.getLogger(__name__)


DEFAULT_INCLUDE = ("*.pdf", "*.tif", "*.tiff", "*.png", "*.jpg", "*.jpeg")


@dataclass(frozen=True)
class InputItem:
    """One document to process: where to read it, where its outputs go (relative, no suffix)."""

    path: Path
    rel: str  # POSIX path relative to OUTDIR without extension, e.g. "2024/q1/report"
    error: str | None = None  # refused while collecting
    exit_code: int = 0


def output_names(inputs: Sequence[PurePosixPath | Path]) -> list[str]:
    """NAME for each input: its stem; "stem.ext" where stems clash; "-2", "-3" if still equal."""
    stems = Counter(p.stem for p in inputs)
    names = [p.stem if stems[p.stem] == 1 else p.name for p in inputs]
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return unique


def _matches(rel: PurePosixPath, patterns: Iterable[str]) -> bool:
    path, name = str(rel).lower(), rel.name.lower()
    return any(fnmatch.fnmatchcase(path, p.lower()) or fnmatch.fnmatchcase(name, p.lower())
               for p in patterns)  # fmt: skip


def resolve(path: Path) -> Path | None:
    """`path` with every symlink followed, or None for a symlink loop (or a chain too long)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: Python < 3.13's "Symlink loop"
        return None


def _inside(path: Path, root: Path) -> bool:
    resolved, top = resolve(path), resolve(root)
    return resolved is not None and top is not None and resolved.is_relative_to(top)


def _escape_error(path: Path, root: Path) -> str | None:
    """Why `path` (found under `root`) is refused, or None. The whole path is resolved, so
    a symlinked folder on the way out of the tree is caught, not only a link at the end."""
    if resolve(path) is None:
        return f"{path} is a symlink loop; remove or fix the link"
    if not _inside(path, root):
        return (f"{path} leads outside {root} through a symlink; copy the file into "
                f"{root} to process it")  # fmt: skip
    return None


def _walk(folder: Path, prefix: PurePosixPath, include: Sequence[str], exclude: Sequence[str],
          skip: Path | None, passed: list[tuple[str, str]] | None = None,
          ) -> list[tuple[Path, PurePosixPath, str | None]]:  # fmt: skip
    """The files under `folder` that `include` and `exclude` select; `passed` gets
    (name, "include" or "exclude") for each visible file they leave out (not counted in
    a folder holding a run manifest, whose outputs are left out on every rerun)."""
    found = []
    in_outdir = (folder / MANIFEST_NAME).exists()  # the folder given was an earlier OUTDIR
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if (skip is None or resolve(here / d) != skip)
                         and not _earlier_outdir(here / d))  # fmt: skip
        for d in dirs:
            if (here / d).is_symlink():
                log.warning("%s: symlinked folder not followed", here / d)
        outputs_here = in_outdir or MANIFEST_NAME in files  # an OUTDIR: its outputs are not news
        for name in sorted(files):
            path = here / name
            rel = prefix / PurePosixPath(path.relative_to(folder).as_posix())
            if not _matches(rel, include) or _matches(rel, exclude):
                if passed is not None and not name.startswith(".") and not outputs_here:
                    passed.append((str(rel), "exclude" if _matches(rel, include) else "include"))
                continue
            found.append((path, rel, _escape_error(path, folder)))
    return found


def _earlier_outdir(folder: Path) -> bool:
    """Whether `folder` (met while searching a folder) is an earlier batch's OUTDIR: its
    NAME.ocr.pdf files would be taken for scans. Warns that it is skipped."""
    if folder.is_symlink() or not os.path.lexists(folder / MANIFEST_NAME):
        return False
    log.warning("%s: skipped, it holds an earlier ocr-pipeline run's outputs (%s); give "
                "it as an INPUT of its own to read its scans", folder, MANIFEST_NAME)  # fmt: skip
    return True


class _Refusal(str):
    """A refused input's message that carries its own exit code (a list's entry naming
    nothing is a missing file, code 2; other refusals are the arguments', code 1)."""

    code: int

    def __new__(cls, message: str, code: int) -> _Refusal:
        new = super().__new__(cls, message)
        new.code = int(code)
        return new


def _read_list(list_file: Path, include: Sequence[str], exclude: Sequence[str],
               skip: Path | None, passed: list[tuple[str, str]] | None = None,
               ) -> list[tuple[Path, PurePosixPath, str | None]]:  # fmt: skip
    try:
        text = list_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BadArgumentsError(
            f"cannot read --from-list {list_file}: {getattr(err, 'strerror', None) or err}; "
            "give a UTF-8 text file with one path per line"
        ) from None
    base = list_file.parent
    found: list[tuple[Path, PurePosixPath, str | None]] = []
    for line in text.splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        rel = PurePosixPath(entry.replace("\\", "/"))
        if rel.is_absolute() or ".." in rel.parts:
            found.append(
                (
                    Path(entry),
                    PurePosixPath(rel.name or "entry"),
                    f"{entry} (in {list_file}): list entries must be relative paths "
                    "below the list's folder, without '..'; move the list or the files",
                )
            )
            continue  # fmt: skip
        rel = PurePosixPath(*[p for p in rel.parts if p != "."])
        path = base / rel
        if not os.path.lexists(path):
            missing = f"{path} (in {list_file}): no such file or folder; fix the entry or the list"
            found.append((path, rel, _Refusal(missing, ExitCode.input_file)))  # as any missing
            continue
        error = _escape_error(path, base)
        if error is None and path.is_dir() and not path.is_symlink():
            found.extend(_walk(path, rel, include, exclude, skip, passed))
            continue
        found.append((path, rel, error))
    return found


def collect_inputs(
    inputs: Sequence[Path],
    *,
    from_list: Path | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    outdir: Path | None = None,
) -> list[InputItem]:
    """The documents named by `inputs` (files or folders) and `from_list`, in a stable order.

    Output names mirror folder trees, in NFC; files given directly land at the top of
    OUTDIR. Names that clash within one output folder are disambiguated with
    `output_names`.
    """
    chosen = bool(include)
    include = tuple(include) or DEFAULT_INCLUDE
    skip = resolve(Path(outdir)) if outdir is not None else None
    found: list[tuple[Path, PurePosixPath, str | None]] = []
    passed: list[tuple[str, str]] = []
    for path in inputs:
        path = Path(path)
        if _is_dir(path) and not path.is_symlink():
            found.extend(_walk(path, PurePosixPath(), include, exclude, skip, passed))
        else:  # a file (or something missing: it fails with a clear message later)
            found.append((path, PurePosixPath(path.name or "input"), None))
    if from_list is not None:
        found.extend(_read_list(Path(from_list), include, exclude, skip, passed))
    if passed:
        log.warning("%s", _passed_line(passed, chosen))
    found = _named_once(found)

    # outputs are named in NFC, whatever the form of the input's name (a Mac or a zip
    # archive writes NFD: a new user's NFC grep found none of those outputs)
    wanted = [PurePosixPath(nfc(str(rel))) for _, rel, _ in found]
    by_folder: dict[PurePosixPath, list[int]] = {}
    for i, rel in enumerate(wanted):
        by_folder.setdefault(rel.parent, []).append(i)
    rels: dict[int, str] = {}
    for folder, indices in by_folder.items():
        names = output_names([wanted[i] for i in indices])
        for i, name in zip(indices, names, strict=True):
            rels[i] = str(folder / name) if str(folder) != "." else name
    items = []
    for i, (path, _, error) in enumerate(found):
        out_rel = rels[i]
        if error is None and not _is_utf8(str(path)):  # a legacy name (TCVN3, VNI, cp1258)
            path, out_rel = Path(escape_controls(str(path))), escape_controls(out_rel)
            error = (f"{path}: the file name is not UTF-8, so the manifest and outputs cannot "
                     "name it; rename it to UTF-8 (e.g. convmv -t utf-8) and rerun")  # fmt: skip
        code = int(getattr(error, "code", ExitCode.bad_args)) if error else 0
        if error is None and any(len(os.fsencode(part)) > 255 for part in path.parts):
            error = f"{path}: no such file (a name is longer than 255 bytes); check the path"
            code = int(ExitCode.input_file)  # as any missing file
        items.append(InputItem(path=path, rel=out_rel, error=error, exit_code=code))
    return items


def _passed_line(passed: list[tuple[str, str]], chosen: bool) -> str:
    """One line for the files of the input folders that were not read, and why."""
    parts = []
    for why, label in (
        ("include", "not matching --include" if chosen else "not PDF, TIFF, PNG or JPEG by name"),
        ("exclude", "excluded by --exclude"),
    ):
        names = [name for name, reason in passed if reason == why]
        if names:
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            parts.append(f"{len(names)} {label} ({shown})")
    return f"{len(passed)} file(s) in the input folders not read: " + "; ".join(parts)


def _named_once(
    found: list[tuple[Path, PurePosixPath, str | None]],
) -> list[tuple[Path, PurePosixPath, str | None]]:
    """`found` without the files it names again (by the same path, another spelling or a
    symlink): each would have been OCRed again into NAME-2, NAME-3. Warns for each."""
    first: dict[Path, Path] = {}
    kept = []
    for entry in found:
        path, _, error = entry
        resolved = resolve(path) if error is None and os.path.lexists(path) else None
        if resolved is not None and resolved in first:
            also = "" if path == first[resolved] else f" (also as {first[resolved]})"
            log.warning("%s: given more than once%s; processed once", path, also)
            continue
        if resolved is not None:
            first[resolved] = path
        kept.append(entry)
    return kept


def _is_dir(path: Path) -> bool:
    """Path.is_dir that is False for a name too long to exist (it raised ENAMETOOLONG)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_utf8(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (kept by Python as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def output_base(outdir: Path, rel: str) -> Path:
    """OUTDIR/rel after checking it stays inside OUTDIR (raises OutputError otherwise)."""
    posix = PurePosixPath(rel)
    if posix.is_absolute() or ".." in posix.parts or not posix.parts:
        raise OutputError(f"output path {rel!r} would leave {outdir}; rename the input")
    base = Path(outdir) / Path(*posix.parts)
    if not _inside(base.parent, Path(outdir)):
        raise OutputError(
            f"{base.parent} resolves outside {outdir} (symlink?); remove the link or choose "
            "another -o"
        )
    return base
