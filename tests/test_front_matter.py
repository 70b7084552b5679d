"""Front matter: YAML blocks and Pelican headers are both read; takeover keys are refused."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, article, org_card, write_tree
from content_model import split_front_matter
from PIL import Image

CARD = {"orgs/alfa/org.yaml": org_card("Colectivo Alfa")}


def test_split_front_matter_only_at_the_very_top():
    assert split_front_matter("---\ntitle: A\n---\nBody\n---\nMore") == (
        "title: A\n",
        "Body\n---\nMore",
    )
    assert split_front_matter("Title: A\n\n---\n") is None


def test_yaml_values_keep_their_types(build_fixture):
    text = article(
        "Feria de semillas",
        "2026-04-05",
        extra=(
            "summary: Una feria **grande**.\n"
            "type: event\n"
            "topics: [food-sovereignty, land]\n"
            "countries: [CO]\n"
            "tags: [semillas, feria]\n"
            "authors: [Ana Quispe, Equipo de comunicación]\n"
            "event:\n  start: 2026-12-05 09:00\n  place: Casa comunal\n"
        ),
        body="Nota: esta línea es del cuerpo, no un encabezado.",
    )
    topics = "land:\n  es: Tierra\nfood-sovereignty:\n  es: Soberanía alimentaria\n"
    build = build_fixture({**CARD, "orgs/alfa/feria.md": text, "content/topics.yaml": topics})
    assert build.returncode == 0, build.log
    page = build.page("orgs/alfa/feria.html")
    assert "<p>Nota: esta línea es del cuerpo, no un encabezado.</p>" in page
    assert (
        'Temas: <a href="../../topics/food-sovereignty/index.html">Soberanía alimentaria</a>, '
        '<a href="../../topics/land/index.html">Tierra</a>'
    ) in page
    assert 'Países: <a href="../../countries/co/index.html">Colombia</a>' in page
    assert (
        'Autoría: <a href="../../orgs/alfa/authors/ana-quispe.html">Ana Quispe</a>, '
        '<a href="../../orgs/alfa/authors/equipo-de-comunicacion.html">Equipo de comunicación</a>'
    ) in page
    assert '<time datetime="2026-04-05">5 de abril de 2026</time>' in page
    assert "Una feria <strong>grande</strong>." in build.page("orgs/alfa/index.html")
    assert '<time datetime="2026-12-05T09:00:00">5 de diciembre de 2026, 9:00</time>' in page
    assert "<strong>Dónde:</strong> <span>Casa comunal</span>" in page


def test_pelican_headers_are_read_too(build_fixture):
    legacy = (
        "Title: Un blog que se mudó\nDate: 2024-07-01 10:00\nLang: es\n"
        "Summary: Escrito para Pelican.\n\nCuerpo del texto.\n"
    )
    build = build_fixture({**CARD, "orgs/alfa/2024/mudanza.md": legacy})
    assert build.returncode == 0, build.log
    page = build.page("orgs/alfa/2024/mudanza.html")
    assert "<h1>Un blog que se mudó</h1>" in page
    assert "1 de julio de 2024" in page


def test_draft_is_not_listed(build_fixture):
    build = build_fixture(
        {**CARD, "orgs/alfa/borrador.md": article("Borrador interno", extra="draft: true\n")}
    )
    assert build.returncode == 0, build.log
    assert "Borrador interno" not in build.page("orgs/alfa/index.html")
    assert "Borrador interno" not in build.page("index.html")
    assert not (build.output / "orgs/alfa/borrador.html").exists()


@pytest.mark.parametrize(
    "key, value",
    [
        ("save_as", "index.html"),
        ("url", "index.html"),
        ("template", "orgs"),
        ("status", "published"),
        ("slug", "index"),
    ],
)
def test_keys_that_take_over_pages_stop_the_build(build_fixture, key, value):
    text = article("Toma de la portada", extra=f"{key}: {value}\n")
    build = build_fixture({**CARD, "orgs/alfa/toma.md": text})
    assert build.returncode != 0
    assert f"orgs/alfa/toma.md:5:1: the field `{key}` cannot be set in a text" in build.log
    assert "Traceback" not in build.log
    assert not (build.output / "index.html").exists()


def test_pelican_headers_cannot_take_over_pages_either(build_fixture):
    legacy = "Title: Toma\nDate: 2024-07-01\nSave_as: index.html\n\nCuerpo.\n"
    build = build_fixture({**CARD, "orgs/alfa/toma.md": legacy})
    assert build.returncode != 0
    assert "orgs/alfa/toma.md:3:1: the field `save_as` cannot be set in a text" in build.log
    assert not (build.output / "index.html").exists()


def test_reserved_file_name_in_org_stops_the_build(build_fixture):
    build = build_fixture({**CARD, "orgs/alfa/index.md": article("Portada falsa")})
    assert build.returncode != 0
    assert "orgs/alfa/index.md:1:1: the file name `index` is reserved" in build.log


def test_the_content_cache_is_reused_but_never_past_a_change_of_vocabulary(build_fixture, tmp_path):
    """A file read under one topic vocabulary is not let through from the cache once its
    topic is gone: the reading context changed, so every file is read and checked again."""
    topics = "land:\n  es: Tierra\nwater:\n  es: Agua\n"
    text = article("Río limpio", extra="topics: [water]\n")
    files = {**CARD, "orgs/alfa/rio.md": text, "content/topics.yaml": topics}
    first = build_fixture(files)
    assert first.returncode == 0, first.log
    cache = tmp_path / "output-cache"
    cached = (cache / "ArticlesGenerator-Readers").read_bytes()
    assert b"orgs/alfa/rio.md" in cached  # kept uncompressed (GZIP_CACHE = False)
    again = build_fixture(files)  # nothing changed: the same pages, the same context
    assert again.returncode == 0, again.log
    stamp = (cache / "reading-context").read_text()

    files["content/topics.yaml"] = "land:\n  es: Tierra\n"
    stale = build_fixture(files)
    assert stale.returncode == 1
    assert "orgs/alfa/rio.md:5:10: `water` is not one of the site's topics" in stale.log
    assert (cache / "reading-context").read_text() != stamp


def test_the_content_cache_is_saved_again_only_with_a_file_read_anew(build_fixture, tmp_path):
    """A build that read no file anew leaves the cache as it was; one that did replaces it
    (never writes it in place) with every file's reading, before the build ends."""
    files = {**CARD, "orgs/alfa/rio.md": article("Río limpio"), "orgs/alfa/mar.md": article("Mar")}
    assert build_fixture(files).returncode == 0
    cache = tmp_path / "output-cache" / "ArticlesGenerator-Readers"
    first = cache.stat()
    assert build_fixture(files).returncode == 0
    assert (cache.stat().st_ino, cache.stat().st_mtime_ns) == (first.st_ino, first.st_mtime_ns)

    files["orgs/alfa/mar.md"] = article("Mar abierto")
    assert build_fixture(files).returncode == 0
    assert cache.stat().st_ino != first.st_ino
    kept = pickle.loads(cache.read_bytes())
    titles = {Path(path).name: data[1]["title"] for path, (_stamp, data) in kept.items()}
    assert titles == {"rio.md": "Río limpio", "mar.md": "Mar abierto"}
    assert list(cache.parent.glob("*.partial")) == []


