"""The sources' claims beside our checks, as a table a chapter can show.

A chapter quotes a handful of claims from the sources audit (``data/claims.csv``, verdicts recomputed
by :func:`helpers.audit.evaluate`) and shows each with the stated value, period and verdict. The claim
id becomes a ``{claim}`` role, which the book links to the sources audit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

COLUMNS = ("claim", "quote", "stated", "period", "verdict")


def claims_rows(checked: pd.DataFrame, ids: Sequence[str], extra: Callable[[str], dict] | None = None) -> pd.DataFrame:
    """One row per claim id, in the order given: claim role, quote, stated value with unit, period, verdict.

    ``checked`` is the evaluated registry indexed by ``claim_id`` (``audit.evaluate(data.claims())
    .set_index("claim_id")``). ``extra(cid)`` may add columns (e.g. our own figure) to each row.
    Raises ``KeyError`` naming every id that is not in the registry, and ``ValueError`` on an empty list.
    """
    ids = list(ids)
    if not ids:
        raise ValueError("claims_rows needs at least one claim id")
    missing = [cid for cid in ids if cid not in checked.index]
    if missing:
        raise KeyError(f"claim ids not in the sources audit (data/claims.csv): {', '.join(missing)}")
    rows = []
    for cid in ids:
        claim = checked.loc[cid]
        row = {
            "claim": f"{{claim}}`{cid}`",
            "quote": claim["quote"],
            "stated": f"{claim['value']:g} {claim['unit']}",
            "period": claim["period"],
            "verdict": claim["verdict"],
        }
        if extra is not None:
            row.update(extra(cid))
        rows.append(row)
    return pd.DataFrame(rows)


def claims_table(checked: pd.DataFrame, ids: Sequence[str], extra: Callable[[str], dict] | None = None):
    """:func:`claims_rows` as a Markdown table for the page (an IPython ``Markdown`` object)."""
    from IPython.display import Markdown

    return Markdown(claims_rows(checked, ids, extra).to_markdown(index=False))
