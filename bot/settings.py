"""Settings: one typed, immutable object built from an environment passed in."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

PREFIXES = ("SAFETYLOOP_", "")


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

    wecom_corp_id: str | None = None
    wecom_agent_id: int | None = None
    wecom_secret: SecretStr | None = None
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_api_base_url: str = "https://qyapi.weixin.qq.com"
    wecom_callback_path: str = "/wecom/callback"
    wecom_datum: str = "gcj02"
    wecom_max_callback_age_s: int = 300

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def max_photo_bytes(self) -> int:
        return self.max_photo_mb * 1024 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read `SAFETYLOOP_DATABASE_URL` or `DATABASE_URL` style names; empty means unset."""
        values: dict[str, str] = {}
        for name in cls.model_fields:
            for prefix in PREFIXES:
                value = environ.get(prefix + name.upper(), "")
                if value.strip():
                    values[name] = value.strip()
                    break
        return cls.model_validate(values)
