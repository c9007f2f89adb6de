"""HTML tables for the book's pages (catalogue, registry, sources), with download links."""

from __future__ import annotations

import html

import pandas as pd


def _table(frame: pd.DataFrame, columns: dict[str, str], links: dict[str, str] | None = None,
           caption: str = "") -> str:
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
                text = f'<a href="{html.escape(str(href))}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<div class="dongbei-table"><table class="table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def catalogue_html(catalogue: pd.DataFrame, depth: int = 1) -> str:
    """The series catalogue with a CSV download link per published series."""
    frame = catalogue.assign(
        csv=catalogue["file"].map(lambda f: f"{'../' * depth}data/{f}" if f else ""),
        download=catalogue["file"].map(lambda f: f if f else "computed on load"),
    )
    return _table(frame, {"id": "Series", "title": "Title", "unit": "Unit", "coverage": "Coverage",
                          "status": "Rows by status", "sources": "Sources", "description": "Definition",
                          "breaks": "Breaks and revisions", "download": "CSV"},
                  links={"download": "csv"}, caption="Every series in the data package")


def registry_html(registry: pd.DataFrame) -> str:
    return _table(registry, {"code": "GB/T 2260", "province": "Province", "hanzi": "汉字",
                             "pinyin": "Pinyin", "type": "Type", "region": "NBS region"},
                  caption="The 31 mainland provincial units")


def sources_html(sources: pd.DataFrame) -> str:
    frame = sources.assign(link=sources["url"].where(sources["url"] != "", None))
    return _table(frame, {"source_id": "Id", "publisher": "Publisher", "title": "Title",
                          "locator": "Table or page", "url": "URL", "date_read": "Read on",
                          "note": "Note"},
                  links={"url": "link"}, caption="Documents the data were read in")
