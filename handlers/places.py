"""Where a person is: the plant's area for a location, or for an area's name or code."""

from __future__ import annotations

from core.geo import GeoPoint, distance_m
from core.plant import Plant


def distance_from_site_m(plant: Plant, point: GeoPoint) -> float:
    return distance_m(point, GeoPoint(plant.site.lat, plant.site.lon))


def area_at(plant: Plant, point: GeoPoint) -> str | None:
    """The area of the nearest checkpoint, if the point lies on the site at all."""
    if not point.is_valid() or distance_from_site_m(plant, point) > plant.site.radius_m:
        return None
    nearest = min(
        plant.checkpoints, key=lambda c: distance_m(point, GeoPoint(c.lat, c.lon)), default=None
    )
    return nearest.area if nearest else None


def area_by_text(plant: Plant, text: str) -> str | None:
    for area in plant.areas:
        if text.upper() == area.id or text in (area.name, area.name_en):
            return area.id
    return None
