"""The data layer: schema validation, registry facts, cross-checks and bad-input tests.

Cross-check tolerances are documented next to each test. Corruption tests work on a copy of data/
(the ``data_copy`` fixture) and expect one clear DataError naming the file, line and column.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import data

PACKAGE = data.package()
SERIES = [r["name"] for r in PACKAGE["resources"] if r.get("dongbei", {}).get("kind") == "series"]
RESOURCES = [r["name"] for r in PACKAGE["resources"]]


def rewrite(path: Path, edit) -> None:
    """Apply ``edit(rows)`` to a CSV file (header kept) and write it back."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


# ---- schema -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", RESOURCES)
def test_every_resource_validates(name):
    data.validate(name)


def test_every_csv_in_data_is_described():
    described = {r["path"] for r in PACKAGE["resources"]}
    on_disk = {p.name for p in data.DATA_DIR.glob("*.csv")}
    assert on_disk == described, f"undescribed: {on_disk - described}; missing: {described - on_disk}"


@pytest.mark.parametrize("name", SERIES)
def test_series_schema_is_complete(name):
    res = next(r for r in PACKAGE["resources"] if r["name"] == name)
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    assert list(fields) == ["province", "year", "value", "unit", "source_id", "status", "note"]
    assert fields["unit"]["constraints"]["enum"] == [res["dongbei"]["unit"]]
    assert set(fields["province"]["constraints"]["enum"]) == set(data.provinces()["province"]) | {"China"}
    assert res["schema"]["primaryKey"] == ["province", "year"]
    assert res["schema"]["foreignKeys"][0]["reference"] == {"resource": "sources", "fields": ["source_id"]}
    assert res.get("title") and res.get("description")


@pytest.mark.parametrize("name", SERIES)
def test_series_loads_tidy_with_provenance_on_every_row(name):
    frame = data.series(name)
    assert list(frame.columns[:6]) == data.SERIES_COLUMNS
    assert frame["year"].dtype == "int64" and frame["value"].dtype == "float64"
    assert frame["source_id"].ne("").all() and frame["status"].isin(
        ["verified", "reported", "derived", "estimate"]).all()
    assert not frame.duplicated(["province", "year"]).any()


# ---- registry -----------------------------------------------------------------------------------

def test_registry_has_31_units_in_four_nbs_regions():
    reg = data.provinces()
    assert len(reg) == 31
    counts = reg["region"].value_counts().to_dict()
    # NBS (2011): East 10, Central 6, West 12, Northeast 3.
    assert counts == {"West": 12, "East": 10, "Central": 6, "Northeast": 3}
    assert sorted(reg.loc[reg["region"] == "Northeast", "province"]) == ["Heilongjiang", "Jilin", "Liaoning"]
    assert reg["code"].str[:2].astype(int).between(11, 65).all()
    assert not reg.duplicated(["tile_x", "tile_y"]).any()


def test_every_source_id_is_used_or_is_a_registry_source():
    used = set()
    for name in SERIES:
        used |= set(data.series(name)["source_id"])
    registry_sources = {s["title"] for r in PACKAGE["resources"] for s in r.get("sources", [])}
    unused = set(data.sources()["source_id"]) - used - registry_sources
    assert not unused, f"sources listed but never cited: {sorted(unused)}"


# ---- bad input ----------------------------------------------------------------------------------

def test_wrong_type_names_file_line_and_column(data_copy):
    rewrite(data_copy / "provinces.csv", lambda rows: rows[3].__setitem__(7, "four"))
    with pytest.raises(data.DataError) as err:
        data.provinces(data_copy)
    message = str(err.value)
    assert "provinces.csv" in message and "line 4" in message and "'tile_x'" in message and "four" in message


def test_duplicate_province_is_refused(data_copy):
    rewrite(data_copy / "provinces.csv", lambda rows: rows.append(list(rows[1])))
    with pytest.raises(data.DataError, match=r"provinces\.csv.*line 33"):
        data.provinces(data_copy)


def test_unknown_region_is_refused(data_copy):
    rewrite(data_copy / "provinces.csv", lambda rows: rows[6].__setitem__(5, "North"))
    with pytest.raises(data.DataError, match=r"line 7, column 'region'.*'North'"):
        data.provinces(data_copy)


def test_broken_descriptor_is_reported_with_position(data_copy):
    (data_copy / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    with pytest.raises(data.DataError, match=r"datapackage\.json: line 1"):
        data.provinces(data_copy)


def test_unknown_series_names_the_known_ones():
    with pytest.raises(KeyError, match="provinces"):
        data.series("no_such_series")
