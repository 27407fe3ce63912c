"""The migrations build exactly the schema the models describe, on the test backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from linli.models import Base
from linli.models.db import create_engine


async def test_models_match_migrations(database_url: str) -> None:
    engine = create_engine(database_url)

    def _diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        diff = await connection.run_sync(_diff)
    await engine.dispose()
    assert diff == [], diff
