"""The schema revisions, apart from :mod:`bot.store.schema` so that checking a store's
revision needs neither SQLAlchemy nor Alembic."""

# The newest revision in migrations/versions/ (a test checks it against Alembic's head).
HEAD_REVISION = "0005_alerts"
# The tables ``metadata.create_all`` made before migrations existed.
BASELINE_REVISION = "0001_baseline"
