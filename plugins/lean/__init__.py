"""Lean output: nothing from other sites, every page within its weight budget, and (for the
published site) minified files.

Once every file is written, and before the build replaces the output folder:

1. HTML is minified with minify-html when `MINIFY_OUTPUT` is on (the published site; a
   local build stays readable);
2. every page is read as a browser would fetch it (`lean.pages`; a page written in this
   build was read as it was written, `site_paths.written`): a page that would load
   a script, stylesheet, font, image, frame or media file from another origin stops the
   build, naming the page and the address;
3. every page is weighed against the budgets of `WEIGHT_BUDGETS` (bytes; HTML and CSS as
   gzip sends them, images as they are): a text's first view (HTML + CSS) for a text of up
   to `BUDGET_TEXT_WORDS` words (longer texts get a proportionally larger budget), any
   other page's first view, a page with all its images, and each image. A page over budget
   stops the build with its size and what is heavy, unless `WEIGHT_EXCEPTIONS` names it
   (path -> the editors' reason);
4. the figures are published on a page of the site (`STATS_URL`, in every language's
   edition): weights by kind of page with a small chart, the heaviest pages, and the time
   they take on slow links (`lean.stats`); `invoke stats` prints the same tables.

(The `.gz` and `.br` copies come last, from the `precompress` plugin.)
"""

from __future__ import annotations

import functools
import logging
import os
import zlib
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.writers import Writer
from site_paths import edition_url, editions, write_page, written
from site_paths.kept import files_digest, keep_made, read_made
from site_paths.parallel import processes, side_by_side

from . import stats
from .pages import Page, bytes_key, facts, read_page, relative_path, stamp_of

logger = logging.getLogger(__name__)

DEFAULTS = {
    "MINIFY_OUTPUT": False,
    "WEIGHT_BUDGETS": {
        "text": 14_000,  # a text's HTML + CSS, compressed: one TCP round trip
        "index": 20_000,  # home and listings, HTML + CSS, compressed, before images
        "page": 100_000,  # any page with all its images
        "image": 60_000,  # one image as served
        "search": 150_000,  # a first search, compressed (checked by plugins/search)
    },
    "BUDGET_TEXT_WORDS": 1500,
    "WEIGHT_EXCEPTIONS": {},
    "STATS_URL": "stats/index.html",
}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
# Pages to read (not known from the memo) that make it worth reading them side by side.
READ_SHARE = 1000


class LeanOutputError(Exception):
    """Pages load from other sites, or weigh more than their budget."""


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


def budget_of(page: Page, budgets: dict, words: int) -> tuple[int, str]:
    """The first-view budget of a page and what it is called in messages."""
    if page.kind == "text":
        scale = max(1.0, page.words / words)
        return int(budgets["text"] * scale), f"a text of {page.words} words"
    return budgets["index"], "a home or index page"


def over_budget(page: Page, settings: dict) -> list[str]:
    """What is wrong with the weight of one page (nothing when it is within its budgets)."""
    budgets = settings["WEIGHT_BUDGETS"]
    found = []
    limit, called = budget_of(page, budgets, settings["BUDGET_TEXT_WORDS"])
    if page.first_view <= limit and page.total <= budgets["page"]:
        return found
    heavy = ", ".join(
        f"{name} {kb(size)}"
        for name, size in sorted(
            [("HTML", page.html_bytes), *page.stylesheets.items(), *page.images.items()],
            key=lambda item: -item[1],
        )[:4]
    )
    if page.first_view > limit:
        found.append(
            f"{page.path}: {kb(page.first_view)} of HTML and CSS (compressed), over the "
            f"{kb(limit)} of {called}; heaviest: {heavy}"
        )
    if page.total > budgets["page"]:
        found.append(
            f"{page.path}: {kb(page.total)} with its {len(page.images)} image(s), over the "
            f"{kb(budgets['page'])} of any page; heaviest: {heavy}"
        )
    return found


