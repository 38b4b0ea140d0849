"""`reminders.draft` in plant.yaml: how long a report draft waits before its reporter hears it
is kept; it must fall within the day a draft is kept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from storage.plantfile import load_plant
from tests.integration.test_plantfile import broken, errors_of, write


def test_the_draft_nudge_defaults_to_30_minutes_and_may_be_set(tmp_path: Path) -> None:
    assert load_plant(write(tmp_path, broken())).reminders.draft_after == timedelta(minutes=30)
    (tmp_path / "own").mkdir()
    own = write(tmp_path / "own", broken(reminders={"draft": "1h30m"}))
    assert load_plant(own).reminders.draft_after == timedelta(minutes=90)


@pytest.mark.parametrize(("written", "says"), [
    ("soon", "not a duration: 'soon'"),
    ("0m", "must be longer than zero and shorter than the 24h a draft is kept, got '0m'"),
    ("2d", "must be longer than zero and shorter than the 24h a draft is kept, got '2d'"),
])
def test_a_draft_nudge_that_cannot_work_is_refused_at_its_path(
    tmp_path: Path, written: str, says: str,
) -> None:
    errors = errors_of(write(tmp_path, broken(reminders={"draft": written})))
    assert len(errors) == 1
    assert errors[0].startswith("reminders.draft: ")
    assert says in errors[0]
