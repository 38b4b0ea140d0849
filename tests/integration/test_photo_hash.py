"""The perceptual hash (storage/photo_hash.py) and the print the photo store keeps with each
photo: a photo passed on by a chat app still matches, another photo does not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from core.photo_prints import NEAR, PhotoPrint, distance, same_photo
from storage.photo_hash import dhash, dhash_of_jpeg
from storage.photos import FilePhotoStore
from tests.scenes import jpeg, scene

SEEDS = range(8)


@pytest.fixture
def store(tmp_path: Path) -> FilePhotoStore:
    return FilePhotoStore(tmp_path / "media")


def test_a_photo_recompressed_at_quality_60_and_resized_still_matches(
    store: FilePhotoStore,
) -> None:
    for seed in SEEDS:
        picture = scene(seed)
        sent = store.fingerprint(store.store(jpeg(picture)).sha256)
        for quality, scale in ((60, 1.0), (60, 0.5), (60, 0.3), (40, 0.75)):
            again = store.fingerprint(store.store(jpeg(picture, quality=quality,
                                                       scale=scale)).sha256)
            assert again.sha256 != sent.sha256  # other bytes: only the picture can match
            assert sent.dhash is not None and again.dhash is not None
            assert distance(sent.dhash, again.dhash) <= NEAR, (seed, quality, scale)
            assert same_photo(sent, again)


def test_a_different_photo_does_not_match(store: FilePhotoStore) -> None:
    prints = [store.fingerprint(store.store(jpeg(scene(seed))).sha256) for seed in SEEDS]
    for i, one in enumerate(prints):
        for other in prints[i + 1:]:
            assert one.dhash is not None and other.dhash is not None
            assert distance(one.dhash, other.dhash) > 2 * NEAR
            assert not same_photo(one, other)


def test_plain_pictures_have_no_hash_and_match_only_by_their_bytes(
    store: FilePhotoStore,
) -> None:
    red, blue = (store.fingerprint(store.store(jpeg(Image.new("RGB", (640, 480), colour))).sha256)
                 for colour in ((200, 40, 40), (40, 40, 200)))
    assert red.dhash is None and blue.dhash is None
    assert not same_photo(red, blue)
    assert same_photo(red, PhotoPrint(red.sha256))


def test_the_bits_are_row_by_row_a_one_where_the_right_neighbour_is_brighter() -> None:
    # A thumbnail already 9×8: rows brightening to the right, then darkening, in turn.
    thumbnail = Image.new("L", (9, 8))
    thumbnail.putdata([20 * c if r % 2 == 0 else 200 - 20 * c for r in range(8) for c in range(9)])
    assert dhash(thumbnail) == 0xFF00_FF00_FF00_FF00
    assert PhotoPrint("x", 0xFF00_FF00_FF00_FF00).bands() == (0xFF, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0)


def test_the_print_is_kept_beside_the_photo_and_worked_out_again_when_missing(
    store: FilePhotoStore, tmp_path: Path,
) -> None:
    sha = store.store(jpeg(scene(3))).sha256
    kept = next((tmp_path / "media").rglob("*.dhash"))
    first = store.fingerprint(sha)
    assert kept.read_text("ascii") == f"{first.dhash:016x}"
    kept.unlink()  # a photo stored before prints were kept
    assert store.fingerprint(sha) == first and kept.is_file()
    kept.write_text("garbage", "ascii")  # a damaged print is worked out again too
    assert store.fingerprint(sha) == first


def test_a_photo_not_stored_has_no_print(store: FilePhotoStore) -> None:
    with pytest.raises(FileNotFoundError):
        store.fingerprint("ab" * 32)


def test_hashing_a_jpeg_decodes_a_small_draft_and_agrees_with_a_full_decode() -> None:
    for seed in SEEDS:
        data = jpeg(scene(seed).resize((1280, 960)), quality=85)
        full = dhash(Image.open(io.BytesIO(data)))
        drafted = dhash_of_jpeg(data)
        assert full is not None and drafted is not None
        assert distance(full, drafted) <= 2
