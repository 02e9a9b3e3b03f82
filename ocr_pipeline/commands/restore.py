"""`ocr-pipeline restore INPUT... -o OUTPUT`: restore Vietnamese diacritics in OCR'd text.

Argument handling and I/O only; the work is `ocr_pipeline.restore`. One INPUT and OUTPUT may
be ``-`` (standard input / output); several inputs write ``NAME.restored.txt`` (or
``.json``) into the folder OUTPUT. Files are written atomically. ``--format json`` writes
the per-token view (original, restored text, kind, confidence, alternatives) and what
adaptation changed.

``--channel auto`` (default) reads from the text whether it already carries Vietnamese
marks; ``--adapt document`` (default) adapts the OCR channel to each input, ``batch`` once
to all inputs together (one archive, one OCR engine), ``off`` not at all. ``--lexicon FILE``
names local words to keep and prefer (one entry a line); ``--profile PROFILE`` applies
an archive profile learned from corrected text (``ocr-pipeline learn``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ocr_pipeline.commands.textargs import load_lexicon, load_profile, read_text
from ocr_pipeline.errors import BadArgumentsError, OutputError
from ocr_pipeline.fileio import write_atomic

ADAPT_MODES = ("document", "batch", "off")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "restore",
        help="restore Vietnamese diacritics in already OCR'd text (legacy archives)",
        description=(
            "Read UTF-8 OCR'd text, restore Vietnamese tone and vowel marks and OCR slips, "
            "and write the corrected text (or, with --format json, the per-token view). "
            "Line breaks, numbers, punctuation and abbreviations are kept; correctly "
            "accented text is left alone."
        ),
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="UTF-8 text file(s), or - for stdin")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUTPUT",
        help="output file, or - for stdout; a folder when there are several inputs",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text",
        help="text (default) or json: one entry per token with confidence and alternatives",
    )
    parser.add_argument(
        "--channel", choices=("auto", "eng", "vie"), default="auto",
        help="OCR the text came from: auto (default: read from the text), eng (legacy "
             "archives OCR'd with the English model) or vie (Tesseract's Vietnamese model)",
    )
    parser.add_argument(
        "--adapt", choices=ADAPT_MODES, default="document",
        help="adapt the OCR channel to each input (document, default), to all inputs "
             "together (batch: one archive, one OCR engine) or not (off)",
    )
    parser.add_argument(
        "--lexicon", metavar="FILE",
        help="UTF-8 file of local names and terms to keep and prefer, one a line",
    )
    parser.add_argument(
        "--profile", metavar="PROFILE",
        help="archive profile written by `ocr-pipeline learn` from corrected text",
    )
    parser.set_defaults(func=run)
    return parser


def _check_inputs(args: argparse.Namespace) -> None:
    if len(args.inputs) > 1:
        if "-" in args.inputs:
            raise BadArgumentsError("- (stdin) can only be the single INPUT")
        if args.output == "-":
            raise BadArgumentsError("several inputs need -o FOLDER, not -")
        names = [Path(p).stem for p in args.inputs]
        if len(set(names)) != len(names):
            raise BadArgumentsError("two inputs have the same name; their outputs would clash")


def _render(text: str, args: argparse.Namespace, decoder, adaptation=None) -> str:
    from ocr_pipeline.restore import detect_channel, restore, restore_text

    if decoder is not None and args.channel == "auto" and (
            detect_channel(text) != decoder.channel_name):
        decoder = None  # not like the rest of the batch (correct text in a legacy batch)
    if args.format == "json":
        res = restore(text, args.channel, adapt=args.adapt != "off", lexicon=args.lex,
                      profile=args.prof, decoder=decoder)
        if decoder is not None:
            res.adaptation = adaptation
        return json.dumps(res.to_dict(), ensure_ascii=False, indent=1) + "\n"
    return restore_text(text, args.channel, adapt=args.adapt != "off", lexicon=args.lex,
                        profile=args.prof, decoder=decoder)


def _write(output: str, out: str) -> None:
    if output == "-":
        sys.stdout.write(out)
        sys.stdout.flush()
        return
    path = Path(output)
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give an output file name")
    write_atomic(path, out)


def run(args: argparse.Namespace) -> int:
    from ocr_pipeline.restore import adapt_decoder

    _check_inputs(args)
    args.lex = load_lexicon(args.lexicon)
    args.prof = load_profile(args.profile)
    texts = [read_text(name) for name in args.inputs]
    decoder = adaptation = None
    if args.adapt == "batch":
        decoder, adaptation = adapt_decoder(texts, args.channel, lexicon=args.lex,
                                            profile=args.prof)
    if len(texts) == 1:
        _write(args.output, _render(texts[0], args, decoder, adaptation))
        return 0
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; several inputs need an output folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{folder}: cannot create the folder ({err.strerror})") from None
    suffix = ".restored.json" if args.format == "json" else ".restored.txt"
    for name, text in zip(args.inputs, texts, strict=True):
        _write(str(folder / (Path(name).stem + suffix)),
               _render(text, args, decoder, adaptation))
    return 0
