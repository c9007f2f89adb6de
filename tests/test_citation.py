"""CITATION.cff is valid, and its conversions (BibTeX, CodeMeta, Zenodo) are valid too.

cffconvert runs in a virtual environment of its own (its jsonschema<4 conflicts with the book's lock),
installed offline from the wheels `make wheelhouse` built from tests/cffconvert-requirements.txt.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WHEELS = Path(os.environ.get("DONGBEI_WHEELHOUSE", REPO / "_build" / "wheelhouse")) / "cffconvert"
CFF = REPO / "CITATION.cff"


@pytest.fixture(scope="module")
def cffconvert(tmp_path_factory):
    if not any(WHEELS.glob("cffconvert-*.whl")):
        pytest.fail(f"no cffconvert wheels in {WHEELS}: run `make wheelhouse` (make test does) first")
    venv = tmp_path_factory.mktemp("cff") / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    subprocess.run(
        [
            venv / "bin" / "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            WHEELS,
            "-r",
            REPO / "tests" / "cffconvert-requirements.txt",
        ],
        check=True,
        env=env,
    )

    def run(*args: str) -> str:
        done = subprocess.run([venv / "bin" / "cffconvert", "-i", CFF, *args], capture_output=True, text=True)
        assert done.returncode == 0, f"cffconvert {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout

    return run


def test_citation_cff_is_valid(cffconvert):
    assert "valid" in cffconvert("--validate").lower()


def test_bibtex(cffconvert):
    bib = cffconvert("-f", "bibtex")
    assert re.match(r"\s*@misc\{[^,\s]+,", bib), bib
    cff = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    fields = dict(re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\}", bib, re.M))
    assert fields.get("title") == cff["title"] and fields.get("year") == cff["date-released"][:4], fields
    assert cff["authors"][0]["name"] in fields.get("author", ""), fields
    assert bib.count("{") == bib.count("}"), "unbalanced braces"


def test_codemeta(cffconvert):
    meta = json.loads(cffconvert("-f", "codemeta"))
    assert meta["@context"].startswith("https://doi.org/10.5063/schema/codemeta-2.0")
    assert meta["@type"] == "SoftwareSourceCode" and meta["name"].startswith("Why the Northeast")
    assert meta["codeRepository"] == "https://github.com/dongbei-explainer/dongbei-explainer"
    assert meta["author"] and meta["license"] == "https://spdx.org/licenses/MIT"  # one SPDX id, not a list


def test_zenodo(cffconvert):
    zenodo = json.loads(cffconvert("-f", "zenodo"))
    assert zenodo["title"].startswith("Why the Northeast") and zenodo["creators"]
    assert all(c.get("name") for c in zenodo["creators"])
    assert zenodo["license"] == {
        "id": "MIT"
    }  # Zenodo takes one licence id and zenodo["publication_date"] == "2026-11-24"
    assert zenodo["description"] and zenodo["version"]
