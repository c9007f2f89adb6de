"""HTML tables for the book's pages (catalogue, registry, sources), with download links."""

from __future__ import annotations

import html
import re

import pandas as pd


def _scroll_box(table: str, label: str) -> str:
    """Wrap a table in the box that scrolls sideways when the table is wider than the page.

    A scrolling region must be reachable with the keyboard (axe-core ``scrollable-region-focusable``),
    so the box is focusable and named after the table.
    """
    return f'<div class="dongbei-table" role="region" tabindex="0" aria-label="{html.escape(label)}">{table}</div>'


SAFE_SCHEMES = ("http://", "https://")


def safe_href(url: str) -> str:
    """``url`` if it is an http(s) address or a relative path within the site, else ValueError: no
    ``javascript:`` or ``data:`` link is ever written into a page, whatever the data say (the schema of
    ``sources.csv`` refuses them too)."""
    head = url.strip().lower().split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    relative = ":" not in head and not url.startswith("//")
    if not (url.strip().lower().startswith(SAFE_SCHEMES) or relative) or any(c in url for c in "\n\r\t <>\"'"):
        raise ValueError(
            f"refusing to write a link to {url!r}: only http:// and https:// addresses "
            f"(or paths within the site) are linked"
        )
    return url


# A cell that holds only a number (signed, with separators, a decimal point or a per cent sign) needs no minimum
# width and must not wrap: dongbei.css gives other cells a minimum width, so that a column of long words or
# URLs is not squeezed to a sliver, which would make tables of many numeric columns wider than the page.
_NUMBER = re.compile(r"[−+\-]?\d[\d,]*(?:\.\d+)?%?")


def _cell(text: str) -> str:
    return f'<td class="num">{text}</td>' if _NUMBER.fullmatch(text) else f"<td>{text}</td>"


def _table(frame: pd.DataFrame, columns: dict[str, str], links: dict[str, str] | None = None, caption: str = "") -> str:
    """A plain, accessible HTML table. ``columns`` maps column -> header; ``links`` column -> href column."""
    links = links or {}
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in columns.values())
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in columns:
            text = html.escape(str(row[column])) if pd.notna(row[column]) else ""
            href = row.get(links[column]) if column in links else None
            if isinstance(href, str) and href:
                text = f'<a href="{html.escape(safe_href(href))}">{text}</a>'
            cells.append(_cell(text))
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return _scroll_box(
        f'<table class="table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>',
        caption or "Table",
    )


def catalogue_html(catalogue: pd.DataFrame, depth: int = 1) -> str:
    """The series catalogue with a CSV download link per published series."""
    frame = catalogue.assign(
        csv=catalogue["file"].map(lambda f: f"{'../' * depth}data/{f}" if f else ""),
        download=catalogue["file"].map(lambda f: f if f else "computed on load"),
    )
    return _table(
        frame,
        {
            "id": "Series",
            "title": "Title",
            "unit": "Unit",
            "coverage": "Coverage",
            "status": "Rows by status",
            "sources": "Sources",
            "description": "Definition",
            "breaks": "Breaks and revisions",
            "download": "CSV",
        },
        links={"download": "csv"},
        caption="Every series in the data package",
    )


def registry_html(registry: pd.DataFrame) -> str:
    return _table(
        registry,
        {
            "code": "GB/T 2260",
            "province": "Province",
            "hanzi": "汉字",
            "pinyin": "Pinyin",
            "type": "Type",
            "region": "NBS region",
        },
        caption="The 31 mainland provincial units",
    )


def sources_html(sources: pd.DataFrame) -> str:
    frame = sources.assign(link=sources["url"].where(sources["url"] != "", None))
    return _table(
        frame,
        {
            "source_id": "Id",
            "publisher": "Publisher",
            "title": "Title",
            "locator": "Table or page",
            "url": "URL",
            "date_read": "Read on",
            "note": "Note",
        },
        links={"url": "link"},
        caption="Documents the data were read in",
    )