def minify(output: Path, paths: list[Path] | None = None, settings: dict | None = None) -> None:
    """Minify the HTML pages (all of them, or `paths`), and the stylesheets with them; the
    whole output's pages in shares on every core (`site_paths.parallel`).

    A page taken from the previous build (`incremental`) was minified then, and is a link
    to the previous output's file: it is left alone, and every other file is replaced, never
    written in place."""
    import minify_html
    from incremental import reused

    if paths is None:
        for path in sorted(output.rglob("*.css")):
            # minify-html minifies CSS inside <style>; the stylesheet is passed through it.
            css = minify_html.minify(
                "<style>" + path.read_text(encoding="utf-8") + "</style>", minify_css=True
            )
            replace_text(path, css.removeprefix("<style>").removesuffix("</style>"))
    kept = reused()
    pages = [
        path
        for path in (paths if paths is not None else sorted(output.rglob("*.html")))
        if not (kept and path.relative_to(output).as_posix() in kept)
    ]
    count = processes(settings, len(pages) // 100 + 1) if settings else 1

    def minify_share(share: str) -> None:
        for path in pages[int(share) :: count]:
            html = path.read_text(encoding="utf-8")
            replace_text(
                path,
                minify_html.minify(
                    html,
                    minify_css=True,
                    keep_closing_tags=True,
                    keep_html_and_head_opening_tags=True,
                ),
            )

    side_by_side(settings or {}, {str(i): 1 for i in range(count)}, minify_share)


def replace_text(path: Path, text: str) -> None:
    """Write `path` anew (a new file renamed over it), never into the file that is there."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def page_problems(pages: list[Page], settings: dict) -> tuple[list[str], list[str]]:
    """What the pages load from other sites, and which are over their budget."""
    remote = [f"{page.path} loads {load}" for page in pages for load in page.remote]
    exceptions = settings["WEIGHT_EXCEPTIONS"]
    heavy = [
        problem
        for page in pages
        if page.path not in exceptions
        for problem in over_budget(page, settings)
    ]
    return remote, heavy


def own_address(settings: dict) -> str:
    return settings.get("SITEURL", "") if "://" in settings.get("SITEURL", "") else ""


def inspect(output: Path, settings: dict) -> tuple[list[Page], list[str], list[str]]:
    """Read every page (shared among the processor cores when many are not in the memo);
    return them, the loads from other origins, and what is over budget."""
    own = own_address(settings)
    memo = {**load_memo(settings), **_written}
    paths, images = [], []
    for folder, _dirs, files in os.walk(output):  # one walk, without pathlib's cost per file
        for name in files:
            if name.endswith(".html"):
                paths.append(os.path.join(folder, name))
            elif os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES:
                images.append(os.path.join(folder, name))
    paths.sort()
    stamps = [stamp_of(path, output) for path in paths]
    # Pages the memo knows cost a look-up: only the others are worth more processes.
    unread = sum(1 for stamp in stamps if stamp not in memo)
    count = processes(settings, unread // READ_SHARE or 1)
    shares = {str(number): range(number, len(paths), count) for number in range(count)}

    def weigh(share: str) -> tuple[list[Page], dict]:
        found: dict = {}
        loaded: dict = {}  # the files pages load do not change while they are weighed
        pages = [
            read_page(output, paths[i], own, memo, found, loaded, stamps[i]) for i in shares[share]
        ]
        return pages, found

    weighed = side_by_side(settings, {share: len(shares[share]) for share in shares}, weigh)
    order = {relative_path(path, output): number for number, path in enumerate(paths)}
    pages = sorted(
        (page for read, _ in weighed.values() for page in read), key=lambda page: order[page.path]
    )
    save_memo(
        settings,
        {
            **{key: value for _, found in weighed.values() for key, value in found.items()},
            **{key: value for key, value in _written.items() if isinstance(key, bytes)},
        },
    )
    _written.clear()
    remote, heavy = page_problems(pages, settings)
    exceptions = settings["WEIGHT_EXCEPTIONS"]
    image_budget = settings["WEIGHT_BUDGETS"]["image"]
    for image in sorted(images):
        relative = relative_path(image, output)
        if relative not in exceptions:
            size = os.path.getsize(image)
            if size > image_budget:
                heavy.append(
                    f"{relative}: an image of {kb(size)}, over the {kb(image_budget)} of one "
                    "image; make it smaller (fewer pixels, or a photo instead of a drawing)"
                )
    return pages, remote, heavy


MEMO = "pages.pickle"  # under CACHE_PATH: what reading each page's bytes found

# What the pages this build wrote say, as they were written: by their stamp and by their
# bytes (`pages.bytes_key`), as in the memo.
_written: dict = {}


def note_page(_output: str, path: str, data: bytes, stamp: written.Stamp) -> None:
    if path.endswith(".html"):
        known = facts(stamp[0], data)
        _written[stamp] = _written[bytes_key(stamp[0], data)] = known


def load_memo(settings: dict) -> dict:
    memo = read_made(Path(settings.get("CACHE_PATH") or "cache") / MEMO, memo_made_by())
    return memo if isinstance(memo, dict) else {}


def save_memo(settings: dict, memo: dict) -> None:
    """Keep what reading this build's pages found, for the next build."""
    keep_made(Path(settings.get("CACHE_PATH") or "cache") / MEMO, memo_made_by(), memo)


@functools.cache
def memo_made_by() -> str:
    """What a page's facts depend on besides its bytes: this package's code, and zlib's
    version (a page's compressed size)."""
    return f"{files_digest(Path(__file__).resolve().parent)} zlib {zlib.ZLIB_RUNTIME_VERSION}"


def finish_output(pelican) -> None:
    settings = pelican.settings
    output = Path(pelican.output_path)
    if settings["MINIFY_OUTPUT"]:
        minify(output, settings=settings)
    pages, remote, heavy = inspect(output, settings)
    problems = []
    if remote:
        problems.append(
            f"{len(remote)} page resource(s) from other sites; a page may only load the "
            "site's own files (put the file in the organization's folder):\n  "
            + "\n  ".join(remote)
        )
    if heavy:
        problems.append(
            f"{len(heavy)} page(s) or image(s) over their weight budget (WEIGHT_BUDGETS; an "
            "editor can allow one in WEIGHT_EXCEPTIONS with the reason):\n  " + "\n  ".join(heavy)
        )
    if problems:
        raise LeanOutputError("\n".join(problems))
    texts = sorted(page.first_view for page in pages if page.kind == "text")
    if texts:
        logger.info(
            "%s pages within budget; median text %s, heaviest page %s",
            len(pages),
            kb(texts[len(texts) // 2]),
            max(pages, key=lambda page: page.total).path,
        )
    if _generators:
        write_stats_pages(_generators[0], output, pages)


_generators: list = []


def remember_generators(generators) -> None:
    """The figures' page is written with the theme once every other page is weighed."""
    _generators[:] = generators[:1]


def write_stats_pages(generator, output: Path, pages: list[Page]) -> None:
    settings = generator.settings
    writer = Writer(str(output), settings=settings)
    heaviest = sorted(pages, key=lambda page: (-page.total, page.path))[:10]
    weights = stats.figures(pages)  # the same figures in every language
    for lang in editions(settings):
        write_page(
            generator,
            writer,
            "stats",
            settings["STATS_URL"],
            lang=lang,
            weights=weights,
            heaviest=heaviest,
            links=stats.LINKS,
            measured=len(pages),
        )
    if settings["MINIFY_OUTPUT"]:
        written = [
            edition_url(settings["STATS_URL"], lang, settings) for lang in editions(settings)
        ]
        minify(output, [output / address for address in written])


def add_chart_to_theme(generator) -> None:
    def weight_chart(rows, labels: dict, title: str) -> Markup:
        return Markup(stats.chart(rows, generator.settings["WEIGHT_BUDGETS"], labels, title))

    generator.env.globals["weight_chart"] = weight_chart


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.initialized.connect(written.listen("lean", note_page, _written), weak=False)
    signals.generator_init.connect(add_chart_to_theme)
    signals.all_generators_finalized.connect(remember_generators)
    signals.finalized.connect(finish_output)
