"""What the ResNet page computes: the identity a residual block falls back to, the depth table
against the paper and torchvision, the Keras / torchvision difference, and the post's head."""

from __future__ import annotations

import numpy as np

from .. import frameworks
from ..errors import CnnguideError
from ..models.resnet_configs import DEPTHS
from ..render.labels import number
from ..render.tables import markdown_table
from .context import language, pick
from .models import agreed_view, computed
from .records import record


def _identity_gap() -> float:
    """Largest |block(x) - x| for a basic block whose last BatchNorm has gamma = beta = 0, on a
    non-negative input (the output of a ReLU), in both frameworks."""
    from ..models.keras.resnet import basic_block
    from ..models.torch.resnet import BasicBlock
    from ..parity import random_images

    keras, torch = frameworks.keras(), frameworks.torch()
    images = random_images((8, 8, 16), batch=2, seed=3)
    inputs = keras.Input((8, 8, 16))
    model = keras.Model(inputs, basic_block(inputs, 16, name="block"))
    bn = model.get_layer("block_2_bn")
    gamma, beta, mean, var = bn.get_weights()
    bn.set_weights([np.zeros_like(gamma), np.zeros_like(beta), mean, var])
    keras_gap = float(np.abs(model(images, training=False).numpy() - images).max())
    block = BasicBlock(16, 16).eval()
    torch.nn.init.zeros_(block.bn2.weight)
    torch.nn.init.zeros_(block.bn2.bias)
    with torch.no_grad():
        out = block(torch.from_numpy(images).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    return max(keras_gap, float(np.abs(out - images).max()))


def identity_check() -> str:
    gap = computed("resnet_identity", "resnet18", {}, _identity_gap)
    if gap > 1e-6:
        raise CnnguideError(f"A residual block with z[l+2] = 0 differs from the identity by {gap}.")
    return pick({"ko": f"두 프레임워크에서 |블록(x) − x|의 최댓값: **{gap:.1e}**",
                 "en": f"Largest |block(x) − x| in both frameworks: **{gap:.1e}**"})


def _library_params(name: str, framework: str, **options) -> dict:
    """The library model's parameters (trainable, and all), from the oracle of ``name`` built
    with ``options`` (cnnguide.catalog: its weights loaded into ours, outputs compared)."""
    oracle = next(r for r in record(name, **options)["oracles"] if r["framework"] == framework)
    layers = oracle["library_view"]["layers"]
    trainable = sum(r["trainable"] for r in layers)
    return {"trainable": trainable, "all": trainable + sum(r["non_trainable"] for r in layers)}


def depth_table() -> str:
    """Every depth: our layers, parameters and MACs (paper layout and v1.5) against torchvision."""
    rows = []
    for depth in DEPTHS:
        name = f"resnet{depth}"
        v1, v15 = agreed_view(name), agreed_view(name, version="v1.5")
        library = _library_params(name, "torch", version="v1.5")["trainable"]
        if v15.trainable != library or v1.depth != depth:
            raise CnnguideError(f"{name}: {v15.trainable} parameters vs torchvision {library}, depth {v1.depth}.")
        rows.append([f"`{name}`", str(v1.depth), number(v1.trainable), f"{v1.macs / 1e9:.2f}",
                     f"{v15.macs / 1e9:.2f}", number(library)])
    heads = {"ko": ["모델", "깊이", "학습 파라미터", "GMAC (v1, 논문)", "GMAC (v1.5)", "torchvision 파라미터"],
             "en": ["Model", "Depth", "Trainable params", "GMACs (v1, paper)", "GMACs (v1.5)",
                    "torchvision params"]}[language()]
    return markdown_table(heads, rows, "lrrrrr")


def keras_vs_torchvision_table() -> str:
    """keras.applications.ResNet50 against torchvision's resnet50, explained to the parameter."""
    plain = agreed_view("resnet50")
    conv_biases = sum(r.units for r in plain.layers if r.kind == "conv")
    moving = sum(r.non_trainable for r in plain.layers if r.kind == "batch_norm")
    library = _library_params("resnet50", "torch", version="v1.5")["trainable"]
    keras_count = _library_params("resnet50", "keras", conv_bias=True, epsilon=1.001e-5)["all"]
    if library + conv_biases + moving != keras_count:
        raise CnnguideError(f"ResNet50: {library} + {conv_biases} + {moving} != {keras_count}.")
    rows = [
        ["`torchvision.models.resnet50`", number(library)],
        [pick({"ko": "+ 합성곱 편향 (keras.applications는 `use_bias=True`)",
               "en": "+ convolution biases (keras.applications uses `use_bias=True`)"}), f"+{number(conv_biases)}"],
        [pick({"ko": "+ 배치 정규화 이동 평균·분산 (`count_params()`가 셈)",
               "en": "+ BatchNorm moving mean and variance (counted by `count_params()`)"}), f"+{number(moving)}"],
        ["`keras.applications.ResNet50().count_params()`", f"**{number(keras_count)}**"],
    ]
    heads = {"ko": ["", "파라미터"], "en": ["", "Parameters"]}[language()]
    return markdown_table(heads, rows, "lr")


# The post's model at a small input: the same layers, a head small enough to build cheaply.
# At 224x224 its first dense layer alone holds 411M weights (several GB to initialise in each
# framework); its size there follows from the real layers' shapes, and the tests check that
# arithmetic against the model built at this input.
SMALL_INPUT = (64, 64, 3)


def post_head_arithmetic(backbone_output: tuple[int, ...], units: int) -> int:
    """Parameters of Flatten -> Dense(units) on a feature map of ``backbone_output``."""
    flat = 1
    for d in backbone_output:
        flat *= d
    return (flat + 1) * units


def post_head_table() -> str:
    """The post's Flatten -> Dense 4096 head beside a global-average-pooling head of the same width."""
    small = agreed_view("resnet50_post", input_shape=SMALL_INPUT)
    fc1, predictions = small.layer("fc1"), small.layer("predictions")
    if post_head_arithmetic(small.layer("flatten").input_shape, fc1.units) != fc1.params:
        raise CnnguideError("The post's head arithmetic no longer matches its model.")
    # The post's backbone: keras.applications.ResNet50 (conv biases, epsilon 1.001e-5), no top.
    backbone = agreed_view("resnet50", conv_bias=True, epsilon=1.001e-5, include_top=False)
    if backbone.params != small.non_trainable:
        raise CnnguideError("The post's frozen backbone is not keras.applications' ResNet50.")
    feature_map = backbone.output_shape
    flat_head = post_head_arithmetic(feature_map, fc1.units)
    pooled_head = post_head_arithmetic(feature_map[-1:], fc1.units)
    total = backbone.params + flat_head + predictions.params
    rows = [
        [pick({"ko": "고정된 ResNet50 백본 (학습 안 함)", "en": "Frozen ResNet50 backbone (not trained)"}),
         number(backbone.params)],
        [f"Flatten ({'×'.join(map(str, feature_map))} → {number(flat_head // fc1.units - 1)}) → Dense {fc1.units}",
         f"**{number(flat_head)}**"],
        [f"Dense {predictions.units}", number(predictions.params)],
        [f"**{pick({'ko': '원문 모델 전체', 'en': 'The post model in all'})}**", f"**{number(total)}**"],
        [f"{pick({'ko': '비교: 전역 평균 풀링', 'en': 'For comparison: global average pooling'})} "
         f"({number(feature_map[-1])}) → Dense {fc1.units}", number(pooled_head)],
    ]
    if flat_head <= 10 * backbone.params:  # the page says "more than ten times"
        raise CnnguideError("The post's first dense layer no longer outweighs the backbone tenfold.")
    heads = {"ko": ["부분", "파라미터"], "en": ["Part", "Parameters"]}[language()]
    return markdown_table(heads, rows, "lr")
