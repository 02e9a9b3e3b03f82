"""fileio: atomic writes leave a file with the usual mode and no temp file behind; an
output that is a device, a pipe or a link is written through, never replaced."""

from __future__ import annotations

import contextlib
import os
import stat

import pytest
from hangs import fails_if_hangs

from ocr_pipeline.errors import OutputError
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


def test_a_fifo_output_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # someone reads: the write may go
    try:
        write_atomic(fifo, ["văn ", "bản"])
        assert os.read(reader, 100) == "văn bản".encode()
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_fifo_nobody_reads_is_one_error_not_a_wait(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with fails_if_hangs(), pytest.raises(OutputError, match="nothing reads from it"):
        write_atomic(fifo, "văn bản")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_link_to_a_pipe_writes_into_the_pipe_and_the_link_stays(tmp_path):
    """-o /dev/stdout with stdout a pipe: /dev/stdout is a link to /proc/self/fd/1."""
    read_end, write_end = os.pipe()
    link = tmp_path / "stdout"
    link.symlink_to(f"/proc/self/fd/{write_end}")
    try:
        write_atomic(link, "văn bản")
        os.close(write_end)
        assert os.read(read_end, 100) == "văn bản".encode()
    finally:
        os.close(read_end)
        with contextlib.suppress(OSError):
            os.close(write_end)
    assert link.is_symlink()


def test_a_link_to_an_open_descriptor_writes_there_keeping_append_mode(tmp_path):
    """`-o /dev/stdout >> log`: the output lands after what the log held."""
    log = tmp_path / "log.txt"
    log.write_text("dòng cũ\n", "utf-8")
    with open(log, "ab") as fh:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{fh.fileno()}")
        write_atomic(link, "văn bản\n")
    assert log.read_text("utf-8") == "dòng cũ\nvăn bản\n"
    assert link.is_symlink()


def test_a_link_to_a_plain_file_is_replaced_not_followed(tmp_path):
    """A link planted in OUTDIR after the batch checked it must not send an output
    elsewhere: the link itself is replaced, its target stays as it was."""
    target = tmp_path / "elsewhere.txt"
    target.write_text("giữ nguyên", "utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(target)
    write_atomic(link, "mới")
    assert not link.is_symlink() and link.read_text("utf-8") == "mới"
    assert target.read_text("utf-8") == "giữ nguyên"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_output_stays_a_device(tmp_path):
    """`-o /dev/null` as root renamed a regular file over /dev/null; made here on copies."""
    null, full = tmp_path / "null", tmp_path / "full"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as err:  # e.g. a container without CAP_MKNOD
        pytest.skip(f"cannot make device nodes here: {err}")
    write_atomic(null, "văn bản")
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(full, "văn bản")
    assert stat.S_ISCHR(null.lstat().st_mode) and stat.S_ISCHR(full.lstat().st_mode)


def test_a_link_to_a_pipe_nobody_reads_any_more_is_a_broken_pipe_and_the_link_stays(tmp_path):
    """`restore -o /dev/stdout | head`: the reader that went away is the quiet exit 5 of
    `-o -` (BrokenPipeError, which the command line turns into it), not an error line,
    and never a file renamed over the link."""
    read_end, write_end = os.pipe()
    link = tmp_path / "stdout"
    link.symlink_to(f"/proc/self/fd/{write_end}")
    os.close(read_end)
    try:
        with pytest.raises(BrokenPipeError):
            write_atomic(link, "văn bản\n" * 50000)
    finally:
        os.close(write_end)
    assert link.is_symlink()


def test_stdout_cut_short_after_a_partial_write_is_a_broken_pipe():
    """One large write to a pipe whose reader left after taking a little returned
    without error and dropped the rest (`restore -o - | head -c 10` exited 0)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from ocr_pipeline.fileio import GuardedStdout\n"
        "out = GuardedStdout(sys.stdout)\n"
        "try:\n"
        "    out.write('văn bản dài\\n' * 200000)\n"
        "    out.flush()\n"
        "except BrokenPipeError:\n"
        "    sys.stderr.write('cut short')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10)
    proc.stdout.close()
    assert proc.stderr.read().decode().endswith("cut short")
    proc.wait(timeout=60)
