"""Facets: every way a reader can browse the archive, each a paginated listing with a feed.

Texts are grouped by topic, country, kind of organization, language, type of text, and by
year and month. Each group gets a page (how many texts, its feed, its items newest
first, paginated) and an Atom feed; each family gets an index of its groups, and one page
lists every family. The first page of a topic or a country also lists the organizations
active there.
The whole archive is one more listing (`archives.html`) with the feed of everything.

Every page and feed has an edition per interface language (see `site_paths`). A text is
counted once, by its original, and shown in the edition's language when it has a version
in it; only a language's own page lists each version apart.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from localization import facet_label
from pelican import signals
from pelican.generators import Generator
from site_paths import write_editions, write_feed, write_listing, write_page
from site_paths.kept import files_digest, keep_made, read_made

# Family -> folder of its pages. The order is the order of the explore page.
FAMILIES = {
    "topic": "topics",
    "country": "countries",
    "kind": "kinds",
    "language": "languages",
    "type": "types",
    "year": "archive",
    "month": "archive",
}
DEFAULTS = {
    "EXPLORE_URL": "explore/index.html",
    "ARCHIVES_URL": "archives.html",
    "ARCHIVES_FEED_ATOM": "feeds/all.atom.xml",
}


def family_url(family: str) -> str:
    return f"{FAMILIES[family]}/index.html"


def facet_url(family: str, key: str) -> str:
    """The page of one group, e.g. facet_url("country", "BO") -> countries/bo/index.html."""
    return Facet(family, key).url


@dataclass
class Facet:
    """One group of texts: e.g. the topic `water`, the country `BO`, the month 2026-03."""

    family: str
    key: str
    articles: list = field(default_factory=list)  # newest first

    def __fingerprint__(self, _brief: bool) -> tuple:
        """What pages show of the group (`incremental`): its texts, digested once."""
        return (self.family, self.key, self.articles)

    @property
    def folder(self) -> str:
        if self.family == "month":
            year, month = self.key.split("-")
            return f"archive/{year}/{month}"
        return f"{FAMILIES[self.family]}/{self.key.lower()}"

    @property
    def url(self) -> str:
        return f"{self.folder}/index.html"

    @property
    def parent_url(self) -> str:
        """The page one level up: the family's index, or a month's year."""
        if self.family == "month":
            return f"archive/{self.key[:4]}/index.html"
        return family_url(self.family)

    @property
    def feed_url(self) -> str:
        return f"{self.folder}/feed.atom.xml"

    @cached_property
    def orgs(self) -> list:
        """Organizations with at least one text here, by name (asked once the group is
        complete, by its pages)."""
        found = {a.org.id: a.org for a in self.articles if getattr(a, "org", None)}
        return sorted(found.values(), key=lambda o: o.name.casefold())

    @property
    def date(self):
        return self.articles[0].date if self.articles else None


def keys_of(article) -> dict[str, list[str]]:
    """The facet keys of one text, family by family."""
    org = getattr(article, "org", None)
    countries = list(getattr(article, "countries", None) or (org.countries if org else []))
    date = article.date  # its fields, not `strftime` (Pelican's own: 40 µs a text)
    return {
        "topic": list(getattr(article, "topics", None) or []),
        "country": countries,
        "kind": list(org.kinds) if org else [],
        "language": [article.lang],
        "type": [getattr(article, "type", None) or "news"],
        "year": [f"{date.year:04d}"],
        "month": [f"{date.year:04d}-{date.month:02d}"],
    }


def build_facets(originals: list, translations: list) -> dict[str, dict[str, Facet]]:
    """Group texts by every facet; newest first. Translations count only for languages."""
    facets: dict[str, dict[str, Facet]] = defaultdict(dict)
    everything = [(a, False) for a in originals] + [(a, True) for a in translations]
    for article, is_translation in sorted(everything, key=lambda t: t[0].date, reverse=True):
        for family, keys in keys_of(article).items():
            if is_translation and family != "language":
                continue
            for key in keys:
                facet = facets[family].setdefault(key, Facet(family, key))
                facet.articles.append(article)
    return {family: dict(sorted(groups.items())) for family, groups in facets.items()}


def related_texts(
    article, facets: dict, limit: int = 3, pool: int = 200, ages: dict | None = None
) -> list:
    """Texts sharing the most topics (weight 2) and countries (weight 1), then the newest
    (`ages`, when given: id of a text -> minus its timestamp, worked out once for all);
    between texts as new, the first met (topics before countries, newest first).

    Only the `pool` newest texts of each shared group are considered, so the cost stays
    bounded however large the archive grows.
    """
    counts: Counter[int] = Counter()  # id of a text -> its score, in the order met
    texts: dict[int, object] = {}
    keys = keys_of(article)
    for family, weight in (("topic", 2), ("country", 1)):
        for key in keys[family]:
            group = facets.get(family, {}).get(key)
            if group:
                newest = group.articles[:pool]
                ids = list(map(id, newest))
                texts.update(zip(ids, newest, strict=True))
                for _ in range(weight):
                    counts.update(ids)  # counted in C, a point each time
    for own in (article, *getattr(article, "translations", ())):
        counts.pop(id(own), None)

    def age(found: int) -> float:
        return ages[found] if ages is not None else -texts[found].date.timestamp()

    chosen: list[int] = []
    for score in sorted(set(counts.values()), reverse=True):
        tied = [found for found, count in counts.items() if count == score]
        # nsmallest keeps the order met between texts as new, as a stable sort would.
        chosen += heapq.nsmallest(limit - len(chosen), tied, key=age)
        if len(chosen) >= limit:
            break
    return [texts[found] for found in chosen]


def relate_all(originals: list, translations: list, facets: dict, kept: Path | None = None) -> bool:
    """Set each text's `related`; True when they were taken from the last build.

    They are ranked from what every text says of its topics, countries, date and versions,
    so when none of that changed (a body edited, a text's title) the last build's ranking,
    kept under `kept` by source path, is the same: 7 s spared at 30,000 texts."""
    texts = originals + translations
    made_of = hashlib.sha256(
        repr(
            (
                files_digest(Path(__file__).parent),
                # Sorted: Pelican reads the files in no fixed order, and the lists follow it.
                sorted(
                    (
                        text.source_path,
                        number >= len(originals),  # a translation
                        text.date.timestamp(),
                        (keys := keys_of(text))["topic"],
                        keys["country"],
                        [other.source_path for other in getattr(text, "translations", ())],
                    )
                    for number, text in enumerate(texts)
                ),
            )
        ).encode()
    ).hexdigest()
    last = read_made(kept, made_of)
    if last is not None:
        by_path = {text.source_path: text for text in texts}
        for text in texts:
            text.related = [by_path[path] for path in last[text.source_path]]
        return True
    ages = {id(text): -text.date.timestamp() for text in texts}
    for text in texts:
        text.related = related_texts(text, facets, ages=ages)
    if kept is not None:
        related = {text.source_path: [r.source_path for r in text.related] for text in texts}
        keep_made(kept, made_of, related)
    return False


def on_articles_read(generator) -> None:
    facets = build_facets(generator.articles, generator.translations)
    generator.context["facets"] = facets
    kept = Path(generator.settings["CACHE_PATH"]) / "related.pickle"
    relate_all(generator.articles, generator.translations, facets, kept)
    generator.context["facet_family_url"] = family_url
    generator.context["facet_url"] = facet_url


class FacetsGenerator(Generator):
    """Write, in each language's edition, each facet's page and feed, each family's index,
    the explore page, and the whole archive with its feed."""

    def generate_output(self, writer) -> None:
        write_editions(self, lambda lang: self.write_edition(writer, lang))

    def write_edition(self, writer, lang: str) -> None:
        settings, context = self.settings, self.context
        facets = context.get("facets", {})
        topics = context.get("topics") or {}
        for family, groups in facets.items():
            for facet in groups.values():
                write_listing(
                    self, writer, "facet", facet.url, facet.articles, lang=lang, facet=facet
                )
                write_feed(
                    self,
                    writer,
                    facet.articles,
                    facet.feed_url,
                    lang,
                    facet_label(family, facet.key, lang, topics),
                    as_is=family == "language",  # its page lists each version apart
                )
            if family != "month":  # months are listed on their year's page
                index = family_url(family)
                write_page(self, writer, "facets", index, lang=lang, family=family, groups=groups)
        write_page(self, writer, "explore", settings["EXPLORE_URL"], lang=lang, facets=facets)
        everything = context.get("articles", [])
        write_listing(self, writer, "archives", settings["ARCHIVES_URL"], everything, lang=lang)
        write_feed(self, writer, everything, settings["ARCHIVES_FEED_ATOM"], lang, "")


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_generators(pelican):
    return FacetsGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(on_articles_read)
    signals.get_generators.connect(get_generators)
