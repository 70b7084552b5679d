"""Where each source file belongs and where it is published.

A file's org comes from its path (`orgs/<org>/…`); the content model refuses an `org:` field. Its
address mirrors its path: `orgs/<org>/2025/comunicado.md` is published as
`orgs/<org>/2025/comunicado.html` and `content/news/x.md` as `news/x.html`, so two
orgs can both have a `comunicado.md`, and an org's folders by year need no setting.

Every listing (home, news, facets, org pages, agenda…) and feed has one edition per
interface language: the default language's at the root (`news/index.html`), the others
under their code (`pt/news/index.html`). A text is published once, at its own address; a
listing shows each text in the edition's language when it has a version in it, else as it
is, marked with its language, so nothing is hidden from a reader.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
from itertools import groupby
from operator import attrgetter
from pathlib import Path

import pelican.generators
from content_model import RESERVED_ORG_NAMES, ContentError, Problem, _, org_of
from pelican import signals
from pelican.contents import Article, Page, Static
from pelican.utils import process_translations as _process_translations

from . import collector

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Folder (relative to PATH) holding one folder per organization.
    "ORGS_PATH": "orgs",
    # Folder (relative to PATH) holding the editors' content; dropped from addresses.
    "EDITORS_PATH": "content",
    # Where drafts go in a local build.
    "DRAFTS_PREFIX": "drafts",
    # Whether drafts are written at all: publishconf.py sets False, so no draft (nor a
    # translation stub still marked `draft`) ever reaches the published site.
    "WRITE_DRAFTS": True,
    # Where the listings and feeds of each non-default interface language go.
    "EDITION_PREFIX": "{lang}/",
    # Processes writing the languages' editions side by side; None: one per core.
    "BUILD_PROCESSES": None,
    # The texts' own pages are written side by side when each process has this many.
    "WRITE_TEXTS_SHARE": 50,
    # How many of the latest texts a feed carries (the listing pages have them all);
    # dossiers' and the digest's feeds carry all of theirs.
    "FEED_ITEMS": 20,
}


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def section_of(relative_path: str, settings: dict) -> str:
    """`orgs/<org>` for an org's file, else the editors' folder (`news`, `pages`, …)."""
    org = org_of(relative_path, settings["ORGS_PATH"])
    if org:
        return f"{settings['ORGS_PATH']}/{org}"
    parts = relative_path.split("/")
    if parts[0] == settings["EDITORS_PATH"] and len(parts) > 2:
        return parts[1]
    return ""


def published_path(relative_path: str, settings: dict, html: bool) -> str:
    """The output path of a source file: its own path, without the editors' folder prefix."""
    editors = settings["EDITORS_PATH"] + "/"
    path = relative_path[len(editors) :] if relative_path.startswith(editors) else relative_path
    if html:
        path = posixpath.splitext(path)[0] + ".html"
    return path


def image_url(relative_path: str, image: str, settings: dict) -> str:
    """The address of a text's `image`, a path relative to the text, kept inside its space."""
    source = posixpath.normpath(posixpath.join(posixpath.dirname(relative_path), image))
    section = section_of(relative_path, settings)
    space = section if section.startswith(settings["ORGS_PATH"] + "/") else settings["EDITORS_PATH"]
    problem = None
    if not source.startswith(space + "/"):
        problem = _(
            "the image `%(image)s` is outside this folder (%(space)s)", image=image, space=space
        )
    elif not (Path(settings["PATH"]) / source).is_file():
        problem = _("the image `%(image)s` does not exist", image=image)
    if problem:
        fix = _(
            "put the image in the text's folder (or a subfolder) and write its path "
            "relative to the text, e.g. `image: images/photo.jpg`"
        )
        raise ContentError([Problem(relative_path, 1, problem, fix)])
    return published_path(source, settings, html=False)


