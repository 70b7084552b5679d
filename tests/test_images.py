"""Content images are re-encoded: no metadata, no hidden payload, nothing from outside."""

from __future__ import annotations

import io
import os
import random
import re
import time

import pytest
from conftest import article, org_card
from images import DEFAULTS, too_heavy
from images.markup import Served, resolve_site_links, rewrite, target_of
from images.pipeline import Profile, TooHeavy, cache_key, encode, make
from PIL import Image, ImageDraw, PngImagePlugin

GPS_IFD = 0x8825


def photo_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), (120, 160, 90))
    exif = Image.Exif()
    exif[0x010F] = "Camara Secreta"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (12.0, 3.0, 4.0), 3: "W", 4: (77.0, 1.0, 2.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"lugar: casa de Ana")
    return buffer.getvalue() + b"PK\x03\x04<script>alert(1)</script>"  # a payload after the end


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "coordenadas -12.05, -77.04")
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (10, 20, 30, 128)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def test_images_lose_metadata_and_payloads(build_fixture):
    build = build_fixture(
        {
            "orgs/alfa/org.yaml": org_card("Colectivo Alfa"),
            "orgs/alfa/marcha.md": article(
                "Marcha", extra="image: fotos/marcha.jpg\nimage_alt: La marcha en la plaza\n"
            ),
            "orgs/alfa/fotos/marcha.jpg": photo_with_location(),
            "orgs/alfa/fotos/mapa.png": png_with_text(),
        }
    )
    assert build.returncode == 0, build.log
    jpeg = (build.output / "orgs/alfa/fotos/marcha.jpg").read_bytes()
    assert b"SERIAL-12345" not in jpeg and b"Camara Secreta" not in jpeg
    assert b"casa de Ana" not in jpeg and b"<script>" not in jpeg and b"PK\x03\x04" not in jpeg
    assert jpeg.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.size == (40, 30) and not image.getexif()
    png = (build.output / "orgs/alfa/fotos/mapa.png").read_bytes()
    assert b"coordenadas" not in png
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (10, 20, 30, 128)
    assert 'src="../../orgs/alfa/fotos/marcha.jpg"' in build.page("orgs/alfa/marcha.html")


def test_an_image_link_to_outside_is_never_read(build_fixture, tmp_path):
    secret = tmp_path / "secreto.png"
    Image.new("RGB", (4, 4)).save(secret)
    build = build_fixture(
        {"orgs/alfa/org.yaml": org_card("Colectivo Alfa"), "orgs/alfa/nota.md": article("N")},
    )
    link = tmp_path / "site/orgs/alfa/robada.png"
    os.symlink(secret, link)
    again = build_fixture({}, extra=("-e", "CHECK_TREE=false"))  # even with the check off
    assert build.returncode == 0 and again.returncode != 0
    assert "orgs/alfa/robada.png" in again.log
    assert not list(tmp_path.rglob("output*/orgs/alfa/robada.png"))


# --- The pipeline: light files for slow phones, made once ----------------------------------

