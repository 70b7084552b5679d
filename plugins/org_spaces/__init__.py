"""Organization spaces: every org's card, profile page, feed, and the directory of orgs.

Each folder `orgs/<org>/` is one organization's autonomous space. Its `org.yaml` card is
read by the content model and attached to each of its articles as `article.org`; this
plugin then writes the org's profile page (card, description, articles newest first,
paginated), its Atom feed, a page per author, and one directory page listing every org,
each in an edition per interface language (see `site_paths`).
"""

from __future__ import annotations

from pathlib import Path

from content_model import ContentError, Problem, _, load_orgs, load_topics
from pelican import signals
from pelican.generators import Generator
from pelican.utils import slugify
from site_paths import write_editions, write_feed, write_listing, write_page

DEFAULTS = {
    "ORG_URL": "orgs/{org}/index.html",
    "ORG_FEED_ATOM": "orgs/{org}/feed.atom.xml",
    "ORGS_INDEX_URL": "orgs/index.html",
    # Optional vocabulary of topics, relative to PATH; org cards are checked against it.
    "TOPICS_FILE": "content/topics.yaml",
}


CARD_SUFFIXES = (".yaml", ".yml")


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


class OrgSpace:
    """An org card with what the theme needs to show its space."""

    def __init__(self, card, settings: dict):
        self.card = card
        self.url = settings["ORG_URL"].format(org=card.id)
        self.feed_url = settings["ORG_FEED_ATOM"].format(org=card.id)
        self.logo_url = f"{settings['ORGS_PATH']}/{card.id}/{card.logo}" if card.logo else ""
        self.articles = []  # originals, newest first
        self.translations = []

    def __getattr__(self, name):
        return getattr(self.card, name)

    def __fingerprint__(self, brief: bool) -> dict:
        """What pages show of the org (`incremental`): its card, addresses, authors and
        events; and its texts and activity (`observatory`) on the pages about the org (not
        `brief`), not on every page of one of its texts."""
        apart = ("articles", "translations", *(() if not brief else ("activity", "activity_from")))
        shown = {k: v for k, v in vars(self).items() if k not in apart}
        shown["authors"] = {
            name: author if not brief else author.url
            for name, author in getattr(self, "authors", {}).items()
        }
        if not brief:
            shown.update(articles=self.articles, translations=self.translations)
        return shown

    @property
    def feed_items(self) -> list:
        """Every text of the org, translations included, newest first."""
        return sorted(self.articles + self.translations, key=lambda a: a.date, reverse=True)


def read_spaces(settings: dict) -> tuple[dict[str, OrgSpace], dict]:
    """Load every org card and the topic vocabulary named in the settings."""
    root = Path(settings["PATH"])
    topics_file = root / settings["TOPICS_FILE"]
    shown = settings["TOPICS_FILE"]
    topics = load_topics(topics_file, shown) if topics_file.is_file() else None
    cards = load_orgs(
        root / settings["ORGS_PATH"],
        topics,
        display_root=root,
        skip=settings.get("SKIPPED_ORGS", ()),
    )
    return {org_id: OrgSpace(card, settings) for org_id, card in cards.items()}, topics or {}


def attach_orgs(spaces: dict[str, OrgSpace], generator) -> None:
    """Give each article its org; an org folder without a card is an error."""
    missing: dict[str, str] = {}
    everything = (
        generator.articles
        + generator.translations
        + generator.drafts
        + generator.drafts_translations
        + generator.hidden_articles
        + generator.hidden_translations
    )
    for article in everything:
        if article.org_id is None:
            continue
        space = spaces.get(article.org_id)
        if space is None:
            missing.setdefault(article.org_id, article.relative_source_path)
            continue
        article.org = space
    if missing:
        orgs_path = generator.settings["ORGS_PATH"]
        raise ContentError(
            [
                Problem(
                    f"{orgs_path}/{org_id}/org.yaml",
                    1,
                    _("the folder of %(source)s has no organization card", source=source),
                    _("create it with `invoke new-org %(org)s`", org=org_id),
                )
                for org_id, source in sorted(missing.items())
            ]
        )
    for article in generator.articles:
        if article.org is not None:
            article.org.articles.append(article)
    for article in generator.translations:
        if article.org is not None:
            article.org.translations.append(article)
    for space in spaces.values():
        # Pelican lists translations in no fixed order: two builds must see the same list.
        space.translations.sort(key=lambda a: a.source_path)
        space.translations.sort(key=lambda a: a.date, reverse=True)
        link_neighbours(space.articles)
        space.authors = authors_of(space)


