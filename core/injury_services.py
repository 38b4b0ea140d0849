"""Recording an injury: one use case, checked again here whatever the conversation asked."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core.injuries import Injury, check_injury
from core.plant import Plant
from core.ports import Clock, UnitOfWork

RECORDED = "InjuryRecorded"  # the audit log's name for it


def record_injury(injury: Injury, *, uow: UnitOfWork, plant: Plant, clock: Clock) -> None:
    """Keep the injury and audit it; raises InjuryRefused, changing nothing, when it is wrong."""
    now = clock.now()
    check_injury(plant, injury, now.astimezone(ZoneInfo(plant.timezone)).date())
    uow.injuries.add(injury)
    uow.audit.append(at=now, actor=injury.recorded_by, action=RECORDED,
                     subject=f"injury:{injury.day.isoformat()}",
                     data={"person": injury.person or "", "name": injury.name,
                           "department": injury.department, "kind": injury.kind.value,
                           "lost_days": injury.lost_days})