def _fmt_number(value, unit: str = "") -> str:
    if value is None or pd.isna(value):
        return ""
    if unit in {"year", "decade", "day"}:
        return f"{value:.0f}"
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def claims_html(evaluated: pd.DataFrame, used: dict[str, list[str]], documents: dict[str, str], depth: int = 1) -> str:
    """The sources-audit table with filter controls (free text, verdict, document, theme).

    ``evaluated`` comes from :func:`helpers.audit.evaluate`; ``used`` maps claim ids to the pages that
    cite them. Every row has the anchor ``claim-<id>`` that the ``{claim}`` role links to. The
    controls are hidden until the filter script runs, so without JavaScript the page is a plain table.
    """

    def options(column: str, labels: dict[str, str] | None = None) -> str:
        values = sorted(evaluated[column].unique())
        items = "".join(
            f'<option value="{html.escape(v)}">{html.escape((labels or {}).get(v, v))}</option>' for v in values
        )
        return f'<option value="">all</option>{items}'

    controls = (
        '<div class="claims-controls" hidden>'
        '<label>Search <input type="search" class="claims-search" placeholder="word, number, place"></label>'
        f'<label>Verdict <select data-column="verdict">{options("verdict")}</select></label>'
        f'<label>Document <select data-column="source">{options("source", documents)}</select></label>'
        f'<label>Theme <select data-column="theme">{options("theme")}</select></label>'
        '<button type="button" class="claims-reset btn btn-sm btn-outline-secondary">Show all</button>'
        '<span class="claims-count" role="status" aria-live="polite"></span></div>'
    )
    headers = ["Claim", "Quote", "Value", "Period, place", "Check", "Expected", "Verdict", "Note", "Used in"]
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    first_with_quote: dict[tuple[str, str], str] = {}  # each quote is printed once; later rows point to it
    for row in evaluated.itertuples(index=False):
        first = first_with_quote.setdefault((row.document, row.quote), row.claim_id)
        quote = (
            f"<td>“{html.escape(row.quote)}”</td>"
            if first == row.claim_id
            else f'<td class="claims-same-quote">same quote as <a href="#claim-{html.escape(first)}">'
            f"{html.escape(first)}</a></td>"
        )
        pages = used.get(row.claim_id, [])
        links = ", ".join(
            f'<a href="{"../" * depth}{html.escape(p)}.html">{html.escape(p.split("/")[-1])}</a>' for p in pages
        )
        check = (
            row.check_method
            if row.check_method == "none"
            else f"{row.check_method}: <code>{html.escape(row.check)}</code>"
        )
        where = ", ".join(x for x in (row.period, row.place) if x)
        cells = [
            f'<th scope="row">{html.escape(row.claim_id)}<br><small>{html.escape(documents.get(row.source, row.source))}</small></th>',
            quote,
            f"<td>{_fmt_number(row.value, row.unit)} {html.escape(row.unit)}</td>",
            f"<td>{html.escape(where)}</td>",
            f'<td class="claims-check">{check}</td>',
            f"<td>{_fmt_number(row.expected, row.unit)}</td>",
            f'<td><span class="verdict verdict-{row.verdict}">{html.escape(row.verdict)}</span></td>',
            f"<td>{html.escape(row.note)}</td>",
            f"<td>{links}</td>",
        ]
        body.append(
            f'<tr id="claim-{html.escape(row.claim_id)}" data-verdict="{html.escape(row.verdict)}" '
            f'data-source="{html.escape(row.source)}" data-theme="{html.escape(row.theme)}">' + "".join(cells) + "</tr>"
        )
    caption = "Every quantitative claim in the five source documents, with its check"
    table = (
        f'<table class="table"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
    return f'<div class="dongbei-claims">{controls}{_scroll_box(table, caption)}</div>'


def simple_table(frame: pd.DataFrame, columns: dict[str, str], caption: str) -> str:
    """A plain accessible HTML table of ``frame`` (``columns`` maps column -> header), values as given."""
    return _table(frame, columns, caption=caption)
