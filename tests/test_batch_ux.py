"""A new user's batch: an interrupt at any instant is one line and exit 130."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest


def assert_one_line_each(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    for line in stderr.splitlines():
        assert line.startswith("ocr-pipeline: "), line


# ------------------------------------------------------------ interrupts


def _entry_point_with(hook: str, after: str = "") -> subprocess.CompletedProcess:
    """Run the installed `ocr-pipeline` entry point on `status` in a child whose `hook`
    (Python run when the command's modules start importing) can signal it."""
    code = textwrap.dedent(f"""
        import importlib.abc, importlib.metadata, os, signal, sys, time

        class Hook(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "ocr_pipeline.commands.status":
                    {hook}
                return None

        sys.meta_path.insert(0, Hook())
        (ep,) = importlib.metadata.entry_points(group="console_scripts", name="ocr-pipeline")
        code = ep.load()(["status", "no-such-folder"])
        {after}
        sys.exit(code)
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_an_interrupt_while_the_command_starts_is_one_line(sig):
    proc = _entry_point_with(f"os.kill(os.getpid(), signal.{sig}); time.sleep(5)")
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "ocr-pipeline: interrupted\n"


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_an_interrupt_after_the_command_finished_is_one_line(sig):
    proc = _entry_point_with("pass", f"os.kill(os.getpid(), signal.{sig}); time.sleep(5)")
    assert proc.returncode == 130, proc.stderr
    assert_one_line_each(proc.stderr)
    assert proc.stderr.splitlines()[-1] == "ocr-pipeline: interrupted"


def test_the_forkserver_ignores_ctrl_c_while_it_imports(tmp_path):
    """A Ctrl-C (sent to the whole process group) while the forkserver imported its
    preload printed a KeyboardInterrupt traceback of its own."""
    (tmp_path / "slow_preload.py").write_text("import time\ntime.sleep(5)\n", encoding="utf-8")
    code = textwrap.dedent("""
        import multiprocessing.forkserver, re, signal, time
        from ocr_pipeline import processes

        processes.PRELOAD = "slow_preload"
        processes.mp_context()
        pid = multiprocessing.forkserver._forkserver._forkserver_pid
        time.sleep(0.5)  # the forkserver is still importing slow_preload
        status = open(f"/proc/{pid}/status").read()
        ignored = int(re.search(r"SigIgn:\\s*([0-9a-f]+)", status).group(1), 16)
        print(bool(ignored >> (signal.SIGINT - 1) & 1),
              signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    """)
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]  # and the parent's Ctrl-C is its own again
