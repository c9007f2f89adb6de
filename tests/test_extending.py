"""The four ways the README says to extend the book, each exercised: a chapter, a series, a derived series
and a chart type (see README, "Where things go")."""

from __future__ import annotations

import inspect
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import charts, data

REPO = Path(__file__).resolve().parents[1]


# ---- a chapter: a notebook in chapters/, listed in _toc.yml ---------------------------------------------
def toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_every_chapter_notebook_is_in_the_toc_and_every_toc_entry_exists():
    listed = toc_files()
    missing = [f for f in listed if not any((REPO / f).with_suffix(s).exists() for s in (".ipynb", ".md"))]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"
    unlisted = [
        p.with_suffix("").relative_to(REPO).as_posix()
        for p in sorted((REPO / "chapters").glob("*.ipynb"))
        if p.with_suffix("").relative_to(REPO).as_posix() not in listed
    ]
    assert not unlisted, f"chapter notebooks not in _toc.yml (the book would not show them): {unlisted}"


# ---- a series: a CSV in data/ and its resource in datapackage.json --------------------------------------
def add_series_copy(data_dir: Path, name: str, like: str) -> None:
    """A new series resource in a data folder: a copy of ``like``'s file and descriptor under ``name``."""
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    resource = json.loads(json.dumps(next(r for r in package["resources"] if r["name"] == like)))
    shutil.copy2(data_dir / resource["path"], data_dir / f"{name}.csv")
    resource.update(name=name, path=f"{name}.csv", title=f"{resource['title']} (copy)")
    resource.get("dongbei", {}).pop("family", None)
    package["resources"].append(resource)
    (data_dir / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")


def test_a_new_series_resource_is_validated_and_loaded(data_copy):
    add_series_copy(data_copy, "trade_total_again", like="trade_total")
    again = data.series("trade_total_again", data_copy)
    original = data.series("trade_total", data_copy)
    pd.testing.assert_frame_equal(again, original)
    assert "trade_total_again" in set(data.indicators(data_copy)["id"])
    # ... and it is validated like every resource: a bad cell is refused with file, line and column.
    path = data_copy / "trade_total_again.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("province")] = "Atlantis"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"trade_total_again\.csv, line 2, column 'province'"):
        data.series("trade_total_again", data_copy)


# ---- a derived series: an entry in data/derived.json naming a formula of helpers.formulas ---------------
def add_derived(data_dir: Path, entry: dict) -> None:
    path = data_dir / "derived.json"
    declared = json.loads(path.read_text(encoding="utf-8"))
    declared["derived"].append(entry)
    path.write_text(json.dumps(declared, ensure_ascii=False), encoding="utf-8")


def test_a_new_derived_series_is_computed_from_its_declaration(data_copy):
    add_derived(
        data_copy,
        {
            "id": "test_expenditure_per_revenue",
            "title": "Expenditure per yuan of revenue",
            "unit": "yuan",
            "inputs": ["budget_expenditure", "budget_revenue"],
            "formula": "ratio_of_sums",
            "options": {"factor": 1},
            "description": "budget_expenditure ÷ budget_revenue",
        },
    )
    computed = data.series("test_expenditure_per_revenue", data_copy).set_index(["province", "year"])["value"]
    self_sufficiency = data.series("fiscal_self_sufficiency", data_copy).set_index(["province", "year"])["value"]
    assert len(computed) == len(self_sufficiency) > 100
    assert (computed * self_sufficiency).sub(100).abs().max() < 1e-9  # x / y = 100 / (100 y / x)
    frame = data.series("test_expenditure_per_revenue", data_copy)
    assert set(frame["status"]) == {"derived"} and set(frame["note"]) == {"budget_expenditure ÷ budget_revenue"}


def test_a_derived_series_with_an_unknown_formula_is_refused_naming_the_entry(data_copy):
    count = len(json.loads((data_copy / "derived.json").read_text(encoding="utf-8"))["derived"])
    add_derived(
        data_copy,
        {
            "id": "test_bad",
            "title": "t",
            "unit": "u",
            "inputs": ["gdp_nominal"],
            "formula": "no_such_formula",
            "description": "d",
        },
    )
    with pytest.raises(data.DataError, match=rf"derived\.json, entry {count + 1} \('test_bad'\): no formula"):
        data.series("test_bad", data_copy)


def test_every_declared_formula_exists_and_every_input_is_in_the_package():
    resources = {r["name"] for r in data.package()["resources"]}
    for spec in data.DERIVED.values():
        unknown = [name for name in spec.inputs if name.split("@")[0] not in resources]
        assert not unknown, f"{spec.id}: inputs not in datapackage.json: {unknown}"


# ---- a chart type: a function at the end of helpers/charts.py ------------------------------------------
def chart_builders():
    return [
        fn
        for name, fn in inspect.getmembers(charts, inspect.isfunction)
        if fn.__module__ == charts.__name__ and not name.startswith("_") and "title" in inspect.signature(fn).parameters
    ]


def test_every_chart_builder_states_title_description_and_source_and_finishes_with_the_house_style():
    builders = chart_builders()
    assert len(builders) >= 12
    for fn in builders:
        if fn is charts.finish:
            continue
        params = inspect.signature(fn).parameters
        for name in ("title", "description", "source"):
            assert name in params and params[name].kind is inspect.Parameter.KEYWORD_ONLY, (fn.__name__, name)
            assert params[name].default is inspect.Parameter.empty, f"{fn.__name__}: {name} must be required"
        assert "finish(" in inspect.getsource(fn), f"{fn.__name__} does not end with charts.finish()"


def test_charts_name_every_colour_in_the_one_palette():
    source = inspect.getsource(charts)
    palette = inspect.getsource(charts).split("PALETTE = {", 1)[1].split("}", 1)[0]
    outside = re.findall(r"#[0-9A-Fa-f]{6}\b", source.replace(palette, ""))
    assert not outside, f"hex colours outside charts.PALETTE: {outside} (add a named colour to the palette)"
