"""Editors' and contributors' tasks: `invoke --list` shows them."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from content_model import ARTICLE_TYPES, KINDS  # noqa: E402

OUTPUT = ROOT / "output"
CACHE = ROOT / "cache"
# What `invoke publish` built last: a publication takes the pages that did not change from it
# (`incremental`), and the publishing workflow keeps it with the rest of the cache.
PUBLISHED = CACHE / "published"
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


class SourceWatcher:
    """Collects the changes to what a build reads (the settings, the theme, the content)
    from the moment it is started, so a file saved while a build runs, or between two
    builds, sets off the next build.

    Pelican's own `wait_for_changes` watches the whole content folder, which here is the
    project's: the output, its `.partial` and `.previous` siblings and the cache, which a
    build writes and deletes (the previous output in the background, after the build), so
    a build could set off the next one. Those are left out."""

    def __init__(self, settings_path: str, settings: dict):
        import queue
        import threading

        self.paths, self.ignored, self.written = watched_paths(settings_path, settings)
        self.changes: queue.Queue = queue.Queue()
        self.stop_event = threading.Event()
        ready = threading.Event()
        self.thread = threading.Thread(target=self.collect, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait()

    def collect(self, ready) -> None:
        import watchfiles
        from pelican.utils import FileChangeFilter

        written = self.written
        # The build's own log, when it is sent into a file of the project.
        logs = {(os.fstat(fd).st_dev, os.fstat(fd).st_ino) for fd in (1, 2)}

        class SourcesOnly(FileChangeFilter):
            def __call__(self, change, path: str) -> bool:
                inside = any(path == top or path.startswith(top + os.sep) for top in written)
                return not inside and not is_log(path) and super().__call__(change, path)

        def is_log(path: str) -> bool:
            try:
                found = os.stat(path)
            except OSError:
                return False
            return (found.st_dev, found.st_ino) in logs

        # An empty set comes when `rust_timeout` passes with no change: the first one says
        # the watch is in place.
        for changes in watchfiles.watch(
            *self.paths,
            watch_filter=SourcesOnly(ignore_file_patterns=self.ignored),
            stop_event=self.stop_event,
            rust_timeout=100,
            yield_on_timeout=True,
        ):
            ready.set()
            if changes:
                self.changes.put(changes)
        ready.set()

    def watches(self, settings_path: str, settings: dict) -> bool:
        return (self.paths, self.ignored, self.written) == watched_paths(settings_path, settings)

    def forget(self) -> None:
        """Drop the changes collected so far: the build about to start reads them."""
        while not self.changes.empty():
            self.changes.get_nowait()

    def wait(self) -> set:
        """The next changes, waiting for them if none came since `forget`."""
        import queue

        while True:
            try:
                changes = self.changes.get(timeout=1)
                break
            except queue.Empty:
                if not self.thread.is_alive():
                    raise Exit(
                        "Stopped watching for changes: see the error above.", code=1
                    ) from None
        while not self.changes.empty():
            changes |= self.changes.get_nowait()
        return changes

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=5)


def watched_paths(settings_path: str, settings: dict) -> tuple:
    from checks import PARTIAL_SUFFIX, PREVIOUS_SUFFIX

    output = os.path.abspath(settings["OUTPUT_PATH"])
    written = (
        output,
        output + PARTIAL_SUFFIX,
        output + PREVIOUS_SUFFIX,
        os.path.abspath(settings["CACHE_PATH"]),
    )
    content = settings.get("PATH", "")
    watched = [settings_path, settings.get("THEME", ""), content]
    watched += [os.path.join(content, path) for path in settings.get("STATIC_PATHS", [])]
    existing = tuple(sorted({os.path.abspath(p) for p in watched if p and os.path.exists(p)}))
    return existing, tuple(settings.get("IGNORE_FILES", [])), written


def watch(settings_file: str = "pelicanconf.py", port: int | None = None) -> None:
    """Build, then rebuild on every change, optionally serving output/ meanwhile.

    Pelican's own `--autoreload` retries a failed build at once, again and again, until
    the file is fixed; this loop waits for the next change instead. Changes are watched
    from before each build starts: one saved while a build runs sets off the next.
    """
    import logging
    import subprocess

    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

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
    watcher = None
    try:
        while True:
            try:
                settings = read_settings(settings_path, override={"OUTPUT_PATH": str(OUTPUT)})
            except Exception as exc:  # noqa: BLE001 - a settings file being edited
                logger.critical("%s: %s", os.path.relpath(settings_path, ROOT), exc)
                if watcher is None:
                    raise Exit(code=1) from exc
            else:
                if watcher is None or not watcher.watches(settings_path, settings):
                    if watcher:
                        watcher.stop()
                    watcher = SourceWatcher(settings_path, settings)
                watcher.forget()
                try:
                    Pelican(settings).run()
                except Exception as exc:  # noqa: BLE001 - the loop must outlive a failed build
                    people_facing = type(exc).__name__ in ("ContentError", "BuildStopped")
                    logger.critical("%s", exc, exc_info=not people_facing)
            changed = sorted({path for _, path in watcher.wait()})
            print("Changed: " + ", ".join(os.path.relpath(p, ROOT) for p in changed))
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        if watcher:
            watcher.stop()
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


@task
def preview(c):
    """Build output/ exactly as it would be published, without publishing it.

    publishconf.py: minified, without drafts, with the offline copies. Pages that did not
    change since the last publication are taken from it (cache/published/) when output/ has
    none of its own, as in a pull request's check, whose output/ starts empty."""
    reuse = shlex.quote(f"REUSE_FROM={json.dumps(str(PUBLISHED))}")
    pelican(c, settings="publishconf.py", extra=f"-e {reuse}")


