"""The theme in real Chromium: a 320 px phone, keyboard navigation, no JavaScript needed."""

from __future__ import annotations

import pytest

PAGES = [
    "index.html",
    "orgs/index.html",
    "orgs/tierra-viva/index.html",
    "orgs/tierra-viva/comunicado.html",
    "news/index.html",
    "sobre.html",
    "explore/index.html",
    "topics/water/index.html",
    "agenda/index.html",
    "dossiers/agua-en-comun.html",
    "digest/index.html",
    "orgs/tierra-viva/authors/junta-directiva.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_on_a_320px_phone(browser, sample_site, path):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=True)
    page = context.new_page()
    page.goto((sample_site.output / path).as_uri())
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    font_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    max_width = page.evaluate("getComputedStyle(document.body).maxWidth")
    context.close()
    assert max_width == "42rem" or max_width.endswith("px")  # the stylesheet applied
    assert max_width != "none"
    assert overflow <= 0
    assert font_px >= 16


def test_navigation_and_skip_link_work_with_javascript_off(browser, sample_site):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto((sample_site.output / "index.html").as_uri())
    nav_links = page.locator("header nav a, footer nav a")
    assert nav_links.count() >= 6
    assert all(nav_links.nth(i).is_visible() for i in range(nav_links.count()))

    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0  # shown on screen once focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Enter")
    page.wait_for_url("**/index.html#main", timeout=5000)  # fragment navigation is async

    page.locator("header nav a", has_text="Organizaciones").click()
    page.wait_for_url("**/orgs/index.html", timeout=5000)
    assert page.locator("main h1").inner_text() == "Organizaciones"
    context.close()


def test_landmarks_on_every_page_type(browser, sample_site):
    context = browser.new_context()
    page = context.new_page()
    for path in PAGES:
        page.goto((sample_site.output / path).as_uri())
        for role in ("banner", "main", "contentinfo"):
            assert page.get_by_role(role).count() == 1, (path, role)
        assert page.get_by_role("navigation", name="Principal").count() == 1, path
        assert page.locator("h1").count() == 1, path
    context.close()


def test_switching_language_keeps_the_reader_on_the_same_page(browser, sample_site):
    """From disk, as a reader of a copy would: listings change edition, texts change version."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((sample_site.output / "news/index.html").as_uri())
    languages = page.locator("nav.languages")
    languages.get_by_text("português").click()
    assert page.url.endswith("/pt/news/index.html")
    assert page.locator("html").get_attribute("lang") == "pt"
    page.locator("header nav a", has_text="Organizações").click()
    assert page.url.endswith("/pt/orgs/index.html")
    languages.get_by_text("English").click()
    assert page.url.endswith("/en/orgs/index.html")
    assert page.locator("main h1").inner_text() == "Organizations"

    page.goto((sample_site.output / "orgs/agua-clara/monitoreo-rio-sirpita-un-ano.html").as_uri())
    languages.get_by_text("English").click()
    assert page.url.endswith("/orgs/agua-clara/sirpita-river-monitoring-one-year.html")
    assert page.locator("html").get_attribute("lang") == "en"
    languages.get_by_text("français").click()  # no French version: the French home
    assert page.url.endswith("/fr/index.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    context.close()


def test_print_and_dark_mode_use_the_same_stylesheet(browser, sample_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((sample_site.output / "orgs/tierra-viva/comunicado.html").as_uri())
    page.emulate_media(media="print")
    assert (
        page.locator(".site-header nav").first.evaluate("n => getComputedStyle(n).display")
        == "none"
    )
    assert page.locator("article.text h1").is_visible()
    page.emulate_media(media="screen", color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 22, 20)"  # --paper in the dark scheme
    page.emulate_media(color_scheme="light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(253, 252, 248)"
    context.close()
