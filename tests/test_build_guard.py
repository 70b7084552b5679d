"""The build never publishes a partial site: content problems and warnings stop it cleanly."""

from __future__ import annotations

import base64
import shutil
import time

from conftest import ROOT, article, invoke, org_card, run_pelican, write_tree

PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
GOOD = {
    "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
    "orgs/alfa/nota.md": article("Nota publicada"),
}


def test_failed_build_leaves_the_previous_output_untouched(tmp_path):
    source = write_tree(tmp_path / "site", GOOD)
    output = tmp_path / "output"
    first = run_pelican(source, output)
    assert first.returncode == 0, first.log
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    write_tree(
        source,
        {
            "orgs/alfa/nota.md": article("Nota cambiada"),
            "orgs/alfa/rota.md": "---\ntitle: Rota\n---\nSin fecha ni lengua\n",
        },
    )
    second = run_pelican(source, output)
    assert second.returncode != 0
    assert "orgs/alfa/rota.md" in second.log
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert "Nota publicada" in (output / "orgs/alfa/nota.html").read_text()


def test_a_warning_stops_the_build_and_keeps_the_previous_site(tmp_path):
    """Pelican's own warnings count too (here: an image with no alt text, built unchecked)."""
    source = write_tree(tmp_path / "site", GOOD)
    output = tmp_path / "output"
    assert run_pelican(source, output).returncode == 0
    write_tree(
        source,
        {
            "orgs/alfa/foto.md": article("Foto sin descripción", body="![]({static}foto.png)"),
            "orgs/alfa/foto.png": PIXEL_PNG,
        },
    )
    result = run_pelican(source, output, extra=("-e", "CHECK_TREE=false"))
    assert result.returncode != 0
    assert "Empty alt attribute for image {static}foto.png" in result.log
    assert "warning(s) while building" in result.log
    assert not (output / "orgs/alfa/foto.html").exists()
    assert (output / "orgs/alfa/nota.html").is_file()


def test_a_good_build_replaces_the_output_whole(tmp_path):
    source = write_tree(tmp_path / "site", GOOD)
    output = tmp_path / "output"
    (output / "orgs/alfa").mkdir(parents=True)
    (output / "orgs/alfa/borrada.html").write_text("old page of a deleted text")
    assert run_pelican(source, output).returncode == 0
    assert not (output / "orgs/alfa/borrada.html").exists()
    assert (output / "orgs/alfa/nota.html").is_file()
    assert not (tmp_path / "output.partial").exists()


def test_the_replaced_output_is_deleted_after_the_build_returns(tmp_path):
    source = write_tree(tmp_path / "site", GOOD)
    output = tmp_path / "output"
    assert run_pelican(source, output).returncode == 0
    previous = tmp_path / "output.previous"
    (previous / "orgs").mkdir(parents=True)  # as a build stopped halfway would leave it
    (previous / "orgs/vieja.html").write_text("left over")
    write_tree(source, {"orgs/alfa/nota.md": article("Nota cambiada")})
    assert run_pelican(source, output).returncode == 0
    assert "Nota cambiada" in (output / "orgs/alfa/nota.html").read_text()
    deadline = time.monotonic() + 60
    while previous.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not previous.exists()
    assert "Nota cambiada" in (output / "orgs/alfa/nota.html").read_text()


