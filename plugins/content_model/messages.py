"""Messages for people, in their language: English message ids, gettext catalogs per language.

Every problem the content model, the checks or the build report is a `Message` (an
English id and its parameters) rendered at the last moment in the reader's language.
The translations live in gettext `.po` catalogs, one per package and language, under
`plugins/<package>/locale/<lang>/LC_MESSAGES/*.po`, read with Babel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

PLUGINS_DIR = Path(__file__).resolve().parent.parent
DEFAULT_LANG = "es"
LANGUAGES = ("es", "pt", "en")


@lru_cache(maxsize=8)
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for `lang`, merged from every package's catalogs."""
    messages: dict[str, str] = {}
    for po in sorted(PLUGINS_DIR.glob(f"*/locale/{lang}/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string and not message.fuzzy:
                    messages[message.id] = message.string
    return messages


def translate(msgid: str, lang: str) -> str:
    """The text of `msgid` in `lang`; the English id when there is no translation."""
    if lang == "en":
        return msgid
    return catalog(lang).get(msgid, msgid)


@dataclass(frozen=True)
class Message:
    """An English message id with named parameters, e.g. Message("`%(key)s` is unknown", key=…)."""

    msgid: str
    params: dict = field(default_factory=dict)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        text = translate(self.msgid, lang)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.render(DEFAULT_LANG)

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted((k, str(v)) for k, v in self.params.items()))))


def _(msgid: str, **params) -> Message:
    """Mark a message for translation (the gettext convention) and give its parameters."""
    return Message(msgid, params)
