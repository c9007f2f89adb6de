"""No traceback is published: a book notebook stored with an error output fails every build (``make book``
too, not only ``-W``), naming the notebook and cell, unless the cell is tagged ``raises-exception`` (an
error shown on purpose)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from sphinx.errors import ExtensionError

RAISES_TAG = "raises-exception"


def stored_errors(path: Path) -> list[str]:
    """'cell N: Name: message' for every stored error output of a notebook, outside cells tagged
    ``raises-exception`` (N counts every cell from 1, as a notebook editor shows them)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for number, cell in enumerate(nb.cells, 1):
        if RAISES_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {number}: {out.get('ename', 'Error')}: {str(out.get('evalue', ''))[:200]}")
    return found


def refuse_tracebacks(app, env, docnames) -> None:
    """``env-before-read-docs``: fail the build if any notebook of the book holds a stored error output.

    Every notebook in the book is checked on every build (not only the ones re-read), so an incremental
    build cannot hide one."""
    problems = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if path.suffix == ".ipynb":
            problems += [f"{path.relative_to(app.srcdir)}, {error}" for error in stored_errors(path)]
    if problems:
        raise ExtensionError(
            "notebooks stored with error outputs (a traceback would be published):\n  "
            + "\n  ".join(problems)
            + f"\nRe-run them (make execute) and fix the error, or tag a cell that fails on purpose '{RAISES_TAG}'."
        )
