"""Hostile content, built with real Pelican and opened in real Chromium: nothing runs.

Every payload of `xss_payloads` is put in a fixture site (texts' bodies, their fields, an
org card, an editors' news item) and built. The output is then read twice: parsed, to
find any executable construct, and opened page by page in Chromium, counting dialogs,
`window.__xss` and requests that leave the site.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import markdown
import pytest
import xss_payloads
from conftest import run_pelican, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st
from sanitize import clean_org_html

ALLOWED_META = {"charset", "viewport", "Content-Security-Policy", "referrer", "description"}
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "base",
    "style",
    "link",
    "svg",
    "math",
    "input",
    "button",
    "frame",
    "frameset",
    "applet",
    "audio",
    "video",
}
BAD_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
# The theme's own scripts (reading offline, search), from the site itself.
THEME_SCRIPT = re.compile(r"^(\.\./)*(\./)?theme/js/(offline|search)\.js$")
# The theme's search forms: a query sent to the site's own search page.
SEARCH_PAGE = re.compile(r"^(\.\./)*(\./)?([a-z]{2}/)?search\.html$")
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
}


def yaml_value(value) -> str:
    """A value written as YAML flow (JSON is valid YAML), whatever characters it holds."""
    return json.dumps(value, ensure_ascii=False)


def hostile_site() -> dict[str, str]:
    card = xss_payloads.CARD
    files = {
        "content/topics.yaml": "water:\n  es: Agua\n",
        "orgs/xss/org.yaml": (
            f"name: {yaml_value(card['name'])}\nshort_name: {yaml_value(card['short_name'])}\n"
            "kinds: [human-rights]\ncountries: [CL]\nlanguages: [es]\n"
            f"description:\n  es: {yaml_value(card['description'])}\n"
            f"contact: {yaml_value(card['contact'])}\nlicense: {yaml_value(card['license'])}\n"
        ),
        "orgs/xss/images/foto.png": "",  # replaced by a real PNG below
    }
    for number, payload in enumerate(xss_payloads.BODY, start=1):
        files[f"orgs/xss/carga-{number:02d}.md"] = (
            f"---\ntitle: Carga {number:02d}\ndate: 2026-03-{number % 28 + 1:02d}\nlang: es\n"
            f"---\n\nAntes de la carga.\n\n{payload}\n\nDespués de la carga.\n"
        )
    fields = xss_payloads.FIELDS
    files["orgs/xss/campos.md"] = (
        f"---\ntitle: {yaml_value(fields['title'])}\ndate: 2026-04-01\nlang: es\n"
        f"summary: {yaml_value(fields['summary'])}\ntype: event\n"
        f"tags: {yaml_value(fields['tags'])}\nauthors: {yaml_value(fields['authors'])}\n"
        f"image: images/foto.png\nimage_alt: {yaml_value(fields['image_alt'])}\n"
        f"event:\n  start: 2026-12-01 10:00\n  place: {yaml_value(fields['place'])}\n"
        "---\n\nTexto.\n"
    )
    files["content/news/noticia-hostil.md"] = (
        "---\ntitle: Noticia con cargas\ndate: 2026-04-02\nlang: es\n---\n\n"
        + "\n\n".join(xss_payloads.BODY[:12])
        + "\n"
    )
    return files


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    import io

    from PIL import Image

    base = tmp_path_factory.mktemp("xss")
    files = hostile_site()
    png = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(png, "PNG")
    files["orgs/xss/images/foto.png"] = png.getvalue()
    source = write_tree(base / "site", files)
    # Raw <img> tags without alt make Pelican warn; this site is about scripts, not alt text.
    # `invoke check` refuses embedded players and remote images before any build; it is
    # turned off here so that what is tested is the sanitizer and the CSP behind it.
    build = run_pelican(
        source, base / "output", extra=("-e", "FAIL_ON_WARNINGS=false", "CHECK_TREE=false")
    )
    assert build.returncode == 0, build.log
    return build


# The theme's charts (page weights, the observatory, an org's activity): inline SVG made of
# shapes and escaped text, nothing that loads or runs. An `<svg>` with anything else is found.
CHART_ATTRIBUTES = {"xmlns", "class", "viewbox", "width", "height", "role", "aria-labelledby"}
CHART_PARTS = {"title", "text", "rect", "line", "polyline", "circle"}
CHART_PART_ATTRIBUTES = {
    *("id", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "points"),
    *("fill", "opacity", "stroke", "stroke-width", "text-anchor", "font-size"),
}


class Executable(HTMLParser):
    """Collects every construct of a page that could run script or call another site."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.csp = False
        self.search_form = False
        self.chart = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.chart and (tag not in CHART_PARTS or set(attrs) - CHART_PART_ATTRIBUTES):
            self.found.append(f"<svg> <{tag} {' '.join(attrs)}>")
        own_chart = tag == "svg" and attrs.get("role") == "img" and set(attrs) <= CHART_ATTRIBUTES
        self.chart |= own_chart
        own_link = (
            tag == "link"
            and attrs.get("rel") in ("stylesheet", "alternate", "canonical", "icon")
            and not REMOTE.match(attrs.get("href", ""))
        )
        own_script = (
            tag == "script"
            and set(attrs) == {"src", "defer"}
            and THEME_SCRIPT.match(attrs["src"] or "")
        )
        # The theme's "save for offline" button: hidden, and it submits nothing.
        own_button = (
            tag == "button"
            and attrs.get("type") == "button"
            and attrs.get("class") == "save-offline"
            and "hidden" in attrs
        )
        own_form = bool(
            tag == "form"
            and attrs.get("role") == "search"
            and attrs.get("method") == "get"
            and ("action" not in attrs or SEARCH_PAGE.match(attrs["action"] or ""))
        )
        self.search_form |= own_form
        own_control = (self.search_form and tag in ("input", "button")) and attrs.get("type") in (
            "search",
            "submit",
        )
        # The search page's "more results" button: it submits nothing.
        own_button |= (
            tag == "button" and attrs.get("type") == "button" and attrs.get("id") == ("search-more")
        )
        if tag in DANGEROUS_TAGS and not (
            own_link or own_script or own_button or own_form or own_control or own_chart
        ):
            self.found.append(f"<{tag}>")
        if tag == "meta":
            name = (
                attrs.get("name")
                or attrs.get("http-equiv")
                or ("charset" if "charset" in attrs else "")
            )
            if name not in ALLOWED_META:
                self.found.append(f"<meta {name}>")
            self.csp |= name == "Content-Security-Policy"
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value and BAD_URL.match(value):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            if name in ("src", "srcset") and value and REMOTE.match(value):
                self.found.append(f"<{tag} {name} remote>")
            if name == "style":
                self.found.append(f"<{tag} style>")

    def handle_endtag(self, tag):
        if tag == "form":
            self.search_form = False
        if tag == "svg":
            self.chart = False


