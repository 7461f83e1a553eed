"""The glossary: each term once, defined in both languages, with where the site first explains it.

One table feeds two things:

* the glossary page (:func:`glossary`), a definition list in the page's language, each term
  linking to the section that explains it;
* a tooltip wherever a page writes the term's English name: the MkDocs hook appends
  :func:`abbreviations` to every page as ``abbr`` definitions (``*[receptive field]: ...``), in
  the page's language. Korean pages write a term's English name in parentheses on first use
  (``수용 영역(receptive field)``), which is where their tooltip appears: a Korean word followed
  by a particle has no word boundary for the abbreviation to match.

An abbreviation matches its text exactly, as one run of plain text: not a plural, not across a
line break, not split by emphasis (``**pointwise** convolution``). So a term also lists the
other forms the pages write for it (``also``): an acronym, a synonym, or a plural where the
pages hardly write the singular. tests/test_glossary.py checks that every term's tooltip shows
on some page of each language.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import language, pick


@dataclass(frozen=True)
class Term:
    """A glossary entry. ``en`` is the term as English prose writes it (lower case unless a
    name), which is also what the tooltip matches; ``where`` is the page and anchor that first
    explains it (``"vgg.md#why-3x3"``); ``also`` are other forms the pages write for the same
    term (``"MAC"``), which get the same tooltip."""

    en: str
    ko: str
    definition: dict[str, str]
    where: str
    also: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The term's own id on the glossary page, ASCII so that it reads well in a URL."""
        words = self.en.lower().replace("/", " ").replace("×", "x").split()
        return "term-" + "-".join(words)

    @property
    def written(self) -> tuple[str, ...]:
        """Every form a tooltip matches: each name as written and capitalised, for the start of
        a sentence or a heading."""
        forms = (self.en, *self.also)
        return tuple(dict.fromkeys(f for form in forms for f in (form, form[:1].upper() + form[1:])))


