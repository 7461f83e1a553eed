"""What every catalog model must satisfy, proven once for the whole catalog from the records the
site build computed (cnnguide.docs.records): a new network adds catalog rows, not a test module.

For every model as the site builds it, and for every library oracle the catalog declares:
per-layer shapes and parameters equal across frameworks, logits equal after the Keras ->
PyTorch weight copy, the library model equal to ours once its weights are loaded, and every
paper figure within its stated tolerance. The records come from the cache the strict build
filled (CI builds first), so these tests read what the build proved instead of building again;
on an empty cache they compute it.
"""

from __future__ import annotations

import pytest

from cnnguide import cache, catalog
from cnnguide.docs import kit, records
from cnnguide.docs.parity import RELATIVE_TOLERANCE
from conftest import ROOT

SHOWN = [(m.name, dict(m.site_options)) for m in catalog.MODELS.values()]
ORACLES = [(m.name, o) for m in catalog.MODELS.values() for o in m.oracles]


@pytest.fixture(autouse=True, scope="module")
def site_cache():
    cache.configure(ROOT / ".cache" / "cnnguide")  # the cache `make build` / the site tests fill
    yield
    cache.configure(None)


def _params(view: dict) -> int:
    return sum(row["trainable"] + row["non_trainable"] for row in view["layers"])


@pytest.mark.parametrize("name, options", SHOWN, ids=[name for name, _ in SHOWN])
def test_both_frameworks_build_one_network(name, options):
    record = records.record(name, **options)
    assert record["mismatches"] == 0
    keras, torch = record["views"]["keras"], record["views"]["torch"]
    assert [(r["kind"], r["output_shape"], r["trainable"], r["non_trainable"]) for r in keras["layers"]] == \
           [(r["kind"], r["output_shape"], r["trainable"], r["non_trainable"]) for r in torch["layers"]]
    parity = record["parity"]
    assert parity["max_output"] > 0  # a model that outputs zeros would agree trivially
    assert parity["max_abs"] <= RELATIVE_TOLERANCE * parity["max_output"]


@pytest.mark.parametrize("name, options", SHOWN, ids=[name for name, _ in SHOWN])
def test_onnx_runtime_computes_what_both_frameworks_compute(name, options):
    """The third runtime: PyTorch's file for every model (Keras's for the small ones), run by
    ONNX Runtime, within the parity tolerance of both frameworks; PyTorch's file holds exactly
    the model's parameters, and only its stated form of the batch axis."""
    record = records.record(name, **options)
    files, scale = record["onnx"], record["parity"]["max_output"]
    expected = {"torch"} | ({"keras"} if _params(record["views"]["keras"]) <= records.KERAS_ONNX_LIMIT else set())
    assert {fw for fw, found in files.items() if "max_abs" in found} == expected
    for found in (files[fw] for fw in expected):
        assert max(found["max_abs"].values()) <= RELATIVE_TOLERANCE * scale
        assert found["structure"]["opset"] == 18 and list(found["structure"]["outputs"])[0] == "logits"
    torch_file = files["torch"]
    assert torch_file["structure"]["weights"] == _params(record["views"]["torch"])
    assert torch_file["structure"]["inputs"]["images"][0] == "batch"
    assert ("file" in torch_file) == (torch_file["bytes"] <= records.DOWNLOAD_LIMIT)
    if "file" in torch_file:  # the bytes offered for download are the file that was run
        assert len(cache.blob(torch_file["file"])) == torch_file["bytes"]


@pytest.mark.parametrize("name, oracle", ORACLES, ids=[f"{n}-{o.library}" for n, o in ORACLES])
def test_the_library_model_is_ours(name, oracle):
    record = records.record(name, **oracle.options)
    result = next(r for r in record["oracles"] if r["library"] == oracle.library)
    assert _params(result["library_view"]) == _params(record["views"][oracle.framework])
    assert result["paired_layers"] == sum(1 for r in record["views"][oracle.framework]["layers"]
                                          if r["trainable"] + r["non_trainable"])
    assert result["max_abs"] <= RELATIVE_TOLERANCE * result["max_output"]


