"""plant.yaml as the bot reads it: checked against the languages it has message catalogs for."""

from __future__ import annotations

from pathlib import Path

from core.plant import Plant
from handlers.locales import languages
from storage.plantfile import check_plant_file, load_plant


def read_plant(path: Path) -> Plant:
    return load_plant(path, languages=languages())


def check_plant(path: Path) -> list[str]:
    return check_plant_file(path, languages=languages())
