"""Content images are re-encoded with Pillow, made light for slow phones, never copied as given.

A file that is an image to the browser may also carry a hidden payload (a polyglot that is
also a script or an archive, data appended after the image, or metadata such as the GPS
position of a photo of activists), and a phone photo weighs megabytes. Every JPEG, PNG,
GIF and WebP image of the content is therefore decoded to its pixels (first frame of an
animation) and written anew with no metadata, never wider than the theme shows it:

- beside the image, a WebP file per width of `IMAGE_WIDTHS` (`marcha-480.webp`,
  `marcha-960.webp`; never enlarged), and at the image's own path, so that every link to
  it keeps working, a fallback in its own format at the largest width;
- each file at most `IMAGE_MAX_BYTES`: the quality (or, for PNG and GIF, the number of
  colours) goes down step by step until it fits; an image that does not fit at the lowest
  quality stops the build, naming the file;
- an organization's logo is one small file at its own path, `LOGO_SIZE` pixels at most
  each way and at most `LOGO_MAX_BYTES`;
- the full-size original is published (as `marcha-original.jpg`, without metadata) only
  when `IMAGES_PUBLISH_ORIGINALS` is set.

Once every text is sanitized, each `<img>` of a content image in a text becomes a
`<picture>` with its WebP widths and its real width and height (see `markup`); every image
but the first of a page is loaded lazily. A text's lead image is given to the theme as
`article.lead_image`, an org's logo size as `org.logo_width` and `org.logo_height`.

What is made of an image is kept in `<CACHE_PATH>/images/`, under the SHA-256 of its bytes
and of the pipeline's settings (see `pipeline`): an unchanged image is never processed
twice, even across CI runs that keep that folder. The served files are hard links to the
cache's (a copy where the two folders are on different file systems): a build writes no
image bytes that it did not make. Files that are links, or that lie outside the content
folder, are never read at all.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
from pathlib import Path

from content_model import ContentError, Problem, _, setting_problem
from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator
from site_paths.kept import keep, read_kept
from site_paths.parallel import processes

from . import ahead
from .markup import ANY_IMAGE, Served, resolve_site_links, rewrite, target_of
from .pipeline import WEBP_METHOD, EntryNames, Profile, TooHeavy, Unreadable, prepare_all

logger = logging.getLogger(__name__)

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}

DEFAULTS = {
    # Widths (pixels) of the WebP files made of each content image; the widest is also
    # the width of the fallback served at the image's own path.
    "IMAGE_WIDTHS": (480, 960),
    # Most bytes of any image file served.
    "IMAGE_MAX_BYTES": 60_000,
    # libwebp's effort, 0 (fastest) to 6 (smallest files). Lower is quicker to build and
    # heavier for every reader: at 2, WebP encoding takes some 60 % less time for files
    # about 4 % larger. A change makes every image again, once.
    "IMAGE_WEBP_METHOD": WEBP_METHOD,
    # An organization's logo: pixels at most each way (twice the 64 the theme shows) and bytes.
    "LOGO_SIZE": 128,
    "LOGO_MAX_BYTES": 8_000,
    # Also publish each image at full size (without metadata) as `<name>-original.<ext>`.
    "IMAGES_PUBLISH_ORIGINALS": False,
}
# The size at which the theme shows a logo (theme/templates/org.html).
LOGO_SHOWN = 64


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    webp_method(pelican.settings)  # a bad value stops the build before anything is read


def start_ahead(pelican) -> None:
    """Start making the images not in the cache in the background (`ahead`), when the build
    has more than one processor core."""
    set_defaults(pelican)
    settings = pelican.settings
    if processes(settings, 2) > 1:
        cache = cache_folder(settings)

        def find() -> tuple[list, EntryNames]:
            return ahead.images_of(settings, *profiles(settings), FORMATS), entry_names(cache)

        ahead.start(find, cache)


def profiles(settings: dict) -> tuple[Profile, Profile]:
    """How content images and logos are made, from the settings."""
    widths = tuple(sorted(settings["IMAGE_WIDTHS"]))
    originals = bool(settings["IMAGES_PUBLISH_ORIGINALS"])
    method = webp_method(settings)
    photo = Profile(
        widths, widths[-1], settings["IMAGE_MAX_BYTES"], original=originals, webp_method=method
    )
    logo = Profile(
        (), settings["LOGO_SIZE"], settings["LOGO_MAX_BYTES"], square=True, webp_method=method
    )
    return photo, logo


def webp_method(settings: dict) -> int:
    """`IMAGE_WEBP_METHOD`, a whole number from 0 to 6."""
    value = settings.get("IMAGE_WEBP_METHOD", WEBP_METHOD)
    if type(value) is int and 0 <= value <= 6:
        return value
    problem = _("`IMAGE_WEBP_METHOD = %(value)r` is not a WebP method", value=value)
    fix = _("write a whole number from 0 (fastest) to 6 (smallest files); 4 by default")
    raise setting_problem("IMAGE_WEBP_METHOD", settings, problem, fix)


def names_path(cache: Path) -> Path:
    """Beside the cache folder, which holds only what was made of each image."""
    return cache.with_name(f"{cache.name}-names.pickle")


def entry_names(cache: Path) -> EntryNames:
    """The images' cache entries by their files' states, as the last build kept them."""
    kept = read_kept(names_path(cache), {})
    return EntryNames(kept if isinstance(kept, dict) else {})


def cache_folder(settings: dict, name: str = "images") -> Path:
    """`<CACHE_PATH>/<name>`, a relative CACHE_PATH taken from the project (PATH)."""
    cache = Path(settings.get("CACHE_PATH") or "cache")
    if not cache.is_absolute():
        cache = Path(settings["PATH"]) / cache
    return cache / name


def outside_or_linked(source: Path, root: Path) -> bool:
    """True for a file that is a link, or that resolves outside the content folder."""
    return source.is_symlink() or not source.resolve().is_relative_to(root.resolve())


# --- Reading: images are taken from Pelican's copier ---------------------------------------


def take_images(generator) -> None:
    """Keep images away from Pelican's copier: they are written re-encoded instead."""
    root = Path(generator.path)
    images, others, refused = [], [], []
    for static in generator.staticfiles:
        source = Path(static.source_path)
        if outside_or_linked(source, root):
            refused.append(
                Problem(
                    static.relative_source_path,
                    1,
                    _("this file is a link to another file"),
                    _("replace the link with the file itself"),
                )
            )
        elif source.suffix.lower() in FORMATS:
            images.append(static)
        else:
            others.append(static)
    if refused:
        raise ContentError(refused)
    generator.staticfiles[:] = others  # in place: the context holds the same list
    generator.context["content_images"] = images


