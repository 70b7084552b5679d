"""The observatory's figures as open data: CSV tables, one JSON file, and their schemas.

`TABLES` is the one description of every table: its file, its columns, each column's type
and meaning. The CSV files, the JSON file, `datapackage.json` (a Frictionless Data Package:
spreadsheets and data tools read the tables' types from it) and `figures.schema.json` (a
JSON Schema of the JSON file) are all made from it, so they cannot disagree.

Groups are named by their codes (an org's folder, ISO 3166 country codes, BCP 47 language
tags, the topic and kind vocabularies) with a `name` in the site's default language. Lists
in one CSV cell (a text's topics) are separated by `;`. Files are UTF-8, with a header line,
and the same bytes at every build of the same tree.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from .figures import Figures

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, date, year-month
    description: str


def _group_columns(code: str, what: str, counted: str = "texts") -> tuple[Column, ...]:
    return (
        Column(code, "string", f"The {what}'s code"),
        Column("name", "string", f"The {what}'s name, in the site's default language"),
        Column(counted, "integer", f"Publications ({counted}) in this {what}"),
        Column("share", "number", f"{counted.capitalize()} in this {what}, over all, 0 to 1"),
    )


@dataclass(frozen=True)
class Table:
    name: str  # the file is `<name>.csv`; the JSON key is `key`
    key: str
    title: str
    columns: tuple[Column, ...]
    family: str = ""  # for a table of groups: the family (org, country…), its first column
    what: str = ""  # and what one group is, in words


def _group_table(key: str, code: str, what: str, counted: str = "texts") -> Table:
    """The table of one family of groups, e.g. `publications-by-country.csv`."""
    return Table(
        f"publications-by-{code}",
        key,
        f"{counted.capitalize()} per {what}"
        + (", translations included" if counted == "versions" else ""),
        _group_columns(code, what, counted),
        code,
        what,
    )


TABLES = (
    Table(
        "publications-by-month",
        "months",
        "Publications per month",
        (
            Column("month", "year-month", "The month, YYYY-MM"),
            Column("texts", "integer", "Texts first published that month (translations apart)"),
        ),
    ),
    _group_table("orgs", "org", "organization"),
    _group_table("countries", "country", "country"),
    _group_table("kinds", "kind", "kind of organization"),
    _group_table("topics", "topic", "topic"),
    _group_table("languages", "language", "language", "versions"),
    Table(
        "dossiers",
        "dossiers",
        "Dossiers, the most linked first",
        (
            Column("dossier", "string", "The dossier's source file"),
            Column("title", "string", "Its title"),
            Column("url", "string", "Its address"),
            Column("links", "integer", "Texts and pages linking to it (translations count once)"),
            Column("texts", "integer", "Texts it gathers"),
        ),
    ),
    Table(
        "catalogue",
        "catalogue",
        "Every text, in every language",
        (
            Column("id", "string", "The text's source file, unique"),
            Column(
                "org", "string", "The organization's code (its folder); empty for the editors' news"
            ),
            Column("title", "string", "The title, in the text's language"),
            Column("date", "date", "The date of publication, YYYY-MM-DD"),
            Column("language", "string", "The text's language (BCP 47)"),
            Column("type", "string", "The type of text (news, analysis, statement, event…)"),
            Column("topics", "string", "Its topics' codes, separated by ;"),
            Column("countries", "string", "Its countries' codes (ISO 3166-1), separated by ;"),
            Column("kinds", "string", "Its organization's kinds, separated by ;"),
            Column("url", "string", "Its address"),
            Column("original", "string", "For a translation, the id of the text it translates"),
        ),
    ),
)


# The tables of groups, in the page's order: a figure (`Figures.orgs`…) each.
GROUPS = tuple(table for table in TABLES if table.family)


def records(
    figures: Figures, name: Callable[[str, str], str], url: Callable[[str], str]
) -> dict[str, list[dict]]:
    """Each table's rows as dictionaries (`name(family, code)`: a group's name; `url(path)`:
    a page's public address)."""

    def groups(family: str, code: str, found, counted: str = "texts") -> list[dict]:
        return [
            {
                code: row.key,
                "name": name(family, row.key),
                counted: row.count,
                "share": round(row.share, 4),
            }
            for row in found
        ]

    return {
        "months": [{"month": row.key, "texts": row.count} for row in figures.months],
        "orgs": groups("org", "org", figures.orgs),
        "countries": groups("country", "country", figures.countries),
        "kinds": groups("kind", "kind", figures.kinds),
        "topics": groups("topic", "topic", figures.topics),
        "languages": groups("language", "language", figures.languages, "versions"),
        "dossiers": [
            {
                "dossier": d.key,
                "title": d.title,
                "url": url(d.url),
                "links": d.links,
                "texts": d.texts,
            }
            for d in figures.dossiers
        ],
        "catalogue": [
            {
                "id": item.id,
                "org": item.org,
                "title": item.title,
                "date": item.date.isoformat(),
                "language": item.lang,
                "type": item.type,
                "topics": ";".join(item.topics),
                "countries": ";".join(item.countries),
                "kinds": ";".join(item.kinds),
                "url": url(item.url),
                "original": item.original,
            }
            for item in figures.catalogue
        ],
    }


