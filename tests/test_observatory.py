"""The observatory on a fixture site: its figures against counts made here from the fixture's
own files, its charts as XML, and its open data against the schemas it publishes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import jsonschema
import pytest
import yaml
from conftest import article, org_card, run_pelican, write_tree
from observatory import charts

AS_OF = dt.date(2026, 12, 1)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
NS = {"svg": "http://www.w3.org/2000/svg"}


def text(title, date, lang="es", key="", topics="", countries="", body="Texto."):
    extra = f"translation_key: {key}\n" if key else ""
    extra += f"topics: [{topics}]\n" if topics else ""
    extra += f"countries: [{countries}]\n" if countries else ""
    return article(title, date, lang, extra, body)


SITE = {
    "orgs/alfa/org.yaml": org_card("Colectivo Alfa", "rural", "CO"),
    "orgs/beta/org.yaml": org_card("Radio Beta", "communication", "MX"),
    "orgs/gama/org.yaml": org_card("Mujeres Gama", "women", "BO, PE"),
    "orgs/alfa/semillas.md": text("Semillas", "2024-11-03", key="semillas", topics="water"),
    "orgs/alfa/semillas-pt.md": text("Sementes", "2024-11-20", "pt", key="semillas"),
    "orgs/alfa/semillas-en.md": text("Seeds", "2024-12-01", "en", key="semillas"),
    "orgs/alfa/cosecha.md": text("Cosecha", "2026-10-15", topics="water, climate"),
    "orgs/alfa/feria.md": text("Feria", "2026-11-20", countries="EC"),
    "orgs/beta/radio.md": text("Radio al aire", "2025-06-09", key="radio", topics="climate"),
    "orgs/beta/radio-pt.md": text("Rádio no ar", "2026-11-02", "pt", key="radio"),
    "orgs/beta/licencias.md": text("Licencias", "2025-06-30"),
    "orgs/gama/encuentro.md": text("Encuentro", "2026-01-12", topics="water"),
    "content/news/campana.md": text(
        "Campaña", "2026-11-25", body="Lean el [dossier]({filename}../dossiers/agua.md)."
    ),
    "content/dossiers/agua.md": (
        "---\ntitle: Agua\ndate: 2026-11-26\nlang: es\nitems:\n"
        "  - orgs/alfa/semillas.md\n  - orgs/gama/encuentro.md\n---\n\nTextos sobre el agua.\n"
    ),
    "content/pages/sobre.md": (
        "---\ntitle: Sobre\ndate: 2026-01-01\nlang: es\n---\n\n"
        "Vea [el dossier del agua](/dossiers/agua.html) y "
        "[otra vez]({filename}/content/dossiers/agua.md).\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("observatory")
    build = run_pelican(
        write_tree(base / "site", SITE), base / "output", extra=("-e", 'BUILD_DATE="2026-12-01"')
    )
    assert build.returncode == 0, build.log
    return build


def front(path: str) -> dict:
    return yaml.safe_load(SITE[path].split("---")[1])


def expected() -> dict:
    """The figures, counted from the fixture's files alone."""
    texts = {p: front(p) for p in SITE if p.endswith(".md") and p.split("/")[1] != "pages"}
    texts = {p: f for p, f in texts.items() if not p.startswith("content/dossiers")}
    cards = {p.split("/")[1]: yaml.safe_load(SITE[p]) for p in SITE if p.endswith("org.yaml")}
    originals = {p: f for p, f in texts.items() if f["lang"] == "es"}
    keys = Counter(f.get("translation_key") for f in texts.values() if f.get("translation_key"))
    org_of = {p: p.split("/")[1] if p.startswith("orgs/") else "" for p in texts}
    countries, kinds, topics, months = Counter(), Counter(), Counter(), Counter()
    for path, meta in originals.items():
        org = org_of[path]
        countries.update(meta.get("countries") or (cards[org]["countries"] if org else []))
        kinds.update(cards[org]["kinds"] if org else [])
        topics.update(meta.get("topics") or [])
        months[str(meta["date"])[:7]] += 1
    since = AS_OF - dt.timedelta(days=90)
    return {
        "texts": len(originals),
        "versions": len(texts),
        "translated": sum(1 for f in originals.values() if keys[f.get("translation_key")] > 1),
        "orgs": Counter(org_of[p] for p in originals if org_of[p]),
        "countries": countries,
        "kinds": kinds,
        "topics": topics,
        "languages": Counter(f["lang"] for f in texts.values()),
        "months": months,
        "active": {org_of[p] for p, f in texts.items() if org_of[p] and since < f["date"] <= AS_OF},
        "catalogue": set(texts),
    }


