"""Column kinds the tables share: instants in UTC, JSON documents, hash bands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, SmallInteger
from sqlmodel import Field

from storage.types import UtcDateTime


def moment(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UtcDateTime(), index=index, nullable=nullable))


def json_value() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def json_or_null() -> Any:
    # None is SQL NULL, not the JSON value null, so "IS NULL" finds what was never set.
    return Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))


def band() -> Any:
    return Field(default=None, sa_column=Column(SmallInteger, nullable=True, index=True))
