"""cnnguide: the catalog and the models from a terminal, for authors.

    cnnguide list
    cnnguide summary lenet5 --framework torch [--lang en]
    cnnguide compare lenet5 [--lang ko]
    cnnguide compare --all [--lang ko]
    cnnguide diagram lenet5 -o lenet5.svg [--framework torch] [--lang ko]
    cnnguide profile resnet50 --framework torch [--runs 20] [--warmup 3] [--batch 1]
    cnnguide export lenet5 [--framework torch|keras] [--format onnx] -o lenet5.onnx [--opset 18] [--batch N]
    cnnguide experiment list
    cnnguide experiment run lenet5 [--framework keras|torch|both] [--output DIR]

``compare`` is what an author checks before writing a number into a page: both frameworks'
totals, whether the two models agree layer by layer, and the figures the paper states (with
their sources) beside ours. It exits 1 when the frameworks disagree. ``compare --all`` prints the
comparison page's table of every network. ``profile`` measures what the site cannot show: the
model's latency and memory on this machine. ``export`` writes the model as an ONNX file (its logits,
for ONNX Runtime or any other runtime; PyTorch's exporter by default, which converts every model
of the catalog: see :mod:`cnnguide.export`). ``experiment run`` trains one of the experiments
page's experiments and saves its result where the site build reads it (``--output`` elsewhere).

Bad input (an unknown model, framework or option, a file that cannot be written) prints one
clear line to stderr and exits with status 2, never a traceback; so do argparse's own errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import catalog
from .errors import CnnguideError
from .frameworks import FRAMEWORKS, canonical

DIAGRAMS = "cnnguide.render.diagrams"  # written separately; the CLI uses it once it exists


WORDS = {  # the CLI's own words; table headers come from cnnguide.render.labels
    "framework": {"ko": "프레임워크", "en": "Framework"},
    "unit": {"ko": "단위", "en": "Unit"},
    "agree": {"ko": "keras와 torch가 층마다 일치합니다 ({n}개 행).",
              "en": "keras and torch agree layer by layer ({n} rows)."},
    "disagree": {"ko": "keras와 torch가 {n}개 행에서 다릅니다. 첫 행 {index}: keras {keras}, torch {torch}",
                 "en": "keras and torch disagree on {n} row(s); first, row {index}: keras {keras}, torch {torch}"},
    "no_figures": {"ko": "이 사례 연구에는 출처의 수치가 없습니다.", "en": "This study states no figures."},
    "exported": {"ko": "{path} ({size} MB, ONNX opset {opset}, 입력 {layout})",
                 "en": "{path} ({size} MB, ONNX opset {opset}, input {layout})"},
}


def _list(args) -> int:
    width = max(map(len, catalog.MODELS))
    for entry in catalog.MODELS.values():
        print(f"{entry.name:<{width}}  {entry.summary[args.lang]}")
    return 0


def _summary(args) -> int:
    from . import build, summarize
    from .render.tables import layer_table

    view = summarize(build(args.model, args.framework))
    print(layer_table(view, args.lang))
    return 0


def _figure_rows(study: catalog.Study, name: str, view, lang: str) -> list[list[str]]:
    """The study's figures about model ``name``, judged by the site's one rule
    (:func:`cnnguide.docs.kit.verdict`); figures about other models or not computed from the
    architecture (measured accuracies, constants) are left to the page."""
    from .docs.kit import measure_of, verdict
    from .render.labels import VERDICTS, number

    rows = []
    for fig in study.figures:
        target = fig.target(study)
        if target is None or target[0] != name:
            continue
        try:
            ours = measure_of(view, target[1], target[2])
            judged = verdict(fig, ours)
        except CnnguideError:  # beyond the tolerance (or a layer this model does not have)
            ours, judged = None, "mismatch"
        rows.append([fig.key, number(int(fig.value)), fig.unit.get(lang, ""),
                     "" if ours is None else number(ours), VERDICTS[judged][lang], fig.source])
    return rows


def _compare(args) -> int:
    if args.all:
        if args.model is not None:
            raise CnnguideError("give a model or --all, not both.")
        from .docs.comparison import terminal_table

        print(terminal_table(args.lang))
        return 0
    if args.model is None:
        raise CnnguideError("give a model (see `cnnguide list`) or --all.")
    from . import build, summarize
    from .parity import compare_views
    from .render.labels import header, number
    from .render.tables import markdown_table

    entry = catalog.model(args.model)
    views = {fw: summarize(build(entry.name, fw)) for fw in FRAMEWORKS}
    lang = args.lang
    totals = [[fw, number(v.params), number(v.trainable), number(v.non_trainable), number(v.macs)]
              for fw, v in views.items()]
    print(markdown_table([WORDS["framework"][lang], header("params", lang), header("trainable", lang),
                          header("non_trainable", lang), header("macs", lang)], totals, "lrrrr"))
    mismatches = compare_views(views["keras"], views["torch"])
    print()
    if mismatches:
        first = mismatches[0]
        print(WORDS["disagree"][lang].format(n=len(mismatches), index=first.index, keras=first.keras,
                                             torch=first.torch))
    else:
        print(WORDS["agree"][lang].format(n=len(views["keras"].layers)))
    study = catalog.study(entry.study)
    rows = _figure_rows(study, entry.name, views["keras"], lang)
    print()
    print(f"{study.name[lang]}: {study.paper.cite()}")
    if rows:
        print(markdown_table([header("figure", lang), header("stated", lang), WORDS["unit"][lang],
                              header("ours", lang), header("verdict", lang), header("source", lang)],
                             rows, "lrlrll"))
    else:
        print(WORDS["no_figures"][lang])
    return 1 if mismatches else 0


def _profile(args) -> int:
    from .profiling import profile

    catalog.model(args.model)  # an unknown name fails before a framework is imported
    for line in profile(args.model, args.framework, runs=args.runs, warmup=args.warmup, batch=args.batch).lines():
        print(line)
    return 0


def _export(args) -> int:
    from . import build
    from .export import LAYOUTS, OPSET, check_format, export

    # Bad names fail here, before a framework is imported (cnnguide.export imports none itself).
    entry = catalog.model(args.model)
    framework = canonical(args.framework)
    check_format(args.format)

    opset = OPSET if args.opset is None else args.opset
    path = export(build(entry.name, framework), args.output, format=args.format, opset=opset, batch=args.batch)
    size = path.stat().st_size / 1e6
    print(WORDS["exported"][args.lang].format(path=path, size=f"{size:,.1f}", opset=opset, layout=LAYOUTS[framework]))
    return 0


def _experiment_list(args) -> int:
    from .experiments.definitions import EXPERIMENTS

    width = max(map(len, EXPERIMENTS))
    for experiment in EXPERIMENTS.values():
        print(f"{experiment.name:<{width}}  {experiment.summary[args.lang]}")
    return 0


def _experiment_run(args) -> int:
    from pathlib import Path

    from .experiments.definitions import EXPERIMENTS

    if args.name not in EXPERIMENTS:
        raise CnnguideError(f"unknown experiment {args.name!r}; choose one of {', '.join(EXPERIMENTS)} "
                            "(see `cnnguide experiment list`).")
    chosen = FRAMEWORKS if args.framework == "both" else (canonical(args.framework),)
    output = Path(args.output) if args.output else None
    if output is not None and output.exists() and not output.is_dir():
        raise CnnguideError(f"--output {output}: not a directory.")
    from tqdm import tqdm

    from .experiments import results, training

    experiment = EXPERIMENTS[args.name]
    for framework in chosen:
        with tqdm(total=training.steps(experiment), unit="step", desc=f"{args.name} {framework}") as bar:
            def progress(arm: str, seed: int, epoch: int) -> None:
                bar.set_postfix_str(f"{arm} seed {seed} epoch {epoch}/{experiment.epochs}", refresh=False)
                bar.update(1)

            record = training.run(experiment, framework, progress=progress)
        try:
            print(results.save(record, output))
        except OSError as exc:
            raise CnnguideError(f"cannot write the result to {output or results.RESULTS}: {exc.strerror or exc}.") from None
    return 0


def _diagram(args) -> int:
    entry = catalog.model(args.model)  # an unknown name fails before anything is imported
    try:
        diagrams = importlib.import_module(DIAGRAMS)
    except ModuleNotFoundError as exc:
        if exc.name not in (DIAGRAMS, "cnnguide.render"):
            raise  # the module exists but needs something missing: that error says more
        diagrams = None
    if not callable(getattr(diagrams, "svg", None)):
        raise CnnguideError(f"diagrams are not available yet ({DIAGRAMS}.svg(view, lang) does not exist).")
    from . import build, summarize

    text = diagrams.svg(summarize(build(entry.name, args.framework)), args.lang)
    try:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise CnnguideError(f"cannot write {args.output}: {exc.strerror or exc}.") from None
    print(args.output)
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (argparse prints the usage first)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="cnnguide", description=__doc__.splitlines()[0])
    top.add_argument("--lang", choices=("ko", "en"), default="en", help="language of the output")
    # --lang is accepted after the command too (as the docstring writes it); SUPPRESS keeps the
    # subcommand from overwriting a --lang given before it with its own default.
    lang = _Parser(add_help=False)
    lang.add_argument("--lang", choices=("ko", "en"), default=argparse.SUPPRESS, help="language of the output")
    commands = top.add_subparsers(dest="command", required=True)

    def command(name: str, run, help: str, framework: bool = False) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, parents=[lang])
        if name == "compare":
            sub.add_argument("model", nargs="?", help="a name from `cnnguide list`")
            sub.add_argument("--all", action="store_true", help="every network of the site in one table")
        elif name != "list":
            sub.add_argument("model", help="a name from `cnnguide list`")
        if framework:
            sub.add_argument("--framework", default="keras", help="keras or torch")
        sub.set_defaults(run=run)
        return sub

    command("list", _list, "every model cnnguide can build")
    command("summary", _summary, "a model's layers, shapes, parameters and MACs", framework=True)
    command("compare", _compare, "both frameworks' totals, their agreement, and the paper's figures")
    diagram = command("diagram", _diagram, "the model's diagram as SVG", framework=True)
    diagram.add_argument("-o", "--output", required=True, metavar="FILE.svg", help="where to write the SVG")
    timed = command("profile", _profile, "the model's latency and peak memory on this machine", framework=True)
    timed.add_argument("--runs", type=int, default=20, help="timed forward passes (default 20)")
    timed.add_argument("--warmup", type=int, default=3, help="unmeasured passes first (default 3)")
    timed.add_argument("--batch", type=int, default=1, help="images per pass (default 1)")
    exporting = command("export", _export, "the model as an ONNX file (its logits), for another runtime")
    exporting.add_argument("--framework", default="torch", help="torch (default) or keras")
    exporting.add_argument("--format", default="onnx", help="onnx (the only format for now)")
    exporting.add_argument("-o", "--output", required=True, metavar="FILE.onnx", help="where to write the file")
    exporting.add_argument("--opset", type=int, default=None, help="ONNX opset (default: cnnguide.export.OPSET)")
    exporting.add_argument("--batch", type=int, default=None,
                           help="a fixed number of images per run (default: any; see cnnguide.export)")
    experiment = commands.add_parser("experiment", help="the experiments page's training runs", parents=[lang])
    what = experiment.add_subparsers(dest="action", required=True)
    listing = what.add_parser("list", help="every experiment, one line each", parents=[lang])
    listing.set_defaults(run=_experiment_list)
    running = what.add_parser("run", help="train one experiment and save its result", parents=[lang])
    running.add_argument("name", help="a name from `cnnguide experiment list`")
    running.add_argument("--framework", default="both", help="keras, torch or both (default both)")
    running.add_argument("--output", metavar="DIR", help="save the result here instead of where the site reads it")
    running.set_defaults(run=_experiment_run)
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its one-line error (status 2) or --help (0)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.run(args)
    except CnnguideError as exc:
        print(f"cnnguide: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
