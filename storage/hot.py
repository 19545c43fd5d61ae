"""The commonest updates' statements, compiled once and run straight on a pooled connection.

Profiled under load (bench/updates.py, issue 9), a button press spent about three times as
long in SQLAlchemy's session, connection and result machinery as in SQLite itself, and on
PostgreSQL BEGIN and COMMIT were round trips of their own beside the statements. Here a Core
statement is compiled once per database kind; its parameters and rows go through the same
type processors SQLAlchemy would apply, on the DBAPI connection of the engine's pool, in one
greenlet for the whole unit of work.

A unit runs in autocommit: each statement is a transaction of its own (PostgreSQL: one
round trip; SQLite: the write commits at the end of the unit). So it suits use cases that
read, then write at most ONE statement; anything that writes more goes through
Database.transaction. Driver errors come out as SQLAlchemy's DBAPIError, as from a session,
so that Database.retrying recognises the transient ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.util.concurrency import greenlet_spawn

T = TypeVar("T")
Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement as its database kind runs it: SQL, parameter order, type processors."""

    sql: str
    names: tuple[str, ...]
    binds: tuple[Processor, ...]
    defaults: dict[str, Any]  # values fixed in the statement (literals become parameters)
    results: tuple[Processor, ...]

    def arguments(self, params: dict[str, Any]) -> tuple[Any, ...]:
        """The positional parameters, processed as SQLAlchemy would."""
        values = self.defaults | params if self.defaults else params
        ordered = [values[name] for name in self.names]
        return tuple(
            value if process is None else process(value)
            for process, value in zip(self.binds, ordered, strict=True)
        )

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        """One result row with every column's type processor applied."""
        return tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(self.results, raw, strict=True)
        )


def compile_for(statement: ClauseElement, dialect: Dialect) -> Compiled:
    """`statement` compiled for `dialect` (no IN lists that expand at run time)."""
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    # A name stands once per place it is used (SQLite's `?`), or once (PostgreSQL's `$n`).
    names = tuple(compiled.positiontup or ())
    binds = {name: compiled.binds[name] for name in names}
    if any(bind.expanding for bind in binds.values()):
        raise ValueError("expanding parameters are not supported by hot statements")
    processors = {
        name: bind.type.dialect_impl(dialect).bind_processor(dialect)
        for name, bind in binds.items()
    }
    columns = getattr(statement, "exported_columns", ())
    return Compiled(
        sql=compiled.string,
        names=names,
        binds=tuple(processors[name] for name in names),
        defaults={name: bind.effective_value for name, bind in binds.items() if not bind.required},
        results=tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ),
    )


class HotCursor:
    """Runs compiled statements on one pooled connection (inside Hot.run's greenlet)."""

    def __init__(self, hot: Hot, connection: Any) -> None:
        self._hot, self._connection = hot, connection
        self._cursor = connection.cursor()

    @property
    def dialect(self) -> str:
        """The database kind ("sqlite", "postgresql")."""
        return self._hot.dialect_name

    def rows(self, statement: ClauseElement, **params: Any) -> list[tuple[Any, ...]]:
        """Every row of a SELECT (or of RETURNING)."""
        compiled, cursor = self._run(statement, params)
        return [compiled.row(raw) for raw in cursor.fetchall()]

    def execute(self, statement: ClauseElement, **params: Any) -> int:
        """Run a write; how many rows it changed."""
        _, cursor = self._run(statement, params)
        return int(cursor.rowcount)

    def _run(self, statement: ClauseElement, params: dict[str, Any]) -> tuple[Compiled, Any]:
        compiled = self._hot.compiled(statement)
        arguments = compiled.arguments(params)
        self._hot.before_execute(compiled.sql, arguments)
        try:
            self._cursor.execute(compiled.sql, arguments)
        except self._hot.dbapi_error as exc:
            raise self._hot.translated(exc, compiled.sql, arguments, self._connection) from exc
        return compiled, self._cursor


class Hot:
    """Units of work of hot statements on the engine's pool, in autocommit."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine
        self._dialect = engine.dialect
        self.dialect_name: str = engine.dialect.name
        # By identity: statements are module constants (and ClauseElement overloads ==).
        self._compiled: dict[int, tuple[ClauseElement, Compiled]] = {}
        self.dbapi_error: type[Exception] = engine.dialect.loaded_dbapi.Error
        # PostgreSQL's driver starts a transaction (a round trip) unless told autocommit;
        # SQLite's writes open one of their own, committed at the end of the unit.
        self._switch = engine.dialect.name == "postgresql"

    async def run(self, work: Callable[[HotCursor], T]) -> T:
        """`work(cursor)` on one pooled connection; its write is committed at the end."""
        return await greenlet_spawn(self._unit, work)

    def compiled(self, statement: ClauseElement) -> Compiled:
        """The statement compiled for this database, once."""
        found = self._compiled.get(id(statement))
        if found is None:
            found = (statement, compile_for(statement, self._dialect))
            self._compiled[id(statement)] = found
        return found[1]

    def before_execute(self, sql: str, arguments: tuple[Any, ...]) -> None:
        """Tell the engine's statement listeners (benchmarks and tests count statements)."""
        listeners = self._engine.dispatch.before_cursor_execute
        if listeners:
            listeners(None, None, sql, arguments, None, False)

    def translated(self, exc: Exception, sql: str, arguments: Any, connection: Any) -> DBAPIError:
        """The driver's error as SQLAlchemy raises it; a lost connection leaves the pool."""
        if self._dialect.is_disconnect(cast(Any, exc), connection.dbapi_connection, None):
            connection.invalidate(exc)
        error = DBAPIError.instance(sql, arguments, exc, self.dbapi_error)
        return cast(DBAPIError, error)

    def _unit(self, work: Callable[[HotCursor], T]) -> T:
        connection = self._engine.raw_connection()
        try:
            if self._switch:
                cast(Any, connection.dbapi_connection).autocommit = True
            result = work(HotCursor(self, connection))
            try:
                connection.commit()
            except self.dbapi_error as exc:
                raise self.translated(exc, "COMMIT", (), connection) from exc
            return result
        finally:
            if self._switch and connection.is_valid:
                cast(Any, connection.dbapi_connection).autocommit = False
            connection.close()
