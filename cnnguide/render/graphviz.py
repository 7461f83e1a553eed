"""Lay out DOT text as SVG with graphviz-pure, and make the SVG fit inline in a page.

graphviz-pure (PyPI) is a static build of Graphviz's ``dot`` with its fonts built in: the same
DOT gives byte-identical SVG on every machine, and no system Graphviz is needed. Its command is
``graphviz-pure``; it reads DOT on stdin like ``dot``.

:func:`inline` turns its output into an element that sits in a Material page in either colour
scheme: no XML prolog or comments, no ids (two graphs on a page would repeat ``node1``), a
transparent background, and edges and cluster frames in ``currentColor`` (the page's text
colour), while the nodes keep their own light fills and dark text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..errors import CnnguideError

COMMAND = "graphviz-pure"
TIMEOUT = 120  # seconds; ResNet-152's Keras graph takes well under one


def executable() -> str:
    """The graphviz-pure command: on PATH, or beside this interpreter (a venv not activated)."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / COMMAND
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(COMMAND)
    if found:
        return found
    raise CnnguideError(
        "graphviz-pure is not installed, so the full computational graphs cannot be laid out. "
        "Install cnnguide's docs extra: pip install 'cnnguide[docs]' (it needs no system Graphviz)."
    )


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("graphviz-pure")
    except metadata.PackageNotFoundError:
        return "not installed"


def layout(dot: str) -> str:
    """The SVG that graphviz-pure draws for ``dot``."""
    try:
        result = subprocess.run([executable(), "-Tsvg"], input=dot.encode("utf-8"),
                                capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise CnnguideError(f"graphviz-pure took longer than {TIMEOUT} s to lay out a graph.") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CnnguideError(
            f"graphviz-pure could not lay out the graph: {message[0] if message else 'no message'}"
        )
    return result.stdout.decode("utf-8")


_EDGE_OR_CLUSTER = re.compile(r'<g id="[^"]*" class="(?:edge|cluster)">.*?</g>', re.S)


def inline(svg: str, label: str) -> str:
    """``svg`` as an inline ``<svg role="img">`` whose accessible name is ``label``."""
    start = svg.find("<svg")
    if start < 0:
        raise CnnguideError("graphviz-pure returned no SVG.")
    body = re.sub(r"<!--.*?-->\s*", "", svg[start:], flags=re.S)
    body = _EDGE_OR_CLUSTER.sub(_recolour, body)
    body = re.sub(r'\s(?:id|xmlns:xlink)="[^"]*"', "", body)
    body = re.sub(r"<title>[^<]*</title>\s*", "", body)
    # The page background shows through; the graph's own white canvas would glare in dark mode.
    body = re.sub(r'<polygon fill="white" stroke="none"', '<polygon fill="none" stroke="none"', body, count=1)
    return re.sub(
        r"<svg\b", f'<svg class="cnnguide-graphviz" role="img" aria-label={quoteattr(label)}', body, count=1
    ).replace(">", f"><title>{escape(label)}</title>", 1).strip()


def _recolour(match: re.Match) -> str:
    part = match[0].replace('stroke="black"', 'stroke="currentColor"').replace('fill="black"', 'fill="currentColor"')
    # cluster labels have no fill of their own: Graphviz's default is black
    return re.sub(r'<text(?![^>]*\bfill=)', '<text fill="currentColor"', part)
