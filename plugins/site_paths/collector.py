"""Keep Python's cycle collector off the texts read, which live until the build ends.

Python frees most objects by reference counting; its cycle collector also walks, now and
then, every object it tracks, and a whole pass walks them all. A build of 30,000 texts holds
millions of objects that live until it ends (the texts, their metadata, the listings made
of them), and with the collector's default thresholds a build spent a third of its time
walking them: about 20 of a 60-second rebuild (the worker processes' passes included).

So, during a build:

- as it starts (`get_generators`), what exists is frozen (moved out of the collector's
  sight: Pelican, its settings, the plugins) and a pass waits for many more new objects
  (`THRESHOLDS`);
- while Pelican makes the texts it read (or took from its cache) into its objects, after
  the texts not in the cache were read side by side (`front_matter.read_ahead`), the
  collector pauses: nearly everything made then lives until the end (and the Markdown
  reader is one object, reset for each file, not a new cycle per text);
- once the texts are read and once every generator's context is made, what exists is
  frozen again: worker processes forked after that neither walk it nor copy it on write;
- at its very end (`finalized`, after every other plugin's work then: weighing the pages,
  the service worker's version…), or as the next build of the same process starts (a build
  that failed has no end), everything is unfrozen and the thresholds are Python's again.

Frozen objects are still freed when nothing refers to them; only a reference cycle among
them waits for the end of the build.

As the process ends, everything is frozen (`at_exit`): a finished build's texts are garbage
in reference cycles (each text refers to the context that lists it), and Python's last
passes before it exits walked them all to free memory the ending process gives back anyway
(3.5 s after a build of 30,000 texts).
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from pelican import signals

# A pass of the youngest generation every 20,000 new objects (Python's: 700), the older ones
# less often: each pass is cheap, and it is the whole passes that walk everything.
THRESHOLDS = (20_000, 20, 50)

_outside: tuple[int, int, int] | None = None  # the thresholds before the build, in a build


def building() -> bool:
    """Whether a build is under way in this process (objects frozen until its end)."""
    return _outside is not None


def start(*_args) -> None:
    global _outside
    end()  # the leftovers of a build that failed
    # Connected now, after every plugin connected its own work at the build's end: `end`
    # comes last (blinker calls receivers in the order they were first connected).
    signals.finalized.connect(end)
    _outside = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for a while, in or out of a build: for making millions of objects
    in no cycle at once (a search index, a worker's report unpickled), which it would only
    walk again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pause(*_args) -> None:
    if building():
        gc.disable()


def freeze(*_args) -> None:
    if building():
        gc.enable()
        gc.freeze()


def end(*_args) -> None:
    global _outside
    if _outside is not None:
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*_outside)
        _outside = None


def at_exit() -> None:
    """As the process ends: Python's last passes skip everything (see above)."""
    gc.freeze()


def register() -> None:
    """Called by `site_paths`, a plugin listed after `front_matter`: `pause` hears of the
    reading after `read_ahead` has forked its workers and waited for them."""
    signals.get_generators.connect(start)
    signals.article_generator_preread.connect(pause)
    signals.article_generator_finalized.connect(freeze)
    signals.all_generators_finalized.connect(freeze)
    atexit.unregister(at_exit)  # once, however many times the plugins are registered
    atexit.register(at_exit)
