"""From a pull request to the published site, in a scratch repository with a local bare remote:
the checks a pull request runs, and `invoke publish` pushing `gh-pages`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GIT_IDENTITY, ROOT, article, invoke
from publishing.changes import blob_id

FINAL = ("stats", "offline")  # pages written after every other, at each build
MAINTAINER = "tierraviva-comunicaciones"  # maintains orgs/tierra-viva/ in the sample cards


def git(folder: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_IDENTITY},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def tree_of(remote: Path, rev: str) -> dict[str, str]:
    """{path: blob id} of every file in `rev` of a (bare) repository."""
    listing = git(remote, "ls-tree", "-r", "-z", rev)
    files = {}
    for entry in listing.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            files[path] = meta.split()[2]
    return files


def files_of(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): blob_id(p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def scratch(project, tmp_path):
    """The project as a git repository whose `main` is pushed to a bare `origin`."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    # The project's own ignore list, as a clone has it: a build's `output.previous/` is
    # deleted in the background while the next git command runs.
    shutil.copy2(ROOT / ".gitignore", project / ".gitignore")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Sitio de ejemplo")
    git(project, "remote", "add", "origin", str(origin))
    git(project, "push", "-q", "-u", "origin", "main")
    return project, origin


def commit_and_push(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", message)
    git(project, "push", "-q", "origin", "HEAD")


def test_publish_pushes_the_built_site_reproducibly_and_never_a_draft(scratch, published_site):
    project, origin = scratch
    first = invoke(project, "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    sha = git(project, "rev-parse", "HEAD").strip()
    said = first.stdout.strip().splitlines()[-1]
    assert said.startswith(
        f"Se publicó el commit {sha[:12]} (Sitio de ejemplo) en origin/gh-pages:"
    )
    published = tree_of(origin, "gh-pages")
    # The branch holds the built site, file for file, byte for byte (and .nojekyll). But
    # libzim gives each ZIM file random ids, so another build's ZIM file (and the pages
    # listing its checksum) differ; a rebuild reusing the cache gives the same bytes (below).
    expected = files_of(published_site.output)
    assert published.keys() - expected.keys() == {".nojekyll"}
    zim_made = [p for p in expected if p.endswith(".zim") or "offline/index.html" in p]
    assert "downloads/minga.zim" in zim_made and len(zim_made) == 4 * 3 + 1  # 4 languages
    assert {p: published[p] for p in expected if p not in zim_made} == {
        p: blob for p, blob in expected.items() if p not in zim_made
    }
    pages = sum(1 for path in expected if path.endswith(".html"))
    assert f"{pages} páginas, {len(expected)} archivos" in said
    assert git(origin, "log", "-1", "--format=%s", "gh-pages").startswith(f"Publicar {sha[:12]}")

    # The publication is kept in the cache: the next one takes its unchanged pages from it.
    kept = project / "cache/published"
    assert {p: blob for p, blob in files_of(kept).items() if p not in zim_made} == {
        p: blob for p, blob in expected.items() if p not in zim_made
    }
    first_pages = {p: p.stat().st_ino for p in kept.rglob("*.html")}

    # A draft (and nothing else) committed, published on the local branch only: the same
    # tree again, and the remote untouched.
    (project / "orgs/tierra-viva/borrador-secreto.md").write_text(
        article("Borrador secreto de la asamblea", extra="draft: true\n"), encoding="utf-8"
    )
    commit_and_push(project, "Un borrador")
    second = invoke(project, "publish", "--no-push")
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.strip().splitlines()[-1].startswith("Se publicó el commit ")
    assert git(project, "rev-list", "--count", "gh-pages").strip() == "2"  # history kept
    assert git(project, "rev-parse", "gh-pages^{tree}") == git(
        origin, "rev-parse", "gh-pages^{tree}"
    )
    assert git(origin, "rev-list", "--count", "gh-pages").strip() == "1"
    # Its pages are the first publication's files (hard links), not rendered again; only the
    # pages written once the others are done (the site's weight, the offline copies' list)
    # are written anew.
    again = {p: p.stat().st_ino for p in kept.rglob("*.html")}
    assert again.keys() == first_pages.keys()
    written = {p.relative_to(kept).as_posix() for p in again if again[p] != first_pages[p]}
    assert written == {
        f"{prefix}{page}/index.html" for prefix in ("", "pt/", "en/", "fr/") for page in FINAL
    }
    found = subprocess.run(
        ["git", "grep", "-l", "-i", "borrador secreto", "gh-pages"],
        cwd=project,
        capture_output=True,
    )
    assert found.returncode == 1 and found.stdout == b""  # in no page, feed or search file

    # A pull request's preview builds into an output/ with no pages of its own (a fresh
    # checkout in CI, the cache restored): it takes the last publication's unchanged pages
    # and offline copies from cache/published/, and is the site that would be published.
    preview = invoke(project, "preview")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    output = project / "output"
    assert {p: blob for p, blob in files_of(output).items() if p not in zim_made} == {
        p: blob for p, blob in files_of(kept).items() if p not in zim_made
    }
    fresh = {
        p.relative_to(output).as_posix()
        for p in output.rglob("*")
        if p.is_file()
        and (p.suffix in (".html", ".xml", ".zip") or p.relative_to(output).parts[0] == "search")
        and p.stat().st_ino != (kept / p.relative_to(output)).stat().st_ino
    }
    assert fresh == {
        f"{prefix}{page}/index.html" for prefix in ("", "pt/", "en/", "fr/") for page in FINAL
    }
    # The last publication is only read: an edit previewed renders its own pages anew.
    text = next((project / "orgs/tierra-viva").glob("*.md"))
    text.write_text(text.read_text(encoding="utf-8") + "\nUn párrafo nuevo.\n", encoding="utf-8")
    shutil.rmtree(output)
    edited = invoke(project, "preview")
    assert edited.returncode == 0, edited.stdout + edited.stderr
    before, after = files_of(kept), files_of(output)
    changed = {p for p, blob in after.items() if before.get(p) != blob}
    assert any(p.endswith(".html") and "tierra-viva" in p for p in changed)
    assert {p: blob for p, blob in before.items() if p not in zim_made} == {
        p: blob for p, blob in expected.items() if p not in zim_made
    }


def test_publish_refuses_uncommitted_unpushed_or_failing_work_and_changes_nothing(scratch):
    project, origin = scratch
    card = project / "orgs/tierra-viva/org.yaml"
    card.write_text(card.read_text() + "\n# una nota\n", encoding="utf-8")
    dirty = invoke(project, "publish")
    assert dirty.returncode == 1
    assert "orgs/tierra-viva/org.yaml:1:1: este archivo tiene cambios sin confirmar" in dirty.stderr

    git(project, "commit", "-qam", "Nota en la ficha")  # committed, not pushed
    unpushed = invoke(project, "publish")
    assert unpushed.returncode == 1
    assert "todavía no está en `origin`" in unpushed.stderr

    broken = project / "orgs/tierra-viva/roto.md"
    broken.write_text("---\ntitle: Roto\ndate: 2026-02-30\n---\nTexto.\n", encoding="utf-8")
    commit_and_push(project, "Un texto con una fecha imposible")
    failing = invoke(project, "publish")
    assert failing.returncode == 1
    assert "orgs/tierra-viva/roto.md:3:" in failing.stdout
    assert failing.stdout.strip().endswith("No se publicó nada.")

    broken.unlink()
    settings = project / "publishconf.py"
    settings.write_text(settings.read_text() + "\nWEIGHT_BUDGETS = {\n", encoding="utf-8")
    commit_and_push(project, "Una configuración rota")
    unbuilt = invoke(project, "publish")
    assert unbuilt.returncode == 1
    assert "la compilación se detuvo" in unbuilt.stderr
    assert "gh-pages" not in git(origin, "branch", "--list")  # nothing was ever published


def test_a_pull_request_passes_or_fails_the_checks_a_workflow_runs(scratch, tmp_path):
    project, origin = scratch
    git(project, "checkout", "-qb", "nuevo-texto")
    new = invoke(project, "new-post", "tierra-viva", "--title", "Feria de semillas en la vereda")
    assert new.returncode == 0, new.stdout + new.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Un texto de Tierra Viva")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert invoke(project, "check", **env).returncode == 0
    owned = invoke(
        project, "check-ownership", "--author", MAINTAINER, "--base", "origin/main", **env
    )
    assert owned.returncode == 0, owned.stdout
    assert "### ✅ 0 archivo(s)" in summary.read_text()
    # The pages it adds and changes, compared with a build of the base branch.
    git(project, "checkout", "-q", "main")
    assert invoke(project, "build").returncode == 0
    git(project, "-c", "core.hooksPath=/dev/null", "branch", "-q", "--no-track", "sitio", "main")
    imported = subprocess.run(
        [sys.executable, "-m", "ghp_import", "-b", "sitio", "output"],
        cwd=project,
        capture_output=True,
        env={**os.environ, **GIT_IDENTITY},
    )
    assert imported.returncode == 0, imported.stderr
    git(project, "checkout", "-q", "nuevo-texto")
    assert invoke(project, "build").returncode == 0
    listed = invoke(project, "changes", "--against", "sitio", **env)
    assert listed.returncode == 0, listed.stderr
    text = listed.stdout
    assert text.startswith("## Páginas que este cambio agrega, cambia y quita\n")
    new_pages = text.split("### Páginas nuevas (")[1].split("###")[0]
    rows = [line for line in new_pages.splitlines() if line.startswith("| `")]
    # The texts first: the contributor's own page leads the table, with its weight.
    assert rows[0].startswith("| `orgs/tierra-viva/feria-de-semillas-en-la-vereda.html` | ")
    assert re.fullmatch(r"\| `[^`]+` \| [\d.]+ KB \| 14\.0 KB \| [\d.]+ KB \|", rows[0])
    assert "Páginas cambiadas" in text and "`orgs/tierra-viva/index.html`" in text
    assert "Páginas quitadas" not in text
    assert text in summary.read_text()

    # Another org's text and the editors' news in the same change: refused, each named, and
    # read from git without checking the change out (as the ownership workflow does).
    git(project, "checkout", "-qb", "entre-orgs")
    (project / "orgs/agua-clara/intruso.md").write_text(article("Intruso"), encoding="utf-8")
    news = next((project / "content/news").glob("*.md"))
    news.write_text(news.read_text() + "\nUna línea más.\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Cambios fuera de Tierra Viva")
    git(project, "checkout", "-q", "main")
    summary.write_text("")
    refused = invoke(
        project,
        "check-ownership",
        "--author",
        MAINTAINER,
        "--base",
        "origin/main",
        "--head",
        "entre-orgs",
        **env,
    )
    assert refused.returncode == 1
    named = sorted(line.split(":")[0] for line in refused.stdout.splitlines() if ":1:1:" in line)
    assert named == [f"content/news/{news.name}", "orgs/agua-clara/intruso.md"]
    assert "::error file=orgs/agua-clara/intruso.md,line=1,col=1::" in refused.stdout
    table = summary.read_text()
    assert "### ❌ 2 archivo(s)" in table and "| `orgs/agua-clara/intruso.md` | 1 |" in table
    assert "`maintainers`" in table  # the rule is explained to the author
