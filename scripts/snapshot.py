"""Record what a refactor must not change: every glued figure and every chart spec the notebooks make.

Usage:
    python scripts/snapshot.py OUT.json NOTEBOOK [NOTEBOOK ...]   run each notebook in memory, record
    python scripts/snapshot.py --compare BEFORE.json AFTER.json   list every difference (exit 1 if any)

Notebooks are executed in memory (``scripts/execute.py``'s ``run``): no notebook file is rewritten.
A glued figure is an output carrying ``metadata.scrapbook`` (what ``{glue:text}`` pastes into prose);
a chart is an output with a Vega-Lite MIME type (the spec the page draws). Both are recorded whole.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from execute import run

VEGALITE = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")


def record(notebook) -> dict:
    """{"glued": {name: data}, "charts": [spec, ...]} from a notebook's outputs, in cell order."""
    glued, charts = {}, []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = data
            charts += [data[key] for key in data if VEGALITE.match(key)]
    return {"glued": glued, "charts": charts}


def compare(before: dict, after: dict) -> list[str]:
    problems = []
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        if old is None or new is None:
            problems.append(f"{path}: recorded only {'after' if old is None else 'before'}")
            continue
        for name in sorted(old["glued"].keys() | new["glued"].keys()):
            if old["glued"].get(name) != new["glued"].get(name):
                problems.append(f"{path}: glued {name!r}: {old['glued'].get(name)} -> {new['glued'].get(name)}")
        if len(old["charts"]) != len(new["charts"]):
            problems.append(f"{path}: {len(old['charts'])} charts before, {len(new['charts'])} after")
        for i, (a, b) in enumerate(zip(old["charts"], new["charts"]), 1):
            if a != b:
                problems.append(f"{path}: chart {i} spec differs")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[1:3])
        problems = compare(before, after)
        figures = sum(len(v["glued"]) for v in before.values())
        charts = sum(len(v["charts"]) for v in before.values())
        print(
            f"compared {len(before)} notebooks: {figures} glued figures, {charts} chart specs before; "
            f"{len(problems)} difference(s)"
        )
        print("\n".join(problems))
        return 1 if problems else 0
    out, notebooks = Path(argv[0]), argv[1:]
    snapshot = {}
    for name in notebooks:
        nb, seconds = run(Path(name))
        snapshot[name] = record(nb)
        print(
            f"  {name}: {len(snapshot[name]['glued'])} glued, {len(snapshot[name]['charts'])} charts ({seconds:.0f} s)",
            flush=True,
        )
    out.write_text(json.dumps(snapshot, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
