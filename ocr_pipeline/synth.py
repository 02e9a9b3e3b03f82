"""Render text to page images that look like scanned A4 administrative documents.

Used for the sample scans, for training-pair generation and by tests. Three jobs:
`render_pages` lays marked-up text out on clean pages and returns each page's exact ground
truth; `degrade` makes a clean page look scanned (skew, blur, noise, JPEG); `save_pdf` and
`save_tiff` write pages as small multi-page files.

Markup (one source line = one paragraph; the text is NFC-normalised first)
--------------------------------------------------------------------------
A paragraph line may start with a run of *style codes* followed by one space::

    #  centred bold (shorthand for ``^*``)     ^  centred
    *  bold                                     /  italic
    <  left-aligned, no first-line indent       >  right-aligned
    ~  small (footnote size, 10/13 of body)     +  large (14/13 of body)
    _  underline the drawn text                 @  footnote body (see below)

Without codes a line is a justified paragraph with a 12.7 mm first-line indent (so are
``*``/``/`` lines). A dash bullet is simply a paragraph starting with ``- ``. Start a line
with a backslash to print a leading code character literally (``\\* not bold``).

Inside a paragraph, ``**`` toggles bold (``**Điều 1.** Phê duyệt ...``).

``|LEFT|RIGHT|`` is a two-column row (issuer | national title, number | place and date,
recipients | signature). Each cell is wrapped inside its column (left column =
`column_split` of the text width) and is centred unless its codes say otherwise, e.g.
``|<~ - Lưu: VT.|* CHỦ TỊCH|``. A cell may be empty; ``||`` alone is a blank line.

``@ 1 Text ...`` is a footnote body: it is drawn in small type at the bottom of the page on
which the layout currently is, under a short rule (if it no longer fits there it goes to
the next page). Reference markers are ordinary superscript characters in the text
(``quy định².``) and are drawn with the font's own glyphs; a run of them the font lacks a
glyph for (Liberation Serif has no ⁰, so ¹⁰ would lose its 0) is drawn as a word processor
draws superscript: the plain digits at 65% size, raised a third of the font size.

An empty line adds half a line of vertical space. A form feed ``\\f`` forces a page break.

Ground-truth convention (`RenderedPage.text`)
---------------------------------------------
One line per drawn line, exactly the characters drawn (markup removed, words joined by
single spaces, NFC), top to bottom; optional page number first; footnote lines last. A
two-column row gives all lines of its LEFT cell first, then all lines of its RIGHT cell.
Blank space gives no line. `RenderedPage.lines` holds each line's text and pixel box on
the clean page (boxes are not rotated by `degrade`).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ocr_pipeline.errors import BadArgumentsError
from ocr_pipeline.fileio import write_atomic

log = logging.getLogger(__name__)

FONT_DIRS = {
    "serif": Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    "liberation": Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    "noto": Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"),
    "noto-serif": Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"),
    # a typewriter's even pitch, for the archives' typed documents of 1960-1995
    "mono": Path("/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf"),
}

MM_PER_INCH = 25.4
SMALL = 10 / 13
LARGE = 14 / 13
INDENT_MM = 12.7
PARAGRAPH_GAP = 0.25  # extra space after a justified paragraph, in font sizes
_CODES_RE = re.compile(r"^([#*/^<>~_+@]+) (.*)$")
_ROW_RE = re.compile(r"^\|(.*)\|(.*)\|\s*$")


@dataclass(frozen=True)
class RenderedLine:
    """One drawn line: its text and its box (left, top, right, bottom) on the clean page."""

    text: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class RenderedPage:
    """A rendered page ("L" mode image) and the exact text drawn on it."""

    image: Image.Image
    text: str
    dpi: int
    lines: tuple[RenderedLine, ...] = field(default=(), repr=False)


# --------------------------------------------------------------------------- fonts


def _font_paths(font: str) -> dict[tuple[bool, bool], Path]:
    """Map (bold, italic) to a font file for a font name or a path to a regular .ttf."""
    regular = FONT_DIRS.get(font.lower(), Path(font))
    if not regular.is_file():
        raise BadArgumentsError(
            f"font {font!r} not found; use 'serif', 'noto', 'mono' or the path of a .ttf file"
        )
    stem = regular.stem
    base = stem[: -len("-Regular")] if stem.endswith("-Regular") else stem
    variants = {(False, False): regular}
    for key, suffix in (
        ((True, False), "-Bold"),
        ((False, True), "-Italic"),
        ((True, True), "-BoldItalic"),
    ):
        cand = regular.with_name(base + suffix + regular.suffix)
        variants[key] = cand if cand.is_file() else regular
    return variants


@lru_cache(maxsize=64)
def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px)


@lru_cache(maxsize=65536)
def _length(path: str, px: int, text: str) -> float:
    return _font(path, px).getlength(text)


SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_SCALE, SUPERSCRIPT_RAISE = 0.65, 0.33  # of the font size, as word processors do
_SUPERSCRIPT_RUN = re.compile(f"([{SUPERSCRIPT_DIGITS}]+)")


@lru_cache(maxsize=64)
def _covers(path: str, chars: str) -> bool:
    """Whether the font at `path` has a glyph for every one of `chars`."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return all(ord(c) in cmap for c in chars)


