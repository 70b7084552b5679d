"""The content model: what an org card, a front matter and the editors' files may contain.

This is the one place that decides what is valid. Pelican's plugins, `invoke` tasks and
the tests import it; none of them repeat its rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
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

# Front-matter keys that would let a file choose where it is written or how it is
# rendered, and so take over another page of the site.
RESERVED_KEYS = frozenset(
    {"save_as", "url", "template", "status", "slug", "category", "lang_url", "lang_save_as", "path"}
)

DEFAULT_LICENSE = "CC BY-SA 4.0"
_REFERENCE_LOCALE = Locale("en")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, said so a volunteer can fix it."""

    path: str
    line: int
    message: str
    fix: str
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message} — {self.fix}"


class ContentError(Exception):
    """Raised with every problem found in a piece of content."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Org:
    """An organization's card, read from `orgs/<id>/org.yaml`."""

    id: str
    name: str
    short_name: str
    kinds: list[str]
    countries: list[str]
    languages: list[str]
    topics: list[str]
    description: dict[str, str]
    website: str = ""
    contact: str = ""
    logo: str = ""
    license: str = DEFAULT_LICENSE
    maintainers: list[str] = field(default_factory=list)

    def description_in(self, lang: str) -> tuple[str, str]:
        """The description in `lang`, else in the org's first language, else any: (lang, text)."""
        for candidate in (lang, *self.languages, *self.description):
            if candidate in self.description:
                return candidate, self.description[candidate]
        return lang, ""


