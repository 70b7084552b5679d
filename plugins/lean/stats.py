"""Page weights as tables: by kind of page, the heaviest pages, and the time each takes to
arrive on a slow connection. `invoke stats` prints them for the built site.

The time model: a new connection costs two round trips (TCP, TLS); the HTML one round trip
more plus its bytes; the stylesheet, asked for once the HTML arrives, one round trip plus
its bytes; then the images, fetched together, one round trip plus all their bytes. "First
view" stops before the images.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from html import escape

from .pages import Page

KB = 1000


@dataclass(frozen=True)
class Link:
    name: str
    kbps: int
    rtt: float  # seconds

    def first_view(self, page: Page) -> float:
        return 4 * self.rtt + page.first_view * 8 / (self.kbps * 1000)

    def full(self, page: Page) -> float:
        if not page.images:
            return self.first_view(page)
        return self.first_view(page) + self.rtt + sum(page.images.values()) * 8 / (self.kbps * 1000)


LINKS = (Link("Slow 3G", 400, 0.4), Link("2G", 35, 1.3))
KINDS = ("text", "home", "org", "facet", "listing")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0


def by_kind(pages: list[Page]) -> str:
    lines = [
        "| kind | pages | HTML+CSS gz (min / median / max) | with images (median / max) "
        "| requests (max) | images (max) | "
        + " | ".join(f"{link.name} first view / all (median)" for link in LINKS)
        + " |",
        "|---|---:|---:|---:|---:|---:|" + "---:|" * len(LINKS),
    ]
    for row in figures(pages):
        times = " | ".join(f"{first:.1f} s / {full:.1f} s" for first, full in row.times.values())
        lines.append(
            f"| {row.kind} | {row.pages} | {row.smallest / KB:.1f} / {row.median / KB:.1f} / "
            f"{row.largest / KB:.1f} KB | {row.median_total / KB:.1f} / "
            f"{row.largest_total / KB:.1f} KB | {row.requests} | {row.images} | {times} |"
        )
    return "\n".join(lines)


def heaviest(pages: list[Page], count: int = 10) -> str:
    lines = [
        "| page | kind | HTML+CSS gz | with images | requests | "
        + " | ".join(f"{link.name} (all)" for link in LINKS)
        + " |",
        "|---|---|---:|---:|---:|" + "---:|" * len(LINKS),
    ]
    for page in sorted(pages, key=lambda p: (-p.total, p.path))[:count]:
        times = " | ".join(f"{link.full(page):.1f} s" for link in LINKS)
        lines.append(
            f"| {page.path} | {page.kind} | {page.first_view / KB:.1f} KB | "
            f"{page.total / KB:.1f} KB | {page.requests} | {times} |"
        )
    return "\n".join(lines)


def report(pages: list[Page]) -> str:
    texts = sorted(page.first_view for page in pages if page.kind == "text")
    heaviest_page = max(pages, key=lambda p: p.total) if pages else None
    summary = [
        f"{len(pages)} pages; median text page {_median(texts) / KB:.1f} KB of HTML and CSS "
        "(gzip)"
        + (
            f"; heaviest page {heaviest_page.path} ({heaviest_page.total / KB:.1f} KB)"
            if heaviest_page
            else ""
        )
    ]
    return "\n\n".join(
        [
            *summary,
            "By kind of page:\n\n" + by_kind(pages),
            "The ten heaviest pages:\n\n" + heaviest(pages),
            "Times: "
            + "; ".join(
                f"{link.name} = {link.kbps} kbps, {link.rtt * 1000:.0f} ms round trip"
                for link in LINKS
            )
            + ". A new connection costs 2 round trips, the HTML 1 more, the stylesheet 1, "
            "the images 1 (fetched together).",
        ]
    )


@dataclass
class KindFigures:
    """The weights of one kind of page, for the site's page of figures."""

    kind: str
    pages: int
    smallest: int
    median: int
    largest: int
    median_total: int
    largest_total: int
    times: dict[str, tuple[float, float]]  # link name -> (first view, all), medians
    requests: int  # the most of one page
    images: int  # the most of one page


def figures(pages: list[Page]) -> list[KindFigures]:
    found = []
    for kind in KINDS:
        group = [page for page in pages if page.kind == kind]
        if not group:
            continue
        first = sorted(page.first_view for page in group)
        total = sorted(page.total for page in group)
        found.append(
            KindFigures(
                kind,
                len(group),
                first[0],
                int(_median(first)),
                first[-1],
                int(_median(total)),
                total[-1],
                {
                    link.name: (
                        _median([link.first_view(p) for p in group]),
                        _median([link.full(p) for p in group]),
                    )
                    for link in LINKS
                },
                max(page.requests for page in group),
                max(len(page.images) for page in group),
            )
        )
    return found


def chart(rows: list[KindFigures], budgets: dict, labels: dict[str, str], title: str) -> str:
    """A small bar chart (inline SVG, no script): each kind's median and heaviest first view
    against its budget. `labels` names the kinds in the page's language."""
    width, bar, gap, left = 360, 14, 10, 160
    scale = (width - left - 10) / max(budgets["index"], budgets["text"], *(r.largest for r in rows))
    height = len(rows) * (bar + gap) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="weights-title">',
        f'<title id="weights-title">{escape(title)}</title>',
    ]
    for index, row in enumerate(rows):
        y = 8 + index * (bar + gap)
        limit = budgets["text"] if row.kind == "text" else budgets["index"]
        parts += [
            f'<text x="{left - 6}" y="{y + bar - 3}" text-anchor="end" font-size="11" '
            f'fill="currentColor">{escape(labels.get(row.kind, row.kind))}</text>',
            f'<rect x="{left}" y="{y}" width="{row.largest * scale:.1f}" height="{bar}" '
            'fill="currentColor" opacity=".25"/>',
            f'<rect x="{left}" y="{y}" width="{row.median * scale:.1f}" height="{bar}" '
            'fill="currentColor" opacity=".7"/>',
            f'<line x1="{left + limit * scale:.1f}" x2="{left + limit * scale:.1f}" '
            f'y1="{y - 3}" y2="{y + bar + 3}" stroke="currentColor" stroke-width="2"/>',
        ]
    parts.append("</svg>")
    return "".join(parts)