def _pieces(path: str, size: int, text: str) -> list[tuple[str, int, int]]:
    """`text` as (characters, font px, raise px) pieces: itself, unless it holds superscript
    digits the font cannot draw, which become plain digits, smaller and raised."""
    if not _SUPERSCRIPT_RUN.search(text) or _covers(path, SUPERSCRIPT_DIGITS):
        return [(text, size, 0)]
    out = []
    for k, part in enumerate(_SUPERSCRIPT_RUN.split(text)):
        if not part:
            continue
        if k % 2 and not _covers(path, part):
            digits = "".join(str(SUPERSCRIPT_DIGITS.index(c)) for c in part)
            out.append((digits, round(size * SUPERSCRIPT_SCALE), round(size * SUPERSCRIPT_RAISE)))
        else:
            out.append((part, size, 0))
    return out


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Style:
    align: str = "justify"  # justify | left | center | right
    bold: bool = False
    italic: bool = False
    scale: float = 1.0
    underline: bool = False
    indent: bool = True
    footnote: bool = False


def _style_from_codes(codes: str, *, cell: bool = False) -> _Style:
    align = "center" if cell else "justify"
    bold = italic = underline = footnote = False
    scale = 1.0
    for c in codes:
        if c == "#":
            align, bold = "center", True
        elif c == "^":
            align = "center"
        elif c == "*":
            bold = True
        elif c == "/":
            italic = True
        elif c == "<":
            align = "left"
        elif c == ">":
            align = "right"
        elif c == "~":
            scale = SMALL
        elif c == "+":
            scale = LARGE
        elif c == "_":
            underline = True
        elif c == "@":
            footnote, scale = True, SMALL
            if align == "justify":
                align = "left"
    indent = align == "justify" and not cell
    return _Style(align, bold, italic, scale, underline, indent, footnote)


def _split_codes(text: str, *, cell: bool = False) -> tuple[_Style, str]:
    if text.startswith("\\"):
        return _style_from_codes("", cell=cell), text[1:]
    m = _CODES_RE.match(text)
    if m:
        return _style_from_codes(m.group(1), cell=cell), m.group(2)
    return _style_from_codes("", cell=cell), text


# A word is a list of runs (text, bold); inline ``**`` can switch bold inside a word.
Word = list[tuple[str, bool]]


def _words(text: str, bold: bool) -> list[Word]:
    words: list[Word] = []
    current: Word = []
    for i, segment in enumerate(text.split("**")):
        seg_bold = bold != (i % 2 == 1)
        parts = segment.split(" ")
        for j, part in enumerate(parts):
            if j > 0 and current:
                words.append(current)
                current = []
            if part:
                current.append((part, seg_bold))
    if current:
        words.append(current)
    return words


def _word_text(word: Word) -> str:
    return "".join(t for t, _ in word)


# --------------------------------------------------------------------------- layout


@dataclass
class _Line:
    words: list[Word]
    style: _Style
    x0: int  # column left edge (px)
    width: int  # column width (px)
    indent: int  # first-line indent applied to this line (px)
    justify: bool
    size: int  # font px

    @property
    def text(self) -> str:
        return " ".join(_word_text(w) for w in self.words)


@dataclass
class _PageLayout:
    items: list[tuple[int, _Line]] = field(default_factory=list)  # (top y, line)
    rows: list[tuple[int, list[_Line], list[_Line]]] = field(default_factory=list)
    order: list[tuple[str, int]] = field(default_factory=list)  # ("line"|"row", index)
    footnotes: list[_Line] = field(default_factory=list)


