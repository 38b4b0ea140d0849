"""Content-addressed photo store: originals kept as sent, metadata-free chat copies beside them.

Implements `core.ports.PhotoStore`; its refusals and results are the domain's (`core.photos`).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import stat
import threading
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from PIL import ExifTags, Image, UnidentifiedImageError

from core.geo import GeoPoint
from core.photo_prints import PhotoPrint
from core.photos import PhotoProblem, PhotoRejected, StoredPhoto
from storage import photo_hash
from storage.files import write_atomic

Variant = Literal["orig", "chat"]

_SUFFIXES: dict[str, str] = {"orig": ".orig", "chat": ".jpg"}
# The chat copy's difference hash (storage/photo_hash.py), kept beside the photo.
_PRINT_SUFFIX = ".dhash"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
# Pillow calls the JPEGs many phones write "MPO" (a JPEG plus preview frames); callers see JPEG.
_FORMATS: dict[str, str] = {f: f for f in ("JPEG", "PNG", "WEBP", "GIF", "HEIF")} | {"MPO": "JPEG"}
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
# The same table as ImageOps.exif_transpose, which we do not call: its EXIF rewrite can fail on
# malformed tags, and the chat copy drops all metadata anyway.
_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")
# catch_warnings swaps process-wide state; serialise our own uses so they cannot interleave.
_WARNINGS_LOCK = threading.Lock()


class FilePhotoStore:
    """Photos on disk under root/ab/abcdef….{orig,jpg}, named by the SHA-256 of the original,
    each with its difference hash beside it (….dhash, storage/photo_hash.py)."""

    def __init__(
        self,
        root: Path,
        *,
        max_bytes: int = 20 * 1024 * 1024,
        max_pixels: int = 40_000_000,
        chat_max_side: int = 1280,
    ) -> None:
        if min(max_bytes, max_pixels, chat_max_side) <= 0:
            raise ValueError("photo store limits must be positive")
        self._root = root
        self._max_bytes = max_bytes
        self._max_pixels = max_pixels
        self._chat_max_side = chat_max_side

    def store_file(self, path: Path) -> StoredPhoto:
        """Store the photo in a file, refusing an oversized one before reading a byte of it."""
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise PhotoRejected(PhotoProblem.NOT_AN_IMAGE)
        if info.st_size > self._max_bytes:
            raise PhotoRejected(PhotoProblem.TOO_LARGE)
        with path.open("rb") as f:
            # The file may have grown since stat: read at most one byte past the limit.
            data = f.read(self._max_bytes + 1)
        return self.store(data)

    def store(self, data: bytes) -> StoredPhoto:
        """Check, describe and keep a photo; storing the same bytes again writes nothing."""
        if len(data) > self._max_bytes:
            raise PhotoRejected(PhotoProblem.TOO_LARGE)
        sha = hashlib.sha256(data).hexdigest()
        with _open(data) as im:
            fmt = _FORMATS.get(im.format or "")
            if fmt is None:
                raise PhotoRejected(PhotoProblem.UNSUPPORTED)
            # Only the header has been read so far: refuse bombs before any pixel is decoded.
            if im.width * im.height > self._max_pixels:
                raise PhotoRejected(PhotoProblem.TOO_MANY_PIXELS)
            exif = _exif(im)
            orientation = exif.get(ExifTags.Base.Orientation)
            width, height = im.size
            if orientation in (5, 6, 7, 8):
                width, height = height, width
            photo = StoredPhoto(sha, width, height, fmt, _gps(exif), _taken_at(exif))
            if self.exists(sha):
                return photo
            chat = _chat_jpeg(im, orientation, self._chat_max_side)
        folder = self._root / sha[:2]
        folder.mkdir(parents=True, exist_ok=True)
        # Original last: its presence is what says the pair is complete.
        write_atomic(self.path(sha, "chat"), chat)
        write_atomic(self._print_path(sha), _print_bytes(photo_hash.dhash_of_jpeg(chat)))
        write_atomic(self.path(sha, "orig"), data)
        return photo

    def fingerprint(self, sha256: str) -> PhotoPrint:
        """The photo's print, as kept when it was stored; for a photo stored before prints
        were kept, worked out from its chat copy now and kept. FileNotFoundError when the
        photo is not stored."""
        kept = self._print_path(sha256)
        try:
            return PhotoPrint(sha256.lower(), photo_hash.from_text(kept.read_text("ascii")))
        except (FileNotFoundError, ValueError, UnicodeDecodeError):
            pass  # not kept yet, or damaged: the chat copy says it again
        value = photo_hash.dhash_of_jpeg(self.read(sha256, "chat"))
        write_atomic(kept, _print_bytes(value))
        return PhotoPrint(sha256.lower(), value)

    def _print_path(self, sha256: str) -> Path:
        return self.path(sha256, "chat").with_suffix(_PRINT_SUFFIX)

    def read(self, sha256: str, variant: Variant = "chat") -> bytes:
        """Bytes of a stored photo; FileNotFoundError if it is not stored."""
        return self.path(sha256, variant).read_bytes()

    def path(self, sha256: str, variant: Variant = "chat") -> Path:
        """Where a variant of a photo lives; ValueError unless sha256 is 64 hex characters."""
        if not isinstance(sha256, str) or _SHA256.fullmatch(sha256) is None:
            raise ValueError("sha256 must be 64 hexadecimal characters")
        if variant not in _SUFFIXES:
            raise ValueError(f"unknown photo variant {variant!r}")
        sha = sha256.lower()
        return self._root / sha[:2] / f"{sha}{_SUFFIXES[variant]}"

    def exists(self, sha256: str) -> bool:
        """Whether both the original and its chat copy are stored."""
        return self.path(sha256, "orig").is_file() and self.path(sha256, "chat").is_file()


def _print_bytes(value: int | None) -> bytes:
    return photo_hash.as_text(value).encode("ascii")


def _open(data: bytes) -> Image.Image:
    """Open from the header only, mapping Pillow's failures onto our reasons."""
    try:
        # Pillow's own bomb guard warns through the global warnings filters; we enforce
        # max_pixels right after opening, so its warning is noise here (its hard error is not).
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise PhotoRejected(PhotoProblem.TOO_MANY_PIXELS) from exc
    except UnidentifiedImageError as exc:
        # A phone's HEIC photo is a photo we cannot read, not garbage: say so.
        heif = data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS
        raise PhotoRejected(
            PhotoProblem.UNSUPPORTED if heif else PhotoProblem.NOT_AN_IMAGE
        ) from exc
    except Exception as exc:  # plugins raise many types on a damaged header
        raise PhotoRejected(PhotoProblem.BROKEN) from exc


