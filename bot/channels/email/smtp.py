"""The mailer port over SMTP (aiosmtplib): a MIME mail built with `EmailMessage`, so Chinese
subjects, bodies and file names are encoded as mail clients expect."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import aiosmtplib

from bot.channels.email.settings import EmailSettings, TlsMode
from core.mail import Mail, MailDeferred, MailRefused

log = logging.getLogger(__name__)

# Refusals that are about our account or server settings, not about one mail: keep the
# mail and try again until an administrator fixes them.
SETUP_ERRORS = (aiosmtplib.SMTPAuthenticationError, aiosmtplib.SMTPSenderRefused,
                aiosmtplib.SMTPNotSupported)


def build(mail: Mail, sender: str) -> EmailMessage:
    """The MIME message: plain text and HTML alternatives, pictures inline, files attached."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(mail.text)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html")
        html_part = message.get_body(preferencelist=("html",))
        assert html_part is not None
        for file in mail.files:
            if file.content_id is not None:
                maintype, _, subtype = file.mime.partition("/")
                html_part.add_related(file.data, maintype, subtype, cid=f"<{file.content_id}>",
                                      filename=file.name, disposition="inline")
    for file in mail.files:
        if file.content_id is None or mail.html is None:
            maintype, _, subtype = file.mime.partition("/")
            message.add_attachment(file.data, maintype, subtype or "octet-stream",
                                   filename=file.name)
    return message


class SmtpMailer:
    """Sends each mail on its own connection: notices are few, and nothing is left to go stale."""

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    async def send(self, mail: Mail) -> str:
        message = build(mail, self.settings.sender)
        password = self.settings.smtp_password
        try:
            await aiosmtplib.send(
                message, hostname=self.settings.smtp_host, port=self.settings.port,
                username=self.settings.smtp_user or None,
                password=password.get_secret_value() if password else None,
                use_tls=self.settings.smtp_tls is TlsMode.TLS,
                start_tls=self.settings.smtp_tls is TlsMode.STARTTLS,
                timeout=self.settings.smtp_timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [r.code for r in refused.recipients]
            if codes and all(400 <= code < 500 for code in codes):
                raise MailDeferred(f"smtp: recipient deferred: {refused}") from refused
            raise MailRefused(f"smtp: recipient refused: {refused}") from refused
        except SETUP_ERRORS as wrong:
            log.error("the mail server refused our settings (%s): check SMTP_* in .env", wrong)
            raise MailDeferred(f"smtp: {wrong}") from wrong
        except aiosmtplib.SMTPResponseException as said:
            if 400 <= said.code < 500:
                raise MailDeferred(f"smtp: {said.code} {said.message}") from said
            raise MailRefused(f"smtp: {said.code} {said.message}") from said
        except (aiosmtplib.SMTPException, OSError) as down:  # refused, reset, timed out
            raise MailDeferred(f"smtp: {down!r}") from down
        return str(message["Message-ID"])
