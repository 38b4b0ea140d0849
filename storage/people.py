"""The directory of identities and preferences (the points ledger is storage/ledger.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from storage.tables import IdentityRow, PersonPrefsRow


class SqlDirectory:
    """Reads of a person's preferences are cached for the transaction: one turn asks often."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._prefs_cache: dict[str, PersonPrefsRow | None] = {}

    def person_for(self, channel: str, external_id: str) -> str | None:
        row = self.session.get(IdentityRow, (channel, external_id))
        return row.person if row else None

    def bind(self, channel: str, external_id: str, person: str) -> None:
        row = self.session.get(IdentityRow, (channel, external_id))
        row = row or IdentityRow(channel=channel, external_id=external_id, person=person)
        row.person = person
        self.session.add(row)

    def bind_all(self, bindings: Sequence[tuple[str, str, str]]) -> None:
        # One read of the table, not one per account: a plant names hundreds of them and every
        # start (and every in-process test) seeds them all.
        rows = self.session.exec(select(IdentityRow))
        kept = {(row.channel, row.external_id): row for row in rows}
        for channel, external_id, person in bindings:
            row = kept.get((channel, external_id))
            if row is None:
                row = kept[(channel, external_id)] = IdentityRow(
                    channel=channel, external_id=external_id, person=person)
                self.session.add(row)
            elif row.person != person:
                row.person = person
                self.session.add(row)

    def addresses(self, person: str) -> dict[str, str]:
        query = select(IdentityRow).where(IdentityRow.person == person)
        return {row.channel: row.external_id for row in self.session.exec(query)}

    def _prefs(self, person: str) -> PersonPrefsRow | None:
        if person not in self._prefs_cache:
            self._prefs_cache[person] = self.session.get(PersonPrefsRow, person)
        return self._prefs_cache[person]

    def _writable(self, person: str) -> PersonPrefsRow:
        row = self._prefs(person)
        if row is None:
            row = self._prefs_cache[person] = PersonPrefsRow(person=person)
        self.session.add(row)
        return row

    def last_channel(self, person: str) -> str | None:
        row = self._prefs(person)
        return row.last_channel if row else None

    def touch(self, person: str, channel: str) -> None:
        if self.last_channel(person) != channel:
            self._writable(person).last_channel = channel

    def language(self, person: str) -> str | None:
        row = self._prefs(person)
        return row.lang if row else None

    def set_language(self, person: str, lang: str) -> None:
        self._writable(person).lang = lang
