"""The observatory: the network looks at its own publishing, and gives the figures away.

Once every text is read, `figures.figures` counts the publications per month, per
organization, country, kind of organization, topic and language, the share of texts with a
translation, the organizations active in the last `OBSERVATORY_ACTIVE_DAYS` days (before
the editorial plugin's `BUILD_DATE`, so a build is reproducible) and the most-linked
dossiers. Then:

- the observatory page (`OBSERVATORY_URL`, in every language's edition) shows each figure
  as an inline SVG chart (`charts`) with a table of the same figures beside it; groups past
  the `OBSERVATORY_TOP` largest are in the data files, not on the page, which stays within
  the weight budget of an index page;
- the same figures, and a catalogue of every text, are written once as CSV and JSON files
  with their schemas in `OBSERVATORY_DATA` (`opendata`);
- each org space gets `activity` (its texts in each of the last 24 months), which its page
  draws as a sparkline.

`invoke report` prints the same tables from the source files, without a build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from babel.dates import format_skeleton
from babel.numbers import format_percent
from editorial import build_date
from facets import facet_url
from incremental import write_keyed
from localization import facet_label, number, ui_locale
from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from site_paths import public_base_url, write_editions, write_page

from . import charts, opendata
from .figures import Figures, add_months, catalogue, figures, most_linked

DEFAULTS = {
    "OBSERVATORY_URL": "observatory/index.html",
    "OBSERVATORY_DATA": "observatory/data",
    "OBSERVATORY_ACTIVE_DAYS": 90,
    "OBSERVATORY_TOP": 10,
}
SPARKLINE_MONTHS = 24


@dataclass(frozen=True)
class Shown:
    """One row of a table on the page, written in the page's language."""

    label: str
    count: str
    share: str
    url: str  # the group's page, from the root of the default edition; "" for none
    value: int


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def count_everything(generators) -> None:
    """The figures of the texts read, kept in the context; each org gets its activity."""
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles is None:
        return
    settings, context = articles.settings, articles.context
    pages = [
        p for g in generators if isinstance(g, PagesGenerator) for p in g.pages + g.translations
    ]
    texts = articles.articles + articles.translations
    found = figures(
        catalogue(articles.articles, articles.translations),
        {org.id: org.name for org in context.get("orgs", [])},
        most_linked(context.get("dossier_pages", []), context.get("dossiers", []), texts + pages),
        build_date(settings),
        settings["OBSERVATORY_ACTIVE_DAYS"],
    )
    context["observatory"] = found
    activity = found.activity(SPARKLINE_MONTHS)
    first = add_months(found.as_of, 1 - SPARKLINE_MONTHS)
    for org in context.get("orgs", []):
        org.activity = activity.get(org.id, [0] * SPARKLINE_MONTHS)
        org.activity_from = f"{first.year:04d}-{first.month:02d}"


def label_of(context: dict, family: str, key: str, lang: str) -> str:
    if family == "org":
        org = context.get("orgs_by_id", {}).get(key)
        return org.name if org is not None else key
    return facet_label(family, key, lang, context.get("topics", {}))


def url_of(context: dict, family: str, key: str) -> str:
    if family == "org":
        org = context.get("orgs_by_id", {}).get(key)
        return org.url if org is not None else ""
    return facet_url(family, key)


def shown_rows(context: dict, found: Figures, figure: str, family: str, lang: str, top: int):
    """The `top` largest groups of `figure`, and how many more there are."""
    rows = getattr(found, figure)
    return [
        Shown(
            label_of(context, family, row.key, lang),
            number(row.count, lang),
            format_percent(row.share, locale=ui_locale(lang)),
            url_of(context, family, row.key),
            row.count,
        )
        for row in rows[:top]
    ], max(0, len(rows) - top)


def edition_view(context: dict, settings: dict, lang: str) -> dict:
    """What the page shows in `lang`: each family's rows, the languages, the years."""
    found: Figures = context["observatory"]
    top = settings["OBSERVATORY_TOP"]
    view = {"figures": replace(found, catalogue=[])}  # the page shows no catalogue
    for table in opendata.GROUPS:  # the figure (`orgs`…) and its family (`org`…)
        view[table.key], view[f"{table.key}_more"] = shown_rows(
            context, found, table.key, table.family, lang, top
        )
    view["years"] = [
        (year, [number(count, lang) for count in counts], number(sum(counts), lang))
        for year, counts in found.years
    ]
    view["month_names"] = [
        format_skeleton("MMM", dt.date(2000, month, 1), locale=ui_locale(lang))
        for month in range(1, 13)
    ]
    view["translated_share"] = format_percent(found.translated_share, locale=ui_locale(lang))
    view["active"] = [
        (label_of(context, "org", key, lang), url_of(context, "org", key))
        for key in found.active_orgs
    ]
    return view


def bar_chart(rows: list[Shown], title: str, ident: str) -> Markup:
    return Markup(charts.bars([charts.Bar(r.label, r.value, r.count) for r in rows], title, ident))


def month_chart(found: Figures, lang: str, title: str, ident: str) -> Markup:
    rows = [charts.Bar(row.key, row.count, number(row.count, lang)) for row in found.months]
    years = [index for index, row in enumerate(found.months) if row.key.endswith("-01")]
    every = max(1, -(-len(years) // 8))  # at most eight years written under the columns
    ticks = {index: found.months[index].key[:4] for index in years[::every]}
    if not ticks and found.months:
        ticks = {0: found.months[0].key[:4]}
    return Markup(charts.columns(rows, title, ident, ticks))


def sparkline(values: list[int], title: str, ident: str) -> Markup:
    return Markup(charts.sparkline(values, title, ident))


def add_charts_to_theme(generator) -> None:
    env = generator.env
    env.globals["observatory_bars"] = bar_chart
    env.globals["observatory_months"] = month_chart
    env.globals["observatory_sparkline"] = sparkline


class ObservatoryGenerator(Generator):
    """Write the open data files once, and the observatory page in each edition."""

    def generate_output(self, writer) -> None:
        if "observatory" not in self.context:
            return
        settings, context = self.settings, self.context
        base = public_base_url(settings).rstrip("/")
        made = opendata.files(
            context["observatory"],
            lambda family, key: label_of(context, family, key, settings["DEFAULT_LANG"]),
            lambda url: f"{base}/{url}" if base else url,
            settings["SITENAME"],
        )
        folder = settings["OBSERVATORY_DATA"]
        for name, text in made.items():
            write_keyed(self.output_path, f"{folder}/{name}", text, lambda text=text: text)
        write_editions(self, lambda lang: self.write_edition(writer, lang))

    def write_edition(self, writer, lang: str) -> None:
        view = edition_view(self.context, self.settings, lang)
        write_page(
            self,
            writer,
            "observatory",
            self.settings["OBSERVATORY_URL"],
            lang=lang,
            observatory=view,
            data_folder=self.settings["OBSERVATORY_DATA"],
            tables=opendata.TABLES,
        )


def get_generators(pelican):
    return ObservatoryGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.generator_init.connect(add_charts_to_theme)
    signals.all_generators_finalized.connect(count_everything)
    signals.get_generators.connect(get_generators)
