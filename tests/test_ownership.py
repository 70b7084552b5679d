"""Who may change what: real git repositories, a base branch and a change on top of it."""

from __future__ import annotations

import ast
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from checks.ownership import (
    changed_files,
    codeowners_problems,
    codeowners_text,
    ownership_problems,
    write_codeowners,
)
from content_model.messages import catalog
from content_model.problems import ContentError

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "plugins" / "checks" / "ownership.py"

MAINTAINER = "tierraviva-comunicaciones"
OTHER = "aguaclara-jovenes"
EDITOR = "minga-editora"

BASE_FILES = {
    "content/editors.yaml": "# The editorial team.\neditors: [minga-editora, minga-editor]\n",
    "content/news/noticia.md": "---\ntitle: Noticia\n---\nTexto.\n",
    "content/topics.yaml": "land: {es: Tierra}\n",
    "orgs/tierra-viva/org.yaml": f"name: Tierra Viva\nmaintainers: [{MAINTAINER}]\n",
    "orgs/tierra-viva/comunicado.md": "---\ntitle: Comunicado\n---\nTexto.\n",
    "orgs/tierra-viva/2025/asamblea.md": "---\ntitle: Asamblea\n---\nTexto.\n",
    "orgs/agua-clara/org.yaml": f"name: Agua Clara\nmaintainers: [{OTHER}]\n",
    "orgs/agua-clara/monitoreo.md": "---\ntitle: Monitoreo\n---\nTexto.\n",
    "theme/templates/base.html": "<html></html>\n",
    ".github/CODEOWNERS": "* @minga-editora\n",
    "tasks.py": "# tasks\n",
    "pelicanconf.py": "SITENAME = 'Minga'\n",
}


