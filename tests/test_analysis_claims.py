"""helpers.analysis.claims: the sources' claims beside the audit's verdicts."""

import pandas as pd
import pytest

from helpers import audit, data
from helpers.analysis.claims import COLUMNS, claims_rows, claims_table


@pytest.fixture(scope="module")
def checked():
    return audit.evaluate(data.claims()).set_index("claim_id")


def test_rows_follow_the_registry_in_the_order_given(checked):
    ids = ["wang-117", "wang-116"]
    rows = claims_rows(checked, ids)
    assert tuple(rows.columns) == COLUMNS
    assert list(rows["claim"]) == ["{claim}`wang-117`", "{claim}`wang-116`"]
    for cid, row in zip(ids, rows.to_dict("records")):
        assert row["quote"] == checked.loc[cid, "quote"]
        assert row["verdict"] == checked.loc[cid, "verdict"]
        assert row["stated"] == f"{checked.loc[cid, 'value']:g} {checked.loc[cid, 'unit']}"


def test_extra_columns_are_added_per_claim(checked):
    rows = claims_rows(checked, ["wang-116"], extra=lambda cid: {"ours": cid.upper()})
    assert rows.loc[0, "ours"] == "WANG-116"


def test_unknown_ids_are_named(checked):
    with pytest.raises(KeyError, match="nope-001, nope-002"):
        claims_rows(checked, ["wang-116", "nope-001", "nope-002"])
    with pytest.raises(ValueError):
        claims_rows(checked, [])


def test_table_is_markdown_with_one_line_per_claim(checked):
    text = claims_table(checked, ["wang-116", "wang-117"]).data
    lines = text.strip().splitlines()
    assert len(lines) == 4 and lines[0].startswith("| claim")
    assert "{claim}`wang-116`" in lines[2]


def test_rows_from_a_small_registry():
    reg = pd.DataFrame(
        {"quote": ["q"], "value": [1.50], "unit": ["%"], "period": ["2002"], "verdict": ["error"]},
        index=pd.Index(["x-001"], name="claim_id"),
    )
    row = claims_rows(reg, ["x-001"]).iloc[0]
    assert row["stated"] == "1.5 %" and row["verdict"] == "error"
