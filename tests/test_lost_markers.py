"""The lost-marker search on model.Page: a layout repair that sets Word.marker.

The structure stage says what to look for (`MarkerSearch`); these tests give it directly.
"""

from __future__ import annotations

import copy

from marker_pages import BODY, page_of

from ocr_pipeline.lost_markers import MarkerSearch, place_lost_markers
from ocr_pipeline.model import Page


def _page(wide: str) -> Page:
    """The body lines (40 px) and one footnote body (30 px); `wide`'s box spans 20 px
    more than its text needs, as when Tesseract swallowed a raised digit."""
    rows = [(t, 40) for t in BODY] + [("1 Theo kế hoạch số 12.", 30)]
    return page_of(rows, {wide: (20, 95.0)})


def _search(labels: dict | None = None) -> MarkerSearch:
    body_box = [300, 300, 2400, 300 + 6 * 60]
    return MarkerSearch(frozenset({1}), {1: (1, float("-inf"), 660.0, [body_box])},
                        labels or {})  # fmt: skip


def test_a_swallowed_marker_is_set_on_its_word_and_the_input_is_kept():
    page = _page("định.")
    before = copy.deepcopy(page)
    (out,), placed = place_lost_markers([page], _search())
    assert placed == 1 and page == before
    host = [w for w in out.words if w.marker is not None]
    assert [(w.text, w.marker, w.marked_text) for w in host] == [("định.", 1, "định¹.")]


def test_a_lookalike_the_marker_was_read_as_leaves_the_word():
    page = _page("mình.")
    page.lines[3].words[-1].text = "mình”."  # ¹ read as a closing quote never opened
    (out,), placed = place_lost_markers([page], _search())
    assert placed == 1
    assert [(w.text, w.marker) for w in out.words if w.marker] == [("mình.", 1)]


def test_a_heading_label_word_hosts_no_marker():
    page = _page("định.")
    (out,), _ = place_lost_markers([page], _search({(1, 2): 3}))  # "đúng quy định." a label
    assert all(w.marker is None for w in out.lines[2].words)
