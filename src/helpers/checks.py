"""Plausibility checks that a schema cannot express.

A schema says that a value is a number between 0 and 50,000; it cannot say that Ningxia's GDP did not
grow tenfold in one year, that a province's GDP per head is not 700,000 yuan, or that the 31 provinces
add up to roughly the national figure. Each series declares its own checks in ``datapackage.json``
(``dongbei.checks``), so the bounds sit next to the data they guard:

``change``
    ``[low, high]``: bounds on value ÷ value of the year before, same province and same vintage (a
    vintage switch is a break, not a change). ``exempt`` lists province-years outside the bounds for a
    stated reason, e.g. ``{"province": "Beijing", "year": 1995, "why": "..."}``.
``per_capita``
    ``{"population": <series>, "factor": f, "range": [low, high]}``: value × f ÷ population of the same
    province and year (same vintage family) must lie in the range.
``sum_of_provinces``
    ``[low, high]``: in every year with all 31 provinces and a national figure, the provinces' sum ÷ the
    national figure.

A failed check raises :class:`helpers.data.DataError` naming the file, the line and the column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.regions import N_PROVINCES, NATIONAL


def _line(frame: pd.DataFrame, index) -> int:
    """The CSV line of a row of a frame read in file order (line 1 is the header)."""
    return int(index) + 2


def _vintages(frame: pd.DataFrame) -> pd.Series:
    return frame["vintage"] if "vintage" in frame else pd.Series("", index=frame.index)


def change_problems(frame: pd.DataFrame, bounds: list[float], exempt: list[dict], file: str) -> list[str]:
    low, high = bounds
    allowed = {(e["province"], int(e["year"])) for e in exempt}
    rows = frame.assign(_vintage=_vintages(frame)).sort_values(["province", "_vintage", "year"])
    grouped = rows.groupby(["province", "_vintage"], sort=False)
    previous_value = grouped["value"].shift()
    previous_year = grouped["year"].shift()
    ratio = rows["value"] / previous_value
    consecutive = previous_year == rows["year"] - 1
    bad = rows[consecutive & ~ratio.between(low, high)]
    problems = []
    for index, row in bad.iterrows():
        if (row["province"], int(row["year"])) in allowed:
            continue
        problems.append(
            f"{file}, line {_line(frame, index)}, column 'value': {row['province']} {row['year']} is "
            f"{row['value']:g}, {ratio[index]:.3g} times the year before ({previous_value[index]:g}); the "
            f"series allows {low:g} to {high:g} (datapackage.json dongbei.checks.change)"
        )
    return problems


def per_capita_problems(
    frame: pd.DataFrame, population: pd.DataFrame, factor: float, bounds: list[float], file: str, population_id: str
) -> list[str]:
    low, high = bounds
    pop = population.set_index(["province", "year"])["value"]
    keys = pd.MultiIndex.from_frame(frame[["province", "year"]])
    per_head = frame["value"].to_numpy() * factor / pop.reindex(keys).to_numpy()
    frame = frame.assign(_per_head=per_head)
    bad = frame[frame["_per_head"].notna() & ~frame["_per_head"].between(low, high)]
    return [
        f"{file}, line {_line(frame, index)}, column 'value': {row['province']} {row['year']} is "
        f"{row['value']:g}, {row['_per_head']:,.0f} per head of {population_id}; plausible: "
        f"{low:,g} to {high:,g} (datapackage.json dongbei.checks.per_capita)"
        for index, row in bad.iterrows()
    ]


def sum_problems(frame: pd.DataFrame, bounds: list[float], file: str, n: int = N_PROVINCES) -> list[str]:
    low, high = bounds
    rows = frame.assign(_vintage=_vintages(frame))
    provinces = rows[rows["province"] != NATIONAL]
    national = rows[rows["province"] == NATIONAL].set_index("year")
    problems = []
    for year, group in provinces.groupby("year"):
        if group["province"].nunique() < n or year not in national.index:
            continue
        ratio = group["value"].sum() / national.loc[year, "value"]
        if not low <= ratio <= high:
            line = _line(frame, frame.index[(frame["province"] == NATIONAL) & (frame["year"] == year)][0])
            problems.append(
                f"{file}, line {line}, column 'value': in {year} the 31 provinces sum to {ratio:.3f} times "
                f"the national figure; expected {low:g} to {high:g} "
                f"(datapackage.json dongbei.checks.sum_of_provinces)"
            )
    return problems


def run(frame: pd.DataFrame, descriptor: dict, path: Path, load: Callable[[str], pd.DataFrame]) -> list[str]:
    """Every problem the declared checks find in ``frame`` (read from ``path`` in file order)."""
    checks = descriptor.get("dongbei", {}).get("checks", {})
    problems: list[str] = []
    if "change" in checks:
        problems += change_problems(frame, checks["change"], checks.get("exempt", []), path.name)
    if "per_capita" in checks:
        spec = checks["per_capita"]
        problems += per_capita_problems(
            frame, load(spec["population"]), spec["factor"], spec["range"], path.name, spec["population"]
        )
    if "sum_of_provinces" in checks:
        problems += sum_problems(frame, checks["sum_of_provinces"], path.name)
    return problems
