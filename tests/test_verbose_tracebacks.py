"""An unexpected failure on a page is one line normally, and its traceback with -v (INFO)."""

from __future__ import annotations

import logging

import pytest
from PIL import Image

from ocr_pipeline import pipeline
from ocr_pipeline.pipeline import PipelineOptions, process_page


@pytest.mark.needs_tesseract
def test_page_traceback_is_logged_at_the_level_verbose_shows(tmp_path, monkeypatch, caplog):
    path = tmp_path / "blank.png"
    Image.new("L", (200, 100), 255).save(path, dpi=(100, 100))

    def broken(*args, **kwargs):
        raise ValueError("invented failure in a stage")

    monkeypatch.setattr(pipeline, "read_twice", broken)
    caplog.set_level(logging.INFO, logger="ocr_pipeline")  # what `-v` enables
    page = process_page(path, 1, PipelineOptions(jobs=1, restore=False, dpi=100))
    assert page.status == "error" and "unexpected ValueError" in page.error
    failed = [r for r in caplog.records if "page 1 of" in r.getMessage()]
    assert failed and failed[0].exc_info and failed[0].exc_info[0] is ValueError
    assert failed[0].levelno <= logging.INFO


def test_unexpected_error_in_a_command_is_one_line_exit_15_traceback_with_v(
    tmp_path, monkeypatch, capsys
):
    from ocr_pipeline import cli
    from ocr_pipeline.commands import status
    from ocr_pipeline.errors import ExitCode

    def broken(args):
        raise KeyError("invented\x1b[31m bug")

    monkeypatch.setattr(status, "status", broken)
    root = logging.getLogger()  # cli.main configures logging as in a fresh process
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    assert cli.main(["status", str(tmp_path)]) == ExitCode.other_error
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "\x1b" not in err
    assert err.startswith("ocr-pipeline: error: unexpected KeyError") and "-v" in err
    root.handlers.clear()  # a second process, with -v
    assert cli.main(["-v", "status", str(tmp_path)]) == ExitCode.other_error
    assert "Traceback" in capsys.readouterr().err  # the traceback, for a bug report
