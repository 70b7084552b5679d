"""New files for contributors: an org card, a text and a translation stub that build as they are.

Every field of a scaffold has a comment above it saying what it is, what it may hold and
whether it is required. The comments are in Spanish, the network's common language (the
messages around them follow the reader's language). Each file is checked by the content
model before anything is written, so a scaffold never needs an edit to build. The functions
return the files to write, {path: text}; `invoke new-org`, `new-post` and `translate` call
them and `write()` the result.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, TextIO

import yaml
from babel import Locale
from pydantic import TypeAdapter, ValidationError

from . import (
    MAX_TEXT_BYTES,
    Text,
    check_org_id,
    load_org,
    load_topics,
    read_bytes,
    read_text,
)
from .messages import DEFAULT_LANG, Message, _
from .problems import ContentError, Problem
from .schema import Fields, OrgCard, TextFields, explain, validate
from .vocabulary import (
    ARTICLE_TYPES,
    DEFAULT_LICENSE,
    KINDS,
    RESERVED_ORG_NAMES,
    SLUG,
    is_language,
)
from .yamlio import load

ORGS = "orgs"
EDITORS = "content"
TOPICS_FILE = "content/topics.yaml"
HELP_PAGE = "content/pages/participar.md"
# What `invoke new-org` writes for a value it was not given and could not ask for.
ORG_DEFAULTS = {"kinds": "rural", "countries": "CO", "languages": "es", "maintainers": ""}
WIDTH = 88  # of the comments in the files written

Errors = list[tuple[Message, Message]]  # (what is wrong, how to fix it)


# --- Asking -----------------------------------------------------------------------------------


def field_errors(model: type[Fields], name: str, value, context: dict | None = None) -> Errors:
    """What the content model finds wrong with one field's value (nothing when it is valid)."""
    info = model.model_fields[name]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    try:
        TypeAdapter(annotation).validate_python(value, context=context or {})
    except ValidationError as exc:
        return [
            explain({**error, "loc": (name, *error["loc"])}, model, context or {})
            for error in exc.errors()
        ]
    return []


@dataclass
class Questions:
    """Asks a person at a terminal for what a task was not given, until the answer is valid."""

    answers: TextIO
    out: TextIO
    lang: str = DEFAULT_LANG

    @classmethod
    def at_terminal(cls) -> Questions | None:
        """Questions on stdin and stdout when a person types there; None in scripts and CI."""
        return cls(sys.stdin, sys.stdout) if sys.stdin.isatty() else None

    def say(self, message: Message) -> None:
        self.out.write(message.render(self.lang) + "\n")
        self.out.flush()

    def ask(self, question: Message, default: str, errors: Callable[[str], Errors]) -> str:
        """The answer, or `default` for an empty one; asked again while `errors` finds any."""
        while True:
            shown_default = f" [{default}]" if default else ""
            self.out.write(f"{question.render(self.lang)}{shown_default}: ")
            self.out.flush()
            line = self.answers.readline()
            answer = line.strip() or default
            if not line:  # the input ended: the answer is checked with the whole file
                self.out.write("\n")
                return answer
            found = errors(answer)
            if not found:
                return answer
            for message, fix in found:
                self.out.write(f"  {message.render(self.lang)} — {fix.render(self.lang)}\n")


# --- Writing ----------------------------------------------------------------------------------


def write(files: dict[Path, str | bytes]) -> list[Path]:
    """Write the files a scaffold function returned; their paths."""
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return list(files)


def slug_of(title: str) -> str:
    """A file name (without its extension) made from a title."""
    from pelican.utils import slugify

    return slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])


def comment(text: str) -> str:
    """`text` as YAML comment lines (none starting with a `#` of the text, which would read
    as a commented-out line)."""
    lines = textwrap.wrap(
        text.replace(" #", "\0#"), WIDTH - 2, break_long_words=False, break_on_hyphens=False
    )
    return "".join(f"# {line}\n".replace("\0", " ") for line in lines)


def field(explanation: str, *lines: str) -> str:
    """One field of a scaffold: its explanation as a comment, then its lines."""
    return comment(explanation) + "".join(f"{line}\n" for line in lines)


def quoted(text: str) -> str:
    """A YAML string on one line (JSON's double-quoted strings are YAML too)."""
    return json.dumps(text, ensure_ascii=False)


