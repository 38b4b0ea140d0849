"""The e-mail channel's own settings, read from the environment the app's settings came from:
`SMTP_HOST`, `SMTP_PORT`, `SMTP_USER`, `SMTP_PASSWORD`, `SMTP_FROM`, `SMTP_TLS`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from bot.settings import Settings, describe, env_values


class TlsMode(StrEnum):
    NONE = "none"  # plain SMTP, e.g. a relay inside the plant's network
    STARTTLS = "starttls"  # connect in plain text, then upgrade (usually port 587)
    TLS = "tls"  # TLS from the first byte (usually port 465)


DEFAULT_PORTS = {TlsMode.NONE: 25, TlsMode.STARTTLS: 587, TlsMode.TLS: 465}


class EmailSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] | None = None
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None  # "SafetyLoop <safety@plant.example>"; else SMTP_USER
    smtp_tls: TlsMode = TlsMode.STARTTLS
    smtp_timeout_s: Annotated[float, Field(gt=0)] = 30.0

    @property
    def port(self) -> int:
        return self.smtp_port or DEFAULT_PORTS[self.smtp_tls]

    @property
    def sender(self) -> str:
        return self.smtp_from or self.smtp_user or ""


def email_settings(settings: Settings) -> EmailSettings:
    """The SMTP settings; exits naming each bad variable (never its value), as for the others."""
    values = env_values(EmailSettings.model_fields, settings.environ)
    try:
        read = EmailSettings.model_validate(values)
    except ValidationError as exc:
        raise SystemExit(describe(exc)) from None
    if read.smtp_host and "@" not in read.sender:
        raise SystemExit("safetyloop: bad settings (.env or the environment):\n"
                         "  SMTP_FROM: the sender's address is needed when SMTP_HOST is set")
    return read
