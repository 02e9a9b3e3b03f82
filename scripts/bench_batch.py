"""Peak memory and speed of `ocr-pipeline run` on one long generated PDF; prints JSON.

Generates a PAGES-page A4 PDF with `ocr_pipeline.synth` (a few distinct pages of made-up
administrative text, repeated; `--documents N` splits them over N PDFs), runs
`ocr-pipeline run` on it with `--jobs` workers in a subprocess, and samples the whole
process tree (the command, its forkserver, document and page workers, tesseract) every
0.2 s from /proc. Reports the peak of the summed RSS (an
upper bound: shared library pages are counted once per process) and of the summed PSS
(shared pages split between processes: the memory really used), wall time and pages/min.

    .venv/bin/python scripts/bench_batch.py --pages 300 --jobs 2 --dpi 150 --no-restore \\
        --json build/bench_batch.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPH = (
    "Ủy ban nhân dân phường báo cáo kết quả thực hiện nhiệm vụ trong quý {n}: hoàn thành "
    "{k} chỉ tiêu về kinh tế, xã hội và quốc phòng; tiếp tục đẩy mạnh cải cách hành chính, "
    "chuyển đổi số và nâng cao chất lượng phục vụ người dân, doanh nghiệp."
)


def make_pdfs(folder: Path, pages: int, dpi: int, documents: int = 1) -> list[Path]:
    """`documents` PDFs in `folder` sharing `pages` pages (a few distinct pages, repeated)."""
    from ocr_pipeline.synth import render_pages, save_pdf

    distinct = []
    for n in range(1, 4):
        text = "\n".join(PARAGRAPH.format(n=n, k=10 + i) for i in range(6))
        distinct.append(render_pages(text, dpi=dpi)[0].image)
    sizes = [pages // documents + (i < pages % documents) for i in range(documents)]
    paths, first = [], 0
    for d, size in enumerate(sizes):
        path = folder / f"long-{d + 1:03d}.pdf"
        save_pdf([distinct[(first + i) % len(distinct)] for i in range(size)], path, dpi=dpi)
        paths.append(path)
        first += size
    return paths


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) if it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    values = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("Rss:", "Pss:"):
            values[parts[0]] = int(parts[1])
    return values.get("Rss:", 0), values.get("Pss:", 0)


def measure(cmd: list[str], env: dict[str, str]) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip
    peak_rss = peak_pss = peak_procs = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        mem = [_memory_kb(p) for p in pids]
        peak_rss = max(peak_rss, sum(m[0] for m in mem))
        peak_pss = max(peak_pss, sum(m[1] for m in mem))
        peak_procs = max(peak_procs, len(pids))
        time.sleep(0.2)
    stderr = proc.stderr.read() if proc.stderr else ""
    return {
        "exit_code": proc.returncode,
        "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mb": round(peak_rss / 1024, 1),
        "peak_pss_mb": round(peak_pss / 1024, 1),
        "peak_processes": peak_procs,
        "stderr_tail": stderr[-500:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dpi", type=int, default=150, help="render and OCR resolution")
    parser.add_argument("--no-restore", action="store_true")
    parser.add_argument(
        "--documents",
        type=int,
        default=1,
        help="split the pages over this many PDFs (1: --jobs go to pages; more: to documents)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_batch.") as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        t = time.perf_counter()
        make_pdfs(src, args.pages, args.dpi, args.documents)
        made = time.perf_counter() - t
        cmd = [sys.executable, "-m", "ocr_pipeline", "run", str(src), "-o", str(Path(tmp) / "out"),
               "--jobs", str(args.jobs), "--dpi", str(args.dpi), "--quiet"]  # fmt: skip
        if args.no_restore:
            cmd.append("--no-restore")
        result = measure(cmd, {**os.environ, "OMP_THREAD_LIMIT": "1"})
        pages_ok = 0
        for meta_path in (Path(tmp) / "out").glob("*.json"):
            meta = json.loads(meta_path.read_text("utf-8"))
            pages_ok += sum(p["status"] == "ok" for p in meta["pages"])
    report = {
        "pages": args.pages,
        "documents": args.documents,
        "pages_ok": pages_ok,
        "jobs": args.jobs,
        "dpi": args.dpi,
        "restore": not args.no_restore,
        "pdf_generation_seconds": round(made, 1),
        **result,
        "pages_per_minute": round(args.pages / result["seconds"] * 60, 1),
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
