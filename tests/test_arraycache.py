"""restore.arraycache: built once, memory-mapped after; never fails a run."""

from __future__ import annotations

import os

import numpy as np
import pytest

from ocr_pipeline.restore import arraycache, lm


@pytest.fixture
def cache(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv(arraycache.CACHE_ENV, str(root))
    return root


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"model v1")
    return path


class Builder:
    """Counts its calls; makes arrays of several dtypes, one empty."""

    def __init__(self, scale: float = 1.0):
        self.calls = 0
        self.scale = scale

    def __call__(self):
        self.calls += 1
        return {
            "keys": np.arange(1000, dtype=np.uint64) * 7,
            "logp": np.linspace(-5, 0, 1000, dtype=np.float32) * self.scale,
            "empty": np.zeros(0, np.float32),
        }


def assert_same(got, want):
    assert set(got) == set(want)
    for name in want:
        assert got[name].dtype == want[name].dtype
        np.testing.assert_array_equal(got[name], want[name])


def test_built_once_then_memory_mapped(cache, source):
    build = Builder()
    first = arraycache.cached_arrays(source, "test", build)
    second = arraycache.cached_arrays(source, "test", build)
    assert build.calls == 1
    assert_same(second, Builder()())
    assert all(isinstance(a, np.memmap) for a in second.values())
    assert not second["keys"].flags.writeable
    assert_same(first, second)
    entries = [p.name for p in cache.iterdir()]
    assert len(entries) == 1 and entries[0].startswith("test-model-")  # no temp folder left


def test_unwritable_cache_still_returns_the_arrays(tmp_path, monkeypatch, source):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(arraycache.CACHE_ENV, str(blocker / "sub"))
    build = Builder()
    assert_same(arraycache.cached_arrays(source, "test", build), Builder()())
    assert_same(arraycache.cached_arrays(source, "test", build), Builder()())
    assert build.calls == 2  # built in memory each time, nothing failed
    assert blocker.read_text() == "a file where the cache folder should be"


def test_damaged_entry_is_rebuilt_and_replaced(cache, source):
    build = Builder()
    arraycache.cached_arrays(source, "test", build)
    entry = arraycache.entry_dir(source, "test")
    data = (entry / "keys.npy").read_bytes()
    (entry / "keys.npy").write_bytes(data[: len(data) // 2])  # truncated
    assert_same(arraycache.cached_arrays(source, "test", build), Builder()())
    assert build.calls == 2
    again = arraycache.cached_arrays(source, "test", build)
    assert build.calls == 2 and isinstance(again["keys"], np.memmap)
    assert [p.name for p in cache.iterdir()] == [entry.name]


def test_changed_source_gets_a_new_entry_and_the_old_one_goes(cache, source):
    arraycache.cached_arrays(source, "test", Builder())
    old = arraycache.entry_dir(source, "test")
    source.write_bytes(b"model v2, longer")
    os.utime(source, ns=(1, 1))
    rebuilt = Builder(scale=2.0)
    got = arraycache.cached_arrays(source, "test", rebuilt)
    assert rebuilt.calls == 1
    np.testing.assert_array_equal(got["logp"], Builder(scale=2.0)()["logp"])
    assert arraycache.entry_dir(source, "test") != old
    assert [p.name for p in cache.iterdir()] == [arraycache.entry_dir(source, "test").name]


def test_same_file_name_elsewhere_keeps_its_own_entry(cache, tmp_path, source):
    other = tmp_path / "elsewhere" / source.name
    other.parent.mkdir()
    other.write_bytes(b"another model")
    arraycache.cached_arrays(source, "test", Builder())
    arraycache.cached_arrays(other, "test", Builder(scale=3.0))
    build = Builder()
    arraycache.cached_arrays(source, "test", build)
    assert build.calls == 0  # the other file's entry did not evict this one
    assert len(list(cache.iterdir())) == 2


def test_the_entry_of_a_copy_that_is_gone_goes(cache, tmp_path, source):
    """~/.cache/ocr_pipeline kept an 84 MB entry for every checkout that ever ran."""
    gone = tmp_path / "old_checkout" / source.name
    gone.parent.mkdir()
    gone.write_bytes(b"model v1")
    arraycache.cached_arrays(gone, "test", Builder())
    gone.unlink()
    arraycache.cached_arrays(source, "test", Builder())
    entries = list(cache.iterdir())
    assert len(entries) == 1 and arraycache._orphaned(entries[0]) is False


def test_cache_folder_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv(arraycache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert arraycache.cache_root() == tmp_path / "xdg" / "ocr_pipeline"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert arraycache.cache_root() == tmp_path / "home" / ".cache" / "ocr_pipeline"


def test_language_model_from_the_cache_scores_as_built(cache):
    built = lm.NgramLM(lm.DEFAULT_PATH)  # first load: expands and writes the entry
    mapped = lm.NgramLM(lm.DEFAULT_PATH)
    assert isinstance(mapped.keys[2].base, np.memmap)  # a plain view of the mapped file
    expanded = lm._expand_tables(lm.DEFAULT_PATH, built.order)
    for n in range(1, built.order + 1):
        np.testing.assert_array_equal(mapped.keys[n], expanded[f"keys{n}"])
        np.testing.assert_array_equal(mapped.logp[n], expanded[f"logp{n}"])
    text = "Báo cáo công tác thi đua khen thưởng năm 2025 của Ủy ban nhân dân xã."
    assert not isinstance(built.keys[2].base, np.memmap)
    assert mapped.score_text(text) == pytest.approx(built.score_text(text))


def test_garbage_of_the_right_size_is_rebuilt_not_used(cache, source, caplog):
    build = Builder()
    arraycache.cached_arrays(source, "test", build)
    entry = arraycache.entry_dir(source, "test")
    npy = entry / "logp.npy"
    data = npy.read_bytes()
    header = len(data) - 1000 * 4  # the .npy header stays valid: only the values change
    npy.write_bytes(data[:header] + bytes(reversed(data[header:])))
    with caplog.at_level("WARNING", logger=arraycache.__name__):
        got = arraycache.cached_arrays(source, "test", build)
    assert build.calls == 2
    assert_same(got, Builder()())
    assert [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    again = arraycache.cached_arrays(source, "test", build)  # the rebuilt entry is whole
    assert build.calls == 2 and isinstance(again["logp"], np.memmap)
    assert_same(again, Builder()())


def test_entry_of_an_earlier_format_is_rebuilt(cache, source):
    build = Builder()
    arraycache.cached_arrays(source, "test", build)
    manifest = arraycache.entry_dir(source, "test") / "manifest.json"
    manifest.write_text('{"keys": [[1000], "<u8"]}', "utf-8")  # format 1: no checksums
    assert_same(arraycache.cached_arrays(source, "test", build), Builder()())
    assert build.calls == 2