def data(site, name: str) -> str:
    return (site.output / "observatory/data" / name).read_text(encoding="utf-8")


def test_the_figures_match_counts_made_from_the_files(site):
    want = expected()
    got = json.loads(data(site, "figures.json"))
    assert got["as_of"] == "2026-12-01"
    assert (got["texts"], got["versions"], got["translated"]) == (
        want["texts"],
        want["versions"],
        want["translated"],
    )
    assert got["translated_share"] == round(want["translated"] / want["texts"], 4)
    for family, code in (
        ("orgs", "org"),
        ("countries", "country"),
        ("kinds", "kind"),
        ("topics", "topic"),
    ):
        assert {row[code]: row["texts"] for row in got[family]} == dict(want[family]), family
    assert {row["language"]: row["versions"] for row in got["languages"]} == dict(want["languages"])
    months = {row["month"]: row["texts"] for row in got["months"]}
    assert {m: n for m, n in months.items() if n} == dict(want["months"])
    # every month from the first text's to the build's, none missing
    assert list(months)[0] == min(want["months"]) and list(months)[-1] == "2026-12"
    assert len(months) == (2026 - 2024) * 12 + (12 - 11) + 1
    assert set(got["active_orgs"]) == want["active"] == {"alfa", "beta"}
    assert got["orgs_in_network"] == 3
    # groups from the most texts to the fewest
    assert [row["texts"] for row in got["orgs"]] == sorted(
        (row["texts"] for row in got["orgs"]), reverse=True
    )


def test_the_most_linked_dossier_counts_each_linking_text_once(site):
    rows = list(csv.DictReader(io.StringIO(data(site, "dossiers.csv"))))
    # the news item, and the about page (twice, counted once); not the dossier itself
    assert rows == [
        {
            "dossier": "content/dossiers/agua.md",
            "title": "Agua",
            "url": rows[0]["url"],
            "links": "2",
            "texts": "2",
        }
    ]
    assert rows[0]["url"].endswith("dossiers/agua.html")


def test_the_json_file_validates_against_its_schema(site):
    schema = json.loads(data(site, "figures.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    figures = json.loads(data(site, "figures.json"))
    assert list(validator.iter_errors(figures)) == []
    figures["orgs"][0]["texts"] = "4"  # the schema can fail
    assert list(validator.iter_errors(figures))


def valid(value: str, kind: str) -> bool:
    checks = {
        "integer": lambda v: v.isdigit(),
        "number": lambda v: float(v) >= 0,
        "date": lambda v: dt.date.fromisoformat(v) is not None and len(v) == 10,
        "yearmonth": lambda v: re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v) is not None,
        "string": lambda v: True,
    }
    try:
        return bool(checks[kind](value))
    except ValueError:
        return False


def test_every_csv_file_matches_its_table_schema(site):
    package = json.loads(data(site, "datapackage.json"))
    assert {r["path"] for r in package["resources"]} >= {
        "catalogue.csv",
        "publications-by-month.csv",
        "publications-by-org.csv",
        "publications-by-country.csv",
        "publications-by-kind.csv",
        "publications-by-topic.csv",
        "publications-by-language.csv",
    }
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f["description"] for f in fields), resource["name"]
        reader = csv.DictReader(io.StringIO(data(site, resource["path"])))
        assert reader.fieldnames == [f["name"] for f in fields], resource["path"]
        rows = list(reader)
        assert rows, resource["path"]
        for row in rows:
            for f in fields:
                assert valid(row[f["name"]], f["type"]), (resource["path"], f["name"], row)