PLAIN_ITEM = re.compile(r"[^\W\d_][\w .'-]*", re.UNICODE)


def flow(items: list[str]) -> str:
    """A YAML list on one line, `[a, b]`; items that YAML could misread are quoted."""
    return "[" + ", ".join(i if PLAIN_ITEM.fullmatch(i) else quoted(i) for i in items) + "]"


def block(key: str, text: str, indent: str = "") -> list[str]:
    """`key: >-` and `text` below it, wrapped (kept line by line when it has line breaks)."""
    inner = indent + "  "
    if "\n" in text:
        return [f"{indent}{key}: |2-", *(inner + line if line else "" for line in text.split("\n"))]
    lines = textwrap.wrap(text, WIDTH - len(inner), break_long_words=False)
    return [f"{indent}{key}: >-", *(inner + line for line in lines)]


def as_list(value: str) -> list[str]:
    """A comma-separated value given on the command line or typed at a question."""
    return [part.strip() for part in value.split(",") if part.strip()]


def language_name(code: str) -> str:
    """The Spanish name of a language code, for the comments (the code when CLDR has none)."""
    names = Locale.parse(DEFAULT_LANG).languages
    return names.get(code.replace("-", "_")) or names.get(code.split("-")[0]) or code


def country_name(code: str) -> str:
    return Locale.parse(DEFAULT_LANG).territories.get(code, code)


def named(codes: list[str], name: Callable[[str], str]) -> str:
    return ", ".join(f"{code} ({name(code)})" for code in codes)


def site_topics(root: Path) -> dict | None:
    """The site's topics, or None when it has no topics file."""
    path = root / TOPICS_FILE
    return load_topics(path, TOPICS_FILE) if path.is_file() else None


def topics_explained(topics: dict | None) -> str:
    if not topics:
        return f"los identificadores de {TOPICS_FILE}"
    labels = ", ".join(f"{t} ({labels.get(DEFAULT_LANG, t)})" for t, labels in topics.items())
    return f"los del sitio ({TOPICS_FILE}): {labels}"


def context_of(topics: dict | None) -> dict:
    return {"topics": topics} if topics is not None else {}


UNCOMMENT = "Para usarlo, borre el # del comienzo de la línea de abajo."


# --- Organization card ------------------------------------------------------------------------

# A first description in each language the card lists, for the organization to replace.
DESCRIPTION = {
    "es": "{name} publica sus textos en este espacio de la red.",
    "pt": "{name} publica seus textos neste espaço da rede.",
    "en": "{name} publishes its texts in this space of the network.",
    "fr": "{name} publie ses textes dans cet espace du réseau.",
}


