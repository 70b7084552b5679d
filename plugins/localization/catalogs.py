"""The interface's catalogs: extract the strings of the theme and of `strings.py` as
`babel.cfg` says, and bring each language's `.po` file up to date with them.

`invoke translations` runs this; the tests use `interface_catalog` to check that every
string has a translation in every language.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def interface_catalog(root: Path) -> Catalog:
    """Every interface string of the project at `root`, with where it is used."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="Minga", domain="messages", fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalog


def update_catalogs(root: Path, translations: Path) -> dict[str, tuple[int, int]]:
    """Write `messages.pot` and merge it into each `<lang>/LC_MESSAGES/messages.po`.

    Returns, per language, (strings, strings without a translation).
    """
    template = interface_catalog(root)
    _write(translations / "messages.pot", template, sort_by_file=True)
    report = {}
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        lang = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        _write(po, catalog, no_location=True, ignore_obsolete=True)
        untranslated = sum(1 for m in catalog if m.id and not _translated(m))
        report[lang] = (len(template), untranslated)
    return report


def _write(path: Path, catalog: Catalog, **options) -> None:
    """Write a catalog, unless only its dates or the Babel version that wrote it would change
    (so the task can be run any time, with any Babel, without leaving changes behind)."""
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, **options)
    new = buffer.getvalue()
    if not path.is_file() or _undated(path.read_bytes()) != _undated(new):
        path.write_bytes(new)


def _undated(po: bytes) -> list[bytes]:
    return [line for line in po.splitlines() if not line.startswith(DATED)]


DATED = (b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')


def _translated(message) -> bool:
    """Every form of the message has a translation (plural messages have several)."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)
