"""ResNet's descendants: ResNeXt (Xie et al., CVPR 2017) and SE-ResNet (Hu et al., CVPR 2018),
both built as options of the ResNet family (:mod:`cnnguide.models.resnet_configs`), and DenseNet
(Huang et al., CVPR 2017), which concatenates where ResNet adds."""

from __future__ import annotations

from .types import (MACS, PARAMS, TOP1_ACCURACY, TOP1_ERROR, TOP5_ERROR, Block, Figure, ModelEntry, Oracle, Paper,
                    Study, measured)

_RESNEXT = "Xie et al. 2017"
_SENET = "Hu et al. 2018"
_DENSENET = "Huang et al. 2017"
_BOTTLENECK = {"ko": "ResNet-50의 병목 블록 (비교용: 같은 자리, 그룹 없음)",
               "en": "ResNet-50's bottleneck block (for comparison: the same place, no groups)"}

STUDIES = (
    Study(
        key="resnext",
        model="resnext50_32x4d",
        blocks=(Block("resnext50_32x4d", "conv2_block2_",
                      {"ko": "ResNeXt 블록 (카디널리티 32, 그룹마다 4채널: 3×3 그룹 합성곱)",
                       "en": "ResNeXt block (cardinality 32, 4 channels per group: a grouped 3×3 convolution)"}),
                Block("resnet50", "conv2_block2_", _BOTTLENECK)),
        block_pattern=r"^(conv\d_block\d+)_",
        name={"ko": "ResNeXt", "en": "ResNeXt"},
        year=2016,
        paper=Paper(
            authors="S. Xie, R. Girshick, P. Dollár, Z. Tu, K. He",
            title="Aggregated Residual Transformations for Deep Neural Networks",
            venue="CVPR", year=2017, url="https://arxiv.org/abs/1611.05431"),
        input_shape=(224, 224, 3),
        figures=(
            Figure("params", 25_000_000, PARAMS, f"{_RESNEXT}, Table 1 (ResNeXt-50 32×4d)", 0.005,
                   {"ko": "표 1은 10^6 단위 소수 첫째 자리로 반올림합니다.",
                    "en": "Table 1 rounds to one decimal of 10^6."}),
            Figure("macs", 4_200_000_000, MACS, f"{_RESNEXT}, Table 1 (FLOPs, counted as multiply-adds)", 0.03,
                   {"ko": "표 1은 10^9 단위 소수 첫째 자리로 반올림합니다.",
                    "en": "Table 1 rounds to one decimal of 10^9."}),
            # Table 1's ResNet-50 is the one the ResNeXt paper trains: it strides in the 3x3
            # convolution like ResNeXt (v1.5); checked in cnnguide.docs.resnext.cost_table.
            Figure("table1_resnet50_params", 25_500_000, PARAMS, f"{_RESNEXT}, Table 1 (ResNet-50)", 0.005,
                   {"ko": "표 1은 10^6 단위 소수 첫째 자리로 반올림합니다.",
                    "en": "Table 1 rounds to one decimal of 10^6."}),
            Figure("table1_resnet50_macs", 4_100_000_000, MACS, f"{_RESNEXT}, Table 1 (ResNet-50)", 0.03,
                   {"ko": "표 1은 10^9 단위 소수 첫째 자리로 반올림합니다.",
                    "en": "Table 1 rounds to one decimal of 10^9."}),
            measured("top1_error", 0.222, TOP1_ERROR,
                     f"{_RESNEXT}, Table 3 (ImageNet-1K validation set, 224×224 single crop)",
                     {"ko": "ImageNet-1K 검증 세트의 top-1 오류율 (224×224 단일 크롭)",
                      "en": "Top-1 error on the ImageNet-1K validation set (224×224, single crop)"}),
            measured("resnet50_top1_error", 0.239, TOP1_ERROR,
                     f"{_RESNEXT}, Table 3 (ResNet-50 retrained by the authors, same setting)",
                     {"ko": "같은 조건에서 다시 학습한 ResNet-50의 top-1 오류율",
                      "en": "Top-1 error of ResNet-50, retrained in the same setting"}),
        ),
    ),
    Study(
        key="senet",
        model="se_resnet50",
        blocks=(Block("se_resnet50", "conv3_block2_",
                      {"ko": "SE-ResNet 블록 (병목 블록 뒤에 압축·흥분·재조정, 그다음 스킵 연결)",
                       "en": "SE-ResNet block (squeeze, excitation and scale after the bottleneck, then the shortcut)"}),),
        block_pattern=r"^(conv\d_block\d+)_",
        name={"ko": "SENet (SE-ResNet)", "en": "SENet (SE-ResNet)"},
        year=2017,
        paper=Paper(
            authors="J. Hu, L. Shen, G. Sun",
            title="Squeeze-and-Excitation Networks",
            venue="CVPR", year=2018, url="https://arxiv.org/abs/1709.01507"),
        input_shape=(224, 224, 3),
        references=(Paper(
            authors="O. Russakovsky, J. Deng, H. Su, J. Krause, S. Satheesh, S. Ma, Z. Huang, A. Karpathy, "
                    "A. Khosla, M. Bernstein, A. C. Berg, L. Fei-Fei",
            title="ImageNet Large Scale Visual Recognition Challenge",
            venue="International Journal of Computer Vision 115(3), pp. 211-252", year=2015,
            url="https://arxiv.org/abs/1409.0575"),),
        figures=(
            Figure("reduction_ratio", 16, {"ko": "감소 비율 r", "en": "reduction ratio r"},
                   f"{_SENET}, Section 4 (r = 16 in all experiments unless stated otherwise)"),
            Figure("macs", 3_870_000_000, MACS, f"{_SENET}, Table 2 (SE-ResNet-50, GFLOPs)", 0.005,
                   {"ko": "표 2는 10^9 단위 소수 둘째 자리로 반올림합니다.",
                    "en": "Table 2 rounds to two decimals of 10^9."}),
            Figure("resnet50.macs", 3_860_000_000, MACS, f"{_SENET}, Table 2 (ResNet-50, GFLOPs)", 0.005,
                   {"ko": "표 2는 10^9 단위 소수 둘째 자리로 반올림합니다.",
                    "en": "Table 2 rounds to two decimals of 10^9."}),
            # "~2.5 million additional parameters": checked in cnnguide.docs.senet.overhead_table.
            Figure("added_params", 2_500_000, PARAMS, f"{_SENET}, Section 4 (model and computational complexity)",
                   0.02, {"ko": "논문은 「약 250만 개」라고 씁니다.", "en": "The paper says \"~2.5 million\"."}),
            measured("top1_error", 0.2329, TOP1_ERROR,
                     f"{_SENET}, Table 2 (ImageNet validation set, 224×224 single crop)",
                     {"ko": "SE-ResNet-50의 top-1 오류율 (ImageNet 검증 세트, 224×224 단일 크롭)",
                      "en": "SE-ResNet-50's top-1 error (ImageNet validation set, 224×224 single crop)"}, digits=2),
            measured("resnet50_top1_error", 0.2480, TOP1_ERROR,
                     f"{_SENET}, Table 2 (ResNet-50 re-implemented by the authors, same setting)",
                     {"ko": "같은 조건에서 다시 구현한 ResNet-50의 top-1 오류율",
                      "en": "Top-1 error of ResNet-50, re-implemented in the same setting"}, digits=2),
            measured("ilsvrc2017_top5_error", 0.02251, TOP5_ERROR,
                     f"{_SENET}, Section 5.4 of the journal version (ILSVRC 2017 classification, test set)",
                     {"ko": "ILSVRC 2017 분류 부문 1위 제출작(SENet 앙상블)의 top-5 테스트 오류율",
                      "en": "Top-5 test error of the winning ILSVRC 2017 classification entry (an ensemble of SENets)"}, digits=3),
            measured("ilsvrc2016_top5_error", 0.02991, TOP5_ERROR,
                     f"{_SENET}, Section 1 (the ILSVRC 2016 winner, as the paper quotes it)",
                     {"ko": "그 전해 ILSVRC 2016 분류 부문 1위의 top-5 테스트 오류율",
                      "en": "Top-5 test error of the year before's winner, ILSVRC 2016"}, digits=3),
            measured("human_top5_error", 0.051, TOP5_ERROR,
                     "Russakovsky et al., \"ImageNet Large Scale Visual Recognition Challenge\", IJCV 2015, "
                     "Section 6.4",
                     {"ko": "훈련받은 사람 주석자 한 명의 top-5 오류율 (테스트 이미지 1,500장의 표본)",
                      "en": "Top-5 error of one trained human annotator (a sample of 1,500 test images)"}),
            measured("human_images", 1500, {"ko": "이미지", "en": "images"},
                     "Russakovsky et al., IJCV 2015, Section 6.4",
                     {"ko": "그 주석자가 분류한 테스트 이미지 수 (학습용으로 500장을 먼저 봄)",
                      "en": "Test images that annotator labelled (after training on 500)"}, style="number"),
        ),
    ),
)

