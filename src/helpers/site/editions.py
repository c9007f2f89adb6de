"""Editions: the student site (solutions folded) and the instructor edition (``DONGBEI_INSTRUCTOR=1``,
``make book-instructor``): exercise solutions shown open, and a banner on every page naming the edition.
Both are changes to the document tree, made before it is written."""

from __future__ import annotations

import os

from docutils import nodes

BANNER_CLASSES = ["dongbei-instructor", "note"]


def instructor() -> bool:
    """True when building the instructor edition (environment variable ``DONGBEI_INSTRUCTOR=1``)."""
    return os.environ.get("DONGBEI_INSTRUCTOR", "") == "1"


def banner() -> nodes.admonition:
    """The instructor edition's note: rendered as ``<div class="admonition dongbei-instructor note">``."""
    note = nodes.admonition("", classes=list(BANNER_CLASSES))
    note += nodes.title("", "Instructor edition")
    note += nodes.paragraph("", "Exercise solutions are shown open. The student site hides them.")
    return note


def apply_edition(app, doctree, docname) -> None:
    """``doctree-resolved``: in the instructor edition, open every solution (drop its 'dropdown' class) and
    put the banner first on the page."""
    if not instructor():
        return
    for node in doctree.findall(nodes.Element):
        classes = node["classes"]
        if "solution" in classes and "dropdown" in classes:
            classes.remove("dropdown")
    doctree.insert(0, banner())
