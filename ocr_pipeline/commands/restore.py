"""`ocr-pipeline restore INPUT -o OUTPUT`: restore Vietnamese diacritics in OCR'd text.

Argument handling and I/O only; the work is `ocr_pipeline.restore`. INPUT and OUTPUT may be
``-`` (standard input / output). Files are written atomically. ``--format json`` writes the
per-token view (original, restored text, kind, confidence, alternatives).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TextIO

from ocr_pipeline.errors import InputFileError, OutputError
from ocr_pipeline.fileio import publish, refuse_input_as_output, write_atomic


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "restore",
        help="restore Vietnamese diacritics in already OCR'd text (legacy archives)",
        description=(
            "Read UTF-8 text OCR'd by Tesseract (English model by default, as in legacy "
            "archives), restore Vietnamese tone and vowel marks and OCR slips, and write the "
            "corrected text (or, with --format json, the per-token view). Line breaks, "
            "numbers, punctuation and abbreviations are kept."
        ),
    )
    parser.add_argument("input", metavar="INPUT", help="UTF-8 text file, or - for stdin")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUTPUT", help="output file, or - for stdout"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text",
        help="text (default) or json: one entry per token with confidence and alternatives",
    )
    parser.add_argument(
        "--channel", choices=("eng", "vie"), default="eng",
        help="Tesseract model the text came from: eng (legacy archives, default) or vie",
    )
    parser.set_defaults(func=run)
    return parser


def _read(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputFileError(f"{name}: is a folder; give a text file") from None
    except OSError as err:
        raise InputFileError(f"{name}: cannot read ({err.strerror}); check permissions") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputFileError(
            f"{name}: not UTF-8 text (bad byte at offset {err.start}); convert it to UTF-8 first"
        ) from None


def _spool_tokens(text: str, channel: str, spool: TextIO) -> str:
    """Restore `text` piece by piece, writing each token's JSON record to `spool` as it
    comes (the records of `Restoration.to_dict()`, indented as in the whole document);
    return the restored text. Only one piece's tokens are ever in memory: building the
    whole document at once took about 1.2 GB per MB of input."""
    from ocr_pipeline.restore import (
        Restoration,
        _check_channel,
        _nfc,
        _pieces,
        _restore_piece,
        get_decoder,
    )

    _check_channel(channel)
    text = _nfc(text)
    decoder = get_decoder(channel) if text else None
    restored: list[str] = []
    separator = ""
    for offset, piece in _pieces(text):
        tokens = _restore_piece(piece, offset, decoder, True)
        restored.append("".join(t.text for t in tokens))
        for record in Restoration(tokens, channel).to_dict()["tokens"]:
            spool.write(separator)
            spool.write(textwrap.indent(json.dumps(record, ensure_ascii=False, indent=1), "  "))
            separator = ",\n"
    return "".join(restored)


def _write_json(text: str, channel: str, out: TextIO) -> None:
    """Write `restore(text).to_dict()` as JSON (indent 1, the same bytes as json.dumps of
    the whole) to `out`, streaming the tokens through a temporary spool file."""
    from ocr_pipeline.restore import Restoration

    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        head = Restoration([], channel).to_dict()
        head["text"] = _spool_tokens(text, channel, spool)
        del head["tokens"]
        out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "tokens": [')
        if spool.tell():
            out.write("\n")
            spool.seek(0)
            shutil.copyfileobj(spool, out, 1 << 20)
            out.write("\n ")
        out.write("]\n}\n")


def _write_json_file(text: str, channel: str, path: Path) -> None:
    """`_write_json` into a temp file beside `path`, renamed into place when complete."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(
            f"cannot write to {path.parent}: {err.strerror}; choose a writable output folder"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            _write_json(text, channel, fh)
            fh.flush()
            os.fsync(fh.fileno())
        publish(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {err.strerror}; check space and permissions"
                          ) from None  # fmt: skip
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.restore import restore_text

    refuse_input_as_output([args.output], [args.input])
    text = _read(args.input)
    path = None if args.output == "-" else Path(args.output)
    if path is not None and path.is_dir():
        raise OutputError(f"{path} is a folder; give an output file name")
    if args.format == "json":
        if path is None:
            try:
                _write_json(text, args.channel, sys.stdout)
                sys.stdout.flush()
            except BrokenPipeError:
                raise
            except OSError as err:  # the spool's disk
                raise OutputError(
                    f"cannot spool the JSON in {tempfile.gettempdir()}: {err.strerror}; free "
                    "space there or set TMPDIR to a folder with room"
                ) from None
        else:
            _write_json_file(text, args.channel, path)
        return 0
    out = restore_text(text, args.channel)
    if path is None:
        sys.stdout.write(out)
        sys.stdout.flush()
    else:
        write_atomic(path, out)
    return 0
