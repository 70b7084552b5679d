"""The editors' layer: curated news, the home page's picks, and dossiers.

- Files under `content/news/` are the editorial team's curated news, with their own
  paginated listing and Atom feed.
- `content/curation.yaml` lists, per language, the texts the editors feature on the home
  page, in order. When it is empty, or older than `CURATION_MAX_AGE_DAYS`, the home page
  falls back to the latest news and the latest texts from the organizations.
- A dossier (`content/dossiers/`) is an editor's introduction and an ordered list of texts
  from any organization or the news, shown as one page and one feed.
- The weekly digest ("this week in the network"): a page per ISO week with the week's
  texts, a plain-text version beside it for e-mail, an index of weeks, and a feed.

Each interface language has its own edition of all of these (see `site_paths`), home page
included: the default language's at the root (and also at `es/index.html`), the others
under their code.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from pathlib import Path

from babel import Locale
from babel.dates import format_interval, match_skeleton
from content_model import (
    GUIDE_THEMES,
    ContentError,
    Message,
    _,
    load_curation,
    setting_problem,
)
from incremental import write_keyed
from localization import strings, translate
from pelican import signals
from pelican.generators import Generator
from site_paths import (
    edition_url,
    in_language,
    public_base_url,
    site_text,
    write_editions,
    write_feed,
    write_listing,
    write_page,
)

DEFAULTS = {
    "EDITORIAL_TEAM": "Equipo editorial",
    "NEWS_SECTION": "news",
    "NEWS_INDEX_URL": "news/index.html",
    "NEWS_FEED_ATOM": "feeds/news.atom.xml",
    "HOME_NEWS_COUNT": 4,
    "HOME_ORG_ARTICLES_COUNT": 8,
    "CURATION_FILE": "content/curation.yaml",
    # The home page's picks are ignored once the file is older than this.
    "CURATION_MAX_AGE_DAYS": 21,
    "DOSSIERS_SECTION": "dossiers",
    "DOSSIERS_INDEX_URL": "dossiers/index.html",
    # The guides (`content/guides/`): published, listed by theme on their index page, and
    # not in the footer.
    "GUIDES_SECTION": "guides",
    "GUIDES_INDEX_URL": "guides/index.html",
    # The day the site is built for ("YYYY-MM-DD"); None means today. Decides what is
    # upcoming in the agenda and whether the curation is stale.
    "BUILD_DATE": None,
    "DIGEST_INDEX_URL": "digest/index.html",
    "DIGEST_FEED_ATOM": "digest/feed.atom.xml",
    # How many recent weeks the digest feed carries.
    "DIGEST_FEED_WEEKS": 4,
    # The first day with a digest ("YYYY-MM-DD"): the weeks that end before it have no
    # digest page, mail or feed entry (their texts stay in every other listing). None: every
    # week with a text, back to the oldest.
    "DIGEST_SINCE": None,
}


TAGS = re.compile(r"<[^>]+>")


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    # A bad day stops the build before anything is read.
    build_date(pelican.settings)
    digest_since(pelican.settings)


def digest_since(settings: dict) -> dt.date | None:
    """The first day with a digest (`DIGEST_SINCE`), or None for every week."""
    fix = _(
        'write the first day with a digest as "YYYY-MM-DD" (`DIGEST_SINCE = "2026-01-05"`), '
        "or None for a digest of every week"
    )
    return setting_day("DIGEST_SINCE", settings, fix)


def build_date(settings: dict) -> dt.date:
    """The day the site is built for (`BUILD_DATE`), today by default."""
    fix = _(
        'write the day the site is built for as "YYYY-MM-DD" (`BUILD_DATE = "2026-06-15"`), '
        "or None for the day of the build"
    )
    return setting_day("BUILD_DATE", settings, fix) or dt.date.today()


def setting_day(name: str, settings: dict, fix: Message) -> dt.date | None:
    """The day a setting gives ("YYYY-MM-DD", or a `date`), None when it gives none."""
    value = settings.get(name)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        problem = _("`%(name)s = %(value)r` is not a day", name=name, value=value)
        raise setting_problem(name, settings, problem, fix) from None


def split_streams(articles: list, settings: dict) -> tuple[list, list]:
    """Split articles (newest first) into curated news and organizations' articles."""
    news = [a for a in articles if a.section == settings["NEWS_SECTION"]]
    from_orgs = [a for a in articles if a.org_id is not None]
    return news, from_orgs


def featured_texts(curation, lang: str, by_path: dict, day: dt.date, max_age: int) -> list:
    """The picks for `lang`, in order; none when the curation is stale."""
    if curation is None or (curation.updated and (day - curation.updated).days > max_age):
        return []
    picks = [by_path.get(path) for path in curation.featured.get(lang, [])]
    return [text for text in picks if text is not None and text.status == "published"]


