"""Read a PyTorch module into the neutral :class:`~cnnguide.inspect.view.ModelView`.

A PyTorch module has no shapes until it runs, so this runs one forward pass on a zero image
(batch 1, inference mode, no gradients) with a hook on every leaf module, in call order.
"""

from __future__ import annotations

from dataclasses import replace

from .. import frameworks
from ..errors import InputShapeError
from ..shapes import format_shape
from .failures import locate
from .view import ACTIVATION, IDENTITY, Layer, ModelView, fold_activations

KINDS = {
    "Conv2d": "conv",
    "Linear": "dense",
    "AvgPool2d": "avg_pool",
    "MaxPool2d": "max_pool",
    "Flatten": "flatten",
    "BatchNorm2d": "batch_norm",
    "BatchNorm1d": "batch_norm",
    "Dropout": "dropout",
    "ZeroPad2d": "zero_pad",
    "Identity": IDENTITY,
}
ACTIVATIONS = {"Tanh": "tanh", "ReLU": "relu", "Softmax": "softmax", "Sigmoid": "sigmoid",
               "SiLU": "silu", "ReLU6": "relu6"}


def _hwc(shape) -> tuple[int, ...]:
    """N x C x H x W -> (H, W, C); N x F -> (F,)."""
    dims = tuple(int(d) for d in shape[1:])
    return dims[1:] + dims[:1] if len(dims) == 3 else dims


def _pair(value) -> tuple[int, ...] | None:
    if value is None:
        return None
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _state_counts(module) -> tuple[int, int]:
    params = list(module.parameters(recurse=False))
    trainable = sum(p.numel() for p in params if p.requires_grad)
    frozen = sum(p.numel() for p in params if not p.requires_grad)
    # BatchNorm's running mean/variance: numeric state, non-trainable (Keras counts them too).
    # num_batches_tracked is a step counter, not a statistic, and Keras has no such weight.
    stats = sum(b.numel() for n, b in module.named_buffers(recurse=False)
                if b.is_floating_point())
    return trainable, frozen + stats


def _row(name, module, inputs, output) -> Layer:
    cls = type(module).__name__
    kind = ACTIVATION if cls in ACTIVATIONS else KINDS.get(cls, cls)
    trainable, non_trainable = _state_counts(module)
    weight = getattr(module, "weight", None)
    return Layer(
        name=name,
        kind=kind,
        input_shape=_hwc(inputs[0].shape),
        output_shape=_hwc(output.shape),
        trainable=trainable,
        non_trainable=non_trainable,
        activation=ACTIVATIONS.get(cls),
        kernel_size=_pair(getattr(module, "kernel_size", None)),
        strides=_pair(getattr(module, "stride", None)),
        groups=int(getattr(module, "groups", 1)),
        bias=getattr(module, "bias", None) is not None and kind in ("conv", "dense"),
        kernel_elements=weight.numel() if weight is not None and kind in ("conv", "dense") else 0,
        ref=module,
    )


def view(model, input_shape: tuple[int, int, int], name: str | None = None) -> ModelView:
    """Run ``model`` once on zeros of ``input_shape`` (H x W x C) and record every leaf module."""
    torch = frameworks.torch()
    height, width, channels = input_shape
    rows: list[Layer] = []
    seen: set[int] = set()

    def hook_for(module_name):
        def hook(module, inputs, output):
            row = _row(module_name, module, inputs, output)
            if id(module) in seen:  # a shared module (one ReLU used many times): count once
                row = replace(row, trainable=0, non_trainable=0)
            seen.add(id(module))
            rows.append(row)
        return hook

    leaves = [(n, m) for n, m in model.named_modules() if n and not list(m.children())]
    handles = [m.register_forward_hook(hook_for(n)) for n, m in leaves]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, channels, height, width))
    except RuntimeError as exc:
        failing = locate(exc)
        where = f" at layer {failing.name!r} ({failing.kind})" if failing else ""
        raise InputShapeError(
            f"{type(model).__name__} cannot run on a {format_shape(input_shape)} input{where}: "
            f"{str(exc).splitlines()[0]}"
        ) from exc
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return ModelView(
        name=name or type(model).__name__.lower(),
        framework="torch",
        input_shape=(height, width, channels),
        layers=fold_activations(rows),
    )
