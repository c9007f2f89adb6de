"""Age pyramids and who left, by age: the census tables of population by province, age group and sex.

Reads the validated ``census_age_sex`` table (2010 and 2020 censuses, NBS tables transcribed, reported),
draws the groups the pyramids use, and estimates net migration between the two censuses by age with the
national cohort-survival method: each province's cohort is expected to change between the censuses as the
same cohort changed in China as a whole (deaths, emigration abroad and any difference in how completely
the two censuses counted that age), and what the province gained or lost beyond that is taken as net
migration to or from the rest of China. Children born between the censuses are not in any 2010 cohort, so
the estimate covers people aged 10 and over at the second census.
"""

from __future__ import annotations

import pandas as pd

from helpers import data
from helpers.regions import NATIONAL

RESOURCE = "census_age_sex"
SEXES = ("male", "female")
# The published groups in age order, and the five-year groups the pyramids and the cohort method use
# (0 and 1-4 joined; the very old joined at the top).
PUBLISHED = ("0", "1-4", *(f"{a}-{a + 4}" for a in range(5, 100, 5)), "100+")


def five_year_groups(top: int = 90) -> list[str]:
    """'0-4', '5-9', ..., and an open group ``f'{top}+'``."""
    return [f"{a}-{a + 4}" for a in range(0, top, 5)] + [f"{top}+"]


def _lower(label: str) -> int:
    return int(label.rstrip("+").split("-")[0])


def regroup(frame: pd.DataFrame, top: int = 90) -> pd.DataFrame:
    """Counts in five-year groups with an open group from ``top``: columns province, year, age_group
    (ordered categorical), lower (the group's first age), sex, value."""
    lower = frame["age_group"].map(_lower)
    group = lower.where(lower < top, top).floordiv(5).mul(5)
    labels = five_year_groups(top)
    out = frame.assign(lower=group).groupby(["province", "year", "lower", "sex"], as_index=False)["value"].sum()
    out["age_group"] = pd.Categorical(
        out["lower"].map(lambda a: f"{a}+" if a >= top else f"{a}-{a + 4}"), categories=labels, ordered=True
    )
    return out[["province", "year", "age_group", "lower", "sex", "value"]]


def census_ages(data_dir=None) -> pd.DataFrame:
    """The table as published, checked: every province-year holds every published group for both sexes."""
    frame = data._read(RESOURCE, data._dir(data_dir))
    counts = frame.groupby(["province", "year"]).size()
    short = counts[counts != len(PUBLISHED) * len(SEXES)]
    if not short.empty:
        (province, year), n = next(iter(short.items()))
        raise data.DataError(
            f"{RESOURCE}.csv: {province} {year} has {n} rows; expected {len(PUBLISHED) * len(SEXES)} "
            "(every published age group for both sexes)"
        )
    return frame


def pyramid(frame: pd.DataFrame, areas=None, years=None, top: int = 90) -> pd.DataFrame:
    """Each group's share of its area's population in that census year (% of both sexes together), with
    ``signed`` negative for men (the left side of a pyramid)."""
    out = regroup(frame, top)
    if areas is not None:
        out = out[out["province"].isin(list(areas))]
    if years is not None:
        out = out[out["year"].isin(list(years))]
    total = out.groupby(["province", "year"])["value"].transform("sum")
    out = out.assign(share=100 * out["value"] / total)
    out["signed"] = out["share"].where(out["sex"] == "female", -out["share"])
    return out.reset_index(drop=True)


def share_aged(frame: pd.DataFrame, province: str, year: int, lo: int, hi: int | None = None) -> float:
    """% of a province's population aged ``lo`` to ``hi`` (inclusive; ``None``: and over) in a census year,
    from groups that start at ``lo`` and end at ``hi`` (five-year boundaries)."""
    part = regroup(frame[(frame["province"] == province) & (frame["year"] == year)], top=100)
    if part.empty:
        raise KeyError(f"no census ages for {province} {year}")
    upper = part["lower"] + 4
    inside = (part["lower"] >= lo) & ((upper <= hi) if hi is not None else True)
    return float(100 * part.loc[inside, "value"].sum() / part["value"].sum())


