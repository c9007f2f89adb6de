"""Chapters read as steps: styling and file I/O live in the helpers, never in a notebook's code cells.

A chart in a chapter is a call to a function in :mod:`helpers.charts` (one theme, one palette); data come
through :mod:`helpers.data` (one loader that validates). These checks fail on a chapter that imports
Altair, writes a hex colour, or reads a file with pandas or ``open`` itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("chapters", "appendix", "teaching") for p in (ROOT / folder).glob("*.ipynb"))

FORBIDDEN = {
    "imports altair": re.compile(r"^\s*(import altair|from altair\b)", re.M),
    "calls Altair (alt.)": re.compile(r"\balt\.\w"),
    "writes a hex colour": re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?=['\"])"),
    "reads a file itself": re.compile(r"\b(?:pd|data\.pd)\.read_\w+\(|\bopen\(|\bread_(?:csv|excel|json|parquet)\("),
}


def code_lines(path: Path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            for number, line in enumerate("".join(cell["source"]).splitlines(), 1):
                yield index, number, line


def violations(path: Path) -> list[tuple[str, str]]:
    """(what, where) for every forbidden line; comments are not code, so they are not checked."""
    found = []
    for index, number, line in code_lines(path):
        if line.lstrip().startswith("#"):
            continue
        for what, pattern in FORBIDDEN.items():
            if pattern.search(line):
                found.append((what, f"{path.name} cell {index} line {number}: {line.strip()}"))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_code_has_no_styling_or_file_io(path):
    assert not violations(path)


def test_the_check_catches_each_kind(tmp_path):
    bad = tmp_path / "bad.ipynb"
    cells = ["import altair as alt", "chart = alt.Chart(df)", "colour = '#1f77b4'", "df = pd.read_csv('x.csv')"]
    bad.write_text(json.dumps({"cells": [{"cell_type": "code", "source": c} for c in cells]}), encoding="utf-8")
    assert {what for what, _ in violations(bad)} == set(FORBIDDEN)
