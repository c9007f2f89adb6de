"""The one way the book reads its data.

Every table in ``data/`` is described in ``data/datapackage.json`` (fields, types, units,
constraints, primary keys, a foreign key from every ``source_id`` to ``sources.csv`` and from every
``province`` to ``areas.csv``: the 31 provinces and ``China``). A table is
validated with Frictionless before any notebook sees it; on bad input one :class:`DataError` names
the file, the line and the column of each problem. Nothing is coerced silently.

Derived series (Northeast totals and shares) are declared in ``data/derived.json`` (``helpers.derived``) and
computed here from validated series with the named formulas of ``helpers.formulas``. Regions, labels and unit factors come from
``helpers.regions``.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from frictionless import Package

from helpers import checks, derived
from helpers.derived import Derived
from helpers.formulas import northeast_total
from helpers.regions import N_PROVINCES, NATIONAL, NORTHEAST, NORTHEAST_LABEL

__all__ = [
    "DERIVED",
    "NATIONAL",
    "NORTHEAST",
    "DataError",
    "Derived",
    "areas",
    "claims",
    "coverage",
    "csv_url",
    "derived_series",
    "incomplete_years",
    "indicators",
    "northeast_total",
    "package",
    "provinces",
    "series",
    "sources",
    "status_counts",
    "timeline",
    "timeline_sources",
    "validate",
    "vintage_break",
    "vintage_table",
    "vintages",
]

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
            "holding data/."
        ) from None
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
    elif getattr(error, "field_names", None):  # a foreign key: the columns that point to another table
        where.append("column " + ", ".join(repr(name) for name in error.field_names))
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
    mtimes = tuple(
        sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in [*base.glob("*.csv"), base / "datapackage.json"]
            if p.exists()
        )
    )
    descriptor = _resource_descriptor(name, base)
    # A table that this one points to (sources.csv) is validated first, under its own name, so that a
    # bad source row is never reported as a problem of the series that cites it.
    for fk in descriptor.get("schema", {}).get("foreignKeys", []):
        target = fk["reference"].get("resource")
        if target and target != name:
            _validate_cached(target, str(base.resolve()), mtimes)
    _validate_cached(name, str(base.resolve()), mtimes)


@lru_cache(maxsize=8)
def _frictionless_package(base: str, _mtimes: tuple) -> Package:
    """The Frictionless package of a data folder, opened once per state of its files."""
    return Package(str(Path(base) / "datapackage.json"))


@lru_cache(maxsize=64)
def _validate_cached(name: str, base: str, _mtimes: tuple) -> None:
    descriptor = _resource_descriptor(name, Path(base))
    path = Path(base) / descriptor["path"]
    if not path.exists():
        raise DataError(f"{path}: file listed in datapackage.json does not exist")
    report = _frictionless_package(base, _mtimes).get_resource(name).validate()
    if report.valid:
        _check_rows(descriptor, path)
        return
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    lines = [_describe(e, path) for e in errors[:MAX_ERRORS_SHOWN]]
    more = f"\n  ... and {len(errors) - MAX_ERRORS_SHOWN} more" if len(errors) > MAX_ERRORS_SHOWN else ""
    raise DataError(
        f"{path}: {len(errors)} problem(s) found by validation against datapackage.json:\n  "
        + "\n  ".join(lines)
        + more
    )


def _check_rows(descriptor: dict, path: Path) -> None:
    """What a schema cannot say: a table with no (or too few) data rows is not a table."""
    minimum = descriptor.get("dongbei", {}).get("min_rows", 1)
    with path.open(encoding="utf-8") as f:
        rows = sum(1 for line in f if line.strip()) - 1
    if rows < minimum:
        raise DataError(
            f"{path}: {max(rows, 0)} data row(s) below the header; datapackage.json expects at "
            f"least {minimum} (dongbei.min_rows)"
        )


def _read(name: str, data_dir: Path) -> pd.DataFrame:
    validate(name, data_dir)
    descriptor = _resource_descriptor(name, data_dir)
    types = {f["name"]: f["type"] for f in descriptor["schema"]["fields"]}
    frame = pd.read_csv(data_dir / descriptor["path"], dtype=str, keep_default_na=False, encoding="utf-8")
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


def areas(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The names a ``province`` column may hold: the 31 provinces (kind ``province``) and ``China`` (kind
    ``national``). Every table with a ``province`` column points here with a foreign key."""
    return _read("areas", _dir(data_dir))


