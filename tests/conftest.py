"""Fixtures: build the sample site and small fixture sites with real Pelican."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import forked_builds
import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Build:
    """The outcome of one Pelican run: exit code, log, and the output folder."""

    returncode: int
    log: str
    output: Path

    def page(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")


def run_pelican(
    source: Path,
    output: Path,
    settings: Path = ROOT / "pelicanconf.py",
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Build:
    """Build `source` with Minga's settings into `output`, as `invoke build` does.

    A fixture site keeps its caches beside its output (`<output>-cache`), so fixture builds
    never share (or drop) each other's, nor this repository's `cache/`; only the compiled
    templates, which are named by what they were compiled from, are kept for the whole test
    run (`shared_templates`). The build runs in a fork of a process that has imported
    Pelican and the plugins (`forked_builds`); with `env`, in a Python started for it."""
    if source != ROOT and "--cache-path" not in extra:
        cache = output.parent / f"{output.name}-cache"
        share_templates(cache)
        extra = ("--cache-path", str(cache), *extra)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if source == ROOT and worker and "--cache-path" not in extra:
        # The processes running the tests side by side each keep their own.
        extra = ("--cache-path", str(ROOT / "cache" / "tests" / worker), *extra)
    arguments = [str(source), "-s", str(settings), "-o", str(output), *one_extra_settings(extra)]
    if env is None:
        return Build(*forked_builds.pelican(arguments), output)
    result = subprocess.run(
        [sys.executable, "-m", "pelican", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **forked_builds.WIDTH, **env},
    )
    return Build(result.returncode, result.stdout + result.stderr, output)


# The folder where the fixture builds of the whole run keep their compiled templates.
_templates: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def shared_templates(tmp_path_factory) -> Path:
    """Compiled templates, kept for every fixture build of the run (of every test
    process): each is named by its template and checked against its source, in a folder
    named by what else it was compiled with, so a build only reads back what it would
    have compiled itself."""
    _templates[:] = [run_folder(tmp_path_factory) / "templates"]
    _templates[0].mkdir(exist_ok=True)
    return _templates[0]


def share_templates(cache: Path) -> None:
    if _templates and not (cache / "templates").exists():
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "templates").symlink_to(_templates[0], target_is_directory=True)


def run_folder(tmp_path_factory) -> Path:
    """The folder of this test run, shared by the processes running tests side by side."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def one_extra_settings(extra: tuple[str, ...]) -> tuple[str, ...]:
    """`extra` with every `-e KEY=VALUE` in one `-e`: Pelican keeps only the last `-e` it is
    given, so `-e A=1 -e B=2` would drop A."""
    pairs: list[str] = []
    rest: list[str] = []
    taking = False
    for part in extra:
        if part in ("-e", "--extra-settings"):
            taking = True
        elif taking and "=" in part and not part.startswith("-"):
            pairs.append(part)
        else:
            taking = False
            rest.append(part)
    return (*rest, "-e", *pairs) if pairs else tuple(rest)


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Write a fixture site: {relative path: text (dedented) or bytes}."""
    for relative, body in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return base


def org_card(name: str, kinds: str = "rural", countries: str = "CO") -> str:
    return (
        f"name: {name}\nkinds: [{kinds}]\ncountries: [{countries}]\nlanguages: [es]\n"
        f"description:\n  es: {name} es una organización de prueba.\n"
    )


def article(
    title: str,
    date: str = "2026-03-01",
    lang: str = "es",
    extra: str = "",
    body: str = "Texto del artículo.",
) -> str:
    return f"---\ntitle: {title}\ndate: {date}\nlang: {lang}\n{extra}---\n\n{body}\n"


SUMMARY = "summary"  # a test's user property: a line of the run's summary


def pytest_terminal_summary(terminalreporter):
    """Print the figures tests report (the XSS payload count), so every CI log shows them.
    They travel with each test's report, so the tests may run in any process."""
    for reports in terminalreporter.stats.values():
        for found in reports:
            if getattr(found, "when", None) == "call":
                for name, line in getattr(found, "user_properties", ()):
                    if name == SUMMARY:
                        terminalreporter.write_line(line)


@pytest.fixture
def report(request):
    """Append a line to the summary printed at the end of the test run."""
    return lambda line: request.node.user_properties.append((SUMMARY, line))


@pytest.fixture
def build_fixture(tmp_path):
    """Build a fixture site given as {path: content}; returns the Build."""

    def build(files: dict[str, str | bytes], extra: tuple[str, ...] = (), lang: str = "en"):
        """Messages in English (the message ids) unless `lang` says otherwise."""
        source = write_tree(tmp_path / "site", files)
        return run_pelican(
            source, tmp_path / "output", extra=("-e", f'CHECK_LANG="{lang}"', *extra)
        )

    return build


def built_once(tmp_path_factory, name: str, settings: Path) -> Build:
    """This repository's site built with `settings`, once for the whole test run.

    The processes running the tests side by side (`-n auto`) share it: the first to ask
    builds it while the others wait for it, so the machine pays for each build once, not
    once per process. Tests read it and never change it."""
    folder = run_folder(tmp_path_factory) / name
    with FileLock(f"{folder}.lock"):
        record = folder / "build.json"
        if record.is_file():
            kept = json.loads(record.read_text(encoding="utf-8"))
            build = Build(**{**kept, "output": Path(kept["output"])})
        else:
            build = run_pelican(ROOT, folder / "output", settings)
            record.write_text(json.dumps({**vars(build), "output": str(build.output)}), "utf-8")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Build:
    """The sample site of this repository."""
    return built_once(tmp_path_factory, "sample", ROOT / "pelicanconf.py")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Build:
    """The sample site built as `invoke publish` builds it (minified, precompressed, with
    its offline copies)."""
    return built_once(tmp_path_factory, "published", ROOT / "publishconf.py")


COPIED = [
    "pelicanconf.py",
    "publishconf.py",
    "tasks.py",
    "babel.cfg",
    "plugins",
    "theme",
    "content",
    "orgs",
    ".github",
    "CONTRIBUTING.md",  # generated from content/guides/; `invoke check` compares them
]


@pytest.fixture
def project(tmp_path):
    """A copy of the project's own files, so tasks can write into it."""
    copy = tmp_path / "minga"
    copy.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    return copy


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@minga.example",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@minga.example",
}


def invoke(project, *args, **env):
    """Run `invoke` in a project folder, with extra environment variables, as a script does:
    with no terminal to ask questions on."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300", **GIT_IDENTITY, **env},
    )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A test server that prints no traceback when the browser drops a connection (a request
    the next navigation cancelled): the browser may, and the test goes on."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serving(folder: Path, handler=QuietHandler):
    """`folder` served on 127.0.0.1 while the block runs; yields its address."""
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (its own browser download is never used)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("Debian's chromium is required for the browser tests (apt install chromium)")
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # Some tests open hundreds of pages one after another (the XSS test, 300):
                # keeping each one in the back/forward cache costs them a third of their
                # time, and a new frame for each page (RenderDocument, on for every
                # navigation since Chromium 142) a quarter of Chromium's work. Neither
                # changes what a page loads or shows.
                "--disable-features=BackForwardCache,RenderDocument",
            ],
        )
        yield launched
        launched.close()
