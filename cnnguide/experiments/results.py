"""Saved results: one JSON file per experiment and framework, and the hash of what produced it.

The site build never trains. It reads ``results/<experiment>.<framework>.json`` (committed next
to this module) and checks that the result was produced by the code and data it would run now:
the hash covers the experiment's definition, the source of the training code and of every
builder it uses (both frameworks: PyTorch's runs start from Keras's weights), the digits file,
and the versions of the frameworks and NumPy. A result whose hash differs, or a missing one,
fails the build with the command that refreshes it.

The files are written for diffs: sorted keys, one value per line, floats rounded to the 6
significant digits a reader could compare.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..errors import CnnguideError
from .definitions import EXPERIMENTS, Experiment
from .digits import data_file

RESULTS = Path(__file__).resolve().parent / "results"
PACKAGE = Path(__file__).resolve().parent.parent
CODE = ("experiments/definitions.py", "experiments/digits.py", "experiments/training.py",
        "experiments/probes.py", "models/options.py")
VERSIONS = ("tensorflow", "keras", "torch", "numpy", "mlxtend")


class StaleResultError(CnnguideError):
    """A saved result is missing, or was produced by other code, data or versions."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs(experiment: Experiment) -> dict:
    """Everything the hash covers, by name (the saved result keeps it, so a stale one can say
    what changed)."""
    files = [*CODE, *(f"models/{fw}/{module}.py" for module in experiment.modules for fw in ("keras", "torch"))]
    definition = {k: v for k, v in asdict(experiment).items() if k != "summary"}  # words, not what runs
    return {"definition": _sha256(json.dumps(definition, sort_keys=True).encode()),
            "files": {name: _sha256((PACKAGE / name).read_bytes()) for name in sorted(files)},
            "data": _data_digest(data_file().stat().st_mtime_ns),
            "versions": dict(_versions())}


@lru_cache(maxsize=None)
def _versions() -> dict:
    """The installed versions, read once: what this process runs is what it imported first."""
    versions = {}
    for dist in VERSIONS:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return versions


@lru_cache(maxsize=4)
def _data_digest(mtime_ns: int) -> str:
    """The digits file's digest, read again only when the file changes (its time is the key)."""
    return _sha256(data_file().read_bytes())


def digest(experiment: Experiment) -> str:
    return _sha256(json.dumps(inputs(experiment), sort_keys=True).encode())


def command(name: str, framework: str) -> str:
    return f"cnnguide experiment run {name} --framework {framework}"


def path(name: str, framework: str, directory: Path | None = None) -> Path:
    return (directory or RESULTS) / f"{name}.{framework}.json"


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


_LEAF = re.compile(r"([\[{])([^\[\]{}\"]*(?:\"[^\"]*\"[^\[\]{}\"]*)*)([\]}])")


def dumps(record: dict) -> str:
    """JSON with one line per list or object that holds no other: an epoch's measurements, a
    layer list of gradient norms. Diffs then show which run and epoch changed."""
    text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False)
    compact = _LEAF.sub(lambda m: m[1] + " ".join(m[2].split()) + m[3], text)
    compact = compact.replace("[ ", "[").replace("{ ", "{")
    assert json.loads(compact) == record, "compacting changed the record"
    return compact + "\n"


def save(record: dict, directory: Path | None = None) -> Path:
    """Write ``record`` (from :func:`.training.run`) with its hash; return the file."""
    experiment = EXPERIMENTS[record["experiment"]]
    record = {**_rounded(record), "hash": digest(experiment), "inputs": inputs(experiment),
              "command": command(record["experiment"], record["framework"])}
    target = path(record["experiment"], record["framework"], directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(record), encoding="utf-8")
    return target


def load(name: str, framework: str, directory: Path | None = None) -> dict:
    """The saved result of experiment ``name`` in ``framework``, if it is current; otherwise
    :class:`StaleResultError`, naming what changed and the command that refreshes it."""
    if name not in EXPERIMENTS:
        raise CnnguideError(f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}.")
    source = path(name, framework, directory)
    refresh = f"Run `{command(name, framework)}` and commit {source.name}."
    if not source.exists():
        raise StaleResultError(f"experiment {name!r} has no saved {framework} result ({source.name}). {refresh}")
    record = json.loads(source.read_text(encoding="utf-8"))
    expected = inputs(EXPERIMENTS[name])
    if record.get("hash") != digest(EXPERIMENTS[name]):
        saved = record.get("inputs", {})
        changed = [key for key in ("definition", "data") if saved.get(key) != expected[key]]
        changed += [f for f, h in expected["files"].items() if saved.get("files", {}).get(f) != h]
        changed += [f"{d} {v}" for d, v in expected["versions"].items() if saved.get("versions", {}).get(d) != v]
        raise StaleResultError(f"the saved {framework} result of experiment {name!r} is stale: "
                               f"{', '.join(changed) or 'its hash'} changed since it was produced. {refresh}")
    return record
