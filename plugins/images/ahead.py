"""Make the content images' files in the background while the build checks and reads texts.

A build from an empty image cache spends minutes making images, and its first phases (the
whole-tree check, then Pelican's context) are work of one process. Each image is
independent and is kept in the cache by its bytes and profile (`pipeline`), so a second
process can make them meanwhile: `start` forks it as the build starts, and it makes, one
after the other, every image of the static folders that the cache does not hold. It stops
when the build needs the images (`finish`: what is left is then made by every core, as
before) or when the build is gone. What it makes is only ever read through the cache: the
build's own pass over the images (`prepare_all`) is the one that reports a bad image.
"""

from __future__ import annotations

import contextlib
import os
import select
from collections.abc import Callable
from pathlib import Path

import yaml

from .pipeline import EntryNames, Job, Profile, prepare

# The background maker of this process's build: (its process id, the pipe that stops it,
# the pipe it says through how many images it made).
_worker: tuple[int, int, int] | None = None


def logos_named(root: Path, orgs: str) -> set[Path]:
    """The logos the org cards name (a card that cannot be read is the check's to report)."""
    found = set()
    for card in sorted((root / orgs).glob("*/org.yaml")):
        try:
            logo = (yaml.safe_load(card.read_text(encoding="utf-8")) or {}).get("logo")
        except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
            continue
        if isinstance(logo, str):
            found.add(card.parent / logo)
    return found


def images_of(settings: dict, photo: Profile, logo: Profile, formats) -> list[Job]:
    """Every image of the static folders with its profile, by path; never a link, nor a file
    in a linked folder (`os.walk` does not enter them)."""
    root = Path(settings["PATH"])
    logos = logos_named(root, settings.get("ORGS_PATH", "orgs"))
    jobs = []
    for static in settings.get("STATIC_PATHS", []):
        for folder, dirs, files in os.walk(root / static):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):  # hidden files are not published (IGNORE_FILES)
                    continue
                path = Path(folder, name)
                if path.suffix.lower() in formats and not path.is_symlink():
                    jobs.append((path, logo if path in logos else photo))
    return jobs


def start(find: Callable[[], tuple[list[Job], EntryNames | None]], cache: Path) -> None:
    """Fork the process that makes the images `find()` lists into `cache` until told to
    stop. `find` runs in that process, so that the build goes on meanwhile (at 30,000 texts,
    listing the static folders and reading the org cards and the kept entry names is over a
    second); it returns the jobs and the entries of the images an earlier build read, found
    without reading them (`EntryNames`), or None."""
    global _worker
    finish()  # a build of this process that failed before needing its images
    readable, writable = os.pipe()
    told, telling = os.pipe()
    pid = os.fork()
    if pid:
        os.close(readable)
        os.close(telling)
        _worker = (pid, writable, told)
        return
    os.close(writable)
    os.close(told)
    made = 0
    try:
        jobs, names = find()
        for source, profile in jobs:
            # A byte to read, or the end of the pipe (the build is gone): stop.
            if select.select([readable], [], [], 0)[0]:
                break
            try:
                made += not prepare(source, profile, cache, names)[2]
            except Exception:  # noqa: BLE001, S112 - the build's own pass reports it
                continue
        os.write(telling, str(made).encode())
    finally:
        os._exit(0)


def finish() -> int:
    """Stop the background maker (after the image it is making), wait for it, and return
    how many images it made."""
    global _worker
    if _worker is None:
        return 0
    pid, writable, told = _worker
    _worker = None
    with contextlib.suppress(OSError):
        os.write(writable, b"x")
    os.close(writable)
    with os.fdopen(told, "rb") as answer:
        said = answer.read()
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    return int(said) if said.isdigit() else 0
