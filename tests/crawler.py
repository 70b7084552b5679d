"""A reader's crawl of a built site from disk: Chromium opens `index.html` through
`file://` and follows every link it can, as someone with a copy on a USB stick would.

For each page it records what the browser could not load (a stylesheet, an image, a feed
link), every link to a file that does not exist, and every link to a folder (which a
browser on `file://` shows as a file listing, not as the page). The pages never reached
from the start are reported too.
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


@dataclass
class Crawl:
    visited: set[Path] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # resources the browser could not load
    unreachable: list[str] = field(default_factory=list)


def crawl(browser, root: Path, start: str = "index.html") -> Crawl:
    root = root.resolve()
    found = Crawl()
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    # A request the next navigation cancels (a favicon still loading) did not fail.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if "ERR_ABORTED" in (request.failure or "")
            else failed.append(f"{request.url} ({request.failure})")
        ),
    )
    queue = deque([root / start])
    seen = {root / start}
    while queue:
        current = queue.popleft()
        failed.clear()
        page.goto(current.as_uri(), wait_until="load")
        found.visited.add(current)
        here = current.relative_to(root).as_posix()
        found.failed += [f"{here} -> {url}" for url in failed]
        for tag, address in page.evaluate(ADDRESSES):
            parts = urlsplit(address)
            if parts.scheme != "file":
                continue
            target = Path(unquote(parts.path))
            if target.is_dir() or parts.path.endswith("/"):
                found.folders.append(f"{here} -> {address}")
            elif not target.is_file() or not target.resolve().is_relative_to(root):
                found.broken.append(f"{here} -> {address}")
            elif tag in ("a", "form") and target.suffix == ".html" and target.resolve() not in seen:
                seen.add(target.resolve())
                queue.append(target.resolve())
    context.close()
    pages = {p.resolve() for p in root.rglob("*.html")}
    found.unreachable = sorted(p.relative_to(root).as_posix() for p in pages - found.visited)
    return found
