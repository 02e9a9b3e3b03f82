"""Page-image crops of words, as data: URIs for the self-contained HTML report.

`ocr-pipeline run` does not keep page images; reviewers pass ``--images DIR`` holding
``NAME-p001.png`` (or ``NAME-p1.png``, ``.jpg``) for the side whose words carry boxes.
Boxes are in the pixels of the page OCR saw, after turning it upright and deskewing (which
rotates the page and grows the canvas). When the run metadata (NAME.json) gives the page
size and turn and the image has another size (or the turn includes a quarter turn), the
image is rotated the same way first; if sizes still differ,
boxes are scaled. Missing or unreadable images
are logged and skipped: the report is still written, without crops.
"""

from __future__ import annotations

import base64
import io
import logging
from collections import OrderedDict
from pathlib import Path

from ocr_pipeline.model import BBox

log = logging.getLogger(__name__)

CROP_HEIGHT = 56  # px in the report; taller crops are scaled down
PAD = 6  # px around the word box, in page pixels


class PageImages:
    """Finds and caches (two at a time) page images of one document."""

    def __init__(
        self,
        folder: Path,
        name: str,
        page_sizes: dict[int, tuple[int, int]] | None = None,
        page_skew: dict[int, float] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.name = name
        self.page_sizes = page_sizes or {}
        self.page_skew = page_skew or {}
        self._cache: OrderedDict[int, object] = OrderedDict()
        self._missing: set[int] = set()

    def path_for(self, page: int) -> Path | None:
        for pattern in ("{n}-p{p:03d}{e}", "{n}-p{p}{e}", "{n}-{p:03d}{e}", "{n}-{p}{e}"):
            for ext in (".png", ".jpg", ".jpeg", ".tif"):
                candidate = self.folder / pattern.format(n=self.name, p=page, e=ext)
                if candidate.exists():
                    return candidate
        return None

    def _image(self, page: int):  # -> PIL.Image.Image | None
        if page in self._cache:
            self._cache.move_to_end(page)
            return self._cache[page]
        if page in self._missing:
            return None
        from PIL import Image

        path = self.path_for(page)
        if path is None:
            log.warning(
                "no image for page %d of %s in %s (expected %s-p%03d.png)",
                page,
                self.name,
                self.folder,
                self.name,
                page,
            )
            self._missing.add(page)
            return None
        try:
            with Image.open(path) as im:
                image = im.convert("L")
            size, angle = self.page_sizes.get(page), self.page_skew.get(page, 0.0)
            # An image the size OCR saw is taken as already turned, unless the turn includes
            # a quarter turn (an upside-down page keeps its size).
            if size and angle and (image.size != size or abs(angle) >= 45):
                # the same turn as preprocessing (by -angle, canvas grown, white corners)
                image = image.rotate(
                    -angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
                )
        except (OSError, Image.DecompressionBombError) as err:
            log.warning("cannot read %s: %s; no crops for that page", path, err)
            self._missing.add(page)
            return None
        self._cache[page] = image
        while len(self._cache) > 2:
            self._cache.popitem(last=False)
        return image

    def crop_uri(self, page: int, box: BBox) -> str | None:
        """A PNG data: URI of the word's box (padded), or None without an image."""
        image = self._image(page)
        if image is None:
            return None
        sx = sy = 1.0
        if page in self.page_sizes:
            w, h = self.page_sizes[page]
            if w > 0 and h > 0:
                sx, sy = image.width / w, image.height / h
        left = max(0, int((box.left - PAD) * sx))
        top = max(0, int((box.top - PAD) * sy))
        right = min(image.width, int((box.right + PAD) * sx))
        bottom = min(image.height, int((box.bottom + PAD) * sy))
        if right <= left or bottom <= top:
            return None
        crop = image.crop((left, top, right, bottom))
        if crop.height > CROP_HEIGHT:
            width = max(1, round(crop.width * CROP_HEIGHT / crop.height))
            crop = crop.resize((width, CROP_HEIGHT))
        buf = io.BytesIO()  # 16 grey levels: a third smaller than 8-bit, still crisp text
        crop.quantize(16).save(buf, format="PNG", bits=4, optimize=True)
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def make_cropper(
    sides: list, folder: Path | None, max_crops: int = 2000
) -> tuple[object | None, list[str]]:
    """A `crop(token) -> index | None` for `render_html`, and the list it fills.

    `sides` are the `DiffSide`s; those with word boxes are tried in order. At most
    `max_crops` distinct crops are embedded (the page stays loadable).
    """
    uris: list[str] = []
    if folder is None:
        return None, uris
    pages = [
        PageImages(Path(folder), s.name, s.page_sizes, s.page_skew) for s in sides if s.has_boxes
    ]
    if not pages:
        log.warning("--images given but neither side has word boxes (use a .words.tsv)")
        return None, uris
    seen: dict[tuple[int, BBox], int | None] = {}
    warned = [False]

    def crop(token) -> int | None:
        if token.bbox is None or token.page is None:
            return None
        key = (token.page, token.bbox)
        if key in seen:
            return seen[key]
        if len(uris) >= max_crops:
            if not warned[0]:
                log.warning(
                    "more than %d word crops; the rest are left out (--max-crops)", max_crops
                )
                warned[0] = True
            return None
        index = None
        for source in pages:
            uri = source.crop_uri(token.page, token.bbox)
            if uri is not None:
                uris.append(uri)
                index = len(uris) - 1
                break
        seen[key] = index
        return index

    return crop, uris
