"""Train an experiment's networks in one framework: the same weights, batches and optimizer in both.

What makes the two frameworks' runs one experiment:

* **the same starting weights**: each network is built in Keras from a seed derived from the
  experiment, the arm and the run's seed, and PyTorch's twin receives those weights through the
  site's weight transfer (:func:`cnnguide.parity.transfer_weights`), so neither framework's own
  initialiser decides the result;
* **the same batches**: the order of the training images in each epoch is drawn by NumPy from
  (seed, epoch), for both;
* **the same update**: plain SGD with momentum, a constant learning rate and the mean
  cross-entropy of the logits. Keras's ``v = m v - lr g; w += v`` and PyTorch's
  ``v = m v + g; w -= lr v`` are one rule when the rate is constant.

What can still differ is floating-point order inside each framework's kernels, and dropout's
random masks (each framework draws its own). :func:`deterministic` asks each framework for
repeatable kernels, so one framework repeats its own run exactly on one machine.
"""

from __future__ import annotations

import importlib
import math
import time
from dataclasses import asdict

import numpy as np

from .. import frameworks
from .definitions import Arm, Experiment
from .digits import CLASSES, digits
from .probes import gradient_norms

PROBE_IMAGES = 250  # the fixed batch the gradient norms are measured on: every 16th training image


def deterministic(framework: str) -> None:
    """Ask ``framework`` for repeatable CPU kernels (TensorFlow: op determinism; PyTorch:
    deterministic algorithms), for this process."""
    if framework == "keras":
        frameworks.tensorflow().config.experimental.enable_op_determinism()
    else:
        frameworks.torch().use_deterministic_algorithms(True)


def build(arm: Arm, framework: str, input_shape: tuple[int, int, int], key: tuple):
    """``arm``'s network in ``framework``, outputting logits, with the weights Keras initialises
    from ``key`` (copied into PyTorch's twin)."""
    frameworks.seed(key, load=True)
    def make(fw: str):
        module = importlib.import_module(f"cnnguide.models.{fw}.{arm.module}")
        return getattr(module, arm.builder)(input_shape=input_shape, classifier_activation=None, **arm.kwargs())

    keras_model = make("keras")
    if framework == "keras":
        return keras_model
    from ..parity import transfer_weights

    torch_model = make("torch")
    transfer_weights(keras_model, torch_model)
    return torch_model


class KerasTrainer:
    def __init__(self, model, experiment: Experiment) -> None:
        keras = frameworks.keras()
        self.model = model
        model.compile(optimizer=keras.optimizers.SGD(experiment.learning_rate, momentum=experiment.momentum),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=False)

    def step(self, images: np.ndarray, labels: np.ndarray) -> float:
        return float(self.model.train_on_batch(images, labels))

    def logits(self, images: np.ndarray) -> np.ndarray:
        return np.asarray(self.model(images, training=False))


class TorchTrainer:
    def __init__(self, model, experiment: Experiment) -> None:
        torch = frameworks.torch()
        self.torch, self.model = torch, model
        self.optimizer = torch.optim.SGD(model.parameters(), lr=experiment.learning_rate,
                                         momentum=experiment.momentum)

    def _tensor(self, images: np.ndarray):
        return self.torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))

    def step(self, images: np.ndarray, labels: np.ndarray) -> float:
        self.model.train()
        self.optimizer.zero_grad()
        loss = self.torch.nn.functional.cross_entropy(self.model(self._tensor(images)), self.torch.from_numpy(labels))
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def logits(self, images: np.ndarray) -> np.ndarray:
        self.model.eval()
        with self.torch.no_grad():
            return self.model(self._tensor(images)).numpy()


def _accuracy(trainer, images: np.ndarray, labels: np.ndarray, chunk: int = 500) -> float:
    predicted = np.concatenate([trainer.logits(images[i:i + chunk]).argmax(-1) for i in range(0, len(images), chunk)])
    return float(np.mean(predicted == labels))


def _norms(model, images: np.ndarray, labels: np.ndarray) -> list[float]:
    return [norm for _, norm in gradient_norms(model, images=images, labels=labels)]


def steps(experiment: Experiment) -> int:
    """Training steps in the whole experiment (every arm, seed and epoch)."""
    per_epoch = math.ceil(experiment.train_per_class * CLASSES / experiment.batch)
    return per_epoch * experiment.epochs * len(experiment.seeds) * len(experiment.arms)


def run(experiment: Experiment, framework: str, progress=None) -> dict:
    """Train every arm of ``experiment`` once per seed in ``framework``; return the record.

    ``progress(arm, seed, epoch)`` is called after each training step (the CLI's progress bar).
    """
    framework = frameworks.canonical(framework)
    deterministic(framework)
    data = digits(experiment.train_per_class, size=experiment.size)
    input_shape = data.train_images.shape[1:]
    probe = slice(None, None, len(data.train_images) // PROBE_IMAGES)
    probe_images, probe_labels = data.train_images[probe], data.train_labels[probe]
    Trainer = KerasTrainer if framework == "keras" else TorchTrainer
    started, runs = time.perf_counter(), []
    for arm in experiment.arms:
        for seed in experiment.seeds:
            model = build(arm, framework, input_shape, ("experiment", experiment.name, arm.label, seed))
            trainer = Trainer(model, experiment)
            record: dict = {"arm": arm.label, "seed": seed, "epochs": []}
            if experiment.gradients:
                record["gradients_before"] = _norms(model, probe_images, probe_labels)
            for epoch in range(experiment.epochs):
                order = np.random.default_rng([seed, epoch]).permutation(len(data.train_labels))
                losses = []
                for start in range(0, len(order), experiment.batch):
                    batch = order[start:start + experiment.batch]
                    losses.append(trainer.step(data.train_images[batch], data.train_labels[batch]))
                    if progress:
                        progress(arm.label, seed, epoch + 1)
                measured = {"train_loss": float(np.mean(losses)),
                            "test_accuracy": _accuracy(trainer, data.test_images, data.test_labels)}
                if experiment.train_accuracy:
                    measured["train_accuracy"] = _accuracy(trainer, data.train_images, data.train_labels)
                record["epochs"].append(measured)
            if experiment.gradients:
                record["gradients_after"] = _norms(model, probe_images, probe_labels)
            runs.append(record)
    return {"experiment": experiment.name, "framework": framework, "definition": asdict(experiment),
            "runs": runs, "seconds": round(time.perf_counter() - started, 1)}
