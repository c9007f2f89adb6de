"""Data publishing: the CSVs and ``datapackage.json`` at ``<site>/data/``, where chart and appendix links
point."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.data import DATA_DIR


def publish_data(outdir: Path) -> None:
    """Copy ``data/*.csv`` and ``data/datapackage.json`` to ``<outdir>/data/``."""
    target = outdir / "data"
    target.mkdir(parents=True, exist_ok=True)
    for path in [*DATA_DIR.glob("*.csv"), DATA_DIR / "datapackage.json"]:
        shutil.copy2(path, target / path.name)
