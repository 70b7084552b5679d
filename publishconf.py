"""Settings for the published site: `invoke publish` builds with these."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403

# The public address, used in feeds; pages keep relative links so copies work offline.
SITEURL = os.environ.get("MINGA_SITEURL") or "https://minga.example"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = True
DELETE_OUTPUT_DIRECTORY = True
# Drafts are previewed in local builds only.
WRITE_DRAFTS = False
# The published files are minified, with .gz and .br copies for servers that send them.
MINIFY_OUTPUT = True
PRECOMPRESS_OUTPUT = True
# Offline copies for readers with no connection: zip files and a ZIM file for Kiwix.
OFFLINE_BUNDLES = True
OFFLINE_ZIM = True
