"""The generated archive (benchmarks/tree.py, `invoke corpus`): the same bytes for the same
seed, valid for the content model, and a site Minga builds with every org and translation."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, invoke, run_pelican

from benchmarks.tree import IMAGE_BUDGET, generate, problems

TINY = {"orgs": 6, "articles": 60, "langs": ("es", "pt", "en", "fr"), "images": 5}
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def files_of(tree: Path) -> dict[str, bytes]:
    return {
        path.relative_to(tree).as_posix(): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }


def fields_of(path: Path) -> dict:
    return yaml.load(FRONT.match(path.read_text(encoding="utf-8")).group(1), yaml.BaseLoader)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("tiny") / "tree"
    summary = generate(tree, **TINY, seed=8)
    assert sum(summary.texts.values()) == 60 and summary.images == 5
    return tree


def test_same_seed_same_bytes_other_seed_other_tree(tiny, tmp_path):
    again = generate(tmp_path / "again", **TINY, seed=8)
    assert files_of(tmp_path / "again") == files_of(tiny)
    assert again.files == len(files_of(tiny))
    generate(tmp_path / "other", **TINY, seed=9)
    other = files_of(tmp_path / "other")
    texts = {path for path in other if path.endswith(".md")}
    assert texts != {path for path in files_of(tiny) if path.endswith(".md")}


def test_tree_has_what_the_archive_has(tiny):
    texts = sorted((tiny / "orgs").rglob("*.md"))
    assert len(texts) == 60
    fields = [fields_of(path) for path in texts]
    assert {f["lang"] for f in fields} == set(TINY["langs"])
    assert any(f.get("type") == "event" and f["event"]["start"] for f in fields)
    assert any(f.get("image") and f.get("image_alt") for f in fields)
    assert any("{filename}" in path.read_text(encoding="utf-8") for path in texts)
    assert len({path.parent for path in (tiny / "orgs").rglob("org.yaml")}) == 6
    assert len(list((tiny / "orgs").rglob("*.jpg"))) == 5
    sizes = [path.stat().st_size for path in (tiny / "orgs").rglob("*.jpg")]
    assert max(sizes) > IMAGE_BUDGET  # the image pipeline must make some lighter
    assert (tiny / "content/topics.yaml").read_bytes() == (
        ROOT / "content/topics.yaml"
    ).read_bytes()


def test_tree_passes_the_check(tiny, tmp_path):
    assert [p.render("en") for p in problems(tiny)] == []
    # The task itself, run from a copy of the tree with this repository's tasks and plugins.
    project = tmp_path / "project"
    shutil.copytree(tiny, project)
    shutil.copy2(ROOT / "tasks.py", project / "tasks.py")
    shutil.copytree(
        ROOT / "plugins", project / "plugins", ignore=shutil.ignore_patterns("__pycache__")
    )
    checked = invoke(project, "check", "--lang", "en")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 problem(s) found" in checked.stdout


def test_tree_builds_with_every_org_and_translation(tiny, tmp_path):
    build = run_pelican(tiny, tmp_path / "output")
    assert build.returncode == 0, build.log
    output = build.output
    for card in (tiny / "orgs").glob("*/org.yaml"):
        assert (output / "orgs" / card.parent.name / "index.html").is_file()
    groups: dict[str, list[tuple[str, str]]] = {}
    for path in (tiny / "orgs").rglob("*.md"):
        page = path.relative_to(tiny).with_suffix(".html").as_posix()
        assert (output / page).is_file(), page
        fields = fields_of(path)
        if "translation_key" in fields:
            groups.setdefault(fields["translation_key"], []).append((fields["lang"], page))
    assert groups and all(len(versions) >= 2 for versions in groups.values())
    for versions in groups.values():
        for _lang, page in versions:
            html = (output / page).read_text(encoding="utf-8")
            linked = {
                lang: posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
                for lang, href in ALTERNATE.findall(html)
            }
            assert all(linked.get(lang) == other for lang, other in versions), page
    for image in (tiny / "orgs").rglob("images/*.jpg"):
        made = image.relative_to(tiny).with_suffix("").as_posix() + "-480.webp"
        assert (output / made).is_file(), made


def test_task_flags(tmp_path):
    out = tmp_path / "by-task"
    flags = ["--orgs", "3", "--articles", "12", "--langs", "es,pt", "--images", "2"]
    done = invoke(ROOT, "corpus", *flags, "--seed", "5", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 orgs" in done.stdout and "12 texts" in done.stdout
    generate(tmp_path / "direct", orgs=3, articles=12, langs=["es", "pt"], images=2, seed=5)
    assert files_of(out) == files_of(tmp_path / "direct")
    assert {fields_of(p)["lang"] for p in (out / "orgs").rglob("*.md")} <= {"es", "pt"}
    again = invoke(ROOT, "corpus", "--articles", "5", "--out", str(out))
    assert again.returncode != 0 and "not empty" in again.stdout + again.stderr


def test_comparison_copies_list_as_many_texts_a_page_as_minga(tiny, tmp_path):
    """The benchmark's vanilla Pelican and Hugo copies show Minga's number of texts on a
    listing page, also when a copy was made with other settings before."""
    from benchmarks import build as benchmark

    pagination = benchmark.minga_pagination()
    vanilla, hugo = tmp_path / "vanilla", tmp_path / "hugo"
    benchmark.write_copy(tiny, vanilla, benchmark.vanilla_text)
    benchmark.write_copy(tiny, hugo, benchmark.hugo_text, "content", "static")
    (vanilla / "pelicanconf.py").write_text('PATH = "."\nDEFAULT_PAGINATION = 10\n')
    benchmark.put_files(vanilla, benchmark.vanilla_files(pagination))
    benchmark.put_files(hugo, benchmark.hugo_files(pagination))

    output = tmp_path / "vanilla-output"
    command = [sys.executable, "-m", "pelican", str(vanilla), "-s", str(vanilla / "pelicanconf.py")]
    built = subprocess.run([*command, "-o", str(output)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    first = (output / "index.html").read_text(encoding="utf-8")
    assert first.count("<article") == pagination
    assert (output / "index2.html").is_file()
    config = yaml.safe_load((hugo / "config.yaml").read_text(encoding="utf-8"))
    assert config["paginate"] == pagination
