"""Who holds a lease: enough to tell, from another process, that its holder is certainly dead."""

from __future__ import annotations

import functools
import hashlib
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def host_key() -> str:
    """The space in which a process id names one process: host, its boot, pid namespace."""
    # Two containers may share a host name, and a rebooted host reuses process ids: only where
    # all three agree does a missing process id prove its process gone.
    space = _read("/proc/sys/kernel/random/boot_id") + _readlink("/proc/self/ns/pid")
    digest = hashlib.sha256(space.encode()).hexdigest()[:12]
    return f"{socket.gethostname()[:120]}/{digest}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


@dataclass(frozen=True)
class LeaseOwner:
    host: str
    pid: int
    boot: str  # made when the process started: a new process with a reused pid differs

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.boot}"

    @classmethod
    def parse(cls, text: str) -> LeaseOwner | None:
        parts = text.rsplit(":", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        host, pid, boot = parts
        return cls(host, int(pid), boot)

    def outlived(self, other: LeaseOwner) -> bool:
        """Whether `other` certainly died; never guessed for hosts this one cannot look into."""
        if other.host != self.host or other == self:
            return False
        if other.pid == self.pid:
            return True  # our own pid with another boot id: an earlier run of this process
        return not process_alive(other.pid)


def this_process() -> LeaseOwner:
    """The owner this process signs its leases with, the same for every worker in it."""
    return _owner_of(os.getpid())  # keyed by pid: a forked child gets an owner of its own


@functools.cache
def _owner_of(pid: int) -> LeaseOwner:
    return LeaseOwner(host_key(), pid, uuid.uuid4().hex)
