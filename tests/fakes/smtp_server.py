"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every mail it accepts.

    with MailServer() as server:        # or MailServer(started=False): down until start()
        ...SMTP_HOST=127.0.0.1 SMTP_PORT=server.port...
        assert server.mails[0]["Subject"] == "…"

It can be down (nothing listens on its port yet), defer the next recipients with 451
as a busy server does, and refuse addresses it does not know with 550.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on now (aiosmtpd's port=0 does not pick one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def __getitem__(self, header: str) -> Any:
        return self.message[header]

    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())

    def html(self) -> str:
        body = self.message.get_body(preferencelist=("html",))
        assert body is not None
        return str(body.get_content())

    def files(self) -> dict[str, bytes]:
        """Attached files by name (not the pictures shown inside the HTML)."""
        return {
            part.get_filename() or "": part.get_content()
            for part in self.message.iter_attachments()
        }


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str],
    ) -> str:
        with self.server.lock:
            self.server.attempts += 1
            if self.server.defer_next > 0:
                self.server.defer_next -= 1
                return "451 4.3.0 Try again later"
        if address in self.server.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.server.lock:
            self.server.mails.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self, *, started: bool = True) -> None:
        self.port = free_port()
        self.mails: list[Received] = []
        self.unknown: set[str] = set()
        self.defer_next = 0
        self.attempts = 0
        self.lock = threading.Lock()
        self._controller: Controller | None = None
        if started:
            self.start()

    @property
    def env(self) -> dict[str, str]:
        """The settings that send mail here, as `.env` would hold them."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port), "SMTP_TLS": "none",
                "SMTP_FROM": "SafetyLoop 安全助手 <safety@plant.example>"}

    def start(self) -> None:
        # Made only now: a controller makes its event loop at once and closes it only after
        # it ran, so one that never starts would leave an unclosed loop behind.
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [mail for mail in self.mails if address in mail.recipients]

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