# In the order the site explains them, so the terms of one page stand together here; the glossary
# page sorts them alphabetically for itself.
TERMS: tuple[Term, ...] = (
    # The basics that LeNet-5 introduces.
    Term("convolution", "합성곱",
         {"ko": "작은 필터를 입력 위로 옮겨 가며 위치마다 창 안의 값을 모든 입력 채널에 걸쳐 가중합하는 "
                "층입니다. 필터의 가중치는 모든 위치에서 공유되고, 필터 하나가 출력 채널 하나를 만듭니다.",
          "en": "A layer that slides small filters over its input and, at every position, takes a weighted "
                "sum of the window across all input channels. A filter's weights are shared by every "
                "position, and each filter makes one output channel."},
         "lenet5.md#history"),
    Term("feature map", "특징 맵",
         {"ko": "한 층이 채널 하나에 내놓는 출력, 곧 위치마다 값이 하나씩 있는 격자입니다. 층의 출력은 "
                "이런 맵을 채널 수만큼 쌓은 것입니다.",
          "en": "What a layer outputs for one channel: a grid with one value per position. A layer's "
                "output is a stack of such maps, one per channel."},
         "lenet5.md#history"),
    Term("subsampling", "서브샘플링",
         {"ko": "LeNet-5가 풀링 층을 부르는 이름입니다. 맵의 작은 창을 평균해 높이와 너비를 절반으로 "
                "줄여, 입력이 조금 어긋나도 덜 민감하게 만듭니다. 논문의 층은 맵마다 계수와 편향도 "
                "학습합니다.",
          "en": "LeNet-5's name for its pooling layers: each averages small windows of a map, halving "
                "its height and width, so that a small shift of the input matters less. The paper's "
                "layers also learn a coefficient and a bias per map."},
         "lenet5.md#history"),
    Term("multiply-accumulate", "곱셈-누산",
         {"ko": "곱셈 한 번과 그 결과를 합에 더하는 일을 묶은 것으로, 이 사이트가 계산량을 세는 "
                "단위(MAC)입니다. 합성곱과 완전 연결 층의 곱셈만 세고 편향 덧셈과 풀링은 세지 않습니다. "
                "많은 논문이 FLOPs라고 부르는 값이 사실 이것입니다.",
          "en": "One multiplication added into a running sum: the unit in which this site counts "
                "computation (MACs). Only the multiplications of convolution and dense layers count, "
                "not bias additions or pooling. The FLOPs that many papers report are in fact these."},
         "lenet5.md#architecture", also=("MAC", "MACs")),
    Term("parameter", "파라미터",
         {"ko": "층에 저장된 값으로, 대부분은 학습으로 정해지는 가중치와 편향입니다. 이 사이트의 전체 "
                "개수에는 학습하지 않는 배치 정규화의 이동 평균과 분산도 들어가고, 학습 가능한 개수에는 "
                "들어가지 않습니다.",
          "en": "A value stored in a layer, mostly the weights and biases that training learns. This "
                "site's totals also count batch normalization's running means and variances, which are "
                "not trained; its trainable counts leave them out."},
         "lenet5.md#arithmetic"),
    Term("max pooling", "최대 풀링",
         {"ko": "창마다 가장 큰 값, 곧 그 창에서 가장 강한 반응만 남기는 풀링입니다.",
          "en": "Pooling that keeps the largest value of each window, its strongest response."},
         "experiments.md#lenet5"),
    Term("average pooling", "평균 풀링",
         {"ko": "창마다 값들의 평균을 남기는 풀링으로, 강한 반응이 약한 이웃과 섞입니다.",
          "en": "Pooling that keeps the mean of each window, so a strong response is averaged with its "
                "weaker neighbours."},
         "experiments.md#lenet5"),
    # AlexNet's choices.
    Term("ReLU", "ReLU",
         {"ko": "정류 선형 유닛으로, 양수는 그대로 통과시키고 음수는 영으로 만듭니다. 양수 쪽에서는 "
                "포화하지 않으므로 기울기가 줄지 않고 지나갑니다.",
          "en": "The rectified linear unit: it passes positive values unchanged and sets negative ones "
                "to zero. It does not saturate for positive inputs, so the gradient passes there "
                "undiminished."},
         "alexnet.md#relu"),
    Term("vanishing gradient", "기울기 소실",
         {"ko": "기울기가 입력 쪽으로 거슬러 가며 층마다 줄어들어 앞쪽 층이 거의 배우지 못하는 "
                "현상입니다. 도함수가 최대 사분의 일인 시그모이드가 대표적인 원인입니다.",
          "en": "The gradient shrinking layer by layer on its way back to the input, so that the early "
                "layers hardly learn. The sigmoid, whose derivative is at most a quarter, is the classic "
                "cause."},
         "alexnet.md#relu", also=("vanishing gradients",)),
    Term("grouped convolution", "그룹 합성곱",
         {"ko": "채널을 여러 그룹으로 나누어 필터마다 자기 그룹의 입력 채널만 읽게 한 합성곱으로, 가중치와 "
                "계산량이 그룹 수로 나뉩니다. AlexNet이 두 GPU에 나눈 층이 그룹이 둘인 경우이고, ResNeXt의 "
                "경로도 이것으로 계산합니다.",
          "en": "A convolution whose channels are split into groups, each filter reading only the input "
                "channels of its own group, which divides its weights and computation by the number of "
                "groups. AlexNet's split across two GPUs is one with two groups; ResNeXt computes its "
                "paths with one."},
         "alexnet.md#groups"),
    Term("local response normalization", "국소 응답 정규화",
         {"ko": "AlexNet의 정규화로, 같은 위치에서 이웃한 채널들의 활성화 제곱합이 클수록 각 활성화를 더 "
                "크게 나눕니다. 강하게 반응한 채널이 이웃을 억누르며, 학습할 파라미터는 없습니다. 이후 "
                "배치 정규화가 그 자리를 대신했습니다.",
          "en": "AlexNet's normalization: each activation is divided by a term that grows with the sum of "
                "squares of its neighbouring channels at the same position, so a strong channel "
                "suppresses its neighbours. It learns nothing; batch normalization later took its place."},
         "alexnet.md#lrn", also=("LRN",)),
    Term("pooling", "풀링",
         {"ko": "특징 맵의 작은 창마다 값 하나(최댓값이나 평균)만 남기는 층으로, 보통 맵을 줄입니다. "
                "학습할 파라미터가 없습니다.",
          "en": "A layer that summarises each small window of a feature map by one value, its maximum or "
                "its average, usually shrinking the map. It has no parameters."},
         "alexnet.md#pooling"),
    Term("dropout", "드롭아웃",
         {"ko": "학습할 때만 유닛의 출력을 무작위로 꺼서 어떤 유닛도 특정한 다른 유닛에 기대지 못하게 하는 "
                "규제 기법입니다. 추론할 때는 아무것도 하지 않습니다.",
          "en": "A regularizer that, in training only, switches units off at random, so that no unit can "
                "rely on particular others. At inference it does nothing."},
         "alexnet.md#regularization"),
    # GoogLeNet and VGG.
    Term("Inception module", "인셉션 모듈",
         {"ko": "GoogLeNet의 블록입니다. 한 입력에 1×1, 3×3, 5×5 합성곱과 풀링을 나란히 적용해 결과를 "
                "채널 방향으로 이어 붙이고, 1×1 병목으로 비용을 줄입니다.",
          "en": "GoogLeNet's block: 1×1, 3×3 and 5×5 convolutions and a pooling run side by side on one "
                "input, and their outputs are concatenated along the channels; 1×1 bottlenecks keep the "
                "cost down."},
         "googlenet.md#history"),
    Term("padding", "패딩",
         {"ko": "창이 가장자리 픽셀 위에도 놓일 수 있도록 입력 둘레에 덧붙이는 값으로, 대개 영입니다. "
                "same 패딩을 쓰면 한 칸씩 움직이는 층의 출력이 입력과 같은 높이와 너비를 유지합니다.",
          "en": "Values, usually zeros, added around the input so that a window can also sit on the edge "
                "pixels. With same padding, a layer that moves one pixel at a time keeps its input's "
                "height and width."},
         "googlenet.md#naive"),
    Term("stride", "스트라이드",
         {"ko": "합성곱이나 풀링의 창이 한 출력 위치에서 다음 위치로 움직이는 픽셀 수입니다. 두 칸씩 "
                "움직이면 출력의 높이와 너비가 절반이 됩니다.",
          "en": "How many pixels a convolution or pooling window moves from one output position to the "
                "next. A window that moves two pixels at a time halves the output's height and width."},
         "googlenet.md#naive"),
    Term("1×1 convolution", "1×1 합성곱",
         {"ko": "커널이 한 위치만 덮는 합성곱으로, 이웃을 보지 않고 위치마다 채널들을 섞습니다. 채널 수를 "
                "값싸게 줄이거나 다시 늘리는 데 쓰며, 깊이별 분리 합성곱에서는 점별 합성곱이 됩니다.",
          "en": "A convolution whose kernel covers a single position: it mixes the channels at each "
                "position without looking at its neighbours. It reduces or restores the number of "
                "channels cheaply, and is the pointwise half of a depthwise separable convolution."},
         "googlenet.md#bottleneck"),
    Term("bottleneck", "병목",
         {"ko": "블록 안의 좁은 지점입니다. 비싼 합성곱 앞에서 1×1 합성곱으로 채널을 줄이고, ResNet의 병목 "
                "블록에서는 뒤의 1×1 합성곱으로 다시 늘려 파라미터와 계산량을 아낍니다.",
          "en": "A narrow point in a block: a 1×1 convolution reduces the channels before an expensive "
                "convolution (and in ResNet's bottleneck block another widens them again), saving "
                "parameters and computation."},
         "googlenet.md#bottleneck"),
    Term("global average pooling", "전역 평균 풀링",
         {"ko": "특징 맵 하나 전체를 평균해 숫자 하나로 만들어, 분류기가 채널마다 값 하나만 읽게 합니다. "
                "GoogLeNet 이후의 네트워크는 AlexNet과 VGG의 파라미터 대부분이 있는 큰 완전 연결 층 대신 이것을 "
                "씁니다.",
          "en": "Averages each whole feature map to a single number, so that the classifier reads one "
                "value per channel. From GoogLeNet on, networks use it in place of the large fully "
                "connected layers that hold most of AlexNet's and VGG's parameters."},
         "googlenet.md#network"),
    Term("receptive field", "수용 영역",
         {"ko": "출력의 한 값이 입력에서 보는 영역입니다. 층을 쌓을수록 넓어지고, 풀링을 지날 때마다 그 "
                "뒤의 층이 더 빨리 넓힙니다.",
          "en": "The region of the input that one output value sees. It widens with every layer stacked, "
                "and each pooling makes the layers after it widen it faster."},
         "vgg.md#why-3x3"),
    # ResNet and the blocks after it.
    Term("degradation problem", "성능 저하 문제",
         {"ko": "평범한 네트워크에 층을 더 쌓으면 일정 깊이를 넘어 학습 오류 자체가 올라가는 현상으로, "
                "과적합과는 다릅니다. ResNet은 스킵 연결로 이 문제에 답했습니다.",
          "en": "Past a certain depth, adding layers to a plain network raises its training error "
                "itself, which is not overfitting. ResNet's answer was the skip connection."},
         "resnet.md#history", also=("degradation",)),
    Term("skip connection", "스킵 연결",
         {"ko": "블록의 입력을 층들을 건너 출력에 더해 주는 경로로, 지름길 연결이나 잔차 연결이라고도 "
                "합니다. 덕분에 층들은 입력과의 차이만 배우면 됩니다.",
          "en": "The path that carries a block's input past its layers and adds it to their output, also "
                "called a shortcut or a residual connection. The layers then only learn the difference "
                "from the input."},
         "resnet.md#history", also=("skip connections", "shortcut", "shortcuts", "residual connection")),
    Term("residual block", "잔차 블록",
         {"ko": "합성곱 층들의 출력에 블록의 입력을 더한 뒤 활성화 함수를 적용하는 블록입니다. 층들이 영을 "
                "내도록 배우기만 하면 블록은 입력을 그대로 내보내므로, 블록을 더해도 네트워크가 나빠지기 "
                "어렵습니다.",
          "en": "A block that adds its input to the output of its convolutions before the last "
                "activation. Its layers only have to learn to output zero for the block to pass its input "
                "on, so an added block has no easy way to make the network worse."},
         "resnet.md#block"),
    Term("projection shortcut", "투영 지름길",
         {"ko": "블록이 채널 수를 바꾸거나 맵을 절반으로 줄이는 곳에서, 입력을 출력에 더할 수 있도록 1×1 "
                "합성곱을 거치게 한 스킵 연결입니다.",
          "en": "A skip connection that passes through a 1×1 convolution, used where a block changes the "
                "number of channels or halves the map, so that its input can still be added to its "
                "output."},
         "resnet.md#block", also=("projection shortcuts",)),
    Term("batch normalization", "배치 정규화",
         {"ko": "채널마다 평균을 빼고 표준편차로 나누어 정규화한 뒤, 학습하는 γ를 곱하고 β를 더합니다. "
                "학습할 때는 배치의 통계를, 추론할 때는 학습 중에 모은 이동 평균을 씁니다.",
          "en": "Normalizes each channel by subtracting its mean and dividing by its standard deviation, "
                "then multiplies by a learned γ and adds a learned β. Training uses the batch's "
                "statistics, inference the running averages collected in training."},
         "resnet.md#batch-norm", also=("BN",)),
    Term("depthwise separable convolution", "깊이별 분리 합성곱",
         {"ko": "k×k 합성곱을 둘로 나눈 것입니다. 깊이별 합성곱이 채널마다 따로 거른 뒤 점별(1×1) 합성곱이 "
                "채널들을 섞습니다. 출력 채널이 많고 커널이 3×3이면 표준 합성곱보다 가중치와 계산이 "
                "여덟아홉 배 적습니다.",
          "en": "A k×k convolution split in two: a depthwise convolution filters each channel on its own, "
                "then a pointwise (1×1) convolution mixes the channels. With many output channels and "
                "3×3 kernels, its weights and computation are eight to nine times smaller than a standard "
                "convolution's."},
         "xception.md#separable"),
    Term("depthwise convolution", "깊이별 합성곱",
         {"ko": "입력 채널마다 k×k 커널 하나로 그 채널만 따로 거르는 합성곱으로, 채널 사이를 섞지 "
                "않습니다. 그룹 수가 채널 수와 같은 그룹 합성곱입니다.",
          "en": "A convolution that filters every input channel on its own, with one k×k kernel per "
                "channel, mixing nothing across channels: a grouped convolution with as many groups as "
                "channels."},
         "xception.md#separable"),
    Term("pointwise convolution", "점별 합성곱",
         {"ko": "깊이별 분리 합성곱의 뒤쪽 절반입니다. 깊이별 합성곱이 따로 거른 채널들을 1×1 합성곱으로 "
                "섞어 출력 채널을 만듭니다.",
          "en": "The second half of a depthwise separable convolution: a 1×1 convolution that mixes the "
                "channels the depthwise half filtered into the output channels."},
         "xception.md#separable", also=("pointwise",)),
    Term("cardinality", "카디널리티",
         {"ko": "ResNeXt에서 블록 안에 나란히 놓인 같은 모양의 경로 수로, 그룹 합성곱의 그룹으로 "
                "계산합니다. 논문은 이를 깊이와 폭에 더한 네트워크의 세 번째 차원으로 봅니다.",
          "en": "In ResNeXt, the number of parallel paths of the same shape in a block, computed as the "
                "groups of a grouped convolution. The paper sees it as a third dimension of a network "
                "beside depth and width."},
         "resnext.md#cardinality"),
    Term("dense block", "덴스 블록",
         {"ko": "DenseNet의 블록으로, 각 층이 앞선 모든 층의 맵을 이어 붙여 받고 자기 맵을 뒤의 모든 층에 "
                "넘깁니다. 이어 붙이려면 크기가 같아야 하므로 블록 안의 맵은 크기가 모두 같습니다.",
          "en": "DenseNet's block, in which every layer receives the concatenated maps of all the layers "
                "before it and passes its own to all the layers after it. Concatenation needs maps of "
                "one size, so all the maps in a block share it."},
         "densenet.md#dense"),
    Term("transition layer", "전이 층",
         {"ko": "DenseNet에서 두 덴스 블록 사이에 두는 층(배치 정규화, ReLU, 1×1 합성곱, 평균 풀링)으로, 맵을 "
                "절반으로 줄이고 채널을 일부만 남길 수 있습니다. CSPNet은 단계의 블록 뒤와 이어 붙인 뒤에 "
                "두는 1×1 합성곱을 이렇게 부릅니다.",
          "en": "In DenseNet, the layer between two dense blocks (batch normalization, ReLU, a 1×1 "
                "convolution and average pooling) that halves the maps and can keep only a share of the "
                "channels. CSPNet gives the name to the 1×1 convolutions after a stage's blocks and after "
                "its concatenation."},
         "densenet.md#dense"),
    Term("growth rate", "성장률",
         {"ko": "DenseNet에서 층 하나가 블록의 상태에 보태는 맵의 수 k입니다. 뒤의 모든 층이 이 맵들을 "
                "읽으므로 작게 둡니다.",
          "en": "In DenseNet, the number of maps k that each layer adds to its block's state; it is kept "
                "small, because every later layer reads them all."},
         "densenet.md#growth"),
    Term("width multiplier", "폭 배수",
         {"ko": "MobileNet의 α로, 모든 층의 입력과 출력 채널 수에 곱해 네트워크를 고르게 얇게 만듭니다. "
                "계산량과 가중치는 대략 α의 제곱에 비례해 줄어듭니다.",
          "en": "MobileNet's α, a factor on every layer's input and output channels that thins the whole "
                "network uniformly; computation and weights shrink roughly with its square."},
         "mobilenet.md#multipliers"),
    Term("squeeze-and-excitation", "압축-흥분",
         {"ko": "맵 전체에서 채널마다 평균을 내고(압축), 작은 완전 연결 층 두 개와 시그모이드로 채널마다 "
                "가중치 하나를 만든 뒤(흥분), 채널마다 그 가중치를 곱하는 작은 블록입니다. "
                "스퀴즈-익사이테이션이라고도 씁니다.",
          "en": "A small block that averages each channel over the whole map (squeeze), turns these "
                "values into one weight per channel with two small fully connected layers and a sigmoid "
                "(excitation), and multiplies each channel by its weight."},
         "senet.md#block"),
    Term("inverted residual", "역잔차",
         {"ko": "MobileNet v2의 블록입니다. 1×1 합성곱으로 좁은 입력을 넓히고, 깊이별 합성곱으로 거른 뒤, "
                "선형 1×1 합성곱으로 다시 좁힙니다. ResNet의 병목 블록과 반대로 스킵 연결이 좁은 쪽 끝끼리를 "
                "잇습니다.",
          "en": "MobileNet v2's block: a 1×1 convolution widens a narrow input, a depthwise convolution "
                "filters it and a linear 1×1 convolution narrows it again. Unlike ResNet's bottleneck "
                "block, the shortcut joins the narrow ends."},
         "mobilenet_v2.md#block"),
    Term("linear bottleneck", "선형 병목",
         {"ko": "역잔차 블록의 좁은 쪽 끝으로, 뒤에 활성화 함수가 없는 1×1 합성곱이 만듭니다. 차원이 적은 "
                "곳에서 ReLU를 쓰면 정보가 사라지기 때문입니다.",
          "en": "The narrow end of an inverted residual block, made by a 1×1 convolution with no "
                "activation after it, because a ReLU in so few dimensions destroys information."},
         "mobilenet_v2.md#linear"),
    Term("compound scaling", "복합 스케일링",
         {"ko": "EfficientNet이 네트워크를 키우는 규칙입니다. 깊이, 폭, 입력 해상도를 공통 계수 φ 하나로 "
                "함께 키우며, φ가 하나 늘 때마다 계산량이 대략 두 배가 됩니다.",
          "en": "EfficientNet's rule for enlarging a network: depth, width and input resolution grow "
                "together, all set by one coefficient φ, and each step of φ roughly doubles the "
                "computation."},
         "efficientnet.md#scaling"),
    Term("cross-stage partial", "단계 간 부분",
         {"ko": "CSPNet이 단계를 고쳐 짓는 방식입니다. 입력 채널을 둘로 나누어 한 부분만 단계의 블록을 "
                "지나게 하고 다른 부분은 그대로 건너뛰게 한 뒤 끝에서 이어 붙이므로, 블록의 비용이 대략 "
                "절반이 됩니다.",
          "en": "CSPNet's way of rebuilding a stage: its input's channels are split in two, one part goes "
                "through the stage's blocks while the other crosses the stage untouched, and the two are "
                "concatenated at the end, so the blocks cost about half."},
         "cspnet.md#split", also=("CSP",)),
)


