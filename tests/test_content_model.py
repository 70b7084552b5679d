"""The content model on its own: YAML as typed, limits, links, and random input; and a bad
setting, which stops a build as a content problem does."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from checks.tree import check_tree
from conftest import article, org_card
from content_model import (
    MAX_TEXT_BYTES,
    ContentError,
    forget_md5,
    load_org,
    noted_md5,
    read_noting_md5,
    read_text,
    setting_problem,
)
from content_model.messages import Message
from content_model.yamlio import MAX_YAML_BYTES, load
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

BASE = Path(__file__).parent / "bad_inputs" / "_base"


def site(tmp_path: Path) -> Path:
    return shutil.copytree(BASE, tmp_path / "site")


def test_yaml_11_surprises_stay_as_typed():
    data, _ = load("title: 12:30\ncountries: [NO]\nlang: no\ncode: 0123\nflag: yes\n", "x.md")
    assert data == {
        "title": "12:30",
        "countries": ["NO"],
        "lang": "no",
        "code": "0123",
        "flag": "yes",
    }


def test_text_keeps_values_yaml_11_would_change():
    raw = b"---\ntitle: 12:30\ndate: 2026-03-01\nlang: es\ncountries: [NO]\n---\nBody\n"
    fields = read_text(raw, "orgs/alfa/hora.md").fields
    assert fields.title == "12:30" and fields.countries == ["NO"]


def test_positions_point_at_the_value(tmp_path):
    _, where = load("title: A\ntopics:\n  - water\n  - land\n", "x.md", first_line=2)
    assert where[("topics",)] == (3, 1) and where[("topics", 1)] == (5, 5)


def test_symlinked_file_and_folder_are_refused(tmp_path):
    root = site(tmp_path)
    os.symlink("/etc/hostname", root / "orgs/alfa/robado.md")
    os.symlink("/etc", root / "orgs/alfa/etc")
    lines = [p.render("en").split(" — ")[0] for p in check_tree(root)]
    assert lines == [
        "orgs/alfa/etc:1:1: this folder is a link to another folder",
        "orgs/alfa/robado.md:1:1: this file is a link to another file",
    ]


def test_oversized_text_and_front_matter_are_refused(tmp_path):
    root = site(tmp_path)
    big_body = "---\ntitle: Largo\ndate: 2026-03-01\nlang: es\n---\n" + "palabra " * 140_000
    (root / "orgs/alfa/largo.md").write_text(big_body)
    big_front = "---\ntitle: Largo\ndate: 2026-03-01\nlang: es\nsummary: " + "x" * MAX_YAML_BYTES
    (root / "orgs/alfa/frente.md").write_text(big_front + "\n---\nBody\n")
    lines = [p.render("en").split(" — ")[0] for p in check_tree(root)]
    assert lines == [
        "orgs/alfa/frente.md:2:1: this block of fields is too long (64 KB at most)",
        "orgs/alfa/largo.md:1:1: the file is too large (1093 KB; 1024 KB at most)",
    ]


def test_every_problem_of_a_file_is_reported_together(tmp_path):
    raw = b"---\ntitle: Varios\ndate: 2026-02-30\nlang: xx\ncountries: [XX]\ncolor: rojo\n---\n"
    try:
        read_text(raw, "orgs/alfa/varios.md")
    except ContentError as exc:
        lines = [p.render("en").split(" — ")[0] for p in exc.problems]
    assert lines == [
        "orgs/alfa/varios.md:3:1: `2026-02-30` is not a valid date",
        "orgs/alfa/varios.md:4:1: `xx` is not a language code",
        "orgs/alfa/varios.md:5:13: `XX` is not a country code",
        "orgs/alfa/varios.md:6:1: unknown field `color`",
    ]


def test_sample_cards_load(tmp_path):
    card = load_org(BASE / "orgs/alfa", {"water": {"es": "Agua"}}, BASE)
    assert card.name == "Colectivo Alfa" and card.maintainers == ["alfa-equipo"]


# --- Random input: the model answers with its own error, never with anything else --------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.one_of(
    st.sampled_from(
        [
            "title",
            "date",
            "lang",
            "summary",
            "type",
            "topics",
            "countries",
            "tags",
            "authors",
            "translation_key",
            "image",
            "image_alt",
            "event",
            "aliases",
            "draft",
            "org",
            "save_as",
        ]
    ),
    st.text(min_size=1, max_size=12),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, max_size=8))
def test_random_front_matter_gives_only_content_errors(front):
    try:
        text = yaml.safe_dump(front, allow_unicode=True)
    except yaml.YAMLError:
        return
    raw = ("---\n" + text + "---\nBody\n").encode("utf-8")
    for path in ("orgs/alfa/azar.md", "content/pages/azar.md", "content/dossiers/azar.md"):
        try:
            read_text(raw, path, context={"topics": {"water": {}}})
        except ContentError as exc:
            assert exc.problems and all(p.line >= 1 for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_random_text_gives_only_content_errors(text):
    try:
        read_text(("---\n" + text + "\n---\nBody\n").encode("utf-8"), "orgs/alfa/azar.md")
    except ContentError as exc:
        assert all(str(p) for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_give_only_content_errors(raw):
    with contextlib.suppress(ContentError):
        read_text(raw, "orgs/alfa/azar.md")


def _both_readings(text: str):
    """What libyaml and the pure-Python parser each make of `text`: (data, positions), or
    None when it refuses the text."""
    from content_model.yamlio import StrictLoader, _locations, _parse, fast_parse

    def strict(text: str):
        try:
            return _parse(text, StrictLoader)
        except yaml.YAMLError:
            return None, None

    found = []
    for parse in (fast_parse, strict):
        node, data = parse(text)
        if node is None:
            found.append(None)
            continue
        positions: dict = {}
        if node is not None:
            _locations(node, (), positions, [], "x.md")
        found.append((data, positions))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=8), st.text(max_size=40))
@example(front={"0": None}, tail=" \t")  # a last line of a space and a tab: libyaml alone took it
def test_libyaml_reads_what_the_python_parser_reads_at_the_same_places(front, tail):
    """Valid fields are parsed by libyaml for speed: whatever it accepts, the pure-Python
    parser (whose messages the contributors read) accepts alike, at the same line and column."""
    text = yaml.safe_dump(front, allow_unicode=True) + tail
    fast, strict = _both_readings(text)
    if fast is not None:
        assert fast == strict


def test_the_md5_of_a_file_read_by_the_check_serves_until_the_file_changes(tmp_path):
    """The content cache's stamp of a text (`CHECK_MODIFIED_METHOD = "md5"`) is the md5 the
    whole-tree check made when it read the file, and never once the file changed since."""
    text = tmp_path / "texto.md"
    text.write_bytes(b"---\ntitle: Uno\n---\nCuerpo.\n")
    raw, state, md5 = read_noting_md5(text, "texto.md", MAX_TEXT_BYTES)
    assert md5 == hashlib.md5(raw).digest() == noted_md5(str(text))
    assert state[:2] == (text.stat().st_ino, len(raw))

    text.write_bytes(b"---\ntitle: Dos\n---\nOtro cuerpo.\n")  # written in place
    assert noted_md5(str(text)) is None
    read_noting_md5(text, "texto.md", MAX_TEXT_BYTES)
    replaced = tmp_path / "nuevo.md"
    replaced.write_bytes(b"---\ntitle: Dos\n---\nOtro cuerpo.\n")  # same bytes, new file
    os.replace(replaced, text)
    assert noted_md5(str(text)) is None
    assert noted_md5(str(tmp_path / "never-read.md")) is None
    forget_md5()
    assert noted_md5(str(text)) is None


def test_a_bad_setting_is_pointed_at_the_line_that_sets_it(tmp_path):
    (tmp_path / "pelicanconf.py").write_text('SITENAME = "Minga"\n\nDIGEST_SINCE = "ayer"\n')
    problem, fix = Message("`%(x)s` is wrong", {"x": 1}), Message("fix it")
    found = setting_problem("DIGEST_SINCE", {"PATH": str(tmp_path)}, problem, fix)
    assert [(p.path, p.line) for p in found.problems] == [("pelicanconf.py", 3)]
    # publishconf.py reads pelicanconf.py first: its own line is the one that counts.
    (tmp_path / "publishconf.py").write_text("from pelicanconf import *\nDIGEST_SINCE=None\n")
    found = setting_problem("DIGEST_SINCE", {"PATH": str(tmp_path)}, problem, fix)
    assert [(p.path, p.line) for p in found.problems] == [("publishconf.py", 2)]
    # Set nowhere (`pelican -e`): the settings file, line 1.
    found = setting_problem("IMAGE_WEBP_METHOD", {"PATH": str(tmp_path)}, problem, fix)
    assert [(p.path, p.line) for p in found.problems] == [("pelicanconf.py", 1)]


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ('DIGEST_SINCE="2026-13-01"', ("`DIGEST_SINCE = '2026-13-01'` no es un día", "AAAA-MM-DD")),
        ("IMAGE_WEBP_METHOD=9", ("`IMAGE_WEBP_METHOD = 9` no es un método de WebP", "de 0 (el")),
        ('BUILD_DATE="15/06/2026"', ("`BUILD_DATE = '15/06/2026'` no es un día", "AAAA-MM-DD")),
    ],
)
def test_a_bad_setting_stops_the_build_and_says_how_to_write_it(build_fixture, setting, said):
    files = {"orgs/alfa/org.yaml": org_card("Colectivo Alfa"), "orgs/alfa/nota.md": article("Nota")}
    build = build_fixture(files, extra=(setting,))
    assert build.returncode != 0
    assert not (build.output / "index.html").exists()
    assert "Traceback" not in build.log
    assert all(text in build.log for text in said), build.log
