"""Lean output: nothing from other sites, pages within their weight budgets, and the
published files minified and precompressed."""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import brotli
from conftest import ROOT, article, org_card, run_pelican, write_tree
from lean.pages import facts


def words(count: int) -> str:
    """`count` different made-up words: a text that compresses as poorly as real prose."""
    made_up = (hashlib.sha256(str(n).encode()).hexdigest()[: 3 + n % 6] for n in range(count))
    return " ".join(word.translate(str.maketrans("0123456789", "aeioulmnrs")) for word in made_up)


SITE = {
    "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
    "orgs/alfa/nota.md": article("Nota corta", body="Un texto breve sobre la cosecha."),
    "orgs/alfa/informe.md": article("Informe largo", body=words(1400)),
}


def theme_with(tmp_path, template: str, old: str, new: str):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    path = theme / "templates" / template
    path.write_text(path.read_text().replace(old, new, 1))
    return theme


def test_a_page_loading_from_another_site_stops_the_build(tmp_path):
    theme = theme_with(
        tmp_path,
        "base.html",
        "{% block head %}",
        '<link rel="stylesheet" href="https://fonts.example/font.css">{% block head %}',
    )
    source = write_tree(tmp_path / "site", SITE)
    build = run_pelican(source, tmp_path / "output", extra=("-e", f'THEME="{theme}"'))
    assert build.returncode != 0
    assert "page resource(s) from other sites" in build.log
    assert "orgs/alfa/nota.html loads <link>: https://fonts.example/font.css" in build.log
    assert not (tmp_path / "output").exists()  # nothing was published
    assert "Traceback" not in build.log


def test_a_page_over_budget_stops_the_build_unless_an_editor_allows_it(tmp_path):
    source = write_tree(tmp_path / "site", SITE)
    tight = '{"text": 6000, "index": 20000, "page": 100000, "image": 60000}'
    build = run_pelican(source, tmp_path / "output", extra=("-e", f"WEIGHT_BUDGETS={tight}"))
    assert build.returncode != 0
    assert "over their weight budget" in build.log
    assert (
        "orgs/alfa/informe.html: " in build.log and "over the 6.0 KB of a text of 14" in build.log
    )
    assert "heaviest: HTML " in build.log
    assert "orgs/alfa/nota.html" not in build.log  # a short text is within the budget

    allowed = '{"orgs/alfa/informe.html": "informe con muchos datos"}'
    build = run_pelican(
        source,
        tmp_path / "output",
        extra=("-e", f"WEIGHT_BUDGETS={tight}", f"WEIGHT_EXCEPTIONS={allowed}"),
    )
    assert build.returncode == 0, build.log


