"""Markdown's inline pass without the patterns a text gives nothing to match.

Markdown's inline pass tries each of its patterns (code, escapes, links, autolinks, raw
HTML, entities, line breaks, emphasis, footnotes) on every piece of text of a page, in turn,
with a regular expression search each time: a quarter of converting a text. Each of those
patterns needs a character that most texts never hold (a backtick, a backslash, `[`, `<`,
`&`, two spaces before a line end, `*` or `_`). `skip_absent_patterns` looks at the text
once, as the inline pass will see it (after Markdown's own clean-up of tabs and line ends),
and gives the pass only the patterns whose characters are there: a pattern left out could
not have matched anywhere, so the converter writes the same HTML, sooner.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import Registry

# What each of Markdown's own inline patterns (and `extra`'s footnotes) needs in the text
# to match at all: any one of these strings. A pattern not named here is always tried.
NEEDS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("[",),
    "image_reference": ("[",),
    "short_reference": ("[",),
    "short_image_ref": ("[",),
    "footnote": ("[",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "entity": ("&",),
    "linebreak": ("  \n",),
    "not_strong": ("*", "_"),
    "em_strong": ("*",),
    "em_strong2": ("_",),
}
# The name of Markdown's inline pass among its tree processors.
INLINE = "inline"
# Right after `normalize_whitespace` (30: tabs expanded, line ends made `\n`), before
# anything is put aside (fenced code, raw HTML): the text seen holds all the pass will see,
# bar placeholders, which hold none of the characters above.
PRIORITY = 29


class _ChoosePatterns(Preprocessor):
    """Gives the inline pass, for this text, only the patterns that can match in it."""

    def __init__(self, md: Markdown, inline: InlineProcessor):
        super().__init__(md)
        self.inline = inline
        self.every = md.inlinePatterns
        self.chosen: dict[frozenset[str], Registry] = {}  # the absent ones -> the rest

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines) + "\n"
        absent = frozenset(
            name
            for name, needs in NEEDS.items()
            if name in self.every and not any(need in text for need in needs)
        )
        patterns = self.chosen.get(absent)
        if patterns is None:
            patterns = self.chosen[absent] = Registry()
            # `_priority` is the registry's (name, priority) list: the only way to copy it.
            for item in self.every._priority:
                if item.name not in absent:
                    patterns.register(self.every[item.name], item.name, item.priority)
        self.inline.inlinePatterns = patterns
        return lines


def skip_absent_patterns(md: Markdown) -> Markdown:
    """`md`, whose inline pass tries on each text only the patterns that can match in it."""
    if INLINE in md.treeprocessors:
        chooser = _ChoosePatterns(md, md.treeprocessors[INLINE])
        md.preprocessors.register(chooser, "choose-inline-patterns", PRIORITY)
    return md
