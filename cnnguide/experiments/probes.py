"""Probes: small measurements on a built model, the same call in either framework (no training).

* :func:`gradient_norms`: how much gradient each weighted layer receives at initialisation, on
  one random batch. The source post says ReLU lets AlexNet go deeper because it resists the
  vanishing gradients of sigmoid and tanh; this measures it on the real network.
* :func:`dropout_behaviour`: what a dropout layer does to a vector of ones while training and
  at inference.
* :func:`lrn_settings`: the constants a local response normalization layer holds, in the
  paper's convention (PyTorch stores alpha multiplied by the window size).

Like :mod:`cnnguide.parity`, this module reads both frameworks' objects: layers are found
through the neutral view (:func:`cnnguide.summarize`), so one function serves both.
"""

from __future__ import annotations

import numpy as np

from .. import frameworks
from ..inspect import framework_of, summarize
from ..parity import random_images


def _view(model):
    return summarize(model) if framework_of(model) == "keras" else summarize(model, model.input_shape)


def gradient_norms(model, *, batch: int = 2, seed: int = 0, images: np.ndarray | None = None,
                   labels: np.ndarray | None = None) -> list[tuple[str, float]]:
    """The norm of the loss gradient of each weighted layer's kernel, input side first.

    ``model`` must output logits (``classifier_activation=None``). The loss is the mean
    cross-entropy of ``images`` (N x H x W x C) and their ``labels``, or by default of a random
    batch (images in [0, 1), labels drawn from the classes), computed in inference mode, so
    dropout does not mask anything.
    """
    view = _view(model)
    rows = [row for row in view.weighted() if row.kind != "batch_norm"]  # kernels only
    if images is None:
        images = random_images(view.input_shape, batch=batch, seed=seed)
        labels = np.random.default_rng(seed).integers(0, view.output_shape[-1], size=batch)
    images = np.asarray(images, np.float32)
    if framework_of(model) == "keras":
        tf, keras = frameworks.tensorflow(), frameworks.keras()
        kernels = [row.ref.kernel for row in rows]
        with tf.GradientTape() as tape:
            logits = model(images, training=False)
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True))
        norms = [float(tf.norm(g)) for g in tape.gradient(loss, kernels)]
    else:
        torch = frameworks.torch()
        was_training = model.training
        model.eval()
        model.zero_grad()
        try:
            logits = model(torch.from_numpy(images).permute(0, 3, 1, 2).contiguous())
            torch.nn.functional.cross_entropy(logits, torch.from_numpy(labels)).backward()
            norms = [float(row.ref.weight.grad.norm()) for row in rows]
        finally:
            model.zero_grad()
            model.train(was_training)
    return [(row.name, norm) for row, norm in zip(rows, norms)]


def dropout_behaviour(model, index: int = 0, width: int = 10_000, seed: int = 0) -> dict:
    """Run the ``index``-th dropout layer of ``model`` on a vector of ones, training and not
    (with a fixed seed).

    Returns the fraction of values zeroed while training, the values kept (scaled up by
    1 / (1 - rate), so the expected sum is unchanged), and whether inference left the ones as
    they were.
    """
    rows = [row for row in _view(model).layers if row.kind == "dropout"]
    layer = rows[index].ref
    ones = np.ones((1, width), np.float32)
    if framework_of(model) == "keras":
        # A Keras dropout layer draws from its own seed generator, seeded when it was made:
        # run a twin made from its config with a fixed seed, so the result is reproducible.
        layer = type(layer).from_config({**layer.get_config(), "seed": seed})
        training = np.asarray(layer(ones, training=True))
        inference = np.asarray(layer(ones, training=False))
        rate = float(layer.rate)
    else:
        torch = frameworks.torch()
        torch.manual_seed(seed)
        was_training = layer.training
        try:
            layer.train()
            training = layer(torch.from_numpy(ones)).numpy()
            layer.eval()
            inference = layer(torch.from_numpy(ones)).numpy()
        finally:
            layer.train(was_training)
        rate = float(layer.p)
    kept = sorted({round(float(v), 6) for v in training.ravel() if v != 0})
    return {"rate": rate, "zeroed": float(np.mean(training == 0)), "kept": kept,
            "inference_unchanged": bool(np.all(inference == 1.0))}


def lrn_settings(model) -> list[dict]:
    """Every local response normalization layer's constants, as the paper writes them.

    ``alpha`` is the paper's (and TensorFlow's): the factor of the plain sum of squares.
    PyTorch's ``nn.LocalResponseNorm`` multiplies the mean instead, so its stored alpha is
    divided by the window size here; ``stored_alpha`` keeps what the layer holds.
    """
    found = []
    for row in _view(model).layers:
        if row.kind != "lrn":
            continue
        layer = row.ref
        if framework_of(model) == "keras":
            found.append({"layer": row.name, "n": layer.size, "k": layer.k, "alpha": layer.alpha,
                          "beta": layer.beta, "stored_alpha": layer.alpha})
        else:
            found.append({"layer": row.name, "n": layer.size, "k": layer.k,
                          "alpha": layer.alpha / layer.size, "beta": layer.beta,
                          "stored_alpha": layer.alpha})
    return found
