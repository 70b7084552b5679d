"""Reading on: breadcrumbs, the org's previous and next texts, related texts, author pages."""

from __future__ import annotations

import pytest
from conftest import article, org_card, run_pelican, write_tree
from facets import build_facets, relate_all, related_texts
from links import broken_links

TOPICS = "water:\n  es: Agua\nland:\n  es: Tierra\n"
SITE = {
    "content/topics.yaml": TOPICS,
    "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
    "orgs/beta/org.yaml": org_card("Radio Beta", "communication", "MX"),
    "orgs/alfa/uno.md": article("Uno", "2026-01-01", extra="topics: [water]\nauthors: [Ana]\n"),
    "orgs/alfa/dos.md": article(
        "Dos", "2026-02-01", extra="topics: [land]\nauthors: [Ana, Luis]\n"
    ),
    "orgs/alfa/tres.md": article("Tres", "2026-03-01", extra="topics: [water, land]\n"),
    "orgs/beta/agua.md": article(
        "Agua en Beta", "2026-01-15", extra="topics: [water]\ncountries: [PE]\nauthors: [Ana]\n"
    ),
    "content/news/red.md": article("Noticia", "2026-02-15"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("nav")
    build = run_pelican(write_tree(base / "site", SITE), base / "output")
    assert build.returncode == 0, build.log
    return build


def test_breadcrumbs_lead_back_to_the_org_or_the_news(site):
    assert '<a href="../../orgs/alfa/index.html">Colectivo Alfa</a></nav>' in site.page(
        "orgs/alfa/dos.html"
    )
    assert '<a href="../news/index.html">Noticias</a></nav>' in site.page("news/red.html")


def test_previous_and_next_stay_within_the_org(site):
    middle = site.page("orgs/alfa/dos.html").split('class="reading-on"')[1].split("</nav>")[0]
    assert 'rel="prev" href="../../orgs/alfa/uno.html"' in middle
    assert 'rel="next" href="../../orgs/alfa/tres.html"' in middle
    first = site.page("orgs/alfa/uno.html").split('class="reading-on"')[1].split("</nav>")[0]
    assert 'rel="prev"' not in first and "Agua en Beta" not in first


def test_related_texts_share_topics_first(site):
    related = site.page("orgs/alfa/uno.html").split('id="related-heading"')[1]
    assert related.index(">Tres</a>") < related.index(">Agua en Beta</a>")
    assert ">Uno</a>" not in related and ">Noticia</a>" not in related


def test_related_ranking_as_a_plain_function():
    class Text:
        def __init__(self, title, day, topics, countries=()):
            import datetime as dt

            self.title, self.date, self.lang = title, dt.datetime(2026, 1, day), "es"
            self.topics, self.countries, self.org, self.translations = topics, countries, None, []

    a, b = Text("a", 1, ["water"], ["PE"]), Text("b", 2, ["water"], ["PE"])
    c, d = Text("c", 9, ["water"]), Text("d", 5, ["land"], ["PE"])
    facets = build_facets([a, b, c, d], [])
    assert related_texts(a, facets) == [b, c, d]  # 3 points, then 2 (newest), then 1


def test_related_ranking_matches_a_plain_sort_on_many_texts():
    """Against the plain definition: every text sharing a topic or a country, by points
    (2 a topic, 1 a country) among the 200 newest of each group, then newest, then in the
    order met; many ties of date."""
    import datetime as dt
    import random

    class Text:
        def __init__(self, number, rng):
            self.title, self.lang, self.org, self.translations = f"t{number}", "es", None, []
            self.date = dt.datetime(2026, 1, 1) + dt.timedelta(days=rng.randrange(30))
            self.topics = rng.sample(["water", "land", "seeds", "radio"], rng.randrange(3))
            self.countries = rng.sample(["PE", "BO", "GT"], rng.randrange(3))

    rng = random.Random(7)
    texts = [Text(number, rng) for number in range(300)]
    facets = build_facets(texts, [])

    def plain(text):
        met: dict[int, list] = {}
        for family, weight in (("topic", 2), ("country", 1)):
            for key in getattr(text, "topics" if family == "topic" else "countries"):
                for other in facets[family][key].articles[:200]:  # the pool
                    if other is not text:
                        met.setdefault(id(other), [0, other])[0] += weight
        ranked = sorted(met.values(), key=lambda pair: (-pair[0], -pair[1].date.timestamp()))
        return [other for _points, other in ranked[:3]]

    for text in texts:
        assert related_texts(text, facets) == plain(text), text.title


def test_related_texts_are_taken_from_the_last_build_until_a_topic_changes(tmp_path):
    """Kept by source path: the same ranking when no text's topics, countries, date or
    versions changed, whatever the order the texts were read in; ranked again when one did."""
    import datetime as dt
    import random

    class Text:
        def __init__(self, number):
            rng = random.Random(number)
            self.source_path, self.lang, self.org = f"orgs/o/t{number}.md", "es", None
            self.date = dt.datetime(2026, 1, 1) + dt.timedelta(days=rng.randrange(30))
            self.topics = rng.sample(["water", "land", "seeds", "radio"], rng.randrange(3))
            self.countries = rng.sample(["PE", "BO", "GT"], rng.randrange(3))
            self.translations = []

    def build(change=None) -> tuple[bool, dict, dict]:
        texts = [Text(number) for number in range(120)]
        if change:
            change(texts)
        facets = build_facets(texts, [])
        reused = relate_all(texts, [], facets, tmp_path / "related.pickle")
        ranked = {t.source_path: [r.source_path for r in related_texts(t, facets)] for t in texts}
        return reused, {t.source_path: [r.source_path for r in t.related] for t in texts}, ranked

    assert build()[0] is False
    reused, related, ranked = build()
    assert reused and related == ranked and any(related.values())

    def retitle(texts):
        texts[5].title = "Otro título"

    def new_topic(texts):
        texts[5].topics = ["radio", "seeds"]

    def read_in_another_order(texts):
        random.Random(7).shuffle(texts)

    assert build(read_in_another_order)[:2] == (True, related)
    assert build(retitle)[0] is True
    reused, related, ranked = build(new_topic)
    assert not reused and related == ranked and related != build()[1]


def test_authors_of_different_orgs_are_different_people(site):
    ana_alfa = site.page("orgs/alfa/authors/ana.html")
    assert ">Uno</a>" in ana_alfa and ">Dos</a>" in ana_alfa and "Agua en Beta" not in ana_alfa
    ana_beta = site.page("orgs/beta/authors/ana.html")
    assert "Agua en Beta" in ana_beta and ">Uno</a>" not in ana_beta
    assert '<a href="../../orgs/alfa/authors/luis.html">Luis</a>' in site.page("orgs/alfa/dos.html")
    assert broken_links(site.output) == []


def test_an_authors_texts_are_paged(tmp_path):
    """An author's page lists their texts 20 a page, newest first, as an org's page does."""
    files = {"orgs/alfa/org.yaml": SITE["orgs/alfa/org.yaml"]}
    for day in range(1, 23):
        files[f"orgs/alfa/nota-{day}.md"] = article(
            f"Nota {day} de Rosa", f"2026-03-{day:02d}", extra="authors: [Rosa]\n"
        )
    build = run_pelican(write_tree(tmp_path / "site", files), tmp_path / "output")
    assert build.returncode == 0, build.log
    first = build.page("orgs/alfa/authors/rosa.html")
    second = build.page("orgs/alfa/authors/rosa-2.html")
    assert "22 textos en" in first and "Página 1 de 2" in first
    assert "Nota 22 de Rosa" in first and "Nota 3 de Rosa" in first
    assert "Nota 2 de Rosa<" not in first
    assert "Nota 2 de Rosa<" in second and "Nota 1 de Rosa<" in second
    assert "Nota 3 de Rosa<" not in second
