"""Map boxes on the preprocessed page image back to the original page image.

OCR word boxes (`model.Word.bbox`) are pixels of the *preprocessed* page: the rendered
page turned by `-page.rotation` degrees (its quarter-turn orientation plus its skew) about
its centre on a canvas grown to hold the whole turned page (`preprocess.turn_upright`, then
`preprocess.deskew`). Archive outputs describe the *original* page
(the one a reader sees in the PDF or the scan file), so the exporters map points back:

    preprocessed (x', y') = R(-angle) . ((x, y) - c) + c'

with c the centre of the original raster and c' that of the grown canvas. The original
raster size is what the page carries (`Page.raster_width`/`raster_height`, recorded by the
pipeline); for a page without it, it is recovered from the grown size and the angle
(exact to a pixel, see `original_size`). A box maps to a rotated rectangle; for
hOCR/ALTO its axis-aligned bounds are used, the PDF text layer uses the rotated baseline.
Pixel convention: like OpenCV's warpAffine, integer coordinates are pixel centres; the
half-pixel difference to box edges is far below what any reader of these files notices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ocr_pipeline.model import BBox, Page


def original_size(width: int, height: int, angle: float) -> tuple[int, int]:
    """The raster size (w, h) that a turn by `angle` (orientation + skew) grew to (width, height).

    deskew makes W = ceil(h*s + w*c) and H = ceil(h*c + w*s) (c, s = |cos|, |sin| of the
    angle; a quarter turn before it only swaps w and h, which the same formula does);
    solving that linear system with the ceiling's expected half pixel removed gives w and h
    to within one pixel (skews are at most a few degrees, far from the singular 45 degrees).
    An exact quarter turn has no ceiling: it swaps the sides exactly.
    """
    if not angle:
        return width, height
    if angle % 90 == 0:
        return (height, width) if angle % 180 else (width, height)
    rad = math.radians(angle)
    c, s = abs(math.cos(rad)), abs(math.sin(rad))
    det = c * c - s * s
    if abs(det) < 1e-6:  # 45 degrees: not invertible; keep the canvas size
        return width, height
    big_w, big_h = width - 0.5, height - 0.5
    w = (c * big_w - s * big_h) / det
    h = (c * big_h - s * big_w) / det
    return max(1, round(w)), max(1, round(h))


@dataclass(frozen=True)
class PageGeometry:
    """Point mapping between one page's preprocessed image and its original raster."""

    width: int  # preprocessed image (what word boxes refer to)
    height: int
    angle: float  # degrees the page content was turned (counter-clockwise); undone before OCR
    orig_width: int  # original raster image
    orig_height: int

    @classmethod
    def of(cls, page: Page) -> PageGeometry:
        angle = float(page.rotation or 0.0)
        if page.raster_width and page.raster_height:
            w, h = page.raster_width, page.raster_height
        else:
            w, h = original_size(page.width, page.height, angle)
        return cls(page.width, page.height, angle, w, h)

    @property
    def identity(self) -> bool:
        return not self.angle

    def to_original(self, x: float, y: float) -> tuple[float, float]:
        """A point of the preprocessed image in original raster pixels (not clamped)."""
        if self.identity:
            return float(x), float(y)
        # deskew used OpenCV's getRotationMatrix2D(centre, -angle): [[a, b], [-b, a]]
        rad = math.radians(-self.angle)
        a, b = math.cos(rad), math.sin(rad)
        dx, dy = x - self.width / 2.0, y - self.height / 2.0
        return (a * dx - b * dy + self.orig_width / 2.0,
                b * dx + a * dy + self.orig_height / 2.0)  # fmt: skip

    def box_to_original(self, box: BBox) -> BBox:
        """Axis-aligned bounds of `box` on the original raster, clamped to the page."""
        if self.identity:
            return box
        corners = [self.to_original(x, y) for x in (box.left, box.right)
                   for y in (box.top, box.bottom)]  # fmt: skip
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        left = min(max(0, math.floor(min(xs))), self.orig_width - 1)
        top = min(max(0, math.floor(min(ys))), self.orig_height - 1)
        right = max(left + 1, min(self.orig_width, math.ceil(max(xs))))
        bottom = max(top + 1, min(self.orig_height, math.ceil(max(ys))))
        return BBox(left, top, right, bottom)
