"""Search in Chromium, as readers use it: from disk, from a server, inside an offline copy,
with the keyboard, and without JavaScript."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import serving
from search_engine import manifests_in, run_engine

DONE = """() => {
  const status = document.getElementById('search-status').textContent;
  return status !== '' && !status.endsWith('…');
}"""
RESULTS = """() => Array.from(document.querySelectorAll('#search-results li')).map(li => ({
  href: li.querySelector('a').href,
  title: li.querySelector('a').textContent,
  meta: li.querySelector('.meta').textContent,
  marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
}))"""


@pytest.fixture
def served(sample_site):
    with serving(sample_site.output) as address:
        yield address


def open_page(browser, url: str, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return context, page, requests, errors


def search(page, words: str) -> list[dict]:
    page.fill("#search-q", words)
    page.press("#search-q", "Enter")
    page.wait_for_function(DONE)
    return page.evaluate(RESULTS)


def loaded(requests: list[str], kind: str) -> list[str]:
    return [url for url in requests if f"/search/es/{kind}-" in url]


def test_from_disk_nothing_loads_before_the_box_is_focused_and_results_match_lunr_py(
    browser, sample_site, report
):
    output = sample_site.output
    context, page, requests, errors = open_page(browser, (output / "search.html").as_uri())
    assert not [url for url in requests if "/search/" in url or "lunr" in url]
    page.focus("#search-q")
    page.wait_for_function("() => window.lunr && lunr.es !== undefined")
    page.wait_for_timeout(200)
    assert len(loaded(requests, "index")) == 1 and loaded(requests, "t") == []

    found = search(page, "aguacatal")
    assert found and found[0]["href"].endswith(
        "/orgs/mujeres-del-maiz/encuentro-regional-de-semillas.html"
    )
    assert all(Path(urlsplit(r["href"]).path).is_file() for r in found)
    assert "Aguacatal" in found[0]["marks"] or any("Aguacatal" in r["marks"] for r in found)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["aguacatal"], "lang": ["es"]}
    # The page shows what lunr.js gives over the shards (the node tests tie it to lunr.py).
    for words in ("semillas tierra", "contrasena", "+semillas -maiz", "radio~1", "comunic*"):
        shown = search(page, words)
        engine = run_engine(manifests_in(output / "search"), [("es", words)], show=10)[0]
        assert [r["href"].split("/output/", 1)[1] for r in shown[:10]] == [
            entry[0] for entry in engine["entries"]
        ], words
    text = page.text_content("#search-status")
    assert errors == []
    fetched = len(set(loaded(requests, "t") + loaded(requests, "d")))
    report(f"Search from disk in Chromium: 6 queries, {fetched} data files loaded; “{text}”")
    context.close()


def test_from_a_server_with_filters_more_results_and_the_keyboard(browser, served):
    context, page, requests, errors = open_page(browser, f"{served}/search.html?q=semillas")
    page.wait_for_function(DONE)
    first = page.evaluate(RESULTS)
    status = page.text_content("#search-status")
    count = int(status.split()[0])
    assert len(first) == min(count, 10) and count > 10
    # A plain search does not fetch the filters' data; turning to a filter does, and each
    # option then says how many of the results it holds.
    org_option = "#search-org option[value='mujeres-del-maiz']"
    assert loaded(requests, "f") == [] and not page.text_content(org_option).endswith(")")
    page.focus("#search-org")
    page.wait_for_function(f"() => document.querySelector(\"{org_option}\").text.endsWith(')')")
    assert len(loaded(requests, "f")) == 1
    counted = page.text_content(org_option)
    # More results: the next ones come, and the keyboard lands on the first of them.
    more = page.locator("#search-more")
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('#search-results li').length > {len(first)}"
    )
    eleventh = "document.querySelectorAll('#search-results li')[10]"
    assert page.evaluate(f"document.activeElement.closest('li') === {eleventh}")
    # An org filter: only that org's texts, the choice kept in the address, counts shown.
    page.select_option("#search-org", "mujeres-del-maiz")
    page.wait_for_function(DONE)
    filtered = page.evaluate(RESULTS)
    assert filtered and all("Mujeres del Maíz" in r["meta"] for r in filtered)
    assert "org=mujeres-del-maiz" in page.url
    option = page.text_content(org_option)
    assert option == counted  # the count said before choosing it
    assert option.endswith(f"({page.text_content('#search-status').split()[0]})")
    # A shared address gives the same search.
    other = context.new_page()
    other.goto(page.url)
    other.wait_for_function(DONE)
    assert other.evaluate(RESULTS) == filtered
    # From any page, the header's form leads here with the words typed.
    other.goto(f"{served}/orgs/index.html")
    other.fill("#site-search", "aguacatal")
    other.press("#site-search", "Enter")
    other.wait_for_function(DONE)
    assert other.url.split("/")[-1] == "search.html?q=aguacatal&lang=es"
    assert errors == []
    context.close()


def test_without_javascript_the_page_says_so_and_links_to_the_indexes(browser, sample_site):
    url = (sample_site.output / "pt/search.html").as_uri() + "?q=sementes"
    context, page, _requests, _errors = open_page(browser, url, java_script_enabled=False)
    notice = page.locator(".needs-script")
    assert notice.is_visible() and "JavaScript" in notice.text_content()
    links = notice.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert {
        "../pt/topics/index.html",
        "../pt/orgs/index.html",
        "../pt/countries/index.html",
    } <= set(links)
    assert page.text_content("#search-status") == ""
    context.close()


def test_in_an_offline_copy(browser, published_site, tmp_path):
    with zipfile.ZipFile(published_site.output / "downloads/minga-es.zip") as archive:
        archive.extractall(tmp_path / "es")
    context, page, _requests, errors = open_page(browser, (tmp_path / "es/search.html").as_uri())
    found = search(page, "semillas")
    assert found and all(Path(urlsplit(r["href"]).path).is_file() for r in found)
    assert all(urlsplit(r["href"]).path.startswith(str(tmp_path / "es")) for r in found)
    # A language this copy does not hold says so, in the page's language.
    page.select_option("#search-lang", "pt")
    page.wait_for_function(DONE)
    assert (
        page.text_content("#search-status")
        == "La búsqueda en este idioma no está en esta copia sin conexión."
    )
    # All languages: the ones this copy holds.
    page.select_option("#search-lang", "all")
    page.wait_for_function(DONE)
    assert page.evaluate(RESULTS) == found
    assert errors == []
    context.close()
    # An organization's copy has no search page: its pages have no search form.
    with zipfile.ZipFile(
        published_site.output / "downloads/orgs/minga-mujeres-del-maiz.zip"
    ) as archive:
        names = archive.namelist()
        page_html = archive.read("orgs/mujeres-del-maiz/index.html").decode()
    assert not any(name.endswith("search.html") for name in names)
    assert "site-search" not in page_html
