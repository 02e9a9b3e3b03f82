"""The `ocr-pipeline` command's entry point (also `python -m ocr_pipeline`): interrupts.

It installs the interrupt handling before anything heavy is imported, so that Ctrl-C,
SIGTERM or SIGHUP at any instant, while the command line is still being built or after
the work is done, ends the command with one line and exit 130 (they gave a traceback
during the imports, and SIGTERM after the command restored its handlers ended it with
143 and no line). The command itself is `cli.main`.
"""

import os
import signal
import sys
import threading

INTERRUPTED_LINE = b"ocr-pipeline: interrupted\n"
INTERRUPTED_CODE = 130  # errors.ExitCode.ctrl_c, not imported: errors is not needed yet
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _exit_interrupted(signum: int, frame: object) -> None:
    """Once the command has finished or is already reporting an interrupt, a signal
    must not raise inside the interpreter's shutdown (a traceback from an atexit hook)."""
    try:
        os.write(2, INTERRUPTED_LINE)
    finally:
        os._exit(INTERRUPTED_CODE)


def _install(handler) -> None:
    if threading.current_thread() is threading.main_thread():
        for sig in SIGNALS:
            signal.signal(sig, handler)


def main(argv=None) -> int:
    """Run `ocr-pipeline ARGS...`; returns its exit code."""
    _install(_raise_interrupt)
    try:
        from ocr_pipeline.cli import main as command

        code = command(argv)
        _install(_exit_interrupted)
        return code
    except KeyboardInterrupt:  # before or after the command's own handling
        _install(_exit_interrupted)
        sys.stderr.write(INTERRUPTED_LINE.decode())
        sys.stderr.flush()
        return INTERRUPTED_CODE


if __name__ == "__main__":
    sys.exit(main())
