"""Offline copies of the site: zip bundles, a ZIM file for Kiwix, and the "Read offline"
page that offers them.

Once the site is written, minified and weighed (and before the `.gz`/`.br` copies):

1. with `OFFLINE_BUNDLES` on (publishconf.py, `invoke offline`), zip files are written into
   `OFFLINE_DOWNLOADS`: the whole site, one per interface language (its edition and the
   texts it lists) and one per organization (its space in every language, with the site's
   own pages). Each opens at its root `index.html` from disk, holds every file its pages
   need and nothing they do not: links out of it lead into it or become text
   (`offline.bundles`). Same tree, same build date: same bytes; so a zip made of the same
   files as the previous build's is that build's zip, linked (`offline.kept`);
2. with `OFFLINE_ZIM` on (publishconf.py, `invoke zim`; needs the `zim` extra), a ZIM file of
   the whole site, with `OFFLINE_ZIM_METADATA`, the site's icon at 48×48 and a full-text
   index (`offline.zim`);
3. the "Read offline" page (`OFFLINE_URL`, in every language's edition) lists each file
   with its size, date and SHA-256, and says how to use it. It is not in the copies: it
   names their checksums.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import tempfile
import zipfile
from pathlib import Path

from editorial import build_date
from images import cache_folder
from incremental import previous_output
from lean import LeanOutputError, minify, own_address, page_problems
from lean.pages import read_page
from localization import translate
from localization.strings import NOT_IN_THIS_COPY
from pelican import signals
from pelican.utils import slugify
from pelican.writers import Writer
from site_paths import edition_url, editions, write_page
from site_paths.parallel import processes, shares, side_by_side

from .bundles import CopyKey, Site, copy_key, entry, language, org, planned, whole_site
from .downloads import Download, ZipFiles, ZipOut, describe
from .kept import Kept
from .zim import ZimUnavailable, write_zim

logger = logging.getLogger(__name__)

DEFAULTS = {
    "OFFLINE_BUNDLES": False,
    "OFFLINE_ZIM": False,
    "OFFLINE_URL": "offline/index.html",
    "OFFLINE_DOWNLOADS": "downloads",
    # Files that only make sense on the web (matched against their address, and against it
    # without the language edition's prefix): never in a copy; links to them become text.
    "OFFLINE_WEB_ONLY": [
        "offline/*",  # the "Read offline" page, the saved pages, the offline fallback
        "downloads/*",
        "sw.js",
        "theme/js/offline.js",
        "*.atom.xml",  # subscribing needs the web
        "*.ics",
        "digest/*.txt",  # the digest as e-mail text: its links are the public addresses
        "*.gz",
        "*.br",
    ],
    # ZIM metadata (openZIM's names); Title, Description and Date come from the site.
    "OFFLINE_ZIM_METADATA": {},
    # The language of the ZIM's full-text index (ISO 639-3), for its word stemming.
    "OFFLINE_ZIM_INDEX_LANGUAGE": "spa",
    # The site's icon (a path in the output), shown by Kiwix at 48×48.
    "OFFLINE_ZIM_ICON": "theme/favicon.png",
    # How many days a ZIM file is offered after it was made, when the site changed since:
    # 1, the first build of a day makes it and the day's later ones offer it; 0, every
    # build whose pages changed makes it anew (half a minute per thousand texts).
    "OFFLINE_ZIM_MAX_AGE": 1,
}


class OfflineCopyError(Exception):
    """An offline copy could not be written."""


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


_generators: list = []


def remember_generators(generators) -> None:
    _generators[:] = generators[:1]


def file_name(settings: dict) -> str:
    """What the downloads are called: the site's name, e.g. `minga` (`minga-pt.zip`…)."""
    return slugify(settings["SITENAME"]) or "site"


def bundles_of(site: Site, settings: dict, context: dict) -> list:
    """The copies the site offers: the whole site, each language, each organization."""
    folder = settings["OFFLINE_DOWNLOADS"]
    name = file_name(settings)
    found = [whole_site(site, f"{folder}/{name}.zip")]
    if len(site.editions) > 1:
        found += [language(site, lang, f"{folder}/{name}-{lang}.zip") for lang in site.editions]
    shared = {
        page.url
        for original in context.get("site_pages", ())
        for page in (original, *getattr(original, "translations", ()))
    }
    for space in context.get("orgs", ()):
        lang = next((lang for lang in space.languages if lang in site.editions), site.default)
        file = f"{folder}/orgs/{name}-{space.id}.zip"
        found.append(org(site, space.id, lang, shared, file))
    return found


