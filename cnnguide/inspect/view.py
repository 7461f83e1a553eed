"""The framework-neutral view of a built model: one row per layer, and the totals.

Both frameworks' models are read into the same :class:`ModelView`, so a table, a diagram, a
parity check or a comparison with a paper never asks which framework built the model. The
conventions, chosen so that one network gives one view in both frameworks:

* shapes are H x W x C (a vector is ``(n,)``), without the batch axis;
* an activation layer is folded into the row before it (Keras writes ``Conv2D(...,
  activation="tanh")``, idiomatic PyTorch a separate ``nn.Tanh``: both give one row);
* one computation is one set of rows however a framework spells it: a separable convolution is
  a depthwise row and a pointwise row (Keras's ``SeparableConv2D`` is read as two), a global
  average pooling that keeps its 1 x 1 map is one row (Keras ``GlobalAveragePooling2D(
  keepdims=True)`` or a pooling and a ``Reshape``; PyTorch ``AdaptiveAvgPool2d(1)`` or
  ``x.mean((2, 3), keepdim=True)``), stochastic depth is one kind (Keras ``Dropout`` with
  ``noise_shape=(None, 1, 1, 1)``, torchvision's ``StochasticDepth``, timm's ``DropPath``);
* rows are in execution order and each names the rows it reads (``inputs``; ``"input"`` is the
  model's input), so branches (Inception) and skip connections (ResNet) are part of the view;
  additions and concatenations are rows (Keras ``Add`` layers, PyTorch ``+`` and ``torch.cat``);
* *trainable* parameters are the ones an optimizer updates; *non-trainable* ones are the rest of
  the model's numeric state: frozen weights and BatchNorm moving mean/variance. Keras counts the
  latter in ``count_params()``; PyTorch keeps them as buffers outside ``parameters()``; here both
  count them, so ``total`` equals Keras's ``count_params()`` and ``trainable`` equals
  ``sum(p.numel() for p in model.parameters())`` of an unfrozen PyTorch model;
* MACs are multiply-accumulates of convolutions and dense layers (a bias add, a pooling, a
  BatchNorm, which folds into the convolution before it, the channel-wise product of a
  squeeze-and-excitation gate, count 0). Most papers call these "FLOPs" or "multiply-adds";
  see :func:`macs`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, Iterable

# Neutral layer kinds. Extractors map each framework's classes onto these.
WEIGHTED_KINDS = ("conv", "dense")
ACTIVATION = "activation"
IDENTITY = "identity"
INPUT = "input"  # the name rows use for the model's input
COMMUTATIVE = ("add", "multiply")  # x + y == y + x: argument order carries no meaning


@dataclass(frozen=True)
class Layer:
    """One row: a layer as both frameworks would describe it."""

    name: str
    kind: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    trainable: int = 0
    non_trainable: int = 0
    activation: str | None = None
    kernel_size: tuple[int, ...] | None = None
    strides: tuple[int, ...] | None = None
    groups: int = 1
    bias: bool = False
    # Elements of the multiplying kernel (no bias): each output position costs this many MACs.
    kernel_elements: int = 0
    # Names of the rows this layer reads, in argument order; "input" is the model's input.
    inputs: tuple[str, ...] = ()
    # The framework's own layer object, for weight transfer; not part of the comparison.
    ref: Any = field(default=None, compare=False, repr=False)

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable

    @property
    def macs(self) -> int:
        return macs(self)

    @property
    def units(self) -> int:
        """Output channels (conv) or units (dense): the last axis of the output."""
        return self.output_shape[-1]


def macs(layer: Layer) -> int:
    """Multiply-accumulates of one forward pass of ``layer`` on one image.

    A convolution computes, at each of its output positions (H_out x W_out), one dot product per
    filter over a kh x kw x C_in/groups window: kernel elements x positions. The same formula
    serves a dense layer (one position), a grouped or depthwise convolution (its kernel is
    smaller: a 3x3 depthwise convolution over C maps holds 9·C weights, so at H x W outputs it
    costs 9·C·H·W), and a dense layer applied at every position.
    """
    if layer.kind not in WEIGHTED_KINDS:
        return 0
    positions = math.prod(layer.output_shape[:-1])
    return layer.kernel_elements * positions


def _row_dict(row: Layer) -> dict:
    # Not dataclasses.asdict: it deep-copies every field before dropping any, and deep-copying
    # ``ref`` (a live Keras layer or torch module) copies its weights; on ResNet-152 that was
    # most of a cold build's time.
    return {f.name: getattr(row, f.name) for f in fields(Layer) if f.name != "ref"}


@dataclass(frozen=True)
class ModelView:
    """A whole model: its input shape, its rows in execution order, and totals."""

    name: str
    framework: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.layers[-1].output_shape

    @property
    def trainable(self) -> int:
        return sum(layer.trainable for layer in self.layers)

    @property
    def non_trainable(self) -> int:
        return sum(layer.non_trainable for layer in self.layers)

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable

    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def activations(self) -> int:
        """Values that the rows output for one image: what a forward pass holds if it keeps
        every output, as training does for the backward pass (times 4 bytes in float32). A
        concatenation counts as a new output, as it is in a network that copies its inputs into
        a new tensor (DenseNet's memory: Pleiss et al. 2017)."""
        return sum(math.prod(layer.output_shape) for layer in self.layers)

    @property
    def depth(self) -> int:
        """Layers with weights (convolutions, dense layers) on the longest path from input to
        output: what papers mean by depth (GoogLeNet: "22 layers deep when counting only layers
        with parameters"; ResNet-152: 152)."""
        longest: dict[str, int] = {INPUT: 0}
        for row in self.layers:
            here = max((longest.get(name, 0) for name in row.inputs), default=0)
            longest[row.name] = here + (row.kind in WEIGHTED_KINDS)
        return max(longest.values())

    def layer(self, name: str) -> Layer:
        for row in self.layers:
            if row.name == name:
                return row
        from ..errors import UnknownModelError

        raise UnknownModelError(name, [row.name for row in self.layers], what=f"layer of {self.name}")

    def block(self, prefix: str) -> "ModelView":
        """The rows whose names start with ``prefix`` (``"conv3_block1_"``, ``"inception_3a_"``,
        ``"block3_"``) as a view of their own, whose input is the map the block reads.

        A block drawn or tabulated alone must still be a graph: the residual branch, the
        projection shortcut and the addition that joins them read each other by name, and what
        they read from outside the block becomes the view's ``"input"`` (see :meth:`subview`).
        Raises :class:`~cnnguide.errors.UnknownBlockError`, naming :meth:`block_prefixes`, when
        no row's name starts with ``prefix``.
        """
        positions = [i for i, row in enumerate(self.layers) if row.name.startswith(prefix)]
        if not prefix or not positions:
            from ..errors import UnknownBlockError

            raise UnknownBlockError(prefix, self.name, self.block_prefixes(), [row.name for row in self.layers])
        return self.subview(positions, name=f"{self.name}/{prefix.rstrip('_.')}")

    def subview(self, positions: Iterable[int], name: str | None = None) -> "ModelView":
        """The rows at ``positions`` (in execution order) as a view of their own.

        Positions, not names, select the rows, so that one selection picks the same rows from a
        Keras view and a PyTorch view of one network (their rows agree position by position;
        their names differ). The one map the rows read from outside becomes the new view's
        input; a selection that reads two (two blocks' worth of rows with a gap between them)
        is refused, since a figure or a table of it would have to invent where the second came
        from.
        """
        chosen = [self.layers[i] for i in sorted(set(positions))]
        inside = {row.name for row in chosen}
        outside: list[str] = []
        for row in chosen:
            for source in row.inputs:
                if source not in inside and source not in outside:
                    outside.append(source)
        if len(outside) != 1:
            from ..errors import CnnguideError

            raise CnnguideError(
                f"{self.name}: the rows {chosen[0].name} ... {chosen[-1].name} read "
                f"{len(outside)} maps from outside them ({', '.join(outside) or 'none'}); a block "
                "reads exactly one. Choose rows that form one block."
            )
        source = outside[0]
        input_shape = self.input_shape if source == INPUT else self.layer(source).output_shape
        rows = tuple(replace(row, inputs=tuple(INPUT if n == source else n for n in row.inputs))
                     for row in chosen)
        return ModelView(name or self.name, self.framework, tuple(input_shape), rows)

    def block_prefixes(self) -> list[str]:
        """The name prefixes that name a block, in execution order: for a Keras-style name,
        its segments up to the last one that numbers something (``block3``, ``conv3_block1``,
        ``inception_3a``), when two rows or more share them.

        Layer names say where a layer sits (``conv3_block1_2_conv``: stage conv3, block 1,
        second convolution); a segment that mixes letters and digits numbers a stage, a block
        or a module, except a kernel size (``3x3``) and the layer's own last segment
        (``conv1`` in ``block3_conv1``). This lists what :meth:`block` accepts for an error
        message and for authors; :meth:`block` itself takes any prefix.
        """
        counts: dict[str, int] = {}
        for row in self.layers:
            prefix = _block_prefix(row.name)
            if prefix:
                counts[prefix] = counts.get(prefix, 0) + 1
        return [prefix for prefix, count in counts.items() if count >= 2]

    def weighted(self) -> list[Layer]:
        """Rows that carry parameters, in execution order (what weight transfer pairs up)."""
        return [row for row in self.layers if row.params]

    def to_dict(self) -> dict:
        """A JSON-able copy (without the framework objects), for the cache."""
        return {"name": self.name, "framework": self.framework, "input_shape": list(self.input_shape),
                "layers": [_row_dict(row) for row in self.layers]}

    @classmethod
    def from_dict(cls, data: dict) -> "ModelView":
        tuples = {f.name for f in fields(Layer) if "tuple" in str(f.type)}
        rows = tuple(Layer(**{k: tuple(v) if k in tuples and v is not None else v
                              for k, v in row.items()}) for row in data["layers"])
        return cls(data["name"], data["framework"], tuple(data["input_shape"]), rows)

    def comparable(self) -> list[tuple]:
        """The rows without framework objects or names: what must match across frameworks.

        Inputs are compared as row positions (-1 for the model input), since the two frameworks
        name layers differently.
        """
        position = {row.name: i for i, row in enumerate(self.layers)}
        position[INPUT] = -1

        def reads(row: Layer) -> tuple:
            found = tuple(position.get(name, name) for name in row.inputs)
            return tuple(sorted(found, key=str)) if row.kind in COMMUTATIVE else found

        return [
            (r.kind, r.output_shape, r.trainable, r.non_trainable, r.activation, r.kernel_size,
             r.strides, r.groups, r.macs, reads(r))
            for r in self.layers
        ]


_SEGMENT = re.compile(r"[^_.]+[_.]")
_NUMBERS = re.compile(r"(?=.*[a-z])(?=.*\d)(?!\d+x\d+$)", re.I)  # letters and digits, not a kernel size


def _block_prefix(name: str) -> str | None:
    """``conv3_block1_1_conv`` -> ``conv3_block1_``; ``block3_conv1`` -> ``block3_``; None when
    no segment before the last numbers something (``conv1``, ``fc6``)."""
    found = None
    for segment in _SEGMENT.finditer(name):  # every segment but the last, with its separator
        if _NUMBERS.match(segment.group()[:-1]):
            found = name[:segment.end()]
    return found


def normalize(rows: Iterable[Layer], outputs: Iterable[str] = ()) -> tuple[Layer, ...]:
    """The extractors' last step: a canonical order, then one row per computation."""
    return fold_activations(canonical_order(list(rows), list(outputs)))


def canonical_order(rows: list[Layer], outputs: list[str] = ()) -> list[Layer]:
    """Rows in an order fixed by the graph alone, not by how a framework lists its layers.

    Keras lists a functional model's layers by depth, interleaving parallel branches; PyTorch
    runs them in the order ``forward`` is written. Here every output (a row nobody reads, in
    listing order) is reached depth-first, each row after the rows it reads, in argument order:
    a residual branch before its shortcut when the addition is written ``F(x) + x``, Inception
    branches in concatenation order. The arguments of an addition are visited deepest first
    (the residual branch before its shortcut), since ``F(x) + x`` and ``x + F(x)`` are one
    computation. ``outputs`` (the model's outputs, in the order the model returns them) come
    first, so a model with auxiliary heads has one order in both frameworks.
    """
    by_name = {row.name: row for row in rows}
    depth: dict[str, int] = {INPUT: 0}
    for row in rows:  # listing order is topological in both frameworks
        depth[row.name] = 1 + max((depth.get(name, 0) for name in row.inputs), default=0)

    def visit_order(row: Layer) -> list[str]:
        if row.kind in COMMUTATIVE:
            return sorted(row.inputs, key=lambda name: -depth.get(name, 0))
        return list(row.inputs)

    read = {name for row in rows for name in row.inputs}
    ordered: list[Layer] = []
    done: set[str] = set()
    sinks = [by_name[name] for name in outputs if name in by_name]
    sinks += [row for row in rows if row.name not in read and row not in sinks]
    for sink in sinks:
        stack = [(sink, False)]
        while stack:  # iterative post-order: ResNet-152 is deeper than Python's recursion limit
            row, expanded = stack.pop()
            if row.name in done:
                continue
            if expanded:
                done.add(row.name)
                ordered.append(row)
                continue
            stack.append((row, True))
            stack.extend((by_name[name], False) for name in reversed(visit_order(row))
                         if name in by_name and name not in done)
    return ordered


def fold_activations(rows: Iterable[Layer]) -> tuple[Layer, ...]:
    """Bring both frameworks' ways of writing the same computation to one set of rows.

    * An activation folds into the row it reads when that is the row just before it and has no
      activation of its own; otherwise it stays a row (as after an addition that has one).
    * Identity rows are dropped.
    * Explicit zero padding (Keras writes ``ZeroPadding2D`` then a valid convolution, PyTorch a
      ``padding=`` argument) folds into the row that reads it, which then reads the unpadded map;
      so does -inf padding before a max pooling (PyTorch's ``MaxPool2d(padding=)`` pads so).
    * A global average pool to 1 x 1 followed by a flatten (PyTorch's ``AdaptiveAvgPool2d(1)``
      then ``flatten``) is one global average pooling to a vector (Keras's
      ``GlobalAveragePooling2D``); a global average pool to a vector followed by a reshape to
      1 x 1 x C (keras.applications' squeeze-and-excitation) is one that keeps its 1 x 1 map
      (``GlobalAveragePooling2D(keepdims=True)``, PyTorch's ``AdaptiveAvgPool2d(1)``).

    Rows that read a folded or dropped row read what replaced it.
    """
    folded: list[Layer] = []
    renamed: dict[str, str] = {}
    unpadded: dict[str, tuple[int, ...]] = {}  # folded padding row -> the shape it padded
    for row in rows:
        padded_from = [unpadded[name] for name in row.inputs if name in unpadded]
        row = replace(row, inputs=tuple(renamed.get(name, name) for name in row.inputs),
                      input_shape=padded_from[0] if padded_from else row.input_shape)
        if row.kind == "adaptive_avg_pool" and row.output_shape[:-1] == (1, 1):
            row = replace(row, kind="global_avg_pool", kernel_size=None, strides=None)
        before = folded[-1] if folded else None
        reads_before = before is not None and row.inputs in ((), (before.name,))
        if row.kind in (IDENTITY, "zero_pad", "pool_pad") and len(row.inputs) == 1:
            renamed[row.name] = row.inputs[0]
            if row.kind != IDENTITY:
                unpadded[row.name] = row.input_shape
            continue
        if (row.kind == ACTIVATION and reads_before and before.activation is None
                and before.output_shape == row.output_shape):
            folded[-1] = replace(before, activation=row.activation)
            renamed[row.name] = before.name
            continue
        if (row.kind == "flatten" and reads_before and before.kind == "global_avg_pool"
                and len(before.output_shape) == 3):
            folded[-1] = replace(before, output_shape=row.output_shape)
            renamed[row.name] = before.name
            continue
        if (row.kind == "reshape" and reads_before and before.kind == "global_avg_pool"
                and len(before.output_shape) == 1 and row.output_shape == (1, 1) + before.output_shape):
            folded[-1] = replace(before, output_shape=row.output_shape)
            renamed[row.name] = before.name
            continue
        folded.append(row)
    return tuple(folded)
