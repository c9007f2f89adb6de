"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from helpers.site import browser as sitecheck

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ (CSV files, datapackage.json, derived.json) for corruption tests."""
    target = tmp_path / "data"
    target.mkdir()
    for path in [*(REPO / "data").glob("*.csv"), REPO / "data" / "datapackage.json", REPO / "data" / "derived.json"]:
        shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, through Playwright (shared by the site and JupyterLab tests)."""
    with sync_playwright() as playwright:
        browser = sitecheck.launch(playwright)
        yield browser
        browser.close()