def place_content(instance) -> None:
    """Give a content object its org, its address and its translation group."""
    relative = instance.relative_source_path
    if relative is None:
        return
    settings = instance.settings
    org_id = org_of(relative, settings["ORGS_PATH"])
    instance.org_id = org_id
    instance.org = None  # the Org card is attached once all cards are read
    instance.section = section_of(relative, settings)

    if isinstance(instance, Static):
        path = published_path(relative, settings, html=False)
        instance.override_save_as = instance.override_url = path
        return
    if not isinstance(instance, (Article, Page)):
        return

    key = instance.metadata.get("translation_key") or relative
    instance.translation_key = str(key)
    instance.translation_group = f"{instance.section}|{key}"
    if instance.metadata.get("image"):
        instance.image_url = image_url(relative, str(instance.metadata["image"]), settings)
    if instance.status == "draft":
        # Pelican's draft writer reads `category`, which Minga's texts do not have.
        instance.category = getattr(instance, "category", None)
        if not settings["WRITE_DRAFTS"]:
            instance.override_save_as = instance.override_url = ""  # the writer skips ""
            return
    if isinstance(instance, Page) and instance.section == "pages":
        return  # the editors' pages keep PAGE_URL (e.g. `sobre.html`)

    path = published_path(relative, settings, html=True)
    name = posixpath.splitext(posixpath.basename(path))[0]
    if org_id and (name in RESERVED_ORG_NAMES or name.startswith("index-")):
        raise ContentError(
            [
                Problem(
                    relative,
                    1,
                    _(
                        "the file name `%(name)s` is reserved for the organization's own page",
                        name=name,
                    ),
                    _("rename the file, e.g. `presentacion.md`"),
                )
            ]
        )
    if instance.status == "draft":
        path = f"{settings['DRAFTS_PREFIX']}/{path}"
    instance.override_save_as = instance.override_url = path


def editions(settings: dict) -> list[str]:
    """The interface languages, each with its own listings and feeds; the default first."""
    default = settings["DEFAULT_LANG"]
    return [default, *(lang for lang in settings.get("UI_LANGUAGES", ()) if lang != default)]


def write_editions(generator, write) -> None:
    """Call `write(lang)` for every edition, shared among the processor cores (see
    `site_paths.parallel`)."""
    from site_paths.parallel import for_each_edition

    for_each_edition(generator.settings, editions(generator.settings), write)


# The lists Pelican's `generate_articles` writes, in its order.
WRITTEN_TEXTS = ("translations", "articles", "hidden_translations", "hidden_articles")


