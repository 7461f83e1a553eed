"""Each framework's own summary of a model (Keras ``model.summary()``, torchinfo), as text."""

from __future__ import annotations

from .. import frameworks
from .models import computed, model


def keras_summary(name: str, **options) -> str:
    return computed("keras_summary", name, options, lambda: _keras_summary(name, **options))


def torch_summary(name: str, **options) -> str:
    return computed("torch_summary", name, options, lambda: _torch_summary(name, **options))


def _keras_summary(name: str, **options) -> str:
    lines: list[str] = []
    model(name, "keras", **options).summary(
        print_fn=lambda text, line_break=True: lines.append(text), line_length=88)
    return "\n".join(lines).rstrip()


def _torch_summary(name: str, **options) -> str:
    torchinfo = frameworks.torchinfo()
    net = model(name, "torch", **options)
    height, width, channels = net.input_shape
    stats = torchinfo.summary(
        net, input_size=(1, channels, height, width), verbose=0, depth=4, device="cpu",
        col_names=("output_size", "num_params", "mult_adds"), row_settings=("var_names",),
    )
    return str(stats).rstrip()


def code_block(text: str, language: str = "text") -> str:
    """Fence ``text`` so Markdown shows it verbatim."""
    return f"```{language}\n{text}\n```"