def test_texts_are_cleaned_as_they_are_read_and_cached_clean(build_fixture, tmp_path):
    """The reader cleans a text's HTML by who wrote it, so Pelican's content cache never
    holds what the sanitizer takes out; new rules for the editors read every file again."""
    files = {
        **CARD,
        "orgs/alfa/rio.md": article(
            "Río",
            extra='summary: "Resumen <img src=x onerror=alert(1)>"\n',
            body='Hola <span onclick="robar()">río</span> <u style="color:red">claro</u>',
        ),
        "content/news/nota.md": article("Nota", body='<section id="marco">Marco</section>'),
    }
    first = build_fixture(files)
    assert first.returncode == 0, first.log
    cache = tmp_path / "output-cache"
    cached = (cache / "ArticlesGenerator-Readers").read_bytes()
    assert b"orgs/alfa/rio.md" in cached
    for taken_out in (b"onclick", b"onerror", b"style="):
        assert taken_out not in cached
    assert b'<section id="marco">' in cached  # the editors' trusted markup
    page = (tmp_path / "output" / "orgs/alfa/rio.html").read_text(encoding="utf-8")
    assert "<span>río</span> <u>claro</u>" in page and "robar" not in page
    stamp = (cache / "reading-context").read_text()

    stricter = build_fixture(
        files, extra=('SANITIZE_EDITORS_EXTRA={"tags": [], "attributes": {}}',)
    )
    assert stricter.returncode == 0, stricter.log
    assert (cache / "reading-context").read_text() != stamp
    note = (tmp_path / "output" / "news/nota.html").read_text(encoding="utf-8")
    assert "Marco" in note and "<section" not in note


