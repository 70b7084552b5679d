"""The service worker: pages read or saved are readable with no connection, on the web.

Plain functions first (what is precached, the version, the settings the worker gets), then
a small fixture site built with real Pelican, then that site served on 127.0.0.1 and read in
Chromium: online, then offline (the DevTools protocol, and the server shut down, so the
browser's caches are all that answers), then online again after a new build.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import threading
import time

import pytest
from conftest import QuietServer, article, org_card, run_pelican, write_tree
from service_worker import (
    DEFAULTS,
    fallbacks,
    precache_list,
    site_version,
    theme_files,
    worker_script,
    worker_settings,
)

SETTINGS = {
    **DEFAULTS,
    "DEFAULT_LANG": "es",
    "UI_LANGUAGES": ["es", "pt", "en", "fr"],
    "EDITION_PREFIX": "{lang}/",
}
HOME = """<!doctype html><html><head>
<link rel="stylesheet" href="./theme/css/minga.css?v=2">
<link rel="icon" type="image/png" href="./theme/favicon.png">
<link rel="alternate" type="application/atom+xml" href="./feeds/all.atom.xml">
<script src="./theme/js/offline.js" defer></script>
</head><body><img src="./images/a.png" alt="a"></body></html>"""


# --- Plain functions -------------------------------------------------------------------------


def test_theme_files_are_what_a_page_loads_in_its_head_from_the_root():
    assert theme_files(HOME, "index.html") == [
        "theme/css/minga.css?v=2",
        "theme/favicon.png",
        "theme/js/offline.js",
    ]
    page = HOME.replace("./theme/", "../../theme/")
    assert theme_files(page, "orgs/alfa/nota.html")[0] == "theme/css/minga.css?v=2"
    absolute = HOME.replace("./theme/css", "https://minga.example/theme/css")
    assert theme_files(absolute, "index.html", "https://minga.example")[0] == (
        "theme/css/minga.css?v=2"
    )


def test_the_precache_has_the_theme_and_each_editions_home_saved_and_fallback_pages():
    precache = precache_list(SETTINGS, ["theme/css/minga.css", "theme/js/offline.js"])
    assert precache[:2] == ["theme/css/minga.css", "theme/js/offline.js"]
    for prefix in ("", "pt/", "en/", "fr/"):
        for page in ("index.html", "offline/saved.html", "offline/unavailable.html"):
            assert f"{prefix}{page}" in precache
    assert len(precache) == 2 + 4 * 3
    assert "offline/index.html" not in precache  # the "Read offline" page is not the worker's
    assert fallbacks(SETTINGS) == {
        "": "offline/unavailable.html",
        "pt/": "pt/offline/unavailable.html",
        "en/": "en/offline/unavailable.html",
        "fr/": "fr/offline/unavailable.html",
    }


def test_the_version_is_the_same_for_the_same_bytes_and_changes_with_any_file(tmp_path):
    first = write_tree(tmp_path / "a", {"index.html": "<p>hola</p>", "theme/x.css": "p{}"})
    second = write_tree(tmp_path / "b", {"index.html": "<p>hola</p>", "theme/x.css": "p{}"})
    version = site_version(first)
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert site_version(second) == version
    (second / "sw.js").write_text("// the worker itself does not count")
    (second / "index.html.gz").write_bytes(b"nor a compressed copy")
    assert site_version(second) == version
    (second / "theme/x.css").write_text("p{ }")
    assert site_version(second) != version
    (second / "theme/x.css").write_text("p{}")
    (second / "theme/y.css").write_text("")
    assert site_version(second) != version  # a file more
    assert site_version(first, b"another worker") != version


def test_the_worker_gets_its_bounds_and_version_from_the_settings():
    config = worker_settings({**SETTINGS, "SERVICE_WORKER_PAGES": 7}, ["index.html"])
    assert config["pages"] == 7 and config["images"] == DEFAULTS["SERVICE_WORKER_IMAGES"]
    script = worker_script(config, "0123456789ab", "/* source */\n")
    line = re.search(r"^const MINGA = (.*);$", script, re.M).group(1)
    assert json.loads(line) == {**config, "version": "0123456789ab"}
    assert script.endswith("/* source */\n")


# --- A fixture site, built --------------------------------------------------------------------


def photo() -> bytes:
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (320, 200), (120, 160, 40)).save(data, "PNG")
    return data.getvalue()


def site(changed: bool = False) -> dict:
    files = {
        "content/topics.yaml": "water:\n  es: Agua\n",
        "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
        "orgs/alfa/images/foto.png": photo(),
    }
    for number in range(1, 7):
        extra = "image: images/foto.png\nimage_alt: Un campo verde\n" if number == 5 else ""
        body = f"Cuerpo de la nota {number}: la cosecha de este año."
        if changed and number == 1:
            body = "Cuerpo de la nota 1, corregido."
        files[f"orgs/alfa/nota-{number}.md"] = article(
            f"Nota {number}", date=f"2026-03-0{number}", extra=extra, body=body
        )
    return files


# Three pages read are kept: the browser test reads more than that. A page slower than one
# second is shown from this device when it has a copy.
BOUND = ("-e", "SERVICE_WORKER_PAGES=3", "SERVICE_WORKER_WAIT=1")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("sw")
    build = run_pelican(write_tree(base / "site", site()), base / "output", extra=BOUND)
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    """The same site with one text corrected: a new version of the site."""
    base = tmp_path_factory.mktemp("sw-changed")
    build = run_pelican(write_tree(base / "site", site(True)), base / "output", extra=BOUND)
    assert build.returncode == 0, build.log
    return build


def version_of(build) -> str:
    return re.search(r'"version": "([0-9a-f]+)"', build.page("sw.js")).group(1)


def test_the_build_writes_the_worker_its_script_and_each_editions_offline_pages(built):
    worker = built.page("sw.js")
    assert '"pages": 3' in worker and "minga-saved" in worker
    assert (built.output / "theme/js/offline.js").is_file()
    for prefix in ("", "pt/", "en/", "fr/"):
        for page in ("offline/saved.html", "offline/unavailable.html"):
            assert (built.output / prefix / page).is_file(), prefix + page
    assert '<html lang="pt">' in built.page("pt/offline/unavailable.html")
    saved = built.page("offline/saved.html")
    assert 'class="needs-script"' in saved and "JavaScript" in saved
    assert '<div class="offline-lists" hidden>' in saved


def test_every_page_loads_the_script_and_a_texts_save_button_is_hidden(built):
    pages = sorted(built.output.rglob("*.html"))
    script = re.compile(r'<script src="(\.\./)*(\./)?theme/js/offline\.js" defer></script>')
    assert [p for p in pages if not script.search(p.read_text(encoding="utf-8"))] == []
    text = built.page("orgs/alfa/nota-1.html")
    button = re.search(r'<button[^>]*class="save-offline"[^>]*>', text).group(0)
    assert 'type="button"' in button and " hidden " in button
    assert 'data-saved-url="../../offline/saved.html"' in button
    assert "save-offline" not in built.page("index.html")  # listings have nothing to save


def test_the_same_tree_gives_the_same_worker_and_a_changed_text_another(built, changed, tmp_path):
    again = run_pelican(write_tree(tmp_path / "site", site()), tmp_path / "output", extra=BOUND)
    assert again.returncode == 0, again.log
    assert again.page("sw.js") == built.page("sw.js")
    assert version_of(changed) != version_of(built)


# --- In Chromium ------------------------------------------------------------------------------


class Quiet(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        self.server.busy += 1
        try:
            time.sleep(self.server.delay)  # a hanging link, when the test asks for one
            # A connection the browser opened ahead, before the host went down, gets no
            # answer.
            if self.server.stopped:
                self.close_connection = True
                return
            super().do_GET()
        finally:
            self.server.busy -= 1

    def send_header(self, keyword, value):
        # No Last-Modified: the browser's HTTP cache could otherwise, by heuristic, give back
        # a page of the old build (dated minutes ago), and the test would be about that
        # cache, not the worker. (`Cache-Control: no-cache` instead makes every load a
        # revalidation, which can hold up the new worker's activation.)
        if keyword.lower() != "last-modified":
            super().send_header(keyword, value)

    def log_message(self, *args):
        pass


class Host:
    """A folder served on 127.0.0.1, that can be shut down and served again at the same
    address (the same origin, so the browser keeps its service worker and caches)."""

    def __init__(self):
        self.port = 0
        self.server = None

    def serve(self, folder) -> str:
        handler = functools.partial(Quiet, directory=str(folder))
        self.server = QuietServer(("127.0.0.1", self.port), handler)
        self.server.stopped = False
        self.server.delay = 0
        self.server.busy = 0  # requests being answered
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.stopped = True
        self.server.shutdown()
        self.server.server_close()


CACHES = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    found[name] = (await cache.keys()).map((request) => request.url);
  }
  return found;
}"""
# Once the worker is active and controls the page (a function, not polled: the site's
# Content Security Policy forbids the `eval` Playwright's polling uses).
CONTROLLED = """async () => {
  const workers = navigator.serviceWorker;
  await workers.ready;
  if (!workers.controller) {
    await new Promise((done) => workers.addEventListener("controllerchange", done, { once: true }));
  }
  return workers.controller.scriptURL;
}"""
OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
ONLINE = {**OFFLINE, "offline": False}


