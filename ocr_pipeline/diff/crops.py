"""Page-image crops of words, as data: URIs for the self-contained HTML report.

`ocr-pipeline run` does not keep page images; reviewers pass ``--images DIR`` holding
``NAME-p001.png`` (also ``NAME-p1``, ``NAME-1``, ``NAME-01``..., what ``pdftoppm -png``
names them; ``.png``, ``.jpg``, ``.tif``; a one-page document's image may also be plain
``NAME.png``, an image input as it is, and a multi-page TIFF input serves all its pages
as ``NAME.tif``) for the side whose words carry boxes (the words
table: ALTO and hOCR boxes are not read, see their readers), made at the
resolution `run` read the page at (``pdftoppm -r DPI``, DPI the page's ``dpi`` in NAME.json;
an image input as it is). Boxes are in the pixels of the page OCR saw, after turning it upright and
deskewing (which rotates the page and grows the canvas). When the run metadata
(NAME.json) gives the page size and turn and the image has another size (or the turn
includes a quarter turn), the image is rotated the same way first; if sizes still
differ, boxes are scaled, and said (the crops are less sharp than at the run's dpi); an
image whose shape is not the page's (another page, a cropped scan) gives no crops. Without
the metadata an image smaller than the boxes reach (made at a lower dpi) gives no crops
either. Missing or unreadable images are logged and skipped: the report is still
written, without crops.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from collections import OrderedDict
from pathlib import Path

from ocr_pipeline.model import BBox

log = logging.getLogger(__name__)

CROP_HEIGHT = 56  # px in the report; taller crops are scaled down
PAD = 6  # px around the word box, in page pixels
SHAPE_TOLERANCE = 0.02  # width and height scales further apart: not the page's image
_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


class PageImages:
    """Finds and caches (two at a time) page images of one document."""

    def __init__(
        self,
        folder: Path,
        name: str,
        page_sizes: dict[int, tuple[int, int]] | None = None,
        page_skew: dict[int, float] | None = None,
        reach: dict[int, tuple[int, int]] | None = None,
        one_page: bool = False,
    ) -> None:
        self.folder = Path(folder)
        self.one_page = one_page  # NAME.png (no page number) is then page 1
        self.reach = reach or {}  # page -> the right and bottom edge its word boxes reach
        self.name = name
        self.page_sizes = page_sizes or {}
        self.page_skew = page_skew or {}
        self._cache: OrderedDict[int, object] = OrderedDict()
        self._missing: set[int] = set()

    def path_for(self, page: int) -> Path | None:
        """NAME-p001.png, NAME-p1.png, NAME-1.png, NAME-01.png ... (any zero padding;
        .png first, then .jpg, .jpeg, .tif, .tiff); NAME.png too for a one-page document."""
        plain = "|" + re.escape(self.name) if self.one_page and page == 1 else ""
        pattern = re.compile(rf"{re.escape(self.name)}-p?0*{page}{plain}", re.IGNORECASE)
        found = []
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return None
        for path in entries:
            suffix = path.suffix.lower()
            if suffix in _EXTENSIONS and pattern.fullmatch(path.name[: -len(suffix)]):
                found.append((_EXTENSIONS.index(suffix), path.name, path))
        return min(found)[2] if found else None

    def _tiff_frame(self, page: int) -> tuple[Path | None, int]:
        """NAME.tif / NAME.tiff holding the document's pages as frames (a multi-page TIFF
        given to `run` as it is): (its path, the page's frame), or (None, 0) when there is
        none or it has fewer frames."""
        from PIL import Image

        for suffix in (".tif", ".tiff", ".TIF", ".TIFF"):
            path = self.folder / f"{self.name}{suffix}"
            if not path.is_file():
                continue
            try:
                with Image.open(path) as im:
                    if page <= getattr(im, "n_frames", 1):
                        return path, page - 1
            except (OSError, Image.DecompressionBombError):
                continue
        return None, 0

    def _image(self, page: int):  # -> PIL.Image.Image | None
        if page in self._cache:
            self._cache.move_to_end(page)
            return self._cache[page]
        if page in self._missing:
            return None
        from PIL import Image

        path, frame = self.path_for(page), 0
        if path is None:
            path, frame = self._tiff_frame(page)
        if path is None:
            log.warning(
                "no image for page %d of %s in %s (expected %s-p%03d.png%s, or a"
                " multi-page %s.tif)",
                page,
                self.name,
                self.folder,
                self.name,
                page,
                f" or {self.name}.png" if self.one_page and page == 1 else "",
                self.name,
            )
            self._missing.add(page)
            return None
        try:
            with Image.open(path) as im:
                im.seek(frame)
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
        if not self._scale_fits(page, path, image):
            self._missing.add(page)
            return None
        self._cache[page] = image
        while len(self._cache) > 2:
            self._cache.popitem(last=False)
        return image

    def _scale_fits(self, page: int, path: Path, image) -> bool:
        """Whether `image` can be the page OCR read: said when it is at another scale,
        refused when its shape is not the page's (see the module docstring)."""
        size = self.page_sizes.get(page)
        if not size or size[0] <= 0 or size[1] <= 0:
            right, bottom = self.reach.get(page, (0, 0))
            if right > image.width + PAD or bottom > image.height + PAD:
                log.warning(
                    "%s is %dx%d px but the words of page %d of %s reach %d,%d: the image is"
                    " smaller than the page OCR read (another dpi?); no crops for that page;"
                    " keep %s.json beside the words table, or make the images at the run's"
                    " dpi",
                    path, image.width, image.height, page, self.name, right, bottom,
                    self.name,
                )  # fmt: skip
                return False
            return True
        sx, sy = image.width / size[0], image.height / size[1]
        if abs(sx / sy - 1.0) > SHAPE_TOLERANCE:
            log.warning(
                "%s is %dx%d px, not the shape of page %d of %s as OCR read it (%dx%d px):"
                " another page or a cropped image? no crops for that page",
                path, image.width, image.height, page, self.name, size[0], size[1],
            )  # fmt: skip
            return False
        if abs(sx - 1.0) > SHAPE_TOLERANCE:
            log.warning(
                "%s is %dx%d px, page %d of %s was read at %dx%d px: crops scaled by %.2f"
                " (make the images at the dpi NAME.json gives the page, pdftoppm -r DPI, for sharp"
                " crops)",
                path, image.width, image.height, page, self.name, size[0], size[1], sx,
            )  # fmt: skip
        return True

    def crop_uri(self, page: int, box: BBox) -> str | None:
        """A PNG data: URI of the word's box (padded), or None without an image."""
        image = self._image(page)
        if image is None:
            return None
        sx = sy = 1.0
        w, h = self.page_sizes.get(page, (0, 0))
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
    pages = []
    for s in sides:
        if s.has_boxes:
            reach = _reach(s)
            one_page = max([*reach, *s.page_sizes], default=1) == 1
            pages.append(PageImages(Path(folder), s.name, s.page_sizes, s.page_skew, reach,
                                    one_page))  # fmt: skip
    if not pages:
        kinds = " and ".join(sorted({s.kind for s in sides}))
        log.warning(
            "--images given but neither side has word boxes (%s here); of the inputs diff"
            " reads, only run's NAME.words.tsv carries the boxes crops are cut from (ALTO"
            " and hOCR boxes are not read): compare with the words table",
            kinds,
        )
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


def _reach(side) -> dict[int, tuple[int, int]]:
    """Page -> (rightmost, lowest) edge of the side's word boxes on it."""
    reach: dict[int, tuple[int, int]] = {}
    for line in side.lines:
        for token in line.tokens or ():
            if token.bbox is None or token.page is None:
                continue
            right, bottom = reach.get(token.page, (0, 0))
            reach[token.page] = (max(right, token.bbox.right), max(bottom, token.bbox.bottom))
    return reach
