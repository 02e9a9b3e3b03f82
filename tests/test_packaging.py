"""The wheel carries what the library reads at run time (models, schema, dictionaries)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ocr_pipeline.restore.dictionary import DEFAULT_DIR

ROOT = Path(__file__).resolve().parents[1]


def test_package_data_covers_runtime_files():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["ocr_pipeline"]
    package = ROOT / "ocr_pipeline"
    for folder in ("data", "schemas", "dictionaries"):
        files = [p for p in (package / folder).iterdir() if p.is_file()]
        assert files, folder
        for path in files:
            rel = path.relative_to(package)
            assert any(rel.match(g) for g in globs), f"{rel} would be left out of the wheel"


def test_dictionaries_are_found_inside_the_package():
    assert DEFAULT_DIR == ROOT / "ocr_pipeline" / "dictionaries"
    for name in ("abbreviations.tsv", "terms.tsv", "places.tsv", "syllables.tsv"):
        assert (DEFAULT_DIR / name).is_file(), name


def test_licences_and_typing_marker_ship():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = config["project"]
    # the code is MIT, the shipped model and word lists derive from CC BY-SA text
    assert project["license"] == "MIT AND CC-BY-SA-4.0"
    found = [p for g in project["license-files"] for p in ROOT.glob(g)]
    names = {p.name for p in found}
    assert {"LICENSE", "CC-BY-SA-4.0.txt", "NOTICE"} <= names
    assert "Attribution-ShareAlike 4.0 International" in (
        ROOT / "LICENSES" / "CC-BY-SA-4.0.txt"
    ).read_text(encoding="utf-8")
    globs = config["tool"]["setuptools"]["package-data"]["ocr_pipeline"]
    assert "py.typed" in globs and (ROOT / "ocr_pipeline" / "py.typed").is_file()


def test_every_compiled_module_is_built_and_typed():
    # `pip install -e .` and the wheel build each C source named in ext-modules; its
    # stub (.pyi) ships for the typing marker
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    modules = config["tool"]["setuptools"]["ext-modules"]
    built = {src for m in modules for src in m["sources"]}
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "ocr_pipeline").rglob("*.c")}
    assert sources and sources == built
    globs = config["tool"]["setuptools"]["package-data"]["ocr_pipeline"]
    for m in modules:
        stub = Path(*m["name"].split(".")).with_suffix(".pyi")
        assert (ROOT / stub).is_file(), stub
        assert any(stub.relative_to("ocr_pipeline").match(g) for g in globs), stub
        __import__(m["name"])  # built for this interpreter
