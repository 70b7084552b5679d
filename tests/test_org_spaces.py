"""Organization spaces on small fixture sites: attribution, URLs, pages, feeds, directory."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import article, org_card
from links import broken_links

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_titles(build, relative: str) -> list[str]:
    root = ET.fromstring(build.page(relative))
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def two_orgs(**more):
    files = {
        "orgs/alfa/org.yaml": org_card("Colectivo Alfa", "women", "PE"),
        "orgs/beta/org.yaml": org_card("Radio Beta", "communication", "MX"),
        "orgs/alfa/comunicado.md": article("Comunicado de Alfa", "2026-02-01"),
        "orgs/beta/comunicado.md": article("Comunicado de Beta", "2026-02-02"),
    }
    files.update(more)
    return files


def test_same_file_name_in_two_orgs_both_build(build_fixture):
    build = build_fixture(two_orgs())
    assert build.returncode == 0, build.log
    assert "Comunicado de Alfa" in build.page("orgs/alfa/comunicado.html")
    assert "Comunicado de Beta" in build.page("orgs/beta/comunicado.html")
    assert "Comunicado de Beta" not in build.page("orgs/alfa/index.html")


def test_front_matter_cannot_claim_another_org(build_fixture):
    build = build_fixture(
        two_orgs(
            **{
                "orgs/alfa/intruso.md": article("Texto que dice ser de Beta", extra="org: beta\n"),
            }
        )
    )
    assert build.returncode != 0
    assert "orgs/alfa/intruso.md:5:1: a text cannot say which organization it belongs to" in (
        build.log
    )
    assert not (build.output / "orgs/beta/index.html").exists()
    assert not list(build.output.parent.glob("output*/orgs/beta/intruso.html"))


def test_nested_folders_keep_their_path_and_make_no_categories(build_fixture):
    build = build_fixture(
        two_orgs(
            **{
                "orgs/alfa/2025/asamblea.md": article("Asamblea de 2025", "2025-05-01"),
                "orgs/alfa/2025/marzo/taller.md": article("Taller de marzo", "2025-03-01"),
            }
        )
    )
    assert build.returncode == 0, build.log
    assert "Asamblea de 2025" in build.page("orgs/alfa/2025/asamblea.html")
    assert "Taller de marzo" in build.page("orgs/alfa/2025/marzo/taller.html")
    produced = {p.relative_to(build.output).as_posix() for p in build.output.rglob("*.html")}
    assert not [p for p in produced if p.startswith(("category", "categories", "tag"))]
    assert "2025" not in {p.split("/")[0] for p in produced}


def test_org_page_lists_articles_newest_first_and_paginates(build_fixture):
    files = {"orgs/alfa/org.yaml": org_card("Colectivo Alfa")}
    for day in range(1, 23):
        files[f"orgs/alfa/nota-{day:02d}.md"] = article(f"Nota {day:02d}", f"2026-01-{day:02d}")
    build = build_fixture(files)
    assert build.returncode == 0, build.log
    first = build.page("orgs/alfa/index.html")
    second = build.page("orgs/alfa/index-2.html")
    assert first.index("Nota 22") < first.index("Nota 21") < first.index("Nota 03")
    assert "Nota 02" not in first and "Nota 01" in second
    assert 'href="../../orgs/alfa/index-2.html"' in first
    assert broken_links(build.output) == []


def test_each_org_has_a_feed_of_its_own_articles(build_fixture):
    build = build_fixture(
        two_orgs(
            **{
                "orgs/alfa/2025/old.md": article(
                    "Alfa's old note", "2025-06-01", "en", "translation_key: viejo\n"
                ),
                "orgs/alfa/2025/viejo.md": article(
                    "Nota antigua de Alfa", "2025-01-01", extra="translation_key: viejo\n"
                ),
            }
        )
    )
    assert build.returncode == 0, build.log
    # Each language's feed has every text once, in its version in that language if any.
    assert feed_titles(build, "orgs/alfa/feed.atom.xml") == [
        "Comunicado de Alfa",
        "Nota antigua de Alfa",
    ]
    assert feed_titles(build, "en/orgs/alfa/feed.atom.xml") == [
        "Comunicado de Alfa",
        "Alfa's old note",
    ]
    assert feed_titles(build, "orgs/beta/feed.atom.xml") == ["Comunicado de Beta"]
    assert feedparser.parse(build.page("pt/orgs/beta/feed.atom.xml")).feed.language == "pt"


def test_directory_lists_every_org_with_kinds_and_countries(build_fixture):
    build = build_fixture(
        two_orgs(
            **{
                "orgs/gamma/org.yaml": org_card("Consejo Gamma", "indigenous", "EC"),
            }
        )
    )
    assert build.returncode == 0, build.log
    directory = build.page("orgs/index.html")
    for name, kind, country in [
        ("Colectivo Alfa", "Mujeres", "Perú"),
        ("Radio Beta", "Comunicación comunitaria", "México"),
        ("Consejo Gamma", "Indígena", "Ecuador"),
    ]:
        assert name in directory and kind in directory and country in directory
    assert "Esta organización todavía no ha publicado." in build.page("orgs/gamma/index.html")


def test_org_description_shown_in_page_language_or_marked(build_fixture):
    card = (
        "name: Coletivo Delta\nkinds: [afro]\ncountries: [BR]\nlanguages: [pt]\n"
        "description:\n  pt: Somos um coletivo quilombola.\n"
    )
    build = build_fixture({"orgs/delta/org.yaml": card})
    assert build.returncode == 0, build.log
    assert '<p class="description" lang="pt">Somos um coletivo quilombola.</p>' in build.page(
        "orgs/delta/index.html"
    )


def test_article_folder_without_card_stops_the_build(build_fixture):
    build = build_fixture(two_orgs(**{"orgs/sin-tarjeta/nota.md": article("Nota huérfana")}))
    assert build.returncode != 0
    assert "orgs/sin-tarjeta/org.yaml" in build.log
    assert "invoke new-org sin-tarjeta" in build.log
    assert "Traceback" not in build.log
    assert not (build.output / "index.html").exists()


def test_broken_org_card_names_file_and_line(build_fixture):
    card = "name: Colectivo Alfa\nkinds: [rural\ncountries: [CO]\n"
    build = build_fixture({"orgs/alfa/org.yaml": card})
    assert build.returncode != 0
    assert "orgs/alfa/org.yaml:3:" in build.log
    assert "Traceback" not in build.log


def test_unknown_kind_and_country_are_reported_together(build_fixture):
    card = "name: Colectivo Alfa\nkinds: [farmers]\ncountries: [XX]\n"
    build = build_fixture({"orgs/alfa/org.yaml": card})
    assert build.returncode != 0
    assert "orgs/alfa/org.yaml:2:9: `farmers` is not a kind of organization" in build.log
    assert "orgs/alfa/org.yaml:3:13: `XX` is not a country code" in build.log


def test_translation_keys_do_not_link_texts_of_different_orgs(build_fixture):
    build = build_fixture(
        two_orgs(
            **{
                "orgs/alfa/statement.md": article(
                    "Alfa statement", lang="en", extra="translation_key: clave\n"
                ),
                "orgs/alfa/declaracion.md": article(
                    "Declaración de Alfa", extra="translation_key: clave\n"
                ),
                "orgs/beta/declaracion.md": article(
                    "Declaración de Beta", extra="translation_key: clave\n"
                ),
                "orgs/beta/statement.md": article(
                    "Beta statement", lang="en", extra="translation_key: clave\n"
                ),
            }
        )
    )
    assert build.returncode == 0, build.log
    alfa = build.page("orgs/alfa/declaracion.html")
    beta = build.page("orgs/beta/declaracion.html")
    assert 'href="../../orgs/alfa/statement.html" hreflang="en"' in alfa
    assert 'href="../../orgs/beta/statement.html" hreflang="en"' in beta
    assert "orgs/alfa/statement.html" not in beta and "orgs/beta/statement.html" not in alfa
    assert "Declaración de Beta" in build.page("orgs/beta/index.html")


def test_org_cards_are_not_published_as_files(build_fixture):
    build = build_fixture(two_orgs(**{"orgs/alfa/informe.pdf": b"%PDF-1.4\n"}))
    assert build.returncode == 0, build.log
    assert (build.output / "orgs/alfa/informe.pdf").is_file()
    assert not list(build.output.rglob("*.yaml"))


def test_text_without_an_interface_catalog_is_marked_inside_a_spanish_page(build_fixture):
    build = build_fixture(
        two_orgs(**{"orgs/alfa/willay.md": article("Ayllukunapa willakuynin", lang="qu")})
    )
    assert build.returncode == 0, build.log
    page = build.page("orgs/alfa/willay.html")
    assert '<html lang="es">' in page  # no Quechua catalog: the interface stays Spanish
    assert ">Saltar al contenido</a>" in page
    assert '<h1 lang="qu">Ayllukunapa willakuynin</h1>' in page
    assert '<div class="body" lang="qu">' in page
    assert '<span class="lang">quechua</span>' in page
    listing = build.page("orgs/alfa/index.html")
    assert '<h3 lang="qu"><a href="../../orgs/alfa/willay.html">Ayllukunapa willakuynin</a>' in (
        listing
    )


@pytest.mark.parametrize(
    "lang, skip, home, language_name",
    [
        ("pt", "Pular para o conteúdo", "Início", "português"),
        ("en", "Skip to content", "Home", "English"),
        ("fr", "Aller au contenu", "Accueil", "français"),
    ],
)
def test_a_text_speaks_its_language_when_the_interface_has_a_catalog(
    build_fixture, lang, skip, home, language_name
):
    build = build_fixture(two_orgs(**{"orgs/alfa/nota.md": article("Nota", "2026-03-05", lang)}))
    assert build.returncode == 0, build.log
    page = build.page("orgs/alfa/nota.html")
    assert f'<html lang="{lang}">' in page
    assert f">{skip}</a>" in page and f">{home}</a>" in page
    assert "<h1>Nota</h1>" in page  # same language as the page: no lang attribute needed
    assert f'<span class="lang">{language_name}</span>' in page
    assert '<html lang="es">' in build.page("orgs/alfa/index.html")
