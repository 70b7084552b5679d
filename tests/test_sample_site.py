"""The sample site of the repository, built with real Pelican, read as a reader would."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import yaml
from conftest import ROOT, run_pelican
from content_model import org_of, split_front_matter
from icalendar import Calendar
from links import broken_links, clicks_from

ORG_DIRS = sorted(p for p in (ROOT / "orgs").iterdir() if p.is_dir())


def org_sources() -> list[Path]:
    return sorted((ROOT / "orgs").rglob("*.md"))


def front_matter(path: Path) -> dict:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    return yaml.safe_load(parts[0]) if parts else {}


def output_of(source: Path) -> str:
    return source.relative_to(ROOT).with_suffix(".html").as_posix()


def test_sample_content_is_rich_enough():
    cards = [yaml.safe_load((d / "org.yaml").read_text(encoding="utf-8")) for d in ORG_DIRS]
    assert len(cards) >= 8
    assert len({k for c in cards for k in c["kinds"]}) >= 6
    assert len({c for card in cards for c in card["countries"]}) >= 5
    for folder in ORG_DIRS:
        assert len(list(folder.rglob("*.md"))) >= 3, folder.name
    langs = [front_matter(p).get("lang", "es") for p in org_sources()]
    assert langs.count("es") > len(langs) / 2 and "pt" in langs and "en" in langs
    texts = org_sources() + sorted((ROOT / "content/news").glob("*.md"))
    keys = [front_matter(p).get("translation_key") for p in texts]
    assert len({k for k in keys if k and keys.count(k) > 1}) >= 2
    assert len(list((ROOT / "content/news").glob("*.md"))) >= 6


def edition(lang: str) -> str:
    """The folder of a language's listings and feeds (the default language's is the root)."""
    return f"{lang}/" if lang in ("pt", "en", "fr") else ""


def test_every_org_has_a_page_and_a_feed(sample_site):
    for folder in ORG_DIRS:
        assert (sample_site.output / f"orgs/{folder.name}/index.html").is_file()
        for source in folder.rglob("*.md"):
            # A text is in the feed of its language, or of every language if it has none.
            lang = front_matter(source).get("lang", "es")
            feed = sample_site.page(f"{edition(lang)}orgs/{folder.name}/feed.atom.xml")
            title = front_matter(source)["title"]
            assert title.replace("&", "&amp;") in feed or title in feed, (folder.name, title)


def test_every_article_is_attributed_to_its_folders_org(sample_site):
    for source in org_sources():
        org = org_of(source.relative_to(ROOT).as_posix())
        name = yaml.safe_load((ROOT / "orgs" / org / "org.yaml").read_text())["name"]
        page = sample_site.page(output_of(source))
        depth = "../" * (len(Path(output_of(source)).parts) - 1)
        lang = front_matter(source).get("lang", "es")
        link = f'<a href="{depth}{edition(lang)}orgs/{org}/index.html">{name}</a>'
        assert link in page, source
        org_page = "".join(
            p.read_text() for p in (sample_site.output / "orgs" / org).glob("index*.html")
        )
        if lang == "es" or not front_matter(source).get("translation_key"):
            assert Path(output_of(source)).name in org_page, source


def test_directory_lists_every_org(sample_site):
    directory = sample_site.page("orgs/index.html")
    for folder in ORG_DIRS:
        assert f'href="../orgs/{folder.name}/index.html"' in directory


def test_home_shows_latest_news_and_org_articles(sample_site):
    home = sample_site.page("index.html")
    news, orgs = home.split('id="orgs-heading"')
    assert news.count('<article class="item">') >= 3
    assert orgs.count('<article class="item">') >= 6
    item = re.search(r'<article class="item">.*?</article>', orgs, re.S).group(0)
    assert 'href="./orgs/' in item  # org name, linked
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\d\">\d+ de \w+ de \d{4}</time>", item)
    assert re.search(r'class="lang">(español|portugués|inglés)<', item)
    assert '<div class="summary"' in item
    assert "Equipo editorial de Minga" in news


def test_no_broken_link_and_every_feed_and_calendar_valid(sample_site, report):
    pages = sorted(sample_site.output.rglob("*.html"))
    assert broken_links(sample_site.output) == []
    feeds = sorted(sample_site.output.rglob("*.atom.xml"))
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.feed.language and feed.feed.title, path
    calendars = sorted(sample_site.output.rglob("*.ics"))
    for path in calendars:
        calendar = Calendar.from_ical(path.read_bytes())
        for event in calendar.walk("VEVENT"):
            assert event.get("dtstart") and event.get("uid") and event.get("summary"), path
    report(
        f"Sample site: {len(pages)} pages, 0 broken links; {len(feeds)} Atom feeds and "
        f"{len(calendars)} calendars, all valid"
    )


def test_every_org_article_within_three_clicks_of_home(sample_site):
    depth = clicks_from(sample_site.output)
    for source in org_sources():
        assert depth.get(output_of(source), 99) <= 3, output_of(source)


def test_translations_link_to_each_other(sample_site):
    groups: dict[str, list[Path]] = {}
    for source in org_sources():
        key = front_matter(source).get("translation_key")
        if key:
            groups.setdefault(key, []).append(source)
    pairs = [g for g in groups.values() if len(g) > 1]
    assert pairs
    for group in pairs:
        for source in group:
            page = sample_site.page(output_of(source))
            for other in group:
                if other != source:
                    assert f'{Path(output_of(other)).name}" hreflang=' in page


def test_every_page_declares_its_language_and_images_have_alt(sample_site):
    for page in sample_site.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<html lang="[a-z]{2,3}(-[A-Za-z]+)?">', html), page
        for img in re.findall(r"<img[^>]*>", html):
            assert re.search(r'alt="[^"]+"', img), (page, img)


def test_editors_pages_link_their_translations(sample_site):
    about_es = sample_site.page("sobre.html")
    assert 'href="./about.html" hreflang="en"' in about_es
    assert 'href="./sobre.html" hreflang="es"' in sample_site.page("about.html")
    footer = about_es.split('<footer class="site-footer">')[1]
    assert "about.html" not in footer  # the footer lists the pages in the site's language


def test_two_builds_of_the_same_tree_are_identical(sample_site, tmp_path):
    again = run_pelican(ROOT, tmp_path / "again")
    assert again.returncode == 0, again.log
    first = {p.relative_to(sample_site.output): p for p in sample_site.output.rglob("*")}
    second = {p.relative_to(again.output): p for p in again.output.rglob("*")}
    assert first.keys() == second.keys()
    different = [
        str(rel)
        for rel, path in first.items()
        if path.is_file() and path.read_bytes() != second[rel].read_bytes()
    ]
    assert different == []
