"""Readable with no connection: the site works opened from disk (`file://`)."""

from __future__ import annotations

import re

from crawler import crawl


def test_the_site_opened_from_disk_reaches_every_page(browser, sample_site, report):
    result = crawl(browser, sample_site.output)
    assert result.broken == []
    assert result.folders == []
    assert result.failed == []
    # The service worker's pages (the saved pages, the offline fallback) are reached only
    # with its script, on the web: no link of the site's HTML leads to them.
    worker = re.compile(r"([a-z]{2}/)?offline/(saved|unavailable)\.html")
    unreachable = [page for page in result.unreachable if not worker.fullmatch(page)]
    assert len(result.unreachable) - len(unreachable) == 2 * 4  # two pages, four languages
    # Else only the home's copy at the default language's code, for addresses typed by hand:
    # every page links to the home at the root.
    assert unreachable == ["es/index.html"]
    report(
        f"file:// crawl: {len(result.visited)} pages opened in Chromium from index.html, "
        f"{len(result.broken)} broken links, {len(result.folders)} links to folders, "
        f"{len(result.failed)} resources that failed to load, "
        f"every other page reached"
    )
