"""Settings: one typed, immutable object built from an environment passed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from limits import parse_many
from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
)

PREFIXES = ("SAFETYLOOP_", "")
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
PROXY_EXAMPLES = "e.g. http://127.0.0.1:7890 or socks5://user:password@host:1080"


def check_proxy_url(url: str) -> None:
    """Raise ValueError saying what is wrong with a proxy URL, without quoting it (password)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme.lower() not in PROXY_SCHEMES:
        problem = f"the scheme must be one of {', '.join(PROXY_SCHEMES)}"
    elif not parts.hostname:
        problem = "it names no host"
    elif port == -1:
        problem = "its port is not a number from 0 to 65535"
    else:
        return
    raise ValueError(f"not a usable proxy URL: {problem} ({PROXY_EXAMPLES})")


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    database_url: str = "sqlite:///data/safetyloop.db"
    data_dir: Path = Path("data")
    plant_file: Path = Path("config/demo-plant.yaml")
    max_photo_mb: int = 20
    sweep_interval_s: float = 30.0
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    log_level: str = "INFO"

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_poll_timeout_s: float = 10.0
    telegram_messages_per_second: float = 30.0
    telegram_group_messages_per_minute: int = 20
    telegram_proxy_url: SecretStr | None = None  # may carry a password

    wecom_corp_id: str | None = None
    wecom_agent_id: int | None = None
    wecom_secret: SecretStr | None = None
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_api_base_url: str = "https://qyapi.weixin.qq.com"
    wecom_callback_path: str = "/wecom/callback"
    wecom_datum: str = "gcj02"
    wecom_max_callback_age_s: int = 300
    # WeCom silently drops app messages past 30 a minute or 1000 an hour to one member.
    wecom_user_rate_limit: str = "30/minute;1000/hour"
    # A group's members may get 200 app messages a minute; one group is kept well below.
    wecom_group_rate_limit: str = "20/minute"

    @field_validator("wecom_user_rate_limit", "wecom_group_rate_limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        """Refuse at start a limit that `limits` cannot read, e.g. "30/minute;1000/hour"."""
        parse_many(value)
        return value

    @field_validator("telegram_proxy_url")
    @classmethod
    def _proxy_url(cls, value: SecretStr | None) -> SecretStr | None:
        """Refuse at start what httpx would refuse mid-run; never quote the URL (password)."""
        if value is not None:
            check_proxy_url(value.get_secret_value())
        return value

    # Every variable from_env saw, secrets included: private, so never in repr or dumps.
    _environ: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def max_photo_bytes(self) -> int:
        return self.max_photo_mb * 1024 * 1024

    @property
    def environ(self) -> Mapping[str, str]:
        """The variables these settings were read from: a channel package reads its own there."""
        return MappingProxyType(self._environ)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read `SAFETYLOOP_DATABASE_URL` or `DATABASE_URL` style names; empty means unset."""
        settings = cls.model_validate(env_values(cls.model_fields, environ))
        settings._environ = dict(environ)
        return settings


def env_values(names: Iterable[str], environ: Mapping[str, str]) -> dict[str, str]:
    """The value of each name that is set, as `SAFETYLOOP_NAME` or `NAME`; empty means unset."""
    values: dict[str, str] = {}
    for name in names:
        for prefix in PREFIXES:
            value = environ.get(prefix + name.upper(), "")
            if value.strip():
                values[name] = value.strip()
                break
    return values


def describe(error: ValidationError) -> str:
    """What an operator reads for bad settings: each variable and what is wrong, no values."""
    lines = ["safetyloop: bad settings (.env or the environment):"]
    for problem in error.errors(include_input=False, include_url=False):
        cause = (problem.get("ctx") or {}).get("error")
        name = ".".join(str(part) for part in problem["loc"]).upper()
        reason = str(cause) if isinstance(cause, ValueError) else problem["msg"]
        lines.append(f"  {name}: {reason}")
    return "\n".join(lines)
