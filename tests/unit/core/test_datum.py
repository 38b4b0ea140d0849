"""WGS-84 ↔ GCJ-02 conversion against published point pairs."""

from __future__ import annotations

import pytest

from core.datum import gcj02_to_wgs84, out_of_china, to_wgs84, wgs84_to_gcj02
from core.geo import GeoPoint, distance_m

# (name, wgs_lat, wgs_lon, gcj_lat, gcj_lon) as published with the eviltransform
# reference implementation (python/test.py) and wandergis/coordtransform (test/app.js).
PUBLISHED = [
    ("shanghai", 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    ("shenzhen", 22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    ("beijing", 39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    ("beijing-tiananmen-area", 39.915, 116.404, 39.91640428150164, 116.41024449916938),
]

OUTSIDE = [
    ("tokyo", 35.6812, 139.7671),
    ("london", 51.5007, -0.1246),
    ("sydney", -33.8568, 151.2153),
]


@pytest.mark.parametrize(("name", "wlat", "wlon", "glat", "glon"), PUBLISHED)
def test_wgs84_to_gcj02_matches_the_published_pairs(
    name: str, wlat: float, wlon: float, glat: float, glon: float
) -> None:
    lat, lon = wgs84_to_gcj02(wlat, wlon)
    assert lat == pytest.approx(glat, abs=1e-8)
    assert lon == pytest.approx(glon, abs=1e-8)


@pytest.mark.parametrize(("name", "wlat", "wlon", "glat", "glon"), PUBLISHED)
def test_gcj02_to_wgs84_recovers_the_published_point_within_half_a_metre(
    name: str, wlat: float, wlon: float, glat: float, glon: float
) -> None:
    lat, lon = gcj02_to_wgs84(glat, glon)
    assert distance_m(GeoPoint(lat, lon), GeoPoint(wlat, wlon)) < 0.5


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(31.3, 120.6), (45.75, 126.65), (23.13, 113.26), (29.56, 106.55), (43.8, 87.6)],
)
def test_a_round_trip_through_gcj02_lands_within_half_a_metre(lat: float, lon: float) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon))
    assert distance_m(GeoPoint(*back), GeoPoint(lat, lon)) < 0.5


@pytest.mark.parametrize(("name", "wlat", "wlon", "glat", "glon"), PUBLISHED)
def test_the_offset_inside_china_is_a_few_hundred_metres(
    name: str, wlat: float, wlon: float, glat: float, glon: float
) -> None:
    shift = distance_m(GeoPoint(wlat, wlon), GeoPoint(*wgs84_to_gcj02(wlat, wlon)))
    assert 100.0 < shift < 1000.0


@pytest.mark.parametrize(("name", "lat", "lon"), OUTSIDE)
def test_outside_china_both_directions_are_the_identity(name: str, lat: float, lon: float) -> None:
    assert out_of_china(lat, lon)
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)


def test_to_wgs84_converts_a_gcj02_point_and_keeps_its_accuracy() -> None:
    _, wlat, wlon, glat, glon = PUBLISHED[0]
    point = to_wgs84(GeoPoint(glat, glon, accuracy_m=15.0), "gcj02")
    assert distance_m(point, GeoPoint(wlat, wlon)) < 0.5
    assert point.accuracy_m == 15.0


def test_to_wgs84_returns_a_wgs84_point_unchanged() -> None:
    point = GeoPoint(31.3, 120.6, accuracy_m=5.0)
    assert to_wgs84(point, "wgs84") == point


def test_to_wgs84_rejects_an_unknown_datum() -> None:
    with pytest.raises(ValueError, match="bd09"):
        to_wgs84(GeoPoint(31.3, 120.6), "bd09")
