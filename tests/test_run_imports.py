"""A plain `run` (txt, words.tsv, json) loads nothing it does not use: the archive writers
(pikepdf, the XML writers) load only when their --output-type is asked for, and the
table reader's fuzzy header matching (rapidfuzz) only when a page has a table (issue 15:
start-up weight of a one-page job)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from pathlib import Path
import ocr_pipeline.pipeline  # what a document worker loads before its first page
from ocr_pipeline.export import write_run_outputs
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word

word = Word("chữ", BBox(10, 20, 50, 45), 90.0)
page = Page(1, 600, 800, 300, [Line([word], BBox(10, 20, 50, 45), 1, 1, 1)])
document = Document(SourceInfo("x.png", "ab" * 32, 1, "image/png"), [page], {"total": 1.0})
write_run_outputs(document, Path(sys.argv[1]), "x", output_types=sys.argv[2:])
print(",".join(m for m in ("pikepdf", "rapidfuzz", "xml.etree") if m in sys.modules) or "-")
"""


def loaded(out: Path, *types: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, str(out), *types],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def test_a_plain_run_loads_no_archive_writer_and_no_table_matcher(tmp_path: Path) -> None:
    assert loaded(tmp_path) == "-"
    assert (tmp_path / "x.txt").read_text("utf-8") == "chữ\n"


def test_an_archive_type_loads_its_writer(tmp_path: Path) -> None:
    assert loaded(tmp_path, "alto") == "xml.etree"