# --- YAML with line numbers -------------------------------------------------------------


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Map each top-level key of a YAML mapping node to its 1-based line."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def load_yaml_mapping(text: str, path: str, first_line: int = 1) -> tuple[dict, dict[str, int]]:
    """Parse a YAML mapping; return it with the line of each key.

    `first_line` is the file line where `text` starts (front matter starts on line 2).
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        column = (mark.column + 1) if mark else 1
        reason = exc.problem or exc.context
        if exc.context and exc.context_mark and exc.context_mark.line != mark.line:
            # e.g. a list opened with `[` on an earlier line and never closed
            reason += f"; {exc.context} that starts on line {exc.context_mark.line + first_line}"
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    f"the YAML cannot be read ({reason})",
                    "check the indentation and the colons on this line; put text containing ':' "
                    "or '#' between quotes",
                    column,
                )
            ]
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            [
                Problem(
                    path,
                    first_line,
                    "expected a list of `key: value` lines",
                    "write one field per line, e.g. `title: My title`",
                )
            ]
        )
    lines = {k: v + first_line - 1 for k, v in _key_lines(node).items()}
    return data, lines


# --- Vocabularies --------------------------------------------------------------------------


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
    if not isinstance(code, str) or not code:
        return False
    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return code.split("-")[0] in _REFERENCE_LOCALE.languages
    return True


def load_topics(path: Path) -> dict[str, dict[str, str]]:
    """Read `content/topics.yaml`: topic id -> {lang: label}."""
    shown = path.as_posix()
    data, lines = load_yaml_mapping(path.read_text(encoding="utf-8"), shown)
    problems = []
    for topic, labels in data.items():
        if not SLUG.match(str(topic)):
            problems.append(
                Problem(
                    shown,
                    lines.get(topic, 1),
                    f"topic id `{topic}` is not valid",
                    "use lowercase letters, digits and hyphens",
                )
            )
        elif not isinstance(labels, dict) or not labels:
            problems.append(
                Problem(
                    shown,
                    lines.get(topic, 1),
                    f"topic `{topic}` has no labels",
                    "give one label per language, e.g. `es: Agua`",
                )
            )
    if problems:
        raise ContentError(problems)
    return {str(k): {str(lang): str(label) for lang, label in v.items()} for k, v in data.items()}


# --- Org cards -----------------------------------------------------------------------------


def _string_list(value) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def load_org(folder: Path, topics: dict | None = None, display_root: Path | None = None) -> Org:
    """Read and check `<folder>/org.yaml`; the folder name is the org's id."""
    card = folder / "org.yaml"
    shown = (card.relative_to(display_root) if display_root else card).as_posix()
    org_id = folder.name
    if not card.is_file():
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    "this organization has no card (org.yaml)",
                    "copy org.yaml from another organization's folder, or run "
                    f"`invoke new-org {org_id}`",
                )
            ]
        )
    data, lines = load_yaml_mapping(card.read_text(encoding="utf-8"), shown)
    problems: list[Problem] = []

    def problem(key: str, message: str, fix: str) -> None:
        problems.append(Problem(shown, lines.get(key, 1), message, fix))

    if not ORG_ID.match(org_id):
        problem(
            "name",
            f"the folder name `{org_id}` cannot be an organization id",
            "rename the folder with 2 to 41 lowercase letters, digits and hyphens",
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problem(
            "name", "the card has no `name`", "add a line `name: Full name of the organization`"
        )
        name = org_id
    lists = {}
    for key in ("kinds", "countries", "languages", "topics", "maintainers"):
        values = _string_list(data.get(key))
        if values is None:
            problem(key, f"`{key}` must be a list of words", f"write it as `{key}: [a, b]`")
            values = []
        lists[key] = values
    vocabularies = {
        "kinds": (
            KINDS.__contains__,
            "is not a kind of organization",
            "use one of: " + ", ".join(KINDS),
        ),
        "countries": (
            is_country,
            "is not a country code",
            "use two capital letters from ISO 3166, e.g. CO, BR, MX",
        ),
        "languages": (
            is_language,
            "is not a language code",
            "use a BCP 47 code such as es, pt, en, qu, gn",
        ),
    }
    if topics is not None:
        vocabularies["topics"] = (
            topics.__contains__,
            "is not a topic of the site",
            "use one of: " + ", ".join(topics),
        )
    for key, (valid, what, fix) in vocabularies.items():
        for value in lists[key]:
            if not valid(value):
                problem(key, f"`{value}` {what}", fix)
    if not lists["kinds"]:
        problem("kinds", "the card has no `kinds`", "add e.g. `kinds: [rural]`")
    description = data.get("description") or {}
    if isinstance(description, str):
        description = {(lists["languages"] or ["es"])[0]: description}
    texts = description.values() if isinstance(description, dict) else ()
    if not isinstance(description, dict) or not all(isinstance(v, str) for v in texts):
        problem(
            "description",
            "`description` must have one text per language",
            "write `description:` then lines like `  es: Somos…`",
        )
        description = {}
    logo = data.get("logo") or ""
    if logo:
        logo_path = (folder / str(logo)).resolve()
        if not logo_path.is_relative_to(folder.resolve()) or not logo_path.is_file():
            problem(
                "logo",
                f"the logo `{logo}` is not a file in this organization's folder",
                "put the image in the folder and write its name, e.g. `logo: logo.png`",
            )
    if problems:
        raise ContentError(problems)
    return Org(
        id=org_id,
        name=name.strip(),
        short_name=str(data.get("short_name") or name).strip(),
        kinds=lists["kinds"],
        countries=lists["countries"],
        languages=lists["languages"],
        topics=lists["topics"],
        description={str(k): v.strip() for k, v in description.items()},
        website=str(data.get("website") or ""),
        contact=str(data.get("contact") or ""),
        logo=str(logo),
        license=str(data.get("license") or DEFAULT_LICENSE),
        maintainers=lists["maintainers"],
    )


def load_orgs(
    orgs_dir: Path, topics: dict | None = None, display_root: Path | None = None
) -> dict[str, Org]:
    """Read every org card under `orgs_dir`; report the problems of all cards together."""
    orgs: dict[str, Org] = {}
    problems: list[Problem] = []
    if not orgs_dir.is_dir():
        return orgs
    for folder in sorted(p for p in orgs_dir.iterdir() if p.is_dir()):
        if folder.name.startswith("."):
            continue
        try:
            orgs[folder.name] = load_org(folder, topics, display_root)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return orgs


# --- Where a file belongs ------------------------------------------------------------------


def org_of(relative_path: str, orgs_dir: str = "orgs") -> str | None:
    """The org a source file belongs to, from its path alone (`orgs/<org>/…`), or None."""
    parts = PurePosixPath(relative_path).parts
    if len(parts) >= 3 and parts[0] == orgs_dir:
        return parts[1]
    return None


def to_datetime(value) -> dt.datetime | None:
    """Turn a YAML date or datetime into a datetime (dates start at midnight)."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None
