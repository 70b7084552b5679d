"""Charts as inline SVG, made at build time: no script, no request, and printable.

Each chart is an `<svg role="img">` named by its `<title>` (what a screen reader says; the
page puts the same figures in a table beside it), drawn in `currentColor` so that it takes
the text's colour on screen, in print and in a dark theme. Labels and numbers come already
written in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str  # in the page's language
    value: int
    shown: str  # the value as the page writes numbers


def _open(ident: str, title: str, width: int, height: int, css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-labelledby="{ident}">'
        f'<title id="{ident}">{escape(title)}</title>'
    )


def bars(rows: list[Bar], title: str, ident: str) -> str:
    """Horizontal bars, one a row, longest first as given, each with its label and value."""
    width, bar, gap, left, right = 520, 14, 6, 210, 56
    top = max((row.value for row in rows), default=0) or 1
    scale = (width - left - right) / top
    height = len(rows) * (bar + gap) + gap
    parts = [_open(ident, title, width, height, "chart-bars")]
    for index, row in enumerate(rows):
        y = gap + index * (bar + gap)
        length = row.value * scale
        label = row.label if len(row.label) <= 32 else row.label[:31] + "…"
        parts += [
            f'<text x="{left - 6}" y="{y + bar - 3}" text-anchor="end" font-size="11" '
            f'fill="currentColor">{escape(label)}</text>',
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" '
            'fill="currentColor" opacity=".6"/>',
            f'<text x="{left + length + 4:.1f}" y="{y + bar - 3}" font-size="11" '
            f'fill="currentColor">{escape(row.shown)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def columns(rows: list[Bar], title: str, ident: str, ticks: dict[int, str]) -> str:
    """One column per period (months, oldest first); `ticks`: index of a column -> the
    label under it (a year under its January). The highest value is written on its column."""
    width, height, bottom, top_margin = 640, 160, 18, 14
    plot = height - bottom - top_margin
    step = width / max(len(rows), 1)
    top = max((row.value for row in rows), default=0) or 1
    parts = [_open(ident, title, width, height, "chart-columns")]
    highest = max(range(len(rows)), key=lambda i: rows[i].value, default=None)
    for index, row in enumerate(rows):
        if row.value:
            tall = row.value / top * plot
            parts.append(
                f'<rect x="{index * step:.2f}" y="{top_margin + plot - tall:.1f}" '
                f'width="{max(step - 1, 0.5):.2f}" height="{tall:.1f}" fill="currentColor" '
                'opacity=".6"/>'
            )
    if highest is not None and rows[highest].value:
        x = min(max(highest * step + step / 2, 12), width - 12)
        parts.append(
            f'<text x="{x:.1f}" y="{top_margin - 3}" text-anchor="middle" font-size="11" '
            f'fill="currentColor">{escape(rows[highest].shown)}</text>'
        )
    parts.append(
        f'<line x1="0" x2="{width}" y1="{top_margin + plot + 0.5}" '
        f'y2="{top_margin + plot + 0.5}" stroke="currentColor" stroke-width="1"/>'
    )
    for index, label in ticks.items():
        x = index * step
        parts.append(
            f'<text x="{x + 2:.1f}" y="{height - 4}" font-size="11" '
            f'fill="currentColor">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(values: list[int], title: str, ident: str) -> str:
    """A small line of counts (oldest first), its last point marked."""
    width, height, pad = 120, 24, 2
    top = max(values, default=0) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [
        (pad + index * step, height - pad - value / top * (height - 2 * pad))
        for index, value in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts = [
        _open(ident, title, width, height, "sparkline"),
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>',
    ]
    if points:
        x, y = points[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="currentColor"/>')
    parts.append("</svg>")
    return "".join(parts)
