"""Text from outside (file names, tool messages) made safe to print on one terminal line or
to put in XML: control characters, lone surrogates (undecodable bytes of a file name) and
the XML non-characters become visible escapes such as \\x1b, so a name with a newline or
ESC cannot split an error line or drive the terminal, nor break hOCR or ALTO."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, lone surrogates (os.fsdecode's surrogateescape), U+FFFE/U+FFFF
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name: show that byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every unsafe character replaced by its visible escape."""
    return _UNSAFE.sub(_escape, text)
