"""What makes two photos the same photo: identical bytes, or a near-identical picture.

A photo's print pairs the SHA-256 of its bytes with a 64-bit difference hash (dHash) of its
picture, computed by the photo store (storage/photo_hash.py). Identical bytes are the same
photo, whatever they show. Pictures are the same photo when their hashes differ in at most
`NEAR` bits: a photo forwarded, re-compressed or scaled by a chat app keeps its hash within a
few bits, and two photos of the same hazard from the same spot come close too — which, for
hazard reports, is the point. A picture too plain to tell apart (a uniform surface: every
such picture hashes alike) has no hash, and only its bytes can match.
"""

from __future__ import annotations

from dataclasses import dataclass

BITS = 64
# The hash is looked up by eight bands of eight bits: each differing bit spoils at most one
# band, so hashes d bits apart agree on at least 8 - d whole bands (pigeonhole), and a
# lookup by equal bands misses no match.
BANDS = 8
BAND_BITS = BITS // BANDS
# Most bits two pictures of the same photo differ by. A JPEG at quality 60, or scaled to a
# third, moves a hash by 0–3 bits; unrelated pictures differ by 16 or more
# (tests/unit/storage/test_photo_hash.py measures both).
NEAR = 6
# Two hashes at most NEAR bits apart share at least this many whole bands, so a lookup may
# ask for two: one shared band is common by chance, two are rare.
SHARED_BANDS = BANDS - NEAR


@dataclass(frozen=True)
class PhotoPrint:
    """A photo's SHA-256 and its difference hash (None: too plain to compare by picture)."""

    sha256: str
    dhash: int | None = None

    def bands(self) -> tuple[int, ...] | None:
        """The hash's bands, the most significant first; None without a hash."""
        if self.dhash is None:
            return None
        mask = (1 << BAND_BITS) - 1
        return tuple((self.dhash >> (BITS - BAND_BITS * (i + 1))) & mask for i in range(BANDS))


def distance(a: int, b: int) -> int:
    """How many bits two hashes differ by (their Hamming distance)."""
    return (a ^ b).bit_count()


def same_photo(a: PhotoPrint, b: PhotoPrint) -> bool:
    """Identical bytes, or pictures whose hashes are at most `NEAR` bits apart."""
    if a.sha256 == b.sha256:
        return True
    return a.dhash is not None and b.dhash is not None and distance(a.dhash, b.dhash) <= NEAR
