"""`config check` on the demo plant's points and shop: the short form still loads, and each
mistake is reported by its path, with its line."""

from __future__ import annotations

from pathlib import Path

from bot.plantfile import check_plant, read_plant
from core.point_settings import Bonuses, PointRules
from tests.chat import DEMO_PLANT

BONUS = '''  bonus:
    first_of_recurring: 5
    major_hazard: 10
    equipment_and_location: 2
'''


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = DEMO_PLANT.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "plant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, fragment: str, *, last: bool = False) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [n for n, text in enumerate(lines, start=1) if fragment in text]
    return found[-1] if last else found[0]


def test_the_demo_plant_sells_ppe_and_welfare_items() -> None:
    plant = read_plant(DEMO_PLANT)
    assert [item.id for item in plant.shop] == [
        "GLOVES", "GLASSES", "EARPLUGS", "SHOES", "CANTEEN", "THERMOS"]
    shoes = plant.shop_by_id["SHOES"]
    assert (shoes.price, shoes.stock, shoes.monthly_limit) == (120, 20, 1)
    assert shoes.label("en") == "Steel-toe safety shoes" and shoes.place("zh-CN")
    assert plant.shop_by_id["EARPLUGS"].monthly_limit is None


def test_the_short_form_of_points_loads_with_no_bonuses(tmp_path: Path) -> None:
    path = edited(tmp_path, (BONUS, ""))
    assert read_plant(path).points == PointRules(general=5, serious=10, critical=20,
                                                 bonus=Bonuses())


def test_mistakes_in_points_and_the_shop_are_reported_by_path_and_line(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        ("    major_hazard: 10\n", "    major_hazard: -10\n"),
        ("    price: 120\n", "    price: 0\n"),
        ("  - id: THERMOS\n", "  - id: GLOVES\n"),
        ("    monthly_limit: 5\n", "    monthly_limit: 0\n"),
    )
    assert check_plant(path) == [
        f"{path}: points.bonus.major_hazard: cannot be negative, got -10 "
        f"(line {line_of(path, 'major_hazard: -10')})",
        f"{path}: shop[3].price: must be from 1 to 1000000 points, got 0 "
        f"(line {line_of(path, 'price: 0')})",
        f"{path}: shop[4].monthly_limit: must be 1 or more, got 0 (leave it out for no limit) "
        f"(line {line_of(path, 'monthly_limit: 0')})",
        f"{path}: shop[5].id: duplicate id 'GLOVES' (already used by shop[0]) "
        f"(line {line_of(path, '  - id: GLOVES', last=True)})",
    ]


def test_an_unknown_key_of_an_item_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = edited(tmp_path, ("    price: 60\n", "    prise: 60\n"))
    errors = check_plant(path)
    assert f"{path}: shop[5].prise: unknown key 'prise' (did you mean 'price'?) " \
           f"(line {line_of(path, 'prise: 60')})" in errors
