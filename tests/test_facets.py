"""Facets on a fixture site: each family's pages, counts, feeds and active organizations."""

from __future__ import annotations

import feedparser
import pytest
from conftest import article, org_card
from links import broken_links

TOPICS = "water:\n  es: Agua\n  en: Water\nland:\n  es: Tierra\n"


def card(name, kinds, countries):
    return org_card(name, kinds, countries).replace("languages: [es]", "languages: [es, en]")


SITE = {
    "content/topics.yaml": TOPICS,
    "orgs/alfa/org.yaml": card("Colectivo Alfa", "women", "PE"),
    "orgs/beta/org.yaml": card("Radio Beta", "communication", "MX"),
    "orgs/alfa/pozo.md": article(
        "El pozo comunal",
        "2026-03-05",
        extra="type: statement\ntopics: [water]\ntranslation_key: pozo\n",
    ),
    "orgs/alfa/well.md": article(
        "The community well", "2026-03-06", "en", extra="topics: [water]\ntranslation_key: pozo\n"
    ),
    "orgs/beta/taller.md": article(
        "Taller de radio",
        "2026-04-10",
        extra="type: event\ntopics: [water, land]\ncountries: [MX, GT]\n"
        "event:\n  start: 2026-12-01 09:00\n",
    ),
    "orgs/beta/2025/viejo.md": article("Nota de 2025", "2025-11-20"),
    "content/news/red.md": article("Noticia de la red", "2026-04-12", extra="topics: [land]\n"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import run_pelican, write_tree

    base = tmp_path_factory.mktemp("facets")
    build = run_pelican(write_tree(base / "site", SITE), base / "output")
    assert build.returncode == 0, build.log
    return build


def listed(build, page: str) -> list[str]:
    html = build.page(page)
    return [
        title
        for title in (
            "El pozo comunal",
            "The community well",
            "Taller de radio",
            "Nota de 2025",
            "Noticia de la red",
        )
        if f">{title}</a>" in html
    ]


@pytest.mark.parametrize(
    "page, titles, count",
    [
        ("topics/water/index.html", ["El pozo comunal", "Taller de radio"], 2),
        ("topics/land/index.html", ["Taller de radio", "Noticia de la red"], 2),
        ("countries/pe/index.html", ["El pozo comunal"], 1),  # from the org's card
        ("countries/gt/index.html", ["Taller de radio"], 1),  # from the text
        ("kinds/women/index.html", ["El pozo comunal"], 1),
        ("kinds/communication/index.html", ["Taller de radio", "Nota de 2025"], 2),
        ("languages/en/index.html", ["The community well"], 1),  # translations count here
        (
            "languages/es/index.html",
            ["El pozo comunal", "Taller de radio", "Nota de 2025", "Noticia de la red"],
            4,
        ),
        ("types/event/index.html", ["Taller de radio"], 1),
        ("types/statement/index.html", ["El pozo comunal"], 1),
        ("archive/2025/index.html", ["Nota de 2025"], 1),
        ("archive/2026/03/index.html", ["El pozo comunal"], 1),
    ],
)
def test_each_facet_lists_its_texts_says_how_many_and_has_a_feed(site, page, titles, count):
    assert sorted(listed(site, page)) == sorted(titles)
    assert f"{count} {'publicación' if count == 1 else 'publicaciones'}" in site.page(page)
    feed = feedparser.parse(site.page(page.replace("index.html", "feed.atom.xml")))
    assert not feed.bozo
    assert sorted(entry.title for entry in feed.entries) == sorted(titles)


def test_topic_and_country_pages_list_active_orgs(site):
    water = site.page("topics/water/index.html").split('id="active-orgs"')[1].split("</section>")[0]
    assert "Colectivo Alfa" in water and "Radio Beta" in water
    mexico = site.page("countries/mx/index.html").split('id="active-orgs"')[1]
    assert "Radio Beta" in mexico.split("</section>")[0]
    assert "Colectivo Alfa" not in mexico.split("</section>")[0]


def test_labels_come_from_vocabularies_and_cldr(site):
    assert "<h1>Agua</h1>" in site.page("topics/water/index.html")
    assert "<h1>Guatemala</h1>" in site.page("countries/gt/index.html")
    assert "<h1>inglés</h1>" in site.page("languages/en/index.html")
    assert "<h1>marzo de 2026</h1>" in site.page("archive/2026/03/index.html")
    year = site.page("archive/2026/index.html")
    assert "marzo de 2026</a> (1)" in year and "abril de 2026</a> (2)" in year


def test_groups_are_in_the_order_a_reader_looks_for_them(site):
    spanish = site.page("topics/index.html")  # water (Agua) before land (Tierra)
    assert spanish.index(">Agua</a>") < spanish.index(">Tierra</a>")
    english = site.page("en/topics/index.html")  # land has no English label: Tierra
    assert english.index(">Tierra</a>") < english.index(">Water</a>")
    archive = site.page("archive/index.html")  # newest first
    assert archive.index(">2026</a>") < archive.index(">2025</a>")
    year = site.page("archive/2026/index.html")
    assert year.index("abril de 2026</a>") < year.index("marzo de 2026</a>")


def test_explore_page_reaches_every_family(site):
    explore = site.page("explore/index.html")
    for family in ("topics", "countries", "kinds", "languages", "types", "archive"):
        assert f'href="../{family}/index.html"' in explore
    assert broken_links(site.output) == []


def test_article_links_to_its_facets(site):
    page = site.page("orgs/beta/taller.html")
    assert '<a href="../../topics/water/index.html">Agua</a>' in page
    assert '<a href="../../countries/gt/index.html">Guatemala</a>' in page


def test_facets_paginate(build_fixture):
    files = {"content/topics.yaml": TOPICS, "orgs/alfa/org.yaml": org_card("Colectivo Alfa")}
    for day in range(1, 23):
        files[f"orgs/alfa/n{day:02d}.md"] = article(
            f"Nota {day:02d}", f"2026-01-{day:02d}", extra="topics: [water]\n"
        )
    build = build_fixture(files)
    assert build.returncode == 0, build.log
    assert "22 publicaciones" in build.page("topics/water/index.html")
    assert ">Nota 01</a>" in build.page("topics/water/index-2.html")
    # The organizations active in the topic open its first page, and are not repeated.
    assert 'id="active-orgs"' in build.page("topics/water/index.html")
    assert 'id="active-orgs"' not in build.page("topics/water/index-2.html")
