"""Editors' and contributors' tasks: `invoke --list` shows them."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from content_model import KINDS, ORG_ID, SLUG  # noqa: E402

OUTPUT = ROOT / "output"
CACHE = ROOT / "cache"
PELICAN = f'"{sys.executable}" -m pelican'


def pelican(c, settings: str = "pelicanconf.py", extra: str = "") -> None:
    with c.cd(str(ROOT)):
        c.run(f"{PELICAN} -s {settings} -o {OUTPUT} {extra}".strip())


@task
def clean(c):
    """Delete the built site and the build cache."""
    for folder in (OUTPUT, CACHE):
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Removed {OUTPUT.name}/ and {CACHE.name}/")


@task(
    help={
        "skip_broken": "Build without the organizations whose files have problems (they are "
        "listed) instead of stopping"
    }
)
def build(c, skip_broken=False):
    """Build the site into output/ with the local settings."""
    pelican(c, extra="-e SKIP_BROKEN=true" if skip_broken else "")


@task
def offline(c):
    """Build the site with its offline copies: zip files of the whole site, of each language
    and of each organization, listed on the "Read offline" page (output/downloads/)."""
    pelican(c, extra="-e OFFLINE_BUNDLES=true")
    print_downloads()


@task
def zim(c):
    """Build the site with a ZIM file of it for Kiwix (needs: pip install -e '.[zim]')."""
    pelican(c, extra="-e OFFLINE_ZIM=true")
    print_downloads()


def print_downloads() -> None:
    for path in sorted((OUTPUT / "downloads").rglob("*.zi[pm]")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.2f} MB")
    print(f"Listed on {(OUTPUT / 'offline/index.html').relative_to(ROOT)}")


@task(pre=[clean])
def rebuild(c):
    """Build the site from scratch (clean, then build)."""
    pelican(c)


@task(help={"port": "Port to listen on (default 8000)"})
def serve(c, port=8000):
    """Serve output/ on http://localhost:PORT (build first)."""
    print(f"Serving {OUTPUT} on http://localhost:{port}/index.html — Ctrl+C to stop")
    pelican(c, extra=f"--listen --bind 127.0.0.1 --port {int(port)}")


def watch(settings_file: str = "pelicanconf.py", port: int | None = None) -> None:
    """Build, then rebuild on every change, optionally serving output/ meanwhile.

    Pelican's own `--autoreload` retries a failed build at once, again and again, until
    the file is fixed; this loop waits for the next change instead.
    """
    import logging
    import subprocess

    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings
    from pelican.utils import wait_for_changes

    init_logging(logging.WARNING, name="pelican")
    logger = logging.getLogger("pelican")
    settings_path = str(ROOT / settings_file)
    server = None
    if port:
        OUTPUT.mkdir(exist_ok=True)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pelican",
                "-s",
                settings_path,
                "-o",
                str(OUTPUT),
                "--listen",
                "--bind",
                "127.0.0.1",
                "--port",
                str(int(port)),
            ],
            cwd=ROOT,
        )
        print(f"Serving {OUTPUT} on http://localhost:{port}/index.html")
    print("Rebuilding on every change to orgs/, content/, theme/ or the settings. Ctrl+C stops.")
    try:
        while True:
            settings = read_settings(settings_path, override={"OUTPUT_PATH": str(OUTPUT)})
            try:
                Pelican(settings).run()
            except Exception as exc:  # noqa: BLE001 - the loop must outlive a failed build
                people_facing = type(exc).__name__ in ("ContentError", "BuildStopped")
                logger.critical("%s", exc, exc_info=not people_facing)
            changed = sorted(path for _, path in wait_for_changes(settings_path, settings))
            print("Changed: " + ", ".join(os.path.relpath(p, ROOT) for p in changed))
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        if server:
            server.terminate()


@task
def regenerate(c):
    """Rebuild automatically whenever a file changes."""
    watch()


@task(help={"port": "Port to listen on (default 8000)"})
def livereload(c, port=8000):
    """Serve the site and rebuild it whenever a file changes."""
    watch(port=int(port))


