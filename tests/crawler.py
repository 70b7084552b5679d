"""A reader's crawl of a built site from disk: Chromium opens `index.html` through
`file://` and follows every link it can, as someone with a copy on a USB stick would.

For each page it records what the browser could not load (a stylesheet, an image, a feed
link), every link to a file that does not exist, and every link to a folder (which a
browser on `file://` shows as a file listing, not as the page). The pages never reached
from the start are reported too.

Several tabs load pages at once (`TABS`): while Chromium loads some, the links of another
are read. What is found does not depend on the order pages are opened in.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Every address a page refers to, resolved by the browser itself.
ADDRESSES = """() => Array.from(document.querySelectorAll(
  'a[href], link[href], img[src], source[srcset], img[srcset], form[action]'
)).flatMap(el => {
  const tag = el.tagName.toLowerCase();
  if (el.hasAttribute('srcset')) {
    return el.srcset.split(',')
      .map(c => [tag, new URL(c.trim().split(/\\s+/)[0], document.baseURI).href]);
  }
  return [[tag, tag === 'form' ? el.action : (el.href || el.src)]];
})"""
TABS = 2


@dataclass
class Crawl:
    visited: set[Path] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # resources the browser could not load
    unreachable: list[str] = field(default_factory=list)


class _Tab:
    """One browser tab and the loads that failed in it since its last page was opened."""

    def __init__(self, context):
        self.page = context.new_page()
        self.failed: list[str] = []
        self.current: Path | None = None
        # A request the next navigation cancels (a favicon still loading) did not fail.
        self.page.on("requestfailed", self._failed)

    def _failed(self, request) -> None:
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} ({request.failure})")

    def open(self, path: Path) -> None:
        """Start loading `path`; `read` waits for it."""
        self.failed.clear()
        self.current = path
        self.page.goto(path.as_uri(), wait_until="commit")

    def read(self):
        self.page.wait_for_load_state("load")
        return self.page.evaluate(ADDRESSES)


def crawl(browser, root: Path, start: str = "index.html", tabs: int = TABS) -> Crawl:
    root = root.resolve()
    found = Crawl()
    context = browser.new_context()
    idle = deque(_Tab(context) for _ in range(tabs))
    loading: deque[_Tab] = deque()
    queue = deque([root / start])
    seen = {root / start}
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

    while queue or loading:
        while queue and idle:
            tab = idle.popleft()
            tab.open(queue.popleft())
            loading.append(tab)
        tab = loading.popleft()
        addresses = tab.read()
        current = tab.current
        found.visited.add(current)
        here = current.relative_to(root).as_posix()
        found.failed += [f"{here} -> {url}" for url in tab.failed]
        idle.append(tab)
        for tag, address in addresses:
            parts = urlsplit(address)
            if parts.scheme != "file":
                continue
            what, target = target_of(parts.path)
            if what == "folder":
                found.folders.append(f"{here} -> {address}")
            elif what == "broken":
                found.broken.append(f"{here} -> {address}")
            elif tag in ("a", "form") and target.suffix == ".html" and target not in seen:
                seen.add(target)
                queue.append(target)
    context.close()
    pages = {p.resolve() for p in root.rglob("*.html")}
    found.unreachable = sorted(p.relative_to(root).as_posix() for p in pages - found.visited)
    return found
