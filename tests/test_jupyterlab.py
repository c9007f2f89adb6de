"""Every notebook opens in a plain JupyterLab without freezing the tab, its charts drawn and its prose rendered.

A headless JupyterLab (pinned in requirements.txt, test only, with jupyterlab-myst as on Binder) serves a
copy of the notebooks from a temporary folder with a fresh workspace and settings; Debian's Chromium,
driven by Playwright, opens each one, scrolls to its last cell, and must still answer a script within
a few seconds (a chart with ``width: "container"`` used to lock the tab there). Then every stored chart
must be drawn by JupyterLab's own Vega (which warns in the console when a spec names a newer
Vega-Lite than it bundles), and no MyST role may show as raw text. Every request to another host is
blocked and fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import first_cell  # noqa: E402

NOTEBOOKS = first_cell.notebooks()
TOKEN = "dongbei-test"
ANSWER_WITHIN_MS = 10_000
SHOTS = REPO / "_build" / "screenshots"
RAW_ROLES = ("{glue:text}`", "{term}`", "{cite}`", "{cite:p}`", "{cite:t}`", "{claim}`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    notebooks = root / "notebooks"
    for path in NOTEBOOKS:
        dest = notebooks / path.relative_to(REPO)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
    home = root / "home"
    home.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_DATA_DIR": str(home / "data"),
    }
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={notebooks}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--allow-root",
        "--LabApp.news_url=",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 120:
                    pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _stored_charts(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(
        1
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if any(k.startswith("application/vnd.vegalite") for k in o.get("data", {}))
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_opens_in_jupyterlab_without_freezing(lab, browser, path):
    name = path.relative_to(REPO).as_posix()
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    console: list[str] = []
    foreign: list[str] = []

    def on_route(route):
        if route.request.url.startswith(("data:", "blob:", "http://127.0.0.1", "ws://127.0.0.1")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", on_route)
    page = context.new_page()
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    try:
        started = time.perf_counter()
        page.goto(f"{lab}/lab/tree/{name}?reset&token={TOKEN}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_function(
            "() => document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')", timeout=60_000
        )
        page.wait_for_timeout(3000)  # jupyterlab-myst renders the prose after the notebook opens
        # Scroll to the last cell step by step, as a reader does; outputs are laid out as they come into view
        # and the notebook grows. Every step runs in the page and must answer within the limit: a frozen
        # tab runs no script. Markdown seen on the way is checked for raw MyST roles.
        raw: set[int] = set()
        settled = 0
        for _ in range(150):
            step = page.wait_for_function(
                """(roles) => {
                const box = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
                const view = box.getBoundingClientRect();
                const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
                const raw = cells.map((c, i) => [c, i]).filter(([c]) => {
                    const r = c.getBoundingClientRect();
                    return c.classList.contains('jp-MarkdownCell') && r.bottom > view.top && r.top < view.bottom
                           && roles.some(role => c.innerText.includes(role)); }).map(([, i]) => i);
                const end = box.scrollTop + box.clientHeight >= box.scrollHeight - 2;
                box.scrollBy(0, box.clientHeight * 0.9);
                return {end, raw};
            }""",
                arg=list(RAW_ROLES),
                timeout=ANSWER_WITHIN_MS,
            ).json_value()
            raw.update(step["raw"])
            settled = settled + 1 if step["end"] else 0
            if settled >= 3:
                break
            page.wait_for_timeout(200)
        assert settled >= 3, f"{name}: never reached the last cell"
        page.wait_for_timeout(1000)  # the last charts are drawn now; the tab must still answer
        page.wait_for_function("() => true", timeout=ANSWER_WITHIN_MS)
        # A cell seen raw while the prose was still being rendered gets a second look, in view.
        still_raw = []
        for index in sorted(raw):
            page.evaluate("i => document.querySelectorAll('.jp-Notebook .jp-Cell')[i].scrollIntoView()", index)
            page.wait_for_timeout(2000)
            text = page.evaluate("i => document.querySelectorAll('.jp-Notebook .jp-Cell')[i].innerText", index)
            still_raw += [text[max(0, text.index(r) - 60) : text.index(r) + 40] for r in RAW_ROLES if r in text]
        seconds = time.perf_counter() - started
        expected = _stored_charts(path)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"jupyterlab-{path.stem}.png"))
        drawn = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedVegaCommon5')]
            .filter(e => e.querySelector('svg, canvas')).length""")
        assert drawn == expected, f"{name}: {drawn} of {expected} stored charts drawn by JupyterLab"
        vega_warnings = [m for m in console if "Vega" in m and ("version" in m or "error" in m.lower())]
        assert not vega_warnings, f"{name}: {vega_warnings}"
        assert not still_raw, f"{name}: MyST roles shown as raw text in JupyterLab: {still_raw}"
        assert not foreign, f"{name}: JupyterLab requested other hosts: {foreign[:5]}"
        print(f"\n{name}: {drawn} charts, opened and scrolled in {seconds:.1f} s")
    finally:
        context.close()


def _jupyterlab_output_limit() -> int:
    """JupyterLab's default ``maxNumberOutputs``, read from the schema of the JupyterLab installed here."""
    schema = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/notebook-extension/tracker.json"
    assert schema.exists(), f"{schema}: not found (is JupyterLab installed from requirements-lock.txt?)"
    return int(json.loads(schema.read_text(encoding="utf-8"))["properties"]["maxNumberOutputs"]["default"])


def _trimmed_outputs(notebook: dict, limit: int) -> list[str]:
    """Outputs a reader would see that JupyterLab hides behind "show more outputs" (those past ``limit`` in a
    cell). Glued figures (papermill records) render nothing there, but they count towards the limit."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        for number, output in enumerate(cell.get("outputs", [])):
            visible = output.get("output_type") in ("stream", "error") or any(
                not kind.startswith("application/papermill") for kind in output.get("data", {})
            )
            if number >= limit and visible:
                kinds = ", ".join(output.get("data", {})) or output["output_type"]
                found.append(f"cell {index}, output {number + 1} of {len(cell['outputs'])} ({kinds})")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_visible_output_is_trimmed_by_jupyterlab(path):
    """A cell that glues many figures and then draws a chart would hide the chart in JupyterLab (it shows
    only the first maxNumberOutputs outputs of a cell): glue in one cell, draw in the next."""
    limit = _jupyterlab_output_limit()
    trimmed = _trimmed_outputs(json.loads(path.read_text(encoding="utf-8")), limit)
    assert not trimmed, f"{path.relative_to(REPO)}: JupyterLab shows only {limit} outputs a cell; hidden: {trimmed}"


def test_the_trimming_check_catches_a_chart_after_many_figures():
    record = {"output_type": "display_data", "data": {"application/papermill.record/text/plain": "1"}}
    chart = {"output_type": "execute_result", "data": {"application/vnd.vegalite.v5+json": {}, "text/plain": ""}}
    notebook = {"cells": [{"cell_type": "code", "outputs": [record] * 3 + [chart]}]}
    assert _trimmed_outputs(notebook, 3) == ["cell 0, output 4 of 4 (application/vnd.vegalite.v5+json, text/plain)"]
    assert _trimmed_outputs(notebook, 4) == []
