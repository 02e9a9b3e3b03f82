"""What decides how a document is processed: `PipelineOptions` and its `PreprocessOptions`.

Plain dataclasses with no heavy imports (numpy, OpenCV and Pillow stay out), so the batch
parent builds, checks and sends them to its workers without loading the image stack;
`pipeline` and `preprocess` re-export them, where they are used.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field
from typing import Any

from ocr_pipeline import raster
from ocr_pipeline.errors import BadArgumentsError

#: Skews smaller than this (degrees, either way) are measured but not corrected: the warp
#: costs ~70 ms a 300-dpi page and Tesseract reads such pages as well straight or not
#: (scripts/bench_preprocess.py --ocr-skew: straightened sample pages turned again by 0.1,
#: 0.2 and 0.3 degrees read at CER 0.89%, 0.81%, 0.83% against 0.92% deskewed; 0.5 degrees
#: rose to 1.06%). A 0.3 degree residual drifts 10 px across a 2000 px line, a fifth of a
#: 10 pt line's height at 300 dpi.
MIN_DESKEW = 0.3


@dataclass(frozen=True)
class PreprocessOptions:
    """Which cleaning steps to run (all on by default)."""

    grayscale: bool = True
    deskew: bool = True
    denoise: bool = True
    # Off by default: Tesseract binarises internally; grey and binarised sample pages read
    # equally (CER 0.83%, scripts/bench_preprocess.py --ocr), so it would only cost time.
    binarize: bool = False
    max_skew: float = 10.0  # largest skew (degrees, either way) searched for and corrected
    min_skew: float = MIN_DESKEW  # smaller skews are left as they are (0: correct any skew)


#: OSD orientation confidence below which a page is not turned. scripts/bench_orientation.py:
#: no upright page was ever turned, wrong answers came only on sparse pages (confidence 0.37
#: and 2.2), right ones had a median of 13.6; 0.5 left 96.4% of 84 page turns upright.
ROTATE_PAGES_THRESHOLD = 0.5


def _default_jobs() -> int:
    return os.cpu_count() or 1


@dataclass
class PipelineOptions:
    """Everything that decides how a document is processed (recorded in NAME.json)."""

    # PDF rendering resolution; None: a scanned page's own, at most raster.DEFAULT_DPI
    # (raster.render_dpi), other pages at raster.DEFAULT_DPI
    dpi: int | None = None
    pages: str | None = None  # page range spec such as "1-3,5"; None = all pages
    jobs: int = field(default_factory=_default_jobs)
    lang: str = "vie"
    psm: int = 3
    page_timeout: float | None = 300.0  # seconds per page (raster + preprocess + ocr)
    max_pixels: int = raster.DEFAULT_MAX_PIXELS
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    restore: bool = True
    rotate_pages: bool = False  # detect 90/180/270 degree turned pages (Tesseract OSD)
    footnote_markers: bool = True  # read raised footnote digits from the image (superscripts)
    tables: bool = True  # ruled tables read cell by cell (ocr_pipeline.tables)
    # the weak words of a page read with low confidence get a second reading, restored
    # word by word with the first (ocr_pipeline.reread, restore.alternatives): photocopies
    # and faxes, 1.1-1.4x the CPU time there; confident pages are read once
    reread_weak_pages: bool = True
    rotate_pages_threshold: float = ROTATE_PAGES_THRESHOLD
    profile: str | None = None  # archive profile (ocr-pipeline learn) for the restore stage
    lexicon: str | None = None  # user lexicon file (names and terms kept), as restore --lexicon

    def validate(self) -> None:
        """BadArgumentsError for a value out of range (the command line's one line); a
        TypeError naming the field for a value of the wrong type (from the Python API:
        jobs="2" failed inside a comparison, "'<' not supported")."""
        self._check_types()
        if self.jobs < 1:
            raise BadArgumentsError(f"--jobs {self.jobs} is invalid; use 1 or more")
        if not 0 <= self.psm <= 13:
            raise BadArgumentsError(f"--psm {self.psm} is invalid; use 1 or 3 to 13 (3 = auto)")
        if self.psm in (0, 2):  # Tesseract reads no text in these modes: an empty output
            raise BadArgumentsError(
                f"--psm {self.psm} reads no text (0 only detects orientation, 2 does not"
                " recognise); use 1 or 3 to 13 (3 = auto), and --rotate-pages to turn pages"
            )
        if self.page_timeout is not None and not (0 < self.page_timeout < math.inf):
            raise BadArgumentsError(
                f"--page-timeout {self.page_timeout:g} is invalid; use a positive number of seconds"
            )
        if not 0 <= self.rotate_pages_threshold < math.inf:
            raise BadArgumentsError(
                f"--rotate-pages-threshold {self.rotate_pages_threshold:g} is invalid; "
                "use 0 or more"
            )
        if self.max_pixels < 1:
            raise BadArgumentsError(f"--max-pixels {self.max_pixels} is invalid; use 1 or more")
        if self.dpi is not None and not 10 <= self.dpi <= 2400:
            raise BadArgumentsError(
                f"--dpi {self.dpi} is out of range; use a value from 10 to 2400"
            )
        if self.pages is not None:  # malformed for every document: before any set-up
            raster.check_page_spec(self.pages)

    def _check_types(self) -> None:
        for name, kinds in _FIELD_TYPES.items():
            value = getattr(self, name)
            if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
                wanted = " or ".join("None" if k is type(None) else k.__name__ for k in kinds)
                raise TypeError(
                    f"PipelineOptions.{name} must be {wanted}, not"
                    f" {type(value).__name__} ({value!r})"
                )

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for name in ("profile", "lexicon"):  # absent, so batches made before the options
            if out[name] is None:  # keep their key
                del out[name]
        return out


_NUMBER = (int, float)
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "dpi": (int, type(None)),
    "pages": (str, type(None)),
    "jobs": (int,),
    "lang": (str,),
    "psm": (int,),
    "page_timeout": (*_NUMBER, type(None)),
    "max_pixels": (int,),
    "preprocess": (PreprocessOptions,),
    "restore": (bool,),
    "rotate_pages": (bool,),
    "footnote_markers": (bool,),
    "tables": (bool,),
    "reread_weak_pages": (bool,),
    "rotate_pages_threshold": _NUMBER,
    "profile": (str, type(None)),
    "lexicon": (str, type(None)),
}
