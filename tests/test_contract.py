"""The stated-figures contract: nbval fails when a figure in a notebook no longer matches its data.

A copy of the fixture notebook gets a doctored stored value for its glued figure; nbval must reject
it. (If this test ever passes with the doctored copy accepted, the book's check on prose is gone.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "offline_fixture.ipynb"


def run_nbval(notebook: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "--nbval", "-p", "no:cacheprovider",
                           str(notebook)], capture_output=True, text=True, cwd=notebook.parent)


def test_nbval_rejects_a_doctored_key_figure():
    nb = json.loads(FIXTURE.read_text(encoding="utf-8"))
    doctored = False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and "fixture_ne_count" in "".join(out["text"]):
                out["text"] = ["".join(out["text"]).replace("fixture_ne_count  3", "fixture_ne_count  4")]
                doctored = True
    assert doctored, "fixture notebook has no Key figures output to doctor"
    copy = FIXTURE.parent / ".doctored_fixture.ipynb"
    copy.write_text(json.dumps(nb), encoding="utf-8")
    try:
        result = run_nbval(copy)
    finally:
        copy.unlink()
    assert result.returncode != 0, "nbval accepted a notebook whose stated figure no longer matches"
    assert "Cell outputs differ" in result.stdout and "ne_count  4" in result.stdout, result.stdout[-2000:]


def test_only_exercise_solutions_print_a_bare_value():
    """A cell that states figures ends with `_ = figures.state(...)`; without the `_ =`, the page (and the
    printed handout) shows a stray value in a box. Bare values are for exercise solutions only."""
    stray = []
    for notebook in sorted((REPO / "chapters").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            bare = [out for out in cell.get("outputs", []) if out.get("output_type") == "execute_result"
                    and set(out.get("data", {})) == {"text/plain"}]
            previous = "".join(cells[i - 1]["source"]) if i else ""
            if bare and "{solution-start}" not in previous:
                stray.append(f"{notebook.name} cell {i}: {''.join(bare[0]['data']['text/plain'])[:40]!r}")
    assert not stray, "stray outputs outside exercise solutions:\n" + "\n".join(stray)
