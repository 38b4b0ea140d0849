"""Setting a check-in scene for channel tests that run on the real clock: a round of the
welding shop open now, as the generator would have made it in working hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.app import App
from core.inspections import Round


def open_round(app: App, now: datetime, *, area: str = "WELD",
               checkpoints: tuple[str, ...] = ("CP-WELD-1",), person: str = "SO1") -> int:
    """Store a round of `area` for `person` whose window is open at `now`; its id."""
    round_ = Round(plan="class", area=area, assignee=person, opens_at=now - timedelta(hours=1),
                   closes_at=now + timedelta(hours=2), checkpoints=checkpoints,
                   due_at=now + timedelta(hours=2))
    with app.services.uow() as uow:
        assert uow.rounds.add_if_absent(round_)
        uow.commit()
    assert round_.id is not None
    return round_.id
