"""Search analysis: the build's Python analysis of words gives the very terms lunr.js and
lunr-languages give in the browser (run here in node, from the vendored files)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from conftest import ROOT
from search.analysis import LANGUAGES, UnknownLanguage, analysis, fold

VENDOR = ROOT / "theme/static/js/search/vendor"
# lunr.js's own pipeline for English; lunr-languages' for the others.
PIPELINE = """
const vendor = process.argv[1]; // node -e SCRIPT VENDOR
const lunr = require(`${vendor}/lunr.min.js`);
require(`${vendor}/lunr.stemmer.support.min.js`)(lunr);
for (const lang of ["es", "pt", "fr"]) require(`${vendor}/lunr.${lang}.min.js`)(lunr);
const words = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {};
for (const [lang, tokens] of Object.entries(words)) {
  const l = lang === "en" ? lunr : lunr[lang];
  const pipeline = new lunr.Pipeline();
  pipeline.add(l.trimmer, l.stopWordFilter, l.stemmer);
  out[lang] = tokens.map((t) => {
    const found = pipeline.run([new lunr.Token(t)]);
    return found.length ? found[0].toString() : null;
  });
}
process.stdout.write(JSON.stringify(out));
"""
# Original sentences, with what trips analysers: accents, quotes, elisions, ñ, emoji.
FRENCH = (
    "Les paysannes du réseau ont décidé d'organiser une foire aux semences; l'eau, la terre "
    "et les forêts appartiennent aux communautés. Nous étions rassemblées à l'école "
    "régionale, près des rivières, pour écrire nos revendications et préparer l'été. "
    "Chaque organisation a présenté ses expériences : les radios communautaires racontent "
    "comment elles informent les villages isolés, les collectifs de femmes expliquent "
    "leurs ateliers de santé, et les défenseurs des droits humains documentent les "
    "menaces qui pèsent sur les dirigeants. Quelques jeunes ont proposé de traduire les "
    "articles en créole, en quechua et en portugais; d'autres voudraient enregistrer des "
    "émissions pour celles et ceux qui n'ont pas accès à l'internet. Il faudra trouver des "
    "financements, partager les tâches équitablement, et continuer à se réunir chaque "
    "saison, malgré les distances, les pluies torrentielles et les routes abîmées."
)
# French forms through the stemmer's suffix rules (the corpus has few French texts).
FRENCH_FORMS = (
    "nationalisation heureusement rapidement finissions mangeaient chanteuses capacités "
    "nécessairement politiques acceptables importance logiciels grandement évidemment "
    "abondance patiemment ouvrières travailleurs cueillettes collectivement fraternité "
    "agricoles indigènes paysanneries défendions luttaient solidaires inquiétudes "
    "conseillère affaiblissement reconnaissance écologiques semblables arrosage"
)
TRICKY = [
    "¿contraseña?",
    "«semillas»",
    "(niños)",
    "café.",
    "días,",
    "🌽maíz",
    "l'eau",
    "d'accord",
    "são",
    "organizações",
    "—dijo",
    "2026",
    "x",
]


def corpus_words() -> dict[str, list[str]]:
    """Every word of the sample texts (and the tricky ones), folded as the build and
    search.js fold every text and query before analysing it. (Unfolded, a few differ:
    lunr-languages' Portuguese stemmer lacks Snowball's nasal-vowel step, so it stems
    `introdução` to `introduçã` where Snowball gives `introdu`; folded, both give the same.)"""
    words: dict[str, set[str]] = {lang: set(TRICKY) for lang in LANGUAGES}
    for path in [*(ROOT / "orgs").rglob("*.md"), *(ROOT / "content").rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        found = re.search(r"^lang:\s*(\w+)", text, re.M)
        lang = found.group(1) if found else "es"
        if lang in words:
            words[lang].update(w.lower() for w in re.split(r"[\s\-]+", text) if w)
    words["fr"].update(w.lower() for w in re.split(r"[\s\-]+", FRENCH + " " + FRENCH_FORMS))
    return {lang: sorted({fold(w).lower() for w in found}) for lang, found in words.items()}


def test_python_analyses_every_word_as_lunr_js_does():
    node = shutil.which("node")
    if not node:
        pytest.fail("node is required to run lunr.js for the search tests")
    words = corpus_words()
    assert all(len(tokens) > 120 for tokens in words.values()), {
        k: len(v) for k, v in words.items()
    }
    result = subprocess.run(
        [node, "-e", PIPELINE, str(VENDOR)],
        input=json.dumps(words),
        capture_output=True,
        text=True,
        check=True,
    )
    browser = json.loads(result.stdout)
    for lang, tokens in words.items():
        # lunr.js keeps a token trimmed to nothing (it matches no term); the build drops it.
        browser[lang] = [term or None for term in browser[lang]]
        mine = [analysis(lang).terms(token) for token in tokens]
        differ = [(t, b, m) for t, b, m in zip(tokens, browser[lang], mine, strict=True) if b != m]
        assert differ == [], lang
    # The analysis does something: stop words go, words are stemmed.
    assert (
        analysis("es").terms("de") is None and analysis("es").terms("organizaciones") == "organiz"
    )
    assert analysis("fr").terms("rivières") == "rivi"
    assert analysis("en").terms("days") == "day"  # lunr.js's Porter, not the classic one


def test_the_compiled_stemmers_stem_as_the_pure_python_ones():
    """The build stems with PyStemmer (snowballstemmer picks it when installed); pinned to
    the same Snowball release, it stems every word of a generated archive alike."""
    import Stemmer
    from search.analysis import _stemmer
    from snowballstemmer import french_stemmer, portuguese_stemmer, spanish_stemmer

    from benchmarks.corpus import entries

    by_lang: dict[str, set[str]] = {"es": set(), "pt": set(), "fr": set()}
    for entry in entries(600):
        if entry.lang in by_lang:
            text = f"{entry.title} {entry.summary} {entry.body}".lower()
            by_lang[entry.lang].update(re.findall(r"\w+", text))
    pure = {
        "es": spanish_stemmer.SpanishStemmer(),
        "pt": portuguese_stemmer.PortugueseStemmer(),
        "fr": french_stemmer.FrenchStemmer(),
    }
    for lang, words in by_lang.items():
        found = {fold(word).lower() for word in words} | words
        assert len(found) > 2000, lang
        stemmer = _stemmer(lang)
        assert isinstance(stemmer.__self__, Stemmer.Stemmer), lang  # the compiled one is used
        differ = [w for w in sorted(found) if stemmer(w) != pure[lang].stemWord(w)]
        assert differ == [], (lang, differ[:10])


def test_a_language_without_an_analysis_is_refused_by_name():
    with pytest.raises(UnknownLanguage, match="'qu'"):
        analysis("qu")