def link_neighbours(articles: list) -> None:
    """Previous (older) and next (newer) text of the same org, for reading on."""
    for index, article in enumerate(articles):
        article.newer = articles[index - 1] if index > 0 else None
        article.older = articles[index + 1] if index + 1 < len(articles) else None


class Author:
    """A person who signs texts of one org (same name in two orgs: two people)."""

    def __init__(self, name: str, space: OrgSpace):
        self.name = name
        self.space = space
        self.slug = slugify(name, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")]) or "autoria"
        self.url = f"{space.url.rsplit('/', 1)[0]}/authors/{self.slug}.html"
        self.articles: list = []

    def __fingerprint__(self, brief: bool) -> tuple:
        """What pages show of the author (`incremental`): the texts on their own page."""
        return (self.name, self.url, self.space.url, [] if brief else self.articles)


def authors_of(space: OrgSpace) -> dict[str, Author]:
    """The org's authors by name, each with their texts newest first: a text once, even
    when the author signs several of its versions (the theme shows the reader's version)."""
    found: dict[str, Author] = {}
    groups: dict[str, set[str]] = {}  # name -> the translation groups already listed
    for article in space.feed_items:
        for author in getattr(article, "authors", None) or []:
            name = str(author)
            person = found.get(name)
            if person is None:
                person = found[name] = Author(name, space)
                groups[name] = set()
            if article.translation_group not in groups[name]:
                groups[name].add(article.translation_group)
                person.articles.append(article)
    return dict(sorted(found.items(), key=lambda item: item[0].casefold()))


def on_articles_read(generator) -> None:
    spaces, topics = read_spaces(generator.settings)
    attach_orgs(spaces, generator)
    generator.context["orgs"] = sorted(spaces.values(), key=lambda s: s.name.casefold())
    generator.context["orgs_by_id"] = spaces
    generator.context["topics"] = topics


def keep_cards_unpublished(generator) -> None:
    """Org cards are data for the build, not files for readers: drop them from static files."""
    generator.staticfiles[:] = [  # in place: the context holds the same list
        static for static in generator.staticfiles if not static.source_path.endswith(CARD_SUFFIXES)
    ]


class OrgSpacesGenerator(Generator):
    """Write, in each language's edition, each org's profile page, feed and author pages,
    and the directory of orgs."""

    def generate_output(self, writer) -> None:
        write_editions(self, lambda lang: self.write_edition(writer, lang))

    def write_edition(self, writer, lang: str) -> None:
        orgs = self.context.get("orgs", [])
        for space in orgs:
            write_listing(self, writer, "org", space.url, space.articles, lang=lang, org=space)
            write_feed(self, writer, space.articles, space.feed_url, lang, space.name)
            for author in space.authors.values():
                write_listing(
                    self,
                    writer,
                    "author",
                    author.url,
                    author.articles,
                    lang=lang,
                    author=author,
                    org=space,
                )
        write_page(self, writer, "orgs", self.settings["ORGS_INDEX_URL"], lang=lang, orgs=orgs)


def get_generators(pelican):
    return OrgSpacesGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(on_articles_read)
    signals.get_generators.connect(get_generators)
    signals.static_generator_finalized.connect(keep_cards_unpublished)
