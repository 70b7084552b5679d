"""The site's vocabularies: kinds of organization, types of text, countries, languages."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

ORG_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
SLUG = re.compile(r"^[a-z0-9-]+$")

# Kinds of organization, with their label in each UI language.
KINDS: dict[str, dict[str, str]] = {
    "rural": {
        "es": "Campesina y rural",
        "pt": "Camponesa e rural",
        "en": "Peasant and rural",
        "fr": "Paysanne et rurale",
    },
    "women": {"es": "Mujeres", "pt": "Mulheres", "en": "Women", "fr": "Femmes"},
    "human-rights": {
        "es": "Derechos humanos",
        "pt": "Direitos humanos",
        "en": "Human rights",
        "fr": "Droits humains",
    },
    "indigenous": {"es": "Indígena", "pt": "Indígena", "en": "Indigenous", "fr": "Autochtone"},
    "afro": {
        "es": "Afrodescendiente",
        "pt": "Afrodescendente",
        "en": "Afro-descendant",
        "fr": "Afrodescendante",
    },
    "communication": {
        "es": "Comunicación comunitaria",
        "pt": "Comunicação comunitária",
        "en": "Community media",
        "fr": "Médias communautaires",
    },
    "youth": {"es": "Juventud", "pt": "Juventude", "en": "Youth", "fr": "Jeunesse"},
    "environment": {
        "es": "Ambiental",
        "pt": "Ambiental",
        "en": "Environmental",
        "fr": "Environnementale",
    },
    "labour": {
        "es": "Sindical y trabajo",
        "pt": "Sindical e trabalho",
        "en": "Labour",
        "fr": "Syndicale et travail",
    },
}

# Types of text, with their label in each UI language.
ARTICLE_TYPES: dict[str, dict[str, str]] = {
    "news": {"es": "Noticia", "pt": "Notícia", "en": "News", "fr": "Actualité"},
    "analysis": {"es": "Análisis", "pt": "Análise", "en": "Analysis", "fr": "Analyse"},
    "statement": {"es": "Comunicado", "pt": "Nota pública", "en": "Statement", "fr": "Communiqué"},
    "event": {"es": "Evento", "pt": "Evento", "en": "Event", "fr": "Événement"},
    "campaign": {"es": "Campaña", "pt": "Campanha", "en": "Campaign", "fr": "Campagne"},
    "document": {"es": "Documento", "pt": "Documento", "en": "Document", "fr": "Document"},
    "guide": {"es": "Guía", "pt": "Guia", "en": "Guide", "fr": "Guide"},
}

# Themes of the training guides (`content/guides/`, `theme:`), in the order of the guides'
# index page, with their label in each UI language. The contributors' guides are
# `contributing`: they alone make CONTRIBUTING.md.
GUIDE_THEMES: dict[str, dict[str, str]] = {
    "writing": {
        "es": "Escribir para la web",
        "pt": "Escrever para a web",
        "en": "Writing for the web",
        "fr": "Écrire pour le web",
    },
    "photos": {
        "es": "Fotos con poca conexión",
        "pt": "Fotos com pouca conexão",
        "en": "Photos on slow connections",
        "fr": "Photos à faible débit",
    },
    "security": {
        "es": "Seguridad digital básica",
        "pt": "Segurança digital básica",
        "en": "Digital security basics",
        "fr": "Sécurité numérique de base",
    },
    "offline": {
        "es": "Leer sin conexión",
        "pt": "Ler sem conexão",
        "en": "Reading offline",
        "fr": "Lire hors ligne",
    },
    "contributing": {
        "es": "Publicar en la red",
        "pt": "Publicar na rede",
        "en": "Publishing in the network",
        "fr": "Publier dans le réseau",
    },
}

# Front-matter keys that would let a file choose where it is written or how it is
# rendered, and so take over another page of the site.
RESERVED_KEYS = frozenset(
    {"save_as", "url", "template", "status", "slug", "category", "lang_url", "lang_save_as", "path"}
)

# File names an org's text may not take: its profile page and its feed are written there.
RESERVED_ORG_NAMES = ("index", "feed")

DEFAULT_LICENSE = "CC BY-SA 4.0"
_REFERENCE_LOCALE = Locale("en")


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code that CLDR knows."""
    return (
        isinstance(code, str)
        and len(code) == 2
        and code.isupper()
        and code in _REFERENCE_LOCALE.territories
    )


def is_language(code: str) -> bool:
    """True for a BCP 47 language code that CLDR knows (`es`, `pt-BR`, `qu`, `gn`)."""
    if not isinstance(code, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code):
        return False
    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return code.split("-")[0] in _REFERENCE_LOCALE.languages
    return True
