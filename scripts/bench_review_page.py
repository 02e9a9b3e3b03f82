"""How fast a long document's review page opens and answers in headless Chromium.

A document of invented text (no corpus sentence) is made as `run` would leave it:
PAGES pages of LINES lines, its words table (restored words, Tesseract's readings,
confidences, boxes) and the page images (`--images`, so changed words carry crops). A
is the correct text; B, the words table, has a share of words with a lost or wrong mark
and a share of low-confidence words. `diff A B --html` writes the review page, which is
then opened ROUNDS times in a fresh Chromium tab through the DevTools protocol
(`tests/cdp.py`, the browser tests' client), measuring:

- ``load_ms``: navigationStart -> loadEventEnd (the page's script has run: rows indexed,
  minimap drawn), and ``dcl_ms`` (DOMContentLoaded), ``fcp_ms`` (first contentful paint),
  and the wall time from Page.navigate to the load event;
- ``main_thread_ms``: the renderer's main-thread busy time by kind (Chromium's
  Performance.getMetrics: all tasks, script, layout, style), less sensitive than wall
  times to other processes on a shared machine;
- ``key_ms``: a real key event (j: next change; then y: keep B; then e: open the
  correction field) to the page state it causes, round trip through the protocol.

    .venv/bin/python scripts/bench_review_page.py [--pages 100] [--lines 30] [--rounds 5]

Prints JSON. Not a test: wall times depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from cdp import Browser  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from ocr_pipeline.diff.run import diff_files  # noqa: E402
from ocr_pipeline.export.words import to_words_tsv  # noqa: E402
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word  # noqa: E402
from ocr_pipeline.restore.orthography import strip_marks  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
# invented administrative-sounding vocabulary, combined at random (no corpus text)
VOCAB = (
    "công tác kiểm tra báo cáo kết quả thực hiện nhiệm vụ năm xã phường huyện tỉnh ủy ban "
    "nhân dân hội đồng quyết định thông tư kế hoạch triển khai đánh giá tổng hợp đề nghị "
    "khen thưởng cá nhân tập thể đơn vị phòng ban chuyên môn lĩnh vực văn hóa giáo dục y tế "
    "đất đai xây dựng giao thông thủy lợi nông nghiệp môi trường tài chính ngân sách"
).split()
W, H, DPI = 1240, 1754, 150


def make_document(folder: Path, pages: int, lines: int, seed: int) -> tuple[Path, Path, int]:
    """A.txt (truth), NAME.words.tsv (B) and the page images; the number of B's words."""
    rng = random.Random(seed)
    font = ImageFont.truetype(str(FONT), 26) if FONT.exists() else ImageFont.load_default()
    images = folder / "pages"
    images.mkdir()
    truth_lines: list[str] = []
    doc_pages = []
    for number in range(1, pages + 1):
        image = Image.new("L", (W, H), 255)
        draw = ImageDraw.Draw(image)
        page_lines = []
        for n in range(lines):
            words = [rng.choice(VOCAB) for _ in range(rng.randint(8, 13))]
            words[0] = words[0].capitalize()
            truth_lines.append(" ".join(words))
            x, y, row = 90, 90 + n * 52, []
            for t in words:
                ocr = strip_marks(t) if rng.random() < 0.6 else t
                shown, conf = t, rng.uniform(0.85, 1.0)
                roll = rng.random()
                if roll < 0.03:  # restoration chose another mark: a change to review
                    shown, conf = strip_marks(t), rng.uniform(0.3, 0.8)
                elif roll < 0.06:  # right, but unsure
                    conf = rng.uniform(0.3, 0.8)
                box = draw.textbbox((x, y), ocr, font=font)
                draw.text((x, y), ocr, font=font, fill=0)
                row.append(Word(shown, BBox(*box), 85.0, ocr_text=ocr, restore_confidence=conf))
                x = box[2] + 14
            page_lines.append(Line(row, row[0].bbox.union(row[-1].bbox), 1, 1, n + 1))
        image.save(images / f"doc-p{number:03d}.png")
        doc_pages.append(Page(number, W, H, DPI, page_lines))
        truth_lines.append("\f") if number < pages else None
    doc = Document(SourceInfo("doc.png", "0" * 64, pages, "image/png"), doc_pages)
    b = folder / "doc.words.tsv"
    b.write_text(to_words_tsv(doc), encoding="utf-8")
    a = folder / "doc.gt.txt"
    a.write_text("\n".join(truth_lines).replace("\n\f\n", "\f") + "\n", encoding="utf-8")
    return a, b, sum(len(p.words) for p in doc_pages)


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("chromium is not installed (scripts/install_system_deps.sh)")


def _timed_key(chrome: Browser, tab: str, key: str, check: str) -> float:
    start = time.perf_counter()
    chrome.key(tab, key)
    while not chrome.evaluate(tab, check):
        pass
    return round((time.perf_counter() - start) * 1000, 1)


def measure(page: Path, rounds: int, work: Path) -> list[dict]:
    out = []
    with Browser(_browser(), work / "profile") as chrome:
        for _ in range(rounds):
            target = chrome.send("Target.createTarget", url="about:blank")["targetId"]
            tab = chrome.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            chrome.send("Page.enable", tab)
            chrome.send("Performance.enable", tab)
            start = time.perf_counter()
            chrome.send("Page.navigate", tab, url=page.as_uri())
            chrome.wait_event("Page.loadEventFired")
            wall = (time.perf_counter() - start) * 1000
            timing = chrome.evaluate(
                tab,
                "(()=>{const t=performance.timing, s=t.navigationStart;"
                "const p=performance.getEntriesByName('first-contentful-paint')[0];"
                "return {dcl:t.domContentLoadedEventEnd-s, load:t.loadEventEnd-s,"
                "fcp:p?Math.round(p.startTime):null,"
                "rows:document.querySelectorAll('.r').length,"
                "changes:document.querySelectorAll('.r.c').length,"
                "crops:JSON.parse((document.getElementById('crops')||{}).textContent||'[]').length}})()",
            )
            metrics = {
                m["name"]: m["value"] for m in chrome.send("Performance.getMetrics", tab)["metrics"]
            }
            busy = {  # main-thread seconds of the renderer, by kind, up to the load event
                k: round(metrics.get(k, 0.0) * 1000)
                for k in ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
            }
            keys = {
                "j_next_change": _timed_key(
                    chrome, tab, "j", "document.activeElement.id==='diff-1'"
                ),
                "y_keep_b": _timed_key(
                    chrome, tab, "y", "document.getElementById('ndec').textContent==='1'"
                ),
                "e_open_field": _timed_key(
                    chrome, tab, "e", "document.activeElement.className==='ed'"
                ),
            }
            out.append({"wall_ms": round(wall), **timing, "main_thread_ms": busy, "key_ms": keys})
            chrome.send("Target.closeTarget", targetId=target)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        work = Path(tmp)
        a, b, n_words = make_document(work, args.pages, args.lines, args.seed)
        html = work / "doc.diff.html"
        start = time.perf_counter()
        diff_files(a, b, html_path=html, images=work / "pages")
        write_s = time.perf_counter() - start
        html_mb = round(html.stat().st_size / 1e6, 2)
        runs = measure(html, args.rounds, work)
    loads = [r["load"] for r in runs]
    result = {
        "pages": args.pages,
        "lines": args.pages * args.lines,
        "words": n_words,
        "changed_rows": runs[0]["changes"],
        "html_mb": html_mb,
        "diff_write_s": round(write_s, 2),
        "load_ms_median": statistics.median(loads),
        "load_ms_max": max(loads),
        "runs": runs,
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
