"""Helpers for the staff account tests (imported as a plain module, not a plugin)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from workshop.services import accounts

REAL_HASHER = accounts._hasher  # Argon2id with 64 MiB: some 0.3 s of CPU a hash, seconds on a busy machine
_QUICK = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch):
    """The same Argon2id, with 1 MiB and one pass, so that tests logging in dozens of times
    stay quick; the production parameters are checked by test_accounts.py on their own."""
    monkeypatch.setattr(accounts, "_hasher", lambda: _QUICK)
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: _QUICK.hash("not a password"))
