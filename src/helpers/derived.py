"""The derived series, declared as data in ``data/derived.json``: for each, its id, title, unit, inputs (series
of the data package, ``"name@vintage"`` for one edition), the formula (the name of a function of
``helpers.formulas``, which takes the inputs in the order listed, and ``options`` as keyword arguments) and a
description a reader can check the numbers against. ``helpers.data.series(id)`` computes them.

To add one: append an entry to ``data/derived.json`` (with a new function in ``helpers.formulas`` if no
existing formula fits). A declaration naming a formula that does not exist, or missing a field, is refused
with the file and the entry named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import formulas

FILE = "derived.json"
REQUIRED = ("id", "title", "unit", "inputs", "formula", "description")


class DerivedError(ValueError):
    """A declaration in ``derived.json`` that cannot be used."""


@dataclass(frozen=True)
class Derived:
    """A series the project computes from other series."""

    id: str
    title: str
    unit: str
    inputs: tuple[str, ...]
    formula: str
    description: str
    options: dict = field(default_factory=dict)
    vintage: str = "derived"

    def compute(self, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        """Rows of province, year, value (and vintage, if the formula keeps it) from the input frames."""
        return getattr(formulas, self.formula)(*(frames[name] for name in self.inputs), **self.options)


def load(data_dir: Path) -> dict[str, Derived]:
    """The declarations of ``data_dir/derived.json``, by id, in file order (none if there is no file)."""
    path = Path(data_dir) / FILE
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["derived"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise DerivedError(f"{path}: not a list of derived series under 'derived' ({exc})") from None
    declared: dict[str, Derived] = {}
    for number, entry in enumerate(entries, 1):
        where = f"{path.name}, entry {number} ({entry.get('id', 'no id')!r})"
        missing = [key for key in REQUIRED if key not in entry]
        unknown = sorted(set(entry) - {*REQUIRED, "options", "vintage"})
        if missing or unknown:
            raise DerivedError(f"{where}: missing {missing}, unknown {unknown}")
        if not callable(getattr(formulas, entry["formula"], None)):
            raise DerivedError(f"{where}: no formula {entry['formula']!r} in helpers.formulas")
        if entry["id"] in declared:
            raise DerivedError(f"{where}: id declared twice")
        declared[entry["id"]] = Derived(**{**entry, "inputs": tuple(entry["inputs"])})
    return declared