def cohort_net_migration(
    frame: pd.DataFrame, province: str, *, start: int = 2010, end: int = 2020, national: str = NATIONAL, top: int = 85
) -> pd.DataFrame:
    """Net migration by age and sex between two censuses ``end - start`` years apart (a multiple of 5), by
    the national cohort-survival method.

    For each sex and each group aged ``a``..``a+4`` at ``start`` (the last group open, ``top`` and over),
    ``expected`` is the province's count at ``start`` times the national ratio of the same cohort at ``end``
    to ``start``; ``net`` is the province's count at ``end`` less ``expected`` (negative: more left than
    came); ``rate`` is ``net`` per 100 of the cohort at ``start``. Rows: one per cohort and sex, with the
    cohort's ages at both dates.
    """
    gap = end - start
    if gap <= 0 or gap % 5:
        raise ValueError("the censuses must be a positive multiple of 5 years apart")
    before = regroup(frame[frame["year"] == start], top)
    after = regroup(frame[frame["year"] == end], top + gap)

    def counts(table: pd.DataFrame, area: str) -> pd.Series:
        part = table[table["province"] == area]
        if part.empty:
            raise KeyError(f"no census ages for {area}")
        return part.set_index(["sex", "lower"])["value"]

    p0, p1, n0, n1 = (
        counts(before, province),
        counts(after, province),
        counts(before, national),
        counts(after, national),
    )
    rows = []
    for sex in SEXES:
        for lower in range(0, top + 5, 5):
            ratio = n1[(sex, lower + gap)] / n0[(sex, lower)]
            expected = p0[(sex, lower)] * ratio
            actual = p1[(sex, lower + gap)]
            rows.append(
                {
                    "sex": sex,
                    "age_start": f"{lower}+" if lower >= top else f"{lower}-{lower + 4}",
                    "age_end": f"{lower + gap}+" if lower >= top else f"{lower + gap}-{lower + gap + 4}",
                    "lower_end": lower + gap,
                    "at_start": float(p0[(sex, lower)]),
                    "national_ratio": float(ratio),
                    "expected": float(expected),
                    "actual": float(actual),
                    "net": float(actual - expected),
                }
            )
    out = pd.DataFrame(rows)
    out["rate"] = 100 * out["net"] / out["at_start"]
    return out


def net_by_age(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`cohort_net_migration` with the sexes added together, by the cohort's age at the later census."""
    out = table.groupby(["age_end", "lower_end"], as_index=False)[["at_start", "expected", "actual", "net"]].sum()
    out = out.sort_values("lower_end", ignore_index=True)
    out["rate"] = 100 * out["net"] / out["at_start"]
    return out


def single_year_ages(frame: pd.DataFrame, province: str, year: int, top: int = 100):
    """People by single year of age, 0..``top``-1, for one province and census year: each published group
    spread evenly over its single years (0 alone; the open group 100+ added to 95-99 when ``top`` is 100),
    both sexes together. Finer than the broad groups the projection otherwise uses."""
    from helpers.analysis.projection import spread_groups

    part = frame[(frame["province"] == province) & (frame["year"] == year)]
    if part.empty:
        raise KeyError(f"no census ages for {province} {year}")
    counts = part.groupby("age_group")["value"].sum()
    groups: dict[tuple[int, int], float] = {}
    for label, count in counts.items():
        if label.endswith("+"):
            continue
        lo, hi = (int(label), int(label)) if "-" not in label else (int(x) for x in label.split("-"))
        groups[(lo, min(hi, top - 1))] = groups.get((lo, min(hi, top - 1)), 0.0) + float(count)
    open_group = [label for label in counts.index if label.endswith("+")]
    last = max(groups, key=lambda g: g[0])
    for label in open_group:
        groups[last] += float(counts[label])
    return spread_groups(groups, top=top)
