"""Convert the census age-and-sex tables (2010 and 2020) into ``data/census_age_sex.csv``.

The source is a public transcription of two National Bureau of Statistics census tables, one row per
province and year: table 1-5 (各地区分年龄、性别的人口) of the China Population Census Yearbook 2020 and
table 1-7 of the same name in Tabulation on the 2010 Population Census of the People's Republic of China.
It is a workbook in a public repository (sheet ``1``; ``SOURCE`` below), not redistributed here.

usage: python scripts/convert_census_ages.py WORKBOOK.xlsx

The conversion refuses the workbook unless, for every province and year, men plus women equal the
printed subtotal in every age group and in the total, and the age groups add up to the printed totals
(checked on 2 December 2026 on commit 488a1d0: all 64 rows pass, and the 31 provinces add up to the
national row in both years). Province names are mapped to the book's English names from
``data/provinces.csv``; the national row (全国, the 31 provinces without the active military) becomes
``China``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "census_age_sex.csv"
SOURCE = {2010: "nbs_census2010_t1_7", 2020: "nbs_census2020_t1_5"}
TABLE = {2010: "2010 census tabulation, table 1-7", 2020: "2020 census yearbook, table 1-5"}
SEXES = {"男": "male", "女": "female"}


def age_label(group: str) -> str:
    """'0岁' -> '0', '1-4岁' -> '1-4', '100岁及以上' -> '100+'."""
    if group.endswith("岁及以上"):
        return group.removesuffix("岁及以上") + "+"
    return group.removesuffix("岁")


def names() -> dict[str, str]:
    with (ROOT / "data" / "provinces.csv").open(encoding="utf-8") as f:
        table = {row["hanzi"]: row["province"] for row in csv.DictReader(f)}
    short = {}
    for hanzi, english in table.items():
        for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
            if hanzi.endswith(suffix):
                short[hanzi.removesuffix(suffix)] = english
                break
        short[hanzi] = english
    short["全国"] = "China"
    return short


def convert(workbook: Path) -> list[dict]:
    rows = list(openpyxl.load_workbook(workbook, read_only=True).worksheets[0].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    groups = [c.removesuffix("-小计") for c in header if c.endswith("-小计")]
    lookup = names()
    out = []
    for raw in body:
        row = dict(zip(header, raw))
        year, area = int(row["year"]), lookup[row["area"].replace(" ", "")]
        for g in groups:
            if row[f"{g}-小计"] != row[f"{g}-男"] + row[f"{g}-女"]:
                raise ValueError(f"{year} {area} {g}: men + women != subtotal")
        for sex, total in (("男", "合计-男"), ("女", "合计-女")):
            if sum(row[f"{g}-{sex}"] for g in groups) != row[total]:
                raise ValueError(f"{year} {area} {sex}: age groups do not add up to the total")
        for g in groups:
            for zh, sex in SEXES.items():
                out.append(
                    {
                        "province": area,
                        "year": year,
                        "age_group": age_label(g),
                        "sex": sex,
                        "value": int(row[f"{g}-{zh}"]),
                        "unit": "persons",
                        "source_id": SOURCE[year],
                        "status": "reported",
                        "note": TABLE[year],
                    }
                )
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/convert_census_ages.py WORKBOOK.xlsx")
        return 2
    rows = convert(Path(argv[1]))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
