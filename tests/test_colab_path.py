"""A notebook runs anywhere from its first cell: the Colab path, offline.

A fresh virtual environment (no system site-packages) holds only a kernel, as a Colab runtime holds
Python and ipykernel but not the book. The chapter's first cell must install the book's package and its
data; here it installs a wheel built from this checkout (``DONGBEI_PACKAGE``) and the runtime
dependencies from the wheelhouse that ``make wheelhouse`` downloaded at the locked versions, with
``pip --no-index``: nothing is fetched at test time. The chapter's next code cells then run in a temporary
folder, so the data can only come from the installed package, not from the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import first_cell  # noqa: E402

WHEELHOUSE = Path(os.environ.get("DONGBEI_WHEELHOUSE", REPO / "_build" / "wheelhouse"))
CHAPTER = REPO / "chapters" / "00_overview.ipynb"


def _pip_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "DONGBEI_", "VIRTUAL_ENV"))}
    # This machine's pip configuration (extra indexes, constraints) must not leak into the reader's runtime.
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(WHEELHOUSE),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        HOME=str(tmp / "home"),
    )
    return env


def _run(cmd: list, env: dict, timeout: int = 600) -> None:
    done = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


def test_a_chapter_runs_through_the_colab_path(tmp_path, monkeypatch):
    if not any(WHEELHOUSE.glob("pandas-*.whl")):
        pytest.fail(f"no wheelhouse at {WHEELHOUSE}: run `make wheelhouse` (make test does) first")
    started = time.perf_counter()
    env = _pip_env(tmp_path)
    (tmp_path / "home").mkdir()
    # The package as Colab gets it: a wheel built from the repository (here, this checkout).
    dist = tmp_path / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            dist,
            REPO,
        ],
        env,
    )
    wheel = next(dist.glob("dongbei_helpers-*.whl"))
    venv = tmp_path / "runtime"
    _run([sys.executable, "-m", "venv", venv], env)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "ipykernel"], env)  # what Colab has before the book
    assert subprocess.run([python, "-c", "import helpers"], env=env, capture_output=True).returncode != 0
    kernels = tmp_path / "jupyter" / "kernels" / "runtime"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "fresh runtime",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    set_up = time.perf_counter() - started

    nb = nbformat.read(CHAPTER, as_version=4)
    first_cell.apply(nb, first_cell.cell_source())  # the test of the notebooks themselves is test_first_cell
    code = [c for c in nb.cells if c.cell_type == "code"]
    # The first cell, then the chapter's code cells up to and including its first chart.
    upto = next(
        i
        for i, c in enumerate(code)
        if any(k.startswith("application/vnd.vegalite") for o in c.outputs for k in o.get("data", {}))
    )
    code = code[: upto + 1]
    stored = [[dict(o.get("data", {})) for o in c.outputs] for c in code]
    nb.cells = code
    work = tmp_path / "elsewhere"
    work.mkdir()
    kernel_env = {**env, "DONGBEI_PACKAGE": str(wheel)}
    client = NotebookClient(nb, timeout=600, kernel_name="runtime", resources={"metadata": {"path": str(work)}})
    client.execute(env=kernel_env)  # jupyter_client starts the kernel process with this environment
    seconds = time.perf_counter() - started

    printed = "".join(o.get("text", "") for o in code[0].outputs if o.output_type == "stream")
    assert "Installing the book's package and data from" in printed and wheel.name in printed
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    charts = [
        o for c in code for o in c.outputs if any(k.startswith("application/vnd.vegalite") for k in o.get("data", {}))
    ]
    assert charts, "the chapter's first chart did not come out of the fresh runtime"

    def glued(outs):
        return [d for o in outs for k, d in o.items() if k.startswith("application/papermill")]

    for cell, before in zip(code[1:], stored[1:]):  # the same stated figures as in the book's environment
        assert glued([dict(o.get("data", {})) for o in cell.outputs]) == glued(before), cell.source[:200]
    check = subprocess.run(
        [python, "-c", "import helpers.data as d; print(d.DATA_DIR)"], env=env, capture_output=True, text=True, cwd=work
    )
    assert str(venv) in check.stdout and "share/dongbei-helpers/data" in check.stdout, check
    print(
        f"\ncolab path: fresh venv and kernel in {set_up:.0f} s; the first {len(code)} code cells (install, "
        f"imports, figures, first chart) done at {seconds:.0f} s"
    )
