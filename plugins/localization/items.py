"""Parts of pages rendered once: a listing's items and the frame's navigation.

A text appears in many listings (its org, each of its topics and countries, its type, year,
month, week, the home page…) in every language's edition, and its item is the same HTML in
every listing of one language, but for the relative address of the site's root.
`listing_item` renders the `item` macro of `_item.html` for (text, language, heading) the
first time, with a mark where the page's relative root goes, and afterwards returns the kept
HTML with the mark replaced by the root of the page at hand (`listing_items`: the same for
each text of a list, in one call). The template is made into a module once per language
(its macros imported once), not rendered anew for each text.

The same holds for the site's main navigation and its footer (`frame_part`): the same HTML
on every page of one language and one section, but for the root and, in the footer, the
current page.

What is kept is dropped when a build starts and when it ends.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

TEMPLATE = "_item.html"
ROOT_MARK = "\x00root\x00"  # no text has it; at worst a relative path would replace it
_rendered: dict[tuple, tuple[object, Markup]] = {}
# (environment, language) -> `_item.html` made into a module for that language's pages.
_modules: dict[tuple[int, str], tuple[object, object]] = {}


def _item_module(environment, page_lang: str):
    kept = _modules.get((id(environment), page_lang))
    if kept is None or kept[0] is not environment:
        module = environment.get_template(TEMPLATE).make_module(
            {"SITEURL": ROOT_MARK, "ui_lang": page_lang}
        )
        kept = _modules[(id(environment), page_lang)] = (environment, module)
    return kept[1]


def _item_html(environment, text, page_lang: str, heading: str, as_is: bool) -> str:
    key = (id(text), page_lang, heading, bool(as_is))
    kept = _rendered.get(key)
    if kept is None or kept[0] is not text:  # the identity check guards against reused ids
        html = str(_item_module(environment, page_lang).item(text, page_lang, heading, as_is))
        kept = _rendered[key] = (text, html)
    return kept[1]


@pass_context
def listing_item(context, text, page_lang: str, heading: str = "h3", as_is: bool = False) -> Markup:
    html = _item_html(context.environment, text, page_lang, heading, as_is)
    return Markup(html.replace(ROOT_MARK, context.get("SITEURL", "")))


@pass_context
def listing_items(
    context, texts, page_lang: str, heading: str = "h3", as_is: bool = False
) -> Markup:
    """The items of `texts`, one after the other: `listing_item` of each, without a template
    loop's cost per item (a listing page shows dozens of them)."""
    environment = context.environment
    html = "".join([_item_html(environment, text, page_lang, heading, as_is) for text in texts])
    return Markup(html.replace(ROOT_MARK, context.get("SITEURL", "")))


@pass_context
def frame_part(context, template_name: str, **variables) -> Markup:
    """`template_name` rendered with the page's variables, once per language and `variables`
    (section, current page…) in a build; the page's own root put in."""
    lang = context.get("ui_lang") or context.call(context.resolve("ui_language"))
    key = (template_name, lang, *sorted((name, id(value)) for name, value in variables.items()))
    kept = _frames.get(key)
    if kept is None or any(kept[0][name] is not value for name, value in variables.items()):
        template = context.environment.get_template(template_name)
        html = template.render(
            {**context.get_all(), "SITEURL": ROOT_MARK, "ui_lang": lang, **variables}
        )
        kept = _frames[key] = (variables, html)
    return Markup(kept[1].replace(ROOT_MARK, context.get("SITEURL", "")))


_frames: dict[tuple, tuple[dict, str]] = {}


def forget(*_args, **_kwargs) -> None:
    """Drop every kept item and frame part (at the end of a build; the next one reads texts
    anew)."""
    _rendered.clear()
    _modules.clear()
    _frames.clear()
