"""Command line: `ocr-pipeline SUBCOMMAND ...`. Argument parsing and error reporting only.

Each subcommand lives in `ocr_pipeline/commands/<name>.py` with `add_parser(subparsers)`
(which sets `func`) so that this file stays a dispatcher. Errors a user can cause are
`PipelineError`s: one line on stderr, the matching OCRmyPDF-style exit code, no traceback.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any, NoReturn

from ocr_pipeline import __version__
from ocr_pipeline.errors import ExitCode, PipelineError
from ocr_pipeline.fileio import GuardedStdout, StdoutError, silence_stdout
from ocr_pipeline.safetext import escape_controls

COMMAND_MODULES = ("run", "restore", "structure", "diff", "apply", "learn", "status")


class _Parser(argparse.ArgumentParser):
    def _print_message(self, message: str, file: Any = None) -> None:
        """--help, --version and usage: a standard output that cannot take them (a full
        disk) is one line and exit 5, as for every command's output (argparse ignored the
        error and exited 0)."""
        if not message:
            return
        out = file or sys.stdout
        try:
            out.write(message)
            out.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            sys.stderr.write(f"{self.prog}: error: cannot write to standard output: "
                             f"{err.strerror or err}\n")  # fmt: skip
            raise SystemExit(int(ExitCode.file_access_error)) from None

    def error(self, message: str) -> NoReturn:  # argparse exits 2; OCRmyPDF's bad_args is 1
        # one line, as for every other error (argparse printed its usage block first)
        line = escape_controls(f"{self.prog}: error: {message}; see {self.prog} --help")
        self.exit(ExitCode.bad_args, line + "\n")


def _named_command(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names when only -v comes before it, else None. The parser
    for it need not import the other subcommands' modules (OCR, batch scheduling, the
    review page: a third of a second of start-up that `restore` never uses); --help,
    --version or a mistyped command before it need them all, to list them."""
    for arg in argv:
        if arg in ("-v", "--verbose"):
            continue
        return arg if arg in COMMAND_MODULES else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `command`, only that subcommand's (the others'
    modules are not imported)."""
    import importlib

    parser = _Parser(
        prog="ocr-pipeline",
        description="Scanned Vietnamese administrative documents to correct, structured, "
        "reviewable text.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands: dict[str, argparse.ArgumentParser] = {}
    for name in COMMAND_MODULES if command is None else (command,):
        module = importlib.import_module(f"ocr_pipeline.commands.{name}")
        commands[name] = module.add_parser(sub)
        # -v after the subcommand too; SUPPRESS keeps a -v given before it
        commands[name].add_argument(
            "-v",
            "--verbose",
            action="store_true",
            default=argparse.SUPPRESS,
            help="log progress details",
        )
    parser.set_defaults(command_parsers=commands)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; an option the subcommand does not know is its error, pointing to its
    own --help as a missing one does (argparse leaves them to the top parser)."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        given = list(sys.argv[1:] if argv is None else argv)
        after = (args.command in given and extra[0] in given
                 and given.index(extra[0]) > given.index(args.command))  # fmt: skip
        owner = args.command_parsers[args.command] if after else parser
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


class _LogFormat(logging.Formatter):
    """Warnings and errors as the command's own lines ("ocr-pipeline: warning: ..."), as
    every other message a user reads; progress details (-v) with the module they come
    from."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno >= logging.WARNING and not record.exc_info:
            level = "error" if record.levelno >= logging.ERROR else "warning"
            return f"ocr-pipeline: {level}: {escape_controls(record.getMessage())}"
        return f"{record.levelname} {record.name}: {super().format(record)}"


def _interrupted(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


#: What `signal.signal` takes and returns as a handler.
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _terminate_like_interrupt() -> dict[int, _Handler]:
    """SIGTERM and SIGHUP end a command as Ctrl-C does: workers and their programs killed,
    temp files removed, one line, exit 130 (the default action left orphans and tracebacks).
    Returns the handlers it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _interrupted) for sig in (signal.SIGTERM, signal.SIGHUP)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(_named_command(sys.argv[1:] if argv is None else argv))
    args = _parse(parser, argv)
    log_lines = logging.StreamHandler()
    log_lines.setFormatter(_LogFormat())
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, handlers=[log_lines]
    )
    saved = _terminate_like_interrupt()
    stdout = sys.stdout
    sys.stdout = GuardedStdout(stdout)  # a full or closed stdout: one line, exit 5
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except PipelineError as err:
        print(f"ocr-pipeline: error: {escape_controls(str(err))}", file=sys.stderr)
        if isinstance(err, StdoutError):
            silence_stdout(stdout)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("ocr-pipeline: interrupted", file=sys.stderr)
        return int(ExitCode.ctrl_c)
    except BrokenPipeError:  # the reader went away (`| head`): quiet, but not success
        silence_stdout(stdout)
        return int(ExitCode.file_access_error)
    except Exception as err:  # a bug, not a user's error: one line, OCRmyPDF's "other error"
        logging.getLogger(__name__).info("unexpected error", exc_info=True)  # shown with -v
        print(f"ocr-pipeline: error: unexpected {type(err).__name__}: "
              f"{escape_controls(str(err))}; rerun with -v for the traceback and please "
              "report it", file=sys.stderr)  # fmt: skip
        return int(ExitCode.other_error)
    finally:
        sys.stdout = stdout
        for sig, handler in saved.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
