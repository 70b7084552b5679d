"""The observatory's tables for the terminal (`invoke report`), read from the published data.

The built site's catalogue (`catalogue.csv`) is read back into items and counted by the
same `figures.figures` as the page, after keeping only the texts from a day on (`since`)
or of one organization (`org`). The most-linked dossiers are the site's as published.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from .figures import Dossier, Figures, Item, figures
from .opendata import GROUPS, TABLES


class NoData(Exception):
    """The site was not built, or built without the observatory."""


def _rows(folder: Path, name: str) -> list[dict]:
    """A table's rows, when the file has the columns this version of Minga writes."""
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise NoData(f"{path} is missing")
    columns = next(table.columns for table in TABLES if table.name == name)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != [column.name for column in columns]:
            raise NoData(f"{path} was written by another version of Minga")
        return list(reader)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part for part in cell.split(";") if part)


def read(folder: Path) -> tuple[list[Item], dict, list[Dossier], dict[tuple[str, str], str]]:
    """The catalogue's items, the summary (`figures.json`), the dossiers, and the names of
    the groups ((family, code) -> name)."""
    items = [
        Item(
            row["id"],
            row["org"],
            row["title"],
            dt.date.fromisoformat(row["date"]),
            row["language"],
            row["type"],
            _split(row["topics"]),
            _split(row["countries"]),
            _split(row["kinds"]),
            row["url"],
            row["original"],
        )
        for row in _rows(folder, "catalogue")
    ]
    summary_file = folder / "figures.json"
    if not summary_file.is_file():
        raise NoData(f"{summary_file} is missing")
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    dossiers = [
        Dossier(row["dossier"], row["title"], row["url"], int(row["links"]), int(row["texts"]))
        for row in _rows(folder, "dossiers")
    ]
    names = {
        (table.key, row[table.family]): row["name"]
        for table in GROUPS
        for row in _rows(folder, table.name)
    }
    return items, summary, dossiers, names


def counted(folder: Path, since: dt.date | None = None, org: str = "") -> tuple[Figures, dict]:
    """The figures of the published catalogue's texts from `since` on, of `org` alone."""
    items, summary, dossiers, names = read(folder)
    if org and not any(item.org == org for item in items):
        known = sorted({item.org for item in items if item.org})
        raise NoData(f"no texts of the organization {org!r}; known: {', '.join(known)}")
    kept = [
        item
        for item in items
        if (since is None or item.date >= since) and (not org or item.org == org)
    ]
    orgs = {code: name for (family, code), name in names.items() if family == "orgs"}
    found = figures(
        kept,
        orgs,
        dossiers,
        dt.date.fromisoformat(summary["as_of"]),
        summary["active_days"],
    )
    found.all_orgs = 1 if org else summary["orgs_in_network"]
    return found, names


def _table(header: tuple[str, ...], lines: list[tuple]) -> str:
    body = [
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
        *("| " + " | ".join(str(cell) for cell in line) + " |" for line in lines),
    ]
    return "\n".join(body)


def text(found: Figures, names: dict, top: int = 15, since=None, org: str = "") -> str:
    """Every table, as Markdown (readable as it is in a terminal)."""
    scope = []
    if org:
        scope.append(f"organization {names.get(('orgs', org), org)} ({org})")
    if since:
        scope.append(f"texts from {since.isoformat()} on")
    parts = [
        f"Figures as of {found.as_of.isoformat()}"
        + (f", {', '.join(scope)}" if scope else "")
        + f": {found.texts} texts ({found.versions} with translations); "
        f"{found.translated_share:.0%} have a translation; {len(found.active_orgs)} of "
        f"{found.all_orgs} organizations published in the last {found.active_days} days.",
        "Publications per year:\n\n"
        + _table(
            ("year", *(f"{m:02d}" for m in range(1, 13)), "total"),
            [(year, *counts, sum(counts)) for year, counts in found.years],
        ),
    ]
    for table in GROUPS:
        rows = getattr(found, table.key)
        lines = [
            (
                f"{names.get((table.key, row.key), row.key)} ({row.key})",
                row.count,
                f"{row.share:.0%}",
            )
            for row in rows[:top]
        ]
        more = f"\n\n… and {len(rows) - top} more" if len(rows) > top else ""
        header = (table.what, table.columns[2].name, "share")
        parts.append(f"Per {table.what}:\n\n" + _table(header, lines) + more)
    if found.dossiers:
        parts.append(
            "The most-linked dossiers (the whole site):\n\n"
            + _table(
                ("dossier", "links", "texts"),
                [(d.title, d.links, d.texts) for d in found.dossiers[:top]],
            )
        )
    files = ", ".join(f"{table.name}.csv" for table in TABLES)
    parts.append(f"The same figures as files: {files}, figures.json.")
    return "\n\n".join(parts)
