"""Make the served files of one image: decode, drop metadata, resize, encode under a weight.

This is the plain core of the images plugin: it takes a source file and a `Profile` and
returns what was made (`Prepared`), keeping the files in a cache folder keyed by the
SHA-256 of the source bytes and the profile, so an unchanged image is processed once.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import PIL
from PIL import Image, ImageOps, features

# Raise it whenever the pipeline changes what it makes: every cached image is made anew.
VERSION = 2
SETTLED_NS = 2_000_000_000  # a file changed this long (ns) before a build is settled

# The quality steps tried, best first, until a file fits its weight. The last step is the
# lowest quality still worth showing; an image that does not fit then is refused.
QUALITIES = (80, 70, 60, 50, 40, 30)
# PNG and GIF have no quality setting: fewer colours is their way down.
COLOURS = (256, 128, 64, 32, 16)
WEBP = "WEBP"
# libwebp's effort by default: at 4, about 4 % smaller files than at 2 for two and a half
# times the encoding time (`IMAGE_WEBP_METHOD`).
WEBP_METHOD = 4
# The full-size original, when it is published: good quality, any weight.
ORIGINAL_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "GIF": {"optimize": True},
    WEBP: {"quality": 90},
}


@dataclass(frozen=True)
class Profile:
    """What to make of an image: WebP widths, fallback width, and the weight of each file."""

    widths: tuple[int, ...]  # one WebP variant per width (none for a logo)
    fallback_width: int  # the file served at the image's own path, in its own format
    max_bytes: int
    square: bool = False  # fit into fallback_width × fallback_width, not only its width
    original: bool = False  # also the full-size image, without metadata, at any weight
    webp_method: int = WEBP_METHOD  # libwebp's effort, 0 (fastest) to 6 (smallest files)

    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


@dataclass
class Prepared:
    """The files made from one image: the fallback and the WebP variants, with their sizes.

    `variants` holds (suffix, width, height): `-480.webp` is written beside the image as
    `<name>-480.webp`. The fallback replaces the image at its own path."""

    width: int
    height: int
    variants: list[tuple[str, int, int]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Prepared:
        data = json.loads(text)
        return cls(data["width"], data["height"], [tuple(v) for v in data["variants"]])


class TooHeavy(Exception):
    """An image that stays over its weight at the lowest quality."""

    def __init__(self, size: int, limit: int):
        super().__init__(size, limit)  # so that a worker process can send it back
        self.size = size
        self.limit = limit

    def __str__(self) -> str:
        return f"{self.size} bytes at the lowest quality; {self.limit} at most"


class Unreadable(Exception):
    """A file Pillow cannot decode."""


UNREADABLE = (OSError, SyntaxError, ValueError, Image.DecompressionBombError)


def cache_key(data: bytes, profile: Profile) -> str:
    """The name of an image's cache entry: its bytes and everything that shapes the result."""
    digest = hashlib.sha256()
    for part in (
        f"minga-images {VERSION}",
        profile.key(),
        f"Pillow {PIL.__version__} webp {features.version('webp')}",
    ):
        digest.update(part.encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


Job = tuple[Path, Profile]
# What became of one image: (what was made, its cache folder, found in the cache?), or why
# it could not be made.
Outcome = tuple[Prepared, Path, bool] | TooHeavy | Unreadable


class EntryNames:
    """The cache entry of each image file by its path, profile and state (inode, size and
    times), from the last build's (`kept`) and kept for the next one (`now`): a file in the
    state an earlier build read is not read and hashed again to find its entry (at 2,000
    images, 2.3 s of every build). A state from the moments before the build is not kept: a
    file written twice within one tick of the file system's clock could keep its times."""

    def __init__(self, kept: dict | None = None):
        self.kept = kept or {}
        self.now: dict[tuple, str] = {}
        self.settled = time.time_ns() - SETTLED_NS

    def known(self, source: Path, profile: Profile) -> tuple[tuple, os.stat_result, str | None]:
        """The file's identity and state, and its entry's name if an earlier build kept it."""
        state = os.stat(source)
        ident = (str(source), profile, state.st_ino, state.st_size)
        ident += (state.st_mtime_ns, state.st_ctime_ns)
        return ident, state, self.kept.get(ident)

    def name(self, source: Path, profile: Profile) -> str:
        ident, state, name = self.known(source, profile)
        if name is None:  # its state is taken before it is read: a change is a new state
            name = cache_key(source.read_bytes(), profile)
        if state.st_ctime_ns < self.settled:
            self.now[ident] = name
        return name


def prepare_all(
    jobs: list[Job], cache: Path, processes: int = 1, names: EntryNames | None = None
) -> list[Outcome]:
    """The outcome of each (source, profile), in order; images that are not in the cache are
    made by up to `processes` worker processes side by side."""
    outcomes: list[Outcome | None] = [
        cached(source, profile, cache, names) for source, profile in jobs
    ]
    missing = [i for i, outcome in enumerate(outcomes) if outcome is None]
    arguments = [(*jobs[i], cache) for i in missing]
    workers = min(processes, len(missing)) if "fork" in get_all_start_methods() else 1
    if workers > 1:
        # Forked workers share the loaded Pelican and Pillow; each image is one task.
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            made = list(pool.map(_prepare_one, arguments))
    else:
        made = [_prepare_one(argument) for argument in arguments]
    for i, outcome in zip(missing, made, strict=True):
        outcomes[i] = outcome
    return outcomes


def _prepare_one(argument: tuple[Path, Profile, Path]) -> Outcome:
    try:
        return prepare(*argument)
    except TooHeavy as heavy:
        return heavy
    except UNREADABLE:
        return Unreadable()


def cached(
    source: Path, profile: Profile, cache: Path, names: EntryNames | None = None
) -> tuple[Prepared, Path, bool] | None:
    """What was made of `source` by an earlier build, when its cache entry exists."""
    name = names.name(source, profile) if names else cache_key(source.read_bytes(), profile)
    return _found(cache / name)


def _found(entry: Path) -> tuple[Prepared, Path, bool] | None:
    """What a cache entry holds, when it exists."""
    meta = entry / "prepared.json"
    if meta.is_file():
        return Prepared.from_json(meta.read_text(encoding="utf-8")), entry, True
    return None


def prepare(
    source: Path, profile: Profile, cache: Path, names: EntryNames | None = None
) -> tuple[Prepared, Path, bool]:
    """The files of `source` for `profile`: (what was made, its cache folder, from cache?).

    Files in the cache folder: `fallback` and one file per variant suffix (`-480.webp`).
    """
    name = names.known(source, profile)[2] if names is not None else None
    found = _found(cache / name) if name else None  # without reading the image
    if found is not None:
        return found
    data = source.read_bytes()
    entry = cache / cache_key(data, profile)
    found = _found(entry)
    if found is not None:
        return found
    files, prepared = make(data, profile)
    # Written aside, then renamed: a build that stops halfway leaves no half entry.
    partial = entry.with_name(f"{entry.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name, body in files.items():
        (partial / name).write_bytes(body)
    (partial / "prepared.json").write_text(prepared.to_json(), encoding="utf-8")
    try:
        partial.rename(entry)
    except OSError:  # another build made the same entry meanwhile: it is the same
        shutil.rmtree(partial, ignore_errors=True)
    return prepared, entry, False


def make(data: bytes, profile: Profile) -> tuple[dict[str, bytes], Prepared]:
    """Encode the fallback and the variants of an image given as bytes."""
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        # The full-size original needs every pixel; else a JPEG is decoded smaller.
        pixels = clean_pixels(image, None if profile.original else profile.fallback_width)
    resized: list[Image.Image] = []

    def at(width: int) -> Image.Image:
        image = fit(pixels, width, profile.square, resized)
        if all(image is not known for known in (pixels, *resized)):
            resized.append(image)
        return image

    fallback = at(profile.fallback_width)
    method = profile.webp_method
    files = {"fallback": encode(fallback, kind, profile.max_bytes, method)}
    prepared = Prepared(*fallback.size)
    for width in profile.widths:
        variant = at(width)
        if prepared.variants and variant.width == prepared.variants[-1][1]:
            break  # never enlarged: a small image has fewer widths
        suffix = f"-{width}.webp"
        files[suffix] = encode(variant, WEBP, profile.max_bytes, method)
        prepared.variants.append((suffix, *variant.size))
    if profile.original:
        options = ORIGINAL_OPTIONS[kind] | ({"method": method} if kind == WEBP else {})
        files["original"] = save(pixels, kind, options)
    return files, prepared


def clean_pixels(image: Image.Image, width: int | None) -> Image.Image:
    """The upright pixels of the first frame, in RGB, RGBA or L, and nothing else."""
    image.seek(0)  # an animation keeps its first frame only
    if image.format == "JPEG" and width:
        # Decode a large JPEG at a reduced scale (1/2, 1/4, 1/8) still wider than needed.
        turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
        image.draft(image.mode, (1, width) if turned else (width, 1))
    upright = ImageOps.exif_transpose(image)
    transparent = upright.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        "transparency" in upright.info
    )
    mode = "RGBA" if transparent else ("L" if upright.mode == "L" else "RGB")
    converted = upright.convert(mode)
    # A new image from the bare pixels: nothing of the file (EXIF, XMP, ICC, comments,
    # bytes after the image) can follow it.
    return Image.frombytes(mode, converted.size, converted.tobytes())


def fit(
    pixels: Image.Image, width: int, square: bool = False, made: Sequence[Image.Image] = ()
) -> Image.Image:
    """`pixels` at most `width` wide (and as high, when `square`); never enlarged.

    `made`: `pixels` already resized to other sizes. One of the size asked is returned as
    it is, and the smallest one still larger is resized instead of `pixels` (the 480-px
    variant from the 960-px one: a quarter of the pixels to filter)."""
    w, h = pixels.size
    scale = min(1.0, width / w, width / h if square else 1.0)
    if scale == 1.0:
        return pixels
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    larger = [image for image in made if image.width >= size[0] and image.height >= size[1]]
    start = min(larger, key=lambda image: image.width, default=pixels)
    if start.size == size:
        return start
    return start.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode(pixels: Image.Image, kind: str, max_bytes: int, webp_method: int = WEBP_METHOD) -> bytes:
    """`pixels` in format `kind`, at the best quality step that fits in `max_bytes`."""
    smallest = None
    for attempt in attempts(pixels, kind, webp_method):
        body = save(*attempt)
        if len(body) <= max_bytes:
            return body
        smallest = min(smallest or len(body), len(body))
    raise TooHeavy(smallest or 0, max_bytes)


def attempts(pixels: Image.Image, kind: str, webp_method: int = WEBP_METHOD):
    """(image, format, options) from the best quality to the lowest sane one."""
    if kind in ("JPEG", WEBP):
        image = pixels if kind == WEBP or pixels.mode in ("RGB", "L") else flatten(pixels)
        if kind == WEBP and image.mode == "L":
            image = image.convert("RGB")
        for quality in QUALITIES:
            options = {"quality": quality, "optimize": True, "progressive": True}
            if kind == WEBP:
                options = {"quality": quality, "method": webp_method}
            yield image, kind, options
        return
    if kind == "PNG":
        yield pixels, kind, {"optimize": True}
    # Fast octree: it keeps transparency, and is fifty times as fast as median cut.
    colour = pixels.convert("RGB") if pixels.mode == "L" else pixels
    for colours in COLOURS:
        yield colour.quantize(colours, method=Image.Quantize.FASTOCTREE), kind, {"optimize": True}


def flatten(pixels: Image.Image) -> Image.Image:
    """A transparent image on white, for a format without transparency."""
    ground = Image.new("RGB", pixels.size, (255, 255, 255))
    ground.paste(pixels, mask=pixels.getchannel("A"))
    return ground


def save(image: Image.Image, kind: str, options: dict) -> bytes:
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()