def make_copies(
    output: Path, settings: dict, context: dict, previous: Path | None = None
) -> list[Download]:
    """Write the zip files and the ZIM file the settings ask for; describe each.

    The copies are written together, file by file in the order of their paths, each file
    into every copy that holds it: a page is read and parsed once for all of them, and no
    copy is ever held whole in memory (the ZIM file reads the whole-site zip back). The
    copies are shared among the cores (`site_paths.parallel`), each share written so. A
    zip the `previous` output holds, made of the same files, is linked from there instead
    (`offline.kept`)."""
    kept = Kept(settings)
    site = Site(output, settings, kept)
    date = build_date(settings)

    titles = {lang: translate(settings, lang, NOT_IN_THIS_COPY) for lang in site.editions}

    def not_here(lang: str) -> str:
        return titles.get(lang) or titles[site.default]

    copies = [
        planned(site, bundle)
        for bundle in bundles_of(site, settings, context)
        if settings["OFFLINE_BUNDLES"] or bundle.kind == "site"
    ]
    with contextlib.ExitStack() as stack:
        places = {id(copy): output / copy.bundle.file for copy in copies}
        keys: dict[str, CopyKey] = {}
        if not settings["OFFLINE_BUNDLES"]:  # the whole site's zip, for the ZIM file only
            scratch = cache_folder(settings, "offline")
            scratch.mkdir(parents=True, exist_ok=True)
            aside = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=scratch)))
            places = {id(copy): aside / "site.zip" for copy in copies}
        else:
            keys = {c.bundle.file: copy_key(site, c, date, titles) for c in copies}
        earlier_output = previous if keys else None  # a ZIM-only build keeps no zip
        taken = {
            copy.bundle.file
            for copy in copies
            if earlier_output
            and kept.take(copy.bundle.file, keys[copy.bundle.file].key, previous, places[id(copy)])
        }
        if taken:
            logger.info("Offline copies: %s of %s unchanged, taken", len(taken), len(copies))
        # The other copies in shares of about as many files, written side by side, with
        # what their previous zips hold of them.
        written = [copy for copy in copies if copy.bundle.file not in taken]
        earlier = {
            copy.bundle.file: found
            for copy in written
            if earlier_output
            and (found := kept.entries(copy.bundle.file, keys[copy.bundle.file], previous))
        }
        sizes = {copy.bundle.file: len(copy.names) for copy in written}
        by_file = {copy.bundle.file: copy for copy in written}
        groups = shares(sizes, processes(settings, len(written)))
        counts = side_by_side(
            settings,
            {str(i): sum(sizes[file] for file in group) for i, group in enumerate(groups)},
            lambda i: write_copies(
                site, [by_file[file] for file in groups[int(i)]], places, date, not_here, earlier
            ),
        ).values()
        if earlier:
            logger.info(
                "Offline copies: %s entries copied from the previous zips, %s made",
                sum(copied for copied, _ in counts),
                sum(made for _, made in counts),
            )
        downloads = [
            describe(
                output,
                c.bundle.file,
                c.bundle.kind,
                c.bundle.key,
                date,
                len(c.names),
                kept.sha256(c.bundle.file, keys[c.bundle.file], output),
            )
            for c in copies
            if settings["OFFLINE_BUNDLES"]
        ]
        kept.save()
        if settings["OFFLINE_ZIM"]:
            whole = next(copy for copy in copies if copy.bundle.kind == "site")
            downloads.append(write_zim_file(output, settings, date, places[id(whole)]))
    return downloads


