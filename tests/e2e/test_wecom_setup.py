"""`safetyloop wecom setup` run as an operator would: team groups from plant.yaml, the menu."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.fakes.wecom_rig import AGENT, CORP, ROOT, SECRET, TOKEN, aes_key
from tests.fakes.wecom_server import FakeWecom


async def run_cli(home: Path, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """The CLI in a subprocess, awaited so the fake server keeps answering meanwhile."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=home, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def environment(home: Path, fake: FakeWecom | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SAFETYLOOP_", "TELEGRAM_", "WECOM_"))}
    env.update(PYTHONPATH=str(ROOT), SAFETYLOOP_PLANT_FILE=str(ROOT / "config/demo-plant.yaml"),
               SAFETYLOOP_DATABASE_URL=f"sqlite:///{home / 'db.sqlite'}")
    if fake is not None:
        env.update(WECOM_CORP_ID=CORP, WECOM_AGENT_ID=str(AGENT), WECOM_SECRET=SECRET,
                   WECOM_TOKEN=TOKEN, WECOM_AES_KEY=aes_key(), WECOM_API_BASE_URL=fake.base_url)
    return env


async def test_setup_creates_each_team_group_once_and_sets_the_menu(tmp_path: Path) -> None:
    async with FakeWecom(CORP, SECRET, AGENT) as fake:
        env = environment(tmp_path, fake)
        code, out, err = await run_cli(tmp_path, env, "wecom", "setup")
        assert code == 0, err
        assert "ELEC: created group wrELEC" in out and "MECH: created group wrMECH" in out
        assert "under team ELEC in plant.yaml (already there): wecom_chat_id: wrELEC" in out
        mech = fake.chats["wrMECH"]
        assert (mech["name"], mech["owner"]) == ("机械维修班", "zhoujie")
        assert set(mech["userlist"]) == {"zhoujie", "fengjianjun", "heyong", "zhangwei"}
        keys = [b.get("key") for b in fake.menus[0]["button"]]
        assert keys[:2] == ["report", "my"]
        assert [b["key"] for b in fake.menus[0]["button"][2]["sub_button"]] == [
            "points", "rank", "shop", "help"]

        code, out, err = await run_cli(tmp_path, env, "wecom", "setup")
        assert code == 0, err
        assert "group wrMECH exists" in out and fake.calls["appchat/create"] == 2


async def test_setup_explains_what_is_missing_when_wecom_is_not_configured(
    tmp_path: Path,
) -> None:
    code, _out, err = await run_cli(tmp_path, environment(tmp_path, None), "wecom", "setup")
    assert code == 2 and "WECOM_CORP_ID" in err


async def test_setup_reports_failure_when_wecom_refuses(tmp_path: Path) -> None:
    async with FakeWecom(CORP, SECRET, AGENT) as fake:
        fake.down()
        code, out, _err = await run_cli(tmp_path, environment(tmp_path, fake), "wecom", "setup")
        assert code == 1 and "could not" in out


async def test_a_team_without_a_chat_id_gets_a_group_and_the_line_to_paste(
    tmp_path: Path,
) -> None:
    demo = (ROOT / "config/demo-plant.yaml").read_text(encoding="utf-8")
    plant = tmp_path / "plant.yaml"
    plant.write_text(demo.replace("    wecom_chat_id: wrMECH\n", ""), encoding="utf-8")
    async with FakeWecom(CORP, SECRET, AGENT) as fake:
        env = environment(tmp_path, fake)
        code, out, err = await run_cli(tmp_path, env, "wecom", "setup", "--config", str(plant))
        assert code == 0, err
        again, out_again, err = await run_cli(tmp_path, env, "wecom", "setup",
                                              "--config", str(plant))
        assert again == 0, err
    assert "MECH: created group wrMECH" in out
    assert "paste under team MECH in plant.yaml: wecom_chat_id: wrMECH" in out
    assert set(fake.chats["wrMECH"]["userlist"]) == {"zhoujie", "fengjianjun", "heyong",
                                                     "zhangwei"}
    assert "MECH: group wrMECH exists" in out_again, "the same id again, not a second group"
    assert "paste under team MECH in plant.yaml: wecom_chat_id: wrMECH" in out_again
    assert fake.calls["appchat/create"] == 2
