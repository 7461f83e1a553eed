"""The experiments: their data, their networks in both frameworks, the saved results and the
check the build makes on them, the CLI, and a fresh rerun against the saved result."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from conftest import ENV, ROOT, assert_same_outputs, run_python
from cnnguide.experiments import results
from cnnguide.experiments.definitions import EXPERIMENTS
from cnnguide.experiments.digits import HELD_OUT_PER_CLASS, digits
from cnnguide.frameworks import FRAMEWORKS


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cnnguide.cli", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


# --- data --------------------------------------------------------------------------------------

def test_the_digits_split_into_balanced_disjoint_sets():
    data = digits(400)
    assert data.train_images.shape == (4000, 32, 32, 1) and data.test_images.shape == (1000, 32, 32, 1)
    assert np.bincount(data.train_labels).tolist() == [400] * 10
    assert np.bincount(data.test_labels).tolist() == [HELD_OUT_PER_CLASS] * 10
    # No held-out image is also a training image.
    train = {image.tobytes() for image in data.train_images}
    assert not any(image.tobytes() in train for image in data.test_images)
    # Padded to 32x32 as LeNet-5's paper does: a 2-pixel empty border, the digit inside.
    assert data.train_images[:, :2].max() == 0 and data.train_images[:, -2:].max() == 0
    assert data.train_images.max() == 1.0 and data.train_images.min() == 0.0
    assert digits(50, size=28).train_images.shape == (500, 28, 28, 1)


@pytest.mark.parametrize("arguments, message", [((0,), "train_per_class=0"), ((401,), "train_per_class=401"),
                                                ((400,), None)])
def test_digits_refuse_a_split_that_would_eat_the_held_out_set(arguments, message):
    from cnnguide.errors import CnnguideError

    if message is None:
        digits(*arguments)
        return
    with pytest.raises(CnnguideError, match=message):
        digits(*arguments)


# --- networks: the same function in both frameworks ---------------------------------------------

@pytest.mark.parametrize("options", [
    {"n": 1, "shortcuts": True},
    {"n": 1, "shortcuts": False},
    {"n": 2, "shortcuts": False, "batch_norm": False, "activation": "sigmoid"},
    {"n": 1, "shortcuts": True, "batch_norm": False, "activation": "relu", "kernel_initializer": "he_normal"},
])
def test_cifar_resnet_is_one_network_in_both_frameworks(options):
    import cnnguide
    from cnnguide import parity
    from cnnguide.models.keras.cifar_resnet import cifar_resnet as keras_net
    from cnnguide.models.torch.cifar_resnet import cifar_resnet as torch_net

    shape = (28, 28, 1)
    k = keras_net(**options, widths=(4, 8, 8), input_shape=shape, classifier_activation=None)
    t = torch_net(**options, widths=(4, 8, 8), input_shape=shape, classifier_activation=None)
    kv, tv = cnnguide.summarize(k), cnnguide.summarize(t, shape)
    assert parity.compare_views(kv, tv) == []
    assert kv.depth == 6 * options["n"] + 2  # Section 4.2's 6n + 2 weighted layers
    parity.transfer_weights(k, t, (kv, tv))
    images = parity.random_images(shape, batch=3)
    assert_same_outputs(parity.run(t, images), parity.run(k, images))


def test_a_shortcut_is_what_tells_the_residual_network_from_the_plain_one():
    import cnnguide
    from cnnguide.models.torch.cifar_resnet import cifar_resnet

    plain = cnnguide.summarize(cifar_resnet(1, shortcuts=False, widths=(4, 8, 16), input_shape=(28, 28, 1)), (28, 28, 1))
    residual = cnnguide.summarize(cifar_resnet(1, widths=(4, 8, 16), input_shape=(28, 28, 1)), (28, 28, 1))
    assert sum(r.kind == "add" for r in plain.layers) == 0
    assert sum(r.kind == "add" for r in residual.layers) == 3
    # The two projections (where the width changes) are the only extra weights: 1x1 conv + BN.
    extra = residual.trainable - plain.trainable
    assert extra == (4 * 8 + 2 * 8) + (8 * 16 + 2 * 16)


@pytest.mark.parametrize("dropout", [0.0, 0.5])
def test_fc_head_is_one_network_in_both_frameworks(dropout):
    import cnnguide
    from cnnguide import parity
    from cnnguide.models.keras.fc_head import fc_head as keras_head
    from cnnguide.models.torch.fc_head import fc_head as torch_head

    k = keras_head(hidden=(32, 16), dropout=dropout, classifier_activation=None)
    t = torch_head(hidden=(32, 16), dropout=dropout, classifier_activation=None)
    kv, tv = cnnguide.summarize(k), cnnguide.summarize(t, (28, 28, 1))
    assert parity.compare_views(kv, tv) == []
    assert sum(r.kind == "dropout" for r in kv.layers) == 2
    parity.transfer_weights(k, t, (kv, tv))
    images = parity.random_images((28, 28, 1), batch=3)
    assert_same_outputs(parity.run(t, images), parity.run(k, images))  # inference: dropout is off


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_dropout_rate_outside_0_to_1_is_refused(framework):
    import importlib

    head = importlib.import_module(f"cnnguide.models.{framework}.fc_head").fc_head
    with pytest.raises(ValueError, match=r"dropout=1.5: a dropout rate is a probability in \[0, 1\)"):
        head(dropout=1.5)


# --- saved results and the build's check ---------------------------------------------------------

@pytest.mark.parametrize("name", EXPERIMENTS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_saved_result_is_current_and_complete(name, framework):
    record = results.load(name, framework)
    experiment = EXPERIMENTS[name]
    assert record["hash"] == results.digest(experiment)
    assert len(record["runs"]) == len(experiment.arms) * len(experiment.seeds)
    assert {r["arm"] for r in record["runs"]} == {a.label for a in experiment.arms}
    assert all(len(r["epochs"]) == experiment.epochs for r in record["runs"])
    assert record["command"] == f"cnnguide experiment run {name} --framework {framework}"


def test_a_missing_result_names_the_command_that_makes_it(tmp_path):
    with pytest.raises(results.StaleResultError,
                       match=r"no saved torch result .*Run `cnnguide experiment run dropout --framework torch`"):
        results.load("dropout", "torch", tmp_path)


def test_a_stale_result_names_what_changed_and_the_command(tmp_path):
    saved = json.loads(results.path("dropout", "keras").read_text())
    saved["hash"] = "0" * 64
    saved["inputs"]["files"]["experiments/training.py"] = "changed"
    saved["inputs"]["versions"]["torch"] = "0.0"
    (tmp_path / "dropout.keras.json").write_text(json.dumps(saved))
    with pytest.raises(results.StaleResultError) as caught:
        results.load("dropout", "keras", tmp_path)
    message = str(caught.value)
    assert "experiments/training.py" in message and "torch " in message
    assert "Run `cnnguide experiment run dropout --framework keras`" in message


def test_the_hash_covers_the_definition():
    experiment = EXPERIMENTS["dropout"]
    assert results.digest(replace(experiment, epochs=experiment.epochs + 1)) != results.digest(experiment)
    # The words that describe it are not what runs.
    assert results.digest(replace(experiment, summary={"ko": "", "en": ""})) == results.digest(experiment)


def test_saved_results_are_written_for_diffs():
    text = results.path("lenet5", "torch").read_text()
    assert text == results.dumps(json.loads(text))
    # One line per epoch: a changed epoch is a one-line diff.
    epochs = sum(len(run["epochs"]) for run in json.loads(text)["runs"])
    assert sum('"test_accuracy"' in line for line in text.splitlines()) == epochs


def test_the_site_build_fails_on_a_stale_result(monkeypatch, tmp_path):
    from cnnguide.docs import experiments as page

    monkeypatch.setattr(results, "RESULTS", tmp_path)
    with pytest.raises(results.StaleResultError, match="cnnguide experiment run lenet5"):
        page.lenet5_table()


# --- the CLI ------------------------------------------------------------------------------------

def test_experiment_list_names_every_experiment_in_both_languages():
    for lang in ("en", "ko"):
        out = cli("experiment", "list", "--lang", lang)
        assert out.returncode == 0, out.stderr
        assert [line.split()[0] for line in out.stdout.splitlines()] == list(EXPERIMENTS)
        assert all(EXPERIMENTS[n].summary[lang] in out.stdout for n in EXPERIMENTS)


@pytest.mark.parametrize("args, message", [
    (("run", "nope"), "unknown experiment 'nope'; choose one of lenet5, depth, activations, dropout"),
    (("run", "dropout", "--framework", "jax"), "Unknown framework 'jax'"),
    (("run", "dropout", "--output", "README.md"), "--output README.md: not a directory"),
    (("walk",), "invalid choice: 'walk'"),
])
def test_experiment_bad_input_is_one_line_and_status_2(args, message):
    out = cli("experiment", *args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


# --- determinism and the rerun -------------------------------------------------------------------

RERUN_TOLERANCE = {"test_accuracy": 0.01, "train_accuracy": 0.01, "train_loss": 0.01}
"""How far a fresh run may differ from the saved one, per epoch: a hundredth of accuracy (ten
held-out digits) or of loss. On the machine that saved it the run repeats exactly; another
processor may round differently inside the frameworks' kernels."""


