"""Where the Northeast's gateways are: sourced coordinates and great-circle distances.

The geopolitics chapter places its ports and border crossings on real coordinates (``gateways.csv``,
from the GeoNames gazetteer) and measures straight-line distances between them. Straight lines are
not routes: rail and road are longer, and a sea route from Hunchun must leave through a foreign
stretch of the Tumen or a foreign port. The distances show how close the sea is, not how easy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from helpers import data

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def gateways(data_dir=None) -> pd.DataFrame:
    """The validated gateways table (place, name_zh, province, country, role, latitude, longitude, ...)."""
    return data._read("gateways", data._dir(data_dir))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points in decimal degrees (haversine formula)."""
    for name, lat in (("lat1", lat1), ("lat2", lat2)):
        if not -90 <= lat <= 90:
            raise ValueError(f"{name} = {lat} is not a latitude")
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distances(places: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Straight-line distance for each (from, to) pair of place names, with both ends' coordinates and
    the midpoint (for a label): columns from, to, km, lat, lon, lat2, lon2, mid_lat, mid_lon."""
    pos = places.set_index("place")[["latitude", "longitude"]]
    unknown = sorted({p for pair in pairs for p in pair} - set(pos.index))
    if unknown:
        raise KeyError(f"distances: unknown places {unknown}; known: {', '.join(pos.index)}")
    rows = []
    for a, b in pairs:
        (la, oa), (lb, ob) = pos.loc[a], pos.loc[b]
        rows.append(
            {
                "from": a,
                "to": b,
                "km": great_circle_km(la, oa, lb, ob),
                "lat": la,
                "lon": oa,
                "lat2": lb,
                "lon2": ob,
                "mid_lat": (la + lb) / 2,
                "mid_lon": (oa + ob) / 2,
            }
        )
    return pd.DataFrame(rows)
