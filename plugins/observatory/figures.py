"""The network's figures: who publishes what, where, in which language, and how often.

`catalogue` makes an `Item` of each text the build read (originals and translations) with
what the facets know of it; `figures` counts the items and returns plain values (`Figures`)
that the observatory page, its open data files and `invoke report` (which reads the items
back from the published catalogue) all show. What counts as a publication is what the
facets count: a text once, by its original (see `facets.keys_of`); only the figures by
language count every version, each in its own language.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from facets import keys_of

# An address in a text's HTML, as the Markdown reader left it (Pelican's `{filename}` links
# not yet replaced).
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
LINK_PREFIXES = ("{filename}", "|filename|")


@dataclass(frozen=True)
class Row:
    """One group and how many texts it has (`share`: of all the texts counted)."""

    key: str
    count: int
    share: float


@dataclass(frozen=True)
class Dossier:
    """A dossier, how many texts and pages link to it, and how many texts it gathers."""

    key: str  # its source path, e.g. content/dossiers/agua-en-comun.md
    title: str
    url: str
    links: int
    texts: int


@dataclass(frozen=True)
class Item:
    """One entry of the catalogue: a text, in one language."""

    id: str  # its source path
    org: str  # the org's id; empty for the editors' news
    title: str
    date: dt.date
    lang: str
    type: str
    topics: tuple[str, ...]
    countries: tuple[str, ...]
    kinds: tuple[str, ...]  # its org's
    url: str
    original: str  # the source path of the text it translates; empty for an original


@dataclass
class Figures:
    """Everything the observatory shows, as of `as_of` (the day the site is built for)."""

    as_of: dt.date
    texts: int  # originals
    versions: int  # originals and translations
    translated: int  # originals with at least one translation
    months: list[Row] = field(default_factory=list)  # every month from the first to `as_of`
    orgs: list[Row] = field(default_factory=list)
    countries: list[Row] = field(default_factory=list)
    kinds: list[Row] = field(default_factory=list)
    topics: list[Row] = field(default_factory=list)
    languages: list[Row] = field(default_factory=list)  # every version counts
    active_days: int = 90
    active_orgs: list[str] = field(default_factory=list)  # ids, by name
    all_orgs: int = 0
    dossiers: list[Dossier] = field(default_factory=list)
    catalogue: list[Item] = field(default_factory=list)

    @property
    def translated_share(self) -> float:
        return self.translated / self.texts if self.texts else 0.0

    @property
    def years(self) -> list[tuple[str, list[int]]]:
        """(year, texts per month from January to December), from the first year on."""
        found: dict[str, list[int]] = {}
        for row in self.months:
            found.setdefault(row.key[:4], [0] * 12)[int(row.key[5:]) - 1] = row.count
        return list(found.items())

    def activity(self, months: int = 24) -> dict[str, list[int]]:
        """Each org's texts in each of the `months` months up to `as_of`, oldest first (an
        org without texts then has none)."""
        keys = month_keys(add_months(self.as_of, 1 - months), self.as_of)
        place = {key: index for index, key in enumerate(keys)}
        found: dict[str, list[int]] = {}
        for item in self.catalogue:
            index = place.get(f"{item.date.year:04d}-{item.date.month:02d}")
            if item.org and not item.original and index is not None:
                found.setdefault(item.org, [0] * len(keys))[index] += 1
        return found


def rows(counts: Counter, total: int, order=None) -> list[Row]:
    """Groups from the most texts to the fewest; `order(key)` breaks ties (else the key)."""

    def tie(key: str) -> str:
        return (order(key) if order else None) or key

    return [
        Row(key, count, count / total if total else 0.0)
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], tie(item[0])))
    ]


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` months from `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_keys(first: dt.date, last: dt.date) -> list[str]:
    """Every month from `first`'s to `last`'s, as YYYY-MM."""
    keys, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        keys.append(f"{day.year:04d}-{day.month:02d}")
        day = add_months(day, 1)
    return keys


def figures(
    items: list[Item],
    orgs: dict[str, str],
    dossiers: list[Dossier],
    as_of: dt.date,
    active_days: int = 90,
) -> Figures:
    """The figures of the catalogue `items` (`orgs`: every org's id and name; `dossiers`:
    by `most_linked`)."""
    originals = [item for item in items if not item.original]
    translated = {item.original for item in items if item.original}
    counted = {family: Counter() for family in ("topics", "countries", "kinds", "month")}
    for item in originals:
        counted["topics"].update(item.topics)
        counted["countries"].update(item.countries)
        counted["kinds"].update(item.kinds)
        counted["month"][f"{item.date.year:04d}-{item.date.month:02d}"] += 1
    total = len(originals)
    months = counted["month"]
    if originals:
        first = min(item.date for item in originals)
        for key in month_keys(first, max(max(item.date for item in originals), as_of)):
            months.setdefault(key, 0)
    names = {key: name.casefold() for key, name in orgs.items()}
    since = as_of - dt.timedelta(days=active_days)
    active = {item.org for item in items if item.org and since < item.date <= as_of}
    return Figures(
        as_of=as_of,
        texts=total,
        versions=len(items),
        translated=sum(1 for item in originals if item.id in translated),
        months=[Row(key, months[key], months[key] / total) for key in sorted(months)],
        orgs=rows(Counter(item.org for item in originals if item.org), total, names.get),
        countries=rows(counted["countries"], total),
        kinds=rows(counted["kinds"], total),
        topics=rows(counted["topics"], total),
        languages=rows(Counter(item.lang for item in items), len(items)),
        active_days=active_days,
        active_orgs=sorted(active, key=lambda key: names.get(key, key)),
        all_orgs=len(orgs),
        dossiers=dossiers,
        catalogue=items,
    )


def catalogue(originals: list, translations: list) -> list[Item]:
    """Every text in every language, oldest first, each with what the facets know of it."""
    first = {text.translation_group: text for text in originals}
    items = []
    for text in originals + translations:
        keys = keys_of(text)
        org = getattr(text, "org", None)
        original = first.get(text.translation_group)
        items.append(
            Item(
                id=text.relative_source_path,
                org=org.id if org is not None else "",
                title=text.title,
                date=text.date.date(),
                lang=text.lang,
                type=keys["type"][0],
                topics=tuple(keys["topic"]),
                countries=tuple(keys["country"]),
                kinds=tuple(keys["kind"]),
                url=text.url,
                original=""
                if original is None or original is text
                else original.relative_source_path,
            )
        )
    return sorted(items, key=lambda item: (item.date, item.id))


def _from_root(path: str, folder: str) -> str:
    """A link's path from the top: `/x` from the root, anything else from `folder`."""
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, path))