STUDY_FIGURES = [(key, fig) for key, study in catalog.STUDIES.items() for fig in study.figures
                 if fig.target(study) is not None]


@pytest.mark.parametrize("study, fig", STUDY_FIGURES, ids=[f"{s}-{f.key}" for s, f in STUDY_FIGURES])
def test_paper_figures_hold_within_their_tolerance(study, fig):
    ours = kit.ours(study, fig)
    assert kit.verdict(fig, ours) in ("exact", "within", "differs")  # raises beyond the tolerance
    if fig.tolerance is not None:
        assert abs(ours - fig.value) <= fig.tolerance * fig.value


def test_every_study_has_a_main_model_and_figures_of_its_blocks():
    for study in catalog.STUDIES.values():
        assert study.model in catalog.MODELS and catalog.model(study.model).study == study.key
        for block in study.blocks:
            assert block.model in catalog.MODELS and block.name.keys() == {"ko", "en"}


def test_a_record_is_the_same_computed_alone_or_after_other_models(tmp_path):
    """Seeded from its own key: a record computed after other models equals one computed first
    (what makes a cold build, a warm build and a build from the tests' cache identical)."""
    from conftest import run_python

    code = ("import json, sys; from cnnguide import cache; cache.configure(None)\n"
            "from cnnguide.docs import records\n"
            "{before}"
            "print(json.dumps(records.compute('lenet5', {{}}, ('views', 'parity'))['parity']))")
    alone = run_python(code.format(before=""))
    after = run_python(code.format(before="records.compute('lenet5_post', {}, ('views', 'parity'))\n"
                                          "records.compute('inception_module', {}, ('views', 'parity'))\n"))
    assert alone.returncode == 0 and after.returncode == 0, alone.stderr[-2000:] + after.stderr[-2000:]
    assert alone.stdout.strip().splitlines()[-1] == after.stdout.strip().splitlines()[-1]


def test_a_library_models_automatic_names_do_not_count_what_came_before():
    """keras.applications leaves some layers unnamed, and Keras numbers those by how many of the
    kind the process has made: seeded from a key, a library model's names are the same whatever
    was built before (a record's oracle holds the library model's view, names included)."""
    from cnnguide import frameworks
    from cnnguide.oracles import library_model

    def names() -> list[str]:
        frameworks.seed("names", load=True)
        model = library_model("keras.applications.MobileNet", input_shape=(32, 32, 3), alpha=0.25)
        return [layer.name for layer in model.layers]

    first = names()
    keras = frameworks.keras()
    keras.layers.GlobalAveragePooling2D(), keras.layers.Conv2D(1, 1), keras.layers.Dense(1)
    assert "global_average_pooling2d" in first
    assert names() == first


def test_a_library_model_that_fails_in_its_thread_fails_the_record():
    """The PyTorch library models are built in a second thread (records._Libraries): an error
    there reaches the record's own thread, with its message, instead of vanishing with it."""
    import numpy as np

    from cnnguide.catalog.types import Oracle
    from cnnguide.errors import CnnguideError

    libraries = records._Libraries([Oracle("torch", "nowhere.resnet50")], np.zeros((1, 8, 8, 3), np.float32))
    libraries.start()
    with pytest.raises(CnnguideError, match="Unknown library builder 'nowhere.resnet50'"):
        libraries.results()


def test_the_prefetch_helper_computes_only_records_the_site_shows():
    """Every configuration the cold build's helper process computes (cnnguide.docs.prefetch) is
    one a page reads: the build has stored its record. A configuration no page showed would be
    work beside the build, not ahead of it."""
    from cnnguide.docs import prefetch

    known = prefetch.configurations()
    assert len(known) == len({(name, tuple(sorted(options.items()))) for name, options in known})
    assert {name for name, _ in known} >= {m.name for s in catalog.STUDIES.values() for m in [catalog.model(s.model)]}
    for name, options in known:
        assert cache.stored(*records.record_entry(name, options)), (name, options)
