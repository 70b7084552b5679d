"""Content images are re-encoded with Pillow, never copied as given.

A file that is an image to the browser may also carry a hidden payload (a polyglot that is
also a script or an archive, data appended after the image, or metadata such as the GPS
position of a photo of activists). Every JPEG, PNG, GIF and WebP image of the content is
therefore decoded to its pixels and written anew, with no metadata, in its own format.
Files that are links, or that lie outside the content folder, are never read at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from content_model import ContentError, Problem, _
from pelican import signals
from pelican.generators import Generator
from PIL import Image, ImageOps

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 75, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "GIF": {"optimize": True},
    "WEBP": {"quality": 85, "method": 6},
}
# The only image information worth keeping: which palette colour is transparent.
KEPT_INFO = ("transparency",)


def reencode(source: Path, target: Path) -> None:
    """Write the pixels of `source` to `target`, in the same format, without metadata."""
    with Image.open(source) as image:
        kind = image.format
        image.seek(0)  # an animation keeps its first frame only
        upright = ImageOps.exif_transpose(image)
        if kind == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())
        clean.info = {key: upright.info[key] for key in KEPT_INFO if key in upright.info}
    target.parent.mkdir(parents=True, exist_ok=True)
    extra = {"transparency": clean.info["transparency"]} if "transparency" in clean.info else {}
    clean.save(target, kind, **SAVE_OPTIONS[kind], **extra)


def outside_or_linked(source: Path, root: Path) -> bool:
    """True for a file that is a link, or that resolves outside the content folder."""
    return source.is_symlink() or not source.resolve().is_relative_to(root.resolve())


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


class ImagesGenerator(Generator):
    """Write every content image, re-encoded, where Pelican would have copied it."""

    def generate_output(self, writer) -> None:
        output = Path(self.output_path)
        for static in self.context.get("content_images", []):
            target = output / static.save_as
            if not os.path.normpath(target).startswith(os.path.normpath(output)):
                continue  # save_as never leaves the output folder; this is a second lock
            reencode(Path(static.source_path), target)


def get_generators(pelican):
    return ImagesGenerator


def register() -> None:
    signals.static_generator_finalized.connect(take_images)
    signals.get_generators.connect(get_generators)
