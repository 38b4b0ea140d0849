"""The web endpoints of `safetyloop run`: channel callbacks and a health check."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route


async def healthz(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def build_web(routes: Sequence[BaseRoute]) -> Starlette:
    return Starlette(routes=[Route("/healthz", healthz), *routes])
