"""`invoke new-org`, `new-post` and `translate` (plugins/content_model/scaffold.py): the files
they write explain every field in Spanish and build without edits; a translation stub is
linked to its original once it is no longer a draft."""

from __future__ import annotations

import datetime as dt
import io
import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest
from conftest import GIT_IDENTITY, invoke
from content_model import load_org, read_text, scaffold
from content_model.schema import OrgCard, TextFields
from links import broken_links

TODAY = dt.date.today().isoformat()


def test_scaffolds_build_without_edits_and_a_translation_is_linked_once_not_a_draft(project):
    made = invoke(
        project,
        "new-org",
        "red-costera",
        "--name",
        "Red Costera: pesca y vida",
        "--kinds",
        "environment,communication",
        "--countries",
        "PE,EC",
        "--languages",
        "es,pt",
        "--maintainer",
        "@costera-equipo,otra-persona",
    )
    assert made.returncode == 0, made.stderr
    assert "Se creó orgs/red-costera/org.yaml." in made.stdout
    card = load_org(project / "orgs/red-costera", display_root=project)
    assert (card.name, card.kinds, card.countries, card.languages) == (
        "Red Costera: pesca y vida",
        ["environment", "communication"],
        ["PE", "EC"],
        ["es", "pt"],
    )
    assert sorted(card.description) == ["es", "pt"]
    assert card.maintainers == ["costera-equipo", "otra-persona"]
    codeowners = (project / ".github/CODEOWNERS").read_text()
    assert "/orgs/red-costera/ @costera-equipo @otra-persona" in codeowners

    runs = [
        ("--org", "red-costera", "--lang", "es", "--type", "statement", "--title", "Sin arrastre"),
        ("red-costera", "--lang", "pt", "--type", "event", "--title", "Feira da pesca"),
        ("--org", "red-costera"),  # no title and no terminal: a placeholder title
    ]
    for args in runs:
        run = invoke(project, "new-post", *args)
        assert run.returncode == 0, run.stderr
    assert f"Se creó orgs/red-costera/texto-nuevo-{TODAY}.md." in run.stdout

    original = project / "orgs/red-costera/sin-arrastre.md"
    before = original.read_bytes()
    run = invoke(project, "translate", "orgs/red-costera/sin-arrastre.md", "--lang", "pt")
    assert run.returncode == 0, run.stderr
    assert "Se creó orgs/red-costera/sin-arrastre-pt.md, un borrador" in run.stdout
    # The original gains one line, the key it shares with its translation; nothing else.
    assert original.read_bytes() == before.replace(
        b"\n---\n", b"\ntranslation_key: sin-arrastre\n---\n", 1
    )
    stub = project / "orgs/red-costera/sin-arrastre-pt.md"
    assert "translation_key: sin-arrastre\n" in stub.read_text()

    checked = invoke(project, "check")
    assert checked.returncode == 0, checked.stdout
    built = invoke(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    output = project / "output"
    org_page = (output / "orgs/red-costera/index.html").read_text(encoding="utf-8")
    for name in ("sin-arrastre", "feira-da-pesca", f"texto-nuevo-{TODAY}"):
        assert f"{name}.html" in org_page
    untitled = (output / f"orgs/red-costera/texto-nuevo-{TODAY}.html").read_text(encoding="utf-8")
    assert "Título del texto (cámbielo)" in untitled
    assert "Feira da pesca" in (output / "agenda/index.html").read_text(encoding="utf-8")
    directory = (output / "orgs/index.html").read_text(encoding="utf-8")
    assert 'href="../orgs/red-costera/index.html"' in directory
    assert "sin-arrastre.html" in (output / "index.html").read_text(encoding="utf-8")
    # A draft: not published, and the original does not link to it.
    assert not (output / "orgs/red-costera/sin-arrastre-pt.html").exists()
    page = (output / "orgs/red-costera/sin-arrastre.html").read_text(encoding="utf-8")
    assert "sin-arrastre-pt.html" not in page
    assert broken_links(output) == []

    stub.write_text(stub.read_text(encoding="utf-8").replace("\ndraft: true\n", "\n", 1))
    built = invoke(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (output / "orgs/red-costera/sin-arrastre.html").read_text(encoding="utf-8")
    others = page.split('class="translations"')[1].split("</p>")[0]
    assert 'href="../../orgs/red-costera/sin-arrastre-pt.html" hreflang="pt"' in others
    translated = (output / "orgs/red-costera/sin-arrastre-pt.html").read_text(encoding="utf-8")
    others = translated.split('class="translations"')[1].split("</p>")[0]
    assert 'href="../../orgs/red-costera/sin-arrastre.html" hreflang="es"' in others


def explained(text: str) -> dict[str, str]:
    """Field name -> the comment above it, for each field written (or commented out)."""
    found = {}
    for block in text.split("\n\n"):
        prose = " ".join(line[2:] for line in block.splitlines() if line.startswith("# "))
        for name in re.findall(r"^(?:# )?(\w+):", block, re.MULTILINE):
            found[name] = prose
    return found


def test_every_field_of_the_card_and_of_a_text_is_explained_in_spanish(project):
    topics = scaffold.site_topics(project)
    card = scaffold.org_card("red-costera", "Red Costera", ["rural"], ["PE"], ["es", "qu"], [])
    scaffold.check_card(card, "orgs/red-costera/org.yaml", topics)
    org = load_org(project / "orgs/tierra-viva")
    text = scaffold.text_front_matter(org, "Feria", "es", "event", dt.date(2026, 5, 1), topics)
    read_text((text + "\nTexto.\n").encode(), "orgs/tierra-viva/feria.md", {"topics": topics})
    for model, written in ((OrgCard, card), (TextFields, text)):
        comments = explained(written)
        for name in model.model_fields:
            assert name in comments, f"{model.__name__}.{name} is not in the scaffold"
            assert re.search(rf"\b{name} \((obligatorio|opcional|si falta)", comments[name]), (
                name,
                comments[name],
            )
    assert "rural (Campesina y rural), women (Mujeres)" in card
    assert "qu (quechua)" in card and "PE (Perú)" in card
    assert "statement (Comunicado)" in text and "land (Tierra y territorio)" in text


def test_new_org_asks_in_spanish_until_each_answer_is_valid(project):
    out = io.StringIO()
    typed = io.StringIO("farmers\nwomen, communication\nXX\n\n\n@mujeres-del-rio\n")
    questions = scaffold.Questions(typed, out)
    files = scaffold.new_org(project, "mujeres-del-rio", {"name": "Mujeres del Río"}, questions)
    scaffold.write(files)
    said = out.getvalue()
    assert "Nombre completo" not in said  # given
    assert "Tipos de organización, separados por comas (rural: Campesina y rural" in said
    assert "[rural]: " in said
    assert "`farmers` no es un tipo de organización — use uno de estos: rural" in said
    assert "`XX` no es un código de país" in said
    card = load_org(project / "orgs/mujeres-del-rio")
    assert (card.name, card.kinds, card.countries, card.languages, card.maintainers) == (
        "Mujeres del Río",
        ["women", "communication"],
        ["CO"],
        ["es"],
        ["mujeres-del-rio"],
    )


def test_new_post_asks_for_a_title_that_gives_a_usable_file(project):
    out = io.StringIO()
    questions = scaffold.Questions(io.StringIO("Index\nComunicado\nLa cosecha\n"), out)
    files = scaffold.new_text(project, "tierra-viva", questions=questions)
    assert list(files) == [project / "orgs/tierra-viva/la-cosecha.md"]
    said = out.getvalue()
    assert "Título del texto [Título del texto (cámbielo)]: " in said
    assert "el nombre de archivo `index` está reservado" in said
    assert "orgs/tierra-viva/comunicado.md ya existe — elija otro título" in said
    # Enter alone keeps the placeholder title.
    files = scaffold.new_text(
        project, "tierra-viva", questions=scaffold.Questions(io.StringIO("\n"), out)
    )
    assert list(files) == [project / f"orgs/tierra-viva/texto-nuevo-{TODAY}.md"]


def at_terminal(project, args: list[str], typed: str, seconds: float = 60) -> tuple[int, str]:
    """Run invoke with a terminal as its input and output, `typed` on its keyboard."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, **GIT_IDENTITY},
    )
    os.close(follower)
    os.write(leader, typed.encode())
    said = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([leader], [], [], 0.5)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the process closed the terminal
                break
            if not chunk:
                break
            said += chunk
        elif process.poll() is not None:
            break
    else:
        process.kill()
    process.wait(timeout=10)
    os.close(leader)
    return process.returncode, said.decode("utf-8", "replace").replace("\r\n", "\n")


def test_new_org_at_a_terminal_asks_for_what_it_was_not_given(project):
    code, said = at_terminal(
        project,
        ["new-org", "radio-del-valle", "--name", "Radio del Valle"],
        "communication\nGT\nes, qu\nradio-valle\n",
    )
    assert code == 0, said
    assert "Países donde trabaja" in said and "[CO]: " in said
    assert "Se creó orgs/radio-del-valle/org.yaml" in said
    card = load_org(project / "orgs/radio-del-valle")
    assert (card.kinds, card.countries, card.languages, card.maintainers) == (
        ["communication"],
        ["GT"],
        ["es", "qu"],
        ["radio-valle"],
    )


def tree(project) -> dict:
    return {
        p.relative_to(project): p.read_bytes()
        for folder in ("orgs", "content")
        for p in sorted((project / folder).rglob("*"))
        if p.is_file()
    }


SPANISH_TEXT = "orgs/agua-clara/monitoreo-rio-sirpita-un-ano.md"  # with an English translation


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["orgs/tierra-viva/no-existe.md", "--lang", "pt"],
            "orgs/tierra-viva/no-existe.md:1:1: orgs/tierra-viva/no-existe.md no existe — "
            "escriba la ruta de un texto desde la carpeta principal del proyecto",
        ),
        (
            ["content/topics.yaml", "--lang", "pt"],
            "content/topics.yaml:1:1: content/topics.yaml no es un texto de una organización "
            "(orgs/) ni del equipo editorial (content/)",
        ),
        (["tasks.py", "--lang", "pt"], "tasks.py:1:1: tasks.py no es un texto"),
        (
            ["orgs/tierra-viva/comunicado.md", "--lang", "xx"],
            "orgs/tierra-viva/comunicado.md:4:1: `xx` no es un código de idioma — use un código "
            "BCP 47",
        ),
        (
            [SPANISH_TEXT, "--lang", "en"],
            "orgs/agua-clara/sirpita-river-monitoring-one-year.md:4:1: "
            "orgs/agua-clara/sirpita-river-monitoring-one-year.md ya es la versión de este texto "
            "en en — edite ese archivo o traduzca a otro idioma",
        ),
        (
            ["orgs/tierra-viva/comunicado.md", "--lang", "es"],
            "orgs/tierra-viva/comunicado.md:4:1: orgs/tierra-viva/comunicado.md ya es la versión",
        ),
        (
            [SPANISH_TEXT, "--lang", "pt", "--title", "Campaña: cada gota cuenta"],
            "orgs/agua-clara/campana-cada-gota-cuenta.md:1:1: "
            "orgs/agua-clara/campana-cada-gota-cuenta.md ya existe — elija otro título",
        ),
        (
            ["orgs/agua-clara/campana-cada-gota-cuenta.md", "--lang", "pt", "--title", "Feed"],
            "orgs/agua-clara/feed.md:1:1: el nombre de archivo `feed` está reservado",
        ),
    ],
)
def test_translate_refuses_plainly_and_changes_nothing(project, args, message):
    before = tree(project)
    result = invoke(project, "translate", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project) == before


def test_translate_refuses_a_stub_name_that_is_taken(project):
    taken = project / "orgs/tierra-viva/comunicado-pt.md"
    taken.write_text("Title: Otro\nDate: 2026-01-01\nLang: pt\n\nTexto.\n")
    before = tree(project)
    result = invoke(project, "translate", "orgs/tierra-viva/comunicado.md", "--lang", "pt")
    assert result.returncode == 1
    assert (
        "orgs/tierra-viva/comunicado-pt.md:1:1: orgs/tierra-viva/comunicado-pt.md ya existe — "
        'dé un título a la traducción: --title "…"'
    ) in result.stderr
    assert tree(project) == before


def test_translate_keeps_the_original_as_it_was_but_for_its_key(project):
    """Pelican's headers, Windows line endings, a key already taken in the organization."""
    folder = project / "orgs/tierra-viva/2024"
    legacy = folder / "mudanza.md"
    legacy.parent.mkdir()
    legacy.write_bytes(
        b"Title: Un blog que se mud\xc3\xb3\r\nDate: 2024-07-01 10:00\r\nLang: es\r\n"
        b"Summary: Escrito para Pelican.\r\n\r\nCuerpo del texto.\r\n"
    )
    (folder / "otra.md").write_text(
        "---\ntitle: Otra\ndate: 2024-01-01\nlang: es\ntranslation_key: mudanza\n---\nX\n"
    )
    (folder / "other.md").write_text(
        "---\ntitle: Other\ndate: 2024-01-01\nlang: en\ntranslation_key: mudanza\n---\nX\n"
    )
    before = legacy.read_bytes()
    files = scaffold.translation(project, legacy, "pt", "Um blog que se mudou")
    stub = folder / "um-blog-que-se-mudou.md"
    assert list(files) == [legacy, stub]
    assert files[legacy] == before.replace(
        b"Summary: Escrito para Pelican.\r\n",
        b"Summary: Escrito para Pelican.\r\ntranslation_key: 2024-mudanza\r\n",
    )
    translation = read_text(files[stub].encode(), "orgs/tierra-viva/2024/um-blog-que-se-mudou.md")
    assert translation.fields.title == "Um blog que se mudou"
    assert translation.fields.summary == "Escrito para Pelican."
    assert (translation.fields.lang, translation.fields.translation_key) == ("pt", "2024-mudanza")
    assert translation.fields.draft is True
    assert translation.fields.date == dt.datetime(2024, 7, 1, 10, 0)
    assert translation.body.strip() == "Cuerpo del texto."
    assert "# Traducción al portugués (pt) de orgs/tierra-viva/2024/mudanza.md" in files[stub]
