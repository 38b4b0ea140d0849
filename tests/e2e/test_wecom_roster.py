"""`safetyloop wecom sync-roster` against the fake WeCom server's contact API."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest

from bot.channels.wecom.api import WecomApi, WecomApiError
from bot.plantfile import read_plant
from bot.roster_sync import fetch, plan_roster
from tests.fakes.wecom_rig import AGENT, CORP, ROOT, SECRET
from tests.fakes.wecom_server import FakeWecom

DEMO = ROOT / "config" / "demo-plant.yaml"


async def sync(home: Path, fake: FakeWecom, *args: str) -> tuple[int, str, str]:
    """The CLI in a subprocess, awaited so the fake server keeps answering meanwhile."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SAFETYLOOP_", "TELEGRAM_", "WECOM_"))}
    env.update(PYTHONPATH=str(ROOT), SAFETYLOOP_PLANT_FILE=str(home / "plant.yaml"),
               WECOM_CORP_ID=CORP, WECOM_AGENT_ID=str(AGENT), WECOM_SECRET=SECRET,
               WECOM_API_BASE_URL=fake.base_url)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "wecom", "sync-roster", *args, cwd=home, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture
def plant_file(tmp_path: Path) -> Path:
    return Path(shutil.copy(DEMO, tmp_path / "plant.yaml"))


async def test_sync_roster_shows_wecom_members_as_a_diff_and_writes_them_with_yes(
    tmp_path: Path, plant_file: Path
) -> None:
    before = read(plant_file)
    async with FakeWecom(CORP, SECRET, AGENT) as fake:
        code, out, err = await sync(tmp_path, fake)
        assert code == 0, err
        assert "+  - id: QIANBO" in out and "+    wecom_id: qianbo" in out
        assert '+    phone: "13900000008"' in out  # E01's new mobile, +86 dropped
        assert "+    email: zhangwei@hengrui.example" in out  # DH-EQUIP keeps its id
        assert "总经办 (id 6) matches no department or team" in out and "chenzong" in out
        assert "not in WeCom, left as they are" in out and "LEGAL1" in out
        assert "not added, disabled or gone in WeCom: liming" in out  # has left the company
        assert "+    wecom_id: liming" not in out
        assert "nothing written" in out
        assert read(plant_file) == before
        assert fake.calls["user/list"] == len(fake.departments)

        code, out, err = await sync(tmp_path, fake, "--yes")
        assert code == 0, err
        assert "wrote" in out

    after = read(plant_file)
    assert [line for line in before.splitlines() if "#" in line] == [
        line for line in after.splitlines() if "#" in line]
    plant = read_plant(plant_file)
    electrician = plant.person("QIANBO")
    assert electrician is not None
    assert (electrician.department, electrician.team, electrician.superior) == (
        "EQUIP", "ELEC", "TL-ELEC")
    worker = plant.person("SUN-LI")  # 冲压一线 is under 生产部: production
    assert worker is not None and (worker.department, worker.superior) == ("PROD", "SL1")
    director = plant.person("CHENZONG")
    assert director is not None and director.department is None
    head = plant.person("DH-EQUIP")
    assert head is not None and head.email == "zhangwei@hengrui.example"


async def test_sync_roster_explains_a_visible_range_that_hides_the_contacts(
    tmp_path: Path, plant_file: Path
) -> None:
    before = read(plant_file)
    async with FakeWecom(CORP, SECRET, AGENT) as fake:
        fake.contacts_visible = False
        code, _out, err = await sync(tmp_path, fake, "--yes")
    assert code == 1
    assert "errcode 60011" in err and "可见范围" in err and "nothing written" in err
    assert read(plant_file) == before


async def test_the_contact_api_renews_an_expired_token_and_lists_each_member_once() -> None:
    async with FakeWecom(CORP, SECRET, AGENT) as fake, WecomApi(
        fake.base_url, CORP, SECRET, AGENT
    ) as api:
        await api.department_list()
        fake.expire_tokens()
        roster = await fetch(api)
        assert fake.token_requests == 2
        assert [m["userid"] for m in roster.members].count("Sun.Li") == 1  # in two departments
        assert [d["name"] for d in await api.department_list(2)] == ["设备部", "电气维修班"]
        with pytest.raises(WecomApiError) as refused:
            await api.user_list(99)
        assert refused.value.errcode == 60003


async def test_without_mobile_numbers_phones_stay_ids_never_clash_and_disabled_stay() -> None:
    plant = read_plant(DEMO)
    async with FakeWecom(CORP, SECRET, AGENT) as fake, WecomApi(
        fake.base_url, CORP, SECRET, AGENT
    ) as api:
        fake.private_fields_hidden = True
        fake.members.append({**fake.members[0], "userid": "w01", "direct_leader": []})
        fake.members.append({**fake.members[0], "userid": "zhoujie", "status": 2})
        plan = plan_roster(plant, await fetch(api))
    assert not [u for u in plan.updates if "phone" in u.fields or "email" in u.fields]
    assert any("no mobile numbers" in note for note in plan.notes)
    assert "W01-2" in [u.id for u in plan.updates]  # W01 is taken by 马晓东
    assert "TL-MECH" not in [u.id for u in plan.updates]
    assert any(note.startswith("TL-MECH (zhoujie) disabled in WeCom") for note in plan.notes)