def _exif(im: Image.Image) -> Image.Exif:
    """The image's EXIF, or an empty one when it is missing or unreadable."""
    try:
        return im.getexif()
    except Exception:  # metadata is optional: a damaged block must not lose the photo
        return Image.Exif()


def _chat_jpeg(im: Image.Image, orientation: Any, max_side: int) -> bytes:
    """Upright RGB JPEG no larger than max_side, with no metadata at all (no GPS sent on)."""
    if im.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: same copy, a fraction of the memory.
        im.draft("RGB", (max_side, max_side))
    try:
        im.load()
    except Exception as exc:  # truncated or corrupt data surfaces only when decoding
        raise PhotoRejected(PhotoProblem.BROKEN) from exc
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    upright = im.transpose(method) if method is not None else im
    rgb = _to_rgb(upright)
    rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    rgb.info = {}  # Pillow carries XMP and comments over from info when saving
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _to_rgb(im: Image.Image) -> Image.Image:
    """RGB pixels: transparency over white, 16-bit grey scaled rather than clipped to white."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L"):
        im = im.convert("I").point(lambda v: v / 256).convert("L")
    if "A" in im.getbands() or "transparency" in im.info:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


def _gps(exif: Image.Exif) -> GeoPoint | None:
    """Position from the GPS IFD; None when absent, malformed or the (0, 0) placeholder."""
    try:
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a bad IFD pointer means no position, not a bad photo
        return None
    lat = _degrees(ifd.get(ExifTags.GPS.GPSLatitude), ifd.get(ExifTags.GPS.GPSLatitudeRef), "NS")
    lon = _degrees(ifd.get(ExifTags.GPS.GPSLongitude), ifd.get(ExifTags.GPS.GPSLongitudeRef), "EW")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
        return None
    accuracy = _finite(ifd.get(ExifTags.GPS.GPSHPositioningError))
    return GeoPoint(lat, lon, accuracy if accuracy is not None and accuracy > 0 else None)


def _degrees(value: Any, ref: Any, hemispheres: str) -> float | None:
    """Signed decimal degrees from (deg, min, sec) rationals and an N/S or E/W reference."""
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if not isinstance(ref, str) or not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    sign = {hemispheres[0]: 1.0, hemispheres[1]: -1.0}.get(ref.strip("\x00 ").upper())
    parts = [_finite(v) for v in value]
    if sign is None or any(p is None or p < 0 for p in parts):
        return None
    numbers = [p for p in parts if p is not None]
    if any(p >= 60 for p in numbers[1:]):
        return None
    return sign * sum(p / 60.0**i for i, p in enumerate(numbers))


def _finite(value: Any) -> float | None:
    """A finite float from an EXIF number (IFDRational with a zero denominator is NaN)."""
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def _taken_at(exif: Image.Exif) -> datetime | None:
    """When the photo was taken, only if EXIF also says in which UTC offset."""
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:  # as for GPS: unreadable metadata is absent metadata
        return None
    base = ExifTags.Base
    for stamp, offset in (
        (sub.get(base.DateTimeOriginal), sub.get(base.OffsetTimeOriginal)),
        (sub.get(base.DateTimeDigitized), sub.get(base.OffsetTimeDigitized)),
        (exif.get(base.DateTime), sub.get(base.OffsetTime)),
    ):
        moment = _aware(stamp, offset)
        if moment is not None:
            return moment
    return None


def _aware(stamp: Any, offset: Any) -> datetime | None:
    """Parse "YYYY:MM:DD HH:MM:SS" with "+HH:MM"; None if either is missing or malformed."""
    if not isinstance(stamp, str) or not isinstance(offset, str):
        return None
    match = _OFFSET.fullmatch(offset.strip("\x00 "))
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    try:
        tz = timezone(-delta if sign == "-" else delta)
        return datetime.strptime(stamp.strip("\x00 "), "%Y:%m:%d %H:%M:%S").replace(tzinfo=tz)
    except ValueError:
        return None
