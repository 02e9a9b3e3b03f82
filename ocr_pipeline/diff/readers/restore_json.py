"""Reader for the JSON of ``ocr-pipeline restore --format json`` (schema restoration@1).

That JSON holds the restored ``text`` and its non-space ``tokens`` in order, each with
``original`` (OCR form), ``text`` (chosen form), ``kind``, ``confidence`` (0-1) and
``alternatives`` ([form, probability] pairs). Space tokens are left out, so lines are
recovered by finding each token's text in ``text`` in order: the gap before a token is
whitespace; a newline in it starts a new line, a form feed a new page, an empty gap glues
the token to the previous one ("tác" + ","). If the tokens do not match the text, the
text alone is used (no confidences) and a warning is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from ocr_pipeline.diff.readers.text import side_from_text
from ocr_pipeline.diff.sides import DiffSide, SideLine, Token

log = logging.getLogger(__name__)

SCHEMA_PREFIX = "ocr_pipeline/restoration@"


def is_restore_json(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    schema = data.get("schema")
    if isinstance(schema, str) and schema.startswith(SCHEMA_PREFIX):
        return True
    return isinstance(data.get("tokens"), list) and isinstance(data.get("text"), str)


def _token(entry: dict, page: int, glue: bool) -> Token:
    conf = entry.get("confidence")
    alts = []
    for alt in entry.get("alternatives") or ():
        if isinstance(alt, list | tuple) and alt:
            form = str(alt[0])
            alts.append(f"{form} {float(alt[1]):.2f}" if len(alt) > 1 else form)
        elif isinstance(alt, str):
            alts.append(alt)
    original = entry.get("original")
    return Token(
        text=str(entry.get("text", "")),
        confidence=float(conf) if isinstance(conf, int | float) else None,
        original=str(original) if original is not None else None,
        alternatives=tuple(alts),
        page=page,
        glue=glue,
    )


def side_from_restore_json(data: dict, path: str, name: str) -> DiffSide:
    """A side whose tokens carry the restore stage's confidence and alternatives."""
    text = data.get("text", "")
    entries = [t for t in data.get("tokens", []) if isinstance(t, dict)]
    lines: list[SideLine] = []
    current: list[Token] = []
    line_no, page, pos = 1, 1, 0
    current_start = 1

    def flush() -> None:
        if current:
            line = SideLine.from_tokens(current, current_start, current[0].page)
            if line.text:
                lines.append(line)

    for entry in entries:
        form = str(entry.get("text", ""))
        if not form:
            continue
        found = text.find(form, pos)
        gap = text[pos:found] if found >= 0 else None
        if gap is None or (gap and not gap.isspace()):
            log.warning(
                "%s: tokens do not match the text at offset %d; comparing text only", path, pos
            )
            side = side_from_text(text, path, name)
            side.kind = "restore-json"
            return side
        breaks = gap.count("\n") + gap.count("\f")
        if breaks:
            flush()
            current = []
            page += gap.count("\f")
            line_no += breaks
            current_start = line_no
        current.append(_token(entry, page, glue=bool(current) and gap == ""))
        pos = found + len(form)
    flush()
    return DiffSide(path, "restore-json", lines, name)
