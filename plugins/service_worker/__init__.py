"""Offline reading on the web: a service worker, a "save for offline" control, the saved pages
and the offline fallback.

Progressive: the site works the same without it (no JavaScript, an old browser, a copy opened
from disk, the offline bundles, which leave out `sw.js`, `theme/js/offline.js` and `offline/`).

- `sw.js`, at the root of the output (so its scope is the whole site), is written once every
  page is written, minified and weighed (after `lean`, before `precompress`): the worker's
  source (`worker.js`, beside this file) after a line of settings: the cache version, the
  files to precache, the fallback page of each edition and the bounds of its caches. The
  version is a short SHA-256 of the output's bytes, so two builds of the same tree give the
  same `sw.js` and any change of the site gives a new one, which browsers install; the new
  worker then deletes the caches of older versions (but not the pages a reader saved).
  The offline copies and the "Read offline" page listing them are written later (`offline`)
  and are not in the digest: the worker never precaches them and asks the network first for
  any page, so a new copy alone needs no new worker.
- The worker precaches what the home page loads (stylesheet, icon, the page script), each
  edition's home page, saved pages and fallback; it keeps the pages read
  (`SERVICE_WORKER_PAGES`, the oldest read first out) and their images
  (`SERVICE_WORKER_IMAGES`) and, offline, shows a page it has, else the fallback page of
  the address's edition; a page it has is also shown when the network takes longer than
  `SERVICE_WORKER_WAIT` seconds.
- `theme/static/js/offline.js` registers the worker, shows a text's hidden "save for
  offline" button and lists the saved and recently read pages on the saved pages' page.
- Two pages per edition, each with its template: the saved pages (`SERVICE_WORKER_SAVED_URL`,
  `offline_saved.html`) and the fallback (`SERVICE_WORKER_FALLBACK_URL`,
  `offline_unavailable.html`).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from lean.pages import scan
from pelican import signals
from pelican.generators import Generator
from site_paths import edition_url, editions, write_editions, write_page, written
from site_paths.kept import keep, read_kept

DEFAULTS = {
    # The page listing what a reader saved and read recently, in each edition.
    "SERVICE_WORKER_SAVED_URL": "offline/saved.html",
    # What the worker shows, offline, for a page this device does not have.
    "SERVICE_WORKER_FALLBACK_URL": "offline/unavailable.html",
    # How many pages read the worker keeps; the page read longest ago goes first.
    "SERVICE_WORKER_PAGES": 50,
    # How many images of the pages read it keeps, the same way.
    "SERVICE_WORKER_IMAGES": 100,
    # Seconds a page may take to arrive before the copy on this device is shown instead (a
    # hanging 2G link); the page keeps arriving and replaces the copy for the next visit.
    "SERVICE_WORKER_WAIT": 4,
}
WORKER = "sw.js"
SOURCE = Path(__file__).with_name("worker.js")
# Copies of other files (from `precompress`), which say nothing the files do not.
COPIES = (".gz", ".br")


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def theme_files(html: str, page: str, site_url: str = "") -> list[str]:
    """The site's own stylesheets, icons and scripts the page at `page` (an address from the
    root, e.g. `index.html`) loads, as addresses from the root."""
    found = []
    # What the page makes the browser fetch, as the weighing reads it, but its images.
    loads = [address for what, address in scan(html).loads if what in ("<link>", "<script>")]
    for address in loads:
        if site_url and address.startswith(site_url.rstrip("/") + "/"):
            address = address[len(site_url.rstrip("/")) + 1 :]
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or address.startswith("/"):
            continue  # not a file of this site (lean stops the build on other origins)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return list(dict.fromkeys(found))


def precache_list(settings: dict, theme: list[str]) -> list[str]:
    """What the worker fetches as it installs: the theme's files, and each edition's home
    page, saved pages' page and fallback page."""
    pages = [
        edition_url(url, lang, settings)
        for lang in editions(settings)
        for url in (
            "index.html",
            settings["SERVICE_WORKER_SAVED_URL"],
            settings["SERVICE_WORKER_FALLBACK_URL"],
        )
    ]
    return list(dict.fromkeys([*theme, *pages]))


def fallbacks(settings: dict) -> dict[str, str]:
    """Edition prefix (`pt/`; `` for the default language) -> its fallback page."""
    return {
        edition_url("", lang, settings): edition_url(
            settings["SERVICE_WORKER_FALLBACK_URL"], lang, settings
        )
        for lang in editions(settings)
    }


