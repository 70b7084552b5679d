"""Minga's build settings for a local build: `invoke build` and `invoke serve` use these."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Minga's plugins import the content model as a plain module.
sys.path.insert(0, str(ROOT / "plugins"))

SITENAME = "Minga"
SITESUBTITLE = "Red de organizaciones sociales de América Latina"
EDITORIAL_TEAM = "Equipo editorial de Minga"
# What the site says of itself in the other interface languages.
SITE_TRANSLATIONS = {
    "SITESUBTITLE": {
        "pt": "Rede de organizações sociais da América Latina",
        "en": "A network of social organizations of Latin America",
        "fr": "Réseau d'organisations sociales d'Amérique latine",
    },
    "EDITORIAL_TEAM": {
        "pt": "Equipe editorial da Minga",
        "en": "Minga editorial team",
        "fr": "Équipe éditoriale de Minga",
    },
}
SITEURL = ""
# Relative links everywhere: the output folder also works opened from disk.
RELATIVE_URLS = True

PATH = str(ROOT)
OUTPUT_PATH = "output"
THEME = str(ROOT / "theme")
TIMEZONE = "America/Bogota"
# Dates are shown in each page's language by Babel (plugins/localization); Pelican's own
# `locale_date` of every text is not used, and making it took seconds at archive scale.
DEFAULT_DATE_FORMAT = ""
DEFAULT_LANG = "es"
# Each interface language has its own home, listings and feeds: the default language's at
# the root, the others under their code (`pt/index.html`, `pt/news/index.html`…).
UI_LANGUAGES = ["es", "pt", "en", "fr"]
EDITION_PREFIX = "{lang}/"

# Sources: each organization's folder, and the editors' news and pages.
ORGS_PATH = "orgs"
EDITORS_PATH = "content"
ARTICLE_PATHS = ["orgs", "content/news"]
PAGE_PATHS = ["content/pages", "content/dossiers", "content/guides"]
STATIC_PATHS = ["orgs", "content/images"]
ARTICLE_EXCLUDES = []
# Editors' temporary files and hidden files are never read. (Org cards are kept out of
# the published files by the org_spaces plugin: a pattern here would also hide them from
# `invoke regenerate`, which matches these patterns against full paths.)
IGNORE_FILES = [".#*", ".*"]
READERS = {"html": None, "htm": None, "rst": None}

PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "front_matter",
    "site_paths",
    "org_spaces",
    "facets",
    "agenda",
    "editorial",
    "observatory",  # after editorial: it counts the links to the dossiers
    "localization",
    "sanitize",
    "images",
    "lean",
    "search",  # before offline: the copies take the files the search pages load
    "service_worker",  # after lean: the worker's version is a digest of the finished pages
    "offline",  # the zip and ZIM copies of the finished pages, and the page listing them
    "precompress",  # last to write: it compresses what every other plugin wrote
    "checks",
    "incremental",  # after checks: keeps the keys of a build that replaced the output
]

# Addresses follow the source path (see plugins/site_paths); these cover the rest.
SLUGIFY_SOURCE = "basename"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "minga"
ARTICLE_TRANSLATION_ID = "translation_group"
PAGE_TRANSLATION_ID = "translation_group"
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
PAGE_LANG_URL = PAGE_LANG_SAVE_AS = "{slug}.html"
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = "drafts/{slug}.html"
# The home page and the archive are written by Minga's plugins, once per language.
DIRECT_TEMPLATES = []
ARCHIVES_URL = "archives.html"
ARCHIVES_FEED_ATOM = "feeds/all.atom.xml"
# Topics, countries and the other facets replace Pelican's categories, tags and authors.
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""

# Twenty items a listing page: about 6 KB compressed, well inside the first round trip of a
# connection (14 KB), so a reader on 2G browses the archive in half the requests of ten.
DEFAULT_PAGINATION = 20
# The agenda: every upcoming event on its first page, past ones 20 a page, newest first.
PAGINATED_TEMPLATES = {
    "org": None,
    "author": None,
    "news": None,
    "facet": None,
    "archives": 30,
    "agenda": 20,
}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{name}-{number}{extension}", "{name}-{number}{extension}"),
)

# Feeds need absolute links: the local server here, the public address in publishconf.py.
FEED_DOMAIN = "http://localhost:8000"
FEED_ALL_ATOM = None  # ARCHIVES_FEED_ATOM, one per language
FEED_MAX_ITEMS = None  # Minga's feeds are cut at FEED_ITEMS (dossiers' and digest's are whole)
FEED_ITEMS = 20
TRANSLATION_FEED_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

ORG_URL = "orgs/{org}/index.html"
ORG_FEED_ATOM = "orgs/{org}/feed.atom.xml"
ORGS_INDEX_URL = "orgs/index.html"
NEWS_INDEX_URL = "news/index.html"
NEWS_FEED_ATOM = "feeds/news.atom.xml"
HOME_NEWS_COUNT = 4
HOME_ORG_ARTICLES_COUNT = 8

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        # Alignment as `align`, not `style`: style attributes are removed by the sanitizer.
        "markdown.extensions.tables": {"use_align_attribute": True},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}

# Offline copies (plugins/offline): zip files and a ZIM file for Kiwix, written by
# `invoke offline` / `invoke zim` and by the published build (publishconf.py).
OFFLINE_ZIM_METADATA = {
    "Name": "minga_mul_all",
    "Language": "spa,por,eng,fra",  # ISO 639-3, as Kiwix's library expects
    "Creator": "Organizaciones de la red Minga",
    "Publisher": EDITORIAL_TEAM,
    "Tags": "_category:other;_ftindex:yes;_pictures:yes;América Latina;organizaciones sociales",
    "LongDescription": (
        "Textos, noticias, agenda y dossiers de organizaciones campesinas, de mujeres, de "
        "derechos humanos, indígenas, afrodescendientes y de comunicación comunitaria de "
        "América Latina, en español, portugués, inglés y francés."
    ),
}

# Written into every page as a <meta> tag (frame-ancestors needs an HTTP header instead).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-src 'none'; media-src 'self'; worker-src 'self'; "
    "manifest-src 'self'"
)

# Weight budgets in bytes, checked by every build (see plugins/lean): HTML and CSS as gzip
# sends them, images as they are. A page an editor allows to be heavier is named in
# WEIGHT_EXCEPTIONS with the reason, e.g. {"orgs/x/informe.html": "informe con tablas"}.
# "search": what a first search of up to three words may fetch (plugins/search/budget.py).
WEIGHT_BUDGETS = {
    "text": 14_000,
    "index": 20_000,
    "page": 100_000,
    "image": 60_000,
    "search": 150_000,
}
BUDGET_TEXT_WORDS = 1500
WEIGHT_EXCEPTIONS = {}

# Autoescaping on: only content HTML is marked safe, explicitly, in the templates.
# Templates do not change during a build (each build makes its own environment): they are
# not looked at again on the disk each time a page asks for one.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

# A failed build must leave the previous output in place; `invoke rebuild` starts clean.
DELETE_OUTPUT_DIRECTORY = False
# Pelican's content cache: what the reader made of each file, reused while the file's bytes
# (md5, not its date: a fresh checkout in CI still hits it) and the reading context stay
# the same (plugins/front_matter). Images and the ZIM file have their own caches there too.
CACHE_PATH = "cache"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
CONTENT_CACHING_LAYER = "reader"
# Pelican saves its whole content cache after every build: compressing it took longer than
# reading it (2 s a build at 10,000 texts, for 44 MB instead of 17 MB).
GZIP_CACHE = False