def test_a_broken_tree_stops_the_build_with_the_checks_report_alone(tmp_path):
    """With a second processor core the whole-tree check runs while Pelican reads the texts
    from its cache. A tree the check finds broken stops the build with the same report as
    when the check runs first, and nothing of what reading the broken tree says: a text
    that cannot be parsed, a text read from the cache whose image is gone."""
    tree = {
        **GOOD,
        "orgs/alfa/foto.png": PIXEL_PNG,
        "orgs/alfa/con-foto.md": article("Con foto", body="![Una foto]({static}foto.png)"),
    }
    reports = {}
    for processes in ("1", "2"):
        source = write_tree(tmp_path / f"site-{processes}", tree)
        output = tmp_path / f"output-{processes}"
        setting = ("-e", f"BUILD_PROCESSES={processes}")
        first = run_pelican(source, output, extra=setting)
        assert first.returncode == 0, first.log
        before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
        (source / "orgs/alfa/foto.png").unlink()
        (source / "orgs/alfa/rota.md").write_text("---\ntitle: [Rota\n---\nTexto\n")

        build = run_pelican(source, output, extra=setting)
        assert build.returncode != 0
        assert "2 problem(s) in the content; nothing was written" in build.log, build.log
        assert "Could not process" not in build.log and "ERROR" not in build.log, build.log
        assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
        reports[processes] = [
            line.strip() for line in build.log.splitlines() if line.strip().startswith("orgs/")
        ]
    assert reports["1"] == reports["2"], reports
    assert [line.split(":", 1)[0] for line in reports["1"]] == [
        "orgs/alfa/con-foto.md",
        "orgs/alfa/rota.md",
    ]


def test_skip_broken_builds_everyone_else_and_lists_what_was_left_out(project):
    hostile = project / "orgs/agua-clara/toma.md"
    hostile.write_text("---\ntitle: Toma\ndate: 2026-01-01\nlang: es\nsave_as: index.html\n---\n")
    strict = invoke(project, "build")
    assert strict.returncode != 0 and not (project / "output/index.html").exists()

    lenient = invoke(project, "build", "--skip-broken")
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert "SKIPPED orgs/agua-clara/ (1 problem(s))" in lenient.stdout
    assert "orgs/agua-clara/toma.md:5:1:" in lenient.stdout
    output = project / "output"
    assert (output / "orgs/tierra-viva/comunicado.html").is_file()
    assert not (output / "orgs/agua-clara").exists()
    assert "agua-clara" not in (output / "orgs/index.html").read_text(encoding="utf-8")
    assert "agua-clara" not in (output / "index.html").read_text(encoding="utf-8")


def test_skip_broken_still_stops_on_the_editors_files(project):
    (project / "content/topics.yaml").write_text("water: [\n")
    result = invoke(project, "build", "--skip-broken")
    assert result.returncode != 0 and "content/topics.yaml" in result.stdout + result.stderr


def test_editions_written_side_by_side_are_the_same_as_one_by_one(tmp_path):
    source = write_tree(tmp_path / "site", GOOD)
    apart = run_pelican(source, tmp_path / "apart", extra=("-e", "BUILD_PROCESSES=2"))
    alone = run_pelican(source, tmp_path / "alone", extra=("-e", "BUILD_PROCESSES=1"))
    assert apart.returncode == 0 and alone.returncode == 0, apart.log + alone.log
    files = {p.relative_to(apart.output): p.read_bytes() for p in apart.output.rglob("*.*")}
    same = {p.relative_to(alone.output): p.read_bytes() for p in alone.output.rglob("*.*")}
    assert len(files) > 100 and "pt/news/index.html" in {str(p) for p in files}
    assert files == same


def test_an_edition_that_fails_in_a_worker_stops_the_build(tmp_path):
    """The Portuguese edition is written by the second process; its failure is reported and
    the previous site stays."""
    source = write_tree(tmp_path / "site", GOOD)
    output = tmp_path / "output"
    assert run_pelican(source, output).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    news = theme / "templates/news.html"
    failing = "{% if ui_language() == 'pt' %}{{ no_such_thing.anywhere }}{% endif %}"
    news.write_text(
        news.read_text().replace("{% block content %}", "{% block content %}" + failing)
    )

    build = run_pelican(source, output, extra=("-e", f'THEME="{theme}"', "BUILD_PROCESSES=2"))
    assert build.returncode != 0
    assert "writing the pt, fr edition(s) failed: jinja2.exceptions.UndefinedError: " in build.log
    assert "'no_such_thing' is undefined" in build.log
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
