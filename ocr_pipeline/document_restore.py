"""Restoration adapted to the document on the `run` path: a weak scan re-restored as a whole.

The page workers restore each page on its own (`restore.restore_page`, no adaptation: one
page is little evidence, and a good scan has nothing to adapt to) and hand back, beside
the page, its lines as OCR and the layout repair read them, before restoration. A bad
scan's misreadings are systematic within a document (the same lost or swapped marks on
every page), so when the restorer was unsure of many of a document's words (`is_weak`), the
document process restores those readings again with one decoder adapted to all of them
(`restore.restore_document`) and layout-repairs them as the worker does
(`layout.repair_page`).

The signal is the restorer's own: the share of words restored with a confidence under
`restore.LOW_CONFIDENCE`. On scripts/bench_scans.py's grid (both splits, photocopies
thickened by `preprocess.thicken_thin_strokes`) it is 0-0.024 on clean, soft, JPEG and
bleed-through scans, 0.021-0.056 on photocopies (the 300-dpi ones, which read best, lowest)
and 0.015-0.11 on faxes, where Tesseract's mean word confidence overlaps (94.8 on a good
150-dpi page, 95.2 on a bad fax). Before the thickening, adaptation took the photocopies'
restored page text from 1.60% to 1.38% CER on the test documents and from 0.77% to 0.72%
on the dev ones, and changed nothing on the good pages.

A document a page of which was read twice (`reread`: Tesseract was unsure of the page, a
photocopy or a fax) is adapted whatever its share: the second reading's words settle some
of restoration's doubts, so the share of such a scan fell under WEAK_SHARE
(samples/decision.tif: 3.1% -> 2.8%, left unadapted: restored CER 0.37% -> 0.43%).
Adapted, it reads 0.31%; the photocopies of scans_heldout3 / scans_heldout2 (tuning data)
went from 0.70/0.54% (300 dpi), 1.02/0.71% (200) and 1.55/1.34% (150) with the second
reading to 0.65/0.48%, 0.92/0.71% and 1.26/1.13% (their faxes were adapted already).

A bad copy also breaks the comma's tail off: "khó khăn. vươn lên" is read for "khó khăn,
vươn lên". In such a document a period between a word and a lower-case word is read as
the comma it was (`restore_comma_tails`): a sentence never opens in lower case.

A page with a table (its cells restored one by one in the worker) is not re-restored.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ocr_pipeline.layout import repair_page
from ocr_pipeline.model import BBox, Line, Page

if TYPE_CHECKING:
    from pathlib import Path

    from ocr_pipeline.restore.adapt import Adaptation

#: A document is re-restored with adaptation when at least this share of its restored
#: words have a restore confidence under restore.LOW_CONFIDENCE (see the module).
WEAK_SHARE = 0.03


def unsure_share(pages: Sequence[Page]) -> float | None:
    """The share of the restored words of `pages` (read pages only) that restoration was
    unsure of (confidence under `restore.LOW_CONFIDENCE`); None when none was restored.
    A word the restore stage passed without reading it (a number, a code: no restore
    confidence, `ocr_text` set) counts as a sure one."""
    from ocr_pipeline.restore import LOW_CONFIDENCE

    confs = [1.0 if w.restore_confidence is None else w.restore_confidence
             for p in pages if p.status == "ok" for w in p.words
             if w.restore_confidence is not None or w.ocr_text is not None]  # fmt: skip
    return sum(c < LOW_CONFIDENCE for c in confs) / len(confs) if confs else None


def mean_ocr_confidence(pages: Sequence[Page]) -> float | None:
    """The mean Tesseract confidence of the read words of `pages` (None: no word)."""
    confs = [w.confidence for p in pages if p.status == "ok" for w in p.words if w.confidence >= 0]
    return sum(confs) / len(confs) if confs else None


def is_weak(pages: Sequence[Page], readings: Mapping[int, PageReading] | None = None) -> bool:
    """Whether a document read weakly enough for adapted restoration (see the module): its
    unsure share reaches WEAK_SHARE, or a page of it was read twice (`readings` with
    second-reading words: `reread`, a page Tesseract was unsure of)."""
    share = unsure_share(pages)
    if share is not None and share >= WEAK_SHARE:
        return True
    return any(r.alternatives for r in (readings or {}).values())


# a word of two letters or more ending in one period ("khăn."; not "v.v.", "TP.HCM." or "5.")
_PERIOD_AFTER_WORD = re.compile(r"^[^\W\d_]*[^\W\d_]{2}\.$")
# a list label opening a new item after a period ("đúng hạn." then "g) Lĩnh vực ...")
_LABEL = re.compile(r"^[^\W\d_][).]$")


def restore_comma_tails(lines: list[Line]) -> list[Line]:
    """`lines` (one page, reading order) with each period between a word and a word that
    opens in lower case read as a comma ("khăn." before "vươn" -> "khăn,"); not before a
    list label ("b)", "c."). Words with a footnote marker (whose text the marker's tail
    follows) are left alone."""
    words = [w for ln in lines for w in ln.words]
    fixed = {
        id(w): dataclasses.replace(w, text=w.text[:-1] + ",")
        for w, after in zip(words, words[1:], strict=False)
        if w.marker is None
        and _PERIOD_AFTER_WORD.match(w.text)
        and after.text[:1].islower()
        and not _LABEL.match(after.text)
    }
    if not fixed:
        return lines
    return [dataclasses.replace(ln, words=[fixed.get(id(w), w) for w in ln.words])
            if any(id(w) in fixed for w in ln.words) else ln for ln in lines]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class PageReading:
    """What a page worker read of a page before restoration: its lines (OCR and layout
    repair) and, where the page was read twice, the second reading's words
    (`reread.word_alternatives`: first reading's word box -> second reading's text)."""

    lines: list[Line]
    alternatives: Mapping[BBox, str] = dataclasses.field(default_factory=dict)


def restore_adapted(
    pages: Sequence[Page],
    readings: Mapping[int, PageReading],
    channel: str,
    profile: str | Path | None = None,
) -> tuple[list[Page], Adaptation | None]:
    """`pages` with each page in `readings` (page number -> what was read of it before
    restoration) restored again by one decoder adapted to all those readings (words read
    twice from both readings: `restore.alternatives`), then layout-repaired and their lost
    comma tails restored.
    Other pages come back as they are. Returns the pages and what was adapted."""
    from ocr_pipeline.restore.alternatives import restore_with_alternatives

    redo = [p for p in pages if p.number in readings and p.status == "ok" and not p.tables]
    if not redo:
        return list(pages), None
    read = [dataclasses.replace(p, lines=readings[p.number].lines) for p in redo]
    restored, adaptation = restore_with_alternatives(
        read, [readings[p.number].alternatives for p in redo], channel, adapt=True,
        profile=profile,
    )  # fmt: skip
    again = {p.number: restore_comma_tails(repair_page(r).lines)
             for p, r in zip(redo, restored, strict=True)}  # fmt: skip
    out = [dataclasses.replace(p, lines=again[p.number]) if p.number in again else p
           for p in pages]  # fmt: skip
    return out, adaptation
