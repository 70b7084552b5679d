"""Unchanged pages are taken from the previous build (plugins/incremental): after every kind
of change, the output is byte for byte the one a fresh build writes, and only the pages the
change touches are rendered again."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, article, org_card, run_pelican, write_tree
from test_corpus import files_of

from benchmarks.tree import generate

REUSED = re.compile(r"(\d+) of (\d+) pages and feeds unchanged.*?\((\d+) listings whole\)")


class Site:
    """A generated tree built again and again into one output folder, each build checked
    against a fresh build of the same tree."""

    def __init__(self, tree: Path, work: Path):
        self.tree, self.work = tree, work
        self.output = work / "output"
        self.fresh = 0
        self.whole = 0  # listings the last build took whole from the one before

    def build(self, *extra: str) -> tuple[int, int]:
        """Build into the kept output; (pages and feeds reused, all of them)."""
        built = run_pelican(self.tree, self.output, extra=("-v", *extra))
        assert built.returncode == 0, built.log[-3000:]
        found = REUSED.search(built.log)
        assert found, built.log[-2000:]
        self.whole = int(found.group(3))
        return int(found.group(1)), int(found.group(2))

    def assert_as_fresh(self, *extra: str) -> None:
        """The kept output is what a build from nothing writes."""
        self.fresh += 1
        fresh = run_pelican(self.tree, self.work / f"fresh-{self.fresh}", extra=extra)
        assert fresh.returncode == 0, fresh.log[-3000:]
        kept, new = files_of(self.output), files_of(fresh.output)
        assert sorted(kept) == sorted(new)
        differ = [name for name in kept if kept[name] != new[name]]
        assert not differ, differ[:10]

    def text(self, relative: str) -> Path:
        return self.tree / relative


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    work = tmp_path_factory.mktemp("incremental")
    tree = work / "tree"
    generate(tree, orgs=5, articles=40, langs=("es", "pt", "en", "fr"), images=3, seed=3)
    return Site(tree, work)


def some_text(site: Site, index: int = 0) -> Path:
    return sorted(site.tree.glob("orgs/*/**/*.md"))[index]


def test_a_build_with_nothing_changed_renders_nothing(site):
    reused, total = site.build()
    assert reused == 0 and total > 500  # the first build renders everything
    assert site.whole == 0
    reused, total = site.build()
    assert reused == total
    # Listings (an org's, a topic's, the archives…) are taken whole, not page by page.
    assert site.whole > 20, site.whole
    site.assert_as_fresh()


def test_a_listing_with_a_page_gone_from_the_output_is_written_again(site):
    site.build()
    gone = sorted(site.output.rglob("*-2.html"))  # second pages of listings
    assert gone
    for page in gone:
        page.unlink()
    reused, total = site.build()
    assert total - reused >= len(gone)
    assert all(page.is_file() for page in gone)
    site.assert_as_fresh()


def test_a_body_changed_renders_its_page_and_feeds_only(site):
    path = some_text(site)
    path.write_text(path.read_text(encoding="utf-8") + "\nUn párrafo nuevo.\n", encoding="utf-8")
    reused, total = site.build()
    # Its page, and the feeds that carry it (org, topics, countries…, in each edition).
    assert 1 <= total - reused <= 60, (reused, total)
    assert site.whole > 20  # what a listing shows of a text is not its body
    site.assert_as_fresh()
    page = site.output / path.relative_to(site.tree).with_suffix(".html")
    assert "Un párrafo nuevo." in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        "title",
        "date",
        "body without summary",
        "new text",
        "removed text",
        "org card",
        "topic label",
        "setting",
    ],
)
def test_after_any_change_the_output_is_a_fresh_builds(site, change):
    extra: tuple[str, ...] = ()
    if change == "title":
        path = some_text(site, 1)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^title: .*$", "title: Un título cambiado", text, count=1))
    elif change == "date":
        path = some_text(site, 2)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^date: .*$", "date: 2003-01-15", text, count=1))
    elif change == "body without summary":  # its listings show what is cut from the body
        path = some_text(site, 4)
        text = re.sub(r"(?m)^summary: .*\n", "", path.read_text(encoding="utf-8"), count=1)
        path.write_text(text, encoding="utf-8")
        site.build()
        head, _, body = text.partition("\n---\n")
        path.write_text(f"{head}\n---\n\nUn primer párrafo nuevo.\n{body}", encoding="utf-8")
    elif change == "new text":
        source = some_text(site, 3)
        shutil.copy(source, source.with_name("copia-nueva.md"))
        text = source.with_name("copia-nueva.md").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^translation_key: .*\n", "", text)
        source.with_name("copia-nueva.md").write_text(
            re.sub(r"(?m)^title: .*$", "title: Un texto nuevo", text, count=1), encoding="utf-8"
        )
    elif change == "removed text":
        untranslated = [
            path
            for path in sorted(site.tree.glob("orgs/*/**/*.md"))
            if "translation_key" not in path.read_text(encoding="utf-8")
            and "{filename}" not in path.read_text(encoding="utf-8")
        ]
        linked = "\n".join(p.read_text(encoding="utf-8") for p in site.tree.rglob("*.md"))
        gone = next(p for p in untranslated if p.name not in linked)
        gone.unlink()
    elif change == "org card":
        card = sorted(site.tree.glob("orgs/*/org.yaml"))[0]
        text = card.read_text(encoding="utf-8")
        card.write_text(re.sub(r"(?m)^name: .*$", "name: Otra Asociación", text, count=1))
    elif change == "topic label":
        topics = site.tree / "content/topics.yaml"
        text = topics.read_text(encoding="utf-8")
        topics.write_text(text.replace("es: Agua", "es: Agua y ríos", 1), encoding="utf-8")
        assert "Agua y ríos" in topics.read_text(encoding="utf-8")
    elif change == "setting":
        extra = ("-e", "FEED_ITEMS=5")
    reused, total = site.build(*extra)
    assert reused < total
    site.assert_as_fresh(*extra)


def test_a_changed_template_renders_every_page(site, tmp_path):
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    base = theme / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</main>", "</main><p>Pie</p>"))
    extra = ("-e", f'THEME="{theme}"')
    reused, _total = site.build(*extra)
    assert reused == 0
    site.assert_as_fresh(*extra)
    assert "<p>Pie</p>" in (site.output / "index.html").read_text(encoding="utf-8")


def test_templates_are_compiled_once_and_again_only_when_edited(tmp_path):
    """The compiled templates are kept for the next build (`site_paths.kept.KeptBytecode`):
    a build with the same theme compiles none, a template edited in place is compiled again
    (and its change shown), and a damaged kept file is compiled again, not a failure."""
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    site = {
        "orgs/alfa/org.yaml": org_card("Alfa"),
        "orgs/alfa/nota.md": article("Nota de Alfa", body="Texto de la nota."),
        "content/topics.yaml": "water:\n  es: Agua\n",
    }
    source = write_tree(tmp_path / "site", site)
    cache = tmp_path / "cache"
    kept = cache / "templates"
    outputs = []

    def build() -> dict[str, tuple[int, int]]:
        """Build into a new folder (every page rendered); the kept compiled templates, each
        with its file's inode and time (a template compiled again is kept in a new file)."""
        outputs.append(tmp_path / f"output-{len(outputs)}")
        extra = ("--cache-path", str(cache), "-e", f'THEME="{theme}"')
        built = run_pelican(source, outputs[-1], extra=extra)
        assert built.returncode == 0, built.log[-3000:]
        return {
            p.relative_to(kept).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in kept.rglob("*.pickle")
        }

    def home() -> str:
        return (outputs[-1] / "index.html").read_text(encoding="utf-8")

    first = build()
    assert len(first) >= 20  # the templates the build rendered with
    assert build() == first
    unchanged = home()

    base = theme / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</main>", "</main><p>Pie</p>"))
    edited = build()
    assert home() == unchanged.replace("</main>", "</main><p>Pie</p>")
    assert sorted(edited) == sorted(first)
    again = sorted(name for name in first if edited[name] != first[name])
    assert len(again) == 1, again  # base.html alone: the others extend it as they did

    for path in kept.rglob("*.pickle"):
        path.write_bytes(b"damaged")
    assert sorted(build()) == sorted(edited)
    assert [p.name for p in kept.rglob("*.pickle") if p.read_bytes() == b"damaged"] == []
    assert home() == unchanged.replace("</main>", "</main><p>Pie</p>")


