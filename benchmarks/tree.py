"""A generated Minga tree at archive scale: org cards, texts, translations, events, images.

`generate()` writes, under one folder, what a repository of Minga holds at that size:
`orgs/<org>/org.yaml` cards valid for the content model, `orgs/<org>/[year/]<slug>.md`
texts with their front matter (types, topics, countries, tags, authors, events, translations
linked by `translation_key`, lead images), Markdown bodies with headings, lists, emphasis,
quotes, links to other texts of the same org and inline images, small JPEG photos and PNG
logos made with Pillow, and the editors' files the build reads (`content/topics.yaml` and
`content/editors.yaml` copied from this repository, a curation file, curated news, pages,
a dossier, and `.github/CODEOWNERS` as `invoke codeowners` writes it). The words, titles,
orgs and people come from `corpus.py`; nothing real is used.

    .venv/bin/invoke corpus --orgs 200 --articles 30000 --langs es,pt,en,fr --images 2000 \\
        --out /tmp/minga-30k

Everything is drawn from one seeded generator and written in a fixed order, so the same
arguments and seed give the same bytes on every run (images too, with the same Pillow).
`problems()` runs on a tree the checks `invoke check` runs on this repository.
"""

from __future__ import annotations

import dataclasses
import io
import math
import posixpath
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT / "plugins", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from content_model import KINDS, RESERVED_ORG_NAMES  # noqa: E402
from content_model.scaffold import DESCRIPTION, block, flow, quoted  # noqa: E402

from benchmarks import corpus  # noqa: E402
from pelicanconf import DEFAULT_LANG, WEIGHT_BUDGETS  # noqa: E402

LANGS = tuple(corpus.SHARES)  # the languages corpus.py has words for
DEFAULTS = {"orgs": 200, "articles": 30_000, "langs": LANGS, "images": 2000, "seed": 8}

# Types of text, with how often each is written.
TYPES = {
    "news": 44,
    "analysis": 12,
    "statement": 12,
    "event": 9,
    "campaign": 8,
    "document": 9,
    "guide": 6,
}
TRANSLATED_SHARE = 0.12  # of the texts written first, the share translated (into 1 or 2 more)
THREE_VERSIONS_SHARE = 0.3  # of those, the share with two translations
YEAR_FOLDERS_SHARE = 0.6  # orgs that file their texts by year: orgs/<org>/2019/<slug>.md
LOGO_SHARE = 0.35  # orgs with a logo
IMAGE_USES = 1.3  # texts (translation groups) per image: some images lead several texts
INLINE_IMAGE_SHARE = 0.7  # texts with a lead image that also show it in the body
LARGE_IMAGE_SHARE = 0.2  # photos 1100-1800 px wide, heavier than the budget of an image
IMAGE_BUDGET = WEIGHT_BUDGETS["image"]
LINKS_SHARE = 0.5  # texts linking to other texts of their org
NEWS = (4, 1000)  # the editors' news: 4, plus one per 1,000 texts
LATEST = 3  # texts per language picked for the home page (content/curation.yaml)
# Countries an org works in, by its first language.
COUNTRIES = {
    "es": "CO PE BO EC GT MX HN NI SV CL AR PY UY VE DO CR PA CU",
    "pt": "BR BR BR BR MZ AO",
    "en": "JM BZ GY TT GD",
    "fr": "HT HT GF MQ GP",
}
# A kind of organization a word of its name suggests (the name's first match wins).
KIND_WORDS = {
    "women": "mujer mulher women femme tejedora tecela weaver tisserand parter sage-femme",
    "communication": "radio rádio comunica media médias",
    "youth": "joven jovem youth jeune",
    "environment": "agua água water eau huerta horta garden jardin",
    "labour": "sindicato recicladora catadora waste recycleuse productor produtor grower",
    "human-rights": "defensa defesa defence derecho direito",
    "rural": "campo semilla semente seed semence countryside campagne pescador fisher",
}
TEAM = {
    "es": "Equipo de comunicación",
    "pt": "Equipe de comunicação",
    "en": "Media team",
    "fr": "Équipe de communication",
}
SEE_ALSO = {"es": "Más en", "pt": "Mais em", "en": "More at", "fr": "Plus sur"}
# The editors' pages, in each language: file name and title.
PAGES = {
    "es": ("sobre", "Sobre Minga"),
    "pt": ("sobre-a-rede", "Sobre a Minga"),
    "en": ("about", "About Minga"),
    "fr": ("a-propos", "À propos de Minga"),
}
ASPECTS = ((4, 3), (3, 2), (16, 9), (1, 1), (3, 4), (2, 3))