def site_version(output: Path, salt: bytes = b"", known: dict | None = None) -> str:
    """A short digest of every file of the output (names and bytes, in a fixed order), the
    worker itself and compressed copies aside, and of `salt`.

    `known` (the file's path, inode, time and size -> its digest) spares reading a file an
    earlier build digested: a page taken from the previous build is its very file (a hard
    link, never written in place: `incremental`). It is left holding this build's files."""
    digest = hashlib.sha256(salt)
    earlier = dict(known or {})
    if known is not None:
        known.clear()
    files = {}  # relative path, with slashes -> path (one walk, without pathlib per file)
    for folder, _dirs, names in os.walk(output):
        inside = os.path.relpath(folder, output).replace(os.sep, "/")
        for name in names:
            files[name if inside == "." else f"{inside}/{name}"] = os.path.join(folder, name)
    for relative in sorted(files):
        path = files[relative]
        if relative == WORKER or os.path.splitext(relative)[1] in COPIES:
            continue
        digest.update(relative.encode() + b"\0")
        state = os.stat(path)
        stamp = (relative, state.st_ino, state.st_mtime_ns, state.st_size)
        found = earlier.get(stamp)
        if found is None:
            with open(path, "rb") as handle:
                found = hashlib.file_digest(handle, "sha256").digest()
        if known is not None:
            known[stamp] = found
        digest.update(found)
    return digest.hexdigest()[:12]


def worker_settings(settings: dict, precache: list[str]) -> dict:
    """What `worker.js` reads from `MINGA`, but its version."""
    return {
        "precache": precache,
        "fallbacks": fallbacks(settings),
        "pages": int(settings["SERVICE_WORKER_PAGES"]),
        "images": int(settings["SERVICE_WORKER_IMAGES"]),
        "wait": float(settings["SERVICE_WORKER_WAIT"]),
    }


def worker_script(config: dict, version: str, source: str) -> str:
    """`sw.js`: the settings, then the worker's source."""
    line = json.dumps({"version": version, **config}, ensure_ascii=False, sort_keys=True)
    return f"// Written by the build (plugins/service_worker).\nconst MINGA = {line};\n\n{source}"


def write_worker(output: Path, settings: dict) -> str:
    """Write `sw.js` into `output`; returns its version."""
    home = output / "index.html"
    theme = theme_files(home.read_text(encoding="utf-8"), "index.html", settings.get("SITEURL", ""))
    config = worker_settings(settings, precache_list(settings, theme))
    source = SOURCE.read_text(encoding="utf-8")
    salt = (json.dumps(config, sort_keys=True) + source).encode()
    kept = Path(settings.get("CACHE_PATH") or "cache") / "worker.pickle"
    known = read_kept(kept, {})
    known = known if isinstance(known, dict) else {}
    known.update(_written)  # the pages this build wrote, digested as they were written
    _written.clear()
    version = site_version(output, salt, known)
    keep(kept, known)
    (output / WORKER).write_text(worker_script(config, version, source), encoding="utf-8")
    return version


# The digests of the pages this build wrote, by stamp (`site_paths.written`).
_written: dict[written.Stamp, bytes] = {}


def note_page(_output: str, _path: str, data: bytes, stamp: written.Stamp) -> None:
    _written[stamp] = hashlib.sha256(data).digest()


def finish_output(pelican) -> None:
    output = Path(pelican.output_path)
    if (output / "index.html").is_file():  # a build that wrote no home page has no site
        write_worker(output, pelican.settings)


class OfflinePagesGenerator(Generator):
    """Write, in each language's edition, the saved pages' page and the offline fallback."""

    def generate_output(self, writer) -> None:
        write_editions(self, lambda lang: self.write_edition(writer, lang))

    def write_edition(self, writer, lang: str) -> None:
        settings = self.settings
        write_page(self, writer, "offline_saved", settings["SERVICE_WORKER_SAVED_URL"], lang=lang)
        write_page(
            self, writer, "offline_unavailable", settings["SERVICE_WORKER_FALLBACK_URL"], lang=lang
        )


def get_generators(pelican):
    return OfflinePagesGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.initialized.connect(written.listen("service_worker", note_page, _written), weak=False)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(finish_output)
