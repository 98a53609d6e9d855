"""Models and migrations agree, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from server.platform.extensions import db


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_tables_have_the_storage_parameters_their_models_name(app):
    """Autogenerate does not compare storage parameters: the migrations must set them."""
    named = {
        table.name: table.dialect_options["postgresql"]["with"]
        for table in db.metadata.tables.values()
        if table.dialect_options["postgresql"]["with"]
    }
    assert named == {"coverage_results": {"fillfactor": 70}}
    with db.engine.connect() as connection:
        if connection.dialect.name != "postgresql":
            return  # SQLite has no storage parameters
        stored = dict(
            connection.execute(
                text("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(:names)"),
                {"names": list(named)},
            ).all()
        )
    assert stored == {
        name: [f"{key}={value}" for key, value in options.items()]
        for name, options in named.items()
    }
