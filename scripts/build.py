"""Build the book into a staging folder and move it into place only if the build succeeded.

Usage: python scripts/build.py [--strict] [--site _build/html] [--work _build/work] [--book .]

``jupyter-book build`` writes straight into ``_build/html``, so a build that fails, or is interrupted,
leaves a site that looks complete but is not (a failed strict build with ``--keep-going`` still writes
every page; an interrupted build followed by another one indexes only the pages the second one wrote).
Here the HTML is built in ``WORK/_build/html``, emptied first, and only a build that exits 0 replaces
``SITE`` (by two renames: the published folder is never a mix of old and new pages).
A failed build leaves ``SITE`` as it was and says so. The doctrees stay in ``WORK/_build/.doctrees``, so
``make book`` re-reads only the pages that changed.

``--strict`` is the test build: warnings are errors (``-W -n --keep-going``) and every page is re-read
from a fresh environment (``--all``), so a warning printed by an earlier build is raised again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def build(book: Path, site: Path, work: Path, strict: bool) -> int:
    staged = work / "_build" / "html"
    shutil.rmtree(staged, ignore_errors=True)  # never build on top of an earlier (maybe partial) site
    command = [str(BIN / "jupyter-book"), "build", str(book), "--builder", "html", "--path-output", str(work)]
    if strict:
        command += ["--warningiserror", "--nitpick", "--keep-going", "--all"]
    run = subprocess.run(command)
    if run.returncode != 0 or not (staged / "index.html").exists():
        shutil.rmtree(staged, ignore_errors=True)
        state = f"{site} still holds the previous successful build" if site.exists() else f"there is no site at {site}"
        print(f"==> [build] FAILED (exit {run.returncode}); nothing was published: {state}.", file=sys.stderr)
        return run.returncode or 1
    site.parent.mkdir(parents=True, exist_ok=True)
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.rename(site, old)
    os.rename(staged, site)
    shutil.rmtree(old, ignore_errors=True)
    print(f"==> [build] published {site}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="-W -n --keep-going --all (the test build)")
    parser.add_argument("--book", type=Path, default=Path("."))
    parser.add_argument("--site", type=Path, default=Path("_build/html"))
    parser.add_argument("--work", type=Path, default=Path("_build/work"))
    args = parser.parse_args(argv)
    return build(args.book, args.site, args.work, args.strict)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
