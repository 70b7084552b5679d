"""Read YAML the way a volunteer means it, and remember where every value was written.

PyYAML follows YAML 1.1, which silently turns `NO` (Norway) into false, `0123` into 83
and `12:30` into 750, and resolves dates the moment they are read (so `2026-02-30`
fails with no line). Minga's loader resolves only `true`/`false`, `null`, plain decimal
numbers and nothing else: every other scalar stays the text that was typed, and the
content model decides what it must be. Anchors, aliases and duplicate keys are refused,
since a contributor never needs them and they hide what a file really says.
"""

from __future__ import annotations

import re

import yaml

from .messages import _
from .problems import ContentError, Problem

MAX_YAML_BYTES = 64 * 1024


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars only."""


# The same, parsed by libyaml when PyYAML has it: ten times as fast. Its error messages are
# worded differently, so a file it refuses is read again by StrictLoader for the report.
FastLoader = type("FastLoader", (yaml.CSafeLoader,), {}) if yaml.__with_libyaml__ else StrictLoader

CORE_SCALARS = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
        "-+.0123456789",
    ),
)
for _loader in {StrictLoader, FastLoader}:
    _loader.yaml_implicit_resolvers = {}
    for _tag, _pattern, _first in CORE_SCALARS:
        _loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

Location = tuple[int, int]  # (line, column), both from 1


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text of a file, or a problem naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    _("the file is not saved as UTF-8 text"),
                    _(
                        "save it again choosing the UTF-8 encoding (in most editors: Save as… → "
                        "Encoding: UTF-8)"
                    ),
                    column,
                )
            ]
        ) from None


def _locations(node: yaml.Node, path: tuple, found: dict, problems: list, shown: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                problems.append(
                    Problem(
                        shown,
                        where[0],
                        _("the field `%(key)s` is written twice", key=key),
                        _("keep only one of the two lines"),
                        where[1],
                    )
                )
            seen.add(key)
            found[(*path, key)] = where
            _locations(value_node, (*path, key), found, problems, shown)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found[(*path, index)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _locations(item, (*path, index), found, problems, shown)


def load(text: str, path: str, first_line: int = 1) -> tuple[dict, dict[tuple, Location]]:
    """Parse a YAML mapping; return it and the (line, column) of every key and list item.

    `first_line` is the file line where `text` starts (a front matter starts on line 2).
    """
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise ContentError(
            [
                Problem(
                    path,
                    first_line,
                    _(
                        "this block of fields is too long (%(size)s KB at most)",
                        size=MAX_YAML_BYTES // 1024,
                    ),
                    _("keep the fields short; long texts go in the body, below the `---` line"),
                )
            ]
        )
    problems: list[Problem] = []
    offset = first_line - 1
    node, data = fast_parse(text)
    if node is None:  # refused (or empty): the pure-Python reading says plainly why
        node, data = _strict_parse(text, path, first_line)
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise ContentError(
            [
                Problem(
                    path,
                    first_line,
                    _("expected one `field: value` per line"),
                    _("write one field per line, for example `title: My title`"),
                )
            ]
        )
    found: dict[tuple, Location] = {}
    if node is not None:
        _locations(node, (), found, problems, path)
    if problems:
        raise ContentError(problems)
    shifted = {key: (line + offset, column) for key, (line, column) in found.items()}
    return {str(k): v for k, v in data.items()}, shifted


def fast_parse(text: str) -> tuple[yaml.Node | None, object]:
    """`_parse` with libyaml, or (None, None) where the pure-Python parser is to read: when
    libyaml refuses the text, and when it has a tab (libyaml accepts a line of a space and
    a tab that the pure-Python parser refuses; a contributor gets its message)."""
    if "\t" in text:
        return None, None
    try:
        return _parse(text, FastLoader)
    except yaml.YAMLError:
        return None, None


def _parse(text: str, loader: type) -> tuple[yaml.Node | None, object]:
    """The node tree and the data of `text`; (None, None) when it has an anchor or alias
    (refused: see `_strict_parse`), and for empty text."""
    if "&" in text or "*" in text:  # else it can have neither, and one parse is enough
        for event in yaml.parse(text, Loader=loader):
            if getattr(event, "anchor", None) or isinstance(event, yaml.AliasEvent):
                return None, None
    reading = loader(text)
    try:
        node = reading.get_single_node()
        return node, (reading.construct_document(node) if node is not None else None)
    finally:
        reading.dispose()


def _strict_parse(text: str, path: str, first_line: int) -> tuple[yaml.Node | None, object]:
    """`_parse` with the pure-Python loader, for the plain report of what is wrong."""
    problems: list[Problem] = []
    offset = first_line - 1
    try:
        for event in yaml.parse(text, Loader=StrictLoader):
            if getattr(event, "anchor", None) or isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                problems.append(
                    Problem(
                        path,
                        mark.line + 1 + offset,
                        _("anchors and aliases (`&name`, `*name`) are not allowed"),
                        _("write the value out in full where it is needed"),
                        mark.column + 1,
                    )
                )
        if problems:
            raise ContentError(problems)
        return _parse(text, StrictLoader)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + first_line
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    _(
                        "the file contains an invisible control character (code %(code)s)",
                        code=f"U+{exc.character:04X}",
                    ),
                    _(
                        "delete the character (it often comes from copying text from a PDF) or "
                        "retype the line"
                    ),
                    column,
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or ""
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            reason += f"; {exc.context} (line {exc.context_mark.line + first_line})"
        raise ContentError(
            [
                Problem(
                    path,
                    (mark.line if mark else 0) + first_line,
                    _("this line cannot be read as YAML (%(reason)s)", reason=reason),
                    _(
                        "check the indentation and the colons; put text that contains `:` or `#` "
                        "between quotes"
                    ),
                    (mark.column + 1) if mark else 1,
                )
            ]
        ) from None


def locate(locations: dict[tuple, Location], loc: tuple, default_line: int = 1) -> Location:
    """The closest known position for a value's path, e.g. ('topics', 2) or ('event', 'end')."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in locations:
            return locations[loc[:end]]
    return (default_line, 1)
