"""Names and dates in the reader's language, from CLDR via Babel, for the templates.

Templates call these as filters with the page's language, e.g.
`{{ article.date|date_long(page_lang) }}`, `{{ "BO"|country_name(page_lang) }}`.
The UI strings are wrapped in `_()` (Jinja's i18n extension) so translation catalogs
can be plugged in without touching the templates.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from content_model import ARTICLE_TYPES, KINDS
from jinja2 import pass_context
from pelican import signals

FALLBACK = "es"


@lru_cache(maxsize=64)
def ui_locale(lang: str | None) -> Locale:
    """The CLDR locale for a language code, falling back to Spanish."""
    try:
        return Locale.parse((lang or FALLBACK).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(FALLBACK)


def date_long(value, lang: str | None = None) -> str:
    """`14 de marzo de 2026` in Spanish, `March 14, 2026` in English."""
    return format_date(value, format="long", locale=ui_locale(lang)) if value else ""


def datetime_long(value, lang: str | None = None) -> str:
    """`5 de diciembre de 2026, 9:00`; the time is left out when it is midnight (a day)."""
    if not value:
        return ""
    day = date_long(value, lang)
    if not hasattr(value, "hour") or (value.hour, value.minute) == (0, 0):
        return day
    return f"{day}, {format_time(value, format='short', locale=ui_locale(lang))}"


def month_label(key: str, lang: str | None = None) -> str:
    """`2026-03` as `marzo de 2026`."""
    import datetime as dt

    year, month = (int(part) for part in key.split("-"))
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=ui_locale(lang))


def country_name(code: str, lang: str | None = None) -> str:
    return ui_locale(lang).territories.get(code, code)


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


@pass_context
def topic_label(context, topic: str, lang: str | None = None) -> str:
    return _label(context.get("topics") or {}, topic, lang)


FILTERS = {
    "date_long": date_long,
    "datetime_long": datetime_long,
    "month_label": month_label,
    "country_name": country_name,
    "language_name": language_name,
    "kind_label": kind_label,
    "topic_label": topic_label,
    "type_label": type_label,
}


def prepare_environment(generator) -> None:
    env = generator.env
    env.filters.update(FILTERS)
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    if "gettext" not in env.globals:
        env.install_null_translations(newstyle=True)


def register() -> None:
    signals.generator_init.connect(prepare_environment)
