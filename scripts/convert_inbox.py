"""Convert the third-party transcriptions in ``../shared/data-inbox/`` into the book's tidy CSVs.

Run once by the authors when the inbox changes (``python scripts/convert_inbox.py INBOX_DIR``); the
output files in ``data/`` are committed, the inbox is not (it is not redistributed with the book).
Every value is copied, never adjusted: the only arithmetic is parsing ("1,063" -> 1063) and, for the
Ministry of Finance transfer tables, adding the Xinjiang Production and Construction Corps to Xinjiang
in the years it is listed apart (said in the row's note). What each file holds, and the checks that
decided which years to keep, are in ``data/datapackage.json`` and the tests (``tests/test_data.py``).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
COLUMNS = ["province", "year", "value", "unit", "source_id", "status", "note"]
NATIONAL_LABELS = {"National Total", "全国", "合计"}


def _registry() -> pd.DataFrame:
    return pd.read_csv(DATA / "provinces.csv", dtype=str)


def _english_from_hanzi() -> dict[str, str]:
    """'辽宁', '辽宁省', '内蒙古自治区' ... -> 'Liaoning', 'Inner Mongolia' ..."""
    reg = _registry()
    out = {}
    for hanzi, english in zip(reg["hanzi"], reg["province"]):
        out[hanzi] = english
    return out


def _province_of(label: str, names: dict[str, str]) -> str | None:
    label = re.sub(r"\s+", "", str(label).replace("\xa0", ""))
    for hanzi in sorted(names, key=len, reverse=True):
        if label.startswith(hanzi):
            rest = label[len(hanzi) :]
            # '辽宁省' and '内蒙古自治区' are the province; '辽宁省（不含大连市）' is a part of it.
            if rest in ("", "省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区"):
                return names[hanzi]
            return None
    return None


def _write(rows: list[dict], name: str) -> None:
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({"year": int}).sort_values(["province", "year"], kind="stable")
    path = DATA / name
    with path.open("w", encoding="utf-8", newline="") as f:
        frame.to_csv(f, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    print(f"wrote {path.relative_to(REPO)}: {len(frame)} rows, {frame['year'].min()}-{frame['year'].max()}")


def _number(cell) -> float | None:
    if cell is None or (isinstance(cell, float) and pd.isna(cell)) or str(cell).strip() == "":
        return None
    return float(str(cell).replace(",", ""))


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# ---- GCAM-China: the 60-year compendium vintage, 1978-2008 --------------------------------------


def compendium_gdp(inbox: Path) -> None:
    raw = pd.read_csv(inbox / "gcam_china" / "GDP_raw.csv", comment="#", dtype=str)
    provinces = set(_registry()["province"])
    rows = []
    for _, rec in raw.iterrows():
        name = rec["province.name"]
        if name not in provinces:
            continue  # 'National Total' (an older national vintage), 'sum', 'difference'
        for year in range(1978, 2009):
            text = rec[str(year)]
            value = _number(text)
            if value is None:
                raise SystemExit(f"GDP_raw.csv: {name} {year} is empty")
            note = "60-year compendium vintage as transcribed by GCAM-China"
            if "." not in str(text):
                note += (
                    "; printed as a whole number in the transcription, which rounds some cells "
                    "(e.g. Jilin 1978 reads 82 where the compendium prints 81.98)"
                )
            rows.append(
                {
                    "province": name,
                    "year": year,
                    "value": _fmt(value),
                    "unit": "100 million yuan",
                    "source_id": "nbs_compendium60_gdp_gcam",
                    "status": "reported",
                    "note": note,
                }
            )
    # The national figure from a stated national source (CSY 2010 table 2-1), not the file's row.
    nominal = pd.read_csv(DATA / "gdp_nominal.csv", dtype=str)
    china = nominal[nominal["province"] == "China"]
    for _, rec in china.iterrows():
        match = re.search(r"nbs_csy2010_t2_1=([0-9.]+)", rec["note"])
        year = int(rec["year"])
        if match and 1978 <= year <= 2008:
            rows.append(
                {
                    "province": "China",
                    "year": year,
                    "value": match.group(1),
                    "unit": "100 million yuan",
                    "source_id": "nbs_csy2010_t2_1",
                    "status": "verified",
                    "note": "national GDP, CSY2010 table 2-1 (after the second economic census, before "
                    "the 2016 R&D revision); the provinces' sum exceeds it",
                }
            )
    _write(rows, "gdp_nominal_compendium.csv")


def compendium_population(inbox: Path) -> None:
    raw = pd.read_csv(inbox / "gcam_china" / "China_Compendium_of_Statistics.csv", comment="#", dtype=str)
    later = pd.read_csv(inbox / "gcam_china" / "China_Statistics_Yearbook.csv", comment="#", dtype=str)
    later = later.set_index("Region")
    provinces = set(_registry()["province"])
    rows = []
    for _, rec in raw.iterrows():
        name = rec["Region"]
        if name not in provinces and name != "National Total":
            continue
        area = "China" if name == "National Total" else name
        # Registered vs resident: compare the compendium's 2000 with the yearbook's resident series.
        gap = None
        if area != "China" and name in later.index:
            a, b = _number(rec["2000"]), _number(later.loc[name, "2000"])
            gap = 100 * (a / b - 1)
        for year in range(1978, 2009):
            value = _number(rec[str(year)])
            if value is None:
                raise SystemExit(f"China_Compendium_of_Statistics.csv: {name} {year} is empty")
            note = "60-year compendium vintage as transcribed by GCAM-China"
            if gap is not None and abs(gap) >= 2 and year < 2005:
                note += (
                    f"; before 2005 this province's figure differs from the resident-population series "
                    f"(2000: {gap:+.1f}% against the China Statistical Yearbook's), so it is probably "
                    f"registered (户籍) population; from 2005 all figures are usual residents"
                )
            rows.append(
                {
                    "province": area,
                    "year": year,
                    "value": _fmt(value),
                    "unit": "10,000 persons",
                    "source_id": "nbs_compendium60_pop_gcam",
                    "status": "reported",
                    "note": note,
                }
            )
    _write(rows, "population_yearend_compendium.csv")


# ---- techme: expenditure 2010-2023 and R&D 2011-2023 ---------------------------------------------


def _techme(inbox: Path, file: str, block: str) -> pd.DataFrame:
    frame = pd.read_csv(inbox / "techme" / file, dtype={"value": str})
    frame = frame[frame["chn_block4"] == block]
    names = _english_from_hanzi()
    frame = frame.assign(area=[("China" if p in NATIONAL_LABELS else names[p]) for p in frame["province"]])
    return frame


def rd(inbox: Path) -> None:
    for block, name, unit, what in (
        ("RD经费", "rd_expenditure.csv", "100 million yuan", "R&D expenditure (R&D经费内部支出)"),
        ("RD强度", "rd_intensity.csv", "% of GDP", "R&D intensity (R&D经费投入强度, % of GDP)"),
    ):
        frame = _techme(inbox, "RDIntense.csv", block)
        rows = [
            {
                "province": r.area,
                "year": int(r.year),
                "value": _fmt(float(r.value)),
                "unit": unit,
                "source_id": "nbs_sti_yb_techme",
                "status": "reported",
                "note": f"{what}, yearbook figure as converted by techme",
            }
            for r in frame.itertuples()
        ]
        _write(rows, name)


# ---- NBS data-portal exports 2018-2024 and Ministry of Finance transfer tables ---------------------


def _portal(inbox: Path, file: str) -> dict[tuple[str, int], float]:
    sheet = pd.read_excel(inbox / "fiscal_transfer_analysis" / "数据" / file, header=None)
    header = sheet.index[sheet[0] == "地区"][0]
    years = [int(str(c).rstrip("年")) for c in sheet.iloc[header, 1:]]
    names = _english_from_hanzi()
    out = {}
    for _, rec in sheet.iloc[header + 1 :].iterrows():
        area = _province_of(rec[0], names)
        if area is None:
            continue
        for year, cell in zip(years, rec.iloc[1:]):
            out[(area, year)] = _number(cell)
    if len(out) != 31 * len(years):
        raise SystemExit(f"{file}: expected 31 provinces x {len(years)} years, found {len(out)} cells")
    return out


def budgets(inbox: Path) -> None:
    revenue = _portal(inbox, "2018-2024地方财政一般公共预算收入.xlsx")
    spending = _portal(inbox, "2018-2024各省地方一般公共预算支出.xlsx")
    old_rev = pd.read_csv(DATA / "budget_revenue.csv", dtype=str)
    old_exp = pd.read_csv(DATA / "budget_expenditure.csv", dtype=str)
    portal_note = "NBS data portal (分省年度数据), exported 2025, as saved in fiscal-transfer-analysis"

    rev_rows = old_rev[old_rev["year"].astype(int) < 2018].to_dict("records")
    rev_rows += [
        {
            "province": p,
            "year": y,
            "value": _fmt(v),
            "unit": "100 million yuan",
            "source_id": "nbs_portal_budget_fta",
            "status": "reported",
            "note": portal_note,
        }
        for (p, y), v in revenue.items()
    ]
    _write(rev_rows, "budget_revenue.csv")

    techme = _techme(inbox, "PublicBudget.csv", "合计")
    exp_rows = [
        {
            "province": r.area,
            "year": int(r.year),
            "value": _fmt(float(r.value)),
            "unit": "100 million yuan",
            "source_id": "nbs_csy_budget_techme",
            "status": "reported",
            "note": "China Statistical Yearbook figure as converted by techme",
        }
        for r in techme.itertuples()
        if int(r.year) <= 2013 and r.area != "China"
    ]
    exp_rows += old_exp[old_exp["year"].astype(int).between(2014, 2017)].to_dict("records")
    exp_rows += [
        {
            "province": p,
            "year": y,
            "value": _fmt(v),
            "unit": "100 million yuan",
            "source_id": "nbs_portal_budget_fta",
            "status": "reported",
            "note": portal_note,
        }
        for (p, y), v in spending.items()
    ]
    _write(exp_rows, "budget_expenditure.csv")


# The three functions of local budget expenditure that techme holds beside the total. Its totals were
# compared with budget_expenditure.csv (held from other sources for 2014-2023) when this was written;
# tests/test_data.py repeats the comparison and checks each function against the total.
BUDGET_FUNCTIONS = (
    ("教育", "budget_expenditure_education.csv", "education (教育)"),
    ("科学技术", "budget_expenditure_science.csv", "science and technology (科学技术)"),
    ("农林水", "budget_expenditure_agriculture.csv", "agriculture, forestry and water (农林水)"),
)


def budget_functions(inbox: Path) -> None:
    for block, name, what in BUDGET_FUNCTIONS:
        frame = _techme(inbox, "PublicBudget.csv", block)
        rows = [
            {
                "province": r.area,
                "year": int(r.year),
                "value": _fmt(float(r.value)),
                "unit": "100 million yuan",
                "source_id": "nbs_csy_budget_functions_techme",
                "status": "reported",
                "note": f"local general public budget expenditure on {what}, China Statistical Yearbook "
                "figure as converted by techme"
                + ("; all local governments together, as published" if r.area == "China" else ""),
            }
            for r in frame.itertuples()
        ]
        _write(rows, name)


def transfer_payments(inbox: Path) -> None:
    names = _english_from_hanzi()
    rows = []
    for year in range(2019, 2025):
        sheet = pd.read_excel(inbox / "fiscal_transfer_analysis" / "数据" / "转移支付" / f"{year}.xlsx", header=None)
        labels = sheet[0].astype(str).str.replace(r"[\s\xa0]", "", regex=True)
        header = labels.index[labels == "地区"][0]
        final = [c for c in sheet.columns if str(sheet.iloc[header, c]).strip() == f"{year}年决算数"]
        if len(final) != 1:
            raise SystemExit(f"转移支付/{year}.xlsx: no single '{year}年决算数' column")
        col = final[0]
        values, corps = {}, None
        for i in range(header + 1, len(sheet)):
            label = labels.iloc[i]
            if label == "新疆生产建设兵团":
                corps = _number(sheet.iloc[i, col])
            area = _province_of(label, names)
            if area is not None:
                values[area] = _number(sheet.iloc[i, col])
        if len(values) != 31:
            raise SystemExit(f"转移支付/{year}.xlsx: {len(values)} provinces found, expected 31")
        for area, value in values.items():
            note = "Ministry of Finance final accounts (决算数), as saved in fiscal-transfer-analysis"
            if area == "Xinjiang" and corps is not None:
                value += corps
                note += (
                    f"; includes the Xinjiang Production and Construction Corps ({_fmt(corps)}), "
                    f"listed apart in this year's table"
                )
            for city, province in (
                ("Dalian", "Liaoning"),
                ("Ningbo", "Zhejiang"),
                ("Xiamen", "Fujian"),
                ("Qingdao", "Shandong"),
                ("Shenzhen", "Guangdong"),
            ):
                if area == province:
                    note += f"; includes {city} (listed apart as a separately planned city)"
            rows.append(
                {
                    "province": area,
                    "year": year,
                    "value": _fmt(value),
                    "unit": "100 million yuan",
                    "source_id": f"mof_transfers_{year}_fta",
                    "status": "reported",
                    "note": note,
                }
            )
    _write(rows, "central_transfer_payments.csv")


def main(argv: list[str]) -> None:
    inbox = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "data-inbox"
    compendium_gdp(inbox)
    compendium_population(inbox)
    rd(inbox)
    budgets(inbox)
    budget_functions(inbox)
    transfer_payments(inbox)


if __name__ == "__main__":
    main(sys.argv)
