"""A batch of comparisons summed up: documents ranked, confusions added over the batch.

Built by the directory mode (``diff DIR_A DIR_B --html-dir OUT``) from the reports it
makes, or by ``diff --summary DIR`` from the ``NAME.diff.json`` reports already in a
folder. Documents are ranked worst first, by CER and then by the share of B's words
below the confidence threshold (those a reviewer should look at first); documents that
could not be compared come last. The grapheme and word confusion tables of every report
are added up, each example tagged with its document.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ocr_pipeline.diff.confusion import ConfusionTable
from ocr_pipeline.diff.report import Metrics
from ocr_pipeline.errors import InputFileError

SCHEMA = "ocr_pipeline/diff-index@1"
BATCH_ROWS = 200  # confusion rows kept in the batch JSON


@dataclass(slots=True)
class IndexEntry:
    """One document of a batch: its name, report file, metrics (None when it failed)."""

    name: str
    report_file: str
    metrics: Metrics | None
    error: str | None = None
    a: str | None = None
    b: str | None = None


@dataclass(slots=True)
class BatchSummary:
    entries: list[IndexEntry] = field(default_factory=list)
    chars: ConfusionTable = field(default_factory=ConfusionTable)
    words: ConfusionTable = field(default_factory=ConfusionTable)

    def add(self, entry: IndexEntry, confusions: dict[str, list] | None = None) -> None:
        self.entries.append(entry)
        if confusions:
            self.chars.merge(confusions.get("chars") or [], entry.name)
            self.words.merge(confusions.get("words") or [], entry.name)

    @property
    def failed(self) -> list[IndexEntry]:
        return [e for e in self.entries if e.error]

    def ranked(self) -> list[IndexEntry]:
        """Worst first: by CER, then low-confidence share; failed documents last."""

        def key(e: IndexEntry) -> tuple:
            if e.metrics is None:
                return (1, 0.0, 0.0, e.name)
            return (0, -e.metrics.cer, -(e.metrics.low_confidence_share or 0.0), e.name)

        return sorted(self.entries, key=key)

    def totals(self) -> Metrics:
        total = Metrics()
        for e in self.entries:
            if e.metrics is None:
                continue
            for f in fields(Metrics):
                if f.name not in ("cer", "wer"):
                    setattr(total, f.name, getattr(total, f.name) + getattr(e.metrics, f.name))
        total.cer = total.char_distance / total.ref_chars if total.ref_chars else 0.0
        total.wer = total.word_distance / total.ref_words if total.ref_words else 0.0
        return total

    def to_dict(self, **head: Any) -> dict[str, Any]:
        documents = []
        for rank, e in enumerate(self.ranked(), start=1):
            if e.metrics is None:
                documents.append({"name": e.name, "error": e.error})
                continue
            doc: dict[str, Any] = {"rank": rank, "name": e.name}
            if e.a is not None:
                doc.update(a=e.a, b=e.b)
            share = e.metrics.low_confidence_share
            doc.update(
                report=e.report_file,
                metrics=asdict(e.metrics),
                low_confidence_share=round(share, 6) if share is not None else None,
            )
            documents.append(doc)
        totals = asdict(self.totals())
        totals["cer"], totals["wer"] = round(totals["cer"], 6), round(totals["wer"], 6)
        return {
            "schema": SCHEMA,
            **head,
            "documents": documents,
            "totals": totals,
            "confusions": {
                "chars": self.chars.rows(BATCH_ROWS),
                "words": self.words.rows(BATCH_ROWS),
            },
        }


def metrics_from_dict(data: dict[str, Any]) -> Metrics:
    known = {f.name for f in fields(Metrics)}
    return Metrics(**{k: v for k, v in data.items() if k in known})


def summarize_reports(folder: Path) -> BatchSummary:
    """The summary of the NAME.diff.json reports in `folder` (written by `diff --json`
    or the directory mode)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(f"{folder} is not a folder; give the folder of NAME.diff.json reports")
    batch = BatchSummary()
    for path in sorted(folder.rglob("*.diff.json")):  # sub/NAME.diff.json of nested inputs
        name = path.relative_to(folder).as_posix()[: -len(".diff.json")]
        html = path.with_name(path.name[: -len(".diff.json")] + ".diff.html")
        report_file = (html if html.exists() else path).relative_to(folder).as_posix()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not str(data.get("schema", "")).startswith("ocr_pipeline/diff@"):
                raise ValueError("not a diff report")
            metrics = metrics_from_dict(data["metrics"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            where = path.relative_to(folder).as_posix()
            batch.add(IndexEntry(name, where, None, f"{where}: unreadable ({err})"))
            continue
        batch.add(
            IndexEntry(
                name,
                report_file,
                metrics,
                a=data.get("a", {}).get("path"),
                b=data.get("b", {}).get("path"),
            ),
            data.get("confusions"),
        )
    if not batch.entries:
        raise InputFileError(
            f"{folder} holds no NAME.diff.json report; write them with"
            " diff --json or the directory mode first"
        )
    return batch
