"""The check-in rules: the radius's edge, accuracy, forwarded and stale locations, evidence."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.checkin import (
    Fix,
    PhotoEvidence,
    Refusal,
    Rules,
    checkin_problems,
    judge,
    nearest,
    rules_of,
)
from core.geo import EARTH_RADIUS_M, GeoPoint, distance_m
from core.plant import Checkpoint
from core.round_settings import InspectionSettings
from tests.unit.core.fakes import make_plant

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
GATE = Checkpoint("CP-GATE", "STAMP", 31.31905, 120.71780, radius_m=40)
STORE = Checkpoint("CP-STORE", "STAMP", 31.31940, 120.71855, radius_m=30)
RULES = Rules()


def north_of(place: Checkpoint, metres: float, accuracy: float | None = 8.0) -> GeoPoint:
    """A point `metres` due north of a checkpoint along its meridian (great-circle)."""
    return GeoPoint(place.lat + math.degrees(metres / EARTH_RADIUS_M), place.lon, accuracy)


def east_of(place: Checkpoint, metres: float) -> GeoPoint:
    """A point `metres` east of a checkpoint (along the parallel: a hair more great-circle)."""
    scale = EARTH_RADIUS_M * math.cos(math.radians(place.lat))
    return GeoPoint(place.lat, place.lon + math.degrees(metres / scale), 8.0)


def fix(point: GeoPoint, **how: object) -> Fix:
    return Fix(point, **{"sent_at": NOW, **how})  # type: ignore[arg-type]


def test_a_location_exactly_on_the_radius_is_inside_and_a_hair_beyond_it_is_not() -> None:
    point = north_of(GATE, 40.0)
    edge = distance_m(point, GeoPoint(GATE.lat, GATE.lon))
    assert edge == pytest.approx(40.0, abs=1e-6)
    on_edge = replace(GATE, radius_m=edge)
    assert judge(fix(point), [on_edge], RULES, NOW).accepted
    inside = judge(fix(north_of(GATE, 39.5)), [GATE], RULES, NOW)
    assert inside.accepted and inside.distance_m == pytest.approx(39.5, abs=1e-6)
    beyond = judge(fix(north_of(GATE, 40.5)), [GATE], RULES, NOW)
    assert beyond.refusal is Refusal.TOO_FAR
    assert beyond.checkpoint == GATE and beyond.distance_m == pytest.approx(40.5, abs=1e-6)
    just_over = judge(fix(point), [replace(GATE, radius_m=edge - 0.01)], RULES, NOW)
    assert just_over.refusal is Refusal.TOO_FAR


def test_the_distance_is_great_circle_in_every_direction() -> None:
    for point in (north_of(GATE, 300), east_of(GATE, 300)):
        verdict = judge(fix(point), [GATE], RULES, NOW)
        assert verdict.refusal is Refusal.TOO_FAR
        assert verdict.distance_m == pytest.approx(300, abs=0.01)


def test_the_verdict_is_about_the_nearest_checkpoint_still_to_do() -> None:
    near_store = north_of(STORE, 10)
    verdict = judge(fix(near_store), [GATE, STORE], RULES, NOW)
    assert verdict.accepted and verdict.checkpoint == STORE
    assert verdict.distance_m == pytest.approx(10, abs=1e-6)
    # The store already done: the gate is the nearest left, and too far.
    far = judge(fix(near_store), [GATE], RULES, NOW)
    assert far.refusal is Refusal.TOO_FAR and far.checkpoint == GATE
    assert far.distance_m == pytest.approx(nearest(near_store, [GATE])[1])  # type: ignore[index]


def test_a_forwarded_location_is_refused_even_on_the_spot() -> None:
    verdict = judge(fix(north_of(GATE, 0), forwarded=True), [GATE], RULES, NOW)
    assert verdict.refusal is Refusal.FORWARDED and not verdict.accepted


def test_a_location_sent_longer_ago_than_allowed_is_stale_with_its_age() -> None:
    at_limit = judge(fix(north_of(GATE, 5), sent_at=NOW - timedelta(minutes=2)), [GATE], RULES,
                     NOW)
    assert at_limit.accepted
    late = judge(fix(north_of(GATE, 5), sent_at=NOW - timedelta(hours=1)), [GATE], RULES, NOW)
    assert late.refusal is Refusal.STALE and late.age == timedelta(hours=1)
    stricter = Rules(fresh_within=timedelta(seconds=30))
    assert judge(fix(north_of(GATE, 5), sent_at=NOW - timedelta(minutes=1)), [GATE], stricter,
                 NOW).refusal is Refusal.STALE


def test_a_live_location_counts_as_sent_now_however_long_ago_it_started() -> None:
    started = NOW - timedelta(minutes=45)
    assert judge(fix(north_of(GATE, 5), sent_at=started, live=True), [GATE], RULES, NOW).accepted


def test_a_location_without_a_time_is_taken_as_sent_when_it_arrived() -> None:
    assert judge(fix(north_of(GATE, 5), sent_at=None), [GATE], RULES, NOW).accepted


def test_accuracy_beyond_the_limit_is_refused_and_unknown_accuracy_is_not_held_against_it() -> (
        None):
    assert judge(fix(north_of(GATE, 5, accuracy=50.0)), [GATE], RULES, NOW).accepted
    vague = judge(fix(north_of(GATE, 5, accuracy=65.0)), [GATE], RULES, NOW)
    assert vague.refusal is Refusal.INACCURATE
    assert judge(fix(north_of(GATE, 5, accuracy=None)), [GATE], RULES, NOW).accepted
    assert judge(fix(north_of(GATE, 5, accuracy=65.0)), [GATE], Rules(accuracy_m=80), NOW).accepted


def test_the_first_thing_to_put_right_is_named() -> None:
    everything_wrong = fix(north_of(GATE, 900, accuracy=300.0), forwarded=True,
                           sent_at=NOW - timedelta(days=1))
    assert judge(everything_wrong, [GATE], RULES, NOW).refusal is Refusal.FORWARDED
    old_and_far = fix(north_of(GATE, 900, accuracy=300.0), sent_at=NOW - timedelta(days=1))
    assert judge(old_and_far, [GATE], RULES, NOW).refusal is Refusal.STALE
    vague_and_far = fix(north_of(GATE, 900, accuracy=300.0))
    assert judge(vague_and_far, [GATE], RULES, NOW).refusal is Refusal.INACCURATE


def test_a_point_off_the_earth_is_refused() -> None:
    assert judge(fix(GeoPoint(91.0, 120.0)), [GATE], RULES, NOW).refusal is Refusal.INVALID


def test_photo_evidence_records_its_exif_position_distance_and_time() -> None:
    taken = datetime(2026, 11, 30, 8, 58, tzinfo=UTC)
    note = json.loads(PhotoEvidence("ab" * 32, north_of(GATE, 12), taken).note(GATE))
    assert note["photo"] == "ab" * 32
    assert note["exif_gps"] == pytest.approx([north_of(GATE, 12).lat, GATE.lon])
    assert note["exif_distance_m"] == pytest.approx(12.0, abs=0.1)
    assert note["taken_at"] == taken.isoformat()
    assert json.loads(PhotoEvidence("cd" * 32).note(GATE)) == {"photo": "cd" * 32}


def test_the_rules_come_from_the_inspections_section_or_default() -> None:
    assert rules_of(None) == Rules(accuracy_m=50, fresh_within=timedelta(minutes=2))
    written = InspectionSettings(accuracy_m=30, fresh_within="90s")
    assert rules_of(written) == Rules(accuracy_m=30, fresh_within=timedelta(seconds=90))


def test_unusable_check_in_limits_are_named_by_their_path() -> None:
    assert list(checkin_problems(InspectionSettings(), "inspections")) == []
    wrong = InspectionSettings(accuracy_m=0, fresh_within="soon")
    problems = dict(checkin_problems(wrong, "inspections"))
    assert set(problems) == {"inspections.accuracy_m", "inspections.fresh_within"}
    assert "above zero" in problems["inspections.accuracy_m"]
    assert "not a duration" in problems["inspections.fresh_within"]
    never = dict(checkin_problems(InspectionSettings(fresh_within="0m"), "inspections"))
    assert "longer than zero" in never["inspections.fresh_within"]


def test_the_plant_check_reports_unusable_check_in_limits() -> None:
    plant = make_plant(inspections=InspectionSettings(accuracy_m=-5, fresh_within="2 minutes"))
    problems = dict(plant.problems())
    assert "above zero" in problems["inspections.accuracy_m"]
    assert "not a duration" in problems["inspections.fresh_within"]
    fine = dict(make_plant(inspections=InspectionSettings()).problems())
    assert "inspections.accuracy_m" not in fine and "inspections.fresh_within" not in fine