def csv_text(table: Table, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, [column.name for column in table.columns], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def summary(figures: Figures) -> dict:
    return {
        "format": FORMAT_VERSION,
        "as_of": figures.as_of.isoformat(),
        "texts": figures.texts,
        "versions": figures.versions,
        "translated": figures.translated,
        "translated_share": round(figures.translated_share, 4),
        "active_days": figures.active_days,
        "active_orgs": figures.active_orgs,
        "orgs_in_network": figures.all_orgs,
    }


SUMMARY_SCHEMA = {
    "format": {"type": "integer", "description": "The version of this file's layout"},
    "as_of": {"type": "string", "format": "date", "description": "The day the figures are for"},
    "texts": {"type": "integer", "minimum": 0, "description": "Texts, translations apart"},
    "versions": {"type": "integer", "minimum": 0, "description": "Texts and translations"},
    "translated": {"type": "integer", "minimum": 0, "description": "Texts with a translation"},
    "translated_share": {"type": "number", "minimum": 0, "maximum": 1},
    "active_days": {"type": "integer", "description": "The window of `active_orgs`, in days"},
    "active_orgs": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Organizations that published in the last `active_days` days",
    },
    "orgs_in_network": {
        "type": "integer",
        "minimum": 0,
        "description": "Organizations in the network",
    },
}
JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "minimum": 0},
    "number": {"type": "number", "minimum": 0},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "year-month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
}


def figures_json(figures: Figures, tables: dict[str, list[dict]]) -> str:
    """The summary and every table but the catalogue (it has its own CSV file)."""
    data = summary(figures) | {t.key: tables[t.key] for t in TABLES if t.key != "catalogue"}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def json_schema(site: str) -> str:
    properties = dict(SUMMARY_SCHEMA)
    for table in TABLES:
        if table.key == "catalogue":
            continue
        properties[table.key] = {
            "type": "array",
            "description": table.title,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [column.name for column in table.columns],
                "properties": {
                    c.name: {**JSON_TYPES[c.type], "description": c.description}
                    for c in table.columns
                },
            },
        }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{site}: figures of the network's publications",
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


def datapackage(site: str, as_of: str) -> str:
    """A Frictionless Data Package naming each CSV table and its columns' types."""
    package = {
        "name": "minga-observatory",
        "title": f"{site}: publications of the network",
        "created": as_of,
        "licenses": [
            {"name": "CC-BY-SA-4.0", "path": "https://creativecommons.org/licenses/by-sa/4.0/"}
        ],
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {
                            "name": c.name,
                            "type": "yearmonth" if c.type == "year-month" else c.type,
                            "description": c.description,
                        }
                        for c in table.columns
                    ]
                },
            }
            for table in TABLES
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def files(figures: Figures, name, url, site: str) -> dict[str, str]:
    """Every data file, by its name in the data folder."""
    tables = records(figures, name, url)
    made = {f"{table.name}.csv": csv_text(table, tables[table.key]) for table in TABLES}
    made["figures.json"] = figures_json(figures, tables)
    made["figures.schema.json"] = json_schema(site)
    made["datapackage.json"] = datapackage(site, figures.as_of.isoformat())
    return made
