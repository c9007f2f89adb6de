"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ (CSV files, datapackage.json, derived.json) for corruption tests."""
    target = tmp_path / "data"
    target.mkdir()
    for path in [*(REPO / "data").glob("*.csv"), REPO / "data" / "datapackage.json", REPO / "data" / "derived.json"]:
        shutil.copy2(path, target / path.name)
    return target
