"""Markdown's `smarty` (curly quotes, dashes, ellipses) without its pass over plain text.

`smarty` runs a second inline pass of Markdown over every piece of text of a page, and tries
each of its eighteen patterns on each piece in turn: that pass took as long as all the rest
of converting a text. Every one of those patterns needs a quote, two hyphens or three dots
(or `<<` and `>>`, for angled quotes), and most pieces of text have none. `spare_plain_text`
marks those pieces as done (`AtomicString`, which an inline pass leaves alone) just before
the pass and unmarks them right after it: the converter writes the same HTML, sooner.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# What any of smarty's patterns needs to match at all.
EDUCABLE = re.compile(r"""['"]|--|\.\.\.|<<|>>""")
# Where smarty's pass runs among the tree processors (`SmartyExtension.extendMarkdown`).
SMARTY = "smarty"
SMARTY_PRIORITY = 6


class _Marking(Treeprocessor):
    """A processor that shares, with its pair, the list of the pieces of text marked."""

    def __init__(self, md: Markdown, marked: list[tuple[Element, str]]):
        super().__init__(md)
        self.marked = marked


class _Mark(_Marking):
    """Marks the text and tails that smarty has nothing to do in, and remembers them."""

    def run(self, root: Element) -> None:
        self.marked.clear()
        for element in root.iter():
            for side in ("text", "tail"):
                value = getattr(element, side)
                if value and type(value) is str and not EDUCABLE.search(value):
                    setattr(element, side, AtomicString(value))
                    self.marked.append((element, side))


class _Unmark(_Marking):
    """Gives the marked text back as the plain strings it was."""

    def run(self, root: Element) -> None:
        for element, side in self.marked:
            setattr(element, side, str(getattr(element, side)))
        self.marked.clear()


def spare_plain_text(md: Markdown) -> Markdown:
    """`md`, whose smarty pass (if it has one) skips the text it would leave as it is."""
    if SMARTY in md.treeprocessors:
        marked: list[tuple[Element, str]] = []
        md.treeprocessors.register(_Mark(md, marked), "smarty-mark", SMARTY_PRIORITY + 0.5)
        md.treeprocessors.register(_Unmark(md, marked), "smarty-unmark", SMARTY_PRIORITY - 0.5)
    return md