def org_card(
    org_id: str,
    name: str,
    kinds: list[str],
    countries: list[str],
    languages: list[str],
    maintainers: list[str],
    topics: dict | None = None,
) -> str:
    """The text of a new `org.yaml`, a Spanish comment above each of its fields."""
    kinds_allowed = ", ".join(f"{kind} ({labels['es']})" for kind, labels in KINDS.items())
    other_countries = [c for c in ("CO", "PE", "BR", "MX", "GT") if c not in countries][:3]
    other_languages = [c for c in ("es", "pt", "qu", "gn") if c not in languages][:3]
    description = ["description:"]
    for lang in languages:
        text = DESCRIPTION.get(lang.split("-")[0], DESCRIPTION["es"]).format(name=name)
        description += block(lang, text, "  ")
    fields = [
        field(
            "name (obligatorio): el nombre completo de la organización, en una línea, como se "
            "muestra en su página.",
            f"name: {quoted(name)}",
        ),
        field(
            "short_name (opcional): un nombre corto para los listados y los menús, por ejemplo "
            "«Tierra Viva»; si falta, se usa el nombre completo. " + UNCOMMENT,
            f"# short_name: {quoted(name)}",
        ),
        field(
            "kinds (obligatorio, uno o más, separados por comas): qué tipo de organización es. "
            f"Valores posibles: {kinds_allowed}.",
            f"kinds: {flow(kinds)}",
        ),
        field(
            "countries (obligatorio, uno o más): los países donde trabaja, con su código de dos "
            "letras mayúsculas (ISO 3166): "
            f"{named(countries, country_name)}. Otros ejemplos: "
            f"{named(other_countries, country_name)}.",
            f"countries: {flow(countries)}",
        ),
        field(
            "languages (obligatorio, uno o más, el principal primero): los idiomas en que "
            "publica, con su código BCP 47 en minúsculas: "
            f"{named(languages, language_name)}. Otros ejemplos: "
            f"{named(other_languages, language_name)}.",
            f"languages: {flow(languages)}",
        ),
        field(
            "topics (opcional): los temas en que trabaja, separados por comas, entre "
            f"{topics_explained(topics)}. Por ejemplo: topics: [land, water].",
            "topics: []",
        ),
        field(
            "description (obligatorio): una presentación de la organización en dos o tres "
            "frases, una por cada idioma de `languages`, debajo del código del idioma. "
            "Reemplace estos textos de ejemplo por los suyos, con la misma sangría.",
            *description,
        ),
        field(
            "website (opcional): la dirección completa de su sitio web, con https://. " + UNCOMMENT,
            f"# website: https://{org_id}.example",
        ),
        field(
            "contact (opcional): un correo o teléfono de contacto público; nunca el de una "
            "persona en riesgo. " + UNCOMMENT,
            f"# contact: contacto@{org_id}.example",
        ),
        field(
            "logo (opcional): el nombre de un archivo de imagen de esta carpeta, por ejemplo "
            "logo.png. " + UNCOMMENT,
            "# logo: logo.png",
        ),
        field(
            f"license (opcional; si falta, {DEFAULT_LICENSE}): la licencia con que se publican "
            "los textos de la organización.",
            f"license: {DEFAULT_LICENSE}",
        ),
        field(
            "maintainers (opcional, separados por comas): los nombres de usuario en el servidor "
            "git, sin @, de quienes cuidan esta carpeta. Solo ellas y ellos, y el equipo "
            "editorial, pueden cambiarla: sin ninguno, cada cambio espera al equipo editorial.",
            f"maintainers: {flow(maintainers)}",
        ),
    ]
    header = comment(
        "Ficha de la organización: los datos de su página en el sitio. Encima de cada campo, "
        "un comentario explica qué poner. Las líneas que empiezan con # son comentarios: no "
        f"se publican y se pueden borrar. Más ejemplos en {HELP_PAGE}."
    )
    return header + "".join("\n" + part for part in fields)


def check_card(text: str, shown: str, topics: dict | None) -> OrgCard:
    """The content model's verdict on a card's text, before it is written."""
    data, locations = load(text, shown)
    return validate(OrgCard, data, locations, shown, context_of(topics))


def new_org(
    root: Path, org_id: str, given: dict[str, str], questions: Questions | None = None
) -> dict[Path, str]:
    """The card of a new organization, `orgs/<org_id>/org.yaml`.

    `given` may hold name, kinds, countries, languages and maintainers (lists separated by
    commas); what it lacks is asked for when there are `questions`, else defaulted.
    """
    shown = f"{ORGS}/{org_id}/org.yaml"
    check_org_id(org_id, shown)
    folder = root / ORGS / org_id
    if folder.exists():
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    _("orgs/%(org)s/ already exists", org=org_id),
                    _("choose another folder name, or edit the existing card"),
                )
            ]
        )
    topics = site_topics(root)
    defaults = {"name": org_id.replace("-", " ").title(), **ORG_DEFAULTS}
    values = {key: (given.get(key) or "").strip() for key in defaults}
    if questions and not all(values.values()):
        values = ask_org(values, defaults, questions, topics)
    values = {key: value or defaults[key] for key, value in values.items()}
    text = org_card(
        org_id,
        values["name"],
        as_list(values["kinds"]),
        as_list(values["countries"]),
        as_list(values["languages"]),
        [handle.lstrip("@") for handle in as_list(values["maintainers"])],
        topics,
    )
    check_card(text, shown, topics)
    return {folder / "org.yaml": text}


