"""Build guard: a file that could not be read stops the build before anything is written.

Pelican's default is to log an error and leave the file out of the site. For Minga a
volunteer's text silently missing is worse than a failed build, so once every generator
has read its files, any file that failed makes the build stop with a list of them.
"""

from __future__ import annotations

from pelican import signals


class BuildStopped(Exception):
    """The site was not written because some content could not be read."""


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
            + ", ".join(failed) + ". The reason for each is in the errors above."
        )


def register() -> None:
    signals.all_generators_finalized.connect(stop_on_failed_sources)