def test_pages_read_in_an_earlier_build_are_not_weighed_on_trust(tmp_path):
    """The weights kept from one build serve the next only for the very same bytes: a text
    that grew over its budget since stops the build all the same."""
    files = dict(SITE)
    source = write_tree(tmp_path / "site", files)
    tight = '{"text": 6000, "index": 20000, "page": 100000, "image": 60000}'
    allowed = '{"orgs/alfa/informe.html": "informe con muchos datos"}'
    extra = ("-e", f"WEIGHT_BUDGETS={tight}", f"WEIGHT_EXCEPTIONS={allowed}")
    first = run_pelican(source, tmp_path / "output", extra=extra)
    assert first.returncode == 0, first.log
    memo = tmp_path / "output-cache/pages.pickle"
    made_by, kept = pickle.loads(memo.read_bytes())
    for text in ("orgs/alfa/nota.html", "orgs/alfa/informe.html", "index.html"):
        raw = (tmp_path / "output" / text).read_bytes()
        assert hashlib.sha1(text.encode() + b"\0" + raw).digest() in kept, text
    stats = (tmp_path / "output/stats/index.html").read_text()
    again = run_pelican(source, tmp_path / "output", extra=extra)
    assert again.returncode == 0, again.log
    assert (tmp_path / "output/stats/index.html").read_text() == stats  # the same figures

    # What other code found (another version of Minga, or of zlib) is never read: a memo
    # that says the short text weighs a megabyte stops the build only when made by this code.
    raw = (tmp_path / "output/orgs/alfa/nota.html").read_bytes()
    nota = hashlib.sha1(b"orgs/alfa/nota.html\0" + raw).digest()
    kind, _size, scanned = kept[nota]
    forged = {
        key: (kind, 10**6, scanned) if key == nota or key[0] == "orgs/alfa/nota.html" else value
        for key, value in kept.items()
    }
    memo.write_bytes(pickle.dumps(("other code", forged)))
    assert run_pelican(source, tmp_path / "output", extra=extra).returncode == 0
    memo.write_bytes(pickle.dumps((made_by, forged)))
    trusted = run_pelican(source, tmp_path / "output", extra=extra)
    assert trusted.returncode != 0 and "orgs/alfa/nota.html: " in trusted.log
    memo.unlink()

    write_tree(source, {"orgs/alfa/nota.md": article("Nota corta", body=words(1400))})
    grown = run_pelican(source, tmp_path / "output", extra=extra)
    assert grown.returncode != 0
    assert "orgs/alfa/nota.html: " in grown.log and "over the 6.0 KB of a text" in grown.log


def test_an_image_over_budget_is_named(tmp_path):
    source = write_tree(tmp_path / "site", SITE)
    shutil.copytree(ROOT / "orgs/mujeres-del-maiz/images", source / "orgs/alfa/images")
    small = '{"text": 14000, "index": 20000, "page": 100000, "image": 1000}'
    build = run_pelican(source, tmp_path / "output", extra=("-e", f"WEIGHT_BUDGETS={small}"))
    assert build.returncode != 0
    assert "orgs/alfa/images/" in build.log and "over the 1.0 KB of one image" in build.log


def test_published_files_are_minified_and_precompressed(tmp_path):
    source = write_tree(tmp_path / "site", SITE)
    build = run_pelican(source, tmp_path / "output", settings=ROOT / "publishconf.py")
    assert build.returncode == 0, build.log
    page = build.output / "orgs/alfa/nota.html"
    html = page.read_bytes()
    assert b"\n  " not in html and b"Nota corta" in html
    assert gzip.decompress((build.output / "orgs/alfa/nota.html.gz").read_bytes()) == html
    assert brotli.decompress((build.output / "orgs/alfa/nota.html.br").read_bytes()) == html
    css = build.output / "theme/css/minga.css"
    assert brotli.decompress(css.with_name("minga.css.br").read_bytes()) == css.read_bytes()
    source_css = (ROOT / "theme/static/css/minga.css").read_text()
    assert len(css.read_text()) < 0.8 * len(source_css) and "@media print" in css.read_text()
    assert "/*" not in css.read_text()
    assert (build.output / "feeds/all.atom.xml.gz").is_file()
    again = run_pelican(source, tmp_path / "again", settings=ROOT / "publishconf.py")
    assert (again.output / "orgs/alfa/nota.html.br").read_bytes() == (
        build.output / "orgs/alfa/nota.html.br"
    ).read_bytes()


def compressed_copies(cache: Path) -> dict[str, int]:
    """The copies the cache keeps, by name (`<sha256>.gz`, `.br`), with their inodes."""
    return {p.name: p.stat().st_ino for p in (cache / "precompressed").rglob("*") if p.is_file()}


def text_digests(output: Path) -> set[str]:
    suffixes = (".html", ".css", ".xml", ".ics", ".txt", ".js", ".svg", ".json")
    return {
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in output.rglob("*")
        if p.is_file() and p.suffix in suffixes
    }


