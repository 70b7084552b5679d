"""Every message a contributor can see exists in Spanish and Portuguese, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from content_model.messages import catalog

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def message_ids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=[("plugins/**.py", "python"), ("tasks.py", "python")],
        keywords={"_": None},
    ):
        found.add(message)
    return found


def test_messages_are_found():
    assert len(message_ids()) > 100


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_every_message_is_translated_with_its_placeholders(lang):
    translations = catalog(lang)
    missing = sorted(m for m in message_ids() if m not in translations)
    assert missing == []
    for msgid in message_ids():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(
            PLACEHOLDER.findall(translations[msgid])
        ), msgid


def interface_ids() -> set[str]:
    """The interface's strings, extracted as `invoke translations` does (babel.cfg)."""
    from localization.catalogs import interface_catalog

    return {message.id for message in interface_catalog(ROOT) if message.id}


def forms(text: str | tuple) -> tuple:
    """A message's forms: one, or singular and plural(s)."""
    return text if isinstance(text, tuple) else (text,)


@pytest.mark.parametrize("lang", ["pt", "en", "fr"])
def test_every_interface_string_is_translated(lang):
    from babel.messages.pofile import read_po

    path = ROOT / f"theme/translations/{lang}/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = {m.id: m.string for m in read_po(handle) if m.id and all(forms(m.string))}
    ids = interface_ids()
    assert len(ids) > 60 and any(isinstance(i, tuple) for i in ids)  # plurals too
    assert sorted(map(str, (i for i in ids if i not in catalog))) == []
    for msgid in ids:
        # Every form keeps the placeholders of the original (the plural's, for a plural).
        expected = sorted(PLACEHOLDER.findall(forms(msgid)[-1]))
        for form in forms(catalog[msgid]):
            assert sorted(PLACEHOLDER.findall(form)) == expected, (lang, msgid, form)
