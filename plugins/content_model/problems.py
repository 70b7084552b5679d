"""A problem with a file, said so a volunteer can fix it: where, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from .messages import DEFAULT_LANG, Message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    path: str
    line: int
    message: Message
    fix: Message
    column: int = 1

    def render(self, lang: str = DEFAULT_LANG) -> str:
        return (
            f"{self.path}:{self.line}:{self.column}: "
            f"{self.message.render(lang)} — {self.fix.render(lang)}"
        )

    def annotation(self, lang: str = DEFAULT_LANG) -> str:
        """The same problem as a GitHub Actions workflow command."""
        text = f"{self.message.render(lang)} — {self.fix.render(lang)}"
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.column}::{text}"

    def __str__(self) -> str:
        return self.render()

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.message.msgid)


class ContentError(Exception):
    """Raised with every problem found in a piece of content."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def render(self, lang: str = DEFAULT_LANG) -> str:
        return "\n".join(p.render(lang) for p in self.problems)