def ask_org(values: dict, defaults: dict, questions: Questions, topics: dict | None) -> dict:
    """`values` completed with the answers to a question for each one that is empty."""
    lang = questions.lang
    kinds = ", ".join(f"{kind}: {labels.get(lang, kind)}" for kind, labels in KINDS.items())
    asked = {
        "name": _("Full name of the organization"),
        "kinds": _("Kinds of organization, separated by commas (%(choices)s)", choices=kinds),
        "countries": _(
            "Countries where it works, as two-letter codes separated by commas, e.g. CO, PE, BR"
        ),
        "languages": _(
            "Languages it publishes in, the main one first, as codes separated by commas, e.g. "
            "es, pt, qu, gn"
        ),
        "maintainers": _(
            "User names on the git host of who looks after this folder, yours first, separated "
            "by commas (Enter: none)"
        ),
    }
    questions.say(
        _("Answer each question and press Enter; an empty answer takes the value in brackets.")
    )
    answered = dict(values)
    for key, question in asked.items():
        if not answered[key]:
            answered[key] = questions.ask(
                question,
                defaults[key],
                lambda answer, key=key: field_errors(OrgCard, key, answer, context_of(topics)),
            )
    return answered


# --- A text -----------------------------------------------------------------------------------

# The first words of a new text, in its language (Spanish for the others).
FIRST_PARAGRAPH = {
    "es": "Escriba aquí el texto. Un párrafo por idea; use `##` para los subtítulos.",
    "pt": "Escreva aqui o texto. Um parágrafo por ideia; use `##` para os subtítulos.",
    "en": "Write the text here. One paragraph per idea; use `##` for subheadings.",
    "fr": "Écrivez le texte ici. Un paragraphe par idée ; utilisez `##` pour les intertitres.",
}
PLACEHOLDER_TITLE = {
    "es": "Título del texto (cámbielo)",
    "pt": "Título do texto (mude-o)",
    "en": "Title of the text (change it)",
    "fr": "Titre du texte (changez-le)",
}


def in_language(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang.split("-")[0], texts[DEFAULT_LANG])


def text_file_errors(root: Path, folder: Path, slug: str, title: str) -> tuple[str, Errors]:
    """Where a text named `slug` would go (shown from `root`), and why it cannot go there."""
    shown = (folder / f"{slug}.md").relative_to(root).as_posix()
    if not slug.strip("-") or not SLUG.match(slug):
        return shown, [
            (
                _("the title `%(title)s` gives no usable file name", title=title),
                _("use a title with letters or digits"),
            )
        ]
    if folder.relative_to(root).parts[0] == ORGS and (
        slug in RESERVED_ORG_NAMES or slug.startswith("index-")
    ):
        return shown, [
            (
                _(
                    "the file name `%(name)s` is reserved for the organization's own page",
                    name=slug,
                ),
                _("choose another title"),
            )
        ]
    if (folder / f"{slug}.md").exists():
        return shown, [(_("%(path)s already exists", path=shown), _("choose another title"))]
    return shown, []


