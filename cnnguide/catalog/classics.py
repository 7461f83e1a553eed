"""The five classics the site began with: LeNet-5, AlexNet, GoogLeNet/Inception, VGG, ResNet."""

from __future__ import annotations

from ..models.resnet_configs import DEPTHS as RESNET_DEPTHS
from .types import MACS, MEASURED, PARAMS, Block, Figure, ModelEntry, Oracle, Paper, Study

LENET_PAPER = Paper(
    authors="Y. LeCun, L. Bottou, Y. Bengio, P. Haffner",
    title="Gradient-Based Learning Applied to Document Recognition",
    venue="Proceedings of the IEEE 86(11), pp. 2278-2324",
    year=1998,
    url="https://doi.org/10.1109/5.726791",
)
_LENET_SRC = "LeCun et al. 1998, Section II.B (LeNet-5)"
_CONN = {"ko": "연결", "en": "connections"}
_NEURONS = {"ko": "뉴런", "en": "neurons"}
_LRN = {"ko": "LRN 상수", "en": "LRN constant"}
_ERROR_DROP = {"ko": "오류율 감소", "en": "error-rate reduction"}
_ALEXNET_ARCH = "Krizhevsky et al. 2012, Section 3.5"
_WEIGHT_LAYERS = {"ko": "가중치 층", "en": "weight layers"}
_PIXELS = {"ko": "픽셀", "en": "pixels"}
_PARAMS, _MACS, _MEASURED = PARAMS, MACS, MEASURED