STUDIES += (
    Study(
        key="densenet",
        model="densenet121",
        blocks=(Block("densenet121", "conv2_block1_",
                      {"ko": "덴스 층 (BN-ReLU-1×1 합성곱-BN-ReLU-3×3 합성곱, 입력 뒤에 k개의 맵을 이어 붙임)",
                       "en": "Dense layer (BN-ReLU-1×1 conv-BN-ReLU-3×3 conv, k maps concatenated after its input)"}),
                Block("densenet121", "pool2_",
                      {"ko": "전이 층 (BN-ReLU-1×1 합성곱으로 압축, 2×2 평균 풀링)",
                       "en": "Transition layer (BN-ReLU-1×1 conv that compresses, 2×2 average pooling)"})),
        block_pattern=r"^(conv\d_block\d+)_",
        name={"ko": "DenseNet", "en": "DenseNet"},
        year=2016,
        paper=Paper(
            authors="G. Huang, Z. Liu, L. van der Maaten, K. Q. Weinberger",
            title="Densely Connected Convolutional Networks",
            venue="CVPR", year=2017, url="https://arxiv.org/abs/1608.06993"),
        input_shape=(224, 224, 3),
        references=(Paper(
            authors="G. Pleiss, D. Chen, G. Huang, T. Li, L. van der Maaten, K. Q. Weinberger",
            title="Memory-Efficient Implementation of DenseNets", venue="arXiv:1707.06990", year=2017,
            url="https://arxiv.org/abs/1707.06990"),),
        figures=(
            Figure("depth", 121, {"ko": "깊이 (가중치가 있는 층)", "en": "depth (layers with weights)"},
                   f"{_DENSENET}, Table 1 (the number in the name)"),
            # Table 1's caption and Section 3; checked in cnnguide.docs.densenet.growth_table.
            Figure("growth_rate", 32, {"ko": "성장률 k", "en": "growth rate k"}, f"{_DENSENET}, Table 1 (caption)"),
            Figure("compression", 0.5, {"ko": "압축 계수 θ", "en": "compression factor θ"},
                   f"{_DENSENET}, Section 3 (Compression: θ = 0.5 in the experiments)"),
            measured("top1_error", 0.2502, TOP1_ERROR,
                     f"{_DENSENET}, Table 3 (ImageNet validation set, single crop)",
                     {"ko": "DenseNet-121의 top-1 오류율 (ImageNet 검증 세트, 단일 크롭)",
                      "en": "DenseNet-121's top-1 error (ImageNet validation set, single crop)"}, digits=2),
            measured("top5_error", 0.0771, TOP5_ERROR,
                     f"{_DENSENET}, Table 3 (ImageNet validation set, single crop)",
                     {"ko": "DenseNet-121의 top-5 오류율 (ImageNet 검증 세트, 단일 크롭)",
                      "en": "DenseNet-121's top-5 error (ImageNet validation set, single crop)"}, digits=2),
        ),
    ),
)

