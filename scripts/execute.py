"""Re-run notebooks in place, storing their outputs and widget state (used by `make execute`).

Usage: python scripts/execute.py NOTEBOOK [NOTEBOOK ...]
Each notebook runs with its own folder as working directory. All or nothing: every notebook is run
in memory first, and the files are rewritten only when all of them succeeded; an error stops with a
non-zero exit, names the notebook, and leaves every file as it was.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def run(path: Path, timeout: int = 300) -> tuple[nbformat.NotebookNode, float]:
    """Execute a notebook in memory; return it with its outputs and the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return nb, time.perf_counter() - start


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write a notebook through a temporary file in the same folder, so a file is never half-written."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".ipynb")
    os.close(handle)
    try:
        nbformat.write(nb, temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def execute(path: Path, timeout: int = 300) -> float:
    """Run one notebook and rewrite it (scripts/bench.py times this)."""
    nb, seconds = run(path, timeout)
    write(nb, path)
    return seconds


def main(paths: list[str]) -> int:
    done = []
    for i, name in enumerate(paths, 1):
        path = Path(name)
        print(f"  [{i}/{len(paths)}] {path} ...", end=" ", flush=True)
        try:
            nb, seconds = run(path)
        except CellExecutionError as exc:
            print("FAILED")
            print(str(exc)[-3000:], file=sys.stderr)
            print(
                f"==> [execute] {path} failed: no notebook was rewritten ({len(done)} that ran are left as they were).",
                file=sys.stderr,
            )
            return 1
        done.append((nb, path))
        print(f"{seconds:.1f} s")
    for nb, path in done:
        write(nb, path)
    print(f"==> [execute] all {len(done)} notebook(s) ran; rewrote them")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