def test_only_the_themes_own_script_and_hidden_button_are_allowed():
    def found(html: str) -> list[str]:
        parser = Executable()
        parser.feed(html)
        return parser.found

    assert found('<script src="../../theme/js/offline.js" defer></script>') == []
    assert found('<button type="button" class="save-offline" hidden>Guardar</button>') == []
    search = '<form role="search" action="../search.html" method="get"><input type="search">'
    assert found(search + '<button type="submit">Buscar</button></form>') == []
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9" role="img" '
        'aria-labelledby="c"><title id="c">&lt;b&gt;</title><rect x="1" y="1" width="2" '
        'height="2" fill="currentColor"/><text x="1" y="1">&lt;script&gt;</text></svg>'
    )
    assert found(chart) == []
    for script in (
        chart.replace("<rect", '<rect onclick="alert(1)"'),
        chart.replace("<rect", "<script>alert(1)</script><rect"),
        chart.replace("<rect", '<a href="https://evil.example/"><rect'),
        chart.replace("<rect", '<image href="https://evil.example/x.png"/><rect'),
        chart.replace('role="img"', 'role="img" onload="alert(1)"'),
        '<svg><circle r="1"/></svg>',
        '<script src="../../theme/js/other.js" defer></script>',
        '<script src="https://cdn.example/theme/js/offline.js" defer></script>',
        '<script src="../../theme/js/offline.js" defer onload="alert(1)"></script>',
        "<script>alert(1)</script>",
        '<button type="button" class="save-offline">Guardar</button>',
        '<button class="save-offline" hidden>Enviar</button>',
        '<form role="search" action="https://evil.example/search.html" method="get"></form>',
        '<form action="../search.html" method="post"></form>',
        '<input type="search" name="q">',  # outside the search form
        '<form role="search" method="get"><input type="password"></form>',
    ):
        assert found(script), script


