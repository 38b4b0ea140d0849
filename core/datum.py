"""WGS-84 ↔ GCJ-02 ("Mars coordinates") conversion, the public eviltransform algorithm."""

from __future__ import annotations

import math

from core.geo import GeoPoint

# GCJ-02 is defined on the Krasovsky 1940 ellipsoid.
_A = 6378245.0
_EE = 0.00669342162296594323

# The rough bounding box the algorithm treats as "China"; outside it GCJ-02 equals WGS-84.
_MIN_LON, _MAX_LON = 72.004, 137.8347
_MIN_LAT, _MAX_LAT = 0.8293, 55.8271

# 1e-9 degrees is about 0.1 mm, far below the 0.5 m we promise.
_INVERSE_TOLERANCE_DEG = 1e-9
_INVERSE_MAX_STEPS = 30

DATUMS = frozenset({"wgs84", "gcj02"})


def out_of_china(lat: float, lon: float) -> bool:
    """True where the GCJ-02 offset is zero."""
    return not (_MIN_LON <= lon <= _MAX_LON and _MIN_LAT <= lat <= _MAX_LAT)


def _offset_terms(x: float, y: float) -> tuple[float, float]:
    """The obfuscation polynomials, in metres-ish units, for x = lon-105, y = lat-35."""
    xp, yp = x * math.pi, y * math.pi
    ripple = (20.0 * math.sin(6.0 * xp) + 20.0 * math.sin(2.0 * xp)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += ripple
    dlat += (20.0 * math.sin(yp) + 40.0 * math.sin(yp / 3.0)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(yp / 12.0) + 320.0 * math.sin(yp / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += ripple
    dlon += (20.0 * math.sin(xp) + 40.0 * math.sin(xp / 3.0)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(xp / 12.0) + 300.0 * math.sin(xp / 30.0)) * 2.0 / 3.0
    return dlat, dlon


def _delta(lat: float, lon: float) -> tuple[float, float]:
    """The GCJ-02 offset in degrees at a WGS-84 point."""
    dlat, dlon = _offset_terms(lon - 105.0, lat - 35.0)
    rad_lat = math.radians(lat)
    magic = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return dlat, dlon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """Shift a WGS-84 coordinate to GCJ-02 (identity outside mainland China)."""
    if out_of_china(lat, lon):
        return lat, lon
    dlat, dlon = _delta(lat, lon)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """Invert wgs84_to_gcj02 by fixed-point iteration, to well under 0.5 m."""
    if out_of_china(lat, lon):
        return lat, lon
    # The offset varies slowly (a few hundred metres over hundreds of km), so correcting
    # the guess by the residual converges in a handful of steps.
    w_lat, w_lon = lat, lon
    for _ in range(_INVERSE_MAX_STEPS):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        r_lat, r_lon = lat - g_lat, lon - g_lon
        w_lat, w_lon = w_lat + r_lat, w_lon + r_lon
        if abs(r_lat) < _INVERSE_TOLERANCE_DEG and abs(r_lon) < _INVERSE_TOLERANCE_DEG:
            break
    return w_lat, w_lon


def to_wgs84(point: GeoPoint, datum: str) -> GeoPoint:
    """Return the point in WGS-84, given the datum ("wgs84" or "gcj02") it was reported in."""
    if datum == "wgs84":
        return point
    if datum == "gcj02":
        lat, lon = gcj02_to_wgs84(point.lat, point.lon)
        return GeoPoint(lat=lat, lon=lon, accuracy_m=point.accuracy_m)
    raise ValueError(f"unknown datum {datum!r}; expected one of {sorted(DATUMS)}")
