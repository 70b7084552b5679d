"""Languages: a text in three languages, a Quechua text, and each language's edition of every
listing and feed (home, news, orgs, facets, agenda, dossiers, digest, archive)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import feedparser
import pytest
from conftest import article, org_card, run_pelican, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from links import broken_links
from pelican.utils import process_translations
from site_paths import translations_by_group

CARD = org_card("Colectivo Alfa").replace("languages: [es]", "languages: [es, pt, en, qu]")
TOPICS = "water:\n  es: Agua\n  pt: Água\n  en: Water\n  fr: Eau\n"
SITE = {
    "content/topics.yaml": TOPICS,
    "orgs/alfa/org.yaml": CARD,
    "orgs/alfa/agua.md": article(
        "El agua es vida", "2026-03-01", extra="translation_key: agua\ntopics: [water]\n"
    ),
    "orgs/alfa/agua-pt.md": article(
        "A água é vida", "2026-03-02", "pt", extra="translation_key: agua\ntopics: [water]\n"
    ),
    "orgs/alfa/water.md": article(
        "Water is life", "2026-03-03", "en", extra="translation_key: agua\ntopics: [water]\n"
    ),
    "orgs/alfa/yaku.md": article("Yakuqa kawsaymi", "2026-04-01", "qu", extra="topics: [water]\n"),
    "orgs/alfa/solo.md": article("Solo en castellano", "2026-02-01", extra="topics: [water]\n"),
    "orgs/alfa/feria.md": article(
        "Feria de semillas",
        "2026-02-10",
        extra="type: event\ntranslation_key: feria\n"
        "event:\n  start: 2026-12-05 09:00\n  place: Plaza mayor\n",
    ),
    "orgs/alfa/feira.md": article(
        "Feira de sementes",
        "2026-02-11",
        "pt",
        extra="type: event\ntranslation_key: feria\n"
        "event:\n  start: 2026-12-05 09:00\n  place: Praça principal\n",
    ),
    "content/news/red.md": article("La red crece", "2026-04-02", extra="translation_key: red\n"),
    "content/news/rede.md": article("A rede cresce", "2026-04-02", "pt", "translation_key: red\n"),
    **{
        f"orgs/alfa/2025/nota-{n:02d}.md": article(f"Nota {n:02d}", f"2025-01-{n:02d}")
        for n in range(1, 23)
    },
}
# Every listing of the site, by its address in the default language's edition.
LISTINGS = [
    "index.html",
    "news/index.html",
    "archives.html",
    "orgs/index.html",
    "orgs/alfa/index.html",
    "explore/index.html",
    "topics/index.html",
    "topics/water/index.html",
    "countries/co/index.html",
    "kinds/rural/index.html",
    "languages/pt/index.html",
    "types/event/index.html",
    "archive/2026/index.html",
    "archive/2026/03/index.html",
    "agenda/index.html",
    "dossiers/index.html",
    "digest/index.html",
]
FEEDS = [
    "feeds/all.atom.xml",
    "feeds/news.atom.xml",
    "orgs/alfa/feed.atom.xml",
    "topics/water/feed.atom.xml",
    "archive/2026/feed.atom.xml",
    "digest/feed.atom.xml",
]
SKIP_TO_CONTENT = {
    "es": "Saltar al contenido",
    "pt": "Pular para o conteúdo",
    "en": "Skip to content",
    "fr": "Aller au contenu",
}
EDITION = {"es": "", "pt": "pt/", "en": "en/", "fr": "fr/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("languages")
    build = run_pelican(
        write_tree(base / "site", SITE),
        base / "output",
        extra=("-e", 'BUILD_DATE="2026-11-20"', "-e", "FEED_ITEMS=10"),
    )
    assert build.returncode == 0, build.log
    return build


def switcher(html: str) -> dict[str, str]:
    """Language -> address the language switcher of a page leads to."""
    nav = html.split('<nav class="languages"')[1].split("</nav>")[0]
    return dict(
        (lang, url) for url, lang in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)
    )


def alternates(html: str) -> dict[str, str]:
    head = html.split("</head>")[0]
    return {
        lang: url
        for lang, url in re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', head
        )
    }


def titles(html: str) -> list[str]:
    return re.findall(r'<h[23][^>]*><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("lang", ["es", "pt", "en", "fr"])
def test_each_language_has_every_listing_in_its_own_words(site, lang):
    for listing in LISTINGS:
        page = site.page(EDITION[lang] + listing)
        assert f'<html lang="{lang}">' in page, (lang, listing)
        assert SKIP_TO_CONTENT[lang] in page, (lang, listing)


@pytest.mark.parametrize("lang", ["es", "pt", "en", "fr"])
def test_each_language_has_every_feed_in_its_language(site, lang):
    for relative in FEEDS:
        feed = feedparser.parse(site.page(EDITION[lang] + relative))
        assert not feed.bozo, (lang, relative, feed.get("bozo_exception"))
        assert feed.feed.language == lang and feed.entries, (lang, relative)
        for entry in feed.entries:
            assert entry.link.startswith("http://localhost:8000/"), entry.link


def test_a_feed_carries_the_latest_texts_and_its_listing_all_of_them(site):
    feed = feedparser.parse(site.page("pt/orgs/alfa/feed.atom.xml"))
    assert [e.title for e in feed.entries][:2] == ["Yakuqa kawsaymi", "A água é vida"]
    assert len(feed.entries) == 10
    assert 'Publicações <span class="count">(26)</span>' in site.page("pt/orgs/alfa/index.html")


def test_listings_show_each_text_in_the_pages_language_and_the_rest_marked(site):
    topic = {lang: site.page(EDITION[lang] + "topics/water/index.html") for lang in EDITION}
    assert ">A água é vida</a>" in topic["pt"] and ">El agua es vida</a>" not in topic["pt"]
    assert ">Water is life</a>" in topic["en"] and ">A água é vida</a>" not in topic["en"]
    # French has no version: the original, marked as Spanish, so nothing is hidden.
    assert '<h3 lang="es"><a href="../../../orgs/alfa/agua.html">El agua es vida</a>' in topic["fr"]
    assert '<h3 lang="qu"><a href="../../../orgs/alfa/yaku.html">Yakuqa kawsaymi</a>' in topic["fr"]
    # Each text once, whatever the number of its versions; the count says the same.
    for page in topic.values():
        assert len(titles(page)) == 3 and ">3 " in page
    assert "<h1>Água</h1>" in topic["pt"] and "<h1>Eau</h1>" in topic["fr"]


def test_a_languages_own_page_lists_every_version_in_it(site):
    for lang in EDITION:
        page = site.page(EDITION[lang] + "languages/pt/index.html")
        assert sorted(titles(page)) == ["A rede cresce", "A água é vida", "Feira de sementes"]


def test_org_page_agenda_and_news_in_portuguese(site):
    org = site.page("pt/orgs/alfa/index.html")
    assert ">A água é vida</a>" in org and ">Feira de sementes</a>" in org
    assert ">Solo en castellano</a>" in org
    assert "Colectivo Alfa es una organización de prueba." in org  # marked, not hidden
    agenda = site.page("pt/agenda/index.html")
    assert ">Feira de sementes</a>" in agenda and ">Feria de semillas</a>" not in agenda
    news = site.page("pt/news/index.html")
    assert titles(news) == ["A rede cresce"]
    assert titles(site.page("news/index.html")) == ["La red crece"]


def test_pagination_is_the_same_in_every_language(site):
    second = {lang: site.page(f"{EDITION[lang]}orgs/alfa/index-2.html") for lang in EDITION}
    counts = {page.count('<article class="item">') for page in second.values()}
    assert counts == {6}
    page = "pt/orgs/alfa/index-2.html"
    assert switcher(site.page(page)) == editions_of("orgs/alfa/index-2.html", seen_from=page)
    assert editions_of("orgs/alfa/index-2.html", seen_from=page)["fr"] == (
        "../../../fr/orgs/alfa/index-2.html"
    )


def editions_of(listing: str, seen_from: str) -> dict[str, str]:
    """Language -> address of `listing`'s edition, relative to the page `seen_from`, as the
    theme writes it (from the site's root down)."""
    root = "/".join([".."] * seen_from.count("/")) or "."
    return {lang: f"{root}/{prefix}{listing}" for lang, prefix in EDITION.items()}


def test_switching_language_on_a_listing_leads_to_the_same_listing(site):
    for listing in LISTINGS:
        for lang, prefix in EDITION.items():
            expected = editions_of(listing, seen_from=prefix + listing)
            assert switcher(site.page(prefix + listing)) == expected, (lang, listing)


def test_listings_declare_their_languages_with_hreflang(site):
    page = "en/topics/water/index.html"
    expected = editions_of("topics/water/index.html", seen_from=page)
    assert expected["es"] == "../../../topics/water/index.html"
    assert alternates(site.page(page)) == {**expected, "x-default": expected["es"]}


def test_a_text_declares_its_versions_and_a_text_alone_none(site):
    assert alternates(site.page("orgs/alfa/agua-pt.html")) == {
        "es": "../../orgs/alfa/agua.html",
        "pt": "../../orgs/alfa/agua-pt.html",
        "en": "../../orgs/alfa/water.html",
    }
    assert alternates(site.page("orgs/alfa/solo.html")) == {}


def test_switching_language_leads_to_the_translation_or_that_languages_home(site):
    links = switcher(site.page("orgs/alfa/agua.html"))
    assert links == {
        "es": "../../orgs/alfa/agua.html",
        "pt": "../../orgs/alfa/agua-pt.html",
        "en": "../../orgs/alfa/water.html",
        "fr": "../../fr/index.html",
    }
    assert switcher(site.page("orgs/alfa/water.html"))["es"] == "../../orgs/alfa/agua.html"


def test_a_text_leads_to_the_listings_of_its_language(site):
    page = site.page("orgs/alfa/agua-pt.html")
    assert '<a href="../../pt/news/index.html">Notícias</a>' in page
    assert 'href="../../pt/orgs/alfa/index.html">Colectivo Alfa</a>' in page
    assert 'href="../../pt/topics/water/index.html">Água</a>' in page


def test_each_language_has_a_home_with_its_versions_and_the_rest_marked(site):
    home = site.page("en/index.html")
    assert '<html lang="en">' in home and ">Skip to content</a>" in home
    assert ">Water is life</a>" in home and ">El agua es vida</a>" not in home
    assert '<h3 lang="es"><a href="../orgs/alfa/solo.html">Solo en castellano</a>' in home
    assert '<h3 lang="qu"><a href="../orgs/alfa/yaku.html">Yakuqa kawsaymi</a>' in home
    portuguese = site.page("pt/index.html")
    assert '<html lang="pt">' in portuguese and ">A água é vida</a>" in portuguese
    assert ">El agua es vida</a>" in site.page("index.html")


def test_the_default_language_is_also_at_its_code(site):
    home = site.page("es/index.html")
    assert '<link rel="canonical" href="../index.html">' in home
    assert titles(home) == titles(site.page("index.html"))


def shown_in_each_edition(site, listing: str, html: str, texts: dict[str, str]) -> None:
    """`html` with each language's text in it is in that language's edition of `listing`."""
    for lang, text in texts.items():
        assert html.format(text) in site.page(EDITION[lang] + listing), lang


def test_what_the_site_says_of_itself_is_translated(site):
    subtitle = {
        "es": "Red de organizaciones sociales de América Latina",
        "pt": "Rede de organizações sociais da América Latina",
        "en": "A network of social organizations of Latin America",
        "fr": "Réseau d&#39;organisations sociales d&#39;Amérique latine",
    }
    shown_in_each_edition(
        site, "news/index.html", '<span class="site-subtitle">{}</span>', subtitle
    )
    assert "Minga editorial team" in site.page("en/news/index.html")
    feed = feedparser.parse(site.page("pt/feeds/news.atom.xml"))
    assert feed.feed.subtitle == "Rede de organizações sociais da América Latina"
    assert feed.feed.title == "Minga - Notícias da rede"


def test_each_language_has_its_calendar(site):
    for lang, summary in (("es", "Feria de semillas"), ("pt", "Feira de sementes")):
        calendar = Calendar.from_ical(site.page(EDITION[lang] + "agenda/minga.ics"))
        events = calendar.walk("VEVENT")
        assert [str(e["summary"]) for e in events] == [summary]
        assert str(events[0]["uid"]) == "orgs/alfa/feria.md@minga"  # one event, one id
    org = Calendar.from_ical(site.page("fr/orgs/alfa/agenda.ics"))
    assert [str(e["summary"]) for e in org.walk("VEVENT")] == ["Feria de semillas"]


def test_digest_in_each_language_with_its_plain_text(site):
    week = "digest/2026-W14"
    assert ">A rede cresce</a>" in site.page(f"pt/{week}.html")
    text = site.page(f"pt/{week}.txt")
    assert "A rede cresce" in text and "La red crece" not in text
    assert text.startswith("Minga: esta semana na rede, 30 de mar.") and "5 de abr. de 2026" in text


def test_a_quechua_text_gets_the_default_interface(site):
    page = site.page("orgs/alfa/yaku.html")
    assert '<html lang="es">' in page and '<h1 lang="qu">Yakuqa kawsaymi</h1>' in page
    assert switcher(page)["es"] == "../../orgs/alfa/yaku.html"  # the current page
    assert switcher(page)["pt"] == "../../pt/index.html"


def test_a_text_in_three_languages_links_each_version(site):
    page = site.page("orgs/alfa/agua-pt.html")
    assert '<html lang="pt">' in page
    assert 'href="../../orgs/alfa/agua.html" hreflang="es" lang="es">español</a>' in page
    assert 'href="../../orgs/alfa/water.html" hreflang="en" lang="en">English</a>' in page


def test_no_broken_link_in_any_language(site):
    assert broken_links(site.output) == []


def test_counts_take_the_plural_and_the_digits_of_each_language(site):
    one = {"es": "publicación", "pt": "publicação", "en": "publication", "fr": "publication"}
    shown_in_each_edition(site, "types/event/index.html", '<p class="count">1 {} ·', one)
    assert '<p class="count">26 publicações ·' in site.page("pt/kinds/rural/index.html")


def test_numbers_are_written_as_each_language_writes_them():
    from localization import number

    assert number(30000, "es") == "30.000"
    assert number(30000, "pt") == "30.000"
    assert number(30000, "en") == "30,000"
    assert number(30000, "fr") == "30\u202f000"


def test_a_group_with_no_version_in_the_default_language_has_one_original(tmp_path):
    """A Brazilian org's text in Portuguese with its English translation, and an editors'
    page in the same case: built, each listed once per edition, each version linking the
    other."""
    card = org_card("Coletivo Beta", countries="BR").replace(
        "languages: [es]", "languages: [pt, en]"
    )
    site = {
        "content/topics.yaml": TOPICS,
        "orgs/beta/org.yaml": card,
        "orgs/beta/sementes.md": article(
            "Sementes crioulas", "2026-05-01", "pt", extra="translation_key: sementes\n"
        ),
        "orgs/beta/seeds.md": article(
            "Native seeds", "2026-05-02", "en", extra="translation_key: sementes\n"
        ),
        "content/pages/contato.md": "---\ntitle: Contato\nlang: pt\ntranslation_key: c\n---\nOi.\n",
        "content/pages/contact.md": "---\ntitle: Contact\nlang: en\ntranslation_key: c\n---\nHi.\n",
    }
    built = run_pelican(write_tree(tmp_path / "site", site), tmp_path / "output")
    assert built.returncode == 0, built.log
    link = re.compile(r'href="[./]*orgs/beta/(\w+)\.html"')
    listed = {
        edition: [
            name
            for name in link.findall(built.page(f"{edition}orgs/beta/index.html"))
            if name != "index"
        ]
        for edition in ("", "pt/", "en/", "fr/")
    }
    # The earliest version is the original: shown as it is where there is no version in
    # the edition's language, and each edition shows its own version; never both.
    assert listed == {"": ["sementes"], "pt/": ["sementes"], "en/": ["seeds"], "fr/": ["sementes"]}
    assert 'href="../../orgs/beta/seeds.html" hreflang="en"' in built.page(
        "orgs/beta/sementes.html"
    )
    assert 'href="../../orgs/beta/sementes.html" hreflang="pt"' in built.page(
        "orgs/beta/seeds.html"
    )
    assert 'hreflang="en"' in built.page("contato.html") and 'hreflang="pt"' in built.page(
        "contact.html"
    )


@dataclass(eq=False)
class Version:
    """What Pelican's translation grouping reads of a text."""

    translation_group: str
    lang: str
    source_path: str
    metadata: dict
    in_default_lang: bool


VERSIONS = st.lists(
    st.tuples(
        st.sampled_from("abcdef"),
        st.sampled_from(("es", "pt", "en")),
        st.sampled_from((None, "true", "false")),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(VERSIONS)
def test_translations_are_grouped_as_pelican_groups_them(drawn):
    """Minga groups translations one group at a time (Pelican's own grouping searches a
    list for each text, which grows with the square of the archive): the same originals
    and translations, in the same order, with the same versions linked."""

    def texts():
        return [
            Version(
                group, lang, f"t{n}.md", {} if flag is None else {"translation": flag}, lang == "es"
            )
            for n, (group, lang, flag) in enumerate(drawn)
        ]

    def seen(lists, texts):
        return [[t.source_path for t in found] for found in lists], {
            t.source_path: [v.source_path for v in getattr(t, "translations", [])] for t in texts
        }

    theirs, ours = texts(), texts()
    expected = seen(process_translations(theirs, "translation_group"), theirs)
    assert seen(translations_by_group(ours, "translation_group"), ours) == expected
    assert [t.source_path for t in ours] == [t.source_path for t in theirs]
