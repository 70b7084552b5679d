"""The published site on a slow link, in real Chromium: bytes, other origins, errors.

The site is built with the publishing settings (minified, with `.gz` copies) and served by
a small server that sends the `.gz` copy to browsers that accept gzip, as a static host
does; Chromium is throttled to DevTools' "Slow 3G" (400 kbps, 400 ms round trip) through
the DevTools protocol.
"""

from __future__ import annotations

import http.server
from pathlib import Path

import pytest
from conftest import serving

PAGES = {
    "index.html": 20_000,
    "orgs/mujeres-del-maiz/encuentro-regional-de-semillas.html": 14_000,
    "orgs/tierra-viva/index.html": 20_000,
    "topics/water/index.html": 20_000,
}
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}


class Precompressed(http.server.SimpleHTTPRequestHandler):
    """Serves `x.gz` for `x` when the browser accepts gzip, like a static host."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        compressed = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and compressed.is_file():
            body = compressed.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        return super().send_head()

    def log_message(self, *args):
        pass


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@pytest.fixture(scope="module")
def published(published_site):
    with serving(published_site.output, Precompressed) as address:
        yield address


def load(browser, url: str) -> dict:
    """Load a page on Slow 3G; what was fetched, from where, and what went wrong."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    requests, sizes, errors = {}, {}, []
    cdp.on(
        "Network.requestWillBeSent",
        lambda e: requests.__setitem__(e["requestId"], e["request"]["url"]),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    seconds = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd / 1000")
    context.close()
    fetched = {requests[r]: sizes.get(r, 0) for r in requests}
    return {"fetched": fetched, "errors": errors, "seconds": seconds}


@pytest.mark.parametrize("path", PAGES)
def test_pages_arrive_within_budget_on_slow_3g(browser, published, report, path):
    result = load(browser, f"{published}/{path}")
    fetched = result["fetched"]
    assert all(url.startswith(published) for url in fetched), fetched  # no other origin
    assert result["errors"] == []
    first_view = sum(size for url, size in fetched.items() if url.endswith((".html", ".css")))
    assert 0 < first_view <= PAGES[path], fetched
    assert sum(fetched.values()) <= 100_000, fetched
    report(
        f"Slow 3G: {path}: {first_view / 1000:.1f} KB HTML+CSS, "
        f"{sum(fetched.values()) / 1000:.1f} KB in all, {len(fetched)} requests, "
        f"loaded in {result['seconds']:.1f} s"
    )


def test_pages_are_readable_without_javascript(browser, published):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in PAGES:
        page.goto(f"{published}/{path}")
        assert (
            page.locator("main h1").first.is_visible() or page.locator("main h2").first.is_visible()
        )
        assert len(page.locator("main").inner_text()) > 200, path
    context.close()
