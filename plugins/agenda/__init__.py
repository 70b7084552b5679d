"""The agenda: texts of type `event` on one page (upcoming first, past ones on the pages
after it, `PAGINATED_TEMPLATES["agenda"]` a page), on their org's page, and
in iCalendar files (`.ics`), one for the site and one per organization, for phones and
calendar programs.

What is "upcoming" is decided against the editorial plugin's `BUILD_DATE` (default: the
day of the build), so two builds of the same tree on the same day give the same files.
The page and the calendars have an edition per interface language (see `site_paths`):
each event in its text's version in that language when it has one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from editorial import build_date, plain_text
from icalendar import Calendar, Event
from incremental import write_keyed
from localization import strings, translate
from pelican import signals
from pelican.generators import Generator
from site_paths import edition_url, public_base_url, version_in, write_editions, write_listing

DEFAULTS = {
    "AGENDA_URL": "agenda/index.html",
    "AGENDA_ICS": "agenda/minga.ics",
    "ORG_AGENDA_ICS": "orgs/{org}/agenda.ics",
}


@dataclass
class Happening:
    """One event: its text and when and where it happens."""

    article: object
    start: dt.datetime
    end: dt.datetime | None
    place: str

    @property
    def org(self):
        return getattr(self.article, "org", None)


def happenings(articles: list) -> list[Happening]:
    """Every text of type `event` with a start, soonest first."""
    found = []
    for article in articles:
        event = getattr(article, "event", None) or {}
        start = event.get("start") if isinstance(event, dict) else None
        if getattr(article, "type", None) == "event" and isinstance(start, dt.datetime):
            found.append(Happening(article, start, event.get("end"), event.get("place") or ""))
    return sorted(found, key=lambda h: (h.start, h.article.title))


def split_by_day(events: list[Happening], day: dt.date) -> tuple[list, list]:
    """(upcoming soonest first, past most recent first); an event lasts until its end."""
    upcoming = [e for e in events if (e.end or e.start).date() >= day]
    past = [e for e in reversed(events) if (e.end or e.start).date() < day]
    return upcoming, past


def calendar(events: list[Happening], name: str, site_url: str, lang: str) -> bytes:
    """An iCalendar file of `events`, each in its version in `lang` when it has one; times
    are the local times of each place (floating)."""
    cal = Calendar()
    cal.add("prodid", f"-//Minga//agenda//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for happening in events:
        # One event has one identifier, whatever the language of the calendar.
        uid = f"{happening.article.relative_source_path}@minga"
        article = version_in(happening.article, lang)
        event = Event()
        event.add("uid", uid)
        event.add(
            "dtstamp",
            (article.modified if hasattr(article, "modified") else article.date).astimezone(dt.UTC),
        )
        event.add("dtstart", happening.start)
        if happening.end:
            event.add("dtend", happening.end)
        event.add("summary", article.title)
        if happening.place:
            event.add("location", happening.place)
        summary = plain_text(getattr(article, "summary", ""))
        if summary:
            event.add("description", summary)
        event.add("url", f"{site_url.rstrip('/')}/{article.url}")
        cal.add_component(event)
    return cal.to_ical()


def on_articles_read(generator) -> None:
    settings = generator.settings
    events = happenings(generator.articles)
    upcoming, past = split_by_day(events, build_date(settings))
    generator.context["agenda"] = {"upcoming": upcoming, "past": past, "all": events}
    for org in generator.context.get("orgs", []):
        mine = [e for e in upcoming if e.org is org]
        org.upcoming_events = mine
        org.agenda_url = settings["ORG_AGENDA_ICS"].format(org=org.id)


class AgendaGenerator(Generator):
    """Write, in each language's edition, the agenda page and the iCalendar files."""

    def generate_output(self, writer) -> None:
        write_editions(self, lambda lang: self.write_edition(writer, lang))

    def write_edition(self, writer, lang: str) -> None:
        settings = self.settings
        agenda = self.context.get("agenda", {"upcoming": [], "past": [], "all": []})
        # Past events grow with the archive: they are the listing's pages.
        past = agenda["past"]
        write_listing(
            self, writer, "agenda", settings["AGENDA_URL"], past, lang=lang, agenda=agenda
        )
        site_url = public_base_url(settings)
        name = f"{settings['SITENAME']}: {translate(settings, lang, strings.AGENDA)}"
        files = {settings["AGENDA_ICS"]: (agenda["all"], name)}
        by_org: dict[int, list[Happening]] = {}  # by the org's identity, soonest first
        for event in agenda["all"]:
            by_org.setdefault(id(event.org), []).append(event)
        for org in self.context.get("orgs", []):
            files[org.agenda_url] = (by_org.get(id(org), []), org.name)
        for path, (events, title) in files.items():
            write_keyed(
                self.output_path,
                edition_url(path, lang, settings),
                (events, title, site_url, lang),
                lambda events=events, title=title: calendar(events, title, site_url, lang),
            )


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_generators(pelican):
    return AgendaGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_finalized.connect(on_articles_read)
    signals.get_generators.connect(get_generators)
