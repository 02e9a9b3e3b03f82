"""Markdown export of the structure tree (schema document@1), for people to read.

Header fields become a title block, sections become `#` headings by level (capped at 6),
paragraphs stay paragraphs, list items become `-` items, footnote references become
`[^n]` with the footnote bodies at the end; the addressees ("Kính gửi:") open the body,
recipients and signature close the page.
Furniture (page numbers, running headers) is left out.
"""

from __future__ import annotations

from ocr_pipeline.structure.closing import signature_lines
from ocr_pipeline.structure.dates import dated_line


def _refs(node: dict) -> str:
    return "".join(f"[^{n}]" for n in node.get("footnote_refs", []))


def _escape(text: str) -> str:
    # keep numbered prose from turning into Markdown lists / headings
    if text[:1] in "#>" or (text[:1].isdigit() and ". " in text[:5]):
        return "\\" + text
    return text


def _body(nodes: list[dict], out: list[str]) -> None:
    for k, node in enumerate(nodes):
        kind = node["kind"]
        if kind == "section":
            level = min(6, node["level"] + 1)
            title = f" {node['title']}" if node.get("title") else ""
            out.append(f"{'#' * level} {node['label']}{title}{_refs(node)}")
            out.append("")
            if node.get("numbering_warning"):
                out.append(f"> numbering: {node['numbering_warning']}")
                out.append("")
            _body(node.get("children", []), out)
        elif kind == "list_item":
            out.append(f"- {node['text']}{_refs(node)}")
            if k + 1 == len(nodes) or nodes[k + 1]["kind"] != kind:
                out.append("")
        else:
            out.append(_escape(node["text"]) + _refs(node))
            out.append("")


def to_markdown(doc: dict) -> str:
    """Render a structure document as Markdown (UTF-8 text, ends with a newline)."""
    out: list[str] = []
    header = doc.get("header") or {}
    if header:
        for line in header.get("issuer") or []:
            out.append(f"**{line}**  ")
        for key in ("national_title", "motto"):
            if header.get(key):
                out.append(f"**{header[key]}**  " if key == "national_title" else header[key])
        meta = []
        if header.get("number"):
            meta.append(f"Số: {header['number']}")
        if dated := dated_line(header.get("place"), header.get("date")):
            meta.append(dated)
        if meta:
            out.append("")
            out.append(" · ".join(meta))
        out.append("")
        if header.get("doc_type"):
            title = header["doc_type"]
            if header.get("subject"):
                title += f": {header['subject']}"
            out.append(f"# {title}")
            out.append("")
        elif header.get("subject"):
            out.append(f"# {header['subject']}")
            out.append("")
    addressees = doc.get("addressees") or []
    if len(addressees) == 1:
        out.append(f"Kính gửi: {addressees[0]}")
        out.append("")
    elif addressees:
        out.append("Kính gửi:")
        out.append("")
        out.extend(f"- {a}" for a in addressees)
        out.append("")
    _body(doc.get("body", []), out)
    if doc.get("recipients"):
        out.append("**Nơi nhận:**")
        out.append("")
        out.extend(f"- {r}" for r in doc["recipients"])
        out.append("")
    for sig in [doc.get("signature"), *(doc.get("other_signatures") or [])]:
        if not sig:
            continue
        out.extend(_signature(sig))
        out.append("")
    for copy in doc.get("copies") or []:  # a copy's certification under the document
        out.append("---")
        out.append("")
        out.extend(f"**{line}**  " for line in [*copy.get("issuer", []), copy.get("kind")] if line)
        meta = [f"Số: {copy['number']}" if copy.get("number") else "",
                dated_line(copy.get("place"), copy.get("date")) or ""]  # fmt: skip
        if any(meta):
            out.append(" · ".join(m for m in meta if m))
        out.append("")
        for note in copy.get("text") or []:
            out.append(note)
            out.append("")
        if copy.get("recipients"):
            out.append("**Nơi nhận:**")
            out.append("")
            out.extend(f"- {r}" for r in copy["recipients"])
            out.append("")
        sig = copy.get("signature") or {}
        out.extend(_signature(sig))
        out.append("")
    if doc.get("footnotes"):
        for fn in doc["footnotes"]:
            out.append(f"[^{fn['number']}]: {fn['text']}")
        out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _signature(sig: dict) -> list[str]:
    """A signature block's lines (`closing.signature_lines`): its authority and title in
    bold, each line ending in a hard break but the last."""
    printed = [f"**{line}**" if key in ("authority", "title") else line
               for key, line in signature_lines(sig)]  # fmt: skip
    return [line + "  " for line in printed[:-1]] + printed[-1:]
