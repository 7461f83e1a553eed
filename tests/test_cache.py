"""The build cache: content-keyed, shared, self-checking, and safe with two builds at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cnnguide import cache
from conftest import ENV, ROOT


@pytest.fixture
def store(tmp_path):
    cache.configure(tmp_path)
    yield tmp_path
    cache.configure(None)


def test_computes_once_then_reads(store):
    calls = []
    compute = lambda: calls.append(1) or {"params": 61706}  # noqa: E731
    assert cache.cached("view", ["lenet5"], ["lenet5"], compute) == {"params": 61706}
    assert cache.cached("view", ["lenet5"], ["lenet5"], compute) == {"params": 61706}
    assert len(calls) == 1


def test_reads_of_entries_another_process_computed_are_counted(store, monkeypatch):
    """What makes a build cold (cnnguide.docs.reproducible): it read no entry it did not compute."""
    for name in ("_computed_here", "_read_elsewhere", "_computed_by_helper"):
        monkeypatch.setattr(cache, name, set())
    cache.cached("view", ["alexnet"], ["alexnet"], lambda: 1)
    cache.cached("view", ["alexnet"], ["alexnet"], lambda: 1)
    assert (cache.computed_here(), cache.foreign_reads()) == (1, 0)
    cache._computed_here.clear()  # as if another process had computed it
    cache.cached("view", ["alexnet"], ["alexnet"], lambda: 1)
    assert cache.foreign_reads() == 1
    # ... unless that process was the build's own helper (cnnguide.docs.prefetch)
    cache.adopt([cache.key("view", ["alexnet"], ["alexnet"])])
    assert (cache.computed_here(), cache.foreign_reads()) == (1, 0)


def test_an_entry_another_process_is_computing_is_not_waited_for_when_asked(store):
    """The prefetch helper moves on to the next record instead of waiting for the build's
    (flock: a second open file of the lock conflicts even within one process)."""
    entry_key = cache.key("view", ["vgg16"], ["vgg16"])
    with cache._claim(cache.directory(), entry_key) as claimed:  # as the build would hold it
        assert claimed
        assert cache.cached("view", ["vgg16"], ["vgg16"], lambda: 7, wait=False) is cache.CLAIMED
        assert not cache.stored("view", ["vgg16"], ["vgg16"])
    assert cache.cached("view", ["vgg16"], ["vgg16"], lambda: 7, wait=False) == 7
    assert cache.stored("view", ["vgg16"], ["vgg16"])


def test_off_switch(store, monkeypatch):
    monkeypatch.setenv("CNNGUIDE_CACHE", "off")
    calls = []
    for _ in range(2):
        cache.cached("view", ["x"], [], lambda: calls.append(1) or 1)
    assert len(calls) == 2


@pytest.mark.parametrize("damage", ["truncate", "tamper", "garbage"])
def test_damaged_entries_are_recomputed_not_shown(store, damage):
    cache.cached("view", ["a"], [], lambda: {"value": 1})
    (entry,) = store.rglob("*.json")
    text = entry.read_text()
    if damage == "truncate":
        entry.write_text(text[: len(text) // 2])
    elif damage == "tamper":
        entry.write_text(text.replace('"value": 1', '"value": 2'))
    else:
        entry.write_bytes(b"\x00\xff")
    assert cache.cached("view", ["a"], [], lambda: {"value": 3}) == {"value": 3}
    assert cache.cached("view", ["a"], [], lambda: {"value": 4}) == {"value": 3}


@pytest.fixture
def unwritable(tmp_path, monkeypatch):
    """A cache directory this process may read but not write (as root, chmod alone does not
    stop writes: writing then fails as it would for anyone else)."""
    tmp_path.chmod(0o555)
    if os.access(tmp_path, os.W_OK):
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(tmp_path))
        monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
    cache.configure(tmp_path)
    yield tmp_path
    cache.configure(None)
    tmp_path.chmod(0o755)


def test_an_unwritable_cache_computes_and_warns_once(unwritable):
    with pytest.warns(cache.CacheWarning, match="cannot write the build cache") as warned:
        assert cache.cached("view", ["a"], [], lambda: {"value": 1}) == {"value": 1}
        assert cache.cached("view", ["b"], [], lambda: {"value": 2}) == {"value": 2}
    assert len(warned) == 1
    assert "CNNGUIDE_CACHE=off" in str(warned[0].message)


def test_a_file_where_the_cache_directory_should_be(tmp_path):
    blocker = tmp_path / "cnnguide"
    blocker.write_text("not a directory")
    cache.configure(blocker)
    try:
        with pytest.warns(cache.CacheWarning, match="is not a directory") as warned:
            assert cache.cached("view", ["a"], [], lambda: {"value": 1}) == {"value": 1}
        assert str(blocker) in str(warned[0].message) and "remove" in str(warned[0].message)
    finally:
        cache.configure(None)
    assert blocker.read_text() == "not a directory"


def test_key_follows_the_models_source(monkeypatch):
    before = cache.key("view", ["lenet5"], ["lenet5"])
    unrelated = cache.key("view", ["other"], [])
    real = cache._file_digest
    monkeypatch.setattr(cache, "_file_digest",
                        lambda p: "changed" if p.name == "lenet.py" else real(p))
    assert cache.key("view", ["lenet5"], ["lenet5"]) != before
    assert cache.key("view", ["other"], []) == unrelated


def test_key_follows_framework_versions(monkeypatch):
    from cnnguide import frameworks

    before = cache.key("view", ["lenet5"], ["lenet5"])
    monkeypatch.setattr(frameworks, "versions", lambda: {"tensorflow": "0.0"})
    cache._versions.cache_clear()
    try:
        assert cache.key("view", ["lenet5"], ["lenet5"]) != before
    finally:
        cache._versions.cache_clear()


WRITER = """
import sys
from cnnguide import cache
cache.configure(sys.argv[1])
for i in range(150):
    cache._write(cache.Path(sys.argv[1]) / "k.json", "k", {"blob": "x" * 200_000, "i": i % 2})
