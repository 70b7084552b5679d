"""Turn a text's `<img>` of a content image into a `<picture>` with its WebP widths.

The HTML given is the sanitizer's output (attributes always quoted with `"`). Each local
image becomes `<picture><source type="image/webp" srcset=… sizes=…><img src=… width=…
height=… alt=… loading=…></picture>`: the `src` stays as the author wrote it (Pelican
resolves `{static}` links for each page and feed), and the WebP files, which lie beside the
image, are written `{site}<path from the site's root>`, resolved by `resolve_site_links`
with the same base Pelican uses for that page.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

# Where a srcset's address starts from the site's root; see `resolve_site_links`.
SITE = "{site}"
# The display width of a text's column (theme/static/css: `max-width: 42rem`).
SIZES = "(max-width: 42rem) 100vw, 42rem"

TAGS = re.compile(r"(<picture\b.*?</picture>)|(<img\s[^>]*>)", re.S | re.I)
# Whether `rewrite` has anything to do: most texts show no image in their body.
ANY_IMAGE = re.compile(r"<(?:picture|img)\b", re.I)
ATTRIBUTE = re.compile(r'([^\s=/>]+)(?:="([^"]*)")?')
INTRASITE = re.compile(r"^(?:\{(?:static|attach)\}|\|(?:static|attach)\|)(.*)$")
REMOTE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
SITE_LINK = re.compile(r"\{site\}([^\s,\"]+)")


@dataclass(frozen=True)
class Served:
    """An image as the site serves it: its fallback's address and size, and its WebP files
    as (address, width); addresses from the site's root."""

    url: str
    width: int
    height: int
    webp: tuple[tuple[str, int], ...] = ()
    sizes: str = SIZES

    def srcset(self, base: str = SITE) -> str:
        return ", ".join(f"{base}{url} {width}w" for url, width in self.webp)


def picture(served: Served, attributes: dict[str, str], lazy: bool) -> str:
    """The markup of one image: its attributes, real size, WebP sources and loading."""
    attributes = {k: v for k, v in attributes.items() if k not in ("width", "height", "loading")}
    attributes.update(width=str(served.width), height=str(served.height))
    if lazy:
        attributes["loading"] = "lazy"
    img = "<img" + "".join(f' {k}="{v}"' for k, v in attributes.items()) + ">"
    if not served.webp:
        return img
    source = f'<source type="image/webp" srcset="{served.srcset()}" sizes="{served.sizes}">'
    return f"<picture>{source}{img}</picture>"


def target_of(src: str, source_dir: str, page_dir: str) -> tuple[str, str] | None:
    """What an `src` points to: ("source", path from the content root) for a `{static}`
    link, ("output", path from the site's root) for a relative address; None for anything
    else (another site, an anchor, an absolute path)."""
    src = html.unescape(src)
    intrasite = INTRASITE.match(src)
    if intrasite:
        path = unquote(urlsplit(intrasite.group(1)).path)
        if path.startswith("/"):
            return "source", posixpath.normpath(path.lstrip("/"))
        return "source", posixpath.normpath(posixpath.join(source_dir, path))
    if not src or REMOTE.match(src) or src.startswith(("#", "/", "{", "|")):
        return None
    path = unquote(urlsplit(src).path)
    return "output", posixpath.normpath(posixpath.join(page_dir, path))


def rewrite(content: str, find, first_is_taken: bool) -> tuple[str, list[str]]:
    """`content` with each local image as a `picture`; and the served images, in order.

    `find(src)` gives the `Served` image an `src` points to, or None. Every image but the
    page's first is loaded lazily; `first_is_taken` when a lead image comes before."""
    seen: list[str] = []
    first = [not first_is_taken]

    def replace(match: re.Match) -> str:
        if match.group(1):  # a picture the author wrote stays as written
            first[0] = False
            return match.group(1)
        tag = match.group(2)
        attributes = dict(ATTRIBUTE.findall(tag[4:].rstrip("/>")))
        served = find(attributes.get("src") or "")
        lazy = not first[0]
        first[0] = False
        if served is None:
            return tag
        seen.append(served.url)
        return picture(served, attributes, lazy)

    return TAGS.sub(replace, content), seen


def resolve_site_links(content: str, siteurl: str, relative_urls: bool) -> str:
    """Replace `{site}` in srcsets by the page's base, as Pelican does for `{static}`."""
    if SITE not in content:
        return content
    if relative_urls:
        return SITE_LINK.sub(lambda m: os.path.join(siteurl, m.group(1)), content)
    base = siteurl if siteurl.endswith("/") else siteurl + "/"
    return SITE_LINK.sub(lambda m: urljoin(base, m.group(1)), content)
