"""Print every chapter of the built site to a PDF handout with headless Chromium (`make handouts`).

Usage: python scripts/handouts.py [SITE_DIR] [OUT_DIR]   (defaults: _build/html, _build/handouts)

The printing is ``helpers.site.handouts.print_handouts`` (the tests call it too).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from helpers.site.handouts import print_handouts

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else REPO / "_build" / "html"
    out = Path(argv[1]) if len(argv) > 1 else REPO / "_build" / "handouts"
    start = time.perf_counter()
    written = print_handouts(site, out)
    for path in written:
        print(
            f"  {path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {path.stat().st_size / 1024:,.0f} KB"
        )
    print(f"==> [handouts] {len(written)} PDF(s) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
