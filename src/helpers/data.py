"""The one way the book reads its data.

Every table in ``data/`` is described in ``data/datapackage.json`` (fields, types, units,
constraints, primary keys, and a foreign key from every ``source_id`` to ``sources.csv``). A table is
validated with Frictionless before any notebook sees it; on bad input one :class:`DataError` names
the file, the line and the column of each problem. Nothing is coerced silently.

Derived series (Northeast totals and shares) are computed here, from validated series, with the
formula in :data:`DERIVED` and in the catalogue.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from helpers import checks

REPO_DIR = Path(__file__).resolve().parents[2]
DISTRIBUTION = "dongbei-helpers"  # the package's name on pip (pyproject.toml)
INSTALLED_DATA = "share/dongbei-helpers/data"  # where a built wheel installs data/ (pyproject data-files)


def _installed_data_dir() -> Path | None:
    """The copy of data/ installed with the package (``pip install`` of a wheel, as in Colab), if any."""
    from importlib import metadata

    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.name == "datapackage.json" and file.as_posix().endswith(f"{INSTALLED_DATA}/datapackage.json"):
            return Path(file.locate()).parent
    return None


def find_data_dir() -> Path:
    """Where the book's data are, first match wins: ``$DONGBEI_DATA_DIR``; the checkout's ``data/`` (an
    editable install, the book's own build); the copy a non-editable install put beside the package.
    If none holds ``datapackage.json`` the checkout's path is returned and :func:`package` says what is
    missing and where it looked."""
    if os.environ.get("DONGBEI_DATA_DIR"):
        return Path(os.environ["DONGBEI_DATA_DIR"])
    checkout = REPO_DIR / "data"
    if (checkout / "datapackage.json").exists():
        return checkout
    return _installed_data_dir() or checkout


DATA_DIR = find_data_dir()
NATIONAL = "China"
NORTHEAST = ("Liaoning", "Jilin", "Heilongjiang")
SERIES_COLUMNS = ["province", "year", "value", "unit", "source_id", "status"]
ALL_VINTAGES = "all"
MAX_ERRORS_SHOWN = 10


class DataError(ValueError):
    """Raised when a data file does not match its schema in ``datapackage.json``."""


def _dir(data_dir: str | os.PathLike | None) -> Path:
    return Path(data_dir) if data_dir is not None else DATA_DIR


def package(data_dir: str | os.PathLike | None = None) -> dict:
    """The data package descriptor (``datapackage.json``) as a dict."""
    path = _dir(data_dir) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"{path}: no data package descriptor found. The book's data (data/datapackage.json and the CSV "
            f"files it lists) are in neither $DONGBEI_DATA_DIR, the repository checkout ({REPO_DIR / 'data'}), "
            f"nor an installed copy of the {DISTRIBUTION!r} package ({INSTALLED_DATA}). Run the notebook's "
            "first cell (it installs the package with its data), or set DONGBEI_DATA_DIR to a folder "
            "holding data/.") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})") from None


def _resource_descriptor(name: str, data_dir: Path) -> dict:
    for res in package(data_dir)["resources"]:
        if res["name"] == name:
            return res
    known = sorted(r["name"] for r in package(data_dir)["resources"])
    raise KeyError(f"no data resource {name!r}; known: {', '.join(known)}")


def _describe(error, path: Path) -> str:
    where = [f"{path.name}"]
    if getattr(error, "row_number", None):
        where.append(f"line {error.row_number}")
    if getattr(error, "field_name", None):
        where.append(f"column {error.field_name!r}")
    elif getattr(error, "label", None):
        where.append(f"column {error.label!r}")  # an extra or misnamed header cell
    elif getattr(error, "field_number", None):
        where.append(f"column {error.field_number}")
    cell = getattr(error, "cell", None)
    value = f" (value {cell!r})" if cell not in (None, "") else ""
    return f"{', '.join(where)}: {error.type}{value}: {error.note}"


def validate(name: str, data_dir: str | os.PathLike | None = None) -> None:
    """Validate one resource against its schema; raise :class:`DataError` listing every problem."""
    base = _dir(data_dir)
    # The cache key covers every CSV *and* the descriptor: editing a schema re-validates.
    mtimes = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                          for p in [*base.glob("*.csv"), base / "datapackage.json"] if p.exists()))
    descriptor = _resource_descriptor(name, base)
    # A table that this one points to (sources.csv) is validated first, under its own name, so that a
    # bad source row is never reported as a problem of the series that cites it.
    for fk in descriptor.get("schema", {}).get("foreignKeys", []):
        target = fk["reference"].get("resource")
        if target and target != name:
            _validate_cached(target, str(base.resolve()), mtimes)
    _validate_cached(name, str(base.resolve()), mtimes)


@lru_cache(maxsize=64)
def _validate_cached(name: str, base: str, _mtimes: tuple) -> None:
    from frictionless import Package

    descriptor = _resource_descriptor(name, Path(base))
    path = Path(base) / descriptor["path"]
    if not path.exists():
        raise DataError(f"{path}: file listed in datapackage.json does not exist")
    pkg = Package(str(Path(base) / "datapackage.json"))
    report = pkg.get_resource(name).validate()
    if report.valid:
        _check_rows(descriptor, path)
        return
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    lines = [_describe(e, path) for e in errors[:MAX_ERRORS_SHOWN]]
    more = f"\n  ... and {len(errors) - MAX_ERRORS_SHOWN} more" if len(errors) > MAX_ERRORS_SHOWN else ""
    raise DataError(f"{path}: {len(errors)} problem(s) found by validation against datapackage.json:\n  "
                    + "\n  ".join(lines) + more)


def _check_rows(descriptor: dict, path: Path) -> None:
    """What a schema cannot say: a table with no (or too few) data rows is not a table."""
    minimum = descriptor.get("dongbei", {}).get("min_rows", 1)
    with path.open(encoding="utf-8") as f:
        rows = sum(1 for line in f if line.strip()) - 1
    if rows < minimum:
        raise DataError(f"{path}: {max(rows, 0)} data row(s) below the header; datapackage.json expects at "
                        f"least {minimum} (dongbei.min_rows)")


def _read(name: str, data_dir: Path) -> pd.DataFrame:
    validate(name, data_dir)
    descriptor = _resource_descriptor(name, data_dir)
    types = {f["name"]: f["type"] for f in descriptor["schema"]["fields"]}
    frame = pd.read_csv(data_dir / descriptor["path"], dtype=str, keep_default_na=False,
                        encoding="utf-8")
    for column, kind in types.items():
        if kind == "integer":
            frame[column] = frame[column].astype("int64")
        elif kind == "number":
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("float64")
    return frame


def provinces(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The 31 mainland provincial units: code, names, NBS region, tile-grid position."""
    frame = _read("provinces", _dir(data_dir))
    frame["abbr"] = frame["iso_code"].str.removeprefix("CN-")
    return frame


def sources(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The sources list every ``source_id`` points to."""
    return _read("sources", _dir(data_dir))


def claims(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The sources-audit registry: one row per quantitative claim in the five source documents.

    Validated like every table; :func:`helpers.audit.evaluate` recomputes the verdicts.
    """
    return _read("claims", _dir(data_dir))


def timeline(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Dated events from 1858 to 2024, each with its source document and claim ids (validated)."""
    frame = _read("timeline", _dir(data_dir))
    bad = frame[frame["end"] < frame["start"]]
    if not bad.empty:
        line = int(bad.index[0]) + 2
        raise DataError(f"timeline.csv, line {line}: 'end' ({bad['end'].iloc[0]}) is before 'start' "
                        f"({bad['start'].iloc[0]})")
    return frame


@dataclass(frozen=True)
class Derived:
    """A series the project computes from other series."""

    title: str
    unit: str
    formula: str
    inputs: tuple[str, ...]
    compute: Callable[[dict[str, pd.DataFrame]], pd.DataFrame]
    vintage: str = "derived"


def _same_vintage(frame: pd.DataFrame, areas: tuple[str, ...]) -> pd.DataFrame:
    """Rows of ``areas`` in years where all of them are present and read in the same source.

    Figures from different yearbooks (vintages) are not combined: GDP and population are revised
    after censuses, so a ratio of an old provincial figure to a revised national one would be wrong.
    """
    rows = frame[frame["province"].isin(areas)]
    by_year = rows.groupby("year").agg(n=("province", "nunique"), sources=("source_id", "nunique"))
    keep = by_year[(by_year["n"] == len(areas)) & (by_year["sources"] == 1)].index
    return rows[rows["year"].isin(keep)]


def _northeast_total(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum of the three provinces, for years where all three come from one source."""
    ne = _same_vintage(frame, NORTHEAST)
    return ne.groupby("year", as_index=False)["value"].sum().assign(province="Northeast")


def _share_of_national(frame: pd.DataFrame) -> pd.DataFrame:
    rows = _same_vintage(frame, NORTHEAST + (NATIONAL,))
    total = _northeast_total(rows)
    national = rows[rows["province"] == NATIONAL][["year", "value"]].rename(columns={"value": "national"})
    merged = total.merge(national, on="year", how="inner")
    return merged.assign(value=100 * merged["value"] / merged["national"])[["province", "year", "value"]]


def _single_source_years(frame: pd.DataFrame, n: int = 31) -> set[int]:
    """Years in which all ``n`` provinces are present and every figure comes from one source."""
    provinces = frame[frame["province"] != NATIONAL]
    by_year = provinces.groupby("year").agg(k=("province", "nunique"), sources=("source_id", "nunique"))
    return set(by_year[(by_year["k"] == n) & (by_year["sources"] == 1)].index)


def _complete_years(frame: pd.DataFrame, n: int = 31) -> set[int]:
    """Years in which all ``n`` provinces have a figure, whatever its source."""
    provinces = frame[frame["province"] != NATIONAL]
    counts = provinces.groupby("year")["province"].nunique()
    return set(counts[counts == n].index)


def _northeast_over_national(frame: pd.DataFrame) -> pd.DataFrame:
    """100 × the three provinces' sum ÷ the national figure of the same file, years with both."""
    total = _northeast_total(frame)
    national = frame[frame["province"] == NATIONAL][["year", "value"]].rename(columns={"value": "national"})
    merged = total.merge(national, on="year", how="inner")
    return merged.assign(value=100 * merged["value"] / merged["national"])[["province", "year", "value"]]


def _shares_of_provinces(frame: pd.DataFrame, any_source: bool = False) -> pd.DataFrame:
    """Each province's (and the Northeast's) % of the 31 provinces' sum.

    Single-source years only, unless ``any_source``: then every year with all 31 figures.
    """
    years = _complete_years(frame) if any_source else _single_source_years(frame)
    rows = frame[(frame["province"] != NATIONAL) & frame["year"].isin(years)]
    total = rows.groupby("year")["value"].transform("sum")
    shares = rows.assign(value=100 * rows["value"] / total)[["province", "year", "value"]]
    ne = shares[shares["province"].isin(NORTHEAST)].groupby("year", as_index=False)["value"].sum()
    return pd.concat([shares, ne.assign(province="Northeast")], ignore_index=True)


def _mean_population(pop: pd.DataFrame) -> pd.DataFrame:
    """Average of each year's opening and closing year-end population, single-source years only."""
    years = _single_source_years(pop)
    p = pop[(pop["province"] != NATIONAL) & pop["year"].isin(years)].set_index(["province", "year"])["value"]
    opening = p.rename(lambda y: y + 1, level="year")
    mean = ((p + opening) / 2).dropna().rename("value").reset_index()
    return mean.assign(source_id="mean", unit="10,000 persons")


def _sum_of(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """a + b for the province-years present in both (one source label, so single-source checks pass)."""
    merged = a.merge(b, on=["province", "year"], suffixes=("_a", "_b"))
    return merged.assign(value=merged["value_a"] + merged["value_b"], source_id="sum")[["province", "year", "value", "source_id"]]


def _per_capita_computed(gdp: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """GDP ÷ average of the year's opening and closing population, for single-source years only."""
    gdp_years = _single_source_years(gdp)
    pop_years = _single_source_years(pop)
    years = sorted(y for y in gdp_years if y in pop_years and y - 1 in pop_years)
    g = gdp[(gdp["province"] != NATIONAL) & gdp["year"].isin(years)].set_index(["province", "year"])["value"]
    mean_pop = _mean_population(pop).set_index(["province", "year"])["value"].reindex(g.index)
    value = g * 1e8 / (mean_pop * 1e4)
    out = value.rename("value").reset_index()
    # The 31 provinces together, as the national yardstick in the same vintage.
    total = g.groupby("year").sum() * 1e8 / (mean_pop.groupby("year").sum() * 1e4)
    agg = total.rename("value").reset_index().assign(province="31 provinces")
    ne = g.index.get_level_values("province").isin(NORTHEAST)
    ne_total = g[ne].groupby("year").sum() * 1e8 / (mean_pop[ne].groupby("year").sum() * 1e4)
    ne_rows = ne_total.rename("value").reset_index().assign(province="Northeast")
    return pd.concat([out, agg, ne_rows], ignore_index=True)[["province", "year", "value"]]


def _relative_to_aggregate(frame: pd.DataFrame, aggregate: str = "31 provinces") -> pd.DataFrame:
    base = frame[frame["province"] == aggregate][["year", "value"]].rename(columns={"value": "base"})
    merged = frame[frame["province"] != aggregate].merge(base, on="year")
    return merged.assign(value=100 * merged["value"] / merged["base"])[["province", "year", "value"]]


def _rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank of each province among the 31 (1 = highest), only in years where all 31 are present."""
    provinces = frame[frame["province"] != NATIONAL]
    complete = provinces.groupby("year")["province"].transform("nunique") == 31
    ranked = provinces[complete].copy()
    ranked["value"] = ranked.groupby("year")["value"].rank(ascending=False, method="min")
    return ranked[["province", "year", "value"]]


def _ratio(part: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    """100 × part ÷ whole for the province-years present in both."""
    merged = part.merge(whole, on=["province", "year"], suffixes=("_part", "_whole"))
    return merged.assign(value=100 * merged["value_part"] / merged["value_whole"])[["province", "year", "value"]]


def _ratio_of_sums(num: pd.DataFrame, den: pd.DataFrame, factor: float = 100) -> pd.DataFrame:
    """factor × num ÷ den for each province, the Northeast and the 31 provinces together.

    Only years in which all 31 figures of each series come from one source, so that the aggregates
    (sum of numerators ÷ sum of denominators, not an average of ratios) add like with like.
    """
    years = sorted(_single_source_years(num) & _single_source_years(den))
    n = num[(num["province"] != NATIONAL) & num["year"].isin(years)].set_index(["province", "year"])["value"]
    d = den[(den["province"] != NATIONAL) & den["year"].isin(years)].set_index(["province", "year"])["value"]
    d = d.reindex(n.index)
    ne = n.index.get_level_values("province").isin(NORTHEAST)
    parts = [
        (factor * n / d).rename("value").reset_index(),
        (factor * n.groupby("year").sum() / d.groupby("year").sum()).rename("value").reset_index()
        .assign(province="31 provinces"),
        (factor * n[ne].groupby("year").sum() / d[ne].groupby("year").sum()).rename("value").reset_index()
        .assign(province="Northeast"),
    ]
    return pd.concat(parts, ignore_index=True)[["province", "year", "value"]]


def _dependency(old: pd.DataFrame, young: pd.DataFrame) -> pd.DataFrame:
    merged = old.merge(young, on=["province", "year"], suffixes=("_old", "_young"))
    working = 100 - merged["value_young"] - merged["value_old"]
    return merged.assign(value=100 * merged["value_old"] / working)[["province", "year", "value"]]


def _components(inputs: dict[str, pd.DataFrame], column: str) -> pd.DataFrame:
    from helpers.demography import components

    parts = components(inputs["population_yearend"], inputs["natural_growth_rate"])
    return parts.rename(columns={column: "value"})[["province", "year", "value"]]


EDITION_ORDER = ("nbs_portal_2025", "nbs_portal_2021", "yearbook", "first_release")


def _latest_edition(frame: pd.DataFrame, order: tuple[str, ...] = EDITION_ORDER) -> pd.DataFrame:
    """For each province-year, the row of the most recent edition held (``order``, newest first).

    Rows keep their ``vintage``, so a chart of the result draws each change of edition as a break.
    """
    rank = frame["vintage"].map({v: i for i, v in enumerate(order)})
    if rank.isna().any():
        unknown = sorted(frame.loc[rank.isna(), "vintage"].unique())
        raise KeyError(f"no place in the edition order for vintage(s) {unknown}")
    best = frame.assign(_rank=rank).sort_values("_rank").drop_duplicates(["province", "year"])
    return best.drop(columns="_rank").sort_values(["province", "year"])


DERIVED: dict[str, Derived] = {
    "gdp_real_growth": Derived(
        "Real GDP growth", "%",
        "gdp_index − 100 (the index at comparable prices, preceding year = 100, minus 100)",
        ("gdp_index",), lambda s: s["gdp_index"].assign(value=lambda f: (f["value"] - 100).round(6))[
            ["province", "year", "value"]]),
    "gdp_real_growth_latest": Derived(
        "Real GDP growth, latest edition held", "%",
        "gdp_index − 100, each province-year taken from the most recent edition that holds it: the NBS "
        "portal series of 2025 (2016-2024), else that of 2021 (2000-2019), else a yearbook, else a first "
        "release. Each row keeps its vintage: a change of edition is a break in the line, not a change in "
        "growth",
        ("gdp_index@all",),
        lambda s: _latest_edition(s["gdp_index@all"]).assign(value=lambda f: (f["value"] - 100).round(6))[
            ["province", "year", "value", "vintage"]],
        vintage="per row"),
    "gdp_per_capita_computed": Derived(
        "GDP per capita computed from GDP and population", "yuan",
        "gdp_nominal × 10^8 ÷ (average of the year-end population of the year and the year before, "
        "population_yearend × 10^4); rows for the 31 provinces, the Northeast and the '31 provinces' "
        "together; only "
        "years in which all 31 GDP figures and all 62 population figures each come from one source",
        ("gdp_nominal", "population_yearend"),
        lambda s: _per_capita_computed(s["gdp_nominal"], s["population_yearend"]),
        vintage="nbs_portal_2025"),
    "gdp_per_capita_computed_relative": Derived(
        "Computed GDP per capita relative to the 31 provinces together", "% of the 31-province level",
        "100 × gdp_per_capita_computed of a province ÷ that of the 31 provinces together, same year",
        ("gdp_nominal", "population_yearend"),
        lambda s: _relative_to_aggregate(_per_capita_computed(s["gdp_nominal"], s["population_yearend"])),
        vintage="nbs_portal_2025"),
    "gdp_per_capita_computed_rank": Derived(
        "Rank of computed GDP per capita among the 31 provinces", "rank (1 = highest)",
        "rank of gdp_per_capita_computed among the 31 provinces in each year (ties share the better rank)",
        ("gdp_nominal", "population_yearend"),
        lambda s: _rank(_per_capita_computed(s["gdp_nominal"], s["population_yearend"]).query(
            "province not in ['31 provinces', 'Northeast']")),
        vintage="nbs_portal_2025"),
    "gdp_nominal_northeast": Derived(
        "GDP of the Northeast (Liaoning + Jilin + Heilongjiang), current prices", "100 million yuan",
        "sum of gdp_nominal over the three provinces; only years where all three were read in the "
        "same source (one vintage)",
        ("gdp_nominal",), lambda s: _northeast_total(s["gdp_nominal"])),
    "northeast_share_gdp": Derived(
        "Northeast share of national GDP", "%",
        "100 × (Liaoning + Jilin + Heilongjiang GDP) ÷ national GDP as published (gdp_nominal); "
        "only years where all four figures come from the same source (one vintage)",
        ("gdp_nominal",), lambda s: _share_of_national(s["gdp_nominal"])),
    "gdp_share_of_provinces": Derived(
        "Share of the 31 provinces' summed GDP (each province and the Northeast)", "%",
        "100 × a province's GDP (or Liaoning + Jilin + Heilongjiang for the Northeast) ÷ sum of the 31 "
        "provinces' GDP (gdp_nominal); only years where all 31 figures come from the same source (one "
        "vintage). Provincial figures summed exceed national GDP, so these shares run a little lower "
        "than shares of national GDP",
        ("gdp_nominal",), lambda s: _shares_of_provinces(s["gdp_nominal"])),
    "gdp_share_of_provinces_any_source": Derived(
        "Share of the 31 provinces' summed GDP, in every year with 31 figures (sources may differ)", "%",
        "as gdp_share_of_provinces, but in every year where all 31 provinces have a figure in gdp_nominal, "
        "whatever its source. In the years that gdp_share_of_provinces leaves out (1993, 1995, 2000-2004), "
        "29 or 30 figures come from one source and the rest from provincial yearbooks of a later vintage, "
        "so the shares mix vintages: use them for the level and direction before 2006, not for small "
        "year-to-year steps, and do not join them to the 2006-2024 vintage as one line",
        ("gdp_nominal",), lambda s: _shares_of_provinces(s["gdp_nominal"], any_source=True)),
    "population_65plus_share_survey": Derived(
        "Share of the population aged 65 and over, from the annual sample survey", "%",
        "100 × population_sample_survey_65plus ÷ population_sample_survey, same province and year (both "
        "are counts in the NBS sample, so only their ratio is meaningful); no values in the census years "
        "2010 and 2020, whose shares are in population_65plus_share",
        ("population_sample_survey", "population_sample_survey_65plus"),
        lambda s: _ratio(s["population_sample_survey_65plus"], s["population_sample_survey"])),
    "old_age_dependency_ratio": Derived(
        "Old-age dependency ratio at the census (people 65+ per 100 aged 15-64)", "per 100 aged 15-64",
        "100 × share aged 65+ (population_65plus_share) ÷ (100 − share aged 0-14 (population_0_14_share) − "
        "share aged 65+), same area and census year: 15-64 is what remains of 100 after the young and the "
        "old, since the communiqué gives 15-59 and 60+ but no 15-64 column",
        ("population_65plus_share", "population_0_14_share"),
        lambda s: _dependency(s["population_65plus_share"], s["population_0_14_share"])),
    "population_natural_increase": Derived(
        "Natural increase of the population (births minus deaths)", "10,000 persons",
        "natural_growth_rate ÷ 1000 × mean of the year-end population of the year and the year before "
        "(population_yearend); only years where all three figures are published",
        ("population_yearend", "natural_growth_rate"),
        lambda s: _components(s, "natural")),
    "population_net_migration_residual": Derived(
        "Net migration, estimated as the residual of population change", "10,000 persons",
        "change in population_yearend over the year − population_natural_increase; the residual also "
        "absorbs any disagreement between the revised population series and the rates as first "
        "published, so it is an estimate of net migration, not a count",
        ("population_yearend", "natural_growth_rate"),
        lambda s: _components(s, "migration")),
    "trade_to_gdp": Derived(
        "Foreign trade in goods relative to GDP (trade dependence)", "% of GDP",
        "100 × trade_total ÷ gdp_nominal, same province and year; the Northeast and the 31 provinces "
        "together divide summed trade by summed GDP; only years where all 31 figures of each series come "
        "from one source. Trade is a gross flow and GDP a value added, so the ratio is an index of "
        "openness, not a share of output",
        ("trade_total", "gdp_nominal"), lambda s: _ratio_of_sums(s["trade_total"], s["gdp_nominal"])),
    "fiscal_self_sufficiency": Derived(
        "Fiscal self-sufficiency (budget revenue ÷ budget expenditure)", "%",
        "100 × budget_revenue ÷ budget_expenditure, same province and year; the Northeast and the 31 "
        "provinces together divide summed revenue by summed expenditure",
        ("budget_revenue", "budget_expenditure"),
        lambda s: _ratio_of_sums(s["budget_revenue"], s["budget_expenditure"])),
    "central_transfers_share_of_expenditure": Derived(
        "Central subsidies as a share of budget expenditure", "%",
        "100 × central_transfers ÷ budget_expenditure, same province and year (gross subsidies)",
        ("central_transfers", "budget_expenditure"),
        lambda s: _ratio_of_sums(s["central_transfers"], s["budget_expenditure"])),
    "central_transfers_to_gdp": Derived(
        "Central subsidies relative to GDP", "% of GDP",
        "100 × central_transfers ÷ gdp_nominal, same province and year (gross subsidies)",
        ("central_transfers", "gdp_nominal"),
        lambda s: _ratio_of_sums(s["central_transfers"], s["gdp_nominal"])),
    "central_transfers_per_capita": Derived(
        "Central subsidies per resident", "yuan per person",
        "central_transfers × 10^8 ÷ (average of the year-end population of the year and the year before, "
        "population_yearend × 10^4); aggregates divide summed subsidies by summed population",
        ("central_transfers", "population_yearend"),
        lambda s: _ratio_of_sums(s["central_transfers"], _mean_population(s["population_yearend"]), factor=1e4)),
    "private_employment_per_100": Derived(
        "Private and individual-business jobs per 100 residents", "per 100 residents",
        "100 × private_employment ÷ population_yearend (both in 10,000 persons), same province and year; the "
        "Northeast and the 31 provinces together divide summed jobs by summed population",
        ("private_employment", "population_yearend"),
        lambda s: _ratio_of_sums(s["private_employment"], s["population_yearend"])),
    "private_share_of_registered_employment": Derived(
        "Private share of registered non-farm employment", "%",
        "100 × private_employment ÷ (private_employment + urban_unit_employment), same province and year; urban "
        "units exclude private units, so the denominator is registered non-farm employment. Break in 2013, "
        "when urban-unit employment was revised after the economic census",
        ("private_employment", "urban_unit_employment"),
        lambda s: _ratio_of_sums(s["private_employment"], _sum_of(s["private_employment"], s["urban_unit_employment"]))),
    "state_unit_share_of_staff": Derived(
        "Share of staff and workers employed by state-owned units", "%",
        "100 × staff_workers_state ÷ staff_workers_total, same area and year (only where both are held: China "
        "1993-2008, 12-13 provinces in 2007-2008)",
        ("staff_workers_state", "staff_workers_total"),
        lambda s: _ratio(s["staff_workers_state"], s["staff_workers_total"])),
    "northeast_share_population": Derived(
        "Northeast share of national year-end population", "%",
        "100 × (Liaoning + Jilin + Heilongjiang population) ÷ national population (population_yearend); "
        "only years where all four figures come from the same source (one vintage)",
        ("population_yearend",), lambda s: _share_of_national(s["population_yearend"])),
    "gdp_share_of_provinces_compendium": Derived(
        "Share of the 31 provinces' summed GDP, 1978-2008 (60-year compendium vintage)", "%",
        "as gdp_share_of_provinces, computed on gdp_nominal_compendium: one vintage for all 31 provinces "
        "in every year 1978-2008. Not to be joined to gdp_share_of_provinces (2006-2024) as one line: "
        "2006-2008 are in both and show the break",
        ("gdp_nominal@compendium_2010",),
        lambda s: _shares_of_provinces(s["gdp_nominal@compendium_2010"]), vintage="compendium_2010"),
    "northeast_share_national_gdp_compendium": Derived(
        "Northeast share of national GDP, 1978-2005 (60-year compendium edition)", "%",
        "100 × (Liaoning + Jilin + Heilongjiang GDP in gdp_nominal_compendium) ÷ national GDP in the same "
        "file (China Statistical Yearbook 2010, table 2-1, the same post-2008-census national series); the "
        "measure the sources quote, beside gdp_share_of_provinces_compendium (a share of the provinces' sum)",
        ("gdp_nominal@compendium_2010",),
        lambda s: _northeast_over_national(s["gdp_nominal@compendium_2010"]), vintage="compendium_2010"),
    "gdp_per_capita_computed_compendium_relative": Derived(
        "Computed GDP per capita relative to the 31 provinces together, 1979-2008 (compendium vintage)",
        "% of the 31-province level",
        "as gdp_per_capita_computed_relative, computed on gdp_nominal_compendium and "
        "population_yearend_compendium (average of the year's opening and closing population, so 1979 is "
        "the first year). Before 2005 some provinces count registered, not resident, people (see the "
        "population notes), which raises their per-head figure where many residents are unregistered "
        "migrants and lowers it where registered people live elsewhere",
        ("gdp_nominal@compendium_2010", "population_yearend@compendium_2010"),
        lambda s: _relative_to_aggregate(_per_capita_computed(s["gdp_nominal@compendium_2010"],
                                                              s["population_yearend@compendium_2010"])),
        vintage="compendium_2010"),
    "secondary_industry_share": Derived(
        "Secondary industry's share of GDP, 2019-2024 (NBS portal vintage 2025)", "%",
        "100 × secondary_industry_va (2025 vintage) ÷ gdp_nominal (the same 2025 vintage), same province "
        "and year; the Northeast and the 31 provinces divide summed value added by summed GDP",
        ("secondary_industry_va@nbs_portal_2025", "gdp_nominal"),
        lambda s: _ratio_of_sums(s["secondary_industry_va@nbs_portal_2025"], s["gdp_nominal"]),
        vintage="nbs_portal_2025"),
    "secondary_industry_share_2021": Derived(
        "Secondary industry's share of GDP, 2000-2019 (NBS portal vintage 2021)", "%",
        "100 × secondary_industry_va ÷ gdp_nominal_portal_2021 (both of the 2021 vintage), same province "
        "and year; aggregates divide sums. Not to be joined to secondary_industry_share (2019-2024) as one "
        "line: 2019 is in both and shows the revision",
        ("secondary_industry_va", "gdp_nominal@nbs_portal_2021"),
        lambda s: _ratio_of_sums(s["secondary_industry_va"], s["gdp_nominal@nbs_portal_2021"]),
        vintage="nbs_portal_2021"),
    "gdp_per_capita_official_rank": Derived(
        "Rank of official GDP per capita among the 31 provinces, 2019-2024 (as published, 2025 vintage)",
        "rank (1 = highest)",
        "rank of gdp_per_capita (NBS portal vintage 2025, as published) among the 31 provinces in each year "
        "(ties share the better rank); beside gdp_per_capita_computed_rank, the book's own calculation",
        ("gdp_per_capita@nbs_portal_2025",), lambda s: _rank(s["gdp_per_capita@nbs_portal_2025"]),
        vintage="nbs_portal_2025"),
    "gdp_per_capita_official_rank_2021": Derived(
        "Rank of official GDP per capita among the 31 provinces, 2000-2019 (as published, 2021 vintage)",
        "rank (1 = highest)",
        "rank of gdp_per_capita (NBS portal vintage 2021, as published) among the 31 provinces in each year",
        ("gdp_per_capita@nbs_portal_2021",), lambda s: _rank(s["gdp_per_capita@nbs_portal_2021"]),
        vintage="nbs_portal_2021"),
    "transfer_payments_share_of_expenditure": Derived(
        "Central transfer payments as a share of budget expenditure", "%",
        "100 × central_transfer_payments ÷ budget_expenditure, same province and year; the Northeast and "
        "the 31 provinces together divide summed transfers by summed expenditure (2019-2024; transfer "
        "payments exclude tax rebates)",
        ("central_transfer_payments", "budget_expenditure"),
        lambda s: _ratio_of_sums(s["central_transfer_payments"], s["budget_expenditure"])),
    "transfer_payments_per_capita": Derived(
        "Central transfer payments per resident", "yuan per person",
        "central_transfer_payments × 10^8 ÷ (average of the year-end population of the year and the year "
        "before, population_yearend × 10^4); aggregates divide summed transfers by summed population",
        ("central_transfer_payments", "population_yearend"),
        lambda s: _ratio_of_sums(s["central_transfer_payments"], _mean_population(s["population_yearend"]),
                                 factor=1e4)),
}


def _series_resources(data_dir: Path) -> list[dict]:
    return [r for r in package(data_dir)["resources"] if r.get("dongbei", {}).get("kind") == "series"]


def _family(id: str, base: Path) -> list[dict]:
    """The resource ``id`` and every resource that holds another vintage of it (``dongbei.family``)."""
    main = _resource_descriptor(id, base)
    return [main] + [r for r in package(base)["resources"] if r.get("dongbei", {}).get("family") == id]


def vintages(id: str, data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """The vintages (editions) of a published series, label -> description, across its family."""
    base = _dir(data_dir)
    out: dict[str, str] = {}
    for res in _family(id, base):
        meta = res.get("dongbei", {})
        if "vintages" in meta:
            out.update(meta["vintages"])
        else:
            out[meta.get("vintage", "as published")] = res["title"]
    return out


def _published(descriptor: dict, base: Path) -> pd.DataFrame:
    """A validated, checked resource with a ``vintage`` column (from the file or the resource)."""
    name = descriptor["name"]
    frame = _read(name, base)
    problems = checks.run(frame, descriptor, base / descriptor["path"], lambda other: _read(other, base))
    if problems:
        shown = "\n  ".join(problems[:MAX_ERRORS_SHOWN])
        more = f"\n  ... and {len(problems) - MAX_ERRORS_SHOWN} more" if len(problems) > MAX_ERRORS_SHOWN else ""
        raise DataError(f"{base / descriptor['path']}: {len(problems)} implausible value(s):\n  {shown}{more}")
    if "vintage" not in frame:
        frame["vintage"] = descriptor.get("dongbei", {}).get("vintage", "as published")
    return frame


def series(id: str, data_dir: str | os.PathLike | None = None, *, vintage: str | None = None) -> pd.DataFrame:
    """A tidy, validated series: province, year, value, unit, source_id, status, note, vintage.

    ``id`` is a resource in ``datapackage.json`` or a derived series in :data:`DERIVED` (an input written
    ``"gdp_nominal@compendium_2010"`` asks for that vintage). ``vintage`` chooses an edition of a series
    whose figures were published in several (:func:`vintages` lists them): ``None`` gives the series'
    own resource, a label gives only that vintage (from whichever resource holds it), and ``"all"`` gives
    every vintage, stacked, to be drawn with the break visible (``charts.line_chart`` refuses to join
    two vintages in one line).
    """
    base = _dir(data_dir)
    if "@" in id:
        id, vintage = id.split("@", 1)
    if id in DERIVED:
        if vintage is not None:
            raise KeyError(f"{id!r} is derived; its vintage is fixed by its inputs ({', '.join(DERIVED[id].inputs)})")
        spec = DERIVED[id]
        frame = spec.compute({name: series(name, base) for name in spec.inputs})
        frame = frame.assign(unit=spec.unit, source_id="project", status="derived", note=spec.formula)
        if "vintage" not in frame:  # a derived series may keep its inputs' vintage row by row
            frame = frame.assign(vintage=spec.vintage)
    else:
        descriptor = _resource_descriptor(id, base)
        if descriptor.get("dongbei", {}).get("kind") != "series":
            raise KeyError(f"{id!r} is a table, not a series; use provinces() or sources()")
        if vintage is None:
            frame = _published(descriptor, base)
        else:
            known = vintages(id, base)
            if vintage != ALL_VINTAGES and vintage not in known:
                raise KeyError(f"{id!r} has no vintage {vintage!r}; known: {', '.join(known)} (or 'all')")
            parts = [_published(res, base) for res in _family(id, base)]
            frame = pd.concat(parts, ignore_index=True)
            if vintage != ALL_VINTAGES:
                frame = frame[frame["vintage"] == vintage]
    frame = frame.sort_values(["province", "year", "vintage"], kind="stable").reset_index(drop=True)
    extra = [c for c in frame.columns if c not in SERIES_COLUMNS]
    return frame[SERIES_COLUMNS + extra]


def indicators(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The catalogue: id, title, unit, description, coverage, sources, kind."""
    base = _dir(data_dir)
    rows = []
    for res in _series_resources(base):
        frame = series(res["name"], base)
        rows.append({
            "id": res["name"], "title": res["title"], "unit": res["dongbei"]["unit"],
            "description": res["description"], "coverage": coverage(frame),
            "sources": ", ".join(sorted(frame["source_id"].unique())), "kind": "published",
            "status": status_counts(frame), "file": res["path"],
            "breaks": res["dongbei"].get("breaks", ""),
        })
    for name, spec in DERIVED.items():
        inputs = [s for s in spec.inputs
                  if any(r["name"] == s.split("@")[0] for r in _series_resources(base))]
        if len(inputs) < len(spec.inputs):
            continue  # an input series is not in the package yet
        frame = series(name, base)
        rows.append({"id": name, "title": spec.title, "unit": spec.unit, "description": spec.formula,
                     "coverage": coverage(frame), "sources": "derived from " + ", ".join(spec.inputs),
                     "kind": "derived", "status": status_counts(frame), "file": "",
                     "breaks": "inherits the breaks of " + ", ".join(spec.inputs)})
    return pd.DataFrame(rows, columns=["id", "title", "unit", "description", "coverage", "sources",
                                       "kind", "status", "file", "breaks"])


def incomplete_years(frame: pd.DataFrame, n: int = 31) -> pd.DataFrame:
    """Runs of years in which a series has rows but fewer than ``n`` provinces have a value.

    Columns ``start``, ``end`` (inclusive) and ``provinces`` (how many have a value in each of those years);
    consecutive years with the same count form one run. Years without any row (between censuses, say)
    are not gaps; a year with only the national figure is, with 0 provinces.
    """
    years = sorted(int(y) for y in frame["year"].unique())
    held = frame[frame["province"] != NATIONAL].groupby("year")["province"].nunique()
    runs = []
    for year in years:
        count = int(held.get(year, 0))
        if count >= n:
            continue
        if runs and runs[-1]["end"] == year - 1 and runs[-1]["provinces"] == count:
            runs[-1]["end"] = year
        else:
            runs.append({"start": year, "end": year, "provinces": count})
    return pd.DataFrame(runs, columns=["start", "end", "provinces"])


def status_counts(frame: pd.DataFrame) -> str:
    """'verified 1,200; reported 40' style count of row statuses."""
    counts = frame["status"].value_counts()
    return "; ".join(f"{status} {n:,}" for status, n in counts.items())


def coverage(frame: pd.DataFrame) -> str:
    """'1978–2024, 32 areas' style summary of a series."""
    if frame.empty:
        return "no rows"
    return f"{frame['year'].min()}–{frame['year'].max()}, {frame['province'].nunique()} areas, {len(frame)} rows"


def csv_url(id: str, depth: int = 1) -> str:
    """Link from a page ``depth`` folders below the site root to the published CSV of a series."""
    file = _resource_descriptor(id, DATA_DIR)["path"] if id not in DERIVED else None
    if file is None:
        raise KeyError(f"{id!r} is derived; link its inputs: {', '.join(DERIVED[id].inputs)}")
    return "../" * depth + "data/" + file


def northeast_total(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows for 'Northeast': the sum of the three provinces in years where all three come from one
    source (one vintage); other years are left out, never patched from another source."""
    return _northeast_total(frame)


def vintage_table(id: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per vintage of a published series: label, description, years, provinces, rows."""
    frame = series(id, data_dir, vintage=ALL_VINTAGES)
    rows = []
    for label, description in vintages(id, data_dir).items():
        part = frame[frame["vintage"] == label]
        if part.empty:
            continue
        provinces = part.loc[part["province"] != NATIONAL, "province"].nunique()
        rows.append({"series": id, "vintage": label, "description": description,
                     "years": f"{part['year'].min()}–{part['year'].max()}", "provinces": provinces,
                     "national": bool((part["province"] == NATIONAL).any()), "rows": len(part)})
    return pd.DataFrame(rows)


def vintage_break(id: str, old: str, new: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The same province-years in two vintages: old and new value and the revision in % of the old.

    Only years both vintages hold; the 31 provinces, plus 'Northeast' (the three summed) where all three
    are in both. This is the size of the break a chart must draw where one vintage ends and another begins.
    """
    frame = series(id, data_dir, vintage=ALL_VINTAGES)
    frame = frame[frame["province"] != NATIONAL]
    a = frame[frame["vintage"] == old].set_index(["province", "year"])["value"]
    b = frame[frame["vintage"] == new].set_index(["province", "year"])["value"]
    both = pd.concat({"old": a, "new": b}, axis=1, join="inner")
    ne = both[both.index.get_level_values("province").isin(NORTHEAST)]
    complete = ne.groupby(level="year").size() == len(NORTHEAST)
    ne_sum = ne.groupby(level="year").sum()[complete]
    ne_sum.index = pd.MultiIndex.from_product([["Northeast"], ne_sum.index], names=["province", "year"])
    out = pd.concat([both, ne_sum]).reset_index()
    return out.assign(revision_pct=100 * (out["new"] / out["old"] - 1))
