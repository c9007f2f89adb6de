"""The sources audit: the registry's verdicts are recomputed here, and the rules are tested."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import audit, data

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "sources"  # the five documents (not redistributed with the book)
COLUMNS = [
    "claim_id",
    "source",
    "document",
    "quote",
    "value",
    "unit",
    "period",
    "place",
    "theme",
    "check_method",
    "check",
    "tolerance",
    "on_fail",
    "verdict",
    "note",
]


def registry(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS).fillna("")
    return frame.assign(value=frame["value"].astype(float))


def row(claim_id, value, method="none", check="", tolerance="", on_fail="", verdict="unverifiable"):
    return [
        claim_id,
        "wang2023revitalize",
        "004_3bc8185d3e93169b.txt",
        "q",
        value,
        "%",
        "2022",
        "Jilin",
        "fiscal",
        method,
        check,
        tolerance,
        on_fail,
        verdict,
        "",
    ]


# ---- the rules ------------------------------------------------------------------------------------


def test_recompute_passes_within_tolerance_and_fails_with_the_stated_verdict():
    frame = registry(
        [
            row("wang-001", 12900),
            row("wang-002", 9030),
            row("wang-003", 143, "recompute", 'round(100 * c("wang-001") / c("wang-002"))', "0.5", "error"),
            row("wang-004", 133, "recompute", '100 * c("wang-001") / c("wang-002")', "1%", "error"),
            row("wang-005", 140, "cross-document", 'c("wang-003")', "2%", "inconsistent"),
        ]
    )
    verdicts = audit.evaluate(frame).set_index("claim_id")["computed_verdict"]
    assert verdicts.to_dict() == {
        "wang-001": "unverifiable",
        "wang-002": "unverifiable",
        "wang-003": "recomputed-ok",
        "wang-004": "error",
        "wang-005": "inconsistent",
    }


def test_data_checks_read_the_books_series_and_the_northeast_total():
    census = data.series("population_census").set_index(["province", "year"])["value"]
    ne_2020 = sum(census[(p, 2020)] for p in data.NORTHEAST) / 1e6
    frame = registry(
        [row("yu-001", round(ne_2020, 1), "data", 'v("population_census", "Northeast", 2020) / 1e6', "0.05", "error")]
    )
    out = audit.evaluate(frame).iloc[0]
    assert out["expected"] == pytest.approx(ne_2020) and out["computed_verdict"] == "consistent"


@pytest.mark.parametrize(
    "check, message",
    [
        ('__import__("os").getcwd()', "not allowed"),
        ('c("wang-999")', "unknown claim 'wang-999'"),
        ('v("population_census", "Jilin", 1901)', "no population_census for Jilin in 1901"),
        ("1 +", "cannot parse"),
    ],
)
def test_bad_checks_fail_loudly_naming_the_claim(check, message):
    frame = registry([row("wang-001", 1, "recompute", check, "0.1", "error")])
    with pytest.raises(audit.CheckError, match=rf"claims\.csv, claim wang-001: .*{re.escape(message)}"):
        audit.evaluate(frame)


def _evaluate_in_child(check, results):
    try:
        audit.evaluate(registry([row("wang-001", 1, "recompute", check, "0.1", "error")]))
        results.put(("returned", ""))
    except Exception as exc:  # noqa: BLE001 (reported to the parent, which checks the type)
        results.put((type(exc).__name__, str(exc)))


@pytest.mark.parametrize(
    "check, message",
    [
        ("9**9**9", "exponent 3.8742e+08 is too large"),
        ("10**400", "exponent 400 is too large"),
        ("10.0**99 * 10**99 * 10**99 * 10**99", "out of range"),
        (
            "2**100 * 2**100 * 2**100 * 2**100 * 2**100 * 2**100 * 2**100 * 2**100 * 2**100 * 2**100 * 2**100",
            "out of range",
        ),
        ("1" + "0" * 400, "out of range"),
        ('"x" * 10**9', "arithmetic needs numbers"),
        ("round(5, -10**9)", "round() takes a whole number of digits"),
        ("(-8) ** 0.5", "out of range"),
        ("max()", "max() needs at least one number"),
        ("1" + " + 1" * 400, "at most 1000"),
    ],
)
def test_huge_or_malformed_arithmetic_fails_at_once_naming_the_claim(check, message):
    """Run in a child process: before the bounds, 9**9**9 never returned and 10**400 escaped unnamed."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_evaluate_in_child, args=(check, results))
    child.start()
    child.join(20)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"the check {check[:40]!r} did not return within 20 seconds")
    kind, text = results.get(timeout=5)
    assert kind == "CheckError", f"{check[:40]!r} raised {kind}: {text}"
    assert text.startswith("data/claims.csv, claim wang-001: ") and message in text, text


