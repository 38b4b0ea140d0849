"""Photos with something in them, for tests of the perceptual hash.

A uniform picture has no hash (storage/photo_hash.py), so the solid colours most tests
send never match each other by picture; these do, when they are meant to.
"""

from __future__ import annotations

import functools
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


@functools.cache
def scene(seed: int, size: tuple[int, int] = (1024, 768)) -> Image.Image:
    """A made-up site: shapes of many colours over a noisy ground, softened like a lens
    (kept: drawing one takes a while, and nobody changes it)."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        box = (x, y, x + rnd.randrange(30, 400), y + rnd.randrange(30, 400))
        colour = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=colour)
    noise = Image.effect_noise(size, 30).convert("RGB")
    return Image.blend(image, noise, 0.15).filter(ImageFilter.GaussianBlur(2))


def jpeg(image: Image.Image, *, quality: int = 92, scale: float = 1.0) -> bytes:
    """The picture as a chat app passes it on: scaled, then compressed."""
    if scale != 1.0:
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def scene_file(path: Path, seed: int, *, quality: int = 92, scale: float = 1.0) -> Path:
    path.write_bytes(jpeg(scene(seed), quality=quality, scale=scale))
    return path
