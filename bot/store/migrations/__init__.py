"""Alembic migrations of the store (``env.py``, ``versions/``); see :mod:`bot.store.schema`."""