def caches_of(page) -> dict[str, list[str]]:
    return page.evaluate(CACHES)


def cache_names(page) -> list[str]:
    """The caches' names alone: opening a cache makes it again if a new version has just
    deleted it, so `caches_of` would keep alive what a version taking over deletes."""
    return sorted(page.evaluate("async () => await caches.keys()"))


def wait_for(condition, what: str, seconds: float = 10, state=None):
    """Poll `condition`; on time out, say what was awaited and, if given, `state()` then."""
    end = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > end:
            raise AssertionError(
                f"waited {seconds} s for {what}" + (f": {state()}" if state else "")
            )
        time.sleep(0.05)
    return found


def reading(page) -> tuple[str, str]:
    return page.locator("h1").inner_text(), page.locator("main .body").inner_text()


def test_pages_read_and_saved_are_read_offline_and_a_new_version_replaces_the_caches(
    browser, built, changed, report
):
    started = time.monotonic()
    host = Host()
    url = host.serve(built.output)
    text = f"{url}/orgs/alfa/nota-{{}}.html"
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/index.html")
    page.evaluate(CONTROLLED)
    first = version_of(built)
    assert f"{url}/pt/offline/unavailable.html" in caches_of(page)[f"minga-static-{first}"]

    # Save a text with its image: the button shows itself, then says it is saved.
    page.goto(text.format(5))
    button = page.locator("button.save-offline")
    button.click()
    page.wait_for_selector("button.save-offline.saved")
    assert button.inner_text() == button.get_attribute("data-remove")
    assert page.locator("[role=status]").inner_text() == button.get_attribute("data-saved")
    saved = caches_of(page)["minga-saved"]
    assert text.format(5) in saved and any(".webp" in u or ".png" in u for u in saved), saved
    saved_text = reading(page)

    # Read more texts than the bound (3): the one read longest ago goes; one read again stays.
    for number in (1, 2, 3, 1, 4):
        page.goto(text.format(number))
    kept = [text.format(n) for n in (3, 1, 4)]
    pages = f"minga-pages-{first}"
    wait_for(lambda: caches_of(page)[pages] == kept, f"{pages} to hold {kept}")
    read = reading(page)
    assert read[0] == "Nota 4"

    # A hanging link: the copy on this device shows after a second, not after the network.
    host.server.delay = 6
    waited = time.monotonic()
    page.reload()
    assert reading(page) == read
    assert time.monotonic() - waited < 4
    host.server.delay = 0
    # The page's own request still hangs: let it end before the link goes, or the worker
    # would keep waiting for it (and a new version could not take over until it gave up).
    wait_for(lambda: host.server.busy == 0, "the hanging request to be answered")

    # Offline: the browser told so, and the server gone.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", OFFLINE)
    host.stop()
    page.reload()
    assert reading(page) == read
    page.goto(text.format(1))
    assert reading(page)[0] == "Nota 1"
    page.goto(text.format(5))  # out of the pages read, but saved
    assert reading(page) == saved_text
    assert page.evaluate("[...document.images].every((i) => i.complete && i.naturalWidth > 0)")
    assert page.evaluate("document.images.length") == 1

    # A page never read, or read too long ago: the fallback page of its edition.
    page.goto(text.format(2))
    assert page.url == f"{url}/offline/unavailable.html?from=orgs%2Falfa%2Fnota-2.html"
    fallback = built.page("offline/unavailable.html")
    heading = re.search(r"<h1>(.*?)</h1>", fallback).group(1)
    assert page.locator("h1").inner_text() == heading
    assert page.evaluate("getComputedStyle(document.body).maxWidth") == "672px"  # styled
    assert page.locator("a.try-again").get_attribute("href") == text.format(2)
    assert page.locator("a.try-again").is_visible()
    page.goto(f"{url}/pt/news/index.html")
    assert page.url.startswith(f"{url}/pt/offline/unavailable.html?from=")
    assert page.evaluate("document.documentElement.lang") == "pt"
    heading = re.search(r"<h1>(.*?)</h1>", built.page("pt/offline/unavailable.html")).group(1)
    assert page.locator("h1").inner_text() == heading

    # The saved pages' page lists what was saved, and what was read, newest first.
    page.goto(f"{url}/offline/saved.html")
    page.wait_for_selector("#read-pages li")
    assert page.locator("#saved-pages li a").all_inner_texts() == ["Nota 5"]
    assert page.locator("#read-pages li a").all_inner_texts() == ["Nota 4", "Nota 1", "Nota 3"]
    assert not page.locator(".needs-script").is_visible()

    # A new build at the same address: a new version; older caches go, saved pages stay.
    url = host.serve(changed.output)
    cdp.send("Network.emulateNetworkConditions", ONLINE)
    page.goto(f"{url}/index.html")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    second = version_of(changed)
    # The new worker precaches the whole new version before it takes over: on a busy
    # machine that takes a while.
    wait_for(
        lambda: cache_names(page) == ["minga-saved", f"minga-static-{second}"],
        f"only the caches of version {second} and the saved pages",
        seconds=30,
        state=lambda: cache_names(page),
    )
    assert text.format(5) in caches_of(page)["minga-saved"]
    page.goto(text.format(1))
    assert "corregido" in reading(page)[1]

    # Taking a page out of the saved pages takes its image with it.
    page.goto(f"{url}/offline/saved.html")
    page.locator("#saved-pages button").click()
    page.wait_for_selector("#saved-pages li.empty")
    assert caches_of(page)["minga-saved"] == []
    context.close()
    host.stop()
    assert errors == []
    seconds = time.monotonic() - started
    worker = (changed.output / "sw.js").stat().st_size
    script = (changed.output / "theme/js/offline.js").stat().st_size
    report(
        f"Service worker: read, saved, offline, fallback and a new version in Chromium in "
        f"{seconds:.1f} s; sw.js {worker / 1000:.1f} KB, offline.js {script / 1000:.1f} KB"
    )
