"""What a batch shows while it runs: documents and pages done, pages/min and ETA.

On a terminal, one line redrawn in place; otherwise (a log file, a pipe) a plain line
every `interval` seconds; nothing with `quiet`. Error and warning lines go through
`BatchProgress.message`, which clears the progress line first.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ocr_pipeline.safetext import escape_controls


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"


class BatchProgress:
    """Documents and pages done, rate and ETA: a redrawn line on a TTY, else periodic lines."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None,
                 tty: bool | None = None, interval: float = 30.0) -> None:  # fmt: skip
        self.stream = stream or sys.stderr
        self.total = total
        self.quiet = quiet
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = interval
        self.start = time.monotonic()
        self.last = self.start
        self.done = self.failed = self.pages = 0
        self.already = 0  # documents settled before this run (skipped): no time spent
        self.inflight: dict[str, tuple[int, int]] = {}  # document -> (pages done, total)
        self.shown = False

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-6)
        finished = self.done + self.failed
        text = f"{finished}/{self.total} documents"
        if self.failed:
            text += f" ({self.failed} failed)"
        text += f", {self.pages} pages, {self.pages / elapsed * 60:.1f} pages/min"
        this_run = finished - self.already
        rate = self.pages / elapsed
        if this_run > 0 and finished < self.total:
            text += f", ETA {_duration(elapsed / this_run * (self.total - finished))}"
        elif self.pages_left and rate > 0:  # no document finished yet: the pages in flight
            more = "+" if finished + len(self.inflight) < self.total else ""
            text += f", ETA {_duration(self.pages_left / rate)}{more}"
        return text + f", {_duration(elapsed)} elapsed"

    @property
    def pages_left(self) -> int:
        return sum(total - done for done, total in self.inflight.values())

    def page_done(self, n: int = 1) -> None:
        self.pages += n

    def document_done(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1

    def tick(self, force: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if self.tty:
            if force or now - self.last >= 0.2:
                self.stream.write(f"\r{self.line()}\x1b[K")
                self.stream.flush()
                self.shown, self.last = True, now
        elif now - self.last >= self.interval:
            self.stream.write(f"ocr-pipeline: progress: {self.line()}\n")
            self.stream.flush()
            self.last = now

    def message(self, text: str) -> None:
        """Print one line (error or warning) without tearing the progress line."""
        self.clear()
        self.stream.write(escape_controls(text) + "\n")  # a file name may hold a newline or ESC
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
