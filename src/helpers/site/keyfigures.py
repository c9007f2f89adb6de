"""Key figures as a reader's table on the site.

In the notebook, ``figures.key_figures()`` prints a plain-text table (figure id, value, source) that nbval
compares exactly: it is the chapter's contract. On the site that table would show internal ids, so it is
replaced (``doctree-resolved``) by a table a reader can use: each figure's value, the sentence of the page
it appears in (the other figures in that sentence filled in), and its source, with every data series named
by its title and linked to its CSV. A figure the prose does not use (one stated for a check or a table) is left
out of the reader's table (the notebook's plain-text table still lists it, for nbval); on the
student site a figure that only a solution states is left out, with the solution.
"""

from __future__ import annotations

import ast
import html
import json
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes

from helpers.site.editions import instructor, without_solutions

HEADER = re.compile(r"^figure\s+value\s+source\s*\n(-+)(\s+)(-+)(\s+)(-+)\s*\n", re.M)
GLUE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")
ROLE = re.compile(r"\{(?:term|abbr)\}`([^`<]*?)(?:\s*<[^>]*>)?`")
DROP = re.compile(r"\s*\{(?:cite(?::[pt])?|claim|numref|ref|doc)\}`[^`]*`")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
SERIES_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def parse_table(text: str) -> list[tuple[str, str, str]] | None:
    """Rows (id, value, source) of a Key figures table printed by ``figures.key_figures()``, or None."""
    head = HEADER.match(text)
    if not head:
        return None
    w1, g1, w2, g2 = (len(head.group(i)) for i in range(1, 5))
    rows = []
    for line in text[head.end() :].splitlines():
        if not line.strip():
            continue
        a, b = w1 + g1, w1 + g1 + w2 + g2
        rows.append((line[:a].strip(), line[a:b].strip(), line[b:].strip()))
    return rows


def glued_values(nb: dict) -> dict[str, str]:
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = "".join(out.get("data", {}).get("application/papermill.record/text/plain", ""))
            if name and text:
                try:
                    value = ast.literal_eval(text)
                    values[name] = value if isinstance(value, str) else text
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


def sentences(nb: dict, values: dict[str, str]) -> dict[str, str]:
    """{figure id: the first sentence of the prose that pastes it, as a reader sees it}."""
    found: dict[str, str] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for paragraph in re.split(r"\n\s*\n", text):
            # A directive's opening lines (":::{dropdown} Title", ":class: ...") and closing fence are not prose;
            # the text under them is (a figure stated inside a folded box has its sentence there).
            lines = paragraph.strip().splitlines()
            while lines and re.match(r"^(:::|```\{|:\w[\w-]*:)", lines[0].strip()):
                lines.pop(0)
            while lines and lines[-1].strip() in (":::", "::::", "```"):
                lines.pop()
            paragraph = "\n".join(lines)
            if not paragraph or paragraph.lstrip().startswith(("#", "```", ":::", "|")):
                continue
            plain = DROP.sub("", " ".join(paragraph.split()))
            plain = ROLE.sub(lambda m: m.group(1).strip(), plain)
            plain = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", plain).replace("**", "").replace("*", "")
            for sentence in SENTENCE.split(plain):
                for name in GLUE.findall(sentence):
                    found.setdefault(name, sentence)
    return {name: GLUE.sub(lambda m: values.get(m.group(1), m.group(1)), s) for name, s in found.items()}


@lru_cache(maxsize=1)
def _series() -> dict[str, tuple[str, str | None]]:
    """{series id: (title, its CSV in the site, or the data appendix for a derived series)}."""
    from helpers.data import DERIVED, package

    named = {r["name"]: (r.get("title") or r["name"], "data/" + r["path"]) for r in package()["resources"]}
    # A derived series has no CSV of its own: it links to its entry in the data appendix (formula, inputs).
    named.update({name: (d.title, "appendix/data.html") for name, d in DERIVED.items()})
    return named


def source_html(source: str, root: str) -> str:
    """The source text with every series id replaced by its title, linked to its CSV where it has one."""
    series = _series()
    out, last = [], 0
    for m in SERIES_ID.finditer(source):
        if m.group(0) not in series:
            continue
        title, csv = series[m.group(0)]
        out.append(html.escape(source[last : m.start()]))
        out.append(f'<a href="{root}{csv}">{html.escape(title)}</a>' if csv else html.escape(title))
        last = m.end()
    out.append(html.escape(source[last:]))
    return "".join(out)


# Printed handouts leave the table out (it was 15 of the overview's 55 A4 pages; every figure is in the printed
# prose) and say so with this line, shown only in print (dongbei.css).
PRINT_NOTE = (
    "This printed handout leaves out the table of key figures: every figure in it appears in the text above, "
    "and the chapter's web page lists each one with the sentence that states it and its source."
)


def table_html(rows, said: dict[str, str], root: str) -> str:
    body = "".join(
        f"<tr><td>{html.escape(value)}</td><td>{html.escape(said.get(name, '(not in the text)'))}</td>"
        f"<td>{source_html(source, root)}</td></tr>"
        for name, value, source in rows
    )
    return (
        f'<p class="dongbei-print-only">{PRINT_NOTE}</p>'
        '<table class="table dongbei-key-figures"><thead><tr><th>Figure</th><th>Where it appears</th>'
        f"<th>Source (data)</th></tr></thead><tbody>{body}</tbody></table>"
    )


def readable_key_figures(app, doctree, docname) -> None:
    """``doctree-resolved``: replace each printed Key figures table with the reader's table."""
    blocks = [
        n for n in doctree.findall(nodes.literal_block) if "stream" in n.get("classes", []) and parse_table(n.astext())
    ]
    if not blocks:
        return
    source = Path(app.env.doc2path(docname))
    nb = json.loads(source.read_text(encoding="utf-8")) if source.suffix == ".ipynb" else {"cells": []}
    values = glued_values(nb)
    said = sentences(nb, values)
    if not instructor():  # the student site: no sentence of a solution, no figure only a solution states
        said = sentences({"cells": without_solutions(nb["cells"])}, values)
    root = "../" * docname.count("/")
    for block in blocks:
        rows = [row for row in parse_table(block.astext()) if row[0] in said]
        block.replace_self(nodes.raw("", table_html(rows, said, root), format="html"))
