"""WecomApi against the local fake WeCom server: tokens, messages, media, cards, faults."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.channels.wecom.api import (
    WecomApi,
    WecomApiError,
    WecomRateLimited,
    WecomUnavailable,
)
from tests.fakes.wecom_server import FakeWecom

CORP, SECRET, AGENT = "wwfactory01", "app-secret-xyz", 1000002
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8 + b"\r\n--\r\n\xff\xd9"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def wc() -> AsyncIterator[FakeWecom]:
    async with FakeWecom(CORP, SECRET, AGENT) as server:
        yield server


@pytest.fixture
async def api(wc: FakeWecom, clock: FakeClock) -> AsyncIterator[WecomApi]:
    async with WecomApi(wc.base_url, CORP, SECRET, AGENT, clock=clock) as client:
        yield client


async def test_the_token_is_fetched_once_and_reused(api: WecomApi, wc: FakeWecom) -> None:
    await api.send_text("zhangsan", "one")
    await api.send_text("zhangsan", "two")
    assert wc.token_requests == 1
    assert [s.payload["text"]["content"] for s in wc.sent["zhangsan"]] == ["one", "two"]


async def test_the_token_is_refreshed_shortly_before_it_expires(
    api: WecomApi, wc: FakeWecom, clock: FakeClock
) -> None:
    await api.send_text("u", "a")
    clock.now += 7200 - 301
    await api.send_text("u", "b")
    assert wc.token_requests == 1
    clock.now += 2
    await api.send_text("u", "c")
    assert wc.token_requests == 2


async def test_twenty_concurrent_sends_after_server_expiry_share_one_refresh(
    api: WecomApi, wc: FakeWecom
) -> None:
    await api.send_text("u", "warm-up")
    wc.expire_tokens()
    await asyncio.gather(*(api.send_text("u", f"m{i}") for i in range(20)))
    assert wc.token_requests == 2
    assert len(wc.sent["u"]) == 21


async def test_twenty_concurrent_sends_after_clock_expiry_share_one_refresh(
    api: WecomApi, wc: FakeWecom, clock: FakeClock
) -> None:
    await api.send_text("u", "warm-up")
    clock.now += 7200
    await asyncio.gather(*(api.send_text("u", f"m{i}") for i in range(20)))
    assert wc.token_requests == 2


async def test_a_wrong_secret_fails_with_the_gettoken_errcode(wc: FakeWecom) -> None:
    async with WecomApi(wc.base_url, CORP, "wrong", AGENT) as api:
        with pytest.raises(WecomApiError) as caught:
            await api.send_text("u", "x")
    assert caught.value.errcode == 40001
    assert wc.token_requests == 1


async def test_markdown_goes_out_with_the_agent_id(api: WecomApi, wc: FakeWecom) -> None:
    sent = await api.send_markdown("lisi|wangwu", "**隐患** 已整改")
    assert sent.msgid
    for user in ("lisi", "wangwu"):
        (record,) = wc.sent[user]
        assert record.msgtype == "markdown"
        assert record.payload["agentid"] == AGENT


async def test_uploaded_media_downloads_byte_for_byte(api: WecomApi) -> None:
    media_id = await api.upload_media("image", "hazard.jpg", JPEG)
    assert await api.get_media(media_id) == JPEG


async def test_a_users_photo_can_be_downloaded(api: WecomApi, wc: FakeWecom) -> None:
    media_id = wc.add_media(JPEG)
    assert await api.get_media(media_id) == JPEG


async def test_an_unknown_media_id_raises_although_wecom_answers_http_200(api: WecomApi) -> None:
    with pytest.raises(WecomApiError) as caught:
        await api.get_media("expired-after-3-days")
    assert caught.value.errcode == 40007


async def test_send_image_and_send_file_upload_then_send(api: WecomApi, wc: FakeWecom) -> None:
    await api.send_image("u", JPEG)
    await api.send_file("u", "整改报告.pdf", b"%PDF-1.7 report")
    image, file = wc.sent["u"]
    assert (image.msgtype, file.msgtype) == ("image", "file")
    assert wc.media[image.payload["image"]["media_id"]][0] == JPEG
    data, ctype, name = wc.media[file.payload["file"]["media_id"]]
    assert (data, ctype, name) == (b"%PDF-1.7 report", "application/pdf", "整改报告.pdf")


async def test_a_button_card_returns_a_response_code_that_updates_it_once(
    api: WecomApi, wc: FakeWecom
) -> None:
    sent = await api.send_button_card(
        "u",
        task_id="T-17@1",
        title="隐患 T-17",
        description="3号线地面油污",
        buttons=[("ack:T-17", "确认"), ("esc:T-17", "升级")],
    )
    (record,) = wc.sent["u"]
    card = record.payload["template_card"]
    assert card["card_type"] == "button_interaction"
    assert [b["key"] for b in card["button_list"]] == ["ack:T-17", "esc:T-17"]
    assert sent.response_code
    await api.update_button_card(
        userids=["u"], response_code=sent.response_code, replace_name="已确认"
    )
    assert wc.card_updates[0]["button"] == {"replace_name": "已确认"}
    with pytest.raises(WecomApiError):
        await api.update_button_card(
            userids=["u"], response_code=sent.response_code, replace_name="again"
        )


async def test_more_than_six_buttons_is_refused_before_sending(
    api: WecomApi, wc: FakeWecom
) -> None:
    buttons = [(f"k{i}", f"b{i}") for i in range(7)]
    with pytest.raises(ValueError, match="6"):
        await api.send_button_card("u", task_id="T1", title="t", description="d", buttons=buttons)
    assert wc.calls["message/send"] == 0


@pytest.mark.parametrize("task_id", ["", "has space", "x" * 129, "中文"])
async def test_an_invalid_task_id_is_refused(api: WecomApi, task_id: str) -> None:
    with pytest.raises(ValueError, match="task_id"):
        await api.send_button_card(
            "u", task_id=task_id, title="t", description="d", buttons=[("k", "b")]
        )


async def test_a_rate_limit_raises_rate_limited_with_a_retry_hint(
    api: WecomApi, wc: FakeWecom
) -> None:
    await api.send_text("u", "warm-up")
    wc.rate_limit_next(1)
    with pytest.raises(WecomRateLimited) as caught:
        await api.send_text("u", "x")
    assert caught.value.errcode == 45009
    assert caught.value.retry_after > 0
    await api.send_text("u", "after")


async def test_a_server_down_is_unavailable_until_it_is_up(api: WecomApi, wc: FakeWecom) -> None:
    wc.down()
    with pytest.raises(WecomUnavailable):
        await api.send_text("u", "x")
    wc.up()
    await api.send_text("u", "back")
    assert [s.payload["text"]["content"] for s in wc.sent["u"]] == ["back"]


async def test_a_refused_connection_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the call: nothing listens
    async with WecomApi(f"http://127.0.0.1:{port}", CORP, SECRET, AGENT) as api:
        with pytest.raises(WecomUnavailable):
            await api.send_text("u", "x")


async def test_every_request_carries_a_timeout_and_a_timeout_is_unavailable() -> None:
    seen: list[dict[str, float | None]] = []

    def stall(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        raise httpx.ReadTimeout("stalled", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(stall)) as client:
        api = WecomApi("https://wecom.invalid", CORP, SECRET, AGENT, client=client)
        with pytest.raises(WecomUnavailable):
            await api.send_text("u", "x")
    assert seen and all(t["read"] == 10.0 and t["connect"] == 10.0 for t in seen)


async def test_an_app_group_chat_is_created_and_receives_text_and_markdown(
    api: WecomApi, wc: FakeWecom
) -> None:
    chatid = await api.appchat_create("3号线安全群", "lisi", ["lisi", "wangwu"], chatid="line3")
    await api.appchat_send_text(chatid, "新隐患 T-18")
    await api.appchat_send_markdown(chatid, "**T-18** 超时未整改")
    assert chatid == "line3"
    assert [m.msgtype for m in wc.chat_messages["line3"]] == ["text", "markdown"]


async def test_the_menu_is_created_for_this_agent(api: WecomApi, wc: FakeWecom) -> None:
    menu = {"button": [{"type": "click", "name": "报告隐患", "key": "REPORT"}]}
    await api.create_menu(menu)
    assert wc.menus == [menu]


async def test_a_streamed_download_takes_a_fresh_token_when_the_old_one_died(
    api: WecomApi, wc: FakeWecom
) -> None:
    media_id = wc.add_media(JPEG)
    await api.send_text("u", "warm-up")
    wc.expire_tokens()
    media = await api.download_media(media_id, max_bytes=1024 * 1024)
    assert media.data == JPEG
    assert wc.token_requests == 2


async def test_a_token_refused_again_when_fresh_is_an_error_after_one_more_try() -> None:
    paths: list[str] = []

    def refusing_every_token(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path.removeprefix("/cgi-bin/"))
        if request.url.path.endswith("/gettoken"):
            token = f"token-{len(paths)}"
            return httpx.Response(200, json={"errcode": 0, "access_token": token,
                                             "expires_in": 7200})
        return httpx.Response(200, json={"errcode": 42001, "errmsg": "access_token expired"})

    transport = httpx.MockTransport(refusing_every_token)
    async with httpx.AsyncClient(transport=transport) as client:
        api = WecomApi("https://wecom.test", CORP, SECRET, AGENT, client=client)
        with pytest.raises(WecomApiError) as download:
            await api.download_media("m1", max_bytes=1024)
        with pytest.raises(WecomApiError) as send:
            await api.send_text("u", "x")
    assert download.value.errcode == send.value.errcode == 42001
    assert paths == ["gettoken", "media/get", "gettoken", "media/get",
                     "gettoken", "message/send", "gettoken", "message/send"]
