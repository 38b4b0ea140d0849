"""WeCom callbacks: real WeChatCrypto encryption in, verified and parsed WecomInbound out."""

from __future__ import annotations

import base64
import os
from urllib.parse import unquote_plus

import pytest

from bot.channels.wecom.callback import (
    ForgedCallback,
    StaleCallback,
    WecomCallbackCrypto,
    WecomInbound,
    parse,
    query_params,
)
from tests.fakes.wecom_server import (
    click_xml,
    enter_agent_xml,
    image_xml,
    location_event_xml,
    location_xml,
    make_callback,
    make_verify_query,
    template_card_event_xml,
    text_xml,
)

TOKEN = "QDG6eKtoken"
CORP = "ww5823bf96d3bd56c7"
NOW = 1_700_000_000
NONCE = "1372623149"

# The worked example in WeCom's official callback SDK samples (Sample.php / sample.go).
SAMPLE_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
SAMPLE_TOKEN, SAMPLE_CORP = "QDG6eK", "wx5823bf96d3bd56c7"
SAMPLE_GET = (
    "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589"
    "&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNd"
    "tp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D"
)
SAMPLE_POST_QUERY = (
    "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149"
)
SAMPLE_POST_BODY = (
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQ"
    "KFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W"
    "/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxA"
    "UHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v"
    "+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6B"
    "pNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+"
    "qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
)


@pytest.fixture
def aes_key() -> str:
    """A fresh, realistic 43-character EncodingAESKey."""
    return base64.b64encode(os.urandom(32)).decode().rstrip("=")


@pytest.fixture
def crypto(aes_key: str) -> WecomCallbackCrypto:
    return WecomCallbackCrypto(TOKEN, aes_key, CORP, clock=lambda: NOW)


def receive(crypto: WecomCallbackCrypto, aes_key: str, xml: str, ts: int = NOW) -> WecomInbound:
    query, body = make_callback(TOKEN, aes_key, CORP, xml, ts, NONCE)
    return parse(crypto.decrypt(query_params(query), body))


def test_the_official_sample_url_check_decrypts_its_echostr() -> None:
    crypto = WecomCallbackCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_CORP, clock=lambda: 1409659589)
    assert crypto.verify_url(query_params(SAMPLE_GET.encode())) == "1616140317555161061"


def test_the_official_sample_post_decrypts_to_a_text_message() -> None:
    crypto = WecomCallbackCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_CORP, clock=lambda: 1409659813)
    inbound = parse(crypto.decrypt(query_params(SAMPLE_POST_QUERY), SAMPLE_POST_BODY.encode()))
    assert (inbound.kind, inbound.content, inbound.from_user) == ("text", "hello", "mycreate")
    assert inbound.msg_id == "4561255354251345929"
    assert inbound.agent_id == 218


def test_a_raw_plus_in_the_echostr_survives_query_parsing() -> None:
    raw = SAMPLE_GET.replace("%2B", "+")
    echostr = query_params(raw)["echostr"]
    assert "+" in echostr
    assert " " in unquote_plus(raw.split("echostr=")[1])  # what the wrong decoder would do
    crypto = WecomCallbackCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_CORP, clock=lambda: 1409659589)
    assert crypto.verify_url(query_params(raw)) == "1616140317555161061"


