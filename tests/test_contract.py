"""The stated-figures contract: nbval fails when a figure in a notebook no longer matches its data.

A copy of the fixture notebook gets a doctored stored value for its glued figure; nbval must reject
it. (If this test ever passes with the doctored copy accepted, the book's check on prose is gone.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "offline_fixture.ipynb"


def run_nbval(notebook: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--nbval", "-p", "no:cacheprovider", str(notebook)],
        capture_output=True,
        text=True,
        cwd=notebook.parent,
    )


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


def test_the_toc_header_names_only_files_that_exist():
    """The comment at the top of _toc.yml lists the book's files; every one it names is there."""
    header = "\n".join(
        line for line in (REPO / "_toc.yml").read_text(encoding="utf-8").splitlines() if line.startswith("#")
    )
    named = re.findall(r"\b(?:chapters|teaching|appendix)/[\w.]+|\bintro\.md\b", header)
    assert len(named) >= 8, header
    missing = [
        name for name in named if not (REPO / name).exists() and not (REPO / name).with_suffix(".ipynb").exists()
    ]
    assert not missing, f"_toc.yml's header names files that do not exist: {missing}"
