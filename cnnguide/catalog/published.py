"""What libraries and papers publish about the site's networks as a whole: ImageNet accuracy of
trained weights, and keras.io's depth. The comparison page (:mod:`cnnguide.docs.comparison`)
shows them beside what the site computes; none of it can be computed from an architecture.

Accuracy comes from one source per network, the first of: torchvision's weights (their
``ImageNet-1K`` metrics: the 2012 validation set, one centre crop), keras.applications' weights
(keras.io's table: the validation set, protocol not stated), the authors (their paper or
README). Each row says which, and for which variant of the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import Text

TORCHVISION = "torchvision `{weights}.IMAGENET1K_V1`, `meta[\"_metrics\"][\"ImageNet-1K\"]`"
KERAS_IO = "keras.io/api/applications, table \"Available models\" (keras-team/keras-io)"
_CENTRE_CROP = {"ko": "ImageNet 2012 검증 세트, 중앙 크롭 하나 (224×224)",
                "en": "ImageNet 2012 validation set, one centre crop (224×224)"}
_KERAS = {"ko": "ImageNet 검증 세트 (keras.io는 크롭 방식을 밝히지 않음)",
          "en": "ImageNet validation set (keras.io does not state the crops)"}


@dataclass(frozen=True)
class Accuracy:
    """Published top-1 and top-5 accuracy (fractions) of trained weights for one of our models;
    ``top5`` is None where the source gives none."""

    model: str
    top1: float
    top5: float | None
    source: str
    setting: Text


def _torchvision(model: str, weights: str, top1: float, top5: float, variant: Text | None = None) -> Accuracy:
    setting = _CENTRE_CROP if variant is None else {k: f"{_CENTRE_CROP[k]}; {variant[k]}" for k in _CENTRE_CROP}
    return Accuracy(model, top1, top5, TORCHVISION.format(weights=weights), setting)


ACCURACY = (
    _torchvision("alexnet", "AlexNet_Weights", 0.56522, 0.79066,
                 {"ko": "torchvision의 AlexNet (한 갈래, LRN 없음)", "en": "torchvision's AlexNet (one tower, no LRN)"}),
    _torchvision("googlenet", "GoogLeNet_Weights", 0.69778, 0.89530,
                 {"ko": "torchvision의 GoogLeNet (배치 정규화 포함)", "en": "torchvision's GoogLeNet (with batch normalization)"}),
    _torchvision("vgg16", "VGG16_Weights", 0.71592, 0.90382),
    _torchvision("vgg19", "VGG19_Weights", 0.72376, 0.90876),
    _torchvision("resnet18", "ResNet18_Weights", 0.69758, 0.89078),
    _torchvision("resnet34", "ResNet34_Weights", 0.73314, 0.91420),
    _torchvision("resnet50", "ResNet50_Weights", 0.76130, 0.92862),
    _torchvision("resnet101", "ResNet101_Weights", 0.77374, 0.93546),
    _torchvision("resnet152", "ResNet152_Weights", 0.78312, 0.94046),
    Accuracy("xception", 0.790, 0.945, f"{KERAS_IO}: Xception", _KERAS),
    _torchvision("resnext50_32x4d", "ResNeXt50_32X4D_Weights", 0.77618, 0.93698),
    _torchvision("densenet121", "DenseNet121_Weights", 0.74434, 0.91972),
    Accuracy("mobilenet_v1", 0.704, 0.895, f"{KERAS_IO}: MobileNet", _KERAS),
    Accuracy("se_resnet50", 1 - 0.2329, None, "Hu et al. 2018, Table 2 (SE-ResNet-50, top-1 error 23.29%)",
             {"ko": "ImageNet 검증 세트, 224×224 단일 크롭 (논문)",
              "en": "ImageNet validation set, one 224×224 crop (the paper)"}),
    _torchvision("mobilenet_v2", "MobileNet_V2_Weights", 0.71878, 0.90286),
    _torchvision("efficientnet_b0", "EfficientNet_B0_Weights", 0.77692, 0.93532),
    Accuracy("cspresnext50", 0.779, 0.940, "Wang et al. 2020, the authors' README (CSPResNeXt-50)",
             {"ko": "ImageNet, 256×256, 저자들의 Darknet 구현", "en": "ImageNet, 256×256, the authors' Darknet implementation"}),
)
"""Every ImageNet network of the comparison; LeNet-5 was trained on digits (MNIST) and has none."""

KERAS_IO_DEPTH = {"xception": 81, "vgg16": 16, "vgg19": 19, "resnet50": 107, "mobilenet_v1": 55,
                  "mobilenet_v2": 105, "densenet121": 242, "efficientnet_b0": 132}
"""keras.io's "Depth" of the keras.applications model of each of ours: "the number of layers
with parameters", batch normalization included (ResNet50's 53 convolutions, 53 BatchNorms and
one dense layer make 107). The site's depth counts layers with weights on the longest path."""

KERAS_IO_DEPTH_DIFFERS = {
    "xception": {"ko": "Keras는 분리 합성곱(SeparableConv2D)을 층 하나로 셉니다. 이 사이트의 뷰는 깊이별·점별 두 행입니다.",
                 "en": "Keras counts a SeparableConv2D as one layer; the site's view has a depthwise and a pointwise row."},
    "efficientnet_b0": {"ko": "keras.applications의 모델은 입력을 정규화하는 Normalization 층(평균과 분산)을 하나 더 가집니다.",
                        "en": "keras.applications' model has one more layer with weights: the Normalization of its input "
                              "(a mean and a variance)."},
}
"""Where our count of layers with parameters differs from keras.io's, and why; everywhere else
the build checks that the two are equal."""
