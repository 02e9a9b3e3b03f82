"""NAME.json's tool versions: the packages' versions are what importlib.metadata says,
found without loading it (a run's start-up, issue 15)."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from ocr_pipeline import versions


def test_every_installed_distribution_has_importlibs_version() -> None:
    names = sorted({d.metadata["Name"] for d in importlib.metadata.distributions()})
    assert {"pillow", "pytesseract", "opencv-python-headless"} <= {n.lower() for n in names}
    for name in [*names, "PILLOW", "opencv_python.headless"]:  # spelt any way pip accepts
        assert versions.dist_version(name) == importlib.metadata.version(name), name
    assert versions.dist_version("no-such-distribution-here") is None


def test_the_first_on_the_path_wins_and_odd_metadata_is_asked_of_importlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, odd = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder, version in ((first, "2.0"), (second, "1.0")):
        info = folder / f"invented_pkg-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: invented-pkg\n"
                                       f"Version: {version}\n\nVersion: 9\n")  # fmt: skip
    (odd / "other_pkg-3.0.dist-info").mkdir(parents=True)  # no METADATA
    monkeypatch.setattr(sys, "path", [str(first), str(second), str(odd)])
    assert versions.dist_version("Invented.Pkg") == "2.0"
    monkeypatch.setattr(versions, "_by_importlib", lambda name: f"importlib's {name}")
    assert versions.dist_version("other-pkg") == "importlib's other-pkg"
    assert versions.dist_version("not-here") == "importlib's not-here"


def test_the_run_parent_does_not_load_importlib_metadata() -> None:
    probe = ("import sys; from ocr_pipeline.versions import tool_versions; v = tool_versions(); "
             "print(v['pillow'] is not None, 'importlib.metadata' in sys.modules)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert done.stdout.split() == ["True", "False"]