def _tooltip(text: str) -> str:
    # An abbreviation's definition is one line of plain text.
    return " ".join(text.split()).replace("]", ")")


def abbreviations(lang: str) -> str:
    """``abbr`` definitions of every form of every term (:attr:`Term.written`), defined in
    ``lang``."""
    return "\n".join(f"*[{written}]: {_tooltip(term.definition[lang])}"
                     for term in TERMS for written in term.written)


def glossary() -> str:
    """The glossary page's body: every term, alphabetically in the page's language, with its
    definition and a link to where the site explains it."""
    lang = language()
    key = (lambda term: term.ko) if lang == "ko" else (lambda term: term.en.lower())
    words = {"ko": "설명", "en": "Explained in"}
    out = []
    for term in sorted(TERMS, key=key):
        if lang == "en":
            title = term.en[:1].upper() + term.en[1:]
        else:  # the English name too, unless the Korean pages use it as it is (ReLU)
            title = term.ko if term.ko == term.en else f"{term.ko} ({term.en})"
        out.append(f"{title} {{ #{term.anchor} }}\n:   {pick(term.definition)} "
                   f"[{words[lang]}: {_page_name(term.where)} →]({_url(term.where)})\n")
    return "\n".join(out)


PAGES = {"experiments": {"ko": "실험", "en": "Experiments"}}
"""Names of the pages ``where`` may point to that are not case studies (those are named by
the catalog)."""


def _page_name(where: str) -> str:
    from .. import catalog

    stem = where.partition(".md")[0]
    return pick(PAGES[stem]) if stem in PAGES else pick(catalog.study(stem).name)


def _url(where: str) -> str:
    """``"googlenet.md#bottleneck"`` as the glossary page links it: ``../googlenet/#bottleneck``.
    The page's body comes from an executed block, whose links MkDocs does not rewrite from
    source paths to site URLs, so they are written as the site serves them (directory URLs,
    the glossary one level down)."""
    page, _, anchor = where.partition("#")
    return f"../{page.removesuffix('.md')}/" + (f"#{anchor}" if anchor else "")
