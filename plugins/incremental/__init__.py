"""Write only the pages whose inputs changed; take the others from the previous build.

A build renders tens of thousands of listing pages and feeds (every org, facet, week and
author, in each language's edition), and after a one-file change nearly all of them are the
same as before. So the build's writer gives each page a key: a digest of what the page is
rendered from (`incremental.fingerprint`):

- the base: Minga's code, the theme, the catalogs, the settings and the libraries' versions;
- the page: its template and address, the values it is given (the texts it lists, the org or
  facet it is about, its place among a listing's pages), and the build's shared values its
  template names (`orgs`, `facets`…), plus the topic vocabulary;

and when the previous build wrote the same address with the same key, the page is linked
from the previous output instead of rendered. A listing (a call that writes a paginated
list of texts, hundreds of pages for a big topic) is keyed whole too, from the same values:
when its key is the previous build's, its pages are linked by the names and keys the
previous build recorded for it, without paginating or keying each page again. The keys of
each build (and its listings' pages) are kept in the cache (`pages/<output>.pickle`, for
the last few folders built) only when the build succeeded, and a page missing from the
previous output is rendered. Feeds are keyed the same way from their entries, bodies
included. A failed build leaves the previous output as it was: pages are linked into the
new build's folder, and nothing writes a page in place afterwards (`lean.minify` replaces
a file, and skips the pages reused here, which were minified when they were written).

An output folder the build has no keys for (a new one, a deleted one, or one last built from
another base: other settings, say) can take its pages from another folder whose last build
had this build's base: `REUSE_FROM`. A pull request's preview
(`invoke preview`, into an empty `output/` in CI) takes them from the last publication the
restored cache holds (`cache/published/`), so it renders what the pull request changed, not
the whole site. The other folder is only read: its files are linked, never written.

`REUSE_PAGES = False` renders every page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from importlib.metadata import version
from pathlib import Path

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer
from site_paths import written
from site_paths.kept import files_digest, keep, read_kept
from site_paths.parallel import processes, side_by_side

from .fingerprint import Depth, Fingerprints, digest

logger = logging.getLogger(__name__)

DEFAULTS = {
    "REUSE_PAGES": True,
    # A folder to take unchanged pages from when the output folder is gone or was not last
    # built with this build's base (settings, code, libraries); None: none.
    "REUSE_FROM": None,
    # The texts are digested side by side when each process has this many.
    "DIGEST_TEXTS_SHARE": 2000,
}
KEPT_FOLDERS = 4  # output folders whose keys are kept
MANIFEST = "minga-pages 3"  # what a kept manifest starts with; another is not read
ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("pelican", "jinja2", "markdown", "babel", "markupsafe", "feedgenerator", "nh3")
# Settings of how a build runs, not of what it writes (the build date is read where shown).
HOW_BUILT = frozenset(
    {
        "BUILD_DATE",
        "BUILD_PROCESSES",
        "CACHE_PATH",
        "CACHE_CONTENT",
        "LOAD_CONTENT_CACHE",
        "CONTENT_CACHING_LAYER",
        "CHECK_MODIFIED_METHOD",
        "GZIP_CACHE",
        "OUTPUT_PATH",
        "WRITE_SELECTED",
        "REUSE_PAGES",
        "REUSE_FROM",
        "READ_AHEAD_SHARE",
        "WRITE_TEXTS_SHARE",
        "DIGEST_TEXTS_SHARE",
    }
)
# What a template reads besides the values it is given: Python helpers read the vocabulary.
ALWAYS = ("topics",)
TEMPLATE_REFERENCE = re.compile(r"""{%-?\s*(?:extends|import|from|include)\s+["']([^"']+)["']""")
# The code of a template (tags and expressions), and in it the names, strings left out.
CODE = re.compile(r"{[{%](.*?)[%}]}", re.DOTALL)
STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
NAME = re.compile(r"(?<![.\w])([A-Za-z_]\w*)")
# Templates rendered from Python inside other templates (`localization.items`).
RENDERED_INSIDE = ("_item.html",)
# What a feed shows of the build's values besides its entries (`site_paths.write_feed`).
FEED_CONTEXT = ("SITEURL", "SITENAME", "SITESUBTITLE", "FEED_DOMAIN", "FEED_LANGUAGE", "BUILD_DATE")


class Build:
    """The keys of the previous build and of this one, for one output folder: the previous
    build's are those of the folder the pages are taken from (`source`), this one's are kept
    for `final`."""

    def __init__(self, settings: dict, final: Path, partial: Path):
        self.enabled = bool(settings.get("REUSE_PAGES"))
        self.final = final
        self.partial = partial
        self.manifest = manifest_path(settings, final)
        self.fingerprints = Fingerprints()
        self.base = base_digest(settings, self.fingerprints)
        self.source, kept = final, (MANIFEST, {}, {}, "")
        if self.enabled:
            self.source, kept = previous_build(settings, final, self.base)
        self.previous: dict[str, str] = kept[1]
        self.previous_listings: dict[str, Listing] = kept[2]
        self.keys: dict[str, str] = {}
        self.listings: dict[str, Listing] = {}
        self.whole = 0  # listings taken whole from the previous build
        self.recording: list[tuple[str, str]] | None = None  # the pages of a listing
        self.reused: set[str] = set()
        self._names: dict[str, str] | None = None  # the previous build's keys, to its files
        self._shared: dict[str, tuple[object, str]] = {}
        self.templates: dict[str, frozenset[str]] = {}  # the names each template reads

    def shared(self, name: str, value) -> str:
        """The digest of one of the build's shared values (`orgs`, `facets`…), made once:
        every page is given the same object."""
        kept = self._shared.get(name)
        if kept is None or kept[0] is not value:
            kept = self._shared[name] = (value, self.fingerprints.stable(value))
        return kept[1]

    def reusable(self, name: str, key: str) -> bool:
        """Whether the previous build wrote `name` with the same key, and it is still there."""
        self.keys[name] = key
        if self.recording is not None:
            self.recording.append((name, key))
        return (
            self.enabled
            and self.previous.get(name) == key
            and os.path.isfile(sanitised_join(str(self.source), name))
        )

    def named(self, key: str) -> str | None:
        """A file the previous build wrote with `key`, under whatever name."""
        if self._names is None:
            self._names = {key: name for name, key in self.previous.items()}
        return self._names.get(key)

    def link(self, name: str, path: str, replace: bool = False) -> bool:
        """Put the previous build's file `name` at `path` in this build's new folder (over
        the file there when `replace`); False when it cannot be."""
        previous = sanitised_join(str(self.source), name)
        target = f"{path}.reused" if replace else path
        try:
            os.link(previous, target)
        except FileNotFoundError:
            return False
        except OSError:  # a file system without hard links: a copy
            shutil.copyfile(previous, target)
        if replace:
            os.replace(target, path)
        self.reused.add(name)
        return True


# A listing's key, and the name and key of each of its pages.
Listing = tuple[str, tuple[tuple[str, str], ...]]
BUILD: Build | None = None


def previous_build(settings: dict, final: Path, base: str) -> tuple[Path, tuple]:
    """The folder this build takes unchanged pages from, and the keys kept for it: the
    folder it replaces, unless that one is gone or was built from another base (other
    settings, code or libraries: none of its pages would be taken) and the folder
    `REUSE_FROM` names was built from this one."""
    found = final, (MANIFEST, {}, {}, "")
    for folder in (final, settings.get("REUSE_FROM")):
        if not folder:
            continue
        folder = Path(folder)
        kept = read_kept(manifest_path(settings, folder))
        if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == MANIFEST):
            continue
        if folder == final:
            found = folder, kept
        if kept[3] == base and folder.is_dir():
            return folder, kept
    return found


def previous_output() -> Path | None:
    """The folder the build under way takes unchanged files from (None between builds)."""
    return BUILD.source if BUILD is not None else None


def manifest_path(settings: dict, final: Path) -> Path:
    folder = hashlib.sha256(str(final.resolve()).encode()).hexdigest()[:16]
    return Path(settings["CACHE_PATH"]) / "pages" / f"{folder}.pickle"


def base_digest(settings: dict, fingerprints: Fingerprints) -> str:
    """Code, theme, catalogs, settings and library versions: what every page depends on."""
    parts = [code_digest(str(Path(settings["THEME"]).resolve()))]
    parts += [f"{name} {version(name)}" for name in LIBRARIES]
    shown = {k: v for k, v in settings.items() if k not in HOW_BUILT}
    parts.append(fingerprints.stable(shown))
    return digest("\n".join(parts))


def code_digest(theme: str) -> str:
    """Digested for every build (a template edited while `invoke serve` rebuilds counts)."""
    return files_digest(ROOT / "plugins", Path(theme))


def names_read(environment, template_name: str) -> frozenset[str]:
    """Every name a template, the templates it extends, imports or includes, and the
    templates rendered inside it could read (a generous reading of their source); read once
    per build."""
    kept = BUILD.templates.get(template_name)
    if kept is not None:
        return kept
    names: set[str] = set()
    seen: set[str] = set()
    waiting = [template_name, *RENDERED_INSIDE]
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        source = environment.loader.get_source(environment, name)[0]
        for code in CODE.findall(source):
            names.update(NAME.findall(STRING.sub(" ", code)))
        waiting.extend(TEMPLATE_REFERENCE.findall(source))
    found = BUILD.templates[template_name] = frozenset(names)
    return found


def prepare(generator, template_names, texts: list) -> None:
    """Digest the build's shared values that the templates read, here, before pages of them
    are written by several processes, each of which would digest them again (every text's
    page reads `facets`: a digest of every text). The texts' own digests are made first,
    shared among the processes too."""
    if BUILD is None:
        return
    fingerprints, settings = BUILD.fingerprints, generator.settings
    count = processes(settings, len(texts) // settings["DIGEST_TEXTS_SHARE"] or 1)
    if count > 1:
        shares = {str(number): texts[number::count] for number in range(count)}
        sizes = {share: len(part) for share, part in shares.items()}
        # Each text's `ref` first: a text's `plain` digest holds its neighbours' (related
        # texts, translations, older and newer), most of them in another share, which each
        # process would digest again.
        for depth in (Depth.REF, Depth.PLAIN):

            def digest_share(share: str, depth: Depth = depth) -> list[str]:
                return [fingerprints.text(text, depth) for text in shares[share]]

            for share, digests in side_by_side(settings, sizes, digest_share).items():
                for text, found in zip(shares[share], digests, strict=True):
                    fingerprints.remember(text, depth, found)
        logger.info("%s texts digested by %s processes", len(texts), count)
    context = generator.context
    for template_name in sorted(template_names):
        template = generator.get_template(template_name)
        for key in names_read(template.environment, template.name):
            if key in context and not key.isupper():
                BUILD.shared(key, context[key])


class _Keyed:
    """A template that first asks whether its page can be taken from the previous build."""

    def __init__(self, template, given: frozenset[str], writer: ReusingWriter):
        self.template = template
        self.given = given
        self.writer = writer

    def render(self, localcontext: dict) -> str:
        name = localcontext["output_file"]
        own = {key: localcontext[key] for key in self.given if key in localcontext}
        if BUILD.reusable(name, key_of(self.template, name, own, localcontext)):
            self.writer.waiting[sanitised_join(self.writer.output_path, name)] = name
            return ""
        return self.template.render(localcontext)


def key_of(template, name: str, own: dict, values: dict, kind: tuple = ()) -> str:
    """The key of what `template` writes at `name` from its `own` values and the build's
    shared values (in `values`) that the template reads."""
    build = BUILD
    fingerprints = build.fingerprints
    page = {
        key: fingerprints.text(value, Depth.FULL)
        if key in ("article", "page")
        else fingerprints.stable(value)
        for key, value in own.items()
    }
    read = names_read(template.environment, template.name)
    shared = {
        key: build.shared(key, values[key])
        for key in (*read, *ALWAYS)
        if key in values and key not in own and not key.isupper()
    }
    return digest(
        repr((build.base, *kind, template.name, name, sorted(page.items()), sorted(shared.items())))
    )


class _Linked:
    """What Pelican writes a reused page into: nothing (the page is already linked)."""

    def write(self, _text: str) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        pass


class ReusingWriter(Writer):
    """Pelican's writer, that links unchanged pages and feeds from the previous build."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.waiting: dict[str, str] = {}
        self._folders: set[str] = set()  # made for listings taken whole
        self._pages = False  # writing pages (not feeds): hooks hear of their bytes

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        build, listing = BUILD, None
        if build is not None and name:
            listed = (  # the lists Pelican's writer paginates
                paginated
                if paginated is not None
                else {key: kwargs[key] for key in ("articles", "dates") if key in kwargs}
            )
            if listed and template_name in self.settings["PAGINATED_TEMPLATES"]:
                own = {
                    **kwargs,
                    **{f"paginated {key}": value for key, value in listed.items()},
                    "SITEURL": context.get("SITEURL"),
                    "localsiteurl": context.get("localsiteurl"),
                }
                kind = ("listing", template_name, url, relative_urls, override_output)
                listing = key_of(template, name, own, context, kind)
                if self._take_listing(name, listing, relative_urls, override_output, context):
                    return None
            given = frozenset(
                {*kwargs, "output_file", "SITEURL", "localsiteurl"}
                | {
                    f"{key}_{part}"
                    for key in {*listed, "articles", "dates"}
                    for part in ("paginator", "page", "previous_page", "next_page")
                }
            )
            template = _Keyed(template, given, self)
        self._pages = True
        if listing is not None:
            build.recording = []
        try:
            written_now = super().write_file(
                name,
                template,
                context,
                relative_urls,
                paginated,
                template_name,
                override_output,
                url,
                **kwargs,
            )
            if listing is not None:
                build.listings[name] = (listing, tuple(build.recording))
            return written_now
        finally:
            self._pages = False
            if build is not None:
                build.recording = None

    def _take_listing(
        self, name: str, key: str, relative_urls: bool, override: bool, context: dict
    ) -> bool:
        """Link every page of the listing at `name` from the previous build, when it wrote
        the listing with the same key and each of its pages is still there."""
        build = BUILD
        kept = build.previous_listings.get(name)
        if kept is None or kept[0] != key:
            return False
        if not all(build.reusable(page, page_key) for page, page_key in kept[1]):
            return False
        for page, _key in kept[1]:
            path = sanitised_join(self.output_path, page)
            folder = os.path.dirname(path)
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            self.waiting[path] = page
            with self._open_w(path, "utf-8", override):
                pass
        if relative_urls and kept[1]:  # as Pelican's writer leaves it after the last page
            context["localsiteurl"] = path_to_url(get_relative_path(kept[1][-1][0]))
        build.listings[name] = kept
        build.whole += 1
        return True

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        if BUILD is None or not path:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        fingerprints = BUILD.fingerprints
        entries = elements[: self.settings["FEED_MAX_ITEMS"]]
        shown = {key: context.get(key) for key in FEED_CONTEXT}
        key = digest(
            repr(
                (
                    BUILD.base,
                    "feed",
                    path,
                    url,
                    feed_type,
                    feed_title,
                    [fingerprints.entry(entry) for entry in entries],
                    fingerprints.stable(shown),
                )
            )
        )
        complete_path = sanitised_join(self.output_path, path)
        if BUILD.reusable(path, key):
            os.makedirs(os.path.dirname(complete_path), exist_ok=True)
            self.waiting[complete_path] = path
            with self._open_w(complete_path, "utf-8", override_output):
                pass
            return None
        return super().write_feed(
            elements, context, path, url, feed_type, override_output, feed_title
        )

    def _open_w(self, filename, encoding, override=False):
        name = self.waiting.pop(filename, None)
        if name is None:
            handle = super()._open_w(filename, encoding, override)
            if self._pages and written.HOOKS and handle.name != os.devnull:
                return written.Noted(handle, self.output_path)
            return handle
        if filename in self._written_files:
            # Pelican's rules for a second write; a file it opens is then replaced.
            handle = super()._open_w(filename, encoding, override)
            if handle.name == os.devnull:
                return handle
            handle.close()
            linked = BUILD.link(name, filename, replace=True)
        else:  # Pelican's record of a first write (every text's page overrides its address),
            # without creating the file
            if override:
                self._overridden_files.add(filename)
            self._written_files.add(filename)
            linked = BUILD.link(name, filename)
        if not linked:
            raise FileNotFoundError(f"{name} of the previous build could not be linked")
        return _Linked()


def write_keyed(output_path: str, name: str, made_of, make, renamed: bool = False) -> None:
    """Write the file `name` (of `output_path`) that is `make()` (text or bytes), made of
    nothing but `made_of` and the build's base: from the previous build when it wrote the
    same. For the build's files that are neither pages nor feeds (a week's digest as text,
    the search data). `renamed`: `made_of` alone says what the file holds (the digest of its
    bytes), so the previous build's file made of the same is taken under whatever name it had
    (the search data's files, named anew together when one of them changes)."""
    path = sanitised_join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    build = BUILD
    if build is not None:
        named = "" if renamed else name
        key = digest(repr((build.base, "file", named, build.fingerprints.stable(made_of))))
        if build.reusable(name, key) and build.link(name, path):
            return
        if renamed:
            previous = build.named(key)
            if previous is not None and build.link(previous, path):
                return
    made = make()
    if isinstance(made, bytes):
        Path(path).write_bytes(made)
    else:
        Path(path).write_text(made, encoding="utf-8")


# --- Signal handlers ----------------------------------------------------------------------


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_writer(pelican):
    """Start this build's keys, once the build's folder is known (`checks`), and write
    with `ReusingWriter`."""
    global BUILD
    final = getattr(pelican, "minga_final_output", None)
    BUILD = None
    if final is None:
        return ReusingWriter
    BUILD = Build(pelican.settings, Path(final), Path(pelican.output_path))
    return ReusingWriter


def keep_keys(pelican) -> None:
    """Keep this build's keys for the next one, once its output replaced the previous."""
    global BUILD
    build, BUILD = BUILD, None
    if build is None or getattr(pelican, "minga_final_output", None) is not None:
        return  # no build, or its output did not replace the previous one
    keep(build.manifest, (MANIFEST, build.keys, build.listings, build.base))
    # One file per output folder: those of folders not built lately go.
    kept = sorted(build.manifest.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
    for old in kept[:-KEPT_FOLDERS]:
        old.unlink(missing_ok=True)
    logger.info(
        "%s of %s pages and feeds unchanged, taken from the previous build (%s listings whole)",
        len(build.reused),
        len(build.keys),
        build.whole,
    )


def reused() -> set[str]:
    """The output paths this build took from the previous one (empty between builds)."""
    return BUILD.reused if BUILD is not None else set()


def _forked() -> None:
    """In a worker: start its own record, so that it sends back only what it wrote."""
    if BUILD is not None:
        BUILD.keys, BUILD.reused, BUILD.listings, BUILD.whole = {}, set(), {}, 0


def _carried() -> tuple[dict, set, dict, int]:
    if BUILD is None:
        return {}, set(), {}, 0
    return BUILD.keys, BUILD.reused, BUILD.listings, BUILD.whole


def _take(found: tuple[dict, set, dict, int]) -> None:
    if BUILD is not None:
        BUILD.keys.update(found[0])
        BUILD.reused.update(found[1])
        BUILD.listings.update(found[2])
        BUILD.whole += found[3]


def register() -> None:
    from site_paths.parallel import CARRIED

    CARRIED["incremental"] = (_forked, _carried, _take)
    signals.initialized.connect(set_defaults)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(keep_keys)
