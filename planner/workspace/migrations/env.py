"""Alembic's environment for the workspace: run on the connection planner.workspace hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from planner.workspace.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:  # the alembic command line: `alembic -x url=... upgrade head` with sqlalchemy.url set
    with create_engine(config.get_main_option("sqlalchemy.url")).begin() as connection:
        run(connection)
