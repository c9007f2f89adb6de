"""The build itself, driven through the Makefile on a tiny book made here (a few pages, the book's own
_config.yml and extensions, this checkout's .venv):

- the strict build (`make test-build`) raises every warning again, even after a plain `make book` that
  only printed them (it re-reads every page from a fresh environment);
- a failed build publishes nothing: `_build/html` is either the previous good site or absent;
- an interrupted `make book` followed by another publishes a complete site (search index included);
- a notebook stored with an error output fails the build, unless the cell is tagged raises-exception.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[1]
PAGES = ["intro", "sessions", "numbers", "notes"]
INTERRUPT_EXT = """
import os


def _interrupt(app, pagename, templatename, context, doctree):
    if pagename == os.environ.get("DONGBEI_TEST_INTERRUPT_AT"):
        raise KeyboardInterrupt  # what Ctrl+C does to the build at this point


def setup(app):
    app.connect("html-page-context", _interrupt)
    return {"parallel_read_safe": True}
"""


def error_notebook(tagged: bool) -> nbformat.NotebookNode:
    """A notebook whose second cell is stored with a ZeroDivisionError traceback."""
    cell = nbformat.v4.new_code_cell("1 / 0", execution_count=2)
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="ZeroDivisionError",
            evalue="division by zero",
            traceback=["ZeroDivisionError: division by zero"],
        )
    ]
    if tagged:
        cell.metadata["tags"] = ["raises-exception"]
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Numbers\n\nDividing by zero is an error:"),
            nbformat.v4.new_code_cell("x = 1", execution_count=1),
            cell,
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def tiny_book(root: Path, notes: str = "Plain notes.", tagged: bool = True) -> Path:
    """A four-page book (three Markdown pages and a notebook) that uses this repository's Makefile."""
    book = root / "book"
    book.mkdir()
    for name in ("Makefile", "requirements-lock.txt", "pyproject.toml", "references.bib"):
        shutil.copy2(REPO / name, book / name)
    shutil.copytree(REPO / "scripts", book / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    (book / ".venv").symlink_to(REPO / ".venv")
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["local_extensions"] = {"interrupt_ext": "./"}
    (book / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (book / "interrupt_ext.py").write_text(INTERRUPT_EXT, encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n" + "".join(f"  - file: {p}\n" for p in PAGES[1:]), encoding="utf-8"
    )
    (book / "intro.md").write_text("# A tiny book\n\nIt has a few pages.\n", encoding="utf-8")
    (book / "sessions.md").write_text("# Sessions\n\nOne a week.\n", encoding="utf-8")
    nbformat.write(error_notebook(tagged), book / "numbers.ipynb")
    (book / "notes.md").write_text(f"# Notes\n\n{notes}\n", encoding="utf-8")
    return book


def make(book: Path, target: str, **env: str) -> subprocess.CompletedProcess:
    """Run a Makefile target in the tiny book (the set-up stamp is taken as done: .venv is this one)."""
    run = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", target],
        cwd=book,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
    )
    run.output = run.stdout + run.stderr
    return run


def indexed_pages(site: Path) -> set[str]:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.rstrip().endswith(")")
    return set(json.loads(text.strip()[len("Search.setIndex(") : -1])["docnames"])


BROKEN = "See {cite}`no-such-key-2026` and {claim}`wang-999`."


def test_the_strict_build_raises_again_the_warnings_an_earlier_build_printed(tmp_path):
    book = tiny_book(tmp_path, notes=BROKEN)
    plain = make(book, "book")
    assert plain.returncode == 0, plain.output[-3000:]
    assert "no-such-key-2026" in plain.output and "wang-999" in plain.output, "the plain build should warn"
    strict = make(book, "test-build")
    assert strict.returncode != 0, "the strict build passed on a broken citation and an unknown claim id"
    assert "no-such-key-2026" in strict.output and "unknown claim id 'wang-999'" in strict.output
    # ... and, although --keep-going writes every page, the failed strict build publishes no site.
    assert not (book / "_build" / "html").exists(), "a failed strict build left a complete-looking site"
    assert "FAILED" in strict.output


def test_an_interrupted_build_then_another_publishes_the_whole_site(tmp_path):
    book = tiny_book(tmp_path)
    interrupted = make(book, "book", DONGBEI_TEST_INTERRUPT_AT="numbers")
    assert interrupted.returncode != 0
    assert not (book / "_build" / "html").exists(), "an interrupted build published a partial site"
    again = make(book, "book")
    assert again.returncode == 0, again.output[-3000:]
    site = book / "_build" / "html"
    assert {f"{p}.html" for p in PAGES} <= {p.name for p in site.glob("*.html")}
    assert indexed_pages(site) == set(PAGES), "the search index does not cover every page"
    # The tagged cell's traceback is expected, so it builds; the next test removes the tag.
    assert "ZeroDivisionError" in (site / "numbers.html").read_text(encoding="utf-8")


def test_a_stored_error_output_fails_the_build_and_keeps_the_previous_site(tmp_path):
    book = tiny_book(tmp_path)
    assert make(book, "book").returncode == 0
    before = (book / "_build" / "html" / "numbers.html").read_bytes()
    nbformat.write(error_notebook(tagged=False), book / "numbers.ipynb")
    failed = make(book, "book")
    assert failed.returncode != 0, "a notebook with a stored traceback was published"
    assert "numbers.ipynb" in failed.output and "cell 3" in failed.output and "ZeroDivisionError" in failed.output
    assert (book / "_build" / "html" / "numbers.html").read_bytes() == before, "the good site was replaced"
