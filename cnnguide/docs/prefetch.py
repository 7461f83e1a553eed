"""A helper process that computes model records while the build renders pages.

A cold build is mostly model records (:mod:`.records`): each builds a configuration in both
frameworks and runs it, almost all of it in one thread of Python. The machine has more than one
core, and MkDocs renders pages one after another, so the build starts one helper process (when
records are missing) that computes the records the site is known to show, newest network first,
while the build itself renders its pages in their order and computes what it needs as it goes.
The two share the cache and its per-entry locks (:func:`cnnguide.cache.cached`): a record is
computed once, by whichever process claims it first; the build waits for a record the helper is
computing, the helper skips one the build is computing.

Nothing a page shows depends on which process computed a record: each is a pure function of its
key, seeded from it (the property tests/test_determinism.py checks, cold against warm). The
helper tells the build which entries it computed, so a cold build with a helper still counts as
cold (:func:`cnnguide.cache.adopt`).

Known records: every network of the comparison page with default options and every library
oracle's configuration in the catalog. Pages ask for more (a model at another input size, say);
the build computes those itself.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
from pathlib import Path

from .. import cache, catalog

_helper: subprocess.Popen | None = None
_keys_file: Path | None = None


def configurations() -> list[tuple[str, dict]]:
    """The configurations the site is known to show, in the order the build first needs them
    (the comparison page's networks by year, then the library oracles' configurations)."""
    from .comparison import models

    found = [(name, {}) for name in models()]
    found += [(entry.name, dict(oracle.options)) for entry in catalog.MODELS.values() for oracle in entry.oracles]
    unique = []
    for name, options in found:
        if (name, options) not in unique:
            unique.append((name, options))
    return unique


def _missing() -> list[tuple[str, dict]]:
    from .records import record_entry

    return [(name, options) for name, options in configurations() if not cache.stored(*record_entry(name, options))]


def start() -> None:
    """Start the helper if the cache is on and lacks a known record (a cold or touched build)."""
    global _helper, _keys_file
    root = cache.directory()
    if root is None or (_helper is not None and _helper.poll() is None) or not _missing():
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        _keys_file = root / f"prefetch-{os.getpid()}.keys"
        _keys_file.write_text("")
        # Its output is kept beside the cache: the build does not depend on it (a record the
        # helper fails to compute, the build computes and reports itself), but an author may
        # want to know.
        with open(root / "prefetch.log", "w") as log:
            _helper = subprocess.Popen([sys.executable, "-m", __name__, str(root), str(_keys_file), str(os.getpid())],
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    except OSError:
        _keys_file = None  # a cache it cannot write: the build computes everything itself (and says so)
        return
    atexit.register(stop)


def stop() -> None:
    """End the helper (it may still be computing a record no page asked for) and adopt the
    entries it computed as this build's own."""
    global _helper, _keys_file
    if _helper is not None:
        if _helper.poll() is None:
            _helper.terminate()  # a record half computed is never stored: entries are written whole
        _helper.wait()
        _helper = None
    if _keys_file is not None:
        try:
            cache.adopt(_keys_file.read_text().split())
            _keys_file.unlink()
        except OSError:
            pass
        _keys_file = None


LARGEST = 40_000_000
"""The most weights a network the helper computes may have. TensorFlow keeps the memory of the
largest model a process has built (oneDNN's allocator pools it), so a helper that had built
ResNet-152 (60 M) would hold that beside the build's VGG-16 (138 M, four copies in its record):
over the whole build the two processes would need a third more memory than one. The largest
networks are left to the build."""


def _weights(name: str, options: dict) -> int:
    """How many weights the network has: its PyTorch build on the meta device (nothing drawn)."""
    import cnnguide
    from cnnguide import frameworks

    with frameworks.torch().device("meta"):
        model = cnnguide.build(name, "torch", **options)
    return sum(p.numel() for p in model.parameters())


def _work(keys_file: Path, parent: int) -> None:
    import time

    from .records import prefetch, record_entry

    for name, options in reversed(configurations()):
        if os.getppid() != parent:  # the build has ended: nothing will read what comes next
            return
        if _weights(name, options) > LARGEST:
            continue
        start = time.perf_counter()
        if prefetch(name, options):
            with open(keys_file, "a") as out:
                out.write(cache.key(*record_entry(name, options)) + "\n")
            print(f"{name} {options}: {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    cache.configure(sys.argv[1])
    _work(Path(sys.argv[2]), int(sys.argv[3]))
    print(json.dumps({"computed": len(Path(sys.argv[2]).read_text().split())}))
