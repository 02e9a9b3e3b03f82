"""Read ../shared/corpus and split it into training text and a held-out evaluation set.

The held-out set is every 25th document of congbao.txt.gz (documents are separated by a
blank line there). Because the legal sources overlap, a paragraph is excluded from
training wherever it occurs if it also occurs in a held-out document (compared after
lowercasing and collapsing whitespace), so no model ever sees held-out text.

Used by scripts/build_lm.py, scripts/make_ocr_pairs.py and scripts/bench_restore.py.
"""

from __future__ import annotations

import gzip
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO.parent / "shared" / "corpus"
SOURCES = ("phapdien", "congbao", "vlc_laws", "viwiki")
HELDOUT_SOURCE = "congbao"
HELDOUT_EVERY = 25
HELDOUT_OFFSET = 7
SHINGLE = 8


def _open(source: str):
    path = CORPUS_DIR / f"{source}.txt.gz"
    if not path.exists():
        raise SystemExit(f"corpus file {path} not found: put ../shared/corpus beside the repo")
    return gzip.open(path, "rt", encoding="utf-8")


def iter_documents(source: str) -> Iterator[list[str]]:
    """Yield each document of `source` as its list of non-empty lines (NFC)."""
    doc: list[str] = []
    with _open(source) as fh:
        for raw in fh:
            line = unicodedata.normalize("NFC", raw.strip())
            if line:
                doc.append(line)
            elif doc:
                yield doc
                doc = []
    if doc:
        yield doc


def paragraph_key(line: str) -> str:
    return " ".join(line.lower().split())


def heldout_documents() -> list[list[str]]:
    """The evaluation documents: never used to build any model."""
    return [
        doc
        for i, doc in enumerate(iter_documents(HELDOUT_SOURCE))
        if i % HELDOUT_EVERY == HELDOUT_OFFSET
    ]


def shingles(words: list[str]) -> set[int]:
    """Hashes of every SHINGLE-word run (one hash for a shorter paragraph)."""
    if len(words) < SHINGLE:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


@lru_cache(maxsize=1)
def heldout_shingles() -> frozenset[int]:
    """Word runs of the held-out documents, taken across line breaks within a document."""
    found: set[int] = set()
    for doc in heldout_documents():
        words = " ".join(doc).lower().split()
        found |= shingles(words)
        for line in doc:  # short paragraphs (headings) match as wholes
            found |= shingles(line.lower().split())
    return frozenset(found)


def iter_training_lines(sources: tuple[str, ...] = SOURCES) -> Iterator[tuple[str, str]]:
    """Yield (source, line) for every training paragraph, held-out text removed.

    Exact duplicates across and within sources are yielded once.
    """
    banned = heldout_shingles()
    seen: set[int] = set()
    for source in sources:
        for i, doc in enumerate(iter_documents(source)):
            if source == HELDOUT_SOURCE and i % HELDOUT_EVERY == HELDOUT_OFFSET:
                continue
            for line in doc:
                key = paragraph_key(line)
                runs = shingles(key.split())
                if runs and len(runs & banned) * 2 >= len(runs):
                    continue
                h = hash(key)
                if h in seen:
                    continue
                seen.add(h)
                yield source, line


if __name__ == "__main__":
    docs = heldout_documents()
    tokens = sum(len(line.split()) for doc in docs for line in doc)
    print(f"held-out documents: {len(docs)}, tokens: {tokens}")
