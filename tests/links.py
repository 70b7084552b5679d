"""Read a built site: the links of each page, resolved to files, as a browser from disk would."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append((tag, attrs[name]))
        if attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                self.links.append((tag, candidate.split()[0]))


def parse(page: Path) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def internal_targets(output: Path, page: Path) -> list[tuple[str, Path | None, str]]:
    """(raw url, the file it points to, fragment) for each internal link of a page.

    The file is None for a link a browser could not open from disk (a folder, an
    absolute path to the site root).
    """
    found = []
    for _tag, url in parse(page).links:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url or url.startswith("#"):
            continue
        if url.startswith("/"):
            found.append((url, None, parts.fragment))
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        found.append((url, target if target.is_file() else None, parts.fragment))
    return found


def broken_links(output: Path) -> list[str]:
    """Every internal link in every HTML page of `output` that does not reach a file."""
    output = output.resolve()
    broken = []
    for page in sorted(output.rglob("*.html")):
        for url, target, fragment in internal_targets(output, page):
            if target is None or not target.is_relative_to(output):
                broken.append(f"{page.relative_to(output)} -> {url}")
            elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken.append(f"{page.relative_to(output)} -> {url} (no #{fragment})")
    return broken


def clicks_from(output: Path, start: str = "index.html") -> dict[str, int]:
    """Fewest clicks on <a> links from `start` to each page of the site."""
    output = output.resolve()
    depth = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        page = output / current
        for tag, url in parse(page).links:
            if tag != "a":
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path.endswith(".html"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file() or not target.is_relative_to(output):
                continue
            key = target.relative_to(output).as_posix()
            if key not in depth:
                depth[key] = depth[current] + 1
                queue.append(key)
    return depth