@task(
    help={
        "remote": "Remote the gh-pages branch is pushed to (default origin)",
        "branch": "Branch the site is published on (default gh-pages)",
        "push": "Push the branch (default); --no-push only commits it locally",
        "lang": "Language of the messages: es (default), pt or en",
    }
)
def publish(c, remote="origin", branch="gh-pages", push=True, lang="es"):
    """Check, build and publish the site on gh-pages, all or nothing.

    Refuses uncommitted or unpushed work; builds with publishconf.py into cache/published/,
    which keeps the last publication so that the next one takes its unchanged pages."""
    from content_model import _
    from publishing import (
        build_failed,
        commit_of,
        fetch_published,
        figures,
        import_site,
        publish_failed,
        uncommitted_problems,
        unpushed_problems,
    )

    problems = uncommitted_problems(ROOT)
    if push and not problems:
        problems = unpushed_problems(ROOT, remote)
    if problems:
        refuse(*problems, lang=lang)
    try:
        check(c, lang=lang)  # lists every problem
    except Exit:
        print(_("Nothing was published.").render(lang))
        raise
    sha, subject = commit_of(ROOT)
    # The build replaces the folder only when it succeeded (`checks`): a failed one leaves
    # the last publication there for the next to take its pages from.
    with c.cd(str(ROOT)):
        built = c.run(f'{PELICAN} -s publishconf.py -o "{PUBLISHED}"', warn=True)
    if built.failed:
        refuse(build_failed(), lang=lang)
    if push:
        fetch_published(ROOT, remote, branch)
    result = import_site(
        ROOT, PUBLISHED, branch, f"Publicar {sha[:12]}: {subject}", remote if push else None
    )
    if result.returncode != 0:
        error = (result.stderr or result.stdout).strip().splitlines()
        refuse(publish_failed(error[-1] if error else str(result.returncode)), lang=lang)
    site_figures = figures(PUBLISHED)
    said = _(
        "Published commit %(commit)s (%(subject)s) on %(where)s: %(figures)s",
        commit=sha[:12],
        subject=subject,
        where=f"{remote}/{branch}" if push else branch,
        figures=site_figures.render(lang),
    )
    print(said.render(lang))


@task(
    help={
        "against": "Git revision of the published site (e.g. origin/gh-pages); without it "
        "every page counts as new",
        "lang": "Language of the summary: es (default), pt or en",
    }
)
def changes(c, against="", lang="es"):
    """List the pages of output/ that are new, changed or removed, with their weights.

    Compared with the published site; Markdown, also added to a GitHub Actions run's summary."""
    from content_model import ContentError
    from pelican.settings import read_settings
    from publishing.changes import page_changes, published_pages, summary

    if not (OUTPUT / "index.html").is_file():
        raise Exit("Build the site first: invoke preview", code=1)
    try:
        published = published_pages(ROOT, against) if against else {}
    except ContentError as exc:
        refuse(*exc.problems, lang=lang)
    settings = read_settings(str(ROOT / "publishconf.py"))
    text = summary(page_changes(OUTPUT, published, settings), against or None, lang)
    print(text)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def refuse(*problems, lang: str = "es") -> None:
    """Stop a task with problems said for people (in Spanish by default), never a traceback."""
    raise Exit("\n".join(p.render(lang) for p in problems), code=1)


