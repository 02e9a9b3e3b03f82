"""Clean a page image for OCR with OpenCV: grayscale, deskew, denoise, binarize.

Knows nothing about text: it only sees pixels. Every step can be switched off through
`PreprocessOptions`; `preprocess` runs grayscale -> remove dark scan borders -> make an
unevenly lit page's paper even (a phone photo's: `flatten_lighting`, part of the grey
step, a no-op on a scan) -> (turn upright, when given an orientation detector) -> measure
and correct skew (a skew under `MIN_DESKEW` is left alone) -> denoise -> binarize and
reports the turn and skew it corrected.

For tesseract, binarize=False: its LSTM recogniser reads the grey image and binarises
internally; on the sample scans grey and binarised pages now read equally (CER 0.83%,
scripts/bench_preprocess.py --ocr), so binarising only costs time. Binarize for engines or
outputs that need bilevel.

Sign convention for angles: degrees, positive = counter-clockwise, as a reader sees the
page (the same sense as `PIL.Image.rotate`). `estimate_skew` returns the angle by which
the page content is rotated; `deskew(gray, angle)` rotates by `-angle` to undo it. So a
page that was rotated with `Image.rotate(2.5)` measures +2.5 and is turned back by 2.5
degrees clockwise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ocr_pipeline.options import MIN_DESKEW as MIN_DESKEW  # re-exported
from ocr_pipeline.options import PreprocessOptions

log = logging.getLogger(__name__)

#: Long side (pixels) of the working copy used to measure skew; keeps it fast at 300 dpi.
SKEW_WORK_SIZE = 1400
#: At most this many ink pixels are projected per candidate angle (deterministic sample).
SKEW_MAX_POINTS = 120_000
#: `binarize` computes its local statistics on a copy shrunk by this factor.
STATS_SHRINK = 2
#: A bilevel page (a photocopy or fax scanned in line-art mode) whose strokes are thinner
#: than this (mean horizontal ink run, mm) has its ink thickened by a pixel before OCR
#: (`thicken_thin_strokes`). scripts/bench_scans.py's renders (13 pt serif): light
#: photocopies 0.38-0.46 mm, faxes 0.50-0.56 mm, the bilevel samples/decision.tif 0.53 mm.
THIN_STROKE_MM = 0.475
#: A speckled page (ink specks under SPECK_AREA_MM2 farther than SPECK_REACH_MM from any
#: larger ink, SPECKLED_PER_CM2 of them per square centimetre at least) is not thickened:
#: grown, the specks cover the page and Tesseract finds no text lines (a new user's speckled
#: copies: 6 of 219 words read; 10-72 such specks per cm2 there, at most 0.07 on their clean
#: copies and 0.03 on scripts/bench_scans.py's photocopies and faxes).
SPECK_AREA_MM2 = 0.04
SPECK_REACH_MM = 0.6
SPECKLED_PER_CM2 = 1.0
LONE_SPECKS_PER_CM2 = 0.2  # a page with this many lone specks is dusty (`remove_lone_specks`)
DOTTED_ROW, DOT_GAP_MM = 3, 1.2  # specks in a row, this close: a dot leader (`_dotted_rows`)


@dataclass(frozen=True)
class Preprocessed:
    """The cleaned page.

    image: uint8, 2-D (gray, or 0/255 when binarized; 3-D RGB only if grayscale=False and
    binarize=False). skew_angle: the measured skew that was corrected, degrees,
    positive = counter-clockwise (0.0 when deskew is off or the skew was under
    `PreprocessOptions.min_skew`, so the image is the page's own canvas).
    """

    image: np.ndarray
    skew_angle: float
    orientation: int = 0  # quarter turn (0/90/180/270, counter-clockwise) undone before deskew
    #: the page was a light copy's, its ink thickened (`thicken_thin_strokes`)
    thickened: bool = False


# ---------------------------------------------------------------------------------- steps


def to_gray(image: Image.Image | np.ndarray) -> np.ndarray:
    """Return a uint8 2-D gray array from a PIL image or a gray/RGB/RGBA array; on a
    colour page, red ink (a seal) reads as paper (`_without_red_ink`)."""
    if isinstance(image, Image.Image):
        if image.mode == "L":  # the usual case (raster renders grey): one copy, not two
            return np.array(image, dtype=np.uint8)
        if image.mode == "1":
            return np.asarray(image.convert("L"), dtype=np.uint8).copy()
        if image.mode.startswith("I") or image.mode == "F":  # 16-bit or float samples
            return to_gray(np.asarray(image))
        if image.mode in ("RGBA", "LA", "PA", "P"):
            rgba = image.convert("RGBA")
            image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
        return _without_red_ink(np.asarray(image.convert("RGB"), dtype=np.uint8))
    arr = _as_uint8(image)
    if arr.ndim == 2:
        return arr.copy()
    if arr.ndim == 3 and arr.shape[2] == 1:
        return arr[:, :, 0].copy()
    if arr.ndim == 3 and arr.shape[2] == 3:
        return _without_red_ink(arr)
    if arr.ndim == 3 and arr.shape[2] == 4:
        rgb = arr[:, :, :3].astype(np.float32)
        alpha = arr[:, :, 3:4].astype(np.float32) / 255.0
        flat = (rgb * alpha + 255.0 * (1.0 - alpha)).round().astype(np.uint8)
        return _without_red_ink(flat)
    raise ValueError(f"unsupported image array shape {arr.shape}")


#: Red ink (a seal): a pixel whose red channel exceeds its green and blue by more than
#: RED_INK_FROM reads partly as its red channel, wholly from RED_INK_FROM + RED_INK_RAMP on.
RED_INK_FROM = 60
RED_INK_RAMP = 60


def _without_red_ink(rgb: np.ndarray) -> np.ndarray:
    """The grey of an RGB page (luminance), where red ink (a seal stamped over the
    signer's lines) reads as its red channel, as paper: a new user's page with a red seal
    over "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / name" lost its signature block; Tesseract CER
    on that page 3.81% -> 1.45%. The red is taken on a ramp, not from a threshold: on
    pink paper a threshold made JPEG blocks flip between two greys, a checkerboard that
    hid the text. Blue and other inks stay (a signature, numbers and dates written in by
    hand), and so do black type and grey pages."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if not _red_leads(np.ascontiguousarray(rgb[::4, ::4])).any():
        return gray  # a seal is no speck: a sparse look finds it
    r = rgb[..., 0]
    redness = _red_leads(rgb)
    weight = np.minimum(redness.astype(np.float32) / RED_INK_RAMP, 1.0)
    out = gray.astype(np.float32)
    out += weight * (r.astype(np.float32) - out)
    return np.rint(out).astype(np.uint8)


def _red_leads(rgb: np.ndarray) -> np.ndarray:
    """How far each pixel's red exceeds its green and blue past RED_INK_FROM (uint8, 0 where
    it does not)."""
    r, g, b = cv2.split(rgb)
    lead = cv2.subtract(r, cv2.max(g, b))
    return cv2.subtract(lead, np.full_like(lead, RED_INK_FROM))


def _as_uint8(arr: np.ndarray) -> np.ndarray:
    arr = np.asarray(arr)
    if arr.dtype == np.uint8:
        return arr
    if arr.dtype == bool:
        return arr.astype(np.uint8) * 255
    if np.issubdtype(arr.dtype, np.floating) and arr.size and float(arr.max()) <= 1.0:
        return np.clip(arr * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if np.issubdtype(arr.dtype, np.integer) and arr.size and int(arr.max()) > 255:
        # 16-bit (or wider) samples: the top 8 bits of the range used, as raster reads them
        return (arr.astype(np.int64) >> max(0, int(arr.max()).bit_length() - 8)).astype(np.uint8)
    return np.clip(arr, 0, 255).astype(np.uint8)


def estimate_skew(gray: np.ndarray, max_angle: float = 10.0) -> float:
    """Measure how far the text lines are rotated, in degrees (positive = counter-clockwise).

    Projection-profile search: ink pixels of a downscaled, Otsu-thresholded copy are
    projected onto the vertical axis for candidate angles, and the angle whose profile
    is sharpest (largest sum of squared row counts: text lines collapse into peaks) wins.
    Coarse 0.25 degree steps over +-max_angle, then 0.02 degree steps around the best,
    then a parabola through the three best scores. Blobs taller than a tenth of the page
    (scan borders, photos) are ignored. A blank page measures 0.0.
    """
    gray = to_gray(gray)
    return _skew_of_small(_skew_copy(gray), max_angle)


def _skew_copy(gray: np.ndarray) -> np.ndarray:
    """The downscaled working copy `estimate_skew` measures (long side SKEW_WORK_SIZE)."""
    h, w = gray.shape
    return _shrink(gray, min(1.0, SKEW_WORK_SIZE / max(h, w)))


#: Step (degrees) of the fine scan around the coarse best; a parabola through the best
#: three refines it. 0.05 measured like 0.02 (max error 0.06 degrees on the synthetic and
#: sample pages) in 18 fewer projections.
SKEW_FINE_STEP = 0.05
#: Projection arithmetic in float32: 0.3 ms less per angle, same angles to 0.001 degree.
_SKEW_DTYPE = np.float32


def _skew_of_small(small: np.ndarray, max_angle: float) -> float:
    """`estimate_skew` on its working copy (see there)."""
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if small.max() - small.min() < 32:  # flat page: Otsu would split noise
        return 0.0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    sh = small.shape[0]
    keep = (stats[:, cv2.CC_STAT_HEIGHT] <= max(3, sh // 10)) & (stats[:, cv2.CC_STAT_AREA] >= 2)
    keep[0] = False
    ys, xs = np.nonzero(keep[labels])
    if ys.size < 50:
        return 0.0
    if ys.size > SKEW_MAX_POINTS:
        idx = np.random.default_rng(0).choice(ys.size, SKEW_MAX_POINTS, replace=False)
        ys, xs = ys[idx], xs[idx]
    x = xs.astype(_SKEW_DTYPE) - _SKEW_DTYPE(small.shape[1] / 2.0)
    y = ys.astype(_SKEW_DTYPE) - _SKEW_DTYPE(sh / 2.0)
    offset = float(np.hypot(small.shape[0], small.shape[1])) / 2.0 + 2.0
    nbins = int(2 * offset) + 3

    def score(angle: float, y: np.ndarray = y, x: np.ndarray = x) -> float:
        # Row counts with linear ("soft") binning: each ink pixel is split between the two
        # nearest rows, which makes the score smooth in the angle (hard binning wobbles by
        # ~0.1 degree near 0 because a 1-pixel row is wider than the rotation it measures).
        t = np.deg2rad(angle)
        proj = y * _SKEW_DTYPE(np.cos(t)) + x * _SKEW_DTYPE(np.sin(t))
        proj += _SKEW_DTYPE(offset)
        row = proj.astype(np.int64)
        frac = proj - row
        counts = np.bincount(row, weights=1.0 - frac, minlength=nbins)
        counts += np.bincount(row + 1, weights=frac, minlength=nbins)
        return float(np.dot(counts, counts))

    max_angle = abs(float(max_angle))
    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.25)
    if coarse.size == 0:
        coarse = np.array([0.0])
    few = slice(None, None, max(1, x.size // 40_000))  # the coarse scan needs fewer points
    y_few, x_few = np.ascontiguousarray(y[few]), np.ascontiguousarray(x[few])
    best = float(coarse[int(np.argmax([score(a, y_few, x_few) for a in coarse]))])
    step = SKEW_FINE_STEP
    fine = np.arange(best - 0.3, best + 0.3 + 1e-9, step)
    fine = fine[np.abs(fine) <= max_angle + 1e-9]
    scores = np.array([score(a) for a in fine])
    i = int(np.argmax(scores))
    angle = float(fine[i])
    if 0 < i < len(fine) - 1:  # parabola through the peak and its neighbours
        s0, s1, s2 = scores[i - 1], scores[i], scores[i + 1]
        denom = s0 - 2 * s1 + s2
        if denom < 0:
            angle += step * 0.5 * (s0 - s2) / denom
    angle = float(np.clip(angle, -max_angle, max_angle))
    return round(angle, 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def deskew(gray: np.ndarray, angle: float, fill: int | None = None) -> np.ndarray:
    """Rotate by `-angle` degrees (undoing a measured counter-clockwise skew of `angle`).

    The canvas grows so that no part of the page is cut off; the new corners get `fill`,
    by default the page's paper grey (`paper_level`). Pure white wedges around a grey
    page made tesseract read nothing at all: a low-contrast synthetic page (paper 200,
    ink 140) turned 1 degree went from CER 0.74% to 100% with white corners.
    """
    gray = np.asarray(gray)
    if angle == 0.0:
        return gray.copy()
    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w = int(np.ceil(h * sin + w * cos))
    new_h = int(np.ceil(h * cos + w * sin))
    matrix[0, 2] += new_w / 2.0 - w / 2.0
    matrix[1, 2] += new_h / 2.0 - h / 2.0
    border: int | tuple[int, ...]
    if fill is None:
        border = paper_level(gray)  # per channel for colour
    else:
        border = (fill,) * gray.shape[2] if gray.ndim == 3 else fill
    return cv2.warpAffine(
        gray,
        matrix,
        (new_w, new_h),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border,
    )


def paper_level(image: np.ndarray) -> int | tuple[int, ...]:
    """The paper's grey (per channel for colour): the 90th percentile of a sparse sample."""
    sample = np.asarray(image)[::8, ::8]
    if sample.ndim == 3:
        flat = sample.reshape(-1, sample.shape[2])
        if not flat.size:
            return (255,) * sample.shape[2]
        return tuple(int(v) for v in np.percentile(flat, 90, axis=0).round())
    return int(round(float(np.percentile(sample, 90)))) if sample.size else 255


def remove_borders(gray: np.ndarray) -> np.ndarray:
    """Paint dark scan borders (and other dark masses touching the edge) paper-white.

    A dark region counts as border when it touches the image edge and spans more than a
    quarter of the page's width or height; text never does. Found on a ~1000-pixel copy,
    so it costs a few milliseconds. Removing borders keeps them from dominating the
    skew measurement (their edges follow the scanner, not the text) and the binarizer's
    contrast statistics.
    """
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    out, _ = _remove_borders(gray, gray)
    return out


def _remove_borders(gray: np.ndarray, work: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """`remove_borders` of `gray`, its borders found on `work` (`gray` or a downscaled copy).

    Returns (gray with borders painted paper-white, the small border mask or None when
    there is no border). Without a border `gray` itself comes back (no copy).
    """
    h, w = gray.shape
    small = _shrink(work, min(1.0, 1000 / max(work.shape)))
    paper = float(np.percentile(small, 90))
    # "dark" = under 60% of the paper grey: black or grey scan borders, not the paper's
    # own shading (Otsu here would call the darker half of an unevenly lit page ink)
    _, ink = cv2.threshold(small, 0.6 * paper, 255, cv2.THRESH_BINARY_INV)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    sh, sw = small.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches = (x == 0) | (y == 0) | (x + bw == sw) | (y + bh == sh)
    border = touches & ((bw > sw / 4) | (bh > sh / 4))
    border[0] = False
    if not border.any():
        return (gray.copy() if gray is work else gray), None
    small_mask = cv2.dilate(border[labels].astype(np.uint8), np.ones((3, 3), np.uint8))
    # (the dilation covers the blurred border edge)
    mask = cv2.resize(small_mask, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    out = gray.copy()
    out[mask] = int(round(paper))
    log.debug("removed dark border: %.1f%% of the page", 100.0 * mask.mean())
    return out, small_mask


#: A page whose paper, where darkest, is under this share of its paper where brightest (the
#: 5th against the 95th percentile of the paper level) is unevenly lit: a phone photo's
#: paper (0.67-0.78 on a new user's four photos, 0.69 with a shadow over a corner) rather
#: than a scan's (0.99-1.0 on theirs and on every kind of the scan bench's degraded
#: pages). A dark picture on a twentieth of an evenly lit page passes for it too and is
#: flattened: its text reads the same (the review's: one garbage line more where the
#: picture was), where a shadow left unflattened loses the text under it (a fifth of a
#: page's words at the 25th percentile the round tried).
UNEVEN_PAPER = 0.9
_DARK_SHARE = 5  # the percentile of the paper level compared with its 95th
_PAPER_WORK_SIZE = 500  # the paper level is estimated on a copy this many pixels long
_PAPER_KERNEL = 9  # px of that copy (about 4 mm of an A4 page): wider than any stroke


def flatten_lighting(gray: np.ndarray) -> np.ndarray:
    """`gray` with an unevenly lit page's paper made even (`UNEVEN_PAPER`): each pixel
    divided by the paper level around it (the page closed over its text on a small
    copy), so the darker half of a phone photo is paper again, not ink to Tesseract's
    global threshold and the table search. An evenly lit page comes back as it is."""
    h, w = gray.shape
    small = _shrink(gray, min(1.0, _PAPER_WORK_SIZE / max(h, w)))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_PAPER_KERNEL, _PAPER_KERNEL))
    paper = cv2.medianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), _PAPER_KERNEL)
    dark, bright = (float(v) for v in np.percentile(paper, [_DARK_SHARE, 95]))
    if bright <= 0 or dark >= UNEVEN_PAPER * bright:
        return gray
    level = cv2.resize(cv2.max(paper, 1), (w, h), interpolation=cv2.INTER_LINEAR)
    log.debug("uneven lighting (paper %.0f..%.0f): flattened", dark, bright)
    return cv2.divide(gray, level, scale=bright)


def _shrink(gray: np.ndarray, scale: float) -> np.ndarray:
    if scale >= 1.0:
        return gray
    h, w = gray.shape
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def is_bilevel(gray: np.ndarray) -> bool:
    """Whether a grey page holds only black and white (a line-art scan), on a sparse sample."""
    sample = gray[::4, ::4]
    return bool(sample.size) and not np.any((sample > 0) & (sample < 255))


def stroke_width_mm(gray: np.ndarray, dpi: int) -> float | None:
    """The mean width of a bilevel page's horizontal ink runs, in mm (None: no ink),
    isolated ink pixels (no ink among their 8 neighbours) left out: on a speckled scan they
    outnumber the strokes' runs and made clean 0.5 mm strokes measure 0.37 mm, so the page
    was thickened into noise."""
    ink = (gray < 128).astype(np.uint8)
    neighbours = cv2.boxFilter(ink, -1, (3, 3), normalize=False, borderType=cv2.BORDER_CONSTANT)
    ink &= neighbours > 1  # the pixel itself counts once
    starts = np.count_nonzero(np.diff(ink.view(np.int8), axis=1) == 1)
    starts += np.count_nonzero(ink[:, 0])
    return float(np.count_nonzero(ink)) / starts / dpi * 25.4 if starts else None


def thicken_thin_strokes(gray: np.ndarray, dpi: int) -> np.ndarray:
    """A bilevel page whose strokes are thinner than THIN_STROKE_MM with its ink grown by
    one pixel (a 2x2 minimum filter); any other page as it is.

    A light copy thins strokes and breaks the small tone marks over a circumflex into specks
    (đồng read "đông", mỗi "môi") and comma tails off (read "."); one pixel more ink joins
    them again. Measured on scripts/bench_scans.py's photocopies, restored CER, 150/200/300
    dpi: test documents 2.38/1.59/0.96% -> 1.95/1.43/0.79%, dev documents 1.17/0.67/0.77% ->
    1.12/0.51/0.48%. Faxes, whose strokes are not thin, read worse thickened (300 dpi:
    0.71% -> 3.92%), hence the width test.
    """
    if not is_bilevel(gray):
        return gray
    width = stroke_width_mm(gray, dpi)
    if width is None or width >= THIN_STROKE_MM:
        return gray
    specks = lone_specks_per_cm2(gray, dpi)
    if specks >= SPECKLED_PER_CM2:
        log.debug("bilevel page, strokes %.2f mm, %.1f specks/cm2: not thickened", width, specks)
        return gray
    log.debug("bilevel page, strokes %.2f mm: ink thickened", width)
    return cv2.erode(gray, np.ones((2, 2), np.uint8))


def lone_specks_per_cm2(gray: np.ndarray, dpi: int) -> float:
    """How many specks a bilevel page holds per square centimetre: ink components under
    SPECK_AREA_MM2 whose box centre lies farther than SPECK_REACH_MM from any larger one (a
    tone mark a light copy broke into specks sits next to its letter; paper noise
    anywhere)."""
    ink = (gray < 128).astype(np.uint8)
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    lone = _lone_specks(ink, labels, stats, dpi)
    return float(np.count_nonzero(lone)) / _area_cm2(gray, dpi)


def remove_lone_specks(gray: np.ndarray, dpi: int, bilevel: bool = False) -> np.ndarray:
    """A speckled black-and-white page (LONE_SPECKS_PER_CM2 lone specks or more: a
    copier's or a scanner's dust) with its lone specks turned to paper; any other page as
    it is (a grey page's specks under grey 128 are its noise: samples/report.pdf's JPEG
    page counts 1.0 per cm², and removing them cost 0.28 s a page and read it worse). A
    speck is lone as `lone_specks_per_cm2` counts it: a tone mark beside its letter, a
    full stop or a comma after a word is never one; nor is a dot of a form's dot leader
    or an ellipsis in small print (`_dotted_rows`).

    A new user's 150-dpi copy sown with dust (0.8 lone specks per cm²) read by Tesseract
    as stray marks between words and as rows of a table that was not there: `run` 45% CER,
    8.0% with the specks removed (plain Tesseract 12.8%). The bench's black-and-white scans
    hold 0.04 per cm² at most and are left as they are."""
    if not (bilevel or is_bilevel(gray)):
        # a grey page's specks under 128 are its noise (JPEG, paper), no dust; a black-and-
        # white scan rendered from a PDF (`bilevel`) is grey only at its resampled edges
        return gray
    h = gray.shape[0]
    band = gray[int(h * 0.4) : int(h * 0.6)]  # a fifth of the page tells dust from none
    if lone_specks_per_cm2(band, dpi) < LONE_SPECKS_PER_CM2 / 2:
        return gray  # (the whole page's count costs 70 ms at 300 dpi; the band's a fifth)
    ink = (gray < 128).astype(np.uint8)
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    lone = _lone_specks(ink, labels, stats, dpi)
    if np.count_nonzero(lone) < LONE_SPECKS_PER_CM2 * _area_cm2(gray, dpi):
        return gray
    lone &= ~_dotted_rows(stats, lone, gray.shape, dpi)
    log.debug("page with %d lone specks: removed", np.count_nonzero(lone))
    out = gray.copy()
    out[lone[labels]] = 255
    return out


def _dotted_rows(
    stats: np.ndarray, lone: np.ndarray, shape: tuple[int, ...], dpi: int
) -> np.ndarray:
    """Which lone specks stand in a row of DOTTED_ROW of them or more, each within
    DOT_GAP_MM of the next on one line: a form's dot leader ("Họ và tên: ........") or an
    ellipsis in small print, no dust."""
    px_per_mm = dpi / 25.4
    centres = stats[:, :2] + stats[:, 2:4] // 2
    marks = np.zeros(shape[:2], np.uint8)
    ids = np.nonzero(lone)[0]
    marks[centres[ids, 1], centres[ids, 0]] = 1
    gap = max(1, round(DOT_GAP_MM * px_per_mm))
    rows = cv2.dilate(marks, np.ones((3, 2 * gap + 1), np.uint8))
    _count, row_of = cv2.connectedComponents(rows, connectivity=8)
    groups = row_of[centres[ids, 1], centres[ids, 0]]
    sizes = np.bincount(groups)
    dotted = np.zeros_like(lone)
    dotted[ids] = sizes[groups] >= DOTTED_ROW
    return dotted


def _area_cm2(gray: np.ndarray, dpi: int) -> float:
    return gray.size / (dpi / 2.54) ** 2


def _lone_specks(ink: np.ndarray, labels: np.ndarray, stats: np.ndarray, dpi: int) -> np.ndarray:
    """Per connected component of `ink` (its `labels` and `stats`), whether it is a lone
    speck: smaller than SPECK_AREA_MM2, its box centre farther than SPECK_REACH_MM from any
    larger component. The paper (label 0) is none."""
    px_per_mm = dpi / 25.4
    small = stats[:, cv2.CC_STAT_AREA] < SPECK_AREA_MM2 * px_per_mm**2
    small[0] = False  # the paper
    if not small.any():
        return small
    strokes = (ink & ~small[labels]).astype(np.uint8)
    reach = max(1, round(SPECK_REACH_MM * px_per_mm))
    near = cv2.dilate(strokes, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    centres = stats[:, :2] + stats[:, 2:4] // 2  # each component's box centre (x, y)
    lone = small & ~near[centres[:, 1], centres[:, 0]]
    lone[0] = False
    return lone


def denoise(gray: np.ndarray) -> np.ndarray:
    """Smooth scanner noise with a 3x3 Gaussian blur (sigma 0.8).

    Chosen by measurement (scripts/bench_preprocess.py): on a 300-dpi A4 page the
    Gaussian and a 3x3 median both cost ~5-10 ms CPU, bilateral(d=5) ~40 ms and
    fastNlMeansDenoising(h=10) ~10 s (too slow per page). Tesseract CER over the four
    sample pages (deskewed grey, no binarization): none 1.66%, median 1.33%, Gaussian
    0.99% (the JPEG-noisy report pages gain most). Before `binarize` on small type
    (~200 dpi) the Gaussian also keeps more tone marks than the median (recall 0.92 vs
    0.89, worst case), because a median erases features 1-2 pixels thin.
    """
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    return cv2.GaussianBlur(gray, (3, 3), 0.8)


def binarize(gray: np.ndarray, window: int | None = None, k: float = 0.5) -> np.ndarray:
    """Wolf-Jolion local thresholding: ink 0, paper 255.

    threshold = (1 - k) * m + k * M + k * (s / R) * (m - M), with m, s the mean and
    standard deviation over a `window` x `window` neighbourhood (default: 1/60 of the
    shorter side, odd, at least 15 px; ~41 px at 300 dpi), M the darkest grey on the page
    and R the largest local deviation. It adapts to uneven lighting (unlike global Otsu)
    and to low contrast (unlike Sauvola's fixed R = 128); on plain paper it sits halfway
    between paper and ink, so paper noise stays white. Run `remove_borders` first: a black
    scan border would otherwise set M and R for the whole page.

    Measured (scripts/bench_preprocess.py, figures in the README): on synthetic degraded
    300-dpi pages it keeps every tone mark and dot (recall 1.0 in all conditions) where
    Otsu floods unevenly lit pages with false ink and Sauvola loses marks at low contrast.
    A thinner variant (min of this and the local paper/ink midpoint) kept more marks
    *separate* from their letters but lost the curl of the hook (dấu hỏi -> read as sắc)
    and gave tesseract a higher CER on every sample page, so it was dropped. Note that
    tesseract's LSTM reads grey best of all: for tesseract prefer binarize=False.

    Local statistics are computed on a copy shrunk by `STATS_SHRINK` (they are smooth at
    the window's scale) and the threshold surface is scaled back up.
    """
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    h, w = gray.shape
    if window is None:
        window = max(15, min(h, w) // 60)
    factor = STATS_SHRINK if window >= 8 * STATS_SHRINK else 1
    small = _shrink(gray, 1.0 / factor).astype(np.float32)
    win = max(3, round(window / factor)) | 1
    size = (win, win)
    mean = cv2.boxFilter(small, cv2.CV_32F, size, borderType=cv2.BORDER_REPLICATE)
    sq_mean = cv2.sqrBoxFilter(small, cv2.CV_32F, size, borderType=cv2.BORDER_REPLICATE)
    std = cv2.sqrt(cv2.max(cv2.subtract(sq_mean, cv2.multiply(mean, mean)), 0.0))
    darkest = float(np.percentile(gray[::4, ::4], 0.05))
    spread = float(std.max()) or 1.0
    # T = (1 - k) * m + k * M + (k / R) * s * (m - M), in whole-array OpenCV arithmetic
    contrast = cv2.multiply(std, mean - np.float32(darkest), scale=k / spread)
    threshold = cv2.add(cv2.addWeighted(mean, 1.0 - k, mean, 0.0, k * darkest), contrast)
    if factor > 1:
        threshold = cv2.resize(threshold, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.compare(gray.astype(np.float32), threshold, cv2.CMP_GT)  # paper 255, ink 0


# ---------------------------------------------------------------------------- the stage


def turn_upright(image: np.ndarray, orientation: int) -> np.ndarray:
    """Undo a page content turn of `orientation` degrees (a multiple of 90, counter-clockwise).

    Exact (no resampling): a quarter turn only moves pixels. Together with a following
    `deskew(angle)` this is the single turn by `orientation + angle` that
    `export.geometry` inverts (same centre, same grown canvas).
    """
    if orientation % 90:
        raise ValueError(f"orientation must be a multiple of 90 degrees, not {orientation}")
    return np.ascontiguousarray(np.rot90(image, k=-(orientation // 90) % 4))


def preprocess(
    image: Image.Image | np.ndarray,
    options: PreprocessOptions = PreprocessOptions(),  # noqa: B008 (frozen: never changed)
    orient: Callable[[np.ndarray], int] | None = None,
    dpi: int | None = None,
    bilevel: bool = False,
) -> Preprocessed:
    """Run the switched-on steps (grayscale, deskew, denoise, binarize) on one page.

    `orient`, when given, returns the page's orientation (0/90/180/270, content turned
    counter-clockwise) from the border-cleaned page; the page is turned upright before
    its skew is measured. The pipeline passes Tesseract's OSD for `--rotate-pages`.
    With `dpi` (the page's resolution), denoising a grey bilevel page with thin strokes
    starts by thickening them (`thicken_thin_strokes`), before the page is turned.
    `bilevel`: the page is a black-and-white scan rendered grey (`raster.RasterPage`), whose
    dust is removed as a bilevel page's (`remove_lone_specks`).
    """
    thickened = False
    if options.grayscale or options.binarize:
        work = to_gray(image)
        if options.denoise and dpi and work.ndim == 2:
            work = remove_lone_specks(work, dpi, bilevel)
            thin = work
            work = thicken_thin_strokes(work, dpi)
            thickened = work is not thin
    elif isinstance(image, Image.Image):
        work = np.asarray(image.convert("RGB"), dtype=np.uint8).copy()
    else:
        work = _as_uint8(image).copy()
    small = None  # downscaled grey copy for the skew, made once (a full-page resize is ~25 ms)
    if work.ndim == 2 and (options.deskew or options.binarize):
        small = _skew_copy(work) if options.deskew else None
        work, border = _remove_borders(work, work if small is None else small)
        if border is not None:
            small = None  # the copy still has the border: make it again from the clean page
    if (options.grayscale or options.binarize) and work.ndim == 2 and not is_bilevel(work):
        # the grey step's: a photo's uneven paper
        flat = flatten_lighting(work)
        if flat is not work:
            work, small = flat, None
    orientation = 0
    if orient is not None:
        orientation = int(orient(work if work.ndim == 2 else to_gray(work))) % 360
        if orientation:
            work = turn_upright(work, orientation)
            small = None
    angle = 0.0
    if options.deskew:
        if small is None:
            small = _skew_copy(work if work.ndim == 2 else to_gray(work))
        angle = _skew_of_small(small, options.max_skew)
        if abs(angle) < options.min_skew:
            log.debug("skew %.2f deg is under %g: not corrected", angle, options.min_skew)
            angle = 0.0
        if angle:
            work = deskew(work, angle)
    if options.denoise:
        work = denoise(work)
    if options.binarize:
        work = binarize(work)
    log.debug("preprocessed page %s, orientation %d, skew %.2f deg", work.shape, orientation,
              angle)  # fmt: skip
    return Preprocessed(image=work, skew_angle=angle, orientation=orientation,
                        thickened=thickened)  # fmt: skip