def test_the_url_check_round_trips_with_a_generated_key(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    query = make_verify_query(TOKEN, aes_key, CORP, "echo-42", NOW, NONCE)
    assert crypto.verify_url(query_params(query)) == "echo-42"


def test_a_text_message_round_trips(crypto: WecomCallbackCrypto, aes_key: str) -> None:
    inbound = receive(crypto, aes_key, text_xml("zhangsan", "叉车漏油 + 地滑", msg_id=77))
    assert inbound.kind == "text"
    assert inbound.content == "叉车漏油 + 地滑"
    assert (inbound.from_user, inbound.create_time, inbound.agent_id) == ("zhangsan", NOW, 1000002)
    assert inbound.dedupe_key == "msg:77"


def test_an_image_message_carries_its_media_id(crypto: WecomCallbackCrypto, aes_key: str) -> None:
    inbound = receive(crypto, aes_key, image_xml("lisi", "MEDIA_1"))
    assert (inbound.kind, inbound.media_id) == ("image", "MEDIA_1")
    assert inbound.pic_url == "https://wework.qpic.cn/MEDIA_1"


def test_a_location_message_reads_location_x_as_latitude(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    xml = location_xml("lisi", 31.298886, 120.585316, label="苏州工业园区")
    inbound = receive(crypto, aes_key, xml)
    assert inbound.kind == "location"
    assert inbound.lat == pytest.approx(31.298886)
    assert inbound.lon == pytest.approx(120.585316)
    assert (inbound.label, inbound.scale) == ("苏州工业园区", "15")


def test_a_reported_location_event_maps_to_a_location(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    inbound = receive(crypto, aes_key, location_event_xml("lisi", 23.104, 113.32, precision=65.0))
    assert (inbound.kind, inbound.event) == ("location", "LOCATION")
    assert (inbound.lat, inbound.lon, inbound.precision) == (23.104, 113.32, 65.0)
    assert inbound.msg_id is None


def test_a_menu_click_carries_its_event_key(crypto: WecomCallbackCrypto, aes_key: str) -> None:
    inbound = receive(crypto, aes_key, click_xml("wangwu", "REPORT_HAZARD"))
    assert (inbound.kind, inbound.event_key) == ("click", "REPORT_HAZARD")
    assert inbound.dedupe_key == f"evt:wangwu:{NOW}:click:REPORT_HAZARD"


def test_entering_the_app_is_an_enter_agent_event(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    inbound = receive(crypto, aes_key, enter_agent_xml("wangwu"))
    assert inbound.kind == "enter_agent"
    assert inbound.dedupe_key == f"evt:wangwu:{NOW}:enter_agent:"


def test_a_card_button_press_is_parsed_from_the_raw_xml(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    xml = template_card_event_xml("zhaoliu", "ack:T-17", "T-17@1", "rc-abc")
    inbound = receive(crypto, aes_key, xml)
    assert inbound.kind == "card_press"
    assert (inbound.event_key, inbound.task_id) == ("ack:T-17", "T-17@1")
    assert (inbound.card_type, inbound.response_code) == ("button_interaction", "rc-abc")
    assert inbound.dedupe_key == f"evt:zhaoliu:{NOW}:template_card_event:ack:T-17"


def test_an_unsupported_message_type_is_unknown(crypto: WecomCallbackCrypto, aes_key: str) -> None:
    xml = text_xml("u", "x").replace("[text]", "[voice]")
    assert receive(crypto, aes_key, xml).kind == "unknown"


def test_a_retried_delivery_has_the_same_dedupe_key(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    first = receive(crypto, aes_key, click_xml("u", "K"))
    again = receive(crypto, aes_key, click_xml("u", "K"), ts=NOW + 5)
    assert first.dedupe_key == again.dedupe_key


def test_a_bad_signature_is_forged(crypto: WecomCallbackCrypto, aes_key: str) -> None:
    query, body = make_callback(TOKEN, aes_key, CORP, text_xml("u", "hi"), NOW, NONCE)
    params = query_params(query)
    params["msg_signature"] = "0" * 40
    with pytest.raises(ForgedCallback):
        crypto.decrypt(params, body)


def test_a_tampered_body_is_forged(crypto: WecomCallbackCrypto, aes_key: str) -> None:
    query, body = make_callback(TOKEN, aes_key, CORP, text_xml("u", "hi"), NOW, NONCE)
    with pytest.raises(ForgedCallback):
        crypto.decrypt(query_params(query), body.replace(b"<![CDATA[", b"<![CDATA[A", 2))


def test_a_message_for_another_corp_is_forged(crypto: WecomCallbackCrypto, aes_key: str) -> None:
    query, body = make_callback(TOKEN, aes_key, "wwsomeoneelse", text_xml("u", "hi"), NOW, NONCE)
    with pytest.raises(ForgedCallback, match="corp id"):
        crypto.decrypt(query_params(query), body)


def test_a_url_check_signed_with_another_token_is_forged(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    query = make_verify_query("other-token", aes_key, CORP, "echo", NOW, NONCE)
    with pytest.raises(ForgedCallback):
        crypto.verify_url(query_params(query))


def test_missing_query_parameters_are_forged(crypto: WecomCallbackCrypto) -> None:
    with pytest.raises(ForgedCallback, match="msg_signature"):
        crypto.decrypt({"timestamp": str(NOW), "nonce": NONCE}, b"<xml/>")


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_outside_five_minutes_is_stale(
    crypto: WecomCallbackCrypto, aes_key: str, skew: int
) -> None:
    query, body = make_callback(TOKEN, aes_key, CORP, text_xml("u", "hi"), NOW + skew, NONCE)
    with pytest.raises(StaleCallback):
        crypto.decrypt(query_params(query), body)


def test_a_timestamp_inside_the_window_is_accepted(
    crypto: WecomCallbackCrypto, aes_key: str
) -> None:
    assert receive(crypto, aes_key, text_xml("u", "hi"), ts=NOW - 299).content == "hi"


def test_query_params_splits_and_unquotes_without_turning_plus_into_space() -> None:
    assert query_params(b"a=1%2B2&b=x+y&&c=") == {"a": "1+2", "b": "x+y", "c": ""}


def test_a_malformed_encoding_aes_key_is_rejected_up_front() -> None:
    with pytest.raises(ValueError, match="43"):
        WecomCallbackCrypto(TOKEN, "too-short", CORP, clock=lambda: NOW)