def text_front_matter(
    card, title: str, lang: str, kind: str, today: dt.date, topics: dict | None
) -> str:
    """The front matter of a new text of `card`'s organization, each field explained."""
    types = ", ".join(f"{name} ({labels['es']})" for name, labels in ARTICLE_TYPES.items())
    fields = [
        field("title (obligatorio): el título del texto, en una línea.", f"title: {quoted(title)}"),
        field(
            "date (obligatorio): la fecha de publicación, AAAA-MM-DD; con la hora si hace "
            "falta: 2026-03-14 09:30. Los textos se ordenan por esta fecha.",
            f"date: {today.isoformat()}",
        ),
        field(
            "lang (obligatorio): el idioma del texto, con su código BCP 47: "
            f"{named([lang], language_name)}. Otros ejemplos: "
            + ", ".join(c for c in ("es", "pt", "en", "qu", "gn") if c != lang)
            + ".",
            f"lang: {lang}",
        ),
        field(
            "summary (opcional): una o dos frases que se muestran en los listados, en los "
            "canales de noticias y al compartir el texto.",
            *block("summary", f"{card.short_name}: {title}".replace("\n", " ")),
        ),
        field(
            f"type (si falta, news): el tipo de texto. Valores posibles: {types}.", f"type: {kind}"
        ),
    ]
    if kind == "event":
        fields.append(
            field(
                "event (obligatorio en un texto de tipo event): cuándo empieza (start, fecha y "
                "hora), cuándo termina (end, opcional) y dónde es (place, opcional). Así el "
                "evento aparece en la agenda.",
                "event:",
                f"  start: {today.isoformat()} 09:00",
                f"  # end: {today.isoformat()} 13:00",
                "  # place: Casa comunal",
            )
        )
    fields += [
        field(
            "topics (opcional): los temas del texto, separados por comas, entre "
            f"{topics_explained(topics)}.",
            "topics: []",
        ),
        field(
            "countries (opcional): los países de los que trata el texto, con su código de dos "
            f"letras (ISO 3166): {named(card.countries, country_name)}.",
            f"countries: {flow(card.countries)}",
        ),
        field(
            "tags (opcional): palabras clave libres, separadas por comas, por ejemplo "
            "[asamblea, semillas nativas].",
            "tags: []",
        ),
        field(
            "authors (opcional): quién firma el texto, por ejemplo [Equipo de comunicación]; "
            "no nombre a personas en riesgo.",
            "authors: []",
        ),
        field(
            "image (opcional): una imagen de esta carpeta que acompaña el texto, con su ruta "
            "desde este archivo; image_alt (obligatorio si hay imagen): qué muestra la imagen, "
            "para quien no puede verla. Para usarlos, borre el # del comienzo de las dos líneas.",
            "# image: images/foto.jpg",
            "# image_alt: Descripción de lo que muestra la foto",
        ),
        field(
            "translation_key (opcional): une un texto con sus traducciones, que llevan la misma. "
            "`invoke translate` la escribe al crear una traducción.",
            "# translation_key: clave-del-texto",
        ),
        field(
            "draft (opcional): con `draft: true` el texto no se publica hasta que se borre la "
            "línea. " + UNCOMMENT,
            "# draft: true",
        ),
        field(
            "modified (opcional): la fecha de la última corrección importante, AAAA-MM-DD. "
            + UNCOMMENT,
            f"# modified: {today.isoformat()}",
        ),
        field(
            "aliases (opcional): direcciones antiguas de este texto, por ejemplo las de un blog "
            "anterior, como rutas sin http://. " + UNCOMMENT,
            "# aliases: [2019/texto-antiguo.html]",
        ),
    ]
    header = comment(
        f"Texto de {card.short_name}. Encima de cada campo, un comentario explica qué poner. "
        "Las líneas que empiezan con # son comentarios: no se publican y se pueden borrar. "
        f"Más ejemplos en {HELP_PAGE}. Debajo de la segunda línea `---` va el texto, en "
        "Markdown."
    )
    return "---\n" + header + "".join("\n" + part for part in fields) + "---\n"


def new_text(
    root: Path,
    org_id: str,
    title: str = "",
    lang: str = "",
    kind: str = "news",
    questions: Questions | None = None,
    today: dt.date | None = None,
) -> dict[Path, str]:
    """A new text of an organization, `orgs/<org_id>/<slug of the title>.md`, dated `today`.

    Without a title, one is asked for when there are `questions`; else the text gets a
    placeholder title (and a dated file name) to change.
    """
    folder = root / ORGS / org_id
    card = load_org(folder, display_root=root)
    topics = site_topics(root)
    lang = lang or (card.languages or [DEFAULT_LANG])[0]
    today = today or dt.date.today()
    placeholder = in_language(PLACEHOLDER_TITLE, lang)
    if not title and questions:

        def errors(answer: str) -> Errors:
            if answer == placeholder:
                return []
            return (
                field_errors(TextFields, "title", answer)
                or text_file_errors(root, folder, slug_of(answer), answer)[1]
            )

        title = questions.ask(_("Title of the text"), placeholder, errors)
    if title and title != placeholder:
        shown, errors = text_file_errors(root, folder, slug_of(title), title)
        if errors:
            raise ContentError([Problem(shown, 1, *error) for error in errors])
    else:  # a dated file name, numbered when there are several such texts of a day
        title = placeholder
        for number in range(1, 1000):
            slug = f"texto-nuevo-{today.isoformat()}" + (f"-{number}" if number > 1 else "")
            shown, errors = text_file_errors(root, folder, slug, title)
            if not errors:
                break
    text = text_front_matter(card, title, lang, kind, today, topics)
    text += "\n" + in_language(FIRST_PARAGRAPH, lang) + "\n"
    read_text(text.encode("utf-8"), shown, context_of(topics))  # refused here, never written
    return {root / shown: text}


# --- A translation ----------------------------------------------------------------------------

