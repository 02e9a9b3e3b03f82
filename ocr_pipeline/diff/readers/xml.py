"""Parsing the XML inputs (ALTO, PAGE-XML): one-line errors, names without namespaces."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ocr_pipeline.errors import InputFileError


def parse(text: str, path: str, what: str) -> ET.Element:
    """The root element; malformed XML is an InputFileError naming the line."""
    try:
        return ET.fromstring(text)
    except ET.ParseError as err:
        line = err.position[0] if err.position else "?"
        raise InputFileError(
            f"{path}: malformed {what} (XML error at line {line}); give the file as written"
        ) from None


def local(tag: str) -> str:
    """An element name without its namespace: '{ns}String' -> 'String'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
