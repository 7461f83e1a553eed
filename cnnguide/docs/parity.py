"""The parity table every case-study page shows: each model in both frameworks, the rows they
agree on, and their logits after the Keras -> PyTorch weight copy."""

from __future__ import annotations

import gc

from ..errors import CnnguideError
from ..render.labels import header, number
from ..render.tables import markdown_table
from .context import language, pick
from .models import computed

RELATIVE_TOLERANCE = 1e-4  # largest output difference / largest |logit|, float32 deep nets


def _transfer(name: str, options: dict) -> dict:
    """Build the model afresh in both frameworks (not kept: some are big), check that their
    views agree, copy the Keras weights into PyTorch and compare logits on a random batch."""
    from .. import build
    from ..inspect import summarize
    from ..parity import compare_views, random_images, run, transfer_weights

    keras_model, torch_model = build(name, "keras", **options), build(name, "torch", **options)
    keras_view, torch_view = summarize(keras_model), summarize(torch_model)
    mismatches = compare_views(keras_view, torch_view)
    transfer_weights(keras_model, torch_model)
    images = random_images(keras_view.input_shape, batch=2)
    k, t = run(keras_model, images), run(torch_model, images)
    del keras_model, torch_model
    gc.collect()
    return {"rows": len(keras_view.layers), "params": keras_view.params, "mismatches": len(mismatches),
            "max_abs": float(abs(k - t).max()), "max_output": float(abs(k).max())}


def parity_table(names) -> str:
    """One row per model; raises when the frameworks disagree beyond the tolerance."""
    rows = []
    for name in names:
        options = {"classifier_activation": None}
        result = computed("parity_relative", name, options, lambda: _transfer(name, options))
        relative = result["max_abs"] / result["max_output"]
        if result["mismatches"] or relative > RELATIVE_TOLERANCE:
            raise CnnguideError(f"{name}: {result['mismatches']} rows differ, outputs by {relative:.1e} "
                                "(relative) after the weight copy.")
        rows.append([f"`{name}`", str(result["rows"]), number(result["params"]), f"{result['max_abs']:.1e}",
                     f"{relative:.1e}"])
    heads = [pick({"ko": "모델", "en": "Model"}), pick({"ko": "일치한 층", "en": "Rows that agree"}),
             header("params", language()), pick({"ko": "최대 출력 차이", "en": "Largest output difference"}),
             pick({"ko": "최대 출력 대비", "en": "Relative to the largest output"})]
    return markdown_table(heads, rows, "lrrrr")
