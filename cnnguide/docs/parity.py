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
    onnx = onnx_difference(name, data)
    if onnx is not None and onnx / result["max_output"] > RELATIVE_TOLERANCE:
        raise CnnguideError(f"{name}: ONNX Runtime's outputs differ from the frameworks' by "
                            f"{onnx / result['max_output']:.1e} (relative).")
    return {**result, "relative": relative, "rows": len(data["views"]["keras"]["layers"]), "onnx": onnx}


def onnx_difference(name: str, data: dict) -> float | None:
    """The largest difference between ONNX Runtime's outputs, for either framework's file, and
    either framework's outputs (None for a record without ONNX files); raises when no file
    could be written at all, since a page would show nothing for the third runtime."""
    files = data.get("onnx")
    if files is None:
        return None
    written = [f for f in files.values() if "max_abs" in f]
    if not written:
        raise CnnguideError(f"{name}: neither framework's model could be written as ONNX: "
                            + " / ".join(f["error"] for f in files.values()))
    return max(d for f in written for d in f["max_abs"].values())


def parity_table(models) -> str:
    """One row per model: ``models`` are names, or (name, options) pairs for variants."""
    rows = []
    for item in models:
        name, options = (item, {}) if isinstance(item, str) else item
        result = checked(name, **options)
        variant = ", ".join(f"{k}={v}" for k, v in sorted(options.items())) or "—"
        params = sum(row["trainable"] + row["non_trainable"] for row in record(name, **options)["views"]["keras"]["layers"])
        onnx = "—" if result["onnx"] is None else f"{result['onnx']:.1e}"
        rows.append([f"`{name}`", variant, str(result["rows"]), number(params), f"{result['max_abs']:.1e}",
                     f"{result['relative']:.1e}", onnx])
    heads = [pick({"ko": "모델", "en": "Model"}), pick({"ko": "옵션", "en": "Options"}),
             pick({"ko": "일치한 층", "en": "Rows that agree"}), header("params", language()),
             pick({"ko": "최대 출력 차이", "en": "Largest output difference"}),
             pick({"ko": "최대 출력 대비", "en": "Relative to the largest output"}),
             pick({"ko": "ONNX Runtime과의 최대 차이", "en": "Largest difference from ONNX Runtime"})]
    note = pick({"ko": "허용 오차: 최대 출력 차이가 최대 출력의 {tol:.0e}배 이하. ONNX Runtime 열은 내보낸 ONNX "
                       "파일(PyTorch 파일은 항상, Keras 파일은 작은 모델만)을 ONNX Runtime으로 실행한 출력과 두 "
                       "프레임워크 출력 사이의 가장 큰 차이이며, 같은 허용 오차를 적용합니다(아래 ONNX 절).",
                 "en": "Tolerance: the largest difference may be at most {tol:.0e} of the largest output. The ONNX "
                       "Runtime column is the largest difference between the frameworks' outputs and ONNX Runtime "
                       "running the exported files (PyTorch's always, Keras's for small models), held to the same "
                       "tolerance (see the ONNX section below)."})
    return markdown_table(heads, rows, "llrrrrr") + "\n\n" + note.format(tol=RELATIVE_TOLERANCE)
