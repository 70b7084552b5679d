"""How a word is analysed for search, the same way in the build (Python) and in the browser
(lunr.js with lunr-languages, see `theme/static/js/search.js`): the text folded (accents
off, so `contrasena` finds `contraseña`), then each word trimmed of what is not a word
character, dropped when it is a stop word, and stemmed.

The stop words and word characters are read from the vendored lunr-languages files
(`theme/static/js/search/vendor/`), so the two sides cannot drift apart. The stemmers are
Snowball's, through snowballstemmer (compiled, through PyStemmer, which it uses when
installed), pinned to the Snowball release lunr-languages was generated from (later
releases also strip French elisions, `l'eau` -> `eau`, which the browser's stemmer does
not); English uses lunr.js's own Porter stemmer (`search.porter`).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "theme/static/js/search/vendor"
# Languages whose analysis lunr-languages provides, and Snowball's name for their stemmer.
SNOWBALL = {"es": "spanish", "pt": "portuguese", "fr": "french"}
LANGUAGES = ("en", *SNOWBALL)
# Any other language (Quechua, Guaraní…) is folded and trimmed, not stemmed: "plain".
PLAIN = "plain"
STOP_WORDS = re.compile(r"""generateStopWordFilter\((?:"([^"]*)"\.split\(" "\)|(\[[^\]]*\]))""")
WORD_CHARACTERS = re.compile(r'wordCharacters="([^"]*)"')


class UnknownLanguage(ValueError):
    """No analysis for this language."""


# JavaScript's `\s`, on which lunr.js splits words: the build splits on the same.
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SEPARATOR = re.compile(f"[{JS_SPACE}\\-]+")
COMBINING = re.compile("[\u0300-\u036f]")
# Characters outside the Basic Multilingual Plane (emoji…) are two code units in
# JavaScript and one in Python; they separate words so that no term holds one.
ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def fold(text: str) -> str:
    """Accents off and emoji out, as `fold` in search.js does: applied to every text before
    it is indexed and to every query before it is parsed."""
    text = COMBINING.sub("", unicodedata.normalize("NFD", text))
    return ASTRAL.sub(" ", unicodedata.normalize("NFC", text))


def words(text: str) -> list[str]:
    """The folded, lower-cased words of a text, split where lunr.js splits a query."""
    return [word for word in SEPARATOR.split(fold(text).lower()) if word]


@dataclass(frozen=True)
class Analysis:
    """One language's analysis: what a word character is, its stop words, its stemmer."""

    lang: str
    stop_words: frozenset[str]
    leading: re.Pattern
    trailing: re.Pattern
    # Stop words as they read folded ("tambien"), when not already stop words.
    folded_stop_words: frozenset[str] = frozenset()
    _known: dict = field(default_factory=dict, compare=False, repr=False)
    # word -> its term as the index keeps it (lower-cased, interned), or None: `counted`.
    _indexed: dict = field(default_factory=dict, compare=False, repr=False)

    def trim(self, token: str) -> str:
        return self.trailing.sub("", self.leading.sub("", token))

    def stem(self, token: str) -> str:
        return _stemmer(self.lang)(token)

    def terms(self, token: str) -> str | None:
        """What lunr-languages' own pipeline (trimmer, stop-word filter, stemmer) makes of
        one lower-cased token: its term, or None for a stop word or no word character."""
        token = self.trim(token)
        if not token or token in self.stop_words:
            return None
        return self.stem(token)

    def term(self, word: str) -> str | None:
        """Minga's pipeline for one folded, lower-cased word: lunr-languages' own, with the
        folded stop words dropped too. Remembered: a corpus repeats its words."""
        try:
            return self._known[word]
        except KeyError:
            trimmed = self.trim(word)
            found = None if trimmed in self.folded_stop_words else self.terms(word)
            self._known[word] = found
            return found

    def counted(self, words: list[str]) -> dict[str, int]:
        """The terms of `words` (folded, lower-cased) as the index keeps them, lower-cased
        and interned (one string in all documents, pickled once with them), each with how
        often it occurs, in order of first occurrence. Each distinct word is analysed once;
        the words are then mapped and counted in C, not one Python call a word."""
        indexed = self._indexed
        for word in set(words).difference(indexed):
            term = self.term(word)
            indexed[word] = sys.intern(term.lower()) if term else None
        counts = Counter(map(indexed.__getitem__, words))
        counts.pop(None, None)
        return dict(counts)

    @property
    def label(self) -> str:
        """The name of this pipeline, in the index and in search.js."""
        return f"minga-{self.lang}"


def _vendored(name: str) -> str:
    return (VENDOR / name).read_text(encoding="utf-8")


def analysis_for(lang: str) -> Analysis:
    """The analysis of a text in `lang` (any BCP 47 code): its language's, or plain."""
    primary = lang.split("-")[0].lower()
    return analysis(primary if primary in LANGUAGES else PLAIN)


@cache
def analysis(lang: str) -> Analysis:
    """The analysis lunr.js applies for `lang`: one of LANGUAGES, or PLAIN."""
    if lang == PLAIN:  # search.js: /^[^\p{L}\p{N}]+/u, no stop words, no stemmer
        return Analysis(lang, frozenset(), re.compile(r"^[\W_]+"), re.compile(r"[\W_]+$"))
    if lang not in LANGUAGES:
        raise UnknownLanguage(f"no search analysis for {lang!r}; known: {', '.join(LANGUAGES)}")
    if lang == "en":  # lunr's own pipeline: its trimmer keeps JavaScript's ASCII \w
        source = _vendored("lunr.min.js")
        word_chars = "A-Za-z0-9_"
    else:
        source = _vendored(f"lunr.{lang}.min.js")
        # lunr-languages' trimmer adds the digits to the language's word characters.
        word_chars = WORD_CHARACTERS.search(source).group(1) + "0-9"
    found = STOP_WORDS.search(source)
    listed = found.group(1).split(" ") if found.group(1) is not None else json.loads(found.group(2))
    stop_words = frozenset(word for word in listed if word)
    return Analysis(
        lang,
        stop_words,
        re.compile(f"^[^{word_chars}]+"),
        re.compile(f"[^{word_chars}]+$"),
        frozenset(fold(word) for word in stop_words) - stop_words,
    )


@cache
def _stemmer(lang: str):
    if lang == PLAIN:
        return str
    if lang == "en":
        from .porter import stem

        return stem
    import snowballstemmer

    return snowballstemmer.stemmer(SNOWBALL[lang]).stemWord