def test_a_cached_text_follows_the_slug_settings_it_is_built_with(build_fixture, tmp_path):
    """The slug is made as a text is read and kept in the content cache: a build under other
    slug settings reads the text again rather than keep the old address."""
    page = "---\ntitle: Quiénes somos\nlang: es\n---\nLa red.\n"
    files = {**CARD, "content/pages/nosotros.md": page}
    assert build_fixture(files).returncode == 0
    assert (tmp_path / "output/nosotros.html").is_file()
    by_title = build_fixture(files, extra=('SLUGIFY_SOURCE="title"',))
    assert by_title.returncode == 0, by_title.log
    assert (tmp_path / "output/quienes-somos.html").is_file()


def test_the_reading_context_is_the_same_in_every_process():
    """The reading context digests settings that hold sets (the sanitizer's extra tags), whose
    order follows each process's string hashing: it is the same whatever that order."""
    script = (
        "import sys; sys.path.insert(0, 'plugins')\n"
        "from pelican.settings import read_settings\n"
        "from front_matter import reading_context\n"
        "print(reading_context(read_settings('pelicanconf.py')))\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(8)
    }
    assert len(seen) == 1 and len(seen.pop().strip()) == 64


def test_nothing_of_one_text_reaches_the_next_one_read(build_fixture):
    """One reader converts text after text: abbreviations, link references and footnotes
    defined in one text never show in another, whichever is read first."""
    first = article(
        "Uno",
        extra="summary: La ONU y la FAO[^1].\n",
        body="La ONU y la FAO en [el sitio][ref][^1].\n\n"
        "*[ONU]: Organización de las Naciones Unidas\n"
        "[ref]: ../beta/index.html\n"
        "[^1]: Nota del primer texto.",
    )
    second = article(
        "Dos",
        body="La FAO y la ONU en [el sitio][ref][^1].\n\n"
        "*[FAO]: Organización para la Alimentación\n"
        "[^1]: Nota del segundo texto.",
    )
    files = {**CARD, "orgs/alfa/a-uno.md": first, "orgs/alfa/b-dos.md": second}
    build = build_fixture(files, extra=("-e", "BUILD_PROCESSES=1"))
    assert build.returncode == 0, build.log
    # The texts themselves (a page also lists related texts with their summaries).
    one, two = (
        build.page(f"orgs/alfa/{name}.html")
        .split('<article class="text">')[1]
        .split("</article>")[0]
        for name in ("a-uno", "b-dos")
    )
    assert '<abbr title="Organización de las Naciones Unidas">ONU</abbr>' in one
    assert "<abbr" not in one.split("FAO", 1)[1].split("</p>", 1)[0]
    assert '<abbr title="Organización para la Alimentación">FAO</abbr>' in two
    assert "Naciones Unidas" not in two
    assert "[el sitio][ref]" in two and "Nota del primer texto" not in two
    assert "Nota del segundo texto" in two and "Nota del segundo texto" not in one


