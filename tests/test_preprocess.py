"""Tests for ocr_pipeline.preprocess: skew measurement, deskew, borders, denoise, binarize."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_pipeline.preprocess import (
    Preprocessed,
    PreprocessOptions,
    binarize,
    denoise,
    deskew,
    estimate_skew,
    flatten_lighting,
    is_bilevel,
    lone_specks_per_cm2,
    preprocess,
    remove_borders,
    remove_lone_specks,
    to_gray,
)

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")

# Our own example text (not corpus sentences), rich in tone marks and stacked diacritics.
LINES = [
    "Ủy ban nhân dân xã tổ chức hội nghị tổng kết công tác năm và triển khai",
    "nhiệm vụ trọng tâm; các phòng, ban chuyên môn báo cáo kết quả thực hiện",
    "chỉ tiêu về kinh tế, văn hóa, xã hội, quốc phòng và an ninh trên địa bàn.",
    "Người dân được hướng dẫn đăng ký thủ tục hành chính qua cổng dịch vụ công",
    "trực tuyến; tỷ lệ hồ sơ giải quyết đúng hạn đạt mức cao so với kế hoạch.",
    "Đề nghị các đơn vị tiếp tục rà soát, bổ sung quy chế phối hợp, bảo đảm",
    "tiến độ, chất lượng và hiệu quả, kịp thời đề xuất khen thưởng tập thể.",
]


def render_page(width: int = 2480, height: int = 3508, size: int = 42, blocks: int = 4):
    """A white page of black text, like a 300-dpi A4 scan of 10-pt type."""
    if not FONT.exists():
        pytest.skip(f"font {FONT} not installed (fonts-liberation2)")
    im = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), size)
    y = int(size * 6)
    for _ in range(blocks):
        for line in LINES:
            draw.text((int(size * 5), y), line, font=font, fill=0)
            y += int(size * 1.5)
        y += size
    return im


def degrade(gray: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """Blur, grey ink, paper shading from 225 (left) to 170 (right), Gaussian noise."""
    rng = np.random.default_rng(seed)
    f = cv2.GaussianBlur(gray.astype(np.float32) / 255.0, (0, 0), 1.0)
    h, w = gray.shape
    paper = np.linspace(225, 170, w, dtype=np.float32)[None, :]
    out = 80 + (paper - 80) * f + rng.normal(0, 8, (h, w)).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def tone_marks(binary_ink: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Label image of ink components and the ids of the small ones (marks above/below)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary_ink.astype(np.uint8), 8)
    small = (
        (stats[:, cv2.CC_STAT_AREA] >= 3)
        & (stats[:, cv2.CC_STAT_HEIGHT] <= size * 0.33)
        & (stats[:, cv2.CC_STAT_WIDTH] <= size * 0.6)
    )
    small[0] = False
    return labels, np.nonzero(small)[0]


def separate_marks_kept(result: np.ndarray, truth_gray: np.ndarray, size: int) -> float:
    """Share of the true tone marks that are still separate small components in `result`."""
    truth_labels, truth_ids = tone_marks(truth_gray <= 128, size)
    out_labels, out_ids = tone_marks(result == 0, size)
    out_small = np.zeros(out_labels.max() + 1, bool)
    out_small[out_ids] = True
    is_mark = np.zeros(truth_labels.max() + 1, bool)
    is_mark[truth_ids] = True
    hit = is_mark[truth_labels] & out_small[out_labels]
    return len(np.unique(truth_labels[hit])) / len(truth_ids)


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return render_page()


# ------------------------------------------------------------------------------ estimate


@pytest.mark.parametrize("angle", [-4.3, -1.0, 0.0, 0.7, 2.5, 6.0])
def test_estimate_skew_accuracy(page: Image.Image, angle: float) -> None:
    rotated = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    measured = estimate_skew(np.asarray(rotated))
    assert measured == pytest.approx(angle, abs=0.3)


def test_estimate_skew_on_degraded_page_with_border(page: Image.Image) -> None:
    rotated = page.rotate(-2.2, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    scan = degrade(np.asarray(rotated))
    scan[:, :150] = 20  # black scanner border, aligned with the image, not with the text
    scan[-80:, :] = 30
    assert estimate_skew(remove_borders(scan)) == pytest.approx(-2.2, abs=0.3)
    assert preprocess(scan).skew_angle == pytest.approx(-2.2, abs=0.3)


def test_estimate_skew_blank_and_limits(page: Image.Image) -> None:
    assert estimate_skew(np.full((500, 400), 255, np.uint8)) == 0.0
    assert estimate_skew(np.full((500, 400), 37, np.uint8)) == 0.0
    rotated = page.rotate(6.0, expand=True, fillcolor=255)
    limited = estimate_skew(np.asarray(rotated), max_angle=3.0)
    assert -3.0 <= limited <= 3.0


def test_estimate_skew_accepts_pil_and_rgb(page: Image.Image) -> None:
    rotated = page.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert estimate_skew(rotated.convert("RGB")) == pytest.approx(1.5, abs=0.3)  # type: ignore[arg-type]


# -------------------------------------------------------------------------------- deskew


def test_deskew_undoes_measured_skew(page: Image.Image) -> None:
    """Sign convention: +angle = counter-clockwise (as PIL), deskew(angle) turns it back."""
    rotated = np.asarray(page.rotate(3.0, Image.Resampling.BICUBIC, expand=True, fillcolor=255))
    angle = estimate_skew(rotated)
    assert angle > 0
    straight = deskew(rotated, angle)
    assert abs(estimate_skew(straight)) < 0.2


def test_deskew_keeps_whole_page_with_white_fill() -> None:
    img = np.full((300, 200), 255, np.uint8)
    for y, x in [(5, 5), (5, 190), (290, 5), (290, 190)]:  # ink dots in the four corners
        img[y : y + 5, x : x + 5] = 0
    out = deskew(img, 8.0)
    assert out.dtype == np.uint8 and out.ndim == 2
    assert out.shape[0] > 300 and out.shape[1] > 200
    n, _ = cv2.connectedComponents((out < 128).astype(np.uint8))
    assert n - 1 == 4  # no corner was cut off
    assert out[0, 0] == 255 and out[-1, -1] == 255  # new corners are white, not black


def test_deskew_zero_is_identity() -> None:
    img = np.random.default_rng(1).integers(0, 255, (30, 40), dtype=np.uint8)
    out = deskew(img, 0.0)
    assert np.array_equal(out, img) and out is not img


# ----------------------------------------------------------------------- borders, denoise


def test_remove_borders(page: Image.Image) -> None:
    clean = np.asarray(page)[:1200]
    scan = clean.copy()
    scan[:, :100] = 15
    scan[:40, :] = 15
    out = remove_borders(scan)
    assert out[:, :90].min() > 200 and out[:30, :].min() > 200  # border painted paper-white
    assert np.array_equal(out[100:, 150:], clean[100:, 150:])  # text untouched
    assert np.array_equal(remove_borders(clean), clean)  # no border: nothing changes


def test_remove_borders_spares_shaded_paper(page: Image.Image) -> None:
    """Paper darker on one side (uneven lighting) is not a border."""
    scan = degrade(np.asarray(page)[:1200])
    assert np.array_equal(remove_borders(scan), scan)


def test_flatten_lighting_evens_a_photos_paper(page: Image.Image) -> None:
    """A phone photo's paper darkening across the page (225 to 170) is made even, so a
    global threshold (Tesseract's, the table search's Otsu) keeps it paper; the text stays
    ink. An evenly lit page is returned as it is."""
    truth = np.asarray(page)[:1200]
    scan = degrade(truth)
    _, before = cv2.threshold(scan, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    flat = flatten_lighting(scan)
    _, after = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    paper = truth > 200
    assert (before[paper] > 0).mean() > 0.2  # Otsu took the dark side's paper for ink
    assert (after[paper] > 0).mean() < 0.01
    assert (after[truth <= 128] > 0).mean() > 0.9
    assert flatten_lighting(truth) is truth
    h, w = truth.shape  # a shadow over a corner: darker toward it, down to 0.45
    yy, xx = np.mgrid[0:h, 0:w]
    shade = 1 - 0.55 * np.clip(1 - np.hypot(yy / h, xx / w) / 0.6, 0, 1)
    shadowed = (truth.astype(np.float32) * shade).astype(np.uint8)
    _, ink = cv2.threshold(flatten_lighting(shadowed), 0, 255,
                           cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)  # fmt: skip
    assert (ink[paper] > 0).mean() < 0.01


def test_denoise_removes_speckle_before_binarize() -> None:
    rng = np.random.default_rng(2)
    img = np.full((400, 400), 235, np.uint8)
    img[100:110, 50:350] = 30  # one real stroke
    noisy = np.clip(img + rng.normal(0, 30, img.shape), 0, 255).astype(np.uint8)
    without = (binarize(noisy) == 0).sum()
    with_denoise = (binarize(denoise(noisy)) == 0).sum()
    assert with_denoise < without
    stroke = binarize(denoise(noisy))[100:110, 60:340]
    assert (stroke == 0).mean() > 0.9  # the stroke itself survives
    assert denoise(noisy).shape == noisy.shape and denoise(noisy).dtype == np.uint8


# ------------------------------------------------------------------------------ binarize


def test_binarize_output_and_uneven_lighting(page: Image.Image) -> None:
    truth = np.asarray(page)[:1200]
    scan = degrade(truth)
    out = binarize(denoise(scan))
    assert out.dtype == np.uint8 and set(np.unique(out)) <= {0, 255}
    ink, true_ink = out == 0, truth <= 128
    near_text = cv2.dilate(true_ink.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert (ink & ~near_text).sum() < 0.01 * true_ink.sum()  # shaded paper stays white
    assert (ink & true_ink).sum() > 0.95 * true_ink.sum()  # text stays black
    # strokes keep roughly their width (thickening glues tone marks onto letters)
    assert ink.sum() < 1.6 * true_ink.sum()  # measured 1.34


def test_binarize_keeps_tone_marks_separate(page: Image.Image) -> None:
    truth = np.asarray(page)[:1200]
    n_marks = len(tone_marks(truth <= 128, 42)[1])
    assert n_marks > 100  # the text really has many separate marks
    scan = degrade(truth, seed=3)
    kept = separate_marks_kept(binarize(denoise(scan)), truth, 42)
    assert kept >= 0.9
    # for contrast: a global Otsu threshold on the same scan loses them to shading noise
    _, otsu = cv2.threshold(scan, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    assert (otsu == 0).sum() > 3 * (truth <= 128).sum()


def test_binarize_keeps_small_tone_marks() -> None:
    """Smaller type (10 pt at ~200 dpi): marks are covered and most stay separate."""
    truth = np.asarray(render_page(width=1240, height=1754, size=30, blocks=2))
    scan = degrade(truth, seed=5)
    out = binarize(denoise(scan))
    assert separate_marks_kept(out, truth, 30) >= 0.7  # measured 0.80
    labels, ids = tone_marks(truth <= 128, 30)
    covered = np.bincount(labels[out == 0], minlength=labels.max() + 1)
    sizes = np.bincount(labels.ravel(), minlength=labels.max() + 1)
    assert (covered[ids] >= 0.5 * sizes[ids]).mean() >= 0.95  # every mark still inked


def test_binarize_low_contrast_scan(page: Image.Image) -> None:
    """Grey ink on grey paper (contrast 60): Sauvola-type fixed ranges would drop it."""
    truth = np.asarray(page)[:1200]
    f = cv2.GaussianBlur(truth.astype(np.float32) / 255.0, (0, 0), 1.2)
    scan = np.clip(140 + 60 * f + np.random.default_rng(4).normal(0, 6, f.shape), 0, 255)
    out = binarize(denoise(scan.astype(np.uint8)))
    assert separate_marks_kept(out, truth, 42) >= 0.9


# ---------------------------------------------------------------------------- preprocess


def test_preprocess_full(page: Image.Image) -> None:
    rotated = page.rotate(-1.0, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    scan = degrade(np.asarray(rotated))
    result = preprocess(Image.fromarray(scan).convert("RGB"), PreprocessOptions(binarize=True))
    assert isinstance(result, Preprocessed)
    assert result.image.dtype == np.uint8 and result.image.ndim == 2
    assert set(np.unique(result.image)) <= {0, 255}
    assert result.skew_angle == pytest.approx(-1.0, abs=0.3)
    assert abs(estimate_skew(result.image)) < 0.3  # the output is straight
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.skew_angle = 0.0  # type: ignore[misc]


def test_preprocess_steps_switch_off(page: Image.Image) -> None:
    rgb = page.crop((0, 0, 800, 600)).rotate(2.0, fillcolor=255).convert("RGB")
    nothing = PreprocessOptions(grayscale=False, deskew=False, denoise=False, binarize=False)
    raw = preprocess(rgb, nothing)
    assert raw.image.shape == (600, 800, 3) and raw.skew_angle == 0.0
    assert np.array_equal(raw.image, np.asarray(rgb))

    gray_only = preprocess(rgb, PreprocessOptions(deskew=False, denoise=False, binarize=False))
    assert np.array_equal(gray_only.image, np.asarray(rgb.convert("L")))

    no_binarize = preprocess(rgb, PreprocessOptions(binarize=False))
    assert no_binarize.skew_angle != 0.0
    assert len(np.unique(no_binarize.image)) > 2  # still grey levels

    straight = preprocess(rgb, PreprocessOptions(deskew=False))
    assert straight.skew_angle == 0.0 and straight.image.shape == (600, 800)


def test_to_gray_inputs() -> None:
    rgba = np.zeros((4, 4, 4), np.uint8)  # fully transparent black -> white paper
    assert to_gray(rgba).tolist() == [[255] * 4] * 4
    assert to_gray(np.ones((3, 3), bool)).max() == 255
    assert to_gray(np.full((3, 3), 0.5)).max() == 128
    assert to_gray(Image.new("LA", (2, 2), (0, 0))).tolist() == [[255, 255], [255, 255]]
    with pytest.raises(ValueError):
        to_gray(np.zeros((2, 2, 2), np.uint8))
    # 16-bit samples keep their contrast (they came out all white, the review found)
    deep = np.full((4, 4), 60000, np.uint16)
    deep[0, 0] = 1000
    for given in (deep, Image.fromarray(deep)):
        gray = to_gray(given)
        assert gray[0, 0] < 10 and gray[1, 1] > 200


def test_a_red_seal_over_the_signature_reads_as_paper() -> None:
    """A red seal over the signer's lines (a new user's page lost its signature block to
    it) becomes paper; black type, blue ink (a signature, a date written in by hand) and
    grey type stay; the raster stage's grey page is made the same way."""
    from ocr_pipeline import raster

    rgb = np.full((32, 48, 3), 250, np.uint8)  # paper
    rgb[0:8, :16] = (20, 20, 20)  # black type
    rgb[8:16, :16] = (215, 50, 60)  # the seal's red
    rgb[16:24, :16] = (40, 50, 170)  # a blue pen
    rgb[24:32, :16] = (110, 110, 110)  # grey type (a light copy)
    gray = to_gray(rgb)
    assert gray[0, 0] < 40 and gray[24, 0] == 110 and gray[16, 0] < 80
    assert gray[8, 0] == 215  # its red channel: as light as paper to Tesseract
    page = raster.RasterPage(number=1, image=Image.fromarray(rgb, "RGB"), dpi=300)
    assert np.array_equal(np.asarray(raster._as_gray(page).image), gray)
    assert to_gray(Image.fromarray(rgb, "RGB")).tolist() == gray.tolist()


