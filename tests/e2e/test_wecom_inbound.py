"""WeCom callbacks: strangers, coordinates, photos, the durable queue and the live server."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import httpx

from bot.channels.wecom import plugin
from bot.channels.wecom.service import WecomPlugin
from core.datum import wgs84_to_gcj02
from core.geo import GeoPoint, distance_m
from storage.inbound_queue import SqlInboundQueue
from tests.fakes.wecom_rig import W01, Rig, jpeg, rig, serve, settings_for, until
from tests.fakes.wecom_server import FakeWecom, click_xml, image_xml, location_xml, text_xml

SITE, RADIUS_M = GeoPoint(31.3180, 120.7190), 1500.0


async def start_report(r: Rig, user: str = W01) -> None:
    """/report from the menu, one photo, "photos done": the bot now asks where."""
    await r.say(click_xml(user, "report", **r.head()))
    await r.say(image_xml(user, r.fake.add_media(jpeg((90, 90, 200))), msg_id=r.next_id(),
                          **r.head()))
    await r.press(user, "照片已发完")


def edge_of_site() -> tuple[GeoPoint, tuple[float, float]]:
    """A WGS-84 point inside the site whose GCJ-02 numbers, read as WGS-84, lie outside it."""
    g_lat, g_lon = wgs84_to_gcj02(SITE.lat, SITE.lon)
    d_lat, d_lon = g_lat - SITE.lat, g_lon - SITE.lon
    norm = math.hypot(d_lat, d_lon * math.cos(math.radians(SITE.lat)))
    step = 1350.0 / 111_320.0 / norm  # 1350 m from the centre, along the GCJ-02 shift
    point = GeoPoint(SITE.lat + d_lat * step, SITE.lon + d_lon * step)
    return point, wgs84_to_gcj02(point.lat, point.lon)


async def test_a_pressed_question_card_is_greyed_out_with_the_choice(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        await start_report(r)
        update = r.fake.card_updates[-1]
    assert update["button"]["replace_name"] == "✓ 照片已发完"
    assert update["userids"] == [W01]


async def test_a_stranger_is_refused_politely_and_audited(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        await r.say(text_xml("visitor07", "/report", msg_id=1, **r.head()))
        await r.say(image_xml("visitor07", r.fake.add_media(jpeg((1, 1, 1))), msg_id=2,
                              **r.head()))
        assert r.seen("visitor07")[0] == (
            "您好！您还不在本厂的人员名单中，暂时无法使用本应用。请联系安全部门开通权限。"
        )
        unknown = r.audit("UnknownUser")
        assert [(a.actor, a.subject) for a in unknown] == [("wecom:visitor07", "visitor07")] * 2
        assert r.fake.calls["media/get"] == 0, "a stranger's photo is not even fetched"


async def test_wecom_coordinates_are_converted_to_wgs84_before_the_site_check(
    tmp_path: Path,
) -> None:
    point, (gcj_lat, gcj_lon) = edge_of_site()
    assert distance_m(point, SITE) < RADIUS_M < distance_m(GeoPoint(gcj_lat, gcj_lon), SITE)
    async with rig(tmp_path, groups=False) as r:
        await start_report(r)
        await r.say(location_xml(W01, gcj_lat, gcj_lon, msg_id=r.next_id(), **r.head()))
        assert any(m.startswith("区域：") for m in r.seen(W01)[-3:]), r.seen(W01)


async def test_the_datum_is_configurable_per_channel(tmp_path: Path) -> None:
    _point, (gcj_lat, gcj_lon) = edge_of_site()
    async with rig(tmp_path, groups=False, wecom_datum="wgs84") as r:
        await start_report(r)
        await r.say(location_xml(W01, gcj_lat, gcj_lon, msg_id=r.next_id(), **r.head()))
        assert "不在厂区内" in r.seen(W01)[-1]


async def test_a_photo_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False, max_photo_mb=1) as r:
        await r.say(click_xml(W01, "report", **r.head()))
        big = r.fake.add_media(b"\xff\xd8" + bytes(3 * 1024 * 1024))
        await r.say(image_xml(W01, big, msg_id=r.next_id(), **r.head()))
        assert r.seen(W01)[-1] == "照片太大了（上限 1 MB），请压缩后重发。"


async def test_a_photo_download_refreshes_an_expired_token_once(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        await r.say(click_xml(W01, "report", **r.head()))
        r.fake.expire_tokens()
        photo = jpeg((7, 7, 7))
        await r.say(image_xml(W01, r.fake.add_media(photo), msg_id=r.next_id(), **r.head()))
        assert r.seen(W01)[-1].startswith("已收到第 1 张照片")
        assert r.fake.token_requests == 2 and r.fake.calls["media/get"] == 2


async def test_an_expired_media_id_asks_for_the_photo_again(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        await r.say(click_xml(W01, "report", **r.head()))
        await r.say(image_xml(W01, "media-gone-after-3-days", msg_id=r.next_id(), **r.head()))
        assert r.seen(W01)[-1] == "请发送一张照片。"
        assert r.fake.calls["media/get"] == 1


async def test_a_photo_sent_while_wecom_is_down_waits_and_keeps_its_place(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        await r.say(click_xml(W01, "report", **r.head()))
        r.fake.down()
        await r.say(image_xml(W01, r.fake.add_media(jpeg((5, 5, 5))), msg_id=r.next_id(),
                              **r.head()))
        await r.say(text_xml(W01, "/my", msg_id=r.next_id(), **r.head()))
        assert len(SqlInboundQueue(r.app.engine).pending("wecom")) == 2
        r.fake.up()
        await r.settle()
        assert r.seen(W01)[1].startswith("已收到第 1 张照片")
        assert r.seen(W01)[2] == "您还没有上报过隐患。发送 /report 开始上报。"


async def test_callbacks_answered_before_a_crash_are_handled_after_the_restart(
    tmp_path: Path,
) -> None:
    async with FakeWecom("wwfactory01", "app-secret-xyz", 1000002) as fake:
        async with rig(tmp_path, fake=fake, groups=False) as first:
            key = first.aes_key
            answer = await first.post(text_xml(W01, "/points", msg_id=77, **first.head()))
            assert (answer.status_code, answer.content) == (200, b"")
            # ... and the process dies before its worker got to it.
        assert not fake.sent[W01]
        async with rig(tmp_path, fake=fake, key=key, groups=False) as second:
            worker = asyncio.create_task(second.app.worker.run())
            await second.plugin.start(second.app.inlet)
            try:
                await until(lambda: bool(fake.sent[W01]))
            finally:
                worker.cancel()
            assert second.seen(W01) == ["⭐ 您当前有 0 积分。"]
            assert not SqlInboundQueue(second.app.engine).pending("wecom")


async def test_the_live_server_answers_at_once_and_works_in_the_background(
    tmp_path: Path,
) -> None:
    async with rig(tmp_path, groups=False) as r:
        worker = asyncio.create_task(r.app.worker.run())
        await r.plugin.start(r.app.inlet)
        try:
            async with serve(r.plugin.routes) as base, httpx.AsyncClient(base_url=base) as web:
                assert (await web.get("/healthz")).text == "ok"
                query, body = r.encrypt(text_xml(W01, "/help", msg_id=5, **r.head()))
                answer = await web.post(f"/wecom/callback?{query}", content=body)
                assert (answer.status_code, answer.content) == (200, b"")
                await until(lambda: bool(r.fake.sent[W01]))
        finally:
            worker.cancel()
        assert "/report" in r.seen(W01)[0]


def test_the_channel_is_off_until_wecom_is_configured(tmp_path: Path) -> None:
    from bot.settings import Settings

    assert plugin(Settings()) is None
    configured = plugin(settings_for(tmp_path, "http://127.0.0.1:9", "k" * 43))
    assert isinstance(configured, WecomPlugin)
    assert [route.path for route in configured.routes] == ["/wecom/callback"]  # type: ignore[attr-defined]