@pytest.mark.slow
def test_each_framework_repeats_its_own_run_exactly():
    """What both frameworks promise on CPU with deterministic kernels: the same run twice in
    one process gives the same numbers, bit for bit (dropout's masks included)."""
    code = (
        "import json\n"
        "from dataclasses import replace\n"
        "from cnnguide.experiments import training\n"
        "from cnnguide.experiments.definitions import EXPERIMENTS\n"
        "e = EXPERIMENTS['dropout']\n"
        "e = replace(e, arms=e.arms[-1:], seeds=(0,), epochs=1)  # with dropout: its masks repeat too\n"
        "same = {}\n"
        "for fw in ('keras', 'torch'):\n"
        "    a, b = training.run(e, fw), training.run(e, fw)\n"
        "    same[fw] = a['runs'] == b['runs']\n"
        "print(json.dumps(same))\n"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"keras": True, "torch": True}


@pytest.mark.slow
def test_the_smallest_experiment_rerun_from_scratch_matches_its_saved_result(tmp_path):
    smallest = min(EXPERIMENTS.values(), key=lambda e: json.loads(results.path(e.name, "keras").read_text())["seconds"])
    out = cli("experiment", "run", smallest.name, "--output", str(tmp_path), timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    for framework in FRAMEWORKS:
        fresh = results.load(smallest.name, framework, tmp_path)
        saved = results.load(smallest.name, framework)
        assert fresh["hash"] == saved["hash"]
        for new, old in zip(fresh["runs"], saved["runs"], strict=True):
            assert (new["arm"], new["seed"]) == (old["arm"], old["seed"])
            for epoch, (a, b) in enumerate(zip(new["epochs"], old["epochs"], strict=True), start=1):
                for metric, tolerance in RERUN_TOLERANCE.items():
                    if metric in b:
                        assert abs(a[metric] - b[metric]) <= tolerance, (framework, new["arm"], new["seed"], epoch, metric)


def test_the_digits_facts_come_from_the_file_and_the_definitions():
    from cnnguide.docs import facts
    from cnnguide.errors import CnnguideError

    assert facts.value("digits.count") == 5000 and facts.value("digits.per_class") == 500
    assert facts.value("digits.held_out_per_class") == 100
    assert (facts.value("digits.size"), facts.value("digits.padded")) == ("28×28", "32×32")
    with pytest.raises(CnnguideError, match="the digits have count, per_class"):
        facts.value("digits.colour")
