"""Unused CSS: the theme's and extensions' stylesheets lose the rules for classes the site never uses.

A small parser of its own (top-level rules and selector lists only): it never rewrites a rule, it only
keeps or drops whole rules, and keeps every at-rule it does not understand.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers.site.assets import site_texts

PURGE_MARK = "/* unused rules removed by helpers.site */\n"
PURGED_SHEETS = ("styles/pydata-sphinx-theme.css", "sphinx-design.min.css", "mystnb.*.css")
# Classes that scripts compose at run time (Bootstrap's "bs-tooltip-" + placement, state classes):
# rules naming them always stay.
KEEP_PREFIXES = (
    "bs-",
    "tooltip",
    "popover",
    "show",
    "fade",
    "collaps",
    "modal",
    "offcanvas",
    "dropdown",
    "active",
    "disabled",
    "focus",
    "hover",
    "was-",
    "is-",
    "pst-",
    "search",
    "theme",
    "sidebar",
)
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CSS_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any)\((?:[^()]|\([^()]*\))*\)")
WORD = re.compile(r"[_a-zA-Z][\w-]*")


def _split_rules(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs of a stylesheet; body without its braces. Comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, i, n = [], 0, len(css)
    while i < n:
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace < 0:
            break
        if 0 <= semi < brace and css[i:semi].lstrip().startswith("@"):  # @charset, @import, @layer a;
            out.append((css[i : semi + 1].strip(), None))
            i = semi + 1
            continue
        depth, j, quote = 1, brace + 1, None
        while j < n and depth:
            c = css[j]
            if quote:
                if c == "\\":
                    j += 1
                elif c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            j += 1
        out.append((css[i:brace].strip(), css[brace + 1 : j - 1]))
        i = j
    return out


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, c in enumerate(prelude):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(prelude[start:k])
            start = k + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def _purge(css: str, used: set[str]) -> str:
    """Drop the style rules whose every selector names a class that no page or script uses."""

    def needed(selector: str) -> bool:
        bare = CSS_FUNCTIONAL.sub("", re.sub(r"\[[^\]]*\]", "", selector))
        return all(c in used or c.startswith(KEEP_PREFIXES) for c in CSS_CLASS.findall(bare))

    kept = []
    for prelude, body in _split_rules(css):
        if body is None:
            kept.append(prelude)
        elif prelude.startswith("@"):
            if re.match(r"@(media|supports|layer|container)\b", prelude):
                inner = _purge(body, used)
                if inner.strip():
                    kept.append(f"{prelude}{{{inner}}}")
            else:  # @font-face, @keyframes, @page, @property: kept whole
                kept.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s for s in _split_selectors(prelude) if needed(s)]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(kept)


def purge_stylesheets(outdir: Path) -> None:
    """Remove the theme's and extensions' CSS rules for classes the site never uses.

    The theme's stylesheet bundles all of Bootstrap; on a phone, parsing it and matching its rules
    against every element is most of the main-thread work before the first paint. A rule stays if
    any of its selectors names only classes found in a built page or script (or composed at run time,
    ``KEEP_PREFIXES``); element, id and attribute selectors always stay. Runs on the fresh copies of
    each build (``scripts/build.py`` empties the output folder); a sheet already purged is left alone.
    """
    static = outdir / "_static"
    used: set[str] = set()
    for text in site_texts(outdir):
        used.update(WORD.findall(text))
    for pattern in PURGED_SHEETS:
        for sheet in static.glob(pattern):
            css = sheet.read_text(encoding="utf-8")
            if css.startswith(PURGE_MARK):
                continue
            sheet.write_text(PURGE_MARK + _purge(css, used), encoding="utf-8")
