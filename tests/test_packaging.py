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


def test_the_readme_tells_a_newcomer_what_help_and_outdir_show():
    """A new user found in --help or OUTDIR what the README did not say: learn's
    -i/--input-profile, `txt` as an --output-type, the .ocr-pipeline.lock file, and how
    `ocr-pipeline` gets on PATH after `make setup`."""
    import argparse
    import re

    from ocr_pipeline.batch import LOCK_NAME
    from ocr_pipeline.cli import build_parser
    from ocr_pipeline.export import OUTPUT_TYPES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (commands,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    missing = [
        f"{name} {option}"
        for name, parser in commands.choices.items()
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
        and not re.search(rf"{re.escape(option)}(?![\w-])", readme)
    ]  # fmt: skip
    assert not missing, missing
    synopsis = re.search(r"\[--output-type ([^\]]+)\]", readme)
    assert synopsis is not None
    assert set(OUTPUT_TYPES) <= set(re.split(r"[|,]", synopsis.group(1)))
    assert LOCK_NAME in readme
    assert "source .venv/bin/activate" in readme and ".venv/bin/ocr-pipeline" in readme


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
