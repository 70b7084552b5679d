"""`invoke check`, `check-ownership` and `codeowners`, run as a contributor or CI would."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import GIT_IDENTITY, invoke

TAKEOVER = "---\ntitle: Roto\ndate: 2026-01-01\nlang: es\nurl: index.html\n---\nX\n"


def test_check_passes_on_the_sample_site(project):
    result = invoke(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 problema(s) encontrado(s)")


def test_check_reports_in_spanish_by_default(project):
    (project / "orgs/tierra-viva/roto.md").write_text(TAKEOVER)
    result = invoke(project, "check")
    assert result.returncode == 1
    assert (
        "orgs/tierra-viva/roto.md:5:1: el campo `url` no se puede usar en un texto — borre "
        "esta línea: la dirección web y el diseño de una página dependen de su carpeta y del "
        "nombre del archivo"
    ) in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "::error" not in result.stdout


@pytest.mark.parametrize(
    "lang, text",
    [
        ("pt", "orgs/tierra-viva/roto.md:5:1: o campo `url` não pode ser usado em um texto"),
        ("en", "orgs/tierra-viva/roto.md:5:1: the field `url` cannot be set in a text"),
    ],
)
def test_check_speaks_portuguese_or_english_on_request(project, lang, text):
    (project / "orgs/tierra-viva/roto.md").write_text(TAKEOVER)
    result = invoke(project, "check", "--lang", lang)
    assert result.returncode == 1 and text in result.stdout


def test_check_reports_every_problem_of_the_run_together(project):
    (project / "orgs/tierra-viva/roto.md").write_text(TAKEOVER)
    (project / "orgs/agua-clara/org.yaml").write_text("name: Agua Clara\nkinds: [farmers]\n")
    (project / "content/topics.yaml").write_text("water: [\n")
    result = invoke(project, "check", "--lang", "en")
    assert result.returncode == 1
    for where in (
        "orgs/tierra-viva/roto.md:5:1:",
        "orgs/agua-clara/org.yaml:2:9:",
        "content/topics.yaml:2:1:",
    ):
        assert where in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_annotates_under_github_actions(project):
    (project / "orgs/tierra-viva/roto.md").write_text(TAKEOVER)
    result = invoke(project, "check", GITHUB_ACTIONS="true")
    assert "::error file=orgs/tierra-viva/roto.md,line=5,col=1::el campo `url`" in result.stdout


def test_check_only_given_paths(project):
    (project / "orgs/tierra-viva/roto.md").write_text(TAKEOVER)
    assert invoke(project, "check", "--path", "orgs/agua-clara").returncode == 0
    result = invoke(project, "check", "--path", "orgs/tierra-viva", "--path", "content")
    assert result.returncode == 1 and "roto.md" in result.stdout


def test_check_fails_when_codeowners_is_stale_and_codeowners_mends_it(project):
    card = project / "orgs/agua-clara/org.yaml"
    card.write_text(card.read_text().replace("maintainers: [", "maintainers: [nueva-persona, "))
    result = invoke(project, "check", "--lang", "en")
    assert result.returncode == 1 and ".github/CODEOWNERS:1:1: this file is out of date" in (
        result.stdout
    )
    assert invoke(project, "codeowners").returncode == 0
    assert "@nueva-persona" in (project / ".github/CODEOWNERS").read_text()
    assert invoke(project, "check").returncode == 0


def git(project, *args):
    subprocess.run(
        ["git", *args],
        cwd=project,
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_IDENTITY},
    )


def test_check_ownership_on_a_scratch_repository(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    git(project, "checkout", "-qb", "cambio")
    (project / "orgs/tierra-viva/nueva-nota.md").write_text(
        "---\ntitle: Nueva\ndate: 2026-11-01\nlang: es\n---\nTexto.\n"
    )
    git(project, "add", "-A")
    git(project, "commit", "-qm", "own folder")
    ok = invoke(
        project, "check-ownership", "--author", "tierraviva-comunicaciones", "--base", "main"
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr

    for path in (
        "orgs/agua-clara/intruso.md",
        "content/news/intruso.md",
        "theme/intruso.css",
        ".github/intruso.yml",
        "tasks.py",
    ):
        target = project / path
        target.write_text(target.read_text() + "\n# cambio\n" if target.exists() else "x\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "everywhere")
    refused = invoke(
        project,
        "check-ownership",
        "--author",
        "tierraviva-comunicaciones",
        "--base",
        "main",
        "--lang",
        "en",
    )
    assert refused.returncode == 1
    named = sorted(line.split(":")[0] for line in refused.stdout.splitlines() if ":1:1:" in line)
    assert named == [
        ".github/intruso.yml",
        "content/news/intruso.md",
        "orgs/agua-clara/intruso.md",
        "tasks.py",
        "theme/intruso.css",
    ]


def test_a_contributor_can_add_a_new_org_with_its_regenerated_codeowners(project):
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    git(project, "checkout", "-qb", "nueva-org")
    made = invoke(project, "new-org", "red-nueva", "--maintainer", "persona-nueva")
    assert made.returncode == 0, made.stdout + made.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "new org")
    ok = invoke(project, "check-ownership", "--author", "persona-nueva", "--base", "main")
    assert ok.returncode == 0, ok.stdout
    stranger = invoke(project, "check-ownership", "--author", "otra-persona", "--base", "main")
    assert stranger.returncode == 1

    codeowners = project / ".github/CODEOWNERS"
    codeowners.write_text(codeowners.read_text() + "/theme/ @persona-nueva\n")
    git(project, "commit", "-qam", "hand-edited owners")
    refused = invoke(
        project, "check-ownership", "--author", "persona-nueva", "--base", "main", "--lang", "en"
    )
    assert refused.returncode == 1
    assert refused.stdout.startswith(".github/CODEOWNERS:1:1:")