# --- Preparing: every image is made (or found in the cache), then the texts point to it ----


def prepare_images(generators) -> None:
    """Make every content image's files, then give texts and org cards their pictures."""
    made_ahead = ahead.finish()
    if not generators:
        return
    context, settings = generators[0].context, generators[0].settings
    served, files = serve_all(context, settings, made_ahead)
    context["image_files"] = files
    for space in context.get("orgs", []):
        logo = served.get(space.logo_url) if space.logo_url else None
        if logo:
            scale = LOGO_SHOWN / max(logo.width, logo.height)
            space.logo_width = max(1, round(logo.width * scale))
            space.logo_height = max(1, round(logo.height * scale))
    by_source = {
        static.relative_source_path: served[static.save_as]
        for static in context.get("content_images", [])
        if static.save_as in served
    }
    for content in context.get("generated_content", {}).values():
        if content is not None and getattr(content, "_content", None) is not None:
            place_pictures(content, served, by_source)


def serve_all(
    context: dict, settings: dict, made_ahead: int = 0
) -> tuple[dict[str, Served], dict[str, Path]]:
    """Every content image as served (by its address) and the files to write (address ->
    file in the cache); all problems of the run are raised together. `made_ahead`: how
    many of them this build made in the background (`ahead`), found in the cache here."""
    photo, logo = profiles(settings)
    logos = {space.logo_url for space in context.get("orgs", []) if space.logo_url}
    cache = cache_folder(settings)
    images = sorted(context.get("content_images", []), key=lambda s: s.save_as)
    taken = {static.save_as: static.relative_source_path for static in images}
    served: dict[str, Served] = {}
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    jobs = [(Path(s.source_path), logo if s.save_as in logos else photo) for s in images]
    names = entry_names(cache)
    outcomes = prepare_all(jobs, cache, processes(settings, len(jobs)), names)
    if names.now != names.kept:
        keep(names_path(cache), names.now)
    made = 0
    for static, (_source, profile), outcome in zip(images, jobs, outcomes, strict=True):
        shown = static.relative_source_path
        if isinstance(outcome, TooHeavy):
            problems.append(too_heavy(shown, outcome, profile))
            continue
        if isinstance(outcome, Unreadable):
            problems.append(
                Problem(
                    shown,
                    1,
                    _("the file is not a readable image"),
                    _("open it in an image program and export it again as JPEG or PNG"),
                )
            )
            continue
        prepared, entry, cached = outcome
        made += not cached
        stem = posixpath.splitext(static.save_as)[0]
        own = {static.save_as: entry / "fallback"}
        own.update({stem + suffix: entry / suffix for suffix, _w, _h in prepared.variants})
        if profile.original:
            own[f"{stem}-original{posixpath.splitext(static.save_as)[1]}"] = entry / "original"
        for address in own:
            other = taken.setdefault(address, shown)
            if other != shown:
                problems.append(name_taken(shown, address, other))
        files.update(own)
        webp = tuple((stem + suffix, width) for suffix, width, _h in prepared.variants)
        served[static.save_as] = Served(static.save_as, prepared.width, prepared.height, webp)
    if problems:
        raise ContentError(problems)
    made_ahead = min(made_ahead, len(images) - made)
    logger.info(
        "images: %d processed (%d of them while the texts were read), %d from cache",
        made + made_ahead,
        made_ahead,
        len(images) - made - made_ahead,
    )
    return served, files


