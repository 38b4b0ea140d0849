"""plant.yaml's `health_index`: the weights and scales of the safety health index
(安全健康指数, core/health_index.py; the README states the formula).

Each dimension scores 0–100. Hazard density (valid reports a month per 1,000 m²) reads as
engagement up to `density_ideal` and as risk beyond it, down to 0 at `density_worst`;
recurrence scores 0 at `recurrence_worst`; the severity mix is the mean of
`severity_weights` over the month's reports, 0 at `severity_worst`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DIMENSIONS = ("density", "rectification", "recurrence", "severity")


def _weights() -> dict[str, float]:
    return {"density": 0.2, "rectification": 0.4, "recurrence": 0.2, "severity": 0.2}


def _severity_weights() -> dict[str, float]:
    return {"general": 1.0, "serious": 3.0, "critical": 5.0}


@dataclass(frozen=True)
class HealthIndexSettings:
    weights: dict[str, float] = field(default_factory=_weights)
    density_ideal: float = 2.0
    density_worst: float = 10.0
    recurrence_worst: float = 0.5
    severity_weights: dict[str, float] = field(default_factory=_severity_weights)
    severity_worst: float = 3.0

    def weight(self, dimension: str) -> float:
        return self.weights.get(dimension, _weights()[dimension])

    def severity_weight(self, severity: str) -> float:
        return self.severity_weights.get(severity, _severity_weights().get(severity, 1.0))
