"""Re-run notebooks in place, storing their outputs and widget state (used by `make execute`).

Usage: python scripts/execute.py NOTEBOOK [NOTEBOOK ...]
Each notebook runs with its own folder as working directory; an error stops with a non-zero exit.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def execute(path: Path, timeout: int = 300) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths: list[str]) -> int:
    for i, name in enumerate(paths, 1):
        path = Path(name)
        print(f"  [{i}/{len(paths)}] {path} ...", end=" ", flush=True)
        try:
            seconds = execute(path)
        except CellExecutionError as exc:
            print("FAILED")
            print(str(exc)[-3000:], file=sys.stderr)
            return 1
        print(f"{seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
