"""The content model: what an org card, a front matter and the editors' files may contain.

This is the one place that decides what is valid. Pelican's plugins, `invoke check`, the
build and the tests import it; none of them repeat its rules. Field declarations live in
`schema`, vocabularies in `vocabulary`, YAML reading in `yamlio`, messages in `messages`.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import RootModel

from .messages import DEFAULT_LANG, LANGUAGES, Message, _
from .problems import ContentError, Problem, setting_problem
from .schema import (
    Curation,
    DossierFields,
    Editors,
    GuideFields,
    Language,
    Line,
    OrgCard,
    PageFields,
    Slug,
    TextFields,
    validate,
)
from .vocabulary import (
    ARTICLE_TYPES,
    DEFAULT_LICENSE,
    GUIDE_THEMES,
    KINDS,
    ORG_ID,
    RESERVED_KEYS,
    RESERVED_ORG_NAMES,
    SLUG,
    is_country,
    is_language,
)
from .yamlio import decode, load

__all__ = [
    "MAX_TEXT_BYTES",
    "check_org_id",
    "read_bytes",
    "ARTICLE_TYPES",
    "DEFAULT_LANG",
    "DEFAULT_LICENSE",
    "GUIDE_THEMES",
    "KINDS",
    "LANGUAGES",
    "ORG_ID",
    "RESERVED_KEYS",
    "RESERVED_ORG_NAMES",
    "SLUG",
    "ContentError",
    "Curation",
    "Editors",
    "Message",
    "Org",
    "PageFields",
    "Problem",
    "Text",
    "TextFields",
    "_",
    "is_country",
    "is_language",
    "load_curation",
    "load_editors",
    "load_org",
    "load_orgs",
    "load_topics",
    "org_of",
    "read_text",
    "read_yaml_file",
    "setting_problem",
    "split_front_matter",
    "to_datetime",
]

MAX_TEXT_BYTES = 1024 * 1024

FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE
)
HEADER = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*)$")


# --- Reading files --------------------------------------------------------------------------


State = tuple[int, int, int, int]  # a file's inode, size, modification and change times
# The md5 of each source file the build's whole-tree check read, with the file's state when
# it was read: the content cache's stamp of the file (`CHECK_MODIFIED_METHOD = "md5"`),
# which the reading then need not read and hash again (`front_matter`).
_read_md5: dict[str, tuple[State, bytes]] = {}


def state_of(found: os.stat_result) -> State:
    """What names a file's bytes without reading them (see `noted_md5`)."""
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def forget_md5() -> None:
    _read_md5.clear()


def read_noting_md5(path: Path, shown: str, limit: int) -> tuple[bytes, State, bytes]:
    """`read_bytes`, the file's md5 noted; the bytes, the file's state and its md5. Its state
    is taken before it is read: a file changed meanwhile has another state when
    `noted_md5` looks."""
    raw, state = _open_and_read(path, shown, limit)
    md5 = hashlib.md5(raw).digest()
    note_md5(path, state, md5)
    return raw, state, md5


def note_md5(path: Path | str, state: State, md5: bytes) -> None:
    """Note the md5 of a file in `state`, known without reading it again (the check keeps
    what it read from one run to the next)."""
    _read_md5[os.path.abspath(path)] = (state, md5)


def noted_md5(filename: str) -> bytes | None:
    """The md5 of a file read by this build's check, unless it changed since."""
    kept = _read_md5.get(os.path.abspath(filename))
    if kept is None:
        return None
    try:
        return kept[1] if state_of(os.stat(filename)) == kept[0] else None
    except OSError:
        return None


# Work to finish before this process parses a text (by the process that asked): the
# whole-tree check running beside the reading (`checks`), whose report comes before
# anything a parse of a broken text would say.
_before_parsing: list[tuple[int, Callable[[], None]]] = []


def wait_before_parsing(done: Callable[[], None]) -> None:
    """Have `done` called before this process next parses a text (`ready_to_parse`)."""
    if (os.getpid(), done) not in _before_parsing:
        _before_parsing.append((os.getpid(), done))


def parsing_waits() -> bool:
    """Whether this process has something to finish before it parses a text."""
    return any(owner == os.getpid() for owner, _done in _before_parsing)


def ready_to_parse() -> None:
    """Finish, once, what this process must before it parses a text (a process forked from
    it has nothing of its parent's to finish)."""
    waiting = [done for owner, done in _before_parsing if owner == os.getpid()]
    _before_parsing.clear()
    for done in waiting:
        done()


def read_bytes(path: Path, shown: str, limit: int) -> bytes:
    """A file's bytes, refusing links and files over `limit`."""
    return _open_and_read(path, shown, limit)[0]


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


