"""Build guard: bad content stops the build, plainly, and never replaces the published site.

- The whole content tree is checked (`checks.tree`) before any page is written; any
  problem stops the build with every problem listed, in the contributors' language. Where
  the build has a second processor core, the check runs in a worker while Pelican reads
  the texts unchanged since the last build from its cache, and its report is taken before
  the first text is parsed (a new or changed one) or, at the latest, once the texts are
  read: a broken text stops the build with the check's report, as when the check ran
  first. With `SKIP_BROKEN` (which changes what is read) or one core, it still runs first.
- A file Pelican could not read, and any warning logged while building, also stop it:
  no text is ever silently left out.
- The site is written into a temporary folder next to the output folder and swapped in
  only when the build succeeded, so a failed build leaves the previous output untouched.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from content_model import DEFAULT_LANG, ContentError, org_of, wait_before_parsing
from lean import LeanOutputError
from offline import OfflineCopyError
from pelican import signals
from search import SearchBudgetError
from site_paths.parallel import Ahead, WorkerFailed, processes

from .tree import check_tree, note_kept_md5s

DEFAULTS = {
    # Language of the build's messages to contributors: es, pt or en.
    "CHECK_LANG": DEFAULT_LANG,
    # Check the whole content tree before building.
    "CHECK_TREE": True,
    # Stop the build when anything logs a warning (a broken link, an image without alt…).
    "FAIL_ON_WARNINGS": True,
    # Build without the organizations whose files have problems, instead of stopping
    # (`invoke build --skip-broken`); problems outside the org folders still stop the build.
    "SKIP_BROKEN": False,
    # Filled by the check: organizations left out of this build.
    "SKIPPED_ORGS": [],
}
PARTIAL_SUFFIX = ".partial"
PREVIOUS_SUFFIX = ".previous"  # the output replaced by a build, deleted in the background


class BuildStopped(Exception):
    """The site was not written because of problems in the content."""


class ShowContentErrorsPlainly(logging.Filter):
    """Drop the traceback from log records about content problems: they are for people."""

    def filter(self, record: logging.LogRecord) -> bool:
        # For people, or already explained in the log: no traceback.
        plain = (
            ContentError,
            BuildStopped,
            WorkerFailed,
            LeanOutputError,
            OfflineCopyError,
            SearchBudgetError,
        )
        if record.exc_info and isinstance(record.exc_info[1], plain):
            record.exc_info = None
            record.exc_text = None
        return True


class ExplainFailedFiles(logging.Filter):
    """Put the reason into Pelican's "Could not process <file>" error.

    Pelican logs that line from inside its `except` block but shows the exception only in
    debug mode; without the reason a contributor cannot fix the file. The exception being
    handled is still current when the record is filtered, so it is read from there.
    """

    lang = DEFAULT_LANG

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != "Could not process %s":
            return True
        exc = sys.exc_info()[1]
        if isinstance(exc, ContentError):
            record.msg, record.args = "%s", (exc.render(self.lang),)
        elif exc is not None:
            record.msg = "Could not process %s: %s"
            record.args = (*record.args, f"{exc.__class__.__name__}: {exc}")
        return True


class QuietOnTheCheckedTree(logging.Filter):
    """On the build's log handlers: while the whole-tree check runs beside the reading, a
    warning or an error waits for its result, and is left out when the check found problems:
    its report, which stops the build once the texts are read, says what reading a broken
    tree would (a file that could not be read, a missing image), with the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not logging.WARNING <= record.levelno < logging.CRITICAL:
            return True
        if _checking is not None:
            take_check()
        return not check_stops_the_build()


class WarningCounter(logging.Handler):
    """Remembers every warning and error logged during a build."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


COUNTER = WarningCounter()
EXPLAIN = ExplainFailedFiles()
QUIET = QuietOnTheCheckedTree()


def failed_sources(context: dict) -> list[str]:
    """Source paths a generator gave up on (Pelican records them with a None value)."""
    return sorted(
        path
        for key in ("generated_content", "static_content")
        for path, content in context.get(key, {}).items()
        if content is None
    )


# --- Signal handlers ----------------------------------------------------------------------


def prepare(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    for key in ("ARTICLE_EXCLUDES", "STATIC_EXCLUDES", "SKIPPED_ORGS"):
        pelican.settings[key] = list(pelican.settings[key])  # extended per build, never shared
    EXPLAIN.lang = pelican.settings["CHECK_LANG"]


class CheckFailed(WorkerFailed):
    """The worker checking the tree could not finish."""

    task = "checking {}"


# The whole-tree check of the build under way, running in a worker (with the build's
# settings); then what it found (its problems, or the worker's failure) until the build
# stops on it.
_checking: tuple[dict, Ahead] | None = None
_found: tuple[dict, list | WorkerFailed] | None = None


def check_before_reading(pelican):
    """Check the whole tree (or start checking it beside the reading), then build into a
    temporary folder.

    This runs as Pelican starts a build (`get_generators`), not when it is set up, so that
    `pelican --listen` keeps serving the real output folder.
    """
    global _checking
    settings = pelican.settings
    forget_check()  # a build of this process that stopped before taking its check
    if settings["CHECK_TREE"]:
        root = Path(settings["PATH"])
        published = (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"], *settings["STATIC_PATHS"])
        kept = Path(settings["CACHE_PATH"]) / "checks.pickle"

        def check() -> list:
            return check_tree(root, published=tuple(published), kept=kept)

        if settings["SKIP_BROKEN"] or processes(settings, 2) < 2:
            stop_on_problems(settings, check())
        else:
            note_kept_md5s(root, kept)  # the content cache's stamps, as the check would
            _checking = (settings, Ahead(settings, "the content", check, CheckFailed))
            wait_before_parsing(take_check)
            for handler in logging.getLogger().handlers:
                if QUIET not in handler.filters:
                    handler.addFilter(QUIET)
    final = Path(pelican.output_path)
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    pelican.minga_final_output = final
    pelican.output_path = str(partial)
    COUNTER.messages.clear()
    return None  # a get_generators receiver that adds no generator


def stop_on_problems(settings: dict, problems: list) -> None:
    """Stop the build on the check's problems (those of the orgs left out aside)."""
    if problems and settings["SKIP_BROKEN"]:
        problems = skip_broken_orgs(settings, problems)
    if problems:
        lang = settings["CHECK_LANG"]
        raise BuildStopped(
            f"{len(problems)} problem(s) in the content; nothing was written:\n"
            + "\n".join(p.render(lang) for p in problems)
        )