@task(
    help={
        "org": "Folder name of the organization, e.g. radio-la-vertiente",
        "name": "Full name of the organization",
        "kinds": "Kinds, separated by commas: " + ", ".join(KINDS),
        "countries": "ISO 3166 country codes, separated by commas, e.g. CO,PE",
        "languages": "Languages it publishes in (BCP 47), the main one first, e.g. es,qu",
        "maintainer": "Git host handles of who looks after this space, you first, separated by "
        "commas",
        "kind": "Same as --kinds",
        "country": "Same as --countries",
        "lang": "Same as --languages",
    }
)
def new_org(
    c,
    org,
    name="",
    kinds="",
    countries="",
    languages="",
    maintainer="",
    kind="",
    country="",
    lang="",
):
    """Create orgs/ORG/org.yaml, each field explained, that builds as it is (and CODEOWNERS).

    At a terminal, asks for what it is not given; elsewhere, uses defaults.
    """
    from checks.ownership import write_codeowners
    from content_model import ContentError, _, scaffold

    given = {
        "name": name,
        "kinds": kinds or kind,
        "countries": countries or country,
        "languages": languages or lang,
        "maintainers": maintainer,
    }
    try:
        files = scaffold.new_org(ROOT, org, given, scaffold.Questions.at_terminal())
    except ContentError as exc:
        refuse(*exc.problems)
    (card,) = scaffold.write(files)
    if (ROOT / "content/editors.yaml").is_file():
        write_codeowners(ROOT)
    print(
        _(
            "Created %(path)s. Next, a first text: %(command)s",
            path=card.relative_to(ROOT).as_posix(),
            command=f'invoke new-post --org {org} --type news --title "…"',
        )
    )


@task(
    help={
        "org": "Folder name of the organization (may also come first, without --org)",
        "title": "Title of the text (asked for at a terminal; else a placeholder to change)",
        "lang": "Language of the text (default: the org's first language)",
        "type": "Type of text: " + ", ".join(ARTICLE_TYPES) + " (default news)",
        "kind": "Same as --type",
    }
)
def new_post(c, org, title="", lang="", type_="", kind=""):
    """Create orgs/ORG/<slug>.md, dated today, each field explained, that builds as it is."""
    from content_model import ContentError, _, scaffold

    try:
        files = scaffold.new_text(
            ROOT, org, title, lang, type_ or kind or "news", scaffold.Questions.at_terminal()
        )
    except ContentError as exc:
        refuse(*exc.problems)
    for path in scaffold.write(files):
        print(_("Created %(path)s.", path=path.relative_to(ROOT).as_posix()))


@task(
    help={
        "path": "The text to translate, e.g. orgs/tierra-viva/comunicado.md",
        "lang": "Language of the translation (BCP 47), e.g. pt",
        "title": "Title of the translation, which names its file (default: <text>-<lang>.md)",
    }
)
def translate(c, path, lang, title=""):
    """Create a draft translation of the text at PATH beside it, linked by translation_key."""
    from content_model import ContentError, _, scaffold

    source = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        files = scaffold.translation(ROOT, source, lang, title, given=path)
    except ContentError as exc:
        refuse(*exc.problems)
    for written in scaffold.write(files):
        shown = written.relative_to(ROOT).as_posix()
        if written == source.absolute():
            print(
                _(
                    "%(path)s now has a translation_key, which links it to its translations.",
                    path=shown,
                )
            )
        else:
            print(
                _(
                    "Created %(path)s, a draft: translate it, then remove its line `draft: true` "
                    "to publish it.",
                    path=shown,
                )
            )


def report_problems(problems, lang: str, summary, explanation=None) -> None:
    """Print problems for people; in GitHub Actions also as annotations on the lines and as a
    table on the run's summary page. Exit 1 if there are any."""
    from content_model import LANGUAGES

    if lang not in LANGUAGES:
        raise Exit(f"--lang must be one of: {', '.join(LANGUAGES)}", code=2)
    for problem in problems:
        print(problem.render(lang))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.annotation(lang))
    said = summary(len(problems)).render(lang)
    print(said)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        write_step_summary(problems, lang, said, explanation)
    if problems:
        raise Exit(code=1)


def write_step_summary(problems, lang: str, said: str, explanation=None) -> None:
    """Append the problems as a Markdown table to the summary page of a GitHub Actions run."""
    from content_model import _

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"### {'❌' if problems else '✅'} {said}", ""]
    if explanation is not None:
        lines += [explanation.render(lang), ""]
    if problems:
        header = (_("File"), _("Line"), _("Problem"), _("How to fix it"))
        lines.append("| " + " | ".join(h.render(lang) for h in header) + " |")
        lines.append("|---|---:|---|---|")
        for p in problems:
            lines.append(
                f"| `{cell(p.path)}` | {p.line} | {cell(p.message.render(lang))} "
                f"| {cell(p.fix.render(lang))} |"
            )
    with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n")


