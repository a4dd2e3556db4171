"""Look-ups compiled once per thread: the queries every submit makes.

Django builds a query's SQL afresh each time it runs. For the few look-ups every scorecard
submit makes (the judge's seat with its judge, venue and event; the entry with its enterprise,
recommender and annotations; a resent card with its lines) building the SQL and its column
list costs more than the database takes to answer. ``Prepared`` takes the queryset as usual,
built by a function of the values that change from call to call, compiles it once with
stand-in values, and from then on sends the same SQL with the real values, making the same
model instances Django would (``select_related`` objects and annotations included).

The queryset stays the one source of the query: what it filters, joins and selects is written
once, in the ORM. Only values that are plain query parameters may vary; anything that changes
the shape of the query (a list of ids of varying length, an optional filter) needs a queryset
of its own.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Stand-ins for the values that vary: negative ids no row has, each one distinct, so that
# their places among the compiled query's parameters can be found.
_STAND_IN_BASE = -7_340_000_000


class Prepared(Generic[M]):
    """A queryset ``build(**values)`` compiled once per thread and database, run with new values.

    ``names`` are the keyword arguments of ``build``; each must reach the query as a parameter
    (an id compared in a filter or a subquery), which ``_compile`` checks. Those named in
    ``uuids`` are UUIDs (a ``UUIDField`` compared), sent as the database stores them.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], *names: str, uuids: tuple[str, ...] = ()):
        self.build = build
        self.names = names
        self.uuids = uuids
        self._local = threading.local()
        self._model: type[M] | None = None

    def first(self, **values) -> M | None:
        rows = self._rows(values, one=True)
        return rows[0] if rows else None

    def all(self, **values) -> list[M]:
        return self._rows(values, one=False)

    def _rows(self, values: dict, *, one: bool) -> list[M]:
        if set(values) != set(self.names):
            raise TypeError(f"expected the values {sorted(self.names)}, got {sorted(values)}")
        if self._model is None:
            self._model = self.build(**_stand_ins(self.names, self.uuids)).model
        using = router.db_for_read(self._model)
        compiled = self._compiled(using)
        params = list(compiled.params)
        for name, places in compiled.places.items():
            value = values[name]
            if name in self.uuids:
                value = uuid.UUID(str(value))
                if name in compiled.as_text:  # where the database keeps UUIDs as text
                    value = value.hex
            for place in places:
                params[place] = value
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = [cursor.fetchone()] if one else cursor.fetchall()
        if not fetched or fetched[0] is None:
            return []
        return [compiled.make(row, using) for row in compiled.compiler.results_iter([fetched])]

    def _compiled(self, using: str) -> _Compiled:
        kept = getattr(self._local, "compiled", None)
        if kept is None:
            kept = self._local.compiled = {}
        # Keyed by the connection object too: a thread's connection to a database is the one
        # the compiler was made for (tests swap them).
        key = (using, id(connections[using]))
        if key not in kept:
            kept.clear()
            kept[key] = _Compiled(self.build, self.names, self.uuids, using)
        return kept[key]


def _stand_ins(names, uuids) -> dict:
    return {
        name: uuid.UUID(int=-(_STAND_IN_BASE - n)) if name in uuids else _STAND_IN_BASE - n
        for n, name in enumerate(names)
    }


class _Compiled:
    def __init__(self, build, names, uuids, using):
        stand_ins = _stand_ins(names, uuids)
        queryset = build(**stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.places = {
            name: [n for n, param in enumerate(self.params) if param in _forms(value)]
            for name, value in stand_ins.items()
        }
        self.as_text = {
            name
            for name in uuids
            for place in self.places[name]
            if isinstance(self.params[place], str)
        }
        missing = [name for name, places in self.places.items() if not places]
        if missing:
            raise ValueError(f"{missing} do not reach the query as parameters")
        self.compiler = compiler
        klass_info = compiler.klass_info
        fields = klass_info["select_fields"]
        self.model = klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [
            column[0].target.attname for column in compiler.select[self.start : self.end]
        ]
        self.populators = get_related_populators(klass_info, compiler.select, using)
        self.annotations = dict(compiler.annotation_col_map or {})

    def make(self, row, using):
        """Make the instance of one converted row, as Django's ModelIterable does."""
        obj = self.model.from_db(using, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, obj)
        for name, place in self.annotations.items():
            setattr(obj, name, row[place])
        return obj


def _forms(value) -> tuple:
    """The forms a stand-in may take among the parameters (a UUID as text on SQLite)."""
    return (value, value.hex) if isinstance(value, uuid.UUID) else (value,)