# Fields of the original that its translation does not copy: they are the translation's own,
# or, for aliases, would give two texts the same old address.
NOT_COPIED = {
    "title",
    "summary",
    "image_alt",
    "lang",
    "translation_key",
    "draft",
    "modified",
    "aliases",
}


def markdown_suffixes() -> tuple[str, ...]:
    """The file endings Pelican reads as Markdown."""
    from pelican.readers import MarkdownReader

    return tuple(f".{ending}" for ending in MarkdownReader.file_extensions)


def group_folder(shown: str) -> str:
    """The folder whose texts may share a translation_key with the text at `shown`: its
    organization's, or its editors' folder (as `site_paths.section_of` groups them)."""
    return "/".join(PurePosixPath(shown).parts[:2])


def texts_under(root: Path, folder: str, context: dict) -> list[tuple[str, Text]]:
    """Every readable text under `root/folder` (those with problems are left to `check`)."""
    found = []
    endings = markdown_suffixes()
    for path in sorted((root / folder).rglob("*")):
        if path.suffix not in endings or path.is_symlink() or not path.is_file():
            continue
        shown = path.relative_to(root).as_posix()
        try:
            found.append(
                (shown, read_text(read_bytes(path, shown, MAX_TEXT_BYTES), shown, context))
            )
        except ContentError:
            continue
    return found


def insert_line(raw: bytes, index: int, line: str) -> bytes:
    """`raw` with `line` inserted before its line number `index` (from 0), ended as the file's
    lines are; every other byte stays as it was."""
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    position = 0
    for _line in range(index):
        found = raw.find(b"\n", position)
        if found < 0:
            return (
                raw
                + (newline if raw and not raw.endswith(b"\n") else b"")
                + line.encode()
                + newline
            )
        position = found + 1
    return raw[:position] + line.encode("utf-8") + newline + raw[position:]


