"""The risk register (风险分级管控): risk points graded by LEC and the area class they imply.

LEC (作业条件危险性评价法) grades a risk point by D = L × E × C: the likelihood of an
accident (L), how often people are exposed (E) and how bad the consequence would be (C),
each taken from a fixed scale. D then falls in one of four levels; a threshold itself
belongs to the higher level except for red, which needs D above its threshold:

    red (重大)     D > red (320)
    orange (较大)  orange (160) ≤ D ≤ red
    yellow (一般)  yellow (70) ≤ D < orange
    blue (低)      D < yellow

so with the defaults 320 is orange, 160 orange and 70 yellow, as the usual tables read
("D > 320", "160–320", "70–160", "< 70").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# The standard scales: a value between two steps is a guess the method does not allow.
L_SCALE = (0.1, 0.2, 0.5, 1, 3, 6, 10)  # 可能性: practically impossible … fully expected
E_SCALE = (0.5, 1, 2, 3, 6, 10)  # 暴露频繁程度: very rarely … continuously
C_SCALE = (1, 3, 7, 15, 40, 100)  # 后果: noticeable … many deaths


class RiskClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class RiskLevel(StrEnum):
    """Levels in falling order of danger (四色: red, orange, yellow, blue)."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"


# Red and orange risks make an A area (inspected most often), yellow B, blue C.
CLASS_OF_LEVEL = {
    RiskLevel.RED: RiskClass.A,
    RiskLevel.ORANGE: RiskClass.A,
    RiskLevel.YELLOW: RiskClass.B,
    RiskLevel.BLUE: RiskClass.C,
}
_CLASS_RANK = {RiskClass.A: 0, RiskClass.B: 1, RiskClass.C: 2}


@dataclass(frozen=True)
class RiskGrading:
    """plant.yaml's `risk_grading`: the D values where orange, yellow and red begin."""

    red: float = 320
    orange: float = 160
    yellow: float = 70

    def level(self, d: float) -> RiskLevel:
        if d > self.red:
            return RiskLevel.RED
        if d >= self.orange:
            return RiskLevel.ORANGE
        if d >= self.yellow:
            return RiskLevel.YELLOW
        return RiskLevel.BLUE


DEFAULT_GRADING = RiskGrading()


@dataclass(frozen=True)
class Measure:
    """A control measure (管控措施) of a risk point; the inspection checklist asks about it."""

    id: str
    text: str
    text_en: str = ""

    def label(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text


@dataclass(frozen=True)
class RiskPoint:
    """A risk point (风险点) of an area: the hazard, how it is controlled and its LEC grading."""

    id: str
    hazard: str
    l: float  # noqa: E741 - the method's own letters are what a safety officer writes
    e: float
    c: float
    hazard_en: str = ""
    measures: tuple[Measure, ...] = ()
    equipment: str | None = None  # the equipment code the risk sits on, when it is one machine

    @property
    def d(self) -> float:
        # rounded: 0.1 × 3 × 7 is 2.1000000000000005 in binary, and edges must compare exactly
        return round(self.l * self.e * self.c, 6)

    def level(self, grading: RiskGrading = DEFAULT_GRADING) -> RiskLevel:
        return grading.level(self.d)

    def label(self, lang: str) -> str:
        return self.hazard_en if lang == "en" and self.hazard_en else self.hazard


def class_for(points: Iterable[RiskPoint], grading: RiskGrading = DEFAULT_GRADING) -> RiskClass:
    """The class an area's risk points imply: that of the highest one; C with none."""
    classes = [CLASS_OF_LEVEL[p.level(grading)] for p in points]
    return min(classes, key=_CLASS_RANK.__getitem__, default=RiskClass.C)


def is_lower(written: RiskClass, implied: RiskClass) -> bool:
    """Whether a hand-set class asks for fewer inspections than the risks imply (C below A)."""
    return _CLASS_RANK[written] > _CLASS_RANK[implied]


def format_d(d: float) -> str:
    """D as a safety officer writes it: 126, 2.1, never 126.0 or 1.26e+02."""
    return f"{d:.6f}".rstrip("0").rstrip(".")
