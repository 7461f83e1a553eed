"""The ONNX section of every case-study page: ONNX Runtime, a third runtime that neither
framework controls, on the file each framework's own exporter writes (:mod:`cnnguide.export`),
what those files hold, and the file a reader can open in a graph viewer.

Everything here is read from the model records (:mod:`.records`, part ``onnx``): the exports and
the runs happen once per configuration, in the build. The files offered for download are kept
in the build cache by content (:func:`cnnguide.cache.store_blob`) and written into the site by
the build's last step (:func:`write_downloads`).
"""

from __future__ import annotations

from pathlib import Path

from .. import cache, catalog
from ..errors import CnnguideError
from ..render.labels import number
from ..render.tables import markdown_table
from .context import language, pick
from .parity import RELATIVE_TOLERANCE, checked
from .records import DOWNLOAD_LIMIT, KERAS_ONNX_LIMIT, record

EXPORTERS = {"torch": "PyTorch", "keras": "Keras (tf2onnx)"}
SHOWN_OPERATORS = 3
DOWNLOADS: dict[str, str] = {}
"""Files the pages offer, by their name under the site's ``downloads/``: the cache's name for
their bytes. Filled while pages render (both languages), written after the build."""


BOOKKEEPING = ("Identity", "Constant")
"""Nodes that compute nothing of the network: PyTorch's exporter stores equal tensors once and
hands out the copies through ``Identity`` nodes, and writes shapes as ``Constant`` nodes."""


