"""`ocr-pipeline restore INPUT... -o OUTPUT`: restore Vietnamese diacritics in OCR'd text.

Argument handling and I/O only; the work is `ocr_pipeline.restore`. One INPUT and OUTPUT may
be ``-`` (standard input / output); an INPUT folder stands for the ``*.txt`` files in it;
several inputs write ``NAME.restored.txt`` (or ``.json``) into the folder OUTPUT. Files are
written atomically; an output changed since restore wrote it (a reviewer's edit) is copied
aside as ``NAME.edited`` first. ``--format json`` writes the per-token view (original,
restored text, kind, confidence, alternatives) and what adaptation changed.

``--channel auto`` (default) reads from the text whether it already carries Vietnamese
marks; ``--adapt document`` (default) adapts the OCR channel to each input, ``batch`` once
to all inputs together (one archive, one OCR engine), ``off`` not at all. ``--lexicon FILE``
names local words to keep and prefer (one entry a line); ``--profile PROFILE`` applies
an archive profile learned from corrected text (``ocr-pipeline learn``).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

from ocr_pipeline.commands.textargs import load_lexicon, load_profile, output_file, read_text
from ocr_pipeline.errors import BadArgumentsError, InputFileError, OutputError
from ocr_pipeline.fileio import refuse_input_as_output, write_atomic

ADAPT_MODES = ("document", "batch", "off")
GC_THRESHOLDS = (20000, 50, 100)  # while the command runs (see `run`)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "restore",
        help="restore Vietnamese diacritics in already OCR'd text (legacy archives)",
        description=(
            "Read UTF-8 OCR'd text, restore Vietnamese tone and vowel marks and OCR slips, "
            "and write the corrected text (or, with --format json, the per-token view). "
            "Line breaks, numbers, punctuation and abbreviations are kept; correctly "
            "accented text is left alone, but for its tone marks, which are placed the "
            "traditional way (hoà -> hòa, thuỷ -> thủy), and its Unicode form (NFC)."
        ),
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="UTF-8 text file(s), a folder of them (its *.txt), or - for stdin",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="output file, or - for stdout (the default for - as INPUT); a folder when there"
        " are several inputs",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or json: one entry per token with confidence and alternatives",
    )
    parser.add_argument(
        "--channel",
        choices=("auto", "eng", "vie"),
        default="auto",
        help="OCR the text came from: auto (default: read from the text), eng (legacy "
        "archives OCR'd with the English model) or vie (Tesseract's Vietnamese model)",
    )
    parser.add_argument(
        "--adapt",
        choices=ADAPT_MODES,
        default="document",
        help="adapt the OCR channel to each input (document, default), to all inputs "
        "together (batch: one archive, one OCR engine) or not (off)",
    )
    parser.add_argument(
        "--lexicon",
        metavar="FILE",
        help="UTF-8 file of local names and terms to keep and prefer, one a line",
    )
    parser.add_argument(
        "--profile",
        metavar="PROFILE",
        help="archive profile written by `ocr-pipeline learn` from corrected text",
    )
    parser.set_defaults(func=run)
    return parser


def _output_given(args: argparse.Namespace) -> str:
    """The output the user gave, or stdout for stdin (a filter); a file needs -o."""
    if args.output is not None:
        return str(args.output)
    if args.inputs != ["-"]:
        raise BadArgumentsError(
            "give -o OUTPUT: a file, a folder for several inputs, or - for stdout"
        )
    return "-"


def _expand_folders(inputs: list[str]) -> tuple[list[str], bool]:
    """`inputs` with each folder replaced by the text files in it (``*.txt``, any case,
    in name order; our own ``*.restored.txt`` left out), and whether any was a folder.
    A missing input is named here, before any check of the output."""
    out: list[str] = []
    folder = False
    for name in inputs:
        path = Path(name)
        if name != "-" and not path.exists():
            raise InputFileError(f"{name}: no such file; check the path")
        if name == "-" or not path.is_dir():
            out.append(name)
            continue
        folder = True
        found = sorted(str(p) for p in path.iterdir()
                       if p.suffix.lower() == ".txt" and p.is_file()
                       and not p.name.lower().endswith(".restored.txt"))  # fmt: skip
        if not found:
            raise InputFileError(f"{name}: a folder with no .txt file in it; give text files")
        out.extend(found)
    return out, folder


def _check_inputs(args: argparse.Namespace, several: bool) -> None:
    if not several and args.output:
        output_file(args.output)
    if several:
        if "-" in args.inputs:
            raise BadArgumentsError("- (stdin) can only be the single INPUT")
        if args.output == "-":
            raise BadArgumentsError("several inputs need -o FOLDER, not -")
        out = Path(args.output) if args.output else None
        if out is not None and not out.is_dir() and out.suffix.lower() in (".txt", ".json"):
            raise BadArgumentsError(
                f"several inputs need -o FOLDER, not the file name {args.output}"
            )
        seen: dict[str, str] = {}
        for path in args.inputs:
            first = seen.setdefault(Path(path).stem, path)
            if first != path:
                raise BadArgumentsError(
                    f"{first} and {path} would both be written as {Path(path).stem}.restored.*"
                    " in the output folder; restore them in two runs with different -o"
                )


def _decoder_for_text(text: str, args: argparse.Namespace, decoder):
    """The batch decoder, unless this input was OCR'd otherwise (correct text in a legacy
    batch is read as what it is)."""
    from ocr_pipeline.restore import detect_channel

    if (
        decoder is not None
        and args.channel == "auto"
        and (detect_channel(text) != decoder.channel_name)
    ):
        return None
    return decoder


def _restore_text(text: str, args: argparse.Namespace, decoder) -> str:
    from ocr_pipeline.restore import restore_text

    return restore_text(
        text,
        args.channel,
        adapt=args.adapt != "off",
        lexicon=args.lex,
        profile=args.prof,
        decoder=_decoder_for_text(text, args, decoder),
    )


def _json_pieces(text: str, args: argparse.Namespace, decoder, adaptation) -> Iterator[str]:
    """`restore(text).to_dict()` as JSON text (indent 1, the same bytes as json.dumps of the
    whole), piece by piece. The tokens are restored piece by piece and spooled through a
    temporary file, since the text comes before them in the document: building the whole
    document at once took about 1.2 GB per MB of input."""
    from ocr_pipeline.restore import Restoration, restore_stream, token_dict

    decoder = _decoder_for_text(text, args, decoder)
    stream = restore_stream(
        text,
        args.channel,
        adapt=args.adapt != "off",
        lexicon=args.lex,
        profile=args.prof,
        decoder=decoder,
    )
    head = Restoration(
        [], stream.channel, adaptation if decoder is not None else stream.adaptation
    ).to_dict()
    restored: list[str] = []
    try:
        spool = tempfile.TemporaryFile("w+", encoding="utf-8")
    except OSError as err:
        raise OutputError(
            f"cannot spool the JSON in {tempfile.gettempdir()}: {err.strerror};"
            " free space there or set TMPDIR to a folder with room"
        ) from None
    with spool:
        separator = ""
        for token in stream.tokens:
            restored.append(token.text)
            if token.kind == "space":
                continue
            spool.write(separator)
            spool.write(
                textwrap.indent(json.dumps(token_dict(token), ensure_ascii=False, indent=1), "  ")
            )
            separator = ",\n"
        head["text"] = "".join(restored)
        del head["tokens"]
        yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "tokens": ['
        if spool.tell():
            yield "\n"
            spool.seek(0)
            while chunk := spool.read(1 << 20):
                yield chunk
            yield "\n "
        yield "]\n}\n"


def _output(text: str, args: argparse.Namespace, output: str, decoder, adaptation) -> None:
    """Restore `text` and write it to `output` (a file, written atomically, or - for
    stdout)."""
    path = None if output == "-" else Path(output)
    if path is not None and path.is_dir():
        raise OutputError(f"{path} is a folder; give an output file name")
    if args.format == "json":
        pieces: Iterable[str] = _json_pieces(text, args, decoder, adaptation)
    else:
        pieces = [_restore_text(text, args, decoder)]
    if path is not None:
        # a reviewer's edit of an earlier output is copied aside, never lost
        kept = write_atomic(path, pieces, keep_edited=True, sources_mtime=_sources_mtime(args))
        if kept is not None:
            print(f"ocr-pipeline: warning: {path} had been changed since restore wrote it: "
                  f"kept as {kept.name}", file=sys.stderr)  # fmt: skip
        return
    try:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as err:  # the spool's disk
        raise OutputError(
            f"cannot spool the JSON in {tempfile.gettempdir()}: {err.strerror};"
            " free space there or set TMPDIR to a folder with room"
        ) from None


def _sources_mtime(args: argparse.Namespace) -> float | None:
    """The newest modification time of the texts this run restores: an output newer than
    them, where no mark says who wrote it, was changed since. The lexicon and the profile
    are left out: a reviewer writes them after editing outputs (`learn` from the edits)."""
    times = []
    for name in args.inputs:
        if name and name != "-":
            try:
                times.append(Path(name).stat().st_mtime)
            except OSError:
                continue
    return max(times) if times else None


def run(args: argparse.Namespace) -> int:
    # the decoder's lattice makes tens of thousands of small objects per page and few
    # cycles: Python's default first-generation threshold (700) collects over and over
    # (~8% of this command's CPU on the legacy dev document, outputs identical). The
    # command sets it while it runs; the library leaves it to its caller.
    saved = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return _run(args)
    finally:
        gc.set_threshold(*saved)


def _run(args: argparse.Namespace) -> int:
    from ocr_pipeline.restore import adapt_decoder

    args.inputs, folder_given = _expand_folders(args.inputs)
    args.output = _output_given(args)
    several = len(args.inputs) > 1 or folder_given  # a folder's files go to a folder
    _check_inputs(args, several)
    suffix = ".restored.json" if args.format == "json" else ".restored.txt"
    outputs = (
        [str(Path(args.output) / (Path(n).stem + suffix)) for n in args.inputs]
        if several
        else [args.output]
    )
    refuse_input_as_output(outputs, [*args.inputs, args.lexicon, args.profile])
    args.lex = load_lexicon(args.lexicon)
    args.prof = load_profile(args.profile)
    texts = [read_text(name) for name in args.inputs]
    decoder = adaptation = None
    if args.adapt == "batch":
        decoder, adaptation = adapt_decoder(
            texts, args.channel, lexicon=args.lex, profile=args.prof
        )
    if several:
        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder} is a file; several inputs need an output folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"{folder}: cannot create the folder ({err.strerror})") from None
    for text, output in zip(texts, outputs, strict=True):
        _output(text, args, output, decoder, adaptation)
    return 0
