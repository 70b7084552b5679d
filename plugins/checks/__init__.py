"""Build guard: content that cannot be read stops the build, plainly, before anything is written.

Pelican's default is to log an error and leave the file out of the site. For Minga a
volunteer's text silently missing is worse than a failed build, so once every generator
has read its files, any file that failed makes the build stop with a list of them.
"""

from __future__ import annotations

import logging
import sys

from content_model import ContentError
from pelican import signals


class BuildStopped(Exception):
    """The site was not written because some content could not be read."""


class ShowContentErrorsPlainly(logging.Filter):
    """Drop the traceback from log records about content problems: they are for people."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], (ContentError, BuildStopped)):
            record.exc_info = None
            record.exc_text = None
        return True


class ExplainFailedFiles(logging.Filter):
    """Put the reason into Pelican's "Could not process <file>" error.

    Pelican logs that line from inside its `except` block but shows the exception only in
    debug mode; without the reason a contributor cannot fix the file. The exception being
    handled is still current when the record is filtered, so it is read from there.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != "Could not process %s":
            return True
        exc = sys.exc_info()[1]
        if isinstance(exc, ContentError):
            record.msg, record.args = "%s", (str(exc),)
        elif exc is not None:
            record.msg = "Could not process %s: %s"
            record.args = (*record.args, f"{exc.__class__.__name__}: {exc}")
        return True


def failed_sources(context: dict) -> list[str]:
    """Source paths a generator gave up on (Pelican records them with a None value)."""
    return sorted(
        path
        for key in ("generated_content", "static_content")
        for path, content in context.get(key, {}).items()
        if content is None
    )


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


def register() -> None:
    # Pelican's entry point logs a fatal exception with its traceback on this logger.
    main_logger = logging.getLogger("pelican")
    if not any(isinstance(f, ShowContentErrorsPlainly) for f in main_logger.filters):
        main_logger.addFilter(ShowContentErrorsPlainly())
    generators_logger = logging.getLogger("pelican.generators")
    if not any(isinstance(f, ExplainFailedFiles) for f in generators_logger.filters):
        generators_logger.addFilter(ExplainFailedFiles())
    signals.all_generators_finalized.connect(stop_on_failed_sources)