def sources(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The sources list every ``source_id`` points to."""
    return _read("sources", _dir(data_dir))


def claims(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The sources-audit registry: one row per quantitative claim in the five source documents.

    Validated like every table; :func:`helpers.audit.evaluate` recomputes the verdicts.
    """
    return _read("claims", _dir(data_dir))


BIBLIOGRAPHY = REPO_DIR / "references.bib"
_BIB_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def timeline_sources(bibliography: str | os.PathLike = BIBLIOGRAPHY) -> set[str] | None:
    """The citation keys a timeline event may name as its ``source``: every key in the book's BibTeX file
    (what the timeline page's ``{cite}`` role looks up). ``None`` where there is no bibliography (a copy of
    the data installed without the book), and then nothing is checked."""
    path = Path(bibliography)
    return set(_BIB_KEY.findall(path.read_text(encoding="utf-8"))) if path.exists() else None


def timeline(
    data_dir: str | os.PathLike | None = None, *, bibliography: str | os.PathLike = BIBLIOGRAPHY
) -> pd.DataFrame:
    """Dated events from 1858 to 2024, each with the reference that reports it (a key in
    ``references.bib``) and claim ids (validated)."""
    frame = _read("timeline", _dir(data_dir))
    bad = frame[frame["end"] < frame["start"]]
    if not bad.empty:
        line = int(bad.index[0]) + 2
        raise DataError(
            f"timeline.csv, line {line}: 'end' ({bad['end'].iloc[0]}) is before 'start' ({bad['start'].iloc[0]})"
        )
    keys = timeline_sources(bibliography)
    unknown = frame[~frame["source"].isin(keys)] if keys is not None else frame.iloc[:0]
    if not unknown.empty:
        lines = [f"line {i + 2}: {s!r}" for i, s in unknown["source"].items()]
        raise DataError(
            f"timeline.csv, column 'source': {len(lines)} key(s) not in {Path(bibliography).name} "
            f"(add the reference there first): " + "; ".join(lines)
        )
    return frame


def derived_series(data_dir: str | os.PathLike | None = None) -> dict[str, Derived]:
    """The derived series declared in ``derived.json`` of a data folder, by id."""
    path = _dir(data_dir) / derived.FILE
    stamp = (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None
    return _derived_cached(str(_dir(data_dir).resolve()), stamp)


@lru_cache(maxsize=8)
def _derived_cached(base: str, _stamp) -> dict[str, Derived]:
    try:
        return derived.load(Path(base))
    except derived.DerivedError as exc:
        raise DataError(str(exc)) from None


# The book's own derived series (data/derived.json), by id.
DERIVED: dict[str, Derived] = derived_series(DATA_DIR)


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
    declared = derived_series(base)
    if id in declared:
        spec = declared[id]
        if vintage is not None:
            raise KeyError(f"{id!r} is derived; its vintage is fixed by its inputs ({', '.join(spec.inputs)})")
        frame = spec.compute({name: series(name, base) for name in spec.inputs})
        frame = frame.assign(unit=spec.unit, source_id="project", status="derived", note=spec.description)
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
        rows.append(
            {
                "id": res["name"],
                "title": res["title"],
                "unit": res["dongbei"]["unit"],
                "description": res["description"],
                "coverage": coverage(frame),
                "sources": ", ".join(sorted(frame["source_id"].unique())),
                "kind": "published",
                "status": status_counts(frame),
                "file": res["path"],
                "breaks": res["dongbei"].get("breaks", ""),
            }
        )
    for name, spec in derived_series(base).items():
        inputs = [s for s in spec.inputs if any(r["name"] == s.split("@")[0] for r in _series_resources(base))]
        if len(inputs) < len(spec.inputs):
            continue  # an input series is not in the package yet
        frame = series(name, base)
        rows.append(
            {
                "id": name,
                "title": spec.title,
                "unit": spec.unit,
                "description": spec.description,
                "coverage": coverage(frame),
                "sources": "derived from " + ", ".join(spec.inputs),
                "kind": "derived",
                "status": status_counts(frame),
                "file": "",
                "breaks": "inherits the breaks of " + ", ".join(spec.inputs),
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "title", "unit", "description", "coverage", "sources", "kind", "status", "file", "breaks"]
    )


def incomplete_years(frame: pd.DataFrame, n: int = N_PROVINCES) -> pd.DataFrame:
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
    if id in DERIVED:
        raise KeyError(f"{id!r} is derived; link its inputs: {', '.join(DERIVED[id].inputs)}")
    file = _resource_descriptor(id, DATA_DIR)["path"]
    return "../" * depth + "data/" + file


def vintage_table(id: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per vintage of a published series: label, description, years, provinces, rows."""
    frame = series(id, data_dir, vintage=ALL_VINTAGES)
    rows = []
    for label, description in vintages(id, data_dir).items():
        part = frame[frame["vintage"] == label]
        if part.empty:
            continue
        provinces = part.loc[part["province"] != NATIONAL, "province"].nunique()
        rows.append(
            {
                "series": id,
                "vintage": label,
                "description": description,
                "years": f"{part['year'].min()}–{part['year'].max()}",
                "provinces": provinces,
                "national": bool((part["province"] == NATIONAL).any()),
                "rows": len(part),
            }
        )
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
    ne_sum.index = pd.MultiIndex.from_product([[NORTHEAST_LABEL], ne_sum.index], names=["province", "year"])
    out = pd.concat([both, ne_sum]).reset_index()
    return out.assign(revision_pct=100 * (out["new"] / out["old"] - 1))
