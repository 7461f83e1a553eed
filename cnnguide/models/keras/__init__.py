"""Keras (TensorFlow backend) builders. Importing this package loads TensorFlow safely first."""

from ...frameworks import keras as _load_keras

_load_keras()  # before any model file runs `import keras`: triton first, then TensorFlow
