"""Every book notebook starts with the current run-anywhere cell (scripts/first_cell.py), and the script
is idempotent."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import first_cell  # noqa: E402

SOURCE = first_cell.cell_source()


@pytest.mark.parametrize("path", first_cell.notebooks(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_notebook_starts_with_the_current_first_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert first_cell.is_current(nb, SOURCE), (
        f"{path.relative_to(REPO)}: the first cell is not the current run-anywhere cell; "
        "run `python scripts/first_cell.py` and commit the notebooks"
    )
    assert not nb.cells[0].outputs, "in the book's environment the first cell prints nothing"


def test_the_cell_installs_from_the_repository_in_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/someone/fork/\n  branch: teaching\n")
    assert "dongbei-helpers @ git+https://github.com/someone/fork.git@teaching" in first_cell.cell_source(config)
    config.write_text("repository:\n  url: git@github.com:someone/fork\n")
    with pytest.raises(SystemExit, match="repository.url"):
        first_cell.cell_source(config)


def test_applying_twice_changes_nothing_and_moves_an_old_cell_to_the_top():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("x = 1")])
    assert first_cell.apply(nb, SOURCE) and first_cell.is_current(nb, SOURCE)
    assert not first_cell.apply(nb, SOURCE) and len(nb.cells) == 3
    nb.cells = [nb.cells[1], nb.cells[0], nb.cells[2]]
    nb.cells[1].source = "old text"
    assert first_cell.apply(nb, SOURCE)
    assert [c.source for c in nb.cells] == [SOURCE, "# Title", "x = 1"]


def test_the_cell_is_valid_python_that_does_nothing_where_helpers_imports():
    namespace: dict = {}
    exec(compile(SOURCE, "first_cell", "exec"), namespace)  # helpers is importable here: no pip call
    assert "_install_the_book" in namespace
