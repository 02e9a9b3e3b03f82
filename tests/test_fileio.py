"""fileio: atomic writes leave a file with the usual mode and no temp file behind."""

from __future__ import annotations

import os
import stat

from ocr_pipeline.fileio import publish, write_atomic


def test_written_files_get_the_usual_mode_not_the_temp_files_0600(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "out.txt", "văn bản")
        tmp = tmp_path / ".part"
        tmp.write_bytes(b"%PDF")
        tmp.chmod(0o600)
        publish(tmp, tmp_path / "out.pdf")
    finally:
        os.umask(old)
    for name in ("out.txt", "out.pdf"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640
    assert (tmp_path / "out.txt").read_text("utf-8") == "văn bản"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf", "out.txt"]
