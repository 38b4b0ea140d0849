"""plant.yaml as the bot reads it: with its channels' keys, checked against its catalogs."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from bot.channels import CHANNELS
from core.plant import ChannelKeys, Plant
from handlers.locales import languages
from storage.plantfile import check_plant_file, load_plant, warning_lines


@cache
def channel_keys() -> tuple[ChannelKeys, ...]:
    """What each registered channel adds to people and teams in plant.yaml, in CHANNELS order."""
    declared: list[ChannelKeys] = []
    for name in CHANNELS:
        keys = importlib.import_module(f"bot.channels.{name}").PLANT_KEYS
        assert isinstance(keys, ChannelKeys), f"bot.channels.{name}.PLANT_KEYS"
        declared.append(keys)
    return tuple(declared)


def read_plant(path: Path) -> Plant:
    return load_plant(path, languages=languages(), channels=channel_keys())


def check_plant(path: Path) -> list[str]:
    return check_plant_file(path, languages=languages(), channels=channel_keys())


def plant_warnings(path: Path) -> list[str]:
    """What a valid plant file loads with but should be looked at again (`config check`)."""
    return warning_lines(path, read_plant(path))
