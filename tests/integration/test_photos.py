"""The photo store on a real disk, with images drawn by Pillow in each test."""

from __future__ import annotations

import hashlib
import io
import struct
import tracemalloc
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import ExifTags, Image, TiffImagePlugin

from core.geo import GeoPoint
from core.photos import PhotoProblem, PhotoRejected
from storage.photos import FilePhotoStore

GPS = ExifTags.GPS


def encode(im: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    """Image bytes in the given format."""
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def noise(size: tuple[int, int]) -> Image.Image:
    """An image that compresses badly, so its file is long enough to cut in half."""
    return Image.frombytes("RGB", size, hashlib.shake_256(b"seed").digest(size[0] * size[1] * 3))


def gps_exif(
    lat: tuple[object, ...], lat_ref: str, lon: tuple[object, ...], lon_ref: str
) -> Image.Exif:
    """EXIF carrying a GPS IFD, as a phone camera writes it."""
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef], gps[GPS.GPSLatitude] = lat_ref, lat
    gps[GPS.GPSLongitudeRef], gps[GPS.GPSLongitude] = lon_ref, lon
    return exif


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given size; its pixel data is empty."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def files_under(root: Path) -> list[Path]:
    """Every file the store wrote."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def store(tmp_path: Path) -> FilePhotoStore:
    return FilePhotoStore(tmp_path / "media")


def test_a_jpeg_is_kept_as_sent_and_as_a_chat_copy_under_its_sha(store: FilePhotoStore) -> None:
    data = encode(Image.new("RGB", (64, 48), "blue"))
    photo = store.store(data)
    sha = hashlib.sha256(data).hexdigest()
    assert photo.sha256 == sha
    assert (photo.width, photo.height, photo.format) == (64, 48, "JPEG")
    assert store.path(sha, "orig").relative_to(store.path(sha, "orig").parents[1]) == Path(
        sha[:2], f"{sha}.orig"
    )
    assert store.path(sha, "chat").name == f"{sha}.jpg"
    assert store.read(sha, "orig") == data
    assert store.exists(sha)
    with Image.open(io.BytesIO(store.read(sha))) as chat:
        assert (chat.format, chat.mode, chat.size) == ("JPEG", "RGB", (64, 48))


def test_gps_in_the_north_east_is_read_as_positive_decimal_degrees(store: FilePhotoStore) -> None:
    exif = gps_exif((31.0, 19.0, 4.8), "N", (120.0, 43.0, 8.4), "E")
    photo = store.store(encode(Image.new("RGB", (32, 32)), exif=exif))
    assert photo.gps is not None
    assert photo.gps.lat == pytest.approx(31.3180, abs=1e-6)
    assert photo.gps.lon == pytest.approx(120.7190, abs=1e-6)
    assert photo.gps.accuracy_m is None


def test_gps_in_the_south_west_is_read_as_negative_degrees(store: FilePhotoStore) -> None:
    exif = gps_exif((33.0, 52.0, 4.2), "S", (151.0, 12.0, 36.0), "W")
    exif.get_ifd(ExifTags.IFD.GPSInfo)[GPS.GPSHPositioningError] = 6.5
    photo = store.store(encode(Image.new("RGB", (32, 32)), exif=exif))
    assert photo.gps == GeoPoint(
        pytest.approx(-(33 + 52 / 60 + 4.2 / 3600)),  # type: ignore[arg-type]
        pytest.approx(-(151 + 12 / 60 + 36 / 3600)),  # type: ignore[arg-type]
        6.5,
    )


@pytest.mark.parametrize(
    "exif",
    [
        gps_exif((31.0, 19.0, 4.8), "X", (120.0, 43.0, 8.4), "E"),
        gps_exif((31.0, 75.0, 4.8), "N", (120.0, 43.0, 8.4), "E"),
        gps_exif((95.0, 0.0, 0.0), "N", (120.0, 43.0, 8.4), "E"),
        gps_exif((TiffImagePlugin.IFDRational(31, 0), 19.0, 4.8), "N", (120.0, 43.0, 8.4), "E"),
        gps_exif((0.0, 0.0, 0.0), "N", (0.0, 0.0, 0.0), "E"),
    ],
    ids=["bad-reference", "minutes-over-60", "latitude-over-90", "zero-denominator", "null-island"],
)
def test_malformed_or_zero_gps_gives_no_position_and_no_error(
    store: FilePhotoStore, exif: Image.Exif
) -> None:
    photo = store.store(encode(Image.new("RGB", (32, 32)), exif=exif))
    assert photo.gps is None
    assert store.exists(photo.sha256)


def test_taken_at_is_aware_only_when_exif_gives_an_offset(store: FilePhotoStore) -> None:
    exif = Image.Exif()
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = "2024:05:06 07:08:09"
    naive = store.store(encode(Image.new("RGB", (8, 8)), exif=exif))
    sub[ExifTags.Base.OffsetTimeOriginal] = "+08:00"
    aware = store.store(encode(Image.new("RGB", (8, 8)), exif=exif))
    assert naive.taken_at is None
    assert aware.taken_at == datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=8)))


def test_orientation_six_swaps_width_and_height_in_the_chat_copy(store: FilePhotoStore) -> None:
    im = Image.new("RGB", (400, 200), "white")
    im.paste((255, 0, 0), (0, 0, 200, 200))  # red on the left of the sensor = top once upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    photo = store.store(encode(im, exif=exif))
    assert (photo.width, photo.height) == (200, 400)
    with Image.open(io.BytesIO(store.read(photo.sha256))) as chat:
        assert chat.size == (200, 400)
        red, green, blue = chat.convert("RGB").getpixel((100, 50))  # type: ignore[misc]
        assert red > 200 and green < 60 and blue < 60


def test_the_chat_copy_has_no_metadata_and_fits_the_chat_size(tmp_path: Path) -> None:
    store = FilePhotoStore(tmp_path, chat_max_side=320)
    exif = gps_exif((31.0, 19.0, 4.8), "N", (120.0, 43.0, 8.4), "E")
    data = encode(noise((1000, 600)), exif=exif, xmp=b"<x:xmpmeta>gps</x:xmpmeta>", comment=b"hi")
    photo = store.store(data)
    chat_bytes = store.read(photo.sha256, "chat")
    assert b"Exif\x00\x00" not in chat_bytes and b"xmpmeta" not in chat_bytes
    with Image.open(io.BytesIO(chat_bytes)) as chat:
        assert not chat.getexif()
        assert {"exif", "xmp", "comment"}.isdisjoint(chat.info)
        assert max(chat.size) == 320
        assert chat.size == (320, 192)
    assert store.read(photo.sha256, "orig") == data  # the original keeps its GPS for the record


def test_a_png_is_accepted_and_transparency_becomes_white(store: FilePhotoStore) -> None:
    photo = store.store(encode(Image.new("RGBA", (30, 20), (0, 0, 0, 0)), "PNG"))
    assert (photo.width, photo.height, photo.format) == (30, 20, "PNG")
    with Image.open(io.BytesIO(store.read(photo.sha256))) as chat:
        assert all(c > 240 for c in chat.getpixel((15, 10)))  # type: ignore[union-attr]


def test_the_first_frame_of_an_animated_gif_is_accepted(store: FilePhotoStore) -> None:
    frames = [Image.new("RGB", (16, 16), colour) for colour in ("red", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    photo = store.store(data)
    assert photo.format == "GIF"
    with Image.open(io.BytesIO(store.read(photo.sha256))) as chat:
        red, _, blue = chat.getpixel((8, 8))  # type: ignore[misc]
        assert red > 200 and blue < 60


def test_text_is_not_an_image(store: FilePhotoStore, tmp_path: Path) -> None:
    with pytest.raises(PhotoRejected) as refused:
        store.store("隐患：配电柜门未关".encode())
    assert refused.value.reason is PhotoProblem.NOT_AN_IMAGE
    assert files_under(tmp_path / "media") == []


def test_bytes_over_max_bytes_are_too_large(tmp_path: Path) -> None:
    store = FilePhotoStore(tmp_path, max_bytes=1000)
    with pytest.raises(PhotoRejected) as refused:
        store.store(encode(noise((100, 100)), "PNG"))
    assert refused.value.reason is PhotoProblem.TOO_LARGE
    assert files_under(tmp_path) == []


def test_a_sparse_200_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "big.jpg"
    with big.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    store = FilePhotoStore(tmp_path / "media")
    tracemalloc.start()
    try:
        with pytest.raises(PhotoRejected) as refused:
            store.store_file(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.reason is PhotoProblem.TOO_LARGE
    assert peak < 1024 * 1024  # reading even the first 20 MB would show here
    assert files_under(tmp_path / "media") == []


def test_a_small_file_on_disk_is_stored_like_its_bytes(
    store: FilePhotoStore, tmp_path: Path,
) -> None:
    data = encode(Image.new("RGB", (20, 10)), "PNG")
    (tmp_path / "photo.png").write_bytes(data)
    assert store.store_file(tmp_path / "photo.png") == store.store(data)


@pytest.mark.parametrize(
    ("width", "height"),
    [(50_000, 50_000), (10_000, 10_000)],
    ids=["beyond-pillows-hard-limit", "inside-pillows-warning-zone"],
)
def test_a_png_header_claiming_too_many_pixels_is_refused_before_decoding(
    store: FilePhotoStore, tmp_path: Path, width: int, height: int
) -> None:
    # Decoding would need gigabytes and then fail as "broken": the reason proves the header check.
    with pytest.raises(PhotoRejected) as refused:
        store.store(png_header(width, height))
    assert refused.value.reason is PhotoProblem.TOO_MANY_PIXELS
    assert files_under(tmp_path / "media") == []


def test_more_pixels_than_configured_is_too_many_pixels(tmp_path: Path) -> None:
    store = FilePhotoStore(tmp_path, max_pixels=100 * 100 - 1)
    with pytest.raises(PhotoRejected) as refused:
        store.store(encode(Image.new("RGB", (100, 100)), "PNG"))
    assert refused.value.reason is PhotoProblem.TOO_MANY_PIXELS


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_photo_is_broken(store: FilePhotoStore, tmp_path: Path, fmt: str) -> None:
    # PNG matters: reading its EXIF may decode pixels early, and that failure must not be lost.
    data = encode(noise((300, 300)), fmt)
    with pytest.raises(PhotoRejected) as refused:
        store.store(data[: len(data) // 2])
    assert refused.value.reason is PhotoProblem.BROKEN
    assert files_under(tmp_path / "media") == []


def test_an_image_format_other_than_the_photo_formats_is_unsupported(store: FilePhotoStore) -> None:
    with pytest.raises(PhotoRejected) as refused:
        store.store(encode(Image.new("RGB", (10, 10)), "BMP"))
    assert refused.value.reason is PhotoProblem.UNSUPPORTED


@pytest.mark.skipif(
    "HEIF" in Image.registered_extensions().values(), reason="a HEIF decoder is installed"
)
def test_a_heic_photo_without_a_heif_decoder_is_unsupported(store: FilePhotoStore) -> None:
    with pytest.raises(PhotoRejected) as refused:
        store.store(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    assert refused.value.reason is PhotoProblem.UNSUPPORTED


def test_storing_the_same_bytes_twice_keeps_one_copy_and_one_sha(
    store: FilePhotoStore, tmp_path: Path
) -> None:
    data = encode(Image.new("RGB", (40, 40), "green"))
    first = store.store(data)
    written = {p: p.stat().st_mtime_ns for p in files_under(tmp_path / "media")}
    second = store.store(data)
    assert first == second
    assert len(written) == 3  # the original, its chat copy and its print (….dhash)
    assert {p: p.stat().st_mtime_ns for p in files_under(tmp_path / "media")} == written


@pytest.mark.parametrize(
    "sha",
    ["", "ab", "../" * 21 + "x", "g" * 64, "a" * 63, "a" * 65, "a" * 63 + "/", "a" * 64 + "\n"],
)
def test_a_sha_that_is_not_64_hex_characters_is_a_value_error(
    store: FilePhotoStore, sha: str,
) -> None:
    with pytest.raises(ValueError, match="sha256"):
        store.read(sha)
    with pytest.raises(ValueError, match="sha256"):
        store.exists(sha)


def test_reading_a_photo_that_is_not_stored_is_file_not_found(store: FilePhotoStore) -> None:
    with pytest.raises(FileNotFoundError):
        store.read("0" * 64, "orig")
