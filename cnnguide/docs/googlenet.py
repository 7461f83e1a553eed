"""What the GoogLeNet / Inception page computes: the 1x1 bottleneck's saving, the "same"
padding that makes the concatenation possible, and the paper / torchvision / Keras comparison."""

from __future__ import annotations

from .. import frameworks
from ..errors import CnnguideError
from ..render.labels import number
from ..render.tables import markdown_table
from .context import language, pick
from .records import record
from .models import agreed_view, computed


def bottleneck_table() -> str:
    """The course's example from the real layers: 28x28x192 -> 5x5 conv to 32 channels, directly
    (the naive module's 5x5 branch at that input) or after a 16-channel 1x1 (GoogLeNet's 3a)."""
    naive = agreed_view("inception_naive", input_shape=(28, 28, 192))
    module = agreed_view("inception_module")
    direct = naive.layer("inception_naive_5x5")
    reduce, conv = module.layer("inception_3a_5x5_reduce"), module.layer("inception_3a_5x5")
    saved = direct.macs / (reduce.macs + conv.macs)
    if not 5 < saved < 20:
        raise CnnguideError(f"The 1x1 bottleneck saves {saved:.1f}x, not about tenfold.")
    rows = [
        [pick({"ko": "5×5 합성곱만", "en": "5×5 convolution alone"}), number(direct.macs),
         number(direct.params)],
        [pick({"ko": "1×1 (16) → 5×5", "en": "1×1 (16) → 5×5"}),
         f"{number(reduce.macs)} + {number(conv.macs)} = {number(reduce.macs + conv.macs)}",
         number(reduce.params + conv.params)],
        [pick({"ko": "비율", "en": "Ratio"}), f"{saved:.1f}×",
         f"{direct.params / (reduce.params + conv.params):.1f}×"],
    ]
    heads = {"ko": ["경로", "MAC", "파라미터"], "en": ["Path", "MACs", "Parameters"]}[language()]
    return markdown_table(heads, rows, "lrr")


def same_padding_check() -> str:
    """Every branch of the post's naive module keeps the input's height and width; only then can
    the outputs be stacked on the channel axis."""
    view = agreed_view("inception_naive")
    concat = next(r for r in view.layers if r.kind == "concat")
    branches = [view.layer(name) for name in concat.inputs]
    sizes = {r.output_shape[:2] for r in branches}
    if sizes != {view.input_shape[:2]} or sum(r.units for r in branches) != concat.units:
        raise CnnguideError(f"Inception branches are {sizes}, not all {view.input_shape[:2]}.")
    rows = [[f"`{r.name}`", "×".join(map(str, r.output_shape))] for r in branches]
    rows.append([f"**`{concat.name}`**", f"**{'×'.join(map(str, concat.output_shape))}**"])
    heads = {"ko": ["갈래", "출력 (H×W×C)"], "en": ["Branch", "Output (H×W×C)"]}[language()]
    return markdown_table(heads, rows, "lr")


def torchvision_table() -> str:
    """Paper layout -> torchvision's network, step by step from each cause, ending at the
    library's own count (computed live), or raising."""
    paper = agreed_view("googlenet")
    convs = [r for r in paper.layers if r.kind == "conv"]
    biases = sum(r.units for r in convs)
    five = sum((25 - 9) * r.input_shape[-1] * r.units for r in convs if r.kernel_size == (5, 5))
    oracle = record("googlenet", variant="torchvision")["oracles"][0]  # torchvision.models.googlenet
    library = sum(r["trainable"] for r in oracle["library_view"]["layers"])
    ours_tv = agreed_view("googlenet", variant="torchvision").trainable
    steps = [
        ({"ko": "논문 구성 (이 사이트의 `googlenet`)", "en": "Paper layout (this site's `googlenet`)"}, paper.trainable),
        ({"ko": "합성곱 편향 제거", "en": "Convolution biases removed"}, -biases),
        ({"ko": "배치 정규화의 γ, β 추가", "en": "BatchNorm γ and β added"}, 2 * biases),
        ({"ko": "세 번째 갈래의 5×5를 3×3으로", "en": "Third branch 5×5 → 3×3"}, -five),
    ]
    total = sum(delta for _, delta in steps)
    if not total == ours_tv == library:
        raise CnnguideError(f"GoogLeNet: steps reach {total}, ours {ours_tv}, torchvision {library}.")
    rows, running = [], 0
    for text, delta in steps:
        running += delta
        rows.append([pick(text), number(delta) if running == delta else f"{delta:+,}", number(running)])
    rows.append([pick({"ko": "torchvision `googlenet()` (직접 계산)", "en": "torchvision `googlenet()` (computed live)"}),
                 "", f"**{number(library)}**"])
    heads = {"ko": ["단계", "변화", "누적"], "en": ["Step", "Change", "Running total"]}[language()]
    return markdown_table(heads, rows, "lrr")


