"""Sanitize the HTML of every text with nh3: organizations' content is untrusted input.

Markdown lets a text carry raw HTML, and Python-Markdown's `attr_list` adds any attribute
(`{: onmouseover="…"}`), so the HTML of each text and summary is cleaned against an
allowlist once every generator has read its files (`all_generators_finalized`, after the
plugins that change content). Organizations get the article allowlist below; the editors'
content, which is trusted, may use what `SANITIZE_EDITORS_EXTRA` adds. Titles and other
fields are plain text, escaped by the templates (Jinja autoescape) and by the feed writer.

Minga's Markdown reader (`front_matter`) cleans what it makes as it reads a file, so
Pelican's content cache keeps each text clean and a build that finds a text in the cache
does not clean it again; the plugins that change a text's HTML afterwards (`images`) write
only markup of their own. Texts of any other reader are cleaned once every generator has
read its files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import nh3
from content_model import org_of
from pelican import signals
from pelican.utils import file_suffix

TEXT_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
}
TEXT_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "source": {"srcset", "type", "sizes", "media"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    "sup": {"id"},
    "li": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Footnotes from Markdown's `footnotes` extension are the only ids and classes a text keeps.
FOOTNOTE_ID = re.compile(r"^(fn|fnref):[\w-]+$")
FOOTNOTE_CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}

DEFAULTS = {
    # What the editors' trusted content (content/) may use beyond the organizations' allowlist.
    "SANITIZE_EDITORS_EXTRA": {
        "tags": {"section", "aside"},
        "attributes": {"*": {"id", "class"}},
    },
}


# An image from another site would make every reader's browser contact it (tracking);
# images are the site's own files, linked by a path, never by a full address.
REMOTE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def _no_remote_images(tag: str, attribute: str, value: str) -> str | None:
    """No image, in any size, from another site."""
    if attribute in ("src", "srcset") and REMOTE.match(value):
        return None
    return value


def _org_filter(tag: str, attribute: str, value: str) -> str | None:
    """Footnote ids only, and no image from another site."""
    if attribute == "id":
        return value if FOOTNOTE_ID.match(value) else None
    return _no_remote_images(tag, attribute, value)


def _attributes(extra: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    attributes = {tag: set(names) for tag, names in TEXT_ATTRIBUTES.items()}
    for tag, names in (extra or {}).items():
        attributes.setdefault(tag, set()).update(names)
    return attributes


@lru_cache(maxsize=1)
def _org_cleaner() -> nh3.Cleaner:
    """The organizations' sanitizer, made once: its rules turned into the Rust cleaner's."""
    return nh3.Cleaner(
        tags=TEXT_TAGS,
        attributes=_attributes(),
        url_schemes=URL_SCHEMES,
        attribute_filter=_org_filter,
        allowed_classes=FOOTNOTE_CLASSES,
        link_rel="noopener noreferrer",
    )


def clean_org_html(html: str) -> str:
    """An organization's HTML, reduced to what an article needs."""
    return _org_cleaner().clean(html)


def clean_editors_html(html: str, extra: dict) -> str:
    """The editors' HTML: the same rules, plus what the settings allow them."""
    return nh3.clean(
        html,
        tags=TEXT_TAGS | set(extra.get("tags", ())),
        attributes=_attributes(extra.get("attributes")),
        url_schemes=URL_SCHEMES,
        attribute_filter=_no_remote_images,
        link_rel="noopener noreferrer",
    )


def editors_extra(settings: dict) -> dict:
    return settings.get("SANITIZE_EDITORS_EXTRA", DEFAULTS["SANITIZE_EDITORS_EXTRA"])


def cleaner(relative_path: str, settings: dict) -> Callable[[str], str]:
    """How to clean the HTML of the file at `relative_path` (in PATH): by who wrote it."""
    if org_of(relative_path, settings.get("ORGS_PATH", "orgs")) is not None:
        return clean_org_html
    extra = editors_extra(settings)
    return lambda html: clean_editors_html(html, extra)


def clean_read(relative_path: str, settings: dict, html: str, metadata: dict) -> str:
    """A reader's HTML of a file, cleaned, and its metadata's summary cleaned in place."""
    clean = cleaner(relative_path, settings)
    if isinstance(metadata.get("summary"), str):
        metadata["summary"] = clean(metadata["summary"])
    return clean(html) if html else html


# The file suffixes whose reader cleans what it makes (see the module's docstring).
CLEANED_BY_READER: set[str] = set()


def sanitize_content(content, settings: dict) -> None:
    """Clean a text's body and summary in place, by who wrote it."""
    clean = cleaner(content.relative_source_path or "", settings)
    if getattr(content, "_content", None):
        content._content = clean(content._content)
    if isinstance(content.metadata.get("summary"), str):
        content.metadata["summary"] = clean(content.metadata["summary"])
    if isinstance(getattr(content, "_summary", None), str):
        content._summary = clean(content._summary)


def sanitize_all(generators) -> None:
    """Clean the texts no reader cleaned (typogrify, when on, changes HTML after reading)."""
    if not generators:
        return
    context = generators[0].context
    for content in context.get("generated_content", {}).values():
        if content is None or not hasattr(content, "_content"):
            continue
        settings = content.settings
        read_clean = file_suffix(content.source_path) in CLEANED_BY_READER
        if not read_clean or settings.get("TYPOGRIFY"):
            sanitize_content(content, settings)


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.all_generators_finalized.connect(sanitize_all)
