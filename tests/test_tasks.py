"""The invoke tasks, run as an editor or a contributor would, on a copy of the project."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, invoke


def test_every_task_has_one_line_of_help():
    listing = invoke(ROOT, "--list").stdout
    for name in (
        "build",
        "rebuild",
        "clean",
        "serve",
        "regenerate",
        "livereload",
        "publish",
        "new-org",
        "new-post",
        "translate",
    ):
        line = next((line for line in listing.splitlines() if line.split()[:1] == [name]), "")
        assert len(line.split()) > 2, f"`{name}` has no help line in `invoke --list`"


def test_new_org_keeps_its_older_single_value_flags(project):
    """`--kind`, `--country` and `--lang` (one value each) still work, for older notes."""
    from content_model import load_org

    made = invoke(
        project,
        "new-org",
        "red-costera",
        "--kind",
        "environment",
        "--country",
        "PE",
        "--lang",
        "pt",
    )
    assert made.returncode == 0, made.stderr
    card = load_org(project / "orgs/red-costera", display_root=project)
    assert (card.kinds, card.countries, card.languages) == (["environment"], ["PE"], ["pt"])
    made = invoke(project, "new-post", "red-costera", "--title", "Assembleia", "--kind", "event")
    assert made.returncode == 0, made.stderr
    assert "type: event\n" in (project / "orgs/red-costera/assembleia.md").read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["new-org", "Mala Carpeta"], "orgs/Mala Carpeta/org.yaml:1:1: el nombre de carpeta"),
        (["new-org", "../fuera"], "no sirve como identificador de una organización"),
        (["new-org", "tierra-viva"], "orgs/tierra-viva/org.yaml:1:1: orgs/tierra-viva/ ya existe"),
        (["new-org", "nueva", "--kind", "farmers"], "`farmers` no es un tipo de organización"),
        (["new-org", "nueva", "--country", "XX"], "orgs/nueva/org.yaml:23:13: `XX`"),
        (["new-org", "nueva", "--countries", "CO,XX"], "orgs/nueva/org.yaml:23:17: `XX`"),
        (["new-org", "nueva", "--languages", "es,xx"], "orgs/nueva/org.yaml:28:17: `xx`"),
        (["new-org", "nueva", "--maintainer", "a b"], "`a b` no es un nombre de usuario"),
        (["new-post", "no-existe", "--title", "Hola"], "esta organización no tiene ficha"),
        (["new-post", "tierra-viva", "--title", "Hola", "--kind", "blog"], "`blog` no es un tipo"),
        (
            ["new-post", "--org", "tierra-viva", "--type", "blog"],
            f"orgs/tierra-viva/texto-nuevo-{dt.date.today().isoformat()}.md:26:1: `blog` no es un",
        ),
        (
            ["new-post", "--org", "tierra-viva", "--title", "Comunicado"],
            "orgs/tierra-viva/comunicado.md:1:1: orgs/tierra-viva/comunicado.md ya existe — elija",
        ),
        (["new-post", "tierra-viva", "--lang", "xx"], "`xx` no es un código de idioma"),
    ],
)
def test_scaffolding_refuses_bad_input_plainly(project, args, message):
    before = sorted(p.relative_to(project) for p in (project / "orgs").rglob("*"))
    result = invoke(project, *args)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(project) for p in (project / "orgs").rglob("*")) == before


def test_rebuild_starts_clean_and_clean_removes_output(project):
    stale = project / "output" / "viejo.html"
    stale.parent.mkdir()
    stale.write_text("old")
    assert invoke(project, "rebuild").returncode == 0
    assert not stale.exists() and (project / "output/index.html").is_file()
    assert invoke(project, "clean").returncode == 0
    assert not (project / "output").exists()


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


SAVED_DURING_BUILD = """
from pathlib import Path

from pelican import signals


def save(pelican):
    text = Path(pelican.settings["PATH"]) / "orgs/tierra-viva/guardado.md"
    if not text.exists():
        text.write_text(
            "---\\ntitle: Guardado durante la construcción\\ndate: 2026-01-02\\nlang: es\\n"
            "type: statement\\ntopics: [land]\\ncountries: [CO]\\n---\\nTexto.\\n"
        )


