"""The sources audit: every quantitative claim in the five source documents, checked in code.

The registry is ``data/claims.csv`` (validated by Frictionless like every table; load it with
:func:`helpers.data.claims`). Each row names a check:

``check_method``
    ``none`` (nothing to check against: verdict ``unverifiable``), ``recompute`` (from the same
    document's own numbers), ``cross-document`` (the same quantity in another of the five documents),
    or ``data`` (the book's sourced data).
``check``
    an arithmetic expression giving the value the claim should have. It may use ``c("wang-012")`` (the
    value of another claim), ``v("series", "Province", year)`` (a figure from the book's data; the
    province ``"Northeast"`` sums the three provinces where one source covers all three) and
    ``rank("series", "Province", year)`` (1 = highest of the 31 provinces), with numbers, + − × ÷,
    ``**``, ``abs``, ``round``, ``min``, ``max``. Nothing else is evaluated, and evaluation is bounded
    (float arithmetic, exponents up to 100, finite results), so every check returns at once.
``tolerance``
    how close the claim must be: ``"0.5%"`` (relative) or ``"0.05"`` (absolute, in the claim's unit);
    for a bound ("more than half", "nearly 11 trillion") ``">"`` means the computed value must exceed
    the stated one and ``"<"`` that it must fall short of it (and be within 10% of it).
``on_fail``
    the verdict when the claim is outside the tolerance: ``error`` (arithmetic, another document or the
    data shows it is wrong) or ``inconsistent`` (it disagrees, but a difference of definition, year or
    rounding may explain it).

:func:`evaluate` recomputes every verdict; the tests require the stored ``verdict`` to match, so a
changed number or a changed rule shows up.
"""

from __future__ import annotations

import ast
import json
import math
import operator
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from simpleeval import InvalidExpression, SimpleEval

from helpers import data
from helpers.formulas import province_ranks
from helpers.regions import NORTHEAST, NORTHEAST_LABEL

PASS = {"recompute": "recomputed-ok", "cross-document": "consistent", "data": "consistent"}
DOCUMENTS = {
    "koh2017exodus": "CNA (Koh, c. 2017)",
    "leng2019braindrain": "SCMP (Leng, 2019)",
    "yu2024rust": "NewsChina (Yu and Xie, 2024)",
    "wei2025talent": "Wei (2025), journal paper",
    "wang2023revitalize": "Wang (2023), essay",
}
CLAIM_ROLE = re.compile(r"\{claim\}`([a-z]+-\d{3})`")


class CheckError(ValueError):
    """A check expression that cannot be evaluated; the message names the claim."""


# Bounds that make every check finish at once: arithmetic is done in floats (no unbounded integers), an
# exponent may not exceed MAX_EXPONENT in size, a result must be a finite number, and a check is short.
# (``9**9**9`` or ``10**400`` would otherwise hang or overflow; no real check comes near these limits.)
MAX_EXPONENT = 100
MAX_ROUND_DIGITS = 15
MAX_CHECK_LENGTH = 1000


def _number(x) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise CheckError(f"arithmetic needs numbers, got {x!r}")
    try:
        return _finite(float(x))
    except OverflowError:
        raise CheckError("a value is out of range (beyond ±1.8e308)") from None


def _finite(x) -> float:
    if not isinstance(x, float) or not math.isfinite(x):
        raise CheckError(f"a value is out of range: {x!r}")
    return x


def _power(base, exponent) -> float:
    base, exponent = _number(base), _number(exponent)
    if abs(exponent) > MAX_EXPONENT:
        raise CheckError(f"exponent {exponent:g} is too large (at most {MAX_EXPONENT})")
    try:
        return base**exponent
    except OverflowError:
        raise CheckError(f"a value is out of range: {base:g} ** {exponent:g}") from None


def _round(x, digits=0) -> float:
    if isinstance(digits, bool) or not isinstance(digits, int) or abs(digits) > MAX_ROUND_DIGITS:
        raise CheckError(f"round() takes a whole number of digits up to {MAX_ROUND_DIGITS}, got {digits!r}")
    return round(_number(x), digits)


def _extreme(pick):
    def function(*args):
        if not args:
            raise CheckError(f"{pick.__name__}() needs at least one number")
        return pick(_number(a) for a in args)

    return function


def _arithmetic(op):
    """A binary operator on numbers only, with a finite float result."""
    return lambda a, b: _finite(op(_number(a), _number(b)))


# What a check may use: simpleeval evaluates the expression with only these operators, these functions,
# no names, and only the syntax in EVALUATED_NODES (no attributes, subscripts, comparisons or f-strings).
OPERATORS = {
    ast.Add: _arithmetic(operator.add),
    ast.Sub: _arithmetic(operator.sub),
    ast.Mult: _arithmetic(operator.mul),
    ast.Div: _arithmetic(operator.truediv),
    ast.Pow: lambda a, b: _finite(_power(a, b)),
    ast.USub: lambda x: -_number(x),
    ast.UAdd: lambda x: +_number(x),
}
FUNCTIONS = {"abs": lambda x: abs(_number(x)), "round": _round, "min": _extreme(min), "max": _extreme(max)}
EVALUATED_NODES = (ast.Expr, ast.Constant, ast.BinOp, ast.UnaryOp, ast.Call)


