"""Plain dataclasses passed between stages: Word, Line, Page, Document.

This module imports no other stage (only `footnote_markers`, which says how a marker is
written into a word's text). Coordinates are pixels of the rasterised page,
origin top-left, `right`/`bottom` exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ocr_pipeline.footnote_markers import attach


@dataclass(frozen=True, slots=True)
class BBox:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )


@dataclass(slots=True)
class Word:
    """One OCR word. `text` is the current form; `ocr_text` what Tesseract read.

    `confidence` is Tesseract's 0-100 word confidence. After the restore stage,
    `restore_confidence` (0-1) says how sure restoration was of `text`. `marker` is the
    number of a footnote marker raised after the word (set by the layout-repair pass,
    never part of `text`), `marker_tail` the punctuation printed after it ("." in
    "phạt)⁹."; None: after the marker goes all the trailing punctuation); `marked_text` is
    the word as written, marker included.
    """

    text: str
    bbox: BBox
    confidence: float
    ocr_text: str | None = None
    restore_confidence: float | None = None
    marker: int | None = None
    marker_tail: str | None = None

    @property
    def marked_text(self) -> str:
        if self.marker is None:
            return self.text
        return attach(self.text, self.marker, self.marker_tail)


@dataclass(slots=True)
class Line:
    """A text line as Tesseract grouped it: block, paragraph and line ids kept.

    `text` is the line as written: footnote markers included (`Word.marked_text`).
    """

    words: list[Word]
    bbox: BBox
    block: int = 0
    paragraph: int = 0
    line: int = 0

    @property
    def text(self) -> str:
        return " ".join(w.marked_text for w in self.words)


@dataclass(slots=True)
class Page:
    """One page's OCR result. `status` is "ok", "timeout" or "error" (`error` says why).

    `width` x `height` is the image OCR saw (word boxes refer to it): the source page's
    raster turned by `-rotation` on a canvas grown to hold it. `raster_width` x
    `raster_height` is that raster before the turn (None: not recorded, as on pages built
    by hand; exporters then derive it from the turn, see `export.geometry`).
    """

    number: int  # 1-based page number in the source document
    width: int
    height: int
    dpi: int
    lines: list[Line] = field(default_factory=list)
    skew_angle: float = 0.0  # skew undone before OCR (degrees, counter-clockwise)
    status: str = "ok"
    error: str | None = None
    seconds: float = 0.0
    orientation: int = 0  # quarter turn (0/90/180/270, counter-clockwise) undone before OCR
    raster_width: int | None = None  # the source page's raster, before any turn
    raster_height: int | None = None
    tables: list = field(default_factory=list)  # ocr_pipeline.tables.Table, in page order
    # the source PDF's page holds text of its own (typed, or an earlier OCR's layer): the
    # searchable PDF keeps it and adds no layer over it (`pipeline.holds_own_text`)
    own_text: bool = False

    @property
    def rotation(self) -> float:
        """The whole turn between the original page and the image OCR saw (degrees)."""
        return self.orientation + self.skew_angle

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @property
    def mean_confidence(self) -> float | None:
        confs = [w.confidence for w in self.words if w.confidence >= 0]
        return round(sum(confs) / len(confs), 2) if confs else None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(slots=True)
class SourceInfo:
    file: str
    sha256: str
    pages: int
    media_type: str


@dataclass(slots=True)
class Document:
    source: SourceInfo
    pages: list[Page] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    # the document-level restore step's record for NAME.json (pipeline._restore_document);
    # None when restoration did not run
    restoration: dict | None = None

    @property
    def text(self) -> str:
        """Page texts separated by form feeds, the conventional page break."""
        return "\f".join(p.text for p in self.pages)
