"""``cnnguide``: the catalog and the models from a terminal, for authors.

    cnnguide list
    cnnguide summary lenet5 --framework torch [--lang en]

Bad input prints one clear line to stderr and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from . import catalog
from .errors import CnnguideError


def _list(args) -> None:
    for entry in catalog.MODELS.values():
        print(f"{entry.name:<14} {entry.summary[args.lang]}")


def _summary(args) -> None:
    from . import build, summarize
    from .render.tables import layer_table

    view = summarize(build(args.model, args.framework))
    print(layer_table(view, args.lang))


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="cnnguide", description=__doc__.splitlines()[0])
    top.add_argument("--lang", choices=("ko", "en"), default="en", help="language of the output")
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every model cnnguide can build").set_defaults(run=_list)
    summary = commands.add_parser("summary", help="a model's layers, shapes, parameters and MACs")
    summary.add_argument("model")
    summary.add_argument("--framework", default="keras", help="keras or torch")
    summary.set_defaults(run=_summary)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except CnnguideError as exc:
        print(f"cnnguide: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