class _Context:
    def __init__(self, claims: pd.DataFrame, data_dir=None):
        self.values = dict(zip(claims["claim_id"], claims["value"]))
        self.data_dir = data_dir
        self._series: dict[str, pd.Series] = {}

    def series(self, name: str) -> pd.Series:
        if name not in self._series:
            frame = data.series(name, self.data_dir)
            parts = [frame[["province", "year", "value"]]]
            if NORTHEAST_LABEL not in set(frame["province"]):  # derived shares already carry their own
                parts.append(data.northeast_total(frame[frame["province"].isin(NORTHEAST)]))
            both = pd.concat(parts, ignore_index=True)
            self._series[name] = both.set_index(["province", "year"])["value"]
        return self._series[name]

    def c(self, claim_id: str) -> float:
        if claim_id not in self.values:
            raise CheckError(f"refers to unknown claim {claim_id!r}")
        return float(self.values[claim_id])

    def v(self, name: str, province: str, year: int) -> float:
        s = self.series(name)
        if (province, year) not in s.index:
            raise CheckError(f"the book's data has no {name} for {province} in {year}")
        return float(s[(province, year)])

    def rank(self, name: str, province: str, year: int) -> float:
        s = self.series(name)
        year_rows = s[s.index.get_level_values("year") == year].reset_index()
        ranks = province_ranks(year_rows).set_index(["province", "year"])["value"]
        if ranks.empty:
            held = year_rows["province"].isin(data.provinces(self.data_dir)["province"]).sum()
            raise CheckError(f"{name} has {held} provinces in {year}, not 31: no rank")
        return float(ranks[(province, year)])


def _evaluator(ctx: _Context) -> SimpleEval:
    evaluator = SimpleEval(
        operators=OPERATORS, names={}, functions={"c": ctx.c, "v": ctx.v, "rank": ctx.rank, **FUNCTIONS}
    )
    evaluator.nodes = {kind: handler for kind, handler in evaluator.nodes.items() if kind in EVALUATED_NODES}
    return evaluator


def expected_value(check: str, ctx: _Context) -> float:
    if len(check) > MAX_CHECK_LENGTH:
        raise CheckError(f"the check is {len(check)} characters long (at most {MAX_CHECK_LENGTH})")
    try:
        return _number(_evaluator(ctx).eval(check))
    except SyntaxError as exc:
        raise CheckError(f"cannot parse {check!r}: {exc.msg}") from None
    except InvalidExpression as exc:
        raise CheckError(f"not allowed in a check: {exc}") from None


def within(value: float, expected: float, tolerance: str) -> bool:
    tolerance = str(tolerance).strip()
    if tolerance == ">":
        return expected > value
    if tolerance == "<":
        return value * 0.9 <= expected < value
    if tolerance.endswith("%"):
        return abs(value - expected) <= abs(expected) * float(tolerance[:-1]) / 100
    return abs(value - expected) <= float(tolerance)


def evaluate(claims: pd.DataFrame, data_dir=None) -> pd.DataFrame:
    """``claims`` with ``expected`` (the value the check computes) and ``computed_verdict``.

    Raises :class:`CheckError` naming the claim when a check cannot be evaluated or is malformed.
    """
    ctx = _Context(claims, data_dir)
    expected, verdicts = [], []
    for row in claims.itertuples(index=False):
        where = f"data/claims.csv, claim {row.claim_id}"
        if row.check_method == "none":
            if isinstance(row.check, str) and row.check.strip():
                raise CheckError(f"{where}: check_method is 'none' but a check is given")
            expected.append(None)
            verdicts.append("unverifiable")
            continue
        if not isinstance(row.check, str) or not row.check.strip():
            raise CheckError(f"{where}: check_method {row.check_method!r} needs a check expression")
        try:
            value = expected_value(row.check, ctx)
        except (CheckError, ArithmeticError, TypeError, ValueError, RecursionError) as exc:
            raise CheckError(f"{where}: {exc}") from None
        expected.append(value)
        ok = within(float(row.value), value, row.tolerance)
        verdicts.append(PASS[row.check_method] if ok else row.on_fail)
    return claims.assign(expected=expected, computed_verdict=verdicts)


def used_in(pages: list[Path], root: Path) -> dict[str, list[str]]:
    """Claim id → the book pages (docnames, without suffix) that cite it with the ``{claim}`` role."""
    found: dict[str, list[str]] = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.suffix == ".ipynb":
            nb = json.loads(text)
            text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        doc = page.relative_to(root).with_suffix("").as_posix()
        for claim_id in CLAIM_ROLE.findall(text):
            found.setdefault(claim_id, [])
            if doc not in found[claim_id]:
                found[claim_id].append(doc)
    return found


def book_pages(root: Path) -> list[Path]:
    return sorted(
        [
            *root.glob("chapters/*.ipynb"),
            *root.glob("appendix/*.ipynb"),
            *root.glob("*.md"),
            *root.glob("teaching/*.md"),
        ]
    )


@lru_cache(maxsize=1)
def claim_ids(path: str) -> frozenset[str]:
    """The claim ids in a registry file (for the Sphinx role; read without validation, which the
    tests and the loader do)."""
    frame = pd.read_csv(path, usecols=["claim_id"], dtype=str)
    return frozenset(frame["claim_id"])