def test_minified_pages_are_reused_as_they_were_minified(site):
    """The published build minifies every page after writing it; a page taken from the
    previous build was minified then, and is neither minified twice nor left unminified."""
    extra = ("-e", "MINIFY_OUTPUT=true")
    site.build(*extra)
    path = some_text(site, 5)
    path.write_text(path.read_text(encoding="utf-8") + "\nOtro párrafo.\n", encoding="utf-8")
    reused, total = site.build(*extra)
    assert 0 < reused < total
    site.assert_as_fresh(*extra)
    index = (site.output / "index.html").read_text(encoding="utf-8")
    assert "\n<head>" not in index and "<head>" in index  # minified


def test_texts_read_and_written_side_by_side_are_as_one_by_one(site):
    """Texts the content cache does not hold are read by the processor cores side by side
    (`front_matter.read_ahead`) before Pelican reads them, and the texts are digested and
    their pages written side by side (`site_paths.write_texts_side_by_side`, digests by
    `incremental.prepare`): the same site; and the keys of
    the pages each worker wrote come back, so that a second build renders nothing."""
    shared = ("-e", "READ_AHEAD_SHARE=5", "WRITE_TEXTS_SHARE=5", "DIGEST_TEXTS_SHARE=5")
    ahead = run_pelican(site.tree, site.work / "ahead", extra=("-v", *shared))
    assert ahead.returncode == 0, ahead.log[-3000:]
    found = re.search(r"(\d+) files read ahead by (\d+) processes", ahead.log)
    assert found and int(found.group(1)) >= 40 and int(found.group(2)) == 2, ahead.log[-2000:]
    digested = re.search(r"(\d+) texts digested by (\d+) processes", ahead.log)
    assert digested and int(digested.group(2)) == 2, ahead.log[-2000:]
    written = re.search(r"(\d+) texts' pages written by (\d+) processes", ahead.log)
    assert written and int(written.group(1)) >= 40 and int(written.group(2)) == 2, ahead.log
    alone = run_pelican(site.tree, site.work / "alone", extra=("-e", "BUILD_PROCESSES=1"))
    assert alone.returncode == 0, alone.log[-3000:]
    assert files_of(ahead.output) == files_of(alone.output)
    again = run_pelican(site.tree, site.work / "ahead", extra=("-v", *shared))
    assert again.returncode == 0, again.log[-3000:]
    reused = REUSED.search(again.log)
    assert reused and reused.group(1) == reused.group(2), again.log[-2000:]
    assert files_of(again.output) == files_of(alone.output)


