"""`make execute` is all or nothing: when one notebook fails, none is rewritten."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]


def notebook(path: Path, source: str) -> bytes:
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stored before\n")]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path.read_bytes()


def test_a_failing_notebook_leaves_every_notebook_as_it_was(tmp_path):
    good = notebook(tmp_path / "a_good.ipynb", "print('ran again')")
    bad = notebook(tmp_path / "b_bad.ipynb", "raise ValueError('boom')")
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "execute.py"),
            str(tmp_path / "a_good.ipynb"),
            str(tmp_path / "b_bad.ipynb"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0
    assert (tmp_path / "a_good.ipynb").read_bytes() == good, "the notebook that ran before the failure was rewritten"
    assert "b_bad.ipynb failed" in run.stderr and "ValueError" in run.stderr
    assert (tmp_path / "b_bad.ipynb").read_bytes() == bad
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_good.ipynb", "b_bad.ipynb"], "temporary files left"


def test_when_all_succeed_every_notebook_is_rewritten(tmp_path):
    notebook(tmp_path / "a.ipynb", "print('ran again')")
    run = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "execute.py"), str(tmp_path / "a.ipynb")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "ran again" in (tmp_path / "a.ipynb").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ipynb"]
