"""The editors' layer: curated news, and the home page's latest news and org articles.

Files under `content/news/` are the editorial team's curated news, attributed to the
team. The home page shows the latest of them beside the latest articles from the
organizations; the news also get their own paginated listing and Atom feed.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

DEFAULTS = {
    "EDITORIAL_TEAM": "Equipo editorial",
    "NEWS_SECTION": "news",
    "NEWS_INDEX_URL": "news/index.html",
    "NEWS_FEED_ATOM": "feeds/news.atom.xml",
    "HOME_NEWS_COUNT": 4,
    "HOME_ORG_ARTICLES_COUNT": 8,
}


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def split_streams(articles: list, settings: dict) -> tuple[list, list]:
    """Split articles (newest first) into curated news and organizations' articles."""
    news = [a for a in articles if a.section == settings["NEWS_SECTION"]]
    from_orgs = [a for a in articles if a.org_id is not None]
    return news, from_orgs


def on_articles_read(generator) -> None:
    news, from_orgs = split_streams(generator.articles, generator.settings)
    generator.context["news"] = news
    generator.context["org_articles"] = from_orgs
    generator.context["news_translations"] = [
        a for a in generator.translations if a.section == generator.settings["NEWS_SECTION"]
    ]


class NewsGenerator(Generator):
    """Write the paginated list of curated news and its feed."""

    def generate_output(self, writer) -> None:
        news = self.context.get("news", [])
        url = self.settings["NEWS_INDEX_URL"]
        writer.write_file(
            url,
            self.get_template("news"),
            self.context,
            self.settings["RELATIVE_URLS"],
            paginated={"articles": news},
            template_name="news",
            url=url,
            articles=news,
        )
        everything = sorted(
            news + self.context.get("news_translations", []), key=lambda a: a.date, reverse=True
        )
        feed = self.settings["NEWS_FEED_ATOM"]
        writer.write_feed(
            everything, self.context, feed, feed, feed_title=self.settings["EDITORIAL_TEAM"]
        )


def get_generators(pelican):
    return NewsGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(on_articles_read)
    signals.get_generators.connect(get_generators)