class _Typesetter:
    def __init__(
        self,
        fonts: dict[tuple[bool, bool], Path],
        size_px: int,
        dpi: int,
        page_px: tuple[int, int],
        margins_px: tuple[int, int, int, int],
        line_spacing: float,
        column_split: float,
    ):
        self.fonts = fonts
        self.size = size_px
        self.dpi = dpi
        self.page_w, self.page_h = page_px
        self.top, self.bottom, self.left, self.right = margins_px
        self.text_w = self.page_w - self.left - self.right
        self.spacing = line_spacing
        self.split = column_split

    def word_width(self, word: Word, style: _Style, size: int) -> float:
        return sum(self.length(b, style.italic, size, t) for t, b in word)

    def length(self, bold: bool, italic: bool, size: int, text: str) -> float:
        path = str(self.fonts[(bold, italic)])
        return sum(_length(path, px, t) for t, px, _ in _pieces(path, size, text))

    def draw(self, draw: ImageDraw.ImageDraw, x: float, baseline: int, text: str, bold: bool,
             italic: bool, size: int, ink: int) -> None:  # fmt: skip
        path = str(self.fonts[(bold, italic)])
        for t, px, rise in _pieces(path, size, text):
            draw.text((x, baseline - rise), t, font=_font(path, px), fill=ink, anchor="ls")
            x += _length(path, px, t)

    def line_height(self, size: int) -> int:
        return round(size * self.spacing)

    def wrap(
        self, text: str, style: _Style, x0: int, width: int, bold_default: bool
    ) -> list[_Line]:
        size = max(1, round(self.size * style.scale))
        words = _words(text, style.bold or bold_default)
        if not words:
            return []
        indent = round(INDENT_MM / MM_PER_INCH * self.dpi) if style.indent else 0
        space = self.length(False, style.italic, size, " ")
        lines: list[_Line] = []
        current: list[Word] = []
        used = 0.0
        first = True
        for word in words:
            w = self.word_width(word, style, size)
            avail = width - (indent if first else 0)
            if current and used + space + w > avail:
                lines.append(
                    _Line(
                        current,
                        style,
                        x0,
                        width,
                        indent if first else 0,
                        style.align == "justify",
                        size,
                    )
                )
                current, used, first = [], 0.0, False
            if current:
                used += space
            current.append(word)
            used += w
        lines.append(_Line(current, style, x0, width, indent if first else 0, False, size))
        return lines

    def layout(self, text: str, bold_lines: Callable[[str], bool] | None) -> list[_PageLayout]:
        chunks = text.split("\f")
        if len(chunks) > 1 and not chunks[-1].strip():
            chunks.pop()
        pages: list[_PageLayout] = []
        for chunk in chunks:
            self._layout_chunk(chunk, bold_lines, pages)
        return pages

    def _layout_chunk(
        self, chunk: str, bold_lines: Callable[[str], bool] | None, pages: list[_PageLayout]
    ) -> None:
        page = _PageLayout()
        pages.append(page)
        y = self.top
        base_lh = self.line_height(self.size)
        foot_h = 0  # height reserved at the bottom for footnotes

        def limit() -> int:
            return self.page_h - self.bottom - foot_h

        def new_page() -> None:
            nonlocal page, y, foot_h
            page = _PageLayout()
            pages.append(page)
            y, foot_h = self.top, 0

        for raw in chunk.split("\n"):
            line = raw.rstrip()
            if not line.strip():
                if y > self.top:
                    y += base_lh // 2
                continue
            if line.strip() == "||":
                line = "|||"
            row = _ROW_RE.match(line)
            if row:
                split_px = round(self.text_w * self.split)
                cells = []
                for cell_text, x0, w in (
                    (row.group(1), self.left, split_px),
                    (row.group(2), self.left + split_px, self.text_w - split_px),
                ):
                    style, body = _split_codes(cell_text.strip(), cell=True)
                    cells.append(self.wrap(body, style, x0, w, False))
                heights = [sum(self.line_height(ln.size) for ln in c) for c in cells]
                h = max(heights) or base_lh
                if y + h > limit() and y > self.top:
                    new_page()
                page.order.append(("row", len(page.rows)))
                page.rows.append((y, cells[0], cells[1]))
                y += h
                continue
            style, body = _split_codes(line.strip())
            bold = bool(bold_lines and bold_lines(body))
            wrapped = self.wrap(body, style, self.left, self.text_w, bold)
            if style.footnote:
                h = sum(self.line_height(ln.size) for ln in wrapped)
                sep = base_lh // 2 if not page.footnotes else 0
                if y + h + sep > limit() and y > self.top:
                    new_page()
                    sep = base_lh // 2
                page.footnotes.extend(wrapped)
                foot_h += h + sep
                continue
            for ln in wrapped:
                lh = self.line_height(ln.size)
                if y + lh > limit() and y > self.top:
                    new_page()
                page.order.append(("line", len(page.items)))
                page.items.append((y, ln))
                y += lh
            if style.align == "justify":
                y += round(self.size * PARAGRAPH_GAP)


