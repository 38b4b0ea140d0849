"""A chain step's buttons through the one codec: short, read back the same, forgeries None."""

from __future__ import annotations

import pytest

from core.buttons import MAX_DATA_BYTES, StepButton, decode, encode
from core.chains import StepVerb


@pytest.mark.parametrize("verb", list(StepVerb))
def test_each_step_verb_reads_back_as_it_was_sent(verb: StepVerb) -> None:
    data = encode(StepButton(verb, 123456789))
    assert data == f"c:{verb.value}:123456789"
    assert len(data.encode()) <= MAX_DATA_BYTES
    assert decode(data) == StepButton(verb, 123456789)


@pytest.mark.parametrize("forged", [
    "c:accept:1", "c:done:", "c:done:-1", "c:done:1.5", "c:done:1234567890", "c:done:x",
    "c::1", "c:Done:1", "c:done:1:2",
])
def test_forged_step_buttons_read_as_nothing(forged: str) -> None:
    assert decode(forged) is None
