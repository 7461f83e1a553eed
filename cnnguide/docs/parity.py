"""The parity table every case-study page shows: each model in both frameworks, the rows they
agree on, and their logits after the Keras -> PyTorch weight copy (from the model records)."""

from __future__ import annotations

from ..errors import CnnguideError
from ..render.labels import header, number
from ..render.tables import markdown_table
from .context import language, pick
from .records import record

RELATIVE_TOLERANCE = 1e-4  # largest output difference / largest |logit|, float32 deep nets


def checked(name: str, **options) -> dict:
    """Model ``name``'s parity result; raises when the frameworks disagree beyond the tolerance."""
    data = record(name, **options)
    result = data.get("parity")
    if data["mismatches"] or result is None:
        raise CnnguideError(f"{name}: {data['mismatches']} rows differ between Keras and PyTorch.")
    relative = result["max_abs"] / result["max_output"]
    if relative > RELATIVE_TOLERANCE:
        raise CnnguideError(f"{name}: outputs differ by {relative:.1e} (relative) after the weight copy.")
    return {**result, "relative": relative, "rows": len(data["views"]["keras"]["layers"])}


def parity_table(models) -> str:
    """One row per model: ``models`` are names, or (name, options) pairs for variants."""
    rows = []
    for item in models:
        name, options = (item, {}) if isinstance(item, str) else item
        result = checked(name, **options)
        variant = ", ".join(f"{k}={v}" for k, v in sorted(options.items())) or "—"
        params = sum(row["trainable"] + row["non_trainable"] for row in record(name, **options)["views"]["keras"]["layers"])
        rows.append([f"`{name}`", variant, str(result["rows"]), number(params), f"{result['max_abs']:.1e}",
                     f"{result['relative']:.1e}"])
    heads = [pick({"ko": "모델", "en": "Model"}), pick({"ko": "옵션", "en": "Options"}),
             pick({"ko": "일치한 층", "en": "Rows that agree"}), header("params", language()),
             pick({"ko": "최대 출력 차이", "en": "Largest output difference"}),
             pick({"ko": "최대 출력 대비", "en": "Relative to the largest output"})]
    note = pick({"ko": "허용 오차: 최대 출력 차이가 최대 출력의 {tol:.0e}배 이하",
                 "en": "Tolerance: the largest difference at most {tol:.0e} of the largest output"})
    return markdown_table(heads, rows, "llrrrr") + "\n\n" + note.format(tol=RELATIVE_TOLERANCE)
