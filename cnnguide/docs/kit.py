"""The study kit: the sections every case-study page is made of, one call each, by study key.

A page's executed block is the same in both languages, e.g.::

    from cnnguide.docs import kit
    print(kit.parity("resnet"))

and reads the catalog (:mod:`cnnguide.catalog`): the study's main model (``Study.model``), its
key blocks (``Study.blocks``), its block pattern, its models and their library oracles, and the
paper's figures. The numbers come from the model records (:mod:`.records`), built once per
configuration. Sections that return HTML (:func:`figures`, :func:`summaries`, :func:`graphs`)
go in ``python exec="on" html="1"`` blocks; the others return Markdown.

A study's own page module (``cnnguide/docs/<study>.py``) keeps only what its paper alone argues.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .. import catalog
from ..errors import CnnguideError
from ..render.labels import VERDICTS, header, number
from ..render.tables import arithmetic_table, grouped_table, layer_table, markdown_table
from . import diagrams
from .context import language, pick
from .models import agreed_view, view
from .parity import RELATIVE_TOLERANCE, parity_table
from .records import record

FRAMEWORK_TABS = (("keras", "TensorFlow"), ("torch", "PyTorch"))


def _main(study: str) -> str:
    return catalog.study(study).model


# --- figures and tables of the main model ------------------------------------------------------

def figures(study: str) -> str:
    """The whole network (the study's main model), then each key block, each titled."""
    entry = catalog.study(study)
    parts = [diagrams.figure(entry.model, names=_same_names(entry.model))]
    for block in entry.blocks:
        caption = f'<p class="cnnguide-caption"><strong>{escape(block.name[language()])}</strong></p>' if block.name else ""
        parts.append(caption + diagrams.figure(block.model, block=block.prefix, **block.options))
    return "\n".join(parts)


def _same_names(name: str) -> bool:
    """Layer names go on the figure only where both frameworks use the same ones (LeNet-5's C1,
    S2, ...): otherwise the figure would show one framework's names as if they were the network's."""
    rows = [[row["name"] for row in record(name)["views"][fw]["layers"]] for fw in ("keras", "torch")]
    return rows[0] == rows[1]


def architecture(study: str) -> str:
    """The main model's layer table, one row per block where the study has a block pattern."""
    entry = catalog.study(study)
    main = agreed_view(entry.model)
    if entry.block_pattern:
        return grouped_table(main, language(), entry.block_pattern)
    return layer_table(main, language())


def arithmetic(study: str) -> str:
    """The main model's parameters and MACs layer by layer, each checked against the count."""
    return arithmetic_table(agreed_view(_main(study)), language())


def summaries(study: str) -> str:
    """Keras's ``model.summary()`` and torchinfo's summary of the main model, in linked tabs."""
    name = _main(study)
    texts = record(name)["summaries"]
    label = pick({"ko": "{framework}의 요약", "en": "{framework}'s summary"})
    blocks = [(tab, f'<pre class="cnnguide-summary" tabindex="0" aria-label="{escape(label.format(framework=tab))}">'
                    f'<code>{escape(texts[fw])}</code></pre>') for fw, tab in FRAMEWORK_TABS]
    return diagrams.tabs(f"summaries-{name}", blocks)


def graphs(study: str) -> str:
    """Both frameworks' full graphs of the main model, in linked tabs."""
    return diagrams.graphs(_main(study))


# --- proof across frameworks and against the world -------------------------------------------

def _shown(study: str) -> list[tuple[str, dict]]:
    """Every model of the study, with the options the site builds it with."""
    return [(m.name, dict(m.site_options)) for m in catalog.study(study).models]


def parity(study: str) -> str:
    """Every model of the study in both frameworks: rows that agree, outputs after the copy."""
    return parity_table(_shown(study))


def onnx(study: str) -> str:
    """Every model of the study as the ONNX file each framework writes, run by ONNX Runtime;
    the main network's file to download (:mod:`.onnx_files`)."""
    from . import onnx_files

    return onnx_files.section(study)


def oracles(study: str) -> str:
    """Every library model that ships one of the study's models, its weights loaded into ours."""
    rows = []
    for entry in catalog.study(study).models:
        for oracle in entry.oracles:
            result = next(r for r in record(entry.name, **oracle.options)["oracles"] if r["library"] == oracle.library)
            ours = view(entry.name, oracle.framework, **oracle.options)
            library_params = sum(r["trainable"] + r["non_trainable"] for r in result["library_view"]["layers"])
            relative = result["max_abs"] / result["max_output"]
            if ours.params != library_params or relative > RELATIVE_TOLERANCE:
                raise CnnguideError(f"{entry.name} {dict(oracle.options)} no longer matches {oracle.library}: "
                                    f"{ours.params} against {library_params} parameters, outputs {relative:.1e}.")
            options = ", ".join(f"{k}={v}" for k, v in sorted(oracle.options.items())) or "—"
            shown = number(library_params)
            if result.get("preprocessing"):  # set aside: cnnguide.oracles.split_preprocessing
                found = result["preprocessing"]
                shown += f" (+{number(sum(r['params'] for r in found))}: {' + '.join(r['kind'] for r in found)})"
            rows.append([f"`{entry.name}`", options, f"`{oracle.library}`", shown,
                         number(ours.params), str(result["paired_layers"]), f"{result['max_abs']:.1e}"])
    heads = [pick({"ko": "우리 모델", "en": "Our model"}), pick({"ko": "옵션", "en": "Options"}),
             pick({"ko": "라이브러리 (weights=None)", "en": "Library (weights=None)"}),
             pick({"ko": "라이브러리 파라미터", "en": "Library's parameters"}),
             pick({"ko": "우리 파라미터", "en": "Our parameters"}),
             pick({"ko": "짝지은 가중치 층", "en": "Weighted layers paired"}),
             pick({"ko": "가중치 복사 후 최대 출력 차이", "en": "Largest output difference after the weight copy"})]
    note = ""
    if any("(+" in row[3] for row in rows):
        note = "\n\n" + pick({
            "ko": "괄호 안은 라이브러리 모델이 입력을 스스로 준비하는 층(Rescaling, Normalization)의 파라미터입니다. "
                  "이 사이트의 모델에는 이 층이 없으므로(전처리는 입력 파이프라인의 몫), 그 층들의 출력을 "
                  "입력으로 받아 라이브러리 모델과 비교합니다.",
            "en": "In parentheses: the parameters of the layers with which the library model prepares its own "
                  "input (Rescaling, Normalization). This site's model has no such layers (preprocessing "
                  "belongs to the input pipeline), so it is run on what those layers output and compared."})
    return markdown_table(heads, rows, "lllrrrr") + note


# --- the paper ---------------------------------------------------------------------------------

def verdict(fig: catalog.Figure, ours: float) -> str:
    """'exact', 'within' or 'differs'; raises when a figure we must reproduce is off."""
    if fig.tolerance is None:
        return "differs"
    if ours == fig.value:
        return "exact"
    if abs(ours - fig.value) <= fig.tolerance * fig.value:
        return "within"
    raise CnnguideError(
        f"{fig.key}: the source says {fig.value:,}, our model gives {ours:,} "
        f"(more than the {fig.tolerance:.0%} the figure allows)."
    )


def ours(study: str, fig: catalog.Figure) -> int | None:
    """Our value for a paper figure, or None for a figure that is not a computed measure
    (a constant, a measured accuracy). See :meth:`cnnguide.catalog.Figure.target`."""
    target = fig.target(catalog.study(study))
    if target is None:
        return None
    name, layer, measure = target
    return measure_of(agreed_view(name), layer, measure)


def measure_of(main, layer: str | None, measure: str) -> int:
    """A measure (:data:`cnnguide.catalog.MEASURES`) of a view, or of one of its layers: what a
    paper figure is compared with, on the site and in ``cnnguide compare``."""
    if measure == "depth":
        return main.depth
    if measure == "neurons":
        if layer == "input":  # the values of the input image (AlexNet's Section 3.5 lists them)
            return _values(main.input_shape)
        rows = [main.layer(layer)] if layer else main.weighted()
        return sum(_values(row.output_shape) for row in rows)
    row = main.layer(layer) if layer else main
    return {"params": row.trainable, "macs": row.macs}[measure]


def _values(shape: tuple[int, ...]) -> int:
    count = 1
    for d in shape:
        count *= d
    return count


def paper(study: str) -> str:
    """Every computable figure the sources state, beside ours, with its verdict and reason."""
    lang = language()
    rows = []
    for fig in catalog.study(study).figures:
        value = ours(study, fig)
        if value is None:
            continue
        tolerance = "" if fig.tolerance in (None, 0) else f" (±{fig.tolerance * 100:.3g}%)"  # 1.3%, not 1%
        rows.append([f"`{fig.key}`", fig.unit[lang], number(int(fig.value)) + tolerance, number(value),
                     VERDICTS[verdict(fig, value)][lang], fig.why.get(lang, ""), fig.source])
    heads = [header("figure", lang), pick({"ko": "단위", "en": "Unit"}), header("stated", lang), header("ours", lang),
             header("verdict", lang), pick({"ko": "이유", "en": "Why"}), header("source", lang)]
    return markdown_table(heads, rows, "llrrlll")


def measured(study: str) -> str:
    """What the sources measured on trained networks (error rates, speed-ups), with each source:
    cited, not computable from the architecture (figures with a ``what``)."""
    lang = language()
    rows = [[fig.what[lang], shown(fig), fig.source]
            for fig in catalog.study(study).figures if fig.what]
    if not rows:
        raise CnnguideError(f"The catalog has no measured figures for {study}: give a figure a `what`.")
    heads = [pick({"ko": "측정한 것", "en": "What was measured"}), pick({"ko": "값", "en": "Value"}),
             header("source", lang)]
    return markdown_table(heads, rows, "lrl")


def shown(fig: catalog.Figure) -> str:
    """A measured figure as its source states it: "2.251%", "×6", "1,000"."""
    return {"percent": f"{fig.value:.{fig.digits}%}", "times": f"×{fig.value:g}",
            "number": f"{fig.value:,}"}[fig.style]


def citation(study: str) -> str:
    """The paper, then any other source the page cites, as Markdown list items with links."""
    entry = catalog.study(study)
    return "\n".join(f"- {source.cite()} <{source.url}>" for source in (entry.paper, *entry.references))
