"""`import cnnguide` is light, and every import order a user may write survives.

Importing triton after TensorFlow kills the process (exit 139, no traceback); torchvision and
PyTorch optimizers import triton lazily. Each order runs in its own interpreter.
"""

import pytest

from conftest import run_python

FRAMEWORK_MODULES = ("tensorflow", "keras", "torch", "torchvision", "triton")


def test_import_cnnguide_loads_no_framework():
    result = run_python(
        "import sys, cnnguide, cnnguide.catalog, cnnguide.inspect, cnnguide.render.tables\n"
        f"print([m for m in {FRAMEWORK_MODULES!r} if m in sys.modules])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_hazard_is_real_on_this_stack():
    """The crash we guard against: if this starts passing, the guard may be retired."""
    result = run_python("import tensorflow, triton")
    if result.returncode == 0:
        pytest.skip("tensorflow then triton no longer crashes on this stack")
    assert result.returncode in (-11, 139)


ORDERS = {
    "tensorflow first, then a cnnguide PyTorch model and torchvision": (
        "import tensorflow, cnnguide\n"
        "m = cnnguide.build('lenet5', 'torch')\n"
        "import torchvision, torch\n"
        "torch.optim.SGD(m.parameters(), lr=0.1).step()\n"
    ),
    "torchvision first, then a cnnguide Keras model": (
        "import torchvision, cnnguide\n"
        "cnnguide.build('lenet5', 'keras')\n"
    ),
    "a cnnguide Keras model, then a PyTorch one, then an optimizer": (
        "import cnnguide, torch\n"
        "cnnguide.build('lenet5', 'keras')\n"
        "m = cnnguide.build('lenet5', 'torch')\n"
        "torch.optim.Adam(m.parameters()).step()\n"
    ),
    "tensorflow first, then a cnnguide Keras model, then torchvision": (
        "import cnnguide, tensorflow\n"
        "cnnguide.build('lenet5', 'keras')\n"
        "import torchvision, torch\n"
        "torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1).step()\n"
    ),
    "keras first, then cnnguide's Keras loader, then torchvision": (
        "import keras, cnnguide\n"
        "cnnguide.frameworks.keras()\n"
        "import torchvision\n"
    ),
    "README: cnnguide builds first, then the user imports every framework": (
        "import cnnguide\n"
        "cnnguide.build('lenet5', 'keras'); cnnguide.build('lenet5', 'torch')\n"
        "import tensorflow, torchvision, torch\n"
    ),
    "README: cnnguide.frameworks.tensorflow() in place of import tensorflow, then torchvision": (
        "import cnnguide\n"
        "tf = cnnguide.frameworks.tensorflow()\n"
        "import torchvision\n"
    ),
    "a cnnguide PyTorch model, then a Keras one": (
        "import cnnguide\n"
        "cnnguide.build('lenet5', 'torch'); cnnguide.build('lenet5', 'keras')\n"
        "import torchvision\n"
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("order", ORDERS)
def test_import_order_survives(order):
    result = run_python(ORDERS[order] + "print('survived')")
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr[-2000:]}"
    assert "survived" in result.stdout


def test_a_keras_backend_other_than_tensorflow_is_named():
    result = run_python(
        "import cnnguide\n"
        "try:\n"
        "    cnnguide.build('lenet5', 'keras')\n"
        "except cnnguide.CnnguideError as exc:\n"
        "    print(exc)\n",
        env={"KERAS_BACKEND": "jax"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "KERAS_BACKEND='jax'" in result.stdout and "tensorflow" in result.stdout
