"""SQL store (SQLite by default, PostgreSQL in production) via SQLAlchemy 2."""
