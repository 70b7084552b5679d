"""Content images are re-encoded: no metadata, no hidden payload, nothing from outside."""

from __future__ import annotations

import io
import os

from conftest import article, org_card
from PIL import Image, PngImagePlugin

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
