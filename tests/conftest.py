"""Suite-wide settings that must be in place before anything imports python-telegram-bot."""

from __future__ import annotations

import os

# PTB 22 warns inside RetryAfter unless periods are timedeltas, and warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "true")
