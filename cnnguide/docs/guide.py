"""The usage guide's terminal sessions: ``cnnguide`` commands run while the site builds, their
output shown as a reader would see it in a terminal (in the page's language)."""

from __future__ import annotations

import contextlib
import io
import shlex

from .context import language


def terminal(command: str) -> str:
    """``command`` (a ``cnnguide ...`` line) run through the CLI in this process, as a console
    block: the prompt, then what it printed. The CLI's ``--lang`` follows the page."""
    from ..cli import main

    words = shlex.split(command)
    if words[0] != "cnnguide":
        raise ValueError(f"{command!r}: the guide runs cnnguide commands only.")
    if language() != "en":  # English is the CLI's default: elsewhere the reader must ask
        command, words = f"{command} --lang {language()}", [*words, "--lang", language()]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main(words[1:])
    if status not in (0, 1):  # 1: compare found a disagreement, which the page would show
        raise RuntimeError(f"{command!r} exited with {status}: {out.getvalue().strip()}")
    return f"```console\n$ {command}\n{out.getvalue().rstrip()}\n```"