"""


def test_two_writers_never_expose_a_partial_entry(tmp_path):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=ROOT, env=ENV)
               for _ in range(2)]
    seen = 0
    while any(w.poll() is None for w in writers):
        path = tmp_path / "k.json"
        if path.exists():
            json.loads(path.read_text())  # a partial file would not parse
            seen += 1
    assert all(w.returncode == 0 for w in writers)
    assert seen > 0
    assert list(tmp_path.glob("*.tmp")) == []


@pytest.mark.slow
def test_a_warm_build_imports_no_framework(built_site, tmp_path):
    """After one build, a second one builds no model: it never even imports a framework."""
    code = (
        "import sys\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        f"build(load_config({str(ROOT / 'mkdocs.yml')!r}, site_dir={str(tmp_path)!r}, strict=True))\n"
        "print(sorted(m for m in ('tensorflow', 'torch', 'keras') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_code_edited_after_import_is_not_cached_under_the_new_key(tmp_path, monkeypatch):
    """A serve session imports a model, the author edits its file: the value the old code
    computes must not be stored under the edited file's key (a later clean build would publish
    it). It is shown with a warning to restart, and the cache holds only what the code on disk
    computes."""
    from cnnguide.docs import records

    cache.configure(tmp_path)
    try:
        records._record.cache_clear()
        records.record("lenet5")
        stored = sorted(tmp_path.rglob("*.json"))
        assert stored  # computed by the code on disk: kept
        real = cache._file_digest
        monkeypatch.setattr(cache, "_file_digest", lambda p: "edited" if p.name == "lenet.py" else real(p))
        records._record.cache_clear()
        with pytest.warns(cache.CacheWarning, match="Restart"):
            records.record("lenet5")
        assert sorted(tmp_path.rglob("*.json")) == stored
    finally:
        records._record.cache_clear()
        cache.configure(None)


def test_a_second_caller_waits_for_the_first_and_reads_its_entry(store):
    """Two callers of one entry (two builds sharing the cache, as `pytest -n 2` runs them): the
    first claims and computes it, the second waits for the claim and reads the stored value."""
    import threading
    import time

    calls, claimed = [], threading.Event()

    def slow():
        calls.append("first")
        claimed.set()
        time.sleep(0.5)
        return {"params": 1}

    first = threading.Thread(target=lambda: cache.cached("view", ["x"], [], slow))
    first.start()
    claimed.wait()
    assert cache.cached("view", ["x"], [], lambda: calls.append("second") or {"params": 2}) == {"params": 1}
    first.join()
    assert calls == ["first"]


def test_a_claim_ends_with_its_process(store):
    """A build killed while it computes never blocks the next one: the system drops its lock."""
    code = ("import sys, time; from cnnguide import cache; cache.configure(sys.argv[1]); "
            "cache.cached('view', ['x'], [], lambda: (print('claimed', flush=True), time.sleep(60)))")
    worker = subprocess.Popen([sys.executable, "-c", code, str(store)], cwd=ROOT, env=ENV,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "claimed"
    finally:
        worker.kill()
        worker.wait()
    assert cache.cached("view", ["x"], [], lambda: {"params": 3}) == {"params": 3}


def test_files_are_kept_by_content_and_refused_when_damaged(store, monkeypatch):
    """Blobs (an ONNX file a page offers): read back as written, under a name that is their
    digest, and never returned once their bytes no longer match it."""
    name = cache.store_blob(b"onnx bytes", ".onnx")
    assert name.endswith(".onnx") and cache.blob(name) == b"onnx bytes"
    assert cache.store_blob(b"onnx bytes", ".onnx") == name  # the same content, the same name
    (cache.directory() / "blobs" / name).write_bytes(b"damaged")
    with pytest.raises(KeyError):
        cache.blob(name)
    monkeypatch.setenv("CNNGUIDE_CACHE", "off")  # no cache: kept by the process
    other = cache.store_blob(b"kept in memory", ".onnx")
    assert cache.blob(other) == b"kept in memory"
