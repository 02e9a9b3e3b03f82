"""`ocr-pipeline run --scheduler tcp://...` on a real Dask LocalCluster: same outputs as local."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_pipeline.manifest import MANIFEST_NAME
from ocr_pipeline.synth import render_pages

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.needs_tesseract
MAIN = "import sys; from ocr_pipeline import cli; sys.exit(cli.main())"
FAST = ("--no-restore", "--dpi", "100", "--jobs", "2")


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", MAIN, *map(str, args)], capture_output=True,
                          text=True, env=dict(os.environ), timeout=120, check=False)  # fmt: skip


def comparable(path: Path) -> object:
    """File content, with the run-dependent timings left out of NAME.json."""
    text = path.read_text("utf-8")
    if path.suffix != ".json":
        return text
    meta = json.loads(text)
    meta.pop("timings")
    for page in meta["pages"]:
        page.pop("seconds")
    return meta


def test_dask_cluster_outputs_equal_local_outputs(tmp_path):
    src = tmp_path / "in"
    for rel, text in {"a/báo cáo 1.png": "Báo cáo số 1.", "b.png": "Kế hoạch năm 2026.",
                      "a/c.png": "Nơi nhận: như trên."}.items():  # fmt: skip
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        page = render_pages(text, dpi=100, page_size_mm=(90, 20), margins_mm=(4, 4, 4, 4),
                            font_size_pt=12)[0].image  # fmt: skip
        page.save(src / rel, dpi=(100, 100))
    local, remote = tmp_path / "local", tmp_path / "dask"
    proc = run_cli("run", src, "-o", local, *FAST)
    assert proc.returncode == 0, proc.stderr

    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=1,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=":0") as cluster:  # fmt: skip
        assert cluster.scheduler_address.startswith("tcp://")
        proc = run_cli("run", src, "-o", remote, *FAST, "--scheduler", cluster.scheduler_address)
        assert proc.returncode == 0, proc.stderr
        # the three documents really ran as tasks on the cluster's worker
        assert "ocr-pipeline" in cluster.scheduler.task_prefixes
        assert sum(w.state.executed_count for w in cluster.workers.values()) == 3

    def files(root: Path) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                      if p.is_file() and not p.name.startswith(".ocr-pipeline"))  # fmt: skip

    assert files(remote) == files(local) and len(files(local)) == 9
    for rel in files(local):
        assert comparable(remote / rel) == comparable(local / rel), rel
    assert (remote / MANIFEST_NAME).exists()
    status = run_cli("status", remote)
    assert "3 done, 0 failed" in status.stdout


def test_bad_scheduler_address_is_bad_arguments(tmp_path):
    png = tmp_path / "a.png"
    render_pages("Số 1.", dpi=100, page_size_mm=(40, 15), margins_mm=(2, 2, 2, 2),
                 font_size_pt=12)[0].image.save(png)  # fmt: skip
    proc = run_cli("run", png, "-o", tmp_path / "out", *FAST, "--scheduler", "http://x:1")
    assert proc.returncode == 1 and "tcp://HOST:PORT" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr


def test_a_scheduler_address_nothing_listens_on_fails_at_once(tmp_path):
    """`--scheduler tcp://127.0.0.1:1` waited out Client's 30 s, then said "Timed out"."""
    import socket

    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    png = tmp_path / "a.png"
    render_pages("Số 1.", dpi=100, page_size_mm=(40, 15), margins_mm=(2, 2, 2, 2),
                 font_size_pt=12)[0].image.save(png)  # fmt: skip
    proc = run_cli("run", png, "-o", tmp_path / "out", *FAST, "--scheduler",
                   f"tcp://127.0.0.1:{port}")  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert "connection refused" in line and "start it (dask scheduler)" in line
