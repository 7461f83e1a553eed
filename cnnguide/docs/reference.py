"""The API reference: mkdocstrings renders the package's docstrings, and this griffe extension
turns their reStructuredText into the Markdown mkdocstrings renders.

The docstrings are written as Python's own documentation is, with Sphinx roles
(``:func:`build```, ``:class:`~cnnguide.inspect.view.ModelView```) and ``::`` before a literal
block. Rendered as Markdown those would show as raw text, so, when griffe has loaded the whole
package (:meth:`SphinxRoles.on_package`), every docstring is rewritten:

* a role whose target the reference page documents becomes a cross-reference,
  ``[ModelView][cnnguide.inspect.view.ModelView]``, which autorefs resolves and ``mkdocs build
  --strict`` checks;
* a role whose target it does not document (a private helper, a page module, a framework's class)
  becomes inline code: a link nobody could follow would fail the build;
* a paragraph's closing ``::`` becomes ``:`` (the literal block under it is indented, which
  Markdown already reads as code).

Targets are resolved as Sphinx resolves them: a leading ``~`` shows only the last name, a leading
dot is relative to the docstring's package, and a bare name is looked up in the object's class,
then its module (imports included, as griffe aliases).
"""

from __future__ import annotations

import re
from pathlib import Path

import griffe

ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):`(~?)([^`]+)`")
PAGE = Path(__file__).resolve().parents[2] / "docs" / "en" / "reference.md"


def documented_modules(page: Path = PAGE) -> tuple[str, ...]:
    """The modules the reference page renders: its ``::: module`` lines (the Korean page has the
    same lines; a test checks it)."""
    return tuple(re.findall(r"^::: ([\w.]+)", page.read_text(encoding="utf-8"), re.M))


def _lookup(package: griffe.Module, path: str):
    if path == package.path:
        return package
    if not path.startswith(package.path + "."):
        return None
    try:
        found = package[path[len(package.path) + 1:]]
        # A name re-exported elsewhere (cnnguide.catalog.ModelEntry) is documented where it is
        # defined (cnnguide.catalog.types.ModelEntry): link there.
        return found.final_target if found.is_alias else found
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _resolve(package: griffe.Module, obj: griffe.Object, target: str):
    """The object ``target`` names from ``obj``'s docstring, or None (outside the package)."""
    module = obj if obj.is_module else obj.module
    if target.startswith("."):
        base = module if module.is_init_module else module.parent
        for _ in range(len(target) - len(target.lstrip(".")) - 1):
            base = base.parent
        return _lookup(package, f"{base.path}.{target.lstrip('.')}")
    scopes = [obj] if obj.is_class else []
    scopes += [obj.parent] if obj.parent is not None and obj.parent.is_class else []
    for scope in (*scopes, module):
        head, _, rest = target.partition(".")
        if head in scope.members:
            found = scope.members[head]
            try:
                path = found.target_path if found.is_alias else found.path
            except griffe.AliasResolutionError:
                return None
            return _lookup(package, f"{path}.{rest}" if rest else path)
    return _lookup(package, target)


def _documented(obj, modules: tuple[str, ...]) -> bool:
    """Whether the reference renders ``obj``: a documented module, or a public object of one
    that has a docstring (mkdocstrings leaves out the others, constants included)."""
    if obj.is_module:
        return obj.path in modules
    names = obj.path.split(".")
    return (not any(name.startswith("_") for name in names) and obj.module.path in modules
            and obj.docstring is not None)


def markdown(package: griffe.Module, obj: griffe.Object, text: str, modules: tuple[str, ...]) -> str:
    """``text``, a docstring of ``obj``, with its roles and literal-block markers as Markdown."""
    def role(match: re.Match) -> str:
        short, target = match[1] == "~", match[2]
        shown = target.lstrip(".").rsplit(".", 1)[-1] if short else target.lstrip(".")
        found = _resolve(package, obj, target)
        if found is not None and _documented(found, modules):
            return f"[`{shown}`][{found.path}]"
        return f"`{shown}`"

    text = ROLE.sub(role, text)
    return re.sub(r"(\S)::\n", r"\1:\n", text)


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring of the package once it is loaded (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        modules = documented_modules()
        todo = [pkg]
        while todo:
            obj = todo.pop()
            if obj.docstring is not None:
                obj.docstring.value = markdown(pkg, obj, obj.docstring.value, modules)
            todo += [member for member in obj.members.values() if not member.is_alias]


def cli_help() -> str:
    """Every ``cnnguide`` command's ``--help``, generated from the CLI's own parser."""
    import argparse

    from ..cli import parser

    def helps(command: argparse.ArgumentParser):
        yield command
        for action in command._actions:  # argparse keeps its subcommands here, and nowhere public
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from helps(sub)

    import os

    # argparse wraps its help to the terminal's width: fix it, so every build prints the same.
    width, os.environ["COLUMNS"] = os.environ.get("COLUMNS"), "100"
    try:
        blocks = [f"```text\n$ {command.prog} --help\n{command.format_help().rstrip()}\n```"
                  for command in helps(parser())]
    finally:
        if width is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = width
    return "\n\n".join(blocks)
