"""Benchmark the book on this machine (`make bench`). Prints tables; asserts nothing.

Measures: set-up from a fresh clone, a clean `jb build`, a rebuild after editing one page's prose,
re-executing every notebook vs. the bare floor (kernel start + library imports), the test suite,
the weight of every page (HTML + the scripts, styles and data it loads), and Lighthouse's mobile
performance audit of every page, compared with the goals of issue 23.

`scripts/bench.py --lighthouse` (or `make bench ARGS=--lighthouse`) runs only the Lighthouse part, on
the site already built in _build/html.

Lighthouse is the npm package pinned in tools/bench/package.json (+ package-lock.json), installed by
`make bench` with `npm ci`; it drives Debian's Chromium (CHROME_PATH), with its default mobile preset
(a mid-range phone, simulated slow 4G, 4x CPU slowdown). The site is served by a localhost server that
compresses and caches as a static host does (``helpers.site.browser``, ``static_host=True``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from execute import execute  # scripts/ is on the path of a script run from there

from helpers.site import browser as sitecheck

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"

GOALS = {"clean build": 60, "one-page rebuild": 10, "make test (fresh clone)": 600}
# Issue 23: every page on Lighthouse mobile (compressed, cached static server).
LH_GOALS = {"performance": 90, "lcp_s": 2.5, "tbt_ms": 200, "cls": 0.1, "kib": 400}
LIGHTHOUSE = REPO / "tools" / "bench" / "node_modules" / "lighthouse" / "cli" / "index.js"
FLOOR_CELL = "import pandas, altair, ipywidgets\nfrom helpers import charts, data, figures, widgets"


def timed(cmd: list[str] | str, cwd: Path = REPO, shell: bool = False) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, shell=shell, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def jb_build(cwd: Path = REPO) -> float:
    return timed([str(BIN / "jupyter-book"), "build", ".", "--builder", "html"], cwd=cwd)


def notebooks() -> list[Path]:
    return sorted(
        [*REPO.glob("chapters/*.ipynb"), *REPO.glob("appendix/*.ipynb"), *REPO.glob("tests/fixtures/*.ipynb")]
    )


def execution_times(tmp: Path) -> tuple[float, float]:
    import nbformat

    total = floor = 0.0
    for nb in notebooks():
        copy = nb.parent / f".bench-{nb.name}"  # same folder: relative paths keep working
        shutil.copy2(nb, copy)
        try:
            total += execute(copy)
        finally:
            copy.unlink()
        bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CELL)])
        bare.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = tmp / f"floor-{nb.stem}.ipynb"
        nbformat.write(bare, path)
        floor += execute(path)
    return total, floor


def page_weights(site: Path) -> list[tuple[str, int, int]]:
    """(page, bytes fetched on a first visit, bytes without the shared Vega bundle) for every page.

    Measured in Chromium: every response body the page actually loads (HTML, scripts, styles, fonts,
    data), before compression.
    """
    from playwright.sync_api import sync_playwright

    rows = []
    with sitecheck.serve(site) as url, sync_playwright() as playwright:
        browser = sitecheck.launch(playwright)
        for name in sitecheck.pages(site):
            with sitecheck.browser_page(browser, "desktop") as page:
                sizes: dict[str, int] = {}
                page.on(
                    "requestfinished",
                    lambda req, sizes=sizes: sizes.__setitem__(
                        req.url, len(req.response().body()) if req.response() else 0
                    ),
                )
                page.goto(url + name, wait_until="networkidle")
                total = sum(sizes.values())
                vega = sum(n for u, n in sizes.items() if "vega-bundle" in u)
                rows.append((name, total, total - vega))
        browser.close()
    return rows


def lighthouse_page(url: str, out: Path) -> dict:
    """One Lighthouse mobile run (performance only); the numbers of the issue-23 table."""
    import os

    flags = " ".join(["--headless=new", *[a for a in sitecheck.CHROMIUM_ARGS if a != "--headless"]])
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={flags}",
            "--quiet",
            "--max-wait-for-load=60000",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": sitecheck.CHROMIUM},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    num = lambda key: audits[key].get("numericValue") or 0  # noqa: E731
    return {
        "performance": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "fcp_s": num("first-contentful-paint") / 1000,
        "lcp_s": num("largest-contentful-paint") / 1000,
        "tbt_ms": num("total-blocking-time"),
        "cls": num("cumulative-layout-shift"),
        "kib": num("total-byte-weight") / 1024,
        "dom": int(num("dom-size")),
        "render_blocking": len(audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])),
    }


def meets(row: dict) -> list[str]:
    """The goals a row misses (empty list: all met)."""
    g = LH_GOALS
    checks = [
        ("performance", row["performance"] >= g["performance"]),
        ("LCP", row["lcp_s"] <= g["lcp_s"]),
        ("TBT", row["tbt_ms"] <= g["tbt_ms"]),
        ("CLS", row["cls"] <= g["cls"]),
        ("transfer", row["kib"] <= g["kib"]),
    ]
    return [name for name, ok in checks if not ok]


def lighthouse_table(site: Path) -> list[dict]:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make bench` (it runs npm ci in tools/bench)")
    rows = []
    header = (
        f"  {'page':<32} {'perf':>4} {'FCP':>6} {'LCP':>6} {'TBT':>7} {'CLS':>5} {'transfer':>10}"
        f" {'DOM':>6} {'block':>5}  goal"
    )
    print(header, flush=True)
    reports = REPO / "_build" / "lighthouse"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    with sitecheck.serve(site, static_host=True) as url:
        for name in sitecheck.pages(site):
            out = reports / (name.replace("/", "__").removesuffix(".html") + ".json")
            row = {"page": name, **lighthouse_page(url + name, out)}
            missed = meets(row)
            row["missed"] = missed
            rows.append(row)
            print(
                f"  {name:<32} {row['performance']:>4} {row['fcp_s']:>5.1f}s {row['lcp_s']:>5.1f}s"
                f" {row['tbt_ms']:>5.0f}ms {row['cls']:>5.2f} {row['kib']:>6.0f} KiB {row['dom']:>6}"
                f" {row['render_blocking']:>5}  {'met' if not missed else 'short: ' + ', '.join(missed)}",
                flush=True,
            )
    g = LH_GOALS
    print(
        f"  goal: performance >= {g['performance']}, LCP <= {g['lcp_s']} s, TBT <= {g['tbt_ms']} ms, "
        f"CLS <= {g['cls']}, transfer <= {g['kib']} KiB   "
        f"({sum(not r['missed'] for r in rows)} of {len(rows)} pages meet all)"
    )
    out = REPO / "_build" / "lighthouse.json"
    out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(
        f"==> [bench] Lighthouse table written to {out.relative_to(REPO)}, full reports in {reports.relative_to(REPO)}/"
    )
    return rows


def main() -> int:
    if "--lighthouse" in sys.argv[1:]:
        print("==> [bench] Lighthouse 12, mobile preset, every page of _build/html (compressed, cached server)")
        lighthouse_table(REPO / "_build" / "html")
        return 0
    results: list[tuple[str, str, str]] = []

    def report(name: str, value: str, goal: str = "") -> None:
        results.append((name, value, goal))
        print(f"  {name:<38} {value:>14}  {goal}", flush=True)

    print("==> [bench] set-up from a fresh clone (git clone + make setup; pip cache may be warm)")
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        report("set-up (fresh clone)", f"{timed(['make', 'setup'], cwd=clone):.1f} s")

    print("==> [bench] builds")
    shutil.rmtree(REPO / "_build" / "html", ignore_errors=True)
    shutil.rmtree(REPO / "_build" / ".doctrees", ignore_errors=True)
    report("clean build", f"{jb_build():.1f} s", f"goal < {GOALS['clean build']} s")
    page = REPO / "intro.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original + "\n<!-- bench edit -->\n", encoding="utf-8")
        report("one-page rebuild (intro.md edited)", f"{jb_build():.1f} s", f"goal < {GOALS['one-page rebuild']} s")
    finally:
        page.write_text(original, encoding="utf-8")
        jb_build()

    print("==> [bench] notebook execution")
    with tempfile.TemporaryDirectory() as tmp:
        total, floor = execution_times(Path(tmp))
    n = len(notebooks())
    report(f"execute {n} notebooks", f"{total:.1f} s")
    report(f"floor: kernel + imports x {n}", f"{floor:.1f} s", f"overhead {total - floor:+.1f} s")

    print("==> [bench] test suite (without set-up)")
    start = time.perf_counter()
    run = subprocess.run(
        ["make", "--no-print-directory", "test-unit", "test-notebooks", "test-build", "test-site"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    report("make test (after set-up)", f"{seconds:.1f} s", "" if run.returncode == 0 else "TESTS FAILED")

    print("==> [bench] handouts (every chapter printed to PDF by headless Chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "scripts/handouts.py", "_build/html", tmp], cwd=REPO, check=True, stdout=subprocess.DEVNULL
        )
        pdfs = sorted(Path(tmp).glob("*.pdf"))
        report(
            f"print {len(pdfs)} handouts",
            f"{time.perf_counter() - start:.1f} s",
            f"largest {max(p.stat().st_size for p in pdfs) / 1e6:.2f} MB" if pdfs else "none",
        )

    print("==> [bench] page weight (bytes before compression)")
    weights = page_weights(REPO / "_build" / "html")
    for name, first, without_vega in weights:
        report(f"page {name}", f"{first / 1e6:.2f} MB", f"{without_vega / 1e6:.2f} MB without the Vega bundle")
    heaviest = max(w[2] for w in weights)
    report("heaviest page (Vega bundle cached)", f"{heaviest / 1e6:.2f} MB", "goal < 1.5 MB")
    report("heaviest first visit (all assets)", f"{max(w[1] for w in weights) / 1e6:.2f} MB")

    print("==> [bench] Lighthouse 12, mobile preset, every page (compressed, cached server)")
    lighthouse_table(REPO / "_build" / "html")

    out = REPO / "_build" / "bench.json"
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\n==> [bench] table written to {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