def test_a_publication_compresses_only_the_files_no_earlier_one_compressed(tmp_path):
    source = write_tree(tmp_path / "site", SITE)
    cache = tmp_path / "cache"

    def publish(name: str):
        # Each into a new folder, as `invoke publish` builds; the cache is kept between.
        settings, extra = ROOT / "publishconf.py", ("--cache-path", str(cache))
        build = run_pelican(source, tmp_path / name, settings=settings, extra=extra)
        assert build.returncode == 0, build.log
        return build

    first = publish("first")
    kept = compressed_copies(cache)
    digests = text_digests(first.output)
    assert set(kept) == {f"{digest}{suffix}" for digest in digests for suffix in (".gz", ".br")}
    page = first.output / "orgs/alfa/nota.html"
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    assert (first.output / "orgs/alfa/nota.html.br").stat().st_ino == kept[f"{digest}.br"]

    again = publish("again")
    assert compressed_copies(cache) == kept  # nothing compressed again, nothing removed
    page = again.output / "orgs/alfa/nota.html"
    assert brotli.decompress(page.with_name("nota.html.br").read_bytes()) == page.read_bytes()

    (source / "orgs/alfa/nota.md").write_text(
        article("Nota corta", body="Un texto breve sobre la siembra."), encoding="utf-8"
    )
    edited = publish("edited")
    now = compressed_copies(cache)
    new_digests = text_digests(edited.output)
    assert set(now) == {f"{digest}{suffix}" for digest in new_digests for suffix in (".gz", ".br")}
    changed = new_digests - digests
    assert changed and digests - new_digests  # the text's page, its listings and feeds
    for name, inode in now.items():
        # Only the copies of the files that changed were made; the others stayed as they were.
        assert (name.split(".")[0] in changed) == (kept.get(name) != inode), name
    page = edited.output / "orgs/alfa/nota.html"
    assert b"siembra" in page.read_bytes()
    assert gzip.decompress(page.with_name("nota.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress(page.with_name("nota.html.br").read_bytes()) == page.read_bytes()


def test_the_site_publishes_its_page_weights_with_a_chart(tmp_path):
    source = write_tree(tmp_path / "site", SITE)
    build = run_pelican(source, tmp_path / "output")
    assert build.returncode == 0, build.log
    page = build.page("stats/index.html")
    # Every page but the figures' own and the "Read offline" page, written after them.
    measured = [
        p
        for p in build.output.rglob("*.html")
        if p.parent.name != "stats" and not (p.parent.name == "offline" and p.name == "index.html")
    ]
    assert f"{len(measured)} páginas medidas." in page
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    chart = ET.fromstring(svg)
    assert chart.find("{http://www.w3.org/2000/svg}title").text.startswith("Peso mediano")
    assert '<th scope="row">Textos</th><td>2</td>' in page
    english = build.page("en/stats/index.html")
    assert "<h1>Page weight</h1>" in english and '<th scope="row">Texts</th>' in english


def test_a_remote_image_or_a_player_never_reaches_the_output(tmp_path):
    files = {
        **SITE,
        "orgs/alfa/video.md": article(
            "Video",
            body="![Plaza](https://fotos.example.com/plaza.jpg)\n\n"
            '<iframe src="https://video.example.com/embed/1"></iframe>',
        ),
    }
    build = run_pelican(write_tree(tmp_path / "site", files), tmp_path / "output")
    assert build.returncode != 0
    assert "orgs/alfa/video.md:7:1: la imagen `https://fotos.example.com/plaza.jpg`" in build.log
    assert "orgs/alfa/video.md:9:1: `<iframe>`" in build.log
    assert not (tmp_path / "output").exists()


READS = """
import hashlib, json, pathlib, sys
read = []
read_bytes, file_digest = pathlib.Path.read_bytes, hashlib.file_digest
def counted(path):
    if str(path).endswith(".html") and ".partial" in str(path):
        read.append(str(path).split(".partial/", 1)[1])
pathlib.Path.read_bytes = lambda self: (counted(self), read_bytes(self))[1]
hashlib.file_digest = lambda handle, name: (counted(handle.name), file_digest(handle, name))[1]
from pelican import main
sys.argv = ["pelican", *sys.argv[1:]]
try:
    main()
finally:
    print("READ", json.dumps(sorted(read)))
"""


def test_pages_are_weighed_and_digested_as_they_are_written(tmp_path):
    """The weight check and the service worker's version take each page as the build
    wrote it, from worker processes too, instead of reading 200,000 pages back at 30,000
    texts; what they keep is what the files on disk say."""
    source = write_tree(tmp_path / "site", SITE)
    output, cache = tmp_path / "output", tmp_path / "cache"
    arguments = [str(source), "-s", str(ROOT / "pelicanconf.py"), "-o", str(output)]
    arguments += ["--cache-path", str(cache), "-e", "BUILD_PROCESSES=1"]
    done = subprocess.run(
        [sys.executable, "-c", READS, *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout.split("READ ", 1)[1])
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    assert len(pages) > 100
    # Only pages written at the end are read: the figures' pages, and the offline page
    # again (with its bundles' sizes).
    assert {page.split("/")[-2] for page in read} <= {"offline", "stats"}, read

    # Written by two processes: what is kept is what each file holds.
    output2, cache2 = tmp_path / "output2", tmp_path / "cache2"
    build = run_pelican(source, output2, extra=("--cache-path", str(cache2)))
    assert build.returncode == 0, build.log
    _made_by, memo = pickle.loads((cache2 / "pages.pickle").read_bytes())
    digests = pickle.loads((cache2 / "worker.pickle").read_bytes())
    checked = set()
    for stamp in memo.keys() & digests.keys():
        raw = (output2 / stamp[0]).read_bytes()
        assert memo[stamp] == facts(stamp[0], raw), stamp[0]
        assert digests[stamp] == hashlib.sha256(raw).digest(), stamp[0]
        checked.add(stamp[0])
    html = {p.relative_to(output2).as_posix() for p in output2.rglob("*.html")}
    # Written once every other page is weighed: the figures' pages and the offline page.
    late = html - checked
    assert late and all(page.split("/")[-2] in ("stats", "offline") for page in late), late


def test_what_a_page_loads_is_found_whatever_the_case_it_is_written_in():
    """Tags and attributes are read without regard to case, also in a page where lower
    case changes the length of the text (the Turkish dotted İ becomes two characters)."""
    page = (
        '<HTML><Head><LINK REL="Stylesheet" HREF="https://fonts.example/a.css">'
        "<STYLE>p { background: url(https://img.example/b.png) }</STYLE></Head>"
        "<Body><P STYLE=\"background:url('https://img.example/c.png')\">x</P>"
        "<div\tstyle = 'border-image: url(/local.png)'>y</div>"
        '<PICTURE><SOURCE SRCSET="/a-480.webp 480w, /a-960.webp 960w"><IMG SRC="/a.jpg"></PICTURE>'
        '<article class="text"><p>uno dos tres</p></ARTICLE>'
        '<SCRIPT SRC="https://js.example/d.js"></SCRIPT></Body></HTML>'
    )
    expected_loads = [
        ("<link>", "https://fonts.example/a.css"),
        ("<source>", "/a-480.webp"),
        ("<source>", "/a-960.webp"),
        ("<img>", "/a.jpg"),
        ("<script>", "https://js.example/d.js"),
        ("style", "https://img.example/c.png"),
        ("style", "/local.png"),
        ("<style>", "https://img.example/b.png"),
    ]
    for text in (page, page.replace("<p>uno", "<p>İstanbul uno")):
        kind, _size, found = facts("orgs/alfa/nota.html", text.encode())
        assert kind == "text"
        assert list(found.loads) == expected_loads
        assert found.groups == (("/a-480.webp", "/a-960.webp"),)
        assert found.stylesheets == ("https://fonts.example/a.css",)
        assert found.words == (3 if text == page else 4)
