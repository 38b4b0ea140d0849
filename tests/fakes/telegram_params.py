"""Request parsing for the fake Bot API: query, JSON, form-urlencoded and multipart bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from tests.fakes.telegram_objects import JSON


class ApiError(Exception):
    """A Bot API error answer: HTTP status plus the Telegram error body."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        """Return the JSON body Telegram sends for this error."""
        data: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            data["parameters"] = self.parameters
        return data


def bad_request(reason: str) -> ApiError:
    """A 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


async def read_params(request: Request) -> dict[str, Any]:
    """Merge query-string and body parameters the way the Bot API accepts them."""
    params: dict[str, Any] = dict(parse_qsl(request.url.query, keep_blank_values=True))
    body = await request.body()
    if not body:
        return params
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError as exc:
            raise bad_request("can't parse JSON object") from exc
        if not isinstance(decoded, dict):
            raise bad_request("can't parse JSON object")
        params.update(decoded)
    elif media_type == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif media_type == "multipart/form-data":
        params.update(parse_multipart(content_type, body))
    return params


def parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Split a multipart/form-data body by hand (python-multipart is not a dependency)."""
    header = HeaderParser().parsestr(f"Content-Type: {content_type}\r\n\r\n")
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str):
        raise bad_request("multipart boundary is missing")
    delimiter = b"--" + boundary.encode("latin-1")
    fields: dict[str, Any] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        part: Message = HeaderParser().parsestr(head.decode("utf-8", "replace") + "\r\n\r\n")
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = part.get_filename()
        if filename is None:
            fields[name] = data.decode("utf-8")
        else:
            fields[name] = Upload(data, filename, part.get_content_type())
    return fields


def as_int(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
    """Read an integer parameter sent as a number or a string."""
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise bad_request(f"invalid {name} specified") from exc


def require_int(params: dict[str, Any], name: str) -> int:
    """Read a required integer parameter."""
    value = as_int(params, name)
    if value is None:
        raise bad_request(f"{name} is empty" if name == "chat_id" else f"{name} required")
    return value


def as_str(params: dict[str, Any], name: str) -> str | None:
    """Read a string parameter."""
    value = params.get(name)
    if value is None or isinstance(value, Upload):
        return None
    return str(value)


def as_bool(params: dict[str, Any], name: str) -> bool:
    """Read a boolean parameter sent as JSON true or the strings "true"/"1"."""
    value = params.get(name)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def as_json(params: dict[str, Any], name: str) -> Any:
    """Read a parameter that form bodies carry JSON-encoded and JSON bodies carry as-is."""
    value = params.get(name)
    if isinstance(value, str):
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {name} JSON object") from exc
    return value


def loggable(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters with uploads replaced by a short description, for the call log."""
    return {
        key: f"<upload {value.filename} {len(value.data)} bytes>"
        if isinstance(value, Upload)
        else value
        for key, value in params.items()
    }