def register():
    signals.finalized.connect(save)
"""


def test_regenerate_rebuilds_on_change_and_waits_after_an_error(project):
    # A text saved while the first build runs (by a plugin, at the build's last step, so
    # the build has already read the content) is built by the next one.
    (project / "plugins/saved_during_build.py").write_text(SAVED_DURING_BUILD)
    with (project / "pelicanconf.py").open("a") as settings:
        settings.write('\nPLUGINS = [*PLUGINS, "saved_during_build"]\n')
    # Sent into a file of the project, as `invoke regenerate > regenerate.log` does: the
    # build's own log lines set off no build.
    log = project / "regenerate.log"
    with log.open("w") as sink:
        watcher = subprocess.Popen(
            [sys.executable, "-m", "invoke", "regenerate"],
            cwd=project,
            stdout=sink,
            stderr=subprocess.STDOUT,
            # PYTHONFAULTHANDLER: a fatal signal writes every thread's stack into the log.
            env={**os.environ, "COLUMNS": "300", "PYTHONFAULTHANDLER": "1"},
            # Ctrl+C as at a terminal: a process started while its parent ignores SIGINT
            # (a test runner's worker may) inherits that, and Python then never stops on it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:

        def builds() -> int:
            return log.read_text().count("Done: Processed")

        saved = project / "output/orgs/tierra-viva/guardado.html"
        assert wait_for(lambda: builds() == 2 and saved.is_file()), log.read_text()
        assert "Changed: orgs/tierra-viva/guardado.md" in log.read_text()
        broken = project / "orgs/tierra-viva/roto.md"
        broken.write_text("---\ntitle: Roto\ndate: 2026-01-01\nurl: index.html\n---\nX\n")
        assert wait_for(lambda: "roto.md:4:1:" in log.read_text()), log.read_text()
        time.sleep(2)  # a retry loop would log the error again meanwhile
        assert log.read_text().count("orgs/tierra-viva/roto.md:4:1:") == 1

        broken.unlink()
        card = project / "orgs/tierra-viva/org.yaml"
        card.write_text(
            card.read_text().replace(
                "name: Asociación Campesina Tierra Viva", "name: Tierra Viva Renombrada"
            )
        )
        page = project / "output/orgs/tierra-viva/index.html"
        assert wait_for(lambda: "Tierra Viva Renombrada" in page.read_text()), log.read_text()
        # Stopped between builds, as a person does once the page is there.
        assert wait_for(lambda: builds() == 3), log.read_text()
        # What a build writes and deletes (the previous output, in the background, after
        # the build) sets off no build of its own.
        for folder in ("output", "output.previous", "output.partial", "cache"):
            (project / folder).mkdir(exist_ok=True)
            (project / folder / "late.html").write_text("x")
        shutil.rmtree(project / "output.previous", ignore_errors=True)
        time.sleep(4)  # longer than the watch's wait for more changes (1.6 s)
        assert builds() == 3 and log.read_text().count("Changed:") == 3, log.read_text()
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            watcher.wait(timeout=20)
        except subprocess.TimeoutExpired as stuck:
            watcher.send_signal(signal.SIGABRT)  # where it hangs, into the log
            watcher.wait(timeout=20)
            raise AssertionError(
                "invoke regenerate did not stop within 20 s of Ctrl+C:\n" + log.read_text()[-8000:]
            ) from stuck


def test_translations_task_adds_new_strings_and_changes_nothing_else(project):
    translations = project / "theme/translations"
    before = {p: p.read_bytes() for p in translations.rglob("*.po*")}
    run = invoke(project, "translations")
    assert run.returncode == 0, run.stderr
    assert "theme/translations/pt: " in run.stdout and "complete" in run.stdout
    assert {p: p.read_bytes() for p in translations.rglob("*.po*")} == before

    news = project / "theme/templates/news.html"
    news.write_text(
        news.read_text().replace("{% block content %}", '{% block content %}{{ _("Cosecha") }}')
    )
    run = invoke(project, "translations")
    assert run.returncode == 0, run.stderr
    assert "theme/translations/fr: " in run.stdout and "1 to translate" in run.stdout
    assert 'msgid "Cosecha"\nmsgstr ""' in (translations / "pt/LC_MESSAGES/messages.po").read_text()
    assert 'msgid "Cosecha"' in (translations / "messages.pot").read_text()


def test_report_prints_the_observatory_figures_of_the_built_site(project):
    import yaml

    before = invoke(project, "report")
    assert before.returncode == 1 and "Build the site first" in before.stderr
    assert invoke(project, "build").returncode == 0
    wrong = invoke(project, "report", "--since", "2026-13-01")
    assert wrong.returncode == 2 and "YYYY-MM-DD" in wrong.stderr
    run = invoke(project, "report", "--org", "tierra-viva", "--since", "2026-01-01")
    assert run.returncode == 0, run.stderr
    # Counted here from the org's files: a text once, by its Spanish version when it has one
    groups = {}
    for path in sorted((project / "orgs/tierra-viva").rglob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        group = groups.setdefault(meta.get("translation_key") or path.stem, [])
        group.append(meta)
    dates = [
        str(next((m for m in group if m["lang"] == "es"), group[0])["date"])[:10]
        for group in groups.values()
    ]
    texts = sum(1 for day in dates if day >= "2026-01-01")
    assert texts
    assert f"texts from 2026-01-01 on: {texts} texts" in run.stdout
    assert f"| Asociación Campesina Tierra Viva (tierra-viva) | {texts} | 100% |" in run.stdout
    assert "Per topic:" in run.stdout and "Per language:" in run.stdout


def test_stats_prints_page_weights_and_load_times(project):
    import gzip

    build = invoke(project, "build")
    assert build.returncode == 0, build.stderr
    run = invoke(project, "stats")
    assert run.returncode == 0, run.stderr
    assert "By kind of page:" in run.stdout and "The ten heaviest pages:" in run.stdout
    heaviest = run.stdout.split("The ten heaviest pages:")[1].splitlines()[4]
    path = heaviest.split("|")[1].strip()
    # The same weight, measured here independently: the HTML and CSS as gzip sends them,
    # and the images the page shows.
    page = project / "output" / path
    html = page.read_text(encoding="utf-8")
    css = (project / "output/theme/css/minga.css").read_bytes()

    def size(address: str) -> int:
        return (page.parent / address).resolve().stat().st_size

    # A <picture>'s WebP source at its largest width; an image alone, its own file.
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    images = [
        max(size(c.split()[0]) for c in re.search(r'srcset="([^"]+)"', pic).group(1).split(","))
        for pic in pictures
    ]
    alone = re.sub(r"<picture>.*?</picture>", "", html, flags=re.S)
    images += [size(src) for src in re.findall(r'<img[^>]* src="([^"]+)"', alone)]
    assert images, path
    total = len(gzip.compress(html.encode(), 9, mtime=0)) + len(gzip.compress(css, 9, mtime=0))
    total += sum(images)
    assert f"| {total / 1000:.1f} KB |" in heaviest, (heaviest, total)
    assert re.search(r"\| text \| \d+ \| [\d.]+ / [\d.]+ / [\d.]+ KB", run.stdout)


def test_offline_and_zim_write_the_copies_the_read_offline_page_lists(project):
    run = invoke(project, "offline")
    assert run.returncode == 0, run.stderr
    downloads = project / "output/downloads"
    zips = sorted(p.relative_to(project).as_posix() for p in downloads.rglob("*.zip"))
    assert "output/downloads/minga.zip" in zips and "output/downloads/minga-pt.zip" in zips
    assert "output/downloads/orgs/minga-tierra-viva.zip" in zips
    for relative in zips:
        assert relative in run.stdout  # each printed with its size
    page = (project / "output/offline/index.html").read_text(encoding="utf-8")
    assert "minga-tierra-viva.zip" in page and ".zim" not in page
    run = invoke(project, "zim")
    assert run.returncode == 0, run.stderr
    assert "output/downloads/minga.zim" in run.stdout
    assert "ZIM file is ready" not in run.stdout  # libzim's own progress lines
    assert not (downloads / "minga.zip").exists()  # a build writes only what it is asked
    assert "minga.zim" in (project / "output/offline/index.html").read_text(encoding="utf-8")