@task(
    iterable=["path"],
    help={
        "path": "Only report problems in this file or folder (repeatable)",
        "lang": "Language of the messages: es (default), pt or en",
    },
)
def check(c, path=None, lang="es"):
    """Check every org card, text, image and link without building; list all problems."""
    from checks.guides import contributing_problems
    from checks.ownership import codeowners_problems
    from checks.tree import check_tree
    from content_model import _

    problems = check_tree(ROOT, path or None, kept=CACHE / "checks.pickle")
    if not path and (ROOT / "content/editors.yaml").is_file():
        problems += codeowners_problems(ROOT)
    if not path:
        problems += contributing_problems(ROOT)
    report_problems(problems, lang, lambda n: _("%(count)s problem(s) found", count=n))


@task(
    help={
        "author": "Handle of the person who made the change",
        "base": "Git revision the change is compared to (e.g. origin/main)",
        "head": "Git revision of the change (default HEAD); it is only read, never checked "
        "out, so a pull request's files can be checked without running its code",
        "lang": "Language of the messages: es (default), pt or en",
    },
)
def check_ownership(c, author, base="origin/main", head="HEAD", lang="es"):
    """Fail if a change touches files outside the org folders its author maintains."""
    from checks.ownership import ownership_problems
    from content_model import ContentError, _

    try:
        problems = ownership_problems(ROOT, author, base, head)
    except ContentError as exc:
        problems = exc.problems
    explanation = _(
        "Each organization changes only its own folder, `orgs/<org>/`, and only the people "
        "its card `org.yaml` lists in `maintainers` (as the card is on the main branch) may "
        "change it; `content/`, `theme/`, `plugins/`, the workflows and the other shared files "
        "are the editors'. A file named below needs an editor, or its organization's people."
    )
    report_problems(
        problems,
        lang,
        lambda n: _("%(count)s file(s) the author may not change", count=n),
        explanation,
    )


@task
def codeowners(c):
    """Write .github/CODEOWNERS from content/editors.yaml and the org cards."""
    from checks.ownership import write_codeowners

    path = write_codeowners(ROOT)
    print(f"Wrote {path.relative_to(ROOT)}")


@task
def contributing(c):
    """Write CONTRIBUTING.md from the contributors' guides in content/guides/."""
    from checks.guides import write_contributing
    from content_model import ContentError

    try:
        path = write_contributing(ROOT)
    except ContentError as exc:
        refuse(*exc.problems)
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


@task(
    help={
        "since": "Count only the texts from this day on (YYYY-MM-DD)",
        "org": "Count only the texts of this organization (its folder's name)",
        "top": "Rows shown per table (default 15; the CSV files have them all)",
    }
)
def report(c, since="", org="", top=15):
    """Print the observatory's figures (publications per month, organization, country, kind,
    topic and language) from the built site's open data."""
    import datetime as dt

    from observatory.report import NoData, counted, text

    try:
        day = dt.date.fromisoformat(since) if since else None
    except ValueError:
        raise Exit(f"--since must be a day written YYYY-MM-DD, not {since!r}", code=2) from None
    try:
        found, names = counted(OUTPUT / "observatory" / "data", day, org)
    except NoData as missing:
        raise Exit(f"{missing}. Build the site first: invoke build", code=1) from None
    print(text(found, names, int(top), day, org))


@task(
    help={
        "out": "Folder to write the tree into (new or empty)",
        "orgs": "Organizations (default 200)",
        "articles": "Texts in the organizations' folders (default 30000)",
        "langs": "Languages of the texts, among es,pt,en,fr (default all four)",
        "images": "Photos, some heavier than the 60 KB budget (default 2000)",
        "seed": "The same arguments and seed write the same bytes (default 8)",
    }
)
def corpus(c, out, orgs=200, articles=30000, langs="es,pt,en,fr", images=2000, seed=8):
    """Write a generated archive (orgs, texts, translations, events, images) to build.

    It passes `invoke check`; benchmarks/build.py measures builds of such trees."""
    from benchmarks.tree import generate

    try:
        summary = generate(Path(out), orgs, articles, langs.split(","), images, seed)
    except (ValueError, FileExistsError) as exc:
        raise Exit(str(exc), code=2) from None
    print("\n".join(summary.lines()))
