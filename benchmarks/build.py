"""What a build costs as the archive grows: Minga's cold, warm and one-file builds, against
vanilla Pelican and Hugo on the same generated Markdown.

For each size, a tree is generated once with `tree.py` (kept under `--work`, named by its
size, seed and the generator's source, so later runs reuse it), with a vanilla Pelican copy
and a Hugo copy of the same texts beside it. Then, `--runs` times, each build in a fresh
process, timed from start to exit, with the peak resident memory the kernel reports for it
and its child processes (`os.wait4`, as `/usr/bin/time` reads it):

- Minga, with this repository's `pelicanconf.py`: cold (no output, no cache), warm (again,
  nothing changed), one file changed (a paragraph added to one text, then put back);
- vanilla Pelican: its default theme and settings, no plugins, on a copy of the texts with
  Pelican's own `Key: value` headers made from the YAML front matter;
- Hugo (Debian's `hugo`, when it is installed), on a copy with the same YAML front matter,
  a minimal configuration and four small templates;
- with `--published`, Minga with `publishconf.py` as `invoke publish` builds, into one
  folder kept from build to build: cold (no cache), again (the cold build's cache, nothing
  changed), one file changed; then a pull request's preview (`invoke preview` in CI: another
  text changed, built into a new folder with that cache, taking pages from the published one).

The tables give the median of the runs.

    .venv/bin/python benchmarks/build.py [--sizes 1000,10000,30000] [--runs 3] [--work DIR]
        [--published]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT / "plugins", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from benchmarks import tree as generator  # noqa: E402

# The archive-scale corpus: 30,000 texts by 200 orgs with 2,000 images. Smaller sizes keep the
# same share of images and about 5 texts per org, up to 200 orgs.
ORGS_MAX, TEXTS_PER_ORG, TEXTS_PER_IMAGE = 200, 5, 15
# The archive-scale targets this benchmark reports.
TARGET_VS_PELICAN = 1.5  # Minga's cold build at most this many times vanilla Pelican's
TARGET_ONE_FILE = 0.10  # a one-file rebuild at most this share of a cold build, at 30,000
TARGET_COLD_30K = 300.0  # seconds, at 30,000 texts
# The machine the targets are stated for: vanilla Pelican reads about 250 articles a second
# there. The 5-minute target is also shown scaled to that pace: the cold build's
# time times (vanilla Pelican's articles per second here / 250).
REFERENCE_PELICAN_RATE = 250.0
TARGET_RSS = 3 * 1024  # MB
TARGETS_AT = 30_000
PELICAN = [sys.executable, "-m", "pelican"]


# --- Running one build ------------------------------------------------------------------------


@dataclass
class Run:
    """One build: wall time, processor time (user and system, every process of the build),
    the peak memory of its largest process, what it wrote."""

    seconds: float
    rss_mb: float
    cpu: float = 0.0
    files: int = 0
    bytes: int = 0


# Runs a build and reports its wall time, the processor time of its processes (they are
# all waited for: the build's workers by the build, the build by this process) and their
# peak RSS. A process
# forked from a large one starts with the parent's resident pages, and Linux counts them in
# the child's peak even after it execs: so the build is started by this small process, not
# by the benchmark, which holds whole trees in memory.
TIMER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss in KB on Linux
cpu = usage.ru_utime + usage.ru_stime
open(sys.argv[1], "w").write(json.dumps([code, seconds, usage.ru_maxrss, cpu]))
"""


