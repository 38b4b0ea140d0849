"""Whether WeCom is configured, and its API client as the settings describe it."""

from __future__ import annotations

import httpx

from bot.channels.wecom.api import WecomApi
from bot.settings import Settings


def configured(settings: Settings) -> bool:
    return all((
        settings.wecom_corp_id, settings.wecom_agent_id, settings.wecom_secret,
        settings.wecom_token, settings.wecom_aes_key,
    ))


def make_api(settings: Settings, client: httpx.AsyncClient | None = None) -> WecomApi:
    assert settings.wecom_corp_id and settings.wecom_agent_id and settings.wecom_secret
    return WecomApi(
        settings.wecom_api_base_url, settings.wecom_corp_id,
        settings.wecom_secret.get_secret_value(), settings.wecom_agent_id, client=client,
    )
