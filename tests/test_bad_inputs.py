"""The bad-input corpus: each folder under tests/bad_inputs/ breaks one rule of the model.

Each case is copied over a small valid site (`_base/`) and checked; `expected.txt` holds
the exact `path:line:column: message` lines the check must report (in English, the
message ids), and every message and fix must also exist in Spanish.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from checks.ownership import write_codeowners
from checks.tree import TreeCheck, check_tree
from conftest import ROOT, invoke
from content_model.messages import translate

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def assemble(case: str, target: Path) -> Path:
    shutil.copytree(CORPUS / "_base", target)
    for source in (CORPUS / case).rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            destination = target / source.relative_to(CORPUS / case)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    return target


def reported(site: Path, lang: str = "en") -> list[str]:
    return [p.render(lang).split(" — ")[0] for p in check_tree(site)]


def test_the_base_site_is_valid(tmp_path):
    assert check_tree(shutil.copytree(CORPUS / "_base", tmp_path / "site")) == []


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_exactly(case, tmp_path):
    site = assemble(case, tmp_path / "site")
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert reported(site) == expected


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_the_same_from_the_kept_notes(case, tmp_path):
    """A check that keeps each text's notes for the next run reports, on that next run,
    exactly what a check from scratch reports."""
    site = assemble(case, tmp_path / "site")
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    kept = tmp_path / "cache" / "checks.pickle"
    for _run in range(2):
        problems = check_tree(site, kept=kept)
        assert [p.render("en").split(" — ")[0] for p in problems] == expected


def test_only_changed_texts_are_read_again_and_links_are_checked_every_time(tmp_path, monkeypatch):
    site = shutil.copytree(CORPUS / "_base", tmp_path / "site")
    kept = tmp_path / "cache" / "checks.pickle"
    shutil.copyfile(site / "orgs/beta/foto.jpg", site / "orgs/alfa/foto.jpg")
    linking = (site / "orgs/alfa/nota.md").read_text(encoding="utf-8")
    (site / "orgs/alfa/enlace.md").write_text(
        linking + "\n![Una foto]({static}foto.jpg)\n", encoding="utf-8"
    )
    read = []
    notes = TreeCheck._notes
    monkeypatch.setattr(
        TreeCheck, "_notes", lambda self, shown, raw: read.append(shown) or notes(self, shown, raw)
    )

    def run() -> list[str]:
        read.clear()
        return [p.render("en").split(" — ")[0] for p in check_tree(site, kept=kept)]

    assert run() == [] and sorted(read) == ["orgs/alfa/enlace.md", "orgs/alfa/nota.md"]
    assert run() == [] and read == []
    # The image a kept text points to is gone: the link is checked again, not kept.
    (site / "orgs/alfa/foto.jpg").unlink()
    assert run() == ["orgs/alfa/enlace.md:10:13: `foto.jpg` does not exist"] and read == []
    # One text changed: only it is read again.
    with (site / "orgs/alfa/nota.md").open("a", encoding="utf-8") as text:
        text.write("\n<iframe src=x></iframe>\n")
    assert run() == [
        "orgs/alfa/enlace.md:10:13: `foto.jpg` does not exist",
        "orgs/alfa/nota.md:10:1: `<iframe>` would load another site's player or page inside "
        "the text",
    ]
    assert read == ["orgs/alfa/nota.md"]
    # The vocabulary changed: every text is read again (a topic may have gone).
    topics = site / "content/topics.yaml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace("water:", "agua:"), encoding="utf-8"
    )
    problems = run()
    assert sorted(read) == ["orgs/alfa/enlace.md", "orgs/alfa/nota.md"]
    assert [p for p in problems if "water" in p] and len(problems) > 2


def test_a_text_or_image_is_read_again_only_when_its_file_changed(tmp_path, monkeypatch):
    """The check keeps the state (inode, size, times) of each text and image it read: an
    unchanged file is not read again, its md5 still serves the reading and its problems are
    still reported; a file written again is read, even with the same size and its old
    modification time put back; a file written in the moments before a run is read again
    on the next."""
    import hashlib
    import os

    import checks.tree
    from content_model import forget_md5, noted_md5

    site = shutil.copytree(CORPUS / "_base", tmp_path / "site")
    kept = tmp_path / "cache" / "checks.pickle"
    (site / "orgs/alfa/rota.png").write_bytes(b"not an image")
    texts = ["orgs/alfa/nota.md", "orgs/alfa/rota.png", "orgs/beta/foto.jpg"]
    broken = ["orgs/alfa/rota.png:1:1: the file is not a readable image"]
    read = []
    reading = checks.tree.read_noting_md5
    monkeypatch.setattr(
        checks.tree,
        "read_noting_md5",
        lambda path, shown, limit: read.append(shown) or reading(path, shown, limit),
    )

    def run() -> list[str]:
        read.clear()
        forget_md5()
        return [p.render("en").split(" — ")[0] for p in check_tree(site, kept=kept)]

    # Just written: read on every run until the files settle.
    assert run() == broken and sorted(read) == texts
    assert run() == broken and sorted(read) == texts
    monkeypatch.setattr(checks.tree, "SETTLED_NS", 0)  # every file settled from now on
    assert run() == broken and sorted(read) == texts
    assert run() == broken and read == []
    note, photo = site / "orgs/alfa/nota.md", site / "orgs/beta/foto.jpg"
    assert noted_md5(str(note)) == hashlib.md5(note.read_bytes()).digest()
    assert noted_md5(str(photo)) == hashlib.md5(photo.read_bytes()).digest()
    # Written again, same size, the old modification time put back: read again.
    before = note.stat()
    front, _, body = note.read_bytes().partition(b"\n---\n")
    changed = front + b"\n---\n" + body.replace(b"e", b"o")
    assert len(changed) == before.st_size and changed != note.read_bytes()
    note.write_bytes(changed)
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert run() == broken and read == ["orgs/alfa/nota.md"]
    assert noted_md5(str(note)) == hashlib.md5(changed).digest()
    assert run() == broken and read == []
    shutil.copyfile(photo, site / "orgs/alfa/rota.png")  # a JPEG named .png
    assert run() == [
        "orgs/alfa/rota.png:1:1: the file is a JPEG image but its name ends in .png"
    ] and read == ["orgs/alfa/rota.png"]


def test_a_build_knows_each_texts_md5_from_the_last_check_while_this_one_runs(
    tmp_path, monkeypatch
):
    """While the check runs beside the reading (`checks`), the build notes each text's md5
    as the last check kept it, without reading the text, for as long as the file keeps the
    state it had then: the content cache reads no unchanged text to hash it."""
    import hashlib

    import checks.tree
    from checks.tree import note_kept_md5s
    from content_model import forget_md5, noted_md5

    site = shutil.copytree(CORPUS / "_base", tmp_path / "site")
    kept = tmp_path / "cache" / "checks.pickle"
    note = site / "orgs/alfa/nota.md"
    other = site / "orgs/beta/otra.md"
    other.write_bytes(note.read_bytes().replace(b"title: ", b"title: Otra "))
    texts = [note, other]
    monkeypatch.setattr(checks.tree, "SETTLED_NS", 0)  # every file settled
    assert check_tree(site, kept=kept) == []
    forget_md5()
    read = []
    opening = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or opening(path))
    note_kept_md5s(site, kept)
    assert [path for path in read if path.suffix == ".md"] == []
    for text in texts:
        assert noted_md5(str(text)) == hashlib.md5(opening(text)).digest()
    changed, *others = texts
    changed.write_bytes(opening(changed) + b"\nOtro p\xc3\xa1rrafo.\n")
    assert noted_md5(str(changed)) is None
    assert all(noted_md5(str(text)) is not None for text in others)


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_explained_in_spanish_with_a_fix(case, tmp_path):
    problems = check_tree(assemble(case, tmp_path / "site"))
    assert problems
    for problem in problems:
        for message in (problem.message, problem.fix):
            assert translate(message.msgid, "es") != message.msgid, message.msgid
        assert " — " in problem.render("es")


# `invoke check` on one case of each kind of file the check reads, and of each way a file
# fails to be read: every case's report, its Spanish and its kept notes are tested above,
# in the check's own process, and the task prints whatever report it is given (a start of
# Python and invoke, 1.5 s, for each of 69 cases would add nothing but time).
CLI_CASES = [
    "card-broken-yaml",
    "not-utf8-card",
    "not-utf8-text",
    "yaml-tab-indentation",
    "duplicate-key",
    "impossible-date",
    "iframe-in-body",
    "image-not-an-image",
    "svg-with-script",
    "static-link-outside-repo",
    "file-outside-org-folder",
    "org-folder-without-card",
    "stray-yaml",
    "curation-missing-text",
    "editors-bad-handle",
    "guide-unknown-theme",
]


def test_the_cases_run_through_invoke_check_are_cases_of_the_corpus():
    assert set(CLI_CASES) <= set(CASES)


@pytest.mark.parametrize("case", CLI_CASES)
def test_invoke_check_fails_on_each_case_in_spanish(case, tmp_path):
    site = assemble(case, tmp_path / "site")
    shutil.copy2(ROOT / "tasks.py", site / "tasks.py")
    (site / "plugins").symlink_to(ROOT / "plugins")
    write_codeowners(site)  # so that only the case's own problems remain
    result = invoke(site, "check")
    assert result.returncode == 1, result.stdout
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    printed = [line for line in result.stdout.splitlines() if " — " in line]
    where = [line.split(": ", 1)[0] for line in printed]
    assert where == [line.split(": ", 1)[0] for line in expected], result.stdout
    assert "Traceback" not in result.stdout + result.stderr
