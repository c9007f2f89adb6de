"""Editions: the student site (exercise solutions absent: not folded, not in the page, not in the search
index, not in the notebook the page offers for download) and the instructor edition
(``DONGBEI_INSTRUCTOR=1``, ``make book-instructor``): exercise solutions shown open, and a banner on every
page naming the edition. Both are changes to the document tree, made before it is written and indexed;
the downloadable notebooks are trimmed when the build finishes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

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
    """``doctree-resolved`` (after sphinx-exercise has gathered each solution's cells into one node, before
    the page is written and indexed): on the student site remove every solution; in the instructor edition
    open every solution (drop its 'dropdown' class) and put the banner first on the page."""
    if not instructor():
        for node in list(doctree.findall(is_solution)):
            node.parent.remove(node)
        return
    for node in doctree.findall(nodes.Element):
        classes = node["classes"]
        if "solution" in classes and "dropdown" in classes:
            classes.remove("dropdown")
    doctree.insert(0, banner())


def is_solution(node) -> bool:
    return isinstance(node, nodes.Element) and "solution" in node.get("classes", [])


START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}", re.M)
BLOCK = re.compile(r"^(`{3,}|:{3,})\{solution\}[^\n]*\n.*?^\1[ \t]*(\n|$)", re.M | re.S)
END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}[^\n]*\n\1[ \t]*(\n|$)", re.M)


def without_solutions(cells: list[dict]) -> list[dict]:
    """The cells with every solution taken out: from its ``{solution-start}`` fence to the end of its
    ``{solution-end}`` fence. Text before the start and after the end, in the same cells, is kept."""
    out, inside = [], False
    for cell in cells:
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") != "markdown":
            if not inside:
                out.append(cell)
            continue
        kept, rest = "", source
        while rest:
            if not inside:
                start = START.search(rest)
                if not start:
                    kept += rest
                    break
                kept, rest, inside = kept + rest[: start.start()], rest[start.start() :], True
            else:
                end = END.search(rest)
                if not end:
                    break
                rest, inside = rest[end.end() :], False
        kept = BLOCK.sub("", kept)
        if kept.strip():
            out.append({**cell, "source": kept.strip("\n") + "\n" if kept.endswith("\n") else kept.strip("\n")})
    return out


def strip_downloads(outdir: Path) -> None:
    """``build-finished``, student site: the notebooks offered for download (``_sources``) lose their
    solutions too. (The public repository's notebooks, which the launch buttons open, keep them.)"""
    if instructor():
        return
    for path in (outdir / "_sources").rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = without_solutions(nb.get("cells", []))
        if cells != nb.get("cells", []):
            nb["cells"] = cells
            path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
