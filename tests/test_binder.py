"""Binder installs the reader's runtime only, and never re-pins the Jupyter server's own packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVER = {
    "tornado",
    "traitlets",
    "jupyter-client",
    "jupyter-core",
    "ipykernel",
    "ipython",
    "pyzmq",
    "jupyter-server",
    "jupyterlab",
    "jupyterlab-server",
    "notebook",
    "nbformat",
    "nbclient",
}
TOOLS = {
    "pytest",
    "nbval",
    "playwright",
    "axe-playwright-python",
    "pypdf",
    "jupyter-book",
    "uv",
    "sphinx",
    "sphinx-exercise",
    "sphinxcontrib-bibtex",
    "myst-nb",
    "vl-convert-python",
    "fonttools",
}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins(text: str) -> dict[str, str]:
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    return {_name(line): line.split("==", 1)[1].strip() if "==" in line else "" for line in lines if line}


def test_binder_installs_the_runtime_at_the_locked_versions_and_nothing_of_the_server():
    binder = (REPO / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert not re.search(r"^\s*-[rc]\b", binder, re.M), "binder must not include the full lock (test tools, server)"
    pins = _pins(binder)
    runtime = {_name(r) for r in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]}
    assert set(pins) == runtime | {"jupyterlab-myst"}, set(pins) ^ (runtime | {"jupyterlab-myst"})
    assert not set(pins) & (SERVER | TOOLS)
    lock = _pins(re.sub(r"\\\n\s*--hash=\S+", "", (REPO / "requirements-lock.txt").read_text()))
    for name, version in pins.items():
        assert version and lock.get(name) == version, f"binder pins {name}=={version}; the lock has {lock.get(name)}"


def test_postbuild_installs_the_package_without_touching_dependencies():
    commands = [
        line
        for line in (REPO / "binder" / "postBuild").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    installs = [line for line in commands if "pip install" in line]
    assert installs and all("--no-deps" in line for line in installs), installs