def too_heavy(shown: str, heavy: TooHeavy, profile: Profile) -> Problem:
    return Problem(
        shown,
        1,
        _(
            "the image still weighs %(size)s KB at %(width)s pixels and the lowest quality; "
            "an image may weigh %(limit)s KB at most",
            size=round(heavy.size / 1000),
            width=profile.fallback_width,
            limit=round(profile.max_bytes / 1000),
        ),
        _(
            "use a smaller or simpler image: crop it, or choose a photo with less detail "
            "(photos as JPEG, drawings as PNG)"
        ),
    )


def name_taken(shown: str, address: str, other: str) -> Problem:
    return Problem(
        shown,
        1,
        _(
            "`%(address)s`, a copy made of this image, has the name of `%(other)s`",
            address=address,
            other=other,
        ),
        _("rename one of the two files"),
    )


def place_pictures(content, served: dict[str, Served], by_source: dict[str, Served]) -> None:
    """Give a text's images their WebP widths, sizes and loading, and the text its lead image."""
    source_dir = posixpath.dirname(content.relative_source_path or "")
    page_dir = posixpath.dirname(getattr(content, "save_as", "") or "")

    def find(src: str) -> Served | None:
        target = target_of(src, source_dir, page_dir)
        if target is None:
            return None
        return (by_source if target[0] == "source" else served).get(target[1])

    if not ANY_IMAGE.search(content._content):
        content.lead_image = lead_image(content, served, [])
        return
    html, seen = rewrite(content._content, find, first_is_taken=False)
    lead = lead_image(content, served, seen)
    content.lead_image = lead
    if lead is not None and isinstance(content, Article):
        html, _seen = rewrite(content._content, find, first_is_taken=True)
    if html != content._content:
        content._content = html
        resolve_in_pages(content)


def lead_image(content, served: dict[str, Served], seen: list[str]) -> Served | None:
    """The image shown above a text, unless its body already shows it."""
    url = getattr(content, "image_url", "")
    if not url:
        return None
    if url in served:
        return None if url in seen else served[url]
    # An image that is not re-encoded (an editors' SVG) is shown as it is, with no size.
    return None if posixpath.basename(url) in content._content else Served(url, 0, 0)


def resolve_in_pages(content) -> None:
    """Pelican resolves `{static}` links each time it renders a text for a page or a feed;
    the srcsets' `{site}` links are resolved with it, against the same base."""
    update = content._update_content
    relative = content.settings["RELATIVE_URLS"]

    def update_with_srcsets(text: str, siteurl: str) -> str:
        return resolve_site_links(update(text, siteurl), siteurl, relative)

    content._update_content = update_with_srcsets


# --- Writing --------------------------------------------------------------------------------


class ImagesGenerator(Generator):
    """Write every file made of the content images where it is served."""

    def generate_output(self, writer) -> None:
        output = Path(self.output_path)
        for address, made in sorted(self.context.get("image_files", {}).items()):
            target = output / address
            if not os.path.normpath(target).startswith(os.path.normpath(output)):
                continue  # save_as never leaves the output folder; this is a second lock
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(Path(made), target)


def link_or_copy(made: Path, target: Path) -> None:
    """Put the cache's file `made` at `target`: a hard link, as nothing writes an image of
    the output in place, or a copy where a link cannot be made."""
    target.unlink(missing_ok=True)
    try:
        os.link(made, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(made, target)


def get_generators(pelican):
    return ImagesGenerator


def register() -> None:
    signals.initialized.connect(start_ahead)
    signals.static_generator_finalized.connect(take_images)
    signals.all_generators_finalized.connect(prepare_images)
    signals.get_generators.connect(get_generators)