def _link(shown: str) -> Problem:
    return Problem(
        shown,
        1,
        _("this file is a link to another file"),
        _("replace the link with the file itself"),
    )


def _open_and_read(path: Path, shown: str, limit: int) -> tuple[bytes, State]:
    """A file's bytes and its state as it was opened (one `open`, never through a link)."""
    follows = not hasattr(os, "O_NOFOLLOW")  # a system that opens through links anyway
    if follows and Path(path).is_symlink():
        raise ContentError([_link(shown)])
    try:
        with open(path, "rb", opener=None if follows else _no_follow) as handle:
            found = os.fstat(handle.fileno())
            raw = handle.read(limit + 1) if found.st_size <= limit else b""
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and Path(path).is_symlink():
            raise ContentError([_link(shown)]) from None
        raise
    size = max(found.st_size, len(raw))
    if size > limit:
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    _(
                        "the file is too large (%(size)s KB; %(limit)s KB at most)",
                        size=size // 1024,
                        limit=limit // 1024,
                    ),
                    _("split the text in several files, or remove what was pasted by mistake"),
                )
            ]
        )
    return raw, state_of(found)


def read_yaml_file(path: Path, shown: str) -> tuple[dict, dict]:
    """A YAML file's mapping and the position of each of its values."""
    return load(decode(read_bytes(path, shown, MAX_TEXT_BYTES), shown), shown)


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split `---` YAML front matter from the body; None when the file has none."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    return match.group(1), text[match.end() :]


def legacy_headers(text: str) -> tuple[dict, dict]:
    """Pelican's `Title: …` headers (lowercased keys) with their lines, up to the first blank."""
    data: dict = {}
    locations: dict = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = HEADER.match(line)
        if not match:
            break
        key = match.group(1).lower()
        data.setdefault(key, match.group(2).strip())
        locations.setdefault((key,), (number, 1))
    return data, locations


@dataclass(frozen=True)
class Text:
    """A text's checked fields and its Markdown body."""

    fields: PageFields
    body: str
    body_line: int  # the file line where the body starts
    yaml_front_matter: bool
    locations: dict = field(default_factory=dict)  # (field, …) -> (line, column)

    def line_of(self, key: str) -> int:
        return self.locations.get((key,), (1, 1))[0]


# The editors' folders whose Markdown files are not texts of the archive.
MODEL_BY_FOLDER = {
    "content/pages/": PageFields,
    "content/dossiers/": DossierFields,
    "content/guides/": GuideFields,
}


def model_for(shown: str) -> type[PageFields]:
    """Which fields a Markdown file may have, by its folder."""
    for folder, model in MODEL_BY_FOLDER.items():
        if shown.startswith(folder):
            return model
    return TextFields


# The whole-tree check reads every text just before Pelican's reader reads it again: the
# second reading of the same bytes, with the same vocabulary, gets the first one's result.
_read: dict[tuple, Text] = {}
_READ_KEPT = 100_000


def read_text(raw: bytes, shown: str, context: dict | None = None) -> Text:
    """Check a Markdown file's front matter (YAML or Pelican headers) against the model.

    The result is kept for the same file, bytes and context; it must not be changed.
    """
    key = (
        shown,
        hashlib.blake2b(raw, digest_size=16).digest(),
        json.dumps(context or {}, sort_keys=True, default=str),
    )
    found = _read.get(key)
    if found is None:
        found = _read_text(raw, shown, context)
        if len(_read) >= _READ_KEPT:
            _read.clear()
        _read[key] = found
    return found


def _read_text(raw: bytes, shown: str, context: dict | None) -> Text:
    text = decode(raw, shown)
    model = model_for(shown)
    parts = split_front_matter(text)
    if parts is None:
        data, locations = legacy_headers(text)
        if not data:
            raise ContentError(
                [
                    Problem(
                        shown,
                        1,
                        _("the text has no fields (title, date, language…)"),
                        _(
                            "start the file with a block between two `---` lines, e.g. `title: …`, "
                            "`date: 2026-03-14`, `lang: es`"
                        ),
                    )
                ]
            )
        fields = validate(model, data, locations, shown, context)
        header_end = max(line for line, _ in locations.values())
        return Text(fields, text, header_end + 1, False, locations)
    front, body = parts
    data, locations = load(front, shown, first_line=2)
    fields = validate(model, data, locations, shown, context)
    return Text(fields, body, front.count("\n") + 3, True, locations)


# --- Vocabulary files -------------------------------------------------------------------------


class Topics(RootModel[dict[Slug, dict[Language, Line]]]):
    """`content/topics.yaml`: topic id -> label per language."""


