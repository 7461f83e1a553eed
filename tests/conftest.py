"""Shared test helpers: subprocesses for import-order tests, and one strict site build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}


def run_python(code: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (import order and crashes are per process), with
    ``env`` added to the environment."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**ENV, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def mkdocs_build(config: Path, site_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` (never with -v: MkDocs then exits 0 despite warnings), with
    ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent, env={**ENV, **(env or {})}, capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built strictly once per test session."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def assert_same_outputs(actual, expected, relative: float = 1e-5) -> None:
    """Outputs agree to ``relative`` times their largest magnitude: float32 sums in a different
    order differ in their last bits, more so for large logits."""
    import numpy as np

    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    scale = max(float(np.abs(expected).max()), 1.0)
    assert float(np.abs(actual - expected).max()) <= relative * scale


def built_alike(name: str, input_shape=(32, 32, 3), relative: float = 1e-4, **options):
    """Model ``name`` with ``options`` built in both frameworks (no softmax, a small input): the
    same rows, and the same outputs, to ``relative`` times their own largest magnitude, once the
    Keras weights are in the PyTorch model. Returns both views."""
    import numpy as np

    import cnnguide
    from cnnguide import parity, summarize

    keras_model, torch_model = (cnnguide.build(name, framework, input_shape=input_shape, classifier_activation=None,
                                               **options) for framework in ("keras", "torch"))
    keras_view, torch_view = summarize(keras_model), summarize(torch_model)
    assert parity.compare_views(keras_view, torch_view) == []
    images = parity.random_images(input_shape, batch=2)
    parity.transfer_weights(keras_model, torch_model)
    scale = float(np.abs(parity.run(keras_model, images)).max())
    assert scale > 0 and parity.max_abs_difference(keras_model, torch_model, images) <= relative * scale
    return keras_view, torch_view


def site_record(name: str, **options) -> dict:
    """The record of model ``name`` as the site builds it, from the cache the strict build fills
    (cnnguide.docs.records: each framework's model built and read once, parity, oracles); on an
    empty cache it is computed here, as the build would. Parity, oracles and paper figures are
    proven from these records for the whole catalog (tests/test_catalog_records.py)."""
    from cnnguide import cache
    from cnnguide.docs.records import record

    cache.configure(ROOT / ".cache" / "cnnguide")
    try:
        return record(name, **options)
    finally:
        cache.configure(None)


def site_views(name: str, **options):
    """Both frameworks' views (Keras, PyTorch) of model ``name`` from its record (site_record)."""
    from cnnguide.inspect import ModelView

    views = site_record(name, **options)["views"]
    return ModelView.from_dict(views["keras"]), ModelView.from_dict(views["torch"])


def site_oracle(name: str, library: str, **options):
    """The view of oracle ``library``'s model in the record of ``name`` (site_record)."""
    from cnnguide.inspect import ModelView

    check = next(o for o in site_record(name, **options)["oracles"] if o["library"] == library)
    return ModelView.from_dict(check["library_view"])