def test_the_catalogue_lists_every_text_in_every_language(site):
    rows = list(csv.DictReader(io.StringIO(data(site, "catalogue.csv"))))
    assert {row["id"] for row in rows} == expected()["catalogue"]
    assert len(rows) == len({row["id"] for row in rows})
    by_id = {row["id"]: row for row in rows}
    seeds = by_id["orgs/alfa/semillas-pt.md"]
    assert (seeds["org"], seeds["language"], seeds["date"]) == ("alfa", "pt", "2024-11-20")
    assert (
        seeds["original"] == "orgs/alfa/semillas.md"
        and by_id["orgs/alfa/semillas.md"]["original"] == ""
    )
    assert by_id["orgs/gama/encuentro.md"]["countries"] == "BO;PE"
    assert by_id["orgs/alfa/cosecha.md"]["topics"] == "water;climate"
    assert by_id["content/news/campana.md"]["org"] == ""
    for row in rows:  # each address is a page of the site
        path = (
            row["url"].split("://", 1)[-1].split("/", 1)[-1] if "://" in row["url"] else row["url"]
        )
        assert (site.output / path).is_file(), row


def charts_of(page: str) -> list[ET.Element]:
    found = [ET.fromstring(svg) for svg in SVG.findall(page)]
    for svg in found:
        title = svg.find("svg:title", NS)
        assert title is not None and title.text.strip(), ET.tostring(svg)[:200]
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == title.get("id")
    return found


@pytest.mark.parametrize("edition", ["", "pt/", "en/", "fr/"])
def test_the_page_shows_each_chart_with_its_table_in_every_edition(site, edition):
    page = site.page(f"{edition}observatory/index.html")
    svgs = charts_of(page)
    # months, orgs, countries, kinds, topics, languages
    assert len(svgs) == 6
    assert page.count("<table>") == 7  # a table beside each chart, and the dossiers'
    assert 'href="../data/figures.json"' in page or 'observatory/data/figures.json"' in page
    bars = {
        svg.find("svg:title", NS).text: [t.text for t in svg.findall("svg:text", NS)]
        for svg in svgs
    }
    org_chart = next(texts for texts in bars.values() if "Colectivo Alfa" in texts)
    want = expected()["orgs"]
    assert org_chart[org_chart.index("Colectivo Alfa") + 1] == str(want["alfa"])


def test_the_spanish_page_says_the_figures_in_words_and_tables(site):
    page = site.page("observatory/index.html")
    want = expected()
    assert f"{want['texts']} textos publicados" in page
    assert f"{want['versions']} versiones con las traducciones" in page
    assert "2 de 3 organizaciones publicaron en los últimos 90 días" in page
    assert re.search(r">Colectivo Alfa</a></th><td>3</td><td>\d+\s%</td>", page)
    assert ">Agua</a></th><td>2</td><td>2</td>" in page  # links received, texts gathered


def test_an_org_page_draws_its_activity(site):
    page = site.page("orgs/alfa/index.html")
    (spark,) = [svg for svg in charts_of(page) if svg.get("class") == "sparkline"]
    points = spark.find("svg:polyline", NS).get("points").split()
    assert len(points) == 24
    heights = [float(point.split(",")[1]) for point in points]
    # alfa's texts (translations apart) in the last 24 months: October and November 2026
    ones = [i for i, y in enumerate(heights) if y < max(heights)]
    assert ones == [21, 22]
    assert "2 textos en los últimos 24 meses" in page


