"""A content-addressed cache for work that builds models: views, summaries, parity checks.

Why here and not around markdown-exec's blocks: a block's output depends on the page's language,
but the expensive part (building models in two frameworks) does not. Caching the neutral
results lets both language builds share one entry, and a warm build imports no framework.

An entry's key is the hash of: what was computed (a kind and its arguments), the source of the
model-building core of cnnguide, the source files of the models it depends on, and the
installed framework versions. Change one model's file and only entries that depend on that
model are recomputed.

Entries are JSON files written atomically (a temporary file renamed into place), so two builds
at once never see a partial entry; each entry carries a checksum of its value and is recomputed,
never returned, when it does not verify. A cache that cannot be written (read-only, or a file
where its directory should be) is warned about once and skipped: the build goes on. Clear the
cache with ``make clean-cache`` (it deletes ``.cache/``); set ``CNNGUIDE_CACHE=off`` to bypass it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

PACKAGE = Path(__file__).resolve().parent
# The code every model computation runs through; a change here invalidates every entry.
CORE = ("builder.py", "catalog/*.py", "errors.py", "frameworks.py", "parity.py", "shapes.py",
        "oracles.py", "experiments/probes.py", "docs/*.py", "render/*.py",
        "inspect/*.py", "models/*.py", "models/keras/__init__.py", "models/torch/__init__.py",
        "models/keras/blocks.py", "models/torch/blocks.py")

_directory: Path | None = None


def configure(directory: str | os.PathLike | None) -> None:
    """Store entries under ``directory`` (None: keep nothing on disk)."""
    global _directory
    _directory = Path(directory) if directory is not None else None


def directory() -> Path | None:
    if os.environ.get("CNNGUIDE_CACHE", "").lower() in ("off", "0", "false", "no"):
        return None
    return _directory


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str:
    return _digest(path.read_bytes())


def _core_digest_now() -> str:
    files = sorted({p for pattern in CORE for p in PACKAGE.glob(pattern)})
    return _digest("".join(f"{p.relative_to(PACKAGE)}:{_file_digest(p)}\n" for p in files).encode())


@lru_cache(maxsize=None)
def core_digest() -> str:
    """The digest of the core as this process first read it (the code it runs)."""
    return _core_digest_now()


# Model files as this process imported them (cnnguide.builder records each on import).
_imported: dict[Path, str] = {}


def imported(path: Path) -> None:
    """Note the digest of a model file as it is imported: the code this process will run."""
    _imported.setdefault(Path(path).resolve(), _file_digest(Path(path)))


def _stale(models: Iterable[str]) -> list[str]:
    """Files whose code on disk is not the code this process runs (edited after import, as
    in a long `mkdocs serve`): a value computed here must not be stored under the disk's key."""
    changed = [str(p.relative_to(PACKAGE)) for name in sorted(set(models)) for p in model_files(name)
               if p.resolve() in _imported and _imported[p.resolve()] != _file_digest(p)]
    if _core_digest_now() != core_digest():
        changed.append("cnnguide core")
    return changed


def model_files(name: str) -> list[Path]:
    """The source files that define model ``name`` in both frameworks."""
    from .catalog import model

    module = model(name).module
    return [PACKAGE / "models" / fw / f"{module}.py" for fw in ("keras", "torch")]


@lru_cache(maxsize=None)
def _versions() -> tuple:
    from .frameworks import versions

    return tuple(sorted(versions().items()))


def key(kind: str, arguments: Any, models: Iterable[str]) -> str:
    parts = {
        "kind": kind,
        "arguments": arguments,
        "core": core_digest(),
        "models": {str(p.relative_to(PACKAGE)): _file_digest(p)
                   for name in sorted(set(models)) for p in model_files(name)},
        "versions": _versions(),
    }
    return _digest(json.dumps(parts, sort_keys=True, default=str).encode())


def _read(path: Path, expected_key: str) -> tuple[bool, Any]:
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        value = entry["value"]
        ok = (entry["key"] == expected_key
              and entry["check"] == _digest(json.dumps(value, sort_keys=True).encode()))
        return ok, value
    except (OSError, ValueError, KeyError, TypeError):
        return False, None  # missing, partial or corrupt: recompute


def _write(path: Path, entry_key: str, value: Any, arguments: Any = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"key": entry_key, "check": _digest(json.dumps(value, sort_keys=True).encode()),
               "arguments": arguments, "value": value}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, sort_keys=True)
        os.replace(tmp, path)  # atomic: a reader sees the old entry or the whole new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def entries(kind: str) -> list[dict]:
    """The stored entries of one kind (their arguments and values), for tools and benchmarks."""
    root = directory()
    found = []
    for path in sorted(root.glob(f"{kind}/*.json")) if root else ():
        ok, _ = _read(path, path.stem)
        if ok:
            found.append(json.loads(path.read_text(encoding="utf-8")))
    return found


# Entries this process computed, those it read that it did not, and those its own helper
# process computed for it (cnnguide.docs.prefetch): a build that read nothing but its own and
# its helper's computed everything it shows (cnnguide.docs.reproducible).
_computed_here: set[str] = set()
_read_elsewhere: set[str] = set()
_computed_by_helper: set[str] = set()


