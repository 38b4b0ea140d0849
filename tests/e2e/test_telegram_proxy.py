"""Telegram behind a company proxy: every Bot API call goes through TELEGRAM_PROXY_URL."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections import Counter
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import pytest

from bot.channels.telegram import connection
from bot.cli import main
from bot.settings import Settings
from handlers.i18n import t
from tests.e2e.telegram_harness import jpeg, running

USER, PASSWORD = "plant", "s3cret-pass"
# Hop-by-hop headers are the proxy's own business; the rest is relayed as sent.
HOP_BY_HOP = {"connection", "proxy-connection", "proxy-authorization", "keep-alive", "te",
              "trailer", "upgrade"}


class ForwardProxy:
    """A plain HTTP forward proxy on 127.0.0.1 that relays to 127.0.0.1 only, one request per
    connection, and counts the Bot API methods (and file downloads) it relayed."""

    def __init__(self) -> None:
        self.relayed: list[str] = []
        self.refused: list[str] = []
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://{USER}:{PASSWORD}@127.0.0.1:{self.port}"

    async def __aenter__(self) -> ForwardProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *lines = head.decode("latin-1").split("\r\n")[:-2]
            method, target, _version = request_line.split(" ")
            headers = [(name.strip(), value.strip())
                       for name, _, value in (line.partition(":") for line in lines)]
            wanted = {name.lower(): value for name, value in headers}
            url = urlsplit(target)
            credentials = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if wanted.get("proxy-authorization") != f"Basic {credentials}":
                self.refused.append(target)
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                             b"Proxy-Authenticate: Basic\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            assert url.hostname == "127.0.0.1" and url.port, target  # absolute-URI form
            assert "chunked" not in wanted.get("transfer-encoding", "")
            body = await reader.readexactly(int(wanted.get("content-length", "0")))
            name = url.path.rstrip("/").rsplit("/", 1)[-1]
            self.relayed.append("file" if url.path.startswith("/file/") else name)
            upstream_reader, upstream = await asyncio.open_connection("127.0.0.1", url.port)
            path = url.path + (f"?{url.query}" if url.query else "")
            kept = "".join(f"{n}: {v}\r\n" for n, v in headers if n.lower() not in HOP_BY_HOP)
            upstream.write(f"{method} {path} HTTP/1.1\r\n{kept}Connection: close\r\n\r\n"
                           .encode("latin-1") + body)
            await upstream.drain()
            writer.write(await upstream_reader.read())  # the server closes when it is done
            upstream.close()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client went away (e.g. a long poll cancelled at shutdown)
        finally:
            writer.close()


async def test_every_bot_api_call_goes_through_the_proxy(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with ForwardProxy() as proxy, running(tmp_path, telegram_proxy_url=proxy.url) as h:
        user, chat = h.dm("W01")
        h.tg.send_photo(user, chat, jpeg())                # fetched by the adapter: getFile + file
        h.tg.send_text(user, chat, "/points")
        await h.said(chat, t("zh-CN", "points.balance", balance=0))
        reached_telegram = list(h.tg.calls)
        relayed = list(proxy.relayed)
    assert {"getMe", "getUpdates", "getFile", "file", "sendMessage"} <= set(relayed)
    assert not Counter(reached_telegram) - Counter(relayed), "nothing went around the proxy"
    assert proxy.refused == []
    assert PASSWORD not in caplog.text and PASSWORD not in repr(h.plugin.settings)
    assert "through a proxy" in caplog.text


@pytest.mark.parametrize("url", [
    "socks4://plant:s3cret-pass@proxy.example.com:1080",
    "http://plant:s3cret-pass@:7890",
    "http://plant:s3cret-pass@proxy.example.com:99999",
    "127.0.0.1:7890",
])
def test_a_bad_proxy_url_stops_the_start_with_a_clear_error(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)                                  # no .env of the checkout
    for name in ("TELEGRAM_BOT_TOKEN", "WECOM_CORP_ID", "SAFETYLOOP_TELEGRAM_PROXY_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_PROXY_URL", url)
    with pytest.raises(SystemExit) as stopped:
        main(["run"])
    message = str(stopped.value.code)
    assert "TELEGRAM_PROXY_URL" in message and "socks5://" in message
    assert PASSWORD not in message and "Traceback" not in message


def test_a_socks5_proxy_with_a_password_is_accepted_and_kept_out_of_repr() -> None:
    url = f"socks5://{USER}:{PASSWORD}@proxy.example.com:1080"
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:ABC", "TELEGRAM_PROXY_URL": url})
    application = connection.application_builder(settings).build()   # PTB's [socks] extra is here
    assert settings.telegram_proxy_url is not None
    assert settings.telegram_proxy_url.get_secret_value() == url
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)
    assert application.bot.token == "123:ABC"