# --------------------------------------------------------------------------- drawing


def _draw_line(
    draw: ImageDraw.ImageDraw, ts: _Typesetter, ln: _Line, top: int, ink: int
) -> RenderedLine:
    st = ln.style
    space = ts.length(False, st.italic, ln.size, " ")
    widths = [ts.word_width(w, st, ln.size) for w in ln.words]
    natural = sum(widths) + space * (len(widths) - 1)
    avail = ln.width - ln.indent
    gap = space
    if ln.justify and len(widths) > 1:
        gap = space + (avail - natural) / (len(widths) - 1)
        natural = avail
    if st.align == "center":
        x = ln.x0 + (ln.width - natural) / 2
    elif st.align == "right":
        x = ln.x0 + ln.width - natural
    else:
        x = ln.x0 + ln.indent
    baseline = top + round(ln.size * 1.0)
    start = x
    for word, w in zip(ln.words, widths, strict=True):
        wx = x
        for t, bold in word:
            ts.draw(draw, wx, baseline, t, bold, st.italic, ln.size, ink)
            wx += ts.length(bold, st.italic, ln.size, t)
        x += w + gap
    end = x - gap
    if st.underline:
        uy = baseline + max(2, round(ln.size * 0.28))
        draw.line([(start, uy), (end, uy)], fill=ink, width=max(1, round(ln.size / 20)))
    box = (int(start), top, int(np.ceil(end)), top + ts.line_height(ln.size))
    return RenderedLine(ln.text, box)


