"""A problem with a file, said so a volunteer can fix it: where, what is wrong, how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .messages import DEFAULT_LANG, Message

# A settings file's line that sets a name: `NAME = …`.
SETS = re.compile(r"^([A-Z][A-Z0-9_]*)\s*=")


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


def setting_problem(name: str, settings: dict, problem: Message, fix: Message) -> ContentError:
    """A bad value of the setting `name`, pointed at the line of the settings file that sets
    it: publishconf.py (which reads pelicanconf.py first), else pelicanconf.py, in the site's
    folder; line 1 of pelicanconf.py when neither does (a value given with `pelican -e`)."""
    for file in ("publishconf.py", "pelicanconf.py"):
        try:
            rows = (Path(settings.get("PATH") or ".") / file).read_text(encoding="utf-8")
        except OSError:
            continue
        lines = [n for n, row in enumerate(rows.splitlines(), 1) if _sets(row) == name]
        if lines:
            return ContentError([Problem(file, lines[-1], problem, fix)])
    return ContentError([Problem("pelicanconf.py", 1, problem, fix)])


def _sets(row: str) -> str | None:
    """The name a settings file's line sets (`NAME = …`), if it sets one."""
    match = SETS.match(row)
    return match.group(1) if match else None