def computed_here() -> int:
    """How many cache entries this process (with its helper) has computed (stored or not)."""
    return len(_computed_here | _computed_by_helper)


def foreign_reads() -> int:
    """How many cache entries this process has read that neither it nor its helper computed."""
    return len(_read_elsewhere - _computed_by_helper)


def adopt(keys: Iterable[str]) -> None:
    """Count entries as this build's own: its helper process computed them for it."""
    _computed_by_helper.update(keys)


CLAIMED = object()
"""What :func:`cached` returns with ``wait=False`` when another process is computing the entry."""


def cached(kind: str, arguments: Any, models: Iterable[str], compute: Callable[[], Any], *,
           wait: bool = True) -> Any:
    """``compute()``'s JSON-able value, from the cache when an entry for the same content exists.

    An entry another process is computing is waited for and read; with ``wait=False`` the call
    returns ``CLAIMED`` at once instead (a helper that has other work to do meanwhile).
    """
    root = directory()
    if root is None:
        return compute()
    entry_key = key(kind, arguments, models)
    path = root / kind / f"{entry_key}.json"
    ok, value = _read(path, entry_key)
    if not ok:
        with _claim(root, entry_key, wait) as claimed:
            if not claimed:
                return CLAIMED
            # Another process sharing the cache (a second build, a parallel test) may have
            # computed it while this one waited for the claim.
            ok, value = _read(path, entry_key)
            if not ok:
                value = compute()
                _computed_here.add(entry_key)
                _store(root, path, entry_key, value, arguments, models)
                return value
    if entry_key not in _computed_here:
        _read_elsewhere.add(entry_key)
    return value


def stored(kind: str, arguments: Any, models: Iterable[str]) -> bool:
    """Whether a valid entry for this content is in the cache."""
    root = directory()
    if root is None:
        return False
    entry_key = key(kind, arguments, models)
    return _read(root / kind / f"{entry_key}.json", entry_key)[0]


@contextmanager
def _claim(root: Path, entry_key: str, wait: bool = True):
    """Hold the entry's lock while it is computed, so two processes sharing a cache compute it
    once: the second waits, then reads it (or, with ``wait=False``, yields False at once). An
    advisory lock (flock): the system releases it when its process ends, however it ends, so a
    killed build never blocks the next."""
    try:
        (root / "locks").mkdir(parents=True, exist_ok=True)
        handle = open(root / "locks" / entry_key, "a")  # noqa: SIM115 - closed below
    except OSError:
        yield True  # an unwritable cache: _store says so once
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def _store(root: Path, path: Path, entry_key: str, value: Any, arguments: Any, models: Iterable[str]) -> None:
    stale = _stale(models)
    if stale:
        # The rule: a value is stored only under the key of the code that computed it.
        warnings.warn(f"cnnguide: {', '.join(stale)} changed on disk after this process loaded it; "
                      "its results are shown from the old code and not cached. Restart `mkdocs serve` "
                      "(or the build) to see the change.", CacheWarning, stacklevel=4)
        return
    try:
        _write(path, entry_key, value, arguments)
    except OSError as exc:
        _cannot_write(root, exc)


# Files a build publishes as they are (an ONNX model for download), by content: a record keeps
# the digest, the bytes live beside the entries (or, with no cache, in this process).
_blobs: dict[str, bytes] = {}


def store_blob(data: bytes, suffix: str) -> str:
    """Keep ``data`` under its own digest; returns the name it is kept under (digest + suffix)."""
    name = _digest(data) + suffix
    root = directory()
    target = root / "blobs" / name if root else None
    if target is None or not target.exists():
        try:
            if target is None:
                raise OSError("no cache")
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=name, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError:
            _blobs[name] = data
    return name


def blob(name: str) -> bytes:
    """The bytes :func:`store_blob` kept under ``name``; KeyError if it has none that verify."""
    if name in _blobs:
        return _blobs[name]
    root = directory()
    try:
        data = (root / "blobs" / name).read_bytes() if root else None
    except OSError:
        data = None
    if data is None or not name.startswith(_digest(data)):
        raise KeyError(name)
    return data


class CacheWarning(UserWarning):
    """The build cache cannot be written: results are computed and used, not kept."""


_warned: set[Path] = set()


def _cannot_write(root: Path, exc: OSError) -> None:
    # A cache is an optimisation: a read-only checkout, a full disk or a stray file must not
    # fail a build whose results were computed anyway. Say it once per directory, with what to
    # do, and go on (a Python warning, not a log warning: `mkdocs build --strict` must pass).
    if root in _warned:
        return
    _warned.add(root)
    blocker = next((p for p in (root, *root.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        reason = f"{blocker} is not a directory: remove or rename that file"
    else:
        reason = f"{exc.strerror or exc}: make it writable"
    warnings.warn(f"cnnguide: cannot write the build cache at {root}: {reason}, or set "
                  "CNNGUIDE_CACHE=off. Results are computed and used, not kept.",
                  CacheWarning, stacklevel=4)