ALFA = {"orgs/alfa/org.yaml": org_card("Colectivo Alfa")}


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A photo as a phone takes it: sky, shapes, sensor noise, GPS and serial in EXIF."""
    gradient = Image.linear_gradient("L").resize((width, height))
    sky = Image.merge(
        "RGB",
        (
            gradient.point(lambda v: 90 + v // 3),
            gradient.point(lambda v: 140 + v // 4),
            Image.new("L", (width, height), 210),
        ),
    )
    draw = ImageDraw.Draw(sky)
    shapes = random.Random(7)
    for _ in range(60):
        x, y, r = (
            shapes.randrange(width),
            shapes.randrange(height // 3, height),
            shapes.randrange(40, 400),
        )
        colour = (shapes.randrange(40, 200), shapes.randrange(60, 180), shapes.randrange(20, 120))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 40) for _ in range(3)])
    photo = Image.blend(sky, noise, 0.15)
    exif = Image.Exif()
    exif[0x010F] = "Camara Secreta"
    exif[0xA431] = "SERIAL-98765"
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (12.0, 3.0, 4.0), 3: "W", 4: (77.0, 1.0, 2.0)})
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def transparent_png(width: int = 1200, height: int = 800) -> bytes:
    """A drawing on a transparent ground: a disc, and nothing around it."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((300, 100, 900, 700), fill=(200, 40, 40, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def logo_png(width: int = 600, height: int = 300) -> bytes:
    image = Image.new("RGB", (width, height), (250, 240, 210))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.ellipse((i * 45, 40 + i * 8, i * 45 + 120, 160 + i * 8), fill=(30 + i * 15, 120, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def opened(path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def with_cache(tmp_path) -> tuple[str, ...]:
    return ("-e", f'CACHE_PATH="{tmp_path / "cache"}"')


def lead_and_body(lead: str | None, *body: str) -> str:
    extra = f"image: {lead}\nimage_alt: La marcha en la plaza\n" if lead else ""
    images = "\n\n".join(f"![Foto {i}]({{static}}{path})" for i, path in enumerate(body, 1))
    return article("Marcha", extra=extra, body=f"Texto.\n\n{images}")


def test_a_phone_photo_is_served_light_without_metadata(build_fixture, tmp_path, report):
    photo = phone_photo()
    assert len(photo) > 3_000_000  # a 4 MB-class phone photo
    files = {
        "orgs/alfa/org.yaml": org_card("Colectivo Alfa") + "logo: logo.png\n",
        "orgs/alfa/logo.png": logo_png(),
        "orgs/alfa/marcha.md": lead_and_body("fotos/marcha.jpg", "fotos/dibujo.png"),
        "orgs/alfa/fotos/marcha.jpg": photo,
        "orgs/alfa/fotos/dibujo.png": transparent_png(),
    }
    started = time.monotonic()
    build = build_fixture(files, extra=with_cache(tmp_path))
    first = time.monotonic() - started
    assert build.returncode == 0, build.log
    fotos = build.output / "orgs/alfa/fotos"

    webp = (fotos / "marcha-960.webp").read_bytes()
    assert len(webp) <= 60_000
    for served in (fotos / "marcha-960.webp", fotos / "marcha-480.webp", fotos / "marcha.jpg"):
        body = served.read_bytes()
        assert len(body) <= 60_000, served
        assert b"SERIAL-98765" not in body and b"Camara Secreta" not in body
        assert b"Exif" not in body and not opened(served).getexif()
    assert opened(fotos / "marcha-960.webp").size == (960, 720)
    assert opened(fotos / "marcha-480.webp").size == (480, 360)
    assert opened(fotos / "marcha.jpg").size == (960, 720)  # the old address still works
    # Nothing is published at full size.
    assert not list(build.output.rglob("*original*"))
    assert all(opened(p).width <= 960 for p in fotos.iterdir())

    # A transparent drawing keeps its transparency, in the fallback and in WebP.
    for served in (fotos / "dibujo.png", fotos / "dibujo-960.webp"):
        image = opened(served).convert("RGBA")
        assert image.size == (960, 640)
        assert image.getpixel((5, 5))[3] == 0 and image.getpixel((480, 320))[3] == 255

    page = build.page("orgs/alfa/marcha.html")
    lead = page.split('<figure class="lead-image"')[1].split("</figure>")[0]
    assert 'src="../../orgs/alfa/fotos/marcha.jpg"' in lead
    assert 'width="960" height="720"' in lead and 'alt="La marcha en la plaza"' in lead
    assert "loading=" not in lead  # the first image of the page comes at once
    assert (
        'srcset="../../orgs/alfa/fotos/marcha-480.webp 480w, '
        '../../orgs/alfa/fotos/marcha-960.webp 960w"'
    ) in lead
    body = page.split('<div class="body"')[1]
    drawing = re.search(r"<picture><source[^>]*><img[^>]*></picture>", body).group(0)
    assert 'srcset="../../orgs/alfa/fotos/dibujo-480.webp 480w, ' in drawing
    assert 'width="960" height="640"' in drawing and 'loading="lazy"' in drawing
    assert 'alt="Foto 1"' in drawing and 'src="../../orgs/alfa/fotos/dibujo.png"' in drawing

    # The logo: small, and shown with its own proportions.
    logo = build.output / "orgs/alfa/logo.png"
    assert len(logo.read_bytes()) <= 8_000 and opened(logo).size == (128, 64)
    assert not list(build.output.glob("orgs/alfa/logo-*"))
    assert re.search(
        r'<img class="logo"[^>]*width="64" height="32"', build.page("orgs/alfa/index.html")
    )

    # A second build of the same tree finds every image in the cache and encodes nothing.
    cached = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache/images").rglob("*")}
    assert len(cached) > 6
    output = {p.relative_to(build.output): p.read_bytes() for p in fotos.iterdir()}
    started = time.monotonic()
    again = build_fixture({}, extra=(*with_cache(tmp_path), "--verbose"))
    second = time.monotonic() - started
    assert again.returncode == 0, again.log
    assert "images: 0 processed (0 of them while the texts were read), 3 from cache" in again.log
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache/images").rglob("*")} == cached
    assert {p.relative_to(again.output): p.read_bytes() for p in fotos.iterdir()} == output
    # Served as the cache's own files (hard links): no image is written again.
    kept = {(p.stat().st_dev, p.stat().st_ino) for p in (tmp_path / "cache/images").rglob("*")}
    served = [*fotos.iterdir(), logo]
    assert all((p.stat().st_dev, p.stat().st_ino) in kept for p in served), served
    report(
        f"images: 4000x3000 photo ({len(photo) / 1e6:.1f} MB) served as {len(webp):,} B WebP "
        f"at 960x720; logo {len(logo.read_bytes()):,} B; "
        f"fixture build {first:.1f} s, again from the cache {second:.1f} s"
    )


def test_every_image_but_the_first_of_a_page_loads_lazily(build_fixture, tmp_path):
    small = io.BytesIO()
    Image.new("RGB", (300, 200), (90, 120, 60)).save(small, "JPEG")
    build = build_fixture(
        {
            **ALFA,
            "orgs/alfa/nota.md": lead_and_body(None, "a.jpg", "b.jpg"),
            "orgs/alfa/a.jpg": small.getvalue(),
            "orgs/alfa/b.jpg": small.getvalue(),
        },
        extra=with_cache(tmp_path),
    )
    assert build.returncode == 0, build.log
    page = build.page("orgs/alfa/nota.html")
    assert "lead-image" not in page
    first, second = re.findall(r"<img [^>]*>", page.split('<div class="body"')[1])
    assert "loading" not in first and 'loading="lazy"' in second
    # Never enlarged: a small image has one WebP file, at its own width.
    assert 'srcset="../../orgs/alfa/a-480.webp 300w"' in page
    assert 'width="300" height="200"' in first
    assert not (build.output / "orgs/alfa/a-960.webp").exists()


def test_an_image_too_heavy_even_at_the_lowest_quality_stops_the_build(build_fixture, tmp_path):
    noise = Image.merge("RGB", [Image.effect_noise((960, 960), 120) for _ in range(3)])
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    build = build_fixture(
        {**ALFA, "orgs/alfa/nota.md": article("Nota"), "orgs/alfa/ruido.png": buffer.getvalue()},
        extra=with_cache(tmp_path),
    )
    assert build.returncode != 0
    assert "orgs/alfa/ruido.png" in build.log
    assert "use a smaller or simpler image" in build.log or "más sencilla" in build.log
    assert "Traceback" not in build.log


def test_too_heavy_is_said_with_the_weight_and_the_fix():
    noise = Image.merge("RGB", [Image.effect_noise((400, 400), 120) for _ in range(3)])
    with pytest.raises(TooHeavy) as heavy:
        encode(noise, "WEBP", 10_000)
    problem = too_heavy("orgs/alfa/ruido.jpg", heavy.value, Profile((480,), 480, 10_000))
    assert problem.render("es").startswith("orgs/alfa/ruido.jpg:1:1: la imagen todavía pesa")
    assert "10 KB como máximo" in problem.render("es") and "más sencilla" in problem.render("es")


def test_originals_are_published_only_when_asked(build_fixture, tmp_path):
    build = build_fixture(
        {
            **ALFA,
            "orgs/alfa/nota.md": article("Nota"),
            "orgs/alfa/fotos/marcha.jpg": photo_with_location(),
        },
        extra=(*with_cache(tmp_path), "-e", "IMAGES_PUBLISH_ORIGINALS=true"),
    )
    assert build.returncode == 0, build.log
    original = build.output / "orgs/alfa/fotos/marcha-original.jpg"
    assert opened(original).size == (40, 30) and not opened(original).getexif()
    assert b"SERIAL-12345" not in original.read_bytes()


def test_srcsets_follow_the_page_they_are_shown_in():
    served = {
        "orgs/alfa/f/x.jpg": Served(
            "orgs/alfa/f/x.jpg", 960, 720, (("orgs/alfa/f/x-480.webp", 480),)
        )
    }

    def find(src):
        target = target_of(src, "orgs/alfa", "orgs/alfa")
        return served.get(target[1]) if target else None

    html, seen = rewrite('<p><img src="{static}f/x.jpg" alt="x"></p>', find, first_is_taken=True)
    assert seen == ["orgs/alfa/f/x.jpg"] and 'loading="lazy"' in html
    assert resolve_site_links(html, "../..", True).count("../../orgs/alfa/f/x-480.webp 480w") == 1
    feed = resolve_site_links(html, "https://minga.example", False)
    assert "https://minga.example/orgs/alfa/f/x-480.webp 480w" in feed
    remote = '<img src="https://otro.example/x.jpg" alt="x">'
    assert rewrite(remote, find, first_is_taken=False)[0] == remote


def test_each_size_is_resized_once_and_from_the_nearest_larger_one(monkeypatch):
    """The fallback and the widest variant share one resize, and the 480-px variant is made
    from the 960-px picture: two resizes for three files, the first one from the source."""
    from images import pipeline

    resizes = []
    resize = Image.Image.resize

    def recorded(image, size, *args, **kwargs):
        resizes.append((image.size, tuple(size)))
        return resize(image, size, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "resize", recorded)
    gradient = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    buffer = io.BytesIO()
    gradient.save(buffer, "PNG")
    resizes.clear()
    files, prepared = pipeline.make(buffer.getvalue(), Profile((480, 960), 960, 60_000))
    assert resizes == [((1600, 1200), (960, 720)), ((960, 720), (480, 360))]
    assert sorted(files) == ["-480.webp", "-960.webp", "fallback"]
    assert prepared.variants == [("-480.webp", 480, 360), ("-960.webp", 960, 720)]
    # The small variant is still the picture: a gradient from black at the top to white.
    small = Image.open(io.BytesIO(files["-480.webp"])).convert("L")
    assert small.getpixel((240, 10)) < 30 and small.getpixel((240, 350)) > 225


def test_an_unchanged_image_file_is_not_read_again_to_find_what_was_made_of_it(
    tmp_path, monkeypatch
):
    """A build keeps each image's cache entry by the file's state: the next build finds it
    without reading and hashing the file; a file written again (even with the same bytes)
    is read again, and a file written in the moments before a build is read on the next."""
    from images import pipeline
    from images.pipeline import EntryNames, Profile, prepare_all

    folder = tmp_path / "orgs/alfa/fotos"
    folder.mkdir(parents=True)
    sources = [folder / f"foto-{number}.jpg" for number in range(3)]
    for number, source in enumerate(sources):
        source.write_bytes(phone_photo(1200 + number, 900))
    jobs = [(source, Profile((480, 960), 960, 60_000)) for source in sources]
    cache = tmp_path / "cache"
    hashed = []
    key = pipeline.cache_key
    monkeypatch.setattr(pipeline, "cache_key", lambda data, p: hashed.append(data) or key(data, p))

    def build(kept: dict) -> tuple[EntryNames, list]:
        hashed.clear()
        names = EntryNames(kept)
        names.settled = time.time_ns() + 10**12  # as if every file had been written long ago
        return names, prepare_all(jobs, cache, 1, names)

    first, made = build({})
    assert not any(found for _p, _e, found in made)
    again, found = build(first.now)
    assert hashed == [] and all(found for _p, _e, found in found)
    assert [entry for _p, entry, _f in found] == [entry for _p, entry, _f in made]
    sources[0].write_bytes(sources[0].read_bytes())  # the same bytes, written again
    sources[1].write_bytes(phone_photo(800, 600))
    third, outcomes = build(again.now)
    assert set(hashed) == {sources[0].read_bytes(), sources[1].read_bytes()}
    assert [found for _p, _e, found in outcomes] == [True, False, True]
    fresh = EntryNames(third.now)  # settled: what was written before the first build
    fresh.settled = sources[2].stat().st_ctime_ns + 1
    assert sources[0].stat().st_ctime_ns > fresh.settled
    prepare_all(jobs, cache, 1, fresh)
    assert sorted(ident[0] for ident in fresh.now) == [str(sources[2])]


# --- Made in the background while the build checks and reads its texts ---------------------


def test_images_are_made_ahead_into_the_cache_and_stop_when_told(tmp_path):
    """The background maker fills the cache as the build's own pass would, and stops after
    the image it is making when told: the cache then holds only whole entries."""
    from images import ahead, profiles
    from images.pipeline import prepare

    settings = dict(DEFAULTS)  # the images' own settings
    photo, logo = profiles(settings)
    folder = tmp_path / "orgs/alfa/fotos"
    folder.mkdir(parents=True)
    sources = []
    for number in range(12):
        source = folder / f"foto-{number:02d}.jpg"
        source.write_bytes(phone_photo(1600 + number, 1200))
        sources.append(source)
    cache = tmp_path / "cache"

    ahead.start(lambda: ([(sources[0], photo)], None), cache)
    deadline = time.monotonic() + 60
    while not any(cache.glob("*/prepared.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ahead.finish() == 1
    made, entry, found = prepare(sources[0], photo, cache)
    assert found and (entry / "-960.webp").is_file() and made.width == 960

    ahead.start(lambda: ([(source, photo) for source in sources], None), cache)
    time.sleep(0.3)
    stopped = ahead.finish()
    assert stopped < len(sources) - 1  # stopped early, not after every image
    assert not list(cache.glob("*.partial"))
    assert len(list(cache.glob("*/prepared.json"))) == 1 + stopped
    assert ahead.finish() == 0  # nothing left running


def test_the_images_made_ahead_are_those_of_the_static_folders_with_their_profile(tmp_path):
    from images import FORMATS, ahead, profiles

    settings = dict(DEFAULTS)  # the images' own settings
    settings |= {"PATH": str(tmp_path), "STATIC_PATHS": ["orgs", "content/images"]}
    photo, logo = profiles(settings)
    (tmp_path / "orgs/alfa/fotos").mkdir(parents=True)
    (tmp_path / "orgs/alfa/org.yaml").write_text(org_card("Alfa") + "logo: logo.png\n")
    (tmp_path / "orgs/beta").mkdir()
    (tmp_path / "orgs/beta/org.yaml").write_text("name: [roto")  # the check reports it
    for name in ("orgs/alfa/logo.png", "orgs/alfa/fotos/a.JPG", "orgs/beta/b.webp"):
        (tmp_path / name).write_bytes(b"not read here")
    (tmp_path / "orgs/alfa/nota.md").write_text("no image")
    (tmp_path / "elsewhere.png").write_bytes(b"outside")
    os.symlink(tmp_path / "elsewhere.png", tmp_path / "orgs/alfa/robada.png")
    os.symlink(tmp_path, tmp_path / "orgs/alfa/todo")  # a linked folder is not entered
    jobs = ahead.images_of(settings, photo, logo, FORMATS)
    assert [(path.relative_to(tmp_path).as_posix(), made) for path, made in jobs] == [
        ("orgs/alfa/logo.png", logo),
        ("orgs/alfa/fotos/a.JPG", photo),
        ("orgs/beta/b.webp", photo),
    ]


def test_a_cold_build_serves_the_images_made_ahead(build_fixture, tmp_path):
    files = {
        "orgs/alfa/org.yaml": org_card("Colectivo Alfa") + "logo: logo.png\n",
        "orgs/alfa/logo.png": transparent_png(256, 128),
        "orgs/alfa/marcha.md": article(
            "Marcha", extra="image: fotos/marcha.jpg\nimage_alt: La marcha\n"
        ),
        "orgs/alfa/fotos/marcha.jpg": phone_photo(),
    }
    build = build_fixture(files, extra=("--verbose",))
    assert build.returncode == 0, build.log
    counted = re.search(r"images: (\d+) processed \((\d+) of them while", build.log)
    assert counted and int(counted.group(1)) == 2, build.log[-2000:]
    logo = build.output / "orgs/alfa/logo.png"
    with Image.open(logo) as image:
        assert image.size == (128, 64)  # made with the logo's profile, whoever made it
    with Image.open(build.output / "orgs/alfa/fotos/marcha-960.webp") as image:
        assert image.size[0] == 960


def test_the_webp_effort_is_a_setting_and_part_of_the_cache_key():
    from images import profiles

    settings = dict(DEFAULTS)  # the images' own settings
    photo, logo = profiles(settings)
    quick, quick_logo = profiles({**settings, "IMAGE_WEBP_METHOD": 2})
    assert (photo.webp_method, logo.webp_method, quick_logo.webp_method) == (4, 4, 2)
    # Another effort is another cache entry, and other bytes.
    source = phone_photo(1600, 1200)
    assert cache_key(source, photo) != cache_key(source, quick)
    default, quicker = make(source, photo)[0], make(source, quick)[0]
    assert default["-960.webp"] != quicker["-960.webp"]
    assert default["fallback"] == quicker["fallback"]  # the JPEG is the same
