"""references.bib parses cleanly with pybtex (the parser sphinxcontrib-bibtex uses), in strict mode.

A repeated key makes sphinxcontrib-bibtex drop or mis-read later entries; pybtex's strict mode reports it
by name. Offline, well under a second."""

from pathlib import Path

import pytest
from pybtex import errors
from pybtex.database import BibliographyDataError, parse_string

BIB = Path(__file__).resolve().parents[1] / "references.bib"


def parse_strictly(text: str):
    previous = errors.strict
    errors.set_strict_mode(True)
    try:
        return parse_string(text, "bibtex")
    finally:
        errors.set_strict_mode(previous)


def test_references_bib_parses_without_errors_or_repeated_keys():
    data = parse_strictly(BIB.read_text(encoding="utf-8"))
    assert len(data.entries) > 100


def test_a_repeated_key_is_reported_by_name():
    text = BIB.read_text(encoding="utf-8")
    entry = text[text.index("@") : text.index("\n@", text.index("@") + 1)]
    key = entry[entry.index("{") + 1 : entry.index(",")].strip()
    with pytest.raises(BibliographyDataError, match=key):
        parse_strictly(text + "\n" + entry + "\n")
