"""Checklist templates (检查表) by area type: the items every round asks about in such an area,
beside the control measures of the area's own risk points."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    text_en: str = ""

    def label(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text
