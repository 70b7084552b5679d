"""Pelican runs for the tests, each in a new process forked from one that has already
imported Pelican and Minga's plugins.

`python -m pelican` spends about 0.7 s of a small fixture site's 1.7-second build importing
Pelican, Jinja, Markdown, Babel, Pillow, pydantic and the plugins, and the suite builds
fixture sites over a hundred times. A fork server (multiprocessing's `forkserver`) imports
them once per test process, and each build is a fresh fork of it: no build sees what
another did, as with separate `python -m pelican` runs. A build that must start its own
interpreter (its environment read at start-up: `PYTHONPATH`, `PYTHONHASHSEED`) still runs
one (`tests/conftest.py`, `run_pelican`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a run of `python -m pelican` imports before it reads a site: Pelican and every plugin
# (`pyproject.toml` puts `plugins/` on the tests' path, as `pelicanconf.py` does for a build).
PRELOADED = [
    "pelican",
    "pelican.generators",
    "pelican.plugins._utils",
    *sorted(path.parent.name for path in (ROOT / "plugins").glob("*/__init__.py")),
]
# Messages are never cut into lines: Pelican's console reads its width as it is made.
WIDTH = {"COLUMNS": "300"}

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(PRELOADED)


@contextmanager
def _environment(values: dict[str, str]):
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _start_server() -> None:
    """The fork server, started once per test process. It finds the plugins on its
    `PYTHONPATH` (Python 3.11's fork server does not take the tests' `sys.path`); each build
    is given the tests' own environment back."""
    from multiprocessing import forkserver

    path = os.pathsep.join(filter(None, [str(ROOT / "plugins"), os.environ.get("PYTHONPATH")]))
    with _environment({**WIDTH, "PYTHONPATH": path}):
        forkserver.ensure_running()


def _pelican(arguments: list[str], environment: dict[str, str], log: str) -> None:
    """In the forked process: `python -m pelican ARGUMENTS` from the repository, in
    `environment`, its output and errors into `log`."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(ROOT)
    descriptor = os.open(log, os.O_WRONLY | os.O_TRUNC)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    os.close(descriptor)
    sys.argv = [str(Path(sys.executable).parent / "pelican"), *arguments]
    from pelican import main

    main(arguments)


def pelican(arguments: list[str]) -> tuple[int, str]:
    """Run Pelican with `arguments` in a fresh fork: (exit code, what it printed)."""
    _start_server()
    descriptor, log = tempfile.mkstemp(prefix="pelican-", suffix=".log")
    os.close(descriptor)
    try:
        environment = {**os.environ, **WIDTH}
        process = _context.Process(target=_pelican, args=(arguments, environment, log))
        process.start()
        process.join()
        return process.exitcode, Path(log).read_text(encoding="utf-8")
    finally:
        os.unlink(log)
