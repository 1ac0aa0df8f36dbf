"""The one ``MetaData`` every table of the store is defined on (:mod:`bot.store.tables`).

Its own module so that the schema code can build the tables (:mod:`bot.store.schema`)
without importing the engine code that calls it (:mod:`bot.store.db`).
"""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()

__all__ = ["metadata"]
