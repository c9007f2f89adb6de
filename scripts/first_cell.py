"""Give every notebook the same first cell: install the book's package where it is missing (Colab).

Usage: python scripts/first_cell.py [--check] [NOTEBOOK ...]   (default: every book notebook)

The cell does nothing where ``helpers`` can be imported (the book's own environment, Binder, a clone
with ``make setup``). Where it cannot (Google Colab, a fresh Jupyter), it pip-installs the package,
with its data, from the repository named in ``_config.yml`` (``repository.url`` and ``branch``), once
per runtime. ``DONGBEI_PACKAGE`` overrides what is installed (a local wheel or path: the test uses it to
install the local checkout without the network).

Idempotent: the cell is found by its id (``run-anywhere``) wherever it is, replaced by the current text
and moved to the top; a notebook already up to date is not rewritten. ``--check`` rewrites nothing and
exits 1 listing the notebooks whose first cell is not the current one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[1]
CELL_ID = "run-anywhere"
TAGS = ["remove-cell"]  # a reader of the site needs no installer; the notebook's reader sees it first
NOTEBOOK_GLOBS = ("chapters/*.ipynb", "appendix/*.ipynb", "teaching/*.ipynb")
DISTRIBUTION = "dongbei-helpers"

TEMPLATE = """\
# Run this cell first. It does nothing where the book's `helpers` package is installed (the book's own
# set-up, Binder). Elsewhere (Google Colab, a fresh Jupyter) it installs the package and the book's data
# from the repository, once per session; this takes a minute or two.
def _install_the_book():
    import importlib, importlib.util, os, subprocess, sys
    if importlib.util.find_spec("helpers") is not None:
        return
    source = os.environ.get("DONGBEI_PACKAGE") or "{requirement}"
    print("Installing the book's package and data from", source, "...")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)
    importlib.invalidate_caches()


_install_the_book()"""


def requirement(config: Path = REPO / "_config.yml") -> str:
    """The pip requirement for the package at the repository and branch named in ``_config.yml``."""
    repository = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("repository") or {}
    url = str(repository.get("url") or "").rstrip("/")
    if not url.startswith("https://"):
        raise SystemExit(
            f"{config}: repository.url must be the public https URL of the book's repository (found {url!r})"
        )
    branch = repository.get("branch") or "main"
    return f"{DISTRIBUTION} @ git+{url}.git@{branch}"


def cell_source(config: Path = REPO / "_config.yml") -> str:
    """The current text of the first cell."""
    return TEMPLATE.replace("{requirement}", requirement(config))


def first_cell(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(TAGS)})
    cell["id"] = CELL_ID
    return cell


def is_current(nb: nbformat.NotebookNode, source: str) -> bool:
    if not nb.cells:
        return False
    cell = nb.cells[0]
    return (
        cell.cell_type == "code"
        and cell.get("id") == CELL_ID
        and cell.source == source
        and cell.metadata.get("tags") == TAGS
        and not any(c.get("id") == CELL_ID for c in nb.cells[1:])
    )


def apply(nb: nbformat.NotebookNode, source: str) -> bool:
    """Put the current first cell at the top of ``nb`` (in place); True if anything changed."""
    if is_current(nb, source):
        return False
    nb.cells = [first_cell(source)] + [c for c in nb.cells if c.get("id") != CELL_ID]
    return True


def notebooks() -> list[Path]:
    return sorted(p for pattern in NOTEBOOK_GLOBS for p in REPO.glob(pattern))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook is stale")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    source = cell_source()
    stale = []
    for path in args.paths or notebooks():
        nb = nbformat.read(path, as_version=4)
        if args.check:
            if not is_current(nb, source):
                stale.append(path)
        elif apply(nb, source):
            nbformat.write(nb, path)
            print(f"  first cell written: {path}")
    if stale:
        print(
            "first cell missing or out of date (run: python scripts/first_cell.py):\n  " + "\n  ".join(map(str, stale)),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
