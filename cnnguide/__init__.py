"""cnnguide: the classic convolutional networks in Keras and PyTorch, as one catalog.

``import cnnguide`` loads no framework; building a model loads the one it needs (see
:mod:`cnnguide.frameworks` for why the order matters)::

    import cnnguide
    model = cnnguide.build("lenet5", framework="torch")
    view = cnnguide.summarize(model)        # the same view for a Keras model
    print(view.params, view.macs)
"""

from __future__ import annotations

from .builder import build
from .catalog import model, names, study
from .errors import CnnguideError
from .inspect import summarize

__all__ = ["CnnguideError", "build", "model", "names", "study", "summarize"]
__version__ = "0.1.0"
