"""A description for every page (``<meta name="description">``, also used by link previews): the page's
front matter ``description`` if it has one, else its first paragraph as a reader sees it (figures filled in,
roles resolved), cut at a word boundary."""

from __future__ import annotations

import html

from docutils import nodes

MAX_CHARS = 160


def _first_paragraph(doctree) -> str:
    for paragraph in doctree.findall(nodes.paragraph):
        if any(
            isinstance(
                a, (nodes.admonition, nodes.Admonition, nodes.literal_block, nodes.table, nodes.footer, nodes.citation)
            )
            for a in _ancestors(paragraph)
        ):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) >= 40:
            return text
    return ""


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + "…"


def describe(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: add the description to the page's meta tags."""
    if doctree is None:
        return
    front = (app.env.metadata.get(pagename) or {}).get("description")
    text = shorten(" ".join(str(front).split()) if front else _first_paragraph(doctree))
    if text:
        context["metatags"] = context.get("metatags", "") + (
            f'\n<meta name="description" content="{html.escape(text, quote=True)}" />'
        )