MODELS = (
    ModelEntry(
        name="resnext50_32x4d", study="resnext", module="resnet", input_shape=(224, 224, 3),
        summary={"ko": "ResNeXt-50 (32×4d), 논문의 표 1: ResNet-50의 3×3 합성곱을 32개 그룹으로",
                 "en": "ResNeXt-50 (32×4d), Table 1 of the paper: ResNet-50 with its 3×3 convolutions in 32 groups"},
        options={"version": ("v1", "v1.5")},
        oracles=(Oracle("torch", "torchvision.models.resnext50_32x4d"),),
    ),
    ModelEntry(
        name="se_resnet50", study="senet", module="resnet", input_shape=(224, 224, 3),
        summary={"ko": "SE-ResNet-50, 논문의 표 1: 모든 병목 블록에 압축-흥분(r = 16)",
                 "en": "SE-ResNet-50, Table 1 of the paper: squeeze-and-excitation (r = 16) in every bottleneck"},
        options={"version": ("v1", "v1.5")},
        # timm's ResNets stride in the 3x3 convolution (v1.5); the paper's Caffe models, like
        # ResNet's, in the first 1x1.
        oracles=(Oracle("torch", "timm.seresnet50", {"version": "v1.5"}),),
    ),
    ModelEntry(
        name="densenet121", study="densenet", module="densenet", input_shape=(224, 224, 3),
        summary={"ko": "DenseNet-121 (DenseNet-BC, k = 32), 논문의 표 1",
                 "en": "DenseNet-121 (DenseNet-BC, k = 32), Table 1 of the paper"},
        # keras.applications uses BatchNorm epsilon 1.001e-5; torchvision, like ours, 1e-5.
        oracles=(Oracle("torch", "torchvision.models.densenet121"),
                 Oracle("keras", "keras.applications.DenseNet121", {"epsilon": 1.001e-5})),
    ),
)