@dataclass
class Week:
    """One ISO week of the network: its texts, newest first."""

    year: int
    number: int
    articles: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def url(self) -> str:
        return f"digest/{self.key}.html"

    @property
    def text_url(self) -> str:
        return f"digest/{self.key}.txt"

    def label(self, lang: str) -> str:
        """`16–22 de noviembre de 2026`, in the reader's language."""
        return week_label(self.year, self.number, lang)


WEEK_SKELETON = "yMMMMd"  # day, month and year, the month spelled out


@lru_cache(maxsize=16384)
def week_label(year: int, number: int, lang: str) -> str:
    """An ISO week's dates, once per language: a week is named on its page, in its
    plain-text mail and in the list of weeks, and CLDR's intervals take half a millisecond
    each."""
    monday = dt.date.fromisocalendar(year, number, 1)
    sunday = dt.date.fromisocalendar(year, number, 7)
    return format_interval(monday, sunday, week_skeleton(lang), locale=lang)


@lru_cache(maxsize=64)
def week_skeleton(lang: str) -> str:
    """The language's CLDR interval format closest to day, month and year, found once (Babel
    looks for it again at each call when the language has no exact one)."""
    return match_skeleton(WEEK_SKELETON, Locale.parse(lang).interval_formats) or WEEK_SKELETON


def weeks_of(articles: list, since: dt.date | None = None) -> list[Week]:
    """The texts grouped by ISO week, newest week first; from the week holding `since`."""
    first = since.isocalendar()[:2] if since else None
    weeks: dict[tuple, Week] = {}
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        year, number, _day = article.date.isocalendar()
        if first and (year, number) < first:
            break  # the texts that follow are older still
        weeks.setdefault((year, number), Week(year, number)).articles.append(article)
    return list(weeks.values())


def plain_text(html: str) -> str:
    """The text of a bit of HTML (a summary), for e-mail and calendars."""
    return unescape(TAGS.sub("", html or "")).strip()


def digest_text(week: Week, heading: str, site_url: str, lang: str, team: str) -> str:
    """The week as plain text, ready to paste into an e-mail: each text in its version in
    `lang` when it has one, under `heading` (e.g. "Minga: esta semana en la red")."""
    title = f"{heading}, {week.label(lang)}"
    lines = [title, "=" * len(title), ""]
    for article in in_language(week.articles, lang):
        who = article.org.name if getattr(article, "org", None) else team
        summary = plain_text(getattr(article, "summary", ""))
        lines += [
            f"* {article.title}",
            f"  {who}",
            *textwrap.wrap(summary, 76, initial_indent="  ", subsequent_indent="  "),
            f"  {site_url.rstrip('/')}/{article.url}",
            "",
        ]
    return "\n".join(lines)


def on_articles_read(generator) -> None:
    news, from_orgs = split_streams(generator.articles, generator.settings)
    generator.context["news"] = news
    generator.context["org_articles"] = from_orgs
    generator.context["news_translations"] = [
        a for a in generator.translations if a.section == generator.settings["NEWS_SECTION"]
    ]
    generator.context["weeks"] = weeks_of(news + from_orgs, digest_since(generator.settings))


def on_pages_read(generator) -> None:
    """Resolve dossiers' texts and the home page's picks, once every text has been read."""
    settings, context = generator.settings, generator.context
    by_path = {
        path: text
        for path, text in context["generated_content"].items()
        if text is not None and hasattr(text, "status")
    }
    context["texts_by_path"] = by_path  # the language homes resolve their picks with it
    dossiers = []
    for page in generator.pages + generator.translations:
        page.dossier_texts = []
        if page.section == settings["DOSSIERS_SECTION"]:
            page.template = "dossier"
            page.dossier_texts = [
                by_path[p]
                for p in page.metadata.get("items", ())
                if p in by_path and by_path[p].status == "published"
            ]
            page.feed_url = page.url.replace(".html", ".atom.xml")
            dossiers.append(page)
    # Every dossier page, translations included; the theme lists each in its reader's version.
    context["dossier_pages"] = dossiers
    originals = [page for page in dossiers if page in generator.pages]
    context["dossiers"] = sorted(originals, key=lambda d: d.date, reverse=True)
    context["guide_themes"] = guides_by_theme(generator.pages, settings["GUIDES_SECTION"])
    # The footer lists the editors' pages; the guides are reached from "how to take part".
    listed_apart = (settings["DOSSIERS_SECTION"], settings["GUIDES_SECTION"])
    context["site_pages"] = [p for p in context.get("pages", ()) if p.section not in listed_apart]

    curation_file = Path(settings["PATH"]) / settings["CURATION_FILE"]
    curation = None
    if curation_file.is_file():
        try:
            curation, _locations = load_curation(curation_file, settings["CURATION_FILE"])
        except ContentError:
            curation = None  # reported by the check that runs before every build
    context["curation"] = curation