STUDIES = (
    Study(
        key="lenet5",
        model="lenet5",
        name={"ko": "LeNet-5", "en": "LeNet-5"},
        year=1998,
        paper=LENET_PAPER,
        input_shape=(32, 32, 1),
        figures=(
            # Per-layer figures of Section II.B. C1, C5 and F6 are ordinary layers, so our
            # modern LeNet-5 must reproduce them exactly; S2/C3/S4 differ by design (trainable
            # subsampling, C3's partial connection table), and the output is an RBF layer.
            Figure("C1.params", 156, _PARAMS, _LENET_SRC),
            Figure("S2.params", 12, _PARAMS, _LENET_SRC, None,
                   {"ko": "S2는 맵마다 학습되는 계수 하나와 편향 하나를 둡니다.",
                    "en": "S2 has one trainable coefficient and one bias per map."}),
            Figure("C3.params", 1516, _PARAMS, _LENET_SRC, None,
                   {"ko": "C3는 표 I의 부분 연결만 씁니다.",
                    "en": "C3 uses only the partial connections of Table I."}),
            Figure("S4.params", 32, _PARAMS, _LENET_SRC, None,
                   {"ko": "S4도 맵마다 계수와 편향을 학습합니다.",
                    "en": "S4 also learns a coefficient and a bias per map."}),
            Figure("C5.params", 48120, _PARAMS, _LENET_SRC),
            Figure("F6.params", 10164, _PARAMS, _LENET_SRC),
            Figure("output.params", 0, _PARAMS, _LENET_SRC, None,
                   {"ko": "출력층은 고정된 가중치의 RBF 유닛 10개입니다.",
                    "en": "The output layer is 10 RBF units with fixed weights."}),
            Figure("params", 60000, _PARAMS, _LENET_SRC, None,
                   {"ko": "부분 연결된 C3, 학습되는 서브샘플링, RBF 출력 때문에 현대식 구현과 다릅니다.",
                    "en": "Differs from the modern form by C3's partial connections, the trainable "
                          "subsampling and the RBF output."}),
            Figure("connections", 340908, _CONN, _LENET_SRC, None,
                   {"ko": "연결 수는 편향과 서브샘플링까지 셉니다. 곱셈-누산(MAC)과 다른 단위입니다.",
                    "en": "Connections count biases and subsampling too: a different unit from "
                          "multiply-accumulates (MACs)."}),
            Figure("mnist_test_error", 0.0095, {"ko": "MNIST 테스트 오류율", "en": "MNIST test error"},
                   "LeCun et al. 1998, Section III.C", None,
                   {"ko": "학습된 모델의 측정값입니다. 구조에서 계산할 수 없습니다.",
                    "en": "A measured result of a trained model, not computable from the architecture."}),
        ),
    ),
    Study(
        key="alexnet",
        # conv2, conv4 and conv5 are grouped (one half per GPU): the figure draws the two towers.
        model="alexnet",
        name={"ko": "AlexNet", "en": "AlexNet"},
        year=2012,
        paper=Paper(
            authors="A. Krizhevsky, I. Sutskever, G. E. Hinton",
            title="ImageNet Classification with Deep Convolutional Neural Networks",
            venue="Advances in Neural Information Processing Systems 25 (NIPS 2012)", year=2012,
            url="https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks"),
        # The paper says 224x224x3; only 227 gives its 55x55 conv1 maps (cnnguide.docs.alexnet).
        input_shape=(227, 227, 3),
        figures=(
            Figure("params", 60_000_000, _PARAMS, "Krizhevsky et al. 2012, Abstract", 0.02,
                   {"ko": "논문은 \"6천만 개\"라는 어림수만 적습니다.",
                    "en": "The paper gives only the round figure \"60 million\"."}),
            Figure("neurons", 650_000, _NEURONS, "Krizhevsky et al. 2012, Abstract", 0.02,
                   {"ko": "어림수입니다. 여덟 개의 가중치 층이 내는 출력 값의 수로 셉니다.",
                    "en": "A round figure; counted as the outputs of the eight weighted layers."}),
            # Section 3.5 lists the neurons layer by layer; conv2 onwards are exact products.
            Figure("input.neurons", 150_528, _NEURONS, _ALEXNET_ARCH, None,
                   {"ko": "224×224×3 입력의 값 수입니다. conv1의 55×55 출력은 227×227×3 입력에서만 나옵니다.",
                    "en": "The values of a 224×224×3 input; conv1's 55×55 output needs a 227×227×3 input."}),
            Figure("conv1.neurons", 253_440, _NEURONS, _ALEXNET_ARCH, None,
                   {"ko": "96개 맵의 크기로 나누면 정수의 제곱이 아닙니다. 어떤 입력 크기에서도 나오지 않는 값입니다.",
                    "en": "Divided by 96 maps it is not a square: no input size gives it."}),
            *(Figure(f"{layer}.neurons", count, _NEURONS, _ALEXNET_ARCH)
              for layer, count in (("conv2", 186_624), ("conv3", 64_896), ("conv4", 64_896),
                                   ("conv5", 43_264), ("fc6", 4096), ("fc7", 4096), ("fc8", 1000))),
            # Section 3.3's normalization constants, checked against both frameworks' layers.
            Figure("lrn_k", 2, _LRN, "Krizhevsky et al. 2012, Section 3.3"),
            Figure("lrn_n", 5, _LRN, "Krizhevsky et al. 2012, Section 3.3"),
            Figure("lrn_alpha", 1e-4, _LRN, "Krizhevsky et al. 2012, Section 3.3"),
            Figure("lrn_beta", 0.75, _LRN, "Krizhevsky et al. 2012, Section 3.3"),
            # 224x224 patches of 256x256 images and their mirror images (Section 4.1).
            Figure("augmentation_factor", 2048, {"ko": "배", "en": "times"},
                   "Krizhevsky et al. 2012, Section 4.1"),
            Figure("relu_speedup", 6, {"ko": "배", "en": "times"}, "Krizhevsky et al. 2012, Section 3.1, Figure 1",
                   None, {"ko": "CIFAR-10에서 4층 CNN이 학습 오류 25%에 닿는 속도를 잰 값입니다.",
                          "en": "Measured: a four-layer CNN reaching 25% training error on CIFAR-10."},
                   {"ko": "ReLU가 tanh보다 빨리 학습 오류 25%에 닿음 (CIFAR-10, 4층 CNN)",
                    "en": "ReLU reaching 25% training error faster than tanh (CIFAR-10, four-layer CNN)"}, "times"),
            *(Figure(key, value, _ERROR_DROP, source, None, _MEASURED, what, "percent")
              for key, value, source, what in (
                  ("lrn_top1_gain", 0.014, "Krizhevsky et al. 2012, Section 3.3",
                   {"ko": "LRN이 줄인 top-1 오류율", "en": "Top-1 error removed by LRN"}),
                  ("lrn_top5_gain", 0.012, "Krizhevsky et al. 2012, Section 3.3",
                   {"ko": "LRN이 줄인 top-5 오류율", "en": "Top-5 error removed by LRN"}),
                  ("overlap_top1_gain", 0.004, "Krizhevsky et al. 2012, Section 3.4",
                   {"ko": "겹치는 풀링이 줄인 top-1 오류율 (2×2/2 풀링 대비)",
                    "en": "Top-1 error removed by overlapping pooling (against 2×2/2 pooling)"}),
                  ("overlap_top5_gain", 0.003, "Krizhevsky et al. 2012, Section 3.4",
                   {"ko": "겹치는 풀링이 줄인 top-5 오류율", "en": "Top-5 error removed by overlapping pooling"}))),
            Figure("top5_error", 0.153, {"ko": "top-5 오류율", "en": "top-5 error"},
                   "Krizhevsky et al. 2012, Abstract and Section 6 (ILSVRC-2012 test set)", None,
                   {"ko": "여러 CNN의 예측을 평균한 대회 제출작의 측정값입니다.",
                    "en": "Measured, for the competition entry that averaged several CNNs."},
                   {"ko": "ILSVRC-2012 대회 제출작의 top-5 테스트 오류율",
                    "en": "Top-5 test error of the ILSVRC-2012 entry"}, "percent"),
        ),
    ),
    Study(
        key="googlenet",
        model="googlenet",
        blocks=(Block("inception_naive", name={"ko": "나이브 인셉션 모듈", "en": "The naive Inception module"}),
                Block("inception_module", name={"ko": "1×1 축소가 있는 인셉션 모듈 (3a)",
                                                "en": "The Inception module with 1×1 reductions (3a)"})),
        block_pattern=r"^(inception_\w\w)_",
        name={"ko": "GoogLeNet / 인셉션", "en": "GoogLeNet / Inception"},
        year=2014,
        paper=Paper(
            authors="C. Szegedy, W. Liu, Y. Jia, P. Sermanet, S. Reed, D. Anguelov, D. Erhan, "
                    "V. Vanhoucke, A. Rabinovich",
            title="Going Deeper with Convolutions", venue="CVPR", year=2015,
            url="https://arxiv.org/abs/1409.4842"),
        input_shape=(224, 224, 3),
        figures=(
            Figure("googlenet.params", 6_800_000, _PARAMS, "Szegedy et al. 2015, Table 1 (sum of the params column)",
                   0.05, {"ko": "표 1은 편향 없이 가중치만 세고, K를 1,024로 씁니다(1,024×1,000 가중치의 "
                                "선형 층이 1000K). 표 자신의 채널 수와 맞지 않는 행도 있습니다(conv1은 가중치 "
                                "9,408개인데 2.7K). 합계는 그 행들의 합입니다.",
                          "en": "Table 1 counts weights without biases, with K = 1,024 (the linear layer's "
                                "1,024×1,000 weights are 1000K), and some rows disagree with its own channel "
                                "counts (conv1: 2.7K for 9,408 weights); the total sums those rows."}),
            Figure("googlenet.depth", 22, {"ko": "깊이 (파라미터가 있는 층)", "en": "depth (layers with parameters)"},
                   "Szegedy et al. 2015, Section 5", 0.0),
            Figure("googlenet.macs", 1_500_000_000, _MACS, "Szegedy et al. 2015, Section 1",
                   0.1, {"ko": "논문은 \"약 15억\" 번의 곱셈-누산(multiply-add)이라고만 적습니다.",
                         "en": "The paper says only \"about 1.5 billion\" multiply-adds."}),
            Figure("googlenet.top5_error", 0.0667, {"ko": "top-5 오류율", "en": "top-5 error"},
                   "Szegedy et al. 2015, Section 7 (ILSVRC 2014 submission)", None,
                   {"ko": "7개 모델 앙상블과 다중 크롭의 측정값입니다.",
                    "en": "Measured with an ensemble of 7 models and many crops."},
                   {"ko": "ILSVRC 2014 제출작의 top-5 테스트 오류율", "en": "Top-5 test error of the ILSVRC 2014 entry"},
                   "percent"),
        ),
    ),
    Study(
        key="vgg",
        model="vgg16",
        blocks=(Block("vgg16", "block3_", {"ko": "VGG-16의 세 번째 블록", "en": "VGG-16's third block"}),),
        name={"ko": "VGG-16, VGG-19", "en": "VGG-16, VGG-19"},
        year=2014,
        paper=Paper(
            authors="K. Simonyan, A. Zisserman",
            title="Very Deep Convolutional Networks for Large-Scale Image Recognition",
            venue="ICLR", year=2015, url="https://arxiv.org/abs/1409.1556"),
        input_shape=(224, 224, 3),
        figures=(
            *(Figure(f"{name}.params", value, _PARAMS, f"Simonyan, Zisserman 2015, Table 2 (configuration {config})",
                     0.005, {"ko": "표 2는 백만 단위로 반올림합니다.", "en": "Table 2 rounds to millions."})
              for name, config, value in (("vgg16", "D", 138_000_000), ("vgg19", "E", 144_000_000))),
            # The VGG paper states no compute; the ResNet paper does, in passing.
            *(Figure(f"{name}.macs", value, _MACS, "He et al. 2016 (ResNet), Section 4.1, \"FLOPs\" (multiply-adds)",
                     0.015, {"ko": "다른 논문이 소수 첫째 자리까지만 적고, 완전 연결 층을 셌는지 밝히지 않습니다.",
                             "en": "A second source, to one decimal, not saying whether it counts the fully "
                                   "connected layers."})
              for name, value in (("vgg16", 15_300_000_000), ("vgg19", 19_600_000_000))),
            Figure("vgg16.depth", 16, _WEIGHT_LAYERS, "Simonyan, Zisserman 2015, Table 1 (configuration D)"),
            Figure("vgg19.depth", 19, _WEIGHT_LAYERS, "Simonyan, Zisserman 2015, Table 1 (configuration E)"),
            # Section 2.1: the only kernels; checked by walking both models' layers.
            Figure("conv_kernel", 3, _PIXELS, "Simonyan, Zisserman 2015, Section 2.1"),
            Figure("pool_window", 2, _PIXELS, "Simonyan, Zisserman 2015, Section 2.1"),
            Figure("pool_stride", 2, _PIXELS, "Simonyan, Zisserman 2015, Section 2.1"),
            # Section 2.3: three stacked 3x3 layers see 7x7, with 27C^2 weights against 49C^2.
            Figure("stack3_receptive_field", 7, _PIXELS, "Simonyan, Zisserman 2015, Section 2.3"),
            Figure("stack3_saving", 0.81, {"ko": "7×7 층이 더 쓰는 가중치 비율", "en": "extra weights of a 7×7 layer"},
                   "Simonyan, Zisserman 2015, Section 2.3", 0.01,
                   {"ko": "논문은 49/27 - 1을 백분율 정수로 반올림합니다.",
                    "en": "The paper rounds 49/27 - 1 to a whole percentage."}),
        ),
    ),
    Study(
        key="resnet",
        model="resnet50",
        blocks=(Block("resnet18", "conv3_block2_", {"ko": "기본 블록 (ResNet-18, 항등 스킵 연결)",
                                                    "en": "Basic block (ResNet-18, identity shortcut)"}),
                Block("resnet50", "conv3_block2_", {"ko": "병목 블록 (ResNet-50, 항등 스킵 연결)",
                                                    "en": "Bottleneck block (ResNet-50, identity shortcut)"}),
                Block("resnet50", "conv3_block1_", {"ko": "크기를 줄이는 병목 블록 (1×1 투영 스킵 연결)",
                                                    "en": "Downsampling bottleneck block (1×1 projection shortcut)"})),
        block_pattern=r"^(conv\d_block\d+)_",
        name={"ko": "ResNet", "en": "ResNet"},
        year=2015,
        paper=Paper(
            authors="K. He, X. Zhang, S. Ren, J. Sun",
            title="Deep Residual Learning for Image Recognition", venue="CVPR", year=2016,
            url="https://arxiv.org/abs/1512.03385"),
        input_shape=(224, 224, 3),
        figures=tuple(
            Figure(f"resnet{depth}.macs", macs, _MACS, "He et al. 2016, Table 1 (FLOPs, stated as multiply-adds)",
                   0.03, {"ko": "논문은 10^9 단위 소수 첫째 자리로 반올림합니다.",
                          "en": "The paper rounds to one decimal of 10^9."})
            for depth, macs in ((18, 1.8e9), (34, 3.6e9), (50, 3.8e9), (101, 7.6e9), (152, 11.3e9))
        ) + tuple(
            Figure(f"resnet{depth}.depth", depth, {"ko": "깊이 (파라미터가 있는 층)", "en": "depth (layers with parameters)"},
                   "He et al. 2016, Table 1 (the number in the name)", 0.0)
            for depth in RESNET_DEPTHS
        ) + (
            Figure("resnet.top5_error", 0.0357, {"ko": "top-5 오류율", "en": "top-5 error"},
                   "He et al. 2016, Table 5 (ILSVRC 2015 test set, ensemble)", None,
                   {"ko": "앙상블의 측정값입니다.", "en": "Measured with an ensemble."},
                   {"ko": "ILSVRC 2015 제출작의 top-5 테스트 오류율", "en": "Top-5 test error of the ILSVRC 2015 entry"},
                   "percent"),
        ),
    ),
)