@task(
    help={
        "push": "Also push the gh-pages branch to origin",
        "message": "Commit message for gh-pages",
    }
)
def publish(c, push=False, message="Publicar el sitio"):
    """Build with publishconf.py and commit output/ to the gh-pages branch (ghp-import)."""
    pelican(c, settings="publishconf.py")
    flags = "--push" if push else ""
    with c.cd(str(ROOT)):
        c.run(
            f'"{sys.executable}" -m ghp_import --no-jekyll -b gh-pages '
            f'-m "{message}" {flags} {OUTPUT}'
        )
    print("Published output/ to the gh-pages branch" + (" and pushed it." if push else "."))


ORG_CARD = """\
# Card of the organization: see content/pages/participar.md for every field.
name: {name}
short_name: {name}
kinds: [{kind}]
countries: [{country}]
languages: [{lang}]
topics: []
description:
  {lang}: >-
    {plain_name} publica sus textos en este espacio de la red.
license: CC BY-SA 4.0
maintainers: [{maintainers}]
"""

POST = """\
---
title: {title}
date: {date}
lang: {lang}
summary: >-
  {summary}
type: {kind}
topics: []
countries: [{countries}]
---

{body}
"""

FIRST_PARAGRAPH = {
    "es": "Escriba aquí el texto. Un párrafo por idea; use `##` para los subtítulos.",
    "pt": "Escreva aqui o texto. Um parágrafo por ideia; use `##` para os subtítulos.",
    "en": "Write the text here. One paragraph per idea; use `##` for subheadings.",
    "fr": "Écrivez le texte ici. Un paragraphe par idée ; utilisez `##` pour les intertitres.",
}


def slug_of(title: str) -> str:
    from pelican.utils import slugify

    return slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])


def refuse(*problems) -> None:
    """Stop a task with problems said for people (in Spanish), never a traceback."""
    raise Exit("\n".join(p.render() for p in problems), code=1)


@task(
    help={
        "org": "Folder name of the organization, e.g. radio-la-vertiente",
        "name": "Full name of the organization",
        "kind": "Kind: " + ", ".join(KINDS),
        "country": "ISO 3166 country code, e.g. CO",
        "lang": "Main language (BCP 47), e.g. es",
        "maintainer": "Git hosting handle of who looks after this space (you)",
    }
)
def new_org(c, org, name="", kind="rural", country="CO", lang="es", maintainer=""):
    """Create orgs/ORG/ with an org.yaml card that builds as it is (and update CODEOWNERS)."""
    from checks.ownership import write_codeowners
    from content_model import ContentError, Problem, _, load_org, load_topics

    shown = f"orgs/{org}/org.yaml"
    if not ORG_ID.match(org):
        refuse(
            Problem(
                shown,
                1,
                _("the folder name `%(name)s` cannot be an organization id", name=org),
                _(
                    "rename the folder with 2 to 41 small letters, digits and hyphens, e.g. "
                    "radio-rio-claro"
                ),
            )
        )
    folder = ROOT / "orgs" / org
    if folder.exists():
        refuse(
            Problem(
                shown,
                1,
                _("orgs/%(org)s/ already exists", org=org),
                _("choose another folder name, or edit the existing card"),
            )
        )
    name = name or org.replace("-", " ").title()
    folder.mkdir(parents=True)
    card = folder / "org.yaml"
    card.write_text(
        ORG_CARD.format(
            name=json.dumps(name, ensure_ascii=False),
            plain_name=name,
            kind=kind,
            country=country,
            lang=lang,
            maintainers=json.dumps(maintainer.lstrip("@")) if maintainer else "",
        ),
        encoding="utf-8",
    )
    topics_file = ROOT / "content/topics.yaml"
    try:  # the content model decides what a card may hold, here as everywhere
        load_org(folder, load_topics(topics_file) if topics_file.is_file() else None, ROOT)
    except ContentError as exc:
        shutil.rmtree(folder)
        refuse(*exc.problems)
    if (ROOT / "content/editors.yaml").is_file():
        write_codeowners(ROOT)
    print(f'Created {card.relative_to(ROOT)}. Next: invoke new-post {org} --title "…"')