def test_a_label_that_looks_like_markup_stays_text():
    svg = charts.bars([charts.Bar('<b>"A & B"</b>', 3, "3")], 'Título <x> & "y"', "c1")
    root = ET.fromstring(svg)
    assert root.find("svg:title", NS).text == 'Título <x> & "y"'
    assert [t.text for t in root.findall("svg:text", NS)] == ['<b>"A & B"</b>', "3"]
    line = ET.fromstring(charts.sparkline([], "Vacío", "c2"))
    assert line.find("svg:polyline", NS).get("points") == ""


def test_the_terminal_report_counts_one_org_from_a_day_on(site):
    from observatory.report import NoData, counted, text

    folder = site.output / "observatory/data"
    found, names = counted(folder, dt.date(2025, 1, 1), "alfa")
    # alfa's originals from 2025 on: cosecha and feria; its 2024 seeds and translations apart
    assert (found.texts, found.versions) == (2, 2)
    assert [(row.key, row.count) for row in found.orgs] == [("alfa", 2)]
    assert {row.key: row.count for row in found.topics} == {"water": 1, "climate": 1}
    printed = text(found, names, since=dt.date(2025, 1, 1), org="alfa")
    assert "organization Colectivo Alfa (alfa), texts from 2025-01-01 on: 2 texts" in printed
    assert "| Colectivo Alfa (alfa) | 2 | 100% |" in printed
    everything, _names = counted(folder)
    assert everything.texts == expected()["texts"]
    with pytest.raises(NoData, match="'nadie'"):
        counted(folder, org="nadie")


def test_the_report_refuses_data_of_another_layout(site, tmp_path):
    from observatory.report import NoData, counted

    folder = tmp_path / "data"
    folder.mkdir()
    for path in (site.output / "observatory/data").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    old = data(site, "catalogue.csv").replace(",kinds,", ",", 1)  # a column fewer
    (folder / "catalogue.csv").write_text(old, encoding="utf-8")
    with pytest.raises(NoData, match="another version of Minga"):
        counted(folder)


def test_the_page_tables_and_the_csv_files_say_the_same(site):
    page = site.page("observatory/index.html")
    for figure, table in (
        ("orgs", "publications-by-org"),
        ("countries", "publications-by-country"),
        ("kinds", "publications-by-kind"),
        ("topics", "publications-by-topic"),
        ("languages", "publications-by-language"),
    ):
        section = page.split(f'<section aria-labelledby="obs-{figure}">')[1].split("</section>")[0]
        shown = [
            (re.sub(r"<[^>]+>", "", label), int(count))
            for label, count in re.findall(
                r'<th scope="row">(.*?)</th><td>([\d.]+)</td>', section.split("<table>")[1]
            )
        ]
        rows = list(csv.DictReader(io.StringIO(data(site, f"{table}.csv"))))
        counted = "versions" if figure == "languages" else "texts"
        assert shown == [(row["name"], int(row[counted])) for row in rows][: len(shown)], figure
        assert shown, figure


def test_the_sample_sites_observatory_counts_its_files_within_the_budget(sample_site):
    from conftest import ROOT
    from lean.pages import read_page

    from pelicanconf import WEIGHT_BUDGETS

    budget = WEIGHT_BUDGETS["index"]
    metas = []
    for path in sorted([*ROOT.glob("orgs/**/*.md"), *ROOT.glob("content/news/*.md")]):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if not meta.get("draft"):
            metas.append((path, meta))
    groups = {(path.parts[len(ROOT.parts)], m.get("translation_key") or path) for path, m in metas}
    figures = json.loads(sample_site.page("observatory/data/figures.json"))
    assert (figures["versions"], figures["texts"]) == (len(metas), len(groups))
    assert figures["orgs_in_network"] == len(list(ROOT.glob("orgs/*/org.yaml")))
    for edition in ("", "pt/", "en/", "fr/"):
        weighed = read_page(
            sample_site.output, sample_site.output / edition / "observatory/index.html"
        )
        assert weighed.first_view <= budget, (edition, weighed.first_view)
        assert len(charts_of(sample_site.page(f"{edition}observatory/index.html"))) == 6
