"""Recompute the sources-audit verdicts (`make audit`).

Usage: python scripts/audit.py [--write]

Prints every claim whose stored verdict differs from the one its check computes now. With --write,
stores the computed verdicts in data/claims.csv (review the diff: a verdict that turns to `error` or
`inconsistent` needs a note saying why, with the likely correct value).
"""

from __future__ import annotations

import csv
import sys

from helpers import audit, data


def main(argv: list[str]) -> int:
    claims = data.claims()
    evaluated = audit.evaluate(claims)
    stale = evaluated[evaluated["verdict"] != evaluated["computed_verdict"]]
    counts = evaluated["computed_verdict"].value_counts()
    print(f"{len(evaluated)} claims: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for r in stale.itertuples():
        print(
            f"  {r.claim_id}: stored {r.verdict!r}, computed {r.computed_verdict!r} "
            f"(value {r.value:g}, check gives {r.expected if r.expected is None else format(r.expected, 'g')})"
        )
    if stale.empty:
        print("all stored verdicts are current")
        return 0
    if "--write" not in argv:
        print("run with --write to store the computed verdicts")
        return 1
    path = data.DATA_DIR / "claims.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    computed = dict(zip(evaluated["claim_id"], evaluated["computed_verdict"]))
    for row in rows:
        row["verdict"] = computed[row["claim_id"]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(stale)} updated verdict(s) to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
