"""Glue between the package and the MkDocs site: what the pages' executed blocks call.

The pages' code blocks are identical in both languages; the language they render in comes from
:mod:`cnnguide.docs.context`, which the MkDocs hook (``cnnguide/docs/hooks.py``) sets for each
page. Models are built once per process and shared by both language builds.
"""
