"""The command line's start-up: a subcommand named on the command line imports only its
own module's dependencies (not the OCR, batch and review-page modules of the others)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ocr_pipeline import cli

PROBE = """
import sys
from ocr_pipeline.cli import main
code = main(sys.argv[1:])
heavy = [m for m in ("ocr_pipeline.batch", "ocr_pipeline.diff", "ocr_pipeline.raster")
         if m in sys.modules]
print(code, ",".join(heavy) or "-")
"""


def run_probe(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip().splitlines()[-1]


def test_restore_imports_none_of_the_other_commands_modules(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("cong viec\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    assert run_probe("restore", str(src), "-o", str(out)) == "0 -"
    assert out.read_text(encoding="utf-8").strip()
    assert run_probe("-v", "restore", str(src), "-o", str(out)) == "0 -"  # -v before it too


def test_only_a_named_command_is_parsed_alone() -> None:
    assert cli._named_command(["restore", "x.txt"]) == "restore"
    assert cli._named_command(["-v", "--verbose", "diff", "a", "b"]) == "diff"
    # --help, --version and unknown commands need every subcommand, to list them
    assert cli._named_command(["--help", "restore"]) is None
    assert cli._named_command(["--version"]) is None
    assert cli._named_command(["restor", "x.txt"]) is None
    assert cli._named_command([]) is None


def test_the_full_parser_still_lists_every_command() -> None:
    import argparse

    (sub,) = [a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub.choices) == set(cli.COMMAND_MODULES)
    (one,) = [
        a for a in cli.build_parser("restore")._actions if isinstance(a, argparse._SubParsersAction)
    ]
    assert set(one.choices) == {"restore"}
