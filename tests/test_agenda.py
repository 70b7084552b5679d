"""The agenda on a fixture site: page order, the org's page, and .ics files a calendar reads."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import article, org_card, run_pelican, write_tree
from icalendar import Calendar
from links import broken_links


def event(title, date, start, end="", place="", org_extra=""):
    lines = f"type: event\nevent:\n  start: {start}\n"
    lines += f"  end: {end}\n" if end else ""
    lines += f"  place: {place}\n" if place else ""
    return article(title, date, extra=lines + org_extra)


SITE = {
    "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
    "orgs/beta/org.yaml": org_card("Radio Beta", "communication", "MX"),
    "orgs/alfa/feria.md": event(
        "Feria de semillas",
        "2026-10-01",
        "2026-12-05 09:00",
        "2026-12-05 17:00",
        "Plaza de Yaku Pamba",
    ),
    "orgs/alfa/asamblea.md": event("Asamblea de marzo", "2026-02-01", "2026-03-10 10:00"),
    "orgs/beta/taller.md": event(
        "Taller de radio",
        "2026-11-01",
        "2026-11-30 15:00",
        "2026-12-02 12:00",
        "Cabina comunitaria",
    ),
    "orgs/beta/nota.md": article("Nota sin evento", "2026-11-02"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("agenda")
    build = run_pelican(
        write_tree(base / "site", SITE), base / "output", extra=("-e", 'BUILD_DATE="2026-12-01"')
    )
    assert build.returncode == 0, build.log
    return build


def test_agenda_lists_upcoming_soonest_first_then_past(site):
    page = site.page("agenda/index.html")
    upcoming, past = page.split("<h2>Pasados</h2>")
    # the workshop runs until 2 December, so on 1 December it is still upcoming
    assert upcoming.index("Taller de radio") < upcoming.index("Feria de semillas")
    assert "Asamblea de marzo" in past and "Asamblea de marzo" not in upcoming
    assert "Nota sin evento" not in page
    assert "5 de diciembre de 2026, 9:00</time> – <time" in upcoming
    assert "Plaza de Yaku Pamba" in upcoming


def test_org_page_shows_its_upcoming_events_and_calendar(site):
    alfa = site.page("orgs/alfa/index.html")
    agenda = alfa.split('id="org-agenda"')[1].split("</section>")[0]
    assert "Feria de semillas" in agenda and "Taller de radio" not in agenda
    assert "Asamblea de marzo" not in agenda
    assert 'href="../../orgs/alfa/agenda.ics"' in agenda


def read_calendar(site, path) -> list:
    calendar = Calendar.from_ical(site.page(path))
    return list(calendar.walk("VEVENT"))


def test_site_calendar_parses_with_every_event(site):
    events = {str(e["SUMMARY"]): e for e in read_calendar(site, "agenda/minga.ics")}
    assert set(events) == {"Feria de semillas", "Asamblea de marzo", "Taller de radio"}
    feria = events["Feria de semillas"]
    assert feria.decoded("DTSTART") == dt.datetime(2026, 12, 5, 9, 0)
    assert feria.decoded("DTEND") == dt.datetime(2026, 12, 5, 17, 0)
    assert str(feria["LOCATION"]) == "Plaza de Yaku Pamba"
    assert str(feria["URL"]).endswith("/orgs/alfa/feria.html")
    assert str(feria["UID"]) == "orgs/alfa/feria.md@minga"


def test_each_org_calendar_holds_only_its_events(site):
    assert [str(e["SUMMARY"]) for e in read_calendar(site, "orgs/beta/agenda.ics")] == [
        "Taller de radio"
    ]
    assert sorted(str(e["SUMMARY"]) for e in read_calendar(site, "orgs/alfa/agenda.ics")) == [
        "Asamblea de marzo",
        "Feria de semillas",
    ]


def test_agenda_links_work(site):
    assert broken_links(site.output) == []


def test_past_events_are_paged_and_upcoming_ones_open_the_agenda(tmp_path):
    """The agenda page stays small however many events the archive holds: upcoming events
    on its first page, past ones 20 a page, newest first."""
    files = dict(SITE)
    for day in range(1, 24):
        start = f"2025-06-{day:02d} 10:00"
        files[f"orgs/alfa/reunion-{day}.md"] = event(f"Reunión número {day}", "2025-05-01", start)
    build = run_pelican(
        write_tree(tmp_path / "site", files),
        tmp_path / "output",
        extra=("-e", 'BUILD_DATE="2026-12-01"'),
    )
    assert build.returncode == 0, build.log
    first, second = build.page("agenda/index.html"), build.page("agenda/index-2.html")
    assert "Feria de semillas" in first and "Feria de semillas" not in second
    assert "<h2>Próximos</h2>" in first and "<h2>Próximos</h2>" not in second
    # 24 past events: the newest 20 first (the March assembly is the newest), then 4.
    assert "Asamblea de marzo" in first and "Reunión número 23<" in first
    assert "Reunión número 5<" in first and "Reunión número 4<" not in first
    assert all(f"Reunión número {day}<" in second for day in (1, 2, 3, 4))
    assert 'href="../agenda/index-2.html"' in first and "Página 1 de 2" in first
    assert not (build.output / "agenda/index-3.html").exists()
    assert "Reunión número 3<" in build.page("pt/agenda/index-2.html")