def test_a_check_needs_an_expression_and_none_must_not_have_one():
    with pytest.raises(audit.CheckError, match="needs a check expression"):
        audit.evaluate(registry([row("wang-001", 1, "data", "", "0.1", "error")]))
    with pytest.raises(audit.CheckError, match="'none' but a check is given"):
        audit.evaluate(registry([row("wang-001", 1, "none", "1")]))


def test_tolerance_is_relative_with_a_percent_sign_and_absolute_without():
    assert audit.within(101, 100, "1%") and not audit.within(101.5, 100, "1%")
    assert audit.within(100.05, 100, "0.05") and not audit.within(100.2, 100, "0.05")


def test_a_bad_verdict_in_the_registry_is_refused_with_line_and_column(data_copy):
    path = data_copy / "claims.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[5][COLUMNS.index("verdict")] = "probably-fine"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(data.DataError, match=r"claims\.csv, line 6, column 'verdict'.*probably-fine"):
        data.claims(data_copy)


# ---- the registry -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def evaluated() -> pd.DataFrame:
    return audit.evaluate(data.claims())


def test_every_stored_verdict_is_the_computed_one(evaluated):
    wrong = evaluated[evaluated["verdict"] != evaluated["computed_verdict"]]
    assert wrong.empty, (
        "stored verdicts differ from the recomputed ones:\n"
        + wrong[["claim_id", "value", "expected", "verdict", "computed_verdict"]].to_string()
    )


def test_registry_covers_all_five_documents_with_over_200_claims(evaluated):
    assert len(evaluated) > 200
    assert set(evaluated["source"]) == set(audit.DOCUMENTS)


def test_errors_and_inconsistencies_explain_themselves(evaluated):
    flagged = evaluated[evaluated["verdict"].isin(["error", "inconsistent"])]
    assert (flagged["note"].str.len() > 20).all(), flagged[flagged["note"].str.len() <= 20]["claim_id"].tolist()


def test_quotes_are_short(evaluated):
    long = evaluated[evaluated["quote"].str.split().str.len() > 25]
    assert long.empty, long["claim_id"].tolist()


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the five source documents are not redistributed with the book")
def test_quotes_are_verbatim_and_contain_the_figure(evaluated):
    squash = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    texts = {p.name: squash(p.read_text(encoding="utf-8")) for p in SOURCES.glob("00*.txt")}
    missing = [r.claim_id for r in evaluated.itertuples() if squash(r.quote) not in texts[r.document]]
    assert not missing, f"quotes not found verbatim in their document: {missing[:20]}"


def test_every_claim_cited_in_the_book_exists_and_pages_are_found():
    used = audit.used_in(audit.book_pages(REPO), REPO)
    unknown = set(used) - set(data.claims()["claim_id"])
    assert not unknown, f"pages cite claims that are not in data/claims.csv: {sorted(unknown)}"
    assert any(p.startswith("chapters/") for pages in used.values() for p in pages)


def test_bounds_check_more_than_and_nearly():
    assert audit.within(50, 57.9, ">") and not audit.within(50, 49, ">")
    assert audit.within(50, 49.7, "<") and not audit.within(50, 50.2, "<") and not audit.within(50, 40, "<")


def test_timeline_events_point_to_existing_claims_and_run_forwards(data_copy):
    events = data.timeline()
    ids = set(data.claims()["claim_id"])
    cited = {c for cell in events["claims"] for c in cell.split()}
    assert cited and cited <= ids, sorted(cited - ids)
    assert events["start"].min() < 1900 and events["end"].max() >= 2024
    path = data_copy / "timeline.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("1858,1858", "1858,1857", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"timeline\.csv, line 2: 'end' \(1857\) is before 'start' \(1858\)"):
        data.timeline(data_copy)


def test_claims_table_prints_each_quote_once_and_links_later_rows_to_it():
    from helpers import tables

    frame = registry([row("wang-001", 1), row("wang-002", 2), row("wang-003", 3)])
    frame.loc[2, "quote"] = "another quote"
    html_out = tables.claims_html(audit.evaluate(frame), {}, audit.DOCUMENTS)
    assert html_out.count("“q”") == 1 and html_out.count("“another quote”") == 1
    assert 'same quote as <a href="#claim-wang-001">wang-001</a>' in html_out
    assert all(f'id="claim-wang-00{i}"' in html_out for i in (1, 2, 3))