# --- What was written ------------------------------------------------------------------------


@dataclass
class Summary:
    """What `generate` wrote."""

    out: Path
    orgs: int = 0
    logos: int = 0
    texts: Counter = field(default_factory=Counter)  # per language
    groups: int = 0  # translation groups (texts sharing a translation_key)
    translated: int = 0  # texts in those groups
    events: int = 0
    images: int = 0
    large_images: int = 0  # images heavier than IMAGE_BUDGET as written
    with_image: int = 0  # texts with a lead image
    news: int = 0
    pages: int = 0
    dossiers: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    changeable: str = ""  # a text a benchmark may change (one of the largest org's)

    def lines(self) -> list[str]:
        langs = ", ".join(f"{lang} {count:,}" for lang, count in sorted(self.texts.items()))
        return [
            f"Wrote {self.out} in {self.seconds:.1f} s: {self.files:,} files, "
            f"{self.bytes / 1e6:.1f} MB",
            f"  {self.orgs:,} orgs ({self.logos:,} with a logo)",
            f"  {sum(self.texts.values()):,} texts: {langs}",
            f"  {self.translated:,} of them in {self.groups:,} translation groups; "
            f"{self.events:,} events; {self.with_image:,} with a lead image",
            f"  {self.images:,} images ({self.large_images:,} over the "
            f"{IMAGE_BUDGET / 1000:.0f} KB an image may weigh as served)",
            f"  editors: {self.news:,} news, {self.pages:,} pages, {self.dossiers:,} dossier(s)",
        ]


# --- Organizations ---------------------------------------------------------------------------


@dataclass
class Org:
    """An org of the tree: corpus.py's org (words, name, topics) and its card's extras."""

    base: corpus.Org  # id, name, languages and topics as the tree uses them
    countries: tuple[str, ...]
    by_year: bool  # texts filed in year folders
    texts: list[str] = field(default_factory=list)  # paths written, for links
    images: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.base.id


def org_id(name_id: str, taken: set[str]) -> str:
    """corpus.py's id cut to the content model's 41 characters, at a hyphen, and unique."""
    ident = name_id
    while len(ident) > 41:
        ident = ident.rsplit("-", 1)[0]
    ident = ident[:41].strip("-")
    found, number = ident, 2
    while found in taken:
        suffix = f"-{number}"
        found = ident[: 41 - len(suffix)].strip("-") + suffix
        number += 1
    taken.add(found)
    return found


def kinds_of(rng: random.Random, name: str) -> list[str]:
    plain = corpus.slug(name)
    kinds = [kind for kind, words in KIND_WORDS.items() if any(w in plain for w in words.split())][
        :1
    ]
    if not kinds or rng.random() < 0.4:
        kinds.append(rng.choice([k for k in KINDS if k not in kinds]))
    return kinds


