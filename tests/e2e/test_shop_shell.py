"""The points shop end to end: a real `safetyloop shell` process earns points, redeems them
and has the order approved; the admin's command line then lists the orders (JSON, the
printable XLSX read back) and adjusts a person's points."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from tests.e2e.shell import Plant, lines_for

GLOVES = "劳保手套（防割，1 双）"
ORDER_KEYS = ["order", "status", "person", "person_name", "department", "item", "item_name",
              "price", "collect_at", "ordered_at", "decided_at", "decided_by", "reason"]


def earn_and_redeem(plant: Plant) -> str:
    """W01 reports (serious, CNC-07, on site), SO1 finds it valid, W01 redeems gloves and
    ADMIN approves; the shell's output."""
    photo = plant.photo("hazard.jpg", (200, 40, 40))
    script = "\n".join([
        "/report", f"!photo {photo}", "!press 1", "!location 31.3172 120.7208 12", "CNC-07",
        "主轴防护罩破损，铁屑飞溅", "!press 2", "!press 2", "!press 1",
        "!as SO1", "!press 1",                      # valid: +12
        "!as W01", "/shop", f"!press {GLOVES} · 10 积分", "!press 确认兑换",
        "!as ADMIN", "!press 批准",
        "!as W01", "/points",
    ]) + "\n"
    done = plant.shell("W01", script)
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli(plant: Plant, *args: str) -> tuple[int, str, str]:
    env = plant.env
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--database", env["SAFETYLOOP_DATABASE_URL"],
                     "--config", env["SAFETYLOOP_PLANT_FILE"]])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def shopped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plant, str]:
    plant = Plant(tmp_path_factory.mktemp("shop"))
    return plant, earn_and_redeem(plant)


def test_a_shell_session_earns_redeems_and_collects(shopped: tuple[Plant, str]) -> None:
    _, out = shopped
    worker = lines_for(out, "W01")
    assert any(line.startswith("⭐ 积分 +12（HZ-") for line in worker)
    assert (f"✅ 兑换单 #1 已提交：{GLOVES}，已扣除 10 积分（当前 2 分）。"
            "管理员批准后会告诉您领取地点。") in worker
    assert f"🎁 兑换单 #1 已批准：请到行政部物资室（办公楼 1 楼 105）领取「{GLOVES}」。" in worker
    statement = worker[worker.index("⭐ 您当前有 2 积分。最近的记录："):]
    assert statement[1].endswith(f"-10  兑换 #1 {GLOVES}")
    assert any(line.startswith("🛒 兑换申请 #1：马晓东 (W01)") for line in lines_for(out, "ADMIN"))


def test_the_orders_export_as_json_in_the_documented_shape(shopped: tuple[Plant, str]) -> None:
    plant, _ = shopped
    code, out, _ = cli(plant, "shop", "orders", "--format", "json")
    assert code == 0
    [order] = json.loads(out)
    assert list(order) == ORDER_KEYS
    assert {k: order[k] for k in ORDER_KEYS if k not in ("ordered_at", "decided_at")} == {
        "order": 1, "status": "approved", "person": "W01", "person_name": "马晓东",
        "department": "PROD", "item": "GLOVES", "item_name": GLOVES, "price": 10,
        "collect_at": "行政部物资室（办公楼 1 楼 105）", "decided_by": "ADMIN", "reason": None,
    }
    assert order["ordered_at"].endswith("+08:00") and order["decided_at"].endswith("+08:00")
    code, out, _ = cli(plant, "shop", "orders", "--status", "pending")
    assert (code, json.loads(out)) == (0, [])


def test_the_hand_out_list_reads_back_from_its_xlsx(
    shopped: tuple[Plant, str], tmp_path: Path
) -> None:
    plant, _ = shopped
    path = tmp_path / "hand-out.xlsx"
    code, out, _ = cli(plant, "shop", "orders", "--status", "approved", "--format", "xlsx",
                       "--output", str(path))
    assert (code, out.strip()) == (0, f"wrote {path}: 1 orders")
    sheet = load_workbook(path).active
    assert sheet is not None and sheet.title == "兑换单"
    title, header, row = (list(r) for r in sheet.iter_rows(min_row=1, max_row=3,
                                                            values_only=True))
    assert str(title[0]).startswith("苏州恒锐精密机械有限公司 · 积分兑换单 · 共 1 单")
    assert header == ["单号", "兑换时间", "员工", "部门", "商品", "积分", "状态", "领取地点",
                      "审批时间", "审批人", "原因", "领取签字"]
    assert row[0] == 1 and row[2:8] == ["马晓东 (W01)", "生产部", GLOVES, 10, "已批准",
                                        "行政部物资室（办公楼 1 楼 105）"]
    assert row[9] == "罗慧 (ADMIN)" and row[11] is None


def test_an_admin_adjusts_points_from_the_command_line(shopped: tuple[Plant, str]) -> None:
    plant, _ = shopped
    code, out, _ = cli(plant, "points", "adjust", "W01", "5", "--reason", "安全月 积极分子",
                       "--by", "ADMIN")
    assert (code, out.strip()) == (0, "W01: +5 (安全月 积极分子), balance now 7")
    code, _, err = cli(plant, "points", "adjust", "W01", "-50", "--reason", "扣分",
                       "--by", "ADMIN")
    assert (code, err.strip()) == (2, "W01 has 7 points: taking 50 would go below zero")
    code, _, err = cli(plant, "points", "adjust", "W01", "5", "--reason", "自己加分",
                       "--by", "W01")
    assert code == 2 and "not a person with the role admin" in err
    code, out, _ = cli(plant, "audit", "show")
    assert any("调整积分  W01" in line and "delta=5" in line for line in out.splitlines())