_CSPNET = "Wang et al. 2020"
_CSP_README = "the authors' README (WongKinYiu/CrossStagePartialNetworks, ImageNet table)"
_BFLOPS = {"ko": "README의 BFLOPs는 곱셈과 덧셈을 따로 셉니다(Darknet: 2·가중치·출력 위치). 여기서는 그 절반을 "
                 "MAC으로 적었습니다. Darknet의 줄기는 2×2 최대 풀링을 쓰고 timm은 3×3을 씁니다.",
           "en": "The README's BFLOPs count a multiply and an add apart (Darknet: 2·weights·output positions); "
                 "half of it is stated here as MACs. Darknet's stem pools 2×2 where timm's pools 3×3."}

STUDIES += (
    Study(
        key="cspnet",
        model="cspresnext50",
        blocks=(Block("cspresnext50", "conv3_",
                      {"ko": "CSP 단계 conv3 (나누기, 절반은 블록 셋을 지나고 절반은 건너뜀, 이어 붙이기, 전이)",
                       "en": "CSP stage conv3 (split; one half through three blocks, the other across; "
                             "concatenate; transition)"}),
                Block("cspresnext50", "conv3_block2_",
                      {"ko": "단계 안의 ResNeXt 블록 (절반의 채널, 병목 없음)",
                       "en": "A ResNeXt block inside the stage (half the channels, no bottleneck)"})),
        block_pattern=r"^(conv\d_block\d+)_",
        name={"ko": "CSPNet", "en": "CSPNet"},
        year=2019,
        paper=Paper(
            authors="C.-Y. Wang, H.-Y. M. Liao, Y.-H. Wu, P.-Y. Chen, J.-W. Hsieh, I.-H. Yeh",
            title="CSPNet: A New Backbone that can Enhance Learning Capability of CNN",
            venue="CVPR Workshops", year=2020, url="https://arxiv.org/abs/1911.11929"),
        input_shape=(256, 256, 3),
        references=(Paper(
            authors="A. Bochkovskiy, C.-Y. Wang, H.-Y. M. Liao",
            title="YOLOv4: Optimal Speed and Accuracy of Object Detection", venue="arXiv:2004.10934", year=2020,
            url="https://arxiv.org/abs/2004.10934"),),
        figures=(
            # The README's count against ours with and without BatchNorm's scales and shifts:
            # cnnguide.docs.cspnet.parameters_table.
            Figure("params", 20_500_000, PARAMS, f"{_CSPNET}, {_CSP_README}: CSPResNeXt-50, 20.50M", 0.005,
                   {"ko": "README는 10^6 단위 소수 둘째 자리로 반올림합니다. 아래 표는 배치 정규화를 넣고 뺀 두 가지로 셉니다.",
                    "en": "The README rounds to two decimals of 10^6; the table below counts ours with and without "
                          "BatchNorm."}),
            Figure("macs", 3_965_000_000, MACS, f"{_CSPNET}, {_CSP_README}: CSPResNeXt-50, 7.93 BFLOPs at 256×256",
                   0.02, _BFLOPS),
            Figure("saved_macs", 0.22, {"ko": "계산량 감소", "en": "computation removed"},
                   f"{_CSPNET}, Section 4.3 (\"CSPResNeXt-50 can cut down 22% computation\")", None,
                   {"ko": "논문의 ResNeXt-50은 Darknet 구현(256×256, 투영 지름길 없음)입니다. 이 사이트의 두 모델로 "
                          "계산한 감소율은 아래 표에 있습니다.",
                    "en": "The paper's ResNeXt-50 is its Darknet implementation (256×256, no projection "
                          "shortcuts); the reduction computed from this site's two models is in the table below."},
                   {}, "percent", 0),
            measured("top1_accuracy", 0.779, TOP1_ACCURACY,
                     f"{_CSPNET}, {_CSP_README}",
                     {"ko": "CSPResNeXt-50의 ImageNet top-1 정확도",
                      "en": "CSPResNeXt-50's ImageNet top-1 accuracy"}),
            measured("resnext50_top1_accuracy", 0.778, TOP1_ACCURACY,
                     f"{_CSPNET}, {_CSP_README}",
                     {"ko": "같은 조건에서 학습한 ResNeXt-50의 ImageNet top-1 정확도",
                      "en": "ImageNet top-1 accuracy of ResNeXt-50, trained in the same setting"}),
        ),
    ),
)

MODELS += (
    ModelEntry(
        name="cspresnext50", study="cspnet", module="cspnet", input_shape=(256, 256, 3),
        summary={"ko": "CSPResNeXt-50, 논문 4절: ResNeXt-50의 각 단계를 부분 단계 간(cross-stage partial) 구조로",
                 "en": "CSPResNeXt-50, Section 4 of the paper: ResNeXt-50 with every stage cross-stage partial"},
        oracles=(Oracle("torch", "timm.cspresnext50"),),
    ),
)
