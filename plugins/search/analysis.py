"""How a word is analysed for search, the same way in the build (Python) and in the browser
(lunr.js with lunr-languages): trimmed of what is not a word character, dropped when it is
a stop word, and stemmed.

The stop words and word characters are read from the vendored lunr-languages files
(`theme/static/js/search/vendor/`), so the two sides cannot drift apart. The stemmers are
Snowball's, through snowballstemmer, pinned to the Snowball release lunr-languages was
generated from (later releases also strip French elisions, `l'eau` -> `eau`, which the
browser's stemmer does not); English uses lunr.js's own Porter stemmer (`search.porter`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "theme/static/js/search/vendor"
# Languages whose analysis lunr-languages provides, and Snowball's name for their stemmer.
SNOWBALL = {"es": "spanish", "pt": "portuguese", "fr": "french"}
LANGUAGES = ("en", *SNOWBALL)
STOP_WORDS = re.compile(r"""generateStopWordFilter\((?:"([^"]*)"\.split\(" "\)|(\[[^\]]*\]))""")
WORD_CHARACTERS = re.compile(r'wordCharacters="([^"]*)"')


class UnknownLanguage(ValueError):
    """No analysis for this language."""


@dataclass(frozen=True)
class Analysis:
    """One language's analysis: what a word character is, its stop words, its stemmer."""

    lang: str
    stop_words: frozenset[str]
    leading: re.Pattern
    trailing: re.Pattern

    def trim(self, token: str) -> str:
        return self.trailing.sub("", self.leading.sub("", token))

    def stem(self, token: str) -> str:
        return _stemmer(self.lang)(token)

    def terms(self, token: str) -> str | None:
        """The indexed term for one token (already lower-cased), or None for a stop word or
        a token with no word character."""
        token = self.trim(token)
        if not token or token in self.stop_words:
            return None
        return self.stem(token)


def _vendored(name: str) -> str:
    return (VENDOR / name).read_text(encoding="utf-8")


@cache
def analysis(lang: str) -> Analysis:
    """The analysis lunr.js applies for `lang` (an interface language of the site)."""
    if lang not in LANGUAGES:
        raise UnknownLanguage(f"no search analysis for {lang!r}; known: {', '.join(LANGUAGES)}")
    if lang == "en":  # lunr's own pipeline: its trimmer keeps JavaScript's ASCII \w
        source = _vendored("lunr.min.js")
        words = "A-Za-z0-9_"
    else:
        source = _vendored(f"lunr.{lang}.min.js")
        # lunr-languages' trimmer adds the digits to the language's word characters.
        words = WORD_CHARACTERS.search(source).group(1) + "0-9"
    found = STOP_WORDS.search(source)
    listed = found.group(1).split(" ") if found.group(1) is not None else json.loads(found.group(2))
    return Analysis(
        lang,
        frozenset(word for word in listed if word),
        re.compile(f"^[^{words}]+"),
        re.compile(f"[^{words}]+$"),
    )


@cache
def _stemmer(lang: str):
    if lang == "en":
        from .porter import stem

        return stem
    import snowballstemmer

    return snowballstemmer.stemmer(SNOWBALL[lang]).stemWord