def test_a_tag_is_digested_by_its_kind_name_slug_and_settings():
    """Pelican makes a tag (an author, a category) for every text that names it; the same
    name and slug under the same settings is one digest, anything else another."""
    from incremental.fingerprint import Fingerprints
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Category, Tag

    settings = dict(DEFAULT_CONFIG)
    fingerprints = Fingerprints()
    water = fingerprints.stable(Tag("Agua", settings))
    assert fingerprints.stable(Tag("Agua", settings)) == water
    assert "tag/agua.html" in water
    assert fingerprints.stable(Tag("Agua y ríos", settings)) != water
    assert fingerprints.stable(Category("Agua", settings)) != water
    renamed = Tag("Agua", settings)
    renamed.slug = "agua-dulce"
    assert "agua-dulce" in fingerprints.stable(renamed)
    elsewhere = {**settings, "TAG_URL": "temas/{slug}/"}
    assert "temas/agua/" in fingerprints.stable(Tag("Agua", elsewhere))


def test_a_file_of_the_same_bytes_is_taken_from_the_previous_build_under_its_new_name(
    tmp_path, monkeypatch
):
    import hashlib

    import incremental
    from site_paths.kept import keep

    settings = {
        "REUSE_PAGES": True,
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME": str(ROOT / "theme"),
    }
    final = tmp_path / "output"
    made: list[str] = []

    def write(build: incremental.Build, folder: Path, name: str, data: bytes) -> Path:
        monkeypatch.setattr(incremental, "BUILD", build)
        incremental.write_keyed(
            str(folder),
            name,
            hashlib.sha256(data).hexdigest(),
            lambda: made.append(name) or data,
            renamed=True,
        )
        return folder / name

    first = incremental.Build(settings, final, final)
    old = write(first, final, "search/es/t-aaaa-0.js", b"same bytes")
    other = write(first, final, "search/es/t-aaaa-1.js", b"old bytes")
    keep(first.manifest, (incremental.MANIFEST, first.keys, first.listings, first.base))

    partial = tmp_path / "partial"
    second = incremental.Build(settings, final, partial)
    new = write(second, partial, "search/es/t-bbbb-0.js", b"same bytes")
    changed = write(second, partial, "search/es/t-bbbb-1.js", b"new bytes")
    assert made == ["search/es/t-aaaa-0.js", "search/es/t-aaaa-1.js", "search/es/t-bbbb-1.js"]
    assert new.stat().st_ino == old.stat().st_ino  # taken as it was, not written again
    assert changed.read_bytes() == b"new bytes" and changed.stat().st_ino != other.stat().st_ino
    # The next build knows the file by its new name.
    assert second.keys["search/es/t-bbbb-0.js"] == first.keys["search/es/t-aaaa-0.js"]


def test_pages_are_taken_from_the_folder_last_built_with_the_builds_base(tmp_path):
    """The folder a build replaces, unless it is gone or was built from another base (other
    settings: a local build before a preview), then the one `REUSE_FROM` names."""
    import incremental
    from incremental import MANIFEST, manifest_path, previous_build
    from site_paths.kept import keep

    final, published = tmp_path / "output", tmp_path / "published"
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "REUSE_FROM": str(published)}

    def built(folder: Path, base: str, key: str) -> tuple:
        folder.mkdir(exist_ok=True)
        kept = (MANIFEST, {"index.html": key}, {}, base)
        keep(manifest_path(settings, folder), kept)
        return kept

    assert previous_build(settings, final, "b")[0] == final  # nothing built yet
    publication = built(published, "b", "k1")
    assert previous_build(settings, final, "b") == (published, publication)
    local = built(final, "a", "k2")  # the same folder, other settings
    assert previous_build(settings, final, "b") == (published, publication)
    assert previous_build(settings, final, "a") == (final, local)
    own = built(final, "b", "k3")
    assert previous_build(settings, final, "b") == (final, own)
    shutil.rmtree(final)  # its keys kept, the folder gone
    assert previous_build(settings, final, "b") == (published, publication)
    assert previous_build({**settings, "REUSE_FROM": None}, final, "b") == (final, own)
    shutil.rmtree(published)
    built(final, "a", "k4")
    assert previous_build(settings, final, "b")[0] == final
    assert incremental.DEFAULTS["REUSE_FROM"] is None and "REUSE_FROM" in incremental.HOW_BUILT
