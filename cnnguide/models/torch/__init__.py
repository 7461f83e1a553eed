"""PyTorch builders. Importing this package loads PyTorch safely (see cnnguide.frameworks)."""

from ...frameworks import torch as _load_torch

_load_torch()  # before any model file runs `import torch`: keeps triton away from TensorFlow
