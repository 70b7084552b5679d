"""Readable with no connection: the site opened from disk (`file://`), the zip copies and
the ZIM file for Kiwix, and the "Read offline" page that offers them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, article, org_card, run_pelican, write_tree
from crawler import crawl
from localization import date_long, file_size
from offline.bundles import Site, bundle_files, language, org, whole_site
from offline.downloads import write_zip
from PIL import Image

PUBLIC = "https://minga.example"
SETTINGS = {
    "DEFAULT_LANG": "es",
    "UI_LANGUAGES": ["es", "pt"],
    "EDITION_PREFIX": "{lang}/",
    "ORGS_PATH": "orgs",
    "ORG_URL": "orgs/{org}/index.html",
    "OFFLINE_WEB_ONLY": ["offline/*", "*.atom.xml", "theme/js/*"],
}


def page(lang: str, body: str) -> str:
    return f'<!doctype html><html lang="{lang}"><head></head><body>{body}</body></html>'


@pytest.fixture
def small_site(tmp_path) -> Site:
    """A built site in miniature: two editions (es at the root, pt), an org, a text."""
    nav = '<a href="{up}index.html">Inicio</a> <a href="{up}news/index.html">Noticias</a>'
    files = {
        "index.html": page("es", nav.format(up="") + '<a href="orgs/alfa/index.html">Alfa</a>'),
        "news/index.html": page("es", nav.format(up="../") + '<a href="../news/nota.html">N</a>'),
        "pt/index.html": page("pt", nav.format(up="") + '<a href="orgs/alfa/index.html">Alfa</a>'),
        "pt/news/index.html": page(
            "pt", nav.format(up="../") + '<a href="../../news/nota.html">N</a>'
        ),
        "news/nota.html": page(
            "es",
            nav.format(up="../")
            + '<link rel="alternate" type="application/atom+xml" href="../feeds/all.atom.xml">'
            + '<script src="../theme/js/x.js" defer></script>'
            + '<a href="../pt/index.html" hreflang="pt" lang="pt">português</a>'
            + '<a href="../offline/index.html" title="x">Leer sin conexión</a>'
            + '<a href="https://example.org/">fuera</a> <a href="#arriba">arriba</a>'
            + '<picture><source srcset="../img/a-480.webp 480w, ../img/a-960.webp 960w">'
            + '<img src="../img/a.jpg" alt=""></picture>',
        ),
        "orgs/alfa/index.html": page(
            "es", nav.format(up="../../") + '<a href="texto.html">Texto</a>'
        ),
        "pt/orgs/alfa/index.html": page(
            "pt", nav.format(up="../../") + '<a href="../../../orgs/alfa/texto.html">Texto</a>'
        ),
        "orgs/alfa/texto.html": page(
            "es",
            nav.format(up="../../")
            + '<a href="../../pt/orgs/alfa/index.html" hreflang="pt">pt</a>'
            + '<a href="../../news/nota.html">nota</a>',
        ),
        "feeds/all.atom.xml": "<feed/>",
        "theme/js/x.js": "",
        "offline/index.html": page("es", ""),
    }
    for name in ("img/a-480.webp", "img/a-960.webp", "img/a.jpg"):
        files[name] = b"image"
    write_tree(tmp_path / "output", files)
    return Site(tmp_path / "output", SETTINGS)


def not_here(lang: str) -> str:
    return {"es": "No está en esta copia", "pt": "Não está nesta cópia"}[lang]


def text_of(files: dict[str, bytes], path: str) -> str:
    return files[path].decode("utf-8")


def test_the_whole_site_copy_leaves_out_only_what_needs_the_web(small_site):
    files = bundle_files(small_site, whole_site(small_site, "x.zip"), not_here)
    assert "feeds/all.atom.xml" not in files and "offline/index.html" not in files
    assert {"img/a-480.webp", "img/a-960.webp", "img/a.jpg", "pt/news/index.html"} <= set(files)
    nota = text_of(files, "news/nota.html")
    assert "atom+xml" not in nota and "<script" not in nota  # removed, not left dangling
    assert '<a title="No está en esta copia">Leer sin conexión</a>' in nota
    assert '<a href="https://example.org/">fuera</a>' in nota and 'href="#arriba"' in nota
    assert 'srcset="../img/a-480.webp 480w, ../img/a-960.webp 960w"' in nota
    assert files["index.html"] == (small_site.output / "index.html").read_bytes()


def test_a_language_copy_leads_untranslated_texts_back_into_its_own_edition(small_site):
    bundle = language(small_site, "pt", "x.zip")
    files = bundle_files(small_site, bundle, not_here)
    assert "news/index.html" not in files and "pt/news/index.html" in files
    assert "news/nota.html" in files  # a text its listings show, as it is
    nota = text_of(files, "news/nota.html")
    # The text's Spanish "Inicio" and "Noticias" lead to the Portuguese edition's pages…
    assert '<a href="../pt/index.html">Inicio</a>' in nota
    assert '<a href="../pt/news/index.html">Noticias</a>' in nota
    # …while a link that says where it goes is never sent elsewhere.
    assert 'hreflang="pt"' in nota and 'href="../pt/index.html" hreflang="pt"' in nota
    # The copy opens at its root: the edition's home, its links rebased.
    root = text_of(files, "index.html")
    assert '<a href="pt/news/index.html">Noticias</a>' in root
    assert '<a href="pt/orgs/alfa/index.html">Alfa</a>' in root


def test_an_org_copy_holds_its_space_and_its_homes_lead_to_the_org(small_site):
    bundle = org(small_site, "alfa", "es", shared=set(), file="x.zip")
    files = bundle_files(small_site, bundle, not_here)
    assert set(files) == {
        "index.html",
        "orgs/alfa/index.html",
        "orgs/alfa/texto.html",
        "pt/orgs/alfa/index.html",
    }
    texto = text_of(files, "orgs/alfa/texto.html")
    assert '<a href="index.html">Inicio</a>' in texto  # the home: the org's page
    assert '<a title="No está en esta copia">Noticias</a>' in texto
    assert '<a title="No está en esta copia">nota</a>' in texto
    assert 'href="../../pt/orgs/alfa/index.html" hreflang="pt"' in texto
    pt = text_of(files, "pt/orgs/alfa/index.html")
    assert '<a href="index.html">Inicio</a>' in pt  # the Portuguese home: its org page
    assert '<a title="Não está nesta cópia">Noticias</a>' in pt  # in the page's language


def test_a_zip_is_the_same_bytes_for_the_same_files(tmp_path):
    files = {"b/index.html": b"<p>b</p>", "a.webp": b"RIFF", "index.html": b"<p>" * 100}
    day = dt.date(2026, 11, 23)
    write_zip(tmp_path / "one.zip", files, day)
    write_zip(tmp_path / "two.zip", dict(reversed(files.items())), day)
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    write_zip(tmp_path / "later.zip", files, dt.date(2026, 11, 24))
    assert (tmp_path / "later.zip").read_bytes() != (tmp_path / "one.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        entries = archive.infolist()
        assert [e.filename for e in entries] == sorted(files)
        assert {e.date_time for e in entries} == {(2026, 11, 23, 0, 0, 0)}
        assert {e.external_attr >> 16 for e in entries} == {0o644}
        assert archive.getinfo("a.webp").compress_type == zipfile.ZIP_STORED
        assert archive.read("index.html") == files["index.html"]
    assert not list(tmp_path.glob("*.partial"))


# --- The sample site, built as it is published -------------------------------------------


def downloads_of(build) -> list[Path]:
    return sorted((build.output / "downloads").rglob("*.zi[pm]"))


def unzip(path: Path, into: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        archive.extractall(into)
    return into


def test_the_published_site_offers_every_copy(published_site):
    output = published_site.output
    orgs = sorted(p.name for p in (ROOT / "orgs").iterdir() if (p / "org.yaml").is_file())
    assert [p.relative_to(output).as_posix() for p in downloads_of(published_site)] == sorted(
        ["downloads/minga.zim", "downloads/minga.zip"]
        + [f"downloads/minga-{lang}.zip" for lang in ("en", "es", "fr", "pt")]
        + [f"downloads/orgs/minga-{o}.zip" for o in orgs]
    )


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_read_offline_page_lists_each_file_with_its_size_date_and_checksum(
    published_site, lang
):
    edition = "" if lang == "es" else f"{lang}/"
    html = published_site.page(f"{edition}offline/index.html")
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    for path in downloads_of(published_site):
        relative = path.relative_to(published_site.output).as_posix()
        link = re.compile(rf"href=[\"']?(\.\./)*{re.escape(relative)}[\"'>\s]")
        row = next((r for r in rows if link.search(r)), None)
        assert row, relative
        assert hashlib.sha256(path.read_bytes()).hexdigest() in row
        assert file_size(path.stat().st_size, lang) in row
        today = dt.date.today()  # the day of the build, or the next if the run went past midnight
        assert any(date_long(day, lang) in row for day in (today, today - dt.timedelta(days=1)))


def test_no_copy_holds_a_web_only_file_or_the_public_address(published_site):
    for path in downloads_of(published_site):
        if path.suffix != ".zip":
            continue
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert "index.html" in names, path.name
            assert not [n for n in names if n.endswith((".atom.xml", ".ics", ".gz", ".br"))]
            assert not [n for n in names if n.startswith(("offline/", "downloads/"))]
            for name in names:
                if name.endswith((".html", ".css", ".txt")):
                    assert PUBLIC.encode() not in archive.read(name), (path.name, name)


def test_the_copies_are_reproducible(tmp_path):
    """Two builds of the same tree give the same zip bytes, and the same ZIM file (kept in
    the build cache: libzim gives each file it writes new random identifiers)."""
    site = {
        "orgs/alfa/org.yaml": org_card("Alfa"),
        "orgs/alfa/nota.md": article("Nota de Alfa", body="Texto de la nota."),
        "content/topics.yaml": "water:\n  es: Agua\n",
    }
    source = write_tree(tmp_path / "site", site)
    extra = ("--cache-path", str(tmp_path / "cache"))  # the site's one cache
    # Made anew unless its files are the same (not taken for being made the same day).
    extra += ("-e", "OFFLINE_BUNDLES=true", "OFFLINE_ZIM=true", "OFFLINE_ZIM_MAX_AGE=0")
    extra += ('BUILD_DATE="2026-11-23"',)
    one = run_pelican(source, tmp_path / "one", extra=extra)
    two = run_pelican(source, tmp_path / "two", extra=extra)
    assert one.returncode == 0, one.log
    zips = sorted(p.relative_to(one.output) for p in (one.output / "downloads").rglob("*.zip"))
    assert len(zips) == 6  # the site, es, pt, en, fr, and the org
    for relative in [*zips, Path("downloads/minga.zim")]:
        assert (one.output / relative).read_bytes() == (two.output / relative).read_bytes()
    assert one.page("offline/index.html") == two.page("offline/index.html")
    # The copies written by one process, not shared among the cores: the same bytes.
    alone = run_pelican(source, tmp_path / "alone", extra=(*extra, "-e", "BUILD_PROCESSES=1"))
    assert alone.returncode == 0, alone.log
    for relative in zips:
        assert (alone.output / relative).read_bytes() == (one.output / relative).read_bytes()
    # The ZIM file alone: the whole site is zipped aside for it, then dropped. It holds the
    # same files (the cache gives back the same ZIM file, kept by a digest of them).
    zim = run_pelican(source, tmp_path / "zim", extra=(*extra, "-e", "OFFLINE_BUNDLES=false"))
    assert zim.returncode == 0, zim.log
    assert not list((zim.output / "downloads").rglob("*.zip"))
    assert (zim.output / "downloads/minga.zim").read_bytes() == (
        one.output / "downloads/minga.zim"
    ).read_bytes()
    # (What planning and writing the copies found is kept there for the next build.)
    assert [p.name for p in (tmp_path / "cache" / "offline").iterdir()] == ["copies.pickle"]


SUMMARY = "summary: Un aviso de la organización.\n"


def test_a_copy_made_of_the_same_files_is_the_previous_builds_zip(tmp_path):
    """A build into the same folder links each zip whose files did not change from the
    previous output instead of writing it again; the others are written, their unchanged
    entries copied from the previous zips, and every zip is the one a build from nothing
    gives."""
    site = {
        "orgs/alfa/org.yaml": org_card("Alfa"),
        "orgs/alfa/nota.md": article("Nota de Alfa", body="Texto de la nota."),
        "orgs/beta/org.yaml": org_card("Beta", countries="PE"),  # its texts not related
        "orgs/beta/aviso.md": article("Aviso de Beta", extra=SUMMARY, body="Primer aviso."),
    }
    source = write_tree(tmp_path / "site", site)

    def build(output: str, cache: str = "cache", day: str = "2026-11-23"):
        extra = ("-v", "--cache-path", str(tmp_path / cache), "-e", "OFFLINE_BUNDLES=true")
        done = run_pelican(source, tmp_path / output, extra=(*extra, f'BUILD_DATE="{day}"'))
        assert done.returncode == 0, done.log
        zips = sorted((done.output / "downloads").rglob("*.zip"))
        return done, {p.relative_to(done.output).as_posix(): p.stat().st_ino for p in zips}

    first, made = build("site-out")
    assert len(made) == 7  # the site, es, pt, en, fr, and the two orgs
    again, taken = build("site-out")
    assert taken == made  # every zip is the previous build's file
    assert "Offline copies: 7 of 7 unchanged, taken" in again.log
    assert again.page("offline/index.html") == first.page("offline/index.html")

    edit = article("Aviso de Beta", extra=SUMMARY, body="Otro aviso.")  # listed the same
    write_tree(source, {"orgs/beta/aviso.md": edit})
    edited, after = build("site-out")
    assert {name for name in made if after[name] == made[name]} == {"downloads/orgs/minga-alfa.zip"}
    assert "Offline copies: 1 of 7 unchanged, taken" in edited.log
    # In the six zips made anew, the entries made from the same files as before are copied
    # from the previous zips as they were compressed; the changed ones are made.
    counts = re.search(r"(\d+) entries copied from the previous zips, (\d+) made", edited.log)
    copied, rewritten = map(int, counts.groups())
    assert copied > 5 * rewritten > 0, (copied, rewritten)
    fresh, _ = build("fresh-out", cache="fresh-cache")
    for name in made:
        assert (edited.output / name).read_bytes() == (fresh.output / name).read_bytes(), name
    assert edited.page("offline/index.html") == fresh.page("offline/index.html")
    assert b"Otro aviso." in zipfile.ZipFile(edited.output / "downloads/minga.zip").read(
        "orgs/beta/aviso.html"
    )

    next_day, dated = build("site-out", day="2026-11-24")  # the entries carry the date
    assert not set(dated.items()) & set(after.items())
    assert "Offline copies:" in next_day.log and " of 7 unchanged, taken" not in next_day.log
    assert "entries copied" not in next_day.log


def test_a_zim_file_made_the_same_day_is_offered_again_until_it_is_too_old(tmp_path):
    """A ZIM file is made anew whatever changed (no part of it can be reused), so a build
    offers the one an earlier build made the same day (`OFFLINE_ZIM_MAX_AGE = 1`), with the
    date it was made on; the next day's build, or one with `OFFLINE_ZIM_MAX_AGE = 0`, makes
    it with what changed."""
    from libzim.reader import Archive

    site = {
        "orgs/alfa/org.yaml": org_card("Alfa"),
        "orgs/alfa/nota.md": article("Nota de Alfa", body="Texto de la nota."),
    }
    source = write_tree(tmp_path / "site", site)

    def build(name: str, day: str, *more: str):
        extra = ("-v", "--cache-path", str(tmp_path / "cache"), "-e", "OFFLINE_ZIM=true")
        done = run_pelican(source, tmp_path / name, extra=(*extra, f'BUILD_DATE="{day}"', *more))
        assert done.returncode == 0, done.log
        return done, done.output / "downloads/minga.zim"

    first, first_zim = build("first", "2026-11-23")
    write_tree(source, {"orgs/alfa/otra.md": article("Otra nota de Alfa", body="Otra.")})
    later, later_zim = build("later", "2026-11-23")
    assert later_zim.read_bytes() == first_zim.read_bytes()
    assert "ZIM file: the one made on 2026-11-23 is offered" in later.log
    assert not Archive(later_zim).has_entry_by_path("orgs/alfa/otra.html")
    assert (later.output / "orgs/alfa/otra.html").is_file()
    offered = later.page("offline/index.html")
    assert hashlib.sha256(later_zim.read_bytes()).hexdigest() in offered

    fresh, fresh_zim = build("fresh", "2026-11-23", "OFFLINE_ZIM_MAX_AGE=0")
    assert Archive(fresh_zim).has_entry_by_path("orgs/alfa/otra.html")
    assert "ZIM file: the one made on" not in fresh.log
    next_day, next_zim = build("next", "2026-11-24")
    assert next_zim.read_bytes() != fresh_zim.read_bytes()
    assert Archive(next_zim).get_metadata("Date") == b"2026-11-24"
    assert Archive(next_zim).has_entry_by_path("orgs/alfa/otra.html")
    assert "ZIM file: the one made on" not in next_day.log


def kind_of_copy(path: Path) -> str:
    """`site` (minga.zip), `orgs` (minga-<org>.zip, an org of the sample site) or
    `languages` (minga-es.zip…)."""
    if path.stem == "minga":
        return "site"
    orgs = {folder.name for folder in (ROOT / "orgs").iterdir() if folder.is_dir()}
    return "orgs" if path.stem.removeprefix("minga-") in orgs else "languages"


# By kind, so that a failure says which kind of copy it is in (1,700 pages in all).
@pytest.mark.parametrize("kind", ["site", "languages", "orgs"])
def test_each_copy_opened_from_disk_alone_reaches_every_page(
    kind, browser, published_site, tmp_path, report
):
    figures = []
    copies = [p for p in downloads_of(published_site) if p.suffix == ".zip"]
    assert {kind_of_copy(p) for p in copies} == {"site", "languages", "orgs"}
    for path in copies:
        if kind_of_copy(path) != kind:
            continue
        folder = unzip(path, tmp_path / path.stem)  # each copy alone in an empty folder
        result = crawl(browser, folder)
        assert result.broken == [], path.name
        assert result.folders == [], path.name
        assert result.failed == [], path.name
        assert result.unreachable == [], path.name
        figures.append(f"{path.name} {len(result.visited)} ({len(result.opened)})")
    assert figures, kind
    report(
        f"file:// crawl of each offline copy, {kind} (pages reached, of them opened in a tab): "
        + ", ".join(figures)
    )


def test_the_site_opened_from_disk_reaches_every_page(browser, sample_site, report):
    result = crawl(browser, sample_site.output)
    assert result.broken == []
    assert result.folders == []
    assert result.failed == []
    # The offline fallback is reached only through the service worker, on the web, when a
    # page is not on the device: no link of the site's HTML leads to it.
    fallback = re.compile(r"([a-z]{2}/)?offline/unavailable\.html")
    unreachable = [page for page in result.unreachable if not fallback.fullmatch(page)]
    assert len(result.unreachable) - len(unreachable) == 4  # one page in each language
    # Else only the home's copy at the default language's code, for addresses typed by hand:
    # every page links to the home at the root.
    assert unreachable == ["es/index.html"]
    report(
        f"file:// crawl: {len(result.visited)} pages reached in Chromium from index.html "
        f"({len(result.opened)} opened in a tab, loading every stylesheet, script and image), "
        f"{len(result.broken)} broken links, {len(result.folders)} links to folders, "
        f"{len(result.failed)} resources that failed to load, "
        f"every other page reached"
    )


# --- Kiwix -------------------------------------------------------------------------------


def test_the_zim_file_opens_in_libzim_with_every_page_metadata_and_search(published_site):
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    zim = Archive(published_site.output / "downloads/minga.zim")
    with zipfile.ZipFile(published_site.output / "downloads/minga.zip") as whole:
        names = whole.namelist()
    for name in names:
        assert zim.has_entry_by_path(name), name
    pages = [n for n in names if n.endswith(".html")]
    assert zim.article_count == len(pages)
    assert zim.main_entry.get_item().path == "index.html"
    assert zim.get_metadata("Title") == b"Minga"
    assert zim.get_metadata("Language") == b"spa,por,eng,fra"
    for name in ("Description", "Creator", "Publisher", "Date", "Name", "LongDescription"):
        assert zim.get_metadata(name).strip(), name
    # The day of the build: today, or yesterday when the run went past midnight.
    today = dt.date.today()
    built = {today.isoformat(), (today - dt.timedelta(days=1)).isoformat()}
    assert zim.get_metadata("Date").decode() in built
    icon = Image.open(io.BytesIO(bytes(zim.get_illustration_item(48).content)))
    assert icon.size == (48, 48) and icon.format == "PNG"
    assert zim.has_fulltext_index
    text = "orgs/mujeres-del-maiz/encuentro-regional-de-semillas.html"
    found = Searcher(zim).search(Query().set_query("Aguacatal"))
    assert found.getEstimatedMatches() > 0
    assert text in list(found.getResults(0, 20))
    entry = zim.get_entry_by_path(text)
    assert "semillas" in entry.title.lower()
    assert b"<article" in bytes(entry.get_item().content)


def test_without_libzim_the_zim_build_stops_and_says_how_to_install_it(tmp_path):
    fake = write_tree(tmp_path / "fake", {"libzim/__init__.py": "raise ImportError('no libzim')\n"})
    source = write_tree(
        tmp_path / "site",
        {"orgs/alfa/org.yaml": org_card("Alfa"), "orgs/alfa/nota.md": article("Nota")},
    )
    result = run_pelican(
        source,
        tmp_path / "output",
        extra=("-e", "OFFLINE_ZIM=true"),
        env={"PYTHONPATH": str(fake)},
    )
    log = result.log
    assert result.returncode != 0
    assert "pip install -e '.[zim]'" in log and "OFFLINE_ZIM" in log
    assert "Traceback" not in log
    assert not (tmp_path / "output" / "index.html").exists()  # nothing half-published