def make_orgs(rng: random.Random, count: int, langs: tuple[str, ...]) -> list[Org]:
    taken: set[str] = set()
    made = []
    for number, base in enumerate(corpus.orgs(count)):
        spoken = tuple(lang for lang in base.languages if lang in langs)
        spoken = spoken or (langs[number % len(langs)],)
        countries = COUNTRIES[spoken[0]].split()
        chosen = corpus.unique(rng.choice(countries) for _ in range(rng.choice((1, 1, 1, 2, 3))))
        made.append(
            Org(
                dataclasses.replace(base, id=org_id(base.id, taken), languages=spoken),
                tuple(chosen),
                rng.random() < YEAR_FOLDERS_SHARE,
            )
        )
    # Every language asked for is some org's, however few the orgs.
    unspoken = [lang for lang in langs if not any(lang in o.base.languages for o in made)]
    for number, lang in enumerate(unspoken):
        org = made[number % len(made)]
        org.base = dataclasses.replace(org.base, languages=(*org.base.languages, lang))
    return made


def handle(rng: random.Random, lang: str) -> str:
    """A git host user name: a person's name, as people write theirs."""
    person = corpus.slug(rng.choice(corpus.lexicon(lang).people[:3000]))
    if rng.random() < 0.4:
        person = person.split("-")[0] + str(rng.randint(1, 99))
    return person[:30].strip("-")


def card(rng: random.Random, org: Org, has_logo: bool) -> str:
    """The text of `orgs/<org>/org.yaml`."""
    base = org.base
    lines = [f"name: {quoted(base.name)}"]
    if rng.random() < 0.3:
        words = base.name.split()
        lines.append(f"short_name: {quoted(words[0] + ' ' + words[-1])}")
    lines += [
        f"kinds: {flow(kinds_of(rng, base.name))}",
        f"countries: {flow(list(org.countries))}",
        f"languages: {flow(list(base.languages))}",
        f"topics: {flow(list(base.topics))}",
        "description:",
    ]
    for lang in base.languages:
        lexicon = corpus.lexicon(lang)
        more = corpus.sentences(rng, lexicon.running(rng, rng.randint(20, 60)), lang)
        text = DESCRIPTION[lang].format(name=base.name) + " " + more.replace("\n\n", " ")
        lines += block(lang, text, "  ")
    if rng.random() < 0.7:
        lines += [f"website: https://{org.id}.example", f"contact: contacto@{org.id}.example"]
    if has_logo:
        lines.append("logo: logo.png")
    lines.append("license: " + ("CC BY 4.0" if rng.random() < 0.1 else "CC BY-SA 4.0"))
    first = base.languages[0]
    handles = corpus.unique(handle(rng, first) for _ in range(rng.choice((1, 1, 2, 2, 3))))
    lines.append(f"maintainers: {flow(handles)}")
    return "\n".join(lines) + "\n"


# --- Images ----------------------------------------------------------------------------------