def test_the_payload_corpus_is_large_enough():
    assert xss_payloads.count() >= 60


def test_no_executable_construct_in_any_page(hostile_build):
    pages = sorted(hostile_build.output.rglob("*.html"))
    assert len(pages) > len(xss_payloads.BODY)
    found = {}
    for page in pages:
        parser = Executable()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.csp, page
        relative = page.relative_to(hostile_build.output).as_posix()
        if parser.found:
            found[relative] = parser.found
    assert found == {}


def test_feeds_carry_no_executable_markup(hostile_build):
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = list(hostile_build.output.rglob("*.atom.xml"))
    assert feeds
    for feed in feeds:
        root = ElementTree.fromstring(feed.read_bytes())
        for entry in root.iter(f"{atom}entry"):
            for part in ("content", "summary"):
                parser = Executable()
                parser.feed(entry.findtext(f"{atom}{part}") or "")
                assert parser.found == [], (feed.name, entry.findtext(f"{atom}title"))


def test_escaped_metadata_is_shown_as_text(hostile_build):
    page = hostile_build.page("orgs/xss/campos.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; título" in page
    assert 'alt="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page or (
        'alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page
    )


def test_nothing_runs_in_chromium(hostile_build, report, browser):
    dialogs, outside, flagged = [], [], []
    pages = sorted(hostile_build.output.rglob("*.html"))
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: r.url.startswith("file:") or outside.append(r.url))
    for path in pages:
        page.goto(path.as_uri())
        page.mouse.move(5, 5)
        page.mouse.move(160, 300)
        page.keyboard.press("Tab")
        if page.evaluate("window.__xss === 1"):
            flagged.append(path.name)
    context.close()
    report(
        f"XSS: {xss_payloads.count()} payloads in {len(pages)} pages opened in Chromium: "
        f"{len(dialogs)} dialogs, {len(flagged)} scripts ran, {len(outside)} requests left the site"
    )
    assert (dialogs, flagged, outside) == ([], [], [])


# --- Fuzzing the Markdown-to-sanitized-HTML path --------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "<",
        ">",
        '"',
        "'",
        "=",
        " ",
        "\n",
        "\n\n",
        "{: ",
        " }",
        "[",
        "](",
        ")",
        "![",
        "`",
        "script",
        "img",
        "svg",
        "a",
        "iframe",
        " onerror",
        " onload",
        "onmouseover",
        "href",
        "src",
        "javascript:",
        "JaVaScRiPt:",
        "java\tscript:",
        "&#106;",
        "&#x6A;",
        "alert(1)",
        "data:",
        "vbscript:",
        "style",
        "/",
        "-->",
        "<!--",
        "x",
        "#",
        "*",
        "_",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=40).map("".join))
def test_fuzzed_markdown_never_yields_script(text):
    html = markdown.markdown(text, extensions=["markdown.extensions.extra"])
    parser = Executable()
    parser.feed(clean_org_html(html))
    assert parser.found == []
