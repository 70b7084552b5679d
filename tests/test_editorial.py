"""The editors' layer on fixture sites: home-page picks and their fallback, and dossiers."""

from __future__ import annotations

import feedparser
from conftest import article, org_card
from links import broken_links

BASE = {
    "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
    "orgs/beta/org.yaml": org_card("Radio Beta", "communication", "MX"),
    "orgs/alfa/vieja.md": article("Nota vieja de Alfa", "2026-01-10"),
    "orgs/alfa/nueva.md": article("Nota nueva de Alfa", "2026-06-10"),
    "orgs/beta/radio.md": article("Nota de Beta", "2026-05-10"),
    "content/news/red.md": article("Noticia de la red", "2026-04-10"),
    "content/pages/sobre.md": "---\ntitle: Sobre el sitio\nlang: es\n---\n\nTexto.\n",
}
CURATION = (
    "updated: 2026-06-01\nfeatured:\n  es:\n    - orgs/alfa/vieja.md\n    - content/news/red.md\n"
)


def sections(home: str) -> dict[str, str]:
    parts = {}
    for name in ("featured-heading", "news-heading", "orgs-heading"):
        if f'id="{name}"' in home:
            parts[name] = home.split(f'id="{name}"')[1].split("</section>")[0]
    return parts


def test_home_shows_the_editors_picks_in_order(build_fixture):
    build = build_fixture(
        {**BASE, "content/curation.yaml": CURATION}, extra=("-e", 'BUILD_DATE="2026-06-15"')
    )
    assert build.returncode == 0, build.log
    home = sections(build.page("index.html"))
    featured = home["featured-heading"]
    assert featured.index("Nota vieja de Alfa") < featured.index("Noticia de la red")
    assert "Nota vieja de Alfa" not in home["orgs-heading"]  # not shown twice
    assert "Noticia de la red" not in home["news-heading"]
    assert "Nota nueva de Alfa" in home["orgs-heading"]


def test_stale_or_empty_curation_falls_back_to_the_latest(build_fixture):
    stale = build_fixture(
        {**BASE, "content/curation.yaml": CURATION}, extra=("-e", 'BUILD_DATE="2026-09-30"')
    )
    assert stale.returncode == 0, stale.log
    home = sections(stale.page("index.html"))
    assert "featured-heading" not in home
    assert "Nota vieja de Alfa" in home["orgs-heading"]
    empty = build_fixture({**BASE, "content/curation.yaml": "featured: {}\n"})
    assert empty.returncode == 0, empty.log
    assert "featured-heading" not in sections(empty.page("index.html"))


def test_a_dossier_mixes_orgs_and_news_in_the_editors_order(build_fixture):
    dossier = (
        "---\ntitle: Dossier de prueba\ndate: 2026-06-20\nlang: es\n"
        "summary: Varias voces.\nitems:\n  - orgs/beta/radio.md\n  - content/news/red.md\n"
        "  - orgs/alfa/vieja.md\n---\n\nIntroducción del equipo editorial.\n"
    )
    build = build_fixture({**BASE, "content/dossiers/prueba.md": dossier})
    assert build.returncode == 0, build.log
    page = build.page("dossiers/prueba.html")
    assert "Introducción del equipo editorial." in page
    listed = page.split('id="dossier-texts"')[1]
    order = [listed.index(t) for t in ("Nota de Beta", "Noticia de la red", "Nota vieja de Alfa")]
    assert order == sorted(order) and "Nota nueva de Alfa" not in listed
    feed = feedparser.parse(build.page("dossiers/prueba.atom.xml"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [
        "Nota de Beta",
        "Noticia de la red",
        "Nota vieja de Alfa",
    ]
    assert 'href="../dossiers/prueba.html"' in build.page("dossiers/index.html")
    footer = build.page("index.html").split('<footer class="site-footer">')[1]
    assert "Sobre el sitio" in footer and "Dossier de prueba" not in footer
    assert broken_links(build.output) == []


def test_weekly_digest_pages_plain_text_and_feed(build_fixture):
    build = build_fixture(BASE)
    assert build.returncode == 0, build.log
    # 2026-06-10 is in ISO week 24, 2026-05-10 in week 19 (a Sunday), 2026-04-10 in week 15
    week = build.page("digest/2026-W24.html")
    assert "Esta semana en la red: 8–14 de junio de 2026" in week
    assert ">Nota nueva de Alfa</a>" in week and "Nota de Beta" not in week
    text = build.page("digest/2026-W19.txt")
    assert text.startswith("Minga: esta semana en la red, 4–10 de mayo de 2026\n")
    assert "* Nota de Beta\n  Radio Beta\n" in text
    assert "/orgs/beta/radio.html" in text and "<" not in text
    index = build.page("digest/index.html")
    assert index.index("2026-W24.html") < index.index("2026-W19.html")
    # The feed has an entry per week ("this week in the network"), newest first.
    feed = feedparser.parse(build.page("digest/feed.atom.xml"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [
        "Esta semana en la red: 8–14 de junio de 2026",
        "Esta semana en la red: 4–10 de mayo de 2026",
        "Esta semana en la red: 6–12 de abril de 2026",
        "Esta semana en la red: 5–11 de enero de 2026",
    ]
    may = feed.entries[1]
    assert may.link == "http://localhost:8000/digest/2026-W19.html"
    assert (
        'href="http://localhost:8000/orgs/beta/radio.html">Nota de Beta</a>' in may.content[0].value
    )
    english = feedparser.parse(build.page("en/digest/feed.atom.xml"))
    assert english.entries[0].title == "This week in the network: Jun 8 – 14, 2026"


def test_the_digest_begins_on_the_day_the_editors_set(build_fixture):
    # 2026-05-06 is the Wednesday of ISO week 19: that week is the first with a digest.
    build = build_fixture(BASE, extra=('DIGEST_SINCE="2026-05-06"',))
    assert build.returncode == 0, build.log
    assert sorted(path.name for path in (build.output / "digest").iterdir()) == [
        "2026-W19.html",
        "2026-W19.txt",
        "2026-W24.html",
        "2026-W24.txt",
        "feed.atom.xml",
        "index.html",
    ]
    assert "2026-W15" not in build.page("en/digest/index.html")
    feed = feedparser.parse(build.page("digest/feed.atom.xml"))
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == ["2026-W24.html", "2026-W19.html"]
    # The older texts stay everywhere else.
    assert "Noticia de la red" in build.page("news/index.html")
    assert "Nota vieja de Alfa" in build.page("orgs/alfa/index.html")
    assert not broken_links(build.output)