def _inception_v3_params() -> dict:
    keras = frameworks.keras()
    k = keras.applications.InceptionV3(weights=None, include_top=True)
    with frameworks.torch().device("meta"):  # counted, never run: no weight is drawn
        tv = frameworks.torchvision().models.inception_v3(weights=None, aux_logits=True, init_weights=False)
    aux = sum(p.numel() for p in tv.AuxLogits.parameters())
    # Keras builds every BatchNorm of InceptionV3 with scale=False (no gamma), torchvision with.
    gammas = sum(layer.beta.shape[0] for layer in k.layers
                 if type(layer).__name__ == "BatchNormalization" and not layer.scale)
    return {"keras_count": k.count_params(), "keras_trainable": sum(int(w.numpy().size) for w in k.trainable_weights),
            "torchvision": sum(p.numel() for p in tv.parameters()), "torchvision_aux": aux,
            "keras_missing_gammas": gammas}


def inception_v3_table() -> str:
    """The post's InceptionV3 example, built by both libraries with weights=None."""
    found = computed("inception_v3_params", "googlenet", {}, _inception_v3_params)
    explained = found["keras_trainable"] + found["keras_missing_gammas"] + found["torchvision_aux"]
    if explained != found["torchvision"]:
        raise CnnguideError(f"InceptionV3: libraries differ beyond the auxiliary head and γ: {found}")
    rows = [
        ["`keras.applications.InceptionV3`", number(found["keras_count"]), number(found["keras_trainable"])],
        [pick({"ko": "+ 배치 정규화 γ (Keras는 `scale=False`)", "en": "+ BatchNorm γ (Keras uses `scale=False`)"}),
         "", f"+{number(found['keras_missing_gammas'])}"],
        [pick({"ko": "+ torchvision 보조 분류기", "en": "+ torchvision's auxiliary classifier"}), "",
         f"+{number(found['torchvision_aux'])}"],
        ["`torchvision.models.inception_v3`", number(found["torchvision"]), f"**{number(found['torchvision'])}**"],
    ]
    heads = {"ko": ["라이브러리", "전체 (count_params)", "학습 가능"],
             "en": ["Library", "Total (count_params)", "Trainable"]}[language()]
    return markdown_table(heads, rows, "lrr")



def versus_alexnet() -> str:
    """The post's claim 6: GoogLeNet is deeper than AlexNet, yet has fewer parameters."""
    rows = []
    views = {name: agreed_view(name) for name in ("alexnet", "googlenet")}
    if not (views["googlenet"].depth > views["alexnet"].depth
            and views["googlenet"].trainable < views["alexnet"].trainable):
        raise CnnguideError("GoogLeNet is no longer deeper than AlexNet with fewer parameters.")
    for name, view in views.items():
        rows.append([f"`{name}`", str(view.depth), number(view.trainable), number(view.macs)])
    heads = {"ko": ["모델", "깊이", "학습 파라미터", "MAC"],
             "en": ["Model", "Depth", "Trainable params", "MACs"]}[language()]
    return markdown_table(heads, rows, "lrrr")
