"""One-time invitations: an admin invites a person of the roster, who redeems it with /start."""

from __future__ import annotations

import secrets
from datetime import timedelta

from core.dialog import EventKind, Incoming
from core.plant import Role
from core.ports import UnitOfWork
from handlers.context import Notifier, Services, Turn

VALID_FOR = timedelta(days=7)


def invite(turn: Turn) -> None:
    """`/invite PERSON`: a token (and a deep link per chat app) that binds whoever uses it."""
    if not turn.person.has(Role.ADMIN):
        turn.reply("invite.admins_only")
        return
    wanted = turn.event.args.strip()
    person = (turn.plant.person(wanted) or turn.plant.person(wanted.upper())) if wanted else None
    if person is None:
        turn.reply("invite.usage" if not wanted else "invite.unknown_person",
                   person_id=wanted[:32])
        return
    now = turn.services.clock.now()
    # 16 random bytes: unguessable, and short enough for Telegram's 64-character start parameter.
    token = secrets.token_urlsafe(16)
    turn.uow.invites.add(token=token, person=person.id, created_by=turn.person.id,
                         created_at=now, expires_at=now + VALID_FOR)
    turn.uow.audit.append(at=now, actor=turn.person.id, action="InviteIssued",
                          subject=person.id, data={"expires_at": (now + VALID_FOR).isoformat()})
    links = "\n".join(f"{link}?start={token}" for link in turn.services.dm_links.values())
    turn.reply("invite.issued", name=person.name, person_id=person.id, token=token,
               days=VALID_FOR.days, links=links or turn.text("invite.no_links", token=token))


def start_token(event: Incoming) -> str | None:
    """The token of a `/start TOKEN` command (what a deep link sends), if this is one."""
    if event.kind is not EventKind.COMMAND or event.command != "start":
        return None
    token = event.args.strip()
    return token if 8 <= len(token) <= 64 else None


def redeem(services: Services, uow: UnitOfWork, event: Incoming, token: str) -> None:
    """Bind the stranger who sent `/start TOKEN` to the invited person, once."""
    notify, now = Notifier(services, uow), services.clock.now()
    actor = f"{event.channel}:{event.sender}"
    person_id = None if event.is_group else uow.invites.redeem(token, by=actor, at=now)
    person = services.plant.person(person_id) if person_id else None
    if person is None:
        uow.audit.append(at=now, actor=actor[:64], action="InviteRefused", subject=token[:6],
                         data={"channel": event.channel})
        notify.to_chat(event.channel, event.chat, services.plant.language, "invite.invalid")
        return
    uow.directory.bind(event.channel, event.sender, person.id)
    uow.directory.touch(person.id, event.channel)
    uow.audit.append(at=now, actor=person.id, action="InviteRedeemed", subject=person.id,
                     data={"channel": event.channel})
    notify.to_chat(event.channel, event.chat, notify.language(person.id), "identity.bound",
                   name=person.name)
