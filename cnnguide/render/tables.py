"""Markdown tables of a model view: the architecture, and the parameter arithmetic per layer."""

from __future__ import annotations

from ..errors import CnnguideError
from ..inspect.view import Layer, ModelView
from ..shapes import format_shape
from .labels import header, kind, number


def markdown_table(headers: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A Markdown table; ``align`` is one letter per column, 'l' or 'r' (default: all left)."""
    align = align or "l" * len(headers)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [headers, rule, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _kernel(layer: Layer) -> str:
    if not layer.kernel_size:
        return ""
    text = "×".join(map(str, layer.kernel_size))
    if layer.strides and set(layer.strides) != {1}:
        text += " / " + "×".join(map(str, layer.strides))
    return text


def layer_table(view: ModelView, lang: str) -> str:
    """One row per layer (input first, totals last)."""
    h = [header(k, lang) for k in ("layer", "kind", "kernel", "output", "activation", "params", "macs")]
    rows = [[header("input", lang), "", "", format_shape(view.input_shape), "", "", ""]]
    for layer in view.layers:
        rows.append([
            f"`{layer.name}`", kind(layer.kind, lang), _kernel(layer), format_shape(layer.output_shape),
            layer.activation or "", number(layer.params), number(layer.macs),
        ])
    rows.append([f"**{header('total', lang)}**", "", "", "", "", f"**{number(view.params)}**",
                 f"**{number(view.macs)}**"])
    return markdown_table(h, rows, "lllllrr")


def grouped_table(view: ModelView, lang: str, pattern: str) -> str:
    """One row per block: consecutive rows whose names share the ``pattern`` match (a regular
    expression whose first group names the block, e.g. ``^(conv\\d_block\\d+)_``) become one
    row with the block's output, parameters and MACs; other rows stay as they are.

    Keeps a 152-layer network readable in a page.
    """
    import re

    regex = re.compile(pattern)
    groups: list[tuple[str, list[Layer]]] = []
    for layer in view.layers:
        match = regex.match(layer.name)
        key = match.group(1) if match else layer.name
        if groups and groups[-1][0] == key and match:
            groups[-1][1].append(layer)
        else:
            groups.append((key, [layer]))
    h = [header(k, lang) for k in ("layer", "kind", "output", "params", "macs")]
    rows = [[header("input", lang), "", format_shape(view.input_shape), "", ""]]
    for key, members in groups:
        last = members[-1]
        described = kind(last.kind, lang) if len(members) == 1 else f"{len(members)} × …"
        rows.append([f"`{key}`", described, format_shape(last.output_shape),
                     number(sum(m.params for m in members)), number(sum(m.macs for m in members))])
    rows.append([f"**{header('total', lang)}**", "", "", f"**{number(view.params)}**",
                 f"**{number(view.macs)}**"])
    return markdown_table(h, rows, "llrrr")


def parameter_formula(layer: Layer) -> tuple[str, int]:
    """The arithmetic behind a weighted layer's parameter count, and its value.

    Convolution: (kh·kw·C_in/groups + 1)·C_out; dense: (inputs + 1)·units; the "+ 1" is the
    bias and is left out for a layer without one. Batch normalization: γ and β, 2·C.
    """
    bias = " + 1" if layer.bias else ""
    if layer.kind == "conv":
        kh, kw = layer.kernel_size
        per_filter = kh * kw * layer.input_shape[-1] // layer.groups
        inside = f"{kh}·{kw}·{layer.input_shape[-1]}" + (f"/{layer.groups}" if layer.groups > 1 else "")
        value = (per_filter + bool(layer.bias)) * layer.units
    elif layer.kind == "dense":
        inside = number(layer.input_shape[-1])
        value = (layer.input_shape[-1] + bool(layer.bias)) * layer.units
    elif layer.kind == "batch_norm":
        # γ and β per channel are trained; the moving mean and variance (another 2·C) are not.
        value = 2 * layer.units
        return f"2·{layer.units} = {number(value)}", value
    else:
        raise CnnguideError(f"No parameter formula for {layer.name!r} ({layer.kind}).")
    text = f"({inside}{bias})·{layer.units} = {number(value)}" if bias else f"{inside}·{layer.units} = {number(value)}"
    return text, value


def mac_formula(layer: Layer) -> str:
    """H_out·W_out·C_out·(kh·kw·C_in/groups) for a convolution, inputs·units for a dense layer."""
    if layer.kind == "conv":
        h, w, c = layer.output_shape
        kh, kw = layer.kernel_size
        window = f"{kh}·{kw}·{layer.input_shape[-1] // layer.groups}"
        return f"{h}·{w}·{c}·({window}) = {number(layer.macs)}"
    if layer.kind == "dense":
        return f"{number(layer.input_shape[-1])}·{layer.units} = {number(layer.macs)}"
    return "0"  # batch normalization folds into the convolution before it at inference


def arithmetic_table(view: ModelView, lang: str) -> str:
    """Each weighted layer's parameter and MAC arithmetic, checked against the counted values.

    Raises CnnguideError when a formula disagrees with what the framework counted: the page
    would otherwise explain a number the model does not have.
    """
    h = [header("layer", lang), header("params", lang), header("macs", lang)]
    rows = []
    for layer in view.weighted():
        text, value = parameter_formula(layer)
        if value != layer.trainable:
            raise CnnguideError(
                f"{view.name}.{layer.name}: the formula gives {value} parameters but the model "
                f"has {layer.trainable}."
            )
        rows.append([f"`{layer.name}`", text, mac_formula(layer)])
    # The rows count what is trained (a BatchNorm row: its scale and shift), so the total does
    # too; the moving statistics are said under the table, or the rows would not add up.
    rows.append([f"**{header('trainable_total', lang)}**", f"**{number(view.trainable)}**",
                 f"**{number(view.macs)}**"])
    table = markdown_table(h, rows, "lrr")
    if view.non_trainable:
        table += "\n\n" + header("moving_statistics", lang).format(
            frozen=number(view.non_trainable), params=number(view.params))
    return table