def guides_by_theme(pages: list, section: str) -> list[tuple[str, list]]:
    """(theme, its guides by title) in the order of `GUIDE_THEMES`, for the themes that have
    guides; a guide once, by its original (the index shows the reader's version)."""
    from checks.guides import CONTENTS_KEY

    def order(page) -> tuple:  # a theme's table of contents first
        return (page.metadata.get("translation_key") != CONTENTS_KEY, page.title.casefold())

    guides = [page for page in pages if page.section == section]
    return [
        (theme, sorted(found, key=order))
        for theme in GUIDE_THEMES
        if (found := [page for page in guides if page.metadata.get("theme") == theme])
    ]


class EditorialGenerator(Generator):
    """Write, in each language's edition: the home page, the list of curated news and its
    feed, the index of dossiers, the index of guides, and the weekly digest; and each
    dossier's feed."""

    def generate_output(self, writer) -> None:
        settings, context = self.settings, self.context
        write_editions(self, lambda lang: self.write_edition(writer, lang))
        for dossier in context.get("dossier_pages", []):
            write_feed(
                self,
                writer,
                dossier.dossier_texts,
                dossier.feed_url,
                dossier.lang,
                dossier.title,
                in_edition=False,
                complete=True,
            )
        # The default language is also at its own code, e.g. `es/index.html`.
        default = settings["DEFAULT_LANG"]
        alias = settings["EDITION_PREFIX"].format(lang=default) + "index.html"
        self.write_home(writer, default, address=alias)

    def write_edition(self, writer, lang: str) -> None:
        settings, context = self.settings, self.context
        self.write_home(writer, lang)
        news = context.get("news", [])
        write_listing(self, writer, "news", settings["NEWS_INDEX_URL"], news, lang=lang)
        news_title = translate(settings, lang, strings.NEWS)
        write_feed(self, writer, news, settings["NEWS_FEED_ATOM"], lang, news_title)
        write_page(self, writer, "dossiers", settings["DOSSIERS_INDEX_URL"], lang=lang)
        write_page(self, writer, "guides", settings["GUIDES_INDEX_URL"], lang=lang)
        self.write_digest(writer, lang)

    def write_home(self, writer, lang: str, address: str | None = None) -> None:
        """A language's home page: its picks, then the latest news and texts, each text
        in its version in `lang` when it has one."""
        settings, context = self.settings, self.context
        featured = featured_texts(
            context.get("curation"),
            lang,
            context.get("texts_by_path", {}),
            build_date(settings),
            settings["CURATION_MAX_AGE_DAYS"],
        )
        shown = {text.translation_group for text in featured}
        variables = {
            "featured": featured,
            "news": [t for t in context.get("news", []) if t.translation_group not in shown],
            "org_articles": [
                t for t in context.get("org_articles", []) if t.translation_group not in shown
            ],
        }
        if address is None:
            write_page(self, writer, "index", "index.html", lang=lang, **variables)
        else:
            canonical = edition_url("index.html", lang, settings)
            write_page(
                self, writer, "index", address, ui_lang=lang, canonical=canonical, **variables
            )

    def write_digest(self, writer, lang: str) -> None:
        """The week pages, their plain text for e-mail, the index of weeks and the feed."""
        settings = self.settings
        weeks = self.context.get("weeks", [])
        site_url = public_base_url(settings)
        title = f"{settings['SITENAME']}: {translate(settings, lang, strings.THIS_WEEK).lower()}"
        team = site_text(settings, "EDITORIAL_TEAM", lang)
        for week in weeks:
            write_page(self, writer, "digest", week.url, lang=lang, week=week)
            write_keyed(
                self.output_path,
                edition_url(week.text_url, lang, settings),
                (week, title, site_url, lang, team),
                lambda week=week: digest_text(week, title, site_url, lang, team),
            )
        write_page(self, writer, "digests", settings["DIGEST_INDEX_URL"], lang=lang, weeks=weeks)
        heading = translate(settings, lang, strings.THIS_WEEK)
        template = self.get_template("_digest_entry")
        entries = [
            WeekEntry(
                title=f"{heading}: {week.label(lang)}",
                url=edition_url(week.url, lang, settings),
                date=week.articles[0].date,
                html=template.render(
                    {**self.context, "SITEURL": site_url, "ui_lang": lang, "week": week}
                ),
            )
            for week in weeks[: settings["DIGEST_FEED_WEEKS"]]
        ]
        write_feed(
            self,
            writer,
            entries,
            settings["DIGEST_FEED_ATOM"],
            lang,
            heading,
            as_is=True,
            complete=True,
        )


@dataclass
class WeekEntry:
    """One week of the digest as an entry of its feed: the week's texts, in one language."""

    title: str
    url: str
    date: dt.datetime  # of the week's newest text: the entry changes while the week goes on
    html: str
    summary: str | None = None

    def get_content(self, _siteurl: str) -> str:
        return self.html


def get_generators(pelican):
    return EditorialGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(on_articles_read)
    signals.page_generator_finalized.connect(on_pages_read)
    signals.get_generators.connect(get_generators)