def _draw_page(
    ts: _Typesetter, layout: _PageLayout, number: int | None, rng: np.random.Generator
) -> RenderedPage:
    img = Image.new("L", (ts.page_w, ts.page_h), 255)
    draw = ImageDraw.Draw(img)
    out: list[RenderedLine] = []

    def ink() -> int:
        return int(rng.integers(0, 40))

    if number is not None:
        num_line = _Line(
            [[(str(number), False)]],
            _Style(align="center", indent=False),
            ts.left,
            ts.text_w,
            0,
            False,
            ts.size,
        )
        out.append(_draw_line(draw, ts, num_line, max(0, ts.top // 2 - ts.size // 2), ink()))
    for kind, idx in layout.order:
        if kind == "line":
            top, ln = layout.items[idx]
            out.append(_draw_line(draw, ts, ln, top, ink()))
        else:
            top, left, right = layout.rows[idx]
            for cell in (left, right):
                y = top
                for ln in cell:
                    out.append(_draw_line(draw, ts, ln, y, ink()))
                    y += ts.line_height(ln.size)
    if layout.footnotes:
        total = sum(ts.line_height(ln.size) for ln in layout.footnotes)
        y = ts.page_h - ts.bottom - total
        rule_y = y - ts.line_height(ts.size) // 4
        draw.line(
            [(ts.left, rule_y), (ts.left + ts.text_w // 3, rule_y)],
            fill=40,
            width=max(1, ts.size // 24),
        )
        for ln in layout.footnotes:
            out.append(_draw_line(draw, ts, ln, y, ink()))
            y += ts.line_height(ln.size)
    text = "\n".join(line.text for line in out)
    return RenderedPage(img, text, ts.dpi, tuple(out))


# --------------------------------------------------------------------------- public API


def render_pages(
    text: str,
    *,
    font: str = "serif",
    font_size_pt: float = 13,
    dpi: int = 300,
    page_size_mm: tuple[float, float] = (210, 297),
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 15),
    line_spacing: float = 1.3,
    bold_lines: Callable[[str], bool] | None = None,
    column_split: float = 0.4,
    page_numbers: bool = False,
    seed: int = 0,
) -> list[RenderedPage]:
    """Lay out marked-up `text` (see module docstring) on clean pages.

    `margins_mm` is (top, bottom, left, right) as in Nghị định 30. `bold_lines(paragraph)`
    may return True to draw a whole paragraph bold. `page_numbers` prints the page number
    centred in the top margin from page 2 on (and puts it first in the ground truth).
    `seed` only varies the ink darkness slightly; the result is deterministic.
    """
    if dpi < 50 or dpi > 1200:
        raise BadArgumentsError(f"dpi {dpi} is out of range; use 50 to 1200 (300 is typical)")
    if font_size_pt <= 0 or line_spacing <= 0 or not 0.1 <= column_split <= 0.9:
        raise BadArgumentsError(
            "font size and line spacing must be positive and column_split within 0.1-0.9"
        )
    fonts = _font_paths(font)
    px = lambda mm: round(mm / MM_PER_INCH * dpi)  # noqa: E731
    page_px = (px(page_size_mm[0]), px(page_size_mm[1]))
    margins_px = tuple(px(m) for m in margins_mm)
    size_px = max(4, round(font_size_pt / 72 * dpi))
    ts = _Typesetter(fonts, size_px, dpi, page_px, margins_px, line_spacing, column_split)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = unicodedata.normalize("NFC", text)
    layouts = ts.layout(text, bold_lines)
    rng = np.random.default_rng(seed)
    pages = [
        _draw_page(ts, lay, (i + 1) if page_numbers and i > 0 else None, rng)
        for i, lay in enumerate(layouts)
    ]
    log.debug("rendered %d page(s) at %d dpi", len(pages), dpi)
    return pages


def render_line(
    text: str,
    *,
    font: str = "serif",
    font_size_pt: float = 13,
    dpi: int = 300,
    bold: bool = False,
    pad_mm: float = 2.0,
) -> RenderedPage:
    """Render one unwrapped line on a tight white strip (for line-level training pairs)."""
    fonts = _font_paths(font)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    size = max(4, round(font_size_pt / 72 * dpi))
    f = _font(str(fonts[(bold, False)]), size)
    pad = round(pad_mm / MM_PER_INCH * dpi)
    width = int(np.ceil(f.getlength(text))) + 2 * pad
    height = round(size * 1.4) + 2 * pad
    img = Image.new("L", (max(width, 1), height), 255)
    ImageDraw.Draw(img).text((pad, pad + size), text, font=f, fill=0, anchor="ls")
    return RenderedPage(
        img, text, dpi, (RenderedLine(text, (pad, pad, width - pad, height - pad)),)
    )


def degrade(
    image: Image.Image,
    *,
    skew_deg: float = 0.0,
    blur: float = 0.0,
    noise: float = 0.0,
    jpeg_quality: int | None = None,
    seed: int = 0,
    downscale: float = 1.0,
) -> Image.Image:
    """Make a clean page look scanned; deterministic for a given `seed`.

    `skew_deg` rotates counter-clockwise about the centre with white fill; `blur` is a
    Gaussian radius in pixels; `noise` (0-1) is the standard deviation of Gaussian noise as
    a fraction of full scale, plus salt-and-pepper specks on `noise`/80 of the pixels;
    `jpeg_quality` (1-95) applies a JPEG round trip. `downscale` < 1 loses detail like a
    scan at that fraction of the resolution (area-downsampled, then bilinear back up).
    Returns an "L" image of the same size.
    """
    if not 0.1 <= downscale <= 1.0 or blur < 0 or not 0 <= noise <= 1:
        raise BadArgumentsError("degrade needs 0.1 <= downscale <= 1, blur >= 0, 0 <= noise <= 1")
    img = image.convert("L")
    if skew_deg:
        img = img.rotate(skew_deg, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if downscale < 1.0:
        size = img.size
        small = (max(1, round(size[0] * downscale)), max(1, round(size[1] * downscale)))
        img = img.resize(small, Image.Resampling.BOX).resize(size, Image.Resampling.BILINEAR)
    if noise > 0:
        rng = np.random.default_rng(seed)
        arr = np.array(img, dtype=np.float32)
        arr += rng.standard_normal(arr.shape, dtype=np.float32) * np.float32(255.0 * noise)
        specks = rng.random(arr.shape, dtype=np.float32)
        p = noise / 80
        arr[specks < p / 2] = 0
        arr[specks > 1 - p / 2] = 255
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    if jpeg_quality is not None:
        if not 1 <= jpeg_quality <= 95:
            raise BadArgumentsError(f"jpeg_quality {jpeg_quality} must be within 1-95")
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=jpeg_quality)
        buf.seek(0)
        img = Image.open(buf).convert("L")
    return img


def _check_pages(pages: Sequence[Image.Image]) -> list[Image.Image]:
    if not pages:
        raise BadArgumentsError("no pages to save; render at least one page")
    return [p if p.mode in ("1", "L") else p.convert("L") for p in pages]


def save_pdf(
    pages: Sequence[Image.Image],
    path: str | Path,
    dpi: int,
    *,
    quality: int = 65,
    created: datetime | None = None,
) -> None:
    """Write a multi-page image PDF: gray pages JPEG-compressed, 1-bit pages CCITT G4.

    The PDF dates are `created` (default 2025-01-01 UTC) so the file is byte-reproducible.
    """
    imgs = _check_pages(pages)
    when = (created or datetime(2025, 1, 1, tzinfo=UTC)).utctimetuple()
    buf = io.BytesIO()
    imgs[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=imgs[1:],
        resolution=float(dpi),
        quality=quality,
        creationDate=when,
        modDate=when,
        producer="ocr_pipeline.synth",
    )
    write_atomic(Path(path), buf.getvalue())


def save_tiff(pages: Sequence[Image.Image], path: str | Path, dpi: int) -> None:
    """Write a multi-page TIFF: 1-bit pages as CCITT Group 4, gray pages deflate."""
    imgs = _check_pages(pages)
    compression = "group4" if all(p.mode == "1" for p in imgs) else "tiff_adobe_deflate"
    if compression != "group4":
        imgs = [p.convert("L") for p in imgs]
    buf = io.BytesIO()
    imgs[0].save(
        buf, "TIFF", save_all=True, append_images=imgs[1:], dpi=(dpi, dpi), compression=compression
    )
    write_atomic(Path(path), buf.getvalue())


def binarize(image: Image.Image, threshold: int = 160) -> Image.Image:
    """Fixed-threshold 1-bit version of a page (like a bilevel office scanner)."""
    return image.convert("L").point(lambda v: 255 if v > threshold else 0).convert("1")


# ------------------------------------------------------------------ scan conditions

#: The degradations `scan` knows, each a way old reports reach an archive.
SCAN_KINDS = ("clean", "soft", "photocopy", "fax", "jpeg", "bleed")


def _mm(mm: float, dpi: int) -> float:
    """`mm` millimetres in pixels at `dpi` (degradations are physical, not per pixel)."""
    return mm / MM_PER_INCH * dpi


def resample(image: Image.Image, from_dpi: int, to_dpi: int) -> Image.Image:
    """The page as a scanner at `to_dpi` would sample it: each pixel the area mean it covers.

    Rendering straight at a low dpi would give the font's hinted, pixel-fitted glyphs,
    which are far kinder to OCR than what a 150-dpi scanner sees.
    """
    if from_dpi == to_dpi:
        return image.copy()
    w, h = image.size
    size = (max(1, round(w * to_dpi / from_dpi)), max(1, round(h * to_dpi / from_dpi)))
    return image.resize(size, Image.Resampling.BOX)


def _noise(arr: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    return arr + rng.standard_normal(arr.shape, dtype=np.float32) * np.float32(sigma)


def _blur(arr: np.ndarray, sigma_px: float) -> np.ndarray:
    if sigma_px <= 0:
        return arr
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return np.asarray(img.filter(ImageFilter.GaussianBlur(sigma_px)), dtype=np.float32)


def _to_image(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8), "L")


def _specks(
    shape: tuple[int, int], rng: np.random.Generator, per_mpx: float, dpi: int
) -> np.ndarray:
    """A mask of small round dust/toner specks, `per_mpx` of them per million pixels."""
    mask = Image.new("L", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(mask)
    count = int(per_mpx * shape[0] * shape[1] / 1e6)
    for _ in range(count):
        x, y = rng.integers(0, shape[1]), rng.integers(0, shape[0])
        r = max(0.5, _mm(float(rng.uniform(0.05, 0.2)), dpi))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(mask) > 127


def scan(
    image: Image.Image,
    kind: str,
    *,
    dpi: int,
    source_dpi: int | None = None,
    seed: int = 0,
    back: Image.Image | None = None,
) -> Image.Image:
    """Make a clean page drawn at `source_dpi` look like a `kind` of scan made at `dpi`.

    What happens to the paper (a copier's toner, ink showing through) happens at the
    drawing's resolution; then the page is sampled at `dpi` (`resample`, area means) and
    the scanner's own effects follow (noise, its bilevel threshold, JPEG). Sizes are
    physical (mm), so a kind looks alike at every resolution; deterministic for a `seed`.
    Kinds (`SCAN_KINDS`):

    - ``clean``: a good flatbed scan: slight optical blur and sensor noise.
    - ``soft``: out of focus, low contrast and grey paper (a worn scanner glass).
    - ``photocopy``: a light copy: toner spread, then a light threshold that thins and
      breaks hairlines and small marks, plus toner specks; scanned in bilevel mode (hard
      threshold at the scan's resolution). Returns a "1" image.
    - ``fax``: a fax at "standard" resolution: half the vertical resolution, bilevel,
      jagged, with a few dropped scan lines. Returns a "1" image.
    - ``jpeg``: a grey scan saved as JPEG at quality 20 (blocking and ringing round strokes).
    - ``bleed``: thin paper: the page behind (`back`, mirrored; by default this page's own
      mirror image shifted by 2.5 mm) shows through faintly, on yellowed paper.
    """
    if kind not in SCAN_KINDS:
        raise BadArgumentsError(f"unknown scan kind {kind!r}; use one of {', '.join(SCAN_KINDS)}")
    source_dpi = source_dpi or dpi
    rng = np.random.default_rng(seed)
    arr = np.asarray(image.convert("L"), dtype=np.float32)
    # the paper
    if kind == "photocopy":
        arr = _noise(_blur(arr, _mm(0.1, source_dpi)), rng, 14.0)
        ink = (arr < 100) | _specks(arr.shape, rng, 5.0, source_dpi)
        arr = np.where(ink, 0.0, 255.0).astype(np.float32)
    elif kind == "bleed":
        behind = back.convert("L") if back is not None else image.convert("L")
        behind_arr = np.asarray(behind.transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize(
            image.size), dtype=np.float32)  # fmt: skip
        if back is None:  # its own mirror would put ghost lines exactly between the lines
            behind_arr = np.roll(behind_arr, round(_mm(2.5, source_dpi)), axis=0)
        ghost = (255.0 - _blur(behind_arr, _mm(0.15, source_dpi))) * 0.28
        arr = (236.0 - ghost) * (arr / 255.0)
    # the scanner
    optics = {"soft": 0.09, "photocopy": 0.0, "fax": 0.0}.get(kind, 0.03)
    arr = _blur(arr, _mm(optics, source_dpi))
    if source_dpi != dpi:
        arr = np.asarray(resample(_to_image(arr), source_dpi, dpi), dtype=np.float32)
    if kind == "clean":
        return _to_image(_noise(arr, rng, 3.0))
    if kind == "soft":
        arr = 205.0 - (255.0 - arr) * (205.0 - 70.0) / 255.0  # paper 205, ink 70
        return _to_image(_noise(arr, rng, 6.0))
    if kind == "photocopy":
        ink = _noise(arr, rng, 5.0) < 128
        return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), "L").convert("1")
    if kind == "fax":
        h, w = arr.shape
        half = np.asarray(
            _to_image(arr).resize((w, max(1, h // 2)), Image.Resampling.BOX), dtype=np.float32
        )
        ink = _noise(half, rng, 8.0) < 128
        ink[rng.random(ink.shape[0]) < 0.004] = False  # a line lost in transmission
        full = np.repeat(ink, 2, axis=0)[:h]
        if full.shape[0] < h:
            full = np.vstack([full, np.zeros((h - full.shape[0], w), bool)])
        return Image.fromarray(np.where(full, 0, 255).astype(np.uint8), "L").convert("1")
    if kind == "jpeg":
        buf = io.BytesIO()
        _to_image(_noise(arr, rng, 4.0)).save(buf, "JPEG", quality=20)
        buf.seek(0)
        return Image.open(buf).convert("L")
    return _to_image(_noise(arr, rng, 4.0))  # bleed