_LENET_OPTIONS = {"activation": ("tanh", "relu"), "pooling": ("average", "max")}

MODELS = (
    ModelEntry(
        name="lenet5",
        study="lenet5",
        module="lenet",
        input_shape=(32, 32, 1),
        summary={"ko": "현대식 LeNet-5: 32x32x1 입력, 5x5 C5, tanh, 평균 풀링, softmax 출력",
                 "en": "The modern LeNet-5: 32x32x1 input, 5x5 C5, tanh, average pooling, softmax output"},
        options=_LENET_OPTIONS,
    ),
    ModelEntry(
        name="lenet5_post",
        study="lenet5",
        module="lenet",
        input_shape=(28, 28, 1),
        summary={"ko": "원문 글의 코드 그대로: 28x28x1 입력, 1x1 C5",
                 "en": "The source post's code as written: 28x28x1 input, 1x1 C5"},
        options=_LENET_OPTIONS,
    ),
    *(
        ModelEntry(name=name, study="alexnet", module="alexnet", input_shape=(227, 227, 3),
                   summary=summary, options={"activation": ("relu", "tanh", "sigmoid")})
        for name, summary in (
            ("alexnet", {"ko": "논문의 AlexNet: LRN, 겹치는 풀링, 두 GPU 분할(groups=2), 227x227x3 입력",
                         "en": "The paper's AlexNet: LRN, overlapping pooling, the two-GPU split (groups=2), "
                               "227x227x3 input"}),
            ("alexnet_post", {"ko": "원문 글의 코드 그대로: LRN과 GPU 분할이 없는 Sequential",
                              "en": "The source post's code as written: a Sequential without LRN or the GPU split"}),
        )
    ),
    ModelEntry(
        name="alexnet_torchvision", study="alexnet", module="alexnet", input_shape=(224, 224, 3),
        summary={"ko": "torchvision의 단일 GPU AlexNet: 64/192/384/256/256 필터, 224x224x3 입력",
                 "en": "torchvision's single-GPU AlexNet: 64/192/384/256/256 filters, 224x224x3 input"},
        oracles=(Oracle("torch", "torchvision.models.alexnet"),),
    ),
    ModelEntry(
        name="inception_naive", study="googlenet", module="inception", input_shape=(224, 224, 3),
        summary={"ko": "원문 글의 나이브 인셉션 모듈: 1x1, 3x3, 5x5, 풀링 -> 1x1을 이어 붙임",
                 "en": "The source post's naive Inception module: 1x1, 3x3, 5x5, pool -> 1x1, concatenated"},
    ),
    ModelEntry(
        name="inception_module", study="googlenet", module="inception", input_shape=(28, 28, 192),
        summary={"ko": "1x1 병목이 있는 인셉션 모듈 (GoogLeNet의 3a)",
                 "en": "The Inception module with 1x1 bottlenecks (GoogLeNet's 3a)"},
    ),
    ModelEntry(
        name="googlenet", study="googlenet", module="inception", input_shape=(224, 224, 3),
        summary={"ko": "GoogLeNet (인셉션 v1), 논문의 표 1", "en": "GoogLeNet (Inception v1), Table 1 of the paper"},
        options={"variant": ("paper", "torchvision"), "aux_logits": (False, True)},
        # torchvision's variant (see the model file) is torchvision's network, layer by layer.
        oracles=(Oracle("torch", "torchvision.models.googlenet", {"variant": "torchvision"},
                        {"aux_logits": False, "init_weights": False}),),
    ),
    *(
        ModelEntry(name=name, study="vgg", module="vgg", input_shape=(224, 224, 3),
                   summary={"ko": f"{label} (논문의 구성 {config}); 원문 글의 코드와 같은 층",
                            "en": f"{label} (the paper's configuration {config}); the source post's layers"},
                   oracles=(Oracle("keras", f"keras.applications.{label.replace('-', '')}"),
                            Oracle("torch", f"torchvision.models.{name}")))
        for name, label, config in (("vgg16", "VGG-16", "D"), ("vgg19", "VGG-19", "E"))
    ),
    *(
        ModelEntry(
            name=f"resnet{depth}", study="resnet", module="resnet", input_shape=(224, 224, 3),
            summary={"ko": f"ResNet-{depth}, 논문의 표 1", "en": f"ResNet-{depth}, Table 1 of the paper"},
            options={"version": ("v1", "v1.5")},
            # torchvision's ResNets are "v1.5"; keras.applications' (50, 101, 152) keep the
            # convolutions' biases and BatchNorm epsilon 1.001e-5: the same layers then.
            oracles=(Oracle("torch", f"torchvision.models.resnet{depth}", {"version": "v1.5"}),
                     *((Oracle("keras", f"keras.applications.ResNet{depth}",
                               {"conv_bias": True, "epsilon": 1.001e-5}),) if depth >= 50 else ())),
        )
        for depth in RESNET_DEPTHS
    ),
    ModelEntry(
        name="resnet50_post", study="resnet", module="resnet", input_shape=(224, 224, 3),
        summary={"ko": "원문 글의 구성: 고정된 ResNet50 + Flatten + Dense 4096 + Dense 1000",
                 "en": "The source post's construction: frozen ResNet50 + Flatten + Dense 4096 + Dense 1000"},
        # At 224x224 its first dense layer alone has 411M weights: the site builds it at 64x64.
        site_options={"input_shape": (64, 64, 3)},
    ),
)
