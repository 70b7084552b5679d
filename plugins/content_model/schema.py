"""The fields of every kind of file, as pydantic models, and their errors said for people.

Each model declares its fields: type, whether required, allowed values. pydantic does the
checking; `validate()` turns its errors into `Problem`s that name the line of the field
and say how to fix it, in the contributor's language.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .messages import Message, _
from .problems import ContentError, Problem
from .vocabulary import (
    ARTICLE_TYPES,
    DEFAULT_LICENSE,
    GUIDE_THEMES,
    KINDS,
    RESERVED_KEYS,
    SLUG,
    is_country,
    is_language,
)
from .yamlio import Location, locate

# --- Field types ---------------------------------------------------------------------------


def _vocabulary(error: str, valid) -> AfterValidator:
    def check(value: str) -> str:
        if not valid(value):
            raise PydanticCustomError(error, error, {"value": value})
        return value

    return AfterValidator(check)


def _topic(value: str, info: ValidationInfo) -> str:
    topics = (info.context or {}).get("topics")
    if topics is not None and value not in topics:
        raise PydanticCustomError("unknown_topic", "unknown_topic", {"value": value})
    return value


def _as_list(value: Any) -> Any:
    """`tags: a, b` (Pelican's style) and `tags: a` both mean a list."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _no_newline(value: str) -> str:
    if "\n" in value.strip():
        raise PydanticCustomError("one_line", "one_line", {})
    return value


Text = Annotated[str, Field(min_length=1, max_length=2000)]
Line = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_no_newline)]
Slug = Annotated[str, _vocabulary("bad_slug", lambda v: bool(SLUG.match(v)))]
Country = Annotated[str, _vocabulary("unknown_country", is_country)]
Language = Annotated[str, _vocabulary("unknown_language", is_language)]
Kind = Annotated[str, _vocabulary("unknown_kind", KINDS.__contains__)]
TextType = Annotated[str, _vocabulary("unknown_type", ARTICLE_TYPES.__contains__)]
GuideTheme = Annotated[str, _vocabulary("unknown_guide_theme", GUIDE_THEMES.__contains__)]
Topic = Annotated[str, AfterValidator(_topic)]
Handle = Annotated[
    str,
    BeforeValidator(lambda v: v.lstrip("@") if isinstance(v, str) else v),
    Field(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$"),
]
WebAddress = Annotated[str, Field(pattern=r"^https?://[^\s/$.?#][^\s]*$", max_length=500)]
RelativePath = Annotated[
    str,
    Field(min_length=1, max_length=300),
    _vocabulary("not_relative_path", lambda v: not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|/", v)),
]
Listed = BeforeValidator(_as_list)


class Fields(BaseModel):
    """Base of every model: unknown keys are errors, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


# --- Organization card ----------------------------------------------------------------------


class OrgCard(Fields):
    """`orgs/<org>/org.yaml`."""

    name: Line
    short_name: Line | None = None
    kinds: Annotated[list[Kind], Listed, Field(min_length=1)]
    countries: Annotated[list[Country], Listed, Field(min_length=1)]
    languages: Annotated[list[Language], Listed, Field(min_length=1)]
    topics: Annotated[list[Topic], Listed] = []
    description: Annotated[dict[Language, Text], Field(min_length=1)]
    website: WebAddress | None = None
    contact: Line | None = None
    logo: RelativePath | None = None
    license: Line = DEFAULT_LICENSE
    maintainers: Annotated[list[Handle], Listed] = []


# --- Texts ----------------------------------------------------------------------------------


class Event(Fields):
    start: dt.datetime
    end: dt.datetime | None = None
    place: Line | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Event:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError("event_end_before_start", "event_end_before_start", {})
        return self


class PageFields(Fields):
    """Front matter of an editors' page (`content/pages/`)."""

    title: Line
    lang: Language
    summary: Text | None = None
    translation_key: Slug | None = None
    date: dt.datetime | None = None
    modified: dt.datetime | None = None
    draft: StrictBool = False


class TextFields(PageFields):
    """Front matter of an organization's text or a curated news item."""

    date: dt.datetime
    type: TextType = "news"
    topics: Annotated[list[Topic], Listed] = []
    countries: Annotated[list[Country], Listed] = []
    tags: Annotated[list[Line], Listed] = []
    authors: Annotated[list[Line], Listed] = []
    image: RelativePath | None = None
    image_alt: Line | None = None
    event: Event | None = None
    aliases: Annotated[list[RelativePath], Listed] = []

    @model_validator(mode="after")
    def _complete(self) -> TextFields:
        if self.type == "event" and self.event is None:
            raise PydanticCustomError("event_missing", "event_missing", {})
        if self.image and not self.image_alt:
            raise PydanticCustomError("image_alt_missing", "image_alt_missing", {})
        return self


class GuideFields(PageFields):
    """Front matter of a training guide (`content/guides/`): a page with its theme."""

    theme: GuideTheme


class DossierFields(PageFields):
    """Front matter of a dossier (`content/dossiers/`): an introduction and its texts, in order."""

    date: dt.datetime
    items: Annotated[list[RelativePath], Field(min_length=1)]


# --- Editors' files -------------------------------------------------------------------------


class Editors(Fields):
    """`content/editors.yaml`: who may change `content/`, the theme and the code."""

    editors: Annotated[list[Handle], Listed, Field(min_length=1)]


class Curation(Fields):
    """`content/curation.yaml`: the editors' picks for each language's home page."""

    updated: dt.date | None = None
    featured: dict[Language, list[RelativePath]] = {}


# --- Errors for people ------------------------------------------------------------------------

FIELD_HINTS = {
    "title": "title: Título del texto",
    "date": "date: 2026-03-14",
    "lang": "lang: es",
    "name": "name: Nombre completo de la organización",
    "kinds": "kinds: [rural]",
    "countries": "countries: [CO]",
    "languages": "languages: [es]",
    "description": "description:\n  es: Somos…",
    "editors": "editors: [usuario]",
    "theme": "theme: writing",
}

# Errors about a combination of fields, shown on the line of the field that asks for more.
FIELD_OF_MODEL_ERROR = {"event_missing": "type", "image_alt_missing": "image"}

DATE_FIX = _("write the date as YYYY-MM-DD, e.g. 2026-03-14, or with the time: 2026-03-14 09:30")


def _field_name(loc: tuple) -> str:
    return ".".join(str(part) for part in loc if not isinstance(part, int)) or "?"


def _unknown_key(key: str, model: type[BaseModel]) -> tuple[Message, Message]:
    if key == "org":
        return (
            _("a text cannot say which organization it belongs to"),
            _("remove this line: a text belongs to the organization of its folder"),
        )
    if key.lower() in RESERVED_KEYS:
        return (
            _("the field `%(key)s` cannot be set in a text", key=key),
            _(
                "remove this line: the address and layout of a page come from its folder "
                "and file name"
            ),
        )
    known = list(model.model_fields)
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if close:
        return (
            _("unknown field `%(key)s`", key=key),
            _("did you mean `%(suggestion)s`?", suggestion=close[0]),
        )
    return (
        _("unknown field `%(key)s`", key=key),
        _("remove it or fix its name; the fields are: %(fields)s", fields=", ".join(known)),
    )


def explain(error: dict, model: type[BaseModel], context: dict) -> tuple[Message, Message]:
    """What is wrong and how to fix it, for one pydantic error."""
    kind = error["type"]
    loc = error["loc"]
    field = _field_name(loc)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    shown = ctx.get("value", value)
    if kind == "extra_forbidden":
        return _unknown_key(str(loc[-1]), model)
    if kind == "missing":
        hint = FIELD_HINTS.get(field, f"{field}: …")
        return (
            _("the field `%(field)s` is missing", field=field),
            _("add a line `%(hint)s`", hint=hint),
        )
    if kind == "unknown_country":
        return (
            _("`%(value)s` is not a country code", value=shown),
            _("use the two capital letters of ISO 3166, e.g. CO, BR, MX, GT"),
        )
    if kind == "unknown_language":
        return (
            _("`%(value)s` is not a language code", value=shown),
            _("use a BCP 47 code in small letters, e.g. es, pt, en, qu, gn"),
        )
    if kind == "unknown_kind":
        return (
            _("`%(value)s` is not a kind of organization", value=shown),
            _("use one of: %(choices)s", choices=", ".join(KINDS)),
        )
    if kind == "unknown_type":
        return (
            _("`%(value)s` is not a type of text", value=shown),
            _("use one of: %(choices)s", choices=", ".join(ARTICLE_TYPES)),
        )
    if kind == "unknown_guide_theme":
        return (
            _("`%(value)s` is not a theme of the guides", value=shown),
            _("use one of: %(choices)s", choices=", ".join(GUIDE_THEMES)),
        )
    if kind == "unknown_topic":
        return (
            _("`%(value)s` is not one of the site's topics", value=shown),
            _("use one of: %(choices)s", choices=", ".join(context.get("topics") or ())),
        )
    if kind == "bad_slug":
        return (
            _("`%(value)s` cannot be used as a key", value=shown),
            _("use small letters without accents, digits and hyphens, e.g. informe-2026"),
        )
    if kind == "event_missing":
        return (
            _("a text of type `event` needs its date"),
            _("add `event:` with `start: 2026-12-05 09:00` (and `end:`, `place:`)"),
        )
    if kind == "event_end_before_start":
        return (_("the event ends before it starts"), _("check the dates of `start` and `end`"))
    if kind == "image_alt_missing":
        return (
            _("the image has no description"),
            _("add `image_alt:` describing what the image shows, for readers who cannot see it"),
        )
    if kind == "not_relative_path":
        return (
            _("`%(value)s` must be a path inside this folder", value=shown),
            _("write the path relative to this file, e.g. images/photo.jpg"),
        )
    if kind == "one_line":
        return (
            _("`%(field)s` must fit on one line", field=field),
            _("remove the line breaks; long texts go in the body"),
        )
    if kind.startswith(("datetime", "date")):
        return (_("`%(value)s` is not a valid date", value=value), DATE_FIX)
    if kind.startswith("bool"):
        return (
            _("`%(field)s` must be true or false", field=field),
            _("write `%(field)s: true` or `%(field)s: false`", field=field),
        )
    if kind == "string_type":
        return (
            _("`%(field)s` must be text", field=field),
            _(
                'put the value between quotes, e.g. %(field)s: "%(value)s"',
                field=field,
                value=value,
            ),
        )
    if kind == "list_type":
        return (
            _("`%(field)s` must be a list", field=field),
            _("write it as `%(field)s: [a, b]`", field=field),
        )
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (
            _("`%(field)s` must be a group of `name: value` lines", field=field),
            _("write `%(field)s:` and below it indented lines, e.g. `  es: …`", field=field),
        )
    if kind in ("string_too_short", "too_short"):
        return (_("`%(field)s` is empty", field=field), _("write a value or remove the line"))
    if kind in ("string_too_long", "too_long"):
        return (_("`%(field)s` is too long", field=field), _("shorten it"))
    if kind == "string_pattern_mismatch" and field == "website":
        return (
            _("`%(value)s` is not a complete web address", value=value),
            _("write it with its beginning, e.g. https://radio.example"),
        )
    if kind == "string_pattern_mismatch" and field in ("editors", "maintainers"):
        return (
            _("`%(value)s` is not a user name of the git host", value=value),
            _("write the user name as it appears in the profile, without spaces"),
        )
    if kind == "string_pattern_mismatch":
        return (
            _("`%(value)s` is not valid for `%(field)s`", value=value, field=field),
            _("check the examples in content/pages/participar.md"),
        )
    return (
        _("`%(field)s` is not valid (%(reason)s)", field=field, reason=error.get("msg")),
        _("check the examples in content/pages/participar.md"),
    )


def validate(
    model: type[Fields],
    data: dict,
    locations: dict[tuple, Location],
    path: str,
    context: dict | None = None,
    default_line: int = 1,
) -> Fields:
    """Validate `data` against `model`, or raise ContentError with every problem found."""
    context = context or {}
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if error["type"] == "missing" and len(loc) == 1:
                line, column = default_line, 1
            elif not loc and error["type"] in FIELD_OF_MODEL_ERROR:
                line, column = locate(locations, (FIELD_OF_MODEL_ERROR[error["type"]],))
            else:
                line, column = locate(locations, loc, default_line)
            message, fix = explain(error, model, context)
            problems.append(Problem(path, line, message, fix, column))
        raise ContentError(problems) from None