TYPOGRAPHY_CASES = (
    "Dijo \"hola\" y 'adiós' -- luego --- nada... l'eau d'été, los '90s.",
    "Sin nada que cambiar: ni comillas, ni rayas, ni puntos suspensivos.",
    "`co'de` y \"*énfasis*\" y 'x'; [un \"enlace\"](https://minga.example/a 'título')",
    '<div>html \'crudo\' "q"</div>\n\nY un párrafo "después".',
    "a\\'b \\\"c\\\" 'con *énfasis* dentro' fin",
    "- punto 'uno'\n- punto dos\n\n> cita \"x\" -- y\n\n| a | \"b\" |\n|---|---|\n| 'c' | d |",
    'Nota[^1] \'n\' y una ONU.\n\n*[ONU]: Naciones "Unidas"\n[^1]: Con "comillas" -- y raya',
    "    bloque 'de' \"código\" -- sin cambios\n\nDespués: «así» <<o así>>.",
)


@pytest.mark.parametrize("angled", [False, True])
def test_typography_is_markdowns_own_with_less_work(angled):
    """The reader's converter writes what Markdown with `smarty` writes, quotes, dashes and
    ellipses in every place they can be; its smarty pass only sees the text with some."""
    from front_matter.typography import spare_plain_text
    from markdown import Markdown

    config = {"markdown.extensions.smarty": {"smart_angled_quotes": angled}}
    settings = {
        "extensions": ["markdown.extensions.extra", "markdown.extensions.smarty"],
        "extension_configs": config,
        "output_format": "html5",
    }
    plain, spared = Markdown(**settings), spare_plain_text(Markdown(**settings))
    names = list(spared.treeprocessors._priority)
    order = [item.name for item in sorted(names, key=lambda item: -item.priority)]
    assert (
        order.index("smarty-mark") + 1 == order.index("smarty") == order.index("smarty-unmark") - 1
    )
    for text in TYPOGRAPHY_CASES:
        assert spared.reset().convert(text) == plain.reset().convert(text), text
    assert "&ldquo;hola&rdquo;" in spared.reset().convert(TYPOGRAPHY_CASES[0])

    seen = []
    smarty = spared.treeprocessors["smarty"]
    first = smarty.inlinePatterns[0]
    compiled = first.getCompiledRegExp()

    class Watched:
        def finditer(self, data, *args):
            seen.append(data)
            return compiled.finditer(data, *args)

    first.compiled_re = Watched()
    spared.reset().convert("Un párrafo llano.\n\nOtro con *énfasis* y 'comillas'.")
    assert seen and all("'" in data for data in seen), seen


INLINE_CASES = (
    *TYPOGRAPHY_CASES,
    "Texto llano, sin nada para el paso en línea.",
    "Un `código` y un \\*escape\\* y \\\\ barra.",
    "Salto de línea  \nforzado, y otro con tabulador\t\ny con CRLF  \r\nfin.",
    "Una <b>etiqueta</b>, un <!-- comentario -->, <https://minga.example/a>",
    "Y una dirección: <info@minga.example>.",
    "Entidades: &amp; &#169; &#xA9; y un & suelto.",
    "*uno* **dos** ***tres*** _cuatro_ __cinco__ y un * suelto y snake_case_name.",
    "[enlace](https://minga.example/) ![imagen](a.jpg) [ref][r] [r] ![r] ![img][r]\n\n[r]: /x",
    "Nota[^n].\n\n[^n]: Con *énfasis* y `código`.",
    "```\n[no es enlace] *ni énfasis* &amp;\n```\n\nFuera del bloque.",
    "| a | *b* |\n|---|---|\n| [c](/c) | &lt; |",
    '<div markdown="1">\n*dentro* de html\n</div>',
)