def write_copies(
    site: Site, copies: list, places: dict, date, not_here, earlier: dict | None = None
) -> tuple[int, int]:
    """The zips of `copies`, each at its place (`places`, by the copy's id), written together;
    how many entries were copied and made.

    `earlier` (a copy's file -> its previous zip and the entries of it that are the same,
    `offline.kept`): those entries are copied from there, compressed as they are."""
    copied = made = 0
    holders: dict[str, list] = {}
    for copy in copies:
        for name in copy.names:
            holders.setdefault(name, []).append(copy)
    with contextlib.ExitStack() as stack:
        sources = {}
        for copy in copies:
            found = (earlier or {}).get(copy.bundle.file)
            if found is not None:
                archive = stack.enter_context(zipfile.ZipFile(found[0]))
                sources[id(copy)] = (archive, found[1])
        zips = {id(copy): ZipOut(places[id(copy)], date) for copy in copies}
        try:
            for name in sorted(holders):
                for copy in holders[name]:
                    out, source = zips[id(copy)], sources.get(id(copy))
                    if source and name in source[1] and out.add_copied(name, source[0]):
                        copied += 1
                    else:
                        out.add(name, entry(site, copy, name, not_here))
                        made += 1
        except BaseException:
            for out in zips.values():
                out.discard()
            raise
        for out in zips.values():
            out.close()
    return copied, made


def write_zim_file(output: Path, settings: dict, date, whole_zip: Path) -> Download:
    url = f"{settings['OFFLINE_DOWNLOADS']}/{file_name(settings)}.zim"
    whole = ZipFiles(whole_zip)
    max_age = int(settings["OFFLINE_ZIM_MAX_AGE"])
    try:
        made = write_zim(
            output / url,
            whole,
            zim_metadata(settings, date),
            (output / settings["OFFLINE_ZIM_ICON"]).read_bytes(),
            settings["OFFLINE_ZIM_INDEX_LANGUAGE"],
            cache_folder(settings, "zim"),
            reuse_since=date - dt.timedelta(days=max_age - 1) if max_age > 0 else None,
        )
    except ZimUnavailable as exc:
        raise OfflineCopyError(
            f"OFFLINE_ZIM is on, but {exc}; or build without it (OFFLINE_ZIM = False)"
        ) from None
    finally:
        whole.archive.close()
    if made.recent:
        logger.info(
            "ZIM file: the one made on %s is offered (OFFLINE_ZIM_MAX_AGE = %d); what changed "
            "since it was made will be in the next one",
            made.date.isoformat(),
            max_age,
        )
    return describe(output, url, "zim", "", made.date, made.files)


def zim_metadata(settings: dict, date) -> dict[str, str]:
    """openZIM's metadata: the site's own words, then what the settings add."""
    return {
        "Name": file_name(settings),
        "Title": settings["SITENAME"][:30],
        "Description": settings.get("SITESUBTITLE", settings["SITENAME"])[:80],
        "Creator": settings["SITENAME"],
        "Publisher": settings.get("EDITORIAL_TEAM", settings["SITENAME"]),
        "Language": "spa",
        "Date": date.isoformat(),
        **settings["OFFLINE_ZIM_METADATA"],
    }


def write_offline_pages(generator, output: Path, downloads: list[Download]) -> None:
    settings = generator.settings
    writer = Writer(str(output), settings=settings)
    orgs = {space.id: space for space in generator.context.get("orgs", ())}
    for lang in editions(settings):
        write_page(
            generator,
            writer,
            "offline",
            settings["OFFLINE_URL"],
            lang=lang,
            downloads=downloads,
            orgs_by_id=orgs,
        )
    written = [
        output / edition_url(settings["OFFLINE_URL"], lang, settings) for lang in editions(settings)
    ]
    if settings["MINIFY_OUTPUT"]:
        minify(output, written)
    # Written after the other pages were weighed (they name the copies): weighed here.
    pages = [read_page(output, path, own_address(settings)) for path in written]
    remote, heavy = page_problems(pages, settings)
    if remote or heavy:
        raise LeanOutputError("\n".join(remote + heavy))


def finish_output(pelican) -> None:
    if not _generators:
        return
    output = Path(pelican.output_path)
    settings = pelican.settings
    downloads = []
    if settings["OFFLINE_BUNDLES"] or settings["OFFLINE_ZIM"]:
        # The folder the build takes unchanged files from: the one it replaces, or the one
        # it was told to take them from (`incremental`'s `REUSE_FROM`).
        previous = previous_output()
        downloads = make_copies(output, settings, _generators[0].context, previous)
        logger.info(
            "Offline copies: %s",
            ", ".join(f"{d.url} ({d.size / 1e6:.1f} MB, {d.files} files)" for d in downloads),
        )
    write_offline_pages(_generators[0], output, downloads)


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.all_generators_finalized.connect(remember_generators)
    signals.finalized.connect(finish_output)
