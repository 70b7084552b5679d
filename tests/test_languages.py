"""Languages: a text in three languages, a Quechua text, the switcher and each language's home."""

from __future__ import annotations

import pytest
from conftest import article, org_card, run_pelican, write_tree
from links import broken_links

CARD = org_card("Colectivo Alfa").replace("languages: [es]", "languages: [es, pt, en, qu]")
SITE = {
    "orgs/alfa/org.yaml": CARD,
    "orgs/alfa/agua.md": article("El agua es vida", "2026-03-01", extra="translation_key: agua\n"),
    "orgs/alfa/agua-pt.md": article(
        "A água é vida", "2026-03-02", "pt", extra="translation_key: agua\n"
    ),
    "orgs/alfa/water.md": article(
        "Water is life", "2026-03-03", "en", extra="translation_key: agua\n"
    ),
    "orgs/alfa/yaku.md": article("Yakuqa kawsaymi", "2026-04-01", "qu"),
    "orgs/alfa/solo.md": article("Solo en castellano", "2026-02-01"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("languages")
    build = run_pelican(write_tree(base / "site", SITE), base / "output")
    assert build.returncode == 0, build.log
    return build


def switcher(html: str) -> str:
    return html.split('<nav class="languages"')[1].split("</nav>")[0]


def test_switching_language_leads_to_the_translation_or_that_languages_home(site):
    links = switcher(site.page("orgs/alfa/agua.html"))
    assert 'href="../../orgs/alfa/agua-pt.html" hreflang="pt"' in links
    assert 'href="../../orgs/alfa/water.html" hreflang="en"' in links
    assert 'href="../../fr/index.html" hreflang="fr"' in links
    assert 'hreflang="es" lang="es" aria-current="true"' in links
    from_english = switcher(site.page("orgs/alfa/water.html"))
    assert 'href="../../orgs/alfa/agua.html" hreflang="es"' in from_english


def test_each_language_has_a_home_with_its_versions_and_the_rest_marked(site):
    home = site.page("en/index.html")
    assert '<html lang="en">' in home and ">Skip to content</a>" in home
    assert ">Water is life</a>" in home and ">El agua es vida</a>" not in home
    assert '<h3 lang="es"><a href="../orgs/alfa/solo.html">Solo en castellano</a>' in home
    assert '<h3 lang="qu"><a href="../orgs/alfa/yaku.html">Yakuqa kawsaymi</a>' in home
    portuguese = site.page("pt/index.html")
    assert '<html lang="pt">' in portuguese and ">A água é vida</a>" in portuguese
    assert ">El agua es vida</a>" in site.page("index.html")


def test_a_text_in_three_languages_links_each_version(site):
    page = site.page("orgs/alfa/agua-pt.html")
    assert '<html lang="pt">' in page
    assert 'href="../../orgs/alfa/agua.html" hreflang="es" lang="es">español</a>' in page
    assert 'href="../../orgs/alfa/water.html" hreflang="en" lang="en">English</a>' in page


def test_a_quechua_text_gets_the_default_interface(site):
    page = site.page("orgs/alfa/yaku.html")
    assert '<html lang="es">' in page and '<h1 lang="qu">Yakuqa kawsaymi</h1>' in page
    assert broken_links(site.output) == []
