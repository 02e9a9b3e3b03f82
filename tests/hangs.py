"""A hang turned into a test failure (SIGALRM) instead of a stuck suite; shared by the
fault-injection and fuzz tests."""

from __future__ import annotations

import contextlib
import signal


@contextlib.contextmanager
def fails_if_hangs(seconds: int = 20):
    """Fail the test if the block has not finished after `seconds`."""

    def hung(*_):
        raise AssertionError(f"still blocked after {seconds} s")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