def test_the_inline_pass_writes_the_same_html_trying_only_the_patterns_a_text_can_match():
    """Markdown with `extra` and `smarty` writes the same HTML with and without the
    pruning; a pattern whose characters a text lacks is not tried on it."""
    from front_matter.inline import skip_absent_patterns
    from markdown import Markdown

    settings = {
        "extensions": ["markdown.extensions.extra", "markdown.extensions.smarty"],
        "output_format": "html5",
    }
    plain, pruned = Markdown(**settings), skip_absent_patterns(Markdown(**settings))
    for text in INLINE_CASES:
        assert pruned.reset().convert(text) == plain.reset().convert(text), text

    seen = []
    entity = pruned.inlinePatterns["entity"]
    compiled = entity.getCompiledRegExp()

    class Watched:
        def __getattr__(self, name):
            def watched(data, *args):
                seen.append(data)
                return getattr(compiled, name)(data, *args)

            return watched

    entity.compiled_re = Watched()
    pruned.reset().convert("Un párrafo *sin* entidades.\n\nY [otro](/x).")
    assert seen == []
    assert "&amp;" in pruned.reset().convert("Con una &amp; entidad.") and seen


# Builds a tree twice with one Pelican object, as `pelican --autoreload` does, a text added
# between the builds; prints how often each folder was walked and what each generator's
# `get_files` listed against what Pelican's own finds.
LISTING = """
import json, os, sys
from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.settings import read_settings

source, output, cache = sys.argv[1:4]
settings = read_settings(
    "pelicanconf.py", override={"PATH": source, "OUTPUT_PATH": output, "CACHE_PATH": cache}
)
site = Pelican(settings)
walked, generators, report = [], [], []
walk = os.walk

def counted(top, *args, **kwargs):
    if sys._getframe(1).f_code.co_filename.endswith("pelican/generators.py"):
        walked.append(os.path.relpath(top, source))
    return walk(top, *args, **kwargs)

os.walk = counted
def keep(found):
    generators.extend(found)

signals.all_generators_finalized.connect(keep)
for number in range(2):
    if number == 1:
        open(f"{source}/orgs/alfa/nueva.md", "w").write(
            "---\\ntitle: Nueva\\ndate: 2026-03-02\\nlang: es\\n---\\n\\nTexto.\\n"
        )
    walked.clear()
    generators.clear()
    site.run()
    built = walked[:]
    compared = {}
    for generator in generators:
        if type(generator).__name__ not in ("ArticlesGenerator", "StaticGenerator"):
            continue
        for paths in (["orgs"], ["orgs", "content/news"], "orgs"):
            for extensions in (None, False, ("md",), ("jpg", "txt")):
                ours = generator.get_files(paths, exclude=[], extensions=extensions)
                pelicans = Generator.get_files(generator, paths, [], extensions)
                compared[f"{type(generator).__name__} {paths} {extensions}"] = (
                    sorted(ours) == sorted(pelicans), len(ours)
                )
    report.append({"walked": built, "compared": compared})
os.walk = walk
print(json.dumps(report))
"""


def jpeg() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 60)).save(data, "JPEG")
    return data.getvalue()


def test_each_content_folder_is_walked_once_a_build_and_listed_as_pelican_lists_it(tmp_path):
    """The articles', pages' and static files' generators share one walk of each folder per
    build (they list `orgs/` five times between them); each finds what Pelican's own walk
    finds, whatever extensions it asks for, and a second build of the same process (a server
    rebuilding) walks again and finds the text added meanwhile."""
    files = {
        **CARD,
        "orgs/alfa/rio.md": article("Río limpio"),
        "orgs/alfa/notas.txt": "notas",
        "orgs/alfa/.#rio.md": "a file an editor keeps while editing",
        "orgs/alfa/images/foto.jpg": jpeg(),
        "content/news/aviso.md": article("Aviso"),
    }
    source = write_tree(tmp_path / "site", files)
    ran = subprocess.run(
        [sys.executable, "-c", LISTING, str(source), str(tmp_path / "out"), str(tmp_path / "c")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    first, second = json.loads(ran.stdout.strip().splitlines()[-1])
    for build in (first, second):
        walks = [top for top in build["walked"] if top.split(os.sep)[0] == "orgs"]
        assert walks == ["orgs"], build["walked"]  # the generators' walks
        assert all(same for same, _count in build["compared"].values()), build["compared"]
    key = "ArticlesGenerator ['orgs'] None"
    assert (first["compared"][key][1], second["compared"][key][1]) == (1, 2)
    assert (tmp_path / "out" / "orgs" / "alfa" / "nueva.html").is_file()
