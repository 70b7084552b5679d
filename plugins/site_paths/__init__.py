"""Where each source file belongs and where it is published.

A file's org comes from its path (`orgs/<org>/…`); the content model refuses an `org:` field. Its
address mirrors its path: `orgs/<org>/2025/comunicado.md` is published as
`orgs/<org>/2025/comunicado.html` and `content/news/x.md` as `news/x.html`, so two
orgs can both have a `comunicado.md`, and an org's folders by year need no setting.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from content_model import RESERVED_ORG_NAMES, ContentError, Problem, _, org_of
from pelican import signals
from pelican.contents import Article, Page, Static

DEFAULTS = {
    # Folder (relative to PATH) holding one folder per organization.
    "ORGS_PATH": "orgs",
    # Folder (relative to PATH) holding the editors' content; dropped from addresses.
    "EDITORS_PATH": "content",
    # Where drafts go in a local build (publishing leaves them out).
    "DRAFTS_PREFIX": "drafts",
}


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def section_of(relative_path: str, settings: dict) -> str:
    """`orgs/<org>` for an org's file, else the editors' folder (`news`, `pages`, …)."""
    org = org_of(relative_path, settings["ORGS_PATH"])
    if org:
        return f"{settings['ORGS_PATH']}/{org}"
    parts = relative_path.split("/")
    if parts[0] == settings["EDITORS_PATH"] and len(parts) > 2:
        return parts[1]
    return ""


def published_path(relative_path: str, settings: dict, html: bool) -> str:
    """The output path of a source file: its own path, without the editors' folder prefix."""
    editors = settings["EDITORS_PATH"] + "/"
    path = relative_path[len(editors) :] if relative_path.startswith(editors) else relative_path
    if html:
        path = posixpath.splitext(path)[0] + ".html"
    return path


def image_url(relative_path: str, image: str, settings: dict) -> str:
    """The address of a text's `image`, a path relative to the text, kept inside its space."""
    source = posixpath.normpath(posixpath.join(posixpath.dirname(relative_path), image))
    section = section_of(relative_path, settings)
    space = section if section.startswith(settings["ORGS_PATH"] + "/") else settings["EDITORS_PATH"]
    problem = None
    if not source.startswith(space + "/"):
        problem = _(
            "the image `%(image)s` is outside this folder (%(space)s)", image=image, space=space
        )
    elif not (Path(settings["PATH"]) / source).is_file():
        problem = _("the image `%(image)s` does not exist", image=image)
    if problem:
        fix = _(
            "put the image in the text's folder (or a subfolder) and write its path "
            "relative to the text, e.g. `image: images/photo.jpg`"
        )
        raise ContentError([Problem(relative_path, 1, problem, fix)])
    return published_path(source, settings, html=False)


def place_content(instance) -> None:
    """Give a content object its org, its address and its translation group."""
    relative = instance.relative_source_path
    if relative is None:
        return
    settings = instance.settings
    org_id = org_of(relative, settings["ORGS_PATH"])
    instance.org_id = org_id
    instance.org = None  # the Org card is attached once all cards are read
    instance.section = section_of(relative, settings)

    if isinstance(instance, Static):
        path = published_path(relative, settings, html=False)
        instance.override_save_as = instance.override_url = path
        return
    if not isinstance(instance, (Article, Page)):
        return

    key = instance.metadata.get("translation_key") or relative
    instance.translation_key = str(key)
    instance.translation_group = f"{instance.section}|{key}"
    if instance.metadata.get("image"):
        instance.image_url = image_url(relative, str(instance.metadata["image"]), settings)
    if isinstance(instance, Page) and instance.section == "pages":
        return  # the editors' pages keep PAGE_URL (e.g. `sobre.html`)

    path = published_path(relative, settings, html=True)
    name = posixpath.splitext(posixpath.basename(path))[0]
    if org_id and (name in RESERVED_ORG_NAMES or name.startswith("index-")):
        raise ContentError(
            [
                Problem(
                    relative,
                    1,
                    _(
                        "the file name `%(name)s` is reserved for the organization's own page",
                        name=name,
                    ),
                    _("rename the file, e.g. `presentacion.md`"),
                )
            ]
        )
    if instance.status == "draft":
        path = f"{settings['DRAFTS_PREFIX']}/{path}"
        # Pelican's draft writer reads `category`, which Minga's texts do not have.
        instance.category = getattr(instance, "category", None)
    instance.override_save_as = instance.override_url = path


def write_listing(generator, writer, template: str, url: str, articles: list, **variables):
    """Write a paginated listing of `articles` (newest first) at `url` with `template`.

    The listing's templates get `articles_page` and its neighbours from Pelican's paginator,
    with `PAGINATED_TEMPLATES[template]` texts a page.
    """
    writer.write_file(
        url,
        generator.get_template(template),
        generator.context,
        generator.settings["RELATIVE_URLS"],
        paginated={"articles": articles},
        template_name=template,
        url=url,
        articles=articles,
        **variables,
    )


def write_page(generator, writer, template: str, url: str, **variables) -> None:
    """Write one page at `url` with `template`, links relative as the settings say."""
    writer.write_file(
        url,
        generator.get_template(template),
        generator.context,
        generator.settings["RELATIVE_URLS"],
        url=url,
        **variables,
    )


def public_base_url(settings: dict) -> str:
    """The site's absolute address, for what leaves the site (feeds, calendars, e-mail)."""
    return settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.content_object_init.connect(place_content)
