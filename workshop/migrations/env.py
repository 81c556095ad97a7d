"""Alembic environment: reuses the app's engine so SQLite pragmas apply to migrations too."""

from alembic import context

from workshop.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Write app-only column types as their plain SQL type, so revisions never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from workshop.db import Database

        engine = Database(config.get_main_option("sqlalchemy.url")).engine
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                          render_item=render_item)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