def yaml_field(key: str, value) -> str:
    """One copied field as YAML: lists on one line, an event's fields below it."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
        value = value.date()
    if isinstance(value, dict):
        value = {
            k: v.date() if isinstance(v, dt.datetime) and v.time() == dt.time(0) else v
            for k, v in value.items()
        }
    return yaml.safe_dump(
        {key: value},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None if isinstance(value, list) else False,
        width=WIDTH,
    )


def original_body(text: Text, decoded: str) -> str:
    if text.yaml_front_matter:
        return text.body
    return "".join(decoded.splitlines(keepends=True)[text.body_line - 1 :])


def translation(
    root: Path, source: Path, lang: str, title: str = "", given: str | None = None
) -> dict[Path, str | bytes]:
    """A draft translation into `lang` of the text at `source`, in the same folder, linked to
    it by a shared translation_key; when the original has none, one line adds it.

    Its file name is the slug of `title` when given, else `<original's name>-<lang>.md`.
    `given` is how the person wrote the path, to show it back in problems.
    """
    given = given or str(source)
    source = Path(os.path.abspath(source))
    where = _(
        "give the path of a text from the top of the project, e.g. orgs/tierra-viva/comunicado.md"
    )
    if not source.exists():
        raise ContentError([Problem(given, 1, _("%(path)s does not exist", path=given), where)])
    relative = PurePosixPath(Path(os.path.relpath(source, root)).as_posix())
    if (
        relative.parts[0] not in (ORGS, EDITORS)
        or len(relative.parts) < 3
        or relative.suffix not in markdown_suffixes()
        or not source.is_file()
    ):
        raise ContentError(
            [
                Problem(
                    given,
                    1,
                    _(
                        "%(path)s is not a text of an organization (orgs/) or of the editors "
                        "(content/)",
                        path=given,
                    ),
                    where,
                )
            ]
        )
    shown = relative.as_posix()
    topics = site_topics(root)
    context = context_of(topics)
    raw = read_bytes(source, shown, MAX_TEXT_BYTES)
    original = read_text(raw, shown, context)  # a text with problems is mended first
    if not is_language(lang):
        raise ContentError(
            [
                Problem(
                    shown,
                    original.line_of("lang"),
                    _("`%(value)s` is not a language code", value=lang),
                    _("use a BCP 47 code in small letters, e.g. es, pt, en, qu, gn"),
                )
            ]
        )
    texts = texts_under(root, group_folder(shown), context)
    key = original.fields.translation_key
    group = (
        [(s, t) for s, t in texts if t.fields.translation_key == key]
        if key
        else [(shown, original)]
    )
    for other, text in group:
        if text.fields.lang == lang:
            raise ContentError(
                [
                    Problem(
                        other,
                        text.line_of("lang"),
                        _(
                            "%(path)s is already the version of this text in %(lang)s",
                            path=other,
                            lang=lang,
                        ),
                        _("edit that file, or translate into another language"),
                    )
                ]
            )
    slug = slug_of(title) if title else slug_of(f"{relative.stem}-{lang}")
    target_shown, errors = text_file_errors(root, root / relative.parent, slug, title or slug)
    if errors:
        fix = None if title else _('give the translation a title: --title "…"')
        raise ContentError(
            [Problem(target_shown, 1, message, fix or how) for message, how in errors]
        )

    files: dict[Path, str | bytes] = {}
    if not key:
        key = unused_key(relative, {t.fields.translation_key for _s, t in texts})
        index = original.body_line - (2 if original.yaml_front_matter else 1)
        edited = insert_line(raw, index, f"translation_key: {key}")
        read_text(edited, shown, context)
        files[source] = edited
    decoded = raw.decode("utf-8-sig")
    stub = translation_stub(original, decoded, shown, lang, key, title)
    read_text(stub.encode("utf-8"), target_shown, context)  # refused here, never written
    files[root / target_shown] = stub
    return files


def unused_key(relative: PurePosixPath, taken: set) -> str:
    """A translation_key for the text at `relative` that no other text of its folder has."""
    inside = relative.relative_to(*relative.parts[:2]).with_suffix("")
    candidates = [slug_of(relative.stem), slug_of("-".join(inside.parts))]
    candidates = [c for c in candidates if c and SLUG.match(c)] or ["texto"]
    for number in range(1, 1000):
        for candidate in candidates:
            key = candidate if number == 1 else f"{candidate}-{number}"
            if key not in taken:
                return key
    raise AssertionError("no free translation_key")  # a thousand texts of one name


def translation_stub(
    original: Text, decoded: str, shown: str, lang: str, key: str, title: str = ""
) -> str:
    """The text of a translation stub: the original's title, summary and body to translate,
    its other fields as they are, and `draft: true`."""
    fields = original.fields
    header = comment(
        f"Traducción al {language_name(lang)} ({lang}) de {shown}, que está en "
        f"{language_name(fields.lang)} ({fields.lang}). Qué hacer: 1. Traduzca el título "
        "(title), el resumen (summary) y el texto de abajo, copiados del original. 2. Deje "
        "igual los demás campos. 3. Cuando la traducción esté lista, borre la línea "
        "`draft: true` para publicarla. Las líneas que empiezan con # son comentarios: no se "
        "publican y se pueden borrar."
    )
    parts = [
        field(
            "title (obligatorio): el título, traducido, en una línea.",
            f"title: {quoted(title or fields.title)}",
        )
    ]
    if fields.summary:
        parts.append(
            field("summary (opcional): el resumen, traducido.", *block("summary", fields.summary))
        )
    if getattr(fields, "image_alt", None):
        parts.append(
            field(
                "image_alt: la descripción de la imagen, traducida, para quien no puede verla.",
                f"image_alt: {quoted(fields.image_alt)}",
            )
        )
    parts += [
        field(
            f"lang: el idioma de esta traducción, {language_name(lang)}. No lo cambie.",
            f"lang: {lang}",
        ),
        field(
            "translation_key: une esta traducción con el original y con sus otras traducciones, "
            "que llevan la misma. No la cambie.",
            f"translation_key: {key}",
        ),
        field(
            "draft: mientras esta línea diga `draft: true`, la traducción no se publica y el "
            "original no la enlaza. Bórrela cuando la traducción esté lista.",
            "draft: true",
        ),
    ]
    copied = {
        name: value
        for name, value in fields.model_dump(exclude_none=True).items()
        if name not in NOT_COPIED and value != type(fields).model_fields[name].default
    }
    if copied:
        parts.append(
            comment("Los campos que siguen son los del original: déjelos igual.")
            + "".join(yaml_field(name, value) for name, value in copied.items())
        )
    body = original_body(original, decoded).replace("\r\n", "\n").lstrip("\n")
    return "---\n" + header + "".join("\n" + part for part in parts) + "---\n\n" + body