def linked_paths(text) -> set[str]:
    """What the links of `text` lead to: a source path (Pelican's `{filename}` links) or an
    address from the site's root, for every link to a page of this site."""
    found = set()
    for double, single in HREF.findall(getattr(text, "_content", "") or ""):
        address = double or single
        prefix = next((p for p in LINK_PREFIXES if address.startswith(p)), None)
        if prefix is not None:  # a source file, from the text's own folder
            path = unquote(urlsplit(address[len(prefix) :]).path)
            found.add(_from_root(path, posixpath.dirname(text.relative_source_path)))
            continue
        parts = urlsplit(address)
        if not parts.scheme and not parts.netloc and parts.path:  # a page, from the text's
            found.add(_from_root(unquote(parts.path), posixpath.dirname(text.url)))
    return found


def most_linked(dossiers: list, dossier_originals: list, texts: list) -> list[Dossier]:
    """Dossiers by the texts and pages that link to them (a text and its translations count
    once), then by the texts they gather; a dossier's translations are the same dossier."""
    group_of = {}
    for dossier in dossiers:
        group_of[dossier.relative_source_path] = dossier.translation_group
        group_of[dossier.url] = dossier.translation_group
    linking: dict[str, set] = {group: set() for group in group_of.values()}
    if not group_of:
        return []
    # Only a text naming a dossier's file (`agua.md`, `agua.html`) can link to it: the
    # others are not parsed.
    names = {posixpath.basename(path) for path in group_of}
    named = re.compile("|".join(re.escape(name) for name in sorted(names)))
    for text in texts:
        if not named.search(getattr(text, "_content", "") or ""):
            continue
        for path in linked_paths(text):
            group = group_of.get(path)
            if group is not None and group != text.translation_group:
                linking[group].add(text.translation_group)
    originals = {dossier.translation_group: dossier for dossier in dossier_originals}
    found = [
        Dossier(
            dossier.relative_source_path,
            dossier.title,
            dossier.url,
            len(linking[group]),
            len(getattr(dossier, "dossier_texts", ())),
        )
        for group, dossier in originals.items()
    ]
    return sorted(found, key=lambda d: (-d.links, -d.texts, d.title.casefold()))
