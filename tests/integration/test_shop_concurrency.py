"""Parallel shop orders on PostgreSQL: balance and stock never go below zero, however many
orders arrive at the same moment. Each request runs in its own thread with its own engine
(its own connection pool), as separate bot processes would.

Needs a server: set SAFETYLOOP_TEST_PG_URL (CI does); without it the tests skip.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.plantfile import read_plant
from core.clock import SimClock
from core.ledger import EntryKind
from core.plant import Plant
from core.point_settings import ShopItem
from core.points import adjust_points
from core.shop import ShopRefused
from core.shop_services import place_order
from storage.database import make_engine
from storage.uow import SqlUnitOfWork
from tests.chat import START

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml"
REQUESTS = 8
ON_PG = pytest.mark.parametrize(
    "blank_engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)


def plant_with(item: ShopItem) -> Plant:
    return replace(read_plant(DEMO), shop=(item,))


def give(engine: Engine, plant: Plant, person: str, points: int) -> None:
    with SqlUnitOfWork(engine) as uow:
        adjust_points(uow, plant, SimClock(START), person=person, delta=points,
                      reason="开户积分", actor="ADMIN")
        uow.commit()


def order_all_at_once(engine: Engine, plant: Plant, people: list[str]) -> list[str]:
    """Each person orders the plant's one item, in threads released together; what each got
    ("ok" or the refusal)."""
    url = engine.url.render_as_string(hide_password=False)
    start = threading.Barrier(len(people))
    outcomes = [""] * len(people)

    def order(n: int, person: str) -> None:
        own = make_engine(url)
        try:
            with SqlUnitOfWork(own) as uow:
                uow.points.balance(person)  # connected and in a transaction before the start
                start.wait()
                try:
                    place_order(uow, plant, SimClock(START), person=person,
                                item_id=plant.shop[0].id)
                except ShopRefused as refused:
                    outcomes[n] = refused.reason
                    return
                uow.commit()
                outcomes[n] = "ok"
        finally:
            own.dispose()

    threads = [threading.Thread(target=order, args=(n, p)) for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an order hung"
    return outcomes


@ON_PG
def test_parallel_orders_by_one_person_never_spend_more_than_their_balance(
    engine: Engine,
) -> None:
    plant = plant_with(ShopItem(id="GLOVES", name="手套", price=10, stock=100))
    give(engine, plant, "W01", 30)  # enough for three

    outcomes = order_all_at_once(engine, plant, ["W01"] * REQUESTS)

    assert Counter(outcomes) == Counter({"ok": 3, "balance": REQUESTS - 3})
    with SqlUnitOfWork(engine) as uow:
        assert uow.points.balance("W01") == 0
        redeemed = [e for e in uow.points.entries("W01", limit=50)
                    if e.kind is EntryKind.REDEEM]
        assert len(redeemed) == 3 and len(uow.shop.orders()) == 3
        assert uow.shop.taken("GLOVES") == 3


@ON_PG
def test_parallel_orders_by_many_people_never_take_more_than_the_stock(engine: Engine) -> None:
    plant = plant_with(ShopItem(id="SHOES", name="安全鞋", price=40, stock=3))
    people = ["W01", "W02", "W03", "W04", "W05", "E01", "E02", "M01"][:REQUESTS]
    for person in people:
        give(engine, plant, person, 50)

    outcomes = order_all_at_once(engine, plant, people)

    assert Counter(outcomes) == Counter({"ok": 3, "stock": REQUESTS - 3})
    with SqlUnitOfWork(engine) as uow:
        assert uow.shop.taken("SHOES") == 3
        orders = uow.shop.orders()
        assert len(orders) == 3
        for person, outcome in zip(people, outcomes, strict=True):
            assert uow.points.balance(person) == (10 if outcome == "ok" else 50)
        assert sorted(o.person for o in orders) == sorted(
            p for p, outcome in zip(people, outcomes, strict=True) if outcome == "ok")
