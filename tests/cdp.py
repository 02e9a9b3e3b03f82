"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (no packages).

Chromium reads protocol messages from its fd 3 and writes to its fd 4, each a JSON text
ended by a NUL byte; a shell maps our pipes to those fds. Used by the browser tests for
what the page's own ``?keys=`` replay cannot show: real key events from the browser's
input pipeline and a real download of the exported file.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

TIMEOUT = 60.0


class Browser:
    def __init__(self, binary: str, profile: Path) -> None:
        cmd = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--mute-audio", "--remote-debugging-pipe",
            f"--user-data-dir={profile}", "about:blank",
        ]  # fmt: skip
        script = 'exec "$@" 3<&0 4>&1 </dev/null >/dev/null'
        self.proc = subprocess.Popen(
            ["sh", "-c", script, "sh", *cmd],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "LANG": "C.UTF-8"},
        )
        self._next = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("Browser.close")
            except (OSError, TimeoutError, RuntimeError):
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_message(self, deadline: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the protocol pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Call `method`; its result (events that arrive meanwhile are kept)."""
        assert self.proc.stdin is not None
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.proc.stdin.write(json.dumps(message).encode() + b"\0")
        self.proc.stdin.flush()
        deadline = time.monotonic() + TIMEOUT
        while True:
            msg = self._read_message(deadline)
            if msg.get("id") == self._next:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method: str, match=lambda params: True) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method and match(ev.get("params", {})):
                    return self.events.pop(i)["params"]
            self.events.append(self._read_message(deadline))

    def open(self, url: str) -> str:
        """A new tab at `url`, loaded; its session id."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session)
        self.send("Page.navigate", session, url=url)
        self.wait_event("Page.loadEventFired", lambda p: True)
        return session

    def key(self, session: str, key: str, **extra: Any) -> None:
        """A key press as the keyboard gives it (keydown, then keyup)."""
        named = {"Enter": 13, "Escape": 27, "Backspace": 8}
        code = key if key in named else f"Key{key.upper()}"
        vk = named[key] if key in named else ord(key.upper())
        common = {"key": key, "code": code, "windowsVirtualKeyCode": vk, **extra}
        self.send("Input.dispatchKeyEvent", session, type="rawKeyDown", **common)
        self.send("Input.dispatchKeyEvent", session, type="keyUp", **common)

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")
