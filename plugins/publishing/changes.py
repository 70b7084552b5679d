"""What a change does to the site: the pages it adds, changes and removes, with their weights.

The pull-request workflow builds the change as it would be published (`invoke preview`)
and compares that output with the published site, the `gh-pages` branch, read with git
(never checked out); `invoke changes` prints the comparison as Markdown for the run's
summary page, so a reviewer sees which pages a text adds and what each weighs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from content_model.messages import _
from content_model.problems import ContentError, Problem
from lean import budget_of, kb
from lean.pages import read_page

from . import HERE, _git_error, git

NEW, CHANGED, REMOVED = "new", "changed", "removed"
SHOWN = 60  # rows per table; the rest are counted


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def published_pages(root: Path, rev: str) -> dict[str, str]:
    """{page path: blob id} of the HTML pages in the tree of `rev` (e.g. origin/gh-pages)."""
    result = git(root, "ls-tree", "-r", "-z", "--full-tree", rev)
    if result.returncode != 0:
        raise ContentError(
            [
                Problem(
                    HERE,
                    1,
                    _(
                        "git cannot read the published site at `%(rev)s`: %(error)s",
                        rev=rev,
                        error=_git_error(result),
                    ),
                    _(
                        "fetch it first (git fetch origin gh-pages), or leave --against out "
                        "to list every page as new"
                    ),
                )
            ]
        )
    pages = {}
    for entry in result.stdout.split("\0"):
        meta, _tab, path = entry.partition("\t")
        if path.endswith(".html") and meta.split(" ")[1:2] == ["blob"]:
            pages[path] = meta.split(" ")[2]
    return pages


@dataclass(frozen=True)
class PageChange:
    path: str
    status: str  # new, changed or removed
    kind: str = ""  # text, home, org, facet, listing (lean.pages.kind_of)
    first_view: int = 0  # HTML and CSS, compressed
    budget: int = 0  # the first-view budget of this kind of page
    total: int = 0  # with its images


def page_changes(output: Path, published: dict[str, str], settings: dict) -> list[PageChange]:
    """Every page of `output` that is not in `published` or differs from it, and every
    published page the output no longer has, sorted by path."""
    changes = []
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        before = published.get(relative)
        if before == blob_id(path.read_bytes()):
            continue
        page = read_page(output, path)
        budget, _called = budget_of(page, settings["WEIGHT_BUDGETS"], settings["BUDGET_TEXT_WORDS"])
        status = NEW if before is None else CHANGED
        changes.append(PageChange(relative, status, page.kind, page.first_view, budget, page.total))
    built = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    changes += [PageChange(path, REMOVED) for path in sorted(set(published) - built)]
    return changes


def summary(changes: list[PageChange], against: str | None, lang: str) -> str:
    """The comparison as Markdown: counts, then a table per kind of change."""
    counts = {
        status: sum(1 for c in changes if c.status == status) for status in (NEW, CHANGED, REMOVED)
    }
    heading = _("Pages this change adds, changes and removes")
    lines = ["## " + heading.render(lang), ""]
    if against:
        compared = _("Compared with the published site (`%(rev)s`)", rev=against)
    else:
        compared = _("Nothing to compare with: every page of the build counts as new")
    lines.append(
        _(
            "%(compared)s: %(new)s new, %(changed)s changed, %(removed)s removed.",
            compared=compared.render(lang),
            new=counts[NEW],
            changed=counts[CHANGED],
            removed=counts[REMOVED],
        ).render(lang)
    )
    titles = {
        NEW: _("New pages"),
        CHANGED: _("Changed pages"),
        REMOVED: _("Removed pages"),
    }
    for status, title in titles.items():
        rows = [c for c in changes if c.status == status]
        if not rows:
            continue
        lines += ["", f"### {title.render(lang)} ({len(rows)})", ""]
        if status == REMOVED:
            lines += [f"- `{c.path}`" for c in rows[:SHOWN]]
        else:
            header = (
                _("Page"),
                _("HTML and CSS, compressed"),
                _("Budget"),
                _("With its images"),
            )
            lines.append("| " + " | ".join(h.render(lang) for h in header) + " |")
            lines.append("|---|---:|---:|---:|")
            # Texts first (what the change is about), then the heaviest listings.
            order = sorted(rows, key=lambda c: (c.kind != "text", -c.first_view, c.path))
            for c in order[:SHOWN]:
                mark = " ⚠️" if c.first_view > c.budget else ""
                lines.append(
                    f"| `{c.path}` | {kb(c.first_view)}{mark} | {kb(c.budget)} | {kb(c.total)} |"
                )
        if len(rows) > SHOWN:
            lines.append("\n" + _("…and %(count)s more", count=len(rows) - SHOWN).render(lang))
    return "\n".join(lines) + "\n"