def test_pink_paper_stays_one_grey_under_jpeg_noise() -> None:
    """The review's pink paper (250, 170, 190) with noise: a threshold on colour made JPEG
    blocks flip between two greys, a checkerboard that hid the text; the ramp keeps the
    paper near its luminance, moving with the noise, not jumping."""
    rng = np.random.default_rng(1)
    paper = np.clip(rng.normal((250, 170, 190), 8, (64, 64, 3)), 0, 255).astype(np.uint8)
    gray = to_gray(paper).astype(int)
    plain = cv2.cvtColor(paper, cv2.COLOR_RGB2GRAY).astype(int)
    moved = np.abs(gray - plain)
    assert moved.mean() < 5 and (moved > 20).mean() < 0.02  # a threshold flipped blocks by 60


def test_preprocess_measures_skew_like_estimate_skew(page: Image.Image) -> None:
    """preprocess shares one downscaled copy between border removal and the skew
    measurement; the angle must be the one estimate_skew finds on the cleaned page (its
    uneven paper flattened)."""
    rotated = page.rotate(1.2, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    scan = degrade(np.asarray(rotated))
    bordered = scan.copy()
    bordered[:, :40] = 20  # a dark scan border down the left edge
    for img in (scan, bordered):
        result = preprocess(img, PreprocessOptions(denoise=False))
        assert result.skew_angle == estimate_skew(flatten_lighting(remove_borders(img)))
        assert result.skew_angle == pytest.approx(1.2, abs=0.3)


def test_preprocess_leaves_tiny_skew_alone(page: Image.Image) -> None:
    """Under PreprocessOptions.min_skew the page keeps its canvas (no warp, skew 0.0)."""
    img = np.asarray(page.crop((0, 0, 1600, 1200)).rotate(0.15, Image.Resampling.BICUBIC,
                                                           fillcolor=255))  # fmt: skip
    kept = preprocess(img, PreprocessOptions(denoise=False))
    assert kept.skew_angle == 0.0 and np.array_equal(kept.image, img)
    fixed = preprocess(img, PreprocessOptions(denoise=False, min_skew=0.0))
    assert fixed.skew_angle == pytest.approx(0.15, abs=0.1)
    assert fixed.image.shape != img.shape  # warped onto a grown canvas
    tilted = np.asarray(page.crop((0, 0, 1600, 1200)).rotate(0.6, fillcolor=255))
    assert preprocess(tilted).skew_angle == pytest.approx(0.6, abs=0.15)


def test_deskew_fills_new_corners_with_the_paper_grey() -> None:
    """White wedges around a grey page made tesseract read nothing; fill with the paper."""
    grey = np.full((400, 300), 200, np.uint8)
    grey[100:110, 50:250] = 120  # a line of "ink"
    out = deskew(grey, 3.0)
    assert out.shape[0] > 400 and out[0, 0] == 200 and out[-1, -1] == 200
    assert deskew(grey, 3.0, fill=255)[0, 0] == 255  # an explicit fill still wins
    colour = np.full((400, 300, 3), (230, 220, 210), np.uint8)
    assert deskew(colour, -2.0)[0, 0].tolist() == [230, 220, 210]


# ------------------------------------------------------------------ thin bilevel strokes


def _bars(stroke_px: int, grey: bool = False) -> np.ndarray:
    """A bilevel page of vertical bars `stroke_px` wide (grey edges when `grey`)."""
    img = np.full((300, 600), 255, np.uint8)
    for x in range(20, 580, 20):
        img[50:250, x : x + stroke_px] = 0
    if grey:
        img[50:250, 10] = 128
    return img


def test_stroke_width_is_the_mean_ink_run_in_mm() -> None:
    from ocr_pipeline.preprocess import is_bilevel, stroke_width_mm

    assert stroke_width_mm(_bars(3), 150) == pytest.approx(3 / 150 * 25.4)
    assert stroke_width_mm(np.full((50, 50), 255, np.uint8), 150) is None
    assert is_bilevel(_bars(3)) and not is_bilevel(np.full((40, 40), 200, np.uint8))


def test_specks_do_not_make_a_speckled_scans_strokes_thin() -> None:
    from ocr_pipeline.preprocess import stroke_width_mm, thicken_thin_strokes

    page = _bars(3)  # 0.51 mm at 150 dpi: not thickened
    rng = np.random.default_rng(3)
    specked = page.copy()
    paper = np.argwhere(page == 255)
    for y, x in paper[rng.choice(len(paper), size=page.size // 100, replace=False)]:
        if (page[max(y - 1, 0) : y + 2, max(x - 1, 0) : x + 2] == 255).all():
            specked[y, x] = 0  # a lone black pixel: scanner dust on a bilevel page
    assert stroke_width_mm(specked, 150) == pytest.approx(stroke_width_mm(page, 150), rel=0.05)
    assert thicken_thin_strokes(specked, 150) is specked


def _speckled(page: np.ndarray, clusters: int, seed: int = 5) -> np.ndarray:
    """`page` with up to `clusters` one-pixel specks on its paper, away from its ink."""
    rng = np.random.default_rng(seed)
    out = page.copy()
    for y, x in rng.integers((0, 0), page.shape, (clusters, 2)):
        if (page[max(y - 6, 0) : y + 7, max(x - 6, 0) : x + 7] == 255).all():
            out[y, x] = 0
    return out


def test_a_speckled_copys_thin_strokes_are_not_thickened_into_its_noise() -> None:
    """Grown, a speckled copy's specks covered the page and Tesseract read 6 of 219 words
    (a new user's copies): a page with many specks away from its strokes keeps its ink."""
    from ocr_pipeline.preprocess import SPECKLED_PER_CM2, lone_specks_per_cm2, thicken_thin_strokes

    thin = _bars(2)  # 0.34 mm at 150 dpi: thickened when clean
    noisy = _speckled(thin, 400)
    assert lone_specks_per_cm2(thin, 150) == 0.0
    assert lone_specks_per_cm2(noisy, 150) > 2 * SPECKLED_PER_CM2
    assert thicken_thin_strokes(noisy, 150) is noisy
    few = _speckled(thin, 3)  # a little dust: still a light copy to thicken
    assert (thicken_thin_strokes(few, 150) == 0).sum() > (few == 0).sum()


def test_thin_bilevel_strokes_are_thickened_thick_ones_and_grey_pages_are_not() -> None:
    from ocr_pipeline.preprocess import thicken_thin_strokes

    thin = _bars(2)  # 0.34 mm at 150 dpi: a light copy's strokes
    out = thicken_thin_strokes(thin, 150)
    assert (out == 0).sum() > (thin == 0).sum() and set(np.unique(out)) <= {0, 255}
    thick = _bars(3)  # 0.51 mm: a fax's
    assert thicken_thin_strokes(thick, 150) is thick
    assert thicken_thin_strokes(thin, 100) is thin  # 0.51 mm at 100 dpi
    grey = _bars(2, grey=True)
    grey[::4, ::4][10, 10] = 90  # a grey pixel where the sample looks
    assert thicken_thin_strokes(grey, 150) is grey


def test_preprocess_thickens_thin_bilevel_strokes_only_with_dpi_and_denoise() -> None:
    thin = _bars(2)
    plain = preprocess(thin, PreprocessOptions(deskew=False, denoise=False))
    thickened = preprocess(thin, PreprocessOptions(deskew=False, denoise=False), dpi=150)
    assert (thickened.image < 128).sum() == (plain.image < 128).sum()  # denoise off: no
    with_denoise = preprocess(thin, PreprocessOptions(deskew=False), dpi=150)
    without_dpi = preprocess(thin, PreprocessOptions(deskew=False))
    assert (with_denoise.image < 128).sum() > (without_dpi.image < 128).sum()
    # the page worker reads a thickened page's comma tails from the ink (ocr_pipeline.tails)
    assert with_denoise.thickened and not without_dpi.thickened and not thickened.thickened
    assert not preprocess(_bars(3), PreprocessOptions(deskew=False), dpi=150).thickened


def _dusty(page: Image.Image, specks: int, seed: int = 0) -> np.ndarray:
    """`page` at 150 dpi, thresholded, with `specks` one-pixel dust specks (lone specks at
    150 dpi: under SPECK_AREA_MM2) on its margins and between its paragraphs, far from
    the type."""
    small = np.asarray(page.resize((page.width // 2, page.height // 2)).convert("L"))
    ink = np.where(small < 160, 0, 255).astype(np.uint8)
    rng = np.random.default_rng(seed)
    free = cv2.dilate((ink == 0).astype(np.uint8), np.ones((31, 31), np.uint8)) == 0
    ys, xs = np.nonzero(free[:-2:8, :-2:8])  # 8 px apart: each speck its own
    ys, xs = ys * 8, xs * 8
    for k in rng.choice(len(ys), specks, replace=False):
        ink[ys[k], xs[k]] = 0
    return ink


def test_a_dusty_pages_lone_specks_are_removed_and_its_type_kept(page: Image.Image) -> None:
    dusty = _dusty(page, 400)
    assert lone_specks_per_cm2(dusty, 150) > 0.2
    clean = remove_lone_specks(dusty, 150)
    assert lone_specks_per_cm2(clean, 150) == 0.0
    type_only = _dusty(page, 0)
    # every pixel of the type (its tone marks, commas and full stops too) is kept
    assert np.array_equal(clean == 0, type_only == 0)


def test_a_grey_pages_dark_specks_are_its_noise_not_dust(page: Image.Image) -> None:
    grey = _dusty(page, 400).copy()
    grey[grey == 255] = 250  # the same specks on paper that is not pure white: a grey page
    assert remove_lone_specks(grey, 150) is grey


def test_a_black_and_white_pdf_page_rendered_grey_loses_its_dust(
    page: Image.Image, tmp_path: Path
) -> None:
    """pdftoppm renders a 1-bit (CCITT) scan in grey, resampled at its edges: the page is
    the raster's `bilevel`, and its dust goes as a bilevel image's does."""
    from ocr_pipeline import raster

    pdf = tmp_path / "dusty.pdf"
    Image.fromarray(_dusty(page, 400)).convert("1").save(pdf, resolution=150)
    rendered = raster.load_page(pdf, 1, gray=True)
    gray = np.asarray(rendered.image)
    assert rendered.bilevel and not is_bilevel(gray) and rendered.dpi == 200
    assert lone_specks_per_cm2(gray, rendered.dpi) > 0.2
    cleaned = preprocess(rendered.image, PreprocessOptions(deskew=False), dpi=rendered.dpi,
                         bilevel=rendered.bilevel)  # fmt: skip
    assert lone_specks_per_cm2(cleaned.image, rendered.dpi) == 0.0


def test_a_page_with_a_little_dust_is_left_as_it_is(page: Image.Image) -> None:
    few = _dusty(page, 20)
    assert remove_lone_specks(few, 150) is few


def test_a_forms_dot_leaders_in_small_print_are_no_dust(page: Image.Image) -> None:
    dusty = _dusty(page, 400)
    for row in range(60, 1700, 97):  # dot leaders: one-pixel dots 5 px apart, in rows
        dusty[row, 900:1200:5] = 0
    clean = remove_lone_specks(dusty, 150)
    assert np.array_equal(clean[60:1700:97, 900:1200:5], dusty[60:1700:97, 900:1200:5])
    assert lone_specks_per_cm2(clean, 150) < lone_specks_per_cm2(dusty, 150)