def photo(rng: random.Random, large: bool) -> bytes:
    """A JPEG that compresses like a photo: soft colour fields, shapes, a film of grain."""
    from PIL import Image, ImageDraw

    width = rng.randint(1100, 1800) if large else rng.randint(320, 900)
    across, down = rng.choice(ASPECTS)
    height = max(200, width * down // across)
    cells = (rng.randint(3, 9), rng.randint(3, 7))
    ground = Image.frombytes("RGB", cells, rng.randbytes(cells[0] * cells[1] * 3))
    picture = ground.resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(4, 25)):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(width // 40 + 1, width // 5 + 2)
        colour = tuple(rng.randbytes(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            corners = [(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(3)]
            draw.polygon(corners, fill=colour)
    grain_size = (max(1, width // 2), max(1, height // 2))
    grain = Image.frombytes("L", grain_size, rng.randbytes(grain_size[0] * grain_size[1]))
    grain = grain.resize((width, height), Image.Resampling.BILINEAR).convert("RGB")
    amount = rng.uniform(0.04, 0.1) if large else rng.uniform(0.02, 0.06)
    buffer = io.BytesIO()
    Image.blend(picture, grain, amount).save(buffer, "JPEG", quality=rng.randint(78, 90))
    return buffer.getvalue()


def logo(rng: random.Random) -> bytes:
    """A PNG logo: a disc and a band of flat colour on a plain ground."""
    from PIL import Image, ImageDraw

    side = rng.randint(96, 400)
    image = Image.new("RGB", (side, side), tuple(rng.randbytes(3)))
    draw = ImageDraw.Draw(image)
    margin = side // rng.randint(6, 12)
    draw.ellipse((margin, margin, side - margin, side - margin), fill=tuple(rng.randbytes(3)))
    band = rng.randint(side // 3, side // 2)
    draw.rectangle((0, band, side, band + side // 8), fill=tuple(rng.randbytes(3)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- Texts -----------------------------------------------------------------------------------


def front_matter(fields: dict) -> str:
    """YAML between `---` lines, in the order given; strings quoted, lists on one line."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}: {flow(value)}")
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {inner}: {text}" for inner, text in value.items()]
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n\n"


def decorate(words: list[str], start: int, end: int, before: str, after: str) -> None:
    """Wrap words[start..end] in Markdown, trailing punctuation left outside."""
    last = words[end]
    stripped = last.rstrip(".,")
    words[start] = before + words[start] if start != end else before + stripped
    if start != end:
        words[end] = stripped + after + last[len(stripped) :]
    else:
        words[end] += after + last[len(stripped) :]


def markdown_body(
    rng: random.Random,
    body: str,
    lexicon: corpus.Lexicon,
    links: list[str],
    image: tuple[str, str] | None,
    website: str | None,
) -> str:
    """corpus.py's paragraphs made into a Markdown text: subheadings, emphasis, links to
    other texts (`{filename}`), a list, a quote, the inline image, a link to the web."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    placed: dict[int, list[str]] = {}
    for target in links:
        placed.setdefault(rng.randrange(len(paragraphs)), []).append(target)
    blocks: list[str] = []
    list_after = rng.randrange(len(paragraphs)) if rng.random() < 0.35 else -1
    quote_after = rng.randrange(len(paragraphs)) if rng.random() < 0.1 else -1
    for number, paragraph in enumerate(paragraphs):
        if number >= 2 and number % 3 == 2 and len(paragraphs) >= 4 and rng.random() < 0.7:
            subjects = [lexicon.subject(rng) for _ in range(rng.randint(1, 3))]
            place = lexicon.places[corpus.zipf_rank(rng, len(lexicon.places), 0.9)]
            level = "###" if rng.random() < 0.2 else "##"
            blocks.append(f"{level} {corpus.title_of(rng, lexicon, subjects, place)}")
        words = paragraph.split(" ")
        free = [i for i, w in enumerate(words) if w.isalpha()]
        used: set[int] = set()
        for target in placed.get(number, []):
            span = rng.randint(2, 4)
            starts = [
                i for i in free if all(j in free and j not in used for j in range(i, i + span))
            ]
            if starts:
                start = rng.choice(starts)
                decorate(words, start, start + span - 1, "[", f"]({{filename}}{target})")
                used.update(range(start, start + span))
        if rng.random() < 0.3:
            candidates = [i for i in free if i not in used and len(words[i]) > 3]
            if candidates:
                at = rng.choice(candidates)
                mark = "**" if rng.random() < 0.4 else "*"
                decorate(words, at, at, mark, mark)
        blocks.append(" ".join(words))
        if number == 0 and image:
            blocks.append(f"![{image[1]}]({{static}}{image[0]})")
        if number == list_after:
            bullet = "1." if rng.random() < 0.3 else "-"
            items = []
            for _ in range(rng.randint(3, 6)):
                item = " ".join(lexicon.running(rng, rng.randint(3, 9)))
                items.append(f"{bullet} {item[0].upper()}{item[1:]}")
            blocks.append("\n".join(items))
        if number == quote_after:
            blocks.append("> " + paragraph.split(". ")[0].rstrip(".") + ".")
    if website:
        label = " ".join(lexicon.running(rng, rng.randint(2, 4)))
        blocks.append(f"{SEE_ALSO[lexicon.lang]} [{label}]({website}).")
    return "\n\n".join(blocks) + "\n"


def relative(target: str, folder: str) -> str:
    return posixpath.relpath(target, folder)


def file_stem(title: str, folder: str, taken: set[str]) -> str:
    """A slug of the title, unique in its folder and not a name the org's pages use."""
    stem = corpus.slug(title)[:60].strip("-") or "texto"
    if stem in RESERVED_ORG_NAMES or stem.startswith("index-"):
        stem = "texto-" + stem
    found, number = stem, 2
    while f"{folder}/{found}.md" in taken:
        found = f"{stem}-{number}"
        number += 1
    taken.add(f"{folder}/{found}.md")
    return found


def when(rng: random.Random) -> datetime:
    """A publication time over corpus.py's twenty years, more in recent ones, as it does."""
    days = corpus.YEARS * 365
    day = corpus.FIRST_DAY + timedelta(days=int(days * math.sqrt(rng.random())))
    if rng.random() < 0.3:
        return datetime(day.year, day.month, day.day, rng.randint(7, 20), rng.choice((0, 30)))
    return datetime(day.year, day.month, day.day)


def shown(moment: datetime) -> str:
    if moment.hour or moment.minute:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.date().isoformat()


def event_of(rng: random.Random, published: datetime, lexicon: corpus.Lexicon) -> dict:
    start = datetime.combine(published.date(), datetime.min.time()) + timedelta(
        days=rng.randint(2, 60), hours=rng.randint(8, 18), minutes=rng.choice((0, 30))
    )
    event = {"start": start.strftime("%Y-%m-%d %H:%M")}
    if rng.random() < 0.6:
        end = start + timedelta(days=rng.choice((0, 0, 1, 2)), hours=rng.randint(1, 6))
        event["end"] = end.strftime("%Y-%m-%d %H:%M")
    place = lexicon.places[corpus.zipf_rank(rng, len(lexicon.places), 0.9)]
    event["place"] = quoted(place)
    return event


def split(total: int, langs: tuple[str, ...], rng: random.Random) -> list[int]:
    """Sizes of the translation groups that make `total` texts: mostly 1, some 2 or 3. The
    first group is translated and the second is an event (see `generate`), so that even a
    tiny tree has each feature."""
    sizes: list[int] = []
    while sum(sizes) < total:
        translatable = len(langs) > 1
        translated = translatable and (not sizes or rng.random() < TRANSLATED_SHARE)
        size = 1
        if translated:
            size = 3 if len(langs) > 2 and rng.random() < THREE_VERSIONS_SHARE else 2
        sizes.append(min(size, total - sum(sizes)))
    return sizes


def versions(
    rng: random.Random, first: str, spoken: tuple[str, ...], langs: tuple[str, ...], size: int
) -> list[str]:
    """The languages of a group of `size` texts written first in `first`: translated into the
    site's default language when it is among `langs`, then the org's other languages, then
    any of the site's (so some groups, such as a `pt` text with its `en` translation, have
    no version in the default language)."""
    if size == 1:
        return [first]
    others = [lang for lang in (DEFAULT_LANG, *spoken) if lang != first and lang in langs]
    rest = [lang for lang in langs if lang not in others and lang != first]
    rng.shuffle(rest)
    return [first, *corpus.unique(others + rest)[: size - 1]]


# --- The tree --------------------------------------------------------------------------------


def authors_of(rng: random.Random, groups: list[tuple[Org, list[str]]]) -> list[list[str] | None]:
    """Each group's authors (None: the org's media team, named in each text's language).
    An org has its own writers, more of them the more it publishes, and a few write most;
    a text and its translations have the same authors."""
    count = Counter(org.id for org, _ in groups)
    rosters: dict[str, list[str]] = {}
    found: list[list[str] | None] = []
    for org, _ in groups:
        roster = rosters.get(org.id)
        if roster is None:
            people = corpus.lexicon(org.base.languages[0]).people
            size = max(2, min(40, round(1.5 * math.sqrt(count[org.id]))))
            names: dict[str, None] = {}
            while len(names) < size:
                names[people[corpus.zipf_rank(rng, 3000, 0.9)]] = None
            roster = rosters[org.id] = list(names)
        authors = [roster[corpus.zipf_rank(rng, len(roster), 0.9)]]
        if rng.random() < 0.15:
            authors.append(roster[corpus.zipf_rank(rng, len(roster), 0.9)])
        found.append(rng.choice(([], authors, authors, authors, None)))
    return [list(dict.fromkeys(authors)) if authors else authors for authors in found]


def write(out: Path, relative_path: str, content: str | bytes, summary: Summary) -> None:
    path = out / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.write_bytes(data)
    summary.files += 1
    summary.bytes += len(data)


def generate(
    out: Path,
    orgs: int = DEFAULTS["orgs"],
    articles: int = DEFAULTS["articles"],
    langs: tuple[str, ...] | list[str] = DEFAULTS["langs"],
    images: int = DEFAULTS["images"],
    seed: int = DEFAULTS["seed"],
) -> Summary:
    """Write a tree of `articles` texts by `orgs` orgs in `langs`, with `images` photos, into
    `out` (which must be empty or absent); what was written."""
    started = time.perf_counter()
    langs = tuple(dict.fromkeys(langs))
    unknown = [lang for lang in langs if lang not in LANGS]
    if unknown or not langs:
        raise ValueError(f"languages must be among {', '.join(LANGS)}: not {', '.join(unknown)}")
    if orgs < 1 or articles < 1 or images < 0:
        raise ValueError("give at least one org and one text, and no negative count of images")
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty: give a new folder")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"minga-tree-{seed}")
    summary = Summary(out)

    made = make_orgs(rng, orgs, langs)
    logos = {org.id for org in made if rng.random() < LOGO_SHARE}
    for org in made:
        write(out, f"orgs/{org.id}/org.yaml", card(rng, org, org.id in logos), summary)
        if org.id in logos:
            write(out, f"orgs/{org.id}/logo.png", logo(rng), summary)
    summary.orgs, summary.logos = len(made), len(logos)

    # Groups of texts: each written by an org in one of its languages, and translated into
    # others; orgs publish as much as corpus.py's activity says.
    spoken = [lang for lang in langs if any(lang in org.base.languages for org in made)]
    shares = [corpus.SHARES[lang] for lang in spoken]
    writers = {lang: [org for org in made if lang in org.base.languages] for lang in spoken}
    sizes = split(articles, langs, rng)
    groups = []
    for size in sizes:
        first = rng.choices(spoken, shares)[0]
        org = rng.choices(writers[first], [o.base.weight for o in writers[first]])[0]
        groups.append((org, versions(rng, first, org.base.languages, langs, size)))

    # Images: each org gets photos in proportion to its texts; its first groups show them.
    per_org = Counter(org.id for org, _ in groups)
    owners = rng.choices(made, [per_org[org.id] for org in made], k=images) if images else []
    large = set(rng.sample(range(images), round(images * LARGE_IMAGE_SHARE)))
    for number, org in enumerate(owners):
        tags = corpus.lexicon(org.base.languages[0]).tags
        word = corpus.slug(tags[number % len(tags)])
        path = f"orgs/{org.id}/images/{word}-{number + 1}.jpg"
        data = photo(rng, number in large)
        write(out, path, data, summary)
        org.images.append(path)
        summary.large_images += len(data) > IMAGE_BUDGET
    summary.images = len(owners)
    shows: dict[int, str] = {}
    by_org: dict[str, list[int]] = {}
    for index, (org, _) in enumerate(groups):
        by_org.setdefault(org.id, []).append(index)
    for org in made:
        if org.images:
            indexes = by_org.get(org.id, [])[:]
            rng.shuffle(indexes)
            uses = min(len(indexes), math.ceil(len(org.images) * IMAGE_USES))
            for use, index in enumerate(indexes[:uses]):
                shows[index] = org.images[use % len(org.images)]

    writers_of = authors_of(random.Random(f"minga-authors-{seed}"), groups)
    taken: set[str] = set()
    latest: dict[str, list[tuple[datetime, str]]] = {lang: [] for lang in langs}
    types, weights = list(TYPES), list(TYPES.values())
    number = 0
    for index, (org, languages) in enumerate(groups):
        published = when(rng)
        kind = "event" if index == 1 else rng.choices(types, weights)[0]
        key = None
        if len(languages) > 1:
            key = f"t{index:05d}-{rng.randrange(16**4):04x}"
            summary.groups += 1
            summary.translated += len(languages)
        folder = f"orgs/{org.id}" + (f"/{published.year}" if org.by_year else "")
        countries = rng.sample(org.countries, rng.randint(0, len(org.countries)))
        image = shows.get(index)
        inline = image is not None and rng.random() < INLINE_IMAGE_SHARE
        event = None
        topics = None
        written = []
        for lang in languages:
            lexicon = corpus.lexicon(lang)
            entry = corpus.article(rng, lang, org.base, published.date(), number)
            number += 1
            topics = topics or list(entry.topics)  # translations keep the original's topics
            if kind == "event" and event is None:
                event = event_of(rng, published, lexicon)
            stem = file_stem(entry.title, folder, taken)
            path = f"{folder}/{stem}.md"
            authors = [TEAM[lang]] if writers_of[index] is None else writers_of[index]
            fields = {
                "title": quoted(entry.title),
                "date": shown(published),
                "lang": lang,
                "summary": quoted(entry.summary),
                "type": kind,
                "topics": topics,
                "countries": countries,
                "tags": list(entry.tags),
                "authors": authors,
            }
            if key:
                fields["translation_key"] = key
            alt = None
            if image:
                alt = corpus.sentences(rng, lexicon.running(rng, rng.randint(6, 14)), lang, 20, 30)
                fields["image"] = relative(image, folder)
                fields["image_alt"] = quoted(alt.rstrip("."))
                summary.with_image += 1
            if event:
                fields["event"] = event
                summary.events += 1
            for empty in [name for name, value in fields.items() if value == []]:
                del fields[empty]
            links = []
            if org.texts and rng.random() < LINKS_SHARE:
                for _ in range(rng.choice((1, 1, 2, 3))):
                    links.append(relative(rng.choice(org.texts), folder))
            website = f"https://{org.id}.example/" if rng.random() < 0.1 else None
            shown_image = (relative(image, folder), alt.rstrip(".")) if inline else None
            body = markdown_body(rng, entry.body, lexicon, links, shown_image, website)
            write(out, path, front_matter(fields) + body, summary)
            summary.texts[lang] += 1
            written.append(path)
            latest[lang].append((published, path))
        org.texts.extend(written)

    summary.changeable = max(made, key=lambda o: len(o.texts)).texts[0]
    editors_files(rng, out, made, latest, langs, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def editors_files(
    rng: random.Random,
    out: Path,
    made: list[Org],
    latest: dict[str, list[tuple[datetime, str]]],
    langs: tuple[str, ...],
    summary: Summary,
) -> None:
    """content/: topics and editors (this repository's), curation, news, pages, a dossier;
    and .github/CODEOWNERS, generated as `invoke codeowners` does."""
    from checks.ownership import write_codeowners

    for name in ("topics.yaml", "editors.yaml"):
        write(out, f"content/{name}", (ROOT / "content" / name).read_bytes(), summary)
    newest = {lang: sorted(found, reverse=True)[:LATEST] for lang, found in latest.items()}
    updated = max((moment for found in newest.values() for moment, _ in found), default=None)
    curation = [f"updated: {(updated or datetime(2026, 1, 1)).date().isoformat()}", "featured:"]
    for lang, found in newest.items():
        if found:
            curation.append(f"  {lang}:")
            curation += [f"    - {path}" for _, path in found]
    write(out, "content/curation.yaml", "\n".join(curation) + "\n", summary)

    every_text = [path for org in made for path in org.texts]
    count = NEWS[0] + sum(summary.texts.values()) // NEWS[1]
    taken: set[str] = set()
    news_langs = [DEFAULT_LANG if DEFAULT_LANG in langs else langs[0]] * 3 + list(langs)
    index = 0
    while summary.news < count:
        size = 2 if summary.news + 1 < count and rng.random() < 0.3 else 1
        languages = versions(rng, rng.choice(news_langs), (), langs, size)
        key = f"n{index:04d}" if len(languages) > 1 else None
        published = when(rng)
        for lang in languages:
            entry = corpus.article(rng, lang, made[0].base, published.date(), index)
            stem = file_stem(entry.title, "content/news", taken)
            fields = {
                "title": quoted(entry.title),
                "date": shown(published),
                "lang": lang,
                "summary": quoted(entry.summary),
                "type": "news",
                "topics": list(entry.topics),
                "authors": ["Equipo editorial"],
            }
            if key:
                fields["translation_key"] = key
            links = [relative(rng.choice(every_text), "content/news")]
            body = markdown_body(rng, entry.body, corpus.lexicon(lang), links, None, None)
            write(out, f"content/news/{stem}.md", front_matter(fields) + body, summary)
            summary.news += 1
        index += 1

    pages = sorted({DEFAULT_LANG, *langs}, key=LANGS.index)
    for lang in pages:
        name, title = PAGES[lang]
        lexicon = corpus.lexicon(lang)
        text = corpus.sentences(rng, lexicon.running(rng, rng.randint(200, 500)), lang)
        fields = {"title": quoted(title), "lang": lang}
        if len(pages) > 1:
            fields["translation_key"] = "sobre"
        write(out, f"content/pages/{name}.md", front_matter(fields) + text + "\n", summary)
        summary.pages += 1

    items = sorted(path for _, path in newest.get(langs[0], []))
    items += [p for p in rng.sample(every_text, min(5, len(every_text))) if p not in items]
    if len(items) >= 2:
        lexicon = corpus.lexicon(langs[0])
        subjects = [lexicon.subject(rng) for _ in range(2)]
        title = corpus.title_of(rng, lexicon, subjects, lexicon.places[0])
        fields = {
            "title": quoted(title),
            "date": shown(max(moment for found in latest.values() for moment, _ in found)),
            "lang": langs[0],
            "summary": quoted(corpus.sentences(rng, lexicon.running(rng, 25), langs[0])),
            "items": items,
        }
        text = corpus.sentences(rng, lexicon.running(rng, 150), langs[0])
        write(out, "content/dossiers/dossier.md", front_matter(fields) + text + "\n", summary)
        summary.dossiers += 1
    codeowners = write_codeowners(out)
    summary.files += 1
    summary.bytes += codeowners.stat().st_size


def problems(tree: Path) -> list:
    """What `invoke check` would report on `tree`: the content check, CODEOWNERS and
    CONTRIBUTING.md (the last two only where the tree has their sources)."""
    from checks.guides import contributing_problems
    from checks.ownership import codeowners_problems
    from checks.tree import check_tree

    found = check_tree(tree)
    if (tree / "content/editors.yaml").is_file():
        found += codeowners_problems(tree)
    return found + contributing_problems(tree)


def main() -> None:
    """Generate a tree from the command line (the same as `invoke corpus`)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=DEFAULTS["orgs"])
    parser.add_argument("--articles", type=int, default=DEFAULTS["articles"])
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--images", type=int, default=DEFAULTS["images"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    langs = [lang.strip() for lang in args.langs.split(",") if lang.strip()]
    summary = generate(args.out, args.orgs, args.articles, langs, args.images, args.seed)
    print("\n".join(summary.lines()))


if __name__ == "__main__":
    main()
