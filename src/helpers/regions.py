"""Regions, labels and unit factors: the constants every module shares (no other module defines them).

The 31 provinces themselves, with their codes and names, are the table ``data/provinces.csv``
(``helpers.data.provinces()``); the names a published file may put in its ``province`` column are those
31 and :data:`NATIONAL`, listed in ``data/areas.csv`` (``helpers.data.areas()``), which every such column
points to with a foreign key. The other :data:`AGGREGATES` are sums the book computes (derived series),
never stored. Here are the names the code needs to know by heart.
"""

from __future__ import annotations

NATIONAL = "China"  # the national figure as published (not the sum of the provinces)
NORTHEAST = ("Liaoning", "Jilin", "Heilongjiang")
NORTHEAST_LABEL = "Northeast"  # rows that sum the three provinces
PROVINCES_LABEL = "31 provinces"  # rows that aggregate the 31 provinces (the national yardstick, same vintage)
N_PROVINCES = 31
AGGREGATES = (NATIONAL, NORTHEAST_LABEL, PROVINCES_LABEL)  # rows that are not one province

YUAN_PER_YI = 1e8  # 亿 yì: the unit of "100 million yuan"
PERSONS_PER_WAN = 1e4  # 万 wàn: the unit of "10,000 persons"