class Repo:
    """A scratch git repository with a `main` branch (the base) and a `change` branch."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str) -> str:
        result = subprocess.run(
            [
                "git",
                "-c",
                "user.name=Prueba",
                "-c",
                "user.email=prueba@example.org",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def write(self, files: dict[str, str]) -> None:
        for relative, text in files.items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def remove(self, *relatives: str) -> None:
        self.git("rm", "--quiet", *relatives)

    def commit(self, message: str = "change") -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """`main` holds BASE_FILES; HEAD is a new `change` branch, ready for a change."""
    repo = Repo(tmp_path / "site")
    repo.write(BASE_FILES)
    repo.commit("base")
    repo.git("checkout", "--quiet", "-b", "change")
    return repo


def change(repo: Repo, files: dict[str, str], author: str = MAINTAINER):
    """Commit `files` on the change branch and return the ownership problems for `author`."""
    repo.write(files)
    repo.commit()
    return ownership_problems(repo.root, author, "main")


def paths(problems) -> list[str]:
    return [problem.path for problem in problems]


def test_a_maintainer_may_change_their_own_folder(repo):
    repo.remove("orgs/tierra-viva/2025/asamblea.md")
    problems = change(
        repo,
        {
            "orgs/tierra-viva/comunicado.md": "---\ntitle: Comunicado corregido\n---\nTexto.\n",
            "orgs/tierra-viva/2026/nuevo.md": "---\ntitle: Nuevo\n---\nTexto.\n",
            "orgs/tierra-viva/images/foto.jpg": "jpeg",
            "orgs/tierra-viva/org.yaml": f"name: Tierra Viva\nmaintainers: [{MAINTAINER}, otra]\n",
        },
    )
    assert problems == []
    assert changed_files(repo.root, "main") == [
        "orgs/tierra-viva/2025/asamblea.md",
        "orgs/tierra-viva/2026/nuevo.md",
        "orgs/tierra-viva/comunicado.md",
        "orgs/tierra-viva/images/foto.jpg",
        "orgs/tierra-viva/org.yaml",
    ]


def test_each_file_outside_the_authors_folder_is_one_problem_naming_it(repo):
    problems = change(
        repo,
        {
            "orgs/tierra-viva/comunicado.md": "---\ntitle: Otro\n---\nTexto.\n",
            "orgs/agua-clara/monitoreo.md": "---\ntitle: Cambiado\n---\nTexto.\n",
            "content/news/noticia.md": "---\ntitle: Cambiada\n---\nTexto.\n",
            "theme/templates/base.html": "<html><body></body></html>\n",
            ".github/CODEOWNERS": "* @tierraviva-comunicaciones\n",
            "tasks.py": "# mine now\n",
            "pelicanconf.py": "SITENAME = 'Mía'\n",
            "README.md": "new top-level file\n",
        },
    )
    assert paths(problems) == [
        ".github/CODEOWNERS",
        "README.md",
        "content/news/noticia.md",
        "orgs/agua-clara/monitoreo.md",
        "pelicanconf.py",
        "tasks.py",
        "theme/templates/base.html",
    ]
    assert all((p.line, p.column) == (1, 1) for p in problems)
    by_path = {p.path: p for p in problems}
    other_org = by_path["orgs/agua-clara/monitoreo.md"].render("en")
    assert other_org.startswith("orgs/agua-clara/monitoreo.md:1:1: ")
    assert f"@{MAINTAINER} may not change this file: it belongs to @{OTHER}" in other_org
    assert "orgs/tierra-viva/" in other_org  # the fix points to the author's own folder
    theme = by_path["theme/templates/base.html"].render("en")
    assert f"@{MAINTAINER} may not change this file: only the editors may change it" in theme
    assert "ask an editor" in theme and "orgs/tierra-viva/" in theme


def test_adding_oneself_to_another_orgs_maintainers_in_the_same_change_is_refused(repo):
    problems = change(
        repo,
        {
            "orgs/agua-clara/org.yaml": f"name: Agua Clara\nmaintainers: [{OTHER}, {MAINTAINER}]\n",
            "orgs/agua-clara/monitoreo.md": "---\ntitle: Tomado\n---\nTexto.\n",
        },
    )
    assert paths(problems) == ["orgs/agua-clara/monitoreo.md", "orgs/agua-clara/org.yaml"]


def test_a_new_org_folder_whose_card_lists_the_author_may_be_created(repo):
    problems = change(
        repo,
        {
            "orgs/radio-rio-claro/org.yaml": "name: Radio\nmaintainers: [radio-rioclaro]\n",
            "orgs/radio-rio-claro/volvemos.md": "---\ntitle: Volvemos al aire\n---\nTexto.\n",
        },
        author="radio-rioclaro",
    )
    assert problems == []


def test_a_new_org_folder_whose_card_does_not_list_the_author_is_refused(repo):
    problems = change(
        repo,
        {
            "orgs/radio-rio-claro/org.yaml": "name: Radio\nmaintainers: [alguien-mas]\n",
            "orgs/radio-rio-claro/volvemos.md": "---\ntitle: Volvemos al aire\n---\nTexto.\n",
            "orgs/sin-ficha/texto.md": "---\ntitle: Sin ficha\n---\nTexto.\n",
        },
        author="radio-rioclaro",
    )
    assert paths(problems) == [
        "orgs/radio-rio-claro/org.yaml",
        "orgs/radio-rio-claro/volvemos.md",
        "orgs/sin-ficha/texto.md",
    ]
    text = problems[0].render("en")
    assert "the card of this new organization, orgs/radio-rio-claro/org.yaml" in text
    assert "add your handle to `maintainers` in orgs/radio-rio-claro/org.yaml" in text


def test_a_folder_left_without_a_card_at_base_cannot_be_claimed(repo):
    repo.git("checkout", "--quiet", "main")
    repo.write({"orgs/huerfana/texto.md": "---\ntitle: Texto\n---\nTexto.\n"})
    repo.commit("an org folder without a card")
    repo.git("checkout", "--quiet", "-B", "change")
    problems = change(
        repo,
        {"orgs/huerfana/org.yaml": "name: Huérfana\nmaintainers: [intrusa]\n"},
        author="intrusa",
    )
    assert paths(problems) == ["orgs/huerfana/org.yaml"]


def test_an_editor_may_change_everything(repo):
    repo.remove("tasks.py")
    problems = change(
        repo,
        {
            "orgs/tierra-viva/comunicado.md": "---\ntitle: Editado\n---\nTexto.\n",
            "orgs/agua-clara/org.yaml": "name: Agua Clara\nmaintainers: [nueva-persona]\n",
            "content/news/noticia.md": "---\ntitle: Editada\n---\nTexto.\n",
            "content/editors.yaml": "editors: [minga-editora, minga-editor, tercera]\n",
            "theme/templates/base.html": "<html lang=es></html>\n",
            ".github/CODEOWNERS": "* @minga-editora @minga-editor\n",
            "orgs/nueva/org.yaml": "name: Nueva\nmaintainers: [quien-sea]\n",
        },
        author=EDITOR,
    )
    assert problems == []


def test_a_change_that_makes_its_author_an_editor_is_refused(repo):
    problems = change(
        repo,
        {
            "content/editors.yaml": "editors: [minga-editora, minga-editor, intrusa]\n",
            "theme/templates/base.html": "<html>tomado</html>\n",
        },
        author="intrusa",
    )
    assert paths(problems) == ["content/editors.yaml", "theme/templates/base.html"]


@pytest.mark.parametrize(
    "author",
    ["@tierraviva-comunicaciones", "TierraViva-Comunicaciones", " @TIERRAVIVA-comunicaciones"],
)
def test_handles_compare_case_insensitively_with_or_without_at(repo, author):
    repo.git("checkout", "--quiet", "main")
    repo.write({"orgs/tierra-viva/org.yaml": "maintainers: ['@TierraViva-Comunicaciones']\n"})
    repo.commit("card written with @ and capitals")
    repo.git("checkout", "--quiet", "-B", "change")
    problems = change(repo, {"orgs/tierra-viva/comunicado.md": "cambiado\n"}, author=author)
    assert problems == []
    editor = change(repo, {"theme/templates/base.html": "x\n"}, author="@MINGA-Editora")
    assert editor == []


def test_a_rename_counts_both_paths(repo):
    repo.git("mv", "orgs/tierra-viva/comunicado.md", "orgs/agua-clara/comunicado.md")
    repo.git("mv", "orgs/agua-clara/monitoreo.md", "orgs/tierra-viva/monitoreo.md")
    problems = change(repo, {})
    assert changed_files(repo.root, "main") == [
        "orgs/agua-clara/comunicado.md",
        "orgs/agua-clara/monitoreo.md",
        "orgs/tierra-viva/comunicado.md",
        "orgs/tierra-viva/monitoreo.md",
    ]
    assert paths(problems) == ["orgs/agua-clara/comunicado.md", "orgs/agua-clara/monitoreo.md"]


def test_only_the_change_since_the_fork_point_counts(repo):
    repo.git("checkout", "--quiet", "main")
    repo.write({"theme/templates/base.html": "<html>editors moved on</html>\n"})
    repo.commit("the base branch moves on")
    repo.git("checkout", "--quiet", "change")
    assert change(repo, {"orgs/tierra-viva/comunicado.md": "cambiado\n"}) == []


def test_a_broken_card_at_base_means_no_maintainers_not_a_crash(repo):
    repo.git("checkout", "--quiet", "main")
    repo.write({"orgs/tierra-viva/org.yaml": f"name: [Tierra\nmaintainers: [{MAINTAINER}]\n"})
    repo.commit("a broken card")
    repo.git("checkout", "--quiet", "-B", "change")
    problems = change(repo, {"orgs/tierra-viva/comunicado.md": "cambiado\n"})
    assert paths(problems) == ["orgs/tierra-viva/comunicado.md"]
    assert "only the editors may change it" in problems[0].render("en")


@pytest.mark.parametrize("base", ["no-such-branch", "--output=/tmp/x"])
def test_an_unknown_base_is_a_clear_content_error(repo, base):
    with pytest.raises(ContentError) as raised:
        ownership_problems(repo.root, MAINTAINER, base)
    [problem] = raised.value.problems
    assert (problem.path, problem.line) == (".", 1)
    text = raised.value.render("en")
    assert f"compared with `{base}`" in text
    assert "git fetch origin" in text
    assert "Traceback" not in text


def test_outside_a_repository_is_a_content_error(tmp_path):
    with pytest.raises(ContentError) as raised:
        changed_files(tmp_path, "main")
    assert raised.value.problems[0].path == "."


def test_problems_speak_spanish_by_default_then_portuguese_and_english(repo):
    [problem] = change(repo, {"orgs/agua-clara/monitoreo.md": "cambiado\n"})
    spanish = (
        f"orgs/agua-clara/monitoreo.md:1:1: @{MAINTAINER} no puede modificar este archivo: "
        f"pertenece a @{OTHER} — pida a @{OTHER} o a alguien del equipo editorial que haga "
        "este cambio, o hágalo dentro de la carpeta de su organización (orgs/tierra-viva/)"
    )
    assert str(problem) == problem.render("es") == spanish
    assert problem.render("pt") == (
        f"orgs/agua-clara/monitoreo.md:1:1: @{MAINTAINER} não pode alterar este arquivo: "
        f"ele pertence a @{OTHER} — peça para @{OTHER} ou para alguém da equipe editorial "
        "fazer esta mudança, ou faça a mudança dentro da pasta da sua organização "
        "(orgs/tierra-viva/)"
    )
    assert problem.render("en") == (
        f"orgs/agua-clara/monitoreo.md:1:1: @{MAINTAINER} may not change this file: "
        f"it belongs to @{OTHER} — ask @{OTHER} or an editor to make this change, or move it "
        "into your organization's folder (orgs/tierra-viva/)"
    )


def msgids_in_module() -> set[str]:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"
    }


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_every_message_is_translated_with_the_same_parameters(lang):
    msgids = msgids_in_module()
    assert len(msgids) >= 10
    translations = catalog(lang)
    for msgid in msgids:
        assert msgid in translations, f"no {lang} translation for {msgid!r}"
        placeholders = sorted(re.findall(r"%\(\w+\)s", msgid))
        assert sorted(re.findall(r"%\(\w+\)s", translations[msgid])) == placeholders, msgid


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


CODEOWNERS_TREE = {
    "content/editors.yaml": "editors: ['@Minga-Editora', minga-editor, minga-editora]\n",
    "orgs/tierra-viva/org.yaml": "maintainers: [tierraviva-comunicaciones]\n",
    "orgs/agua-clara/org.yaml": "maintainers: [zeta-agua, '@AguaClara-Jovenes', minga-editor]\n",
    "orgs/rota/org.yaml": "maintainers: [sin cerrar\n",
    "orgs/trampa/org.yaml": "maintainers: ['bien', \"mal\\n* @intrusa\", 'con espacio']\n",
    "orgs/sin-ficha/texto.md": "texto\n",
}


def test_codeowners_lists_editors_and_each_org_with_its_maintainers(tmp_path):
    write_tree(tmp_path, CODEOWNERS_TREE)
    text = codeowners_text(tmp_path)
    lines = text.splitlines()
    assert lines[0].startswith("#") and "invoke codeowners" in text
    assert any("by hand" in line for line in lines if line.startswith("#"))
    rules = [line for line in lines if not line.startswith("#")]
    assert rules == [
        "* @minga-editor @minga-editora",
        "/orgs/agua-clara/ @aguaclara-jovenes @minga-editor @zeta-agua @minga-editora",
        "/orgs/rota/ @minga-editor @minga-editora",
        "/orgs/tierra-viva/ @tierraviva-comunicaciones @minga-editor @minga-editora",
        "/orgs/trampa/ @bien @minga-editor @minga-editora",
    ]
    assert text.endswith("\n") and "@intrusa" not in text


def test_codeowners_is_deterministic(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    write_tree(first, CODEOWNERS_TREE)
    reordered = dict(reversed(CODEOWNERS_TREE.items()))
    reordered["content/editors.yaml"] = "editors: [minga-editora, MINGA-EDITOR]\n"
    write_tree(second, reordered)
    assert codeowners_text(first) == codeowners_text(first) == codeowners_text(second)


def test_codeowners_problems_report_a_missing_or_stale_file(tmp_path):
    write_tree(tmp_path, CODEOWNERS_TREE)
    [missing] = codeowners_problems(tmp_path)
    assert (missing.path, missing.line) == (".github/CODEOWNERS", 1)
    assert "is missing" in missing.render("en")
    assert missing.fix.render("en") == "run invoke codeowners"

    written = write_codeowners(tmp_path)
    assert written == tmp_path / ".github" / "CODEOWNERS"
    assert written.read_text(encoding="utf-8") == codeowners_text(tmp_path)
    assert codeowners_problems(tmp_path) == []

    write_tree(tmp_path, {"orgs/tierra-viva/org.yaml": "maintainers: [otra-persona]\n"})
    [stale] = codeowners_problems(tmp_path)
    assert stale.path == ".github/CODEOWNERS"
    assert "out of date" in stale.render("en")
    assert "invoke codeowners" in stale.render("es")


def test_the_sample_sites_codeowners_is_up_to_date():
    assert [p.render("en") for p in codeowners_problems(ROOT)] == []
    text = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/orgs/tierra-viva/ @tierraviva-comunicaciones @minga-editor @minga-editora" in text