def write_texts_side_by_side(generator) -> None:
    """Pelican writes the texts' pages one after the other; each page is independent of the
    others, so they are shared among the processor cores, as the editions are. Each share
    is written by Pelican's own `generate_articles`, given every `count`-th text of each of
    its lists (the shared context keeps the whole lists)."""
    from site_paths.parallel import TextsFailed, processes, side_by_side

    pelicans = type(generator).generate_articles

    def generate_articles(write) -> None:
        settings = generator.settings
        whole = {name: getattr(generator, name) for name in WRITTEN_TEXTS}
        total = sum(map(len, whole.values()))
        count = processes(settings, total // settings["WRITE_TEXTS_SHARE"] or 1)

        def write_share(share: str) -> None:
            try:
                for name, texts in whole.items():
                    setattr(generator, name, texts[int(share) :: count])
                pelicans(generator, write)
            finally:
                for name, texts in whole.items():
                    setattr(generator, name, texts)

        if count > 1:
            from incremental import prepare

            every = [text for texts in whole.values() for text in texts]
            prepare(generator, {text.template for text in every}, every)
        sizes = {str(number): total // count for number in range(count)}
        side_by_side(settings, sizes, write_share, TextsFailed, carry=True)
        if count > 1:
            logger.info("%s texts' pages written by %s processes", total, count)

    generator.generate_articles = generate_articles


def skip_unwritten_listings(generator) -> None:
    """Pelican's pages of tags, categories and authors are not written here (their
    `*_SAVE_AS` are empty: org spaces and facets list the texts), but Pelican still works
    out each one's texts by date, a search through every text for each text: about 20 s
    at 30,000 texts, for pages thrown away. It is skipped."""
    for kind, method in (
        ("TAG", "generate_tags"),
        ("CATEGORY", "generate_categories"),
        ("AUTHOR", "generate_authors"),
    ):
        if not generator.settings.get(f"{kind}_SAVE_AS"):
            setattr(generator, method, _write_nothing)


def _write_nothing(_write) -> None:
    pass


def translations_by_group(content_list: list, translation_id=None) -> tuple[list, list]:
    """Pelican's `process_translations`, one translation group at a time.

    Pelican's own ends with `[x for x in content_list if x not in index]`, a search through
    a list for each text: 9 s at 30,000 texts, growing with the square of the archive. Each
    group's originals and translations do not depend on the other groups', so the same
    function is given one group at a time: the same lists in the same order, the same
    warnings, and its own errors for a bad `*_TRANSLATION_ID`."""
    if not translation_id:
        return _process_translations(content_list, translation_id)
    names = (translation_id,) if isinstance(translation_id, str) else tuple(translation_id)
    key = attrgetter(*names)
    try:
        content_list.sort(key=key)
    except (TypeError, AttributeError):
        return _process_translations(content_list, translation_id)
    index: list = []
    translations: list = []
    for _group, items in groupby(content_list, key):
        originals, others = _process_translations(list(items), translation_id)
        index += originals
        translations += others
    return index, translations


def edition_url(url: str, lang: str | None, settings: dict) -> str:
    """The address of listing `url` in language `lang`'s edition."""
    if lang is None or lang == settings["DEFAULT_LANG"]:
        return url
    return settings["EDITION_PREFIX"].format(lang=lang) + url


def edition_base(url: str, lang: str | None, settings: dict) -> str:
    """The inverse of `edition_url`: `pt/news/index.html` -> `news/index.html`."""
    prefix = edition_url("", lang, settings)
    return url[len(prefix) :] if prefix and url.startswith(prefix) else url


# The lists of a generator whose texts carry their translations.
TEXT_LISTS = (
    "articles",
    "pages",
    "translations",
    "hidden_articles",
    "hidden_pages",
    "hidden_translations",
    "drafts",
    "draft_pages",
    "drafts_translations",
    "draft_translations",
)


# Pelican's lists of one status: (originals, their translations), per generator.
STATUS_LISTS = (
    ("articles", "translations"),
    ("hidden_articles", "hidden_translations"),
    ("drafts", "drafts_translations"),
    ("pages", "translations"),
    ("hidden_pages", "hidden_translations"),
    ("draft_pages", "draft_translations"),
)
TRANSLATION_WARNING = "There are %s original (not translated) items"


def original_order(settings: dict):
    """Which version of a text is its original: the earliest, then the one in the first
    interface language, then by path."""
    languages = editions(settings)

    def key(text) -> tuple:
        rank = languages.index(text.lang) if text.lang in languages else len(languages)
        date = getattr(text, "date", None)
        return (date.timestamp() if date else float("inf"), rank, text.lang, text.source_path)

    return key


def settle_originals(generator) -> None:
    """One original per translation group.

    Pelican takes the version in the default language as a group's original; a group with
    none (a `pt` text with its `en` translation, say) would have every version counted as an
    original, listed twice, and a warning. Minga keeps the earliest as the original and
    the others as its translations (their `translations` links are already right). The
    lists are changed in place: the generator's context holds the same lists."""
    key = original_order(generator.settings)
    for originals_name, translations_name in STATUS_LISTS:
        originals = getattr(generator, originals_name, None)
        translations = getattr(generator, translations_name, None)
        if not originals or translations is None:
            continue
        groups: dict[str, list] = {}
        for text in originals:
            groups.setdefault(getattr(text, "translation_group", id(text)), []).append(text)
        moved = [
            text
            for group in groups.values()
            if len(group) > 1
            for text in sorted(group, key=key)[1:]
        ]
        if moved:
            originals[:] = [text for text in originals if not any(text is m for m in moved)]
            translations.extend(moved)


class SettledTranslations(logging.Filter):
    """Drop Pelican's warning about a group with several originals: `settle_originals`
    settles such a group right after (two versions in one language still warn)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(TRANSLATION_WARNING)


def order_translations(generator) -> None:
    """Give every text its translations by language: Pelican reads the files in no fixed
    order, and two builds of the same tree must give the same bytes."""
    for name in TEXT_LISTS:
        for text in getattr(generator, name, None) or ():
            text.translations.sort(key=lambda t: (t.lang, t.source_path))


def version_in(text, lang: str):
    """`text`'s version in `lang` when it has one, else `text` itself."""
    if text.lang == lang:
        return text
    return next((t for t in getattr(text, "translations", ()) if t.lang == lang), text)


def in_language(texts: list, lang: str) -> list:
    """Each text in its version in `lang` when it has one, else as it is."""
    return [version_in(text, lang) for text in texts]


def write_listing(
    generator, writer, template: str, url: str, articles: list, lang: str | None = None, **variables
):
    """Write a paginated listing of `articles` (newest first) at `url` in `lang`'s edition.

    The listing's templates get `articles_page` and its neighbours from Pelican's paginator,
    with `PAGINATED_TEMPLATES[template]` texts a page.
    """
    write_page(
        generator,
        writer,
        template,
        url,
        lang=lang,
        paginated={"articles": articles},
        template_name=template,
        articles=articles,
        **variables,
    )


def write_page(generator, writer, template: str, url: str, lang: str | None = None, **variables):
    """Write one page at `url` in `lang`'s edition (or as it is, without `lang`)."""
    address = edition_url(url, lang, generator.settings)
    writer.write_file(
        address,
        generator.get_template(template),
        generator.context,
        generator.settings["RELATIVE_URLS"],
        url=address,
        **_edition_variables(url, lang),
        **variables,
    )


def _edition_variables(url: str, lang: str | None) -> dict:
    """What the theme needs to know of an edition's page: its language and its address."""
    return {"ui_lang": lang, "edition": url} if lang else {}


def write_feed(
    generator,
    writer,
    items: list,
    url: str,
    lang: str,
    title: str,
    as_is: bool = False,
    in_edition: bool = True,
    complete: bool = False,
) -> None:
    """Write an Atom feed of `items` at `url` in `lang`'s edition (at `url` itself when not
    `in_edition`), texts in their `lang` version unless `as_is`; the feed says its language
    and the site's subtitle in it. It carries the `FEED_ITEMS` first items, or all of them
    when `complete`."""
    settings = generator.settings
    address = edition_url(url, lang, settings) if in_edition else url
    context = {
        **generator.context,
        # Feeds are read away from the site: their links are absolute.
        "SITEURL": public_base_url(settings),
        "SITESUBTITLE": site_text(settings, "SITESUBTITLE", lang),
        "FEED_LANGUAGE": lang,
    }
    entries = items if complete else items[: settings["FEED_ITEMS"]]
    entries = entries if as_is else in_language(entries, lang)
    writer.write_feed(entries, context, address, address, feed_title=title)


def mark_feed_language(context, feed) -> None:
    """Pelican's feeds carry no language: give Minga's the one of their edition. A feed
    with no entry is dated the day of the build (`BUILD_DATE`), not the second it was
    written, so that two builds of the same tree give the same bytes."""
    if not isinstance(context, dict) or not context.get("FEED_LANGUAGE"):
        return
    feed.feed["language"] = context["FEED_LANGUAGE"]
    if not feed.items:
        day = context.get("BUILD_DATE") or dt.date.today().isoformat()
        midnight = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)
        feed.latest_post_date = lambda: midnight


def site_text(settings: dict, name: str, lang: str) -> str:
    """A setting such as SITESUBTITLE in `lang`, from SITE_TRANSLATIONS, else as set."""
    return settings.get("SITE_TRANSLATIONS", {}).get(name, {}).get(lang) or settings.get(name, "")


def public_base_url(settings: dict) -> str:
    """The site's absolute address, for what leaves the site (feeds, calendars, e-mail)."""
    return settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""


def register() -> None:
    collector.register()
    signals.initialized.connect(set_defaults)
    pelican.generators.process_translations = translations_by_group
    signals.article_generator_init.connect(write_texts_side_by_side)
    signals.article_generator_init.connect(skip_unwritten_listings)
    signals.content_object_init.connect(place_content)
    logging.getLogger("pelican.utils").addFilter(SettledTranslations())
    signals.article_generator_pretaxonomy.connect(settle_originals)
    signals.page_generator_finalized.connect(settle_originals)
    signals.article_generator_finalized.connect(order_translations)
    signals.page_generator_finalized.connect(order_translations)
    signals.feed_generated.connect(mark_feed_language)
