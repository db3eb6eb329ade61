"""SQLite storage: numbered migrations, WAL, and every call off the event loop."""

from bot.storage.database import Database, open_database

__all__ = ["Database", "open_database"]