def run(command: list[str], log: Path, cwd: Path = ROOT) -> Run:
    """Run a build in a fresh process; its time and peak RSS, or an error with its log.

    The peak is that of the largest process of the build (Minga's workers are forked and
    share most of their pages with it), as `/usr/bin/time` reports it. What earlier steps
    left to write (a deleted output, a tree written) is written out first, so that no build
    pays for the one before it."""
    report = log.with_suffix(".json")
    os.sync()
    with log.open("w", encoding="utf-8") as output:
        subprocess.run(
            [sys.executable, "-c", TIMER, str(report), *command],
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    code, seconds, peak, cpu = json.loads(report.read_text(encoding="utf-8"))
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise RuntimeError(f"{' '.join(command)} failed; end of {log}:\n" + "\n".join(tail))
    return Run(seconds, peak / 1024, cpu)


def measure(folder: Path, result: Run) -> Run:
    """`result` with the number and total size of the files under `folder`."""
    for base, _dirs, files in os.walk(folder):
        for name in files:
            result.files += 1
            result.bytes += os.path.getsize(os.path.join(base, name))
    return result


def fresh(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


# --- The trees --------------------------------------------------------------------------------


def shape(size: int) -> tuple[int, int]:
    """Orgs and images for a tree of `size` texts."""
    return min(ORGS_MAX, max(6, size // TEXTS_PER_ORG)), round(size / TEXTS_PER_IMAGE)


def source_digest() -> str:
    """Changes whenever the generator does, so a stale tree is never reused."""
    digest = hashlib.sha256()
    for name in ("tree.py", "corpus.py"):
        digest.update((ROOT / "benchmarks" / name).read_bytes())
    return digest.hexdigest()[:10]


@dataclass
class Tree:
    size: int
    path: Path
    summary: dict = field(default_factory=dict)

    @property
    def vanilla(self) -> Path:
        return self.path.with_name(self.path.name + "-vanilla")

    @property
    def hugo(self) -> Path:
        return self.path.with_name(self.path.name + "-hugo")


def tree_for(size: int, seed: int, work: Path) -> Tree:
    """The generated tree of `size` texts under `work`, made now unless it is there."""
    orgs, images = shape(size)
    path = work / "trees" / f"{size}-{orgs}-{images}-{seed}-{source_digest()}"
    stamp = path / ".generated.json"  # hidden files are ignored by the check and the build
    if not stamp.is_file():
        partial = path.with_name(path.name + ".partial")
        fresh(partial, path, path.with_name(path.name + "-vanilla"))
        fresh(path.with_name(path.name + "-hugo"))
        summary = generator.generate(partial, orgs, size, generator.LANGS, images, seed)
        problems = generator.problems(partial)
        if problems:
            shown = "\n".join(p.render("en") for p in problems[:20])
            raise RuntimeError(f"the generated tree has {len(problems)} problem(s):\n{shown}")
        facts = {
            "texts": sum(summary.texts.values()),
            "orgs": summary.orgs,
            "images": summary.images,
            "files": summary.files,
            "bytes": summary.bytes,
            "seconds": summary.seconds,
            "changeable": summary.changeable,
        }
        (partial / stamp.name).write_text(json.dumps(facts), encoding="utf-8")
        partial.rename(path)
    found = Tree(size, path, json.loads(stamp.read_text(encoding="utf-8")))
    if not found.vanilla.is_dir():
        write_copy(found.path, found.vanilla, vanilla_text)
    if not found.hugo.is_dir():
        write_copy(found.path, found.hugo, hugo_text, "content", "static")
    # The settings and templates are written at every run: a copy made before they changed
    # is built with the current ones.
    pagination = minga_pagination()
    put_files(found.vanilla, vanilla_files(pagination))
    put_files(found.hugo, hugo_files(pagination))
    return found


# --- The vanilla Pelican and Hugo copies -----------------------------------------------------

FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
LINK = re.compile(r"\{(filename|static)\}([^\s)]+)")
# Folders of the tree each copy reads (vanilla Pelican has no dossiers).
COPIED = ("orgs", "content/news", "content/pages")


def vanilla_settings(pagination: int) -> str:
    return f'''"""Vanilla Pelican: its default theme and settings, no plugins.

Only what says where the files are, the time zone (else Pelican warns), the default
language (Spanish, as Minga's, so a Spanish text is the original of its translations) and
the number of texts a listing page shows (Minga's) are set.
"""

PATH = "."
ARTICLE_PATHS = ["orgs", "content/news"]
PAGE_PATHS = ["content/pages"]
STATIC_PATHS = ["orgs"]
TIMEZONE = "America/Bogota"
DEFAULT_LANG = {generator.DEFAULT_LANG!r}
DEFAULT_PAGINATION = {pagination}
PLUGINS = []
'''


def hugo_config(pagination: int) -> str:
    return f"""\
baseURL: "https://minga.example/"
title: Minga (Hugo)
languageCode: es
defaultContentLanguage: es
relativeURLs: true
paginate: {pagination}
taxonomies:
  tag: tags
  category: categories
  author: authors
"""


HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="{{ site.LanguageCode }}"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header>
{{ block "main" . }}{{ end }}</body></html>
""",
    "_default/single.html": """\
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }}{{ with .Params.authors }} · {{ delimit . ", " }}{{ end }}</p>
{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ (printf "tags/%s/" (urlize .)) | relURL }}">{{ . }}</a>
{{ end }}</p></article>{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
""",
}


def minga_pagination() -> int:
    """The texts a listing page of Minga shows; the two copies are given the same, so that
    the three builds write listings of the same length."""
    from pelican.settings import get_settings_from_file

    return get_settings_from_file(str(ROOT / "pelicanconf.py"))["DEFAULT_PAGINATION"]


def vanilla_files(pagination: int) -> dict[str, str]:
    return {"pelicanconf.py": vanilla_settings(pagination)}


def hugo_files(pagination: int) -> dict[str, str]:
    return {"config.yaml": hugo_config(pagination)} | {
        f"layouts/{n}": t for n, t in HUGO_LAYOUTS.items()
    }


def read_front(text: str) -> tuple[dict, str]:
    """A generated text's front matter (every value a string, as typed) and its body."""
    match = FRONT.match(text)
    return yaml.load(match.group(1), Loader=yaml.BaseLoader), text[match.end() :]


def groups_of(tree: Path) -> dict[tuple[str, str], str]:
    """(section folder, translation_key) -> the path of the group's first Spanish text
    (else its first text): vanilla Pelican links translations by a shared slug."""
    first: dict[tuple[str, str], tuple[bool, str]] = {}
    for path in sorted(markdown_files(tree)):
        fields, _body = read_front(path.read_text(encoding="utf-8"))
        key = fields.get("translation_key")
        if key:
            relative = path.relative_to(tree).as_posix()
            section = "/".join(relative.split("/")[:2])
            rank = (fields["lang"] != generator.DEFAULT_LANG, relative)
            first[(section, key)] = min(first.get((section, key), rank), rank)
    return {group: relative for group, (_not_es, relative) in first.items()}


def markdown_files(tree: Path):
    for folder in COPIED:
        yield from (tree / folder).rglob("*.md")


def slug_of(relative: str) -> str:
    """A slug unique in the site, from a path: `orgs/x/2019/y.md` -> `x-2019-y`."""
    return "-".join(relative.removesuffix(".md").split("/")[1:])


def vanilla_text(relative: str, text: str, groups: dict) -> str:
    """Pelican's own headers from the YAML front matter, the same body."""
    fields, body = read_front(text)
    section = "/".join(relative.split("/")[:2])
    key = fields.get("translation_key")
    headers = {
        "Title": fields["title"],
        "Date": fields.get("date"),
        "Lang": fields["lang"],
        "Slug": slug_of(groups[(section, key)] if key else relative),
        "Category": relative.split("/")[1] if relative.startswith("orgs/") else None,
        "Summary": fields.get("summary"),
        "Tags": ", ".join(fields.get("tags") or []),
        "Authors": ", ".join(fields.get("authors") or []),
        "Type": fields.get("type"),
        "Topics": ", ".join(fields.get("topics") or []),
        "Countries": ", ".join(fields.get("countries") or []),
        "Image": fields.get("image"),
        "Image_alt": fields.get("image_alt"),
    }
    for name, value in (fields.get("event") or {}).items():
        headers[f"Event_{name}"] = value
    lines = [f"{k}: {' '.join(v.split())}" for k, v in headers.items() if v]
    return "\n".join(lines) + "\n\n" + body


def hugo_text(relative: str, text: str, groups: dict) -> str:
    """Hugo's YAML front matter (its own names where they differ) and links Hugo can follow:
    `{filename}` and `{static}` paths become addresses from the site's root."""
    fields, body = read_front(text)
    fields["text_type"] = fields.pop("type", "page")  # Hugo's `type` chooses templates
    if " " in fields.get("date", ""):  # `2019-03-04 10:30`, as RFC 3339
        fields["date"] = fields["date"].replace(" ", "T") + ":00"
    if "translation_key" in fields:
        fields["translationKey"] = fields.pop("translation_key")
    if relative.startswith("orgs/"):
        fields["categories"] = [relative.split("/")[1]]
    folder = posixpath.dirname(relative)

    def address(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(2)))
        if match.group(1) == "filename":
            target = target.removesuffix(".md") + "/"
        return "/" + target.removeprefix("content/")

    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return "---\n" + front + "---\n" + LINK.sub(address, body)


def write_copy(tree: Path, target: Path, convert, texts_in: str = "", static_in: str = "") -> None:
    """A copy of the tree's texts made by `convert` and of its images (hard links)."""
    partial = target.with_name(target.name + ".partial")
    fresh(partial)
    groups = groups_of(tree)
    for path in markdown_files(tree):
        relative = path.relative_to(tree).as_posix()
        shown = relative.removeprefix("content/") if texts_in else relative
        written = partial / texts_in / shown
        written.parent.mkdir(parents=True, exist_ok=True)
        text = convert(relative, path.read_text(encoding="utf-8"), groups)
        written.write_text(text, encoding="utf-8")
    for path in (tree / "orgs").rglob("*"):
        if path.suffix in (".jpg", ".png"):
            copied = partial / static_in / path.relative_to(tree)
            copied.parent.mkdir(parents=True, exist_ok=True)
            try:
                copied.hardlink_to(path)
            except OSError:
                shutil.copyfile(path, copied)
    partial.rename(target)


def put_files(folder: Path, files: dict[str, str]) -> None:
    """Write `files` (path in `folder` -> text) where their text differs."""
    for name, text in files.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


# --- The measurements -------------------------------------------------------------------------


@dataclass
class Measured:
    """Every run of every build of one tree."""

    tree: Tree
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    one_file: list[Run] = field(default_factory=list)
    pelican: list[Run] = field(default_factory=list)
    hugo: list[Run] = field(default_factory=list)
    published: list[Run] = field(default_factory=list)  # publishconf.py: cold
    published_again: list[Run] = field(default_factory=list)
    published_one_file: list[Run] = field(default_factory=list)
    preview: list[Run] = field(default_factory=list)  # a pull request's, into a new folder


def minga(
    source: Path,
    output: Path,
    cache: Path,
    log: Path,
    extra: tuple[str, ...] = (),
    conf: str = "pelicanconf.py",
) -> Run:
    # One `-e` for every setting: Pelican keeps only the last `-e` it is given.
    settings = ["--cache-path", str(cache), *(["-e", *extra] if extra else [])]
    command = [*PELICAN, str(source), "-s", str(ROOT / conf), "-o", str(output)]
    return run([*command, *settings], log)


def publish_settings(extra: tuple[str, ...]) -> tuple[str, ...]:
    """`extra` for a published build: without the ZIM file when libzim is not installed."""
    try:
        import libzim  # noqa: F401
    except ImportError:
        return (*extra, "OFFLINE_ZIM=false")
    return extra


def change_one_file(path: Path, number: int) -> bytes:
    """Add a paragraph to a text's body; return its bytes before."""
    before = path.read_bytes()
    path.write_bytes(before + f"\nUn párrafo añadido para medir, número {number}.\n".encode())
    return before


def measure_tree(
    found: Tree,
    runs: int,
    work: Path,
    hugo: str | None,
    extra: tuple[str, ...] = (),
    published: bool = False,
) -> Measured:
    scratch = work / "run"
    output, cache, logs = scratch / "output", scratch / "cache", scratch / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    measured = Measured(found)
    changed = found.path / found.summary["changeable"]
    for number in range(runs):
        label = f"{found.size}-{number}"
        fresh(output, cache)
        cold = minga(found.path, output, cache, logs / label, extra)
        if not cache.is_dir() or not any(cache.iterdir()):
            raise SystemExit(f"the build kept nothing in {cache}: it read another cache folder")
        measured.cold.append(measure(output, cold))
        measured.warm.append(minga(found.path, output, cache, logs / f"{label}-warm", extra))
        before = change_one_file(changed, number)
        try:
            one = minga(found.path, output, cache, logs / f"{label}-one", extra)
            measured.one_file.append(one)
        finally:
            changed.write_bytes(before)
        fresh(output, cache)
        vanilla = [*PELICAN, str(found.vanilla), "-s", str(found.vanilla / "pelicanconf.py")]
        done = run([*vanilla, "-o", str(output)], logs / f"{label}-pelican")
        measured.pelican.append(measure(output, done))
        if hugo:
            fresh(output)
            command = [hugo, "--source", str(found.hugo), "--destination", str(output)]
            done = run([*command, "--quiet", "--cacheDir", str(cache)], logs / f"{label}-hugo")
            measured.hugo.append(measure(output, done))
        if published:
            measure_published(found, measured, scratch, label, extra)
    fresh(output, cache)
    return measured


def measure_published(
    found: Tree, measured: Measured, scratch: Path, label: str, extra: tuple[str, ...]
) -> None:
    """Three builds with publishconf.py into one folder kept between them, as `invoke
    publish` builds: cold, again with the cold build's cache and output, and with one file
    changed."""
    output, cache, logs = scratch / "published", scratch / "published-cache", scratch / "logs"
    extra = publish_settings(extra)

    def build(name: str, into: Path = output, more: tuple[str, ...] = ()) -> Run:
        log = logs / f"{label}-published{name}"
        return measure(into, minga(found.path, into, cache, log, (*extra, *more), "publishconf.py"))

    fresh(output, cache)
    measured.published.append(build(""))
    measured.published_again.append(build("-again"))
    changed = found.path / found.summary["changeable"]
    before = change_one_file(changed, 1000 + len(measured.published))
    try:
        measured.published_one_file.append(build("-one"))
        # A pull request changing another text, checked as `invoke preview` does in CI: into
        # an empty folder, with the cache of the last publication and its folder to take
        # unchanged pages from (`REUSE_FROM`).
        other = next(
            text for text in sorted(changed.parent.glob("*.md")) if text.name != changed.name
        )
        earlier = change_one_file(other, 2000 + len(measured.published))
        preview = scratch / "preview"
        try:
            fresh(preview)
            reuse = f"REUSE_FROM={json.dumps(str(output))}"
            measured.preview.append(build("-preview", preview, (reuse,)))
        finally:
            other.write_bytes(earlier)
            fresh(preview)
    finally:
        changed.write_bytes(before)
    fresh(output, cache)


# --- The tables -------------------------------------------------------------------------------


def median(runs: list[Run], key: str = "seconds") -> float:
    return statistics.median(getattr(r, key) for r in runs) if runs else float("nan")


def mb(count: float) -> str:
    return f"{count / 1e6:,.1f} MB"


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def tables(results: list[Measured], runs: int, hugo_version: str | None) -> str:
    lines = [
        f"Median of {runs} run(s) of each build; {os.cpu_count()} cores; "
        f"{pelican_version()}; {hugo_version or 'Hugo: not installed (apt install hugo)'}",
        "",
        "Generated trees (tree.py)",
        "",
        "| articles | orgs | images | files | size | generating (s) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        s = m.tree.summary
        lines.append(
            f"| {s['texts']:,} | {s['orgs']:,} | {s['images']:,} | {s['files']:,} "
            f"| {mb(s['bytes'])} | {s['seconds']:.1f} |"
        )
    lines += [
        "",
        "Minga (pelicanconf.py)",
        "",
        "| articles | cold (s) | warm (s) | one file (s) | one file / cold | articles/s (cold) "
        "| peak RSS cold / warm / one file (MB) | output | files |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        cold, texts = median(m.cold), m.tree.summary["texts"]
        rss = " / ".join(f"{median(r, 'rss_mb'):,.0f}" for r in (m.cold, m.warm, m.one_file))
        lines.append(
            f"| {texts:,} | {cold:.1f} | {median(m.warm):.1f} | {median(m.one_file):.1f} "
            f"| {median(m.one_file) / cold:.0%} | {texts / cold:,.0f} | {rss} "
            f"| {mb(median(m.cold, 'bytes'))} | {median(m.cold, 'files'):,.0f} |"
        )
    lines += [
        "",
        "The same Markdown built by vanilla Pelican and by Hugo",
        "",
        "| articles | Minga cold (s) | Pelican (s) | Minga / Pelican | Hugo (s) | Minga / Hugo "
        "| Pelican / Hugo | Pelican articles/s | peak RSS Pelican / Hugo (MB) "
        "| output Pelican / Hugo | files Pelican / Hugo |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        cold, pelican, hugo = median(m.cold), median(m.pelican), median(m.hugo)
        texts = m.tree.summary["texts"]
        hugo_cells = (
            f"{hugo:.2f} | {cold / hugo:.1f}× | {pelican / hugo:.1f}×" if m.hugo else "– | – | –"
        )
        hugo_rss = f"{median(m.hugo, 'rss_mb'):,.0f}" if m.hugo else "–"
        hugo_out = mb(median(m.hugo, "bytes")) if m.hugo else "–"
        hugo_files = f"{median(m.hugo, 'files'):,.0f}" if m.hugo else "–"
        lines.append(
            f"| {texts:,} | {cold:.1f} | {pelican:.1f} | {cold / pelican:.1f}× | {hugo_cells} "
            f"| {texts / pelican:,.0f} | {median(m.pelican, 'rss_mb'):,.0f} / {hugo_rss} "
            f"| {mb(median(m.pelican, 'bytes'))} / {hugo_out} "
            f"| {median(m.pelican, 'files'):,.0f} / {hugo_files} |"
        )
    lines += [
        "",
        "Processor time (user + system, every process of the build): what a build costs "
        "whatever the disk is doing",
        "",
        "| articles | Minga cold / warm / one file (s) | cores used (cold) | Pelican (s) "
        "| Minga / Pelican | Hugo (s) | Minga / Hugo |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        cold, pelican = median(m.cold, "cpu"), median(m.pelican, "cpu")
        minga_cpu = " / ".join(f"{median(r, 'cpu'):.1f}" for r in (m.cold, m.warm, m.one_file))
        hugo = median(m.hugo, "cpu")
        hugo_cells = f"{hugo:.2f} | {cold / hugo:.1f}×" if m.hugo else "– | –"
        lines.append(
            f"| {m.tree.summary['texts']:,} | {minga_cpu} | {cold / median(m.cold):.1f} "
            f"| {pelican:.1f} | {cold / pelican:.1f}× | {hugo_cells} |"
        )
    if any(m.published for m in results):
        lines += [
            "",
            "Minga published (publishconf.py: minified, offline copies, ZIM, .gz and .br), "
            "into one folder kept from build to build, as invoke publish builds",
            "",
            "| articles | cold (s) | again (s) | one file (s) | again / cold "
            "| processor time cold / again / one file (s) "
            "| peak RSS cold / again / one file (MB) | output | files | preview (s) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for m in results:
            if not m.published:
                continue
            kinds = (m.published, m.published_again, m.published_one_file)
            cold = median(m.published)
            cpu = " / ".join(f"{median(r, 'cpu'):.1f}" for r in kinds)
            rss = " / ".join(f"{median(r, 'rss_mb'):,.0f}" for r in kinds)
            lines.append(
                f"| {m.tree.summary['texts']:,} | {cold:.1f} | {median(m.published_again):.1f} "
                f"| {median(m.published_one_file):.1f} | {median(m.published_again) / cold:.0%} "
                f"| {cpu} | {rss} | {mb(median(m.published, 'bytes'))} "
                f"| {median(m.published, 'files'):,.0f} | {median(m.preview):.1f} |"
            )
    if len(results) > 1:
        lines += [
            "",
            "Memory growth: peak RSS of a cold build, MB per 1,000 more articles",
            "",
            "| from | to | Minga | vanilla Pelican | Hugo |",
            "|---:|---:|---:|---:|---:|",
        ]
        for low, high in zip(results, results[1:], strict=False):
            more = (high.tree.summary["texts"] - low.tree.summary["texts"]) / 1000

            def slope(name: str, low=low, high=high, more=more) -> str:
                a, b = getattr(low, name), getattr(high, name)
                if not a or not b:
                    return "–"
                return f"{(median(b, 'rss_mb') - median(a, 'rss_mb')) / more:,.1f}"

            lines.append(
                f"| {low.tree.summary['texts']:,} | {high.tree.summary['texts']:,} "
                f"| {slope('cold')} | {slope('pelican')} | {slope('hugo')} |"
            )
    if runs > 1:
        lines += [
            "",
            "Each run, in the order run (seconds; a round builds Minga cold, warm and one "
            "file, then vanilla Pelican and Hugo): how far the runs of one build spread",
            "",
            "| articles | Minga cold | warm | one file | Pelican | Hugo "
            "| Minga / Pelican, round by round |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for m in results:
            cells = [
                ", ".join(f"{r.seconds:.1f}" for r in kind) or "–"
                for kind in (m.cold, m.warm, m.one_file, m.pelican, m.hugo)
            ]
            rounds = ", ".join(
                f"{c.seconds / p.seconds:.2f}×" for c, p in zip(m.cold, m.pelican, strict=False)
            )
            lines.append(f"| {m.tree.summary['texts']:,} | {' | '.join(cells)} | {rounds} |")
    lines += [
        "",
        "Targets",
        "",
        "| articles | target | measured | verdict |",
        "|---:|---|---:|---|",
    ]
    for m in results:
        texts = m.tree.summary["texts"]
        cold, ratio = median(m.cold), median(m.cold) / median(m.pelican)
        share = median(m.one_file) / cold
        rss = max(median(r, "rss_mb") for r in (m.cold, m.warm, m.one_file))
        at = "" if texts >= TARGETS_AT else f" (stated at {TARGETS_AT:,})"
        rows = [
            (f"cold ≤ {TARGET_VS_PELICAN}× vanilla Pelican", f"{ratio:.1f}×", ratio, 1),
            (f"one file ≤ {TARGET_ONE_FILE:.0%} of cold{at}", f"{share:.1%}", share, 2),
            (f"peak RSS ≤ {TARGET_RSS / 1024:.0f} GB", f"{rss:,.0f} MB", rss, 3),
        ]
        limits = {1: TARGET_VS_PELICAN, 2: TARGET_ONE_FILE, 3: TARGET_RSS}
        if texts >= TARGETS_AT:
            rows.append((f"cold ≤ {TARGET_COLD_30K / 60:.0f} min", f"{cold:.0f} s", cold, 4))
            limits[4] = TARGET_COLD_30K
            pace = texts / median(m.pelican)
            scaled = cold * pace / REFERENCE_PELICAN_RATE
            rows.append(
                (
                    f"cold ≤ {TARGET_COLD_30K / 60:.0f} min where vanilla Pelican reads "
                    f"{REFERENCE_PELICAN_RATE:.0f} articles/s (here {pace:.0f}/s)",
                    f"{scaled:.0f} s",
                    scaled,
                    4,
                )
            )
        for target, shown, value, which in rows:
            lines.append(f"| {texts:,} | {target} | {shown} | {verdict(value <= limits[which])} |")
    return "\n".join(lines)


def pelican_version() -> str:
    from importlib.metadata import version

    return f"Pelican {version('pelican')}"


def hugo_found() -> tuple[str | None, str | None]:
    hugo = shutil.which("hugo")
    if not hugo:
        return None, None
    shown = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()
    return hugo, " ".join(shown[:2]) if shown else "Hugo"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000", help="texts per tree")
    parser.add_argument("--runs", type=int, default=3, help="runs of each build (median)")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "minga-build-benchmark",
        help="where the trees are kept and the builds written",
    )
    parser.add_argument("--seed", type=int, default=generator.DEFAULTS["seed"])
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting for Minga's builds, as pelican -e takes it (repeatable)",
    )
    parser.add_argument(
        "--published",
        action="store_true",
        help="also build with publishconf.py: cold, again, one file changed",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    hugo, hugo_version = hugo_found()
    if not hugo:
        print("Hugo is not installed (apt install hugo): its columns stay empty.")
    results = []
    for size in sizes:
        started = time.perf_counter()
        found = tree_for(size, args.seed, args.work.resolve())
        print(f"{size:,} texts: tree ready in {time.perf_counter() - started:.0f} s; building…")
        extra = tuple(args.set)
        work = args.work.resolve()
        results.append(measure_tree(found, args.runs, work, hugo, extra, args.published))
    print()
    if args.set:
        print("Minga's builds with " + ", ".join(f"`{setting}`" for setting in args.set) + "\n")
    print(tables(results, args.runs, hugo_version))


if __name__ == "__main__":
    main()
