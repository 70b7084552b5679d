"""The interface in the reader's language: gettext catalogs, and CLDR names and dates.

- The theme's strings are wrapped in `_()` (Jinja's i18n extension), with Spanish ids.
  Their translations are `theme/translations/<lang>/LC_MESSAGES/messages.po`, compiled
  with Babel in memory at every build (nothing compiled is committed).
- A page speaks `ui_language()`: the `ui_lang` it was written with, else the language of
  its text when the interface has a catalog for it, else the site's default language.
  A text in Quechua or Guaraní gets the default interface and keeps its own `lang`.
- Filters give names and dates from CLDR in a language, e.g.
  `{{ article.date|date_long(ui_language()) }}`, `{{ "BO"|country_name(ui_language()) }}`.
- Each interface language has its own edition of every listing and feed (see
  `site_paths`). In a page, `url|localized` is a listing's address in the page's edition
  and `text|version(lang)` is a text's version in a language; the language switcher and
  the `hreflang` alternates lead to the same page in each language (a text's translation,
  a listing's edition) or, failing that, to that language's home.
- What the site says of itself (`SITESUBTITLE`, `EDITORIAL_TEAM`) is translated in the
  `SITE_TRANSLATIONS` setting: `{{ site_text("SITESUBTITLE") }}`.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from babel.units import format_unit
from content_model import ARTICLE_TYPES, GUIDE_THEMES, KINDS
from images import cache_folder
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from site_paths import edition_base, edition_url, site_text, version_in
from site_paths.kept import KeptBytecode

from localization.items import forget, frame_part, listing_item, listing_items

logger = logging.getLogger(__name__)

FALLBACK = "es"
DEFAULTS = {
    # Interface languages: the default language plus one catalog each in THEME_TRANSLATIONS.
    "UI_LANGUAGES": ["es", "pt", "en", "fr"],
    "THEME_TRANSLATIONS": "translations",  # inside THEME
    # Setting name -> {language: text}, for what the site says of itself.
    "SITE_TRANSLATIONS": {},
}


NULL = NullTranslations()


@lru_cache(maxsize=16)
def compiled_catalog(po_path: str, mtime_ns: int) -> Translations:
    """A `.po` catalog compiled in memory (the build never reads or writes `.mo` files)."""
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def ui_catalogs(settings: dict) -> dict[str, NullTranslations]:
    """Interface language -> its translations (the default language's ids need none).

    A language of `UI_LANGUAGES` without a catalog keeps its edition, in the default
    language's words, with a warning (which fails a build with FAIL_ON_WARNINGS).
    """
    catalogs: dict[str, NullTranslations] = {settings["DEFAULT_LANG"]: NULL}
    for lang in settings["UI_LANGUAGES"]:
        if lang in catalogs:
            continue
        po = catalog_path(settings, lang)
        found = po.is_file()
        catalogs[lang] = compiled_catalog(str(po), po.stat().st_mtime_ns) if found else NULL
    return catalogs


def catalog_path(settings: dict, lang: str) -> Path:
    folder = Path(settings["THEME"]) / settings["THEME_TRANSLATIONS"]
    return folder / lang / "LC_MESSAGES" / "messages.po"


def warn_of_missing_catalogs(pelican) -> None:
    settings = pelican.settings
    for lang in settings["UI_LANGUAGES"]:
        po = catalog_path(settings, lang)
        if lang != settings["DEFAULT_LANG"] and not po.is_file():
            logger.warning(
                "UI_LANGUAGES names `%s` but %s does not exist: its pages speak %s",
                lang,
                po,
                settings["DEFAULT_LANG"],
            )


def translate(settings: dict, lang: str, message: str) -> str:
    """An interface string (a Spanish id from `strings.py` or the templates) in `lang`."""
    catalogs = ui_catalogs(settings)
    return catalogs.get(lang, catalogs[settings["DEFAULT_LANG"]]).ugettext(message)


@lru_cache(maxsize=64)
def ui_locale(lang: str | None) -> Locale:
    """The CLDR locale for a language code, falling back to Spanish."""
    try:
        return Locale.parse((lang or FALLBACK).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(FALLBACK)


def date_long(value, lang: str | None = None) -> str:
    """`14 de marzo de 2026` in Spanish, `March 14, 2026` in English."""
    if not value:
        return ""
    return _date_long(value.date() if isinstance(value, dt.datetime) else value, lang)


@lru_cache(maxsize=16384)
def _date_long(day: dt.date, lang: str | None) -> str:
    """Once per day and language: tens of thousands of texts share a few thousand days."""
    return format_date(day, format="long", locale=ui_locale(lang))


def datetime_long(value, lang: str | None = None) -> str:
    """`5 de diciembre de 2026, 9:00`; the time is left out when it is midnight (a day)."""
    if not value:
        return ""
    day = date_long(value, lang)
    if not hasattr(value, "hour") or (value.hour, value.minute) == (0, 0):
        return day
    return f"{day}, {format_time(value, format='short', locale=ui_locale(lang))}"


@lru_cache(maxsize=16384, typed=True)  # listings show the same counts on many pages
def number(value: int, lang: str | None = None) -> str:
    """`30000` as `30.000` in Spanish, `30,000` in English (CLDR)."""
    return format_decimal(value, locale=ui_locale(lang))


def file_size(size: int, lang: str | None = None) -> str:
    """`2300000` bytes as `2,3 MB` in Spanish, `2,3 Mo` in French (CLDR units)."""
    if size >= 1_000_000:
        value, unit, pattern = size / 1_000_000, "digital-megabyte", "#,##0.0"
    else:
        value, unit, pattern = max(1, round(size / 1000)), "digital-kilobyte", "#,##0"
    return format_unit(value, unit, length="short", format=pattern, locale=ui_locale(lang))


@lru_cache(maxsize=4096)  # asked on every page, of a few codes
def month_label(key: str, lang: str | None = None) -> str:
    """`2026-03` as `marzo de 2026`."""
    import datetime as dt

    year, month = (int(part) for part in key.split("-"))
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=ui_locale(lang))


@lru_cache(maxsize=4096)  # asked on every page, of a few codes
def country_name(code: str, lang: str | None = None) -> str:
    return ui_locale(lang).territories.get(code, code)


@lru_cache(maxsize=4096)  # asked on every page, of a few codes
def language_name(code: str, lang: str | None = None) -> str:
    """The name of language `code` in language `lang` (`quechua`, `português`…)."""
    names = ui_locale(lang).languages
    return names.get(code.replace("-", "_")) or names.get(code.split("-")[0]) or code


def _label(vocabulary: dict, key: str, lang: str | None) -> str:
    labels = vocabulary.get(key, {})
    return labels.get(ui_locale(lang).language) or labels.get(FALLBACK) or key


def kind_label(kind: str, lang: str | None = None) -> str:
    return _label(KINDS, kind, lang)


def type_label(kind: str, lang: str | None = None) -> str:
    return _label(ARTICLE_TYPES, kind, lang)


def guide_theme_label(theme: str, lang: str | None = None) -> str:
    return _label(GUIDE_THEMES, theme, lang)


@pass_context
def topic_label(context, topic: str, lang: str | None = None) -> str:
    return _label(context.get("topics") or {}, topic, lang)


def sort_key(label: str) -> str:
    """Alphabetical order for people: `Água` among the a's, case aside."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def facet_label(family: str, key: str, lang: str | None, topics: dict) -> str:
    """The name of one group of texts (a topic, a country, a month…) in `lang`."""
    if family == "topic":
        return _label(topics, key, lang)
    namer = {
        "country": country_name,
        "kind": kind_label,
        "language": language_name,
        "type": type_label,
        "month": month_label,
    }.get(family)
    return namer(key, lang) if namer else key


FILTERS = {
    "date_long": date_long,
    "datetime_long": datetime_long,
    "month_label": month_label,
    "number": number,
    "file_size": file_size,
    "country_name": country_name,
    "language_name": language_name,
    "kind_label": kind_label,
    "topic_label": topic_label,
    "type_label": type_label,
    "guide_theme_label": guide_theme_label,
    "version": version_in,
}


# Compiled templates, for every environment of the build and for the next build.
BYTECODE = KeptBytecode()


def prepare_environment(generator) -> None:
    env = generator.env
    BYTECODE.root = cache_folder(generator.settings, "templates")
    env.bytecode_cache = BYTECODE
    env.filters.update(FILTERS)
    settings = {**DEFAULTS, **generator.settings}
    catalogs = ui_catalogs(settings)
    default = settings["DEFAULT_LANG"]

    @pass_context
    def ui_language(context) -> str:
        explicit = context.get("ui_lang")
        if explicit in catalogs:
            return explicit
        for name in ("article", "page"):
            lang = getattr(context.get(name), "lang", None)
            if lang in catalogs:
                return lang
        return default

    # (language, message, autoescape) -> what `_(message)` shows: the same for every page.
    shown: dict[tuple[str, str, bool], str] = {}

    @pass_context
    def template_gettext(context, message: str, /, **variables) -> str:
        """`_()` and `gettext()` in a template, as Jinja's newstyle gettext makes them (the
        translation, marked safe under autoescape, then %-formatted with `variables`), with a
        message without variables made once per language: a page shows dozens of them."""
        key = (ui_language(context), message, context.eval_ctx.autoescape)
        if not variables and key in shown:
            return shown[key]
        text = catalogs[key[0]].ugettext(message)
        result = (Markup(text) if key[2] else text) % variables
        if not variables:
            shown[key] = result
        return result

    @pass_context
    def ngettext(context, singular: str, plural: str, number: int) -> str:
        return catalogs[ui_language(context)].ungettext(singular, plural, number)

    def home(lang: str) -> str:
        return edition_url("index.html", lang, settings)

    def versions_of(context) -> dict[str, str]:
        """Language -> address of this page in that language, where it has one."""
        current = ui_language(context)
        content = context.get("article") or context.get("page")
        if content is not None and hasattr(content, "translations"):
            return {t.lang: t.url for t in (content, *content.translations)}
        edition = context.get("edition")
        if edition is None:
            return {}
        page = context.get("articles_page")
        here = page.url if page is not None else edition_url(edition, current, settings)
        base = edition_base(here, current, settings)
        return {lang: edition_url(base, lang, settings) for lang in catalogs}

    @pass_context
    def language_links(context) -> list[dict]:
        """For each interface language: this page in it, else that language's home (the
        current language's link stays on the page, e.g. a Quechua text with a Spanish
        interface)."""
        current = ui_language(context)
        versions = versions_of(context)
        content = context.get("article") or context.get("page")
        if current not in versions and getattr(content, "url", None):
            versions[current] = content.url
        return [
            {
                "lang": lang,
                "name": language_name(lang, lang),
                "url": versions.get(lang, home(lang)),
                "current": lang == current,
            }
            for lang in catalogs
        ]

    @pass_context
    def alternates(context) -> list[dict]:
        """This page in other languages, for `<link rel="alternate" hreflang>`: a text's
        versions (any language), or a listing's editions plus `x-default`."""
        versions = versions_of(context)
        if len(versions) < 2:
            return []
        links = [{"lang": lang, "url": url} for lang, url in sorted(versions.items())]
        if context.get("edition") is not None:
            links.append({"lang": "x-default", "url": versions[default]})
        return links

    @pass_context
    def localized(context, url: str) -> str:
        """A listing's address in the page's edition: `news/index.html` on a Portuguese
        page is `pt/news/index.html`."""
        return edition_url(url, ui_language(context), settings)

    @pass_context
    def page_facet_label(context, family: str, key: str, lang: str | None = None) -> str:
        return facet_label(family, key, lang or ui_language(context), context.get("topics") or {})

    @pass_context
    def in_reading_order(context, family: str, groups: dict) -> list:
        """A family's groups as a reader looks for them: by name in the page's language
        (accents aside), or newest first for years and months."""
        if family in ("year", "month"):
            return sorted(groups.values(), key=lambda facet: facet.key, reverse=True)
        lang, topics = ui_language(context), context.get("topics") or {}
        return sorted(
            groups.values(),
            key=lambda facet: sort_key(facet_label(family, facet.key, lang, topics)),
        )

    @pass_context
    def page_site_text(context, name: str) -> str:
        return site_text(settings, name, ui_language(context))

    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    # Jinja's newstyle i18n (for `{% trans %}` and `ngettext`), with `_` and `gettext` then
    # ours as they are: `template_gettext` does what Jinja's wrapper around it would.
    env.install_gettext_callables(template_gettext, ngettext, newstyle=True)
    env.globals["_"] = env.globals["gettext"] = template_gettext
    env.globals["ui_language"] = ui_language
    env.globals["ui_languages"] = list(catalogs)
    env.globals["language_links"] = language_links
    env.globals["listing_item"] = listing_item
    env.globals["listing_items"] = listing_items
    env.globals["frame_part"] = frame_part
    env.globals["alternates"] = alternates
    env.globals["facet_label"] = page_facet_label
    env.globals["in_reading_order"] = in_reading_order
    env.globals["site_text"] = page_site_text
    env.filters["localized"] = localized


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.initialized.connect(warn_of_missing_catalogs)
    signals.initialized.connect(forget)  # also after a build that failed half-way
    signals.finalized.connect(forget)
    signals.generator_init.connect(prepare_environment)