def load_topics(path: Path, shown: str | None = None) -> dict[str, dict[str, str]]:
    """Read `content/topics.yaml`: topic id -> {lang: label}; each topic needs a Spanish label."""
    shown = shown or path.as_posix()
    data, locations = read_yaml_file(path, shown)
    topics = validate(Topics, data, locations, shown).root
    problems = [
        Problem(
            shown,
            locations[(topic,)][0],
            _("the topic `%(topic)s` has no label in Spanish", topic=topic),
            _("add a line `  es: …` under it"),
        )
        for topic, labels in topics.items()
        if DEFAULT_LANG not in labels
    ]
    if problems:
        raise ContentError(problems)
    return topics


def load_editors(path: Path, shown: str | None = None) -> list[str]:
    shown = shown or path.as_posix()
    data, locations = read_yaml_file(path, shown)
    return list(validate(Editors, data, locations, shown).editors)


def load_curation(path: Path, shown: str | None = None) -> tuple[Curation, dict]:
    """The editors' picks, and the position of each value (to point at a wrong pick)."""
    shown = shown or path.as_posix()
    data, locations = read_yaml_file(path, shown)
    return validate(Curation, data, locations, shown), locations


# --- Org cards --------------------------------------------------------------------------------


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


def check_org_id(org_id: str, shown: str) -> None:
    """Raise a ContentError on `shown` (the card) when a folder name cannot be an org id."""
    if not ORG_ID.match(org_id):
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    _("the folder name `%(name)s` cannot be an organization id", name=org_id),
                    _(
                        "rename the folder with 2 to 41 small letters, digits and hyphens, e.g. "
                        "radio-rio-claro"
                    ),
                )
            ]
        )


def load_org(folder: Path, topics: dict | None = None, display_root: Path | None = None) -> Org:
    """Read and check `<folder>/org.yaml`; the folder name is the org's id."""
    card = folder / "org.yaml"
    shown = (card.relative_to(display_root) if display_root else card).as_posix()
    org_id = folder.name
    check_org_id(org_id, shown)
    if not card.is_file():
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    _("this organization has no card (org.yaml)"),
                    _(
                        "create it with `invoke new-org %(org)s`, or copy the card of another "
                        "organization",
                        org=org_id,
                    ),
                )
            ]
        )
    data, locations = read_yaml_file(card, shown)
    context = {"topics": topics} if topics is not None else {}
    checked = validate(OrgCard, data, locations, shown, context)
    if checked.logo:
        logo = (folder / checked.logo).resolve()
        if not logo.is_relative_to(folder.resolve()) or not logo.is_file():
            line, column = locations[("logo",)]
            raise ContentError(
                [
                    Problem(
                        shown,
                        line,
                        _(
                            "the logo `%(logo)s` is not a file in this organization's folder",
                            logo=checked.logo,
                        ),
                        _("put the image in the folder and write its name, e.g. `logo: logo.png`"),
                        column,
                    )
                ]
            )
    return Org(
        id=org_id,
        name=checked.name,
        short_name=checked.short_name or checked.name,
        kinds=list(checked.kinds),
        countries=list(checked.countries),
        languages=list(checked.languages),
        topics=list(checked.topics),
        description=dict(checked.description),
        website=checked.website or "",
        contact=checked.contact or "",
        logo=checked.logo or "",
        license=checked.license,
        maintainers=list(checked.maintainers),
    )


def load_orgs(
    orgs_dir: Path,
    topics: dict | None = None,
    display_root: Path | None = None,
    skip: tuple | list = (),
) -> dict[str, Org]:
    """Read every org card under `orgs_dir`; report the problems of all cards together."""
    orgs: dict[str, Org] = {}
    problems: list[Problem] = []
    if not orgs_dir.is_dir():
        return orgs
    for folder in sorted(p for p in orgs_dir.iterdir() if p.is_dir()):
        if folder.name.startswith(".") or folder.name in skip:
            continue
        try:
            orgs[folder.name] = load_org(folder, topics, display_root)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return orgs


# --- Where a file belongs ---------------------------------------------------------------------


def org_of(relative_path: str, orgs_dir: str = "orgs") -> str | None:
    """The org a source file belongs to, from its path alone (`orgs/<org>/…`), or None."""
    # As PurePosixPath(relative_path).parts, without its cost (three calls per text).
    parts = [part for part in relative_path.split("/") if part and part != "."]
    if len(parts) >= 3 and parts[0] == orgs_dir:
        return parts[1]
    return None


def to_datetime(value) -> dt.datetime | None:
    """Turn a date or datetime into a datetime (dates start at midnight)."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None