def take_check() -> None:
    """Wait for the check running beside the reading and keep what it found. Called before
    a text is parsed, inside Pelican's reading of one file, which would report anything
    raised here as that file's: the build stops once the texts are read (`wait_for_check`)."""
    global _checking, _found
    checking, _checking = _checking, None
    if checking is not None:
        settings, worker = checking
        try:
            _found = (settings, worker.result())
        except WorkerFailed as failed:
            _found = (settings, failed)


def wait_for_check(*_args) -> None:
    """Take the whole-tree check's result, once: its problems stop the build."""
    global _found
    take_check()
    found, _found = _found, None
    if found is not None:
        settings, problems = found
        if isinstance(problems, WorkerFailed):
            raise problems
        stop_on_problems(settings, problems)


def check_stops_the_build() -> bool:
    """Whether the check found what stops this build, not yet reported."""
    return _found is not None and bool(_found[1])


def forget_check() -> None:
    """End the check of a build that stopped before taking it."""
    global _checking, _found
    checking, _checking, _found = _checking, None, None
    if checking is not None:
        checking[1].cancel()


def skip_broken_orgs(settings: dict, problems: list) -> list:
    """Leave out the organizations whose files have problems; return the other problems.

    Each skipped org's folder is excluded from what Pelican reads, and the org and its
    problems are printed as the build's report of what was not published.
    """
    orgs_path = settings["ORGS_PATH"]
    by_org: dict[str, list] = {}
    others = []
    for problem in problems:
        org = org_of(problem.path, orgs_path)
        if org:
            by_org.setdefault(org, []).append(problem)
        else:
            others.append(problem)
    if others:
        return problems  # editors' files and shared files are never skipped
    lang = settings["CHECK_LANG"]
    for org, found in sorted(by_org.items()):
        folder = f"{orgs_path}/{org}"
        for key in ("ARTICLE_EXCLUDES", "STATIC_EXCLUDES"):
            if folder not in settings[key]:
                settings[key].append(folder)
        settings["SKIPPED_ORGS"].append(org)
        print(f"SKIPPED {folder}/ ({len(found)} problem(s)); not published in this build:")
        for problem in found:
            print("  " + problem.render(lang))
    return []


def stop_on_failed_sources(generators) -> None:
    if not generators:
        return
    failed = failed_sources(generators[0].context)
    if failed:
        raise BuildStopped(
            f"{len(failed)} file(s) could not be read, so nothing was written: "
            + ", ".join(failed)
            + ". The reason for each is in the errors above."
        )


def swap_in_output(pelican) -> None:
    """Replace the output folder with the finished build, unless something was logged."""
    partial = Path(pelican.output_path)
    final = getattr(pelican, "minga_final_output", None)
    if final is None:
        return
    if pelican.settings["FAIL_ON_WARNINGS"] and COUNTER.messages:
        shutil.rmtree(partial, ignore_errors=True)
        raise BuildStopped(
            f"{len(COUNTER.messages)} warning(s) while building, so the site was not "
            "replaced. Fix what the warnings above say and build again."
        )
    previous = final.with_name(final.name + PREVIOUS_SUFFIX)
    shutil.rmtree(previous, ignore_errors=True)  # left by a build that was stopped
    if final.exists():
        final.rename(previous)
    partial.rename(final)
    remove_in_background(previous)
    pelican.output_path = str(final)
    del pelican.minga_final_output


def remove_in_background(folder: Path) -> None:
    """Delete `folder` in a process of its own, so that the build returns without waiting
    for it: the previous output has a file per page (230,000 at 30,000 texts).
    If that process is stopped, the next build deletes what is left before its swap."""
    if not folder.exists():
        return
    subprocess.Popen(
        [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def register() -> None:
    # Pelican's entry point logs a fatal exception with its traceback on this logger.
    main_logger = logging.getLogger("pelican")
    if not any(isinstance(f, ShowContentErrorsPlainly) for f in main_logger.filters):
        main_logger.addFilter(ShowContentErrorsPlainly())
    generators_logger = logging.getLogger("pelican.generators")
    if EXPLAIN not in generators_logger.filters:
        generators_logger.addFilter(EXPLAIN)
    root = logging.getLogger()
    if COUNTER not in root.handlers:
        root.addHandler(COUNTER)
    signals.initialized.connect(prepare)
    signals.get_generators.connect(check_before_reading)
    # The texts are read: the check's report, before anything reads them further.
    signals.article_generator_pretaxonomy.connect(wait_for_check)
    signals.all_generators_finalized.connect(wait_for_check)
    signals.all_generators_finalized.connect(stop_on_failed_sources)
    signals.finalized.connect(swap_in_output)