@task(
    help={
        "org": "Folder name of the organization",
        "title": "Title of the text",
        "lang": "Language of the text (default: the org's first language)",
        "kind": "Type: news, analysis, statement, event, campaign, document, guide",
    }
)
def new_post(c, org, title, lang="", kind="news"):
    """Create orgs/ORG/<slug>.md, dated today, that builds as it is."""
    from content_model import ContentError, Problem, _, load_org, read_text

    folder = ROOT / "orgs" / org
    try:
        card = load_org(folder, display_root=ROOT)
    except ContentError as exc:
        refuse(*exc.problems)
    lang = lang or (card.languages or ["es"])[0]
    slug = slug_of(title)
    path = folder / f"{slug}.md"
    shown = f"orgs/{org}/{slug}.md"
    if not slug.strip("-") or not SLUG.match(slug):
        refuse(
            Problem(
                shown,
                1,
                _("the title `%(title)s` gives no usable file name", title=title),
                _("use a title with letters or digits"),
            )
        )
    if path.exists():
        refuse(
            Problem(shown, 1, _("%(path)s already exists", path=shown), _("choose another title"))
        )
    text = POST.format(
        title=json.dumps(title, ensure_ascii=False),
        date=dt.date.today().isoformat(),
        lang=lang,
        kind=kind,
        summary=f"{card.short_name}: {title}".replace("\n", " "),
        countries=", ".join(card.countries),
        body=FIRST_PARAGRAPH.get(lang.split("-")[0], FIRST_PARAGRAPH["es"]),
    )
    try:  # checked by the content model before anything is written
        read_text(text.encode("utf-8"), shown)
    except ContentError as exc:
        refuse(*exc.problems)
    path.write_text(text, encoding="utf-8")
    print(f"Created {path.relative_to(ROOT)}")


def report(problems, lang: str, summary) -> None:
    """Print problems for people (and as GitHub annotations in Actions); exit 1 if any."""
    from content_model import LANGUAGES

    if lang not in LANGUAGES:
        raise Exit(f"--lang must be one of: {', '.join(LANGUAGES)}", code=2)
    for problem in problems:
        print(problem.render(lang))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.annotation(lang))
    print(summary(len(problems)).render(lang))
    if problems:
        raise Exit(code=1)


@task(
    iterable=["path"],
    help={
        "path": "Only report problems in this file or folder (repeatable)",
        "lang": "Language of the messages: es (default), pt or en",
    },
)
def check(c, path=None, lang="es"):
    """Check every org card, text, image and link without building; list all problems."""
    from checks.ownership import codeowners_problems
    from checks.tree import check_tree
    from content_model import _

    problems = check_tree(ROOT, path or None)
    if not path and (ROOT / "content/editors.yaml").is_file():
        problems += codeowners_problems(ROOT)
    report(problems, lang, lambda n: _("%(count)s problem(s) found", count=n))


@task(
    help={
        "author": "Handle of the person who made the change",
        "base": "Git revision the change is compared to (e.g. origin/main)",
        "lang": "Language of the messages: es (default), pt or en",
    },
)
def check_ownership(c, author, base="origin/main", lang="es"):
    """Fail if a change touches files outside the org folders its author maintains."""
    from checks.ownership import ownership_problems
    from content_model import ContentError, _

    try:
        problems = ownership_problems(ROOT, author, base)
    except ContentError as exc:
        problems = exc.problems
    report(problems, lang, lambda n: _("%(count)s file(s) the author may not change", count=n))


@task
def codeowners(c):
    """Write .github/CODEOWNERS from content/editors.yaml and the org cards."""
    from checks.ownership import write_codeowners

    path = write_codeowners(ROOT)
    print(f"Wrote {path.relative_to(ROOT)}")


@task
def translations(c):
    """Extract the interface's strings and update each language's catalog (.po) with them."""
    from localization.catalogs import update_catalogs

    folder = ROOT / "theme" / "translations"
    for lang, (total, missing) in update_catalogs(ROOT, folder).items():
        status = f"{missing} to translate" if missing else "complete"
        print(f"{folder.relative_to(ROOT)}/{lang}: {total} strings, {status}")


@task
def stats(c):
    """Print the weight of the built site's pages and their load times on slow links."""
    from lean.pages import read_page
    from lean.stats import report

    if not (OUTPUT / "index.html").is_file():
        raise Exit("Build the site first: invoke build", code=1)
    pages = [read_page(OUTPUT, path) for path in sorted(OUTPUT.rglob("*.html"))]
    print(report(pages))
