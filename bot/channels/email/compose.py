"""A neutral message as an e-mail: a subject line, the text, an HTML part, the files."""

from __future__ import annotations

import html

from bot.inlet import text as catalog_text
from core.buttons import link_url
from core.mail import Mail, MailFile
from core.messages import Button, OutMessage

SUBJECT_CHARS = 120
DEFAULT_LANGUAGE = "zh-CN"
IMAGE_ID = "picture@safetyloop"
_STYLE = "font-family: sans-serif; font-size: 15px; line-height: 1.5"


def subject_of(message: OutMessage) -> str:
    """The first line of the text, with the ticket's code in front when the line lacks it."""
    first = next((line.strip() for line in message.text.splitlines() if line.strip()), "")
    if not first and message.attachment is not None:
        first = message.attachment.name
    if message.ticket and message.ticket not in first:
        first = f"[{message.ticket}] {first}".strip()
    return first if len(first) <= SUBJECT_CHARS else first[: SUBJECT_CHARS - 1] + "…"


def compose(
    message: OutMessage, image: bytes | None = None, attachment: bytes | None = None,
) -> Mail:
    links = [b for b in message.buttons if link_url(b.data)]
    actions = [b.label for b in message.buttons if not link_url(b.data)]
    footer = ""
    if actions:  # buttons cannot be pressed in a mail: say where they can be
        footer = catalog_text(message.lang or DEFAULT_LANGUAGE, "email.act_in_chat",
                              actions=" · ".join(actions))
    files: list[MailFile] = []
    if image is not None:
        kind = "png" if image.startswith(b"\x89PNG") else "jpeg"
        name = f"{message.ticket or 'photo'}.{'png' if kind == 'png' else 'jpg'}"
        files.append(MailFile(name, f"image/{kind}", image, content_id=IMAGE_ID))
    if message.attachment is not None and attachment is not None:
        files.append(MailFile(message.attachment.name, message.attachment.mime, attachment))
    return Mail(
        to=message.address, subject=subject_of(message),
        text=_plain(message.text, links, footer),
        html=_html(message.text, links, footer, with_image=image is not None),
        files=tuple(files),
    )


def _plain(text: str, links: list[Button], footer: str) -> str:
    lines = [text.rstrip()]
    lines += [f"{b.label}: {link_url(b.data)}" for b in links]
    if footer:
        lines += ["", footer]
    return "\n".join(lines).strip() + "\n"


def _html(text: str, links: list[Button], footer: str, *, with_image: bool) -> str:
    body = "<br>\n".join(html.escape(line) for line in text.rstrip().splitlines())
    parts = [f'<div style="{_STYLE}">', f"<p>{body}</p>"]
    if with_image:
        parts.append(f'<p><img src="cid:{IMAGE_ID}" alt="" style="max-width: 100%"></p>')
    for button in links:
        url = html.escape(link_url(button.data) or "", quote=True)
        parts.append(f'<p><a href="{url}">{html.escape(button.label)}</a></p>')
    if footer:
        parts.append(f'<p style="color: #666">{html.escape(footer)}</p>')
    parts.append("</div>")
    return "\n".join(parts) + "\n"