def _operators(found: dict) -> str:
    """The most frequent operators first, e.g. ``Conv ×53, Relu ×49, Add ×16, …`` (the
    :data:`BOOKKEEPING` nodes aside; a non-breaking space keeps each count with its name)."""
    ranked = sorted(((op, n) for op, n in found.items() if op not in BOOKKEEPING), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{op}\u00a0×{n}" for op, n in ranked[:SHOWN_OPERATORS])
    return shown + (", …" if len(ranked) > SHOWN_OPERATORS else "")


def _weights(framework: str, found: int, params: int) -> str:
    """The weights the file computes with, against the model's parameters: equal for PyTorch's
    file (the build fails otherwise), fewer in Keras's, where TensorFlow folds each batch
    normalization into the convolution before it (and drops all-zero biases) before tf2onnx
    sees the graph."""
    if framework == "torch":
        if found != params:
            raise CnnguideError(f"PyTorch's ONNX file holds {found:,} weights, the model {params:,} parameters.")
        return f"{number(found)} (=\u00a0{pick({'ko': '파라미터', 'en': 'parameters'})})"
    if found == params:
        return f"{number(found)} (=\u00a0{pick({'ko': '파라미터', 'en': 'parameters'})})"
    return number(found) + pick({"ko": " (아래 참고)", "en": " (see below)"})


def table(study: str) -> str:
    """Both files of every model of the study: ONNX Runtime against each framework, and what
    each file holds."""
    rows, errors, skipped = [], [], False
    for entry in catalog.study(study).models:
        options = dict(entry.site_options)
        data = record(entry.name, **options)
        result = checked(entry.name, **options)  # parity first: the files compute with those weights
        params = sum(r["trainable"] + r["non_trainable"] for r in data["views"]["keras"]["layers"])
        for framework in ("torch", "keras"):
            found = data["onnx"][framework]
            if "skipped" in found:  # the note under the table says why
                skipped = True
                continue
            if "error" in found:
                errors.append(f"- `{entry.name}`, {EXPORTERS[framework]}: {found['error']}")
                rows.append([f"`{entry.name}`", EXPORTERS[framework], "—", pick({"ko": "변환 실패 (아래)", "en": "not converted (below)"}),
                             "—", "—", "—", "—"])
                continue
            shape = found["structure"]
            differences = [found["max_abs"][fw] for fw in ("keras", "torch")]
            if max(differences) > RELATIVE_TOLERANCE * result["max_output"]:
                raise CnnguideError(f"{entry.name}: ONNX Runtime on {EXPORTERS[framework]}'s file differs by "
                                    f"{max(differences):.1e} from the frameworks' outputs.")
            rows.append([f"`{entry.name}`", EXPORTERS[framework], number(shape["nodes"]),
                         _operators(shape["operators"]), _weights(framework, shape["weights"], params),
                         _megabytes(found["bytes"]), *(f"{d:.1e}" for d in differences)])
    heads = [pick({"ko": "모델", "en": "Model"}), pick({"ko": "내보낸 곳", "en": "From"}),
             pick({"ko": "노드", "en": "Nodes"}), pick({"ko": "주요 연산자(operator)", "en": "Main operators"}),
             pick({"ko": "가중치", "en": "Weights"}), "MB",
             pick({"ko": "Keras와의 차이", "en": "vs Keras"}), pick({"ko": "PyTorch와의 차이", "en": "vs PyTorch"})]
    text = markdown_table(heads, rows, "llrlrrrr")
    if any(row[1] == EXPORTERS["keras"] for row in rows):
        text += "\n\n" + pick({
            "ko": "Keras 파일의 가중치가 모델의 파라미터보다 적은 것은 TensorFlow가 tf2onnx에 그래프를 넘기기 전에 "
                  "값이 모두 0인 편향을 지우고, 배치 정규화(batch normalization)가 있으면 앞의 합성곱에 접어 넣기 "
                  "때문입니다. 계산하는 함수는 같으며, 위 표의 차이가 그것을 보여 줍니다.",
            "en": "The Keras file holds fewer weights than the model has parameters because, before tf2onnx sees "
                  "the graph, TensorFlow drops all-zero biases and folds any batch normalization into the "
                  "convolution before it. The function is the same, as the differences above show."})
    text += "\n\n" + pick({
        "ko": "연산자 목록에서 Identity와 Constant 노드는 뺐습니다. PyTorch의 내보내기 도구는 값이 같은 텐서를 한 번만 "
              "저장하고 나머지는 Identity 노드로 넘기며, 모양(shape)은 Constant 노드로 씁니다. 가중치 열은 그래프가 "
              "계산에 쓰는 가중치를 셉니다.",
        "en": "The operator lists leave out Identity and Constant nodes: PyTorch's exporter stores equal tensors "
              "once and hands out the copies through Identity nodes, and writes shapes as Constant nodes. The "
              "weights column counts the weights the graph computes with."})
    if skipped:
        limit = number(KERAS_ONNX_LIMIT)
        text += "\n\n" + pick({
            "ko": f"Keras 모델은 가중치가 {limit}개 이하인 네트워크만 빌드에서 ONNX로 변환합니다. tf2onnx는 변환할 때 "
                  "가중치 크기의 수십 배에 이르는 메모리를 쓰고 네트워크 하나에 수십 초가 걸리기 때문입니다. 더 큰 "
                  "네트워크는 메모리가 "
                  "충분하면 `cnnguide export <모델> --framework keras`로 변환할 수 있습니다. PyTorch 파일은 모든 "
                  "네트워크에 대해 만들고, 두 프레임워크의 출력과 모두 비교합니다.",
            "en": f"The build converts the Keras model to ONNX only for networks of at most {limit} weights: tf2onnx "
                  "needs tens of times the weights' size in memory and tens of seconds per network. Where memory "
                  "allows, `cnnguide export <model> --framework keras` converts a larger one. The PyTorch file is "
                  "written for every network and compared with both frameworks' outputs."})
    if errors:
        text += "\n\n" + pick({"ko": "변환하지 못한 파일과 변환기의 메시지(영어 원문):",
                               "en": "Files that could not be converted, with the converter's message:"})
        text += "\n\n" + "\n".join(errors)
    return text


def _megabytes(size: int) -> str:
    """A file's size in MB, one decimal ("<0.1" below it, not "0.0")."""
    return "<0.1" if size < 50_000 else f"{size / 1e6:,.1f}"


def download(study: str) -> str:
    """The study's main network as an ONNX file to open in a graph viewer, when it is small
    enough to serve; otherwise the command that writes it."""
    name = catalog.study(study).model
    entry = catalog.model(name)
    found = record(name, **dict(entry.site_options))["onnx"]["torch"]
    if "error" in found:
        raise CnnguideError(f"{name}: PyTorch's exporter failed, so the page has no ONNX file to offer: {found['error']}")
    size = f"{_megabytes(found['bytes'])} MB"
    command = f"cnnguide export {name} -o {name}.onnx"
    limit = f"{DOWNLOAD_LIMIT / 1e6:.0f} MB"
    if "file" not in found:
        return pick({
            "ko": f"`{name}`의 ONNX 파일은 {size}로, 이 사이트의 내려받기 한도인 {limit}를 넘습니다. "
                  f"다음 명령으로 직접 만들 수 있습니다: `{command}`. 만든 파일은 Netron(netron.app 또는 데스크톱 앱)에서 "
                  "그래프로 열어 볼 수 있습니다.",
            "en": f"The ONNX file of `{name}` is {size}, over this site's {limit} download limit. Create it "
                  f"yourself with `{command}`, then open it in Netron (netron.app or the desktop app) to see its "
                  "graph."})
    try:
        cache.blob(found["file"])
    except KeyError:
        raise CnnguideError(f"The build cache lacks {name}'s ONNX file ({found['file']}): run `make clean-cache` "
                            "and build again.") from None
    DOWNLOADS[f"{name}.onnx"] = found["file"]
    # Raw HTML: MkDocs checks Markdown links against the pages, and this file is not a page.
    up = "../../" if language() == "en" else "../"
    link = f'<a href="{up}downloads/{name}.onnx" download><code>{name}.onnx</code></a>'
    return pick({
        "ko": f"내려받기: {link} ({size}, PyTorch에서 내보냄, 학습하지 않은 무작위 가중치, 배치 크기 자유). "
              "Netron(netron.app 또는 데스크톱 앱)에서 "
              f"열면 위 표의 노드와 가중치를 그래프로 볼 수 있습니다. 이 사이트는 {limit} 이하인 파일만 내려받기로 "
              f"제공합니다. 다른 모델은 `{command.replace(name, '<모델>')}`로 만듭니다.",
        "en": f"Download: {link} ({size}, exported from PyTorch, untrained random weights, any batch size). Open it "
              f"in Netron (netron.app or the desktop app) to see the nodes and weights counted above as a graph. "
              f"This site serves files of {limit} or less; export any other model with "
              f"`{command.replace(name, '<model>')}`."})


def section(study: str) -> str:
    """What the section says, then the table and the download."""
    intro = pick({
        "ko": "두 프레임워크가 같은 출력을 내는 것은 강한 증거지만, 두 모델 모두 이 사이트의 코드로 만든 것입니다. "
              "그래서 모델을 프레임워크 자신의 내보내기 도구(exporter)로 ONNX 파일로 쓰고(PyTorch는 "
              "`torch.onnx.export`, Keras는 `model.export(format=\"onnx\")`가 부르는 tf2onnx), 어느 프레임워크의 "
              "것도 아닌 ONNX Runtime으로 위의 패리티 검사(parity check)와 같은 입력에서 실행합니다. PyTorch 파일은 "
              "모든 모델에 대해, Keras 파일은 작은 모델에 대해 만듭니다. 파일은 로짓(logit)을 내고, 두 프레임워크 "
              "출력과의 차이가 위 표와 같은 허용 오차 안에 있어야 빌드가 통과합니다. PyTorch 파일의 가중치 수는 "
              "모델의 파라미터 수와 같아야 합니다.",
        "en": "Two frameworks agreeing is strong evidence, but both models are this site's code. So the model is "
              "written to an ONNX file by the framework's own exporter (`torch.onnx.export` for PyTorch; for "
              "Keras, tf2onnx, which `model.export(format=\"onnx\")` calls), and ONNX Runtime, which belongs to "
              "neither framework, runs the file on the parity check's inputs: PyTorch's file for every model, "
              "Keras's for the small ones. The files output logits; the build passes only if each file's outputs "
              "match both frameworks' outputs within the tolerance above, and if the PyTorch file holds exactly "
              "the model's parameters."})
    return intro + "\n\n" + table(study) + "\n\n" + download(study)


def write_downloads(site: Path) -> None:
    """Write the files the pages offer into the built site (``downloads/``)."""
    for file_name, blob in sorted(DOWNLOADS.items()):
        target = site / "downloads" / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cache.blob(blob))
