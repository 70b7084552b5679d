"""A reader's crawl of a built site from disk: from `index.html`, follow every link that
Chromium finds in a page through `file://`, as someone with a copy on a USB stick would.

For each page it records every link to a file that does not exist, every link to a folder
(which a browser on `file://` shows as a file listing, not as the page) and what the
browser could not load (a stylesheet, a script, an image). The pages never reached from
the start are reported too.

Every page reached is parsed by Chromium's own HTML parser, its addresses resolved by
Chromium's URL parser against the page's `file://` address (`LINKS`), many pages to one
call. A page is also opened in a tab, and what the browser failed to load recorded, when
it uses a stylesheet, script, image or icon that no page opened before used: so every file
a page loads is loaded by the browser at least once, and every link of every page is
checked, without opening 650 pages one by one (80 ms each, almost all of it Chromium's own
work per navigation). What is found does not depend on the order pages are read in.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Each page's addresses, as [tag, resolved address, whether a browser loads it with the
# page]. `new URL(value, base)` is what `a.href` gives in the page opened at `url`.
LINKS = """(pages) => pages.map(([url, html]) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const own = doc.querySelector('base[href]');
  const base = own ? new URL(own.getAttribute('href'), url).href : url;
  const at = (value) => new URL(value, base).href;
  const LOADED = /\\b(stylesheet|icon|preload|modulepreload|manifest)\\b/i;
  return Array.from(doc.querySelectorAll(
    'a[href], link[href], img[src], img[srcset], source[srcset], script[src], form[action]'
  )).flatMap(el => {
    const tag = el.tagName.toLowerCase();
    const loads = tag === 'img' || tag === 'source' || tag === 'script'
      || (tag === 'link' && LOADED.test(el.getAttribute('rel') || ''));
    if (el.hasAttribute('srcset')) {
      const found = el.getAttribute('srcset').split(',')
        .map(c => [tag, at(c.trim().split(/\\s+/)[0]), loads]);
      return el.hasAttribute('src') ? [[tag, at(el.getAttribute('src')), loads], ...found] : found;
    }
    const name = tag === 'form' ? 'action' : (tag === 'a' || tag === 'link') ? 'href' : 'src';
    return [[tag, at(el.getAttribute(name)), loads]];
  });
})"""
BATCH = 50  # pages parsed in one call


@dataclass
class Crawl:
    visited: set[Path] = field(default_factory=set)  # every page reached and parsed
    opened: set[Path] = field(default_factory=set)  # the pages also opened in a tab
    broken: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # resources the browser could not load
    unreachable: list[str] = field(default_factory=list)


class _Tab:
    """One browser tab and the loads that failed in it since its last page was opened."""

    def __init__(self, context):
        self.page = context.new_page()
        self.failed: list[str] = []
        # A request the next navigation cancels (a favicon still loading) did not fail.
        self.page.on("requestfailed", self._failed)

    def _failed(self, request) -> None:
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} ({request.failure})")

    def open(self, path: Path) -> list[str]:
        """Open `path`, wait for everything it loads, and return what failed to load."""
        self.failed.clear()
        self.page.goto(path.as_uri(), wait_until="load")
        return list(self.failed)


def crawl(browser, root: Path, start: str = "index.html") -> Crawl:
    root = root.resolve()
    found = Crawl()
    context = browser.new_context()
    reader = context.new_page()  # parses pages; it never opens one
    tab = _Tab(context)
    queue = deque([root / start])
    seen = {root / start}
    loaded: set[str] = set()  # the resources the pages opened so far use
    targets: dict[str, tuple[str, Path]] = {}  # a file address's path -> (what it is, resolved)

    def target_of(path: str) -> tuple[str, Path]:
        known = targets.get(path)
        if known is None:
            target = Path(unquote(path))
            if target.is_dir() or path.endswith("/"):
                known = ("folder", target)
            elif not target.is_file() or not target.resolve().is_relative_to(root):
                known = ("broken", target)
            else:
                known = ("file", target.resolve())
            targets[path] = known
        return known

    while queue:
        batch = [queue.popleft() for _ in range(min(BATCH, len(queue)))]
        pages = [[p.as_uri(), p.read_text(encoding="utf-8")] for p in batch]
        for current, addresses in zip(batch, reader.evaluate(LINKS, pages), strict=True):
            found.visited.add(current)
            here = current.relative_to(root).as_posix()
            uses: set[str] = set()
            for tag, address, loads in addresses:
                parts = urlsplit(address)
                if parts.scheme != "file":
                    continue
                if loads:
                    uses.add(parts.path)
                what, target = target_of(parts.path)
                if what == "folder":
                    found.folders.append(f"{here} -> {address}")
                elif what == "broken":
                    found.broken.append(f"{here} -> {address}")
                elif tag in ("a", "form") and target.suffix == ".html" and target not in seen:
                    seen.add(target)
                    queue.append(target)
            if not uses <= loaded:
                loaded |= uses
                found.opened.add(current)
                found.failed += [f"{here} -> {url}" for url in tab.open(current)]
    context.close()
    pages = {p.resolve() for p in root.rglob("*.html")}
    found.unreachable = sorted(p.relative_to(root).as_posix() for p in pages - found.visited)
    return found
